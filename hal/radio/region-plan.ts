/**
 * The shape of a region plan: what the rules of one radio region allow a covey hotspot to send, as
 * data. The plans themselves live in hal/radio/plans/, one file per region family; hal/radio/regions.ts
 * looks them up and checks settings against them. Frequencies in Hz, powers in dBm, times in ms.
 */

export const REGION_IDS = [
  'EU868', 'US915', 'AU915', 'AS923_1', 'AS923_2', 'AS923_3', 'AS923_4', 'KR920', 'IN865',
] as const;
export type RegionId = (typeof REGION_IDS)[number];

/**
 * A stretch of spectrum with one set of rules. A channel belongs to a sub-band when the whole channel,
 * centre ± bandwidth/2, lies inside it; a channel that straddles two sub-bands is refused.
 */
export interface SubBand {
  /** Its edges in MHz, e.g. "869.4–869.65". */
  readonly name: string;
  readonly lowHz: number;
  readonly highHz: number;
  /** The fraction of any one hour a transmitter may be on in this sub-band; null where there is no limit. */
  readonly dutyCycle: number | null;
  /** The highest EIRP allowed in this sub-band, dBm (ERP + 2.15 where the rule is written as ERP). */
  readonly maxEirpDbm: number;
}

/** Listen before talk as a region's rules write it: the channel is free if it stays below a power threshold. */
export interface LbtRule {
  /** The channel is busy at or above this received power, dBm. */
  readonly thresholdDbm: number;
  /** How long the channel must stay below the threshold before a transmission, ms. */
  readonly listenMs: number;
  /**
   * Where the rule is law: 'region' for everywhere the plan is used, or ISO 3166-1 alpha-2 codes. covey
   * listens before every transmission in the region either way (docs/radio.md, "Listen before talk").
   */
  readonly requiredIn: 'region' | readonly string[];
}

/** Channels on a regular grid, as LoRaWAN regional plans list them: first + n·step, n = 0 … count − 1. */
export interface ChannelGroup {
  /** What the channels are for, e.g. "uplink", "default", "RX2". */
  readonly use: string;
  readonly firstHz: number;
  readonly stepHz: number;
  readonly count: number;
  readonly bandwidthHz: number;
}

/**
 * The one channel single-channel covey hotspots listen and beacon on (and mappers send on). Every
 * hotspot of the region uses exactly these settings, or they cannot hear each other.
 */
export interface PocChannel {
  readonly frequencyHz: number;
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  /** Coding rate denominator: 4/5. */
  readonly codingRate: number;
  readonly preambleLength: number;
  /** As the SX127x writes it (the SX126x form 0xX4Y4 follows from it). */
  readonly syncWord: number;
  /** The highest conducted power for this channel with a 2.15 dBi antenna, whole dBm. */
  readonly maxConductedDbm: number;
  /** Why this channel and data rate, in one or two sentences (docs/radio.md has the long form). */
  readonly rationale: string;
}

export interface RegionPlan {
  readonly id: RegionId;
  /** Where the plan applies and under which rules, for people. */
  readonly name: string;
  /** The spectrum the region allows, ascending and not overlapping. */
  readonly subBands: readonly SubBand[];
  /** A limit on conducted power some rules set besides EIRP, dBm; null where only EIRP is limited. */
  readonly maxConductedDbm: number | null;
  /** The longest single transmission allowed, ms; null where there is no limit. */
  readonly dwellTimeMs: number | null;
  readonly lbt: LbtRule | null;
  /** The region's LoRaWAN channel plan, for reference and for avoiding busy channels. */
  readonly channels: readonly ChannelGroup[];
  readonly poc: PocChannel;
}

/** Antenna gain assumed when none is given: a half-wave dipole, as LoRaMac-node's regions assume. */
export const DEFAULT_ANTENNA_GAIN_DBI = 2.15;

/**
 * The sync word of private LoRa networks (SX1276 DS §6.4 RegSyncWord; radio.md §5). Not LoRaWAN's 0x34
 * nor Meshtastic's 0x2B, which share some of covey's channels, so their frames rarely reach the firmware.
 */
export const COVEY_SYNC_WORD = 0x12;

/** MHz to Hz without floating-point residue (868.1 · 1e6 is 868099999.9999999). */
export function mhz(value: number): number {
  return Math.round(value * 1_000_000);
}

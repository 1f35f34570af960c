/**
 * What SimAir (sim-air.ts) keeps about stations and packets, and the checks at its boundary: a station's
 * placement and a signal are refused with a RangeError naming what is wrong.
 * No Node APIs.
 */
import { SNR_FLOOR_DB, type AirSignal, type AirStation } from './air.js';
import type { AirCounters } from './air-stats.js';
import type { Audible } from './audible.js';
import type { Contender } from './collisions.js';

/** A point in the scenario's local frame: metres east, north, and above ground. */
export interface Position {
  readonly xM: number;
  readonly yM: number;
  readonly heightM: number;
}

export interface Placement extends Position {
  /** Antenna gain, dBi (default 0: isotropic). */
  readonly antennaGainDbi?: number;
  /** Receiver noise figure, dB (default 6). */
  readonly noiseFigureDb?: number;
  /** False for a station that only transmits (a load test's packet source): it is never searched for. */
  readonly listens?: boolean;
}

/** A station attached to the air. */
export interface Member {
  readonly index: number;
  readonly name: string;
  readonly station: AirStation;
  xM: number;
  yM: number;
  heightM: number;
  readonly gainDbi: number;
  readonly noiseFigureDb: number;
  readonly listens: boolean;
  readonly carrierOffsetPpm: number;
  /** Its shadowing key (shadowing.ts): every link's shadowing follows from its two ends' keys. */
  readonly shadowingKey: number;
  readonly counters: AirCounters;
  attached: boolean;
  /** The horizon of the last signal it sent, valid while `horizonEpoch` is the air's. */
  horizonSignal: AirSignal | null;
  horizonM: number;
  horizonEpoch: number;
  /** The listening stations within `receiversRangeM`, valid while `receiversLayout` is current (receiver-search.ts). */
  receivers: Member[];
  /** The indices of `receivers`, in the same (ascending) order. */
  receiverIndices: Int32Array;
  receiversRangeM: number;
  receiversLayout: number;
  /**
   * The loss to each of `lossesFor` (path loss, clutter, shadowing; what does not change while nobody
   * moves), at `lossesHz`: computed once per transmitter instead of once per packet.
   */
  losses: Float64Array | null;
  lossesFor: readonly Member[] | null;
  lossesHz: number;
  /** Which of `receivers` can hear what it sends (audible.ts). */
  audible: Audible | null;
  /** What it transmits, and until when (ms); half-duplex. */
  transmitting: AirSignal | null;
  transmittingUntilMs: number;
  /** The packets on air at this station above its sensitivity. */
  readonly here: Hearing[];
}

/** A packet from the moment it starts until its timer ends it. */
export interface Transmission {
  readonly from: Member;
  readonly signal: AirSignal;
  readonly startMs: number;
  readonly endMs: number;
  /** End of the preamble: interference after it damages the payload instead of hiding the packet. */
  readonly lockMs: number;
  /** One per station that got it above sensitivity, in station order. */
  readonly hearings: Hearing[];
  /** Sensitivity for this signal at a receiver with noise figure `sensitivityNfDb` (most share one). */
  sensitivityNfDb: number;
  sensitivityDbm: number;
}

/** A packet on air at one station. */
export interface Hearing extends Contender {
  readonly tx: Transmission;
  readonly signal: AirSignal;
  readonly at: Member;
  readonly rssiDbm: number;
  readonly endMs: number;
  /** The station was listening to it (or transmitting on its channel) when it began: it is counted. */
  readonly counted: boolean;
  halfDuplex: boolean;
  /** When interference ruined it, ms; Infinity while it is intact. */
  collidedAtMs: number;
}

/**
 * The power of `signal` from `from` at `at` over a link of `lossDb`, dBm. A packet's arrival and the
 * audible lists (audible.ts) both use it, so that they put every station on the same side of its
 * sensitivity.
 */
export function rssiDbmAt(signal: AirSignal, from: Member, at: Member, lossDb: number): number {
  return rssiDbm(signal, from, at.gainDbi, lossDb);
}

/** `rssiDbmAt` for a receiver with antenna gain `atGainDbi`: the one sum both use. */
export function rssiDbm(signal: AirSignal, from: Member, atGainDbi: number, lossDb: number): number {
  return signal.txPowerDbm + from.gainDbi + atGainDbi - lossDb;
}

/** Refuses a placement with a coordinate, gain or noise figure that is not a finite number, or below ground. */
export function validatePlacement(name: string, p: Position & Partial<Placement>): void {
  for (const key of ['xM', 'yM', 'heightM', 'antennaGainDbi', 'noiseFigureDb'] as const) {
    const value = p[key];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new RangeError(`station ${name}: ${key} ${String(value)} is not a finite number`);
    }
  }
  if (p.heightM < 0) throw new RangeError(`station ${name}: height ${p.heightM} m is below ground`);
  if (p.noiseFigureDb !== undefined && p.noiseFigureDb < 0) throw new RangeError(`station ${name}: a noise figure is never negative`);
}

/** Refuses a signal the air cannot carry (the chips compute these, so a bad one is a bug upstream). */
export function validateSignal(s: AirSignal): void {
  if (!(s.frequencyHz > 0) || !(s.bandwidthHz > 0) || !Number.isFinite(s.txPowerDbm)) {
    throw new RangeError('a signal needs a positive frequency and bandwidth and a finite power');
  }
  if (SNR_FLOOR_DB[s.spreadingFactor] === undefined) throw new RangeError(`spreading factor ${s.spreadingFactor} is not 5–12`);
  if (!(s.airtimeMs > 0) || !Number.isFinite(s.airtimeMs)) throw new RangeError(`airtime ${s.airtimeMs} ms is not positive`);
}

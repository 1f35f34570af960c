/**
 * The PoC channel a hotspot listens and beacons on: the region's channel (hal/radio/plans/), with the
 * settings' override and transmit power applied, and the checks that keep it legal. Every hotspot of a
 * region must use the same channel or they cannot hear each other, so an override is for test networks
 * and for regions whose rules change before covey's plans do.
 */
import { BEACON_FRAME_BYTES } from '../proofs/beacon.js';
import { MAPPER_UPLINK_BYTES } from '../proofs/mapper-uplink.js';
import { dataRateCode } from '../proofs/units.js';
import { timeOnAirMs } from '../hal/radio/airtime.js';
import { maxConductedPowerDbm, pocSettings, regionPlan, subBandOf, type RegionPlan } from '../hal/radio/regions.js';
import type { LoRaSettings, Radio } from './ports.js';

/** The channel fields a settings file may override; power is its own setting (`txPowerDbm`). */
export const POC_OVERRIDE_KEYS = [
  'frequencyHz', 'spreadingFactor', 'bandwidthHz', 'codingRate', 'preambleLength', 'syncWord',
] as const;
export type PocChannelOverride = Partial<Pick<LoRaSettings, (typeof POC_OVERRIDE_KEYS)[number]>>;

/** The lowest power any supported chip takes (SX126x: −9 dBm, SX1261/2 DS §13.4.4). */
export const MIN_TX_POWER_DBM = -9;

/** Everything the beaconer and the witness need to know about the channel. */
export interface PocChannel {
  readonly region: RegionPlan;
  /** The radio settings, with the power the settings ask for (before any cap by the chip). */
  readonly settings: LoRaSettings;
  /** The data rate code receipts and reports carry (proofs/units.ts). */
  readonly dataRate: number;
  /** Time on air of one beacon frame, ms. */
  readonly beaconAirtimeMs: number;
  /** Time on air of one mapper uplink, ms. */
  readonly uplinkAirtimeMs: number;
  /** The highest conducted power the region allows on this channel with this antenna, whole dBm. */
  readonly maxTxPowerDbm: number;
}

/** What the channel is made from; a subset of the Settings. */
export interface PocChannelInput {
  readonly region: string;
  readonly pocChannel?: PocChannelOverride;
  readonly antennaGainDbi: number;
  readonly txPowerDbm?: number;
  /** Which frame this device sends, so which must fit the dwell time and the budget. Default 'hotspot'. */
  readonly role?: 'hotspot' | 'mapper';
}

/**
 * The channel for these settings. Throws a RangeError naming the rule it breaks: outside the region's
 * sub-bands, a data rate receipts cannot name, the frame the role sends (a beacon, or a mapper uplink)
 * over the dwell time or over the hourly duty-cycle budget, or a power above the limit for the antenna.
 */
export function pocChannelOf(input: PocChannelInput): PocChannel {
  const region = regionPlan(input.region);
  // pocSettings at the plan's own maximum only fills in the fields; power is decided below.
  const settings = { ...pocSettings(region, region.poc.maxConductedDbm), ...(input.pocChannel ?? {}) };
  const { frequencyHz, bandwidthHz, spreadingFactor } = settings;
  const band = subBandOf(region, frequencyHz, bandwidthHz);
  const dataRate = dataRateCode({ spreadingFactor, bandwidthKHz: (bandwidthHz / 1000) as 125 | 250 | 500 });
  const beaconAirtimeMs = timeOnAirMs({ ...settings, payloadBytes: BEACON_FRAME_BYTES });
  const uplinkAirtimeMs = timeOnAirMs({ ...settings, payloadBytes: MAPPER_UPLINK_BYTES });
  const [frame, airtimeMs] = input.role === 'mapper' ? ['a mapper uplink', uplinkAirtimeMs] : ['a beacon', beaconAirtimeMs];
  if (region.dwellTimeMs !== null && airtimeMs > region.dwellTimeMs) {
    throw new RangeError(`${frame} takes ${Math.round(airtimeMs)} ms, over ${region.id}'s dwell time of ${region.dwellTimeMs} ms`);
  }
  if (band.dutyCycle !== null && airtimeMs > band.dutyCycle * 3_600_000) {
    throw new RangeError(`${frame} takes ${Math.round(airtimeMs)} ms, over the hourly budget of ${band.name} MHz`);
  }
  const maxTxPowerDbm = Math.floor(maxConductedPowerDbm(region, frequencyHz, bandwidthHz, input.antennaGainDbi) + 1e-9);
  const txPowerDbm = input.txPowerDbm ?? maxTxPowerDbm;
  if (!Number.isInteger(txPowerDbm) || txPowerDbm < MIN_TX_POWER_DBM || txPowerDbm > maxTxPowerDbm) {
    throw new RangeError(
      `transmit power ${txPowerDbm} dBm is not a whole number from ${MIN_TX_POWER_DBM} to ${maxTxPowerDbm} dBm ` +
        `(${region.id} at ${frequencyHz / 1e6} MHz with a ${input.antennaGainDbi} dBi antenna)`,
    );
  }
  return { region, settings: { ...settings, txPowerDbm }, dataRate, beaconAirtimeMs, uplinkAirtimeMs, maxTxPowerDbm };
}

/** How far below the wanted power `tuneRadio` searches for one the chip takes, dB. */
const POWER_SEARCH_DB = 40;

/**
 * Configures the radio for the channel and returns the power it was set to. The region may allow more
 * than the chip can give (EU868's PoC channel allows 27 dBm; an SX1276 on PA_BOOST stops at 20, on RFO
 * at 15): the Radio port does not say what the chip takes, but every driver validates settings before it
 * touches the chip and refuses a power it cannot give, so the highest power it accepts at or below the
 * wanted one is the cap. Any other refusal (a frequency the chip cannot tune) is rethrown.
 */
export function tuneRadio(radio: Pick<Radio, 'configure'>, settings: LoRaSettings): number {
  let firstError: unknown;
  const lowest = Math.max(MIN_TX_POWER_DBM, settings.txPowerDbm - POWER_SEARCH_DB);
  for (let power = settings.txPowerDbm; power >= lowest; power--) {
    try {
      radio.configure({ ...settings, txPowerDbm: power });
      return power;
    } catch (error) {
      if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

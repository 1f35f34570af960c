/**
 * The region plans (hal/radio/plans/), looked up by id, and the checks the firmware, the accountant and
 * the provisioning tool make against them. Every check throws a RangeError that says what is wrong and
 * what the region allows.
 */
import type { LoRaSettings } from '../../src/ports.js';
import { BEACON_FRAME_BYTES } from '../protocol.js';
import { timeOnAirMs } from './airtime.js';
import { AS923_1, AS923_2, AS923_3, AS923_4 } from './plans/as923.js';
import { AU915 } from './plans/au915.js';
import { EU868 } from './plans/eu868.js';
import { IN865 } from './plans/in865.js';
import { KR920 } from './plans/kr920.js';
import { US915 } from './plans/us915.js';
import { DEFAULT_ANTENNA_GAIN_DBI, REGION_IDS, type RegionId, type RegionPlan, type SubBand } from './region-plan.js';

export * from './region-plan.js';

/** Every plan, in REGION_IDS order. */
export const REGIONS: readonly RegionPlan[] = [EU868, US915, AU915, AS923_1, AS923_2, AS923_3, AS923_4, KR920, IN865];

export function isRegionId(value: unknown): value is RegionId {
  return typeof value === 'string' && (REGION_IDS as readonly string[]).includes(value);
}

/** The plan for `id`. Accepts the LoRaWAN spelling too ("as923-1" for AS923_1); anything else is a RangeError. */
export function regionPlan(id: string): RegionPlan {
  const normal = typeof id === 'string' ? id.trim().toUpperCase().replace('-', '_') : '';
  const plan = REGIONS.find((region) => region.id === normal);
  if (plan === undefined) throw new RangeError(`unknown region ${String(id)} (known: ${REGION_IDS.join(', ')})`);
  return plan;
}

const mhzText = (hz: number) => `${hz / 1e6} MHz`;

/** The sub-band that holds the whole channel (centre ± bandwidth/2), or a RangeError. */
export function subBandOf(region: RegionPlan, frequencyHz: number, bandwidthHz: number): SubBand {
  if (!Number.isFinite(frequencyHz)) throw new RangeError(`frequency ${frequencyHz} Hz is not a number`);
  if (!(bandwidthHz > 0) || !Number.isFinite(bandwidthHz)) throw new RangeError(`bandwidth ${bandwidthHz} Hz is not positive`);
  const low = frequencyHz - bandwidthHz / 2;
  const high = frequencyHz + bandwidthHz / 2;
  const band = region.subBands.find((b) => low >= b.lowHz && high <= b.highHz);
  if (band !== undefined) return band;
  const allowed = region.subBands.map((b) => b.name).join(', ');
  throw new RangeError(
    `${mhzText(frequencyHz)} at ${bandwidthHz / 1000} kHz is not inside one ${region.id} sub-band (${allowed} MHz)`,
  );
}

/** Rejects an antenna gain that is not a plausible number (covey records −10 to +30 dBi, proofs/units.ts). */
function checkGain(antennaGainDbi: number): void {
  if (!Number.isFinite(antennaGainDbi) || antennaGainDbi < -10 || antennaGainDbi > 30) {
    throw new RangeError(`antenna gain ${antennaGainDbi} dBi is not −10 to 30 dBi`);
  }
}

/**
 * The highest conducted power (dBm) the region allows on a channel with the given antenna: the sub-band's
 * EIRP minus the antenna gain, and never above the region's conducted limit where it has one.
 */
export function maxConductedPowerDbm(
  region: RegionPlan,
  frequencyHz: number,
  bandwidthHz: number,
  antennaGainDbi = DEFAULT_ANTENNA_GAIN_DBI,
): number {
  checkGain(antennaGainDbi);
  const fromEirp = subBandOf(region, frequencyHz, bandwidthHz).maxEirpDbm - antennaGainDbi;
  return region.maxConductedDbm === null ? fromEirp : Math.min(fromEirp, region.maxConductedDbm);
}

/** Throws a RangeError if `txPowerDbm` (conducted) is above what the region allows on that channel with that antenna. */
export function assertTxPower(
  region: RegionPlan,
  frequencyHz: number,
  bandwidthHz: number,
  txPowerDbm: number,
  antennaGainDbi = DEFAULT_ANTENNA_GAIN_DBI,
): void {
  if (!Number.isFinite(txPowerDbm)) throw new RangeError(`transmit power ${txPowerDbm} dBm is not a number`);
  const limit = maxConductedPowerDbm(region, frequencyHz, bandwidthHz, antennaGainDbi);
  if (txPowerDbm > limit + 1e-9) {
    throw new RangeError(
      `${txPowerDbm} dBm conducted with a ${antennaGainDbi} dBi antenna is above ${region.id}'s limit at ` +
        `${mhzText(frequencyHz)}: at most ${Math.round(limit * 100) / 100} dBm`,
    );
  }
}

/** The highest EIRP any of the region's sub-bands allows, dBm. */
export function regionMaxEirpDbm(region: RegionPlan): number {
  return Math.max(...region.subBands.map((b) => b.maxEirpDbm));
}

/**
 * The radio settings for the region's PoC channel at `txPowerDbm` (default: the channel's maximum; a
 * board whose chip cannot reach it clamps further). Throws if the power is above the region's limit.
 */
export function pocSettings(region: RegionPlan, txPowerDbm = region.poc.maxConductedDbm): LoRaSettings {
  const { poc } = region;
  if (txPowerDbm > poc.maxConductedDbm) {
    throw new RangeError(`${txPowerDbm} dBm is above ${region.id}'s PoC channel limit of ${poc.maxConductedDbm} dBm`);
  }
  assertTxPower(region, poc.frequencyHz, poc.bandwidthHz, txPowerDbm);
  return {
    frequencyHz: poc.frequencyHz,
    spreadingFactor: poc.spreadingFactor,
    bandwidthHz: poc.bandwidthHz,
    codingRate: poc.codingRate,
    txPowerDbm,
    preambleLength: poc.preambleLength,
    syncWord: poc.syncWord,
    crc: true,
    implicitHeader: false,
    ldro: 'auto',
  };
}

/** Time on air of a `payloadBytes` frame on the region's PoC channel (default: a beacon), ms. */
export function pocAirtimeMs(region: RegionPlan, payloadBytes = BEACON_FRAME_BYTES): number {
  const { poc } = region;
  return timeOnAirMs({
    spreadingFactor: poc.spreadingFactor,
    bandwidthHz: poc.bandwidthHz,
    codingRate: poc.codingRate,
    preambleLength: poc.preambleLength,
    payloadBytes,
  });
}

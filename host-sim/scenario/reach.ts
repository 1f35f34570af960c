/**
 * How far a beacon carries, in the planning sense: the distance at which a log-distance law's median
 * loss (no shadowing) uses up the link budget. Used to size layouts and to state what a scenario's
 * density means; the air itself (host-sim/air/) decides each reception.
 *
 * Sensitivity is the noise floor plus the demodulator's SNR floor (radio.md §2): on EU868's PoC channel,
 * SF12 at 125 kHz with a 6 dB noise figure, −174 + 50.97 + 6 − 20 = −137.0 dBm.
 */
import { noiseFloorDbm, SNR_FLOOR_DB } from '../air/air.js';
import { regionPlan } from '../../hal/radio/regions.js';
import type { LogDistanceParams } from './schema.js';

/** The weakest signal a hotspot demodulates on `regionId`'s PoC channel, dBm (radio.md §2: S = N + SNRmin). */
export function pocSensitivityDbm(regionId: string, noiseFigureDb = 6): number {
  const { poc } = regionPlan(regionId);
  return noiseFloorDbm(poc.bandwidthHz, noiseFigureDb) + SNR_FLOOR_DB[poc.spreadingFactor];
}

/** The loss a link can take, dB: conducted power, both antennas, down to the receiver's sensitivity. */
export function linkBudgetDb(txPowerDbm: number, txGainDbi: number, rxGainDbi: number, sensitivityDbm: number): number {
  return txPowerDbm + txGainDbi + rxGainDbi - sensitivityDbm;
}

/** The distance at which the median loss reaches `budgetDb`, m: d0 · 10^((budget − PL(d0)) / (10 n)). */
export function medianRangeM(law: LogDistanceParams, budgetDb: number): number {
  return law.d0M * 10 ** ((budgetDb - law.pl0Db) / (10 * law.exponent));
}

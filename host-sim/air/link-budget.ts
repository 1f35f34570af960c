/**
 * The link budget: how strong a signal arrives, how far above the noise, and whether a receiver can
 * demodulate it (reference/radio.md §2).
 *
 *   RSSI        = Ptx + Gtx + Grx − PL(d) − shadowing                       dBm
 *   noise floor = −174 + 10·log10(BW) + NF                                  dBm (NF default 6 dB)
 *   SNR         = RSSI − noise floor                                        dB
 *   sensitivity = noise floor + SNRmin(SF)                                  dBm (SX1276 DS Table 13)
 *
 * With NF = 6 dB that gives −124.5 … −137 dBm for SF7 … SF12 at 125 kHz, within 0.5 dB of the SX1262
 * datasheet. The `lorasim` sensitivity model instead uses the values LoRaSim measured (Bor et al.,
 * MSWiM'16, Table 3, as in its loraDir.py), because it reproduces that simulator.
 * No Node APIs.
 */
import { noiseFloorDbm, SNR_FLOOR_DB } from './air.js';

export { noiseFloorDbm, SNR_FLOOR_DB };

/** Default receiver noise figure, dB (radio.md §2). */
export const DEFAULT_NOISE_FIGURE_DB = 6;

/**
 * LoRaSim's measured sensitivity, dBm, by spreading factor (7–12) and bandwidth (125, 250, 500 kHz):
 * loraDir.py's `sf7` … `sf12` arrays (Bor et al., MSWiM'16, Table 3).
 */
export const LORASIM_SENSITIVITY_DBM: Readonly<Record<number, Readonly<Record<number, number>>>> = {
  7: { 125_000: -126.5, 250_000: -124.25, 500_000: -120.75 },
  8: { 125_000: -127.25, 250_000: -126.75, 500_000: -124.0 },
  9: { 125_000: -131.25, 250_000: -128.25, 500_000: -127.5 },
  10: { 125_000: -132.75, 250_000: -130.25, 500_000: -128.75 },
  11: { 125_000: -134.5, 250_000: -132.75, 500_000: -128.75 },
  12: { 125_000: -133.25, 250_000: -132.25, 500_000: -132.25 },
};

/** 'noise-floor': N + SNRmin with the receiver's noise figure; 'lorasim': LoRaSim's measured table. */
export type SensitivityModel = 'noise-floor' | 'lorasim';

export const SENSITIVITY_MODELS: readonly SensitivityModel[] = ['noise-floor', 'lorasim'];

/**
 * The weakest signal a receiver demodulates, dBm. The lorasim table has no SF5/SF6 and no bandwidth
 * other than 125/250/500 kHz; there the noise-floor model applies.
 */
export function sensitivityDbm(model: SensitivityModel, spreadingFactor: number, bandwidthHz: number, noiseFigureDb = DEFAULT_NOISE_FIGURE_DB): number {
  if (model === 'lorasim') {
    const measured = LORASIM_SENSITIVITY_DBM[spreadingFactor]?.[bandwidthHz];
    if (measured !== undefined) return measured;
  } else if (model !== 'noise-floor') {
    throw new RangeError(`unknown sensitivity model ${String(model)}`);
  }
  const floor = SNR_FLOOR_DB[spreadingFactor];
  if (floor === undefined) throw new RangeError(`spreading factor ${spreadingFactor} is not 5–12`);
  return noiseFloorDbm(bandwidthHz, noiseFigureDb) + floor;
}

export interface LinkBudget {
  /** Conducted transmit power, dBm. */
  readonly txPowerDbm: number;
  readonly txGainDbi: number;
  readonly rxGainDbi: number;
  readonly pathLossDb: number;
  /** This link's shadowing, dB (positive: more loss). */
  readonly shadowingDb: number;
}

export function receivedPowerDbm(link: LinkBudget): number {
  return link.txPowerDbm + link.txGainDbi + link.rxGainDbi - link.pathLossDb - link.shadowingDb;
}

export function snrDb(rssiDbm: number, bandwidthHz: number, noiseFigureDb = DEFAULT_NOISE_FIGURE_DB): number {
  return rssiDbm - noiseFloorDbm(bandwidthHz, noiseFigureDb);
}

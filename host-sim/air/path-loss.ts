/**
 * Path loss: the median attenuation between two antennas, chosen per scenario by name with parameters.
 *
 * - log-distance, PL(d) = PL0 + 10·γ·log10(d/d0), with two presets:
 *   - `lorasim`: d0 = 40 m, PL0 = 127.41 dB, γ = 2.08, σ = 0, the values in LoRaSim's loraDir.py
 *     (Bor et al., MSWiM'16), with the base-10 logarithm of LoRaSim 0.2.1 (reference/radio.md §3);
 *   - `oulu`: d0 = 1000 m, PL0 = 128.95 dB, n = 2.32, σ = 7.8 dB, fitted by Petäjäjärvi et al., "On the
 *     coverage of LPWANs: range evaluation and channel attenuation model for LoRa technology" (ITST 2015)
 *     at 868 MHz with a rooftop base station; the default for hotspot scenarios.
 * - Okumura-Hata (Hata, IEEE Trans. Veh. Technol. 29(3), 1980) for urban (small/medium or large city),
 *   suburban and open areas; see `okumuraHataLossDb` for its validity ranges.
 *
 * Shadowing (the per-link random part, σ) lives in shadowing.ts; a model only carries its σ.
 * No Node APIs: the XS tier may load it beside the chip emulators.
 */

/** A path-loss model as the air uses it. */
export interface PathLossModel {
  readonly name: string;
  /** Standard deviation of log-normal shadowing around the median, dB (0: none). */
  readonly sigmaDb: number;
  /** Median loss between two antennas `distanceM` apart (straight line), dB. */
  lossDb(distanceM: number, frequencyHz: number, heightAM: number, heightBM: number): number;
  /**
   * The largest distance at which the median loss can still be at most `lossDb`, for antennas no higher
   * than `maxHeightM`: no link longer than this loses less. The spatial index relies on it.
   */
  rangeM(lossDb: number, frequencyHz: number, maxHeightM: number): number;
}

/** Distances below this count as this (two antennas cannot share a point; log10(0) is −∞). */
export const MIN_DISTANCE_M = 1;

export interface LogDistanceParameters {
  /** Reference distance d0, m. */
  readonly d0M: number;
  /** Loss at d0, dB. */
  readonly pl0Db: number;
  /** Path-loss exponent γ (n). */
  readonly exponent: number;
  /** Shadowing standard deviation, dB. */
  readonly sigmaDb: number;
}

export const LOG_DISTANCE_PRESETS = {
  lorasim: { d0M: 40, pl0Db: 127.41, exponent: 2.08, sigmaDb: 0 },
  oulu: { d0M: 1000, pl0Db: 128.95, exponent: 2.32, sigmaDb: 7.8 },
} as const satisfies Record<string, LogDistanceParameters>;

export type OkumuraHataEnvironment = 'urban-small' | 'urban-large' | 'suburban' | 'open';

export interface OkumuraHataParameters {
  readonly environment: OkumuraHataEnvironment;
  /** Shadowing standard deviation, dB (default 0: Hata gives the median only). */
  readonly sigmaDb?: number;
}

/** A path-loss model by name, as a scenario file names it. */
export type PathLossSpec =
  | { readonly name: 'lorasim' | 'oulu' }
  | ({ readonly name: 'log-distance' } & LogDistanceParameters)
  | ({ readonly name: 'okumura-hata' } & OkumuraHataParameters);

export function pathLossModel(spec: PathLossSpec): PathLossModel {
  switch (spec.name) {
    case 'lorasim':
    case 'oulu':
      return logDistance(LOG_DISTANCE_PRESETS[spec.name], spec.name);
    case 'log-distance':
      return logDistance(spec);
    case 'okumura-hata':
      return okumuraHata(spec);
    default:
      throw new RangeError(`unknown path-loss model ${String((spec as { name: unknown }).name)}`);
  }
}

function assertFinite(value: number, what: string, min = -Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${what} ${String(value)} is not a finite number${min > -Infinity ? ` ≥ ${min}` : ''}`);
  }
}

export function logDistance(p: LogDistanceParameters, name = 'log-distance'): PathLossModel {
  assertFinite(p.d0M, 'reference distance', Number.MIN_VALUE);
  assertFinite(p.pl0Db, 'reference loss');
  assertFinite(p.exponent, 'path-loss exponent', Number.MIN_VALUE);
  assertFinite(p.sigmaDb, 'shadowing σ', 0);
  const { d0M, pl0Db, exponent, sigmaDb } = p;
  const slope = 10 * exponent;
  return {
    name,
    sigmaDb,
    lossDb: (distanceM) => pl0Db + slope * Math.log10(Math.max(distanceM, MIN_DISTANCE_M) / d0M),
    rangeM: (lossDb) => d0M * 10 ** ((lossDb - pl0Db) / slope),
  };
}

/** Hata's validity ranges (Hata 1980, §IV; COST 231 final report §4.4.1). */
export const HATA_VALIDITY = {
  frequencyMHz: [150, 1500],
  baseHeightM: [30, 200],
  mobileHeightM: [1, 10],
  distanceKm: [1, 20],
} as const;

export interface OkumuraHataInputs {
  readonly environment: OkumuraHataEnvironment;
  readonly frequencyMHz: number;
  /** Base-station antenna height above ground, m. */
  readonly baseHeightM: number;
  /** Mobile antenna height above ground, m. */
  readonly mobileHeightM: number;
  readonly distanceKm: number;
}

/**
 * Hata's empirical fit to Okumura's curves, dB:
 *
 *   L_urban = 69.55 + 26.16·log f − 13.82·log hb − a(hm) + (44.9 − 6.55·log hb)·log d
 *   a(hm), small/medium city = (1.1·log f − 0.7)·hm − (1.56·log f − 0.8)
 *   a(hm), large city        = 8.29·(log 1.54·hm)² − 1.1 for f < 200 MHz, 3.2·(log 11.75·hm)² − 4.97 above
 *                              (Hata gives f ≤ 200 and f ≥ 400; ns-3's OkumuraHataPropagationLossModel
 *                              splits at 200 MHz, as here)
 *   L_suburban = L_urban(small city) − 2·(log(f/28))² − 5.4
 *   L_open     = L_urban(small city) − 4.78·(log f)² + 18.33·log f − 40.94
 *
 * f in MHz, hb and hm in m, d in km. Valid for f 150–1500 MHz, hb 30–200 m, hm 1–10 m, d 1–20 km.
 * Outside them: a frequency outside 150–1500 MHz is refused (RangeError; use log-distance for 2.4 GHz);
 * heights are clamped into their ranges (a 10 m rooftop base is treated as 30 m, a 0 m node as 1 m);
 * distances are not clamped: the formula is extrapolated, and `okumuraHata` floors it at free-space loss
 * so that a short link never loses less than in free space.
 */
export function okumuraHataLossDb(inputs: OkumuraHataInputs): number {
  const { environment, frequencyMHz: f, distanceKm } = inputs;
  const [fMin, fMax] = HATA_VALIDITY.frequencyMHz;
  if (!(f >= fMin && f <= fMax)) throw new RangeError(`Okumura-Hata covers ${fMin}–${fMax} MHz, not ${f} MHz`);
  assertFinite(distanceKm, 'distance', Number.MIN_VALUE);
  const hb = clamp(inputs.baseHeightM, HATA_VALIDITY.baseHeightM);
  const hm = clamp(inputs.mobileHeightM, HATA_VALIDITY.mobileHeightM);
  const logF = Math.log10(f);
  const a = environment === 'urban-large' ? largeCityCorrection(f, hm) : (1.1 * logF - 0.7) * hm - (1.56 * logF - 0.8);
  const urban = 69.55 + 26.16 * logF - 13.82 * Math.log10(hb) - a + (44.9 - 6.55 * Math.log10(hb)) * Math.log10(distanceKm);
  switch (environment) {
    case 'urban-small':
    case 'urban-large':
      return urban;
    case 'suburban':
      return urban - 2 * Math.log10(f / 28) ** 2 - 5.4;
    case 'open':
      return urban - 4.78 * logF ** 2 + 18.33 * logF - 40.94;
    default:
      throw new RangeError(`unknown Okumura-Hata environment ${String(environment)}`);
  }
}

function largeCityCorrection(f: number, hm: number): number {
  return f < 200 ? 8.29 * Math.log10(1.54 * hm) ** 2 - 1.1 : 3.2 * Math.log10(11.75 * hm) ** 2 - 4.97;
}

function clamp(value: number, [min, max]: readonly [number, number]): number {
  assertFinite(value, 'antenna height');
  return Math.min(max, Math.max(min, value));
}

/** Free-space loss (Friis), dB: 20·log10(d) + 20·log10(f) − 147.55 with d in m and f in Hz. */
export function freeSpaceLossDb(distanceM: number, frequencyHz: number): number {
  return 20 * Math.log10(Math.max(distanceM, MIN_DISTANCE_M)) + 20 * Math.log10(frequencyHz) - 147.55;
}

const ENVIRONMENTS: readonly string[] = ['urban-small', 'urban-large', 'suburban', 'open'];

/**
 * Okumura-Hata between two stations: the higher antenna is the base and the lower the mobile, so the loss
 * is the same both ways. Never below free-space loss.
 */
export function okumuraHata(p: OkumuraHataParameters): PathLossModel {
  if (!ENVIRONMENTS.includes(p.environment)) throw new RangeError(`unknown Okumura-Hata environment ${String(p.environment)}`);
  const sigmaDb = p.sigmaDb ?? 0;
  assertFinite(sigmaDb, 'shadowing σ', 0);
  const { environment } = p;
  return {
    name: `okumura-hata/${environment}`,
    sigmaDb,
    lossDb(distanceM, frequencyHz, heightAM, heightBM) {
      const hata = okumuraHataLossDb({
        environment,
        frequencyMHz: frequencyHz / 1e6,
        baseHeightM: Math.max(heightAM, heightBM),
        mobileHeightM: Math.min(heightAM, heightBM),
        distanceKm: Math.max(distanceM, MIN_DISTANCE_M) / 1000,
      });
      return Math.max(hata, freeSpaceLossDb(distanceM, frequencyHz));
    },
    rangeM(lossDb, frequencyHz, maxHeightM) {
      // The loss falls as either antenna rises (beyond a few metres), so the highest antennas reach
      // furthest; the free-space floor only shortens the range, so ignoring it stays conservative.
      const h = Math.max(maxHeightM, HATA_VALIDITY.mobileHeightM[0]);
      const at1Km = okumuraHataLossDb({ environment, frequencyMHz: frequencyHz / 1e6, baseHeightM: h, mobileHeightM: h, distanceKm: 1 });
      const hb = clamp(h, HATA_VALIDITY.baseHeightM);
      const slope = 44.9 - 6.55 * Math.log10(hb);
      return 1000 * 10 ** ((lossDb - at1Km) / slope);
    },
  };
}

/**
 * Every threshold the oracle applies, with its default and where the default comes from. docs/oracle.md
 * lists them in the same order; `covey oracle --config <file.json>` overrides any of them.
 *
 * Helium's verifier (poc.md §3) is the source of most defaults. Timing windows are wider where a covey
 * device is slower than a Helium gateway: an ESP32 verifies a beacon's signature and signs its receipt in
 * XS, which the XS tier estimates at 0.36–0.40 s and 0.43–0.47 s on the device (docs/testing.md), where a
 * gateway took milliseconds.
 */
export interface OracleConfig {
  /** A fresh Entropy every this many ms. Devices expect 60 s (proofs/entropy.ts ENTROPY_PERIOD_MS). */
  readonly entropyPeriodMs: number;
  /** A beacon must reach the oracle within this long after its entropy began (Helium: 180 s). */
  readonly entropyLifespanMs: number;
  /** One beacon per hotspot in each interval of this length, aligned to UTC midnight; must divide 24 h (Helium: 6 h). */
  readonly beaconIntervalMs: number;
  /**
   * A witness must reach the oracle within this long after the first report of its beacon (beacon or
   * witness) did. Helium allowed 4 s after the beacon; covey allows 10 s: two XS signature operations on
   * the device (about 0.9 s), the uploader's 0.5 s coalescing, and an HTTP exchange over Wi-Fi.
   */
  readonly maxWitnessLagMs: number;
  /** Witnesses whose beacon report never arrives are judged `unknown_beacon` this long after the first of them. */
  readonly unknownBeaconAfterMs: number;
  /** A witness heard more than this far from the beacon's frequency is `invalid_frequency` (Helium: 100 kHz). */
  readonly maxFrequencyDiffHz: number;
  /** H3 resolution at which the minimum distance is counted (Helium: 11). */
  readonly minDistanceResolution: number;
  /** Witness and beaconer must be at least this many cells apart at that resolution (Helium: 8). */
  readonly minCellDistance: number;
  /** Witnesses farther than this from the beaconer are `max_distance_exceeded` (Helium: 100 km). */
  readonly maxDistanceKm: number;
  /** dB a witness's RSSI may exceed the free-space prediction before it is `bad_rssi` (Helium: 0). */
  readonly rssiMarginDb: number;
  /** Valid witnesses rewarded per beacon, first by receive time (Helium HIP-83: 14). */
  readonly maxWitnessesPerBeacon: number;
  /** Reciprocity: a beaconer needs a valid witness, a witness a valid beacon, within this window (Helium HIP-106: 48 h). */
  readonly reciprocityWindowMs: number;
  /** Rewards are counted per epoch of this length, aligned to the Unix epoch (Helium: one day). */
  readonly rewardEpochMs: number;
  /** Reward units shared per epoch, split beacons:witnesses 6:24 as Helium's pools (poc.md §4). */
  readonly rewardPoolPerEpoch: number;
  /** Scale rewards by hex density (HIP-17, poc.md §4). Default off. */
  readonly hexDensityScaling: boolean;
  /** Hotspot keys (hex) whose reports are all `denied`. */
  readonly denylist: readonly string[];
  /** Pairs of hotspot keys (hex) that may not witness each other, either way: `denied_edge`. */
  readonly deniedEdges: readonly (readonly [string, string])[];
  /** Largest request body, bytes. */
  readonly maxBodyBytes: number;
  /** Most items in one UploadBatch (the protocol's limit is 256). */
  readonly maxBatchItems: number;
  /** Requests a hotspot may make per minute, on average, before it gets 429. */
  readonly requestsPerMinute: number;
  /** Requests a hotspot may make in a burst above that rate. */
  readonly requestBurst: number;
  /** How often the verifier looks for work, ms of the oracle's clock. */
  readonly verifyEveryMs: number;
}

const HOUR_MS = 3_600_000;

export const ORACLE_DEFAULTS: OracleConfig = {
  entropyPeriodMs: 60_000,
  entropyLifespanMs: 180_000,
  beaconIntervalMs: 6 * HOUR_MS,
  maxWitnessLagMs: 10_000,
  unknownBeaconAfterMs: 45 * 60_000,
  maxFrequencyDiffHz: 100_000,
  minDistanceResolution: 11,
  minCellDistance: 8,
  maxDistanceKm: 100,
  rssiMarginDb: 0,
  maxWitnessesPerBeacon: 14,
  reciprocityWindowMs: 48 * HOUR_MS,
  rewardEpochMs: 24 * HOUR_MS,
  rewardPoolPerEpoch: 1_000_000,
  hexDensityScaling: false,
  denylist: [],
  deniedEdges: [],
  maxBodyBytes: 65_536,
  maxBatchItems: 256,
  requestsPerMinute: 120,
  requestBurst: 30,
  verifyEveryMs: 5_000,
};

/** A configuration that cannot be used; `problems` has one `field: what is wrong` line each. */
export class OracleConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid oracle configuration: ${problems.join('; ')}`);
  }

  override get name(): string {
    return 'OracleConfigError';
  }
}

const DAY_MS = 24 * HOUR_MS;
const HEX_KEY = /^[0-9a-f]{64}$/;

/** Fields that are whole numbers ≥ 1 (ms, counts, bytes), with an upper bound where one matters. */
const WHOLE: Partial<Record<keyof OracleConfig, number>> = {
  entropyPeriodMs: DAY_MS, entropyLifespanMs: DAY_MS, beaconIntervalMs: DAY_MS, maxWitnessLagMs: DAY_MS,
  unknownBeaconAfterMs: DAY_MS, maxFrequencyDiffHz: 10_000_000, minCellDistance: 1000, maxWitnessesPerBeacon: 1000,
  reciprocityWindowMs: 30 * DAY_MS, rewardEpochMs: 30 * DAY_MS, maxBodyBytes: 16 * 1024 * 1024, maxBatchItems: 256,
  requestBurst: 1_000_000, verifyEveryMs: DAY_MS,
};

function checkNumbers(config: OracleConfig, problems: string[]): void {
  for (const [field, max] of Object.entries(WHOLE) as [keyof OracleConfig, number][]) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      problems.push(`${field}: must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`);
    }
  }
  for (const field of ['maxDistanceKm', 'rssiMarginDb', 'rewardPoolPerEpoch', 'requestsPerMinute'] as const) {
    const value = config[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || (field !== 'rssiMarginDb' && value <= 0)) {
      problems.push(`${field}: must be a ${field === 'rssiMarginDb' ? '' : 'positive '}number, got ${JSON.stringify(value)}`);
    }
  }
  if (!Number.isInteger(config.minDistanceResolution) || config.minDistanceResolution < 0 || config.minDistanceResolution > 15) {
    problems.push(`minDistanceResolution: must be an H3 resolution 0–15, got ${JSON.stringify(config.minDistanceResolution)}`);
  }
  if (Number.isInteger(config.beaconIntervalMs) && DAY_MS % config.beaconIntervalMs !== 0) {
    problems.push('beaconIntervalMs: must divide 24 h, so intervals align to UTC midnight');
  }
}

function checkLists(config: OracleConfig, problems: string[]): void {
  if (typeof config.hexDensityScaling !== 'boolean') problems.push('hexDensityScaling: must be true or false');
  if (!Array.isArray(config.denylist) || !config.denylist.every((key) => typeof key === 'string' && HEX_KEY.test(key))) {
    problems.push('denylist: must be a list of hotspot keys, 64 lower-case hex digits each');
  }
  const edges = config.deniedEdges;
  if (!Array.isArray(edges) || !edges.every((edge) => Array.isArray(edge) && edge.length === 2 && edge.every((key) => typeof key === 'string' && HEX_KEY.test(key)))) {
    problems.push('deniedEdges: must be a list of [key, key] pairs, 64 lower-case hex digits each');
  }
}

/** The defaults with `overrides` applied, checked; unknown fields are refused (a typo must not pass silently). */
export function oracleConfig(overrides: Readonly<Record<string, unknown>> = {}): OracleConfig {
  const problems: string[] = [];
  for (const field of Object.keys(overrides)) {
    if (!(field in ORACLE_DEFAULTS)) problems.push(`${field}: not a setting of the oracle`);
  }
  const config = { ...ORACLE_DEFAULTS, ...overrides } as OracleConfig;
  checkNumbers(config, problems);
  checkLists(config, problems);
  if (problems.length > 0) throw new OracleConfigError(problems);
  return config;
}

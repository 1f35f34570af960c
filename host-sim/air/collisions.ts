/**
 * Which of two overlapping packets a receiver loses. The air calls `collide` at each receiver when a
 * packet starts while another is on air there; both packets arrive above the receiver's sensitivity
 * (weaker ones take no part, as in LoRaSim, where a packet below sensitivity is never added to the
 * base station's list).
 *
 * The rules, in the order they apply:
 * 1. Time: only packets on air together interact (the air checks that before calling).
 * 2. Frequency: the carriers must be within 0.24 × the wider bandwidth: 30 / 60 / 120 kHz for 125 / 250 /
 *    500 kHz, LoRaSim 0.2.1's `frequencyCollision` (in Hz; rev 218 compared Hz with kHz, radio.md §3).
 * 3. Same spreading factor:
 *    - 'simple' (LoRaSim's default check): both packets are lost.
 *    - 'full' (LoRaSim's `full_collision`): the newcomer is safe if the other packet ends before the
 *      first Npre − 5 symbols of its preamble are over (the receiver still has 5 clean preamble symbols to
 *      lock on: `timingCollision`, LoRaSim assumes Npre = 8, here the newcomer's own preamble length).
 *      Otherwise capture (`powerCollision`): a packet at least `captureThresholdDb` (6 dB) stronger
 *      survives and the weaker is lost; within 6 dB both are lost.
 * 4. Different spreading factors: LoRa's chirps are only quasi-orthogonal. With an isolation matrix
 *    (the 'full' default), a packet survives an interferer on another SF only if its SIR is at least the
 *    matrix entry for (its SF, the interferer's SF): Goursaud & Gorce, "Dedicated networks for IoT:
 *    PHY/MAC state of the art and challenges", EAI Endorsed Trans. IoT 2015, as ns-3's lorawan module
 *    applies it (lora-interference-helper.cc). The comparison here is of powers, pair by pair, not of
 *    energies summed over the overlap as in ns-3: simpler, and never kinder to the packet. LoRaSim
 *    treats different SFs as orthogonal (the `lorasim-*` models, with no matrix).
 * Half-duplex (a transmitting station hears nothing) is the air's rule, not a collision: sim-air.ts.
 * No Node APIs.
 */
export interface CollisionModel {
  readonly name: string;
  /** 'simple': any overlap on the same channel and SF loses both; 'full': timing and capture, as above. */
  readonly kind: 'simple' | 'full';
  /** How much stronger a packet must be to survive another on the same SF, dB. */
  readonly captureThresholdDb: number;
  /** Clean preamble symbols a receiver needs to lock on (LoRaSim: 5). */
  readonly lockSymbols: number;
  /** Minimum SIR, dB, indexed [wanted SF − 7][interfering SF − 7]; null: different SFs never collide. */
  readonly interSfIsolationDb: readonly (readonly number[])[] | null;
}

/** Goursaud's isolation, dB: rows the wanted SF 7–12, columns the interfering SF 7–12 (ns-3 `collisionSnir`). */
export const GOURSAUD_ISOLATION_DB: readonly (readonly number[])[] = [
  [6, -16, -18, -19, -19, -20],
  [-24, 6, -20, -22, -22, -22],
  [-27, -27, 6, -23, -25, -25],
  [-30, -30, -30, 6, -26, -28],
  [-33, -33, -33, -33, 6, -29],
  [-36, -36, -36, -36, -36, 6],
];

export const CAPTURE_THRESHOLD_DB = 6;
export const LOCK_SYMBOLS = 5;

export const COLLISION_MODELS = {
  /** LoRaSim's simplified check: same frequency and SF, any overlap, both lost. */
  'lorasim-simple': { name: 'lorasim-simple', kind: 'simple', captureThresholdDb: CAPTURE_THRESHOLD_DB, lockSymbols: LOCK_SYMBOLS, interSfIsolationDb: null },
  /** LoRaSim's full check: timing and capture; SFs orthogonal. */
  'lorasim-full': { name: 'lorasim-full', kind: 'full', captureThresholdDb: CAPTURE_THRESHOLD_DB, lockSymbols: LOCK_SYMBOLS, interSfIsolationDb: null },
  /** LoRaSim's full check plus Goursaud's inter-SF isolation: the default. */
  full: { name: 'full', kind: 'full', captureThresholdDb: CAPTURE_THRESHOLD_DB, lockSymbols: LOCK_SYMBOLS, interSfIsolationDb: GOURSAUD_ISOLATION_DB },
} as const satisfies Record<string, CollisionModel>;

export type CollisionModelName = keyof typeof COLLISION_MODELS;

export const DEFAULT_COLLISION_MODEL: CollisionModel = COLLISION_MODELS.full;

export function collisionModel(name: string): CollisionModel {
  if (!Object.prototype.hasOwnProperty.call(COLLISION_MODELS, name)) {
    throw new RangeError(`unknown collision model ${name} (have: ${Object.keys(COLLISION_MODELS).join(', ')})`);
  }
  return COLLISION_MODELS[name as CollisionModelName];
}

/** What `collide` needs of a signal. */
export interface CollidingSignal {
  readonly frequencyHz: number;
  readonly bandwidthHz: number;
  readonly spreadingFactor: number;
  readonly preambleLength: number;
}

/** A packet as one receiver sees it. */
export interface Contender {
  readonly signal: CollidingSignal;
  readonly rssiDbm: number;
  /** When the packet ends, ms. */
  readonly endMs: number;
}

/** Bits of `collide`'s answer. */
export const NEWCOMER_LOST = 1;
export const ONGOING_LOST = 2;

/** Carrier separation below which two packets interfere, as a fraction of the wider bandwidth (LoRaSim). */
const FREQUENCY_OVERLAP_FRACTION = 0.24;

export function frequenciesCollide(a: CollidingSignal, b: CollidingSignal): boolean {
  return Math.abs(a.frequencyHz - b.frequencyHz) <= FREQUENCY_OVERLAP_FRACTION * Math.max(a.bandwidthHz, b.bandwidthHz);
}

/** The isolation a packet on `wantedSf` needs against one on `interferingSf`, dB, or null if none applies. */
export function isolationDb(model: CollisionModel, wantedSf: number, interferingSf: number): number | null {
  const row = model.interSfIsolationDb?.[wantedSf - 7];
  // SF5 and SF6 are outside Goursaud's matrix: treated as orthogonal to the others.
  return row?.[interferingSf - 7] ?? null;
}

/**
 * The outcome at one receiver when `newcomer` starts at `nowMs` while `ongoing` is still on air there:
 * 0, NEWCOMER_LOST, ONGOING_LOST, or both bits.
 */
export function collide(model: CollisionModel, newcomer: Contender, ongoing: Contender, nowMs: number): number {
  const a = newcomer.signal;
  const b = ongoing.signal;
  if (!frequenciesCollide(a, b)) return 0;
  if (a.spreadingFactor === b.spreadingFactor) {
    if (model.kind === 'simple') return NEWCOMER_LOST | ONGOING_LOST;
    const unlockedSymbols = Math.max(0, a.preambleLength - model.lockSymbols);
    // Tsym = 2^SF / BW; a shift, because a general power is slow on this path.
    const criticalEndMs = nowMs + (unlockedSymbols * 1000 * (1 << a.spreadingFactor)) / a.bandwidthHz;
    if (ongoing.endMs <= criticalEndMs) return 0;
    const margin = newcomer.rssiDbm - ongoing.rssiDbm;
    if (Math.abs(margin) < model.captureThresholdDb) return NEWCOMER_LOST | ONGOING_LOST;
    return margin < 0 ? NEWCOMER_LOST : ONGOING_LOST;
  }
  if (model.kind === 'simple') return 0;
  let lost = 0;
  const newcomerNeeds = isolationDb(model, a.spreadingFactor, b.spreadingFactor);
  if (newcomerNeeds !== null && newcomer.rssiDbm - ongoing.rssiDbm < newcomerNeeds) lost |= NEWCOMER_LOST;
  const ongoingNeeds = isolationDb(model, b.spreadingFactor, a.spreadingFactor);
  if (ongoingNeeds !== null && ongoing.rssiDbm - newcomer.rssiDbm < ongoingNeeds) lost |= ONGOING_LOST;
  return lost;
}

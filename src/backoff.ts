/**
 * Retry delays: exponential backoff with jitter drawn from the Rng port. The ceiling doubles with each
 * consecutive failure up to `maxMs`; the delay is drawn below it ("full jitter" when `jitter` is 1, as
 * in Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), so thousands of hotspots
 * that lost the oracle at the same moment do not all come back at the same moment.
 */
import type { Rng } from './ports.js';
import { uniformBelow } from './random.js';

export interface BackoffOptions {
  /** Ceiling of the first retry delay, ms. Default 5,000. */
  readonly initialMs?: number;
  /** Largest ceiling, ms. Default 1,800,000 (30 min). */
  readonly maxMs?: number;
  /** Fraction of each ceiling drawn at random, 0–1: 1 is full jitter, 0 none. Default 1. */
  readonly jitter?: number;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly jitter: number;
  /** No retry comes sooner than this, however the draw falls: min(initialMs, 1,000 ms). */
  readonly floorMs: number;
}

export const BACKOFF_DEFAULTS = { initialMs: 5_000, maxMs: 30 * 60_000, jitter: 1 } as const;

/** Beyond 2^30 × initialMs every ceiling is maxMs; stops the doubling before it overflows. */
const MAX_DOUBLINGS = 30;
const MIN_RETRY_MS = 1_000;

export function backoffFrom(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? BACKOFF_DEFAULTS.initialMs;
  const maxMs = options.maxMs ?? BACKOFF_DEFAULTS.maxMs;
  const jitter = options.jitter ?? BACKOFF_DEFAULTS.jitter;
  if (!Number.isInteger(initialMs) || initialMs < 1) throw new RangeError('backoff.initialMs must be a whole number of ms ≥ 1');
  if (!Number.isInteger(maxMs) || maxMs < initialMs) throw new RangeError('backoff.maxMs must be a whole number of ms ≥ initialMs');
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw new RangeError('backoff.jitter must be within 0..1');
  return { initialMs, maxMs, jitter, floorMs: Math.min(initialMs, MIN_RETRY_MS) };
}

/** The ceiling after `failures` consecutive failures (≥ 1): initialMs × 2^(failures − 1), capped. */
export function backoffCeilingMs(backoff: Backoff, failures: number): number {
  const doublings = Math.min(Math.max(failures, 1) - 1, MAX_DOUBLINGS);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** doublings);
}

/**
 * The delay before the next attempt after `failures` consecutive failures, ms: the ceiling less a
 * uniform draw from its jittered part, and never less than the floor.
 */
export function retryDelayMs(backoff: Backoff, failures: number, rng: Rng): number {
  const ceiling = backoffCeilingMs(backoff, failures);
  const spread = Math.floor(ceiling * backoff.jitter);
  return Math.max(backoff.floorMs, ceiling - uniformBelow(rng, spread + 1));
}

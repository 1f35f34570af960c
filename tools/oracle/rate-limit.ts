/**
 * Per-hotspot request limits: a token bucket per key (refilled at `perMinute`, holding up to `burst`),
 * on the oracle's clock. A hotspot over its limit gets 429 with Retry-After; others are unaffected.
 * Buckets that are full again are forgotten, so memory follows the hotspots active in the last minutes.
 */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** The number of idle buckets at which a sweep forgets the full ones. */
const SWEEP_AT = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly options: RateLimitOptions) {
    if (!(options.perMinute > 0) || !(options.burst >= 1)) throw new RangeError('rate limit: perMinute > 0 and burst ≥ 1');
    this.perMs = options.perMinute / 60_000;
  }

  /** Takes one token for `key` at `nowMs`: 0 when allowed, else the ms to wait before one is free. */
  take(key: string, nowMs: number): number {
    const bucket = this.refill(key, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  private refill(key: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_AT) this.sweep(nowMs);
      bucket = { tokens: this.options.burst, atMs: nowMs };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + elapsed * this.perMs);
    bucket.atMs = nowMs;
    return bucket;
  }

  private sweep(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (nowMs - bucket.atMs) * this.perMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}

/** Retry-After in whole seconds (RFC 9110 §10.2.3), at least 1. */
export function retryAfterSeconds(waitMs: number): string {
  return String(Math.max(1, Math.ceil(waitMs / 1000)));
}

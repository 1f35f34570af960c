/**
 * The byte-feeding procedure of tests/xs/gps-in-xs.test.ts, shared by its XS entry and its Node side so
 * that both run exactly the same steps. Device code: no Node built-ins.
 */
import { NmeaReceiver, type NmeaStats } from '../../../hal/drivers/gps/nmea.js';
import type { GpsFix } from '../../../src/ports.js';

export interface FeedResult {
  /** Each change of `fix()`, with the number of bytes pushed when it was seen. */
  readonly changes: { readonly afterBytes: number; readonly fix: GpsFix | null }[];
  readonly stats: NmeaStats;
  readonly fixMode: number | null;
}

/** Pushes `stream` in chunks of `chunkSizes[0]`, `chunkSizes[1]`, ... (cycling), watching the fix after each. */
export function feed(stream: Uint8Array, chunkSizes: readonly number[]): FeedResult {
  const receiver = new NmeaReceiver();
  const changes: FeedResult['changes'] = [];
  let last: GpsFix | undefined;
  for (let offset = 0, i = 0; offset < stream.length; i++) {
    const end = Math.min(stream.length, offset + chunkSizes[i % chunkSizes.length]);
    receiver.push(stream.subarray(offset, end));
    offset = end;
    const fix = receiver.fix();
    if (fix !== last) changes.push({ afterBytes: offset, fix: fix ?? null });
    last = fix;
  }
  return { changes, stats: receiver.stats, fixMode: receiver.fixMode ?? null };
}


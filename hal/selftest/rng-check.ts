/**
 * The rng item: 64 draws of 32 bits from the Rng port (the ESP32's hardware RNG through Math.random on the
 * device, hal/moddable/rng.ts) must not look stuck. Each test below fails a healthy source with a
 * probability far below 10^-9, and each names the pattern it saw:
 *
 * - constant: all 64 draws equal;
 * - a cycle: the draws repeat with a period of 2–8 (a generator stuck in a short loop, or a constant
 *   source seen through the port's 3-bytes-per-call packing, which repeats every 3 draws);
 * - a repeated value: any value drawn more than MAX_REPEATS times (chance per pair 2^-32);
 * - a stuck bit: a bit that is 0 (or 1) in all 64 draws (chance 2^-63 per bit; it catches a build whose
 *   Math.random keeps one bit at 0, hal/moddable/rng.ts);
 * - stuck bytes: more than MAX_EXTREME_BYTES of the 256 bytes are 0x00 or 0xFF (about 2 expected).
 */
import type { Rng } from '../../src/ports.js';
import { type CheckResult, fail, pass } from './report.js';

export const RNG_DRAWS = 64;
/** A value may occur this often among the draws; more is a fault. */
export const MAX_REPEATS = 3;
/** Bytes of 0x00 or 0xFF allowed among the 256 drawn. */
export const MAX_EXTREME_BYTES = 16;
const LONGEST_CYCLE = 8;

const hex32 = (value: number): string => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

function period(words: readonly number[]): number {
  for (let p = 1; p <= LONGEST_CYCLE; p++) {
    let repeats = true;
    for (let i = p; i < words.length && repeats; i++) repeats = words[i] === words[i - p];
    if (repeats) return p;
  }
  return 0;
}

function mostRepeated(words: readonly number[]): { value: number; count: number; distinct: number } {
  const counts = new Map<number, number>();
  let value = words[0];
  let count = 0;
  for (const word of words) {
    const n = (counts.get(word) ?? 0) + 1;
    counts.set(word, n);
    if (n > count) {
      count = n;
      value = word;
    }
  }
  return { value, count, distinct: counts.size };
}

function stuckBit(words: readonly number[]): string | undefined {
  let anyOne = 0;
  let allOne = -1;
  for (const word of words) {
    anyOne |= word;
    allOne &= word;
  }
  for (let bit = 31; bit >= 0; bit--) {
    if (((anyOne >>> bit) & 1) === 0) return `bit ${bit} is 0 in all ${words.length} draws`;
    if (((allOne >>> bit) & 1) === 1) return `bit ${bit} is 1 in all ${words.length} draws`;
  }
  return undefined;
}

export function checkRng(rng: Rng): CheckResult {
  const bytes = rng.bytes(RNG_DRAWS * 4);
  if (!(bytes instanceof Uint8Array) || bytes.length !== RNG_DRAWS * 4) return fail(`the Rng gave ${String(bytes?.length)} bytes, not ${RNG_DRAWS * 4}`);
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push((bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0);
  const { value, count, distinct } = mostRepeated(words);
  const fields = { draws: RNG_DRAWS, distinct };
  const cycle = period(words);
  if (cycle === 1) return fail(`constant: all ${RNG_DRAWS} draws are ${hex32(words[0])}`, fields);
  if (cycle > 1) return fail(`the draws repeat every ${cycle} (${words.slice(0, cycle).map(hex32).join(' ')})`, fields);
  if (count > MAX_REPEATS) return fail(`${hex32(value)} drawn ${count} times in ${RNG_DRAWS}`, fields);
  const bit = stuckBit(words);
  if (bit !== undefined) return fail(bit, fields);
  let extreme = 0;
  for (const byte of bytes) if (byte === 0x00 || byte === 0xff) extreme++;
  if (extreme > MAX_EXTREME_BYTES) return fail(`${extreme} of ${bytes.length} bytes are 0x00 or 0xff (about 2 expected)`, fields);
  return pass(fields);
}

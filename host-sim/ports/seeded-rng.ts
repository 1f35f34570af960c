/**
 * A seeded, reproducible random source for the simulator and tests: the `Rng` port (src/ports.ts) plus
 * integer helpers. The same seed gives the same stream on Node and inside XS (32-bit integer arithmetic
 * only, no floating-point rounding in the generator), so a simulated run replays byte for byte.
 *
 * The generator is xoshiro128** 1.1 (Blackman and Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
 * seeded from one 32-bit number through SplitMix32 as its authors recommend, so that nearby seeds give
 * unrelated streams. Not cryptographic: never use it for keys on a device.
 * No Node APIs: the XS tier loads it beside device code.
 */
import type { Rng } from '../../src/ports.js';

/** SplitMix32's output function: spreads every bit of a 32-bit word over all 32 bits of the result. */
export function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** SplitMix32 step (a 32-bit variant of Steele, Lea and Flood's SplitMix): spreads one seed into state words. */
function splitMix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  return mix32(state.x);
}

export class SeededRng implements Rng {
  private readonly s = new Uint32Array(4);

  /** `seed`: any integer; it is reduced to 32 bits. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new TypeError('seed must be an integer');
    const state = { x: seed | 0 };
    for (let i = 0; i < 4; i++) this.s[i] = splitMix32(state);
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1; // xoshiro's one forbidden state
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform integer in [0, bound), bound ≤ 2^32, without modulo bias (Lemire's rejection rule). */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) throw new RangeError('bound must be an integer in [1, 2^32]');
    const limit = 2 ** 32 - (2 ** 32 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }

  /** A uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    if (max < min) throw new RangeError('max must be at least min');
    return min + this.below(max - min + 1);
  }

  /** A uniform float in [0, 1) with 32 bits of resolution. */
  fraction(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** `length` random bytes (the Rng port). */
  bytes(length: number): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError('length must be a non-negative integer');
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      let word = this.nextUint32();
      for (let j = i; j < i + 4 && j < length; j++) {
        out[j] = word & 0xff;
        word >>>= 8;
      }
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

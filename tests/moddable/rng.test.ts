/**
 * HardwareRng: 3 bytes per Math.random() call, low byte first, from the top 24 bits of the fraction; the
 * same bytes whether the SDK divides by 2^31 − 1 (SDK 8.x) or 2^32 − 1 (older SDKs), as
 * xs/sources/xsMath.c computes Math.random from c_rand().
 */
import { BYTES_PER_CALL, HardwareRng, RngError } from '../../hal/moddable/rng.js';

/** Math.random as XS computes it from a sequence of c_rand() values and C_RAND_MAX. */
function xsRandom(values: number[], randMax: number): () => number {
  let i = 0;
  return () => values[i++] / randMax;
}

test('takes 3 bytes from each call, low byte first', () => {
  const draws = [0x123456, 0xabcdef];
  let i = 0;
  const rng = new HardwareRng(() => draws[i++] / 2 ** 24);
  expect(Array.from(rng.bytes(6))).toEqual([0x56, 0x34, 0x12, 0xef, 0xcd, 0xab]);
  expect(BYTES_PER_CALL).toBe(3);
});

test('a 32-byte seed takes 11 calls, the last one partly used', () => {
  let calls = 0;
  const rng = new HardwareRng(() => {
    calls++;
    return 0.5;
  });
  const seed = rng.bytes(32);
  expect(calls).toBe(11);
  expect(seed[30]).toBe(0x00);
  expect(seed[31]).toBe(0x00);
  expect(seed[29]).toBe(0x80);
});

test('uses the top 24 bits of a 31-bit c_rand() (C_RAND_MAX 2^31 − 1): all ones and all zeros reach the ends', () => {
  const max31 = 2 ** 31 - 1;
  const rng = new HardwareRng(xsRandom([max31 - 1, 0, 1 << 7], max31));
  expect(Array.from(rng.bytes(9))).toEqual([0xff, 0xff, 0xff, 0, 0, 0, 0x01, 0, 0]);
});

test('uses the top 24 bits of a 32-bit c_rand() (C_RAND_MAX 2^32 − 1) the same way', () => {
  const max32 = 2 ** 32 - 1;
  const rng = new HardwareRng(xsRandom([max32 - 1, 0, 1 << 8], max32));
  expect(Array.from(rng.bytes(9))).toEqual([0xff, 0xff, 0xff, 0, 0, 0, 0x01, 0, 0]);
});

test('every 24-bit result is reachable from a 31-bit draw, each by 127 or 128 draws (sampled at both ends and the middle)', () => {
  const max31 = 2 ** 31 - 1;
  const result = (r: number): number => {
    const [low, mid, high] = new HardwareRng(() => r / max31).bytes(3);
    return low | (mid << 8) | (high << 16);
  };
  for (const k of [0, 1, 2 ** 23, 2 ** 24 - 2, 2 ** 24 - 1]) {
    // The draws that give k lie around k · (2^31 − 1) / 2^24; count them over a margin on both sides.
    const from = Math.max(0, Math.floor((k * max31) / 2 ** 24) - 4);
    const to = Math.min(max31, Math.ceil(((k + 1) * max31) / 2 ** 24) + 4);
    let count = 0;
    for (let r = from; r < to; r++) if (result(r) === k) count++;
    expect([127, 128]).toContain(count);
  }
});

test('zero bytes makes no call', () => {
  let calls = 0;
  expect(new HardwareRng(() => (calls++, 0.1)).bytes(0)).toHaveLength(0);
  expect(calls).toBe(0);
});

test('refuses a broken source: NaN, 1, a negative number', () => {
  for (const bad of [Number.NaN, 1, -0.25]) expect(() => new HardwareRng(() => bad).bytes(1)).toThrow(RngError);
});

test('refuses a length that is not a whole number of bytes', () => {
  const rng = new HardwareRng(() => 0.1);
  expect(() => rng.bytes(-1)).toThrow(RangeError);
  expect(() => rng.bytes(1.5)).toThrow(RangeError);
});

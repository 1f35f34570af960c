import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { backoffCeilingMs, backoffFrom, retryDelayMs } from '../../src/backoff.js';
import type { Rng } from '../../src/ports.js';

/** An Rng that always returns the same byte. */
const constantRng = (byte: number): Rng => ({ bytes: (n) => new Uint8Array(n).fill(byte) });

describe('backoff', () => {
  test('the ceiling doubles from initialMs with each consecutive failure', () => {
    const backoff = backoffFrom({ initialMs: 5_000, maxMs: 1_800_000 });
    expect([1, 2, 3, 4, 5].map((n) => backoffCeilingMs(backoff, n))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
  });

  test('the ceiling stops at maxMs, however many failures', () => {
    const backoff = backoffFrom();
    expect(backoffCeilingMs(backoff, 10)).toBe(1_800_000);
    expect(backoffCeilingMs(backoff, 10_000)).toBe(1_800_000);
  });

  test('without jitter the delay is the ceiling', () => {
    const backoff = backoffFrom({ jitter: 0 });
    expect(retryDelayMs(backoff, 3, new SeededRng(1))).toBe(20_000);
  });

  test('full jitter draws delays across the whole range below the ceiling', () => {
    const backoff = backoffFrom();
    const rng = new SeededRng(9);
    const delays = Array.from({ length: 2_000 }, () => retryDelayMs(backoff, 20, rng));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(backoff.floorMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(1_800_000);
    expect(delays.filter((d) => d < 600_000).length).toBeGreaterThan(500);
    expect(delays.filter((d) => d > 1_200_000).length).toBeGreaterThan(500);
  });

  test('half jitter keeps each delay within the upper half of the ceiling', () => {
    const backoff = backoffFrom({ jitter: 0.5 });
    expect(retryDelayMs(backoff, 1, constantRng(0xff))).toBe(2_500);
    expect(retryDelayMs(backoff, 1, constantRng(0))).toBe(5_000);
  });

  test('no retry comes sooner than the floor, even on a draw of almost 1', () => {
    const backoff = backoffFrom();
    expect(retryDelayMs(backoff, 1, constantRng(0xff))).toBe(1_000);
  });

  test.each([
    [{ initialMs: 0 }],
    [{ initialMs: 5_000, maxMs: 4_000 }],
    [{ jitter: 1.5 }],
    [{ jitter: Number.NaN }],
  ])('refuses %j', (options) => {
    expect(() => backoffFrom(options)).toThrow(RangeError);
  });
});

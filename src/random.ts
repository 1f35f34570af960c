/** Drawing numbers from the Rng port (random bytes on the device, a seeded stream in the simulator). */
import type { Rng } from './ports.js';

const TWO_POW_48 = 2 ** 48;

/**
 * A uniformly random integer in [0, n) for 1 ≤ n ≤ 2^48, from 6 random bytes. Scaling a 48-bit number
 * rather than taking it modulo n leaves a bias of at most n / 2^48 (under 10^-7 for a day in ms). 0 when n < 1.
 */
export function uniformBelow(rng: Rng, n: number): number {
  const limit = Math.floor(n);
  if (!(limit >= 1)) return 0;
  const b = rng.bytes(6);
  const high = (b[0] << 16) | (b[1] << 8) | b[2];
  const low = (b[3] << 16) | (b[4] << 8) | b[5];
  const x = high * 2 ** 24 + low; // exact: below 2^53
  return Math.min(limit - 1, Math.floor((x / TWO_POW_48) * limit));
}

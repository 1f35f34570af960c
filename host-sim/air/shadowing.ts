/**
 * Log-normal shadowing: the part of a link's loss that path-loss models leave to chance (buildings,
 * terrain, foliage), a normal variable in dB with the model's σ.
 *
 * One value per link, fixed for the run and the same both ways (A→B equals B→A: shadowing is a property
 * of the path, and reciprocity holds for it). It is drawn from a sequence seeded by the scenario seed and
 * the two stations' names, in sorted order, never from a shared stream, so it does not depend on which
 * link happened to be evaluated first: adding a station or reordering events changes no other link.
 *
 * The normal is truncated at ±`cutoffSigmas`·σ (redrawn from the same stream beyond it). That loses the
 * 0.27 % of links beyond ±3σ, and in return the spatial index's margin of +3σ is a bound, not a
 * probability: no link can beat it, so the index finds exactly what a search of every station finds.
 * No Node APIs.
 */
import { mix32 } from '../ports/seeded-rng.js';

/** Default truncation, in standard deviations. */
export const SHADOWING_CUTOFF_SIGMAS = 3;

/** FNV-1a, 32 bits (Fowler, Noll, Vo), over the UTF-16 code units of `text`, continuing from `hash`. */
export function fnv1a32(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A 32-bit seed for the stream named by `parts` under the scenario `seed`. */
export function streamSeed(seed: number, ...parts: readonly (string | number)[]): number {
  let h = fnv1a32(String(seed));
  for (const part of parts) h = fnv1a32(`\u0000${String(part)}`, h);
  return h | 0;
}

/** A station's 32-bit shadowing key under the scenario `seed`: what pairShadowingDb combines. */
export function shadowingKey(seed: number, name: string): number {
  return fnv1a32(`\u0000shadowing\u0000${name}`, fnv1a32(String(seed)));
}

/**
 * The shadowing on the link between the stations with shadowing keys `keyA` and `keyB`, dB. Symmetric
 * (the keys are taken in sorted order), and computed from the two keys alone, with no stream object:
 * a large run evaluates millions of links. The draws come from a SplitMix32 sequence seeded by the pair.
 */
export function pairShadowingDb(keyA: number, keyB: number, sigmaDb: number, cutoffSigmas = SHADOWING_CUTOFF_SIGMAS): number {
  if (sigmaDb === 0) return 0;
  const lo = Math.min(keyA >>> 0, keyB >>> 0);
  const hi = Math.max(keyA >>> 0, keyB >>> 0);
  let state = mix32(mix32(lo) ^ hi);
  for (;;) {
    state = (state + 0x9e3779b9) | 0;
    const u1 = 1 - mix32(state) / 4_294_967_296; // (0, 1]: log stays finite
    state = (state + 0x9e3779b9) | 0;
    const u2 = mix32(state) / 4_294_967_296;
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    if (Math.abs(z) <= cutoffSigmas) return sigmaDb * z;
  }
}

/**
 * The shadowing on the link between stations `nameA` and `nameB`, dB (positive: more loss). Symmetric in
 * the two names; 0 when σ is 0.
 */
export function linkShadowingDb(seed: number, nameA: string, nameB: string, sigmaDb: number, cutoffSigmas = SHADOWING_CUTOFF_SIGMAS): number {
  if (!(sigmaDb >= 0) || !Number.isFinite(sigmaDb)) throw new RangeError(`shadowing σ ${sigmaDb} dB is not ≥ 0`);
  if (!(cutoffSigmas > 0)) throw new RangeError(`shadowing cut-off ${cutoffSigmas} σ is not positive`);
  return pairShadowingDb(shadowingKey(seed, nameA), shadowingKey(seed, nameB), sigmaDb, cutoffSigmas);
}

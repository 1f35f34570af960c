/** Small host ports for runtime tests: a seeded Rng, a Log that keeps its lines, and virtual-time steps. */
import type { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { Log, LogLevel, Rng } from '../../src/ports.js';

/** A deterministic Rng (SplitMix32 on a 32-bit state): the same seed gives the same bytes. */
export function seededRng(seed: number): Rng & { readonly draws: number } {
  let state = seed >>> 0;
  let draws = 0;
  const next = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return {
    bytes(length: number) {
      draws++;
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        const word = next();
        for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      return out;
    },
    get draws() {
      return draws;
    },
  };
}

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, string | number | boolean>>;
}

/** A Log that keeps every line. */
export function memoryLog(): Log & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { lines, write: (level, message, fields = {}) => lines.push({ level, message, fields }) };
}

/** Lets promise callbacks run (the virtual clock fires timers synchronously). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs the clock `ms` forward in steps of `stepMs`, letting promise callbacks run after each step, so
 * what an answer schedules is at most one step late.
 */
export async function runFor(clock: VirtualClock, ms: number, stepMs = 100): Promise<void> {
  const end = clock.now() + ms;
  await settle();
  while (clock.now() < end) {
    clock.runUntil(Math.min(end, clock.now() + stepMs));
    await settle();
  }
}

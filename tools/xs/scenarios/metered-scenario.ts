/**
 * The contract between a scenario and covey-xs, the XS memory host (tools/xs-host/main.c). Device code:
 * it is bundled with the scenario and runs inside XS.
 *
 * The host loads the bundle (module code only: on a device it is preloaded into flash), then calls, with
 * a garbage collection and a reading of the meters after each step:
 *   prepare(args)  builds the world that is not the device: emulated chips, the air, other nodes. What it
 *                  leaves behind is part of the baseline.
 *   start()        builds the measured device's runtime. Everything it keeps counts against the budget.
 *   turn()         one event-loop turn (the timers due at the next instant); false when the scenario is done.
 *   counters()     monotonic work counters, read after every step, so that figures cannot come from an
 *                  idle run and compute can be attributed to the work that advanced a counter.
 *   report()       anything else the Node side should see at the end (a receipt to verify, timings).
 * The host drains promise jobs after each call, as a device's main loop does after a timer callback.
 */
import { toHex } from '../../../proofs/bytes.js';

/** The host functions covey-xs defines (tools/xs-host/globals.c). */
export interface XsHostGlobals {
  gc(): void;
  print(...values: unknown[]): void;
  meter(): XsMeterReading;
  resetMeters(): void;
  /** Device code starts here: the stack below is the scenario's plumbing (TurnClock calls it). */
  markEntry(): void;
  hostCall(request: string): string;
}

export interface XsMeterReading {
  readonly slots: number;
  readonly chunkBytes: number;
  readonly keys: number;
  readonly restingSlots: number;
  readonly stackSlots: number;
  readonly xsStackSlots: number;
  readonly entrySlots: number;
  readonly compute: number;
}

export type ScenarioArgs = Readonly<Record<string, unknown>>;

export interface MeteredScenario {
  prepare(args: ScenarioArgs): void;
  start(): void;
  turn(): boolean;
  counters(): Readonly<Record<string, number>>;
  report?(): Readonly<Record<string, unknown>>;
}

/** The host's functions, or undefined outside covey-xs (the same scenario also runs under Node). */
export function xsHost(): XsHostGlobals | undefined {
  const host = globalThis as unknown as Partial<XsHostGlobals>;
  return typeof host.hostCall === 'function' && typeof host.meter === 'function' ? (host as XsHostGlobals) : undefined;
}

/**
 * Installs `scenario` as `globalThis.coveyScenario`, the object the host drives. The host exchanges text
 * only: arguments arrive as JSON, counters and the report leave as JSON with byte strings as hex.
 */
export function installScenario(scenario: MeteredScenario): void {
  (globalThis as { coveyScenario?: unknown }).coveyScenario = {
    prepare: (args: string) => scenario.prepare(JSON.parse(args) as ScenarioArgs),
    start: () => scenario.start(),
    turn: () => scenario.turn(),
    counters: () => JSON.stringify(scenario.counters()),
    report: () => (scenario.report === undefined ? undefined : JSON.stringify(scenario.report(), bytesAsHex)),
  };
}

function bytesAsHex(this: unknown, key: string, value: unknown): unknown {
  // XS 13.3.0 calls the replacer with an undefined `this` for the properties after one whose value is
  // undefined; a Uint8Array has no toJSON, so `value` is then the array itself.
  const raw = this === undefined || this === null ? value : (this as Record<string, unknown>)[key];
  return raw instanceof Uint8Array ? toHex(raw) : value;
}

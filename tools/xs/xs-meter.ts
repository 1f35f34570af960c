/**
 * Device memory figures for a scenario run in covey-xs (tools/xs-host/): the measuring protocol of issue 4
 * ("XS budget") on top of xs-host.ts. Host code.
 *
 * Protocol: the bundle is loaded in a roomy machine (module code; preloaded into flash on a device);
 * prepare() builds the world that is not the device; a garbage collection then gives the baseline. start()
 * builds the device's runtime and every turn() is one event-loop turn, each followed by the promise jobs
 * and a collection. The figures are the largest live set above the baseline, the deepest stack during
 * start and the turns, growth between two cycles, and computrons per unit of work.
 */
import { fileURLToPath } from 'node:url';
import { toHex } from '../../proofs/bytes.js';
import { oracleAnswerer, XS_ORACLE_KEY } from './oracle-answerer.js';
import { runEntryInXsHost, runScriptInXsHost, type XsHostOptions, type XsHostRun, type XsHostSample } from './xs-host.js';

export { runEntryInXsHost, XsHostError, XS_HOST_BINARY } from './xs-host.js';

/**
 * A scenario to measure: its entry (which calls installScenario), its arguments, and which of its counters
 * mean what. bench/xs.ts and tests/xs/xs-budget.test.ts measure whatever XS_SCENARIO names.
 */
export interface XsScenarioSpec {
  readonly name: string;
  readonly entry: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** Counts cycles: growth is measured between two of them. */
  readonly cycleCounter: string;
  /** Advances once per beacon sent / per witness receipt made. */
  readonly beaconCounter: string;
  readonly witnessCounter: string;
  /**
   * The counters whose advance marks a turn of a beacon's work (its attempt, its TxDone): their turns'
   * computrons, per beacon sent, are the beacon cycle's. Default: the beacon counter alone.
   */
  readonly beaconWorkCounters?: readonly string[];
  /** Advances once per upload exchange, if the scenario uploads. */
  readonly uploadCounter?: string;
  /** Counters that must be non-zero after a run (beacons sent, frames heard, receipts made). */
  readonly workCounters: readonly string[];
  /** Makes the answer function for the scenario's hostCall() (its Http port, say), fresh for each run. */
  readonly answerer?: () => (request: string) => string | Promise<string>;
}

/** src/'s Hotspot in a small network (tools/xs/scenarios/hotspot-scenario.ts), its oracle on the Node side. */
export const HOTSPOT_SCENARIO: XsScenarioSpec = {
  name: 'hotspot',
  entry: fileURLToPath(new URL('./scenarios/hotspot-scenario-entry.ts', import.meta.url)),
  args: { cycles: 1_000, oracleKey: toHex(XS_ORACLE_KEY) },
  cycleCounter: 'beaconsSent',
  beaconCounter: 'beaconsSent',
  beaconWorkCounters: ['entropyRequests', 'beaconsSent'],
  witnessCounter: 'receiptsMade',
  uploadCounter: 'uploadRequests',
  workCounters: [
    'beaconsSent', 'framesHeard', 'receiptsMade', 'receiptsUploaded', 'entropyRequests', 'onboardRequests',
    'neighbourBeaconsSent', 'hotspotBeaconsHeardByNeighbours',
  ],
  answerer: () => oracleAnswerer().answer,
};

/** The scenario the XS tier measures. */
export const XS_SCENARIO: XsScenarioSpec = HOTSPOT_SCENARIO;
/** Loads the CBOR codec and nothing else (tools/xs/scenarios/cbor-codec-entry.ts). */
export const CBOR_CODEC_ENTRY = fileURLToPath(new URL('./scenarios/cbor-codec-entry.ts', import.meta.url));
/** Times the device signer (tools/xs/scenarios/signer-timing.ts). */
export const SIGNER_TIMING_ENTRY = fileURLToPath(new URL('./scenarios/signer-timing-entry.ts', import.meta.url));

/**
 * Issue 4's budget per hotspot: half the ESP32's XS heap (4,928 slots, 78,848 chunk bytes) for live runtime
 * objects, three quarters of its 512-slot stack, and nothing that grows with the cycles.
 */
export const XS_BUDGET = {
  maxLiveSlots: 2_400,
  maxLiveChunkBytes: 39_424,
  stackPeakSlots: 384,
  slotGrowthPer1000Cycles: 0,
} as const;

export interface XsMeterOptions extends XsHostOptions {
  /** The counter that counts cycles (growth is measured between cycles). Default 'receiptsMade'. */
  readonly cycleCounter?: string;
  /** Growth is measured from the end of this cycle to the end of the last. Default 10. */
  readonly growthFromCycle?: number;
  /** Counters whose advances get computrons attributed (see computePerEvent). Default beaconsSent, receiptsMade. */
  readonly computeCounters?: readonly string[];
  /** Units of work to attribute computrons to (see computePerUnit), by name. */
  readonly computeUnits?: Readonly<Record<string, ComputeUnit>>;
}

/** The turns in which any of `work` advanced make up the unit; their computrons are divided by the advance of `per`. */
export interface ComputeUnit {
  readonly work: readonly string[];
  readonly per: string;
}

export interface XsScenarioFigures {
  readonly bundleBytes: number;
  readonly xsVersion: string;
  /** Live after loading the bundle: XS's built-ins plus the module code (flash on a device). */
  readonly loadedSlots: number;
  readonly loadedChunkBytes: number;
  /** The baseline: live after prepare() (the world that is not the device). */
  readonly baseSlots: number;
  readonly baseChunkBytes: number;
  /** What start() left live above the baseline: the runtime built, before any turn. */
  readonly startSlots: number;
  readonly startChunkBytes: number;
  /** The largest live set above the baseline after start() and after any turn. */
  readonly maxLiveSlots: number;
  readonly maxLiveChunkBytes: number;
  /** The deepest stack, in slots below where the host rested, during start() and the turns (painted). */
  readonly stackPeakSlots: number;
  /** The same, counted from where device code was entered (a timer callback): plumbing left out. */
  readonly stackPeakAboveEntrySlots: number | null;
  /** XS's own stack peak (updated on function return) over the same steps. */
  readonly xsStackPeakSlots: number;
  /** Where the host rests: XS's intrinsics and the host's frame (a device rests far higher; meters.c). */
  readonly restingStackSlots: number;
  /** Live slots at the end of the last cycle minus at the end of cycle `growthFromCycle`, per 1,000 cycles. */
  readonly slotGrowthPer1000Cycles: number | null;
  readonly chunkGrowthBytesPer1000Cycles: number | null;
  /** Property names and symbols the runtime created (each costs RAM on a device; keys are never freed). */
  readonly runtimeKeys: number;
  readonly cycles: number;
  readonly turns: number;
  /** Mean computrons of the turns in which each counter advanced, per advance; null if it never did. */
  readonly computePerEvent: Readonly<Record<string, number | null>>;
  /** Computrons per unit of work (computeUnits); null if `per` never advanced. */
  readonly computePerUnit: Readonly<Record<string, number | null>>;
  /** The scenario's counters at the end. */
  readonly counters: Readonly<Record<string, number>>;
  readonly report: Readonly<Record<string, unknown>> | undefined;
}

/** Runs `entryPath` in covey-xs and computes its figures. */
export async function meterScenario(entryPath: string, options: XsMeterOptions = {}): Promise<XsScenarioFigures> {
  return analyseRun(await runEntryInXsHost(entryPath, options), options);
}

/**
 * Measures `spec`, its arguments overridden by `args` (fewer cycles in tests, say). `answer` replaces the
 * spec's answerer, to keep hold of what answers (a test's oracle, say).
 */
export function meterSpec(
  spec: XsScenarioSpec, args: Readonly<Record<string, unknown>> = {}, answer = spec.answerer?.(),
): Promise<XsScenarioFigures> {
  const units: Record<string, ComputeUnit> = {
    beaconCycle: { work: spec.beaconWorkCounters ?? [spec.beaconCounter], per: spec.beaconCounter },
    witnessCycle: { work: [spec.witnessCounter], per: spec.witnessCounter },
  };
  if (spec.uploadCounter !== undefined) units.upload = { work: [spec.uploadCounter], per: spec.uploadCounter };
  return meterScenario(spec.entry, {
    args: { ...spec.args, ...args },
    answer,
    cycleCounter: spec.cycleCounter,
    computeCounters: [spec.beaconCounter, spec.witnessCounter],
    computeUnits: units,
  });
}

/** The figures of a finished run (exported for tests of the arithmetic). */
export function analyseRun(run: XsHostRun, options: XsMeterOptions = {}): XsScenarioFigures {
  const { base, start } = run;
  if (base === undefined || start === undefined) throw new Error('the script installed no scenario (coveyScenario)');
  const steps: readonly XsHostSample[] = [start, ...run.turns];
  const last = steps[steps.length - 1];
  const cycleCounter = options.cycleCounter ?? 'receiptsMade';
  const cycles = last.counters?.[cycleCounter] ?? 0;
  const growth = growthPer1000(steps, cycleCounter, options.growthFromCycle ?? 10, cycles);
  const above = run.turns.filter((turn) => turn.entrySlots > 0).map((turn) => turn.stackSlots - turn.entrySlots);
  return {
    bundleBytes: run.bundleBytes,
    xsVersion: run.hello.xs,
    loadedSlots: run.loaded.slots,
    loadedChunkBytes: run.loaded.chunkBytes,
    baseSlots: base.slots,
    baseChunkBytes: base.chunkBytes,
    startSlots: start.slots - base.slots,
    startChunkBytes: start.chunkBytes - base.chunkBytes,
    maxLiveSlots: Math.max(...steps.map((s) => s.slots)) - base.slots,
    maxLiveChunkBytes: Math.max(...steps.map((s) => s.chunkBytes)) - base.chunkBytes,
    stackPeakSlots: Math.max(...steps.map((s) => s.stackSlots)),
    stackPeakAboveEntrySlots: above.length > 0 ? Math.max(...above) : null,
    xsStackPeakSlots: Math.max(...steps.map((s) => s.xsStackSlots)),
    restingStackSlots: start.restingSlots,
    slotGrowthPer1000Cycles: growth.slots,
    chunkGrowthBytesPer1000Cycles: growth.chunkBytes,
    runtimeKeys: last.keys - base.keys,
    cycles,
    turns: run.turns.length,
    computePerEvent: computePerEvent(start, run.turns, options.computeCounters ?? ['beaconsSent', 'receiptsMade']),
    computePerUnit: computePerUnit(start, run.turns, options.computeUnits ?? {}),
    counters: last.counters ?? {},
    report: run.report,
  };
}

/** The first step after which `counter` had reached `count`. */
function stepAtCount(steps: readonly XsHostSample[], counter: string, count: number): XsHostSample | undefined {
  return steps.find((step) => (step.counters?.[counter] ?? 0) >= count);
}

function growthPer1000(steps: readonly XsHostSample[], counter: string, fromCycle: number, cycles: number) {
  const from = stepAtCount(steps, counter, fromCycle);
  const to = stepAtCount(steps, counter, cycles);
  if (from === undefined || to === undefined || cycles <= fromCycle) return { slots: null, chunkBytes: null };
  const scale = 1000 / (cycles - fromCycle);
  return { slots: Math.round((to.slots - from.slots) * scale), chunkBytes: Math.round((to.chunkBytes - from.chunkBytes) * scale) };
}

function computePerEvent(start: XsHostSample, turns: readonly XsHostSample[], names: readonly string[]) {
  const result: Record<string, number | null> = {};
  for (const name of names) {
    let previous = start.counters?.[name] ?? 0;
    let compute = 0;
    let events = 0;
    for (const turn of turns) {
      const count = turn.counters?.[name] ?? previous;
      if (count > previous) {
        compute += turn.compute;
        events += count - previous;
      }
      previous = count;
    }
    result[name] = events > 0 ? Math.round(compute / events) : null;
  }
  return result;
}

/** For each unit: the computrons of the turns in which any of its work counters advanced, per advance of its `per`. */
function computePerUnit(start: XsHostSample, turns: readonly XsHostSample[], units: Readonly<Record<string, ComputeUnit>>) {
  const result: Record<string, number | null> = {};
  for (const [name, unit] of Object.entries(units)) {
    let previous = start.counters ?? {};
    let compute = 0;
    for (const turn of turns) {
      const counters = turn.counters ?? previous;
      if (unit.work.some((counter) => (counters[counter] ?? 0) > (previous[counter] ?? 0))) compute += turn.compute;
      previous = counters;
    }
    const done = (previous[unit.per] ?? 0) - (start.counters?.[unit.per] ?? 0);
    result[name] = done > 0 ? Math.round(compute / done) : null;
  }
  return result;
}

export interface XsSignerTiming {
  /** Mean ms per signature / verification by the device signer, inside covey-xs on this host. */
  readonly signMsHostXs: number;
  readonly verifyMsHostXs: number;
  /** Computrons per signature / verification: XS's own count, the same on any host. */
  readonly signCompute: number;
  readonly verifyCompute: number;
}

/** Times the device signer in covey-xs: `iterations` signatures and as many verifications, one a turn. */
export async function measureSignerTiming(iterations = 20): Promise<XsSignerTiming> {
  const figures = analyseRun(await runEntryInXsHost(SIGNER_TIMING_ENTRY, { args: { iterations } }), {
    cycleCounter: 'verifications',
    computeCounters: ['signatures', 'verifications'],
  });
  const { counters, report, computePerEvent: perEvent } = figures;
  if (counters.verified !== iterations) throw new Error(`only ${counters.verified} of ${iterations} signatures verified in XS`);
  return {
    signMsHostXs: Number(report?.signMs),
    verifyMsHostXs: Number(report?.verifyMs),
    signCompute: perEvent.signatures ?? 0,
    verifyCompute: perEvent.verifications ?? 0,
  };
}

export interface XsLoadCost {
  /** Live after loading nothing: XS's built-ins (in ROM on a device). */
  readonly emptySlots: number;
  readonly emptyChunkBytes: number;
  /** What loading the entry added. Chunk bytes include the bytecode, which a device keeps in flash. */
  readonly slots: number;
  readonly chunkBytes: number;
}

/** What loading `entryPath` adds to an empty covey-xs machine, after a garbage collection. */
export async function measureLoadCost(entryPath: string): Promise<XsLoadCost> {
  const empty = (await runScriptInXsHost('')).loaded;
  const loaded = (await runEntryInXsHost(entryPath)).loaded;
  return {
    emptySlots: empty.slots,
    emptyChunkBytes: empty.chunkBytes,
    slots: loaded.slots - empty.slots,
    chunkBytes: loaded.chunkBytes - empty.chunkBytes,
  };
}

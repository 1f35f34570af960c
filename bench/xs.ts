/**
 * `npm run bench -- xs`: device memory, stack and compute of the firmware runtime (src/'s Hotspot, in the
 * hotspot scenario) in covey-xs, the XS memory host (docs/testing.md, "The XS memory host"), and the
 * device signer's time per operation.
 *
 * The memory figures are above the baseline (everything loaded, the world that is not the device built),
 * after a garbage collection at the end of every event-loop turn. Compute is XS's own count (computrons),
 * the same on any host; milliseconds are this host's, and the ESP32 figures are estimates that rest on
 * ESP32_SLOWDOWN, stated with them. Nothing here was measured on an ESP32.
 */
import { cpus } from 'node:os';
import { CBOR_CODEC_ENTRY, measureLoadCost, measureSignerTiming, meterSpec, XS_SCENARIO } from '../tools/xs/xs-meter.js';

/**
 * How much slower the device signer runs in XS on an ESP32 at 240 MHz than in covey-xs here: an assumption,
 * not a measurement. CoreMark puts one ESP32 core at 240 MHz roughly 25–50 times below one core of a current
 * x86 server; an interpreter running from flash through the ESP32's cache, and BigInt arithmetic that
 * allocates in a small heap (more collections), lose more than CoreMark does. Uncertain by a factor of two
 * either way until it is timed on a board.
 */
export const ESP32_SLOWDOWN = 60;
const ASSUMPTION =
  `ESP32 at 240 MHz assumed ${ESP32_SLOWDOWN}x slower than covey-xs on this host for BigInt-heavy XS code ` +
  '(CoreMark ratio 25-50x, plus flash-cache and small-heap GC costs); uncertain by 2x either way; not measured on a device';

export async function runXsBench(): Promise<Record<string, number | string | null>> {
  const spec = XS_SCENARIO;
  const figures = await meterSpec(spec);
  const timing = await measureSignerTiming(20);
  const cbor = await measureLoadCost(CBOR_CODEC_ENTRY);
  const work = Object.fromEntries(spec.workCounters.map((name) => [name, figures.counters[name] ?? 0]));
  return {
    scenario: spec.name,
    bundleBytes: figures.bundleBytes,
    emptySlots: cbor.emptySlots,
    emptyChunkBytes: cbor.emptyChunkBytes,
    loadedSlots: figures.loadedSlots,
    loadedChunkBytes: figures.loadedChunkBytes,
    baseSlots: figures.baseSlots,
    baseChunkBytes: figures.baseChunkBytes,
    startSlots: figures.startSlots,
    startChunkBytes: figures.startChunkBytes,
    maxLiveSlots: figures.maxLiveSlots,
    maxLiveChunkBytes: figures.maxLiveChunkBytes,
    stackPeakSlots: figures.stackPeakSlots,
    stackPeakAboveEntrySlots: figures.stackPeakAboveEntrySlots,
    xsStackPeakSlots: figures.xsStackPeakSlots,
    restingStackSlots: figures.restingStackSlots,
    slotGrowthPer1000Cycles: figures.slotGrowthPer1000Cycles,
    chunkGrowthBytesPer1000Cycles: figures.chunkGrowthBytesPer1000Cycles,
    runtimeKeys: figures.runtimeKeys,
    // RAM the CBOR codec's module objects would take on a device that cannot preload it (not in maxLive*).
    cborModuleSlots: cbor.slots,
    // Computrons per beacon (its attempt: entropy fetched and checked, beacon signed; its TxDone: report
    // signed and queued), per receipt (frame checked, beacon verified, receipt signed and queued), per upload.
    beaconCycleCompute: figures.computePerUnit.beaconCycle ?? null,
    witnessCycleCompute: figures.computePerUnit.witnessCycle ?? null,
    uploadCompute: figures.computePerUnit.upload ?? null,
    cycles: figures.cycles,
    turns: figures.turns,
    ...work,
    signMsHostXs: round(timing.signMsHostXs),
    verifyMsHostXs: round(timing.verifyMsHostXs),
    signCompute: timing.signCompute,
    verifyCompute: timing.verifyCompute,
    signMsEsp32Estimate: Math.round(timing.signMsHostXs * ESP32_SLOWDOWN),
    verifyMsEsp32Estimate: Math.round(timing.verifyMsHostXs * ESP32_SLOWDOWN),
    esp32EstimateAssumption: ASSUMPTION,
    xsVersion: figures.xsVersion,
    hostCpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    measuredAt: new Date().toISOString(),
  };
}

function round(ms: number): number {
  return Number(ms.toFixed(2));
}

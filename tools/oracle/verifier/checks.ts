/**
 * Phase 1 of verification: the checks one PoC (a beacon digest's beacon report and witness receipts)
 * must pass, in Helium's order (poc.md §3, `do_beacon_verifications` / `do_witness_verifications`),
 * with covey's thresholds (tools/oracle/config.ts). Reciprocity and selection need the whole reward
 * epoch and wait for it (epoch.ts). Pure: the runner fetches the group and its context from the store.
 *
 * Each side is a table of checks tried in order; the first that fails is the verdict's reason.
 */
import { ENTROPY_TAG_BYTES, equalBytes, Reason, type ReasonCode } from '../../../proofs/index.js';
import { hexOf } from '../hex.js';
import { dataRateOf } from '../../../proofs/units.js';
import { regionPlan, subBandOf } from '../../../hal/radio/regions.js';
import type { OracleConfig } from '../config.js';
import type {
  AssertedLocation, EntropyRecord, HotspotRecord, Side, StoredItem, VerdictUpdate,
} from '../model.js';
import { cellDistanceKm, freeSpaceRssiDbm, gridSpanKm, parentGridDistance } from './geo.js';

export interface GroupContext {
  readonly config: OracleConfig;
  /** The oracle's clock when judging: every verdict's verifiedMs. */
  readonly nowMs: number;
  /** The registered hotspots among the beaconer and the witnesses, keyed by lower-case hex. */
  readonly hotspots: ReadonlyMap<string, HotspotRecord>;
  /** The entropy the beacon quotes (its entropyEpoch), if the oracle has it. */
  readonly entropy: EntropyRecord | undefined;
  /** Other beacon reports by the same beaconer received within ±beaconIntervalMs of this beacon, any status. */
  readonly earlierBeacons: readonly StoredItem[];
}

/** Receive order: receivedMs, then id bytes. Selection and "first" mean this order everywhere. */
export function compareReceived(a: Pick<StoredItem, 'receivedMs' | 'id'>, b: Pick<StoredItem, 'receivedMs' | 'id'>): number {
  if (a.receivedMs !== b.receivedMs) return a.receivedMs - b.receivedMs;
  return compareBytes(a.id, b.id);
}

/** Lexicographic order of two byte strings (that of their hex forms, without making them). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

const isBefore = (a: StoredItem, b: StoredItem) => compareReceived(a, b) < 0;

/**
 * Verdicts for the pending items of one group (every item quoting one digest, judged or not). Judged
 * items are context only. With no beacon report, the runner calls this only once the witnesses have
 * waited unknownBeaconAfterMs: they are then `unknown_beacon`.
 */
export function judgeGroup(group: readonly StoredItem[], context: GroupContext): VerdictUpdate[] {
  const ordered = [...group].sort(compareReceived);
  const beacon = ordered.find((item) => item.kind === 'beacon');
  const pending = ordered.filter((item) => item.status === 'pending');
  if (beacon === undefined) {
    return pending.map((w) => verdict(w, Reason.unknown_beacon, 'beaconer', epochOf(w.receivedMs, context), context));
  }
  const epoch = epochOf(beacon.receivedMs, context);
  const beaconReason = beacon.status === 'pending' ? beaconFailure(beacon, ordered, context) : beacon.reason;
  const updates: VerdictUpdate[] = [];
  for (const item of pending) {
    if (item === beacon) {
      updates.push(verdict(item, beaconReason, 'beaconer', epoch, context));
    } else if (item.kind === 'beacon') {
      // A later report of the same frame: judged on its own, and `duplicate` if it passes the rest.
      updates.push(verdict(item, beaconFailure(item, ordered, context), 'beaconer', epoch, context));
    } else if (beaconReason !== Reason.none) {
      // An invalid beacon takes its witnesses with it, the fault the beaconer's (poc.md §3).
      updates.push(verdict(item, beaconReason, 'beaconer', epoch, context));
    } else {
      const [reason, side] = witnessFailure(item, beacon, ordered, context);
      updates.push(verdict(item, reason, side, epoch, context));
    }
  }
  return preselect(ordered, updates, context.config.maxWitnessesPerBeacon);
}

/**
 * HIP-83 selection as far as phase 1 can know it: the first `cap` valid witnesses by receive order are
 * marked selected. Closing the epoch revises this only where reciprocity removes a witness (epoch.ts),
 * so most verdicts are written once.
 */
function preselect(ordered: readonly StoredItem[], updates: VerdictUpdate[], cap: number): VerdictUpdate[] {
  const fresh = new Map(updates.map((u, i) => [u.id, i] as const));
  let selected = 0;
  for (const item of ordered) {
    if (item.kind !== 'witness' || selected >= cap) continue;
    const index = fresh.get(item.id);
    if (index === undefined) {
      if (item.status === 'valid') selected++;
    } else if (updates[index].status === 'valid') {
      updates[index] = { ...updates[index], selected: true };
      selected++;
    }
  }
  return updates;
}

function epochOf(receivedMs: number, context: GroupContext): number {
  return Math.floor(receivedMs / context.config.rewardEpochMs);
}

function verdict(item: StoredItem, reason: number, side: Side, epoch: number, context: GroupContext): VerdictUpdate {
  const valid = reason === Reason.none;
  return {
    id: item.id,
    timeMs: item.timeMs,
    status: valid ? 'valid' : 'invalid',
    reason,
    ...(valid ? {} : { side }),
    passed: valid,
    selected: false,
    verifiedMs: context.nowMs,
    epoch,
  };
}

type Located = HotspotRecord & { readonly location: AssertedLocation };

/** The hotspot's record if it is registered and asserted, else the reason it is not usable. */
function locate(key: Uint8Array, context: GroupContext): Located | ReasonCode {
  const record = context.hotspots.get(hexOf(key));
  if (record === undefined) return Reason.gateway_not_found;
  if (record.location === undefined) return Reason.not_asserted;
  return record as Located;
}

const isDenied = (key: Uint8Array, config: OracleConfig) =>
  config.denylist.length > 0 && config.denylist.some((hex) => hex.toLowerCase() === hexOf(key));

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new TypeError(`stored item has no ${what}: ingest must record it`);
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Beacon

interface BeaconScene {
  readonly beacon: StoredItem;
  readonly beaconer: Located;
  readonly group: readonly StoredItem[];
  readonly context: GroupContext;
}

type Check<S> = readonly [ReasonCode, (scene: S) => boolean];

/** Each entry fails when its predicate is true; tried in order after the beaconer is found and asserted. */
const BEACON_CHECKS: readonly Check<BeaconScene>[] = [
  [Reason.denied, (s) => isDenied(s.beacon.uploader, s.context.config)],
  [Reason.bad_entropy, (s) => !quotesEntropy(s.beacon, s.context.entropy)],
  [Reason.entropy_expired, (s) => !withinEntropyLifespan(s.beacon.receivedMs, s.context, 0)],
  [Reason.irregular_interval, (s) => beatenInBucket(s.beacon, s.context)],
  [Reason.invalid_frequency, (s) => !inRegionPlan(s.beacon, s.beaconer.region)],
  [Reason.duplicate, (s) => s.group.some((o) => o.kind === 'beacon' && isBefore(o, s.beacon))],
];

function beaconFailure(beacon: StoredItem, group: readonly StoredItem[], context: GroupContext): ReasonCode {
  const beaconer = locate(beacon.uploader, context);
  if (typeof beaconer === 'number') return beaconer;
  const scene: BeaconScene = { beacon, beaconer, group, context };
  return BEACON_CHECKS.find(([, fails]) => fails(scene))?.[0] ?? Reason.none;
}

/** The beacon quotes the entropy the oracle issued for that epoch: the epoch and the first 4 bytes. */
function quotesEntropy(beacon: StoredItem, entropy: EntropyRecord | undefined): boolean {
  const tag = beacon.entropyTag;
  if (entropy === undefined || tag === undefined || tag.length !== ENTROPY_TAG_BYTES) return false;
  return entropy.epoch === beacon.entropyEpoch && equalBytes(entropy.data.subarray(0, ENTROPY_TAG_BYTES), tag);
}

/** entropy.timeMs ≤ receivedMs ≤ entropy.timeMs + lifespan + extraMs (Helium's entropy window, poc.md §3). */
function withinEntropyLifespan(receivedMs: number, context: GroupContext, extraMs: number): boolean {
  const entropy = context.entropy;
  if (entropy === undefined) return true; // no entropy: already `bad_entropy`, or the beacon was judged before
  return entropy.timeMs <= receivedMs && receivedMs <= entropy.timeMs + context.config.entropyLifespanMs + extraMs;
}

/**
 * The beacon-interval bucket of a beacon report. The device's own time places it, but clamped: never
 * before its quoted entropy began (it cannot have been made earlier) and never after the oracle got it.
 */
export function beaconBucket(beacon: StoredItem, config: OracleConfig): number {
  const entropyStart = (beacon.entropyEpoch ?? 0) * config.entropyPeriodMs;
  const time = Math.min(Math.max(beacon.timeMs, entropyStart), beacon.receivedMs);
  return Math.floor(time / config.beaconIntervalMs);
}

/**
 * One beacon per beaconer per interval (Helium's `irregular_interval`, which counts invalid beacons too):
 * this one fails if another beacon of its beaconer, of another frame, fell in the same bucket and
 * reached the oracle first. Reports of the same frame are `duplicate` instead.
 */
function beatenInBucket(beacon: StoredItem, context: GroupContext): boolean {
  const bucket = beaconBucket(beacon, context.config);
  return context.earlierBeacons.some((other) =>
    other.kind === 'beacon' &&
    equalBytes(other.uploader, beacon.uploader) &&
    !equalBytes(other.digest, beacon.digest) &&
    beaconBucket(other, context.config) === bucket &&
    isBefore(other, beacon));
}

/**
 * The whole channel (frequency ± half the data rate's bandwidth) lies in one sub-band of the beaconer's
 * region plan (hal/radio/regions.ts). An unknown region holds no frequency.
 */
function inRegionPlan(beacon: StoredItem, region: string): boolean {
  try {
    subBandOf(regionPlan(region), beacon.frequencyHz, dataRateOf(beacon.dataRate).bandwidthKHz * 1000);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------
// Witness

interface WitnessScene {
  readonly witness: StoredItem;
  readonly hotspot: Located;
  readonly beacon: StoredItem;
  readonly beaconer: Located;
  readonly group: readonly StoredItem[];
  readonly context: GroupContext;
}

/** Tried in order once the witness is no duplicate and is registered and asserted. */
const WITNESS_CHECKS: readonly Check<WitnessScene>[] = [
  [Reason.denied, (s) => isDenied(s.witness.uploader, s.context.config)],
  [Reason.denied_edge, (s) => isDeniedEdge(s.witness.uploader, s.beacon.uploader, s.context.config)],
  [Reason.self_witness, (s) => equalBytes(s.witness.uploader, s.beacon.uploader)],
  [Reason.too_late, (s) => s.witness.receivedMs > lagReference(s.beacon, s.group) + s.context.config.maxWitnessLagMs],
  // Kept as Helium has it, but too_late trips first whenever the beacon itself was in time.
  [Reason.entropy_expired, (s) => !withinEntropyLifespan(s.witness.receivedMs, s.context, s.context.config.maxWitnessLagMs)],
  [Reason.invalid_packet, (s) => s.witness.dataRate !== s.beacon.dataRate],
  [Reason.invalid_frequency, (s) => Math.abs(s.witness.frequencyHz - s.beacon.frequencyHz) > s.context.config.maxFrequencyDiffHz],
  [Reason.invalid_region, (s) => s.hotspot.region !== s.beaconer.region],
  [Reason.below_min_distance, (s) => tooClose(s)],
  [Reason.max_distance_exceeded, (s) => distanceKm(s) > s.context.config.maxDistanceKm],
  [Reason.bad_rssi, (s) => louderThanFreeSpace(s)],
];

function witnessFailure(
  witness: StoredItem, beacon: StoredItem, group: readonly StoredItem[], context: GroupContext,
): [ReasonCode, Side] {
  const heardBefore = group.some((o) => o.kind === 'witness' && equalBytes(o.uploader, witness.uploader) && isBefore(o, witness));
  if (heardBefore) return [Reason.duplicate, 'witness'];
  const hotspot = locate(witness.uploader, context);
  if (typeof hotspot === 'number') return [hotspot, 'witness'];
  const beaconer = locate(beacon.uploader, context);
  // The beacon passed, so its beaconer was known; it may have been removed since.
  if (typeof beaconer === 'number') return [beaconer, 'beaconer'];
  const scene: WitnessScene = { witness, hotspot, beacon, beaconer, group, context };
  const failed = WITNESS_CHECKS.find(([, fails]) => fails(scene));
  return [failed?.[0] ?? Reason.none, 'witness'];
}

function isDeniedEdge(a: Uint8Array, b: Uint8Array, config: OracleConfig): boolean {
  if (config.deniedEdges.length === 0) return false;
  const [ha, hb] = [hexOf(a), hexOf(b)];
  return config.deniedEdges.some(([x, y]) => {
    const [hx, hy] = [x.toLowerCase(), y.toLowerCase()];
    return (hx === ha && hy === hb) || (hx === hb && hy === ha);
  });
}

/**
 * Lag is counted from the first report of the PoC to reach the oracle, beacon or witness. Helium
 * allowed 4 s after the beacon or 1.5 s after the first witness (poc.md §3); covey has one window.
 */
function lagReference(beacon: StoredItem, group: readonly StoredItem[]): number {
  return group.reduce((first, o) => (o.kind === 'witness' ? Math.min(first, o.receivedMs) : first), beacon.receivedMs);
}

/** Helium: grid distance of the res-11 parents below 8 (POC_CELL_PARENT_RES, POC_CELL_DISTANCE_MINIMUM). */
function tooClose(s: WitnessScene): boolean {
  const { minDistanceResolution, minCellDistance } = s.context.config;
  // Counting grid steps is costly; hotspots farther apart than any minCellDistance steps can span are not too close.
  if (distanceKm(s) > gridSpanKm(minDistanceResolution, minCellDistance)) return false;
  const cells = parentGridDistance(s.hotspot.location.cell, s.beaconer.location.cell, minDistanceResolution);
  return cells < minCellDistance;
}

const distanceKm = (s: WitnessScene) => cellDistanceKm(s.beaconer.location.cell, s.hotspot.location.cell);

/** RSSI above what free space allows (plus the configured margin) cannot be true: `bad_rssi` (poc.md §3). */
function louderThanFreeSpace(s: WitnessScene): boolean {
  const rssiDbm = required(s.witness.rssiDdbm, 'rssiDdbm') / 10;
  const limit = freeSpaceRssiDbm(
    required(s.beacon.txPowerDdbm, 'txPowerDdbm'),
    s.beaconer.gainDdbi,
    s.hotspot.gainDdbi,
    distanceKm(s) * 1000,
    s.beacon.frequencyHz,
  );
  return rssiDbm > limit + s.context.config.rssiMarginDb;
}

/**
 * Phase 2 of verification, when a reward epoch closes: reciprocity (HIP-106), selection of the first
 * witnesses (HIP-83), HIP-15 reward units, the optional HIP-17 hex scale, and each hotspot's share of the
 * epoch's pool (poc.md §3 "Selection", §4). Pure: the runner reads the epoch's items and the reciprocity
 * facts from the store and records what this returns with store.closeEpoch.
 */
import { Reason } from '../../../proofs/index.js';
import { hexOf } from '../hex.js';
import type { OracleConfig } from '../config.js';
import type { EpochItem, HotspotRecord, RewardRow, Side, Verdict, VerdictUpdate } from '../model.js';
import type { ReciprocityFacts } from '../store/store.js';
import { compareReceived } from './checks.js';
import {
  beaconerUnits, DEFAULT_TX_SCALE, epochPools, hexDensityScales, poolShare, witnessUnits,
} from './rewards.js';

export interface EpochContext {
  readonly config: OracleConfig;
  /** The oracle's clock when closing: verifiedMs of every changed verdict. */
  readonly nowMs: number;
  readonly epoch: number;
  /**
   * Resolution-12 cells of the active hotspots, one per hotspot, for HIP-17 (config.hexDensityScaling).
   * Absent: the cells of this epoch's valid beaconers, found in `hotspots`.
   */
  readonly activeCells?: readonly string[];
  /** Registered hotspots by hex key: where each rewarded hotspot is, for its hex scale. Required with hexDensityScaling. */
  readonly hotspots?: ReadonlyMap<string, HotspotRecord>;
}

export interface EpochClose {
  /** Verdicts that changed: reciprocity failures and the selection they shift. */
  readonly updates: VerdictUpdate[];
  /** One row per hotspot that earned units, by hotspot key. */
  readonly rewards: RewardRow[];
}

/** A verdict being settled, with the item it belongs to and the reward units it earns (HIP-15). */
interface Settling {
  readonly item: EpochItem;
  /** hexOf(item.digest) and hexOf(item.uploader), made once: every step below keys by them. */
  readonly digestKey: string;
  readonly uploaderKey: string;
  verdict: Verdict;
  units: number;
}

const NO_FACTS: ReciprocityFacts = { passedWitness: false, passedBeaconWithWitness: false };

/**
 * Settles an epoch. `items` are all judged items counting in the epoch; `facts` (by hex key) come from
 * store.reciprocity() over [epochStart − reciprocityWindowMs, epochEnd). That window is a per-epoch
 * approximation of Helium's "within 48 h of the beacon" (poc.md §3): one window for every beacon of the
 * epoch, so a fact from late in the epoch can count for a beacon made earlier in it.
 */
export function closeEpochVerdicts(
  items: readonly EpochItem[],
  facts: ReadonlyMap<string, ReciprocityFacts>,
  context: EpochContext,
): EpochClose {
  // Items of one digest or one uploader often share one Uint8Array (the store's epochItems does that):
  // one key string each, not one per item.
  const keys = new Map<Uint8Array, string>();
  const keyOf = (bytes: Uint8Array): string => {
    let key = keys.get(bytes);
    if (key === undefined) keys.set(bytes, (key = hexOf(bytes)));
    return key;
  };
  const settling = items.map((item): Settling => ({
    item, digestKey: keyOf(item.digest), uploaderKey: keyOf(item.uploader), verdict: verdictOf(item), units: 0,
  }));
  const groups = new Map<string, Settling[]>();
  for (const s of settling) {
    const group = groups.get(s.digestKey);
    if (group === undefined) groups.set(s.digestKey, [s]);
    else group.push(s);
  }
  for (const group of groups.values()) settleGroup(group, facts, context.config);
  const updates = settling.filter(changed).map((s) => ({ ...s.verdict, id: s.item.id, timeMs: s.item.timeMs, verifiedMs: context.nowMs }));
  return { updates, rewards: rewardRows(settling, context) };
}

/** Only the verdict's fields, so an update carries nothing of the item itself. */
function verdictOf(item: EpochItem): Verdict {
  const { status, reason, side, passed, selected, verifiedMs, epoch } = item;
  return { status, reason, side, passed, selected, verifiedMs, epoch };
}

function settleGroup(group: Settling[], facts: ReadonlyMap<string, ReciprocityFacts>, config: OracleConfig): void {
  const factsOf = (s: Settling) => facts.get(s.uploaderKey) ?? NO_FACTS;
  const valid = (s: Settling) => s.verdict.status === 'valid';
  const beacon = group.find((s) => s.item.kind === 'beacon' && valid(s));
  const witnesses = group.filter((s) => s.item.kind === 'witness' && valid(s)).sort((a, b) => compareReceived(a.item, b.item));
  if (beacon === undefined) return; // its witnesses are invalid already (phase 1)
  // HIP-106: a beaconer that witnessed nothing loses its beacon, and the beacon's witnesses with it;
  // witnesses already invalid for a reason of their own keep it.
  if (!factsOf(beacon).passedWitness) {
    for (const s of [beacon, ...witnesses]) invalidate(s, Reason.gateway_no_valid_witnesses, 'beaconer');
    return;
  }
  // HIP-106: a witness whose hotspot made no beacon that was witnessed is not rewarded for witnessing.
  const reciprocal = witnesses.filter((s) => factsOf(s).passedBeaconWithWitness);
  for (const s of witnesses) if (!reciprocal.includes(s)) invalidate(s, Reason.gateway_no_valid_beacons, 'witness');
  // HIP-83: the first maxWitnessesPerBeacon valid witnesses to reach the oracle are rewarded.
  const selected = reciprocal.slice(0, config.maxWitnessesPerBeacon);
  const n = selected.length;
  beacon.units = beaconerUnits(n);
  for (const s of reciprocal) {
    const chosen = selected.includes(s);
    if (s.verdict.selected !== chosen) s.verdict = { ...s.verdict, selected: chosen };
    s.units = chosen ? witnessUnits(n) : 0;
  }
}

/** Reciprocity failed: invalid now, but `passed` stays as phase 1 left it (reciprocity reads it). */
function invalidate(s: Settling, reason: number, side: Side): void {
  s.verdict = { ...s.verdict, status: 'invalid', reason, side, selected: false };
  s.units = 0;
}

function changed(s: Settling): boolean {
  const [a, b] = [s.item, s.verdict];
  return a.status !== b.status || a.reason !== b.reason || a.side !== b.side || a.selected !== b.selected;
}

// ---------------------------------------------------------------------------------------------------
// Rewards

interface Tally {
  readonly hotspot: Uint8Array;
  beaconUnits: number;
  witnessUnits: number;
  /** Witness units each times its beaconer's scale (a witness uses the beaconer's hex scale, poc.md §4). */
  scaledWitnessUnits: number;
  beacons: number;
  witnesses: number;
}

function rewardRows(settling: readonly Settling[], context: EpochContext): RewardRow[] {
  const scaleOf = hexScales(settling, context);
  const beaconerOf = new Map<string, string>();
  for (const s of settling) if (s.item.kind === 'beacon' && s.verdict.status === 'valid') beaconerOf.set(s.digestKey, s.uploaderKey);
  const tallies = new Map<string, Tally>();
  const tallyOf = (s: Settling): Tally => {
    const found = tallies.get(s.uploaderKey);
    if (found !== undefined) return found;
    const fresh: Tally = { hotspot: s.item.uploader, beaconUnits: 0, witnessUnits: 0, scaledWitnessUnits: 0, beacons: 0, witnesses: 0 };
    tallies.set(s.uploaderKey, fresh);
    return fresh;
  };
  for (const s of settling) {
    const { item, verdict, units } = s;
    if (verdict.status !== 'valid' || units <= 0) continue;
    const tally = tallyOf(s);
    if (item.kind === 'beacon') {
      tally.beaconUnits += units;
      tally.beacons++;
    } else {
      tally.witnessUnits += units;
      tally.scaledWitnessUnits += units * scaleOf(beaconerOf.get(s.digestKey) ?? '');
      tally.witnesses++;
    }
  }
  return toRows([...tallies.values()], scaleOf, context);
}

function toRows(tallies: Tally[], scaleOf: (hex: string) => number, context: EpochContext): RewardRow[] {
  const pools = epochPools(context.config);
  const beaconTotal = tallies.reduce((sum, t) => sum + t.beaconUnits * scaleOf(hexOf(t.hotspot)), 0);
  const witnessTotal = tallies.reduce((sum, t) => sum + t.scaledWitnessUnits, 0);
  return tallies
    .sort((a, b) => (hexOf(a.hotspot) < hexOf(b.hotspot) ? -1 : 1))
    .map((t): RewardRow => {
      const scale = scaleOf(hexOf(t.hotspot));
      const amount = poolShare(pools.beacon, t.beaconUnits * scale, beaconTotal) +
        poolShare(pools.witness, t.scaledWitnessUnits, witnessTotal);
      return {
        epoch: context.epoch, hotspot: t.hotspot, beaconUnits: t.beaconUnits, witnessUnits: t.witnessUnits,
        scale, amount, beacons: t.beacons, witnesses: t.witnesses,
      };
    });
}

/**
 * Each hotspot's HIP-17 scale by hex key: 1 with scaling off; else its asserted cell's density scale,
 * or Helium's DEFAULT_TX_SCALE where the hotspot or its cell is unknown to the density map.
 */
function hexScales(settling: readonly Settling[], context: EpochContext): (hex: string) => number {
  if (!context.config.hexDensityScaling) return () => 1;
  const hotspots = context.hotspots;
  // Without the registry every hotspot would get DEFAULT_TX_SCALE: wrong numbers, so refuse instead.
  if (hotspots === undefined) throw new TypeError('hexDensityScaling needs context.hotspots to place each hotspot');
  const cellOf = (hex: string) => hotspots.get(hex)?.location?.cell;
  const beaconers = new Set(settling
    .filter((s) => s.item.kind === 'beacon' && s.verdict.status === 'valid')
    .map((s) => s.uploaderKey));
  const active = context.activeCells ?? [...beaconers].flatMap((hex) => cellOf(hex) ?? []);
  const density = hexDensityScales(active);
  return (hex) => density.get(cellOf(hex) ?? '') ?? DEFAULT_TX_SCALE;
}

/**
 * Runs the verifier over the store: judges each beacon's group once it is ready, then closes reward
 * epochs once nothing more can arrive for them. The oracle runs it on a timer (every verifyEveryMs of its
 * clock); `covey verify` runs it once over a database.
 *
 * A group is ready when no witness could still arrive in time for it: maxWitnessLagMs after its first
 * report when the beacon report is there, unknownBeaconAfterMs after it when it is not (its witnesses are
 * then `unknown_beacon`). Items arriving for a group already judged are judged with it as context once
 * their own lag has passed (a late witness is `too_late`). Pending items are held in memory (pending.ts);
 * only one runner (one oracle, or one `covey verify`) should judge a database at a time.
 *
 * An epoch closes when the clock is past its end by unknownBeaconAfterMs + maxWitnessLagMs, so every group
 * that counts in it has been judged; then reciprocity, selection and rewards are settled (epoch.ts).
 */
import { equalBytes } from '../../../proofs/bytes.js';
import { reasonName } from '../../../proofs/reasons.js';
import { hexOf } from '../hex.js';
import { Repeating, type OracleClock } from '../clock.js';
import type { OracleConfig } from '../config.js';
import { isPocItem, type EntropyRecord, type HotspotRecord, type StoredItem, type UploadedItem, type VerdictUpdate } from '../model.js';
import type { OracleStore } from '../store/store.js';
import { judgeGroup } from './checks.js';
import { closeEpochVerdicts } from './epoch.js';
import { PendingGroups, pendingItem, type PendingEntry } from './pending.js';
import { RecentBeacons } from './recent-beacons.js';

/** Verdicts written per transaction: one commit for many groups instead of one each. */
const VERDICTS_PER_WRITE = 5_000;

/**
 * What one run reads again and again: registry entries (re-read every run, so a new assertion counts
 * from the next run on) and entropy (never changes once made).
 */
class RunCache {
  readonly hotspots = new Map<string, HotspotRecord | null>();
  readonly entropy = new Map<number, EntropyRecord | null>();
  pending: VerdictUpdate[] = [];
  readonly verdicts: Record<string, number> = {};
  /** The earliest reward epoch a verdict of this run counts in. */
  minEpoch = Infinity;

  /** Counts each update under its item's kind and its verdict; `items` hold the updated items. */
  count(items: readonly { readonly id: Uint8Array; readonly kind: string }[], updates: readonly VerdictUpdate[]): void {
    const kinds = new Map(items.map((item) => [item.id, item.kind]));
    for (const u of updates) {
      if (u.epoch !== undefined && u.epoch < this.minEpoch) this.minEpoch = u.epoch;
      const key = `${kinds.get(u.id)} ${u.status} ${reasonName(u.reason)}`;
      this.verdicts[key] = (this.verdicts[key] ?? 0) + 1;
    }
  }
}

export interface RunResult {
  /** Items given a verdict in this run. */
  readonly judged: number;
  /** Verdicts given or changed in this run, keyed "kind status reason" (e.g. "witness invalid too_late"). */
  readonly verdicts: Readonly<Record<string, number>>;
  /** Reward epochs closed in this run. */
  readonly closedEpochs: readonly number[];
}

/**
 * What the oracle needs of its verifier: a VerifierRunner here, or something that runs one elsewhere
 * (the simulator runs it on a thread beside the database's, host-sim/oracle/store-thread.ts).
 */
export interface OracleJudge {
  /** Items waiting for a verdict, as far as this side knows. */
  readonly pendingCount: number;
  /** Items ingest has just stored. */
  admit(items: readonly UploadedItem[]): void;
  runOnce(nowMs?: number, closeAtMs?: number): Promise<RunResult>;
  /** Runs on the clock's timer from now on. */
  start(): void;
  stop(): void;
  /** Resolves when the run in progress (if any) has finished. */
  settled(): Promise<void>;
}

export interface VerifierRunnerOptions {
  readonly store: OracleStore;
  readonly config: OracleConfig;
  readonly clock: OracleClock;
  /** Called after each run that did something (metrics, logs). */
  readonly onRun?: (result: RunResult) => void;
  /** Called when a run fails; the next run retries. */
  readonly onError?: (error: unknown) => void;
}

export class VerifierRunner implements OracleJudge {
  private readonly timer: Repeating;
  private busy: Promise<RunResult> | undefined;
  /** Pending items by group; loaded from the store by the first run. */
  private pending: PendingGroups | undefined;
  /** Beacon reports stored since the first run (for the beacon-interval check); made by the first run. */
  private recent: RecentBeacons | undefined;
  /**
   * The first open epoch and when it can close, as last found: until then no epoch can close unless a
   * verdict lands in an earlier epoch, so runs need not ask the store.
   */
  private nextClose: { readonly epoch: number; readonly atMs: number } | undefined;

  constructor(private readonly options: VerifierRunnerOptions) {
    // The next run is timed from the end of this one.
    this.timer = new Repeating(options.clock, options.config.verifyEveryMs, (again) => {
      this.runOnce().catch((error: unknown) => options.onError?.(error)).finally(again);
    });
  }

  /** Items waiting for a verdict, as far as this runner knows (0 before its first run). */
  get pendingCount(): number {
    return this.pending?.size ?? 0;
  }

  /**
   * Items ingest has just stored: the PoC ones wait here for their verdict instead of being read back.
   * Mapper items are not proof of coverage and are passed over: they never get a verdict.
   */
  admit(items: readonly UploadedItem[]): void {
    // Before the first run nothing is held: the first run loads every pending item from the store.
    if (this.pending === undefined) return;
    for (const item of items) {
      if (!isPocItem(item)) continue;
      const pending = pendingItem(item);
      if (this.pending.add(pending)) this.recent?.add(pending);
    }
  }

  /**
   * Judges what is ready as of `nowMs` and closes the epochs that are over as of `closeAtMs` (both default
   * to the clock). Verdicts are stamped with the clock's time either way. `covey verify --now end` judges
   * everything at once but closes only epochs already over, so no epoch closes before its last group.
   */
  runOnce(nowMs = this.options.clock.wallMs(), closeAtMs = nowMs): Promise<RunResult> {
    // One run at a time: a timer tick during a long run waits for it instead of judging twice.
    const run = (this.busy ?? Promise.resolve()).catch(() => undefined).then(() => this.run(nowMs, closeAtMs)).then((result) => {
      if (result.judged > 0 || result.closedEpochs.length > 0) this.options.onRun?.(result);
      return result;
    });
    this.busy = run;
    return run;
  }

  start(): void {
    this.timer.start();
  }

  stop(): void {
    this.timer.stop();
  }

  /** Resolves when the run in progress (if any) has finished. */
  async settled(): Promise<void> {
    await this.busy?.catch(() => undefined);
  }

  private async run(nowMs: number, closeAtMs: number): Promise<RunResult> {
    if (this.pending === undefined) {
      // Every beacon report received after this moment will pass through admit(): memory covers them.
      this.recent = new RecentBeacons(this.options.clock.wallMs() + 1);
      this.pending = await this.load();
    }
    const pending = this.pending;
    const cache = new RunCache();
    let judged = 0;
    try {
      for (const entry of pending.takeDue(nowMs)) {
        if (!(await this.isReady(entry, nowMs))) {
          // Not ready only while its beacon report is missing: ready then at unknownBeaconAfterMs, or
          // sooner if the report comes (PendingGroups.add schedules it again).
          pending.schedule(entry, entry.firstReceivedMs + this.options.config.unknownBeaconAfterMs);
          continue;
        }
        pending.remove(entry);
        judged += await this.judge(entry, cache);
        if (cache.pending.length >= VERDICTS_PER_WRITE) await this.flush(cache);
      }
      await this.flush(cache);
    } catch (error) {
      // What was taken out of memory may not have been written: start again from the store.
      this.pending = undefined;
      this.recent = undefined;
      this.nextClose = undefined;
      throw error;
    }
    // No beacon judged from now on can be received before this (the oldest that can still be judged
    // arrived up to unknownBeaconAfterMs ago) and look further back than beaconIntervalMs.
    const { beaconIntervalMs, unknownBeaconAfterMs } = this.options.config;
    this.recent?.forget(nowMs - unknownBeaconAfterMs - beaconIntervalMs);
    const closedEpochs = await this.closeEpochs(closeAtMs, cache);
    return { judged, verdicts: cache.verdicts, closedEpochs };
  }

  /** Every pending item in the store, by group. */
  private async load(): Promise<PendingGroups> {
    const pending = new PendingGroups(this.options.config.maxWitnessLagMs);
    for (const item of await this.options.store.pendingItems()) pending.add(item);
    return pending;
  }

  private async flush(cache: RunCache): Promise<void> {
    if (cache.pending.length === 0) return;
    const updates = cache.pending;
    cache.pending = [];
    await this.options.store.saveVerdicts(updates);
  }

  /**
   * Ready: maxWitnessLagMs after the first report when the beacon report is pending too, or when the
   * store already judged this digest (late witnesses of a judged beacon); unknownBeaconAfterMs otherwise.
   */
  private async isReady(entry: PendingEntry, nowMs: number): Promise<boolean> {
    const { maxWitnessLagMs, unknownBeaconAfterMs } = this.options.config;
    if (nowMs < entry.firstReceivedMs + maxWitnessLagMs) return false;
    if (entry.hasBeacon || nowMs >= entry.firstReceivedMs + unknownBeaconAfterMs) return true;
    entry.judgedInStore ??= await this.options.store.hasJudged(entry.digest);
    return entry.judgedInStore;
  }

  private async judge(entry: PendingEntry, cache: RunCache): Promise<number> {
    const { store, config } = this.options;
    const nowMs = this.options.clock.wallMs();
    // Judged items of the digest are context (an earlier beacon report, witnesses already counted).
    entry.judgedInStore ??= await store.hasJudged(entry.digest);
    const items = entry.judgedInStore ? await store.group(entry.digest) : entry.items;
    const beacon = items.find((item) => item.kind === 'beacon');
    const hotspots = await this.hotspotsOf(items, cache);
    const entropy = beacon?.entropyEpoch === undefined ? undefined : await this.entropyOf(beacon.entropyEpoch, cache);
    const earlierBeacons = beacon === undefined ? [] : await this.otherBeacons(beacon);
    const updates = judgeGroup(items, { config, nowMs, hotspots, entropy, earlierBeacons });
    cache.pending.push(...updates);
    cache.count(items, updates);
    return updates.length;
  }

  /** The registry entries of the group's uploaders, from the run's cache where it has them. */
  private async hotspotsOf(items: readonly StoredItem[], cache: RunCache): Promise<Map<string, HotspotRecord>> {
    const found = new Map<string, HotspotRecord>();
    const missing = new Map<string, Uint8Array>();
    for (const item of items) {
      const hex = hexOf(item.uploader);
      const cached = cache.hotspots.get(hex);
      if (cached === undefined) missing.set(hex, item.uploader);
      else if (cached !== null) found.set(hex, cached);
    }
    if (missing.size > 0) {
      const read = await this.options.store.hotspots([...missing.values()]);
      for (const hex of missing.keys()) {
        const record = read.get(hex);
        cache.hotspots.set(hex, record ?? null);
        if (record !== undefined) found.set(hex, record);
      }
    }
    return found;
  }

  private async entropyOf(epoch: number, cache: RunCache): Promise<EntropyRecord | undefined> {
    let record = cache.entropy.get(epoch);
    if (record === undefined) {
      record = (await this.options.store.entropy(epoch)) ?? null;
      cache.entropy.set(epoch, record);
    }
    return record ?? undefined;
  }

  private async otherBeacons(beacon: StoredItem): Promise<StoredItem[]> {
    const { beaconIntervalMs } = this.options.config;
    const [fromMs, toMs] = [beacon.receivedMs - beaconIntervalMs, beacon.receivedMs + beaconIntervalMs + 1];
    const around = this.recent?.around(beacon.uploader, fromMs, toMs) ?? await this.options.store.beaconsOf(beacon.uploader, fromMs, toMs);
    return around.filter((other) => !equalBytes(other.id, beacon.id));
  }

  private async closeEpochs(nowMs: number, cache: RunCache): Promise<number[]> {
    const { store, config } = this.options;
    const closed: number[] = [];
    const settleMs = config.unknownBeaconAfterMs + config.maxWitnessLagMs;
    const known = this.nextClose;
    if (known !== undefined && nowMs < known.atMs && cache.minEpoch >= known.epoch) return closed;
    this.nextClose = undefined;
    for (;;) {
      const epoch = await store.firstOpenEpoch();
      if (epoch === undefined) {
        this.nextClose = { epoch: Infinity, atMs: Infinity };
        break;
      }
      const atMs = (epoch + 1) * config.rewardEpochMs + settleMs;
      if (nowMs < atMs) {
        this.nextClose = { epoch, atMs };
        break;
      }
      await this.closeEpoch(epoch, this.options.clock.wallMs(), cache);
      closed.push(epoch);
    }
    return closed;
  }

  private async closeEpoch(epoch: number, nowMs: number, cache: RunCache): Promise<void> {
    const { store, config } = this.options;
    const items = await store.epochItems(epoch);
    const keys = new Map<string, Uint8Array>();
    for (const item of items) keys.set(hexOf(item.uploader), item.uploader);
    const epochStart = epoch * config.rewardEpochMs;
    const facts = await store.reciprocity([...keys.values()], epochStart - config.reciprocityWindowMs, epochStart + config.rewardEpochMs);
    // HIP-17 counts the hotspots active in the epoch (those with a valid beacon: epoch.ts) by their asserted cells.
    const hotspots = config.hexDensityScaling ? new Map((await store.allHotspots()).map((h) => [hexOf(h.key), h])) : undefined;
    const { updates, rewards } = closeEpochVerdicts(items, facts, { config, nowMs, epoch, hotspots });
    await store.closeEpoch(epoch, nowMs, updates, rewards);
    cache.count(items, updates);
  }
}

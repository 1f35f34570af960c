/**
 * The uploader: drains the RecordQueue to the oracle in UploadBatches (docs/protocol.md §4.5, §5) and
 * removes what the oracle acknowledges. docs/firmware.md describes its states and retry schedule.
 *
 * - Prompt: the oracle judges witness lag on its own receive time, so new records go out within
 *   `coalesceMs` of `notify()`; a burst of notifications inside that delay makes one batch.
 * - One request at a time, one batch in memory: the batch is built from `queue.peek()` when it is sent
 *   (the records are let go once the body is built) and dropped when its answer has been handled.
 * - Drains a backlog batch after batch (each waits for the previous answer) while the queue has records.
 * - Idempotent: an item keeps its id whenever it is resent, so a batch resent after a lost answer comes
 *   back as duplicates, which are removed like stored ones.
 * - Retries with exponential backoff and jitter (backoff.ts); `notify()` does not cut a backoff short.
 */
import { reasonName } from '../proofs/reasons.js';
import { MAX_BATCH_ITEMS } from '../proofs/batch.js';
import { assertBytes } from '../proofs/bytes.js';
import { backoffFrom, retryDelayMs, type Backoff, type BackoffOptions } from './backoff.js';
import type { RecordQueue, UploadTrigger } from './components.js';
import { baseUrl } from './http-answer.js';
import type { Clock, Http, Log, Rng, TimerHandle } from './ports.js';
import { countAck, countRejection, newUploaderStats, type UploaderStats } from './upload-stats.js';
import {
  applyAck, outcomeOfFailure, postBatch, prepareBatch, readAck,
  type AckCounts, type PreparedBatch, type UploadOutcome, type UploadTarget,
} from './upload-exchange.js';

export interface UploaderOptions {
  readonly queue: RecordQueue;
  readonly http: Http;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Log;
  /** The oracle's base URL, e.g. "http://oracle.example:8080". */
  readonly oracleUrl: string;
  /** The hotspot's 32-byte public key: every queued item is signed with it. */
  readonly uploader: Uint8Array;
  /** Most items in one batch, 1–256. Default 50. */
  readonly maxBatchItems?: number;
  /** Request timeout, ms. Default 15,000. */
  readonly timeoutMs?: number;
  /** Delay between `notify()` and the upload, gathering a burst into one batch, ms. Default 500. */
  readonly coalesceMs?: number;
  readonly backoff?: BackoffOptions;
  /** Called when the oracle answers 403 `unknown_hotspot`: onboard, then the batch is retried. */
  readonly onUnknownHotspot?: () => Promise<void>;
}

export const UPLOADER_DEFAULTS = { maxBatchItems: 50, timeoutMs: 15_000, coalesceMs: 500 } as const;

/** A Retry-After beyond this is taken as this: a broken header must not silence a hotspot for days. */
export const RETRY_AFTER_CAP_MS = 24 * 3_600_000;
export type { UploaderStats };
export { MAX_REASON_NAMES } from './upload-stats.js';

export type UploaderState = 'stopped' | 'idle' | 'waiting' | 'sending' | 'backingOff';

function batchItemsFrom(value: number | undefined): number {
  const items = value ?? UPLOADER_DEFAULTS.maxBatchItems;
  if (!Number.isInteger(items) || items < 1 || items > MAX_BATCH_ITEMS) {
    throw new RangeError(`maxBatchItems must be 1..${MAX_BATCH_ITEMS}`);
  }
  return items;
}

function wholeMs(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number of ms ≥ 0`);
  return value;
}

export class Uploader implements UploadTrigger {
  readonly stats: UploaderStats;
  private readonly queue: RecordQueue;
  private readonly clock: Clock;
  private readonly rng: Rng;
  private readonly log: Log;
  private readonly target: UploadTarget;
  private readonly maxBatchItems: number;
  private readonly coalesceMs: number;
  private readonly backoff: Backoff;
  private readonly onUnknownHotspot: (() => Promise<void>) | undefined;
  private readonly fire: () => void;
  private running: boolean;
  private inFlight: boolean;
  private timer: TimerHandle | undefined;
  /** The pending timer is a retry after a failure, which notify() leaves alone. */
  private retryPending: boolean;
  private batchLimit: number;
  /** True once onboarding was tried since the last ack: a second 403 then waits out a backoff. */
  private onboardedSinceAck: boolean;

  constructor(options: UploaderOptions) {
    this.queue = options.queue;
    this.clock = options.clock;
    this.rng = options.rng;
    this.log = options.log;
    this.target = {
      http: options.http,
      url: `${baseUrl(options.oracleUrl)}/v1/receipts`,
      uploader: assertBytes(options.uploader, 32, 'uploader'),
      timeoutMs: wholeMs(options.timeoutMs ?? UPLOADER_DEFAULTS.timeoutMs, 'timeoutMs'),
    };
    this.maxBatchItems = batchItemsFrom(options.maxBatchItems);
    this.batchLimit = this.maxBatchItems;
    this.coalesceMs = wholeMs(options.coalesceMs ?? UPLOADER_DEFAULTS.coalesceMs, 'coalesceMs');
    this.backoff = backoffFrom(options.backoff);
    this.onUnknownHotspot = options.onUnknownHotspot;
    // Assigned here rather than as field initializers: device code keeps to plain constructor
    // assignments (docs/protocol.md §3, "Class fields must be lowered for XS").
    this.running = false;
    this.inFlight = false;
    this.timer = undefined;
    this.retryPending = false;
    this.onboardedSinceAck = false;
    this.stats = newUploaderStats();
    this.fire = () => {
      this.timer = undefined;
      this.retryPending = false;
      this.sendBatch().catch((error: unknown) => this.onCrash(error));
    };
  }

  get state(): UploaderState {
    if (!this.running) return 'stopped';
    if (this.inFlight) return 'sending';
    if (this.timer === undefined) return 'idle';
    return this.retryPending ? 'backingOff' : 'waiting';
  }

  /** Items per batch now: maxBatchItems, halved after each 413 until the next start(). */
  get batchItems(): number {
    return this.batchLimit;
  }

  /** Starts uploading; sends what the queue already holds (records kept across a reboot). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.batchLimit = this.maxBatchItems;
    this.notify();
  }

  /** Stops: no request starts after this. An answer already on its way is still applied to the queue. */
  stop(): void {
    this.running = false;
    this.cancelTimer();
  }

  /** New records were queued: upload them soon, together with any that follow within `coalesceMs`. */
  notify(): void {
    if (!this.running || this.inFlight || this.timer !== undefined || this.queue.size === 0) return;
    this.schedule(this.coalesceMs, false);
  }

  private schedule(delayMs: number, retry: boolean): void {
    this.cancelTimer();
    this.retryPending = retry;
    this.timer = this.clock.setTimer(this.fire, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.retryPending = false;
  }

  private async sendBatch(): Promise<void> {
    if (!this.running || this.inFlight) return;
    const batch = this.nextBatch();
    if (batch === undefined) return;
    this.inFlight = true;
    try {
      this.stats.batchesSent++;
      const answer = await postBatch(this.target, batch);
      const outcome = typeof answer !== 'string' && answer.status === 200
        ? this.acknowledge(batch, readAck(answer, batch.seqs.length))
        : outcomeOfFailure(answer);
      await this.decide(outcome);
    } finally {
      this.inFlight = false;
    }
  }

  /** The oldest records as a batch; in its own function so the records are not held across the request. */
  private nextBatch(): PreparedBatch | undefined {
    const records = this.queue.peek(this.batchLimit);
    return records.length === 0 ? undefined : prepareBatch(this.target.uploader, records);
  }

  /** Applies a decoded ack (or notes why there is none) and says how the exchange went. */
  private acknowledge(batch: PreparedBatch, ack: ReturnType<typeof readAck>): UploadOutcome {
    if (typeof ack === 'string') return { kind: 'failed', error: ack };
    const batchReasons: Record<string, number> = {};
    const counts = applyAck(this.queue, batch, ack, (reason) => {
      const name = reasonName(reason);
      batchReasons[name] = (batchReasons[name] ?? 0) + 1;
      countRejection(this.stats, name);
    });
    this.recordAck(counts, batchReasons);
    const removed = counts.stored + counts.duplicate + counts.rejected;
    return removed > 0 ? { kind: 'acked', removed } : { kind: 'failed', error: 'MalformedAck: lists no item of the batch' };
  }

  private recordAck(counts: AckCounts, batchReasons: Record<string, number>): void {
    countAck(this.stats, counts);
    this.log.write('debug', 'upload acknowledged', {
      stored: counts.stored, duplicate: counts.duplicate, rejected: counts.rejected, queued: this.queue.size,
    });
    for (const reason in batchReasons) {
      this.log.write('warn', 'upload: items rejected', { reason, count: batchReasons[reason] });
    }
  }

  /** Chooses what follows an exchange, and when (docs/firmware.md, "Uploader"). */
  private async decide(outcome: UploadOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'acked':
        this.stats.consecutiveFailures = 0;
        this.stats.lastUploadWallMs = this.clock.wallMs();
        this.onboardedSinceAck = false;
        if (this.running && this.queue.size > 0) this.schedule(0, false);
        return;
      case 'tooLarge':
        return this.shrinkBatch();
      case 'unknownHotspot':
        return this.onboardThenRetry();
      case 'rateLimited':
        return this.rateLimited(outcome.retryAfterMs);
      case 'failed':
        return this.retryLater('warn', 'upload failed', outcome.error);
      case 'refused':
        return this.retryLater('error', 'upload refused; firmware or key trouble', outcome.error);
    }
  }

  private shrinkBatch(): void {
    if (this.batchLimit === 1) return this.retryLater('error', 'upload too large', 'Status 413 with one item');
    this.batchLimit = Math.max(1, this.batchLimit >> 1);
    this.stats.lastError = 'Status 413';
    this.log.write('warn', 'upload too large; smaller batches', { batchItems: this.batchLimit });
    if (this.running) this.schedule(0, false);
  }

  private async onboardThenRetry(): Promise<void> {
    const onboard = this.onUnknownHotspot;
    if (onboard === undefined) return this.retryLater('error', 'hotspot unknown to the oracle', 'Status 403');
    const firstTry = !this.onboardedSinceAck;
    this.onboardedSinceAck = true;
    this.log.write('warn', 'hotspot unknown to the oracle; onboarding', {});
    try {
      await onboard();
    } catch (error) {
      return this.retryLater('warn', 'onboarding failed', `Onboard: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!firstTry) return this.retryLater('warn', 'hotspot still unknown after onboarding', 'Status 403');
    this.stats.lastError = 'Status 403';
    if (this.running) this.schedule(0, true);
  }

  private rateLimited(retryAfterMs: number | undefined): void {
    if (retryAfterMs === undefined) return this.retryLater('warn', 'upload rate limited', 'Status 429');
    this.stats.consecutiveFailures++;
    this.stats.lastError = 'Status 429';
    const delayMs = Math.min(RETRY_AFTER_CAP_MS, Math.max(this.backoff.floorMs, retryAfterMs));
    this.log.write('warn', 'upload rate limited', { retryInMs: delayMs });
    if (this.running) this.schedule(delayMs, true);
  }

  private retryLater(level: 'warn' | 'error', message: string, error: string): void {
    const failures = ++this.stats.consecutiveFailures;
    this.stats.lastError = error;
    const delayMs = retryDelayMs(this.backoff, failures, this.rng);
    this.log.write(level, message, { error, failures, retryInMs: delayMs });
    if (this.running) this.schedule(delayMs, true);
  }

  /** A fault in the queue or a port: logged and retried like a failed exchange, never thrown into a timer. */
  private onCrash(error: unknown): void {
    this.retryLater('error', 'upload crashed', `Crash: ${error instanceof Error ? error.message : String(error)}`);
  }
}

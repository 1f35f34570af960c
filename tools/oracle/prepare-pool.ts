/**
 * Worker threads that decode and verify upload batches, so that signature checks use every core
 * while the main thread serves HTTP and writes the database (which SQLite wants from one thread).
 * Batches go to the least busy worker; a worker that dies is replaced and its batches fail (their
 * uploads get 500 and are retried by the hotspots, which keep everything until acknowledged).
 * Workers that die before they ever answer (their module cannot load, say) are replaced only a few
 * times: after that the pool has `failure`, tells `onFailure`, and refuses work rather than starting
 * threads in a loop.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PreparedBatch } from './ingest-prepare.js';
import { unpackBatch, type PackedBatch } from './prepared-wire.js';

interface Pending {
  resolve(prepared: PreparedBatch): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  /** It has answered at least once, so it started. */
  answered: boolean;
}

export interface PreparePoolOptions {
  /** The worker's module; default: prepare-worker. */
  readonly workerUrl?: URL;
  /** Told once when workers cannot start (see `failure`). */
  readonly onFailure?: (error: Error) => void;
}

/** Workers in a row that may die before their first answer before the pool gives up. */
const MAX_START_FAILURES = 3;

// From the TypeScript sources (tsx, jest) the worker needs tsx's loader registered in its own thread.
// The path, not the URL: tsx's tsImport (bin/covey.js) adds a query to the modules it loads.
const WORKER_URL = new URL(import.meta.url).pathname.endsWith('.ts')
  ? new URL('./prepare-worker-tsx.mjs', import.meta.url)
  : new URL('./prepare-worker.js', import.meta.url);

export class PreparePool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private startFailures = 0;
  private readonly workerUrl: URL;
  /** Why the workers cannot start, once the pool has given up on them. */
  failure: Error | undefined;

  /** @param size worker threads; default: one per core */
  constructor(readonly size = availableParallelism(), private readonly options: PreparePoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a prepare pool needs at least one worker');
    this.workerUrl = options.workerUrl ?? WORKER_URL;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  prepare(body: Uint8Array): Promise<PreparedBatch> {
    if (this.closed) return Promise.reject(new Error('the prepare pool is closed'));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const slot = this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, body });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { worker, pending: new Map(), answered: false };
    worker.on('message', (message: { id: number; packed?: PackedBatch; error?: string }) => {
      slot.answered = true;
      this.startFailures = 0;
      const pending = slot.pending.get(message.id);
      slot.pending.delete(message.id);
      if (message.packed !== undefined) pending?.resolve(unpackBatch(message.packed));
      else pending?.reject(new Error(message.error ?? 'the worker failed'));
    });
    worker.on('error', (error) => this.replace(slot, error));
    return slot;
  }

  private replace(slot: Slot, error: Error): void {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
    const index = this.slots.indexOf(slot);
    if (this.closed || index < 0 || this.failure !== undefined) return;
    if (!slot.answered && ++this.startFailures >= MAX_START_FAILURES) {
      this.failure = new Error(`the prepare workers cannot start: ${error.message}`, { cause: error });
      for (const other of this.slots) for (const pending of other.pending.values()) pending.reject(this.failure);
      this.options.onFailure?.(this.failure);
      return;
    }
    this.slots[index] = this.spawn();
  }
}

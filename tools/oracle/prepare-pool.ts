/**
 * Worker threads that decode and verify upload batches, so that signature checks use every core
 * while the main thread serves HTTP and writes the database (which SQLite wants from one thread).
 * Batches go to the least busy worker; a worker that dies is replaced and its batches fail (their
 * uploads get 500 and are retried by the hotspots, which keep everything until acknowledged).
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
}

// From the TypeScript sources (tsx, jest) the worker needs tsx's loader registered in its own thread.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./prepare-worker-tsx.mjs', import.meta.url)
  : new URL('./prepare-worker.js', import.meta.url);

export class PreparePool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;

  /** @param size worker threads; default: one per core */
  constructor(readonly size = availableParallelism()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('a prepare pool needs at least one worker');
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  prepare(body: Uint8Array): Promise<PreparedBatch> {
    if (this.closed) return Promise.reject(new Error('the prepare pool is closed'));
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
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (message: { id: number; packed?: PackedBatch; error?: string }) => {
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
    if (!this.closed && index >= 0) this.slots[index] = this.spawn();
  }
}

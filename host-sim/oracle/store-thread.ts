/**
 * The simulated oracle's database and verifier on a thread of their own (`covey sim --ingest in-process`).
 *
 * Storing items and judging them is about a quarter of the work of a large run, and none of it changes
 * what any hotspot sees: an upload's answer depends only on what the oracle has stored before (stored or
 * duplicate), on the registry and on entropy. So the main thread keeps those in memory (MirrorStore) and
 * answers at once, and every write goes, in order, to a worker thread that owns the SQLite file and runs
 * the verifier on it (store-worker.ts), on the main thread's virtual clock: a verifier run is a message
 * carrying the virtual time it happens at. The worker handles messages one at a time in the order they
 * were sent, so the database ends as a run on one thread would leave it, and the same scenario and seed
 * give the same result. When the hotspots stop, the main thread ends the worker and takes the database
 * and the verifier back (MirrorStore.takeOver, RemoteJudge.takeOver) to close the run's reward epochs.
 *
 * An ack is given before the item is in the database: a real oracle must never do that, since a power
 * cut would lose what it acknowledged (docs/oracle.md). A simulated oracle has no power to lose.
 *
 * The worker checks that it stored exactly the items the main thread said were new. Any failure there
 * (that check, a write refused by the database) stops the worker's writes; `failure` holds it, and
 * flush() and close() reject with it, so the run fails rather than reports what was not stored.
 */
import { Worker } from 'node:worker_threads';
import type { UploadedItem } from '../../tools/oracle/model.js';
import { chunkBuffers, InsertChunkWriter } from './insert-chunk.js';
import type { Answer, Numbered, ToMainBatch, ToWorker, ToWorkerBatch, WorkerSetup } from './store-wire.js';

/** Items and other messages held before they are sent to the worker together. */
const HELD_MESSAGES = 1024;

// From the TypeScript sources (tsx, jest) the worker needs tsx's loader registered in its own thread.
const WORKER_URL = new URL(import.meta.url).pathname.endsWith('.ts')
  ? new URL('./store-worker-tsx.mjs', import.meta.url)
  : new URL('./store-worker.js', import.meta.url);

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The worker, and the ordered stream of messages to it. */
export class StoreThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private readonly exited: Promise<void>;
  private held: Numbered[] = [];
  /** The items of the held insert messages, sent with them. */
  private readonly chunk = new InsertChunkWriter();
  /** Where in `chunk` the items not yet in a held insert message begin. */
  private insertFrom = 0;
  /** Messages and items held. */
  private heldCount = 0;
  private closing: Promise<void> | undefined;
  private ended = false;
  private closeSent = false;
  /** Why the worker stopped writing, if it did. */
  failure: Error | undefined;

  private constructor(setup: WorkerSetup) {
    this.worker = new Worker(WORKER_URL, { workerData: setup });
    this.worker.on('message', ({ answers, chunk }: ToMainBatch) => {
      if (chunk !== undefined) this.chunk.recycle(chunk);
      for (const answer of answers) this.receive(answer);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => {
      this.ended = true;
      if (this.closing !== undefined) this.fail(new Error("the oracle's database thread has closed"), false);
      else this.fail(new Error(`the oracle's database thread stopped (exit code ${code})`));
      resolve();
    }));
  }

  /** Starts the worker; messages wait for it to load (ready() says when it has opened the database). */
  static start(setup: WorkerSetup): StoreThread {
    return new StoreThread(setup);
  }

  /** Resolves once the worker has opened the database, rejects if it could not. */
  ready(): Promise<void> {
    return this.request({ op: 'sync' });
  }

  /**
   * Sends without waiting for an answer; a failure shows in `failure`. Such messages are held and sent
   * many at a time (a postMessage costs tens of microseconds, most of what sending one upload's items
   * would cost); a request sends what is held first.
   */
  post(message: ToWorker): void {
    if (this.failure !== undefined) return;
    this.endInsert();
    this.held.push({ ...message, id: 0 });
    if (++this.heldCount >= HELD_MESSAGES) this.send();
  }

  /** Passes items on to be stored, `fresh` saying which ingest counted new. */
  insert(items: readonly UploadedItem[], fresh: readonly boolean[]): void {
    if (this.failure !== undefined) return;
    this.chunk.add(items, fresh);
    this.heldCount += items.length;
    if (this.heldCount >= HELD_MESSAGES) this.send();
  }

  /** Sends, and resolves with the worker's answer once it has handled everything sent before. */
  request<T>(message: ToWorker): Promise<T> {
    const answer = this.hold<T>(message);
    this.send();
    return answer;
  }

  /**
   * Like request(), but the message is held with the others until they are sent: for answers no one
   * waits on (a verifier run), which would otherwise cost a postMessage each way. sendHeld() sends it
   * now if it turns out someone does wait.
   */
  requestLater<T>(message: ToWorker): Promise<T> {
    const answer = this.hold<T>(message);
    if (++this.heldCount >= HELD_MESSAGES) this.send();
    return answer;
  }

  /** Sends what is held. */
  sendHeld(): void {
    if (this.failure === undefined && !this.ended && !this.closeSent) this.send();
  }

  /** Closes the database and ends the worker; rejects with `failure` if there was one. Once is enough. */
  close(): Promise<void> {
    this.closing ??= this.end();
    return this.closing;
  }

  private async end(): Promise<void> {
    if (this.failure === undefined && !this.ended) {
      const closed = this.request({ op: 'close' });
      this.closeSent = true;
      await closed.catch(() => undefined);
    } else {
      await this.worker.terminate();
    }
    await this.exited;
    if (this.failure !== undefined) throw this.failure;
  }

  private hold<T>(message: ToWorker): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended || this.closeSent) return Promise.reject(new Error("the oracle's database thread has closed"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.endInsert();
      this.held.push({ ...message, id });
    });
  }

  /** Ends the run of items written since the last message, so that what comes next follows them. */
  private endInsert(): void {
    if (this.chunk.size === this.insertFrom) return;
    this.held.push({ op: 'insert', from: this.insertFrom, to: this.chunk.size, id: 0 });
    this.insertFrom = this.chunk.size;
  }

  private send(): void {
    this.endInsert();
    if (this.held.length === 0) return;
    const batch = this.held;
    this.held = [];
    this.heldCount = 0;
    const chunk = this.chunk.size > 0 ? this.chunk.take() : undefined;
    this.insertFrom = 0;
    const transfer = chunk === undefined ? [] : chunkBuffers(chunk);
    this.worker.postMessage({ batch, chunk } satisfies ToWorkerBatch, transfer);
  }

  private receive(message: Answer): void {
    if ('failure' in message) {
      this.fail(new Error(`the simulated oracle's database: ${message.failure}`));
      return;
    }
    const waiting = this.waiting.get(message.id);
    if (waiting === undefined) return;
    this.waiting.delete(message.id);
    if ('error' in message) waiting.reject(new Error(message.error));
    else waiting.resolve(message.value);
  }

  private fail(error: Error, sticky = true): void {
    if (sticky) this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(error);
    this.waiting.clear();
  }
}

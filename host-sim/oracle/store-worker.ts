/**
 * The simulated oracle's database thread (store-thread.ts): owns the SQLite file and the verifier, and
 * handles the main thread's messages strictly one after another, in the order they were sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OracleClock } from '../../tools/oracle/clock.js';
import { hexOf } from '../../tools/oracle/hex.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { VerifierRunner } from '../../tools/oracle/verifier/runner.js';
import { chunkBuffers, readInsertChunk, type InsertChunk } from './insert-chunk.js';
import type { Answer, Numbered, ToMainBatch, ToWorker, ToWorkerBatch, WorkerSetup } from './store-wire.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;
// A quarter of the page cache the oracle has elsewhere: this thread has time to spare for reads from disk,
// and what its allocations leave behind stays in the process after the thread ends.
const store = SqliteStore.open(setup.dbPath, { backgroundCheckpoints: true, holdCommitsFor: setup.holdCommitsFor, cacheMiB: 16 });

/** The virtual time of the verifier run in progress: the verifier asks the clock for nothing else. */
let runAtMs = Number.NaN;
const clock: OracleClock = {
  wallMs: () => runAtMs,
  setTimer: () => {
    throw new Error("the oracle's database thread has no timers: its verifier runs when the main thread says");
  },
  clearTimer: () => undefined,
};

let runner: VerifierRunner | undefined;
let failed = false;
let queue: Promise<void> = Promise.resolve();
/** Answers to the batch being handled, posted together once it is done. */
let answers: Answer[] = [];

port.on('message', ({ batch, chunk }: ToWorkerBatch) => {
  for (const message of batch) queue = queue.then(() => handle(message, chunk));
  queue = queue.then(() => postAnswers(chunk));
});

async function handle(message: Numbered, chunk: InsertChunk | undefined): Promise<void> {
  if (failed) {
    if (message.id !== 0) answer({ id: message.id, error: 'the database thread stopped after a failed write' });
    return;
  }
  try {
    const value = await act(message, chunk);
    if (message.id !== 0) answer({ id: message.id, value });
    if (message.op === 'close') {
      postAnswers(undefined);
      port.close();
    }
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (message.id !== 0 && message.op !== 'insert') {
      answer({ id: message.id, error: text });
      return;
    }
    failed = true;
    answer({ failure: text });
  }
}

async function act(message: ToWorker, chunk: InsertChunk | undefined): Promise<unknown> {
  switch (message.op) {
    case 'insert':
      if (chunk === undefined) throw new Error('an insert message came without its items');
      return insert(chunk, message.from, message.to);
    case 'call': {
      const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[message.method];
      if (typeof method !== 'function') throw new Error(`the store has no method ${message.method}`);
      return method.apply(store, message.args as unknown[]);
    }
    case 'judge':
      runner = new VerifierRunner({ store, config: message.config, clock });
      return undefined;
    case 'run': {
      if (runner === undefined) throw new Error('a verifier run before the verifier was made');
      runAtMs = message.nowMs;
      const result = await runner.runOnce(message.nowMs, message.closeAtMs);
      return { result, pendingCount: runner.pendingCount };
    }
    case 'sync':
      return undefined;
    case 'close':
      await store.close();
      return undefined;
  }
}

async function insert(chunk: InsertChunk, from: number, to: number): Promise<void> {
  const { items, fresh: expected } = readInsertChunk(chunk, from, to);
  const fresh = await store.insertItems(items);
  for (let i = 0; i < items.length; i++) {
    if (fresh[i] !== expected[i]) {
      throw new Error(`item ${hexOf(items[i].id)} was ${fresh[i] ? 'new' : 'a duplicate'} to the database ` +
        `but ${fresh[i] ? 'a duplicate' : 'new'} to the simulator's ingest`);
    }
  }
  runner?.admit(items.filter((_, i) => fresh[i]));
}

function answer(message: Answer): void {
  answers.push(message);
}

/** Posts the answers to a batch, and hands its chunk's buffers back to be written again (insert-chunk.ts). */
function postAnswers(chunk: InsertChunk | undefined): void {
  if (answers.length === 0 && chunk === undefined) return;
  if (chunk === undefined) port.postMessage({ answers } satisfies ToMainBatch);
  else port.postMessage({ answers, chunk } satisfies ToMainBatch, chunkBuffers(chunk));
  answers = [];
}

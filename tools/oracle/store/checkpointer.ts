/**
 * Background WAL checkpoints for the SQLite store. A checkpoint copies the pages committed to the WAL
 * back into the database file and syncs both to disk; when the connection that writes runs it (SQLite's
 * automatic checkpoint), every upload and verifier run that happens to cross the threshold waits for
 * that sync. Here a second connection on a thread of its own checkpoints on a short period instead, so
 * the writer never waits for the disk, and committed data reaches it within about one period.
 *
 * The writer keeps SQLite's automatic checkpoint as a backstop: if this thread stops or falls behind,
 * the WAL is still checkpointed when it grows past wal_autocheckpoint pages (sqlite-store.ts).
 * PASSIVE checkpoints never block the writer or readers (sqlite.org/c3ref/wal_checkpoint_v2.html).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpoint thread runs, ms of wall time. */
export const CHECKPOINT_EVERY_MS = 500;

// CommonJS, evaluated in the worker: it needs nothing but better-sqlite3, whose path it is given.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the database at `path` (a file, already in WAL mode) every `everyMs`.
 * `onError` hears about failed checkpoints (the next period tries again).
 */
export function startCheckpointer(path: string, onError: (message: string) => void = () => undefined, everyMs = CHECKPOINT_EVERY_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs } });
  worker.on('message', (message: { error?: string }) => {
    if (message.error !== undefined) onError(message.error);
  });
  worker.on('error', (error) => onError(error.message));
  // It must not keep the process alive on its own: the store's close() stops it.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      worker.ref(); // until it has exited
      worker.postMessage('stop');
      await exited;
    },
  };
}

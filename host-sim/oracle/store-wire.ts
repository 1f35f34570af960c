/**
 * The messages between the simulator's main thread and the oracle's database thread (store-thread.ts,
 * store-worker.ts), posted many at a time. `id` 0 asks for no answer; any other id is answered with the same id.
 */
import type { OracleConfig } from '../../tools/oracle/config.js';
import type { InsertChunk } from './insert-chunk.js';

export interface WorkerSetup {
  /** The SQLite file, created by the worker (it must not exist yet). */
  readonly dbPath: string;
  /** Items written per commit (SqliteStore's holdCommitsFor). */
  readonly holdCommitsFor: number;
}

export type ToWorker =
  /**
   * Store the batch chunk's items from `from` up to `to` (insert-chunk.ts), which say whether the main
   * thread counted each new.
   */
  | { readonly op: 'insert'; readonly from: number; readonly to: number }
  /** Call an OracleStore method (or flush) with these arguments. */
  | { readonly op: 'call'; readonly method: string; readonly args: readonly unknown[] }
  /** Make the verifier, with the oracle's settings. */
  | { readonly op: 'judge'; readonly config: OracleConfig }
  /** One verifier run at this virtual time. */
  | { readonly op: 'run'; readonly nowMs: number; readonly closeAtMs: number }
  /** Nothing: answered once everything sent before is done. */
  | { readonly op: 'sync' }
  /** Close the database and end the thread. */
  | { readonly op: 'close' };

/** A message with its id. */
export type Numbered = ToWorker & { readonly id: number };

/** What is posted: messages in the order they were sent, handled in that order, and their items. */
export interface ToWorkerBatch {
  readonly batch: readonly Numbered[];
  readonly chunk: InsertChunk | undefined;
}

export type Answer =
  | { readonly id: number; readonly value: unknown }
  | { readonly id: number; readonly error: string }
  /** A message that asked for no answer failed: the worker writes nothing more. */
  | { readonly failure: string };

/**
 * What the worker posts: its answers to one batch, in order, once it has handled the whole batch, and the
 * batch's chunk, read and done with, for its buffers to be written again.
 */
export interface ToMainBatch {
  readonly answers: readonly Answer[];
  readonly chunk?: InsertChunk;
}

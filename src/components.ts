/**
 * The seams between the runtime's parts, so each can be built, tested and replaced on its own:
 * the beaconer, the witness and the mapper append to a RecordQueue, the uploader drains it, and the beaconer asks an
 * EntropySource before each beacon.
 */
import type { Entropy } from '../proofs/entropy.js';

/** One stored record and its sequence number (increasing, never reused while the record is stored). */
export interface QueuedRecord {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * A durable FIFO of encoded batch items (WitnessReceipt, BeaconReport, MapperReport or MapperReceipt CBOR). What `append` returned
 * and was not `remove`d survives a reboot or a power cut.
 */
export interface RecordQueue {
  /** Stores a record; durable when it returns. Returns its sequence number. */
  append(bytes: Uint8Array): number;
  /** Up to `limit` stored records, oldest first. */
  peek(limit: number): readonly QueuedRecord[];
  /** Forgets the records with these sequence numbers (acknowledged by the oracle); durable on return. */
  remove(seqs: readonly number[]): void;
  /** Records stored and not removed. */
  readonly size: number;
}

/** Fresh, verified entropy from the oracle. Rejects when none can be had. */
export interface EntropySource {
  fetch(): Promise<Entropy>;
}

/** Lets producers tell the uploader there is something new to send. */
export interface UploadTrigger {
  notify(): void;
}

/**
 * Drives a ReceiptQueue on a SimFlash through a script of appends, acknowledgements and reboots while
 * keeping a model of what must be stored, and checks the queue against it, exactly after ordinary
 * operations and within the allowed slack after a power cut:
 * - an append that was cut may or may not have stored its record (with the bytes given, after all
 *   others), and may have dropped up to as many of the oldest records as the same append dropped when
 *   it completed in a reference run;
 * - an acknowledgement (peek, then remove) that was cut may have removed any subset of its records;
 * - a reboot that was cut changes nothing.
 * Anything else (a record lost or changed, a removed one back, sequence numbers not increasing) is a
 * failure, thrown as a QueueCheckError that says what differed.
 */
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { PowerCutError, SimFlash } from '../../host-sim/ports/flash.js';
import { equalBytes, toHex } from '../../proofs/bytes.js';
import type { QueuedRecord } from '../../src/components.js';
import { ReceiptQueue, type ReceiptQueueOptions } from '../../src/receipt-queue.js';

export type QueueOp =
  | { readonly kind: 'append'; readonly bytes: Uint8Array }
  /** peek(limit), then remove the records at these indices of what peek returned (as an uploader does). */
  | { readonly kind: 'ack'; readonly limit: number; readonly picks: readonly number[] }
  | { readonly kind: 'reboot' };

export class QueueCheckError extends Error {}

function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new QueueCheckError(message());
}

export interface ScriptProfile {
  readonly length: number;
  readonly maxRecordBytes: number;
  /** Ops per online phase (acks about as fast as appends). */
  readonly onlineLength?: number;
  /** Ops per outage (appends only): long enough to fill the ring and drop the oldest. */
  readonly outageLength?: number;
  readonly rebootChance?: number;
}

/** A random script: online phases ack about as fast as records come, outages only append (and wrap). */
export function randomScript(rng: SeededRng, profile: ScriptProfile): QueueOp[] {
  const { length, maxRecordBytes, onlineLength = 40, outageLength = 40, rebootChance = 0.05 } = profile;
  const ops: QueueOp[] = [];
  for (let i = 0; i < length; i++) {
    const online = i % (onlineLength + outageLength) < onlineLength;
    const draw = rng.fraction();
    if (draw < rebootChance) ops.push({ kind: 'reboot' });
    else if (online && draw < rebootChance + 0.4) ops.push(randomAck(rng));
    else ops.push({ kind: 'append', bytes: randomRecord(rng, maxRecordBytes) });
  }
  return ops;
}

function randomAck(rng: SeededRng): QueueOp {
  const limit = rng.intBetween(1, 8);
  const picks: number[] = [];
  // Mostly the whole batch, sometimes a part of it (the ingest kept some for a retry).
  const keepChance = rng.fraction() < 0.7 ? 1 : 0.6;
  for (let i = 0; i < limit; i++) if (rng.fraction() < keepChance) picks.push(i);
  return { kind: 'ack', limit, picks };
}

/** Mostly receipt-sized records, sometimes tiny or maximal ones. */
export function randomRecord(rng: SeededRng, maxRecordBytes: number): Uint8Array {
  const shape = rng.below(8);
  const length = shape === 0 ? rng.intBetween(0, 3) : shape === 1 ? maxRecordBytes : rng.intBetween(4, maxRecordBytes);
  return rng.bytes(length);
}

export interface QueueRigOptions {
  readonly size: number;
  readonly sectorSize: number;
  readonly queue?: ReceiptQueueOptions;
  /** Seeds the flash's torn-write randomness. */
  readonly flashSeed?: number;
}

/** What the cut operation was doing, for the recovery check. */
interface InFlight {
  readonly op: QueueOp;
  /** For an ack: the seqs it was removing. */
  seqs: number[];
  /** For an append: records it may drop, when known (from a reference run). */
  readonly maxDrop: number | undefined;
  /** For an append whose maxDrop is not known: the flash before it, to find out by replaying it. */
  readonly before: Uint8Array | undefined;
}

export class QueueRig {
  flash: SimFlash;
  queue: ReceiptQueue;
  /** What must be stored, oldest first. */
  pending: QueuedRecord[] = [];
  lastSeq = 0;
  readonly removedSeqs = new Set<number>();
  /** Records dropped oldest-first, as the queue reported them. */
  dropped = 0;
  private inFlight: InFlight | undefined;

  constructor(private readonly options: QueueRigOptions) {
    this.flash = new SimFlash({ size: options.size, sectorSize: options.sectorSize, rng: new SeededRng(options.flashSeed ?? 1) });
    this.queue = new ReceiptQueue(this.flash, options.queue);
  }

  /**
   * Runs one op; returns the records it dropped. A PowerCutError propagates and leaves the op in flight
   * for `recover`. `maxDrop`: what the op dropped in a reference run; without it, an append snapshots
   * the flash first so that a cut one can be replayed to find out.
   */
  apply(op: QueueOp, maxDrop?: number): number {
    const before = op.kind === 'append' && maxDrop === undefined ? this.flash.snapshot() : undefined;
    this.inFlight = { op, seqs: [], maxDrop, before };
    const dropped = op.kind === 'append' ? this.append(op.bytes) : op.kind === 'ack' ? this.ack(op) : this.reboot();
    this.inFlight = undefined;
    return dropped;
  }

  /**
   * Reboots after a power cut and checks that the queue kept what it must; then adopts what it found.
   * A cut during this reboot's own mount propagates and leaves the same op in flight: call again.
   */
  recover(): void {
    const inFlight = this.inFlight;
    this.remount();
    this.inFlight = undefined;
    const actual = this.contents();
    if (inFlight === undefined || inFlight.op.kind === 'reboot') this.expectExactly(actual);
    else if (inFlight.op.kind === 'append') this.expectAfterCutAppend(actual, inFlight.op.bytes, this.maxDrop(inFlight));
    else this.expectAfterCutRemove(actual, inFlight.seqs);
    for (const record of actual) this.lastSeq = Math.max(this.lastSeq, record.seq);
    this.pending = actual.map(({ seq, bytes }) => ({ seq, bytes: bytes.slice() }));
  }

  /** What the in-flight append drops when it completes: replayed on a copy of the flash from before it. */
  private maxDrop(inFlight: InFlight): number {
    if (inFlight.maxDrop !== undefined) return inFlight.maxDrop;
    if (inFlight.before === undefined || inFlight.op.kind !== 'append') return 0;
    const { size, sectorSize, queue: options } = this.options;
    const copy = new ReceiptQueue(new SimFlash({ size, sectorSize, contents: inFlight.before }), options);
    copy.append(inFlight.op.bytes);
    return copy.stats.droppedOldest;
  }

  /** Everything the queue holds, checked for order and against its size. */
  contents(): QueuedRecord[] {
    const size = this.queue.size;
    const records = [...this.queue.peek(size + 4)];
    check(records.length === size, () => `peek returned ${records.length} records, size says ${size}`);
    for (let i = 1; i < records.length; i++) {
      check(records[i].seq > records[i - 1].seq, () => `seq ${records[i].seq} follows ${records[i - 1].seq}`);
    }
    for (const record of records) check(!this.removedSeqs.has(record.seq), () => `removed record ${record.seq} is back`);
    return records;
  }

  /** The queue holds exactly the model's records. */
  verify(): void {
    this.expectExactly(this.contents());
  }

  private append(bytes: Uint8Array): number {
    const before = this.queue.stats.droppedOldest;
    const seq = this.queue.append(bytes);
    const dropped = this.queue.stats.droppedOldest - before;
    check(seq > this.lastSeq, () => `append returned seq ${seq} after ${this.lastSeq}`);
    check(dropped <= this.pending.length, () => `dropped ${dropped} of ${this.pending.length} records`);
    this.dropped += dropped;
    this.pending.splice(0, dropped);
    this.pending.push({ seq, bytes: bytes.slice() });
    this.lastSeq = seq;
    return dropped;
  }

  private ack(op: Extract<QueueOp, { kind: 'ack' }>): number {
    const batch = this.queue.peek(op.limit);
    this.expectPrefix(batch, op.limit);
    const seqs = op.picks.filter((i) => i < batch.length).map((i) => batch[i].seq);
    this.inFlight!.seqs = seqs;
    this.queue.remove(seqs);
    const gone = new Set(seqs);
    for (const seq of seqs) this.removedSeqs.add(seq);
    this.pending = this.pending.filter((record) => !gone.has(record.seq));
    return 0;
  }

  private reboot(): number {
    this.remount();
    this.verify();
    return 0;
  }

  private remount(): void {
    this.flash = this.flash.reboot();
    this.queue = new ReceiptQueue(this.flash, this.options.queue);
  }

  private expectPrefix(batch: readonly QueuedRecord[], limit: number): void {
    const want = this.pending.slice(0, limit);
    check(batch.length === want.length, () => `peek(${limit}) gave ${batch.length} records, expected ${want.length}`);
    batch.forEach((record, i) => expectSame(record, want[i]));
  }

  private expectExactly(actual: readonly QueuedRecord[]): void {
    check(actual.length === this.pending.length, () => `holds ${describe(actual)}, expected ${describe(this.pending)}`);
    actual.forEach((record, i) => expectSame(record, this.pending[i]));
  }

  private expectAfterCutAppend(actual: readonly QueuedRecord[], bytes: Uint8Array, maxDrop: number): void {
    let kept = actual;
    const last = actual[actual.length - 1];
    if (last !== undefined && last.seq > this.lastSeq) {
      check(equalBytes(last.bytes, bytes), () => `the record cut while appending came back as ${toHex(last.bytes)}`);
      kept = actual.slice(0, -1);
    }
    const drop = this.pending.length - kept.length;
    check(drop >= 0 && drop <= maxDrop, () => `after a cut append: ${describe(actual)}, had ${describe(this.pending)}, may drop ${maxDrop}`);
    kept.forEach((record, i) => expectSame(record, this.pending[drop + i]));
  }

  private expectAfterCutRemove(actual: readonly QueuedRecord[], seqs: readonly number[]): void {
    const removing = new Set(seqs);
    let i = 0;
    for (const want of this.pending) {
      if (i < actual.length && actual[i].seq === want.seq) expectSame(actual[i++], want);
      else check(removing.has(want.seq), () => `record ${want.seq} lost by a cut remove of [${seqs.join(',')}]`);
    }
    check(i === actual.length, () => `after a cut remove: ${describe(actual)}, had ${describe(this.pending)}`);
    for (const seq of seqs) if (!actual.some((record) => record.seq === seq)) this.removedSeqs.add(seq);
  }
}

function expectSame(actual: QueuedRecord, want: QueuedRecord): void {
  check(actual.seq === want.seq, () => `found record ${actual.seq} where ${want.seq} belongs`);
  check(equalBytes(actual.bytes, want.bytes), () => `record ${actual.seq} changed: ${toHex(actual.bytes)} ≠ ${toHex(want.bytes)}`);
}

function describe(records: readonly QueuedRecord[]): string {
  const seqs = records.map((record) => record.seq);
  return seqs.length <= 12 ? `[${seqs.join(',')}]` : `[${seqs.slice(0, 5).join(',')} … ${seqs.slice(-5).join(',')}] (${seqs.length})`;
}

export { PowerCutError };

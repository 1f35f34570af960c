/**
 * Uploaded items on their way to the simulated oracle's database thread (store-thread.ts), packed as
 * ingest stores them: the item numbers and bytes of prepared-wire.ts for every item of many uploads in
 * one set of buffers, beside each item's uploader, receive time and whether ingest counted it new. One
 * chunk goes with each batch of messages to the worker, and each insert message in the batch names its
 * items by their places in the chunk. Structured-cloning the items themselves (five small typed arrays
 * an upload) cost the main thread more than half of what storing them had cost it.
 *
 * The buffers travel: the writer hands its own over with the chunk (no copy), and the worker hands them
 * back once it has read them, to be written again (recycle()). New buffers of a few hundred kilobytes were
 * the dear part: in a day of 10,000 hotspots, copying each chunk into buffers of its own took 2.5–3 ms a
 * chunk, nearly all of it the first allocation, where a copy into a buffer already held takes a tenth of a
 * millisecond.
 */
import { Reason } from '../../proofs/index.js';
import type { UploadedItem } from '../../tools/oracle/model.js';
import type { PreparedFields } from '../../tools/oracle/ingest-prepare.js';
import { PACKED_ITEM_NUMBERS, packedItemBytes, packedViews, packItem, unpackItem } from '../../tools/oracle/prepared-wire.js';

/** Numbers beside each item: where its uploader's bytes are, its receive time, 1 if new. */
const EXTRA = 3;
const [UPLOADER, RECEIVED, FRESH] = [0, 1, 2];
const KEY_BYTES = 32;

/** A chunk's three arrays: each a view of what was written, at the start of a buffer that may hold more. */
export interface InsertChunk {
  readonly bytes: Uint8Array;
  readonly numbers: Float64Array;
  readonly extra: Float64Array;
}

/** Room for this many items at first; the buffers double as needed. */
const FIRST_ITEMS = 128;
/** Sets of buffers handed back and kept for the chunks to come: the worker seldom holds more than one. */
const SPARE_SETS = 4;

/** The buffers under a chunk's arrays, to transfer with it. */
export function chunkBuffers(chunk: InsertChunk): ArrayBuffer[] {
  return [chunk.bytes.buffer as ArrayBuffer, chunk.numbers.buffer as ArrayBuffer, chunk.extra.buffer as ArrayBuffer];
}

export class InsertChunkWriter {
  private bytes = new Uint8Array(FIRST_ITEMS * 256);
  private at = 0;
  private numbers = new Float64Array(FIRST_ITEMS * PACKED_ITEM_NUMBERS);
  private extra = new Float64Array(FIRST_ITEMS * EXTRA);
  private count = 0;
  private lastUploader: Uint8Array | undefined;
  private lastUploaderAt = -1;
  private readonly spare: InsertChunk[] = [];

  /** Items written since the last take(). */
  get size(): number {
    return this.count;
  }

  add(items: readonly UploadedItem[], fresh: readonly boolean[]): void {
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const prepared = { id: item.id, reason: Reason.none, fields: item as PreparedFields };
      this.reserve(packedItemBytes(prepared) + KEY_BYTES);
      if (item.uploader !== this.lastUploader) {
        if (item.uploader.length !== KEY_BYTES) throw new RangeError(`an uploader key is ${KEY_BYTES} bytes, not ${item.uploader.length}`);
        this.lastUploader = item.uploader;
        this.lastUploaderAt = this.put(item.uploader);
      }
      packItem(this.numbers, this.count * PACKED_ITEM_NUMBERS, prepared, (value) => this.put(value));
      const e = this.count * EXTRA;
      this.extra[e + UPLOADER] = this.lastUploaderAt;
      this.extra[e + RECEIVED] = item.receivedMs;
      this.extra[e + FRESH] = fresh[i] ? 1 : 0;
      this.count++;
    }
  }

  /**
   * What was written, in the writer's own buffers, which go with it: the writer starts again empty, in a
   * set of buffers handed back (recycle()) or, when none is, in new ones as large as those it gave.
   */
  take(): InsertChunk {
    const chunk = {
      bytes: this.bytes.subarray(0, this.at),
      numbers: this.numbers.subarray(0, this.count * PACKED_ITEM_NUMBERS),
      extra: this.extra.subarray(0, this.count * EXTRA),
    };
    const next = this.spare.pop();
    if (next === undefined) {
      this.bytes = new Uint8Array(this.bytes.length);
      this.numbers = new Float64Array(this.numbers.length);
      this.extra = new Float64Array(this.extra.length);
    } else {
      this.bytes = new Uint8Array(next.bytes.buffer as ArrayBuffer);
      this.numbers = new Float64Array(next.numbers.buffer as ArrayBuffer);
      this.extra = new Float64Array(next.extra.buffer as ArrayBuffer);
    }
    this.at = 0;
    this.count = 0;
    this.lastUploader = undefined;
    return chunk;
  }

  /**
   * Takes back the buffers of a chunk that has been read, to write later chunks into. Whatever they
   * held is written over, so nothing may still read the chunk.
   */
  recycle(chunk: InsertChunk): void {
    const numbers = new Float64Array(chunk.numbers.buffer);
    const extra = new Float64Array(chunk.extra.buffer);
    if (numbers.length !== (extra.length / EXTRA) * PACKED_ITEM_NUMBERS) {
      throw new RangeError(`a chunk handed back has room for ${numbers.length / PACKED_ITEM_NUMBERS} items' numbers but ${extra.length / EXTRA} items' extras`);
    }
    if (this.spare.length < SPARE_SETS) this.spare.push(chunk);
  }

  private put(value: Uint8Array): number {
    this.bytes.set(value, this.at);
    this.at += value.length;
    return this.at - value.length;
  }

  /** Room for one more item of up to `bytes` bytes. */
  private reserve(bytes: number): void {
    if (this.at + bytes > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + bytes));
      grown.set(this.bytes.subarray(0, this.at));
      this.bytes = grown;
    }
    if ((this.count + 1) * PACKED_ITEM_NUMBERS > this.numbers.length) {
      const numbers = new Float64Array(this.numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
      const extra = new Float64Array(this.extra.length * 2);
      extra.set(this.extra);
      this.extra = extra;
    }
  }
}

/**
 * The items of a chunk from `from` up to (not including) `to`, as ingest gave them to the store, and
 * whether ingest counted each new. Their byte fields are copies, so that nothing they leave behind holds
 * on to the chunk.
 */
export function readInsertChunk(chunk: InsertChunk, from = 0, to = chunk.extra.length / EXTRA): { items: UploadedItem[]; fresh: boolean[] } {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to * EXTRA <= chunk.extra.length)) {
    throw new RangeError(`items ${from} to ${to} are not in a chunk of ${chunk.extra.length / EXTRA}`);
  }
  const items: UploadedItem[] = new Array(to - from);
  const fresh: boolean[] = new Array(to - from);
  const view = packedViews(chunk.bytes);
  let uploader: Uint8Array | undefined;
  let uploaderAt = -1;
  for (let i = from; i < to; i++) {
    const e = i * EXTRA;
    if (chunk.extra[e + UPLOADER] !== uploaderAt) {
      uploaderAt = chunk.extra[e + UPLOADER];
      uploader = view(uploaderAt, KEY_BYTES).slice();
    }
    const f = unpackItem(chunk.numbers, i * PACKED_ITEM_NUMBERS, uploader!, view).fields!;
    // Copies, not views: the verifier keeps some items for hours, and one view would keep the whole chunk.
    const bytes = { id: f.id.slice(), body: f.body.slice(), digest: f.digest.slice() };
    const tag = f.kind === 'beacon' && f.entropyTag !== undefined ? { entropyTag: f.entropyTag.slice() } : {};
    items[i - from] = { ...f, ...bytes, ...tag, receivedMs: chunk.extra[e + RECEIVED] } as UploadedItem;
    fresh[i - from] = chunk.extra[e + FRESH] === 1;
  }
  return { items, fresh };
}

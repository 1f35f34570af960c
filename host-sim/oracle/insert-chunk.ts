/**
 * Uploaded items on their way to the simulated oracle's database thread (store-thread.ts), packed as
 * ingest stores them: the item numbers and bytes of prepared-wire.ts for every item of many uploads in
 * one set of buffers, beside each item's uploader, receive time and whether ingest counted it new. One
 * chunk goes with each batch of messages to the worker, and each insert message in the batch names its
 * items by their places in the chunk. Structured-cloning the items themselves (five small typed arrays
 * an upload) cost the main thread more than half of what storing them had cost it.
 */
import { Reason } from '../../proofs/index.js';
import type { UploadedItem } from '../../tools/oracle/model.js';
import type { PreparedFields } from '../../tools/oracle/ingest-prepare.js';
import { PACKED_ITEM_NUMBERS, packedItemBytes, packedViews, packItem, unpackItem } from '../../tools/oracle/prepared-wire.js';

/** Numbers beside each item: where its uploader's bytes are, its receive time, 1 if new. */
const EXTRA = 3;
const [UPLOADER, RECEIVED, FRESH] = [0, 1, 2];
const KEY_BYTES = 32;

export interface InsertChunk {
  readonly bytes: Uint8Array;
  readonly numbers: Float64Array;
  readonly extra: Float64Array;
}

/** Room for this many items at first; the buffers double as needed. */
const FIRST_ITEMS = 128;

export class InsertChunkWriter {
  private bytes = new Uint8Array(FIRST_ITEMS * 256);
  private at = 0;
  private numbers = new Float64Array(FIRST_ITEMS * PACKED_ITEM_NUMBERS);
  private extra = new Float64Array(FIRST_ITEMS * EXTRA);
  private count = 0;
  private lastUploader: Uint8Array | undefined;
  private lastUploaderAt = -1;

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
   * What was written, copied out into buffers of its own (to transfer); the writer starts again empty,
   * keeping its buffers. Copying only what was written costs less than zeroing new buffers as large as
   * the biggest chunk so far.
   */
  take(): InsertChunk {
    const chunk = {
      bytes: this.bytes.slice(0, this.at),
      numbers: this.numbers.slice(0, this.count * PACKED_ITEM_NUMBERS),
      extra: this.extra.slice(0, this.count * EXTRA),
    };
    this.at = 0;
    this.count = 0;
    this.lastUploader = undefined;
    return chunk;
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

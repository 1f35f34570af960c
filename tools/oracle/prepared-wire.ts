/**
 * A PreparedBatch packed for the trip from a worker thread to the main thread: all byte fields in one
 * buffer and all numbers in one Float64Array, both transferred rather than copied. Structured-cloning
 * the plain objects (five small typed arrays an item) cost the main thread more than the database work
 * it does per item; unpacking makes views into the one buffer.
 */
import type { ReasonCode } from '../../proofs/index.js';
import type { PreparedBatch, PreparedItem } from './ingest-prepare.js';

export type PackedBatch =
  | { readonly ok: true; readonly uploader: Uint8Array; readonly bytes: Uint8Array; readonly numbers: Float64Array }
  | { readonly ok: false; readonly error: 'malformed' | 'unknown_version'; readonly detail: string };

/** Numbers per item, in this order. */
const STRIDE = 12;
const [REASON, KIND, ID, BODY, BODY_LENGTH, DIGEST, TAG, FREQUENCY, DATA_RATE, TIME, RADIO_A, RADIO_B] = Array.from({ length: STRIDE }, (_, i) => i);
const KIND_NONE = 0;
const KIND_WITNESS = 1;
const KIND_BEACON = 2;

/** Packs a batch; `transfer` lists the buffers to hand over with postMessage. */
export function packBatch(batch: PreparedBatch): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  if (!batch.ok) return { packed: batch, transfer: [] };
  let size = 0;
  for (const item of batch.items) {
    size += item.id.length;
    const f = item.fields;
    if (f !== undefined) size += f.body.length + f.digest.length + (f.entropyTag?.length ?? 0);
  }
  const bytes = new Uint8Array(size);
  const numbers = new Float64Array(batch.items.length * STRIDE);
  let at = 0;
  const put = (value: Uint8Array): number => {
    bytes.set(value, at);
    at += value.length;
    return at - value.length;
  };
  batch.items.forEach((item, i) => {
    const n = i * STRIDE;
    numbers[n + REASON] = item.reason;
    numbers[n + ID] = put(item.id);
    const f = item.fields;
    if (f === undefined) return;
    numbers[n + KIND] = f.kind === 'witness' ? KIND_WITNESS : KIND_BEACON;
    numbers[n + BODY] = put(f.body);
    numbers[n + BODY_LENGTH] = f.body.length;
    numbers[n + DIGEST] = put(f.digest);
    numbers[n + TAG] = f.entropyTag === undefined ? -1 : put(f.entropyTag);
    numbers[n + FREQUENCY] = f.frequencyHz;
    numbers[n + DATA_RATE] = f.dataRate;
    numbers[n + TIME] = f.timeMs;
    numbers[n + RADIO_A] = (f.kind === 'witness' ? f.rssiDdbm : f.txPowerDdbm) ?? 0;
    numbers[n + RADIO_B] = (f.kind === 'witness' ? f.snrDdb : f.entropyEpoch) ?? 0;
  });
  return { packed: { ok: true, uploader: batch.uploader, bytes, numbers }, transfer: [bytes.buffer as ArrayBuffer, numbers.buffer as ArrayBuffer] };
}

export function unpackBatch(packed: PackedBatch): PreparedBatch {
  if (!packed.ok) return packed;
  const { uploader, bytes, numbers } = packed;
  const view = (offset: number, length: number) => bytes.subarray(offset, offset + length);
  const items: PreparedItem[] = [];
  for (let n = 0; n < numbers.length; n += STRIDE) {
    const id = view(numbers[n + ID], 16);
    const reason = numbers[n + REASON] as ReasonCode;
    const kind = numbers[n + KIND];
    if (kind === KIND_NONE) {
      items.push({ id, reason });
      continue;
    }
    const common = {
      id, uploader, body: view(numbers[n + BODY], numbers[n + BODY_LENGTH]), digest: view(numbers[n + DIGEST], 16),
      frequencyHz: numbers[n + FREQUENCY], dataRate: numbers[n + DATA_RATE], timeMs: numbers[n + TIME],
    };
    const fields = kind === KIND_WITNESS
      ? { ...common, kind: 'witness' as const, rssiDdbm: numbers[n + RADIO_A], snrDdb: numbers[n + RADIO_B] }
      : {
        ...common, kind: 'beacon' as const, txPowerDdbm: numbers[n + RADIO_A], entropyEpoch: numbers[n + RADIO_B],
        entropyTag: view(numbers[n + TAG], 4),
      };
    items.push({ id, reason, fields });
  }
  return { ok: true, uploader, items };
}

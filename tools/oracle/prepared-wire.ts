/**
 * A PreparedBatch packed for the trip from a worker thread to the main thread: all byte fields in one
 * buffer and all numbers in one Float64Array, both transferred rather than copied. Structured-cloning
 * the plain objects (five small typed arrays an item) cost the main thread more than the database work
 * it does per item; unpacking makes views into the one buffer.
 */
import type { ReasonCode } from '../../proofs/index.js';
import type { PreparedBatch, PreparedFields, PreparedItem } from './ingest-prepare.js';

export type PackedBatch =
  | { readonly ok: true; readonly uploader: Uint8Array; readonly bytes: Uint8Array; readonly numbers: Float64Array }
  | { readonly ok: false; readonly error: 'malformed' | 'unknown_version'; readonly detail: string };

/**
 * Numbers per item, in this order. RADIO_A is RSSI for a receipt and tx power for a report; RADIO_B is
 * SNR for a receipt and the entropy epoch for a beacon report. The GPS slots are a mapper report's only.
 */
const STRIDE = 18;
const [
  REASON, KIND, ID, BODY, BODY_LENGTH, DIGEST, TAG, FREQUENCY, DATA_RATE, TIME, RADIO_A, RADIO_B,
  LAT, LON, ALTITUDE, HDOP, SATELLITES, COUNTER,
] = Array.from({ length: STRIDE }, (_, i) => i);
/** Item kinds as numbers; 0 for an item refused (no fields). */
const KIND_NONE = 0;
const KIND_CODES = { 'witness': 1, 'beacon': 2, 'mapper': 3, 'mapper-witness': 4 } as const;

/** Numbers each packed item takes (packItem, unpackItem). */
export const PACKED_ITEM_NUMBERS = STRIDE;

/** The bytes packItem writes for `item`. */
export function packedItemBytes(item: PreparedItem): number {
  const f = item.fields;
  if (f === undefined) return item.id.length;
  return item.id.length + f.body.length + f.digest.length + (f.kind === 'beacon' ? f.entropyTag?.length ?? 0 : 0);
}

/**
 * Writes one item: its numbers at numbers[n, n + PACKED_ITEM_NUMBERS), its byte fields through `put`,
 * which stores them and returns where they went.
 */
export function packItem(numbers: Float64Array, n: number, item: PreparedItem, put: (value: Uint8Array) => number): void {
  numbers[n + REASON] = item.reason;
  numbers[n + ID] = put(item.id);
  const f = item.fields;
  if (f === undefined) return;
  numbers[n + KIND] = KIND_CODES[f.kind];
  numbers[n + BODY] = put(f.body);
  numbers[n + BODY_LENGTH] = f.body.length;
  numbers[n + DIGEST] = put(f.digest);
  numbers[n + TAG] = f.kind === 'beacon' && f.entropyTag !== undefined ? put(f.entropyTag) : -1;
  numbers[n + FREQUENCY] = f.frequencyHz;
  numbers[n + DATA_RATE] = f.dataRate;
  numbers[n + TIME] = f.timeMs;
  packRadio(numbers, n, f);
}

/** Packs a batch; `transfer` lists the buffers to hand over with postMessage. */
export function packBatch(batch: PreparedBatch): { packed: PackedBatch; transfer: ArrayBuffer[] } {
  if (!batch.ok) return { packed: batch, transfer: [] };
  let size = 0;
  for (const item of batch.items) size += packedItemBytes(item);
  const bytes = new Uint8Array(size);
  const numbers = new Float64Array(batch.items.length * STRIDE);
  let at = 0;
  const put = (value: Uint8Array): number => {
    bytes.set(value, at);
    at += value.length;
    return at - value.length;
  };
  batch.items.forEach((item, i) => packItem(numbers, i * STRIDE, item, put));
  return { packed: { ok: true, uploader: batch.uploader, bytes, numbers }, transfer: [bytes.buffer as ArrayBuffer, numbers.buffer as ArrayBuffer] };
}

/** The numbers that differ by kind. */
function packRadio(numbers: Float64Array, n: number, f: PreparedFields): void {
  switch (f.kind) {
    case 'witness':
    case 'mapper-witness':
      numbers[n + RADIO_A] = f.rssiDdbm ?? 0;
      numbers[n + RADIO_B] = f.snrDdb ?? 0;
      return;
    case 'beacon':
      numbers[n + RADIO_A] = f.txPowerDdbm ?? 0;
      numbers[n + RADIO_B] = f.entropyEpoch ?? 0;
      return;
    case 'mapper':
      numbers[n + RADIO_A] = f.txPowerDdbm;
      numbers[n + LAT] = f.latE7;
      numbers[n + LON] = f.lonE7;
      numbers[n + ALTITUDE] = f.altitudeM;
      numbers[n + HDOP] = f.hdopDeci;
      numbers[n + SATELLITES] = f.satellites;
      numbers[n + COUNTER] = f.counter;
  }
}

export function unpackBatch(packed: PackedBatch): PreparedBatch {
  if (!packed.ok) return packed;
  const { uploader, bytes, numbers } = packed;
  const view = packedViews(bytes);
  const items: PreparedItem[] = new Array(numbers.length / STRIDE);
  for (let n = 0, i = 0; n < numbers.length; n += STRIDE, i++) items[i] = unpackItem(numbers, n, uploader, view);
  return { ok: true, uploader, items };
}

/** Makes views into the packed bytes, for unpackItem: one maker for all the items of a buffer. */
export function packedViews(bytes: Uint8Array): PackedView {
  // Views made with the constructor rather than subarray(), and every record written out as one object
  // literal per kind rather than spread from a common part: the main thread unpacks every item of every
  // upload, and both halved what unpacking cost it.
  const { buffer, byteOffset } = bytes;
  return (offset, length) => new Uint8Array(buffer, byteOffset + offset, length);
}

export type PackedView = (offset: number, length: number) => Uint8Array;

/** The item packItem wrote at numbers[n]; its byte fields are views made by `view` (packedViews). */
export function unpackItem(numbers: Float64Array, n: number, uploader: Uint8Array, view: PackedView): PreparedItem {
  const id = view(numbers[n + ID], 16);
  const reason = numbers[n + REASON] as ReasonCode;
  const kind = numbers[n + KIND];
  return kind === KIND_NONE ? { id, reason } : { id, reason, fields: unpackFields(numbers, n, kind, id, uploader, view) };
}

function unpackFields(
  numbers: Float64Array, n: number, kind: number, id: Uint8Array, uploader: Uint8Array, view: PackedView,
): PreparedFields {
  const body = view(numbers[n + BODY], numbers[n + BODY_LENGTH]);
  const digest = view(numbers[n + DIGEST], 16);
  const [frequencyHz, dataRate, timeMs] = [numbers[n + FREQUENCY], numbers[n + DATA_RATE], numbers[n + TIME]];
  switch (kind) {
    case KIND_CODES.witness:
      return { id, uploader, kind: 'witness', body, digest, frequencyHz, dataRate, timeMs, rssiDdbm: numbers[n + RADIO_A], snrDdb: numbers[n + RADIO_B] };
    case KIND_CODES['mapper-witness']:
      return {
        id, uploader, kind: 'mapper-witness', body, digest, frequencyHz, dataRate, timeMs, rssiDdbm: numbers[n + RADIO_A], snrDdb: numbers[n + RADIO_B],
      };
    case KIND_CODES.beacon:
      return {
        id, uploader, kind: 'beacon', body, digest, frequencyHz, dataRate, timeMs, txPowerDdbm: numbers[n + RADIO_A],
        entropyEpoch: numbers[n + RADIO_B], entropyTag: view(numbers[n + TAG], 4),
      };
    case KIND_CODES.mapper:
      return {
        id, uploader, kind: 'mapper', body, digest, frequencyHz, dataRate, txPowerDdbm: numbers[n + RADIO_A], timeMs,
        latE7: numbers[n + LAT], lonE7: numbers[n + LON], altitudeM: numbers[n + ALTITUDE], hdopDeci: numbers[n + HDOP],
        satellites: numbers[n + SATELLITES], counter: numbers[n + COUNTER],
      };
    default:
      throw new RangeError(`packed batch: unknown item kind ${kind}`);
  }
}

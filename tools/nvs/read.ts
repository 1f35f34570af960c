/**
 * Reads an NVS partition image (format.ts) back into namespaces of keys and values, checking every CRC.
 * What cannot be trusted (a page header or entry whose CRC fails, string or blob bytes whose CRC fails,
 * a blob with a chunk missing, an item in an unknown namespace) is left out and reported as a problem,
 * the way ESP-IDF skips such entries when it loads a page, so that a test sees exactly what the device
 * would read and why anything is missing.
 *
 * Pages are taken in sequence-number order, as NVS orders them, so a key written again on a later page
 * replaces the earlier value (ESP-IDF erases the older copy when it writes the newer).
 */
import {
  BITMAP_OFFSET, CHUNK_ANY, DATA_OFFSET, ENTRIES_PER_PAGE, ENTRY_BYTES, ENTRY_STATE, entryCrc32, FIRST_ENTRY_OFFSET,
  headerCrc32, INTEGER_TYPES, ITEM_TYPE, KEY_OFFSET, NvsError, nvsCrc32, PAGE_BYTES, PAGE_STATE, PAGE_VERSION,
  type IntegerType,
} from './format.js';

export type NvsReadValue = string | Uint8Array | number | bigint;
export type NvsItemType = IntegerType | 'string' | 'blob';

export interface NvsReadItem {
  readonly namespace: string;
  readonly key: string;
  readonly type: NvsItemType;
  readonly value: NvsReadValue;
}

/** Something in the image that was left out; `entry` is absent for a problem with a whole page. */
export interface NvsProblem {
  readonly page: number;
  readonly entry?: number;
  readonly reason: string;
}

export interface NvsContents {
  /** namespace → key → value; 8–32-bit integers as numbers, 64-bit ones as bigints. */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, NvsReadValue>>>>;
  /** Every item, in the order read (the last of a repeated key is the one in `namespaces`). */
  readonly items: readonly NvsReadItem[];
  readonly problems: readonly NvsProblem[];
  /** Pages never written (all 0xFF); NVS needs at least one to mount the partition. */
  readonly freePages: number;
}

/** One entry that passed its CRC, with its data bytes if it has any. */
interface RawItem {
  readonly page: number;
  readonly entry: number;
  readonly nsIndex: number;
  readonly type: number;
  readonly chunkIndex: number;
  readonly key: string;
  readonly field: Uint8Array;
  readonly data?: Uint8Array;
}

const INTEGER_BY_CODE = new Map(Object.entries(INTEGER_TYPES).map(([name, spec]) => [spec.code, { name: name as IntegerType, ...spec }]));
const STATE_NAMES = new Set<number>([PAGE_STATE.active, PAGE_STATE.full, PAGE_STATE.freeing]);

function entryState(page: Uint8Array, index: number): number {
  const bit = index * 2;
  return (page[BITMAP_OFFSET + (bit >> 3)] >> (bit & 7)) & 0b11;
}

function keyText(entry: Uint8Array): string {
  const raw = entry.subarray(KEY_OFFSET, KEY_OFFSET + 16);
  const end = raw.indexOf(0);
  return new TextDecoder().decode(raw.subarray(0, end < 0 ? 16 : end));
}

/** The entries of one page that pass their checks. */
function readPage(page: Uint8Array, pageNo: number, problems: NvsProblem[]): RawItem[] {
  const items: RawItem[] = [];
  const problem = (entry: number, reason: string) => problems.push({ page: pageNo, entry, reason });
  for (let i = 0; i < ENTRIES_PER_PAGE;) {
    const state = entryState(page, i);
    if (state !== ENTRY_STATE.written) {
      i += 1;
      continue;
    }
    const entry = page.subarray(FIRST_ENTRY_OFFSET + i * ENTRY_BYTES, FIRST_ENTRY_OFFSET + (i + 1) * ENTRY_BYTES);
    const view = new DataView(entry.buffer, entry.byteOffset, ENTRY_BYTES);
    if (view.getUint32(4, true) !== entryCrc32(entry)) {
      problem(i, `entry CRC mismatch (key ${JSON.stringify(keyText(entry))})`);
      i += 1;
      continue;
    }
    const [nsIndex, type, span, chunkIndex] = entry;
    const key = keyText(entry);
    if (span < 1 || i + span > ENTRIES_PER_PAGE) {
      problem(i, `"${key}": span ${span} does not fit in the page`);
      i += 1;
      continue;
    }
    const field = entry.slice(DATA_OFFSET, DATA_OFFSET + 8);
    let data: Uint8Array | undefined;
    if (type === ITEM_TYPE.string || type === ITEM_TYPE.blobData || type === ITEM_TYPE.blobV1) {
      const size = view.getUint16(DATA_OFFSET, true);
      const start = FIRST_ENTRY_OFFSET + (i + 1) * ENTRY_BYTES;
      data = page.slice(start, start + size);
      const unwritten = Array.from({ length: span - 1 }, (_, k) => i + 1 + k).some((k) => entryState(page, k) !== ENTRY_STATE.written);
      if (size > (span - 1) * ENTRY_BYTES || unwritten) problem(i, `"${key}": ${size} bytes do not match its span of ${span}`);
      else if (view.getUint32(DATA_OFFSET + 4, true) !== nvsCrc32(data)) problem(i, `"${key}": data CRC mismatch`);
      else items.push({ page: pageNo, entry: i, nsIndex, type, chunkIndex, key, field, data });
    } else {
      items.push({ page: pageNo, entry: i, nsIndex, type, chunkIndex, key, field });
    }
    i += span;
  }
  return items;
}

/** Pages in sequence order with their items; erased pages counted, damaged ones reported. */
function readPages(image: Uint8Array, problems: NvsProblem[]): { items: RawItem[]; freePages: number } {
  if (image.length === 0 || image.length % PAGE_BYTES !== 0) {
    throw new NvsError(`an NVS image is a whole number of ${PAGE_BYTES}-byte pages; ${image.length} bytes is not`);
  }
  const pages: { seq: number; items: RawItem[] }[] = [];
  let freePages = 0;
  for (let pageNo = 0; pageNo < image.length / PAGE_BYTES; pageNo++) {
    const page = image.subarray(pageNo * PAGE_BYTES, (pageNo + 1) * PAGE_BYTES);
    const view = new DataView(page.buffer, page.byteOffset, PAGE_BYTES);
    const state = view.getUint32(0, true);
    if (state === PAGE_STATE.uninitialized) {
      if (page.every((b) => b === 0xff)) freePages += 1;
      else problems.push({ page: pageNo, reason: 'uninitialized page holds data' });
      continue;
    }
    if (!STATE_NAMES.has(state)) {
      problems.push({ page: pageNo, reason: `page state 0x${state.toString(16)} is not active, full or freeing` });
      continue;
    }
    if (view.getUint32(28, true) !== headerCrc32(page)) {
      problems.push({ page: pageNo, reason: 'page header CRC mismatch' });
      continue;
    }
    if (page[8] !== PAGE_VERSION.v2 && page[8] !== PAGE_VERSION.v1) {
      problems.push({ page: pageNo, reason: `page format version 0x${page[8].toString(16)} is not 1 or 2` });
      continue;
    }
    pages.push({ seq: view.getUint32(4, true), items: readPage(page, pageNo, problems) });
  }
  pages.sort((a, b) => a.seq - b.seq);
  return { items: pages.flatMap((p) => p.items), freePages };
}

function integerValue(field: Uint8Array, spec: { bytes: number; signed: boolean }): number | bigint {
  let value = 0n;
  for (let i = spec.bytes - 1; i >= 0; i--) value = (value << 8n) | BigInt(field[i]);
  if (spec.signed) value = BigInt.asIntN(spec.bytes * 8, value);
  return spec.bytes === 8 ? value : Number(value);
}

function stringValue(item: RawItem, problems: NvsProblem[]): string | undefined {
  const bytes = item.data as Uint8Array;
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0) {
    problems.push({ page: item.page, entry: item.entry, reason: `"${item.key}": string without its terminating NUL` });
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, -1));
  } catch {
    problems.push({ page: item.page, entry: item.entry, reason: `"${item.key}": string is not UTF-8` });
    return undefined;
  }
}

/** A version-2 blob: the chunks its index names, in order, which must add up to its size. */
function blobValue(index: RawItem, chunks: readonly RawItem[], problems: NvsProblem[]): Uint8Array | undefined {
  const view = new DataView(index.field.buffer, index.field.byteOffset, 8);
  const size = view.getUint32(0, true);
  const [count, start] = [index.field[4], index.field[5]];
  const parts: Uint8Array[] = [];
  for (let c = start; c < start + count; c++) {
    const chunk = [...chunks].reverse().find((candidate) => candidate.nsIndex === index.nsIndex && candidate.key === index.key && candidate.chunkIndex === c);
    if (chunk === undefined) {
      problems.push({ page: index.page, entry: index.entry, reason: `"${index.key}": blob chunk ${c} of ${count} is missing` });
      return undefined;
    }
    parts.push(chunk.data as Uint8Array);
  }
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  if (bytes.length !== size) {
    problems.push({ page: index.page, entry: index.entry, reason: `"${index.key}": blob chunks hold ${bytes.length} bytes, its index says ${size}` });
    return undefined;
  }
  return bytes;
}

function itemValue(item: RawItem, chunks: readonly RawItem[], problems: NvsProblem[]): [NvsItemType, NvsReadValue] | undefined {
  const integer = INTEGER_BY_CODE.get(item.type);
  if (integer !== undefined) return [integer.name, integerValue(item.field, integer)];
  if (item.type === ITEM_TYPE.string) {
    const text = stringValue(item, problems);
    return text === undefined ? undefined : ['string', text];
  }
  if (item.type === ITEM_TYPE.blobV1) return ['blob', item.data as Uint8Array];
  if (item.type === ITEM_TYPE.blobIndex) {
    const bytes = blobValue(item, chunks, problems);
    return bytes === undefined ? undefined : ['blob', bytes];
  }
  problems.push({ page: item.page, entry: item.entry, reason: `"${item.key}": unknown item type 0x${item.type.toString(16)}` });
  return undefined;
}

/** Reads `image`; throws an NvsError only if it is not a whole number of pages. */
export function readNvsImage(image: Uint8Array): NvsContents {
  const problems: NvsProblem[] = [];
  const { items: raw, freePages } = readPages(image, problems);
  const names = new Map<number, string>();
  for (const item of raw) {
    if (item.nsIndex === 0 && item.type === ITEM_TYPE.u8) names.set(item.field[0], item.key);
  }
  const chunks = raw.filter((item) => item.type === ITEM_TYPE.blobData);
  const indexed = new Set(raw.filter((item) => item.type === ITEM_TYPE.blobIndex).map((item) => `${item.nsIndex}/${item.key}`));
  const items: NvsReadItem[] = [];
  const namespaces: Record<string, Record<string, NvsReadValue>> = {};
  for (const item of raw) {
    if (item.nsIndex === 0 && item.type === ITEM_TYPE.u8) continue;
    if (item.type === ITEM_TYPE.blobData) {
      if (!indexed.has(`${item.nsIndex}/${item.key}`)) {
        problems.push({ page: item.page, entry: item.entry, reason: `"${item.key}": blob chunk without a blob index` });
      }
      continue;
    }
    const namespace = names.get(item.nsIndex);
    if (namespace === undefined || item.nsIndex === CHUNK_ANY) {
      problems.push({ page: item.page, entry: item.entry, reason: `"${item.key}": namespace index ${item.nsIndex} has no namespace entry` });
      continue;
    }
    const typed = itemValue(item, chunks, problems);
    if (typed === undefined) continue;
    items.push({ namespace, key: item.key, type: typed[0], value: typed[1] });
    (namespaces[namespace] ??= {})[item.key] = typed[1];
  }
  if (freePages === 0) problems.push({ page: image.length / PAGE_BYTES - 1, reason: 'no free page: ESP-IDF will not mount this partition (ESP_ERR_NVS_NO_FREE_PAGES)' });
  return { namespaces, items, problems, freePages };
}

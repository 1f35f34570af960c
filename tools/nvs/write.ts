/**
 * Writes an NVS partition image (format.ts) from a list of items, laid out as ESP-IDF's
 * nvs_partition_gen.py lays out a version-2 image: items in the order given, each namespace's entry
 * just before its first item; every page but the last gets an ACTIVE header with sequence numbers
 * 0, 1, 2 …; the last page stays erased, because NVS will not mount a partition without a free page
 * (nvs_pagemanager.cpp PageManager::load, ESP_ERR_NVS_NO_FREE_PAGES).
 *
 * Values are typed as Moddable's Preference types them (modPreference.c): a string is a string item
 * (SZ), bytes a blob, a boolean a U8, a number an I32 (Preference stores int32 only); `{ type, value }`
 * picks another integer type. Strings (with their NUL) and blobs are limited to 4,000 bytes, the most
 * Preference stores. A blob is written as data chunks plus an index (BLOB_DATA, BLOB_IDX) and continues
 * on the next page when it does not fit, as the generator does; a string must fit in one page.
 *
 * Two corner cases differ from the generator: a string that exactly fills the rest of a page stays on
 * it, as ESP-IDF's own writer allows (nvs_page.cpp Page::writeItem refuses only when
 * next free entry + span > 126; the generator moves it to the next page), and a blob is not begun on
 * a page's very last entry, where its chunk would hold no data (the generator writes an empty chunk
 * there). Everything else comes out byte for byte as the generator writes it.
 */
import {
  BITMAP_OFFSET, CHUNK_ANY, DATA_OFFSET, ENTRIES_PER_PAGE, ENTRY_BYTES, entryCrc32, FIRST_ENTRY_OFFSET, headerCrc32,
  INTEGER_TYPES, ITEM_TYPE, KEY_OFFSET, MAX_KEY_BYTES, MAX_NAMESPACES, MAX_VALUE_BYTES, NvsError, nvsCrc32,
  PAGE_BYTES, PAGE_STATE, PAGE_VERSION, utf8, type IntegerType,
} from './format.js';

/** An integer with an explicit NVS type; 64-bit types take a bigint. */
export interface NvsInteger {
  readonly type: IntegerType;
  readonly value: number | bigint;
}

export type NvsValue = string | Uint8Array | boolean | number | NvsInteger;

export interface NvsItem {
  /** The namespace (Preference's "domain"), 1–15 bytes. */
  readonly namespace: string;
  /** 1–15 bytes. */
  readonly key: string;
  readonly value: NvsValue;
}

/** Checks a key or namespace name: 1–15 UTF-8 bytes, no NUL. */
function nameBytes(what: string, name: string): Uint8Array {
  const bytes = utf8(name);
  if (typeof name !== 'string' || bytes.length === 0 || bytes.length > MAX_KEY_BYTES || name.includes('\u0000')) {
    throw new NvsError(`${what} ${JSON.stringify(String(name))} is not 1–${MAX_KEY_BYTES} bytes without NUL`);
  }
  return bytes;
}

/** Little-endian bytes of an integer of `type`, range-checked. */
function integerBytes(key: string, type: IntegerType, value: number | bigint): Uint8Array {
  const { bytes, signed } = INTEGER_TYPES[type];
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new NvsError(`"${key}": ${value} is not a whole number (NVS stores integers only)`);
  }
  const big = BigInt(value);
  const bits = BigInt(bytes * 8);
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (big < min || big > max) throw new NvsError(`"${key}": ${value} does not fit in ${type}`);
  const out = new Uint8Array(bytes);
  let unsigned = BigInt.asUintN(Number(bits), big);
  for (let i = 0; i < bytes; i++) {
    out[i] = Number(unsigned & 0xffn);
    unsigned >>= 8n;
  }
  return out;
}

/** The image being laid out: a cursor over the usable pages (all but the last). */
class ImageLayout {
  readonly image: Uint8Array;
  private readonly usablePages: number;
  private page = 0;
  private entry = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || size % PAGE_BYTES !== 0 || size < 2 * PAGE_BYTES) {
      throw new NvsError(`an NVS image is a whole number of ${PAGE_BYTES}-byte pages, at least 2; ${size} bytes is not`);
    }
    this.image = new Uint8Array(size).fill(0xff);
    this.usablePages = size / PAGE_BYTES - 1;
  }

  get freeEntries(): number {
    return ENTRIES_PER_PAGE - this.entry;
  }

  nextPage(): void {
    this.page += 1;
    this.entry = 0;
    if (this.page >= this.usablePages) {
      throw new NvsError(`the items do not fit in ${this.image.length} bytes (${this.usablePages} usable pages and one kept free)`);
    }
  }

  /** Writes one item: its 32-byte entry, then `data` in the entries after it, marking each written. */
  put(entry: Uint8Array, data: Uint8Array = new Uint8Array(0)): void {
    const span = 1 + Math.ceil(data.length / ENTRY_BYTES);
    if (span > this.freeEntries) throw new NvsError('internal: an item was placed past the end of its page');
    const base = this.page * PAGE_BYTES + FIRST_ENTRY_OFFSET + this.entry * ENTRY_BYTES;
    this.image.set(entry, base);
    this.image.set(data, base + ENTRY_BYTES);
    for (let i = 0; i < span; i++) this.markWritten(this.entry + i);
    this.entry += span;
  }

  /** Entry state 11 (empty) → 10 (written): clear the lower bit of the entry's pair. */
  private markWritten(index: number): void {
    const bit = index * 2;
    this.image[this.page * PAGE_BYTES + BITMAP_OFFSET + (bit >> 3)] &= ~(1 << (bit & 7));
  }

  /** Headers for every usable page, written or not, as the generator gives them. */
  finish(): Uint8Array {
    for (let page = 0; page < this.usablePages; page++) {
      const header = this.image.subarray(page * PAGE_BYTES, page * PAGE_BYTES + 32);
      const view = new DataView(header.buffer, header.byteOffset, 32);
      view.setUint32(0, PAGE_STATE.active, true);
      view.setUint32(4, page, true);
      header[8] = PAGE_VERSION.v2;
      view.setUint32(28, headerCrc32(header), true);
    }
    return this.image;
  }
}

/** A 32-byte entry with its CRC; `data` is the 8-byte data field. */
function entryBytes(nsIndex: number, type: number, span: number, chunkIndex: number, key: Uint8Array, data: Uint8Array): Uint8Array {
  const entry = new Uint8Array(ENTRY_BYTES).fill(0xff);
  entry[0] = nsIndex;
  entry[1] = type;
  entry[2] = span;
  entry[3] = chunkIndex;
  entry.fill(0, KEY_OFFSET, KEY_OFFSET + 16);
  entry.set(key, KEY_OFFSET);
  entry.set(data, DATA_OFFSET);
  new DataView(entry.buffer).setUint32(4, entryCrc32(entry), true);
  return entry;
}

/** The data field of a string or blob chunk: size u16, 0xFFFF, CRC-32 of the bytes. */
function varLengthField(bytes: Uint8Array): Uint8Array {
  const field = new Uint8Array(8).fill(0xff);
  const view = new DataView(field.buffer);
  view.setUint16(0, bytes.length, true);
  view.setUint32(4, nvsCrc32(bytes), true);
  return field;
}

function putInteger(layout: ImageLayout, nsIndex: number, key: Uint8Array, type: IntegerType, value: Uint8Array): void {
  if (layout.freeEntries < 1) layout.nextPage();
  const field = new Uint8Array(8).fill(0xff);
  field.set(value);
  layout.put(entryBytes(nsIndex, INTEGER_TYPES[type].code, 1, CHUNK_ANY, key, field));
}

function putString(layout: ImageLayout, nsIndex: number, key: Uint8Array, name: string, text: string): void {
  if (text.includes('\u0000')) throw new NvsError(`"${name}": a string cannot hold a NUL character`);
  const bytes = new Uint8Array([...utf8(text), 0]);
  if (bytes.length > MAX_VALUE_BYTES) {
    throw new NvsError(`"${name}": ${bytes.length - 1} bytes of text, more than ${MAX_VALUE_BYTES - 1}`);
  }
  const span = 1 + Math.ceil(bytes.length / ENTRY_BYTES);
  if (layout.freeEntries < span) layout.nextPage();
  layout.put(entryBytes(nsIndex, ITEM_TYPE.string, span, CHUNK_ANY, key, varLengthField(bytes)), bytes);
}

/** A blob in version 2: data chunks (chunk index 0, 1 …) filling pages as they go, then the index. */
function putBlob(layout: ImageLayout, nsIndex: number, key: Uint8Array, name: string, bytes: Uint8Array): void {
  if (bytes.length > MAX_VALUE_BYTES) throw new NvsError(`"${name}": ${bytes.length} bytes, more than ${MAX_VALUE_BYTES}`);
  let offset = 0;
  let chunks = 0;
  do {
    // A chunk needs its own entry and at least one for data (an empty blob gets one empty chunk).
    if (layout.freeEntries < (bytes.length === 0 ? 1 : 2)) layout.nextPage();
    const room = (layout.freeEntries - 1) * ENTRY_BYTES;
    const chunk = bytes.subarray(offset, offset + Math.min(room, bytes.length - offset));
    const span = 1 + Math.ceil(chunk.length / ENTRY_BYTES);
    layout.put(entryBytes(nsIndex, ITEM_TYPE.blobData, span, chunks, key, varLengthField(chunk)), chunk);
    offset += chunk.length;
    chunks += 1;
  } while (offset < bytes.length);
  if (layout.freeEntries < 1) layout.nextPage();
  const index = new Uint8Array(8).fill(0xff);
  new DataView(index.buffer).setUint32(0, bytes.length, true);
  index[4] = chunks;
  index[5] = 0; // chunk start: version 0 of the blob
  layout.put(entryBytes(nsIndex, ITEM_TYPE.blobIndex, 1, CHUNK_ANY, key, index));
}

function putValue(layout: ImageLayout, nsIndex: number, item: NvsItem): void {
  const key = nameBytes('key', item.key);
  const { value } = item;
  if (typeof value === 'string') putString(layout, nsIndex, key, item.key, value);
  else if (value instanceof Uint8Array) putBlob(layout, nsIndex, key, item.key, value);
  else if (typeof value === 'boolean') putInteger(layout, nsIndex, key, 'u8', Uint8Array.of(value ? 1 : 0));
  else if (typeof value === 'number') putInteger(layout, nsIndex, key, 'i32', integerBytes(item.key, 'i32', value));
  else if (typeof value === 'object' && value !== null && value.type in INTEGER_TYPES) {
    putInteger(layout, nsIndex, key, value.type, integerBytes(item.key, value.type, value.value));
  } else {
    throw new NvsError(`"${item.key}": a value must be text, bytes, a boolean or an integer`);
  }
}

/**
 * An NVS partition image of `size` bytes holding `items`. Throws an NvsError for a bad name, a value
 * too large or of no NVS type, the same key twice in a namespace, or items that do not fit.
 */
export function writeNvsImage(items: readonly NvsItem[], size: number): Uint8Array {
  const layout = new ImageLayout(size);
  const namespaces = new Map<string, number>();
  const seen = new Set<string>();
  for (const item of items) {
    const id = `${item.namespace}\u0000${item.key}`;
    if (seen.has(id)) throw new NvsError(`"${item.key}" appears twice in namespace "${item.namespace}"`);
    seen.add(id);
    let nsIndex = namespaces.get(item.namespace);
    if (nsIndex === undefined) {
      if (namespaces.size >= MAX_NAMESPACES) throw new NvsError(`more than ${MAX_NAMESPACES} namespaces`);
      nsIndex = namespaces.size + 1;
      namespaces.set(item.namespace, nsIndex);
      putInteger(layout, 0, nameBytes('namespace', item.namespace), 'u8', Uint8Array.of(nsIndex));
    }
    putValue(layout, nsIndex, item);
  }
  return layout.finish();
}

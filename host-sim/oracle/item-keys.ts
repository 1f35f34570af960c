/**
 * The set of items an oracle has stored, by the key its tables are unique on: the table (PoC items,
 * mapper uplinks, mapper receipts), the item's own time and its 16-byte id. It answers what the
 * database's `ON CONFLICT (time_ms, id) DO NOTHING` would (stored or duplicate) without asking it.
 *
 * A day of 10,000 hotspots stores about 700,000 items: as strings in a Set they would cost some 60 MB
 * of the simulator's heap, here about 25 MB of typed arrays outside it. Open addressing, linear
 * probing, at most half full.
 */
import { RECEIPT_ID_BYTES } from '../../proofs/index.js';

/** Which of the oracle's item tables a key belongs to. */
export const ItemTable = { Poc: 0, MapperUplink: 1, MapperReceipt: 2 } as const;
export type ItemTable = (typeof ItemTable)[keyof typeof ItemTable];

const EMPTY = 0;

export class ItemKeySet {
  /** Entry number + 1 in each slot; EMPTY where none. */
  private slots: Int32Array;
  private ids: Uint8Array;
  private times: Float64Array;
  private tables: Uint8Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, 2 ** Math.ceil(Math.log2(initialCapacity)));
    this.slots = new Int32Array(capacity * 2);
    this.ids = new Uint8Array(capacity * RECEIPT_ID_BYTES);
    this.times = new Float64Array(capacity);
    this.tables = new Uint8Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the key: true if it is new, false if it was there already. */
  add(table: ItemTable, timeMs: number, id: Uint8Array): boolean {
    if (id.length !== RECEIPT_ID_BYTES) throw new RangeError(`an item id is ${RECEIPT_ID_BYTES} bytes, not ${id.length}`);
    const mask = this.slots.length - 1;
    for (let slot = hashOf(table, timeMs, id) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === EMPTY) break;
      if (this.matches(entry - 1, table, timeMs, id)) return false;
    }
    if (this.count === this.times.length) this.grow();
    const entry = this.count++;
    this.ids.set(id, entry * RECEIPT_ID_BYTES);
    this.times[entry] = timeMs;
    this.tables[entry] = table;
    this.place(entry);
    return true;
  }

  private matches(entry: number, table: ItemTable, timeMs: number, id: Uint8Array): boolean {
    if (this.tables[entry] !== table || this.times[entry] !== timeMs) return false;
    const at = entry * RECEIPT_ID_BYTES;
    for (let i = 0; i < RECEIPT_ID_BYTES; i++) if (this.ids[at + i] !== id[i]) return false;
    return true;
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    const id = this.ids.subarray(entry * RECEIPT_ID_BYTES, (entry + 1) * RECEIPT_ID_BYTES);
    let slot = hashOf(this.tables[entry], this.times[entry], id) & mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const ids = new Uint8Array(capacity * RECEIPT_ID_BYTES);
    ids.set(this.ids);
    const times = new Float64Array(capacity);
    times.set(this.times);
    const tables = new Uint8Array(capacity);
    tables.set(this.tables);
    [this.ids, this.times, this.tables] = [ids, times, tables];
    this.slots = new Int32Array(capacity * 2);
    for (let entry = 0; entry < this.count; entry++) this.place(entry);
  }
}

/**
 * Mixes the id's first eight bytes with the time and the table. Ids are hashes already, but a test may
 * make ids that share a prefix, so the time and the rest of the mixing keep those apart too.
 */
function hashOf(table: number, timeMs: number, id: Uint8Array): number {
  let h = Math.imul((id[0] | (id[1] << 8) | (id[2] << 16) | (id[3] << 24)) ^ table, 0x9e3779b1);
  h ^= id[4] | (id[5] << 8) | (id[6] << 16) | (id[7] << 24);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h ^= timeMs % 0x7fffffff;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The numbers the air reads about every station within reach of a transmitter, kept by station index in
 * typed arrays, side by side.
 *
 * When a transmitter sends for the first time, the air works out its path loss, shadowing and RSSI to each
 * of the stations within its horizon: about a thousand in a city, so ten million links for 10,000
 * hotspots. Read from the stations' own records, each link cost several trips to main memory: to the
 * record, then to each of its numbers, which V8 keeps in boxes of their own unless they are small
 * integers. Here the same numbers sit in a few arrays of 8 bytes a station, which a processor's caches
 * hold whole for tens of thousands of stations. The values are copies, so the arithmetic and every
 * result are the same. A station's entry is written when it attaches and again when it moves.
 * No Node APIs.
 */
import type { Member } from './sim-air-records.js';

const INITIAL_CAPACITY = 64;

export class StationTable {
  xM: Float64Array = new Float64Array(INITIAL_CAPACITY);
  yM: Float64Array = new Float64Array(INITIAL_CAPACITY);
  heightM: Float64Array = new Float64Array(INITIAL_CAPACITY);
  gainDbi: Float64Array = new Float64Array(INITIAL_CAPACITY);
  noiseFigureDb: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** The stations' shadowing keys (shadowing.ts), unsigned 32-bit. */
  shadowingKey: Uint32Array = new Uint32Array(INITIAL_CAPACITY);

  /** Writes (or rewrites) `member`'s entry from its record. */
  set(member: Member): void {
    const i = member.index;
    if (i >= this.xM.length) this.grow(i + 1);
    this.xM[i] = member.xM;
    this.yM[i] = member.yM;
    this.heightM[i] = member.heightM;
    this.gainDbi[i] = member.gainDbi;
    this.noiseFigureDb[i] = member.noiseFigureDb;
    this.shadowingKey[i] = member.shadowingKey;
  }

  private grow(needed: number): void {
    let capacity = this.xM.length;
    while (capacity < needed) capacity *= 2;
    this.xM = grown(this.xM, capacity);
    this.yM = grown(this.yM, capacity);
    this.heightM = grown(this.heightM, capacity);
    this.gainDbi = grown(this.gainDbi, capacity);
    this.noiseFigureDb = grown(this.noiseFigureDb, capacity);
    const keys = new Uint32Array(capacity);
    keys.set(this.shadowingKey);
    this.shadowingKey = keys;
  }
}

function grown(values: Float64Array, capacity: number): Float64Array {
  const copy = new Float64Array(capacity);
  copy.set(values);
  return copy;
}

/**
 * What the receipt queue keeps in RAM about each sector of its region, and the ring of live sectors.
 *
 * This is the queue's whole index: four 32-bit numbers per sector (one typed array, 16 bytes a sector,
 * 256 bytes for a 64 KB region) and nothing per record. Finding a record means walking record headers
 * on flash from the right sector, which `firstSeq` lets the queue pick without reading anything. The
 * trade: peeks and removes cost flash reads of a few headers each (fast: SPI flash reads run at tens
 * of MB/s), and RAM stays constant however many records are stored.
 */

/** A sector is Free (verified erased), Dirty (holds anything else and needs an erase) or Live. */
export const SectorKind = { Free: 0, Dirty: 1, Live: 2 } as const;
export type SectorKind = (typeof SectorKind)[keyof typeof SectorKind];

const KIND = 0;
const SECTOR_SEQ = 1;
const FIRST_SEQ = 2;
const PENDING = 3;
const STRIDE = 4;

export class SectorTable {
  readonly count: number;
  /** The newest live sector, where records are appended; -1 when no sector is live. */
  head = -1;
  /** The oldest live sector; the live sectors run from `tail` to `head` in ring order. */
  tail = -1;
  private readonly cells: Uint32Array;

  constructor(count: number) {
    this.count = count;
    this.cells = new Uint32Array(count * STRIDE);
  }

  /** Forgets everything: every sector Dirty, no live ring. */
  reset(): void {
    this.cells.fill(0);
    for (let s = 0; s < this.count; s++) this.cells[s * STRIDE + KIND] = SectorKind.Dirty;
    this.head = -1;
    this.tail = -1;
  }

  kind(sector: number): SectorKind {
    return this.cells[sector * STRIDE + KIND] as SectorKind;
  }

  /** The sector's place in the ring's history (see format.ts); 0 unless Live. */
  sectorSeq(sector: number): number {
    return this.cells[sector * STRIDE + SECTOR_SEQ];
  }

  /** Every record in this sector and the following ones has a seq at least this. */
  firstSeq(sector: number): number {
    return this.cells[sector * STRIDE + FIRST_SEQ];
  }

  /** Records stored here and not removed. */
  pending(sector: number): number {
    return this.cells[sector * STRIDE + PENDING];
  }

  setFree(sector: number): void {
    this.set(sector, SectorKind.Free, 0, 0);
  }

  setDirty(sector: number): void {
    this.set(sector, SectorKind.Dirty, 0, 0);
  }

  setLive(sector: number, sectorSeq: number, firstSeq: number): void {
    this.set(sector, SectorKind.Live, sectorSeq, firstSeq);
  }

  addPending(sector: number, delta: number): void {
    this.cells[sector * STRIDE + PENDING] += delta;
  }

  next(sector: number): number {
    return sector + 1 === this.count ? 0 : sector + 1;
  }

  previous(sector: number): number {
    return sector === 0 ? this.count - 1 : sector - 1;
  }

  /** True when the live ring covers every sector, so the next sector after the head is the tail. */
  get full(): boolean {
    return this.head >= 0 && this.next(this.head) === this.tail;
  }

  private set(sector: number, kind: SectorKind, sectorSeq: number, firstSeq: number): void {
    const at = sector * STRIDE;
    this.cells[at + KIND] = kind;
    this.cells[at + SECTOR_SEQ] = sectorSeq;
    this.cells[at + FIRST_SEQ] = firstSeq;
    this.cells[at + PENDING] = 0;
  }
}

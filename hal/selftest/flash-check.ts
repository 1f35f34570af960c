/**
 * The flash item: erase, program and read back one sector of the receipt partition (the Flash port,
 * hal/moddable/flash.ts on the device) without losing a receipt.
 *
 * Which sector. The receipt queue (src/receipt-queue.ts, src/queue/mount.ts) reads only sectors whose
 * header is a valid live header; every other sector is Free (all 0xFF) or Dirty, is never read again,
 * and is erased before the queue next uses it. So the test takes a sector without a live header,
 * an erased one first, and leaves it erased. That is safe against a power cut at any point: whatever the
 * cut leaves there (erased cells, part of the test pattern, a torn erase) is not a live header, because the
 * pattern's first bytes are not the queue's magic "CVQ1", so the next mount sees a Free or Dirty sector and
 * the receipts in the other sectors are untouched.
 *
 * Only when every sector holds a live header (the queue has gone all the way round) does the test use
 * the oldest one, the queue's tail: it reads the sector into RAM (one 4 KB buffer), tests it, and programs
 * the copy back. That is not safe against a power cut between the first erase and the end of the copy:
 * the receipts of that sector, the oldest, which the queue would drop first, are lost (the mount then
 * skips whatever is torn there). docs/firmware.md, "Self-test", says so.
 */
import { isErased, readU32, SECTOR_HEADER_BYTES, SectorHeaderState, sectorHeaderState } from '../runtime.js';
import type { Flash } from '../../src/ports.js';
import { type CheckResult, fail, hexByte, messageOf, pass } from './report.js';

/** Bytes programmed and compared at a time: bounds the RAM the check takes when no copy is kept. */
const CHUNK = 256;

/** The test pattern's byte at `offset` in the sector: varies with the offset, never the queue's magic. */
export function patternByte(offset: number): number {
  return (0xa5 ^ Math.imul(offset, 29) ^ (offset >> 8)) & 0xff;
}

export interface ScratchSector {
  readonly sector: number;
  /** 'erased': all 0xFF; 'unused': no live header; 'oldest': the queue's tail, copied and restored. */
  readonly kind: 'erased' | 'unused' | 'oldest';
}

function sectorErased(flash: Flash, sector: number): boolean {
  const start = sector * flash.sectorSize;
  for (let at = 0; at < flash.sectorSize; at += CHUNK) {
    if (!isErased(flash.read(start + at, Math.min(CHUNK, flash.sectorSize - at)))) return false;
  }
  return true;
}

/** The sector the test may use (see the module comment). */
export function pickScratchSector(flash: Flash): ScratchSector {
  const count = flash.size / flash.sectorSize;
  let unused = -1;
  let oldest = -1;
  let oldestSeq = 0;
  for (let sector = count - 1; sector >= 0; sector--) {
    const header = flash.read(sector * flash.sectorSize, SECTOR_HEADER_BYTES);
    if (sectorHeaderState(header) === SectorHeaderState.Live) {
      const seq = readU32(header, 4);
      if (oldest < 0 || seq < oldestSeq) {
        oldest = sector;
        oldestSeq = seq;
      }
    } else if (sectorErased(flash, sector)) {
      return { sector, kind: 'erased' };
    } else if (unused < 0) {
      unused = sector;
    }
  }
  return unused >= 0 ? { sector: unused, kind: 'unused' } : { sector: oldest, kind: 'oldest' };
}

/** The first offset in the sector where it does not read `expected(offset)`, and what it reads there. */
function firstMismatch(flash: Flash, sector: number, expected: (offset: number) => number): { offset: number; read: number } | undefined {
  const start = sector * flash.sectorSize;
  for (let at = 0; at < flash.sectorSize; at += CHUNK) {
    const bytes = flash.read(start + at, Math.min(CHUNK, flash.sectorSize - at));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== expected(at + i)) return { offset: at + i, read: bytes[i] };
  }
  return undefined;
}

function programPattern(flash: Flash, sector: number): void {
  const start = sector * flash.sectorSize;
  const chunk = new Uint8Array(CHUNK);
  for (let at = 0; at < flash.sectorSize; at += CHUNK) {
    const length = Math.min(CHUNK, flash.sectorSize - at);
    for (let i = 0; i < length; i++) chunk[i] = patternByte(at + i);
    flash.program(start + at, length === CHUNK ? chunk : chunk.subarray(0, length));
  }
}

/** Runs `action`; a throw becomes an Error naming the step. */
function step<T>(what: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new Error(`${what} failed: ${messageOf(error)}`, { cause: error });
  }
}

/** Erase, check erased, program the pattern, read it back, erase; undefined when all went right. */
function exercise(flash: Flash, sector: number): string | undefined {
  const erased = (): number => 0xff;
  step(`erasing sector ${sector}`, () => flash.erase(sector));
  let bad = step(`reading sector ${sector}`, () => firstMismatch(flash, sector, erased));
  if (bad !== undefined) return `sector ${sector} not erased: offset ${bad.offset} reads ${hexByte(bad.read)} after an erase`;
  step(`programming sector ${sector}`, () => programPattern(flash, sector));
  bad = step(`reading sector ${sector}`, () => firstMismatch(flash, sector, patternByte));
  if (bad !== undefined) {
    return `sector ${sector}: wrote ${hexByte(patternByte(bad.offset))} at offset ${bad.offset}, read ${hexByte(bad.read)}`;
  }
  step(`erasing sector ${sector}`, () => flash.erase(sector));
  bad = step(`reading sector ${sector}`, () => firstMismatch(flash, sector, erased));
  if (bad !== undefined) return `sector ${sector} not erased: offset ${bad.offset} reads ${hexByte(bad.read)} after the second erase`;
  return undefined;
}

export function checkFlash(flash: Flash): CheckResult {
  const { sector, kind } = pickScratchSector(flash);
  const fields = { sector, sectors: flash.size / flash.sectorSize, scratch: kind };
  const copy = kind === 'oldest' ? flash.read(sector * flash.sectorSize, flash.sectorSize) : undefined;
  let problem: string | undefined;
  try {
    problem = exercise(flash, sector);
  } catch (error) {
    problem = messageOf(error);
  }
  if (copy !== undefined) {
    try {
      flash.erase(sector);
      flash.program(sector * flash.sectorSize, copy);
      const bad = firstMismatch(flash, sector, (offset) => copy[offset]);
      if (bad !== undefined) problem ??= `sector ${sector}: the receipts copied back read ${hexByte(bad.read)} at offset ${bad.offset}, not ${hexByte(copy[bad.offset])}`;
    } catch (error) {
      problem ??= `restoring sector ${sector} failed: ${messageOf(error)}`;
    }
  }
  return problem === undefined ? pass(fields) : fail(problem, fields);
}

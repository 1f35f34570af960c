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
 * When every sector holds a live header (the queue has gone all the way round) there is no such sector,
 * and no sector may be erased without putting receipts at the mercy of a power cut. The item then reads
 * every sector back (a flash that cannot be read fails) and is skipped, saying why: the write test waits
 * until the queue has uploaded and freed a sector.
 */
import { isErased, SECTOR_HEADER_BYTES, SectorHeaderState, sectorHeaderState } from '../runtime.js';
import type { Flash } from '../../src/ports.js';
import { type CheckResult, fail, hexByte, messageOf, pass, skip } from './report.js';

/** Bytes programmed and compared at a time: bounds the RAM the check takes when no copy is kept. */
const CHUNK = 256;

/** The test pattern's byte at `offset` in the sector: varies with the offset, never the queue's magic. */
export function patternByte(offset: number): number {
  return (0xa5 ^ Math.imul(offset, 29) ^ (offset >> 8)) & 0xff;
}

export interface ScratchSector {
  readonly sector: number;
  /** 'erased': all 0xFF; 'unused': no live header, not erased. */
  readonly kind: 'erased' | 'unused';
}

function sectorErased(flash: Flash, sector: number): boolean {
  const start = sector * flash.sectorSize;
  for (let at = 0; at < flash.sectorSize; at += CHUNK) {
    if (!isErased(flash.read(start + at, Math.min(CHUNK, flash.sectorSize - at)))) return false;
  }
  return true;
}

/** The sector the test may use (see the module comment), or undefined when every sector holds receipts. */
export function pickScratchSector(flash: Flash): ScratchSector | undefined {
  const count = flash.size / flash.sectorSize;
  let unused = -1;
  for (let sector = count - 1; sector >= 0; sector--) {
    const header = flash.read(sector * flash.sectorSize, SECTOR_HEADER_BYTES);
    if (sectorHeaderState(header) === SectorHeaderState.Live) continue;
    if (sectorErased(flash, sector)) return { sector, kind: 'erased' };
    if (unused < 0) unused = sector;
  }
  return unused >= 0 ? { sector: unused, kind: 'unused' } : undefined;
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

/** Reads every sector through, a chunk at a time; the problem, or undefined when all of it reads. */
function readAll(flash: Flash, sectors: number): string | undefined {
  for (let sector = 0; sector < sectors; sector++) {
    const start = sector * flash.sectorSize;
    try {
      for (let at = 0; at < flash.sectorSize; at += CHUNK) flash.read(start + at, Math.min(CHUNK, flash.sectorSize - at));
    } catch (error) {
      return `reading sector ${sector} failed: ${messageOf(error)}`;
    }
  }
  return undefined;
}

export function checkFlash(flash: Flash): CheckResult {
  const sectors = flash.size / flash.sectorSize;
  const scratch = pickScratchSector(flash);
  if (scratch === undefined) {
    const problem = readAll(flash, sectors);
    if (problem !== undefined) return fail(problem, { sectors });
    return skip(`all ${sectors} sectors hold receipts and read back; the write test needs a sector without any (let the queue upload, then run it again)`, { sectors });
  }
  const { sector, kind } = scratch;
  const fields = { sector, sectors, scratch: kind };
  let problem: string | undefined;
  try {
    problem = exercise(flash, sector);
  } catch (error) {
    problem = messageOf(error);
  }
  return problem === undefined ? pass(fields) : fail(problem, fields);
}

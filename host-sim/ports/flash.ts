/**
 * A simulated NOR flash for the `Flash` port (src/ports.ts), with power cuts that can be injected at any
 * program or erase step, including halfway through one.
 *
 * NOR semantics, as on the ESP32's SPI flash (e.g. GD25Q32 / W25Q32 datasheets, "Page Program" and
 * "Sector Erase"): erased cells read 0xFF; a program can only clear bits, so the stored byte becomes
 * old AND new (programming over a programmed byte is allowed and does exactly that); only a sector
 * erase sets bits back to 1.
 *
 * Power cuts. Every program and erase is one numbered step (0, 1, 2, … over the life of the chip).
 * `cutPowerAt(step, phase)` makes step `step` fail: 'before' it changes anything, 'after' it completed, or
 * 'torn' halfway through it. A torn program writes a prefix of its bytes fully and the next byte with a
 * random subset of its to-be-cleared bits cleared; a torn erase either sets a prefix or a random run of
 * the sector to 0xFF and leaves the rest, or sets random bits all over the sector (cells that were
 * partly erased). From then on every access through any mount throws `PowerCutError`, as a dead device
 * would, until `reboot()` returns a new mount over the same cells; mounts made before the cut stay dead.
 *
 * Randomness comes from an injected `SeededRng`, so a run replays exactly. Wear (programs and erases per
 * sector) and reads are counted for the benchmarks. No Node APIs: the XS tier loads this file.
 */
import type { Flash } from '../../src/ports.js';
import { SeededRng } from './seeded-rng.js';

/** When in a step the power goes. */
export type CutPhase = 'before' | 'torn' | 'after';

/** The two operations that change the cells, one step each. */
export type FlashOperation = 'program' | 'erase';

/** Thrown by every access once the power was cut, until a reboot. `code` is 'PowerCut'. */
export class PowerCutError extends Error {
  readonly code = 'PowerCut';

  constructor(message: string) {
    super(message);
    this.name = 'PowerCutError';
  }
}

export interface SimFlashOptions {
  /** Total bytes: a whole number of sectors. */
  readonly size: number;
  /** Erase unit, bytes. Default 4,096 (ESP32 SPI flash). */
  readonly sectorSize?: number;
  /** Drives torn writes and erases. Default: `new SeededRng(1)`. */
  readonly rng?: SeededRng;
  /** Initial contents (copied), e.g. garbage; default all erased (0xFF). */
  readonly contents?: Uint8Array;
  /**
   * Where the cells are kept: `size` bytes that the flash takes over and erases (default: a buffer of its
   * own). Many flashes can share one buffer in slices: the simulator's hotspots do, so that their cells
   * go back to the system in one piece when they are let go, rather than staying with the allocator as
   * thousands of small buffers would.
   */
  readonly storage?: Uint8Array;
}

/** Counters over the life of the chip (all mounts). */
export interface SimFlashCounters {
  /** Program and erase calls started, including one that was cut: the next step's number. */
  readonly steps: number;
  readonly reads: number;
  readonly bytesRead: number;
  readonly programs: number;
  readonly erases: number;
  readonly powerCuts: number;
}

/** The cells and counters, shared by every mount of one chip. */
class FlashCells {
  readonly bytes: Uint8Array;
  readonly programsPerSector: Uint32Array;
  readonly erasesPerSector: Uint32Array;
  generation = 0;
  powered = true;
  steps = 0;
  reads = 0;
  bytesRead = 0;
  programs = 0;
  erases = 0;
  powerCuts = 0;
  /** The step to cut at, or -1 for none (or for 'the next program/erase', see cutOperation). */
  cutStep = -1;
  cutOperation: FlashOperation | undefined = undefined;
  cutPhase: CutPhase = 'before';

  constructor(
    readonly sectorSize: number,
    size: number,
    readonly rng: SeededRng,
    contents: Uint8Array | undefined,
    storage: Uint8Array | undefined,
  ) {
    this.bytes = (storage ?? new Uint8Array(size)).fill(0xff);
    if (contents !== undefined) this.bytes.set(contents);
    this.programsPerSector = new Uint32Array(size / sectorSize);
    this.erasesPerSector = new Uint32Array(size / sectorSize);
  }
}

export class SimFlash implements Flash {
  readonly size: number;
  readonly sectorSize: number;
  private readonly cells: FlashCells;
  private readonly generation: number;

  constructor(options: SimFlashOptions | { readonly cells: FlashCells }) {
    if ('cells' in options) {
      this.cells = options.cells;
    } else {
      const { size, sectorSize = 4096, rng = new SeededRng(1), contents, storage } = options;
      if (!Number.isInteger(sectorSize) || sectorSize < 1) throw new RangeError('sectorSize must be a positive integer');
      if (!Number.isInteger(size) || size < sectorSize || size % sectorSize !== 0) {
        throw new RangeError('size must be a positive whole number of sectors');
      }
      if (contents !== undefined && contents.length !== size) throw new RangeError(`contents must be ${size} bytes`);
      if (storage !== undefined && (!(storage instanceof Uint8Array) || storage.length !== size)) {
        throw new RangeError(`storage must be a Uint8Array of ${size} bytes`);
      }
      this.cells = new FlashCells(sectorSize, size, rng, contents, storage);
    }
    this.size = this.cells.bytes.length;
    this.sectorSize = this.cells.sectorSize;
    this.generation = this.cells.generation;
  }

  /**
   * Power comes back: a new mount over the same cells. This mount and older ones stay dead. A cut
   * scheduled for a later step stays scheduled.
   */
  reboot(): SimFlash {
    this.cells.generation++;
    this.cells.powered = true;
    return new SimFlash({ cells: this.cells });
  }

  /** Cuts the power at program/erase step `step` (see `counters.steps`), in the given phase. */
  cutPowerAt(step: number, phase: CutPhase): void {
    if (!Number.isInteger(step) || step < this.cells.steps) throw new RangeError(`step must be an integer ≥ ${this.cells.steps}`);
    this.cells.cutStep = step;
    this.cells.cutOperation = undefined;
    this.cells.cutPhase = phase;
  }

  /** Cuts the power at the next program (or erase), whichever step that is. */
  cutPowerAtNext(operation: FlashOperation, phase: CutPhase): void {
    this.cells.cutStep = -1;
    this.cells.cutOperation = operation;
    this.cells.cutPhase = phase;
  }

  /** Cancels a scheduled cut that has not happened yet. */
  cancelPowerCut(): void {
    this.cells.cutStep = -1;
    this.cells.cutOperation = undefined;
  }

  /** Cuts the power now, between operations. */
  cutPower(): void {
    this.cells.powered = false;
    this.cells.powerCuts++;
  }

  get counters(): SimFlashCounters {
    const { steps, reads, bytesRead, programs, erases, powerCuts } = this.cells;
    return { steps, reads, bytesRead, programs, erases, powerCuts };
  }

  /** Programs per sector (a program spanning two sectors counts in both). A copy. */
  programsPerSector(): Uint32Array {
    return this.cells.programsPerSector.slice();
  }

  /** Erases per sector, torn ones included. A copy. */
  erasesPerSector(): Uint32Array {
    return this.cells.erasesPerSector.slice();
  }

  /** The raw cells, whatever the power (a copy), e.g. to compare runs or to read a dump. */
  snapshot(): Uint8Array {
    return this.cells.bytes.slice();
  }

  read(offset: number, length: number): Uint8Array {
    this.assertPowered();
    this.assertRange(offset, length);
    this.cells.reads++;
    this.cells.bytesRead += length;
    return this.cells.bytes.slice(offset, offset + length);
  }

  program(offset: number, bytes: Uint8Array): void {
    this.assertPowered();
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    this.assertRange(offset, bytes.length);
    const cells = this.cells;
    const phase = this.beginStep('program');
    cells.programs++;
    const lastSector = Math.floor((offset + Math.max(bytes.length, 1) - 1) / cells.sectorSize);
    for (let s = Math.floor(offset / cells.sectorSize); s <= lastSector; s++) cells.programsPerSector[s]++;
    const complete = phase === 'torn' ? cells.rng.below(Math.max(bytes.length, 1)) : bytes.length;
    for (let i = 0; i < complete; i++) cells.bytes[offset + i] &= bytes[i];
    if (phase === 'torn' && complete < bytes.length) {
      const old = cells.bytes[offset + complete];
      const toClear = old & ~bytes[complete];
      cells.bytes[offset + complete] = old & ~(toClear & cells.rng.below(256));
    }
    this.endStep(phase, `program at ${offset}`);
  }

  erase(sector: number): void {
    this.assertPowered();
    const count = this.cells.erasesPerSector.length;
    if (!Number.isInteger(sector) || sector < 0 || sector >= count) throw new RangeError(`sector must be an integer in [0, ${count})`);
    const cells = this.cells;
    const phase = this.beginStep('erase');
    cells.erases++;
    cells.erasesPerSector[sector]++;
    const start = sector * cells.sectorSize;
    if (phase === 'torn') this.tearErase(start);
    else if (phase !== 'before') cells.bytes.fill(0xff, start, start + cells.sectorSize);
    this.endStep(phase, `erase of sector ${sector}`);
  }

  /**
   * A partial erase: a prefix of the sector, a run anywhere in it, or random bits all over it come back
   * to 1. Run lengths are log-uniform, so runs of a few bytes (one marker, one header field) are as
   * likely as runs of a few hundred.
   */
  private tearErase(start: number): void {
    const { bytes, rng, sectorSize } = this.cells;
    const mode = rng.below(3);
    if (mode === 2) {
      for (let i = start; i < start + sectorSize; i++) bytes[i] |= rng.below(256);
      return;
    }
    const from = mode === 0 ? 0 : rng.below(sectorSize);
    const length = Math.floor(Math.pow(sectorSize - from + 1, rng.fraction()));
    bytes.fill(0xff, start + from, start + from + length);
  }

  /** Numbers the step; returns the phase in which the power goes, or 'none'. Cuts before when asked. */
  private beginStep(operation: FlashOperation): CutPhase | 'none' {
    const cells = this.cells;
    const step = cells.steps++;
    if (step !== cells.cutStep && operation !== cells.cutOperation) return 'none';
    if (cells.cutPhase === 'before') this.die(`before step ${step}`);
    return cells.cutPhase;
  }

  private endStep(phase: CutPhase | 'none', what: string): void {
    if (phase !== 'none') this.die(`${phase === 'torn' ? 'halfway through' : 'after'} ${what}`);
  }

  private die(when: string): never {
    this.cells.powered = false;
    this.cells.powerCuts++;
    this.cells.cutStep = -1;
    this.cells.cutOperation = undefined;
    throw new PowerCutError(`power cut ${when}`);
  }

  private assertPowered(): void {
    if (!this.cells.powered || this.generation !== this.cells.generation) {
      throw new PowerCutError('flash has no power: reboot() to mount it again');
    }
  }

  private assertRange(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`range [${offset}, ${offset}+${length}) is outside the flash (${this.size} bytes)`);
    }
  }
}

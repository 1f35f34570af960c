/**
 * The simulated NOR flash (host-sim/ports/flash.ts): NOR semantics, bounds, power cuts before, halfway
 * through and after a step, reboots, wear counters, and reproducibility from the seed.
 */
import fc from 'fast-check';
import { PowerCutError, SimFlash, type CutPhase } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';

const SECTOR = 256;

function flash(sectors = 4, seed = 1): SimFlash {
  return new SimFlash({ size: sectors * SECTOR, sectorSize: SECTOR, rng: new SeededRng(seed) });
}

describe('NOR semantics', () => {
  test('a new flash reads erased (0xFF) everywhere', () => {
    expect(flash().read(0, 4 * SECTOR).every((b) => b === 0xff)).toBe(true);
  });

  test('programming ANDs the bytes in, also over bytes already programmed', () => {
    const f = flash();
    f.program(10, Uint8Array.of(0xf0, 0x0f));
    f.program(10, Uint8Array.of(0x3c, 0xff));
    expect([...f.read(10, 2)]).toEqual([0x30, 0x0f]);
  });

  test('programming never sets a bit', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.uint8Array({ minLength: 1, maxLength: 32 }), (a, b) => {
        const f = flash(1);
        f.program(0, a);
        const before = f.read(0, 32);
        f.program(0, b);
        const after = f.read(0, 32);
        for (let i = 0; i < 32; i++) expect(after[i] & ~before[i] & 0xff).toBe(0);
      }),
    );
  });

  test('flashes over slices of one buffer keep to their own slice, and a slice of the wrong size is refused', () => {
    const shared = new Uint8Array(3 * 2 * SECTOR).fill(0x11);
    const flashes = [0, 1, 2].map((i) => new SimFlash({ size: 2 * SECTOR, sectorSize: SECTOR, storage: shared.subarray(i * 2 * SECTOR, (i + 1) * 2 * SECTOR) }));
    expect(shared.every((b) => b === 0xff)).toBe(true); // each erased its slice
    flashes[1].program(0, Uint8Array.of(0x5a));
    flashes[1].program(2 * SECTOR - 1, Uint8Array.of(0xa5));
    expect([...flashes[1].read(0, 1)]).toEqual([0x5a]);
    expect(flashes[0].read(0, 2 * SECTOR).every((b) => b === 0xff)).toBe(true);
    expect(flashes[2].read(0, 2 * SECTOR).every((b) => b === 0xff)).toBe(true);
    expect([shared[2 * SECTOR], shared[4 * SECTOR - 1]]).toEqual([0x5a, 0xa5]);
    flashes[1].erase(1);
    expect(shared[4 * SECTOR - 1]).toBe(0xff);
    expect(() => new SimFlash({ size: 2 * SECTOR, sectorSize: SECTOR, storage: new Uint8Array(SECTOR) })).toThrow(RangeError);
  });

  test('erase sets one whole sector back to 0xFF and leaves its neighbours', () => {
    const f = flash();
    f.program(0, new Uint8Array(4 * SECTOR));
    f.erase(1);
    const image = f.snapshot();
    expect(image.subarray(SECTOR, 2 * SECTOR).every((b) => b === 0xff)).toBe(true);
    expect(image.subarray(0, SECTOR).every((b) => b === 0)).toBe(true);
    expect(image.subarray(2 * SECTOR).every((b) => b === 0)).toBe(true);
  });

  test('reads return a copy, not a view of the cells', () => {
    const f = flash();
    f.read(0, 4).fill(0);
    expect([...f.read(0, 4)]).toEqual([0xff, 0xff, 0xff, 0xff]);
  });
});

describe('bounds', () => {
  test.each([
    ['a read past the end', (f: SimFlash) => f.read(4 * SECTOR - 1, 2)],
    ['a negative offset', (f: SimFlash) => f.read(-1, 1)],
    ['a fractional offset', (f: SimFlash) => f.program(1.5, new Uint8Array(1))],
    ['a program past the end', (f: SimFlash) => f.program(4 * SECTOR, new Uint8Array(1))],
    ['an erase of a sector past the end', (f: SimFlash) => f.erase(4)],
  ])('%s throws RangeError', (_, access) => {
    expect(() => access(flash())).toThrow(RangeError);
  });

  test('a program of something that is not a Uint8Array throws TypeError', () => {
    expect(() => flash().program(0, [1] as unknown as Uint8Array)).toThrow(TypeError);
  });

  test('a size that is not a whole number of sectors is refused', () => {
    expect(() => new SimFlash({ size: 1000, sectorSize: 256 })).toThrow(RangeError);
  });
});

describe('power cuts', () => {
  test('a cut before a program changes nothing and throws PowerCutError', () => {
    const f = flash();
    f.cutPowerAt(0, 'before');
    expect(() => f.program(0, Uint8Array.of(0))).toThrow(PowerCutError);
    expect(f.snapshot()[0]).toBe(0xff);
  });

  test('a cut after a program keeps the program but still throws', () => {
    const f = flash();
    f.cutPowerAt(0, 'after');
    expect(() => f.program(0, Uint8Array.of(0x12))).toThrow(PowerCutError);
    expect(f.snapshot()[0]).toBe(0x12);
  });

  test('after a cut every access throws until a reboot, and the old mount stays dead', () => {
    const f = flash();
    f.cutPowerAt(0, 'before');
    expect(() => f.erase(0)).toThrow(PowerCutError);
    expect(() => f.read(0, 1)).toThrow(PowerCutError);
    const rebooted = f.reboot();
    expect(rebooted.read(0, 1)[0]).toBe(0xff);
    expect(() => f.read(0, 1)).toThrow(PowerCutError);
  });

  test('steps count programs and erases across reboots; a cut lands on the step named', () => {
    let f = flash();
    f.program(0, Uint8Array.of(1));
    f = f.reboot();
    f.erase(3);
    expect(f.counters.steps).toBe(2);
    f.cutPowerAt(3, 'before');
    f.program(1, Uint8Array.of(1));
    expect(() => f.program(2, Uint8Array.of(1))).toThrow(PowerCutError);
  });

  test('cutting the power between operations stops every access until a reboot', () => {
    const f = flash();
    f.program(0, Uint8Array.of(0x42));
    f.cutPower();
    expect(() => f.read(0, 1)).toThrow(PowerCutError);
    expect(f.reboot().read(0, 1)[0]).toBe(0x42);
  });

  test('a cut scheduled past a reboot stays scheduled', () => {
    let f = flash();
    f.cutPowerAt(1, 'before');
    f.program(0, Uint8Array.of(0));
    f = f.reboot();
    expect(() => f.program(1, Uint8Array.of(0))).toThrow(PowerCutError);
  });

  test('a cut can wait for the next erase', () => {
    const f = flash();
    f.cutPowerAtNext('erase', 'before');
    f.program(0, Uint8Array.of(0));
    expect(() => f.erase(0)).toThrow(PowerCutError);
    expect(f.snapshot()[0]).toBe(0);
  });

  test('a torn program writes a prefix, then one byte with some of its bits, then nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), (seed, bytes) => {
        const f = flash(1, seed);
        f.cutPowerAt(0, 'torn');
        expect(() => f.program(8, bytes)).toThrow(PowerCutError);
        const image = f.snapshot().subarray(8, 8 + bytes.length);
        let k = 0;
        while (k < bytes.length && image[k] === bytes[k]) k++;
        if (k < bytes.length) {
          // The torn byte lies between erased and its target: only some of the bits to clear are cleared.
          expect(image[k] & bytes[k]).toBe(bytes[k]);
          for (let i = k + 1; i < bytes.length; i++) expect(image[i]).toBe(0xff);
        }
      }),
    );
  });

  test('a torn erase only sets bits, only in its sector', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
        const f = flash(3, seed);
        f.program(0, new SeededRng(seed).bytes(3 * SECTOR));
        const before = f.snapshot();
        f.cutPowerAt(f.counters.steps, 'torn');
        expect(() => f.erase(1)).toThrow(PowerCutError);
        const after = f.snapshot();
        for (let i = 0; i < after.length; i++) {
          expect(after[i] & before[i]).toBe(before[i]);
          if (i < SECTOR || i >= 2 * SECTOR) expect(after[i]).toBe(before[i]);
        }
      }),
      { numRuns: 50 },
    );
  });

  test('torn erases take all three shapes: a prefix, a run, random bits', () => {
    const shapes = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      const f = flash(1, seed);
      f.program(0, new Uint8Array(SECTOR));
      f.cutPowerAt(1, 'torn');
      expect(() => f.erase(0)).toThrow(PowerCutError);
      const image = f.snapshot();
      const erased = image.filter((b) => b === 0xff).length;
      const partial = image.filter((b) => b !== 0 && b !== 0xff).length;
      if (partial > 0) shapes.add('bits');
      else if (erased > 0 && image[0] === 0xff) shapes.add('prefix-or-run');
      else if (erased > 0) shapes.add('run');
    }
    expect(shapes).toEqual(new Set(['bits', 'prefix-or-run', 'run']));
  });

  test('the same seed tears the same way', () => {
    const tear = (phase: CutPhase) => {
      const f = flash(1, 42);
      f.program(0, new Uint8Array(SECTOR));
      f.cutPowerAt(1, phase);
      expect(() => f.erase(0)).toThrow(PowerCutError);
      return f.snapshot();
    };
    expect(tear('torn')).toEqual(tear('torn'));
  });
});

describe('counters', () => {
  test('programs and erases are counted per sector, reads and bytes read in total', () => {
    const f = flash();
    f.program(SECTOR - 2, new Uint8Array(4)); // spans sectors 0 and 1
    f.program(3 * SECTOR, new Uint8Array(1));
    f.erase(2);
    f.erase(2);
    f.read(0, 10);
    expect([...f.programsPerSector()]).toEqual([1, 1, 0, 1]);
    expect([...f.erasesPerSector()]).toEqual([0, 0, 2, 0]);
    expect(f.counters).toMatchObject({ reads: 1, bytesRead: 10, programs: 2, erases: 2, steps: 4 });
  });
});

describe('SeededRng', () => {
  test('the same seed gives the same stream, another seed another', () => {
    expect(new SeededRng(7).bytes(32)).toEqual(new SeededRng(7).bytes(32));
    expect(new SeededRng(7).bytes(32)).not.toEqual(new SeededRng(8).bytes(32));
  });

  test('below(n) stays in [0, n) and reaches both ends', () => {
    const rng = new SeededRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = rng.below(10);
      expect(x >= 0 && x < 10 && Number.isInteger(x)).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(10);
  });

  test('bytes(n) gives n bytes, and a fraction lies in [0, 1)', () => {
    const rng = new SeededRng(4);
    expect(rng.bytes(7).length).toBe(7);
    for (let i = 0; i < 100; i++) {
      const x = rng.fraction();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  test('a non-integer seed is refused', () => {
    expect(() => new SeededRng(0.5)).toThrow(TypeError);
  });
});

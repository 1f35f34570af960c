/**
 * NVS partition images (tools/nvs): byte for byte against images ESP-IDF's NVS Partition Generator
 * wrote (tests/vectors/nvs-partition-gen.json), the layout of a small image spelled out field by field
 * from the format (nvs_page.hpp, nvs_types.hpp), round trips of random contents, the page and size
 * limits, and the reader's reports of damage.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { NvsError, nvsCrc32, readNvsImage, writeNvsImage, type NvsItem } from '../../tools/nvs/index.js';

interface GoldenCase {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly size: number;
  readonly sha256: string;
  readonly pages: readonly string[];
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/nvs-partition-gen.json', import.meta.url), 'utf8')) as { cases: GoldenCase[] };

const PAGE = 4096;
const SIZE = 0x6000;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const trimmedPages = (image: Uint8Array) =>
  Array.from({ length: image.length / PAGE }, (_, p) => hex(image.subarray(p * PAGE, (p + 1) * PAGE)).replace(/(ff)+$/, ''));

/** The generated contents the vector file describes. */
const longText = Array.from({ length: 3000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz0123456789'[(7 * i) % 36]).join('');
const attestBytes = Uint8Array.from({ length: 4000 }, (_, i) => ((31 * i + 7) >> 1) & 0xff);

describe('against ESP-IDF nvs_partition_gen.py', () => {
  test('the covey namespace with a string, a 32-byte blob, a second string and an i32 is the same image', () => {
    const golden = vectors.cases[0];
    const image = writeNvsImage([
      { namespace: 'covey', key: 'settings', value: golden.files['settings.json'] },
      { namespace: 'covey', key: 'seed', value: Uint8Array.from({ length: 32 }, (_, i) => i) },
      { namespace: 'covey', key: 'mode', value: 'selftest' },
      { namespace: 'covey', key: 'beaconEpoch', value: -5 },
    ], golden.size);
    expect(trimmedPages(image)).toEqual(golden.pages);
    expect(createHash('sha256').update(image).digest('hex')).toBe(golden.sha256);
  });

  test('a blob that continues on the next page and a second namespace give the same image', () => {
    const golden = vectors.cases[1];
    const image = writeNvsImage([
      { namespace: 'covey', key: 'long', value: longText },
      { namespace: 'covey', key: 'attest', value: attestBytes },
      { namespace: 'other', key: 'counter', value: { type: 'u32', value: 4_000_000_000 } },
      { namespace: 'other', key: 'flag', value: true },
      { namespace: 'other', key: 'name', value: 'second namespace' },
    ], golden.size);
    expect(trimmedPages(image)).toEqual(golden.pages);
    expect(createHash('sha256').update(image).digest('hex')).toBe(golden.sha256);
  });

  test('the reader gives back what the generator wrote', () => {
    const image = new Uint8Array(Buffer.concat(vectors.cases[1].pages.map((page) => {
      const bytes = Buffer.alloc(PAGE, 0xff);
      Buffer.from(page, 'hex').copy(bytes);
      return bytes;
    })));
    const contents = readNvsImage(image);
    expect(contents.problems).toEqual([]);
    expect(contents.namespaces).toEqual({
      covey: { long: longText, attest: attestBytes },
      other: { counter: 4_000_000_000, flag: 1, name: 'second namespace' },
    });
  });
});

describe('CRC-32', () => {
  test('is zlib crc32 continued from 0xFFFFFFFF, not the plain CRC-32', () => {
    // Plain CRC-32 of "123456789" is 0xCBF43926 (the catalogue check value); NVS's starts from
    // esp_rom_crc32_le(0xFFFFFFFF, …), which zlib and Python compute as crc32(data, 0xFFFFFFFF).
    expect(nvsCrc32(new TextEncoder().encode('123456789'))).toBe(0xd202d277);
  });
});

describe('layout', () => {
  test('a namespace and one u8 are laid out field by field as the format says', () => {
    const image = writeNvsImage([{ namespace: 'ab', key: 'k', value: { type: 'u8', value: 7 } }], 2 * PAGE);
    expect(image).toHaveLength(2 * PAGE);
    // Page header: state ACTIVE, sequence 0, version 2 (0xFE), 19 bytes 0xFF, CRC-32 of bytes 4..27.
    const header = image.subarray(0, 32);
    expect(hex(header.subarray(0, 28))).toBe(`feffffff00000000fe${'ff'.repeat(19)}`);
    expect(Buffer.from(header).readUInt32LE(28)).toBe(nvsCrc32(header.subarray(4, 28)));
    // Entry-state bitmap: entries 0 and 1 written (10 10), the rest empty (11).
    expect(hex(image.subarray(32, 64))).toBe(`fa${'ff'.repeat(31)}`);
    const entry = (i: number) => image.subarray(64 + 32 * i, 96 + 32 * i);
    const crcOf = (e: Uint8Array) => nvsCrc32(Buffer.concat([e.subarray(0, 4), e.subarray(8, 32)]));
    // Namespace entry: ns 0, U8, span 1, chunk 0xFF, CRC, key "ab" zero-padded, value 1 then 0xFF.
    const ns = entry(0);
    expect(hex(ns.subarray(0, 4))).toBe('000101ff');
    expect(Buffer.from(ns).readUInt32LE(4)).toBe(crcOf(ns));
    expect(hex(ns.subarray(8, 32))).toBe(`6162${'00'.repeat(14)}01${'ff'.repeat(7)}`);
    const item = entry(1);
    expect(hex(item.subarray(0, 4))).toBe('010101ff');
    expect(Buffer.from(item).readUInt32LE(4)).toBe(crcOf(item));
    expect(hex(item.subarray(8, 32))).toBe(`6b${'00'.repeat(15)}07${'ff'.repeat(7)}`);
    // Everything else erased: the rest of page 0 and all of page 1, the page kept free.
    expect(image.subarray(128).every((b) => b === 0xff)).toBe(true);
  });

  test('a string entry holds its size with the NUL, 0xFFFF and the CRC of its bytes, which follow it', () => {
    const image = writeNvsImage([{ namespace: 'n', key: 's', value: 'hi' }], 2 * PAGE);
    const entry = image.subarray(96, 128);
    expect(hex(entry.subarray(0, 4))).toBe('012102ff'); // ns 1, SZ, span 2, chunk any
    expect(hex(entry.subarray(24, 28))).toBe('0300ffff');
    expect(Buffer.from(entry).readUInt32LE(28)).toBe(nvsCrc32(Uint8Array.of(0x68, 0x69, 0)));
    expect(hex(image.subarray(128, 160))).toBe(`686900${'ff'.repeat(29)}`);
  });

  test('every page but the last has a header with the next sequence number; the last stays erased', () => {
    const image = writeNvsImage([{ namespace: 'covey', key: 'x', value: 1 }], SIZE);
    for (let page = 0; page < 5; page++) {
      expect(Buffer.from(image).readUInt32LE(page * PAGE)).toBe(0xfffffffe);
      expect(Buffer.from(image).readUInt32LE(page * PAGE + 4)).toBe(page);
    }
    expect(image.subarray(5 * PAGE).every((b) => b === 0xff)).toBe(true);
    expect(readNvsImage(image).freePages).toBe(1);
  });
});

const key = fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/);
const value: fc.Arbitrary<NvsItem['value']> = fc.oneof(
  fc.string({ maxLength: 600 }).filter((s) => !s.includes('\u0000')),
  fc.uint8Array({ maxLength: 900 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.record({ type: fc.constant('u16' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ type: fc.constant('i64' as const), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) }),
);

describe('round trip', () => {
  test('what is written is read back, with no problem and the last page free', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.record({ namespace: fc.constantFrom('covey', 'nvs.net80211', 'x'), key, value }), {
        selector: (item) => `${item.namespace}/${item.key}`, maxLength: 12,
      }),
      (items) => {
        const contents = readNvsImage(writeNvsImage(items, 16 * PAGE));
        expect(contents.problems).toEqual([]);
        expect(contents.freePages).toBeGreaterThanOrEqual(1);
        const expected: Record<string, Record<string, unknown>> = {};
        for (const item of items) {
          const v = item.value;
          (expected[item.namespace] ??= {})[item.key] = typeof v === 'object' && !(v instanceof Uint8Array) ? v.value : v;
        }
        expect(contents.namespaces).toEqual(expected);
      },
    ), { numRuns: 150 });
  });
});

describe('limits and page boundaries', () => {
  test('a blob of 4,000 bytes is kept, one of 4,001 refused as Preference refuses it', () => {
    const ok = writeNvsImage([{ namespace: 'covey', key: 'b', value: new Uint8Array(4000).fill(1) }], SIZE);
    expect(readNvsImage(ok).namespaces.covey.b).toEqual(new Uint8Array(4000).fill(1));
    expect(() => writeNvsImage([{ namespace: 'covey', key: 'b', value: new Uint8Array(4001) }], SIZE)).toThrow(/4001 bytes, more than 4000/);
  });

  test('a string of 3,999 bytes (4,000 with its NUL) is kept, one byte more refused', () => {
    const text = 'a'.repeat(3999);
    expect(readNvsImage(writeNvsImage([{ namespace: 'covey', key: 's', value: text }], SIZE)).namespaces.covey.s).toBe(text);
    expect(() => writeNvsImage([{ namespace: 'covey', key: 's', value: `${text}b` }], SIZE)).toThrow(/4000 bytes of text/);
  });

  test('a blob after other items is split into chunks 0 and 1 on two pages, and read back whole', () => {
    const image = writeNvsImage([
      { namespace: 'covey', key: 'settings', value: 'x'.repeat(2000) },
      { namespace: 'covey', key: 'attest', value: attestBytes },
    ], SIZE);
    const page1 = image.subarray(PAGE, 2 * PAGE);
    expect(hex(page1.subarray(64, 68))).toMatch(/^0142..01$/); // BLOB_DATA, chunk 1, first entry of page 1
    expect(readNvsImage(image).namespaces.covey.attest).toEqual(attestBytes);
  });

  test('an empty blob is one empty chunk and its index, read back as no bytes', () => {
    const image = writeNvsImage([{ namespace: 'covey', key: 'e', value: new Uint8Array(0) }], 2 * PAGE);
    expect(hex(image.subarray(96, 100))).toBe('01420100'); // BLOB_DATA, span 1, chunk 0
    expect(hex(image.subarray(96 + 24, 96 + 32))).toBe('0000ffffffffffff'); // size 0, CRC of nothing
    expect(hex(image.subarray(128, 132))).toBe('014801ff'); // BLOB_IDX
    expect(readNvsImage(image).namespaces.covey.e).toEqual(new Uint8Array(0));
  });

  test('a string that exactly fills the rest of a page stays on it, as ESP-IDF writes it', () => {
    const image = writeNvsImage([{ namespace: 'covey', key: 's', value: 'a'.repeat(3967) }], 2 * PAGE);
    expect(hex(image.subarray(96, 100))).toBe('01217dff'); // entry 1, span 125: entries 1–125
    expect(hex(image.subarray(32, 64))).toBe(`${'aa'.repeat(31)}fa`); // all 126 entries written
    expect(readNvsImage(image).namespaces.covey.s).toBe('a'.repeat(3967));
  });

  test('a string that does not fit the rest of a page starts the next one', () => {
    const image = writeNvsImage([
      { namespace: 'covey', key: 'a', value: 'x'.repeat(3000) },
      { namespace: 'covey', key: 'b', value: 'y'.repeat(2000) },
    ], SIZE);
    expect(hex(image.subarray(PAGE + 64, PAGE + 68))).toBe('012140ff'); // ns 1, SZ, span 64, chunk any
    expect(readNvsImage(image).namespaces.covey.b).toBe('y'.repeat(2000));
  });

  test('items that need the last page are refused: it must stay free', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ namespace: 'covey', key: `k${i}`, value: 'z'.repeat(3000) }));
    expect(() => writeNvsImage(items.slice(0, 5), SIZE)).not.toThrow();
    expect(() => writeNvsImage(items, SIZE)).toThrow(/do not fit in 24576 bytes/);
  });

  test('bad names, values and sizes are refused with the reason', () => {
    const one = (item: Partial<NvsItem>, size = SIZE) => () =>
      writeNvsImage([{ namespace: 'covey', key: 'k', value: 1, ...item } as NvsItem], size);
    expect(one({ key: 'sixteen-chars-xx' })).toThrow(/key "sixteen-chars-xx" is not 1–15 bytes/);
    expect(one({ namespace: '' })).toThrow(/namespace "" is not 1–15 bytes/);
    expect(one({ value: 1.5 })).toThrow(/not a whole number/);
    expect(one({ value: 2 ** 31 })).toThrow(/does not fit in i32/);
    expect(one({ value: { type: 'u8', value: 256 } })).toThrow(/does not fit in u8/);
    expect(one({ value: 'a\u0000b' })).toThrow(/NUL/);
    expect(one({}, 5000)).toThrow(NvsError);
    expect(one({}, PAGE)).toThrow(/at least 2/);
    expect(() => writeNvsImage([{ namespace: 'c', key: 'k', value: 1 }, { namespace: 'c', key: 'k', value: 2 }], SIZE)).toThrow(/appears twice/);
  });
});

describe('the reader reports damage', () => {
  const base = () => writeNvsImage([
    { namespace: 'covey', key: 'settings', value: '{"region":"EU868"}' },
    { namespace: 'covey', key: 'seed', value: new Uint8Array(32).fill(9) },
  ], SIZE);

  test('a flipped byte in string data: the data CRC fails and the key is left out', () => {
    const image = base();
    image[64 + 2 * 32] ^= 0x01; // first data byte of "settings" (entries: namespace, settings, its data)
    const contents = readNvsImage(image);
    expect(contents.namespaces.covey).toEqual({ seed: new Uint8Array(32).fill(9) });
    expect(contents.problems).toEqual([{ page: 0, entry: 1, reason: '"settings": data CRC mismatch' }]);
  });

  test('a flipped byte in an entry: its CRC fails', () => {
    const image = base();
    image[64 + 32 + 9] ^= 0x20; // a key byte of "settings"
    const contents = readNvsImage(image);
    expect(contents.problems[0]).toMatchObject({ page: 0, entry: 1, reason: expect.stringMatching(/entry CRC mismatch/) });
    expect(contents.namespaces.covey.settings).toBeUndefined();
  });

  test('a damaged page header: the page is skipped', () => {
    const image = base();
    image[4] = 7;
    const contents = readNvsImage(image);
    expect(contents.problems).toContainEqual({ page: 0, reason: 'page header CRC mismatch' });
    expect(contents.namespaces).toEqual({});
  });

  test('a missing blob chunk and an image without a free page', () => {
    const image = base();
    image.fill(0xff, 64 + 3 * 32, 64 + 5 * 32); // the seed's data chunk and its data, marked written
    const contents = readNvsImage(image);
    expect(contents.problems.map((p) => p.reason)).toContain('"seed": blob chunk 0 of 1 is missing');
    const full = new Uint8Array(SIZE);
    full.set(base().subarray(0, PAGE));
    for (let p = 1; p < 6; p++) full.set(base().subarray(PAGE, 2 * PAGE), p * PAGE);
    expect(readNvsImage(full).problems.map((p) => p.reason)).toContain(
      'no free page: ESP-IDF will not mount this partition (ESP_ERR_NVS_NO_FREE_PAGES)',
    );
  });
});

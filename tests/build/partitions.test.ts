/**
 * covey's partition table (tools/build/partitions.csv): sound by ESP-IDF's rules, Moddable's 24 KB NVS
 * kept, and a 64 KB data partition for the receipt queue under the label the manifest gives the device.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest } from '../../tools/build/manifest-model.js';
import { parsePartitionTable, partitionProblems, readPartitionTable } from '../../tools/build/partitions.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = readManifest(join(ROOT, 'manifest.json'));
const table = readPartitionTable((manifest.build?.PARTITIONS_FILE ?? '').replace('$(COVEY)', ROOT));

test('the table is sound: in order, aligned, no overlap, inside 4 MB', () => {
  expect(partitionProblems(table)).toEqual([]);
  expect(table.map(({ name }) => name)).toEqual(['nvs', 'phy_init', 'factory', 'covey']);
});

test("NVS keeps Moddable's 24 KB at 0x9000", () => {
  expect(table[0]).toEqual({ name: 'nvs', type: 'data', subtype: 'nvs', offset: 0x9000, size: 24 * 1024 });
});

test('the receipt partition the manifest names is a 64 KB data partition at the end of 4 MB', () => {
  const label = manifest.config?.receiptPartition;
  expect(table.find(({ name }) => name === label)).toEqual({
    name: 'covey', type: 'data', subtype: 'undefined', offset: 0x400000 - 0x10000, size: 0x10000,
  });
});

test('partitionProblems names an overlap, a misaligned app and a table past 4 MB', () => {
  const bad = parsePartitionTable(
    ['nvs, data, nvs, 0x9000, 0x6000', 'app, app, factory, 0x18000, 0x3F0000', 'q, data, undefined, 0x3FF000, 0x10000'].join('\n'),
  );
  expect(partitionProblems(bad)).toEqual([
    'app: not aligned to 65536 bytes',
    'q: overlaps what comes before it',
    'the table ends at 4255744, past 4194304 bytes of flash',
  ]);
});

/**
 * manifest.json against the checkout: every path it names exists (local ones here, SDK ones in the list of
 * known SDK paths), every device module is mapped and preloaded as it should be, the creation sizes are
 * the documented ones, and each board has its platform entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boards } from '../../hal/boards/index.js';
import { bundleDeviceDependencies } from '../../tools/build/bundle-deps.js';
import { platformKeyFor, subclassFor } from '../../tools/build/board-target.js';
import { listDeviceModules } from '../../tools/build/device-modules.js';
import { checkManifest, ENTRY_MODULE } from '../../tools/build/manifest-check.js';
import { moduleMap, readManifest, sdkPathsOf } from '../../tools/build/manifest-model.js';
import { KNOWN_SDK_PATHS, SDK_MANIFESTS, SETUP_NETWORK } from '../../tools/build/moddable-sdk.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = readManifest(join(ROOT, 'manifest.json'));

beforeAll(async () => {
  // The manifest maps the bundled npm dependencies in build/deps, which `covey build` writes.
  await bundleDeviceDependencies({ root: ROOT, outDir: join(ROOT, 'build') });
});

/** The keys mcmanifest.js reads from a manifest (moddable.md §1, "Keys"). */
const MANIFEST_KEYS = [
  'build', 'include', 'modules', 'preload', 'resources', 'data', 'config', 'defines', 'creation', 'strip',
  'commonjs', 'platforms', 'typescript', 'dependency', 'recipes', 'ble',
];

test('manifest.json uses only keys mcconfig reads', () => {
  expect(Object.keys(manifest).filter((key) => !MANIFEST_KEYS.includes(key))).toEqual([]);
});

test('every local module path in manifest.json matches a file', () => {
  const mapped = moduleMap(manifest.modules, ROOT);
  expect(mapped.missing).toEqual([]);
  expect(mapped.modules.length).toBeGreaterThan(100);
});

test('PARTITIONS_FILE names the partition table in the checkout, through $(COVEY)', () => {
  const path = manifest.build?.PARTITIONS_FILE ?? '';
  expect(path.startsWith('$(COVEY)/')).toBe(true);
  expect(readFileSync(path.replace('$(COVEY)', ROOT), 'utf8')).toMatch(/^nvs,/m);
});

test('every $(MODDABLE) path in manifest.json is a known SDK path', () => {
  const paths = sdkPathsOf(manifest);
  expect(paths.filter((path) => !KNOWN_SDK_PATHS.includes(path))).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining([SDK_MANIFESTS.base, SDK_MANIFESTS.io, SETUP_NETWORK]));
});

test("Moddable's setup/network is excluded, so main runs without Wi-Fi", () => {
  expect(manifest.modules?.['~']).toContain(SETUP_NETWORK);
});

test('every device module is mapped under its path', () => {
  const names = new Map(moduleMap(manifest.modules, ROOT).modules.map(({ name, file }) => [name, file]));
  const unmapped = listDeviceModules(ROOT).filter(({ name, file }) => names.get(name) !== file);
  expect(unmapped).toEqual([]);
});

test('every device module except the entry point is preloaded', () => {
  const preload = new Set(manifest.preload);
  const device = listDeviceModules(ROOT).map(({ name }) => name);
  expect(device).toContain(ENTRY_MODULE);
  expect(device.filter((name) => name !== ENTRY_MODULE && !preload.has(name))).toEqual([]);
  expect(preload.has(ENTRY_MODULE)).toBe(false);
});

test('the bundled dependencies and their chunks are preloaded', () => {
  expect(manifest.preload).toEqual(expect.arrayContaining(['@noble/curves/ed25519', '@noble/hashes/sha2', 'covey-deps/*']));
});

test('creation.main names the entry point by its path, so its relative imports resolve', () => {
  expect(manifest.creation?.main).toBe(ENTRY_MODULE);
});

test('the checkout passes the manifest check that covey build runs', () => {
  expect(checkManifest(ROOT).errors).toEqual([]);
});

/** `| \`chunk.initial\` | 78,848 | …` rows of docs/building.md's creation table. */
function documentedCreation(): Record<string, number> {
  const text = readFileSync(join(ROOT, 'docs', 'building.md'), 'utf8');
  const rows = [...text.matchAll(/^\| `([a-z.]+)` \| ([\d,]+) /gm)];
  return Object.fromEntries(rows.map(([, key, value]) => [key, Number(value.replace(/,/g, ''))]));
}

function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return { [prefix]: value };
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix === '' ? key : `${prefix}.${key}`)));
}

test('each creation size is one docs/building.md gives a reason for', () => {
  const { main: _main, ...sizes } = manifest.creation ?? {};
  expect(flatten(sizes)).toEqual(documentedCreation());
});

test('the XS heap is the ESP32 LoRa targets’ 78,848-byte chunk heap and 4,928 slots, fixed', () => {
  expect(manifest.creation).toMatchObject({
    static: 0,
    chunk: { initial: 78_848, incremental: 0 },
    heap: { initial: 4_928, incremental: 0 },
    stack: 512,
  });
});

describe('platforms', () => {
  const platforms = manifest.platforms ?? {};

  test.each(boards.map((board) => [board.id, board]))('%s has an entry naming its board and chip family', (_id, board) => {
    const entry = platforms[platformKeyFor(board)];
    expect(entry?.config).toEqual({ board: board.id });
    const subclass = subclassFor(board);
    expect(entry?.build).toEqual(subclass === undefined ? undefined : { ESP32_SUBCLASS: subclass });
  });

  test('the boards’ entries come first: mcconfig merges the first key that matches', () => {
    const keys = Object.keys(platforms);
    expect(keys.slice(0, boards.length).sort()).toEqual(boards.map(platformKeyFor).sort());
    expect(keys.slice(boards.length)).toEqual(['esp32/*', '...']);
  });

  test('any other target is refused at build time', () => {
    expect(platforms['esp32/*']?.error).toMatch(/covey build --board/);
    expect(platforms['...']?.error).toMatch(/covey build --board/);
  });
});

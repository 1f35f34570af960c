/**
 * The manifest check `covey build` runs, on a copy of the checkout with one thing broken at a time: each
 * defect is named, so a broken manifest never reaches mcconfig.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDeviceDependencies } from '../../tools/build/bundle-deps.js';
import { checkManifest } from '../../tools/build/manifest-check.js';
import type { Manifest } from '../../tools/build/manifest-model.js';
import { SDK_MANIFESTS } from '../../tools/build/moddable-sdk.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let copy: string;
const original = readFileSync(join(ROOT, 'manifest.json'), 'utf8');

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'covey-check-'));
  for (const path of ['src', 'proofs', 'hal', 'package.json', 'tools/build/partitions.csv']) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  await bundleDeviceDependencies({ root: copy, outDir: join(copy, 'build') });
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Checks the copy with manifest.json changed by `edit`. */
function checkWith(edit: (manifest: Manifest & Record<string, unknown>) => void) {
  const manifest = JSON.parse(original) as Manifest & Record<string, unknown>;
  edit(manifest);
  writeFileSync(join(copy, 'manifest.json'), JSON.stringify(manifest));
  return checkManifest(copy);
}

test('the unchanged copy passes', () => {
  expect(checkWith(() => undefined).errors).toEqual([]);
});

test('a device module left out of preload is named', () => {
  const { errors } = checkWith((manifest) => {
    (manifest as { preload: string[] }).preload = (manifest.preload ?? []).filter((name) => name !== 'src/witness');
  });
  expect(errors).toEqual(['preload: "src/witness" is missing']);
});

test('preloading the entry point is refused', () => {
  const { errors } = checkWith((manifest) => {
    (manifest as { preload: string[] }).preload = [...(manifest.preload ?? []), 'hal/moddable/main'];
  });
  expect(errors).toEqual(['preload: "hal/moddable/main" starts the device at run time and must not be preloaded']);
});

test('an unmapped folder is named, with each of its modules', () => {
  const { errors } = checkWith((manifest) => {
    delete (manifest.modules as Record<string, unknown>)['src/queue/*'];
  });
  expect(errors).toContain('modules: src/queue/crc32.ts is not mapped as "src/queue/crc32"');
  expect(errors).toContain('src/receipt-queue.ts: imports "./queue/mount.js", which is not a mapped module');
});

test('a Moddable module whose SDK manifest is not included is named with the manifest to include', () => {
  const { errors } = checkWith((manifest) => {
    (manifest as { include: string[] }).include = (manifest.include ?? []).filter((path) => path !== SDK_MANIFESTS.flash);
  });
  expect(errors).toEqual([`hal/moddable/main.ts: imports "flash"; include ${SDK_MANIFESTS.flash}`]);
});

test('an SDK path covey does not know is refused', () => {
  const { errors } = checkWith((manifest) => {
    (manifest as { include: string[] }).include = [...(manifest.include ?? []), '$(MODDABLE)/modules/network/mqtt/manifest.json'];
  });
  expect(errors).toEqual(['$(MODDABLE)/modules/network/mqtt/manifest.json: not a Moddable SDK path covey knows (tools/build/moddable-sdk.ts)']);
});

test('a receipt partition missing from the partition table is named', () => {
  const { errors } = checkWith((manifest) => {
    (manifest as { config: Record<string, unknown> }).config = { receiptPartition: 'queue' };
  });
  expect(errors).toEqual([`${join(copy, 'tools/build/partitions.csv')}: no data partition "queue" for config.receiptPartition`]);
});

test('imports that climb two folders are reported, not refused', () => {
  const probe = join(copy, 'hal/radio/deep-import-probe.ts');
  writeFileSync(probe, "import { BEACON_FRAME_BYTES } from '../../proofs/beacon.js';\nexport const probe = BEACON_FRAME_BYTES;\n");
  try {
    const check = checkWith((manifest) => {
      (manifest as Record<string, unknown>).preload = [...(manifest.preload as string[]), 'hal/radio/deep-import-probe'];
    });
    expect(check.deepImports).toContainEqual({ importer: 'hal/radio/deep-import-probe.ts', specifier: '../../proofs/beacon.js' });
    expect(check.errors).toEqual([]);
  } finally {
    rmSync(probe);
  }
});

/**
 * The provisioning files `covey provision --out <dir>` writes:
 *
 * - `settings.json`: the settings as the device stores them (mode 0600: it holds the Wi-Fi password);
 * - `nvs.bin`: an image of the whole `nvs` partition (tools/build/partitions.csv: 0x6000 bytes at
 *   0x9000) holding namespace `covey` with `settings`, and `seed`, `attest`, `mode` when given
 *   (mode 0600: it holds the password and perhaps the key). `covey flash --settings <dir>` writes it;
 * - `provision.json`: what was provisioned, for people and for `covey flash`; no secrets.
 *
 * The image replaces all of NVS, Wi-Fi calibration data and any key the device made included.
 */
import { closeSync, fchmodSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { coveyPartition } from '../build/partitions.js';
import { writeNvsImage, type NvsItem } from '../nvs/index.js';

/** Preference's domain (hal/moddable/key-value.ts PREFERENCE_DOMAIN): the NVS namespace covey uses. */
export const NVS_NAMESPACE = 'covey';
export const FILE_NAMES = { settings: 'settings.json', nvs: 'nvs.bin', manifest: 'provision.json' } as const;
const SECRET_MODE = 0o600;

/** Where the `nvs` partition is and how large, from covey's partition table. */
export function nvsPartition(): { offset: number; size: number } {
  const { offset, size } = coveyPartition('nvs');
  return { offset, size };
}

export interface ImageContents {
  readonly settingsJson: string;
  readonly seed?: Uint8Array;
  readonly attest?: Uint8Array;
  readonly selftest?: boolean;
}

/** The NVS items of a provisioned device, in the order they are written. */
export function provisionItems(contents: ImageContents): NvsItem[] {
  const items: NvsItem[] = [{ namespace: NVS_NAMESPACE, key: 'settings', value: contents.settingsJson }];
  if (contents.seed !== undefined) items.push({ namespace: NVS_NAMESPACE, key: 'seed', value: contents.seed });
  if (contents.attest !== undefined) items.push({ namespace: NVS_NAMESPACE, key: 'attest', value: contents.attest });
  if (contents.selftest === true) items.push({ namespace: NVS_NAMESPACE, key: 'mode', value: 'selftest' });
  return items;
}

/** The partition image for `contents`, the size of covey's nvs partition. */
export function provisionImage(contents: ImageContents): Uint8Array {
  return writeNvsImage(provisionItems(contents), nvsPartition().size);
}

/** The manifest: no secret in it (no password, no seed). */
export interface ProvisionManifest {
  readonly format: 'covey-provision';
  readonly version: 1;
  readonly board: string;
  readonly region: string;
  readonly oracleUrl: string;
  readonly oraclePublicKey: string;
  readonly oracleAddress: string;
  readonly carriesKey: boolean;
  readonly publicKey?: string;
  readonly address?: string;
  readonly attested: boolean;
  readonly selftest: boolean;
  readonly nvs: { readonly offset: string; readonly size: string; readonly file: string };
  readonly settings: string;
}

/** Writes a file only its owner can read, replacing one that exists (and narrowing its mode). */
function writeSecretFile(path: string, bytes: Uint8Array | string): void {
  const fd = openSync(path, 'w', SECRET_MODE);
  try {
    fchmodSync(fd, SECRET_MODE);
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
  } finally {
    closeSync(fd);
  }
}

export interface WrittenFiles {
  readonly settings: string;
  readonly nvs: string;
  readonly manifest: string;
  readonly nvsBytes: number;
}

/** Writes settings.json, nvs.bin and provision.json into `dir` (made if missing). */
export function writeProvisionFiles(dir: string, contents: ImageContents, manifest: Omit<ProvisionManifest, 'nvs' | 'settings' | 'format' | 'version'>): WrittenFiles {
  const { offset, size } = nvsPartition();
  const image = writeNvsImage(provisionItems(contents), size);
  mkdirSync(dir, { recursive: true });
  const paths = { settings: join(dir, FILE_NAMES.settings), nvs: join(dir, FILE_NAMES.nvs), manifest: join(dir, FILE_NAMES.manifest) };
  writeSecretFile(paths.settings, `${contents.settingsJson}\n`);
  writeSecretFile(paths.nvs, image);
  const full: ProvisionManifest = {
    format: 'covey-provision', version: 1, ...manifest,
    nvs: { offset: `0x${offset.toString(16)}`, size: `0x${size.toString(16)}`, file: FILE_NAMES.nvs },
    settings: FILE_NAMES.settings,
  };
  writeFileSync(paths.manifest, `${JSON.stringify(full, null, 2)}\n`);
  return { ...paths, nvsBytes: image.length };
}

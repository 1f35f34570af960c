/**
 * Checks manifest.json against the checkout before mcconfig sees it: every device module is mapped and
 * (the entry point aside) preloaded, every local path exists, every import a device module makes at run
 * time names a module the image will hold, and the SDK paths are ones covey knows (and, with $MODDABLE
 * set, exist). `covey build` stops on an error; the tests hold the checkout to no errors.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deviceNpmSpecifiers, moduleNameOf } from './bundle-deps.js';
import { isRelative, listDeviceModules, moduleImports, resolveLikeXs, resolveNormally, type DeviceModule } from './device-modules.js';
import { moduleMap, readManifest, sdkPathsOf, type Manifest } from './manifest-model.js';
import { KNOWN_SDK_PATHS, MODDABLE_MODULES, sdkFile } from './moddable-sdk.js';
import { partitionProblems, readPartitionTable } from './partitions.js';

/** The one device module that is not preloaded: it starts the device, at run time. */
export const ENTRY_MODULE = 'hal/moddable/main';

/** An import XS cannot follow on the device although a normal resolver finds it. */
export interface DeepImport {
  readonly importer: string;
  readonly specifier: string;
}

export interface ManifestCheck {
  readonly errors: readonly string[];
  /** Relative imports that climb more than one folder (device-modules.ts, resolveLikeXs). */
  readonly deepImports: readonly DeepImport[];
  readonly deviceModules: number;
  readonly preloaded: number;
}

export function checkManifest(root: string, env: Readonly<Record<string, string | undefined>> = {}): ManifestCheck {
  const manifest = readManifest(join(root, 'manifest.json'));
  const mapped = moduleMap(manifest.modules, root);
  const names = new Map(mapped.modules.map((module) => [module.name, module.file]));
  const device = listDeviceModules(root);
  const preload = new Set(manifest.preload ?? []);
  const imports = checkImports(root, manifest, device, names);
  const errors = [
    ...mapped.missing.map((path) => `modules: ${path} matches no file`),
    ...device.filter(({ name, file }) => names.get(name) !== file).map(({ name, file }) => `modules: ${file} is not mapped as "${name}"`),
    ...checkPreload(manifest, device, names),
    ...imports.errors,
    ...checkSdkPaths(manifest, env.MODDABLE),
    ...checkPartitions(manifest, root),
  ];
  return { errors, deepImports: imports.deep, deviceModules: device.length, preloaded: device.filter(({ name }) => preload.has(name)).length };
}

/** Every device module but the entry point preloaded, nothing preloaded that does not exist, main named. */
function checkPreload(manifest: Manifest, device: readonly DeviceModule[], names: ReadonlyMap<string, string>): string[] {
  const preload = new Set(manifest.preload ?? []);
  const errors = device
    .filter(({ name }) => name !== ENTRY_MODULE && !preload.has(name))
    .map(({ name }) => `preload: "${name}" is missing`);
  if (preload.has(ENTRY_MODULE)) errors.push(`preload: "${ENTRY_MODULE}" starts the device at run time and must not be preloaded`);
  for (const name of preload) {
    if (!name.endsWith('*') && !names.has(name) && !(name in MODDABLE_MODULES)) errors.push(`preload: "${name}" names no module`);
  }
  if ((manifest.creation as { main?: unknown } | undefined)?.main !== ENTRY_MODULE) errors.push(`creation.main must be "${ENTRY_MODULE}"`);
  return errors;
}

/**
 * Each run-time import: a relative one must land on a mapped module (and is noted when XS would not find
 * it); a bare one must be a bundled npm dependency the manifest maps, or a Moddable module whose SDK
 * manifest it includes.
 */
function checkImports(root: string, manifest: Manifest, device: readonly DeviceModule[], names: ReadonlyMap<string, string>) {
  const npm = new Set(deviceNpmSpecifiers(root).map(moduleNameOf));
  const includes = new Set(manifest.include ?? []);
  const errors = [...npm].filter((name) => !Object.hasOwn(manifest.modules ?? {}, name)).map((name) => `modules: "${name}" (npm, bundled by covey build) is not mapped`);
  const deep: DeepImport[] = [];
  for (const module of device) {
    for (const specifier of moduleImports(root, module)) {
      if (isRelative(specifier)) {
        const target = resolveNormally(module.name, specifier);
        if (!names.has(target)) errors.push(`${module.file}: imports "${specifier}", which is not a mapped module`);
        else if (resolveLikeXs(module.name, specifier) !== target) deep.push({ importer: module.file, specifier });
      } else if (!npm.has(moduleNameOf(specifier))) {
        const source = MODDABLE_MODULES[specifier];
        if (source === undefined) errors.push(`${module.file}: imports "${specifier}", which no manifest provides`);
        else if (source !== 'mcconfig' && !includes.has(source)) errors.push(`${module.file}: imports "${specifier}"; include ${source}`);
      }
    }
  }
  return { errors, deep };
}

/** Every SDK path must be a known one; with the SDK at hand, it must also exist there. */
function checkSdkPaths(manifest: Manifest, moddable: string | undefined): string[] {
  const errors: string[] = [];
  for (const path of sdkPathsOf(manifest)) {
    if (!KNOWN_SDK_PATHS.includes(path)) errors.push(`${path}: not a Moddable SDK path covey knows (tools/build/moddable-sdk.ts)`);
    else if (moddable !== undefined && !existsSync(sdkFile(path).replace('$(MODDABLE)', moddable))) {
      errors.push(`${sdkFile(path)}: not found in the Moddable SDK at ${moddable}`);
    }
  }
  return errors;
}

/** The partition table is sound and holds the data partition the device opens for its receipt queue. */
function checkPartitions(manifest: Manifest, root: string): string[] {
  const path = (manifest.build?.PARTITIONS_FILE ?? '').replace('$(COVEY)', root);
  if (!existsSync(path)) return [`build.PARTITIONS_FILE: ${path} not found`];
  const table = readPartitionTable(path);
  const label = manifest.config?.receiptPartition;
  const problems = partitionProblems(table).map((problem) => `${path}: ${problem}`);
  if (!table.some(({ name, type }) => name === label && type === 'data')) {
    problems.push(`${path}: no data partition "${String(label)}" for config.receiptPartition`);
  }
  return problems;
}

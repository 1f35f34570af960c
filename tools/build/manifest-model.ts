/**
 * manifest.json as mcconfig reads it, for the parts covey uses: which module name each local file gets,
 * which SDK paths it names, and what it preloads. The rules are those of the SDK's ModulesRule
 * (tools/mcmanifest.js; documentation/tools/manifest.md, "modules"):
 * - `"name": "./path"` maps one file (the extension left off) to the module `name`;
 * - `"prefix/*": "./folder/*"` maps every module file of the folder to `prefix/<file name>`;
 * - `"*": [...]` maps each path to its file name alone, and `"~": [...]` excludes paths;
 * - a module file is a .ts or .js file (mcconfig also matches .d.ts, which only types the module).
 * `$(…)` paths belong to the SDK and are collected, not resolved.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface Manifest {
  readonly include?: readonly string[];
  readonly build?: Readonly<Record<string, string>>;
  readonly modules?: Readonly<Record<string, string | readonly string[]>>;
  readonly preload?: readonly string[];
  readonly creation?: Readonly<Record<string, unknown>>;
  readonly defines?: Readonly<Record<string, unknown>>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly platforms?: Readonly<Record<string, Manifest & { readonly error?: string; readonly warning?: string }>>;
  readonly typescript?: Readonly<Record<string, unknown>>;
}

export function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** One local module: its name on the device and its file, relative to the manifest's folder. */
export interface LocalModule {
  readonly name: string;
  readonly file: string;
}

export interface ModuleMap {
  readonly modules: readonly LocalModule[];
  /** SDK paths (starting with "$(") named under `modules`, exclusions included. */
  readonly sdkPaths: readonly string[];
  /** Local paths that match no file. */
  readonly missing: readonly string[];
}

const MODULE_EXTENSIONS = ['.ts', '.js'];

function moduleBase(file: string): string | undefined {
  if (file.endsWith('.d.ts')) return undefined;
  const extension = MODULE_EXTENSIONS.find((candidate) => file.endsWith(candidate));
  return extension === undefined ? undefined : file.slice(0, -extension.length);
}

/** The files one manifest path stands for: a folder's module files for "dir/*", else "path.ts|.js". */
function filesOf(root: string, path: string): string[] {
  const local = path.replace(/^\.\//, '');
  if (local.endsWith('/*')) {
    const folder = local.slice(0, -2);
    const absolute = join(root, folder);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) return [];
    return readdirSync(absolute)
      .sort()
      .filter((file) => moduleBase(file) !== undefined && statSync(join(absolute, file)).isFile())
      .map((file) => `${folder}/${file}`);
  }
  return MODULE_EXTENSIONS.map((extension) => `${local}${extension}`).filter((file) => existsSync(join(root, file)));
}

function nameFor(key: string, file: string): string {
  const base = basename(moduleBase(file) ?? file);
  if (key === '*') return base;
  if (key.endsWith('/*')) return `${key.slice(0, -1)}${base}`;
  return key;
}

/** The local modules a `modules` object maps, resolved against `root` (the manifest's folder). */
export function moduleMap(modules: Manifest['modules'], root: string): ModuleMap {
  const found: LocalModule[] = [];
  const sdkPaths: string[] = [];
  const missing: string[] = [];
  for (const [key, value] of Object.entries(modules ?? {})) {
    for (const path of typeof value === 'string' ? [value] : value) {
      if (path.startsWith('$(')) {
        sdkPaths.push(path);
        continue;
      }
      if (key === '~') continue;
      const files = filesOf(root, path);
      if (files.length === 0) missing.push(path);
      for (const file of files) found.push({ name: nameFor(key, file), file });
    }
  }
  return { modules: found, sdkPaths, missing };
}

/** Every `$(…)` path a manifest names: includes, modules, and the same inside each platform. */
export function sdkPathsOf(manifest: Manifest): string[] {
  const own = [
    ...(manifest.include ?? []),
    ...Object.values(manifest.modules ?? {}).flatMap((value) => (typeof value === 'string' ? [value] : value)),
  ].filter((path) => path.startsWith('$(MODDABLE)'));
  const platforms = Object.values(manifest.platforms ?? {}).flatMap((platform) => sdkPathsOf(platform));
  return [...new Set([...own, ...platforms])];
}

/** The folder of a manifest file, against which its "./" paths resolve. */
export function manifestRoot(manifestPath: string): string {
  return dirname(manifestPath);
}

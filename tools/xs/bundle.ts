/**
 * Bundles a device-side entry file into one script that xsnap-worker can evaluate.
 *
 * The worker's `e` command runs a script through the global `eval`, so the bundle is an IIFE with no
 * imports left. The options are the device's constraints, not taste:
 * - platform 'neutral', no 'node' condition: device code must not pick up Node-only builds (a package
 *   whose export map sends 'node' to a build using Buffer); 'import'/'default' select portable builds,
 *   and noble's packages are ES modules on the same conditions.
 * - class fields lowered: in XS 13.3.0 (xsnap 0.15.0) a static initializer that constructs an instance
 *   of a class with instance fields throws "get ?: not initialized yet", which @noble/curves' Point does.
 *   Lowering moves the fields into constructors, which XS runs correctly.
 */
import * as esbuild from 'esbuild';
import { resolve } from 'node:path';

export const DEVICE_BUILD: esbuild.BuildOptions = {
  bundle: true,
  write: false,
  platform: 'neutral',
  format: 'iife',
  target: 'es2022',
  supported: { 'class-field': false, 'class-static-field': false },
  mainFields: ['module', 'main'],
  conditions: ['import', 'default'],
  legalComments: 'none',
  logLevel: 'silent',
};

const cache = new Map<string, Promise<string>>();

/**
 * The bundle of `entryPath` as script text. Bundles are cached per absolute path for the life of the
 * process: tests start many workers from the same few entries, and esbuild takes longer than XS to load one.
 */
export function bundleDeviceEntry(entryPath: string): Promise<string> {
  const absolute = resolve(entryPath);
  let bundle = cache.get(absolute);
  if (bundle === undefined) {
    bundle = build(absolute);
    cache.set(absolute, bundle);
    bundle.catch(() => cache.delete(absolute)); // let a fixed file be retried
  }
  return bundle;
}

async function build(entryPath: string): Promise<string> {
  const result = await esbuild.build({ ...DEVICE_BUILD, entryPoints: [entryPath] });
  const [output] = result.outputFiles ?? [];
  if (output === undefined) throw new Error(`esbuild produced no output for ${entryPath}`);
  return output.text;
}

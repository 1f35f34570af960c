/**
 * Bundles a device entry that imports Moddable's own modules ("timer", "flash", "embedded:provider/builtin",
 * …) for the XS tier: with the device build's settings (tools/xs/bundle.ts) and each Moddable specifier
 * resolved to its fake in tools/xs/moddable-fakes/modules/, which forwards to the fake world a scenario
 * installs (tools/xs/moddable-fakes/world.ts). A specifier not listed here stays unresolved and the bundle
 * fails, so a device module that reaches for a Moddable module covey does not fake (and the manifest may
 * not carry) is caught here. Host code.
 */
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { DEVICE_BUILD } from './bundle.js';

const FAKES = fileURLToPath(new URL('./moddable-fakes/modules/', import.meta.url));

/** Moddable module specifier → its fake. The Moddable modules hal/moddable/main.ts imports. */
export const MODDABLE_FAKE_MODULES: Readonly<Record<string, string>> = {
  timer: 'timer.ts',
  time: 'time.ts',
  preference: 'preference.ts',
  flash: 'flash.ts',
  http: 'http.ts',
  sntp: 'sntp.ts',
  wifi: 'wifi.ts',
  'mc/config': 'mc-config.ts',
  'embedded:provider/builtin': 'provider.ts',
};

const moddableFakes: esbuild.Plugin = {
  name: 'moddable-fakes',
  setup(build) {
    build.onResolve({ filter: /^[a-z][a-z/:-]*$/ }, (args) => {
      const file = Object.prototype.hasOwnProperty.call(MODDABLE_FAKE_MODULES, args.path) ? MODDABLE_FAKE_MODULES[args.path] : undefined;
      return file === undefined ? undefined : { path: `${FAKES}${file}` };
    });
  },
};

const cache = new Map<string, Promise<string>>();

/** The bundle of `entryPath` with the Moddable fakes, as script text; cached per path for the process. */
export function bundleWithModdableFakes(entryPath: string): Promise<string> {
  let bundle = cache.get(entryPath);
  if (bundle === undefined) {
    bundle = build(entryPath);
    cache.set(entryPath, bundle);
    bundle.catch(() => cache.delete(entryPath));
  }
  return bundle;
}

async function build(entryPath: string): Promise<string> {
  const result = await esbuild.build({ ...DEVICE_BUILD, entryPoints: [entryPath], plugins: [moddableFakes] });
  const [output] = result.outputFiles ?? [];
  if (output === undefined) throw new Error(`esbuild produced no output for ${entryPath}`);
  return output.text;
}

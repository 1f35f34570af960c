/**
 * The fake Moddable world the entry point runs in inside XS: which fake module objects "timer", "time",
 * "preference", "flash", "http", "sntp", "wifi", "mc/config" and "embedded:provider/builtin" stand for
 * (tools/xs/moddable-bundle.ts maps the specifiers to ./modules/*). A scenario installs it in prepare();
 * until then every module call throws, as calling a native function from a module body does when
 * Moddable preloads it (reference/moddable.md §5): a device module that touched a Moddable module while
 * loading fails the XS tier as it would fail the build. Device-legal code.
 */
import type { I2cIoClass } from '../../../hal/drivers/axp192.js';
import type { DigitalClass, SpiClass } from '../../../hal/drivers/ecma419.js';
import type { FakeTimeModule, FakeTimerModule } from './fake-time.js';
import type { FakePreference, FakeFlashPartition } from './fake-storage.js';
import type { FakeRequestInstance, FakeSntpClass, FakeWiFiClass } from './fake-network.js';

export interface FakeModdableWorld {
  readonly Timer: FakeTimerModule;
  readonly Time: FakeTimeModule;
  readonly Preference: FakePreference;
  readonly Flash: new (label: string) => FakeFlashPartition;
  readonly Request: new (options: never) => FakeRequestInstance;
  readonly SNTP: FakeSntpClass;
  readonly WiFi: FakeWiFiClass;
  readonly io: { readonly SPI: SpiClass; readonly Digital: DigitalClass; readonly I2C: I2cIoClass };
  /** Copied into the "mc/config" object. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** A Moddable module was used before the world existed: while the modules were loading. */
export class PreloadCallError extends Error {
  override get name(): string {
    return 'PreloadCallError';
  }
}

let installed: FakeModdableWorld | undefined;

/** The "mc/config" object: one object for the whole run, filled when the world is installed. */
export const fakeConfig: Record<string, unknown> = {};

export function installWorld(world: FakeModdableWorld): void {
  installed = world;
  for (const key of Object.keys(world.config)) fakeConfig[key] = world.config[key];
}

export function currentWorld(what: string): FakeModdableWorld {
  if (installed === undefined) {
    throw new PreloadCallError(`${what} was called while the modules were loading: a preloaded module body cannot call native code`);
  }
  return installed;
}

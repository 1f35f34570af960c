/**
 * Starting the runtime on the device once there are settings: at power-on when NVS holds them, or later
 * when the serial console delivers them to a device that was waiting for them (hal/moddable/boot.ts,
 * provisioning.ts). It checks the role against the board, opens the receipt partition, the radio and, for
 * a mapper, the GPS, starts the Hotspot with the identity boot already loaded, and then Wi-Fi and SNTP in
 * the background. Anything that cannot be built is closed again and thrown, with the reason.
 */
import { createPortableSigner, Hotspot, loadSettings, PortableVerifier, SETTINGS_KEY, SettingsError, type Identity } from '../runtime.js';
import type { Clock, Gps, Log, Radio } from '../../src/ports.js';
import type { Role, Settings } from '../../src/settings.js';
import { boards, type Board } from '../boards/index.js';
import type { DeviceConfig } from './device-config.js';
import { PartitionFlash } from './flash.js';
import { NoGps } from './gps.js';
import { ModdableHttp } from './http.js';
import { PREFERENCE_DOMAIN, type PreferenceKeyValue } from './key-value.js';
import type { FlashConstructor, RequestConstructor, SntpConstructor, TimerModule, WiFiModule } from './moddable-api.js';
import { Network } from './network.js';
import { openDeviceRadio, type DeviceIo } from './radio.js';
import { HardwareRng } from './rng.js';
import { openSerialGps } from './serial-gps.js';

/** The Moddable modules the runtime is built on (a part of boot.ts's DeviceModules). */
export interface RuntimeModules<T> {
  readonly Timer: TimerModule<T>;
  readonly Flash: FlashConstructor;
  readonly Request: RequestConstructor;
  readonly SNTP: SntpConstructor;
  readonly WiFi: WiFiModule;
  readonly io: DeviceIo;
  readonly random: () => number;
}

export interface Runtime {
  readonly hotspot: Hotspot;
  readonly network: Network;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The settings, or why there are none to run with. */
export function readSettings(kv: PreferenceKeyValue): Settings | { state: 'unprovisioned' | 'failed'; reason: string } {
  try {
    const settings = loadSettings(kv);
    if (settings !== undefined) return settings;
    return {
      state: 'unprovisioned',
      reason: `no settings in NVS (domain ${PREFERENCE_DOMAIN}, key ${SETTINGS_KEY}): provision the device with its region, oracle URL and oracle key`,
    };
  } catch (error) {
    const reason = error instanceof SettingsError ? `stored settings are not valid: ${error.message}` : `cannot read the settings: ${messageOf(error)}`;
    return { state: 'failed', reason };
  }
}

/** Why the settings' role cannot run on this board, or undefined when it can. */
function roleProblem(board: Board, role: Role, io: DeviceIo): string | undefined {
  if (role !== 'mapper') return undefined;
  if (board.gps === undefined) {
    const withGps = boards.filter((candidate) => candidate.gps !== undefined).map((candidate) => candidate.id);
    return `the mapper role needs a GPS, and board ${board.id} (${board.name}) has none: set role "hotspot", or build for a board with one (${withGps.join(', ')})`;
  }
  if (io.Serial === undefined) return `the mapper role needs device.io.Serial for the GPS of board ${board.id}, and this build has none`;
  return undefined;
}

/** A Gps port that may hold a UART. */
type DeviceGps = Gps & { close?(): void };

/** The board's GPS for a mapper (roleProblem has checked it is there); NoGps for a hotspot, whose GPS stays unpowered. */
function openRoleGps(io: DeviceIo, board: Board, role: Role, clock: Clock, log: Log): DeviceGps {
  if (role !== 'mapper' || io.Serial === undefined) return new NoGps();
  return openSerialGps(board, { Serial: io.Serial, I2C: io.I2C }, {
    clock,
    onError: (error) => log.write('error', 'GPS read failed', { error: messageOf(error) }),
  });
}

/** The Hotspot on the device's ports, started; throws if a part cannot be built. */
function startHotspot<T>(
  modules: RuntimeModules<T>, config: DeviceConfig, settings: Settings, identity: Identity, clock: Clock, kv: PreferenceKeyValue, log: Log,
): Hotspot {
  const flash = new PartitionFlash(new modules.Flash(config.receiptPartition));
  const radio: Radio = openDeviceRadio(config.board, modules.io, {
    clock,
    delay: (ms) => modules.Timer.delay(ms),
    onError: (error) => log.write('error', 'radio fault', { error: error.message }),
  });
  let gps: DeviceGps | undefined;
  try {
    gps = openRoleGps(modules.io, config.board, settings.role, clock, log);
    const hotspot = new Hotspot({
      ports: {
        radio, clock, flash, kv, rng: new HardwareRng(modules.random), log, gps,
        http: new ModdableHttp({ Request: modules.Request, clock }),
        verifier: new PortableVerifier(), createSigner: createPortableSigner,
      },
      settings,
      identity,
    });
    hotspot.start();
    return hotspot;
  } catch (error) {
    gps?.close?.();
    radio.close();
    throw error;
  }
}

function warnIfHttps(settings: Settings, log: Log): void {
  if (/^https:/i.test(settings.oracleUrl)) {
    log.write('error', 'the oracle URL is https, and this build has no TLS: every request to it will fail', { oracle: settings.oracleUrl });
  }
}

/**
 * Starts the Hotspot with `settings`, then Wi-Fi and SNTP in the background; throws an Error naming what
 * failed, having started nothing. The network comes second so that a device that cannot run joins no
 * network, and one given settings again after a failure does not start a second one; the hotspot waits
 * for it anyway (its uploader and beaconer retry until there is an address and a wall time).
 */
export function startRuntime<T>(
  modules: RuntimeModules<T>, config: DeviceConfig, settings: Settings, identity: Identity, clock: Clock & { setWallTime(seconds: number): void },
  kv: PreferenceKeyValue, log: Log,
): Runtime {
  const problem = roleProblem(config.board, settings.role, modules.io);
  if (problem !== undefined) throw new Error(problem);
  warnIfHttps(settings, log);
  const hotspot = startHotspot(modules, config, settings, identity, clock, kv, log);
  const network = new Network({ WiFi: modules.WiFi, SNTP: modules.SNTP, clock, log, wifi: settings.wifi, sntpHost: config.sntpHost });
  network.start();
  return { hotspot, network };
}

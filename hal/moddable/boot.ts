/**
 * What the device does at power-on, given Moddable's modules (hal/moddable/main.ts passes the real
 * ones; the tests and the XS tier pass fakes). It mirrors the simulator's rig
 * (tools/xs/scenarios/hotspot-rig.ts) with the device's ports:
 *
 *   mc/config ─ board, receipt partition label, SNTP host
 *   Timer, Time, Date.now ─ ModdableClock              Math.random ─ HardwareRng
 *   Preference ─ PreferenceKeyValue ─ settings          trace ─ TraceLog
 *   flash ─ PartitionFlash (the "covey" partition)      http Request ─ ModdableHttp
 *   device.io ─ (AXP192 rail on) ─ openRadio(board)
 *   device.io.Serial ─ openSerialGps(board), mapper role only; a hotspot gets NoGps
 *   wifi, sntp ─ Network: joins Wi-Fi and sets the clock, in the background
 *   ─▶ new Hotspot({ports, settings}).start()   (the status line is the Hotspot's)
 *   device.io.Serial ─ SerialConsole on the USB port ─▶ hotspot.openConsoleAnswer; log lines go through it
 *
 * Nothing here waits for the network: Wi-Fi and SNTP run in the background (hal/moddable/network.ts), so a
 * hotspot with no access point in reach still listens. Wi-Fi goes into station mode before the Hotspot is
 * built, because building it draws the device key on first boot, and the hardware RNG is truly random only
 * with the RF on (hal/moddable/rng.ts).
 *
 * A device that cannot run (no settings, settings that do not validate, the mapper role on a board
 * without a GPS, no receipt partition, no radio, a GPS UART that does not open) says why on the console,
 * again every minute so that a serial monitor attached later sees it too, and stays idle: it neither
 * restarts in a loop nor transmits.
 *
 * The GPS is opened only in the mapper role: a T-Beam hotspot leaves its GPS rail (AXP192 LDO3) off.
 * The serial console (hal/moddable/console.ts) opens once the Hotspot runs; from then on covey's log lines
 * are written through it rather than through `trace`, so that they never land inside an answer line. A
 * console that does not open (a debug build keeps the console pins for xsbug) is a warning, not a reason
 * to stay idle: the hotspot runs, and only the walk log cannot be read over USB.
 *
 * The XS traps (reference/moddable.md §5) need nothing installed here: no device module assigns
 * `this.name` on an error (they define a `name` getter), none uses TextEncoder, TextDecoder or
 * crypto.getRandomValues (randomness comes from the Rng port, so noble's randomBytes is never called),
 * and no module body calls anything native (everything here is built inside `boot`). The XS tier runs
 * this entry point with those globals absent and the built-ins frozen (tests/xs/moddable-main-in-xs.test.ts).
 */
import { createPortableSigner, filterLog, Hotspot, loadSettings, PortableVerifier, SETTINGS_KEY, SettingsError } from '../runtime.js';
import type { Clock, Gps, Log, Radio } from '../../src/ports.js';
import type { Role, Settings } from '../../src/settings.js';
import { boards, type Board } from '../boards/index.js';
import { openConsole, type SerialConsole } from './console.js';
import { ModdableClock } from './clock.js';
import { readDeviceConfig, type DeviceConfig } from './device-config.js';
import { PartitionFlash } from './flash.js';
import { NoGps } from './gps.js';
import { ModdableHttp } from './http.js';
import { PreferenceKeyValue, PREFERENCE_DOMAIN } from './key-value.js';
import type {
  FlashConstructor, PreferenceModule, RequestConstructor, SntpConstructor, TimeModule, TimerModule, TraceFunction, WiFiModule,
} from './moddable-api.js';
import { Network } from './network.js';
import { openDeviceRadio, type DeviceIo } from './radio.js';
import { HardwareRng } from './rng.js';
import { openSerialGps } from './serial-gps.js';
import { TraceLog } from './trace-log.js';

/** Moddable's modules and globals, as the entry point hands them over; `T`: the Timer module's timers. */
export interface DeviceModules<T> {
  readonly Timer: TimerModule<T>;
  readonly Time: TimeModule;
  readonly Preference: PreferenceModule;
  readonly Flash: FlashConstructor;
  readonly Request: RequestConstructor;
  readonly SNTP: SntpConstructor;
  readonly WiFi: WiFiModule;
  /** `device.io` of "embedded:provider/builtin". */
  readonly io: DeviceIo;
  /** "mc/config". */
  readonly config: Readonly<Record<string, unknown>>;
  readonly trace: TraceFunction;
  /** Math.random: the hardware RNG. */
  readonly random: () => number;
  /** Date.now: the system clock, which SNTP sets. */
  readonly wallNow: () => number;
}

export type BootOutcome =
  | {
      readonly state: 'running'; readonly hotspot: Hotspot; readonly network: Network; readonly clock: Clock;
      /** The USB serial console, or undefined when it could not be opened (logged). */
      readonly console: SerialConsole | undefined;
    }
  | { readonly state: 'unprovisioned' | 'failed'; readonly reason: string; readonly clock: Clock };

/** How often an idle device repeats why it is idle, ms. */
export const IDLE_REMINDER_MS = 60_000;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Logs why the device is idle, now and every IDLE_REMINDER_MS. */
function idle(clock: Clock, log: Log, state: 'unprovisioned' | 'failed', reason: string): BootOutcome {
  const say = (): void => {
    log.write(state === 'failed' ? 'error' : 'warn', state === 'failed' ? 'boot failed, idle' : 'not provisioned, idle', { reason });
    clock.setTimer(say, IDLE_REMINDER_MS);
  };
  say();
  return { state, reason, clock };
}

/** The settings, or why there are none to run with. */
function readSettings(kv: PreferenceKeyValue): Settings | { state: 'unprovisioned' | 'failed'; reason: string } {
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

/** The device's runtime on its ports; throws if a part cannot be built. */
function startHotspot<T>(modules: DeviceModules<T>, config: DeviceConfig, settings: Settings, clock: Clock, kv: PreferenceKeyValue, log: Log): Hotspot {
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
    });
    hotspot.start();
    return hotspot;
  } catch (error) {
    gps?.close?.();
    radio.close();
    throw error;
  }
}

/** The USB serial console answering through the hotspot, or undefined (with a warning) when it does not open. */
function startConsole(io: DeviceIo, board: Board, hotspot: Hotspot, log: Log): SerialConsole | undefined {
  if (io.Serial === undefined) {
    log.write('warn', 'no serial console: device.io has no Serial');
    return undefined;
  }
  try {
    return openConsole(board, io.Serial, (line) => hotspot.openConsoleAnswer(line));
  } catch (error) {
    log.write('warn', 'serial console not opened: the walk log cannot be read over USB (a debug build keeps the console pins for xsbug)', {
      error: messageOf(error),
    });
    return undefined;
  }
}

function warnIfHttps(settings: Settings, log: Log): void {
  if (/^https:/i.test(settings.oracleUrl)) {
    log.write('error', 'the oracle URL is https, and this build has no TLS: every request to it will fail', { oracle: settings.oracleUrl });
  }
}

export function boot<T>(modules: DeviceModules<T>): BootOutcome {
  // Log lines go to `trace` until the console is open, then through it (see startConsole).
  const sink: { console: SerialConsole | undefined } = { console: undefined };
  const serial = new TraceLog((text) => (sink.console === undefined ? modules.trace(text) : sink.console.log(text)));
  let log = filterLog(serial, 'info');
  const clock = new ModdableClock({
    Timer: modules.Timer, Time: modules.Time, wallNow: modules.wallNow,
    onCallbackError: (error) => log.write('error', 'timer callback threw', { error: messageOf(error) }),
  });
  let config: DeviceConfig;
  try {
    config = readDeviceConfig(modules.config);
  } catch (error) {
    return idle(clock, log, 'failed', messageOf(error));
  }
  log.write('info', 'covey booting', { board: config.board.id, partition: config.receiptPartition });
  const kv = new PreferenceKeyValue(modules.Preference);
  const settings = readSettings(kv);
  if ('state' in settings) return idle(clock, log, settings.state, settings.reason);
  log = filterLog(serial, settings.logLevel);
  const problem = roleProblem(config.board, settings.role, modules.io);
  if (problem !== undefined) return idle(clock, log, 'failed', problem);
  const network = new Network({
    WiFi: modules.WiFi, SNTP: modules.SNTP, clock, log, wifi: settings.wifi, sntpHost: config.sntpHost,
  });
  network.start();
  warnIfHttps(settings, log);
  let hotspot: Hotspot;
  try {
    hotspot = startHotspot(modules, config, settings, clock, kv, log);
  } catch (error) {
    return idle(clock, log, 'failed', messageOf(error));
  }
  sink.console = startConsole(modules.io, config.board, hotspot, log);
  // Written through the console itself when it opened: the first line a host sees there.
  if (sink.console !== undefined) log.write('info', 'serial console open', { port: sink.console.port });
  return { state: 'running', hotspot, network, clock, console: sink.console };
}

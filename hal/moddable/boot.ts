/**
 * What the device does at power-on, given Moddable's modules (hal/moddable/main.ts passes the real
 * ones; the tests and the XS tier pass fakes). It mirrors the simulator's rig
 * (tools/xs/scenarios/hotspot-rig.ts) with the device's ports:
 *
 *   mc/config ─ board, receipt partition label, SNTP host
 *   Timer, Time, Date.now ─ ModdableClock              trace ─ TraceLog (until the console opens)
 *   Preference ─ PreferenceKeyValue                    device.io.Serial ─ SerialConsole ─▶ Provisioning
 *   wifi ─ station mode (the RF on) ─ Math.random ─ HardwareRng ─ the device key (loaded, or made and stored)
 *   NVS "mode" = "selftest" ─▶ the self-test (hal/moddable/selftest.ts), then idle in state "selftest"
 *   Preference "settings" ─▶ startRuntime (hotspot-start.ts): Network, flash, radio, GPS, Hotspot.start()
 *
 * Order, and why. The console opens first, in every state, so that a device fresh from the factory can be
 * given its settings, seed or certificate over USB (provisioning.ts), and every later log line leaves
 * through it, never inside an answer line (console.ts). The key comes next, before the settings are even
 * read: a new device shows who it is (`info identity address=… short=… created=yes`, the public key only)
 * on its first boot. Wi-Fi goes into station mode just before, without joining anything, because the
 * hardware RNG is truly random only with the RF on (hal/moddable/rng.ts). Then either the self-test (one
 * boot, when NVS says so), or the settings: with them the hotspot starts; without them the device waits,
 * and settings that arrive over the console start it at once, without a restart.
 *
 * Nothing here waits for the network: Wi-Fi and SNTP run in the background (hal/moddable/network.ts), so a
 * hotspot with no access point in reach still listens.
 *
 * A device that cannot run (no settings, settings that do not validate, the mapper role on a board
 * without a GPS, no receipt partition, no radio, a GPS UART that does not open, a stored key that is not a
 * seed) says why, again every minute so that a serial monitor attached later sees it too, and stays idle
 * with its console answering: it neither restarts in a loop nor transmits. A console that does not open
 * (a debug build keeps the console pins for xsbug) is a warning, not a reason to stay idle.
 *
 * The XS traps (reference/moddable.md §5) need nothing installed here: no device module assigns
 * `this.name` on an error (they define a `name` getter), none uses TextEncoder, TextDecoder or
 * crypto.getRandomValues (randomness comes from the Rng port, so noble's randomBytes is never called),
 * and no module body calls anything native (everything here is built inside `boot`). The XS tier runs
 * this entry point with those globals absent and the built-ins frozen (tests/xs/moddable-main-in-xs.test.ts).
 */
import { createPortableSigner, filterLog, loadIdentity, type Hotspot, type Identity } from '../runtime.js';
import type { Clock, Log, TimerHandle } from '../../src/ports.js';
import type { Settings } from '../../src/settings.js';
import type { Board } from '../boards/index.js';
import { openConsole, type ConsoleAnswerOpener, type SerialConsole } from './console.js';
import { ModdableClock } from './clock.js';
import { readDeviceConfig, type DeviceConfig } from './device-config.js';
import { startRuntime, readSettings } from './hotspot-start.js';
import { PreferenceKeyValue } from './key-value.js';
import type {
  FlashConstructor, PreferenceModule, RequestConstructor, SntpConstructor, TimeModule, TimerModule, TraceFunction, WiFiModule,
} from './moddable-api.js';
import { enterStationMode, type Network } from './network.js';
import { MODE_KEY, Provisioning, SELFTEST_MODE, type DeviceState } from './provisioning.js';
import type { DeviceIo } from './radio.js';
import { HardwareRng } from './rng.js';
import { runDeviceSelftest } from './selftest.js';
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

/**
 * The device as boot left it, and as it goes on: the object is live, its fields follow the device (an
 * unprovisioned device given settings over the console becomes `running`), so read `state` each time.
 */
export type BootOutcome =
  | {
      readonly state: 'running'; readonly hotspot: Hotspot; readonly network: Network; readonly clock: Clock;
      /** The USB serial console, or undefined when it could not be opened (logged). */
      readonly console: SerialConsole | undefined;
      readonly identity: Identity;
    }
  | {
      readonly state: 'unprovisioned' | 'failed' | 'selftest'; readonly reason: string; readonly clock: Clock;
      readonly console: SerialConsole | undefined;
      /** Undefined when the key could not be loaded or made (the reason says why). */
      readonly identity: Identity | undefined;
    };

/** How often an idle device repeats why it is idle, ms. */
export const IDLE_REMINDER_MS = 60_000;

/** The one line `covey selftest` gets while the hotspot runs: the test needs the radio to itself. */
export const SELFTEST_SKIP_RUNNING = 'covey-selftest-end SKIP reason="hotspot running: set mode=selftest and restart"';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The USB serial console answering through `openAnswer`, or undefined (with a warning) when it does not open. */
function startConsole(io: DeviceIo, board: Board, openAnswer: ConsoleAnswerOpener, log: Log): SerialConsole | undefined {
  if (io.Serial === undefined) {
    log.write('warn', 'no serial console: device.io has no Serial');
    return undefined;
  }
  try {
    return openConsole(board, io.Serial, openAnswer);
  } catch (error) {
    log.write('warn', 'serial console not opened: nothing can be read or provisioned over USB (a debug build keeps the console pins for xsbug)', {
      error: messageOf(error),
    });
    return undefined;
  }
}

/** Every field a state may have; the BootOutcome handed out is this object. */
interface DeviceRecord {
  state: DeviceState;
  reason: string;
  readonly clock: Clock;
  console: SerialConsole | undefined;
  identity: Identity | undefined;
  hotspot: Hotspot | undefined;
  network: Network | undefined;
}

/** The device from power-on: its state, and the moves between states. */
class Device<T> {
  readonly record: DeviceRecord;
  private readonly modules: DeviceModules<T>;
  private readonly clock: ModdableClock<T>;
  /** Log lines as `trace` or the console writes them; `log` filters them by the settings' level. */
  private readonly serial: TraceLog;
  private log: Log;
  private reminder: TimerHandle | undefined;
  private selftestRunning: boolean;
  private config: DeviceConfig | undefined;
  private kv: PreferenceKeyValue | undefined;

  constructor(modules: DeviceModules<T>) {
    this.modules = modules;
    // Log lines go to `trace` until the console is open, then through it (see startConsole).
    this.serial = new TraceLog((text) => (this.record.console === undefined ? modules.trace(text) : this.record.console.log(text)));
    this.log = filterLog(this.serial, 'info');
    this.clock = new ModdableClock({
      Timer: modules.Timer, Time: modules.Time, wallNow: modules.wallNow,
      onCallbackError: (error) => this.log.write('error', 'timer callback threw', { error: messageOf(error) }),
    });
    this.record = { state: 'unprovisioned', reason: '', clock: this.clock, console: undefined, identity: undefined, hotspot: undefined, network: undefined };
    this.reminder = undefined;
    this.selftestRunning = false;
    this.config = undefined;
    this.kv = undefined;
  }

  /** Power-on, up to the state the device then stays in or runs in. */
  boot(): void {
    const { modules } = this;
    try {
      this.config = readDeviceConfig(modules.config);
    } catch (error) {
      return this.idle('failed', messageOf(error));
    }
    const { board, receiptPartition } = this.config;
    this.log.write('info', 'covey booting', { board: board.id, partition: receiptPartition });
    const kv = new PreferenceKeyValue(modules.Preference);
    this.kv = kv;
    const provisioning = new Provisioning({
      kv, board, device: this.record, onSettings: (settings) => this.onSettings(settings), selftest: () => this.consoleSelftest(),
    });
    this.record.console = startConsole(modules.io, board, (line) => provisioning.openAnswer(line), this.log);
    // Written through the console itself when it opened: the first line a host sees there.
    if (this.record.console !== undefined) this.log.write('info', 'serial console open', { port: this.record.console.port });
    enterStationMode(modules.WiFi);
    try {
      this.record.identity = loadIdentity({ kv, rng: new HardwareRng(modules.random), createSigner: createPortableSigner, log: this.log });
    } catch (error) {
      return this.idle('failed', `no device key: ${messageOf(error)}`);
    }
    if (this.takeSelftestMode(kv)) return this.selftest(undefined);
    const settings = readSettings(kv);
    if ('state' in settings) return this.idle(settings.state, settings.reason);
    this.start(settings);
  }

  /** Says why the device is idle, now and every IDLE_REMINDER_MS, until it leaves the state. */
  private idle(state: 'unprovisioned' | 'failed' | 'selftest', reason: string): void {
    this.stopReminder();
    this.record.state = state;
    this.record.reason = reason;
    const say = (): void => {
      if (state === 'failed') this.log.write('error', 'boot failed, idle', { reason });
      else if (state === 'unprovisioned') this.log.write('warn', 'not provisioned, idle', { reason });
      else this.log.write('info', 'self-test done, idle until restarted', { reason });
      this.reminder = this.clock.setTimer(say, IDLE_REMINDER_MS);
    };
    say();
  }

  private stopReminder(): void {
    if (this.reminder !== undefined) this.clock.clearTimer(this.reminder);
    this.reminder = undefined;
  }

  /** Starts the runtime with `settings`; a device that cannot goes idle in state failed, saying why. */
  private start(settings: Settings): void {
    const { config, kv, record } = this;
    if (config === undefined || kv === undefined || record.identity === undefined) return;
    this.stopReminder();
    this.log = filterLog(this.serial, settings.logLevel);
    try {
      const runtime = startRuntime(this.modules, config, settings, record.identity, this.clock, kv, this.log);
      record.hotspot = runtime.hotspot;
      record.network = runtime.network;
      record.state = 'running';
      record.reason = '';
    } catch (error) {
      this.idle('failed', messageOf(error));
    }
  }

  /**
   * Settings stored over the console: a device waiting for settings (or idle on bad ones) starts with them
   * right after the answer has gone out; a running one, or one in its self-test, needs a restart.
   */
  private onSettings(settings: Settings): boolean {
    const { state, identity } = this.record;
    if ((state !== 'unprovisioned' && state !== 'failed') || this.selftestRunning || identity === undefined) return false;
    // On a turn of its own: the done line leaves first, and the start runs on a fresh stack.
    this.clock.setTimer(() => {
      if (this.record.state === 'unprovisioned' || this.record.state === 'failed') this.start(settings);
    }, 0);
    return true;
  }

  /** Reads and deletes the one-shot boot mode; true when it asks for the self-test. */
  private takeSelftestMode(kv: PreferenceKeyValue): boolean {
    let mode: unknown;
    try {
      mode = kv.get(MODE_KEY);
      // Deleted before the test runs: a test that resets the board must not run again at every boot.
      if (mode !== undefined) kv.delete(MODE_KEY);
    } catch (error) {
      this.log.write('warn', 'boot mode unreadable, booting normally', { error: messageOf(error) });
      return false;
    }
    return mode === SELFTEST_MODE;
  }

  /** `covey selftest`: runs it unless the hotspot runs or a test already does; undefined when it started. */
  private consoleSelftest(): string | undefined {
    if (this.record.state === 'running') return SELFTEST_SKIP_RUNNING;
    if (this.selftestRunning) return 'covey-error a self-test is running';
    this.selftest({ state: this.record.state as 'unprovisioned' | 'failed' | 'selftest', reason: this.record.reason });
    return undefined;
  }

  /**
   * Runs the self-test, its lines written as log lines are (through the console when it is open). The
   * device is in state selftest meanwhile; afterwards it returns to `back`, or, after the boot-mode test
   * (`back` undefined), stays idle in state selftest until restarted.
   */
  private selftest(back: { state: 'unprovisioned' | 'failed' | 'selftest'; reason: string } | undefined): void {
    const { config, kv, record } = this;
    if (config === undefined || kv === undefined) return;
    this.stopReminder();
    this.selftestRunning = true;
    record.state = 'selftest';
    record.reason = 'running the self-test';
    const write = (line: string): void => {
      if (record.console === undefined) this.modules.trace(`${line}\n`);
      else record.console.log(line);
    };
    const finish = (): void => {
      this.selftestRunning = false;
      if (back === undefined) this.idle('selftest', 'the boot-mode self-test ran: restart to run the hotspot');
      else this.idle(back.state, back.reason);
    };
    runDeviceSelftest(this.modules, config.board, kv, write).then(finish, (error: unknown) => {
      this.log.write('error', 'self-test did not complete', { error: messageOf(error) });
      finish();
    });
  }
}

export function boot<T>(modules: DeviceModules<T>): BootOutcome {
  const device = new Device(modules);
  device.boot();
  return device.record as BootOutcome;
}

/**
 * boot() and the settings' role, and boot() and the serial console, on the device rig (./device-rig.ts):
 * the GPS emulator (host-sim/chips/gps-emulator.ts) on the board's GPS UART and a fake ESP32 UART
 * (./fake-uart.ts) on the console pins.
 * - A mapper opens the board's GPS with openSerialGps, and sends on its fixes; a hotspot gets NoGps and
 *   leaves the GPS unpowered.
 * - A mapper on a board without a GPS stays idle, saying why, naming the board, every minute.
 * - The console opens at boot; once the hotspot runs it answers `covey walk-log`, and log lines go through it.
 */
import { boot, IDLE_REMINDER_MS, type BootOutcome, type DeviceModules } from '../../hal/moddable/boot.js';
import type { SerialIoOptions } from '../../hal/drivers/gps/nmea.js';
import { NmeaGps } from '../../hal/drivers/gps/nmea.js';
import { NoGps } from '../../hal/moddable/gps.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { GpsEmulator } from '../../host-sim/chips/gps-emulator.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import type { FakeTimer } from '../../tools/xs/moddable-fakes/fake-time.js';
import { parseWalkLog } from '../../tools/walk/walk-log.js';
import { deviceRig, SETTINGS } from './device-rig.js';
import type { FakeUart } from './fake-uart.js';

/** GNSS time at power-on: 2026-05-09T07:30:00Z. */
const GPS_T0 = Date.UTC(2026, 4, 9, 7, 30);

interface Rig {
  readonly world: VirtualClock;
  readonly modules: DeviceModules<FakeTimer>;
  /** What reached XS's `trace`. */
  readonly traced: string[];
  /** Every Serial opened, by what it was opened for. */
  readonly serials: { gps: SerialIoOptions[]; console: FakeUart[] };
  /** SPI buses opened (the radio). */
  readonly spi: { opened: number };
  readonly power: Axp192Chip | undefined;
  readonly gps: GpsEmulator | undefined;
}

function rig(options: { board: string; role?: 'hotspot' | 'mapper'; consoleRefused?: number[]; noSerial?: boolean }): Rig {
  const r = deviceRig({
    board: options.board, settings: { ...SETTINGS, role: options.role ?? 'hotspot' }, randomSeed: 11,
    gpsPosition: (t) => ({ lat: 52.5163 + (t - GPS_T0) * 1e-8, lon: 13.3777, altitudeM: 35 }), gpsStartMs: GPS_T0,
    consoleRefused: options.consoleRefused, noSerial: options.noSerial,
  });
  return { world: r.world, modules: r.modules, traced: r.traced, serials: { gps: r.gpsSerials, console: r.consoles }, spi: r.spi, power: r.power, gps: r.gps };
}

/** Runs `ms` of device time in 100 ms steps, letting promise jobs (signing, the radio's) run between them. */
async function runWithPromises(world: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    world.advance(100);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The Gps port the Hotspot was built with (a private field, read here to name its class). */
const gpsPortOf = (outcome: BootOutcome) => (outcome.state === 'running' ? (outcome.hotspot as unknown as { ports: { gps: unknown } }).ports.gps : undefined);

describe('the role picks the Gps port', () => {
  test('a T-Beam mapper gets an NmeaGps on the board\'s GPS UART, powered, and sends on its fixes', async () => {
    const r = rig({ board: 'tbeam_v1', role: 'mapper' });
    const outcome = boot(r.modules);
    expect(outcome.state).toBe('running');
    expect(gpsPortOf(outcome)).toBeInstanceOf(NmeaGps);
    expect(r.serials.gps).toEqual([expect.objectContaining({ port: 1, receive: 34, transmit: 12, baud: 9600, format: 'buffer' })]);
    expect(r.power?.railOn('ldo3')).toBe(true);
    await runWithPromises(r.world, 60_000);
    const status = outcome.state === 'running' ? outcome.hotspot.status() : undefined;
    expect(status?.mapper?.sent).toBeGreaterThanOrEqual(1);
    expect(status?.mapper?.lastUplinkWallMs).toBeGreaterThanOrEqual(GPS_T0);
  });

  test('a T-Beam hotspot gets NoGps: its GPS UART is never opened and its rail stays off', () => {
    const r = rig({ board: 'tbeam_v1', role: 'hotspot' });
    const outcome = boot(r.modules);
    expect(outcome.state).toBe('running');
    expect(gpsPortOf(outcome)).toBeInstanceOf(NoGps);
    expect(r.serials.gps).toEqual([]);
    expect(r.power?.railOn('ldo3')).toBe(false);
  });

  test('a mapper on a board without a GPS stays idle, naming the board, every minute; nothing is opened', () => {
    const r = rig({ board: 'heltec_v2', role: 'mapper' });
    const outcome = boot(r.modules);
    expect(outcome.state).toBe('failed');
    const reason = outcome.state !== 'running' ? outcome.reason : '';
    expect(reason).toMatch(/mapper role needs a GPS, and board heltec_v2 \(Heltec WiFi LoRa 32 V2\) has none/);
    expect(reason).toContain('tbeam_v1');
    r.world.advance(2 * IDLE_REMINDER_MS + 100);
    // The console is open from boot, so the reason goes out there.
    const idle = r.serials.console[0].lines.filter((line) => line.startsWith('error boot failed, idle '));
    expect(idle).toHaveLength(3);
    expect(idle[0]).toContain('heltec_v2');
    expect(r.serials.gps).toEqual([]);
    expect(r.spi.opened).toBe(0);
  });
});

describe('the serial console', () => {
  test('opens on port 0 at boot, before the hotspot starts; log lines then go through it, not trace', () => {
    const r = rig({ board: 'heltec_v2' });
    const outcome = boot(r.modules);
    expect(outcome.state === 'running' && outcome.console?.port).toBe(0);
    r.world.advance(2 * 60_000 + 100);
    const uart = r.serials.console[0];
    expect(uart.lines[0]).toBe('info serial console open port=0');
    expect(uart.lines.filter((line) => line.startsWith('info status '))).toHaveLength(2);
    expect(uart.lines.filter((line) => line.startsWith('info identity '))).toHaveLength(1);
    expect(uart.lines.filter((line) => line.startsWith('info hotspot started '))).toHaveLength(1);
    // Only what came before the console opened reached trace.
    expect(r.traced).toEqual(['info covey booting board=heltec_v2 partition=covey\n']);
  });

  test('answers `covey walk-log` through the hotspot (a hotspot\'s queue holds no reports)', () => {
    const r = rig({ board: 'heltec_v2' });
    boot(r.modules);
    const uart = r.serials.console[0];
    uart.type('covey walk-log\r\n', [5, 5, 6]);
    r.world.advance(100);
    expect(uart.lines).toContain('covey-walk-end 0');
  });

  test('a mapper\'s walk log reaches the console: one line per report it made, then the count', async () => {
    const r = rig({ board: 'tbeam_v1', role: 'mapper' });
    const outcome = boot(r.modules);
    await runWithPromises(r.world, 30_000);
    const sent = outcome.state === 'running' ? (outcome.hotspot.status().mapper?.sent ?? 0) : 0;
    expect(sent).toBeGreaterThanOrEqual(1);
    const uart = r.serials.console[0];
    uart.type('covey walk-log\n');
    await runWithPromises(r.world, 2000);
    const log = parseWalkLog(Uint8Array.from(uart.wire));
    expect(log.declaredCount).toBe(sent);
    expect(log.reports).toHaveLength(sent);
    expect(log.reports.every((line) => /^[0-9a-f]{402}$/.test(line.hex))).toBe(true);
    // Pulled a line at a time from the hotspot: one line taken per report, then the end line.
    expect(outcome.state === 'running' && outcome.console?.stats).toMatchObject({ answered: 1, cutShort: 0, answerLines: sent + 1 });
  });

  test('a T-Beam mapper\'s console takes port 2 when port 0 is refused, leaving the GPS UART alone', () => {
    const r = rig({ board: 'tbeam_v1', role: 'mapper', consoleRefused: [0] });
    const outcome = boot(r.modules);
    expect(outcome.state === 'running' && outcome.console?.port).toBe(2);
    expect(r.serials.gps).toHaveLength(1);
  });

  test('a console that cannot open is a warning on trace; the hotspot runs without it', () => {
    const r = rig({ board: 'heltec_v2', consoleRefused: [0, 1] });
    const outcome = boot(r.modules);
    expect(outcome.state).toBe('running');
    expect(outcome.state === 'running' && outcome.console).toBeUndefined();
    expect(r.traced.filter((line) => line.startsWith('warn serial console not opened'))).toHaveLength(1);
    r.world.advance(60_000);
    expect(r.traced.filter((line) => line.startsWith('info status '))).toHaveLength(1);
  });

  test('without a Serial class in device.io: a warning, and the hotspot runs', () => {
    const r = rig({ board: 'heltec_v2', noSerial: true });
    expect(boot(r.modules).state).toBe('running');
    expect(r.traced.filter((line) => line.startsWith('warn no serial console'))).toHaveLength(1);
  });
});

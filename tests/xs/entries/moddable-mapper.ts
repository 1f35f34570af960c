/**
 * The device entry point (hal/moddable/main.ts) booting a T-Beam in the mapper role inside XS, with the
 * USB console open: the main scenario (tools/xs/moddable-fakes/main-scenario.ts, handed in by
 * ./moddable-mapper-entry.js) with three additions made after its prepare():
 * - the settings in NVS get `role: "mapper"`;
 * - `device.io` gets a Serial class: on the T-Beam's GPS UART (port 1, RX GPIO34) the GPS emulator
 *   (host-sim/chips/gps-emulator.ts), fed one epoch a second from a repeating Timer, walking east at
 *   1.5 m/s; on any other port a console UART with the ESP32's 128-byte transmit FIFO (./moddable-console.ts);
 * - at `walkLogAtMs` the host types `covey walk-log` on the console, in three pieces.
 * The report adds what came out of the console, as lines. Device-legal code, for covey-xs.
 */
import { GpsEmulator } from '../../../host-sim/chips/gps-emulator.js';
import type { SerialIoOptions } from '../../../hal/drivers/gps/nmea.js';
import type { ConsoleSerialOptions } from '../../../hal/moddable/console.js';
import device from '../../../tools/xs/moddable-fakes/modules/provider.js';
import { currentWorld } from '../../../tools/xs/moddable-fakes/world.js';
import { consoleUart, typeOn, type ConsoleWire } from './moddable-console.js';
import type { MeteredScenario, ScenarioArgs } from '../../../tools/xs/scenarios/metered-scenario.js';

/** GNSS time of the first epoch: 2026-05-09T07:30:00Z. */
const GPS_T0 = Date.UTC(2026, 4, 9, 7, 30);
const T_BEAM_GPS = { port: 1, receive: 34, baud: 9600 };

function lines(bytes: readonly number[]): string[] {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  const parts = text.split('\n');
  parts.pop();
  return parts;
}

/** `inner`: the main scenario, whose prepare() installs the fake Moddable world this one adds to. */
export function withMapperAndConsole(inner: MeteredScenario): MeteredScenario {
  const bytes: number[] = [];
  const wire: ConsoleWire = {
    onWrite: (written) => {
      for (let i = 0; i < written.length; i++) bytes.push(written[i]);
    },
    refusals: 0, opened: 0,
  };
  let emulator: GpsEmulator | undefined;
  return {
    prepare(args: ScenarioArgs) {
      inner.prepare({ ...args, board: 'tbeam_v1' });
      const world = currentWorld('mapper scenario');
      const settings = JSON.parse(world.Preference.get('covey', 'settings') as string) as Record<string, unknown>;
      world.Preference.set('covey', 'settings', JSON.stringify({ ...settings, role: 'mapper' }));
      const gps = new GpsEmulator({
        position: (t) => ({ lat: 52.52, lon: 13.4 + ((t - GPS_T0) / 1000) * 1.5 / 67_800, altitudeM: 34 }),
        wiring: T_BEAM_GPS,
      });
      emulator = gps;
      let epoch = 0;
      world.Timer.repeat(() => gps.transmit(GPS_T0 + 1000 * epoch++), 1000);
      const Serial = function Serial(options: ConsoleSerialOptions & SerialIoOptions) {
        return options.port === T_BEAM_GPS.port ? new gps.Serial(options) : consoleUart(options, wire);
      };
      (device.io as Record<string, unknown>).Serial = Serial;
      const at = Number(args.walkLogAtMs ?? 150_000);
      world.Timer.set(() => typeOn(wire, 'covey walk'), at);
      world.Timer.set(() => typeOn(wire, '-lo'), at + 3);
      world.Timer.set(() => typeOn(wire, 'g\r\n'), at + 5);
    },
    start: () => inner.start(),
    turn: () => inner.turn(),
    counters: () => ({ ...inner.counters(), consoleBytes: bytes.length }),
    report() {
      return {
        ...(inner.report?.() ?? {}),
        consoleLines: lines(bytes),
        consoleRefusals: wire.refusals,
        consolesOpened: wire.opened,
        gpsEpochs: emulator?.stats.epochs ?? 0,
      };
    },
  };
}

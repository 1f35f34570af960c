/**
 * The device entry point (hal/moddable/main.ts) booting a T-Beam in the mapper role inside XS, with the
 * USB console open: the main scenario (tools/xs/moddable-fakes/main-scenario.ts, handed in by
 * ./moddable-mapper-entry.js) with three additions made after its prepare():
 * - the settings in NVS get `role: "mapper"`;
 * - `device.io` gets a Serial class: on the T-Beam's GPS UART (port 1, RX GPIO34) the GPS emulator
 *   (host-sim/chips/gps-emulator.ts), fed one epoch a second from a repeating Timer, walking east at
 *   1.5 m/s; on any other port a console UART with the ESP32's 128-byte transmit FIFO (`write` refuses
 *   more than the room left, onWritable once it has drained);
 * - at `walkLogAtMs` the host types `covey walk-log` on the console, in three pieces.
 * The report adds what came out of the console, as lines. Device-legal code, for covey-xs.
 */
import { GpsEmulator } from '../../../host-sim/chips/gps-emulator.js';
import type { SerialIoOptions } from '../../../hal/drivers/gps/nmea.js';
import type { ConsoleSerialOptions } from '../../../hal/moddable/console.js';
import device from '../../../tools/xs/moddable-fakes/modules/provider.js';
import { currentWorld } from '../../../tools/xs/moddable-fakes/world.js';
import type { MeteredScenario, ScenarioArgs } from '../../../tools/xs/scenarios/metered-scenario.js';

const FIFO_BYTES = 128;
/** GNSS time of the first epoch: 2026-05-09T07:30:00Z. */
const GPS_T0 = Date.UTC(2026, 4, 9, 7, 30);
const T_BEAM_GPS = { port: 1, receive: 34, baud: 9600 };

interface ConsoleWire {
  /** Bytes written to the console UART, in order. */
  readonly bytes: number[];
  /** Writes the FIFO refused. */
  refusals: number;
  opened: number;
  /** Delivers typed text to the open console. */
  type(text: string): void;
}

/** A console UART as Moddable's ESP32 Serial behaves (modules/io/serial/esp32/serial.c), on the world's Timer. */
function consoleUart(options: ConsoleSerialOptions, wire: ConsoleWire & { deliver?: (bytes: number[]) => void }) {
  const { Timer } = currentWorld('console UART');
  let queued = 0;
  let writableDue = false;
  let received: number[] = [];
  const drained = (): void => {
    queued = 0;
    writableDue = false;
    options.onWritable(FIFO_BYTES);
  };
  Timer.set(drained, 0);
  wire.opened++;
  wire.deliver = (bytes) => {
    received = received.concat(bytes);
    options.onReadable(received.length);
  };
  return {
    read(): ArrayBuffer | undefined {
      if (received.length === 0) return undefined;
      const out = Uint8Array.from(received);
      received = [];
      return out.buffer;
    },
    write(buffer: ArrayBuffer): void {
      if (buffer.byteLength > FIFO_BYTES - queued) {
        wire.refusals++;
        throw new Error('output full');
      }
      const bytes = new Uint8Array(buffer);
      for (let i = 0; i < bytes.length; i++) wire.bytes.push(bytes[i]);
      queued += bytes.length;
      if (!writableDue) {
        writableDue = true;
        Timer.set(drained, 12); // 128 bytes at 115,200 baud take about 11 ms
      }
    },
    close(): void {
      wire.deliver = undefined;
    },
  };
}

function lines(bytes: readonly number[]): string[] {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  const parts = text.split('\n');
  parts.pop();
  return parts;
}

/** `inner`: the main scenario, whose prepare() installs the fake Moddable world this one adds to. */
export function withMapperAndConsole(inner: MeteredScenario): MeteredScenario {
  const wire: ConsoleWire & { deliver?: (bytes: number[]) => void } = {
    bytes: [], refusals: 0, opened: 0,
    type(text) {
      const bytes: number[] = [];
      for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i));
      wire.deliver?.(bytes);
    },
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
      world.Timer.set(() => wire.type('covey walk'), at);
      world.Timer.set(() => wire.type('-lo'), at + 3);
      world.Timer.set(() => wire.type('g\r\n'), at + 5);
    },
    start: () => inner.start(),
    turn: () => inner.turn(),
    counters: () => ({ ...inner.counters(), consoleBytes: wire.bytes.length }),
    report() {
      return {
        ...(inner.report?.() ?? {}),
        consoleLines: lines(wire.bytes),
        consoleRefusals: wire.refusals,
        consolesOpened: wire.opened,
        gpsEpochs: emulator?.stats.epochs ?? 0,
      };
    },
  };
}

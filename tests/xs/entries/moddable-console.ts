/**
 * The USB console UART of the XS entries that boot hal/moddable/main.ts (./moddable-mapper.ts,
 * ./moddable-provision.ts): a Serial as Moddable's ESP32 Serial behaves (modules/io/serial/esp32/serial.c),
 * on the fake world's Timer: `write` takes at most the room left in the 128-byte transmit FIFO or throws
 * "output full", and onWritable comes once the FIFO has drained (about 11 ms for 128 bytes at 115,200
 * baud); typed text arrives through onReadable. Device-legal code, for covey-xs.
 */
import type { ConsoleSerialOptions } from '../../../hal/moddable/console.js';
import { currentWorld } from '../../../tools/xs/moddable-fakes/world.js';

const FIFO_BYTES = 128;

export interface ConsoleWire {
  /** Gets what the device wrote, in order. */
  readonly onWrite: (bytes: Uint8Array) => void;
  /** Writes the FIFO refused. */
  refusals: number;
  opened: number;
  /** Delivers bytes typed by the host to the open console. */
  deliver?: (bytes: number[]) => void;
}

/** Types `text` on the console the wire has open. */
export function typeOn(wire: ConsoleWire, text: string): void {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) bytes.push(text.charCodeAt(i));
  wire.deliver?.(bytes);
}

export function consoleUart(options: ConsoleSerialOptions, wire: ConsoleWire) {
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
      wire.onWrite(new Uint8Array(buffer));
      queued += buffer.byteLength;
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

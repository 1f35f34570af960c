/**
 * The NMEA receiver (nmea-receiver.ts) on a UART: the ECMA-419 Serial types the driver opens, and
 * NmeaGps, which reads the UART's FIFO into a receiver whenever bytes are waiting.
 */
import type { Gps, GpsFix } from '../../../src/ports.js';
import { NmeaReceiver, type NmeaReceiverOptions, type NmeaStats } from './nmea-receiver.js';

/**
 * The ECMA-419 Serial object the driver reads (moddable.md §2, Serial): with format "buffer", `read()`
 * returns what the UART's FIFO holds as an ArrayBuffer, or undefined when it is empty. A number is what
 * format "number" returns, one byte; typed here because Moddable's typings declare both.
 */
export interface SerialIo {
  read(): ArrayBuffer | number | undefined;
  close(): void;
}

export interface SerialIoOptions {
  /** UART number; 0 is the ESP32's console. */
  readonly port: number;
  readonly receive: number;
  readonly transmit?: number;
  readonly baud: number;
  readonly format: 'buffer';
  /** Called from the event loop when bytes are waiting; `count` of them. */
  readonly onReadable: (count: number) => void;
}

/** An ECMA-419 Serial class: `device.io.Serial` on the device, an emulator's in host-sim. */
export type SerialIoClass = new (options: SerialIoOptions) => SerialIo;

export interface NmeaGpsOptions extends NmeaReceiverOptions {
  readonly serial: {
    readonly io: SerialIoClass;
    readonly port: number;
    /** The MCU's RX pin: the receiver's TX line. */
    readonly receive: number;
    /** The MCU's TX pin, if wired: the receiver's RX line (nothing is sent yet). */
    readonly transmit?: number;
    /** NMEA 0183 itself says 4,800; most modules ship at 9,600 (u-blox NEO-6M/M8N). */
    readonly baud: number;
  };
  /** A UART read that failed. The driver keeps listening. */
  readonly onError?: (error: unknown) => void;
}

/**
 * The Gps port on a UART, in the ECMA-419 peripheral shape (STYLE.md rule 2): the Serial class comes in
 * as `options.serial.io`, the driver opens it, and `close()` is idempotent with no read after it.
 */
export class NmeaGps implements Gps {
  readonly receiver: NmeaReceiver;
  private readonly onError: (error: unknown) => void;
  /** The open UART; undefined once closed. */
  private serial: SerialIo | undefined;

  constructor(options: NmeaGpsOptions) {
    const { io: Serial, port, receive, transmit, baud } = options.serial;
    this.receiver = new NmeaReceiver(options);
    this.onError = options.onError ?? (() => undefined);
    this.serial = undefined; // until the port is open, an early onReadable finds nothing to read
    // No `transmit` key at all when there is no pin: the native constructor reads any key it finds.
    const pins = transmit === undefined ? { port, receive } : { port, receive, transmit };
    this.serial = new Serial({ ...pins, baud, format: 'buffer', onReadable: () => this.drain() });
  }

  fix(): GpsFix | undefined {
    return this.receiver.fix();
  }

  get stats(): NmeaStats {
    return this.receiver.stats;
  }

  close(): void {
    const serial = this.serial;
    this.serial = undefined;
    serial?.close();
  }

  /** Empties the FIFO: on the ESP32 only the hardware FIFO buffers, so waiting loses bytes. */
  private drain(): void {
    try {
      for (let chunk = this.serial?.read(); chunk !== undefined; chunk = this.serial?.read()) {
        if (typeof chunk === 'number') this.receiver.push(Uint8Array.of(chunk));
        else if (chunk.byteLength > 0) this.receiver.push(new Uint8Array(chunk));
        else break;
      }
    } catch (error) {
      this.onError(error);
    }
  }
}

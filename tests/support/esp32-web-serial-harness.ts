/**
 * Test harness: just enough of a Web Serial port (W3C Web Serial API) over node-serialport for
 * esptool-js's Transport, so the loader emulator's tests can run esptool-js itself through serialport and
 * the emulator's binding. Deliberately minimal and separate from tools/flash's adapter, so the emulator
 * is tested against serialport without depending on the code it is used to test.
 *
 * Web Serial changes only the lines named in setSignals; serialport's set() sets every line, so the
 * harness keeps DTR/RTS and sends both each time.
 */
import { SerialPort } from 'serialport';
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };

export class SerialPortAsWebSerial {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  /** Present unless `inPlaceBaudChange: false`, which makes esptool-js reopen the port to change speed. */
  readonly setBaudRate: ((baud: number) => Promise<void>) | undefined;
  readonly #path: string;
  readonly #binding: BindingInterface;
  #port: SerialPort | undefined;
  #lines = { dtr: true, rts: true };

  constructor(path: string, binding: BindingInterface, options: { inPlaceBaudChange?: boolean } = {}) {
    this.#path = path;
    this.#binding = binding;
    this.setBaudRate = options.inPlaceBaudChange === false ? undefined : (baud) => this.#update(baud);
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { usbVendorId: 0x10c4, usbProductId: 0xea60 };
  }

  async open(options: { baudRate: number }): Promise<void> {
    // serialport's types leave `binding` out of SerialPort's options, but its constructor honours it.
    const settings = { path: this.#path, baudRate: options.baudRate, binding: this.#binding, autoOpen: false };
    const port = new SerialPort(settings);
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.#port = port;
    this.#lines = { dtr: true, rts: true };
    let onData: ((chunk: Buffer) => void) | undefined;
    this.readable = new ReadableStream<Uint8Array>({
      start(controller) {
        onData = (chunk) => controller.enqueue(new Uint8Array(chunk));
        port.on('data', onData);
        port.once('close', () => {
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        });
      },
      cancel() {
        if (onData) port.off('data', onData);
      },
    });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          port.write(Buffer.from(chunk), (error) => (error ? reject(error) : port.drain(() => resolve())));
        }),
    });
  }

  async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void> {
    const port = this.#requirePort();
    this.#lines = {
      dtr: signals.dataTerminalReady ?? this.#lines.dtr,
      rts: signals.requestToSend ?? this.#lines.rts,
    };
    await new Promise<void>((resolve, reject) =>
      port.set({ ...this.#lines, brk: signals.break ?? false }, (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    const port = this.#requirePort();
    this.#port = undefined;
    this.readable = null;
    this.writable = null;
    await new Promise<void>((resolve, reject) => port.close((error) => (error ? reject(error) : resolve())));
  }

  async #update(baudRate: number): Promise<void> {
    const port = this.#requirePort();
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (error) => (error ? reject(error) : resolve())));
  }

  #requirePort(): SerialPort {
    if (this.#port === undefined) throw new Error('port is not open');
    return this.#port;
  }
}

/**
 * A Web Serial port (W3C "Web Serial API", the SerialPort interface) on top of node-serialport, so that
 * esptool-js's Transport, written for browsers, runs in Node. Transport uses: `open({ baudRate })`,
 * `close()`, the `readable` and `writable` streams (null while closed), `setSignals()`, `getInfo()`, and
 * `setBaudRate()` when present (esptool-js's BaudRateConfigurablePort: change speed without reopening,
 * which would reset boards whose DTR/RTS drive EN and IO0).
 *
 * serialport's bindings set every modem line on each call, to the given value or its default
 * (@serialport/bindings-interface SetOptions), while Web Serial changes only the lines named. The
 * adapter keeps the state of DTR, RTS and BREAK and always sends all three, so that setting RTS alone
 * never drops DTR by accident: on the usual auto-reset circuit that would pulse EN or IO0.
 */
import { SerialPort } from 'serialport';

/** A port as a binding lists it (@serialport/bindings-interface PortInfo; USB ids are hex strings). */
export interface PortListing {
  readonly path: string;
  readonly manufacturer?: string;
  readonly vendorId?: string;
  readonly productId?: string;
}

/**
 * What the adapter needs of a serialport binding (@serialport/bindings-interface BindingInterface, whose
 * package hides its declarations from ES modules): `list`, and `open`, which SerialPort calls.
 */
export interface SerialBinding {
  list(): Promise<PortListing[]>;
  open(options: { path: string; baudRate: number }): Promise<unknown>;
}

/** serialport's binding for this platform (Linux, macOS, Windows). */
export const platformBinding = (): SerialBinding => SerialPort.binding as unknown as SerialBinding;

export interface WebSerialAdapterOptions {
  readonly path: string;
  /** Default: serialport's binding for this platform. Tests pass a mock or an emulator's binding. */
  readonly binding?: SerialBinding;
}

/** Opening failed: no such port, no permission, busy. `reason` is the binding's first line. */
export class SerialOpenError extends Error {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`cannot open ${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
  override get name(): string {
    return 'SerialOpenError';
  }
}

interface Signals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

/** The first line of a binding's error, without a leading "Error: ". */
export function bindingReason(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return message.split('\n')[0].trim().replace(/^Error: /, '');
}

/** USB ids in serialport's PortInfo are hex strings ("10c4"); Web Serial's are numbers. */
function usbId(text: string | undefined): number | undefined {
  return text !== undefined && /^[0-9a-f]{1,4}$/i.test(text) ? Number.parseInt(text, 16) : undefined;
}

export class WebSerialPort {
  readonly path: string;
  private readonly binding: SerialBinding;
  private port: SerialPort | undefined;
  private readableStream: ReadableStream<Uint8Array> | null = null;
  private writableStream: WritableStream<Uint8Array> | null = null;
  // The lines as the OS leaves them when a port opens: DTR and RTS asserted, no BREAK.
  private lines = { dtr: true, rts: true, brk: false };
  private info: { usbVendorId?: number; usbProductId?: number } = {};

  constructor(options: WebSerialAdapterOptions) {
    this.path = options.path;
    this.binding = options.binding ?? platformBinding();
  }

  get readable(): ReadableStream<Uint8Array> | null {
    return this.readableStream;
  }

  get writable(): WritableStream<Uint8Array> | null {
    return this.writableStream;
  }

  getInfo(): { usbVendorId?: number; usbProductId?: number } {
    return { ...this.info };
  }

  async open(options: { baudRate: number }): Promise<void> {
    if (this.port !== undefined) throw new Error(`${this.path} is already open`);
    const port = new SerialPort({ path: this.path, baudRate: options.baudRate, autoOpen: false, ...{ binding: this.binding } });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error === null ? resolve() : reject(new SerialOpenError(this.path, bindingReason(error)))));
    });
    // Errors after opening reach the streams; without a listener an 'error' event would end the process.
    port.on('error', () => undefined);
    this.port = port;
    this.lines = { dtr: true, rts: true, brk: false };
    this.readableStream = this.readableFor(port);
    this.writableStream = this.writableFor(port);
    this.info = await this.lookUpInfo();
  }

  async close(): Promise<void> {
    const port = this.port;
    if (port === undefined) return;
    this.port = undefined;
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.readableStream = null;
    this.writableStream = null;
  }

  async setSignals(signals: Signals): Promise<void> {
    const port = this.requireOpen();
    if (signals.dataTerminalReady !== undefined) this.lines.dtr = signals.dataTerminalReady;
    if (signals.requestToSend !== undefined) this.lines.rts = signals.requestToSend;
    if (signals.break !== undefined) this.lines.brk = signals.break;
    const lines = { ...this.lines };
    await new Promise<void>((resolve, reject) => port.set(lines, (error) => (error === null ? resolve() : reject(error))));
  }

  async setBaudRate(baudRate: number): Promise<void> {
    const port = this.requireOpen();
    await new Promise<void>((resolve, reject) => port.update({ baudRate }, (error) => (error === null ? resolve() : reject(error))));
  }

  /** The ports the binding sees, for "no such port" messages. */
  static async list(binding?: SerialBinding): Promise<PortListing[]> {
    return (binding ?? platformBinding()).list();
  }

  private requireOpen(): SerialPort {
    if (this.port === undefined) throw new Error(`${this.path} is not open`);
    return this.port;
  }

  private readableFor(port: SerialPort): ReadableStream<Uint8Array> {
    let open = true;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        port.on('data', (chunk: Buffer) => {
          if (open) controller.enqueue(new Uint8Array(chunk));
        });
        port.once('close', () => {
          if (!open) return;
          open = false;
          controller.close();
        });
      },
      cancel: () => {
        open = false;
      },
    });
  }

  private writableFor(port: SerialPort): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: (chunk) =>
        new Promise<void>((resolve, reject) => {
          port.write(Buffer.from(chunk), (error) => {
            if (error !== null && error !== undefined) return reject(error);
            port.drain((drainError) => (drainError === null ? resolve() : reject(drainError)));
          });
        }),
    });
  }

  private async lookUpInfo(): Promise<{ usbVendorId?: number; usbProductId?: number }> {
    try {
      const entry = (await this.binding.list()).find((port) => port.path === this.path);
      return { usbVendorId: usbId(entry?.vendorId), usbProductId: usbId(entry?.productId) };
    } catch {
      return {};
    }
  }
}

/**
 * A serialport (v13) binding whose ports are emulated boards, so the real serial stack runs against them:
 * `new SerialPort({ path, baudRate, binding: emulatorBinding({ '/dev/ttyUSB0': emulator }) })`.
 *
 * It behaves like the native binding where a flasher can tell: opening asserts DTR and RTS and closing
 * drops them (Linux with HUPCL), a port opens once at a time, reads wait for data and fail with
 * `canceled` when the port closes, and unknown or forbidden paths fail as the OS would fail them
 * ("No such file or directory" / "Permission denied", with ENOENT / EACCES codes).
 *
 * (The interface package ships its types for `require` only, hence the resolution mode on the import.)
 */
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import type { Esp32LoaderEmulator } from './emulator.js';

export interface EmulatorBindingOptions {
  /** Paths that exist but this user may not open (not in the dialout group). */
  readonly denied?: readonly string[];
}

class PortError extends Error {
  readonly code: string;
  readonly canceled?: boolean;

  constructor(message: string, code: string, canceled?: boolean) {
    super(message);
    this.name = 'Error';
    this.code = code;
    if (canceled) this.canceled = true;
  }
}

const OPEN_DEFAULTS = {
  dataBits: 8,
  lock: true,
  stopBits: 1,
  parity: 'none',
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
} as const;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class EmulatorPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  readonly #emulator: Esp32LoaderEmulator;
  readonly #release: () => void;
  readonly #unsubscribe: () => void;
  #received: Uint8Array[] = [];
  #pendingRead: (() => void) | undefined;
  #writing: Promise<void> | undefined;

  constructor(emulator: Esp32LoaderEmulator, openOptions: Required<OpenOptions>, release: () => void) {
    this.#emulator = emulator;
    this.openOptions = openOptions;
    this.#release = release;
    emulator.setBaudRate(openOptions.baudRate);
    this.#unsubscribe = emulator.onData((bytes) => {
      this.#received.push(bytes);
      const wake = this.#pendingRead;
      this.#pendingRead = undefined;
      wake?.();
    });
    emulator.setSignals({ dtr: true, rts: true });
  }

  async close(): Promise<void> {
    this.#assertOpen();
    this.isOpen = false;
    this.#unsubscribe();
    this.#received = [];
    if (this.openOptions.hupcl) this.#emulator.setSignals({ dtr: false, rts: false });
    this.#release();
    const wake = this.#pendingRead;
    this.#pendingRead = undefined;
    wake?.();
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (buffer.length < offset + length) throw new RangeError('buffer is too small');
    this.#assertOpen();
    while (this.#received.length === 0) {
      await new Promise<void>((resolve) => (this.#pendingRead = resolve));
      if (!this.isOpen) throw new PortError('Read canceled', 'ECANCELED', true);
    }
    let bytesRead = 0;
    while (bytesRead < length && this.#received.length > 0) {
      const chunk = this.#received[0];
      const take = Math.min(chunk.length, length - bytesRead);
      buffer.set(chunk.subarray(0, take), offset + bytesRead);
      bytesRead += take;
      if (take === chunk.length) this.#received.shift();
      else this.#received[0] = chunk.subarray(take);
    }
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    this.#assertOpen();
    const bytes = Uint8Array.from(buffer);
    this.#writing = (async () => {
      await nextTurn();
      if (!this.isOpen) throw new PortError('Write canceled', 'ECANCELED', true);
      this.#emulator.write(bytes);
    })();
    try {
      await this.#writing;
    } finally {
      this.#writing = undefined;
    }
  }

  async update(options: UpdateOptions): Promise<void> {
    if (!Number.isInteger(options.baudRate) || options.baudRate <= 0) {
      throw new TypeError(`"baudRate" must be a positive integer, got ${String(options.baudRate)}`);
    }
    this.#assertOpen();
    this.openOptions.baudRate = options.baudRate;
    this.#emulator.setBaudRate(options.baudRate);
  }

  async set(options: SetOptions): Promise<void> {
    this.#assertOpen();
    this.#emulator.setSignals({ dtr: options.dtr, rts: options.rts });
  }

  async get(): Promise<PortStatus> {
    this.#assertOpen();
    return { cts: false, dsr: false, dcd: false };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    this.#assertOpen();
    return { baudRate: this.openOptions.baudRate };
  }

  async flush(): Promise<void> {
    this.#assertOpen();
    this.#received = [];
  }

  async drain(): Promise<void> {
    this.#assertOpen();
    await this.#writing?.catch(() => undefined);
  }

  #assertOpen(): void {
    if (!this.isOpen) throw new PortError('Port is not open', 'EBADF');
  }
}

/** CP2102 USB-UART bridge, as on Heltec and LilyGO boards. */
const BRIDGE = { manufacturer: 'Silicon Labs', vendorId: '10c4', productId: 'ea60' } as const;

export function emulatorBinding(
  ports: Record<string, Esp32LoaderEmulator>,
  options: EmulatorBindingOptions = {},
): BindingInterface {
  const denied = new Set(options.denied ?? []);
  const inUse = new Set<string>();
  return {
    async list(): Promise<PortInfo[]> {
      return Object.keys(ports).map((path, index) => ({
        path,
        ...BRIDGE,
        serialNumber: `0001-${index}`,
        pnpId: undefined,
        locationId: undefined,
      }));
    },
    async open(openOptions: OpenOptions): Promise<BindingPortInterface> {
      if (typeof openOptions?.path !== 'string' || openOptions.path === '') throw new TypeError('"path" is not a valid port');
      if (!Number.isInteger(openOptions.baudRate) || openOptions.baudRate <= 0) {
        throw new TypeError('"baudRate" is not a valid baudRate');
      }
      const { path } = openOptions;
      await nextTurn();
      const emulator = Object.hasOwn(ports, path) ? ports[path] : undefined;
      if (emulator === undefined) throw new PortError(`No such file or directory, cannot open ${path}`, 'ENOENT');
      if (denied.has(path)) throw new PortError(`Permission denied, cannot open ${path}`, 'EACCES');
      if (inUse.has(path)) throw new PortError(`Resource temporarily unavailable, cannot lock port ${path}`, 'EBUSY');
      inUse.add(path);
      const full = { ...OPEN_DEFAULTS, ...openOptions } as Required<OpenOptions>;
      return new EmulatorPort(emulator, full, () => inUse.delete(path));
    },
  };
}

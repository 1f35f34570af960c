/**
 * A register-level AXP192 emulator behind an ECMA-419-shaped I2C class, for the driver in
 * hal/drivers/axp192.ts and for other emulators that need to know whether their supply is on
 * (`railOn('ldo2')` feeds a T-Beam's LoRa module). No Node APIs, so the XS tier can load it.
 *
 * The register numbers and encodings are written out here (from the same sources as
 * hal/drivers/axp192-registers.ts) rather than imported from the driver, so that a typo in one shows up
 * as a failing test instead of hiding in both.
 *
 * Modelled: REG 00H/01H status (read-only), REG 03H chip id, REG 12H output control (bits 0–4 and 6
 * writable), REG 26H/27H DCDC1/3 voltage (bits 6–0), REG 28H LDO2/3 voltage; any other register is plain
 * storage. An exchange is one register-pointer write, one (register, value) write or one single-byte read;
 * longer transfers are not modelled and throw.
 *
 * Power-up state is a worst case for a driver, not the chip's OTP defaults (which are board-specific):
 * only DCDC3 (the ESP32's rail on the T-Beam) is on, at 3.3 V; DCDC1 and both LDOs are off at their
 * lowest voltage code.
 */
import type { I2cIo, I2cIoClass, I2cIoOptions } from '../../hal/drivers/axp192.js';

export type Axp192ChipRail = 'dcdc1' | 'dcdc2' | 'dcdc3' | 'ldo2' | 'ldo3' | 'exten';

/** REG 12H enable bits. */
const ENABLE_BIT: { readonly [rail in Axp192ChipRail]: number } = { dcdc1: 0, dcdc3: 1, ldo2: 2, ldo3: 3, dcdc2: 4, exten: 6 };

/** Voltage fields: register, shift, width mask, minimum and step in mV. */
const VOLTAGE = {
  dcdc1: [0x26, 0, 0x7f, 700, 25],
  dcdc3: [0x27, 0, 0x7f, 700, 25],
  ldo2: [0x28, 4, 0x0f, 1800, 100],
  ldo3: [0x28, 0, 0x0f, 1800, 100],
} as const;

/** Bits software can change; registers not listed are plain storage (0xff). */
const WRITABLE: ReadonlyMap<number, number> = new Map([
  [0x00, 0x00],
  [0x01, 0x00],
  [0x03, 0x00],
  [0x12, 0x5f],
  [0x26, 0x7f],
  [0x27, 0x7f],
]);

export interface Axp192ChipOptions {
  /** 7-bit address the chip answers on. Default 0x34. */
  readonly address?: number;
  /** REG 03H. Default 0x03 (an AXP192); 0x4a poses as the AXP2101 of a T-Beam v1.2. */
  readonly chipId?: number;
  /** SDA/SCL the chip is wired to; a bus opened on other pins gets no acknowledge. */
  readonly wiring?: { readonly data: number; readonly clock: number };
  /** Register values at power-up, over the defaults above. */
  readonly registers?: Readonly<Record<number, number>>;
  /** Called whenever a write turns a rail on or off. */
  readonly onRailChange?: (rail: Axp192ChipRail, on: boolean) => void;
}

export interface Axp192Supply {
  readonly acin?: boolean;
  readonly vbus?: boolean;
  readonly battery?: boolean;
  readonly charging?: boolean;
}

export class Axp192Chip {
  readonly address: number;
  /** The ECMA-419 I2C class to hand a driver as `options.i2c.io`. */
  readonly I2C: I2cIoClass;
  /** Exchanges that reached the chip (acknowledged), and buses still open. */
  readonly stats = { reads: 0, writes: 0, busesOpen: 0 };
  readonly #registers = new Uint8Array(256);
  readonly #frozen = new Set<number>();
  readonly #wiring: Axp192ChipOptions['wiring'];
  readonly #onRailChange: Axp192ChipOptions['onRailChange'];
  #pointer = 0;
  #failures = 0;
  #connected = true;
  #mcuPowerLost = false;

  constructor(options: Axp192ChipOptions = {}) {
    this.address = options.address ?? 0x34;
    this.#wiring = options.wiring;
    this.#onRailChange = options.onRailChange;
    this.#registers[0x03] = options.chipId ?? 0x03;
    this.#registers[0x12] = 1 << ENABLE_BIT.dcdc3;
    this.#registers[0x27] = (3300 - 700) / 25;
    this.setSupply({ vbus: true });
    for (const [register, value] of Object.entries(options.registers ?? {})) this.#registers[Number(register)] = value;
    this.I2C = emulatedI2c({
      acknowledge: (bus, what) => this.#acknowledge(bus, what),
      readByte: () => {
        this.stats.reads += 1;
        return this.#registers[this.#pointer];
      },
      write: (bytes) => this.#write(bytes),
      opened: (delta) => {
        this.stats.busesOpen += delta;
      },
    });
  }

  railOn(rail: Axp192ChipRail): boolean {
    return ((this.#registers[0x12] >> ENABLE_BIT[rail]) & 1) === 1;
  }

  /** The rail's programmed voltage, on or off. */
  railMillivolts(rail: keyof typeof VOLTAGE): number {
    const [register, shift, mask, minMv, stepMv] = VOLTAGE[rail];
    return minMv + ((this.#registers[register] >> shift) & mask) * stepMv;
  }

  /** A register's current value, as a logic analyser would see it. */
  register(register: number): number {
    return this.#registers[register];
  }

  /** Sets the status registers (REG 00H bits 7 and 5, REG 01H bits 6 and 5); unnamed sources keep their state. */
  setSupply(supply: Axp192Supply): void {
    this.#setBit(0x00, 0x80, supply.acin);
    this.#setBit(0x00, 0x20, supply.vbus);
    this.#setBit(0x01, 0x40, supply.charging);
    this.#setBit(0x01, 0x20, supply.battery);
  }

  /** Fault: the next `count` exchanges get no acknowledge. */
  failNext(count = 1): void {
    this.#failures += count;
  }

  /** Fault: the chip stops (or resumes) answering, like a loose connector. */
  setConnected(connected: boolean): void {
    this.#connected = connected;
  }

  /** Fault: writes to `register` are ignored, as if its bits were stuck. */
  freeze(register: number): void {
    this.#frozen.add(register);
  }

  /** True once something switched DCDC3 off: on a T-Beam that cuts the ESP32's own supply. */
  get mcuPowerLost(): boolean {
    return this.#mcuPowerLost;
  }

  #setBit(register: number, mask: number, on: boolean | undefined): void {
    if (on === undefined) return;
    this.#registers[register] = on ? this.#registers[register] | mask : this.#registers[register] & ~mask;
  }

  #acknowledge(bus: I2cIoOptions, what: string): void {
    const { address } = bus;
    const wired = this.#wiring === undefined || (bus.data === this.#wiring.data && bus.clock === this.#wiring.clock);
    const fail = this.#failures > 0;
    if (fail) this.#failures -= 1;
    if (fail || !this.#connected || this.#mcuPowerLost || !wired || address !== this.address) {
      throw new Error(`I2C ${what} failed: no acknowledge from 0x${address.toString(16)}`);
    }
  }

  #write(bytes: Uint8Array): void {
    if (bytes.length === 0 || bytes.length > 2) throw new RangeError(`a ${bytes.length}-byte AXP192 write is not modelled`);
    this.#pointer = bytes[0];
    this.stats.writes += 1;
    if (bytes.length === 1 || this.#frozen.has(bytes[0])) return;
    const mask = WRITABLE.get(bytes[0]) ?? 0xff;
    const before = this.#registers[bytes[0]];
    this.#registers[bytes[0]] = (before & ~mask) | (bytes[1] & mask);
    if (bytes[0] === 0x12) this.#railsChanged(before);
  }

  #railsChanged(before: number): void {
    for (const rail of Object.keys(ENABLE_BIT) as Axp192ChipRail[]) {
      const on = this.railOn(rail);
      if (on === (((before >> ENABLE_BIT[rail]) & 1) === 1)) continue;
      if (rail === 'dcdc3' && !on) this.#mcuPowerLost = true;
      this.#onRailChange?.(rail, on);
    }
  }
}

/** What a bus object may do to the chip it is attached to. */
interface ChipSide {
  acknowledge(options: I2cIoOptions, what: string): void;
  readByte(): number;
  write(bytes: Uint8Array): void;
  opened(delta: 1 | -1): void;
}

/** An ECMA-419-shaped I2C class whose every exchange goes to one emulated chip. */
function emulatedI2c(chip: ChipSide): I2cIoClass {
  return class EmulatedI2c implements I2cIo {
    readonly #options: I2cIoOptions;
    #open = true;

    constructor(options: I2cIoOptions) {
      for (const key of ['data', 'clock', 'address', 'hz'] as const) {
        if (!Number.isInteger(options[key])) throw new TypeError(`I2C option ${key} must be an integer`);
      }
      this.#options = options;
      chip.opened(1);
    }

    read(byteLength: number, _stop?: boolean): ArrayBuffer {
      this.#check('read');
      if (byteLength !== 1) throw new RangeError(`a ${byteLength}-byte AXP192 read is not modelled`);
      return Uint8Array.of(chip.readByte()).buffer;
    }

    write(buffer: ArrayBufferView | ArrayBuffer, _stop?: boolean): void {
      this.#check('write');
      const bytes = ArrayBuffer.isView(buffer)
        ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
        : new Uint8Array(buffer);
      chip.write(bytes);
    }

    close(): void {
      if (!this.#open) return;
      this.#open = false;
      chip.opened(-1);
    }

    #check(what: string): void {
      if (!this.#open) throw new Error('I2C closed');
      chip.acknowledge(this.#options, what);
    }
  };
}

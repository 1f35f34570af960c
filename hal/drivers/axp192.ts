/**
 * X-Powers AXP192 power-management chip, as far as a LilyGO T-Beam v1.x needs it: its LoRa module and
 * GPS hang on the LDO2 and LDO3 rails, which must be set and switched on over I2C before either part
 * answers. ECMA-419 peripheral shape (STYLE.md rule 2): the I2C class comes in as `options.i2c.io` and the
 * driver constructs it; `close()` is idempotent.
 *
 * Registers are named as in the AXP192 datasheet's register description (REG 00H, 01H, 03H, 12H, 26H,
 * 27H, 28H); their fields and encodings come from hal/drivers/axp192-registers.ts, which says where.
 * Moddable's modules/drivers/peripherals/axp192/axp192.js writes the LDO2/3 voltages to 34H, which is the
 * charge-control register; 28H is the one Linux and XPowersLib use.
 *
 * Every operation is made of synchronous I2C exchanges, so failures are thrown to the caller (as Axp192Error,
 * naming the register); there are no callbacks and so no `onError`.
 */
import {
  AXP192, RAILS, railCode, railMillivolts, SWITCHABLE, type Axp192Rail, type SwitchableRail,
} from './axp192-registers.js';

export {
  AXP192, RAILS, railCode, railMillivolts, SWITCHABLE, type Axp192Rail, type SwitchableRail,
} from './axp192-registers.js';

/** The ECMA-419 I2C object the driver uses (moddable.md §2). */
export interface I2cIo {
  read(byteLength: number, stop?: boolean): ArrayBuffer;
  /** ECMA-419 takes an ArrayBuffer or a typed array (the driver writes Uint8Arrays). */
  write(buffer: Uint8Array | ArrayBuffer, stop?: boolean): void;
  close(): void;
}

export interface I2cIoOptions {
  readonly data: number;
  readonly clock: number;
  readonly address: number;
  readonly hz: number;
  readonly port?: number;
}

/** An ECMA-419 I2C class (`device.io.I2C` on the device, an emulator's bus in host-sim). */
export type I2cIoClass = new (options: I2cIoOptions) => I2cIo;

export interface Axp192Options {
  readonly i2c: {
    readonly io: I2cIoClass;
    readonly data: number;
    readonly clock: number;
    /** 7-bit address; the AXP192's is fixed at 0x34. */
    readonly address?: number;
    /** Bus clock; 400 kHz like the T-Beam's other I2C part (SSD1306) and Moddable's AXP192 driver. */
    readonly hz?: number;
    readonly port?: number;
  };
}

export interface RailState {
  readonly on: boolean;
  readonly millivolts: number;
}

/** Power sources the chip sees (REG 00H, 01H). */
export interface Axp192Status {
  readonly acinPresent: boolean;
  readonly vbusPresent: boolean;
  readonly batteryPresent: boolean;
  readonly charging: boolean;
}

/** What `configure` sets for one rail; `millivolts` keeps the current voltage when left out. */
export interface RailSetting {
  readonly on: boolean;
  readonly millivolts?: number;
}

export type RailSettings = { readonly [rail in SwitchableRail]?: RailSetting };

/** A failed I2C exchange, a chip that is not an AXP192, or a register that did not take its value. */
export class Axp192Error extends Error {
  // A getter, not an assignment: XS freezes Error.prototype after preload (moddable.md §5).
  override get name(): string {
    return 'Axp192Error';
  }
}

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0')}`;
const reg = (register: number) => `REG ${register.toString(16).toUpperCase().padStart(2, '0')}H`;

/**
 * The settings as (rail, on, voltage code) triples, every one checked before the first write so that a
 * bad value changes nothing on the chip.
 */
function checkedSettings(settings: RailSettings): { rail: SwitchableRail; on: boolean; code?: number }[] {
  for (const key of Object.keys(settings)) {
    if (!(SWITCHABLE as readonly string[]).includes(key)) {
      throw new RangeError(`${key} is not a rail configure switches (${SWITCHABLE.join(', ')})`);
    }
  }
  return SWITCHABLE.filter((rail) => settings[rail] !== undefined).map((rail) => {
    const { on, millivolts } = settings[rail] as RailSetting;
    if (typeof on !== 'boolean') throw new TypeError(`${rail}.on must be true or false`);
    return { rail, on, code: millivolts === undefined ? undefined : railCode(rail, millivolts) };
  });
}

export class Axp192 {
  readonly address: number;
  #io: I2cIo | undefined;

  constructor(options: Axp192Options) {
    const { io: Io, address = AXP192.address, hz = 400_000, ...pins } = options.i2c;
    this.address = address;
    this.#io = new Io({ ...pins, address, hz });
    try {
      this.#checkChipId();
    } catch (error) {
      this.close();
      throw error;
    }
  }

  /**
   * Sets each given rail's voltage, then switches it on or off, then reads both back and throws if the
   * chip did not take them. The MCU's own rail (DCDC3 on the T-Beam) is not switchable here: the output
   * control register is read, modified and written back with its other bits untouched.
   */
  configure(settings: RailSettings): void {
    const changes = checkedSettings(settings);
    for (const { rail, code } of changes) {
      if (code !== undefined) this.#writeField(RAILS[rail].voltage, code);
    }
    let enableMask = 0;
    let enableBits = 0;
    for (const { rail, on } of changes) {
      enableMask |= 1 << RAILS[rail].enableBit;
      if (on) enableBits |= 1 << RAILS[rail].enableBit;
    }
    if (enableMask !== 0) this.#writeMasked(AXP192.powerOutputControl, enableMask, enableBits);
  }

  /** A rail's state as the chip reports it. */
  rail(rail: Axp192Rail): RailState {
    const { voltage, enableBit } = RAILS[rail];
    const code = (this.#read(voltage.register) >> voltage.shift) & voltage.mask;
    const on = ((this.#read(AXP192.powerOutputControl) >> enableBit) & 1) === 1;
    return { on, millivolts: railMillivolts(rail, code) };
  }

  status(): Axp192Status {
    const power = this.#read(AXP192.powerStatus);
    const charge = this.#read(AXP192.chargeStatus);
    return {
      acinPresent: (power & AXP192.powerStatusBits.acinPresent) !== 0,
      vbusPresent: (power & AXP192.powerStatusBits.vbusPresent) !== 0,
      batteryPresent: (charge & AXP192.chargeStatusBits.batteryPresent) !== 0,
      charging: (charge & AXP192.chargeStatusBits.charging) !== 0,
    };
  }

  close(): void {
    const io = this.#io;
    this.#io = undefined;
    io?.close();
  }

  #checkChipId(): void {
    const id = this.#read(AXP192.chipId);
    if (id === AXP192.chipIdValue) return;
    const what = id === AXP192.axp2101ChipId ? 'an AXP2101 (T-Beam v1.2), which this driver does not handle' : 'not an AXP192';
    throw new Axp192Error(`chip at ${hex(this.address)} reports id ${hex(id)} in ${reg(AXP192.chipId)}: ${what}`);
  }

  /** Replaces the bits of `field` in its register, then checks that they read back. */
  #writeField(field: { register: number; shift: number; mask: number }, code: number): void {
    this.#writeMasked(field.register, field.mask << field.shift, code << field.shift);
  }

  #writeMasked(register: number, mask: number, bits: number): void {
    const value = (this.#read(register) & ~mask) | (bits & mask);
    this.#write(register, value);
    const readBack = this.#read(register);
    if ((readBack & mask) !== (value & mask)) {
      throw new Axp192Error(
        `${reg(register)} reads back ${hex(readBack)} after writing ${hex(value)} (bits ${hex(mask)} differ)`,
      );
    }
  }

  /** One register read: write the register number without a stop, then read one byte (repeated start). */
  #read(register: number): number {
    const io = this.#open();
    try {
      io.write(Uint8Array.of(register), false);
      return new Uint8Array(io.read(1))[0];
    } catch (error) {
      throw this.#busError(`reading ${reg(register)}`, error);
    }
  }

  #write(register: number, value: number): void {
    const io = this.#open();
    try {
      io.write(Uint8Array.of(register, value));
    } catch (error) {
      throw this.#busError(`writing ${hex(value)} to ${reg(register)}`, error);
    }
  }

  #open(): I2cIo {
    if (this.#io === undefined) throw new Axp192Error('closed');
    return this.#io;
  }

  #busError(what: string, error: unknown): Axp192Error {
    const reason = error instanceof Error ? error.message : String(error);
    return new Axp192Error(`AXP192 at ${hex(this.address)}: ${what} failed on I2C (${reason})`, { cause: error });
  }
}

/**
 * A command-level emulator of the Semtech SX1262 for the host simulator and the driver tests. The
 * driver talks to it through ECMA-419-shaped `SPI` and `Digital` classes (`emulator.SPI`,
 * `emulator.Digital`) on the board's pins, as it talks to the real chip; the chip talks to the
 * simulated air through an AirLink (host-sim/air/air.ts).
 *
 * Modelled: NSS framing (a command is one NSS-low frame), the status byte on every byte after the
 * opcode, BUSY after each command and after reset and wake-up (sx1262-core.ts), commands sent while
 * BUSY is high (recorded and ignored), sleep and wake-up on NSS, NRESET, the 256-byte buffer with its
 * base addresses, registers (the sync word at 0x0740/0x0741), frequency, modulation and packet
 * parameters, IRQ mask and DIO1 routing with rising-edge interrupts, TX with time on air from
 * hal/radio/airtime.ts, continuous and single RX with GetRxBufferStatus and GetPacketStatus, GetRssiInst
 * from the air's channel power, CAD from the air's activity, calibration and device errors, and the
 * board's TCXO on DIO3 and RF switch on DIO2.
 * Not modelled: GFSK, LR-FHSS, RX duty cycle, StopTimerOnPreamble, header-mode or IQ mismatches
 * between sender and receiver, the datasheet's errata (§15), current consumption.
 *
 * Faults to inject: stuckBusy(), holdBusyHigh(), stuckTx(), corruptSpiReads(), removeFromBus(), stickMisoBit(),
 * brownOut().
 */
import type { Clock } from '../../src/ports.js';
import type { Air, AirLink, AirReception, AirStation, AirTuning } from '../air/air.js';
import { execute, misoByte } from './sx1262-commands.js';
import type { Sx1262Board, Sx1262Config } from './sx1262-config.js';
import { Sx1262Core, type Sx1262Mode } from './sx1262-core.js';
import {
  digitalClass, spiClass, type EmulatedDigital, type EmulatedDigitalOptions, type EmulatedSpi, type EmulatedSpiOptions,
  type Line, type PinSide,
} from './sx1262-io.js';

export type { Sx1262Board, Sx1262Config } from './sx1262-config.js';
export { packetStatusBytes, rssiByte } from './sx1262-core.js';

/** Room for a frame at first: any command but a long buffer or register access; longer ones grow it. */
const FRAME_BYTES_AT_FIRST = 64;

export interface Sx1262Pins {
  readonly nss: number;
  readonly reset: number;
  readonly busy: number;
  readonly dio1: number;
  readonly sck: number;
  readonly miso: number;
  readonly mosi: number;
}

export interface Sx1262Options {
  readonly air: Air;
  readonly clock: Clock;
  /** The station's name on the air (TestAir uses it for path loss). */
  readonly name?: string;
  readonly pins: Sx1262Pins;
  /** What the board wires around the chip. Default: a crystal, no RF switch on DIO2. */
  readonly board?: Sx1262Board;
  /**
   * Commands kept for inspection (`commands`), the oldest dropped first. Default 1,024; 0 keeps none, for
   * long runs whose memory is measured (the chip's history is the simulator's, not the device's).
   */
  readonly commandLogLength?: number;
}

/** One command as the chip received it. */
export interface Sx1262Command {
  readonly atMs: number;
  readonly opcode: number;
  readonly params: readonly number[];
}

/** SPI clock limit, DS §3.6 (16 MHz). */
const MAX_SPI_HZ = 16_000_000;
const LOG_LENGTH = 1_024;
const DIGITAL_OUTPUT = 8;
const DIGITAL_OUTPUT_OPEN_DRAIN = 9;

export class Sx1262 implements AirStation, PinSide {
  readonly name: string;
  /** ECMA-419 SPI class wired to this chip's SCK/MISO/MOSI. */
  readonly SPI: new (options: EmulatedSpiOptions) => EmulatedSpi;
  /** ECMA-419 Digital class for this chip's NSS, NRESET, BUSY and DIO1 pins. */
  readonly Digital: new (options: EmulatedDigitalOptions) => EmulatedDigital;
  /** Protocol errors the chip saw (commands while BUSY was high, SPI with NSS high, ...). */
  readonly violations: string[] = [];
  private readonly core: Sx1262Core;
  private readonly link: AirLink;
  private readonly pins: Sx1262Pins;
  private readonly clock: Clock;
  private readonly commandLog: Sx1262Command[] = [];
  private readonly commandLogLength: number;
  private readonly claimed = new Set<Line>();
  private readonly handlers = new Map<Line, () => void>();
  private spiOpen = 0;
  private nssLevel: 0 | 1 = 1;
  private resetLevel: 0 | 1 = 1;
  /** The bytes of the frame NSS is holding open, reused from frame to frame; frameLength −1 when none is. */
  private frameBytes = new Uint8Array(FRAME_BYTES_AT_FIRST);
  private frameLength = -1;
  private frameIgnored = false;
  private corruptFrame = false;
  private corruptFrames = 0;
  private corruptFill = 0xff;
  /** removeFromBus: what MISO reads with no chip on it, or null. */
  private absentLevel: number | null = null;
  private stuckBit: { readonly bit: number; readonly level: 0 | 1 } | null = null;
  private busyHeld = false;

  constructor(options: Sx1262Options) {
    this.pins = options.pins;
    this.clock = options.clock;
    this.name = options.name ?? 'sx1262';
    this.commandLogLength = options.commandLogLength ?? LOG_LENGTH;
    if (!Number.isInteger(this.commandLogLength) || this.commandLogLength < 0) throw new RangeError('commandLogLength must be an integer ≥ 0');
    this.core = new Sx1262Core(options.clock, options.board ?? {}, () => this.link, () => this.dio1Rose());
    this.link = options.air.attach(this, this.name);
    this.SPI = spiClass(this);
    this.Digital = digitalClass(this);
    this.core.powerOn();
  }

  // --- fault injection ---------------------------------------------------------------------------

  /** BUSY stays high until the next reset (a hung chip). */
  stuckBusy(): void {
    this.core.stuckBusy = true;
  }

  /**
   * BUSY reads high whatever the chip does, through resets too: a chip that a reset does not revive, or a
   * BUSY line shorted high. `false` releases it.
   */
  holdBusyHigh(held = true): void {
    this.busyHeld = held;
  }

  /**
   * Takes the chip off the bus: every MISO byte reads `level` (0x00 pulled low, 0xFF floating high) and
   * BUSY reads low, as nothing drives it. `null` puts the chip back.
   */
  removeFromBus(level: 0x00 | 0xff | null): void {
    this.absentLevel = level;
  }

  /** Bit `bit` (0–7) of every byte on MISO is stuck at `level`; `null` heals it. */
  stickMisoBit(bit: number | null, level: 0 | 1 = 0): void {
    if (bit !== null && (!Number.isInteger(bit) || bit < 0 || bit > 7)) throw new RangeError('bit must be 0–7');
    this.stuckBit = bit === null ? null : { bit, level };
  }

  /** The next transmission goes on air but never ends: no TxDone, the chip stays in TX until reset. */
  stuckTx(): void {
    this.core.stuckTx = true;
  }

  /** Every MISO byte of the next `frames` command frames reads `fill` (0xFF: MISO floating high). */
  corruptSpiReads(frames = 1, fill = 0xff): void {
    this.corruptFrames += frames;
    this.corruptFill = fill & 0xff;
  }

  /** The chip resets itself (supply dip): configuration lost, STDBY_RC after start-up, DIO1 low. */
  brownOut(): void {
    this.core.powerOn();
  }

  // --- inspection --------------------------------------------------------------------------------

  get mode(): Sx1262Mode {
    return this.core.mode;
  }

  /** A copy of the chip's configuration. */
  get config(): Sx1262Config {
    const c = this.core.config;
    return { ...c, registers: new Map(c.registers) };
  }

  get irqStatus(): number {
    return this.core.irqStatus;
  }

  get dio1(): boolean {
    return this.core.dio1Level;
  }

  /** The last commands received, oldest first (at most `commandLogLength`, default 1,024). */
  get commands(): readonly Sx1262Command[] {
    return this.commandLog;
  }

  clearCommands(): void {
    this.commandLog.length = 0;
  }

  /** SPI and Digital objects currently open on this chip. */
  get openHandles(): number {
    return this.spiOpen + this.claimed.size;
  }

  /** The frequency the synthesizer is tuned to, Hz. */
  get frequencyHz(): number {
    return this.core.frequencyHz;
  }

  /** The one-byte sync word the registers carry. */
  get syncWord(): number {
    return this.core.syncWord;
  }

  /** Leaves the air. */
  detach(): void {
    this.link.detach();
  }

  // --- AirStation --------------------------------------------------------------------------------

  tuning(): AirTuning | null {
    return this.core.mode === 'rx' ? this.core.airTuning() : null;
  }

  deliver(reception: AirReception): void {
    this.core.deliver(reception);
  }

  // --- PinSide (the IO objects call these) -------------------------------------------------------

  openSpi(options: EmulatedSpiOptions): void {
    const { sck, miso, mosi } = this.pins;
    if (options.clock !== sck || options.in !== miso || options.out !== mosi) {
      throw new RangeError(`SPI pins clock ${options.clock} / in ${options.in} / out ${options.out} are not the ${this.name}'s SCK ${sck} / MISO ${miso} / MOSI ${mosi}`);
    }
    if (options.select !== undefined) throw new RangeError('the SX1262 needs NSS as a separate Digital, not SPI select');
    if (!(options.hz > 0 && options.hz <= MAX_SPI_HZ)) throw new RangeError(`SPI at ${options.hz} Hz: the SX1262 takes up to 16 MHz`);
    if ((options.mode ?? 0) !== 0) throw new RangeError(`SPI mode ${options.mode}: the SX1262 uses mode 0`);
    this.spiOpen++;
  }

  closeSpi(): void {
    this.spiOpen--;
  }

  claim(options: EmulatedDigitalOptions): Line {
    const lines: Record<Line, number> = { nss: this.pins.nss, reset: this.pins.reset, busy: this.pins.busy, dio1: this.pins.dio1 };
    const line = (Object.keys(lines) as Line[]).find((name) => lines[name] === options.pin);
    if (line === undefined) throw new RangeError(`pin ${String(options.pin)} is not wired to the ${this.name}`);
    const output = options.mode === DIGITAL_OUTPUT || options.mode === DIGITAL_OUTPUT_OPEN_DRAIN;
    if (output !== (line === 'nss' || line === 'reset')) {
      throw new RangeError(`pin ${String(options.pin)} is the ${this.name}'s ${line}: open it as ${output ? 'an input' : 'an output'}`);
    }
    if (this.claimed.has(line)) throw new Error(`pin ${String(options.pin)} (${line}) is already in use`);
    this.claimed.add(line);
    return line;
  }

  release(line: Line): void {
    this.claimed.delete(line);
  }

  watch(line: Line, handler: (() => void) | null): void {
    if (handler) this.handlers.set(line, handler);
    else this.handlers.delete(line);
  }

  readLine(line: Line): 0 | 1 {
    if (line === 'busy') {
      if (this.busyHeld) return 1;
      return this.absentLevel !== null ? 0 : this.core.readBusy();
    }
    if (line === 'dio1') return this.core.dio1Level ? 1 : 0;
    return line === 'nss' ? this.nssLevel : this.resetLevel;
  }

  writeLine(line: Line, value: 0 | 1): void {
    if (line === 'busy' || line === 'dio1') throw new RangeError(`${line} is an output of the chip`);
    if (line === 'reset') return this.setReset(value);
    if (value === this.nssLevel) return;
    this.nssLevel = value;
    if (value === 0) this.beginFrame();
    else this.endFrame();
  }

  exchange(bytes: Uint8Array): void {
    if (this.nssLevel === 1 || this.frameLength < 0) {
      this.violations.push(`${this.clock.now()} ms: SPI transfer with NSS high`);
      bytes.fill(0xff);
      return;
    }
    if (this.frameLength === 0 && this.corruptFrames > 0) {
      this.corruptFrames--;
      this.corruptFrame = true;
    }
    if (this.frameLength + bytes.length > this.frameBytes.length) this.growFrame(this.frameLength + bytes.length);
    const frame = this.frameBytes;
    for (let i = 0; i < bytes.length; i++) {
      const out = this.frameIgnored ? 0xff : misoByte(this.core, frame, this.frameLength);
      frame[this.frameLength++] = bytes[i];
      bytes[i] = this.onMiso(this.corruptFrame ? this.corruptFill : out);
    }
  }

  private growFrame(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, 2 * this.frameBytes.length));
    grown.set(this.frameBytes.subarray(0, this.frameLength));
    this.frameBytes = grown;
  }

  /** What the wiring faults make of a byte on its way to the host. */
  private onMiso(byte: number): number {
    if (this.absentLevel !== null) return this.absentLevel;
    const stuck = this.stuckBit;
    if (stuck === null) return byte;
    return stuck.level === 1 ? byte | (1 << stuck.bit) : byte & ~(1 << stuck.bit) & 0xff;
  }

  // --- frames, reset, interrupts -----------------------------------------------------------------

  /** NSS falling edge: wakes a sleeping chip (the frame is then lost); a busy chip ignores the frame. */
  private beginFrame(): void {
    this.frameLength = 0;
    this.corruptFrame = false;
    const mode = this.core.mode;
    this.frameIgnored = mode === 'sleep' || mode === 'reset' || this.core.busy;
    if (mode === 'sleep') this.core.wake();
  }

  /** NSS rising edge: the chip runs the command, then holds BUSY for it. */
  private endFrame(): void {
    const length = this.frameLength;
    this.frameLength = -1;
    if (length <= 0) return;
    if (this.absentLevel !== null) return; // no chip on the bus: nobody runs the command
    const frame = this.frameBytes.slice(0, length);
    if (this.frameIgnored) {
      this.violations.push(`${this.clock.now()} ms: command 0x${frame[0].toString(16)} sent while BUSY was high (ignored)`);
      return;
    }
    if (this.commandLogLength > 0) {
      if (this.commandLog.length >= this.commandLogLength) this.commandLog.shift();
      this.commandLog.push({ atMs: this.clock.now(), opcode: frame[0], params: Array.from(frame.subarray(1)) });
    }
    this.core.occupy(execute(this.core, frame));
  }

  private setReset(value: 0 | 1): void {
    if (value === this.resetLevel) return;
    this.resetLevel = value;
    if (value === 0) this.core.holdInReset();
    else this.core.powerOn();
  }

  /** DIO1 rose: the Digital's onReadable runs later, from the event loop, as on the ESP32. */
  private dio1Rose(): void {
    const handler = this.handlers.get('dio1');
    if (handler) this.clock.setTimer(() => this.handlers.get('dio1') === handler && handler(), 0);
  }
}

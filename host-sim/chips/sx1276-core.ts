/**
 * The SX1276 as its pins and the air see it: the register file (LoRa and FSK pages), the SPI framing
 * (SX1276 DS §4.3), the FIFO and its pointers, the operating modes, IRQ flags with their mask, the DIO
 * lines, NRESET, and the faults tests inject. The modem's packet work (TX, RX, CAD against the air) is
 * in sx1276-modem.ts; the ECMA-419 objects the driver opens are in sx1276-io.ts.
 *
 * Time comes from the Clock; nothing here uses Node APIs, so the XS tier can load it.
 */
import type { Clock } from '../../src/ports.js';
import { DIO0_FLAG, DIO1_FLAG, IRQ, MODE, OP_MODE, REG } from '../../hal/drivers/sx127x/registers.js';
import { isReadOnly, onLoRaPage, resetValues } from './sx1276-registers.js';

/** Wait after NRESET is released before the chip answers, ms (DS §7.2.2). */
const RESET_READY_MS = 5;

/** How the fault injector corrupts SPI reads: the next `count` data bytes, or each with a probability. */
export type Corruption = { count: number } | { probability: number; rng: () => number };

export type DioListener = (dio: 0 | 1, rising: boolean) => void;

/**
 * Faults of the wiring rather than of the chip: no chip on the bus (MISO reads one level whatever is
 * sent), or one bit of every byte the host reads stuck at 0 or 1 (a damaged MISO path or register cell).
 */
export interface BusFault {
  /** No chip answers: every MISO byte reads this (0x00 pulled low, 0xFF floating high). */
  absent?: number;
  /** One bit (0–7) of every data byte read stuck at `level`. */
  stuckBit?: { readonly bit: number; readonly level: 0 | 1 };
}

interface Frame {
  address: number | null;
  write: boolean;
}

export class Sx1276Registers {
  /** The LoRa page and the registers both modems share. */
  readonly lora = new Uint8Array(0x80);
  /** The FSK page, 0x0D–0x3F, seen while the chip is in FSK mode. */
  readonly fsk = new Uint8Array(0x80);
  readonly fifo = new Uint8Array(256);
  /** Chip-select cycles that carried at least an address byte. */
  spiTransactions = 0;
  private frame: Frame | null = null;
  private resetHeld = false;
  private readyAt = 0;
  /** When the chip last left sleep: the FIFO waits for the crystal oscillator (TS_OSC). */
  private wokeAt = -Infinity;
  private dioLevels: [number, number] = [0, 0];
  private readonly dioListeners = new Set<DioListener>();
  private corruption: Corruption | null = null;
  /** Wiring faults (BusFault); empty when the bus is sound. */
  readonly busFault: BusFault = {};

  constructor(readonly clock: Clock) {
    resetValues(this.lora);
  }

  get opMode(): number {
    return this.lora[REG.OP_MODE];
  }

  get mode(): number {
    return this.opMode & OP_MODE.MODE_MASK;
  }

  get loRa(): boolean {
    return (this.opMode & OP_MODE.LONG_RANGE_MODE) !== 0;
  }

  /** False while NRESET is held and for 5 ms after it is released. */
  get answering(): boolean {
    return !this.resetHeld && this.clock.now() >= this.readyAt;
  }

  // SPI -------------------------------------------------------------------------------------------------

  /** NSS: low opens a frame, high ends it. */
  select(low: boolean): void {
    if (low && this.frame === null) this.frame = { address: null, write: false };
    if (!low && this.frame !== null) {
      if (this.frame.address !== null) this.spiTransactions++;
      this.frame = null;
    }
  }

  /** One byte each way. Without NSS low, or while the chip is not answering, MISO stays at 0. */
  exchange(mosi: number): number {
    if (this.busFault.absent !== undefined) return this.busFault.absent;
    const frame = this.frame;
    if (frame === null || !this.answering) return 0;
    if (frame.address === null) {
      frame.address = mosi & 0x7f;
      frame.write = (mosi & 0x80) !== 0;
      return 0;
    }
    const address = frame.address;
    // Burst: the address moves on after each byte, except at the FIFO (DS §4.3).
    if (address !== REG.FIFO) frame.address = (address + 1) & 0x7f;
    if (frame.write) {
      this.write(address, mosi);
      return 0;
    }
    return this.stick(this.corrupt(this.read(address)));
  }

  private stick(value: number): number {
    const stuck = this.busFault.stuckBit;
    if (stuck === undefined) return value;
    return stuck.level === 1 ? value | (1 << stuck.bit) : value & ~(1 << stuck.bit) & 0xff;
  }

  corruptReads(corruption: Corruption | null): void {
    this.corruption = corruption;
  }

  private corrupt(value: number): number {
    const c = this.corruption;
    if (c === null) return value;
    if ('count' in c) {
      if (c.count <= 0) return value;
      c.count--;
      return ~value & 0xff;
    }
    return c.rng() < c.probability ? value ^ (1 + Math.floor(c.rng() * 255)) : value;
  }

  // Registers -------------------------------------------------------------------------------------------

  private page(address: number): Uint8Array {
    return onLoRaPage(address, this.opMode) ? this.lora : this.fsk;
  }

  /** A register as the host reads it, side effects included (the FIFO pointer moves). */
  read(address: number): number {
    if (address === REG.FIFO) return this.readFifo();
    if (address === REG.RSSI_VALUE && this.loRa) return this.onReadRssi();
    return this.page(address)[address];
  }

  /** A register as it stands, without side effects (for tests). */
  peek(address: number): number {
    return address === REG.FIFO ? 0 : this.page(address)[address];
  }

  write(address: number, value: number): void {
    if (address === REG.FIFO) return this.writeFifo(value);
    if (address === REG.OP_MODE) return this.writeOpMode(value);
    const page = this.page(address);
    if (page === this.lora && isReadOnly(address)) return;
    if (page === this.lora && address === REG.IRQ_FLAGS) {
      this.lora[REG.IRQ_FLAGS] &= ~value; // write 1 to clear
    } else page[address] = value;
    if (address === REG.IRQ_FLAGS || address === REG.DIO_MAPPING_1) this.updateDio();
  }

  /** RegRssiValue while in LoRa mode; the modem overrides it to measure the air. */
  protected onReadRssi(): number {
    return this.lora[REG.RSSI_VALUE];
  }

  private fifoUsable(): boolean {
    return this.loRa && this.mode !== MODE.SLEEP && this.clock.now() > this.wokeAt;
  }

  private readFifo(): number {
    if (!this.fifoUsable()) return 0;
    const pointer = this.lora[REG.FIFO_ADDR_PTR];
    this.lora[REG.FIFO_ADDR_PTR] = (pointer + 1) & 0xff;
    return this.fifo[pointer];
  }

  private writeFifo(value: number): void {
    if (!this.fifoUsable()) return; // the FIFO is not accessible in sleep (DS §6.4, RegFifo)
    const pointer = this.lora[REG.FIFO_ADDR_PTR];
    this.fifo[pointer] = value;
    this.lora[REG.FIFO_ADDR_PTR] = (pointer + 1) & 0xff;
  }

  /** LongRangeMode only changes while the chip sleeps; a write in another mode keeps it (DS §6.4). */
  private writeOpMode(value: number): void {
    const current = this.opMode;
    const longRange = (current & OP_MODE.MODE_MASK) === MODE.SLEEP ? value & OP_MODE.LONG_RANGE_MODE : current & OP_MODE.LONG_RANGE_MODE;
    const next = longRange | (value & (OP_MODE.ACCESS_SHARED_REG | OP_MODE.LOW_FREQUENCY_MODE_ON | OP_MODE.MODE_MASK));
    this.lora[REG.OP_MODE] = next;
    const from = current & OP_MODE.MODE_MASK;
    const to = next & OP_MODE.MODE_MASK;
    if (from === to) return;
    if (from === MODE.SLEEP) this.wokeAt = this.clock.now();
    if (to === MODE.SLEEP) this.onSleep();
    this.onModeChange(from, to);
  }

  /** The FIFO is cleared in sleep (DS §6.4, RegFifo), and so are the header and packet counters. */
  private onSleep(): void {
    this.fifo.fill(0);
    for (const address of [REG.RX_HEADER_CNT_MSB, REG.RX_HEADER_CNT_LSB, REG.RX_PACKET_CNT_MSB, REG.RX_PACKET_CNT_LSB]) {
      this.lora[address] = 0;
    }
  }

  /** Called after the mode bits change; the modem starts and stops its work here. */
  protected onModeChange(_from: number, _to: number): void {}

  /** Sets the mode bits without the side effects of a host write (the chip's own transitions). */
  protected settle(mode: number): void {
    this.lora[REG.OP_MODE] = (this.opMode & ~OP_MODE.MODE_MASK) | mode;
  }

  // IRQ and DIO -----------------------------------------------------------------------------------------

  /** Raises IRQ flags; masked ones stay clear (DS §6.4, RegIrqFlagsMask). */
  protected raise(flags: number): void {
    this.lora[REG.IRQ_FLAGS] |= flags & ~this.lora[REG.IRQ_FLAGS_MASK] & IRQ.ALL;
    this.updateDio();
  }

  dioLevel(dio: 0 | 1): number {
    return this.dioLevels[dio];
  }

  onDio(listener: DioListener): () => void {
    this.dioListeners.add(listener);
    return () => this.dioListeners.delete(listener);
  }

  /** Each DIO follows the flag its RegDioMapping1 field selects (DS §6.4, RegDioMapping1, and the "DIO mapping LoRa mode" table). */
  private updateDio(): void {
    const mapping = this.lora[REG.DIO_MAPPING_1];
    const flags = this.lora[REG.IRQ_FLAGS];
    const levels = [(flags & DIO0_FLAG[(mapping >> 6) & 3]) !== 0 ? 1 : 0, (flags & DIO1_FLAG[(mapping >> 4) & 3]) !== 0 ? 1 : 0];
    for (const dio of [0, 1] as const) {
      if (levels[dio] === this.dioLevels[dio]) continue;
      this.dioLevels[dio] = levels[dio];
      for (const listener of [...this.dioListeners]) listener(dio, levels[dio] === 1);
    }
  }

  // Reset -----------------------------------------------------------------------------------------------

  /** NRESET driven low (true) or released (false). */
  setReset(low: boolean): void {
    if (low && !this.resetHeld) {
      this.resetHeld = true;
      this.powerOnState();
    } else if (!low && this.resetHeld) {
      this.resetHeld = false;
      this.readyAt = this.clock.now() + RESET_READY_MS;
    }
  }

  /** Every register back to its reset value, the FIFO empty, anything running stopped. */
  protected powerOnState(): void {
    const from = this.mode;
    resetValues(this.lora);
    this.fsk.fill(0);
    this.fifo.fill(0);
    this.frame = null;
    this.wokeAt = -Infinity;
    this.onModeChange(from, this.mode);
    this.updateDio();
  }
}

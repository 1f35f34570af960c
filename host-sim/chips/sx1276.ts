/**
 * An SX1276 at register level for host-sim and tests, driven by the real driver (hal/drivers/sx127x)
 * through the ECMA-419-shaped classes it exposes as `SPI` and `Digital`:
 *
 *   const chip = new Sx1276({ air, clock, name: 'a', pins: { nss: 18, reset: 14, dio0: 26, sck: 5, miso: 19, mosi: 27 } });
 *   const radio = new Sx127x({ spi: { io: chip.SPI, clock: 5, in: 19, out: 27, port: 1 },
 *     select: { io: chip.Digital, pin: 18 }, reset: { io: chip.Digital, pin: 14 },
 *     interrupt: { io: chip.Digital, pin: 26 }, clock });
 *
 * Modelled: both register pages, SPI framing and bursts, FIFO with its pointers, OpMode (LongRangeMode
 * only in sleep), IRQ flags and mask, DIO0/DIO1 mapping, NRESET timing, TX/RX/CAD against the Air,
 * the packet registers (SNR, RSSI, FEI) encoded as the datasheet says. Not modelled: the FSK/OOK modem,
 * frequency hopping, RX timeouts, RX single's symbol timeout, the PLL, temperature and battery monitors.
 * No Node APIs: the XS tier loads it next to the driver.
 */
import type { Clock } from '../../src/ports.js';
import type { Air } from '../air/air.js';
import type { Corruption } from './sx1276-core.js';
import { digitalClass, spiClass, type Sx1276Pins } from './sx1276-io.js';
import { Sx1276Modem } from './sx1276-modem.js';

export type { Sx1276Pins } from './sx1276-io.js';

export interface Sx1276Options {
  readonly air: Air;
  readonly clock: Clock;
  /** The station's name on the air (TestAir.setLoss and friends use it). */
  readonly name?: string;
  readonly pins: Sx1276Pins;
}

/** How corruptSpiReads picks bytes: the next `count`, or each with `probability` drawn from `rng`. */
export type SpiCorruption = number | { readonly probability: number; readonly rng: () => number };

export class Sx1276 {
  /** The SPI class the driver constructs (options.spi.io). */
  readonly SPI: ReturnType<typeof spiClass>;
  /** The Digital class the driver constructs for NSS, NRESET and the DIO lines. */
  readonly Digital: ReturnType<typeof digitalClass>;
  readonly name: string;
  readonly pins: Sx1276Pins;
  private readonly chip: Sx1276Modem;
  private readonly io = { open: 0 };

  constructor(options: Sx1276Options) {
    const pins = options.pins;
    const used = [pins.nss, pins.reset, pins.dio0, pins.dio1, pins.sck, pins.miso, pins.mosi].filter((p) => p !== undefined);
    if (new Set(used).size !== used.length) throw new RangeError('each SX1276 line needs its own pin');
    this.pins = { ...pins };
    this.name = options.name ?? 'sx1276';
    this.chip = new Sx1276Modem(options.clock, options.air, this.name);
    this.SPI = spiClass(this.chip, pins, this.io);
    this.Digital = digitalClass(this.chip, pins, options.clock, this.io);
  }

  // Fault injection -------------------------------------------------------------------------------------

  /** The next `count` transmissions hang in TX: nothing on air, no TxDone, until a reset. */
  stuckTx(count = 1): void {
    this.chip.hangTransmissions(count);
  }

  /** Corrupts data bytes the host reads: the next `count` (inverted), or each with a probability. */
  corruptSpiReads(spec: SpiCorruption): void {
    let corruption: Corruption;
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec) || spec < 0) throw new RangeError('count must be an integer ≥ 0');
      corruption = { count: spec };
    } else {
      if (!(spec.probability >= 0 && spec.probability <= 1)) throw new RangeError('probability must be 0–1');
      corruption = { probability: spec.probability, rng: spec.rng };
    }
    this.chip.corruptReads(corruption);
  }

  /**
   * Takes the chip off the bus: every MISO byte reads `level` (0x00: MISO pulled low, 0xFF: floating
   * high), as on a board whose radio is missing, unpowered or not soldered. `null` puts it back.
   */
  removeFromBus(level: 0x00 | 0xff | null): void {
    if (level === null) delete this.chip.busFault.absent;
    else this.chip.busFault.absent = level;
  }

  /** Bit `bit` (0–7) of every data byte the host reads is stuck at `level`; `null` heals it. */
  stickMisoBit(bit: number | null, level: 0 | 1 = 0): void {
    if (bit === null) {
      delete this.chip.busFault.stuckBit;
      return;
    }
    if (!Number.isInteger(bit) || bit < 0 || bit > 7) throw new RangeError('bit must be 0–7');
    this.chip.busFault.stuckBit = { bit, level };
  }

  /** The chip browns out and restarts: every register at its reset value (FSK standby), FIFO empty. */
  brownOut(): void {
    this.chip.brownOut();
  }

  // Peeks for tests -------------------------------------------------------------------------------------

  /** Registers 0x00–0x7F as the host would read them now (the visible page), without side effects. */
  get registers(): Uint8Array {
    return Uint8Array.from({ length: 0x80 }, (_, address) => this.chip.peek(address));
  }

  /** The LoRa page whatever the mode. */
  get loraRegisters(): Uint8Array {
    return this.chip.lora.slice();
  }

  get fifo(): Uint8Array {
    return this.chip.fifo.slice();
  }

  /** SPI and Digital objects open on this chip's lines. */
  get openIo(): number {
    return this.io.open;
  }

  /** Chip-select cycles the chip has seen. */
  get spiTransactions(): number {
    return this.chip.spiTransactions;
  }

  /** NRESET held or just released: the chip ignores SPI. */
  get answering(): boolean {
    return this.chip.answering;
  }

  /** Leaves the air. */
  detach(): void {
    this.chip.detach();
  }
}

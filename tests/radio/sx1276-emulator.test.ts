/**
 * The SX1276 emulator driven byte by byte through its ECMA-419 SPI and Digital objects, without the
 * driver: SPI framing and bursts (DS §4.3), register pages and OpMode rules (DS §6.4), the FIFO, IRQ
 * flags, masks and DIO0, NRESET, and the injected faults.
 */
import { HELTEC_V2_PINS as PINS } from '../../host-sim/chips/sx1276-wiring.js';
import type { Sx1276 } from '../../host-sim/chips/sx1276.js';
import { testbed, type Testbed } from '../support/sx127x.js';

const OUTPUT = 8;
const INPUT = 0;
const RISING = 1;

/** Register access as the datasheet describes it, with NSS from a Digital. */
function rawBus(chip: Sx1276) {
  const nss = new chip.Digital({ pin: PINS.nss, mode: OUTPUT });
  nss.write(1);
  const spi = new chip.SPI({ clock: PINS.sck, in: PINS.miso, out: PINS.mosi, hz: 8_000_000, mode: 0, port: 1 });
  const frame = (bytes: number[]) => {
    const buffer = Uint8Array.from(bytes);
    nss.write(0);
    spi.transfer(buffer);
    nss.write(1);
    return buffer.subarray(1);
  };
  return {
    read: (address: number, count = 1) => frame([address, ...new Array<number>(count).fill(0)]),
    write: (address: number, ...values: number[]) => void frame([0x80 | address, ...values]),
    spi,
    nss,
  };
}

/** LoRa standby on 868.1 MHz at SF7/125 kHz, as a driver would leave the chip. */
function loraStandby(bus: ReturnType<typeof rawBus>): void {
  bus.write(0x01, 0x00); // FSK sleep
  bus.write(0x01, 0x80); // LoRa sleep
  bus.write(0x01, 0x81); // LoRa standby
  bus.write(0x06, 0xd9, 0x06, 0x66);
  bus.write(0x0e, 0x00, 0x00);
  bus.write(0x1e, 0x74);
}

let bed: Testbed;
let chip: Sx1276;
let bus: ReturnType<typeof rawBus>;

beforeEach(() => {
  bed = testbed();
  chip = bed.chip('a');
  bus = rawBus(chip);
});

describe('registers after reset', () => {
  test('RegVersion reads 0x12', () => {
    expect(bus.read(0x42)[0]).toBe(0x12);
  });

  test('RegOpMode reads 0x09: FSK mode, low-frequency registers, standby', () => {
    expect(bus.read(0x01)[0]).toBe(0x09);
  });
});

describe('SPI framing (DS §4.3)', () => {
  test('without NSS low the chip neither answers nor takes writes', () => {
    const buffer = Uint8Array.of(0x42, 0);
    bus.spi.transfer(buffer);
    expect(buffer[1]).toBe(0);
    bus.spi.write(Uint8Array.of(0x80 | 0x06, 0xe4));
    expect(chip.registers[0x06]).toBe(0x6c);
  });

  test('a burst write fills consecutive registers', () => {
    bus.write(0x06, 0xe4, 0xc0, 0x00);
    expect([...chip.registers.subarray(0x06, 0x09)]).toEqual([0xe4, 0xc0, 0x00]);
  });

  test('a burst at the FIFO stays at the FIFO and moves RegFifoAddrPtr', () => {
    loraStandby(bus);
    bed.clock.advance(1); // the oscillator starts after sleep
    bus.write(0x0d, 0x10);
    bus.write(0x00, 1, 2, 3);
    expect(chip.registers[0x0d]).toBe(0x13);
    expect([...chip.fifo.subarray(0x10, 0x13)]).toEqual([1, 2, 3]);
    bus.write(0x0d, 0x10);
    expect([...bus.read(0x00, 3)]).toEqual([1, 2, 3]);
  });

  test('the SPI refuses pins that are not the chip’s, a select pin and more than 10 MHz', () => {
    expect(() => new chip.SPI({ clock: 1, in: PINS.miso, out: PINS.mosi, hz: 1e6 })).toThrow(RangeError);
    expect(() => new chip.SPI({ clock: PINS.sck, in: PINS.miso, out: PINS.mosi, hz: 1e6, select: PINS.nss })).toThrow(RangeError);
    expect(() => new chip.SPI({ clock: PINS.sck, in: PINS.miso, out: PINS.mosi, hz: 20e6 })).toThrow(RangeError);
  });

  test('a Digital on a pin the chip does not use is refused', () => {
    expect(() => new chip.Digital({ pin: 2, mode: INPUT })).toThrow(RangeError);
  });

  test('chip-select cycles are counted', () => {
    const before = chip.spiTransactions;
    bus.read(0x42);
    bus.write(0x39, 0x12);
    expect(chip.spiTransactions - before).toBe(2);
  });
});

describe('RegOpMode (DS §6.4)', () => {
  test('LongRangeMode changes only from sleep', () => {
    bus.write(0x01, 0x81);
    expect(bus.read(0x01)[0]).toBe(0x01);
    bus.write(0x01, 0x80);
    expect(bus.read(0x01)[0]).toBe(0x00);
    bus.write(0x01, 0x80);
    expect(bus.read(0x01)[0]).toBe(0x80);
  });

  test('registers 0x0D–0x3F are a separate page in FSK mode', () => {
    bus.write(0x39, 0x34);
    loraStandby(bus);
    expect(bus.read(0x39)[0]).toBe(0x12);
  });

  test('the FIFO is cleared in sleep and not accessible there', () => {
    loraStandby(bus);
    bed.clock.advance(1);
    bus.write(0x0d, 0);
    bus.write(0x00, 0xaa);
    bus.write(0x01, 0x80);
    bus.write(0x0d, 0);
    bus.write(0x00, 0xbb);
    expect(chip.fifo[0]).toBe(0);
  });

  test('the FIFO ignores writes until the oscillator runs after sleep', () => {
    loraStandby(bus);
    bus.write(0x0d, 0);
    bus.write(0x00, 0xaa);
    expect(chip.fifo[0]).toBe(0);
  });
});

describe('IRQ flags, mask and DIO0', () => {
  /** Sends `length` bytes from chip a in LoRa TX with the given IRQ mask. */
  function transmit(mask: number, length = 4): void {
    loraStandby(bus);
    bed.clock.advance(1);
    bus.write(0x40, 0x40); // DIO0 = TxDone
    bus.write(0x0d, 0);
    bus.write(0x00, ...new Array<number>(length).fill(7));
    bus.write(0x22, length);
    bus.write(0x11, mask, 0xff);
    bus.write(0x01, 0x83);
  }

  test('TxDone raises DIO0 and the chip returns to standby', () => {
    const calls: number[] = [];
    const dio0 = new chip.Digital({ pin: PINS.dio0, mode: INPUT, edge: RISING, onReadable: () => calls.push(bed.clock.now()) });
    transmit(0x00);
    bed.clock.advance(100);
    expect(calls).toHaveLength(1);
    expect(dio0.read()).toBe(1);
    expect(bus.read(0x12)[0] & 0x08).toBe(0x08);
    expect(bus.read(0x01)[0] & 0x07).toBe(0x01);
  });

  test('onReadable runs later, never inside the SPI access that raised the line', () => {
    let calls = 0;
    new chip.Digital({ pin: PINS.dio0, mode: INPUT, edge: RISING, onReadable: () => calls++ });
    transmit(0x00);
    bus.write(0x40, 0x00); // DIO0 follows RxDone: TxDone will not raise it
    bed.clock.advance(100);
    expect(calls).toBe(0);
    bus.write(0x40, 0x40); // now it follows the TxDone already set: the line rises here
    expect(calls).toBe(0);
    bed.clock.advance(0);
    expect(calls).toBe(1);
  });

  test('writing 1 clears a flag and drops DIO0', () => {
    const dio0 = new chip.Digital({ pin: PINS.dio0, mode: INPUT });
    transmit(0x00);
    bed.clock.advance(100);
    bus.write(0x12, 0x08);
    expect(bus.read(0x12)[0]).toBe(0);
    expect(dio0.read()).toBe(0);
  });

  test('a masked IRQ is never raised', () => {
    const dio0 = new chip.Digital({ pin: PINS.dio0, mode: INPUT });
    transmit(0x08);
    bed.clock.advance(100);
    expect(bus.read(0x12)[0]).toBe(0);
    expect(dio0.read()).toBe(0);
    expect(bus.read(0x01)[0] & 0x07).toBe(0x01);
  });

  test('no onReadable runs once its Digital is closed', () => {
    let calls = 0;
    const dio0 = new chip.Digital({ pin: PINS.dio0, mode: INPUT, edge: RISING, onReadable: () => calls++ });
    transmit(0x00);
    dio0.close();
    bed.clock.advance(100);
    expect(calls).toBe(0);
  });
});

describe('NRESET (DS §7.2.2)', () => {
  test('holding NRESET low restores the reset values and silences SPI for 5 ms after release', () => {
    loraStandby(bus);
    const reset = new chip.Digital({ pin: PINS.reset, mode: OUTPUT });
    reset.write(0);
    expect(bus.read(0x42)[0]).toBe(0);
    reset.close(); // released: the line floats high
    bed.clock.advance(4);
    expect(bus.read(0x42)[0]).toBe(0);
    bed.clock.advance(1);
    expect(bus.read(0x42)[0]).toBe(0x12);
    expect(bus.read(0x01)[0]).toBe(0x09);
  });
});

describe('fault injection', () => {
  test('corruptSpiReads(1) corrupts exactly the next byte read', () => {
    chip.corruptSpiReads(1);
    expect(bus.read(0x42)[0]).toBe(0xed);
    expect(bus.read(0x42)[0]).toBe(0x12);
  });

  test('corruptSpiReads with a probability draws from the injected rng', () => {
    let draws = 0;
    chip.corruptSpiReads({ probability: 0.5, rng: () => (draws++ % 2 === 0 ? 0.1 : 0.9) });
    expect(bus.read(0x42)[0]).not.toBe(0x12);
    expect(draws).toBe(2);
  });

  test('brownOut() puts every register back to its reset value', () => {
    loraStandby(bus);
    chip.brownOut();
    expect(bus.read(0x01)[0]).toBe(0x09);
    expect([...bus.read(0x06, 3)]).toEqual([0x6c, 0x80, 0x00]);
  });

  test('stuckTx() leaves the chip in TX with nothing on air and no TxDone', () => {
    const listener = bed.chip('b');
    const listenerBus = rawBus(listener);
    loraStandby(listenerBus);
    listenerBus.write(0x01, 0x85);
    chip.stuckTx();
    loraStandby(bus);
    bed.clock.advance(1);
    bus.write(0x22, 1);
    bus.write(0x01, 0x83);
    bed.clock.advance(1000);
    expect(bus.read(0x01)[0]).toBe(0x83);
    expect(bus.read(0x12)[0]).toBe(0);
    expect(listenerBus.read(0x12)[0]).toBe(0);
  });
});

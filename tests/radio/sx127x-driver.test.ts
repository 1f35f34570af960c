/**
 * The SX127x driver against the SX1276 emulator over a TestAir: start-up, configuration, TX→RX between
 * two nodes with the chip's measurements decoded, CRC errors, IRQ handling, RSSI, CAD, sleep and close.
 * Register addresses in expectations are the datasheet's (SX1276 DS §6.4), written out as numbers.
 */
import { RadioError } from '../../hal/drivers/sx127x/errors.js';
import { HELTEC_V2_PINS } from '../../host-sim/chips/sx1276-wiring.js';
import { Sx1276 } from '../../host-sim/chips/sx1276.js';
import { noiseFloorDbm, type Air, type AirSignal } from '../../host-sim/air/air.js';
import { advance, bytes, settle, testbed, track, type Testbed } from '../support/sx127x.js';

let bed: Testbed;

beforeEach(() => {
  bed = testbed();
});

/** Fstep (DS §4.1.4) and one FEI step at 125 kHz (DS §4.1.5). */
const FSTEP_HZ = 32e6 / 2 ** 19;
const FEI_STEP_125_HZ = (2 ** 24 / 32e6) * (125_000 / 500_000);

describe('start-up', () => {
  test('the chip is checked and left in LoRa standby on the HF port', () => {
    const { chip } = bed.node('a');
    expect(chip.registers[0x01]).toBe(0x81);
  });

  test('a chip that does not answer 0x12 is refused with NoChip', () => {
    const chip = bed.chip('a');
    chip.corruptSpiReads(1);
    expect(() => bed.driver(chip)).toThrow(expect.objectContaining({ code: 'NoChip', message: expect.stringMatching(/version 0xed/) }));
  });

  test('a refused start closes the SPI and Digital objects it opened', () => {
    const chip = bed.chip('a');
    chip.corruptSpiReads(1);
    expect(() => bed.driver(chip)).toThrow(RadioError);
    expect(chip.openIo).toBe(0);
  });

  test('a driver has the SPI object and the NSS, NRESET and DIO0 pins open', () => {
    expect(bed.node('a').chip.openIo).toBe(4);
  });

  test('the defaults are written: 868.1 MHz, SF7, 125 kHz, 4/5, CRC, preamble 8, sync 0x12, 14 dBm', () => {
    const regs = bed.node('a').chip.registers;
    expect([...regs.subarray(0x06, 0x09)]).toEqual([0xd9, 0x06, 0x66]);
    expect(regs[0x1d]).toBe(0x72);
    expect(regs[0x1e]).toBe(0x74);
    expect([regs[0x20], regs[0x21]]).toEqual([0, 8]);
    expect(regs[0x39]).toBe(0x12);
    expect(regs[0x09]).toBe(0xfc);
  });

  test('an option that is not an IO class is a TypeError', () => {
    expect(() => bed.driver(bed.chip('a'), { clock: undefined } as never)).toThrow(TypeError);
  });
});

describe('configure', () => {
  test('writes the registers the datasheet gives for the settings', () => {
    const { radio, chip } = bed.node('a');
    radio.configure({
      frequencyHz: 915_000_000, spreadingFactor: 9, bandwidthHz: 500_000, codingRate: 7, txPowerDbm: 20,
      preambleLength: 12, syncWord: 0x34, crc: false,
    });
    const regs = chip.registers;
    expect([...regs.subarray(0x06, 0x09)]).toEqual([0xe4, 0xc0, 0x00]);
    expect(regs[0x1d]).toBe((9 << 4) | (3 << 1));
    expect(regs[0x1e]).toBe(9 << 4);
    expect(regs[0x26]).toBe(0x04);
    expect([regs[0x20], regs[0x21]]).toEqual([0, 12]);
    expect(regs[0x39]).toBe(0x34);
    expect([regs[0x09], regs[0x4d], regs[0x0b]]).toEqual([0xff, 0x87, 0x31]);
    expect([regs[0x36], regs[0x3a]]).toEqual([0x02, 0x64]); // errata 2.1, 500 kHz on the HF port
  });

  test('SF6 takes the implicit header, its length and the SF6 detection registers', () => {
    const { radio, chip } = bed.node('a');
    radio.configure({ spreadingFactor: 6, implicitHeader: true, implicitLength: 12 });
    const regs = chip.registers;
    expect(regs[0x1d] & 0x01).toBe(1);
    expect(regs[0x22]).toBe(12);
    expect([regs[0x31], regs[0x37]]).toEqual([0xc5, 0x0c]);
  });

  test('433 MHz sets LowFrequencyModeOn and leaves the LNA boost off', () => {
    const { radio, chip } = bed.node('a');
    radio.configure({ frequencyHz: 433_175_000 });
    expect(chip.registers[0x01]).toBe(0x89);
    expect(chip.registers[0x0c]).toBe(0x20);
  });

  test('a setting the chip cannot do is refused before any register changes', () => {
    const { radio, chip } = bed.node('a');
    const before = chip.registers;
    expect(() => radio.configure({ spreadingFactor: 9, bandwidthHz: 100_000 })).toThrow(RangeError);
    expect(chip.registers).toEqual(before);
  });

  test('configure ends a reception', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    b.radio.configure({ syncWord: 0x12 });
    void a.radio.transmit(bytes(4));
    await advance(bed.clock, 200);
    expect(b.packets).toHaveLength(0);
    expect(b.chip.registers[0x01]).toBe(0x81);
  });
});

describe('TX → RX', () => {
  test('the payload arrives with RSSI, SNR and frequency error decoded', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    bed.air.setLoss('a', 'b', 120);
    bed.air.setCarrierOffset('a', 1_000);
    b.listen();
    const sent = track(a.radio.transmit(bytes(20, 7)));
    await advance(bed.clock, 200);
    expect(sent.state).toBe('resolved');
    expect(b.packets).toHaveLength(1);
    const [packet] = b.packets;
    const rssi = 14 - 120;
    expect(packet.payload).toEqual(bytes(20, 7));
    expect(packet.crcOk).toBe(true);
    expect(Math.abs(packet.rssiDbm - rssi)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(packet.snrDb - (rssi - noiseFloorDbm(125_000)))).toBeLessThanOrEqual(0.125);
    expect(Math.abs(packet.frequencyErrorHz - 1_000)).toBeLessThanOrEqual(FEI_STEP_125_HZ / 2);
    expect([a.radio.stats.txPackets, b.radio.stats.rxPackets]).toEqual([1, 1]);
  });

  test('below the noise floor the packet RSSI adds the negative SNR (DS §5.5.5)', async () => {
    const a = bed.node('a', { spreadingFactor: 10 });
    const b = bed.node('b', { spreadingFactor: 10 });
    bed.air.setLoss('a', 'b', 142);
    b.listen();
    void a.radio.transmit(bytes(10));
    await advance(bed.clock, 1_000);
    const rssi = 14 - 142;
    expect(b.packets[0].snrDb).toBeLessThan(0);
    expect(Math.abs(b.packets[0].snrDb - (rssi - noiseFloorDbm(125_000)))).toBeLessThanOrEqual(0.125);
    expect(Math.abs(b.packets[0].rssiDbm - rssi)).toBeLessThanOrEqual(0.5);
  });

  test('the signal on air has the programmed frequency (to one synthesizer step), power and airtime', async () => {
    const signals: AirSignal[] = [];
    const recording: Air = {
      attach: (station, name) => {
        const link = bed.air.attach(station, name);
        return { ...link, transmit: (signal) => (signals.push(signal), link.transmit(signal)) };
      },
    };
    const chip = new Sx1276({ air: recording, clock: bed.clock, name: 'a', pins: HELTEC_V2_PINS });
    const radio = bed.driver(chip, { frequencyHz: 869_525_000, spreadingFactor: 9, txPowerDbm: 17 });
    const sent = track(radio.transmit(bytes(13)));
    await advance(bed.clock, 300);
    expect(sent.state).toBe('resolved');
    expect(signals).toHaveLength(1);
    expect(Math.abs(signals[0].frequencyHz - 869_525_000)).toBeLessThanOrEqual(FSTEP_HZ / 2);
    expect(signals[0]).toMatchObject({ spreadingFactor: 9, bandwidthHz: 125_000, txPowerDbm: 17, payload: bytes(13) });
    expect(signals[0].airtimeMs).toBeCloseTo(164.864, 3); // radio.md §1: 13 B at SF9/125 kHz
  });

  test('a reception interrupted by a transmission resumes with the same listener', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    a.listen();
    b.listen();
    void a.radio.transmit(bytes(5));
    await advance(bed.clock, 100);
    void b.radio.transmit(bytes(6));
    await advance(bed.clock, 100);
    expect(a.packets.map((p) => p.payload.length)).toEqual([6]);
    expect(b.packets.map((p) => p.payload.length)).toEqual([5]);
  });

  test('a CRC error is delivered with crcOk false and counted, not dropped', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    bed.air.corruptNext('b');
    void a.radio.transmit(bytes(8));
    await advance(bed.clock, 100);
    expect(b.packets).toHaveLength(1);
    expect(b.packets[0].crcOk).toBe(false);
    expect(b.packets[0].payload).not.toEqual(bytes(8));
    expect(b.radio.stats).toMatchObject({ rxPackets: 1, crcErrors: 1 });
  });

  test('a second transmit while one runs is refused with Busy', async () => {
    const a = bed.node('a');
    const first = track(a.radio.transmit(bytes(4)));
    await expect(a.radio.transmit(bytes(4))).rejects.toMatchObject({ code: 'Busy' });
    await advance(bed.clock, 100);
    expect(first.state).toBe('resolved');
  });

  test.each([
    ['an empty payload', new Uint8Array(0), RangeError],
    ['256 bytes', bytes(256), RangeError],
    ['a string', 'hello' as unknown as Uint8Array, TypeError],
  ])('%s is refused', async (_name, payload, type) => {
    await expect(bed.node('a').radio.transmit(payload)).rejects.toBeInstanceOf(type);
  });
});

describe('callers and listeners', () => {
  test('a listener that throws is reported to onError and reception goes on', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    let calls = 0;
    b.radio.receive(() => {
      calls++;
      throw new Error('listener failed');
    });
    void a.radio.transmit(bytes(3));
    await advance(bed.clock, 100);
    void a.radio.transmit(bytes(4));
    await advance(bed.clock, 100);
    expect(calls).toBe(2);
    expect(b.errors.map((e) => e.message)).toEqual(['listener failed', 'listener failed']);
  });

  test('configure during a transmit is refused with Busy', () => {
    const a = bed.node('a');
    bed.clock.advance(1);
    void a.radio.transmit(bytes(3));
    expect(() => a.radio.configure({ spreadingFactor: 8 })).toThrow(expect.objectContaining({ code: 'Busy' }));
  });

  test('receive() during a transmit starts reception when the transmit ends', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    bed.clock.advance(1);
    void a.radio.transmit(bytes(3));
    a.listen();
    expect(a.chip.registers[0x01]).toBe(0x83);
    await advance(bed.clock, 100);
    expect(a.chip.registers[0x01]).toBe(0x85);
    void b.radio.transmit(bytes(2));
    await advance(bed.clock, 100);
    expect(a.packets).toHaveLength(1);
  });
});

describe('IRQ handling', () => {
  test('each mode maps DIO0 and unmasks only its own IRQs (DS §6.4, 0x40 and 0x11)', async () => {
    const a = bed.node('a');
    a.listen();
    expect([a.chip.registers[0x40] >> 6, a.chip.registers[0x11]]).toEqual([0b00, 0x9f]);
    void a.radio.transmit(bytes(4));
    await advance(bed.clock, 1);
    expect([a.chip.registers[0x40] >> 6, a.chip.registers[0x11]]).toEqual([0b01, 0xf7]);
    await advance(bed.clock, 100);
    void a.radio.detectActivity();
    await advance(bed.clock, 1);
    expect([a.chip.registers[0x40] >> 6, a.chip.registers[0x11]]).toEqual([0b10, 0xfa]);
  });

  test('flags are cleared after TxDone and after each packet', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    await Promise.all([a.radio.transmit(bytes(4)), advance(bed.clock, 100)]);
    expect(a.chip.registers[0x12]).toBe(0);
    expect(b.chip.registers[0x12]).toBe(0);
    expect(b.packets).toHaveLength(1);
  });

  test('while receiving only RxDone and PayloadCrcError are raised: ValidHeader stays masked', async () => {
    const a = bed.node('a');
    const chip = bed.chip('b');
    const raised: number[] = [];
    // Opened before the driver's, this Digital's onReadable runs first, before the driver clears the flags.
    new chip.Digital({ pin: HELTEC_V2_PINS.dio0, mode: 0, edge: 1, onReadable: () => raised.push(chip.loraRegisters[0x12]) });
    const b = bed.driver(chip);
    b.receive(() => undefined);
    void a.radio.transmit(bytes(4));
    await advance(bed.clock, 100);
    expect(raised).toEqual([0x40]);
    expect(chip.loraRegisters[0x12]).toBe(0);
  });
});

describe('rssi()', () => {
  test('reads the noise floor on a quiet channel', () => {
    const { radio } = bed.node('a');
    expect(Math.abs(radio.rssi() - noiseFloorDbm(125_000))).toBeLessThanOrEqual(0.5);
  });

  test('reads the signal while another node transmits on the channel', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    bed.air.setLoss('a', 'b', 90);
    b.radio.rssi(); // b now listens
    void a.radio.transmit(bytes(60));
    await advance(bed.clock, 20);
    expect(Math.abs(b.radio.rssi() - (14 - 90))).toBeLessThanOrEqual(0.5);
  });

  test('is refused with Busy while transmitting', () => {
    const a = bed.node('a');
    bed.clock.advance(1);
    void a.radio.transmit(bytes(4));
    expect(() => a.radio.rssi()).toThrow(expect.objectContaining({ code: 'Busy' }));
  });
});

describe('detectActivity()', () => {
  test('is true while a LoRa packet of the same settings is on air', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    void a.radio.transmit(bytes(100));
    await advance(bed.clock, 20);
    const detected = track(b.radio.detectActivity());
    await advance(bed.clock, 20);
    expect(detected).toMatchObject({ state: 'resolved', value: true });
  });

  test('is false on a quiet channel', async () => {
    const b = bed.node('b');
    const detected = track(b.radio.detectActivity());
    await advance(bed.clock, 20);
    expect(detected).toMatchObject({ state: 'resolved', value: false });
  });

  test('is false when the packet on air uses another spreading factor', async () => {
    const a = bed.node('a', { spreadingFactor: 8 });
    const b = bed.node('b');
    void a.radio.transmit(bytes(100));
    await advance(bed.clock, 20);
    const detected = track(b.radio.detectActivity());
    await advance(bed.clock, 20);
    expect(detected).toMatchObject({ state: 'resolved', value: false });
  });
});

describe('sleep()', () => {
  test('puts the chip in LoRa sleep and the next transmit wakes it', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    a.radio.sleep();
    expect(a.chip.registers[0x01]).toBe(0x80);
    await Promise.all([a.radio.transmit(bytes(9)), advance(bed.clock, 100)]);
    expect(b.packets.map((p) => p.payload)).toEqual([bytes(9)]);
  });

  test('aborts a transmit under way', async () => {
    const a = bed.node('a');
    bed.clock.advance(1);
    const sent = a.radio.transmit(bytes(4));
    a.radio.sleep();
    await expect(sent).rejects.toMatchObject({ code: 'Aborted' });
  });
});

describe('close()', () => {
  test('rejects a pending transmit with Closed before it returns', async () => {
    const a = bed.node('a');
    const sent = track(a.radio.transmit(bytes(4)));
    a.radio.close();
    await settle();
    expect(sent.state).toBe('rejected');
    expect(sent.error).toMatchObject({ code: 'Closed' });
  });

  test('no packet reaches the listener after close', async () => {
    const a = bed.node('a');
    const b = bed.node('b');
    b.listen();
    void a.radio.transmit(bytes(4));
    await advance(bed.clock, 10);
    b.radio.close();
    await advance(bed.clock, 200);
    expect(b.packets).toHaveLength(0);
    expect(b.errors).toHaveLength(0);
  });

  test('is idempotent and leaves the chip asleep', () => {
    const a = bed.node('a');
    a.radio.close();
    expect(() => a.radio.close()).not.toThrow();
    expect(a.chip.registers[0x01]).toBe(0x80);
  });

  test('operations after close are refused with Closed', async () => {
    const a = bed.node('a');
    a.radio.close();
    await expect(a.radio.transmit(bytes(1))).rejects.toMatchObject({ code: 'Closed' });
    await expect(a.radio.detectActivity()).rejects.toMatchObject({ code: 'Closed' });
    expect(() => a.radio.receive(() => undefined)).toThrow(expect.objectContaining({ code: 'Closed' }));
    expect(() => a.radio.configure({})).toThrow(expect.objectContaining({ code: 'Closed' }));
    expect(() => a.radio.rssi()).toThrow(expect.objectContaining({ code: 'Closed' }));
  });

  test('closes the SPI and Digital objects', () => {
    const a = bed.node('a');
    a.radio.close();
    expect(a.chip.openIo).toBe(0);
  });
});

/**
 * The SX126x driver against the SX1262 emulator, time driven by a VirtualClock: start (status check,
 * board flags, no chip), configure (the commands and their encodings, range checks), stats.
 * TX → RX, rssi(), CAD, sleep and close are in sx126x-exchange.test.ts; faults in sx126x-faults.test.ts.
 */
import { Irq, Opcode } from '../../hal/drivers/sx126x/commands.js';
import { Sx126x } from '../../hal/drivers/sx126x/sx126x.js';
import { Sx1262 } from '../../host-sim/chips/sx1262.js';
import type { RadioPacket } from '../../src/ports.js';
import { bytes, testbed, TEST_PINS, wiringOf } from '../support/sx126x.js';

const opcodes = (chip: Sx1262) => chip.commands.map((c) => c.opcode);

describe('start', () => {
  test('leaves the chip in standby, running LoRa with covey defaults', () => {
    const { chip } = testbed().node('a');
    const c = chip.config;
    expect(chip.mode).toBe('standbyRc');
    expect([c.packetType, c.spreadingFactor, c.bandwidthCode, c.codingRate, c.txPowerDbm, c.preambleLength]).toEqual([1, 7, 0x04, 1, 14, 8]);
    expect([c.crc, c.implicitHeader, c.invertIq, c.txBase, c.rxBase, c.regulatorMode]).toEqual([true, false, false, 0, 0, 1]);
    expect(c.paConfig).toEqual([0x04, 0x07, 0x00, 0x01]);
    expect(c.calibrated).toBe(0x7f);
    expect(c.imageCalibration).toEqual([0xd7, 0xdb]);
  });

  test('resets, sets standby and reads the status before configuring anything', () => {
    const { chip } = testbed().node('a');
    expect(opcodes(chip).slice(0, 2)).toEqual([Opcode.SetStandby, Opcode.GetStatus]);
  });

  test('routes TxDone, RxDone, CrcErr, CadDone, CadDetected and Timeout to DIO1', () => {
    const { chip } = testbed().node('a');
    const routed = Irq.TxDone | Irq.RxDone | Irq.CrcErr | Irq.CadDone | Irq.CadDetected | Irq.Timeout;
    expect(chip.config.dio1Mask).toBe(routed);
    expect(chip.config.irqMask).toBe(routed);
  });

  test.each([0x00, 0xff])('a chip whose status bytes read %i fails with NoChip and releases every pin', (fill) => {
    const { air, clock } = testbed();
    const chip = new Sx1262({ air, clock, name: 'a', pins: TEST_PINS });
    chip.corruptSpiReads(100, fill);
    expect(() => new Sx126x(wiringOf(chip, clock))).toThrow(expect.objectContaining({ code: 'NoChip', message: expect.stringMatching(/no SX126x answered/) }));
    expect(chip.openHandles).toBe(0);
  });

  test('a TCXO board started without tcxoVoltage fails with a Calibration error naming the TCXO', () => {
    const { air, clock } = testbed();
    const chip = new Sx1262({ air, clock, name: 'a', pins: TEST_PINS, board: { tcxo: true } });
    expect(() => new Sx126x(wiringOf(chip, clock))).toThrow(expect.objectContaining({ code: 'Calibration', message: expect.stringMatching(/TCXO/) }));
  });

  test('dio2RfSwitch hands the antenna switch to DIO2', () => {
    const { chip } = testbed().node('a', { board: { dio2RfSwitch: true }, driver: { dio2RfSwitch: true } });
    expect(chip.config.dio2RfSwitch).toBe(true);
  });

  test('a board whose RF switch is never enabled is heard 40 dB weaker', async () => {
    const bed = testbed();
    const a = bed.node('a', { board: { dio2RfSwitch: true } });
    const b = bed.node('b');
    bed.air.setLoss('a', 'b', 60);
    const heard: RadioPacket[] = [];
    b.radio.receive((packet) => heard.push(packet));
    const sent = a.radio.transmit(bytes(4));
    bed.clock.advance(100);
    await sent;
    expect(heard[0].rssiDbm).toBeCloseTo(14 - 60 - 40, 0);
  });
});

describe('configure', () => {
  test('sends frequency, modulation, packet parameters, sync word and power with the datasheet encodings', () => {
    const { chip, radio } = testbed().node('a');
    chip.clearCommands();
    radio.configure({ frequencyHz: 915_000_000, spreadingFactor: 9, bandwidthHz: 250_000, codingRate: 8, txPowerDbm: 20, preambleLength: 16, syncWord: 0x34 });
    const sent = new Map(chip.commands.map((c) => [c.opcode, c.params]));
    expect(sent.get(Opcode.CalibrateImage)).toEqual([0xe1, 0xe9]);
    expect(sent.get(Opcode.SetRfFrequency)).toEqual([0x39, 0x30, 0x00, 0x00]);
    expect(sent.get(Opcode.SetModulationParams)).toEqual([9, 0x05, 4, 0]);
    expect(sent.get(Opcode.SetPacketParams)).toEqual([0, 16, 0, 0xff, 1, 0]);
    expect(sent.get(Opcode.WriteRegister)).toEqual([0x07, 0x40, 0x34, 0x44]);
    expect(sent.get(Opcode.SetTxParams)).toEqual([20, 0x04]);
  });

  test('does not recalibrate the image within the same band', () => {
    const { chip, radio } = testbed().node('a');
    chip.clearCommands();
    radio.configure({ frequencyHz: 868_300_000 });
    expect(opcodes(chip)).not.toContain(Opcode.CalibrateImage);
  });

  test('LDRO auto turns on at SF12/125 kHz (32 ms symbols) and stays off at SF10', () => {
    const { chip, radio } = testbed().node('a');
    radio.configure({ spreadingFactor: 12 });
    expect(chip.config.ldro).toBe(1);
    radio.configure({ spreadingFactor: 10 });
    expect(chip.config.ldro).toBe(0);
  });

  test('negative power is sent as a signed byte', () => {
    const { chip, radio } = testbed().node('a');
    radio.configure({ txPowerDbm: -9 });
    expect(chip.config.txPowerDbm).toBe(-9);
  });

  test.each([
    [{ spreadingFactor: 13 }, RangeError],
    [{ bandwidthHz: 200_000 }, RangeError],
    [{ codingRate: 9 }, RangeError],
    [{ txPowerDbm: 23 }, RangeError],
    [{ frequencyHz: 100_000_000 }, RangeError],
    [{ preambleLength: 0 }, RangeError],
    [{ syncWord: 0x1424 }, RangeError],
    [{ implicitHeader: true }, RangeError],
    [{ crc: 'yes' }, TypeError],
    [{ frequency: 868e6 }, TypeError],
  ])('refuses %j and sends nothing', (changes, type) => {
    const { chip, radio } = testbed().node('a');
    chip.clearCommands();
    expect(() => radio.configure(changes as never)).toThrow(type);
    expect(chip.commands).toHaveLength(0);
  });

  test('ends reception: the chip is left in standby', () => {
    const b = testbed().node('b');
    b.radio.receive(() => undefined);
    expect(b.chip.mode).toBe('rx');
    b.radio.configure({ spreadingFactor: 8 });
    expect(b.chip.mode).toBe('standbyRc');
  });
});

describe('stats', () => {
  test('spiTransactions counts NSS cycles', () => {
    const { chip, radio } = testbed().node('a');
    const before = radio.stats.spiTransactions;
    chip.clearCommands();
    radio.configure({ spreadingFactor: 8 });
    expect(radio.stats.spiTransactions - before).toBe(chip.commands.length);
  });
});

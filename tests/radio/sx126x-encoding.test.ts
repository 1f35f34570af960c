/**
 * SX126x command encodings against values worked out here from the SX1261/2 datasheet's formulas and
 * tables, not taken from the driver: the driver's encoders, the bytes it actually sends (read from the
 * emulator's command log) and the emulator's decoding must all agree with them.
 */
import { Opcode } from '../../hal/drivers/sx126x/commands.js';
import {
  bandwidthCode, frequencyWord, rssiOfByte, snrOfByte, syncWordOfRegisters, syncWordRegisters, tcxoVoltageCode, timeoutSteps,
} from '../../hal/drivers/sx126x/encoding.js';
import { packetStatusBytes } from '../../host-sim/chips/sx1262.js';
import { testbed } from '../support/sx126x.js';

/** DS §13.4.1: RFfrequency = f_RF · 2^25 / F_XTAL, F_XTAL = 32 MHz, rounded to the nearest integer (exact in BigInt). */
function worked(frequencyHz: number): number {
  const numerator = BigInt(frequencyHz) * 2n ** 25n;
  const xtal = 32_000_000n;
  return Number((numerator + xtal / 2n) / xtal);
}

function sentParams(chip: { commands: readonly { opcode: number; params: readonly number[] }[] }, opcode: number) {
  const found = chip.commands.filter((c) => c.opcode === opcode);
  return found[found.length - 1]?.params;
}

describe('RF frequency word (DS §13.4.1)', () => {
  test.each([
    [868_100_000, 0x3641999a],
    [915_000_000, 0x39300000],
    [923_200_000, 0x39b33333],
  ])('%i Hz is word %i, as the formula gives it', (frequencyHz, literal) => {
    expect(worked(frequencyHz)).toBe(literal);
    expect(frequencyWord(frequencyHz)).toBe(worked(frequencyHz));
  });

  test.each([868_100_000, 915_000_000, 923_200_000])('the driver sends the worked word for %i Hz and the emulator tunes to it', (frequencyHz) => {
    const { node } = testbed();
    const { chip } = node('a', { driver: { frequencyHz } });
    const word = worked(frequencyHz);
    expect(sentParams(chip, Opcode.SetRfFrequency)).toEqual([word >>> 24, (word >> 16) & 0xff, (word >> 8) & 0xff, word & 0xff]);
    expect(chip.frequencyHz).toBe(frequencyHz);
  });
});

describe('GetPacketStatus bytes (DS §13.5.3)', () => {
  // RSSI −120.5 dBm → −2·RSSI = 241; SNR −12.5 dB → 4·SNR = −50 → 0xCE as a signed byte.
  const SIGNAL_RSSI_PKT = 241;
  const SNR_PKT = 0xce;

  test('the driver decodes 241 as −120.5 dBm and 0xCE as −12.5 dB', () => {
    expect(rssiOfByte(SIGNAL_RSSI_PKT)).toBe(-120.5);
    expect(snrOfByte(SNR_PKT)).toBe(-12.5);
  });

  test('the emulator encodes −120.5 dBm / −12.5 dB as SnrPkt 0xCE and SignalRssiPkt 241', () => {
    const [, snrPkt, signalRssiPkt] = packetStatusBytes(-120.5, -12.5);
    expect(snrPkt).toBe(SNR_PKT);
    expect(signalRssiPkt).toBe(SIGNAL_RSSI_PKT);
  });

  test('RssiPkt averages signal and noise: noise at −108 dBm (RSSI − SNR) puts it at −107.76 dBm, byte 216', () => {
    const totalDbm = 10 * Math.log10(10 ** (-120.5 / 10) + 10 ** (-108 / 10));
    expect(Math.round(-2 * totalDbm)).toBe(216);
    expect(packetStatusBytes(-120.5, -12.5)[0]).toBe(216);
  });

  test('positive SNR stays positive: +9.75 dB is byte 39', () => {
    expect(packetStatusBytes(-80, 9.75)[1]).toBe(39);
    expect(snrOfByte(39)).toBe(9.75);
  });
});

describe('sync word registers 0x0740/0x0741 (DS §6.1.1.1)', () => {
  test.each([
    ['0x12 is 0x1424', 0x12, 0x14, 0x24],
    ['0x34 is 0x3444', 0x34, 0x34, 0x44],
  ])('one-byte %s', (_name, syncWord, msb, lsb) => {
    // Each nibble of the byte is the high nibble of a register byte; the low nibbles are 4.
    expect([((syncWord >> 4) << 4) | 4, ((syncWord & 0xf) << 4) | 4]).toEqual([msb, lsb]);
    expect(syncWordRegisters(syncWord)).toEqual([msb, lsb]);
    expect(syncWordOfRegisters(msb, lsb)).toBe(syncWord);
  });

  test.each([0x12, 0x34])('the driver writes sync word %i into 0x0740/0x0741 and the emulator reads it back', (syncWord) => {
    const { node } = testbed();
    const { chip } = node('a', { driver: { syncWord } });
    const [msb, lsb] = [((syncWord >> 4) << 4) | 4, ((syncWord & 0xf) << 4) | 4];
    expect(sentParams(chip, Opcode.WriteRegister)).toEqual([0x07, 0x40, msb, lsb]);
    expect(chip.syncWord).toBe(syncWord);
  });
});

describe('TCXO control (DS §13.3.6)', () => {
  test('1.8 V is voltage code 0x02', () => {
    expect(tcxoVoltageCode(1.8)).toBe(0x02);
  });

  test('a 5 ms start-up is 320 steps of 15.625 µs', () => {
    expect(timeoutSteps(5)).toBe(5000 / 15.625);
  });

  test('the driver sends SetDIO3AsTCXOCtrl with code 0x02 and 320 steps for a 1.8 V TCXO board', () => {
    const { node } = testbed();
    const { chip } = node('a', { board: { tcxo: true }, driver: { tcxoVoltage: 1.8 } });
    expect(sentParams(chip, Opcode.SetDio3AsTcxoCtrl)).toEqual([0x02, 0x00, 0x01, 0x40]);
    expect(chip.config.tcxo).toEqual({ voltageCode: 0x02, timeoutSteps: 320 });
  });

  test('voltages outside the table are refused', () => {
    expect(() => tcxoVoltageCode(1.9)).toThrow(RangeError);
  });
});

describe('bandwidth codes (DS §13.4.5.2)', () => {
  test.each([
    [7_800, 0x00], [10_400, 0x08], [15_600, 0x01], [20_800, 0x09], [31_250, 0x02],
    [41_700, 0x0a], [62_500, 0x03], [125_000, 0x04], [250_000, 0x05], [500_000, 0x06],
  ])('%i Hz is code %i', (hz, code) => {
    expect(bandwidthCode(hz)).toBe(code);
  });

  test('a bandwidth the chip does not have is refused', () => {
    expect(() => bandwidthCode(200_000)).toThrow(RangeError);
  });
});

describe('opcodes (DS §13, radio.md §5)', () => {
  test.each([
    ['SetSleep', 0x84], ['SetStandby', 0x80], ['SetTx', 0x83], ['SetRx', 0x82], ['SetCad', 0xc5],
    ['WriteBuffer', 0x0e], ['ReadBuffer', 0x1e], ['SetDioIrqParams', 0x08], ['GetIrqStatus', 0x12],
    ['ClearIrqStatus', 0x02], ['SetRfFrequency', 0x86], ['SetPacketType', 0x8a], ['SetTxParams', 0x8e],
    ['SetModulationParams', 0x8b], ['SetPacketParams', 0x8c], ['GetRssiInst', 0x15], ['GetRxBufferStatus', 0x13],
    ['GetPacketStatus', 0x14], ['SetDio2AsRfSwitchCtrl', 0x9d], ['SetDio3AsTcxoCtrl', 0x97],
  ] as const)('%s is opcode %i', (name, value) => {
    expect(Opcode[name]).toBe(value);
  });
});

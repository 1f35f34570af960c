/**
 * SX127x register encodings against values worked out here from the SX1276 datasheet's formulas, in both
 * directions: the driver's (settings → registers, registers → measurements) and the emulator's
 * (registers → signal, measurements → registers). Both sides could share a mistake; these numbers
 * come from the datasheet, not from either of them.
 */
import {
  decodeFrequencyError, decodePacketRssi, decodeRssi, decodeSnr, frfBytes, modemConfig, ocpFor, paSettings,
} from '../../hal/drivers/sx127x/encoding.js';
import { SX127X_DEFAULTS, validateSettings } from '../../hal/drivers/sx127x/settings.js';
import {
  feiRegisters, frequencyOf, modemSetup, packetRssiRegister, rssiRegister, snrRegister, txPowerDbm,
} from '../../host-sim/chips/sx1276-registers.js';
import type { LoRaSettings } from '../../src/ports.js';

/** Fstep = Fxosc / 2^19 with Fxosc = 32 MHz (DS §4.1.4). */
const FSTEP_HZ = 32e6 / 2 ** 19;
const settings = (changes: Partial<LoRaSettings>): LoRaSettings => ({ ...SX127X_DEFAULTS, ...changes });

describe('Frf (DS §4.1.4: Frf = f / Fstep)', () => {
  // 868.1 MHz / 61.03515625 Hz = 14 222 950.4 → 14 222 950 = 0xD90666
  // 915.0 MHz / 61.03515625 Hz = 14 991 360   → 0xE4C000
  // 433.175 MHz / 61.03515625 Hz = 7 097 139.2 → 7 097 139 = 0x6C4B33
  const cases: [number, [number, number, number]][] = [
    [868_100_000, [0xd9, 0x06, 0x66]],
    [915_000_000, [0xe4, 0xc0, 0x00]],
    [433_175_000, [0x6c, 0x4b, 0x33]],
  ];

  test.each(cases)('%d Hz is written as the worked Frf bytes', (hz, expected) => {
    expect(Math.round(hz / FSTEP_HZ)).toBe((expected[0] << 16) | (expected[1] << 8) | expected[2]);
    expect(frfBytes(hz)).toEqual(expected);
  });

  test.each(cases)('the emulator reads %d Hz back from Frf to within one step', (hz, expected) => {
    const regs = new Uint8Array(0x80);
    regs.set(expected, 0x06);
    expect(Math.abs(frequencyOf(regs) - hz)).toBeLessThanOrEqual(FSTEP_HZ / 2);
  });
});

describe('packet SNR (DS §6.4 0x19: two’s complement, quarter dB)', () => {
  test('−12.5 dB is 0xCE both ways', () => {
    expect(256 - 12.5 * 4).toBe(0xce);
    expect(snrRegister(-12.5)).toBe(0xce);
    expect(decodeSnr(0xce)).toBe(-12.5);
  });

  test('+9.75 dB is 0x27 both ways', () => {
    expect(snrRegister(9.75)).toBe(0x27);
    expect(decodeSnr(0x27)).toBe(9.75);
  });

  test('an SNR beyond the register saturates at its end', () => {
    expect(snrRegister(-40)).toBe(0x80);
    expect(decodeSnr(0x80)).toBe(-32);
  });
});

describe('RSSI (DS §5.5.5)', () => {
  test('packet RSSI −120 dBm at SNR −12.5 dB on the HF port: register 50, read back as −119.5', () => {
    // PacketRssi = −120 + 157 − (−12.5) = 49.5, which the register holds as 50;
    // Packet Strength = −157 + 50 + (−12.5) = −119.5 dBm.
    expect(packetRssiRegister(-120, 0xce, 868_100_000)).toBe(50);
    expect(decodePacketRssi(50, -12.5, 868_100_000)).toBe(-119.5);
  });

  test('packet RSSI on the LF port uses −164', () => {
    // −120 + 164 + 12.5 = 56.5 → 57; −164 + 57 − 12.5 = −119.5
    expect(packetRssiRegister(-120, 0xce, 433_175_000)).toBe(57);
    expect(decodePacketRssi(57, -12.5, 433_175_000)).toBe(-119.5);
  });

  test('at a positive SNR the packet RSSI is offset + register alone', () => {
    expect(packetRssiRegister(-80, snrRegister(9.25), 915_000_000)).toBe(77);
    expect(decodePacketRssi(77, 9.25, 915_000_000)).toBe(-80);
  });

  test('instantaneous RSSI: −117 dBm on the HF port is 40', () => {
    expect(rssiRegister(-117, 868_100_000)).toBe(40);
    expect(decodeRssi(40, 868_100_000)).toBe(-117);
  });

  test('863–868 MHz (EU868) is on the HF port, unlike RadioLib’s 868 MHz split', () => {
    expect(decodeRssi(40, 865_000_000)).toBe(-117);
  });
});

describe('frequency error (DS §4.1.5: Ferr = FreqError · 2^24 / Fxtal · BW / 500 kHz)', () => {
  // At 125 kHz one step is 2^24 / 32e6 · 0.25 = 0.131072 Hz: +1000 Hz is 7629.39 → 7629 = 0x01DCD,
  // written as RegFeiMsb(3:0) = 0x0, RegFeiMid = 0x1D, RegFeiLsb = 0xCD.
  const step125 = (2 ** 24 / 32e6) * (125_000 / 500_000);

  test('+1000 Hz at 125 kHz is 7629 steps, 0x01DCD', () => {
    expect(Math.round(1000 / step125)).toBe(0x01dcd);
    expect(feiRegisters(1000, 125_000)).toEqual([0x00, 0x1d, 0xcd]);
    expect(decodeFrequencyError(0x00, 0x1d, 0xcd, 125_000)).toBeCloseTo(0x01dcd * step125, 9);
  });

  test('−1000 Hz at 125 kHz is the 20-bit two’s complement 0xFE233', () => {
    expect(0x100000 - 7629).toBe(0xfe233);
    expect(feiRegisters(-1000, 125_000)).toEqual([0x0f, 0xe2, 0x33]);
    expect(decodeFrequencyError(0x0f, 0xe2, 0x33, 125_000)).toBeCloseTo(-7629 * step125, 9);
  });

  test('the bandwidth scales the step: +1000 Hz at 500 kHz is 1907 steps', () => {
    expect(feiRegisters(1000, 500_000)).toEqual([0x00, 0x07, 0x73]);
    expect(decodeFrequencyError(0x00, 0x07, 0x73, 500_000)).toBeCloseTo(1907 * (2 ** 24 / 32e6), 9);
  });
});

describe('modem configuration (DS §6.4 0x1D, 0x1E, 0x26)', () => {
  test('SF9, 250 kHz, 4/7, explicit header, CRC on', () => {
    const config = modemConfig(settings({ spreadingFactor: 9, bandwidthHz: 250_000, codingRate: 7 }));
    expect(config).toEqual({ config1: (0b1000 << 4) | (0b011 << 1), config2: (9 << 4) | 0x04, config3: 0x04 });
  });

  test('SF12 at 125 kHz (32.8 ms symbols) turns LDRO on; implicit header and no CRC', () => {
    const config = modemConfig(settings({ spreadingFactor: 12, crc: false, implicitHeader: true, implicitLength: 20 }));
    expect(config).toEqual({ config1: (0b0111 << 4) | (0b001 << 1) | 1, config2: 12 << 4, config3: 0x08 | 0x04 });
  });

  test('the emulator reads the same fields back', () => {
    const regs = new Uint8Array(0x80);
    regs[0x1d] = 0x86;
    regs[0x1e] = 0x94;
    regs[0x21] = 8;
    regs[0x39] = 0x34;
    expect(modemSetup(regs)).toMatchObject({ spreadingFactor: 9, bandwidthHz: 250_000, codingRate: 7, crc: true, implicitHeader: false, preambleLength: 8, syncWord: 0x34 });
  });
});

describe('PA and over-current protection (DS §5.4.2–§5.4.4)', () => {
  test('14 dBm on PA_BOOST: OutputPower = 14 − 2, PaDac default, 100 mA', () => {
    // Pout = 17 − (15 − OutputPower) → OutputPower 12; OCP 100 mA = 45 + 5·11 → trim 11
    expect(paSettings(14, true)).toEqual({ paConfig: 0x80 | 0x70 | 12, paDac: 0x84, ocp: 0x20 | 11 });
  });

  test('20 dBm on PA_BOOST needs PaDac 0x87 and a 140 mA limit', () => {
    // Pout = 20 − (15 − 15); OCP 140 mA = −30 + 10·17 → trim 17
    expect(paSettings(20, true)).toEqual({ paConfig: 0xff, paDac: 0x87, ocp: 0x20 | 17 });
  });

  test('10 dBm on RFO with MaxPower 7: Pmax 15 dBm, OutputPower 10', () => {
    expect(paSettings(10, false).paConfig).toBe(0x70 | 10);
  });

  test('OCP saturates at 240 mA (trim 27)', () => {
    expect(ocpFor(300)).toBe(0x20 | 27);
  });

  test.each([
    [0xfc, 0x84, 14],
    [0xff, 0x87, 20],
    [0x80, 0x84, 2],
    [0x7a, 0x84, 10],
  ])('the emulator reads PaConfig %d with PaDac %d as %d dBm', (paConfig, paDac, dbm) => {
    const regs = new Uint8Array(0x80);
    regs[0x09] = paConfig;
    regs[0x4d] = paDac;
    expect(txPowerDbm(regs)).toBe(dbm);
  });
});

describe('settings the chip cannot do are refused with a RangeError', () => {
  test.each<[string, Partial<LoRaSettings>]>([
    ['SF6 with an explicit header', { spreadingFactor: 6 }],
    ['SF13', { spreadingFactor: 13 }],
    ['a 100 kHz bandwidth', { bandwidthHz: 100_000 }],
    ['coding rate 4/9', { codingRate: 9 }],
    ['18 dBm on PA_BOOST', { txPowerDbm: 18 }],
    ['1 dBm on PA_BOOST', { txPowerDbm: 1 }],
    ['100 MHz', { frequencyHz: 100_000_000 }],
    ['250 kHz in the 169 MHz band', { frequencyHz: 169_000_000, bandwidthHz: 250_000 }],
    ['a 5-symbol preamble', { preambleLength: 5 }],
    ['an implicit header without a length', { implicitHeader: true }],
  ])('%s', (_name, changes) => {
    expect(() => validateSettings(settings(changes), true)).toThrow(RangeError);
  });

  test('16 dBm on RFO is refused, 15 dBm accepted', () => {
    expect(() => validateSettings(settings({ txPowerDbm: 16 }), false)).toThrow(RangeError);
    expect(validateSettings(settings({ txPowerDbm: 15 }), false).txPowerDbm).toBe(15);
  });

  test('a sync word that is not a number is a TypeError', () => {
    expect(() => validateSettings(settings({ syncWord: '0x12' as unknown as number }), true)).toThrow(TypeError);
  });
});

/**
 * Time on air against published vectors (tests/vectors/airtime.json), the LDRO rule, the SX126x SF5/SF6
 * form and input validation. Worked values below are computed by hand from the datasheet formulas.
 */
import { airtime, ldroEnabled, LDRO_THRESHOLD_MS, symbolMs, timeOnAirMs } from '../../hal/radio/airtime.js';
import { readVectors } from '../support/vectors.js';

interface Vector {
  readonly source: string;
  readonly sf: number;
  readonly bandwidthHz: number;
  readonly codingRate: number;
  readonly bytes: number;
  readonly preamble?: number;
  readonly implicitHeader?: boolean;
  readonly ldro?: 'auto' | 'on' | 'off';
  readonly timeOnAirMs?: number;
  readonly payloadSymbols?: number;
  readonly tolerance?: number;
}

const { vectors } = readVectors<{ vectors: Vector[] }>('airtime.json');
const run = (v: Vector) =>
  airtime({
    spreadingFactor: v.sf,
    bandwidthHz: v.bandwidthHz,
    codingRate: v.codingRate,
    payloadBytes: v.bytes,
    preambleLength: v.preamble,
    implicitHeader: v.implicitHeader,
    ldro: v.ldro,
  });

describe('published and derived vectors', () => {
  test('the vector file holds every row of radio.md §1 (12 published, 25 derived)', () => {
    expect(vectors.filter((v) => !v.source.startsWith('derived')).length).toBe(12);
    expect(vectors.filter((v) => v.source.startsWith('derived')).length).toBe(25);
  });

  test.each(vectors.filter((v) => v.timeOnAirMs !== undefined).map((v) => [v.source, v] as const))(
    '%s: time on air',
    (_source, v) => {
      expect(Math.abs(run(v).timeOnAirMs - (v.timeOnAirMs as number))).toBeLessThanOrEqual(v.tolerance as number);
    },
  );

  test.each(vectors.filter((v) => v.payloadSymbols !== undefined).map((v) => [v.source, v] as const))(
    '%s: payload symbols',
    (_source, v) => {
      expect(run(v).payloadSymbols).toBe(v.payloadSymbols);
    },
  );
});

describe('LDRO', () => {
  test("'auto' is on exactly when a symbol lasts 16 ms or more", () => {
    expect(LDRO_THRESHOLD_MS).toBe(16);
    expect(ldroEnabled(11, 125_000)).toBe(true); // 16.384 ms
    expect(ldroEnabled(12, 125_000)).toBe(true); // 32.768 ms
    expect(ldroEnabled(12, 250_000)).toBe(true); // 16.384 ms: LoRaMac-node agrees, avbentem's 'auto' does not
    expect(ldroEnabled(10, 62_500)).toBe(true); // 16.384 ms
    expect(ldroEnabled(10, 125_000)).toBe(false); // 8.192 ms
    expect(ldroEnabled(11, 250_000)).toBe(false); // 8.192 ms
    expect(ldroEnabled(12, 500_000)).toBe(false); // 8.192 ms
  });

  test("'on' and 'off' override the rule", () => {
    expect(ldroEnabled(7, 500_000, 'on')).toBe(true);
    expect(ldroEnabled(12, 125_000, 'off')).toBe(false);
  });

  test('LDRO on divides by 4·(SF − 2): SF12/125 with 51 B needs 63 payload symbols with it, 53 without', () => {
    // DE = 0: ceil((408 − 48 + 28 + 16) / 48) = 9 → 8 + 9·5 = 53; DE = 1: ceil(404 / 40) = 11 → 63.
    const base = { spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 51 };
    expect(airtime({ ...base, ldro: 'off' }).payloadSymbols).toBe(53);
    expect(airtime({ ...base, ldro: 'on' }).payloadSymbols).toBe(63);
    expect(airtime({ ...base, ldro: 'on' }).timeOnAirMs).toBeCloseTo((8 + 4.25 + 63) * 32.768, 9);
  });

  test('the result reports whether LDRO was used', () => {
    expect(airtime({ spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10 }).ldro).toBe(true);
    expect(airtime({ spreadingFactor: 7, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10 }).ldro).toBe(false);
  });
});

describe('SF5 and SF6', () => {
  test('SX126x SF5/125, 10 B: 14.25 preamble symbols and 33 payload symbols, 12.096 ms (DS §6.1.4)', () => {
    // Tsym = 32/125 kHz = 0.256 ms; ceil((80 + 16 − 20 + 20) / 20) = 5 → 8 + 5·5 = 33;
    // (8 + 6.25 + 33) · 0.256 = 12.096 ms. RadioLib's integer form gives 12096 µs too.
    const result = airtime({ spreadingFactor: 5, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10 });
    expect(result.payloadSymbols).toBe(33);
    expect(result.preambleMs).toBeCloseTo(14.25 * 0.256, 9);
    expect(result.timeOnAirMs).toBeCloseTo(12.096, 9);
  });

  test('SX126x SF6/125, 10 B implicit: 19.072 ms', () => {
    // Tsym 0.512 ms; ceil((80 + 16 − 24 + 0) / 24) = 3 → 23 symbols; (8 + 6.25 + 23) · 0.512 = 19.072.
    const p = { spreadingFactor: 6, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10, implicitHeader: true };
    expect(timeOnAirMs(p)).toBeCloseTo(19.072, 9);
    expect(timeOnAirMs({ ...p, chip: 'sx126x' })).toBeCloseTo(19.072, 9);
  });

  test('SX127x SF6/125, 10 B implicit keeps the general form: 20.608 ms (SX1276 DS §4.1.1.7)', () => {
    // ceil((80 − 24 + 28 + 16 − 20) / 24) = 4 → 28 symbols; (8 + 4.25 + 28) · 0.512 = 20.608.
    const p = { spreadingFactor: 6, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10, implicitHeader: true };
    expect(timeOnAirMs({ ...p, chip: 'sx127x' })).toBeCloseTo(20.608, 9);
  });

  test('the chip makes no difference from SF7 up', () => {
    const p = { spreadingFactor: 7, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 14 };
    expect(timeOnAirMs({ ...p, chip: 'sx127x' })).toBe(timeOnAirMs({ ...p, chip: 'sx126x' }));
  });

  test('the SX127x refuses SF5, SF6 with an explicit header, and fewer than 6 preamble symbols', () => {
    const p = { bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10, chip: 'sx127x' as const };
    expect(() => airtime({ ...p, spreadingFactor: 5 })).toThrow(/no SF5/);
    expect(() => airtime({ ...p, spreadingFactor: 6 })).toThrow(/implicit header/);
    expect(() => airtime({ ...p, spreadingFactor: 7, preambleLength: 5 })).toThrow(/at least 6/);
  });
});

describe('symbols and zero-length payloads', () => {
  test('a symbol lasts 2^SF / BW', () => {
    expect(symbolMs(7, 125_000)).toBeCloseTo(1.024, 12);
    expect(symbolMs(12, 7_800)).toBeCloseTo(4096 / 7.8, 9);
  });

  test('an empty implicit frame without CRC is the preamble and the 8 fixed symbols', () => {
    const result = airtime({ spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 0, implicitHeader: true, crc: false });
    expect(result.payloadSymbols).toBe(8);
  });

  test('more preamble symbols cost exactly that many symbols', () => {
    const p = { spreadingFactor: 9, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 20 };
    expect(timeOnAirMs({ ...p, preambleLength: 16 }) - timeOnAirMs(p)).toBeCloseTo(8 * symbolMs(9, 125_000), 9);
  });
});

describe('validation', () => {
  const good = { spreadingFactor: 7, bandwidthHz: 125_000, codingRate: 5, payloadBytes: 10 };
  test.each([
    ['spreading factor 4', { spreadingFactor: 4 }, /spreading factor 4 is not 5–12/],
    ['spreading factor 13', { spreadingFactor: 13 }, /spreading factor 13/],
    ['spreading factor 7.5', { spreadingFactor: 7.5 }, /spreading factor 7.5/],
    ['bandwidth 0', { bandwidthHz: 0 }, /bandwidth 0 Hz/],
    ['bandwidth NaN', { bandwidthHz: NaN }, /bandwidth NaN Hz/],
    ['bandwidth Infinity', { bandwidthHz: Infinity }, /bandwidth Infinity Hz/],
    ['coding rate 4', { codingRate: 4 }, /coding rate 4\/4/],
    ['coding rate 9', { codingRate: 9 }, /coding rate 4\/9/],
    ['payload −1', { payloadBytes: -1 }, /payload of -1 bytes/],
    ['payload 256', { payloadBytes: 256 }, /payload of 256 bytes/],
    ['payload 1.5', { payloadBytes: 1.5 }, /payload of 1.5 bytes/],
    ['preamble 0', { preambleLength: 0 }, /preamble of 0 symbols/],
    ['preamble 65536', { preambleLength: 65536 }, /preamble of 65536/],
    ['LDRO "maybe"', { ldro: 'maybe' }, /LDRO setting maybe/],
    ['chip "sx1280"', { chip: 'sx1280' }, /chip sx1280/],
  ])('%s is a RangeError', (_name, change, message) => {
    const call = () => airtime({ ...good, ...(change as object) });
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  test('the limits themselves are accepted', () => {
    expect(() => airtime({ ...good, payloadBytes: 255, preambleLength: 65535, spreadingFactor: 12 })).not.toThrow();
    expect(() => airtime({ ...good, payloadBytes: 0, preambleLength: 1, spreadingFactor: 5, codingRate: 8 })).not.toThrow();
  });
});

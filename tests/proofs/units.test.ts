/** LoRa data-rate codes and the radio field ranges (proofs/units.ts). */
import {
  DATA_RATE_CODES, dataRateCode, dataRateName, dataRateOf, DecodeFailure, MAX_TIME_MS, readDataRate, readTime,
  type DataRate,
} from '../../proofs/index.js';
import { expectDecodeError } from '../support/decode-error.js';

const ALL_CODES = Array.from({ length: DATA_RATE_CODES }, (_, code) => code);

describe('data rate codes', () => {
  test.each([
    [0, 12, 125],
    [3, 9, 125],
    [5, 7, 125],
    [6, 12, 250],
    [17, 7, 500],
  ] as const)('%i is SF%iBW%i', (code, spreadingFactor, bandwidthKHz) => {
    expect(dataRateCode({ spreadingFactor, bandwidthKHz })).toBe(code);
    expect(dataRateOf(code)).toEqual({ spreadingFactor, bandwidthKHz });
  });

  test('there are 18: SF7 to SF12 at 125, 250 and 500 kHz', () => {
    expect(DATA_RATE_CODES).toBe(18);
  });

  test.each(ALL_CODES)('code %i round-trips through dataRateOf and dataRateCode', (code) => {
    expect(dataRateCode(dataRateOf(code))).toBe(code);
  });

  test('every code names a distinct data rate', () => {
    expect(new Set(ALL_CODES.map(dataRateName)).size).toBe(DATA_RATE_CODES);
  });

  test('dataRateName writes SF and bandwidth', () => {
    expect(dataRateName(0)).toBe('SF12BW125');
    expect(dataRateName(3)).toBe('SF9BW125');
  });

  test.each([
    ['SF6BW125', { spreadingFactor: 6, bandwidthKHz: 125 }],
    ['SF13BW125', { spreadingFactor: 13, bandwidthKHz: 125 }],
    ['SF9.5BW125', { spreadingFactor: 9.5, bandwidthKHz: 125 }],
    ['SF9BW62.5', { spreadingFactor: 9, bandwidthKHz: 62.5 }],
  ])('dataRateCode refuses %s with a RangeError', (_, rate) => {
    expect(() => dataRateCode(rate as unknown as DataRate)).toThrow(RangeError);
  });

  test.each([-1, 18, 1.5])('dataRateOf refuses %s with a RangeError', (code) => {
    expect(() => dataRateOf(code)).toThrow(RangeError);
  });

  test('readDataRate refuses 18 (OutOfRange)', () => {
    expectDecodeError(() => readDataRate(18), DecodeFailure.OutOfRange);
  });
});

describe('times', () => {
  test('MAX_TIME_MS is the last instant a Date can hold (ECMA-262 §21.4.1.22)', () => {
    expect(new Date(MAX_TIME_MS).getTime()).toBe(MAX_TIME_MS);
    expect(Number.isNaN(new Date(MAX_TIME_MS + 1).getTime())).toBe(true);
  });

  test('readTime refuses one millisecond after MAX_TIME_MS (OutOfRange)', () => {
    expectDecodeError(() => readTime(MAX_TIME_MS + 1), DecodeFailure.OutOfRange);
  });
});

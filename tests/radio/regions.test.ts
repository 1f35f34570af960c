/**
 * The region plans are consistent with themselves and with covey: every PoC channel lies inside its
 * region with room for crystal error, within power limits, carries a maximum-size beacon within the dwell
 * time and the duty cycle, and has a data rate the protocol can record. Plus the validation helpers.
 */
import { BEACON_FRAME_BYTES } from '../../proofs/beacon.js';
import { dataRateCode } from '../../proofs/units.js';
import { timeOnAirMs } from '../../hal/radio/airtime.js';
import { DutyCycleAccountant } from '../../hal/radio/duty-cycle.js';
import {
  assertTxPower, COVEY_SYNC_WORD, DEFAULT_ANTENNA_GAIN_DBI, isRegionId, maxConductedPowerDbm, mhz, pocAirtimeMs,
  pocSettings, REGION_IDS, regionMaxEirpDbm, regionPlan, REGIONS, subBandOf, type RegionPlan,
} from '../../hal/radio/regions.js';

const each = REGIONS.map((region) => [region.id, region] as const);
/** ±20 ppm: a plain crystal's tolerance; boards without a TCXO drift about this much (SX1276 DS §2.5). */
const CRYSTAL_PPM = 20e-6;
const SIX_HOURS_MS = 6 * 3_600_000;

describe('the set of regions', () => {
  test('holds the nine required plans, in REGION_IDS order', () => {
    expect(REGIONS.map((r) => r.id)).toEqual([...REGION_IDS]);
    expect(REGION_IDS).toEqual(['EU868', 'US915', 'AU915', 'AS923_1', 'AS923_2', 'AS923_3', 'AS923_4', 'KR920', 'IN865']);
  });

  test('regionPlan finds a plan by id, in either case and in LoRaWAN spelling', () => {
    expect(regionPlan('EU868').id).toBe('EU868');
    expect(regionPlan('eu868').id).toBe('EU868');
    expect(regionPlan('AS923-2').id).toBe('AS923_2');
  });

  test('regionPlan refuses an unknown id with a RangeError that lists the known ones', () => {
    expect(() => regionPlan('EU433')).toThrow(RangeError);
    expect(() => regionPlan('EU433')).toThrow(/unknown region EU433 \(known: EU868, US915/);
  });

  test('isRegionId accepts exactly the ids', () => {
    expect(REGION_IDS.every(isRegionId)).toBe(true);
    expect(isRegionId('eu868')).toBe(false);
    expect(isRegionId(868)).toBe(false);
  });
});

describe.each(each)('%s', (_id, region: RegionPlan) => {
  const { poc } = region;

  test('sub-bands are ascending, non-empty and do not overlap', () => {
    region.subBands.forEach((band, i) => {
      expect(band.lowHz).toBeLessThan(band.highHz);
      if (i > 0) expect(band.lowHz).toBeGreaterThanOrEqual(region.subBands[i - 1].highHz);
      if (band.dutyCycle !== null) expect(band.dutyCycle > 0 && band.dutyCycle <= 1).toBe(true);
    });
  });

  test('every LoRaWAN channel of the plan lies inside a sub-band', () => {
    for (const group of region.channels) {
      for (let n = 0; n < group.count; n++) {
        expect(() => subBandOf(region, group.firstHz + n * group.stepHz, group.bandwidthHz)).not.toThrow();
      }
    }
  });

  test('the PoC channel lies inside one sub-band even with ±20 ppm of crystal error', () => {
    const drift = poc.frequencyHz * CRYSTAL_PPM;
    expect(() => subBandOf(region, poc.frequencyHz, poc.bandwidthHz + 2 * drift)).not.toThrow();
  });

  test('the PoC channel uses CR 4/5, preamble 8, the covey sync word and a data rate the protocol can record', () => {
    expect(poc.codingRate).toBe(5);
    expect(poc.preambleLength).toBe(8);
    expect(poc.syncWord).toBe(COVEY_SYNC_WORD);
    const bandwidthKHz = (poc.bandwidthHz / 1000) as 125 | 250 | 500;
    expect(() => dataRateCode({ spreadingFactor: poc.spreadingFactor, bandwidthKHz })).not.toThrow();
  });

  test("the PoC channel's power is the region's limit with a 2.15 dBi antenna, rounded down to a whole dBm", () => {
    const limit = maxConductedPowerDbm(region, poc.frequencyHz, poc.bandwidthHz, DEFAULT_ANTENNA_GAIN_DBI);
    expect(poc.maxConductedDbm).toBe(Math.floor(limit + 1e-9));
    expect(() => assertTxPower(region, poc.frequencyHz, poc.bandwidthHz, poc.maxConductedDbm)).not.toThrow();
  });

  test(`a ${BEACON_FRAME_BYTES}-byte beacon fits the dwell time`, () => {
    expect(pocAirtimeMs(region)).toBeLessThanOrEqual(region.dwellTimeMs ?? Infinity);
  });

  test('a beacon (one per 6 h, so at most one in any hour) uses at most a tenth of the hourly duty-cycle budget', () => {
    const band = subBandOf(region, poc.frequencyHz, poc.bandwidthHz);
    if (band.dutyCycle !== null) expect(pocAirtimeMs(region)).toBeLessThanOrEqual(0.1 * band.dutyCycle * 3_600_000);
    expect(pocAirtimeMs(region)).toBeLessThan(SIX_HOURS_MS);
  });

  test('a maximum-size beacon at full power goes through the accountant, and a second one the same hour too', () => {
    const accountant = new DutyCycleAccountant(region);
    const tx = {
      frequencyHz: poc.frequencyHz,
      bandwidthHz: poc.bandwidthHz,
      airtimeMs: pocAirtimeMs(region, BEACON_FRAME_BYTES),
      txPowerDbm: poc.maxConductedDbm,
    };
    expect(accountant.check(tx, 1_000)).toEqual({ ok: true, subBand: subBandOf(region, poc.frequencyHz, poc.bandwidthHz).name });
    accountant.record(tx, 1_000);
    expect(accountant.check(tx, 60_000).ok).toBe(true);
  });

  test('one more dBm than the PoC maximum is refused by the accountant', () => {
    const accountant = new DutyCycleAccountant(region);
    const limit = maxConductedPowerDbm(region, poc.frequencyHz, poc.bandwidthHz);
    const tx = { frequencyHz: poc.frequencyHz, bandwidthHz: poc.bandwidthHz, airtimeMs: 100, txPowerDbm: Math.ceil(limit + 1) };
    expect(accountant.check(tx, 0)).toMatchObject({ ok: false, reason: 'power_too_high' });
  });

  test('pocSettings gives the radio the PoC channel, with CRC, an explicit header and LDRO auto', () => {
    expect(pocSettings(region)).toEqual({
      frequencyHz: poc.frequencyHz,
      spreadingFactor: poc.spreadingFactor,
      bandwidthHz: poc.bandwidthHz,
      codingRate: 5,
      txPowerDbm: poc.maxConductedDbm,
      preambleLength: 8,
      syncWord: COVEY_SYNC_WORD,
      crc: true,
      implicitHeader: false,
      ldro: 'auto',
    });
    expect(() => pocSettings(region, poc.maxConductedDbm + 1)).toThrow(RangeError);
  });
});

describe('PoC channel choices', () => {
  test('dwell-limited regions use the slowest rate that fits: one step slower would not', () => {
    for (const region of REGIONS.filter((r) => r.dwellTimeMs !== null)) {
      const { poc } = region;
      const slower = timeOnAirMs({
        spreadingFactor: poc.spreadingFactor + 1,
        bandwidthHz: poc.bandwidthHz,
        codingRate: 5,
        payloadBytes: BEACON_FRAME_BYTES,
      });
      expect(slower).toBeGreaterThan(region.dwellTimeMs as number);
    }
  });

  test('the figures the plans quote: SF12 4268 ms, SF11 2380 ms, SF10/500 267 ms, SF8 328 ms, SF9 595 ms', () => {
    const toa = (sf: number, bw = 125_000) =>
      Math.round(timeOnAirMs({ spreadingFactor: sf, bandwidthHz: bw, codingRate: 5, payloadBytes: BEACON_FRAME_BYTES }));
    expect([toa(12), toa(11), toa(10, 500_000), toa(8), toa(9)]).toEqual([4268, 2380, 267, 328, 595]);
  });

  test('EU868 beacons in the 10 % sub-band at 869.525 MHz and SF12, as Helium did (poc.md §6)', () => {
    const eu = regionPlan('EU868');
    expect(eu.poc.frequencyHz).toBe(869_525_000);
    expect(eu.poc.spreadingFactor).toBe(12);
    expect(subBandOf(eu, eu.poc.frequencyHz, eu.poc.bandwidthHz).dutyCycle).toBe(0.1);
  });

  test('US915 beacons clear of every LoRaWAN US915 channel', () => {
    const us = regionPlan('US915');
    const low = us.poc.frequencyHz - us.poc.bandwidthHz / 2;
    const high = us.poc.frequencyHz + us.poc.bandwidthHz / 2;
    for (const group of us.channels) {
      for (let n = 0; n < group.count; n++) {
        const centre = group.firstHz + n * group.stepHz;
        const overlaps = centre + group.bandwidthHz / 2 > low && centre - group.bandwidthHz / 2 < high;
        expect(overlaps).toBe(false);
      }
    }
  });

  test('only AS923_1 carries the Japanese rules, marked as required in Japan', () => {
    expect(regionPlan('AS923_1').lbt).toEqual({ thresholdDbm: -80, listenMs: 5, requiredIn: ['JP'] });
    expect(regionPlan('AS923_1').maxConductedDbm).toBe(13);
    for (const id of ['AS923_2', 'AS923_3', 'AS923_4']) expect(regionPlan(id).lbt).toBeNull();
  });

  test('KR920 listens at −65 dBm for 6 ms everywhere in the region', () => {
    expect(regionPlan('KR920').lbt).toEqual({ thresholdDbm: -65, listenMs: 6, requiredIn: 'region' });
  });

  test('the AS923 groups are the same plan shifted by 0, 1.8, 6.6 and 5.9 MHz', () => {
    const pocs = ['AS923_1', 'AS923_2', 'AS923_3', 'AS923_4'].map((id) => regionPlan(id).poc.frequencyHz);
    expect(pocs).toEqual([mhz(923.4), mhz(921.6), mhz(916.8), mhz(917.5)]);
  });
});

describe('validation helpers', () => {
  const eu = regionPlan('EU868');
  const kr = regionPlan('KR920');
  const us = regionPlan('US915');

  test('subBandOf names the sub-band that holds a channel', () => {
    expect(subBandOf(eu, mhz(868.1), 125_000).name).toBe('868.0–868.6');
    expect(subBandOf(eu, mhz(869.525), 125_000).dutyCycle).toBe(0.1);
  });

  test('subBandOf refuses a channel that straddles two sub-bands', () => {
    expect(() => subBandOf(eu, mhz(868.55), 125_000)).toThrow(/868.55 MHz at 125 kHz is not inside one EU868 sub-band/);
  });

  test('subBandOf refuses a channel in a gap or outside the region', () => {
    expect(() => subBandOf(eu, mhz(869.3), 125_000)).toThrow(RangeError);
    expect(() => subBandOf(eu, mhz(915), 125_000)).toThrow(RangeError);
    expect(() => subBandOf(us, mhz(902.05), 125_000)).toThrow(RangeError);
  });

  test('subBandOf refuses a frequency or bandwidth that is not a number', () => {
    expect(() => subBandOf(eu, NaN, 125_000)).toThrow(/frequency NaN Hz/);
    expect(() => subBandOf(eu, mhz(868.1), 0)).toThrow(/bandwidth 0 Hz/);
  });

  test('maxConductedPowerDbm is the sub-band EIRP less the antenna gain', () => {
    expect(maxConductedPowerDbm(eu, mhz(869.525), 125_000, 0)).toBeCloseTo(29.15, 9);
    expect(maxConductedPowerDbm(eu, mhz(868.1), 125_000, 2.15)).toBeCloseTo(14, 9);
    expect(maxConductedPowerDbm(kr, mhz(921.9), 125_000, 0)).toBe(10);
    expect(maxConductedPowerDbm(kr, mhz(922.1), 125_000, 0)).toBe(14);
  });

  test("maxConductedPowerDbm never exceeds a region's conducted limit", () => {
    expect(maxConductedPowerDbm(us, mhz(919), 500_000, 0)).toBe(30);
    expect(maxConductedPowerDbm(us, mhz(919), 500_000, 9)).toBe(27);
  });

  test('maxConductedPowerDbm refuses an implausible antenna gain', () => {
    expect(() => maxConductedPowerDbm(eu, mhz(868.1), 125_000, 45)).toThrow(/antenna gain 45 dBi/);
    expect(() => maxConductedPowerDbm(eu, mhz(868.1), 125_000, NaN)).toThrow(RangeError);
  });

  test('assertTxPower says what the limit is', () => {
    expect(() => assertTxPower(eu, mhz(868.1), 125_000, 20, 2.15)).toThrow(
      "20 dBm conducted with a 2.15 dBi antenna is above EU868's limit at 868.1 MHz: at most 14 dBm",
    );
    expect(() => assertTxPower(eu, mhz(868.1), 125_000, NaN)).toThrow(/transmit power NaN/);
    expect(() => assertTxPower(eu, mhz(868.1), 125_000, 14, 2.15)).not.toThrow();
  });

  test('regionMaxEirpDbm is the highest sub-band EIRP', () => {
    expect(regionMaxEirpDbm(eu)).toBe(29.15);
    expect(regionMaxEirpDbm(kr)).toBe(14);
  });

  test('mhz converts without floating-point residue', () => {
    expect(mhz(868.1)).toBe(868_100_000);
    expect(mhz(865.0625)).toBe(865_062_500);
  });
});

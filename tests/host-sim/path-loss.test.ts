/**
 * The air's propagation models: path loss against numbers computed by hand from the published formulas,
 * log-normal shadowing, and the link budget (reference/radio.md §2–3).
 */
import fc from 'fast-check';
import {
  freeSpaceLossDb, logDistance, okumuraHata, okumuraHataLossDb, pathLossModel, LOG_DISTANCE_PRESETS,
} from '../../host-sim/air/path-loss.js';
import { linkShadowingDb } from '../../host-sim/air/shadowing.js';
import { receivedPowerDbm, sensitivityDbm, snrDb } from '../../host-sim/air/link-budget.js';

const F868 = 868_000_000;

describe('log-distance path loss', () => {
  test('the lorasim preset is LoRaSim\'s 127.41 + 20.8·log10(d / 40 m)', () => {
    const model = pathLossModel({ name: 'lorasim' });
    expect(model.sigmaDb).toBe(0);
    expect(model.lossDb(40, F868, 0, 0)).toBeCloseTo(127.41, 10);
    expect(model.lossDb(100, F868, 0, 0)).toBeCloseTo(135.68715, 4);
    expect(model.lossDb(400, F868, 0, 0)).toBeCloseTo(148.21, 10);
  });

  test('the oulu preset is Petäjäjärvi et al.\'s 128.95 + 23.2·log10(d / 1 km), σ 7.8 dB', () => {
    const model = pathLossModel({ name: 'oulu' });
    expect(model.sigmaDb).toBe(7.8);
    expect(model.lossDb(1000, F868, 24, 2)).toBeCloseTo(128.95, 10);
    expect(model.lossDb(2000, F868, 24, 2)).toBeCloseTo(135.93390, 4);
    expect(model.lossDb(10_000, F868, 24, 2)).toBeCloseTo(152.15, 10);
  });

  test('custom parameters by name, and the range is the inverse of the loss', () => {
    const model = pathLossModel({ name: 'log-distance', d0M: 1, pl0Db: 40, exponent: 3, sigmaDb: 2 });
    expect(model.lossDb(1000, F868, 0, 0)).toBeCloseTo(130, 10);
    expect(model.rangeM(130, F868, 0)).toBeCloseTo(1000, 6);
    // LoRaSim's disc: 14 dBm against −133.25 dBm reaches 359.67 m.
    expect(logDistance(LOG_DISTANCE_PRESETS.lorasim).rangeM(14 + 133.25, F868, 0)).toBeCloseTo(359.6716, 3);
  });

  test('distances under 1 m count as 1 m', () => {
    const model = pathLossModel({ name: 'lorasim' });
    expect(model.lossDb(0, F868, 0, 0)).toBe(model.lossDb(1, F868, 0, 0));
  });

  test('bad parameters are refused by name', () => {
    expect(() => pathLossModel({ name: 'log-distance', d0M: 0, pl0Db: 40, exponent: 3, sigmaDb: 0 })).toThrow(RangeError);
    expect(() => pathLossModel({ name: 'log-distance', d0M: 1, pl0Db: 40, exponent: 3, sigmaDb: -1 })).toThrow(RangeError);
    expect(() => pathLossModel({ name: 'nope' } as never)).toThrow(/unknown path-loss model/);
  });
});

describe('Okumura-Hata', () => {
  // f = 868 MHz, hb = 30 m, hm = 1.5 m, d = 5 km, computed by hand from Hata (1980).
  const at5Km = { frequencyMHz: 868, baseHeightM: 30, mobileHeightM: 1.5, distanceKm: 5 };

  test('urban, small or medium city', () => {
    expect(okumuraHataLossDb({ environment: 'urban-small', ...at5Km })).toBeCloseTo(150.61451, 4);
  });

  test('urban, large city (the f ≥ 400 MHz correction)', () => {
    expect(okumuraHataLossDb({ environment: 'urban-large', ...at5Km })).toBeCloseTo(150.62990, 4);
  });

  test('urban, large city below 200 MHz uses the low-frequency correction', () => {
    const loss = okumuraHataLossDb({ environment: 'urban-large', frequencyMHz: 150, baseHeightM: 50, mobileHeightM: 1.5, distanceKm: 10 });
    expect(loss).toBeCloseTo(136.77248, 4);
  });

  test('suburban', () => {
    expect(okumuraHataLossDb({ environment: 'suburban', ...at5Km })).toBeCloseTo(140.76619, 4);
  });

  test('open (rural)', () => {
    expect(okumuraHataLossDb({ environment: 'open', ...at5Km })).toBeCloseTo(122.26276, 4);
  });

  test('a frequency outside 150–1500 MHz is refused', () => {
    expect(() => okumuraHataLossDb({ environment: 'open', ...at5Km, frequencyMHz: 2400 })).toThrow(RangeError);
    expect(() => okumuraHata({ environment: 'suburban' }).lossDb(1000, 2.4e9, 30, 2)).toThrow(RangeError);
  });

  test('antenna heights outside their ranges are clamped (a 10 m base counts as 30 m, a 0.5 m node as 1 m)', () => {
    const clamped = okumuraHataLossDb({ environment: 'urban-small', frequencyMHz: 868, baseHeightM: 10, mobileHeightM: 0.5, distanceKm: 5 });
    expect(clamped).toBeCloseTo(151.88070, 4);
  });

  test('the model takes the higher antenna as the base, so the loss is the same both ways', () => {
    const model = okumuraHata({ environment: 'urban-small' });
    expect(model.lossDb(5000, F868, 30, 1.5)).toBe(model.lossDb(5000, F868, 1.5, 30));
    expect(model.lossDb(5000, F868, 30, 1.5)).toBeCloseTo(150.61451, 4);
  });

  test('short links are extrapolated but never lose less than free space', () => {
    const model = okumuraHata({ environment: 'urban-small' });
    expect(freeSpaceLossDb(1, F868)).toBeCloseTo(31.22039, 4);
    expect(model.lossDb(1, F868, 30, 1.5)).toBeCloseTo(31.22039, 4);
    expect(model.lossDb(10, F868, 30, 1.5)).toBeCloseTo(55.54368, 4);
  });

  test('no link with antennas up to the given height loses less than the range promises', () => {
    const model = okumuraHata({ environment: 'suburban' });
    fc.assert(
      fc.property(fc.double({ min: 100, max: 180, noNaN: true }), fc.double({ min: 1, max: 60, noNaN: true }), fc.double({ min: 1, max: 60, noNaN: true }), (loss, ha, hb) => {
        const range = model.rangeM(loss, F868, Math.max(ha, hb));
        return model.lossDb(range * 1.001, F868, ha, hb) > loss - 1e-9;
      }),
    );
  });
});

describe('log-normal shadowing', () => {
  test('is the same both ways and the same on every call', () => {
    const ab = linkShadowingDb(7, 'alpha', 'bravo', 7.8);
    expect(linkShadowingDb(7, 'bravo', 'alpha', 7.8)).toBe(ab);
    expect(linkShadowingDb(7, 'alpha', 'bravo', 7.8)).toBe(ab);
    expect(linkShadowingDb(8, 'alpha', 'bravo', 7.8)).not.toBe(ab);
  });

  test('does not depend on which links were drawn before', () => {
    const first = linkShadowingDb(1, 'a', 'b', 5);
    for (let i = 0; i < 100; i++) linkShadowingDb(1, `x${i}`, `y${i}`, 5);
    expect(linkShadowingDb(1, 'a', 'b', 5)).toBe(first);
  });

  test('is zero without σ, and otherwise normal with σ, truncated at 3σ', () => {
    expect(linkShadowingDb(1, 'a', 'b', 0)).toBe(0);
    const values = Array.from({ length: 4000 }, (_, i) => linkShadowingDb(3, `n${i}`, 'gateway', 7.8));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(Math.abs(mean)).toBeLessThan(0.4); // 3 standard errors of the mean
    expect(sd).toBeGreaterThan(7.3); // the 3σ truncation trims σ by 1.4 %
    expect(sd).toBeLessThan(8.1);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(3 * 7.8);
  });
});

describe('link budget', () => {
  test('sensitivity is the noise floor plus the SF\'s SNR floor (radio.md §2)', () => {
    expect(sensitivityDbm('noise-floor', 7, 125_000)).toBeCloseTo(-124.53090, 4);
    expect(sensitivityDbm('noise-floor', 12, 125_000)).toBeCloseTo(-137.03090, 4);
    expect(sensitivityDbm('noise-floor', 7, 250_000)).toBeCloseTo(-121.52060, 4);
    expect(sensitivityDbm('noise-floor', 12, 125_000, 3)).toBeCloseTo(-140.03090, 4);
  });

  test('the lorasim model uses LoRaSim\'s measured table, and the noise floor where the table has no entry', () => {
    expect(sensitivityDbm('lorasim', 12, 125_000)).toBe(-133.25);
    expect(sensitivityDbm('lorasim', 7, 500_000)).toBe(-120.75);
    expect(sensitivityDbm('lorasim', 6, 500_000)).toBeCloseTo(sensitivityDbm('noise-floor', 6, 500_000), 10);
  });

  test('RSSI = Ptx + Gtx + Grx − PL − shadowing, SNR = RSSI − noise floor', () => {
    const rssi = receivedPowerDbm({ txPowerDbm: 14, txGainDbi: 2, rxGainDbi: 3, pathLossDb: 135.687, shadowingDb: -1.5 });
    expect(rssi).toBeCloseTo(-115.187, 10);
    expect(snrDb(-121.687, 125_000)).toBeCloseTo(-4.65610, 4);
  });
});

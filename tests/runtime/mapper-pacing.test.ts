/**
 * A moving mapper's uplinks are paced to the channel's duty cycle, so that a fast mapper spreads its
 * budget over the whole route instead of spending it in the first minutes and falling silent.
 */
import { regionPlan, subBandOf } from '../../hal/radio/regions.js';
import { pacedSpacingMs, uplinkTrigger } from '../../src/mapper-trigger.js';
import { pocChannelOf } from '../../src/poc-channel.js';
import type { GpsFix } from '../../src/ports.js';

const fixAt = (lonE7: number): GpsFix => ({ latE7: 520_000_000, lonE7, altitudeM: 1, hdop: 1, satellites: 8, timeMs: 1_700_000_000_000 });
const rules = { minDistanceM: 70, maxIntervalMs: 300_000, minSpacingMs: 44_300 };
const last = { latE7: 520_000_000, lonE7: 50_000_000, atMs: 1_000_000 };
/** About 685 m east of `last` at 52° N. */
const farEast = fixAt(50_100_000);

describe('pacedSpacingMs', () => {
  it('is the airtime over the duty-cycle limit, rounded up, and 0 without a limit', () => {
    expect(pacedSpacingMs(4_430, 0.1)).toBe(44_300);
    expect(pacedSpacingMs(1_000.2, 0.01)).toBe(100_020);
    expect(pacedSpacingMs(400, null)).toBe(0);
    expect(pacedSpacingMs(400, 1)).toBe(0);
  });

  it("gives EU868's PoC channel an uplink every 44.3 s or so, and US915 (dwell-limited, no duty cycle) none", () => {
    const eu = pocChannelOf({ region: 'EU868', antennaGainDbi: 2, role: 'mapper' });
    const euBand = subBandOf(eu.region, eu.settings.frequencyHz, eu.settings.bandwidthHz);
    expect(euBand.dutyCycle).toBe(0.1);
    const euSpacing = pacedSpacingMs(eu.uplinkAirtimeMs, euBand.dutyCycle);
    expect(euSpacing).toBeGreaterThan(44_000);
    expect(euSpacing).toBeLessThan(45_000);
    const us = pocChannelOf({ region: 'US915', antennaGainDbi: 2, role: 'mapper' });
    expect(pacedSpacingMs(us.uplinkAirtimeMs, subBandOf(regionPlan('US915'), us.settings.frequencyHz, us.settings.bandwidthHz).dutyCycle)).toBe(0);
  });
});

describe('uplinkTrigger with a minimum spacing', () => {
  it('holds a moved uplink until the spacing has passed since the last', () => {
    expect(uplinkTrigger(farEast, last, last.atMs + 44_299, rules)).toBeUndefined();
    expect(uplinkTrigger(farEast, last, last.atMs + 44_300, rules)).toBe('moved');
  });

  it('leaves the first uplink and the interval rule alone', () => {
    expect(uplinkTrigger(farEast, undefined, 0, rules)).toBe('first');
    expect(uplinkTrigger(fixAt(50_000_000), last, last.atMs + 300_000, rules)).toBe('interval');
  });

  it('without a spacing sends as soon as the distance is covered', () => {
    const unpaced = { minDistanceM: 70, maxIntervalMs: 300_000 };
    expect(uplinkTrigger(farEast, last, last.atMs + 1, unpaced)).toBe('moved');
  });
});

/** The status line: durations, every field, and the timer that logs it. */
import { formatDuration, statusFields, StatusReporter, type Status } from '../../src/health.js';
import { formatFields } from '../../src/log.js';
import { tuneRadio } from '../../src/poc-channel.js';
import type { LoRaSettings } from '../../src/ports.js';
import { DrivenClock } from '../support/driven-clock.js';
import { memoryLog } from '../support/test-ports.js';

const WALL = Date.UTC(2026, 2, 1, 12);

function status(overrides: Partial<Status> = {}): Status {
  return {
    hotspot: 'cv…', name: 'abcd-efgh', region: 'EU868', uptimeMs: 4 * 3_600_000 + 5 * 60_000, wallMs: WALL,
    beacons: {
      sent: 3, refusedDutyCycle: 1, refusedBusy: 2, refusedNoEntropy: 0, refusedRadio: 0, missedEpochs: 0, reportFailures: 0,
      lastBeaconWallMs: WALL - 2 * 3_600_000 - 13 * 60_000, nextBeaconWallMs: WALL + 100 * 60_000,
    },
    frames: {
      heard: 14, crcErrors: 2, nonCovey: 6, unsupported: 0, malformed: 1, own: 0, duplicates: 1, noTime: 0, forged: 0, failed: 0, receipts: 4,
    },
    receipts: { queued: 7, uploaded: 6, rejected: 1, dropped: 0 },
    queueSize: 1,
    lastUploadWallMs: WALL - 58_000,
    radio: { txPackets: 3, rxPackets: 14, crcErrors: 2, recoveries: 0 },
    ...overrides,
  };
}

describe('formatDuration', () => {
  test.each([
    [0, '0s'], [45_999, '45s'], [750_000, '12m30s'], [4 * 3_600_000 + 5 * 60_000, '4h05m'], [3 * 86_400_000 + 2 * 3_600_000, '3d02h'], [-1, '-'],
  ])('%p ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('statusFields', () => {
  test('prints the documented status line', () => {
    expect(formatFields(statusFields(status()))).toBe(
      'up=4h05m clock=ok beacons=3 refused=1/2/0/0 missed=0 last_beacon=2h13m next_beacon=1h40m heard=14 covey=6 ' +
        'witnessed=4 crc=2 bad=1 dup=1 own=0 forged=0 no_time=0 queued=7 uploaded=6 rejected=1 dropped=0 queue=1 ' +
        'last_upload=58s recoveries=0',
    );
  });

  test('shows what is not known yet as a dash', () => {
    const fields = statusFields(status({ wallMs: undefined, lastUploadWallMs: undefined }));
    expect([fields.clock, fields.last_beacon, fields.next_beacon, fields.last_upload]).toEqual(['unset', '-', '-', '-']);
  });
});

describe('StatusReporter', () => {
  test('logs the line every interval until stopped', async () => {
    const clock = new DrivenClock(0, WALL);
    const log = memoryLog();
    const reporter = new StatusReporter({ clock, log, intervalMs: 60_000, status: () => status() });
    reporter.start();
    reporter.start();
    await clock.runFor(5 * 60_000);
    reporter.stop();
    await clock.runFor(5 * 60_000);
    expect(log.lines.filter((l) => l.message === 'status')).toHaveLength(5);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  test('keeps going when building the status throws', async () => {
    const clock = new DrivenClock(0, WALL);
    const log = memoryLog();
    let calls = 0;
    const reporter = new StatusReporter({
      clock, log, intervalMs: 60_000, status: () => (++calls === 1 ? (undefined as unknown as Status) : status()),
    });
    reporter.start();
    await clock.runFor(2 * 60_000);
    expect(log.lines).toHaveLength(1);
  });

  test('does nothing with an interval of 0', async () => {
    const clock = new DrivenClock(0, WALL);
    const reporter = new StatusReporter({ clock, log: memoryLog(), intervalMs: 0, status: () => status() });
    reporter.start();
    expect(clock.nextDueMs()).toBeUndefined();
  });
});

describe('tuneRadio', () => {
  const settings = { frequencyHz: 869_525_000, txPowerDbm: 27 } as LoRaSettings;

  test('settles on the highest power the driver accepts', () => {
    const tried: number[] = [];
    const radio = {
      configure(s: Partial<LoRaSettings>) {
        tried.push(s.txPowerDbm as number);
        if ((s.txPowerDbm as number) > 20) throw new RangeError('txPowerDbm: PA_BOOST gives 2–17 dBm, or exactly 20');
      },
    };
    expect(tuneRadio(radio, settings)).toBe(20);
    expect(tried).toEqual([27, 26, 25, 24, 23, 22, 21, 20]);
  });

  test('rethrows a refusal no power can cure, and any other error at once', () => {
    const wrongBand = { configure: () => { throw new RangeError('frequency outside the SX1268 range'); } };
    expect(() => tuneRadio(wrongBand, settings)).toThrow('frequency outside the SX1268 range');
    let calls = 0;
    const busy = { configure: () => { calls++; throw new Error('Busy'); } };
    expect(() => tuneRadio(busy, settings)).toThrow('Busy');
    expect(calls).toBe(1);
  });
});

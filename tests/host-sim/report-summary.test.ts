/** The summary table `covey sim` prints at the end of a run (host-sim/report/summary.ts). */
import { SUMMARY_WIDTH, summaryTable } from '../../host-sim/report/summary.js';
import type { SimReport } from '../../host-sim/report/model.js';
import { lorasimReportFixture, simReportFixture } from '../support/sim-report-fixture.js';

/** An SGR escape sequence (ECMA-48 §8.3.117): ESC [ parameters m. */
const ANSI = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

/** The value and note printed after a label. */
function row(table: string, label: string): string {
  const line = table.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) throw new Error(`no line "${label}" in\n${table}`);
  return line.slice(label.length).trim();
}

describe('summaryTable', () => {
  const report = simReportFixture({ nodes: 40 });
  const { result } = report;
  const table = summaryTable(report);

  test('no line is wider than 100 columns, even with a long scenario name', () => {
    const long = { ...report, result: { ...result, scenario: 'x'.repeat(300) } };
    for (const text of [table, summaryTable(long), summaryTable(lorasimReportFixture())]) {
      for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(SUMMARY_WIDTH);
    }
  });

  test('values are right-aligned in one column', () => {
    const lines = table.split('\n').slice(2).filter((line) => line.length > 0);
    const ends = new Set(lines.map((line) => line.slice(0, 51).trimEnd().length));
    expect(ends).toEqual(new Set([51]));
  });

  test('the key figures, with thousands separators', () => {
    expect(row(table, 'hotspots')).toBe('40');
    expect(row(table, 'simulated hours')).toBe('24');
    expect(row(table, 'beacons sent')).toBe(result.beacons.sent.toLocaleString('en-US'));
    expect(row(table, 'beacons heard')).toMatch(new RegExp(`^${result.beacons.heard.toLocaleString('en-US')} `));
    expect(row(table, 'receipts created')).toBe(result.receipts.created.toLocaleString('en-US'));
    expect(row(table, 'receipts uploaded')).toContain(`${result.receipts.queued} still queued`);
    const invalid = Object.values(result.verdicts.witnesses.invalid).reduce((a, b) => a + b, 0);
    expect(row(table, 'witnesses valid / invalid')).toMatch(new RegExp(`^${result.verdicts.witnesses.valid.toLocaleString('en-US')} / ${invalid} `));
    expect(row(table, 'wall time')).toMatch(/^1 min 35 s/);
    expect(row(table, 'CPU time')).toMatch(/^2 min 12 s/);
    expect(row(table, 'peak RSS')).toMatch(/^412 MiB/);
  });

  test('the median witnesses per beacon is the median over hotspots of receptions per beacon sent', () => {
    const perBeacon = result.perNode.map((n) => n.beaconsHeardBy / n.beaconsSent).sort((a, b) => a - b);
    const median = (perBeacon[19] + perBeacon[20]) / 2;
    expect(row(table, 'median witnesses per beacon')).toMatch(new RegExp(`^${median.toFixed(1)} `));
  });

  test('the top three invalid reasons, most frequent first', () => {
    const lines = table.split('\n');
    const first = lines.findIndex((l) => l.startsWith('top invalid reasons'));
    const counts = lines.slice(first, first + 3).map((l) => Number(l.slice(28, 51).replace(/,/g, '')));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(lines[first]).toContain('below_min_distance');
  });

  test('faults caught, and each fault with what was caught and what passed', () => {
    expect(row(table, 'faults caught')).toMatch(/^1 of 4 /);
    expect(row(table, '  forge')).toBe('53 caught  9 passed; most caught as bad_rssi');
  });

  test('the busiest sub-band against its limit, and a broken limit called out', () => {
    expect(row(table, 'busiest sub-band duty cycle')).toMatch(/^0\.\d{3} % of 10\.0 % {2}869\.4–869\.65, busiest hotspot; mean 0\.\d{3} %$/);
    const over: SimReport = {
      ...report,
      result: {
        ...result,
        airtime: {
          ...result.airtime,
          dutyCycle: [...result.airtime.dutyCycle, { subBand: '868.0–868.6', limitPercent: 1, maxPercent: 1.25, meanPercent: 0.5 }],
        },
      },
    };
    expect(row(summaryTable(over), 'busiest sub-band duty cycle')).toBe('1.250 % of 1.0 %  868.0–868.6 OVER THE LIMIT; mean 0.500 %');
  });

  test('no escape codes unless colour is asked for; with it, the same text', () => {
    expect(table).not.toMatch(ANSI);
    const coloured = summaryTable(report, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(table);
  });

  test('a LoRaSim run shows its DER instead of hotspot figures', () => {
    const lorasim = lorasimReportFixture();
    const text = summaryTable(lorasim);
    expect(row(text, 'DER')).toMatch(new RegExp(`^${lorasim.result.der?.der.toFixed(4)} `));
    expect(row(text, 'packets sent')).toBe(lorasim.result.der?.sent.toLocaleString('en-US'));
    expect(text).not.toContain('beacons sent');
  });

  test('ends with a newline', () => {
    expect(table.endsWith('\n')).toBe(true);
  });
});

/**
 * The HTML report's text (host-sim/report/html.ts), without a browser: escaping, the embedded JSON,
 * that it references nothing outside itself, and the link-count scheme of the map. The same page in
 * Chromium is tests/host-sim/report-browser.test.ts.
 */
import { renderHtml } from '../../host-sim/report/html.js';
import { jsonForScript } from '../../host-sim/report/html-escape.js';
import { LINK_ELEMENT_LIMIT, rssiBin } from '../../host-sim/report/html-map.js';
import type { SimReport } from '../../host-sim/report/model.js';
import { lorasimReportFixture, simReportFixture } from '../support/sim-report-fixture.js';

const HOSTILE = '<img src=x onerror=alert(1)>"\'&</script><!--';

/** The report with hostile text wherever a scenario file or the oracle supplies a string. */
function withHostileStrings(report: SimReport): SimReport {
  const { result } = report;
  return {
    ...report,
    result: {
      ...result,
      scenario: `harbour${HOSTILE}`,
      perNode: result.perNode.map((node, i) => (i === 0 ? { ...node, name: `n${HOSTILE}`, board: `b${HOSTILE}` } : node)),
      faults: result.faults.map((fault) => ({ ...fault, kind: `k${HOSTILE}`, description: `d${HOSTILE}`, outcome: `o${HOSTILE}`, caught: { [`r${HOSTILE}`]: 1 } })),
      verdicts: { ...result.verdicts, witnesses: { ...result.verdicts.witnesses, invalid: { [`w${HOSTILE}`]: 2 } } },
      airtime: { ...result.airtime, dutyCycle: result.airtime.dutyCycle.map((band) => ({ ...band, subBand: `s${HOSTILE}` })) },
    },
  };
}

function embedded(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded report');
  return JSON.parse(match[1]);
}

/** The page without its embedded JSON and its script, i.e. the markup the report's strings land in. */
function markup(html: string): string {
  return html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
}

function count(html: string, pattern: RegExp): number {
  return (html.match(pattern) ?? []).length;
}

describe('escaping', () => {
  const report = withHostileStrings(simReportFixture({ nodes: 20 }));
  const html = renderHtml(report);

  test('no string from the report reaches the markup unescaped', () => {
    const page = markup(html);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('onerror=alert(1)>');
    expect(page).not.toContain('"\'&<');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;&lt;/script&gt;&lt;!--');
  });

  test('the page has exactly its own two script elements, whatever the names hold', () => {
    expect(count(html, /<script/g)).toBe(2);
    expect(count(html, /<\/script>/g)).toBe(2);
    expect(count(html, /<!--/g)).toBe(0);
  });

  test('the embedded JSON parses back to the report, hostile strings included', () => {
    expect(embedded(html)).toEqual(report);
  });

  test('jsonForScript writes <, >, &, U+2028 and U+2029 as JSON escapes that parse back', () => {
    const value = { text: '</script><!--&\u2028\u2029' };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('self-contained', () => {
  const pages = [renderHtml(simReportFixture({ nodes: 40 })), renderHtml(lorasimReportFixture())];

  test.each([0, 1])('page %i references no http:// or https:// address', (i) => {
    expect(pages[i]).not.toMatch(/https?:\/\//i);
  });

  test.each([0, 1])('page %i loads no external script, stylesheet, image or font', (i) => {
    expect(pages[i]).not.toMatch(/<(script|img|iframe)[^>]*\ssrc=/i);
    expect(pages[i]).not.toMatch(/<link(?![^>]*href="data:)[^>]*>/i);
    expect(pages[i]).not.toMatch(/@import|url\(/i);
  });

  test('its Content-Security-Policy allows nothing to be fetched', () => {
    expect(pages[0]).toContain("default-src 'none'");
  });

  test('the same report gives the same page', () => {
    expect(renderHtml(simReportFixture({ nodes: 40 }))).toBe(pages[0]);
  });
});

describe('the map', () => {
  test('one circle with class hotspot and data-index per hotspot; faulty ones marked', () => {
    const report = simReportFixture({ nodes: 40 });
    const html = renderHtml(report);
    expect(count(html, /<circle class="hotspot[^"]*" data-index="\d+"/g)).toBe(40);
    const faulty = new Set([...report.result.faults.flatMap((f) => f.nodes), ...report.result.perNode.filter((n) => n.faults.length).map((n) => n.index)]);
    expect(count(html, /class="hotspot faulty"/g)).toBe(faulty.size);
  });

  test(`up to ${LINK_ELEMENT_LIMIT} links: one <line class="link"> each, and data-links-drawn says how many`, () => {
    const report = simReportFixture({ nodes: 60, links: LINK_ELEMENT_LIMIT });
    const html = renderHtml(report);
    expect(count(html, /<line class="link"/g)).toBe(LINK_ELEMENT_LIMIT);
    expect(count(html, /<path class="link"/g)).toBe(0);
    expect(html).toContain(`data-links-drawn="${LINK_ELEMENT_LIMIT}" data-link-mode="lines"`);
  });

  test('above the limit: one path per colour bin, one M…L subpath per link', () => {
    const report = simReportFixture({ nodes: 200, links: LINK_ELEMENT_LIMIT + 1 });
    const html = renderHtml(report);
    const paths = [...html.matchAll(/<path class="link" data-bin="(\d)" data-segments="(\d+)" stroke="[^"]+" d="([^"]*)"/g)];
    const bins = new Set(report.result.links.map((link) => rssiBin(link.meanRssiDbm)));
    expect(paths).toHaveLength(bins.size);
    for (const [, bin, segments, d] of paths) {
      const expected = report.result.links.filter((link) => rssiBin(link.meanRssiDbm) === Number(bin)).length;
      expect(Number(segments)).toBe(expected);
      expect(count(d, /M/g)).toBe(expected);
      expect(count(d, /L/g)).toBe(expected);
    }
    expect(count(html, /<line class="link"/g)).toBe(0);
    expect(html).toContain(`data-links-drawn="${LINK_ELEMENT_LIMIT + 1}" data-link-mode="paths"`);
  });

  test('a link to a hotspot the report does not hold is refused, not dropped', () => {
    const report = simReportFixture({ nodes: 5 });
    const links = [...report.result.links, { ...report.result.links[0], to: 99 }];
    expect(() => renderHtml({ ...report, result: { ...report.result, links } })).toThrow(/no hotspot 99/);
  });

  test('one hotspot alone still gets a map with a scale bar', () => {
    const report = simReportFixture({ nodes: 1 });
    const html = renderHtml(report);
    expect(count(html, /<circle class="hotspot/g)).toBe(1);
    expect(html).toMatch(/class="scale-bar"[\s\S]*?<text[^>]*>\d+ (m|km)<\/text>/);
  });
});

describe('sections', () => {
  test('a LoRaSim report (0 hotspots) shows the DER and no map or table', () => {
    const report = lorasimReportFixture();
    const html = renderHtml(report);
    expect(html).toContain('id="der"');
    expect(html).toContain(`<strong>${report.result.der?.der.toFixed(4)}</strong>`);
    expect(html).not.toContain('id="map"');
    expect(html).not.toContain('id="node-table"');
  });

  test('a hotspot report has the cards, verdicts, duty cycle, faults with outcomes, charts, table and run footer', () => {
    const report = simReportFixture({ nodes: 40 });
    const html = renderHtml(report);
    for (const id of ['summary', 'map', 'verdicts', 'duty-cycle', 'air', 'faults', 'receipts-per-hour', 'beacons-per-hour', 'rssi-histogram', 'snr-histogram', 'node-table', 'run']) {
      expect(html).toContain(`id="${id}"`);
    }
    for (const fault of report.result.faults) expect(html).toContain(fault.outcome.replace(/'/g, '&#39;'));
    expect(html).toContain(`covey ${report.run.version}`);
    expect(html).toContain('peak RSS 412 MiB');
    expect(html).toContain('2 min 12 s CPU time');
  });

  test('one bar per simulated hour and per histogram bin', () => {
    const report = simReportFixture({ nodes: 40, hours: 30 });
    const html = renderHtml(report);
    const bars = (id: string): number => count(html.split(`id="${id}"`)[1].split('</figure>')[0], /<rect class="bar"/g);
    expect(bars('receipts-per-hour')).toBe(30);
    expect(bars('beacons-per-hour')).toBe(30);
    expect(bars('rssi-histogram')).toBe(report.result.rssiHistogram.counts.length);
    expect(bars('snr-histogram')).toBe(report.result.snrHistogram.counts.length);
  });

  test('a sub-band over its limit is flagged', () => {
    const report = simReportFixture({ nodes: 10 });
    const dutyCycle = [{ subBand: '868.0–868.6', limitPercent: 1, maxPercent: 1.2, meanPercent: 0.4 }];
    const html = renderHtml({ ...report, result: { ...report.result, airtime: { ...report.result.airtime, dutyCycle } } });
    expect(html).toMatch(/<tr class="over"><th scope="row">868\.0–868\.6<\/th>[\s\S]*?over the limit/);
  });
});

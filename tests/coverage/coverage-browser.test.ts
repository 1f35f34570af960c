/**
 * The coverage page (tools/coverage/html.ts) opened from a file in a real browser: Debian's Chromium,
 * driven by playwright-core, headless. Found at $CHROMIUM_PATH, /usr/bin/chromium or
 * /usr/bin/chromium-browser; where there is none the tests are skipped and say so (`apt-get install
 * chromium`, which .ci/run does as root), never passed.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { aggregateCoverage } from '../../tools/coverage/aggregate.js';
import { coverageGeoJson, type HexFeature } from '../../tools/coverage/geojson.js';
import { renderCoverageHtml, type CoverageHtmlOptions } from '../../tools/coverage/html.js';
import type { CoverageAggregate } from '../../tools/coverage/model.js';
import { renderCoveragePng } from '../../tools/coverage/png.js';
import { browserTestFor, findChromium, INSTALL_CHROMIUM, useBrowser } from '../support/chromium.js';
import { T0, walk } from './fixture.js';

/** The page-side globals the callbacks below use: the host tsconfig has no DOM library. */
declare const document: { elementFromPoint(x: number, y: number): unknown };
declare const window: {
  coverageMap: { hexCount: number; hexesDrawn(): number; select(h3: string): boolean; setDays(from: string, to: string): number };
};

const TIMEOUT_MS = 30_000;
const DAY_MS = 86_400_000;

const chromiumPath = findChromium();
const browserTest = browserTestFor("the coverage page's browser tests", chromiumPath);

interface Opened {
  readonly page: Page;
  /** Console errors, uncaught exceptions, and any request for something other than the page itself. */
  readonly problems: string[];
}

/** Two walks: the first day along the street, the next day 1 km north of it. */
function twoDayWalk(): CoverageAggregate {
  const secondDay = walk(20, T0 + DAY_MS).map((u) => ({ ...u, digest: `ff${u.digest.slice(2)}`, latE7: u.latE7 + 90_000 }));
  return aggregateCoverage([...walk(50), ...secondDay]);
}

describe(chromiumPath === null ? `the coverage page in Chromium: SKIPPED, no Chromium (${INSTALL_CHROMIUM})` : `the coverage page in ${chromiumPath}`, () => {
  const session = useBrowser(chromiumPath, 'covey-coverage-', TIMEOUT_MS);
  const aggregate = twoDayWalk();
  const hexes = coverageGeoJson(aggregate.cells).features.filter((f): f is HexFeature => f.properties.kind === 'hex');

  /** Opens the page for `data`; `tileServer` answers the page's requests to a tile server before it loads. */
  async function open(data: CoverageAggregate, options: CoverageHtmlOptions = {}, tileServer?: { prefix: string; tile: Uint8Array }): Promise<Opened> {
    const file = session.file('coverage.html');
    writeFileSync(file, renderCoverageHtml(data, options));
    const url = pathToFileURL(file).href;
    const page = session.track(await session.browser().newPage({ viewport: { width: 1280, height: 800 } }));
    if (tileServer) await page.route(`${tileServer.prefix}**`, (route) => route.fulfill({ contentType: 'image/png', body: Buffer.from(tileServer.tile) }));
    const allowed = (requested: string) => tileServer !== undefined && requested.startsWith(tileServer.prefix);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== url && !allowed(request.url())) problems.push(`request: ${request.url()}`);
    });
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    return { page, problems };
  }

  /** The H3 index of a hex in `state` that nothing covers at its centre, so a real click lands on it. */
  function clickableHex(page: Page, state: 'heard' | 'unheard'): Promise<{ h3: string; x: number; y: number } | null> {
    return page.$$eval(`path.coverage-hex[data-state="${state}"]`, (paths) => {
      for (const path of paths) {
        const box = path.getBoundingClientRect();
        const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
        if (document.elementFromPoint(x, y) === path) return { h3: path.getAttribute('data-h3') as string, x, y };
      }
      return null;
    });
  }

  browserTest('no console or page errors, and nothing fetched', async () => {
    const { problems } = await open(aggregate);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest("one path drawn per hex feature of the GeoJSON, and one marker per hotspot", async () => {
    const { page, problems } = await open(aggregate);
    expect(hexes.length).toBe(aggregate.cells.length);
    expect(await page.locator('#map path.coverage-hex').count()).toBe(hexes.length);
    expect(await page.evaluate(() => window.coverageMap.hexesDrawn())).toBe(hexes.length);
    expect(await page.locator('#map').getAttribute('data-hexes-drawn')).toBe(String(hexes.length));
    expect(await page.locator('#map path.coverage-hex[data-state="unheard"]').count()).toBe(aggregate.cells.filter((c) => c.state === 'unheard').length);
    expect(await page.locator('#map path.coverage-hotspot').count()).toBe(aggregate.hotspots.length);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest("clicking a heard hex shows its H3 id, signal and every hotspot, with a line to each", async () => {
    const { page, problems } = await open(aggregate);
    const target = await clickableHex(page, 'heard');
    expect(target).not.toBeNull();
    const { h3, x, y } = target as { h3: string; x: number; y: number };
    await page.mouse.click(x, y);
    const cell = aggregate.cells.find((c) => c.h3 === h3);
    expect(cell?.hotspots.length).toBeGreaterThan(0);
    const details = page.locator('#details');
    await expect(details.locator('.details-h3').textContent()).resolves.toBe(h3);
    await expect(details.locator('.details-rssi').textContent()).resolves.toBe(`${cell?.bestRssiDbm?.toFixed(1)} dBm`);
    await expect(details.locator('.details-hotspot-count').textContent()).resolves.toBe(String(cell?.hotspots.length));
    const rows = details.locator('.details-hotspots tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-address')))).toEqual(cell?.hotspots.map((h) => h.address));
    expect(await page.locator('#map path.coverage-link').count()).toBe(cell?.hotspots.length);
    expect(await page.locator('#map').getAttribute('data-selected')).toBe(h3);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('clicking an unheard hex says it was walked but not heard, with no hotspots', async () => {
    const { page, problems } = await open(aggregate);
    const target = await clickableHex(page, 'unheard');
    expect(target).not.toBeNull();
    const { h3, x, y } = target as { h3: string; x: number; y: number };
    await page.mouse.click(x, y);
    await expect(page.locator('#details .details-h3').textContent()).resolves.toBe(h3);
    await expect(page.locator('#details .details-state').textContent()).resolves.toBe('walked, not heard');
    expect(await page.locator('#details .details-hotspots').count()).toBe(0);
    expect(await page.locator('#map path.coverage-link').count()).toBe(0);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('the date filter shows only the hexes walked on the chosen days', async () => {
    const { page, problems } = await open(aggregate);
    const onDay = (day: number) => hexes.filter((h) => Date.parse(h.properties.firstWalked) < T0 - 8 * 3_600_000 + (day + 1) * DAY_MS
      && Date.parse(h.properties.lastWalked) >= T0 - 8 * 3_600_000 + day * DAY_MS).length;
    expect(onDay(0)).toBeLessThan(hexes.length);
    expect(onDay(1)).toBeLessThan(hexes.length);
    await page.fill('#from', '2026-03-02');
    expect(await page.locator('#map path.coverage-hex').count()).toBe(onDay(1));
    await page.fill('#from', '2026-03-01');
    await page.fill('#to', '2026-03-01');
    expect(await page.locator('#map path.coverage-hex').count()).toBe(onDay(0));
    await expect(page.locator('#shown-count').textContent()).resolves.toBe(`${onDay(0)} of ${hexes.length} hexes shown`);
    await page.click('button[type="reset"]');
    await page.waitForFunction((n) => window.coverageMap.hexesDrawn() === n, hexes.length);
    expect(await page.locator('#map path.coverage-hex').count()).toBe(hexes.length);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('a hex hidden by the filter cannot be selected', async () => {
    const { page } = await open(aggregate);
    const firstDayOnly = hexes.find((h) => Date.parse(h.properties.lastWalked) < T0 + DAY_MS - 8 * 3_600_000) as HexFeature;
    expect(await page.evaluate((h3) => window.coverageMap.select(h3), firstDayOnly.properties.h3)).toBe(true);
    expect(await page.evaluate(() => window.coverageMap.setDays('2026-03-02', ''))).toBeLessThan(hexes.length);
    expect(await page.locator('#map').getAttribute('data-selected')).toBeNull();
    expect(await page.evaluate((h3) => window.coverageMap.select(h3), firstDayOnly.properties.h3)).toBe(false);
  }, TIMEOUT_MS);

  browserTest('no data: the page says so, draws nothing, and has no errors', async () => {
    const { page, problems } = await open(aggregateCoverage([]));
    await expect(page.locator('#no-data').textContent()).resolves.toBe('No coverage data.');
    expect(await page.locator('#map path.coverage-hex').count()).toBe(0);
    expect(await page.evaluate(() => window.coverageMap.hexesDrawn())).toBe(0);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('with --tiles the page asks that server for tiles and shows the attribution as text', async () => {
    const tileServer = { prefix: 'https://tiles.example.test/', tile: renderCoveragePng([], { width: 256 }) };
    const attribution = '© <b>example</b> & co';
    const { page, problems } = await open(aggregate, { tiles: { url: `${tileServer.prefix}{z}/{x}/{y}.png`, attribution } }, tileServer);
    await expect(page.locator('.leaflet-control-attribution').textContent()).resolves.toContain(attribution);
    await page.waitForFunction(() => window.coverageMap.hexCount > 0);
    expect(await page.locator('.leaflet-tile').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);
});

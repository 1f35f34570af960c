/**
 * The HTML report (host-sim/report/html.ts) opened from a file in a real browser: Debian's Chromium,
 * driven by playwright-core, headless. Found at $CHROMIUM_PATH, /usr/bin/chromium or
 * /usr/bin/chromium-browser; where there is none the tests are skipped and say so (`apt-get install
 * chromium`, which .ci/run does as root), never passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { renderHtml } from '../../host-sim/report/html.js';
import type { NodeResult, SimReport } from '../../host-sim/report/model.js';
import { loadScenario } from '../../host-sim/scenario/index.js';
import { runSimulation } from '../../host-sim/sim/run.js';
import { browserTestFor, findChromium, INSTALL_CHROMIUM, useBrowser } from '../support/chromium.js';
import { lorasimReportFixture, simReportFixture } from '../support/sim-report-fixture.js';

/** The one DOM global the page-side callbacks below use: the host tsconfig has no DOM library. */
declare const document: { elementFromPoint(x: number, y: number): unknown };

const TIMEOUT_MS = 30_000;

const chromiumPath = findChromium();
const browserTest = browserTestFor("the HTML report's browser tests", chromiumPath);

interface Opened {
  readonly page: Page;
  /** Console errors, uncaught exceptions, and any request for something other than the page itself. */
  readonly problems: string[];
}

describe(chromiumPath === null ? `the HTML report in Chromium: SKIPPED, no Chromium (${INSTALL_CHROMIUM})` : `the HTML report in ${chromiumPath}`, () => {
  const session = useBrowser(chromiumPath, 'covey-report-', TIMEOUT_MS);

  async function open(report: SimReport): Promise<Opened> {
    const file = session.file('report.html');
    writeFileSync(file, renderHtml(report));
    const url = pathToFileURL(file).href;
    const page = session.track(await session.browser().newPage());
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => {
      if (request.url() !== url) problems.push(`request: ${request.url()}`);
    });
    await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
    return { page, problems };
  }

  /** Links drawn, counted three ways: the map's attribute, `data-segments`, and the geometry itself. */
  function drawnLinks(page: Page): Promise<{ attribute: number; segments: number; geometry: number }> {
    return page.$eval('#map', (map) => {
      const links = [...map.querySelectorAll('.link')];
      const moves = (d: string | null): number => (d ?? '').split('M').length - 1;
      return {
        attribute: Number(map.getAttribute('data-links-drawn')),
        segments: links.reduce((n, link) => n + Number(link.getAttribute('data-segments') ?? (link.tagName === 'line' ? 1 : 0)), 0),
        geometry: links.reduce((n, link) => n + (link.tagName === 'line' ? 1 : moves(link.getAttribute('d'))), 0),
      };
    });
  }

  /** A hotspot that nothing covers at its centre, so a real click lands on it. */
  function clickableHotspot(page: Page): Promise<number> {
    return page.$$eval('.hotspot', (circles) => {
      for (const circle of circles) {
        circle.scrollIntoView({ block: 'center' });
        const box = circle.getBoundingClientRect();
        if (document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === circle) return Number(circle.getAttribute('data-index'));
      }
      return -1;
    });
  }

  function tableIndices(page: Page): Promise<number[]> {
    return page.$$eval('#node-table tbody tr', (rows) => rows.map((row) => Number(row.getAttribute('data-index'))));
  }

  browserTest('a real run\'s report (the grid for an hour): no errors, every hotspot and every link drawn', async () => {
    const simDir = mkdtempSync(join(tmpdir(), 'covey-report-sim-'));
    try {
      const real = await runSimulation(loadScenario('grid', { hours: 1 }), { outDir: simDir });
      expect(real.result.links.length).toBeGreaterThan(0);
      const { page, problems } = await open(real);
      expect(problems).toEqual([]);
      expect(await page.locator('.hotspot').count()).toBe(real.result.perNode.length);
      const n = real.result.links.length;
      expect(await drawnLinks(page)).toEqual({ attribute: n, segments: n, geometry: n });
    } finally {
      rmSync(simDir, { recursive: true, force: true });
    }
  }, 60_000);

  const report = simReportFixture({ nodes: 40 });
  const nodeAt = (index: number): NodeResult => report.result.perNode.find((node) => node.index === index) as NodeResult;

  browserTest('40 hotspots: no console or page errors, and nothing fetched', async () => {
    const { problems } = await open(report);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('one .hotspot element per hotspot', async () => {
    const { page } = await open(report);
    expect(await page.locator('.hotspot').count()).toBe(report.result.perNode.length);
  }, TIMEOUT_MS);

  browserTest('as many links drawn as the report holds, one element each', async () => {
    const { page } = await open(report);
    const n = report.result.links.length;
    expect(await drawnLinks(page)).toEqual({ attribute: n, segments: n, geometry: n });
  }, TIMEOUT_MS);

  browserTest('hovering a hotspot shows its details; clicking keeps them when the pointer leaves', async () => {
    const { page, problems } = await open(report);
    const index = await clickableHotspot(page);
    expect(index).toBeGreaterThanOrEqual(0);
    const node = nodeAt(index);
    const hotspot = page.locator(`.hotspot[data-index="${index}"]`);
    await hotspot.hover();
    const details = page.locator('#hotspot-details');
    await expect(details.locator('.details-name').textContent()).resolves.toBe(node.name);
    await hotspot.click();
    await page.locator('footer').hover();
    const text = await details.textContent();
    for (const shown of [node.name, node.address, node.board, `${node.beaconsSent}`, `${node.receiptsCreated} created`]) expect(text).toContain(shown);
    await expect(hotspot.getAttribute('class')).resolves.toContain('selected');
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('clicking a column header sorts the table by it, and again reverses', async () => {
    const { page, problems } = await open(report);
    const byWitnessed = [...report.result.perNode].sort((a, b) => a.witnessed - b.witnessed || a.index - b.index).map((n) => n.index);
    const header = page.locator('#node-table th[data-key="witnessed"]');
    await header.click();
    expect(await tableIndices(page)).toEqual(byWitnessed);
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
    await header.click();
    expect(await tableIndices(page)).toEqual([...byWitnessed].reverse());
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('a LoRaSim report (no hotspots) shows its DER and no map, without errors', async () => {
    const lorasim = lorasimReportFixture();
    const { page, problems } = await open(lorasim);
    await expect(page.locator('#der strong').textContent()).resolves.toBe(lorasim.result.der?.der.toFixed(4));
    expect(await page.locator('#map').count()).toBe(0);
    expect(await page.locator('.hotspot').count()).toBe(0);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);

  browserTest('10,000 hotspots and 100,000 links: every one drawn, links as one path per colour bin', async () => {
    const big = simReportFixture({ nodes: 10_000, links: 100_000 });
    const { page, problems } = await open(big);
    expect(await page.locator('.hotspot').count()).toBe(10_000);
    expect(await page.locator('#map line.link').count()).toBe(0);
    expect(await page.locator('#map path.link').count()).toBeLessThanOrEqual(6);
    expect(await drawnLinks(page)).toEqual({ attribute: 100_000, segments: 100_000, geometry: 100_000 });
    expect(await page.locator('#node-table tbody tr').count()).toBe(500);
    expect(problems).toEqual([]);
  }, TIMEOUT_MS);
});

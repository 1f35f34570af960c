/**
 * `covey sim --html`: one self-contained page for a SimReport. Styles and the script are inline and the
 * report is embedded as JSON (`<script type="application/json" id="report-data">`), so the file can be
 * mailed or archived and opened anywhere; it loads nothing, and its Content-Security-Policy forbids it to.
 *
 * The page, top to bottom: summary cards; the map of hotspots and witness links; oracle verdicts, duty
 * cycle per sub-band and the air's counts; the faults; charts per hour and of signal; the per-hotspot
 * table; the run itself in the footer. A LoRaSim run's page is its DER and the air's counts instead. docs/simulator.md "Reading the report"
 * says what each shows.
 */
import { airTable, derSection, dutyCycleTable, faultsTable, summaryCards, verdictsTable } from './html-cards.js';
import { chartsSection } from './html-charts.js';
import { escapeHtml, jsonForScript } from './html-escape.js';
import { mapSection } from './html-map.js';
import { nodesSection } from './html-nodes.js';
import { formatCount, formatDuration, formatFixed } from './format.js';
import type { RunInfo, SimReport, SimResult } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/** Nothing may be fetched: inline styles and scripts only, images only as data: URLs (the favicon). */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The report as one HTML page. Throws a RangeError if a link names a hotspot the report does not hold. */
export function renderHtml(report: SimReport): string {
  const { result, run } = report;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>covey sim: ${escapeHtml(result.scenario)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    header(result),
    `<main>${main(result)}</main>`,
    footer(run),
    `<script type="application/json" id="report-data">${jsonForScript(report)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function header(result: SimResult): string {
  const hours = formatFixed(result.simulatedHours, Number.isInteger(result.simulatedHours) ? 0 : 2);
  const facts = [`seed ${result.seed}`, result.region, `${hours} h from ${result.startTime}`];
  return `<header><h1>covey sim: ${escapeHtml(result.scenario)}</h1><p class="muted">${facts.map(escapeHtml).join(' · ')}</p></header>`;
}

/**
 * A LoRaSim run has no hotspots, no oracle and no faults: its page is the DER and the air's counts.
 * Any other run gets every section, the map replaced by a note when it had no hotspots.
 */
function main(result: SimResult): string {
  if (result.der && result.perNode.length === 0) {
    return derSection(result.der) + `<div class="columns">${airTable(result)}</div>`;
  }
  const map = result.perNode.length > 0
    ? mapSection(result)
    : '<section id="map-section"><h2>Hotspots and witness links</h2><p class="muted">This run had no hotspots.</p></section>';
  return [
    summaryCards(result),
    result.der ? derSection(result.der) : '',
    map,
    `<div class="columns">${verdictsTable(result)}${dutyCycleTable(result)}</div>`,
    `<div class="columns">${airTable(result)}</div>`,
    faultsTable(result),
    chartsSection(result),
    nodesSection(result.perNode),
  ].join('\n');
}

function footer(run: RunInfo): string {
  const facts: [string, string][] = [
    ['version', `covey ${run.version}`],
    ['node', `Node ${run.node}`],
    ['wall', `${formatDuration(run.wallSeconds)} wall time`],
    ['cpu', `${formatDuration(run.cpuSeconds)} CPU time`],
    ['memory', `peak RSS ${formatFixed(run.peakRssMb, 0)} MiB`],
    ['events', `${formatCount(run.events)} events`],
    ['ingest', `ingest ${run.ingest}`],
    ['finished', `finished ${run.finishedAt}`],
  ];
  const spans = facts.map(([key, text]) => `<span data-run="${key}">${escapeHtml(text)}</span>`);
  return `<footer id="run">${spans.join(' · ')}</footer>`;
}

/**
 * The page's charts, as inline SVG bar charts: receipts and beacons per simulated hour, and the RSSI
 * and SNR histograms of every reception a hotspot made of a beacon.
 */
import { escapeHtml } from './html-escape.js';
import { formatCount, formatFixed } from './format.js';
import type { Histogram, SimResult } from './model.js';

interface BarChart {
  readonly id: string;
  readonly title: string;
  readonly values: readonly number[];
  /** The label of the edge before bar `i` (and after the last, at `i = values.length`). */
  edge(i: number): string;
  /** A bar's tooltip. */
  tooltip(i: number): string;
  readonly xTitle: string;
}

const [WIDTH, HEIGHT] = [480, 230];
const MARGIN = { left: 52, right: 14, top: 14, bottom: 44 } as const;
const MAX_TICKS = 8;

/** The charts section. */
export function chartsSection(result: SimResult): string {
  const hours = (values: readonly number[], what: string, id: string, title: string): BarChart => ({
    id,
    title,
    values,
    edge: (i) => String(i),
    tooltip: (i) => `hour ${i}–${i + 1}: ${formatCount(values[i])} ${what}`,
    xTitle: 'hours from the start',
  });
  const charts = [
    hours(result.hourly.receipts, 'receipts', 'receipts-per-hour', 'Receipts created per simulated hour'),
    hours(result.hourly.beacons, 'beacons', 'beacons-per-hour', 'Beacons sent per simulated hour'),
    histogram(result.rssiHistogram, 'dBm', 'rssi-histogram', 'RSSI of beacon receptions'),
    histogram(result.snrHistogram, 'dB', 'snr-histogram', 'SNR of beacon receptions'),
  ];
  return `<section id="charts"><h2>Over time, and signal</h2><div class="charts">${charts.map(barChart).join('')}</div></section>`;
}

function histogram(h: Histogram, unit: string, id: string, title: string): BarChart {
  const edge = (i: number): string => formatFixed(h.from + i * h.binWidth, Number.isInteger(h.binWidth) && Number.isInteger(h.from) ? 0 : 1);
  return {
    id,
    title,
    values: h.counts,
    edge,
    tooltip: (i) => `${edge(i)} to ${edge(i + 1)} ${unit}: ${formatCount(h.counts[i])} receptions`,
    xTitle: unit,
  };
}

/** One chart as a figure holding an SVG; a chart with no bars says so instead. */
function barChart(chart: BarChart): string {
  const caption = `<figcaption>${escapeHtml(chart.title)}</figcaption>`;
  const n = chart.values.length;
  if (n === 0) return `<figure class="chart" id="${chart.id}">${caption}<p class="muted">No data.</p></figure>`;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceCeiling(Math.max(...chart.values.filter(Number.isFinite), 0));
  const barW = plotW / n;
  const gap = barW > 4 ? barW * 0.15 : 0;
  const bars = chart.values.map((value, i) => {
    const h = Number.isFinite(value) ? (Math.max(value, 0) / top) * plotH : 0;
    return `<rect class="bar" x="${round(MARGIN.left + i * barW + gap / 2)}" y="${round(MARGIN.top + plotH - h)}"`
      + ` width="${round(barW - gap)}" height="${round(h)}"><title>${escapeHtml(chart.tooltip(i))}</title></rect>`;
  });
  const step = Math.ceil(n / MAX_TICKS);
  const xTicks: string[] = [];
  for (let i = 0; i <= n; i += step) {
    const x = round(MARGIN.left + i * barW);
    xTicks.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}"></line>`
      + `<text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escapeHtml(chart.edge(i))}</text>`);
  }
  const yTicks = (Number.isInteger(top / 2) ? [0, top / 2, top] : [0, top]).map((value) => {
    const y = round(MARGIN.top + plotH - (value / top) * plotH);
    return `<line x1="${MARGIN.left - 4}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}" class="grid"></line>`
      + `<text x="${MARGIN.left - 7}" y="${y + 4}" text-anchor="end">${formatCount(value)}</text>`;
  });
  return `<figure class="chart" id="${chart.id}">${caption}`
    + `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(chart.title)}">`
    + `<g class="axis">${yTicks.join('')}</g><g class="bars">${bars.join('')}</g><g class="axis">${xTicks.join('')}</g>`
    + `<text class="axis-title" x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(chart.xTitle)}</text>`
    + '</svg></figure>';
}

/** The smallest 1, 2 or 5 × 10ⁿ (n ≥ 0) at or above `value`, so the axis reads in round numbers; 1 for 0. */
function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const decade = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * decade).find((nice) => nice >= value) as number;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The map: hotspots as circles at their true positions, each witness link as a straight segment from
 * beaconer to witness coloured by its mean RSSI, a scale bar and a north arrow, all inline SVG.
 *
 * How many links are drawn stays checkable at any size. Every link is exactly one segment: up to
 * LINK_ELEMENT_LIMIT links, one `<line class="link">` each (with a tooltip); above it, one
 * `<path class="link">` per colour bin whose `d` holds one `M x y L x y` subpath per link, never joined to
 * the next, so the number of `M` commands is the number of links in the bin (also in its
 * `data-segments`). The map's `data-links-drawn` is the total drawn, which is `result.links.length`:
 * a link to a hotspot the report does not hold is an error, never left out.
 */
import { escapeHtml } from './html-escape.js';
import { formatCount, formatFixed } from './format.js';
import { fitFrame, scaleBar, type MapFrame } from './map-frame.js';
import type { LinkResult, NodeResult, SimResult } from './model.js';

/** Above this many links, links are drawn as one path per colour bin rather than one element each. */
export const LINK_ELEMENT_LIMIT = 2000;

/** Upper edges of the mean-RSSI colour bins, dBm (the last bin has none). */
export const RSSI_EDGES_DBM: readonly number[] = [-130, -120, -110, -100, -90];
/** One colour per bin, weakest first (viridis, readable with colour-blindness). */
export const RSSI_COLOURS: readonly string[] = ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'];

/** The colour bin of a mean RSSI. */
export function rssiBin(rssiDbm: number): number {
  let bin = 0;
  while (bin < RSSI_EDGES_DBM.length && rssiDbm >= RSSI_EDGES_DBM[bin]) bin++;
  return bin;
}

/** The RSSI range of a bin, for the legend: "< −130", "−130 to −120", …, "≥ −90" (dBm). */
export function rssiBinLabel(bin: number): string {
  const dbm = (value: number): string => formatCount(value);
  if (bin === 0) return `< ${dbm(RSSI_EDGES_DBM[0])} dBm`;
  if (bin === RSSI_EDGES_DBM.length) return `≥ ${dbm(RSSI_EDGES_DBM[bin - 1])} dBm`;
  return `${dbm(RSSI_EDGES_DBM[bin - 1])} to ${dbm(RSSI_EDGES_DBM[bin])} dBm`;
}

/** The map section of the page; `result.perNode` must not be empty. */
export function mapSection(result: SimResult): string {
  const frame = fitFrame(result.perNode);
  const nodes = nodesByIndex(result.perNode);
  const faulty = faultyNodes(result);
  const bins = binLinks(result.links, nodes);
  const drawn = bins.reduce((n, bin) => n + bin.length, 0);
  const useElements = drawn <= LINK_ELEMENT_LIMIT;
  const links = bins.map((bin, i) => (useElements ? linkLines(bin, i, frame, nodes) : linkPath(bin, i, frame, nodes))).join('');
  const radius = result.perNode.length <= 200 ? 5 : result.perNode.length <= 2000 ? 3 : 1.8;
  const hotspots = result.perNode
    .map((node) => {
      const [x, y] = frame.project(node.lat, node.lon);
      const cls = faulty.has(node.index) ? 'hotspot faulty' : 'hotspot';
      return `<circle class="${cls}" data-index="${node.index}" cx="${px(x)}" cy="${px(y)}" r="${radius}"></circle>`;
    })
    .join('');
  const label = `Map of ${formatCount(result.perNode.length)} hotspots and ${formatCount(result.links.length)} witness links`;
  return [
    '<section id="map-section"><h2>Hotspots and witness links</h2><div class="map-wrap">',
    `<svg id="map" class="map" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${label}"`,
    ` data-links-drawn="${drawn}" data-link-mode="${useElements ? 'lines' : 'paths'}">`,
    `<rect class="map-bg" width="${frame.width}" height="${frame.height}"></rect>`,
    `<g class="links">${links}</g><g class="hotspots">${hotspots}</g>`,
    scaleBarSvg(frame),
    northArrowSvg(frame),
    '</svg>',
    '<aside id="hotspot-details" class="details" aria-live="polite">',
    '<p class="hint">Hover over a hotspot for its details; click it (or a row of the table) to keep them.</p></aside>',
    '</div>',
    legend(bins),
    '</section>',
  ].join('');
}

function nodesByIndex(perNode: readonly NodeResult[]): ReadonlyMap<number, NodeResult> {
  return new Map(perNode.map((node) => [node.index, node]));
}

/** Nodes that a fault names, or that name a fault. */
function faultyNodes(result: SimResult): ReadonlySet<number> {
  const faulty = new Set(result.faults.flatMap((fault) => fault.nodes));
  for (const node of result.perNode) if (node.faults.length > 0) faulty.add(node.index);
  return faulty;
}

/** Links by colour bin, each bin in report order; a link to a node the report does not hold is an error. */
function binLinks(links: readonly LinkResult[], nodes: ReadonlyMap<number, NodeResult>): LinkResult[][] {
  const bins: LinkResult[][] = RSSI_COLOURS.map(() => []);
  links.forEach((link, i) => {
    if (!nodes.has(link.from) || !nodes.has(link.to)) {
      throw new RangeError(`links[${i}] joins hotspots ${link.from} and ${link.to}, but the report has no hotspot ${nodes.has(link.from) ? link.to : link.from}`);
    }
    bins[rssiBin(link.meanRssiDbm)].push(link);
  });
  return bins;
}

function endpoints(link: LinkResult, frame: MapFrame, nodes: ReadonlyMap<number, NodeResult>): string[] {
  const from = nodes.get(link.from) as NodeResult;
  const to = nodes.get(link.to) as NodeResult;
  return [...frame.project(from.lat, from.lon), ...frame.project(to.lat, to.lon)].map(px);
}

function linkLines(links: readonly LinkResult[], bin: number, frame: MapFrame, nodes: ReadonlyMap<number, NodeResult>): string {
  return links
    .map((link) => {
      const [x1, y1, x2, y2] = endpoints(link, frame, nodes);
      const title = `${nodeName(nodes, link.from)} → ${nodeName(nodes, link.to)}: ${formatCount(link.receptions)} receptions, `
        + `mean ${formatFixed(link.meanRssiDbm, 1)} dBm (best ${formatFixed(link.bestRssiDbm, 1)}), SNR ${formatFixed(link.meanSnrDb, 1)} dB, `
        + `${formatFixed(link.distanceM / 1000, 2)} km, ${formatCount(link.valid)} valid`;
      return `<line class="link" data-from="${link.from}" data-to="${link.to}" data-bin="${bin}" stroke="${RSSI_COLOURS[bin]}"`
        + ` x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"><title>${escapeHtml(title)}</title></line>`;
    })
    .join('');
}

function linkPath(links: readonly LinkResult[], bin: number, frame: MapFrame, nodes: ReadonlyMap<number, NodeResult>): string {
  if (links.length === 0) return '';
  const d = links.map((link) => {
    const [x1, y1, x2, y2] = endpoints(link, frame, nodes);
    return `M${x1} ${y1}L${x2} ${y2}`;
  });
  return `<path class="link" data-bin="${bin}" data-segments="${links.length}" stroke="${RSSI_COLOURS[bin]}" d="${d.join('')}"></path>`;
}

function nodeName(nodes: ReadonlyMap<number, NodeResult>, index: number): string {
  return nodes.get(index)?.name ?? `#${index}`;
}

function scaleBarSvg(frame: MapFrame): string {
  const bar = scaleBar(frame);
  const [x, y, w] = [18, frame.height - 16, px(bar.px)];
  return `<g class="scale-bar" transform="translate(${x} ${y})"><path d="M0 -6V0H${w}V-6"></path>`
    + `<text x="${px(bar.px / 2)}" y="-9">${bar.label}</text></g>`;
}

function northArrowSvg(frame: MapFrame): string {
  return `<g class="north-arrow" transform="translate(${frame.width - 24} 30)"><title>North is up</title>`
    + '<path d="M0 -16L7 6L0 1L-7 6Z"></path><text y="20">N</text></g>';
}

function legend(bins: readonly LinkResult[][]): string {
  const items = bins.map(
    (links, bin) => `<li><span class="swatch" style="background:${RSSI_COLOURS[bin]}"></span>${rssiBinLabel(bin)}`
      + ` <span class="muted">(${formatCount(links.length)})</span></li>`,
  );
  return '<ul class="legend"><li class="legend-title">Link colour: mean RSSI of its receptions (links in bin)</li>'
    + `${items.join('')}<li><span class="dot"></span>hotspot</li><li><span class="dot faulty"></span>involved in a fault</li></ul>`;
}

/** A coordinate to 0.1 px, which is finer than a screen shows and keeps a 100,000-link map compact. */
function px(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}

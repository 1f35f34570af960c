/**
 * The page's figures: summary cards, verdicts by reason, duty cycle per sub-band against its limit, the
 * air's own counts, the faults with what the oracle made of them, and LoRaSim's DER.
 */
import { escapeHtml } from './html-escape.js';
import { formatCount, formatDuration, formatFixed, formatShare } from './format.js';
import type { FaultResult, LorasimResult, NodeResult, SimResult } from './model.js';
import { invalidReasons, total } from './tallies.js';

/** A fault's hotspots are listed by name up to this many, then counted. */
const NAMES_LISTED = 6;

/** The cards across the top. */
export function summaryCards(result: SimResult): string {
  const { beacons, receipts } = result;
  const cards = [
    card('Hotspots', formatCount(result.nodes)),
    card('Simulated hours', formatFixed(result.simulatedHours, Number.isInteger(result.simulatedHours) ? 0 : 2)),
    card('Beacons sent', formatCount(beacons.sent)),
    card('Beacons heard', formatCount(beacons.heard), `${formatShare(beacons.heard, beacons.sent)} of sent`),
    card('Receptions', formatCount(beacons.receptions), `${beacons.sent ? formatFixed(beacons.receptions / beacons.sent, 1) : '—'} per beacon`),
    card('Receipts created', formatCount(receipts.created)),
    card('Receipts uploaded', formatCount(receipts.uploaded), `${formatShare(receipts.uploaded, receipts.created)}; ${formatCount(receipts.queued)} still queued`),
    card('Airtime', formatDuration(result.airtime.totalMs / 1000), 'all hotspots together'),
  ];
  return `<section id="summary" class="cards">${cards.join('')}</section>`;
}

function card(label: string, value: string, note?: string): string {
  const small = note === undefined ? '' : `<small>${escapeHtml(note)}</small>`;
  return `<div class="card"><span class="label">${escapeHtml(label)}</span><strong>${escapeHtml(value)}</strong>${small}</div>`;
}

/** Valid, pending and invalid-by-reason counts for beacons and witnesses, most common reason first. */
export function verdictsTable(result: SimResult): string {
  const { beacons, witnesses } = result.verdicts;
  const row = (label: string, b: number, w: number, cls = ''): string =>
    `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${label}</th><td>${formatCount(b)}</td><td>${formatCount(w)}</td></tr>`;
  const reasons = invalidReasons(beacons.invalid, witnesses.invalid).map(({ reason }) =>
    row(`invalid: <code>${escapeHtml(reason)}</code>`, beacons.invalid[reason] ?? 0, witnesses.invalid[reason] ?? 0, 'reason'),
  );
  return '<section id="verdicts"><h2>Oracle verdicts</h2><table class="figures"><thead><tr><th></th><th>Beacons</th><th>Witnesses</th></tr></thead><tbody>'
    + row('valid', beacons.valid, witnesses.valid, 'valid')
    + row('invalid, all reasons', total(beacons.invalid), total(witnesses.invalid), 'invalid')
    + reasons.join('')
    + row('pending', beacons.pending, witnesses.pending)
    + '</tbody></table></section>';
}

/** Each sub-band's duty cycle: the busiest hotspot's and the mean, against the regulatory limit. */
export function dutyCycleTable(result: SimResult): string {
  const rows = result.airtime.dutyCycle.map((band) => {
    const over = band.maxPercent > band.limitPercent;
    const fill = band.limitPercent > 0 ? Math.min(100, (100 * band.maxPercent) / band.limitPercent) : 100;
    return `<tr${over ? ' class="over"' : ''}><th scope="row">${escapeHtml(band.subBand)}</th>`
      + `<td>${formatFixed(band.limitPercent, 1)} %</td><td>${formatFixed(band.maxPercent, 3)} %</td><td>${formatFixed(band.meanPercent, 3)} %</td>`
      + `<td class="meter-cell"><span class="meter"><span style="width:${formatFixed(fill, 1)}%"></span></span>`
      + `${over ? ' over the limit' : ` ${formatFixed(fill, 1)} % of the limit`}</td></tr>`;
  });
  const body = rows.length ? rows.join('') : '<tr><td colspan="5" class="muted">No hotspot transmitted.</td></tr>';
  return '<section id="duty-cycle"><h2>Airtime and duty cycle</h2><table class="figures"><thead><tr>'
    + '<th>Sub-band</th><th>Limit</th><th>Busiest hotspot</th><th>Mean</th><th>Busiest against the limit</th></tr></thead>'
    + `<tbody>${body}</tbody></table></section>`;
}

/** What the air did with every transmission. */
export function airTable(result: SimResult): string {
  const { air } = result;
  const rows: [string, number][] = [
    ['transmissions', air.transmissions],
    ['delivered intact', air.delivered],
    ['below sensitivity', air.belowSensitivity],
    ['lost to collisions', air.collided],
    ['missed while transmitting (half duplex)', air.halfDuplex],
  ];
  return '<section id="air"><h2>The air</h2><table class="figures"><tbody>'
    + rows.map(([label, value]) => `<tr><th scope="row">${label}</th><td>${formatCount(value)}</td></tr>`).join('')
    + '</tbody></table></section>';
}

/** The faults the scenario injected, each with the oracle's outcome. */
export function faultsTable(result: SimResult): string {
  if (result.faults.length === 0) return '<section id="faults"><h2>Faults</h2><p class="muted">No faults were injected.</p></section>';
  const names = new Map(result.perNode.map((node: NodeResult) => [node.index, node.name]));
  const rows = result.faults.map((fault: FaultResult) => {
    const caught = invalidReasons(fault.caught).map(({ reason, count }) => `<code>${escapeHtml(reason)}</code> ${formatCount(count)}`);
    return `<tr><th scope="row">${escapeHtml(fault.kind)}</th><td>${escapeHtml(faultNodes(fault.nodes, names))}</td>`
      + `<td>${escapeHtml(fault.description)}</td><td>${caught.length ? caught.join('<br>') : '—'}</td>`
      + `<td>${formatCount(fault.passed)}</td><td class="outcome">${escapeHtml(fault.outcome)}</td></tr>`;
  });
  return '<section id="faults"><h2>Faults</h2><table class="figures faults"><thead><tr><th>Kind</th><th>Hotspots</th>'
    + '<th>Injected</th><th>Caught</th><th>Passed</th><th>Outcome</th></tr></thead>'
    + `<tbody>${rows.join('')}</tbody></table></section>`;
}

function faultNodes(indices: readonly number[], names: ReadonlyMap<number, string>): string {
  if (indices.length === 0) return 'network-wide';
  const listed = indices.slice(0, NAMES_LISTED).map((i) => names.get(i) ?? `#${i}`);
  const more = indices.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${formatCount(more)} more` : listed.join(', ');
}

/** LoRaSim's data extraction rate and the counts it comes from. */
export function derSection(der: LorasimResult): string {
  const rows: [string, string][] = [
    ['nodes', formatCount(der.nodes)],
    ['mean time between a node\'s packets', formatDuration(der.avgSendMs / 1000)],
    ['simulated time', formatDuration(der.simtimeMs / 1000)],
    ['packets sent', formatCount(der.sent)],
    ['received', formatCount(der.received)],
    ['collided', formatCount(der.collided)],
    ['lost (below sensitivity)', formatCount(der.lost)],
  ];
  return `<section id="der"><h2>LoRaSim experiment ${formatCount(der.experiment)}: data extraction rate</h2>`
    + `<div class="cards"><div class="card big"><span class="label">DER (received / sent)</span><strong>${formatFixed(der.der, 4)}</strong></div></div>`
    + '<table class="figures"><tbody>'
    + rows.map(([label, value]) => `<tr><th scope="row">${label}</th><td>${value}</td></tr>`).join('')
    + '</tbody></table></section>';
}

/**
 * The plain-text summary `covey sim` prints when a run ends: one figure a line in aligned columns (label,
 * value, note), at most 100 columns wide, in colour only when asked for.
 */
import { formatCount, formatDuration, formatFixed, formatShare } from './format.js';
import type { SimReport, SimResult, SubBandDuty } from './model.js';
import { invalidReasons, total } from './tallies.js';

export interface SummaryOptions {
  /** ANSI colours (bold title, dimmed notes, red where a limit is broken). Off by default. */
  readonly color?: boolean;
}

/** The summary's widest line, in columns. */
export const SUMMARY_WIDTH = 100;
const LABEL_WIDTH = 28;
const VALUE_WIDTH = 21;
const NOTE_WIDTH = SUMMARY_WIDTH - LABEL_WIDTH - VALUE_WIDTH - 4;
/** Invalid reasons, and faults, listed one a line up to this many. */
const LISTED = 3;
const FAULTS_LISTED = 6;

interface Row {
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  /** Print in red with colours on. */
  readonly alarm?: boolean;
}

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', reset: '\x1b[0m' } as const;

/** The summary table of a run, lines joined by `\n`, ending in one. */
export function summaryTable(report: SimReport, options: SummaryOptions = {}): string {
  const { result, run } = report;
  const paint = (code: string, text: string): string => (options.color && text ? `${code}${text}${ANSI.reset}` : text);
  const rows: Row[] = [
    ...(result.der && result.perNode.length === 0 ? lorasimRows(result) : hotspotRows(result)),
    { label: 'wall time', value: formatDuration(run.wallSeconds), note: `${formatCount(run.events)} events, ingest ${run.ingest}` },
    { label: 'CPU time', value: formatDuration(run.cpuSeconds), note: 'every thread, user and system' },
    { label: 'peak RSS', value: `${formatFixed(run.peakRssMb, 0)} MiB`, note: `covey ${run.version}, Node ${run.node}` },
  ];
  const cells = rows.map((row) => ({
    row,
    label: fit(row.label, LABEL_WIDTH).padEnd(LABEL_WIDTH),
    value: fit(row.value, VALUE_WIDTH).padStart(VALUE_WIDTH),
    note: fit(row.note ?? '', NOTE_WIDTH),
  }));
  const hours = formatFixed(result.simulatedHours, Number.isInteger(result.simulatedHours) ? 0 : 2);
  const title = fit(`covey sim: ${result.scenario} · seed ${result.seed} · ${result.region} · ${hours} h from ${result.startTime}`, SUMMARY_WIDTH);
  const widest = Math.max(columns(title), ...cells.map((c) => columns(`${c.label}  ${c.value}  ${c.note}`.trimEnd())));
  const lines = cells.map(({ row, label, value, note }) =>
    `${label}  ${row.alarm ? paint(ANSI.red, value) : value}  ${paint(row.alarm ? ANSI.red : ANSI.dim, note)}`.trimEnd(),
  );
  return [paint(ANSI.bold, title), paint(ANSI.dim, '─'.repeat(widest)), ...lines, ''].join('\n');
}

function hotspotRows(result: SimResult): Row[] {
  const { beacons, receipts } = result;
  const perHotspot = median(result.perNode.filter((n) => n.beaconsSent > 0).map((n) => n.beaconsHeardBy / n.beaconsSent));
  const mean = beacons.sent > 0 ? formatFixed(beacons.receptions / beacons.sent, 1) : '—';
  return [
    { label: 'hotspots', value: formatCount(result.nodes) },
    { label: 'simulated hours', value: formatFixed(result.simulatedHours, Number.isInteger(result.simulatedHours) ? 0 : 2) },
    { label: 'beacons sent', value: formatCount(beacons.sent) },
    { label: 'beacons heard', value: formatCount(beacons.heard), note: `${formatShare(beacons.heard, beacons.sent)} of sent` },
    { label: 'median witnesses per beacon', value: perHotspot === null ? '—' : formatFixed(perHotspot, 1), note: `by hotspot; mean over all beacons ${mean}` },
    { label: 'receipts created', value: formatCount(receipts.created) },
    {
      label: 'receipts uploaded',
      value: formatCount(receipts.uploaded),
      note: `${formatShare(receipts.uploaded, receipts.created)} of created; ${formatCount(receipts.queued)} still queued`,
    },
    ...verdictRows(result),
    ...faultRows(result),
    busiestSubBand(result.airtime.dutyCycle),
    { label: 'airtime', value: formatDuration(result.airtime.totalMs / 1000), note: 'all hotspots together' },
    ...walkRows(result),
  ];
}

/** The coverage walk, when one was replayed. */
function walkRows(result: SimResult): Row[] {
  const { walk } = result;
  if (walk === undefined) return [];
  const { uplinks } = walk;
  const skipped = uplinks.skippedNoFix + uplinks.refusedDutyCycle + uplinks.refusedBusy + uplinks.refusedRadio;
  return [
    {
      label: 'walk',
      value: `${formatFixed(walk.distanceM / 1000, 1)} km`,
      note: `${walk.track ?? walk.source}, ${formatDuration(walk.durationS)} from ${walk.startTime}`,
    },
    {
      label: 'walk uplinks sent',
      value: formatCount(uplinks.sent),
      note: `${formatCount(skipped)} not sent (${formatCount(uplinks.skippedNoFix)} without a GPS fix); ${formatCount(uplinks.atOracle)} at the oracle`,
    },
    {
      label: 'walk uplinks heard',
      value: formatCount(uplinks.heard),
      note: `${formatShare(uplinks.heard, uplinks.atOracle)} of those at the oracle; ${formatCount(uplinks.hearings)} receipts`,
    },
  ];
}

/** Valid and invalid witnesses and beacons, then the most common reasons, both kinds together. */
function verdictRows(result: SimResult): Row[] {
  const { verdicts } = result;
  const kindRow = (kind: 'witnesses' | 'beacons'): Row => {
    const { valid, pending, invalid } = verdicts[kind];
    const bad = total(invalid);
    return {
      label: `${kind} valid / invalid`,
      value: `${formatCount(valid)} / ${formatCount(bad)}`,
      note: `${formatShare(bad, valid + bad)} invalid; ${formatCount(pending)} pending`,
    };
  };
  const reasons = invalidReasons(verdicts.beacons.invalid, verdicts.witnesses.invalid);
  const allInvalid = total(verdicts.beacons.invalid) + total(verdicts.witnesses.invalid);
  return [
    kindRow('witnesses'),
    kindRow('beacons'),
    ...reasons.slice(0, LISTED).map((r, i) => ({
      label: i === 0 ? 'top invalid reasons' : '',
      value: formatCount(r.count),
      note: `${r.reason} (${formatShare(r.count, allInvalid)})`,
    })),
  ];
}

function faultRows(result: SimResult): Row[] {
  if (result.faults.length === 0) return [{ label: 'faults caught', value: '—', note: 'no faults injected' }];
  const caught = result.faults.filter((fault) => total(fault.caught) > 0).length;
  const rows: Row[] = [
    { label: 'faults caught', value: `${formatCount(caught)} of ${formatCount(result.faults.length)}`, note: 'faults with items the oracle refused' },
  ];
  for (const fault of result.faults.slice(0, FAULTS_LISTED)) {
    const top = invalidReasons(fault.caught)[0];
    const how = top ? `; most caught as ${top.reason}` : '';
    rows.push({ label: `  ${fault.kind}`, value: `${formatCount(total(fault.caught))} caught`, note: `${formatCount(fault.passed)} passed${how}` });
  }
  const more = result.faults.length - FAULTS_LISTED;
  if (more > 0) rows.push({ label: '', value: '', note: `and ${formatCount(more)} more faults (see the HTML report)` });
  return rows;
}

/** The sub-band whose busiest hotspot came closest to (or furthest past) its limit. */
function busiestSubBand(bands: readonly SubBandDuty[]): Row {
  const load = (band: SubBandDuty): number => (band.limitPercent > 0 ? band.maxPercent / band.limitPercent : Infinity);
  const busiest = bands.reduce<SubBandDuty | null>((best, band) => (best === null || load(band) > load(best) ? band : best), null);
  if (busiest === null) return { label: 'busiest sub-band duty cycle', value: '—', note: 'no hotspot transmitted' };
  const over = busiest.maxPercent > busiest.limitPercent;
  return {
    label: 'busiest sub-band duty cycle',
    value: `${formatFixed(busiest.maxPercent, 3)} % of ${formatFixed(busiest.limitPercent, 1)} %`,
    note: `${busiest.subBand}${over ? ' OVER THE LIMIT' : ', busiest hotspot'}; mean ${formatFixed(busiest.meanPercent, 3)} %`,
    alarm: over,
  };
}

function lorasimRows(result: SimResult): Row[] {
  const der = result.der;
  if (!der) return [];
  return [
    { label: 'LoRaSim experiment', value: formatCount(der.experiment), note: `${formatCount(der.nodes)} nodes, one packet per ${formatDuration(der.avgSendMs / 1000)}` },
    { label: 'simulated time', value: formatDuration(der.simtimeMs / 1000) },
    { label: 'packets sent', value: formatCount(der.sent) },
    { label: 'received / collided / lost', value: `${formatCount(der.received)} / ${formatCount(der.collided)} / ${formatCount(der.lost)}` },
    { label: 'DER', value: formatFixed(der.der, 4), note: 'data extraction rate: received / sent' },
  ];
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Columns a string takes in a terminal (one per code point: report text is not CJK-wide). */
function columns(text: string): number {
  return [...text].length;
}

/** `text` cut to `width` columns, ending in "…" when cut. */
function fit(text: string, width: number): string {
  const points = [...text];
  return points.length <= width ? text : `${points.slice(0, width - 1).join('')}…`;
}

/**
 * What `covey walk import` prints when it is done: what was read, kept and refused, when and how far
 * the mapper walked, and what was written and uploaded. Plain text for a person; the data itself is in
 * the --out file.
 */
import { summarizeWalk, type CheckedWalk } from './import.js';
import type { UploadOutcome } from './upload.js';
import type { WalkLog } from './walk-log.js';

/** Refusals listed one per line; beyond this many, only counted. */
const LISTED_REFUSALS = 10;

export interface WalkSummaryInput {
  /** The port or file the log came from. */
  readonly source: string;
  readonly log: WalkLog;
  readonly checked: CheckedWalk;
  /** The JSON file written, if any. */
  readonly out?: string;
  /** The oracle uploaded to, and what it answered, if any. */
  readonly oracle?: string;
  readonly upload?: UploadOutcome;
}

export function walkSummaryText(input: WalkSummaryInput): string {
  const { log, checked } = input;
  const summary = summarizeWalk(checked.kept);
  const mappers = summary.mappers.length === 1 ? '1 mapper' : `${summary.mappers.length} mappers`;
  const lines = [
    row('read', `${log.reports.length} report line(s) from ${input.source} (${log.ignoredLines} other console line(s) ignored)`),
    row('kept', `${checked.kept.length} report(s) from ${mappers}${summary.mappers.length > 0 ? `: ${summary.mappers.join(', ')}` : ''}`),
  ];
  if (checked.repeated > 0) lines.push(row('repeated', `${checked.repeated} line(s) repeating a kept report, kept once`));
  lines.push(row('refused', String(checked.refused.length)));
  for (const { line, reason } of checked.refused.slice(0, LISTED_REFUSALS)) lines.push(`  line ${line}: ${reason}`);
  if (checked.refused.length > LISTED_REFUSALS) lines.push(`  … and ${checked.refused.length - LISTED_REFUSALS} more`);
  if (summary.firstMs !== undefined && summary.lastMs !== undefined) {
    const span = `${iso(summary.firstMs)} to ${iso(summary.lastMs)} (${duration(summary.lastMs - summary.firstMs)})`;
    lines.push(row('time', span), row('distance', `${distance(summary.distanceM)} walked (great-circle, uplink to uplink)`));
  }
  if (input.out !== undefined) lines.push(row('written', `${input.out} (${checked.kept.length} uplink(s))`));
  if (input.oracle !== undefined) lines.push(...uploadLines(input.oracle, input.upload));
  return `${lines.join('\n')}\n`;
}

function uploadLines(oracle: string, upload: UploadOutcome | undefined): string[] {
  if (upload === undefined) return [row('uploaded', `nothing to upload to ${oracle}`)];
  const rejected = Object.values(upload.rejected).reduce((sum, n) => sum + n, 0);
  const lines = [row('uploaded', `to ${oracle}: ${upload.stored} stored, ${upload.duplicate} duplicate, ${rejected} rejected`)];
  for (const [reason, count] of Object.entries(upload.rejected).sort()) lines.push(`  rejected ${reason}: ${count}`);
  if (upload.notOnboarded.length > 0) lines.push(`  not onboarded: ${upload.notOnboarded.join(', ')}`);
  if (upload.failure !== undefined) lines.push(`  stopped after ${upload.batches} batch(es): ${upload.failure}`);
  return lines;
}

function row(label: string, text: string): string {
  return `${label.padEnd(10)}${text}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** "1 h 02 min", "4 min 10 s", "12 s". */
export function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(secs).padStart(2, '0')} s`;
  return `${secs} s`;
}

/** "850 m", "3.42 km". */
export function distance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(2)} km`;
}

/**
 * What `covey monitor` reads on the firmware's console, decoded: log lines (`<level> <message> k=v …`,
 * src/log.ts formatLogLine, values quoted JSON-style when they hold a space, a quote or `=`), the status
 * line among them (src/health.ts statusFields, docs/firmware.md "The status line"), and the self-test's
 * report lines (hal/selftest/report.ts). Host code.
 */

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogLine {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: Readonly<Record<string, string>>;
}

const FIELD = /\s([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|\S*)/g;

/** `k=v …` as written by src/log.ts formatFields (and a quoted reason as the self-test writes it). */
export function parseFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of ` ${text}`.matchAll(FIELD)) {
    const raw = match[2];
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw.slice(1, -1);
      }
    }
    fields[match[1]] = value;
  }
  return fields;
}

/** A log line, or undefined for anything else (answers, self-test lines, boot noise). */
export function parseLogLine(line: string): LogLine | undefined {
  const match = /^(error|warn|info|debug) (.*)$/.exec(line);
  if (match === null) return undefined;
  const rest = match[2];
  // The message runs up to the first ` key=`.
  const first = /\s[A-Za-z_][\w.]*=/.exec(` ${rest}`);
  const cut = first === null ? rest.length : Math.max(0, first.index - 1);
  return { level: match[1] as LogLevel, message: rest.slice(0, cut).trim(), fields: parseFields(rest.slice(cut)) };
}

/** True for the hotspot's periodic status line. */
export const isStatusLine = (log: LogLine): boolean => log.level === 'info' && log.message === 'status';

/** Labels for the status fields, in the panel's order; docs/firmware.md "The status line" explains each. */
const STATUS_LABELS: readonly (readonly [string, string])[] = [
  ['up', 'uptime'],
  ['clock', 'wall clock'],
  ['beacons', 'beacons sent'],
  ['uplinks', 'uplinks sent'],
  ['no_fix', 'uplinks without fix'],
  ['counter', 'uplink counter'],
  ['last_uplink', 'last uplink ago'],
  ['refused', 'refused'],
  ['missed', 'epochs missed'],
  ['last_beacon', 'last beacon ago'],
  ['next_beacon', 'next beacon in'],
  ['heard', 'frames heard'],
  ['covey', 'covey frames'],
  ['witnessed', 'receipts made'],
  ['crc', 'CRC errors'],
  ['bad', 'bad frames'],
  ['dup', 'duplicates'],
  ['own', 'own beacons heard'],
  ['forged', 'forged beacons'],
  ['no_time', 'dropped, no time'],
  ['queued', 'records queued'],
  ['uploaded', 'records uploaded'],
  ['rejected', 'records rejected'],
  ['dropped', 'records dropped'],
  ['queue', 'queue now'],
  ['last_upload', 'last upload ago'],
  ['recoveries', 'radio recoveries'],
];

/** What the parts of `refused` count, by role (the mapper's has an uplink counter instead of entropy). */
function refusedMeaning(fields: Readonly<Record<string, string>>): string {
  return fields.uplinks !== undefined ? 'duty cycle/busy/radio/counter' : 'duty cycle/busy/no entropy/radio';
}

/** The status fields as (label, value) rows: known ones labelled and in order, unknown ones after, as given. */
export function statusRows(fields: Readonly<Record<string, string>>): [string, string][] {
  const rows: [string, string][] = [];
  const known = new Set<string>();
  for (const [key, label] of STATUS_LABELS) {
    known.add(key);
    if (fields[key] === undefined) continue;
    rows.push([label, key === 'refused' ? `${fields[key]} (${refusedMeaning(fields)})` : fields[key]]);
  }
  for (const key of Object.keys(fields)) if (!known.has(key)) rows.push([key, fields[key]]);
  return rows;
}

/** The rows as an aligned block: `columns` columns of `label  value` pairs, each column as wide as its widest cell. */
export function statusBlock(fields: Readonly<Record<string, string>>, columns = 2): string[] {
  const rows = statusRows(fields);
  const labelWidth = Math.max(0, ...rows.map(([label]) => label.length));
  const cells = rows.map(([label, value]) => `${label.padEnd(labelWidth)}  ${value}`);
  const widths = Array.from({ length: columns }, (_, j) => Math.max(0, ...cells.filter((_, i) => i % columns === j).map((cell) => cell.length)));
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += columns) {
    const row = cells.slice(i, i + columns);
    lines.push(row.map((cell, j) => (j < row.length - 1 ? cell.padEnd(widths[j]) : cell)).join('   '));
  }
  return lines;
}

// The self-test report ------------------------------------------------------------------------------------

export const SELFTEST_ITEMS = ['radio', 'spi', 'flash', 'key', 'rng', 'gps'] as const;

export interface SelftestItemLine {
  readonly item: string;
  readonly verdict: 'PASS' | 'FAIL' | 'SKIP';
  readonly fields: Readonly<Record<string, string>>;
}

export interface SelftestEndLine {
  readonly verdict: 'PASS' | 'FAIL' | 'SKIP';
  readonly fields: Readonly<Record<string, string>>;
}

export function parseSelftestItem(line: string): SelftestItemLine | undefined {
  const match = /^covey-selftest (\w+) (PASS|FAIL|SKIP)(.*)$/.exec(line);
  return match === null ? undefined : { item: match[1], verdict: match[2] as SelftestItemLine['verdict'], fields: parseFields(match[3]) };
}

export function parseSelftestEnd(line: string): SelftestEndLine | undefined {
  const match = /^covey-selftest-end (PASS|FAIL|SKIP)(.*)$/.exec(line);
  return match === null ? undefined : { verdict: match[1] as SelftestEndLine['verdict'], fields: parseFields(match[2]) };
}

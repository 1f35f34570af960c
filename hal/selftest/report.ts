/**
 * The factory self-test's report: one line per item, then one end line (docs/firmware.md, "Self-test"):
 *
 *   covey-selftest <item> <PASS|FAIL|SKIP> [k=v …] [reason="…"]
 *   covey-selftest-end <PASS|FAIL> passed=<n> failed=<n> skipped=<n> board=<id> key=<64 hex or none>
 *
 * `covey monitor --selftest` parses these lines (tools/monitor/selftest-report.ts), so their shape is a
 * protocol: values are written as src/log.ts writes fields (quoted only when they hold a space, a quote or
 * `=`), and the reason is always quoted, JSON style, on one line.
 */
import { formatFields } from '../runtime.js';

/** The items, in the order they run and are printed. */
export const SELFTEST_ITEMS = ['radio', 'spi', 'flash', 'key', 'rng', 'gps'] as const;
export type SelftestItem = (typeof SELFTEST_ITEMS)[number];

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export type ReportFields = Readonly<Record<string, string | number>>;

/** What one check found. */
export interface CheckResult {
  readonly verdict: Verdict;
  /** What was measured, printed as k=v in this order. */
  readonly fields?: ReportFields;
  /** Why it failed or was skipped: one line naming what was read. */
  readonly reason?: string;
}

export const pass = (fields?: ReportFields): CheckResult => ({ verdict: 'PASS', fields });
export const fail = (reason: string, fields?: ReportFields): CheckResult => ({ verdict: 'FAIL', fields, reason });
export const skip = (reason: string, fields?: ReportFields): CheckResult => ({ verdict: 'SKIP', fields, reason });

/** A byte as 0x.., for reasons and fields. */
export const hexByte = (value: number): string => `0x${(value & 0xff).toString(16).padStart(2, '0')}`;

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** One item's line. */
export function itemLine(item: SelftestItem, result: CheckResult): string {
  let line = `covey-selftest ${item} ${result.verdict}`;
  const fields = result.fields === undefined ? '' : formatFields(result.fields);
  if (fields !== '') line += ` ${fields}`;
  if (result.reason !== undefined) line += ` reason=${JSON.stringify(result.reason.replace(/[\r\n]+/g, ' '))}`;
  return line;
}

export interface SelftestSummary {
  readonly verdict: 'PASS' | 'FAIL';
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Counts the verdicts; the whole test passes when no item failed. */
export function summarize(verdicts: readonly Verdict[]): SelftestSummary {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const verdict of verdicts) {
    if (verdict === 'PASS') passed++;
    else if (verdict === 'FAIL') failed++;
    else skipped++;
  }
  return { verdict: failed === 0 ? 'PASS' : 'FAIL', passed, failed, skipped };
}

/** The end line; `key` is the device's public key as 64 hex digits, or undefined when it has none. */
export function endLine(summary: SelftestSummary, board: string, key: string | undefined): string {
  const { verdict, passed, failed, skipped } = summary;
  return `covey-selftest-end ${verdict} passed=${passed} failed=${failed} skipped=${skipped} board=${board} key=${key ?? 'none'}`;
}

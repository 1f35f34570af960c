/**
 * `covey monitor`: reads the firmware's serial console (tools/provision/console-client.ts) and shows it
 * (view.ts); with `selftest`, waits for the self-test's report (docs/firmware.md, "Self-test"), prints
 * each item and one factory line, and returns the exit code: 0 PASS, 1 FAIL, 2 no complete report in time.
 * Host code.
 */
import { ConsoleClient, ConsoleError, type SerialBinding } from '../provision/console-client.js';
import type { CliIo } from '../commands/io.js';
import { parseSelftestEnd, parseSelftestItem, SELFTEST_ITEMS, type SelftestItemLine } from './lines.js';
import { MonitorView, type ViewOptions } from './view.js';

export interface MonitorOptions {
  readonly port: string;
  readonly baudRate: number;
  readonly json: boolean;
  /** Lines sent to the device once the port is open, before anything else, as if typed on its console. */
  readonly send?: readonly string[];
  /** Wait for the self-test report; undefined: just show the console until stopped. */
  readonly selftest?: { readonly run: boolean; readonly timeoutMs: number };
}

export interface MonitorEnvironment {
  readonly io: CliIo;
  readonly view: Omit<ViewOptions, 'json'>;
  readonly binding?: SerialBinding;
  /** Resolves when the user stops the monitor (Ctrl-C). */
  readonly stopped: Promise<void>;
}

/** The command that starts the self-test on a device whose hotspot is not running. */
export const SELFTEST_COMMAND = 'covey selftest';
/** A prefix no line has: the plain monitor's waits only let every line through to the view. */
const NO_ANSWER = '\u0000';
const LONGEST_WAIT_MS = 2 ** 31 - 1;

export const EXIT_SELFTEST_TIMEOUT = 2;

/** Shows the console until the user stops it; the port failing is an error. */
async function follow(client: ConsoleClient, stopped: Promise<void>): Promise<number> {
  let stop = false;
  void stopped.then(() => {
    stop = true;
    void client.close();
  });
  while (!stop) {
    try {
      await client.waitFor(NO_ANSWER, LONGEST_WAIT_MS);
    } catch (error) {
      if (stop) break;
      if (error instanceof ConsoleError && error.code === 'Timeout') continue;
      throw error;
    }
  }
  return 0;
}

function itemText(item: SelftestItemLine): string {
  const { reason, ...rest } = item.fields;
  const values = Object.entries(rest).map(([key, value]) => `${key}=${value}`).join(' ');
  return `${item.item.padEnd(6)} ${item.verdict}${values === '' ? '' : `  ${values}`}${reason === undefined ? '' : `  (${reason})`}`;
}

async function selftest(client: ConsoleClient, view: MonitorView, io: CliIo, options: MonitorOptions & { selftest: { run: boolean; timeoutMs: number } }): Promise<number> {
  const { port, json } = options;
  const { run, timeoutMs } = options.selftest;
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, SelftestItemLine>();
  if (run) await client.sendLine(SELFTEST_COMMAND);
  for (;;) {
    let line: string;
    try {
      line = await client.waitFor(['covey-selftest ', 'covey-selftest-end '], Math.max(1, deadline - Date.now()));
    } catch (error) {
      if (!(error instanceof ConsoleError && error.code === 'Timeout')) throw error;
      const missing = [...SELFTEST_ITEMS.filter((item) => !seen.has(item)), 'the end line'];
      view.own(`SELFTEST TIMEOUT missing=${missing.join(',')}`, true);
      io.stderr(`covey monitor: no complete self-test report from ${port} within ${timeoutMs / 1000} s; missing: ${missing.join(', ')}\n`);
      return EXIT_SELFTEST_TIMEOUT;
    }
    // The report's own lines are shown decoded below; with --json, as JSON like every other line.
    if (json) view.line(line);
    const item = parseSelftestItem(line);
    if (item !== undefined) {
      seen.set(item.item, item);
      view.own(`  ${itemText(item)}`, item.verdict === 'FAIL');
      continue;
    }
    const end = parseSelftestEnd(line);
    if (end === undefined) continue;
    if (end.verdict === 'SKIP') {
      io.stderr(`covey monitor: the device did not run the self-test: ${end.fields.reason ?? 'no reason given'}\n`);
      return 1;
    }
    const { board = '?', key = 'none', passed = '?', failed = '?', skipped = '?' } = end.fields;
    view.own(`SELFTEST ${end.verdict} board=${board} key=${key} passed=${passed} failed=${failed} skipped=${skipped}`, end.verdict === 'FAIL');
    return end.verdict === 'PASS' ? 0 : 1;
  }
}

export async function runMonitor(options: MonitorOptions, env: MonitorEnvironment): Promise<number> {
  const view = new MonitorView(env.io, { ...env.view, json: options.json });
  const client = await ConsoleClient.open({
    path: options.port, baudRate: options.baudRate, binding: env.binding, onLine: (line) => view.line(line),
  });
  try {
    for (const line of options.send ?? []) await client.sendLine(line);
    return options.selftest === undefined
      ? await follow(client, env.stopped)
      : await selftest(client, view, env.io, { ...options, selftest: options.selftest });
  } finally {
    view.close();
    await client.close();
  }
}

/**
 * `covey monitor --port <serial>`: the firmware's serial console, readable: log lines as they come,
 * the status line decoded into a panel, errors in red and warnings in yellow; with --selftest, the
 * factory self-test's report and one verdict line, with an exit code for a test jig. docs/cli.md,
 * "covey monitor".
 */
import type { Command } from 'commander';
import { CONSOLE_BAUD, type SerialBinding } from '../provision/console-client.js';
import { runMonitor } from '../monitor/monitor.js';
import { CliError, guarded, type CliContext } from './io.js';
import { wholeNumber } from './options.js';

interface MonitorCommandOptions {
  readonly port: string;
  readonly baud: number;
  readonly selftest?: boolean;
  readonly run?: boolean;
  readonly timeout: number;
  readonly send: string[];
  readonly for?: number;
  readonly json?: boolean;
}

export interface MonitorDependencies {
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  /** Default: whether standard output is a terminal. */
  readonly isTTY?: boolean;
  /** Default: the process environment (NO_COLOR). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the terminal's height, or 24. */
  readonly rows?: number;
  /** Default: resolves on Ctrl-C (SIGINT). */
  readonly stopped?: Promise<void>;
}

const DEFAULT_TIMEOUT_S = 60;

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

/** Resolves after `seconds`, without keeping the process alive for it. */
function after(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000).unref());
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addMonitorCommand(program: Command, context: CliContext, dependencies: MonitorDependencies = {}): Command {
  return program
    .command('monitor')
    .description("show a board's serial console: log lines, the status line decoded, errors highlighted; or wait for its self-test report")
    .requiredOption('-p, --port <serial>', 'the serial port, e.g. /dev/ttyUSB0, /dev/cu.usbserial-0001, COM3')
    .option('--baud <n>', 'console speed', wholeNumber('--baud', 1200), CONSOLE_BAUD)
    .option('--selftest', 'wait for the self-test report, print each item and one SELFTEST line; exit 0 PASS, 1 FAIL, 2 timeout')
    .option('--run', "with --selftest: send `covey selftest` first (the device's hotspot must not be running)")
    .option('--timeout <s>', 'with --selftest: seconds to wait for the whole report', wholeNumber('--timeout', 1), DEFAULT_TIMEOUT_S)
    .option('--send <line>', 'send this line to the device once the port is open, as if typed on its console, e.g. "covey id" (repeatable)', collect, [])
    .option('--for <s>', 'without --selftest: stop after this many seconds (default: until Ctrl-C)', wholeNumber('--for', 1))
    .option('--json', 'one JSON object per line read (type log, status, selftest, selftest-end or line)')
    .addHelpText(
      'after',
      [
        '',
        'On a terminal the latest status line stays decoded in a panel at the top and the log scrolls below it;',
        'error lines are red and warnings yellow (set NO_COLOR to turn colours off). Piped, each status line is',
        'followed by its decoded block. Stop with Ctrl-C.',
        '',
        'Factory test: put the board in self-test mode (covey provision --selftest, or `covey mode selftest`',
        'on the console, then reset), or start it now with --run, and read one line such as',
        '  SELFTEST PASS board=heltec_v3 key=<64 hex> passed=5 failed=0 skipped=1',
        '',
        'Examples:',
        '  $ covey monitor --port /dev/ttyUSB0',
        '  $ covey monitor --port /dev/ttyUSB0 --send "covey id" --for 3',
        '  $ covey monitor --port /dev/ttyACM0 --selftest --run --timeout 30',
      ].join('\n'),
    )
    .action(guarded(context, 'monitor', async (options: MonitorCommandOptions) => {
      if (options.run === true && options.selftest !== true) throw new CliError('--run goes with --selftest');
      if (options.for !== undefined && options.selftest === true) throw new CliError('--for goes without --selftest, which stops at the report (or after --timeout)');
      const tty = dependencies.isTTY ?? process.stdout.isTTY === true;
      const env = dependencies.env ?? process.env;
      const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
      return runMonitor(
        {
          port: options.port,
          baudRate: options.baud,
          json: options.json === true,
          send: options.send,
          selftest: options.selftest === true ? { run: options.run === true, timeoutMs: options.timeout * 1000 } : undefined,
        },
        {
          io: context.io,
          view: { tty: tty && options.json !== true, color: tty && !noColor && options.json !== true, rows: dependencies.rows ?? process.stdout.rows ?? 24 },
          binding: dependencies.binding,
          stopped: dependencies.stopped ?? (options.for === undefined ? untilInterrupted() : Promise.race([untilInterrupted(), after(options.for)])),
        },
      );
    }));
}

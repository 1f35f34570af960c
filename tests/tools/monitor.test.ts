/**
 * `covey monitor` against a device on a mock serial port (@serialport/binding-mock): log lines shown,
 * the status line decoded (a panel on a terminal, a block when piped), errors and warnings highlighted
 * only on a terminal without NO_COLOR, and --selftest's factory line and exit codes (PASS 0, FAIL 1,
 * timeout 2 naming the missing items), with --run sending `covey selftest` first.
 */
import { Command, CommanderError } from 'commander';
import { addMonitorCommand, type MonitorDependencies } from '../../tools/commands/monitor.js';
import type { CliIo } from '../../tools/commands/io.js';
import type { SerialBinding } from '../../tools/provision/console-client.js';
import { parseLogLine, statusBlock } from '../../tools/monitor/lines.js';
import { MockBinding, scriptedBinding, type ScriptedPort } from '../support/mock-serial.js';

const PORT = '/dev/ttyMONITOR';
const STATUS =
  'info status up=4h05m clock=ok beacons=3 refused=1/2/0/0 missed=0 last_beacon=2h13m next_beacon=1h40m heard=14 covey=6 witnessed=4 ' +
  'crc=2 bad=1 dup=1 own=0 forged=0 no_time=0 queued=7 uploaded=6 rejected=1 dropped=0 queue=1 last_upload=58s recoveries=0';
const KEY = 'ab'.repeat(32);
const PASSING = [
  'covey-selftest radio PASS chip=sx126x status=0x22 syncWord=0x1424',
  'covey-selftest spi PASS register=0x0740 patterns=2',
  'covey-selftest flash PASS sector=15 sectors=16 scratch=erased',
  'covey-selftest key PASS address=abcd-efgh',
  'covey-selftest rng PASS draws=64 distinct=64',
  'covey-selftest gps SKIP reason="this board has no GPS"',
  `covey-selftest-end PASS passed=5 failed=0 skipped=1 board=heltec_v3 key=${KEY}`,
];

interface FakeConsole {
  readonly binding: SerialBinding;
  /** What the tool wrote to the port. */
  written(): string;
}

/**
 * A device that sends `atOpen` once the port is open and `onSelftest` when `covey selftest` arrives, a
 * line per turn of the event loop, with \r\n endings as the ESP32's console may send.
 */
function fakeConsole(atOpen: readonly string[], onSelftest: readonly string[] = []): FakeConsole {
  let recording = '';
  const emit = (port: ScriptedPort, lines: readonly string[], i = 0): void => {
    if (i >= lines.length || !port.isOpen) return;
    port.send(`${lines[i]}\r\n`);
    setTimeout(() => emit(port, lines, i + 1), 1);
  };
  const binding = scriptedBinding(PORT, {
    onOpen: (port) => setTimeout(() => emit(port, atOpen), 5),
    onWrite: (port, data) => {
      recording = port.recording().toString('utf8');
      if (data.toString('utf8') === 'covey selftest\n') setTimeout(() => emit(port, onSelftest), 1);
    },
  });
  return { binding, written: () => recording };
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function monitor(argv: string[], dependencies: MonitorDependencies): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => new Uint8Array(0) };
  const program = new Command('covey').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  addMonitorCommand(program, { io, setExitCode: (value) => void (code = value) }, { isTTY: false, env: {}, ...dependencies });
  try {
    await program.parseAsync(['monitor', '--port', PORT, ...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

/** Stops the plain monitor after `ms` of real time, as Ctrl-C would. */
const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  MockBinding.reset();
});

describe('log and status lines', () => {
  const lines = ['info covey booting board=heltec_v3 partition=covey', STATUS, 'warn Wi-Fi not connected retryInS=5', 'error radio fault error="BUSY stuck"'];

  test('piped: every line as read, and under the status line its decoded, aligned block', async () => {
    const device = fakeConsole(lines);
    const run = await monitor([], { binding: device.binding, stopped: after(150) });
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe(lines[0]);
    expect(out[1]).toBe(STATUS);
    expect(out).toContain(lines[2]);
    expect(out).toContain(lines[3]);
    const block = statusBlock((parseLogLine(STATUS) as NonNullable<ReturnType<typeof parseLogLine>>).fields);
    expect(run.stdout).toContain(block.map((row) => `    ${row}`).join('\n'));
    expect(block[0]).toMatch(/^uptime +4h05m +wall clock +ok$/);
    expect(run.stdout).toMatch(/ {3}refused +1\/2\/0\/0 \(duty cycle\/busy\/no entropy\/radio\)\n/);
    expect(run.stdout).not.toContain('\x1b[');
  });

  test('on a terminal: errors red, warnings yellow, the status in a panel at the top', async () => {
    const device = fakeConsole(lines);
    const run = await monitor([], { binding: device.binding, stopped: after(150), isTTY: true, rows: 40 });
    expect(run.stdout).toContain(`\x1b[31m${lines[3]}\x1b[0m`);
    expect(run.stdout).toContain(`\x1b[33m${lines[2]}\x1b[0m`);
    expect(run.stdout).toContain('\x1b[17;40r'); // the log scrolls below the 16-line panel
    expect(run.stdout).toContain('\x1b7\x1b[1;1H\x1b[2K'); // cursor saved, panel drawn from the top line
    expect(run.stdout).toContain('\x1b8'); // and the cursor back in the log
    expect(run.stdout).toContain('\x1b[2;1H\x1b[2Kuptime');
    expect(run.stdout.endsWith('\x1b[r\n')).toBe(true); // the whole screen given back
  });

  test('NO_COLOR on a terminal: no colours', async () => {
    const device = fakeConsole(lines);
    const run = await monitor([], { binding: device.binding, stopped: after(150), isTTY: true, env: { NO_COLOR: '1' } });
    expect(run.stdout).not.toContain('\x1b[31m');
    expect(run.stdout).not.toContain('\x1b[33m');
    expect(run.stdout).toContain(lines[3]);
  });

  test('--json: one object per line, the status fields decoded', async () => {
    const device = fakeConsole(lines);
    const run = await monitor(['--json'], { binding: device.binding, stopped: after(150) });
    const objects = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((o) => o.type)).toEqual(['log', 'status', 'log', 'log']);
    expect(objects[1]).toMatchObject({ level: 'info', message: 'status', fields: { up: '4h05m', refused: '1/2/0/0', recoveries: '0' } });
    expect(objects[3]).toEqual({ type: 'log', level: 'error', message: 'radio fault', fields: { error: 'BUSY stuck' } });
  });

  test('a port that does not exist: one line and exit 1', async () => {
    const run = await monitor([], { binding: { open: () => Promise.reject(new Error('No such file or directory, cannot open /dev/ttyMONITOR')) }, stopped: after(10) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('covey monitor: cannot open /dev/ttyMONITOR: No such file or directory, cannot open /dev/ttyMONITOR (is the device plugged in?)\n');
  });
});

describe('--send and --for', () => {
  /** A device that answers `covey id` with its id line, and says nothing else. */
  function idDevice(): FakeConsole {
    let recording = '';
    const binding = scriptedBinding(PORT, {
      onWrite: (port, data) => {
        recording = port.recording().toString('utf8');
        if (data.toString('utf8') === 'covey id\n') {
          setTimeout(() => port.send(`covey-id key=${'ab'.repeat(32)} address=cvexample short=abcd-efgh board=heltec_v3 state=unprovisioned attested=no\r\n`), 1);
        }
      },
    });
    return { binding, written: () => recording };
  }

  test('--send writes each line once the port is open, and its answer is shown', async () => {
    const device = idDevice();
    const run = await monitor(['--send', 'covey id', '--send', 'covey mode selftest'], { binding: device.binding, stopped: after(100) });
    expect(run.code).toBe(0);
    expect(device.written()).toBe('covey id\ncovey mode selftest\n');
    expect(run.stdout).toMatch(/^covey-id key=(ab){32} address=cvexample .*state=unprovisioned attested=no$/m);
  });

  test('--for stops the monitor by itself after that many seconds', async () => {
    const device = idDevice();
    const started = Date.now();
    const run = await monitor(['--send', 'covey id', '--for', '1'], { binding: device.binding });
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(run.stdout).toContain('covey-id key=');
  });

  test('a line too long for the console, --for with --selftest, and --for 0 are refused with one line', async () => {
    const device = idDevice();
    const long = await monitor(['--send', `covey ${'x'.repeat(200)}`], { binding: device.binding, stopped: after(50) });
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/^covey monitor: a console line is at most \d+ bytes without newlines\n$/);
    const both = await monitor(['--selftest', '--for', '2'], { binding: device.binding, stopped: after(50) });
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^covey monitor: --for goes without --selftest/);
    const zero = await monitor(['--for', '0'], { binding: device.binding, stopped: after(50) });
    expect(zero.code).toBe(1);
  });
});

describe('--selftest', () => {
  test('a passing report: each item, then the factory line, exit 0; log lines between still shown', async () => {
    const device = fakeConsole(['info covey booting board=heltec_v3', ...PASSING.slice(0, 3), STATUS, ...PASSING.slice(3)]);
    const run = await monitor(['--selftest', '--timeout', '5'], { binding: device.binding });
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out).toContain('  radio  PASS  chip=sx126x status=0x22 syncWord=0x1424');
    expect(out).toContain('  gps    SKIP  (this board has no GPS)');
    expect(out).toContain('info covey booting board=heltec_v3');
    expect(out[out.length - 2]).toBe(`SELFTEST PASS board=heltec_v3 key=${KEY} passed=5 failed=0 skipped=1`);
    expect(device.written()).toBe(''); // without --run nothing is sent
  });

  test('a failing report: the FAIL item with its reason, exit 1', async () => {
    const failing = [
      ...PASSING.slice(0, 1),
      'covey-selftest spi FAIL register=0x39 reason="wrote 0xaa to RegSyncWord (0x39), read 0x2a (bit 7 reads 0)"',
      ...PASSING.slice(2, 6),
      `covey-selftest-end FAIL passed=4 failed=1 skipped=1 board=heltec_v2 key=${KEY}`,
    ];
    const run = await monitor(['--selftest', '--timeout', '5'], { binding: fakeConsole(failing).binding });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  spi    FAIL  register=0x39  (wrote 0xaa to RegSyncWord (0x39), read 0x2a (bit 7 reads 0))\n');
    expect(run.stdout).toContain(`SELFTEST FAIL board=heltec_v2 key=${KEY} passed=4 failed=1 skipped=1\n`);
  });

  test('no complete report in time: exit 2, naming the missing items', async () => {
    const run = await monitor(['--selftest', '--timeout', '1'], { binding: fakeConsole(PASSING.slice(0, 4)).binding });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('SELFTEST TIMEOUT missing=rng,gps,the end line\n');
    expect(run.stderr).toBe(`covey monitor: no complete self-test report from ${PORT} within 1 s; missing: rng, gps, the end line\n`);
  });

  test('--run sends `covey selftest` and reads the report it starts', async () => {
    const device = fakeConsole(['info serial console open port=0'], PASSING);
    const run = await monitor(['--selftest', '--run', '--timeout', '5'], { binding: device.binding });
    expect(device.written()).toBe('covey selftest\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('SELFTEST PASS board=heltec_v3');
  });

  test('--run on a device whose hotspot runs: its refusal, exit 1', async () => {
    const device = fakeConsole([], ['covey-selftest-end SKIP reason="hotspot running: set mode=selftest and restart"']);
    const run = await monitor(['--selftest', '--run', '--timeout', '5'], { binding: device.binding });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('covey monitor: the device did not run the self-test: hotspot running: set mode=selftest and restart\n');
  });

  test('--run without --selftest is refused', async () => {
    const run = await monitor(['--run'], { binding: fakeConsole([]).binding, stopped: after(10) });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('covey monitor: --run goes with --selftest\n');
  });
});

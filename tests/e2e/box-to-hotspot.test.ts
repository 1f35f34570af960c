/**
 * From box to hotspot, end to end: the real `covey` command line (tools/cli.ts main) against emulated
 * boards (host-sim/board) on a serial binding, as a DIY owner, a factory line and a vendor run it.
 * `covey flash` writes through the ESP32-S3 ROM loader and resets the board; covey's firmware then boots
 * from that flash (settings and key in the NVS partition), and `covey provision --port`, `covey monitor`
 * and the console's `covey id` talk to it on the same port. The vendor's device onboards to a real oracle
 * on 127.0.0.1 that trusts the vendor.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedBoard, emulatedBoardBinding, type EmulatedBoardOptions } from '../../host-sim/board/emulated-board.js';
import { hotspotAddress, toHex } from '../../proofs/index.js';
import { main, type CliDependencies } from '../../tools/cli.js';
import type { CliIo } from '../../tools/commands/io.js';
import type { SerialBinding as FlashBinding } from '../../tools/flash/web-serial-port.js';
import { readNvsImage } from '../../tools/nvs/index.js';
import { ConsoleClient, type SerialBinding } from '../../tools/provision/console-client.js';
import { parseIdLine, type DeviceId } from '../../tools/provision/console-provision.js';
import { TrustedVendors } from '../../tools/oracle/trusted-vendors.js';
import { readKeyFile } from '../../tools/keyfile.js';
import { signerFor } from '../support/keys.js';
import { startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { imageFolder } from '../tools/flash-fixtures.js';

const PORT = '/dev/ttyUSB0';
const ORACLE_KEY = toHex(signerFor('e2e oracle').publicKey);
/** An oracle no test reaches: provisioning pins the key given, with a warning. Oracles on 127.0.0.1 answer. */
const OFFLINE_ORACLE = 'http://oracle.example';
const offline = (async (url: string, init?: RequestInit) => {
  if (url.startsWith('http://127.0.0.1:')) return fetch(url, init);
  throw new Error('getaddrinfo ENOTFOUND oracle.example');
}) as typeof fetch;

const work = mkdtempSync(join(tmpdir(), 'covey-e2e-'));
const image = imageFolder('esp32s3');
const boards: EmulatedBoard[] = [];
afterEach(() => boards.splice(0).forEach((board) => board.close()));
afterAll(() => [work, image.dir].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let folders = 0;
const folder = (): string => mkdtempSync(join(work, `f${folders++}-`));

interface Bench {
  readonly board: EmulatedBoard;
  readonly binding: SerialBinding;
  /** Everything the firmware sent on UART0 since the board was built, over all boots. */
  readonly output: () => string;
  /** Resolves when the port's output matches `pattern` after `from` characters. */
  readonly waitOutput: (pattern: RegExp, from?: number, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** Port opens so far. */
  readonly opens: () => number;
}

function bench(options: Partial<EmulatedBoardOptions> = {}): Bench {
  const board = new EmulatedBoard({ board: 'heltec_v3', ...options });
  boards.push(board);
  const inner = emulatedBoardBinding({ [PORT]: board });
  let opened = 0;
  const binding = {
    list: () => inner.list(),
    open: async (open: Parameters<typeof inner.open>[0]) => {
      const port = await inner.open(open);
      opened++;
      return port;
    },
  } as unknown as SerialBinding;
  let text = '';
  const decoder = new TextDecoder();
  board.onConsole((bytes) => void (text += decoder.decode(bytes, { stream: true })));
  const waitOutput = async (pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = text.slice(from).match(pattern);
      if (match !== null) return match;
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} on the port within ${timeoutMs} ms; last: ${text.slice(-400)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { board, binding, output: () => text, waitOutput, opens: () => opened };
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `covey …` in-process, its serial ports on the bench's board; `stopWhen` ends a plain `covey monitor`. */
async function covey(argv: string[], on?: Bench, stopWhen?: (stdout: string) => boolean): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
      if (stopWhen?.(stdout) === true) stop();
    },
    stderr: (text) => void (stderr += text),
    readStdin: async () => new Uint8Array(0),
  };
  const binding = on?.binding;
  const dependencies: CliDependencies = {
    flash: { binding: binding as unknown as FlashBinding, isTTY: false },
    provision: { binding, fetch: offline, stdinIsTerminal: () => false },
    monitor: { binding, isTTY: false, env: {}, stopped },
  };
  const code = await main(argv, io, dependencies);
  return { code, stdout, stderr };
}

/** The device's `covey id` answer, read over its console. */
async function consoleId(bench: Bench): Promise<DeviceId> {
  const client = await ConsoleClient.open({ path: PORT, binding: bench.binding });
  try {
    await client.sendLine('covey id');
    return parseIdLine(await client.waitFor('covey-id ', 5000));
  } finally {
    await client.close();
  }
}

const nvsOf = (board: EmulatedBoard) => readNvsImage(board.nvsImage()).namespaces.covey ?? {};

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function passFile(): string {
  const path = join(folder(), 'wifi.txt');
  writeFileSync(path, 'correct horse battery\n', { mode: 0o600 });
  return path;
}

/** A --settings file: a status line every 10 s, so that a monitor sees one soon. */
function extraSettings(fields: Record<string, unknown> = {}): string {
  const path = join(folder(), 'extra.json');
  writeFileSync(path, JSON.stringify({ statusIntervalMs: 10_000, ...fields }));
  return path;
}

const provisionArgs = (oracle = OFFLINE_ORACLE): string[] => [
  'provision', '--board', 'heltec_v3', '--region', 'EU868', '--oracle', oracle, '--location', '52.3731,4.8922',
];

async function flash(bench: Bench, settings?: string): Promise<Run> {
  const run = await covey(['flash', '--board', 'heltec_v3', '--port', PORT, '--image', image.dir, ...(settings === undefined ? [] : ['--settings', settings])], bench);
  expect(run.stderr.replace(/^warning: nvs.bin replaces everything in NVS.*\n/m, '')).toBe('');
  expect(run.code).toBe(0);
  return run;
}

test('a board with erased flash runs nothing: the ROM says "invalid header" after a reset', async () => {
  const b = bench();
  let rom = '';
  b.board.loader.onData((bytes) => void (rom += Buffer.from(bytes).toString('latin1')));
  b.board.pressReset();
  await until('the ROM messages', () => (rom.includes('\n') && rom.endsWith('\r\n') && rom.includes('invalid') ? true : undefined));
  expect(rom).toMatch(/^ESP-ROM:esp32s3-\d+\r\n[^]*\r\ninvalid header: 0xffffffff\r\n$/);
  expect(b.board.firmware).toBeUndefined();
  expect(b.board.boots).toBe(0);
});

test('DIY owner: provision --out, flash --settings; the device makes its key, runs, and keeps both across a reset', async () => {
  const out = folder();
  const provisioned = await covey([
    ...provisionArgs(), '--oracle-key', ORACLE_KEY, '--wifi-ssid', 'x', '--wifi-pass-file', passFile(),
    '--settings', extraSettings(), '--out', out,
  ]);
  expect(provisioned.code).toBe(0);
  expect(provisioned.stderr).toMatch(/warning: could not confirm --oracle-key with the oracle/);
  expect(provisioned.stdout).not.toContain('correct horse battery');

  const b = bench();
  const flashed = await flash(b, out);
  expect(flashed.stdout).toMatch(/^wrote .*0x9000.* verified$/m);
  // After the flasher's hard reset the firmware boots on the flashed NVS and stores a key of its own.
  expect(b.board.boots).toBe(1);
  const seed = await until('the key in NVS', () => nvsOf(b.board).seed);
  expect(seed).toBeInstanceOf(Uint8Array);
  expect(JSON.parse(nvsOf(b.board).settings as string)).toMatchObject({ region: 'EU868', oracleUrl: OFFLINE_ORACLE, wifi: { ssid: 'x' } });
  const first = await b.waitOutput(/info identity address=(cv\w+) short=\S+ created=yes/);
  await b.waitOutput(/info hotspot started/);

  // The owner opens the monitor and presses RST to watch a boot: identity (the same key), then status.
  const opens = b.opens();
  const monitor = covey(['monitor', '--port', PORT], b, (stdout) => /^info status /m.test(stdout));
  await until('the monitor on the port', () => (b.opens() > opens ? true : undefined));
  b.board.pressReset();
  const monitored = await monitor;
  expect(monitored.code).toBe(0);
  expect(monitored.stdout).toMatch(new RegExp(`^info identity address=${first[1]} short=\\S+ created=no`, 'm'));
  expect(monitored.stdout).toMatch(/^info status up=/m);
  expect(b.board.boots).toBe(2);

  // Another reset: same key, same settings, running.
  b.board.pressReset();
  const id = await consoleId(b);
  expect(id).toMatchObject({ address: first[1], board: 'heltec_v3', state: 'running', attested: false });
  expect(nvsOf(b.board).seed).toEqual(seed);
  expect(JSON.parse(nvsOf(b.board).settings as string).wifi.ssid).toBe('x');
  expect(b.board.boots).toBe(3);
});

test('console provisioning: flashed without settings the device waits; provision --port starts it without a restart', async () => {
  const b = bench();
  await flash(b);
  await b.waitOutput(/warn not provisioned, idle/);
  expect((await consoleId(b)).state).toBe('unprovisioned');
  const mark = b.output().length;
  const provisioned = await covey([...provisionArgs(), '--oracle-key', ORACLE_KEY, '--settings', extraSettings(), '--port', PORT], b);
  expect(provisioned.stderr).toMatch(/^covey provision: warning: could not confirm --oracle-key/);
  expect(provisioned.code).toBe(0);
  expect(provisioned.stdout).toMatch(/^delivered settings$/m);
  expect(provisioned.stdout).toMatch(/^next +nothing: the device started the hotspot with these settings$/m);
  await b.waitOutput(/info hotspot started/, mark);
  await b.waitOutput(/info status up=/, mark);
  expect(b.board.boots).toBe(1);
  expect((await consoleId(b)).state).toBe('running');
  expect(JSON.parse(nvsOf(b.board).settings as string).oraclePublicKey).toBeDefined();
});

describe('factory line', () => {
  test('monitor --selftest --run on a healthy board: exit 0 and the SELFTEST PASS line', async () => {
    const b = bench();
    await flash(b);
    await b.waitOutput(/warn not provisioned, idle/);
    const id = await consoleId(b);
    const run = await covey(['monitor', '--port', PORT, '--selftest', '--run', '--timeout', '30'], b);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}radio +PASS/m);
    expect(run.stdout).toMatch(/^ {2}gps +SKIP/m);
    expect(run.stdout).toMatch(new RegExp(`^SELFTEST PASS board=heltec_v3 key=${toHex(id.publicKey as Uint8Array)} passed=5 failed=0 skipped=1$`, 'm'));
  });

  test('a board built without its radio: exit 1, radio FAIL', async () => {
    const b = bench({ faults: { radioRemoved: 0x00 } });
    await flash(b);
    await b.waitOutput(/warn not provisioned, idle/);
    const run = await covey(['monitor', '--port', PORT, '--selftest', '--run', '--timeout', '30'], b);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^ {2}radio +FAIL/m);
    expect(run.stdout).toMatch(/^SELFTEST FAIL board=heltec_v3 key=[0-9a-f]{64} passed=\d failed=[1-9]/m);
  });

  test('provision --selftest --out: after flashing, the board runs the self-test by itself, once', async () => {
    const out = folder();
    expect((await covey([...provisionArgs(), '--oracle-key', ORACLE_KEY, '--selftest', '--out', out])).code).toBe(0);
    const b = bench();
    await flash(b, out);
    await b.waitOutput(/covey-selftest-end PASS passed=5 failed=0 skipped=1 board=heltec_v3 key=[0-9a-f]{64}/);
    const nvs = nvsOf(b.board);
    expect(nvs.mode).toBeUndefined();
    expect(typeof nvs.settings).toBe('string');
    expect(nvs.seed).toBeInstanceOf(Uint8Array);
    // The next boot runs the hotspot, not the test.
    const mark = b.output().length;
    b.board.pressReset();
    await b.waitOutput(/info hotspot started/, mark);
    expect(b.output().slice(mark)).not.toContain('covey-selftest');
  });
});

describe('vendor', () => {
  let oracle: TestOracle;
  afterEach(async () => oracle?.close());

  test('attest a device, store the certificate over the console; it onboards to the oracle as attested', async () => {
    const dir = folder();
    const vendorKey = join(dir, 'vendor.key');
    const init = await covey(['vendor', 'init', '--out', vendorKey, '--name', 'Acme Radio Works']);
    expect(init.code).toBe(0);
    const vendor = readKeyFile(vendorKey);
    const start = Date.UTC(2026, 10, 1, 12);
    oracle = await startTestOracle({ startMs: start, trustedVendors: new TrustedVendors([{ name: 'Acme Radio Works', publicKey: vendor.publicKey }]) });

    // The oracle's clock and the device's SNTP both read the board's virtual time.
    const wallNow = (): number => start + (b.board.firmware?.world.now() ?? 0);
    const b = bench({
      speed: 50,
      accessPoint: { ssid: 'factory', password: 'correct horse battery' },
      sntpSeconds: () => Math.floor(wallNow() / 1000),
      http: async (request) => {
        oracle.clock.nowMs = wallNow();
        const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
        return { status: response.status, headers: Object.fromEntries(response.headers), body: new Uint8Array(await response.arrayBuffer()) };
      },
    });
    await flash(b);
    await b.waitOutput(/warn not provisioned, idle/);
    const device = await consoleId(b);
    expect(device.attested).toBe(false);

    const cert = join(dir, 'device.cert');
    const attest = await covey([
      'vendor', 'attest', '--vendor-key', vendorKey, '--device-pubkey', device.address as string,
      '--model', 'Heltec V3', '--serial', 'HV3-000123', '--out', cert,
    ]);
    expect(attest.code).toBe(0);

    const provisioned = await covey([
      ...provisionArgs(oracle.url), '--wifi-ssid', 'factory', '--wifi-pass-file', passFile(),
      '--settings', extraSettings({ beaconIntervalMs: 60_000 }), '--attest', cert, '--port', PORT,
    ], b);
    expect(provisioned.stderr).toBe('');
    expect(provisioned.code).toBe(0);
    expect(provisioned.stdout).toMatch(/^delivered attest, settings$/m);
    expect(await consoleId(b)).toMatchObject({ address: device.address, state: 'running', attested: true });

    // Wi-Fi, SNTP, entropy, a beacon, its upload refused as unknown: the device onboards with the certificate.
    await b.waitOutput(/info onboarded outcome=registered region=EU868 certificate=sent/, 0, 30_000);
    const answer = await (await oracle.get(`/v1/hotspots/${hotspotAddress(device.publicKey as Uint8Array)}`)).json() as { attestation: unknown };
    expect(answer.attestation).toMatchObject({ vendor: 'Acme Radio Works', vendorKey: toHex(vendor.publicKey), model: 'Heltec V3', serial: 'HV3-000123' });
  });
});

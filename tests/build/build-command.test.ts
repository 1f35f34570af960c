/**
 * `covey build`, run in-process: the exact mcconfig command for every board (golden strings), what it
 * writes, and what it does with and without the Moddable SDK at hand (a stand-in mcconfig on PATH).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boards } from '../../hal/boards/index.js';
import { fakeSdk as makeFakeSdk, withEnv } from '../support/fake-sdk.js';
import { covey, type Run } from '../support/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
let out: string;
const temporary: string[] = [];

/** A fresh temporary folder, removed after the suite. */
function temporaryFolder(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(path);
  return path;
}

beforeAll(() => {
  out = temporaryFolder('covey-build-');
});

afterAll(() => {
  for (const path of temporary) rmSync(path, { recursive: true, force: true });
});

/** A run's output with this machine's paths replaced by <out> and <root>. */
function portable(text: string): string {
  return text.split(out).join('<out>').split(ROOT).join('<root>');
}

const commandLine = (run: Run) => portable(run.stdout.split('\n').find((line) => line.startsWith('command ')) ?? '').replace(/^command\s+/, '');

/** The command each board builds with: SDK target for the Heltec V2, generated targets for the rest. */
const GOLDEN: Record<string, string> = {
  heltec_v2:
    'PATH=<root>/node_modules/.bin:"$PATH" mcconfig -d -m -p esp32/heltec_lora_32 -t build -o <out>/moddable <out>/manifests/heltec_v2.json board=heltec_v2',
  heltec_v3:
    'PATH=<root>/node_modules/.bin:"$PATH" mcconfig -d -m -p esp32:<out>/targets/heltec_v3 -t build -o <out>/moddable <out>/manifests/heltec_v3.json board=heltec_v3',
  tbeam_v1:
    'PATH=<root>/node_modules/.bin:"$PATH" mcconfig -d -m -p esp32:<out>/targets/tbeam_v1 -t build -o <out>/moddable <out>/manifests/tbeam_v1.json board=tbeam_v1',
  t3s3:
    'PATH=<root>/node_modules/.bin:"$PATH" mcconfig -d -m -p esp32:<out>/targets/t3s3 -t build -o <out>/moddable <out>/manifests/t3s3.json board=t3s3',
};

test('there is a golden command for every board in hal/boards', () => {
  expect(Object.keys(GOLDEN).sort()).toEqual(boards.map(({ id }) => id).sort());
});

test.each(Object.entries(GOLDEN))('--dry-run prints the mcconfig command for %s', async (id, golden) => {
  const run = await covey(['build', '--board', id, '--dry-run', '--out', out]);
  expect(run.code).toBe(0);
  expect(commandLine(run)).toBe(golden);
  expect(run.stdout).toMatch(/^dry run\s+mcconfig not run$/m);
});

test('the progress lines name each step, in order', async () => {
  const run = await covey(['build', '--board', 'heltec_v3', '--dry-run', '--out', out]);
  expect(run.stdout.split('\n').map((line) => line.split(/\s+/)[0]).filter(Boolean)).toEqual([
    'board', 'deps', 'check', 'target', 'manifest', 'command', 'dry',
  ]);
  expect(run.stdout).toMatch(/^board\s+heltec_v3: Heltec WiFi LoRa 32 V3; ESP32-S3; SX1262 868\/915; supported$/m);
});

test('the generated target and build manifest are written under --out', async () => {
  await covey(['build', '--board', 'tbeam_v1', '--dry-run', '--out', out]);
  expect(readFileSync(join(out, 'targets', 'tbeam_v1', 'host', 'provider.js'), 'utf8')).toContain('gpsReceive: 34,');
  expect(JSON.parse(readFileSync(join(out, 'targets', 'tbeam_v1', 'manifest.json'), 'utf8'))).toMatchObject({ config: { board: 'tbeam_v1' } });
  expect(JSON.parse(readFileSync(join(out, 'manifests', 'tbeam_v1.json'), 'utf8'))).toEqual({
    build: { COVEY: ROOT, NAME: 'covey' },
    include: [join(ROOT, 'manifest.json')],
  });
});

test('the Heltec V2 gets no generated target, and notes where the SDK target differs', async () => {
  const run = await covey(['build', '--board', 'heltec_v2', '--dry-run', '--out', out]);
  expect(existsSync(join(out, 'targets', 'heltec_v2'))).toBe(false);
  expect(run.stdout).toMatch(/^note\s+I2C\.default\.data is 21 in the SDK target, 4 in hal\/boards\/heltec_v2\.ts/m);
});

test('--flash --port builds, flashes through the port and drops -t build; --release drops -d', async () => {
  const run = await covey(['build', '--board', 't3s3', '--dry-run', '--out', out, '--flash', '--port', '/dev/ttyACM0', '--release']);
  expect(commandLine(run)).toBe(
    'PATH=<root>/node_modules/.bin:"$PATH" UPLOAD_PORT=/dev/ttyACM0 mcconfig -m -p esp32:<out>/targets/t3s3 -o <out>/moddable <out>/manifests/t3s3.json board=t3s3',
  );
});

test('--json prints one object with the command, the target and the check', async () => {
  const run = await covey(['build', '--board', 'heltec_v3', '--dry-run', '--out', out, '--json']);
  expect(run.code).toBe(0);
  const printed = JSON.parse(run.stdout) as Record<string, unknown> & { command: { argv: string[]; display: string } };
  expect(printed).toMatchObject({ board: 'heltec_v3', ran: false, target: { kind: 'covey', platform: `esp32:${join(out, 'targets', 'heltec_v3')}` } });
  expect(printed.command.argv.slice(0, 5)).toEqual(['mcconfig', '-d', '-m', '-p', `esp32:${join(out, 'targets', 'heltec_v3')}`]);
  expect(portable(printed.command.display)).toBe(GOLDEN.heltec_v3);
});

test('an unknown board exits 1 with one line naming the valid ids', async () => {
  const run = await covey(['build', '--board', 'heltec', '--dry-run', '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe('covey build: unknown board "heltec"; valid boards: heltec_v2, heltec_v3, tbeam_v1, t3s3\n');
});

test('--port without --flash is refused', async () => {
  const run = await covey(['build', '--board', 'heltec_v3', '--port', '/dev/ttyUSB0', '--out', out]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe('covey build: --port is for flashing: add --flash\n');
});

test('without mcconfig on PATH it prints the command, says what to install and exits 1', async () => {
  const empty = temporaryFolder('covey-empty-path-');
  const run = await withEnv({ PATH: empty }, () => covey(['build', '--board', 'heltec_v3', '--out', out]));
  expect(run.code).toBe(1);
  expect(commandLine(run)).toBe(GOLDEN.heltec_v3);
  expect(run.stderr).toMatch(/^covey build: mcconfig is not on PATH: install the Moddable SDK 8\.x .*docs\/building\.md/m);
});

/** A Moddable SDK folder holding (empty) every file covey's manifests name, and a stand-in mcconfig. */
const fakeSdk = () => makeFakeSdk(temporaryFolder('covey-sdk-'));

test('with the SDK at hand it runs mcconfig with the printed arguments and returns its exit code', async () => {
  const sdk = fakeSdk();
  const run = await withEnv({ PATH: `${sdk.bin}:${process.env.PATH ?? ''}`, MODDABLE: sdk.moddable, IDF_PATH: sdk.moddable }, () =>
    covey(['build', '--board', 'tbeam_v1', '--out', out, '--flash', '--port', '/dev/ttyUSB1']),
  );
  expect(run.code).toBe(3);
  const [args, port, path] = readFileSync(sdk.log, 'utf8').trim().split('\n').reduce<[string[], string, string]>(
    ([list, p, q], line) => (line.startsWith('UPLOAD_PORT=') ? [list, line, q] : line.startsWith('PATH=') ? [list, p, line] : [[...list, line], p, q]),
    [[], '', ''],
  );
  expect(args.map(portable)).toEqual(['-d', '-m', '-p', 'esp32:<out>/targets/tbeam_v1', '-o', '<out>/moddable', '<out>/manifests/tbeam_v1.json', 'board=tbeam_v1']);
  expect(port).toBe('UPLOAD_PORT=/dev/ttyUSB1');
  expect(path.startsWith(`PATH=${join(ROOT, 'node_modules', '.bin')}:`)).toBe(true);
});

test('with $MODDABLE set, a manifest path missing from that SDK stops the build', async () => {
  const sdk = fakeSdk();
  rmSync(join(sdk.moddable, 'modules', 'files', 'flash', 'manifest.json'));
  const run = await withEnv({ PATH: `${sdk.bin}:${process.env.PATH ?? ''}`, MODDABLE: sdk.moddable, IDF_PATH: sdk.moddable }, () =>
    covey(['build', '--board', 'heltec_v3', '--out', out]),
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('$(MODDABLE)/modules/files/flash/manifest.json: not found in the Moddable SDK at');
  expect(existsSync(sdk.log)).toBe(false);
});

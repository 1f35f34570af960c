/**
 * `covey provision` end to end in-process: the oracle's key fetched from a real covey oracle on
 * 127.0.0.1 and pinned, a given key confirmed or refused; the files it writes (nvs.bin read back with
 * the NVS reader, settings.json mode 0600, provision.json without secrets); the Wi-Fi password kept out
 * of every output; --key, --attest and --selftest in the image; each validation error as one line; and
 * the console path through the command against the fake device.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { encodeDeviceCertificate, hotspotAddress, signDeviceCertificate, toHex } from '../../proofs/index.js';
import { parseSettings } from '../../src/settings.js';
import { addProvisionCommand, type ProvisionDependencies } from '../../tools/commands/provision.js';
import type { CliIo } from '../../tools/commands/io.js';
import { writeKeyFile } from '../../tools/keyfile.js';
import { readNvsImage } from '../../tools/nvs/index.js';
import { covey, expectOneLineFailure, type Run } from '../support/cli.js';
import { seedFor, signerFor } from '../support/keys.js';
import { startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { FakeDevice, MockBinding } from './provision-device.js';

const PASSWORD = 'pw-Zebra-7731-never-shown';
const oracleKey = signerFor('oracle').publicKey; // the key startTestOracle signs with

let dir: string;
let t: TestOracle;
beforeAll(async () => {
  t = await startTestOracle();
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-provision-'));
  writeFileSync(join(dir, 'wifi.txt'), `${PASSWORD}\n`, { mode: 0o600 });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  MockBinding.reset();
});

/** `covey provision <argv>` in-process with `dependencies`, as tools/cli.ts sets the command up. */
async function provision(argv: string[], dependencies: ProvisionDependencies = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => new Uint8Array(0) };
  const program = new Command('covey').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  addProvisionCommand(program, { io, setExitCode: (value) => void (code = value) }, { stdinIsTerminal: () => false, ...dependencies })
    .configureOutput({ outputError: (text) => io.stderr(`covey provision: ${text.replace(/^error: /, '').trim()}\n`) });
  try {
    await program.parseAsync(['provision', ...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

const base = () => ['--board', 'heltec_v3', '--region', 'EU868', '--oracle', t.url, '--out', join(dir, 'out')];
const wifi = () => ['--wifi-ssid', 'home', '--wifi-pass-file', join(dir, 'wifi.txt')];
const nvsOf = () => readNvsImage(new Uint8Array(readFileSync(join(dir, 'out', 'nvs.bin'))));
const manifest = () => JSON.parse(readFileSync(join(dir, 'out', 'provision.json'), 'utf8')) as Record<string, unknown>;

describe('files for flashing', () => {
  test("pins the key the oracle publishes and writes an NVS image whose settings the firmware accepts", async () => {
    const run = await provision([...base(), ...wifi(), '--location', '52.3731,4.8922', '--antenna-gain', '3']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const settingsText = readFileSync(join(dir, 'out', 'settings.json'), 'utf8');
    const image = new Uint8Array(readFileSync(join(dir, 'out', 'nvs.bin')));
    expect(image).toHaveLength(0x6000);
    const contents = nvsOf();
    expect(contents.problems).toEqual([]);
    expect(contents.freePages).toBe(1);
    expect(Object.keys(contents.namespaces)).toEqual(['covey']);
    expect(contents.namespaces.covey).toEqual({ settings: settingsText.trimEnd() });
    const settings = parseSettings(JSON.parse(contents.namespaces.covey.settings as string));
    expect(settings).toMatchObject({
      region: 'EU868', oracleUrl: t.url, antennaGainDbi: 3, location: { lat: 52.3731, lon: 4.8922 }, wifi: { ssid: 'home', password: PASSWORD },
    });
    expect(settings.oraclePublicKey).toEqual(oracleKey);
    expect(manifest()).toMatchObject({
      board: 'heltec_v3', region: 'EU868', oracleUrl: t.url, oraclePublicKey: toHex(oracleKey), oracleAddress: hotspotAddress(oracleKey),
      carriesKey: false, nvs: { offset: '0x9000', size: '0x6000', file: 'nvs.bin' }, settings: 'settings.json',
    });
    expect(run.stdout).toMatch(/key {7}none given: the device makes its own on first boot/);
    expect(run.stdout).toMatch(/next {6}covey flash --board heltec_v3 --port <serial> --settings .*out \(writes nvs.bin at 0x9000\)/);
  });

  test('secret files are 0600 and the password appears in no output, JSON or text, nor in provision.json', async () => {
    for (const extra of [[], ['--json']]) {
      const run = await provision([...base(), ...wifi(), ...extra]);
      expect(run.code).toBe(0);
      expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
      expect(readFileSync(join(dir, 'out', 'provision.json'), 'utf8')).not.toContain(PASSWORD);
      expect(statSync(join(dir, 'out', 'settings.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'out', 'nvs.bin')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'out', 'settings.json'), 'utf8')).toContain(PASSWORD);
    }
    const json = JSON.parse((await provision([...base(), ...wifi(), '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ wifi: 'home', carriesKey: false, oracleKeySource: 'oracle' });
  });

  test('a settings.json left readable by others is narrowed to 0600 when written again', async () => {
    await provision(base());
    writeFileSync(join(dir, 'out', 'settings.json'), '{}', { mode: 0o644 });
    expect((await provision([...base(), ...wifi()])).code).toBe(0);
    expect(statSync(join(dir, 'out', 'settings.json')).mode & 0o777).toBe(0o600);
  });

  test('asks for the password with the prompt when standard input is a terminal', async () => {
    const questions: string[] = [];
    const run = await provision([...base(), '--wifi-ssid', 'cafe'], {
      stdinIsTerminal: () => true, promptPassword: async (question) => (questions.push(question), PASSWORD),
    });
    expect(run.code).toBe(0);
    expect(questions).toEqual(['Wi-Fi password for cafe (not shown; empty for an open network): ']);
    expect(JSON.parse(nvsOf().namespaces.covey.settings as string).wifi).toEqual({ ssid: 'cafe', password: PASSWORD });
    expect(run.stdout).not.toContain(PASSWORD);
  });

  test('--key puts the seed in the image and says whose it is; the seed is in no output', async () => {
    const keyFile = join(dir, 'device.key');
    const key = writeKeyFile(keyFile, seedFor('provision key'));
    const run = await provision([...base(), '--key', keyFile, '--json']);
    expect(run.code).toBe(0);
    expect(nvsOf().namespaces.covey.seed).toEqual(seedFor('provision key'));
    expect(manifest()).toMatchObject({ carriesKey: true, publicKey: toHex(key.publicKey), address: key.address });
    expect(JSON.parse(run.stdout)).toMatchObject({ carriesKey: true, address: key.address });
    const seedHex = toHex(seedFor('provision key'));
    expect(`${run.stdout}${run.stderr}${readFileSync(join(dir, 'out', 'provision.json'), 'utf8')}`).not.toContain(seedHex);
  });

  test('--attest stores a certificate for the --key device, --selftest sets the mode', async () => {
    const keyFile = join(dir, 'device.key');
    const key = writeKeyFile(keyFile, seedFor('provision key'));
    const vendor = signerFor('provision vendor');
    const certificate = encodeDeviceCertificate(signDeviceCertificate({
      vendor: vendor.publicKey, device: key.publicKey, model: 'CV-1', serial: 'SN0042', issuedMs: Date.UTC(2026, 0, 1),
    }, vendor));
    writeFileSync(join(dir, 'device.cert'), toHex(certificate));
    const run = await provision([...base(), '--key', keyFile, '--attest', join(dir, 'device.cert'), '--selftest']);
    expect(run.code).toBe(0);
    expect(nvsOf().namespaces.covey).toMatchObject({ attest: certificate, mode: 'selftest', seed: seedFor('provision key') });
    expect(manifest()).toMatchObject({ attested: true, selftest: true });

    const other = join(dir, 'other.key');
    writeKeyFile(other, seedFor('someone else'));
    expectOneLineFailure(await provision([...base(), '--key', other, '--attest', join(dir, 'device.cert')]), /--attest is for device cv\w+, not for --key cv\w+/);
    const forged = Uint8Array.from(certificate);
    forged[forged.length - 1] ^= 1;
    writeFileSync(join(dir, 'forged.cert'), forged);
    expectOneLineFailure(await provision([...base(), '--attest', join(dir, 'forged.cert')]), /signature does not verify/);
  });
});

describe('the oracle key', () => {
  test('a given key the oracle confirms is pinned', async () => {
    const run = await provision([...base(), '--oracle-key', hotspotAddress(oracleKey), '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ oraclePublicKey: toHex(oracleKey), oracleKeySource: 'given and confirmed by the oracle' });
  });

  test('a given key that differs from the oracle\'s is refused and nothing is written', async () => {
    const wrong = signerFor('not the oracle').publicKey;
    const run = await provision([...base(), '--oracle-key', toHex(wrong)]);
    expectOneLineFailure(run, new RegExp(`--oracle-key ${hotspotAddress(wrong)} is not the key ${t.url.replace(/\./g, '\\.')} publishes \\(${hotspotAddress(oracleKey)}\\)`));
    expect(() => statSync(join(dir, 'out'))).toThrow();
  });

  test('an oracle that cannot be reached: a given key is pinned with a warning, without one it is an error', async () => {
    const unreachable = ['--board', 'heltec_v3', '--region', 'EU868', '--oracle', 'http://127.0.0.1:9', '--out', join(dir, 'out')];
    const run = await provision([...unreachable, '--oracle-key', toHex(oracleKey)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^covey provision: warning: could not confirm --oracle-key .*pinned the key given\n$/);
    expectOneLineFailure(await provision(unreachable), /cannot reach http:\/\/127\.0\.0\.1:9\/v1\/oracle/);
  });

  test('an answer that is not an oracle\'s is refused', async () => {
    const fetch = (async () => new Response('{"hello":1}', { status: 200 })) as typeof globalThis.fetch;
    expectOneLineFailure(await provision(base(), { fetch }), /did not give a publicKey of 64 hex digits/);
  });
});

describe('validation', () => {
  const withSettings = async (fields: Record<string, unknown>, extra: string[] = []) => {
    writeFileSync(join(dir, 'extra.json'), JSON.stringify(fields));
    return provision([...base(), '--settings', join(dir, 'extra.json'), ...extra]);
  };

  test.each([
    ['an unknown board, listing the known ones', ['--board', 'heltec_v9'], /^covey provision: unknown board "heltec_v9" \(known: heltec_v2, heltec_v3, tbeam_v1, t3s3\)\n$/],
    ['an unknown region, listing the known ones', ['--region', 'EU433'], /^covey provision: unknown region "EU433" \(known: EU868, US915, AU915, AS923_1.*IN865\)\n$/],
    ['the mapper role on a board without GPS', ['--role', 'mapper'], /the mapper role needs a GPS and heltec_v3 has none \(boards with GPS: tbeam_v1\)/],
    ['an unknown role', ['--role', 'drone'], /--role: "drone" is not one of hotspot, mapper/],
    ['a location out of range', ['--location', '91,4'], /--location: "91,4" is not lat,lon/],
    ['an antenna gain out of range', ['--antenna-gain', '40'], /--antenna-gain must be a number from -10 to 30/],
    ['a password file without an SSID', ['--wifi-pass-file', 'x'], /--wifi-pass-file needs --wifi-ssid/],
    ['an SSID without a password file or a terminal', ['--wifi-ssid', 'home'], /--wifi-ssid needs --wifi-pass-file when standard input is not a terminal/],
    ['--replace-key without --port', ['--replace-key'], /--replace-key goes with --port and --key/],
  ])('refuses %s', async (_what, args, pattern) => {
    const argv = [...base()];
    for (let i = 0; i < args.length; i += 2) {
      const at = argv.indexOf(args[i]);
      if (at >= 0 && args[i + 1] !== undefined) argv[at + 1] = args[i + 1];
      else argv.push(...args.slice(i, args[i + 1] === undefined ? i + 1 : i + 2));
    }
    expectOneLineFailure(await provision(argv), pattern);
  });

  test('refuses a PoC frequency outside the region', async () => {
    expectOneLineFailure(await withSettings({ pocChannel: { frequencyHz: 915_000_000 } }), /PoC frequency 915 MHz is outside EU868: .*sub-band/);
  });

  test('refuses a transmit power above the EIRP limit for the antenna', async () => {
    const run = await withSettings({ txPowerDbm: 20 }, ['--antenna-gain', '10']);
    expectOneLineFailure(run, /transmit power: 20 dBm conducted with a 10 dBi antenna is above EU868's limit at 869\.525 MHz: at most 19\.15 dBm/);
  });

  test('refuses fields the firmware does not know, with its own words', async () => {
    expectOneLineFailure(await withSettings({ beaconEveryMs: 5 }), /invalid settings: beaconEveryMs: unknown setting/);
  });

  test('needs --out or --port, and --oracle', async () => {
    expectOneLineFailure(await provision(['--board', 'heltec_v3', '--region', 'EU868', '--oracle', t.url]), /give --out <dir>, --port <path>, or both/);
    expectOneLineFailure(await provision(['--board', 'heltec_v3', '--region', 'EU868', '--out', dir]), /--oracle <url> is needed/);
  });

  test('has --help, and takes no password on the command line', async () => {
    const help = await covey(['provision', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--wifi-pass-file <file>');
    const run = await provision([...base(), '--wifi-ssid', 'home', '--wifi-pass', PASSWORD]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown option '--wifi-pass'/);
  });
});

describe('over the serial console', () => {
  test('delivers to the device, shows its address, and says what comes next', async () => {
    const device = new FakeDevice({ path: '/dev/ttyUSB7', publicKey: signerFor('console device').publicKey });
    const run = await provision(
      ['--board', 'heltec_v3', '--region', 'EU868', '--oracle', t.url, '--port', '/dev/ttyUSB7', ...wifi(), '--selftest'],
      { binding: device.binding },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(device.stored.get('mode')).toBe('selftest');
    expect(parseSettings(JSON.parse(device.stored.get('settings') as string)).wifi?.password).toBe(PASSWORD);
    expect(run.stdout).toContain(`device    ${hotspotAddress(signerFor('console device').publicKey)}`);
    expect(run.stdout).toMatch(/delivered settings, mode/);
    expect(run.stdout).toMatch(/next {6}restart the device/);
    expect(run.stdout).not.toContain(PASSWORD);
  });

  test('a board mismatch is one line and exit code 1', async () => {
    const device = new FakeDevice({ path: '/dev/ttyUSB7', publicKey: signerFor('console device').publicKey, board: 't3s3' });
    const run = await provision(['--board', 'heltec_v3', '--region', 'EU868', '--oracle', t.url, '--port', '/dev/ttyUSB7'], { binding: device.binding });
    expectOneLineFailure(run, /the device on \/dev\/ttyUSB7 is a t3s3, not a heltec_v3: nothing was written/);
  });
});

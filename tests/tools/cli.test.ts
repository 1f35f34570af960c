/**
 * The covey command line, run in-process through main(argv, io): exit codes, what reaches stdout and
 * stderr, and the files keygen leaves behind.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  asciiBytes, createPortableSigner, decodeBeaconReport, decodeCbor, encodeCbor, encodeOnboard, encodeUploadBatch,
  fromHex, hotspotAddress, sha256, signOnboard, toHex, type CborValue,
} from '../../proofs/index.js';
import { covey, expectOneLineFailure, type Run } from '../support/cli.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { playScenario } from '../../tools/demo-scenario.js';
import { readKeyFile } from '../../tools/keyfile.js';

const fixedRandom = (label: string, length: number) => sha256(asciiBytes(`cli test ${label}`)).slice(0, length);
const scenario = playScenario(fixedRandom, Date.UTC(2026, 2, 1, 12, 0, 7, 250));
const message = (file: string): Uint8Array => {
  const bytes = scenario.messages.get(file);
  if (bytes === undefined) throw new Error(`the scenario made no ${file}`);
  return bytes;
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function put(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('covey --help', () => {
  test.each([[[]], [['keygen']], [['inspect']]])('%j --help prints usage and exits 0', async (command) => {
    const run = await covey([...command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: covey${command.length > 0 ? ` ${command[0]}` : ''}`);
    expect(run.stderr).toBe('');
  });

  test('the installed `covey` command (bin/covey.js) runs the CLI from any directory', () => {
    const shim = fileURLToPath(new URL('../../bin/covey.js', import.meta.url));
    const run = spawnSync(process.execPath, [shim, 'keygen', '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: covey keygen');
  });

  test('an unknown command exits 1 with one line', async () => {
    expectOneLineFailure(await covey(['inspct', 'x']), /^covey: unknown command 'inspct'/);
  });

  test('an unknown option exits 1 with one line naming the command', async () => {
    expectOneLineFailure(await covey(['inspect', 'x', '--bogus']), /^covey inspect: unknown option '--bogus'/);
  });
});

describe('covey keygen', () => {
  test('writes a key file with mode 0600 and prints no secret', async () => {
    const out = join(dir, 'hotspot.key');
    const run = await covey(['keygen', '--out', out]);
    expect(run.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(file.format).toBe('covey-key');
    expect(file.version).toBe(1);
    expect(run.stdout).toContain(String(file.publicKey));
    expect(run.stdout).toContain(String(file.address));
    expect(run.stdout).not.toContain(String(file.seed));
  });

  test("the key file's public key and address belong to its seed", async () => {
    const out = join(dir, 'hotspot.key');
    const run = await covey(['keygen', '--out', out, '--json']);
    const printed = JSON.parse(run.stdout) as { publicKey: string; address: string; shortName: string };
    const file = JSON.parse(readFileSync(out, 'utf8')) as { seed: string; publicKey: string; address: string };
    const seed = fromHex(file.seed);
    expect(toHex(createHostSigner(seed).publicKey)).toBe(file.publicKey);
    expect(toHex(createPortableSigner(seed).publicKey)).toBe(file.publicKey);
    expect(file.address).toBe(hotspotAddress(fromHex(file.publicKey)));
    expect(printed.publicKey).toBe(file.publicKey);
    expect(printed.address).toBe(file.address);
    expect(readKeyFile(out).shortName).toBe(printed.shortName);
  });

  test('refuses to replace an existing file without --force', async () => {
    const out = join(dir, 'hotspot.key');
    await covey(['keygen', '--out', out]);
    const before = readFileSync(out, 'utf8');
    expectOneLineFailure(await covey(['keygen', '--out', out]), /^covey keygen: .*already exists.*--force/);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  test('replaces an existing file with --force, still 0600', async () => {
    const out = put('hotspot.key', 'old');
    chmodSync(out, 0o644);
    const run = await covey(['keygen', '--out', out, '--force']);
    expect(run.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('covey-key');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  test('leaves no temporary file behind, whether it succeeds or refuses', async () => {
    const out = join(dir, 'hotspot.key');
    await covey(['keygen', '--out', out]);
    await covey(['keygen', '--out', out]);
    expect(readdirSync(dir)).toEqual(['hotspot.key']);
  });

  test('a missing directory exits 1 with one line', async () => {
    const run = await covey(['keygen', '--out', join(dir, 'no', 'such', 'k')]);
    expectOneLineFailure(run, /^covey keygen: cannot create/);
  });

  test('--out is required', async () => {
    expectOneLineFailure(await covey(['keygen']), /^covey keygen: required option/);
  });
});

describe('covey inspect decodes every message kind', () => {
  const hotspot = createHostSigner(fixedRandom('onboard key', 32));
  const onboard = encodeOnboard(
    signOnboard(
      {
        hotspot: hotspot.publicKey, latE7: 525_200_000, lonE7: 134_050_000, gainDdbi: 30, region: 'EU868',
        timeMs: 1_772_366_400_000,
      },
      hotspot,
    ),
  );
  const bytesOf = (file: string) => (file === 'onboard.cbor' ? onboard : message(file));
  const cases: [string, string][] = [
    ['entropy.cbor', 'Entropy'],
    ['beacon.bin', 'Beacon'],
    ['beacon-report.cbor', 'BeaconReport'],
    ['witness-receipt.cbor', 'WitnessReceipt'],
    ['upload-batch-b.cbor', 'UploadBatch'],
    ['upload-batch-a.cbor', 'UploadBatch'],
    ['upload-ack.cbor', 'UploadAck'],
    ['onboard.cbor', 'Onboard'],
  ];

  test.each(cases)('%s decodes as %s with --json', async (name, type) => {
    const run = await covey(['inspect', put(name, bytesOf(name)), '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { type: string; ok: boolean; size: number };
    expect(json.type).toBe(type);
    expect(json.ok).toBe(true);
    expect(json.size).toBe(bytesOf(name).length);
  });

  test.each(cases)('%s prints readable text headed %s', async (name, type) => {
    const run = await covey(['inspect', put(name, bytesOf(name))]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^${type} v1 `));
  });
});

describe('covey inspect input forms', () => {
  test('reads hex text from a file', async () => {
    const run = await covey(['inspect', put('r.hex', `${toHex(message('witness-receipt.cbor'))}\n`), '--json']);
    expect(JSON.parse(run.stdout).type).toBe('WitnessReceipt');
  });

  test('reads raw bytes and hex dumps from standard input', async () => {
    const raw = await covey(['inspect', '-', '--json'], message('beacon.bin'));
    expect(JSON.parse(raw.stdout).type).toBe('Beacon');
    const dump = toHex(message('beacon.bin')).replace(/(.{60})/g, '$1\n');
    const hex = await covey(['inspect', '-', '--json'], new TextEncoder().encode(dump));
    expect(JSON.parse(hex.stdout).type).toBe('Beacon');
  });

  test('shows human units next to the wire integers', async () => {
    const run = await covey(['inspect', put('w.cbor', message('witness-receipt.cbor'))]);
    expect(run.stdout).toContain('-108.5 dBm (-1085 in 0.1 dBm)');
    expect(run.stdout).toContain('-7.2 dB (-72 in 0.1 dB)');
    expect(run.stdout).toContain('868.1 MHz');
    expect(run.stdout).toContain('SF12BW125 (code 0)');
    expect(run.stdout).toMatch(/2026-03-01T12:00:1\d\.\d{3}Z \(\d+ ms\)/);
  });
});

describe('covey inspect signatures', () => {
  const verdicts = (run: Run) =>
    (JSON.parse(run.stdout) as { signatures: { verdict: string }[] }).signatures.map((s) => s.verdict);

  test('a bare witness receipt is not checked without --key', async () => {
    const run = await covey(['inspect', put('w.cbor', message('witness-receipt.cbor')), '--json']);
    expect(run.code).toBe(0);
    expect(verdicts(run)).toEqual(['unchecked']);
  });

  test('a witness receipt is valid with its signer as --key (hex or address)', async () => {
    const file = put('w.cbor', message('witness-receipt.cbor'));
    for (const key of [toHex(scenario.hotspotB), hotspotAddress(scenario.hotspotB)]) {
      const run = await covey(['inspect', file, '--json', '--key', key]);
      expect(verdicts(run)).toEqual(['valid']);
    }
  });

  test('a witness receipt is INVALID under another key', async () => {
    const file = put('w.cbor', message('witness-receipt.cbor'));
    const run = await covey(['inspect', file, '--key', toHex(scenario.hotspotA)]);
    expect(run.stdout).toMatch(/witness receipt by cv\w+: INVALID/);
    expectOneLineFailure(run, /^covey inspect: .*w\.cbor: 1 of 1 checks INVALID/);
  });

  test('entropy is checked with --oracle-key', async () => {
    const file = put('e.cbor', message('entropy.cbor'));
    expect(verdicts(await covey(['inspect', file, '--json']))).toEqual(['unchecked']);
    const keyed = await covey(['inspect', file, '--json', '--oracle-key', toHex(scenario.oracle)]);
    expect(verdicts(keyed)).toEqual(['valid']);
  });

  test('a beacon with a tampered signature is INVALID', async () => {
    const frame = Uint8Array.from(message('beacon.bin'));
    frame[45] ^= 0x01; // first byte of R
    const run = await covey(['inspect', put('b.bin', frame), '--json']);
    expect(run.code).toBe(1);
    expect(verdicts(run)).toEqual(['invalid']);
    expect(JSON.parse(run.stdout).ok).toBe(false);
  });

  test('a batch item with a tampered signature is INVALID (bad_signature)', async () => {
    const batch = Uint8Array.from(message('upload-batch-b.cbor'));
    batch[batch.length - 40] ^= 0x01; // inside the receipt's signature
    const run = await covey(['inspect', put('b.cbor', batch)]);
    expect(run.stdout).toMatch(/items\[0\] witness receipt by cv\w+: INVALID \(bad_signature\)/);
    expect(run.code).toBe(1);
  });

  test("a beacon report uploaded by another hotspot is INVALID (wrong_signer)", async () => {
    const report = decodeBeaconReport(message('beacon-report.cbor'));
    const batch = encodeUploadBatch({ uploader: scenario.hotspotB, items: [{ kind: 'beacon', report }] });
    const run = await covey(['inspect', put('b.cbor', batch)]);
    expect(run.stdout).toMatch(/items\[0\] beacon report by cv\w+: INVALID \(wrong_signer\)/);
    expect(run.stdout).toMatch(/items\[0\] beacon in the report by cv\w+: valid/);
    expect(run.code).toBe(1);
  });

  test('an unreadable batch item is reported with its DecodeError code', async () => {
    const receipt = decodeCbor(message('witness-receipt.cbor')) as CborValue[];
    const shortDigest = [...receipt.slice(0, 2), new Uint8Array(15), ...receipt.slice(3)];
    const batch = encodeCbor([5, 1, scenario.hotspotB, [receipt, shortDigest]]);
    const run = await covey(['inspect', put('b.cbor', batch), '--json']);
    const json = JSON.parse(run.stdout) as { ok: boolean; problems: string[]; signatures: { verdict: string }[] };
    expect(json.ok).toBe(false);
    expect(json.problems).toEqual([expect.stringMatching(/^items\[1\]: WrongLength: /)]);
    expect(json.signatures.map((check) => check.verdict)).toEqual(['valid']);
    expectOneLineFailure(run, /1 unreadable part/);
  });

  test('--key names the expected signer of a self-signed message', async () => {
    const file = put('b.bin', message('beacon.bin'));
    const same = await covey(['inspect', file, '--json', '--key', toHex(scenario.hotspotA)]);
    expect(verdicts(same)).toEqual(['valid', 'valid']);
    const other = await covey(['inspect', file, '--json', '--key', toHex(scenario.hotspotB)]);
    expect(verdicts(other)).toEqual(['valid', 'invalid']);
    expect(other.code).toBe(1);
  });

  test('a malformed --key exits 1 with one line', async () => {
    const run = await covey(['inspect', put('b.bin', message('beacon.bin')), '--key', 'cvzz']);
    expectOneLineFailure(run, /^covey inspect: --key: /);
  });
});

describe('covey inspect rejects bad input with the DecodeError code', () => {
  const receipt = () => message('witness-receipt.cbor');
  const cases: [string, () => Uint8Array | string, RegExp][] = [
    ['garbage', () => 'hello, this is not a covey message', /: (Malformed|TrailingBytes|WrongType): /],
    ['a truncated receipt', () => receipt().slice(0, 80), /: Malformed: /],
    ['a receipt with a trailing byte', () => Uint8Array.from([...receipt(), 0]), /: TrailingBytes: /],
    ['a truncated beacon frame', () => message('beacon.bin').slice(0, 108), /: WrongLength: /],
    ['a beacon frame with a trailing byte', () => Uint8Array.from([...message('beacon.bin'), 0]), /: TrailingBytes: /],
    ['a non-shortest integer', () => Uint8Array.from([0x19, 0x00, 0x01]), /: NonCanonical: .*RFC 8949/],
    ['an unknown message type', () => Uint8Array.from([0x83, 0x18, 0x63, 0x01, 0x00]), /: UnknownType: /],
    ['an unknown version', () => Uint8Array.from([0x82, 0x04, 0x09]), /: UnknownVersion: /],
    ['an empty file', () => new Uint8Array(0), /: Malformed: /],
    ['odd-length hex', () => 'abc', /: hex text has an odd number of digits/],
  ];

  test.each(cases)('%s', async (_name, bytes, reason) => {
    const file = put('bad.bin', bytes());
    const run = await covey(['inspect', file]);
    expect(run.stderr.startsWith(`covey inspect: ${file}: `)).toBe(true);
    expectOneLineFailure(run, reason);
    expect(run.stdout).toBe('');
  });

  test('a missing file exits 1 with one line', async () => {
    const run = await covey(['inspect', join(dir, 'nope.cbor')]);
    expectOneLineFailure(run, /^covey inspect: .*nope\.cbor: no such file$/m);
  });
});

/** `covey vendor init | attest | show`, and `covey oracle --trusted-vendors` refusing a bad file, in-process. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDeviceCertificate, hotspotAddress, toHex, verifyDeviceCertificate } from '../../proofs/index.js';
import { readKeyFile } from '../../tools/keyfile.js';
import { covey, expectOneLineFailure } from '../support/cli.js';
import { hostVerifier, signerFor } from '../support/keys.js';

const device = signerFor('vendor cli device').publicKey;
let dir: string;
const at = (name: string) => join(dir, name);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-vendor-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function vendorKey(name = 'vendor.key'): Promise<string> {
  expect((await covey(['vendor', 'init', '--out', at(name), '--name', 'Acme Radio Works'])).code).toBe(0);
  return at(name);
}

async function attest(extra: string[] = []) {
  const key = await vendorKey();
  const run = await covey(['vendor', 'attest', '--vendor-key', key, '--device-pubkey', hotspotAddress(device),
    '--model', 'Heltec V3', '--serial', 'HV3-000123', '--out', at('device.cert'), ...extra]);
  return { key, run };
}

test.each([['vendor'], ['vendor', 'init'], ['vendor', 'attest'], ['vendor', 'show']])('covey %s … --help', async (...words) => {
  const run = await covey([...words, '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^Usage: covey vendor/);
});

describe('covey vendor init', () => {
  test('writes a 0600 key file and prints its public key and the trusted-vendors entry', async () => {
    const run = await covey(['vendor', 'init', '--out', at('v.key'), '--name', 'Acme Radio Works', '--json']);
    expect(run.code).toBe(0);
    const key = readKeyFile(at('v.key'));
    expect(statSync(at('v.key')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(run.stdout)).toEqual({
      file: at('v.key'), publicKey: toHex(key.publicKey), address: key.address,
      trustedVendorsEntry: { name: 'Acme Radio Works', publicKey: toHex(key.publicKey) },
    });
    expect(run.stdout).not.toContain(toHex(key.seed));
  });

  test('refuses to replace an existing file', async () => {
    await vendorKey('v.key');
    expectOneLineFailure(await covey(['vendor', 'init', '--out', at('v.key')]), /^covey vendor init: .*already exists \(use --force/);
  });
});

describe('covey vendor attest', () => {
  test('writes a certificate signed by the vendor key, naming the device, model and serial', async () => {
    const { key, run } = await attest();
    expect(run.code).toBe(0);
    const bytes = new Uint8Array(readFileSync(at('device.cert')));
    const certificate = decodeDeviceCertificate(bytes);
    expect(certificate).toMatchObject({ device, vendor: readKeyFile(key).publicKey, model: 'Heltec V3', serial: 'HV3-000123' });
    expect(verifyDeviceCertificate(certificate, hostVerifier)).toBe(true);
    expect(run.stdout).toContain(`wrote ${at('device.cert')} (${bytes.length} bytes)`);
    expect(run.stdout).toContain(hotspotAddress(device));
    expect(run.stdout).toMatch(/^model {7}Heltec V3$/m);
    expect(run.stdout).toMatch(/^serial {6}HV3-000123$/m);
    expect(run.stdout).toContain(`vendor key  ${toHex(readKeyFile(key).publicKey)}`);
  });

  test('--json prints the certificate as one object', async () => {
    const { run } = await attest(['--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ file: at('device.cert'), device: hotspotAddress(device), deviceKey: toHex(device), model: 'Heltec V3', serial: 'HV3-000123' });
  });

  test.each<[string, string[], RegExp]>([
    ['a model too long', ['--model', 'M'.repeat(24)], /^covey vendor attest: --model: "M+" is not 1–23 printable ASCII/],
    ['a serial with a space', ['--serial', 'HV3 1'], /^covey vendor attest: --serial: "HV3 1" is not 1–23/],
    ['a device key that is not one', ['--device-pubkey', 'abc'], /^covey vendor attest: --device-pubkey: a hotspot id is/],
    ['a missing vendor key file', ['--vendor-key', '/nonexistent/vendor.key'], /^covey vendor attest: cannot read key file \/nonexistent\/vendor.key: no such file/],
  ])('refuses %s with one line, writing nothing', async (_, change, message) => {
    const key = await vendorKey();
    const base: Record<string, string> = {
      '--vendor-key': key, '--device-pubkey': toHex(device), '--model': 'Heltec V3', '--serial': 'HV3-1', '--out': at('x.cert'),
    };
    for (let i = 0; i < change.length; i += 2) base[change[i]] = change[i + 1];
    expectOneLineFailure(await covey(['vendor', 'attest', ...Object.entries(base).flat()]), message);
    expect(existsSync(at('x.cert'))).toBe(false);
  });

  test('refuses to replace an existing certificate without --force', async () => {
    await attest();
    const again = await covey(['vendor', 'attest', '--vendor-key', at('vendor.key'), '--device-pubkey', toHex(device),
      '--model', 'X', '--serial', 'Y', '--out', at('device.cert')]);
    expectOneLineFailure(again, /already exists \(use --force/);
  });
});

describe('covey vendor show', () => {
  test('prints a certificate with a valid signature, and checks the device and the trusted vendors when asked', async () => {
    const { key } = await attest();
    writeFileSync(at('trusted.json'), JSON.stringify({ vendors: [{ name: 'Acme Radio Works', publicKey: toHex(readKeyFile(key).publicKey) }] }));
    const run = await covey(['vendor', 'show', at('device.cert'), '--device-pubkey', hotspotAddress(device), '--trusted-vendors', at('trusted.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^signature {3}valid/m);
    expect(run.stdout).toMatch(/^for device {2}matches --device-pubkey$/m);
    expect(run.stdout).toMatch(/^trusted {5}yes: "Acme Radio Works"$/m);
    const json = JSON.parse((await covey(['vendor', 'show', at('device.cert'), '--json'])).stdout) as { checks: unknown; serial: string };
    expect(json).toMatchObject({ serial: 'HV3-000123', checks: { signature: 'valid' } });
  });

  test('a tampered certificate decodes but its signature is INVALID: exit 1', async () => {
    await attest();
    const bytes = readFileSync(at('device.cert'));
    const serialAt = bytes.indexOf('HV3-000123');
    bytes[serialAt + 9] = '4'.charCodeAt(0);
    writeFileSync(at('tampered.cert'), bytes);
    const run = await covey(['vendor', 'show', at('tampered.cert')]);
    expect(run.stdout).toMatch(/^serial {6}HV3-000124$/m);
    expectOneLineFailure(run, /^covey vendor show: .*tampered\.cert: the vendor signature is INVALID\n$/);
  });

  test('another device, or an untrusted vendor, is a failure', async () => {
    await attest();
    const other = await covey(['vendor', 'show', at('device.cert'), '--device-pubkey', toHex(signerFor('someone').publicKey)]);
    expectOneLineFailure(other, /the certificate is for another device\n$/);
    writeFileSync(at('trusted.json'), '{"vendors": []}');
    expectOneLineFailure(await covey(['vendor', 'show', at('device.cert'), '--trusted-vendors', at('trusted.json')]), /not in the trusted-vendors file\n$/);
  });

  test('bytes that are not a certificate, in hex or raw, are refused with the decode error', async () => {
    writeFileSync(at('junk.hex'), '83030102\n');
    expectOneLineFailure(await covey(['vendor', 'show', at('junk.hex')]), /^covey vendor show: .*junk\.hex: not a device certificate \(WrongType: expected DeviceCertificate, got BeaconReport\)\n$/);
    expectOneLineFailure(await covey(['vendor', 'show', at('nothing')]), /^covey vendor show: .*nothing: no such file\n$/);
  });
});

describe('covey oracle --trusted-vendors', () => {
  test.each<[string, string | null, RegExp]>([
    ['a missing file', null, /^covey oracle: --trusted-vendors: cannot read .*vendors\.json: no such file\n$/],
    ['a file that is not JSON', 'vendors:', /^covey oracle: --trusted-vendors: .*vendors\.json: not JSON/],
    ['an entry without a key', '{"vendors": [{"name": "Acme"}]}', /^covey oracle: --trusted-vendors: .*vendors\.json: vendors\[0\] \("Acme"\): "publicKey" must be/],
  ])('refuses %s before creating the key or the database', async (_, text, message) => {
    if (text !== null) writeFileSync(at('vendors.json'), text);
    const run = await covey(['oracle', '--db', at('oracle.db'), '--port', '0', '--trusted-vendors', at('vendors.json')]);
    expectOneLineFailure(run, message);
    expect(existsSync(at('oracle.db'))).toBe(false);
    expect(existsSync(at('oracle.db.key'))).toBe(false);
  });
});

/**
 * `covey onboard --key … --certificate …`: a version 2 request carrying a vendor's device certificate,
 * sent over real HTTP on 127.0.0.1 to an oracle that trusts that vendor, and the refusals made before
 * anything is sent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asciiBytes, decodeOnboard, encodeDeviceCertificate, hotspotAddress, sha256, signDeviceCertificate, type Signer,
} from '../../proofs/index.js';
import { writeKeyFile } from '../../tools/keyfile.js';
import { TrustedVendors } from '../../tools/oracle/trusted-vendors.js';
import { covey, expectOneLineFailure } from '../support/cli.js';
import { signerFor } from '../support/keys.js';
import { startTestOracle, type TestOracle } from '../support/oracle-harness.js';

const vendor = signerFor('onboard certificate vendor');
const untrusted = signerFor('onboard certificate other vendor');
const hotspotSeed = sha256(asciiBytes('onboard certificate hotspot'));
const otherSeed = sha256(asciiBytes('onboard certificate other hotspot'));

let dir: string;
let keyFile: string;
let hotspotKey: Uint8Array;
let otherKey: Uint8Array;
let t: TestOracle;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'covey-onboard-cert-'));
  keyFile = join(dir, 'hotspot.key');
  hotspotKey = writeKeyFile(keyFile, hotspotSeed).publicKey;
  otherKey = writeKeyFile(join(dir, 'other.key'), otherSeed).publicKey;
  t = await startTestOracle({ startMs: Date.now(), trustedVendors: new TrustedVendors([{ name: 'Acme Radio Works', publicKey: vendor.publicKey }]) });
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

function certificateFile(device: Uint8Array, signer: Signer = vendor): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.cert`);
  writeFileSync(path, encodeDeviceCertificate(signDeviceCertificate({
    vendor: signer.publicKey, device, model: 'Heltec V3', serial: 'HV3-000042', issuedMs: Date.UTC(2026, 9, 1),
  }, signer)));
  return path;
}

const onboardArgs = (...extra: string[]) => ['onboard', '--key', keyFile, '--lat', '52.37', '--lon', '4.89', '--region', 'EU868', ...extra];

interface HotspotJson { attestation: unknown }

test('a trusted vendor certificate is carried, and the oracle records the hotspot as attested', async () => {
  const run = await covey(onboardArgs('--certificate', certificateFile(hotspotKey), '--oracle', t.url));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('with a vendor certificate');
  expect(run.stdout).toContain('attestation: attested (Acme Radio Works)');
  const hotspot = (await (await t.get(`/v1/hotspots/${hotspotAddress(hotspotKey)}`)).json()) as HotspotJson;
  expect(hotspot.attestation).toMatchObject({ vendor: 'Acme Radio Works', model: 'Heltec V3', serial: 'HV3-000042' });
});

test('an untrusted vendor: registered all the same, as DIY, and the answer says why', async () => {
  const run = await covey(onboardArgs('--certificate', certificateFile(hotspotKey, untrusted), '--oracle', t.url));
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('attestation: rejected (untrusted_vendor)');
  const hotspot = (await (await t.get(`/v1/hotspots/${hotspotAddress(hotspotKey)}`)).json()) as HotspotJson;
  expect(hotspot.attestation).toBe('diy');
});

test('--out writes a version 2 request with the certificate inside the hotspot signature', async () => {
  const out = join(dir, 'onboard.cbor');
  const cert = certificateFile(hotspotKey);
  const run = await covey(onboardArgs('--certificate', cert, '--out', out));
  expect(run.code).toBe(0);
  const request = decodeOnboard(new Uint8Array(readFileSync(out)));
  expect(request.certificate).toEqual(new Uint8Array(readFileSync(cert)));
});

test('a certificate made out to another hotspot is refused before anything is sent', async () => {
  const run = await covey(onboardArgs('--certificate', certificateFile(otherKey), '--oracle', t.url));
  expectOneLineFailure(run, /^covey onboard: --certificate .*: it is made out to cv\w+, not to the key's hotspot cv\w+$/m);
  expect((await t.get(`/v1/hotspots/${hotspotAddress(hotspotKey)}`)).status).toBe(404);
});

test('a file that is not a certificate, or whose signature fails, is refused', async () => {
  const junk = join(dir, 'junk.cert');
  writeFileSync(junk, 'hello');
  expectOneLineFailure(await covey(onboardArgs('--certificate', junk)), /^covey onboard: --certificate .*junk\.cert: not a device certificate/);
  const good = readFileSync(certificateFile(hotspotKey));
  good[good.length - 1] ^= 1;
  const bad = join(dir, 'bad.cert');
  writeFileSync(bad, good);
  expectOneLineFailure(await covey(onboardArgs('--certificate', bad)), /^covey onboard: --certificate .*bad\.cert: the vendor's signature does not verify$/m);
});

test('--certificate with --request is refused: a printed request carries its own', async () => {
  const run = await covey(['onboard', '--request', join(dir, 'x.cbor'), '--certificate', certificateFile(hotspotKey)]);
  expectOneLineFailure(run, /^covey onboard: --certificate goes with --key/);
});

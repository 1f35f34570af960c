/**
 * `covey inspect` on the messages of coverage walks and vendor attestation: MapperReport, MapperReceipt,
 * DeviceCertificate, and an Onboard of version 2 with the certificate it carries decoded and checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asciiBytes, beaconDigest, encodeDeviceCertificate, encodeMapperReceipt, encodeMapperReport, encodeOnboard, sha256,
  signDeviceCertificate, signMapperReceipt, signMapperReport, signMapperUplink, signOnboard, toHex,
} from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { covey, expectOneLineFailure } from '../support/cli.js';

const seed = (label: string) => sha256(asciiBytes(`inspect attestation ${label}`));
const vendor = createHostSigner(seed('vendor'));
const device = createHostSigner(seed('device'));
const stranger = createHostSigner(seed('stranger'));
const mapper = createHostSigner(seed('mapper'));
const TIME = Date.UTC(2026, 10, 1, 9, 30);

const certificateFor = (key: Uint8Array) =>
  encodeDeviceCertificate(signDeviceCertificate({ vendor: vendor.publicKey, device: key, model: 'CV-868 Outdoor', serial: 'SN-000123', issuedMs: TIME }, vendor));

const onboardWith = (certificate: Uint8Array | undefined) =>
  encodeOnboard(signOnboard({
    hotspot: device.publicKey, latE7: 525_200_000, lonE7: 134_050_000, gainDdbi: 30, region: 'EU868', timeMs: TIME,
    ...(certificate === undefined ? {} : { certificate }),
  }, device));

const uplink = signMapperUplink({ mapper: mapper.publicKey, latE7: 525_100_000, lonE7: 134_000_000, altitudeM: 40, hdopDeci: 9, satellites: 8, counter: 17 }, mapper);
const mapperReport = encodeMapperReport(signMapperReport({ frame: uplink.frame, frequencyHz: 869_525_000, dataRate: 0, txPowerDdbm: 140, timeMs: TIME }, mapper));
const mapperReceipt = encodeMapperReceipt(signMapperReceipt({
  beaconDigest: beaconDigest(uplink.frame), rssiDdbm: -1_123, snrDdb: -45, frequencyHz: 869_525_000, dataRate: 0, timeMs: TIME + 900,
}, device));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-inspect-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function put(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

interface InspectJson {
  type: string;
  version: number;
  ok: boolean;
  fields: Record<string, unknown>;
  signatures: { what: string; verdict: string }[];
  problems: string[];
}

async function inspectJson(bytes: Uint8Array, ...extra: string[]): Promise<{ code: number; json: InspectJson }> {
  const run = await covey(['inspect', put('m.cbor', bytes), '--json', ...extra]);
  return { code: run.code, json: JSON.parse(run.stdout) as InspectJson };
}

const verdicts = (json: InspectJson) => json.signatures.map((s) => s.verdict);

describe('covey inspect: vendor certificates', () => {
  test('a DeviceCertificate shows vendor, device, model and serial, and its vendor signature verifies', async () => {
    const { code, json } = await inspectJson(certificateFor(device.publicKey));
    expect(code).toBe(0);
    expect(json.type).toBe('DeviceCertificate');
    expect(json.ok).toBe(true);
    expect(json.fields).toMatchObject({ model: 'CV-868 Outdoor', serial: 'SN-000123' });
    expect(JSON.stringify(json.fields.device)).toContain(toHex(device.publicKey));
    expect(JSON.stringify(json.fields.vendor)).toContain(toHex(vendor.publicKey));
    expect(verdicts(json)).toEqual(['valid']);
  });

  test('a certificate whose serial was changed after signing is INVALID and exits 1', async () => {
    const bytes = certificateFor(device.publicKey);
    const text = Buffer.from(bytes).toString('latin1').replace('SN-000123', 'SN-000124');
    const run = await covey(['inspect', put('c.cbor', new Uint8Array(Buffer.from(text, 'latin1')))]);
    expectOneLineFailure(run, /INVALID/);
  });

  test('--key names the vendor expected: another vendor key fails', async () => {
    const { code } = await inspectJson(certificateFor(device.publicKey), '--key', toHex(stranger.publicKey));
    expect(code).toBe(1);
  });
});

describe('covey inspect: Onboard version 2', () => {
  test('a version 1 Onboard still reads as v1 without a certificate', async () => {
    const { code, json } = await inspectJson(onboardWith(undefined));
    expect(code).toBe(0);
    expect(json.version).toBe(1);
    expect(json.fields.certificate).toBeUndefined();
  });

  test('version 2 reads as v2, with the certificate decoded and both signatures checked', async () => {
    const { code, json } = await inspectJson(onboardWith(certificateFor(device.publicKey)));
    expect(code).toBe(0);
    expect(json.version).toBe(2);
    expect(json.fields.certificate).toMatchObject({ model: 'CV-868 Outdoor', serial: 'SN-000123' });
    expect(verdicts(json)).toEqual(['valid', 'valid']);
    expect(json.problems).toEqual([]);
  });

  test('the readable form is headed "Onboard v2"', async () => {
    const run = await covey(['inspect', put('o.cbor', onboardWith(certificateFor(device.publicKey)))]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^Onboard v2 /);
  });

  test('a certificate made out to another device is a problem, and the command exits 1', async () => {
    const { code, json } = await inspectJson(onboardWith(certificateFor(stranger.publicKey)));
    expect(code).toBe(1);
    expect(json.problems).toEqual([expect.stringMatching(/^certificate: it names the device [0-9a-f]{64}, not this hotspot$/)]);
  });

  test('certificate bytes that are not a certificate are a problem, the Onboard signature still checked', async () => {
    const { code, json } = await inspectJson(onboardWith(asciiBytes('not a certificate at all')));
    expect(code).toBe(1);
    expect(verdicts(json)).toEqual(['valid']);
    expect(json.problems).toEqual([expect.stringMatching(/^certificate: /)]);
  });
});

describe('covey inspect: coverage walk messages', () => {
  test('a MapperReport shows its uplink and checks both signatures', async () => {
    const { code, json } = await inspectJson(mapperReport);
    expect(code).toBe(0);
    expect(json.type).toBe('MapperReport');
    expect(JSON.stringify(json.fields.uplink)).toContain('"counter":17');
    expect(verdicts(json)).toEqual(['valid', 'valid']);
  });

  test('a MapperReceipt quotes the uplink digest and needs --key for its signature', async () => {
    const bare = await inspectJson(mapperReceipt);
    expect(bare.json.type).toBe('MapperReceipt');
    expect(bare.json.fields.uplink).toBe(toHex(beaconDigest(uplink.frame)));
    expect(verdicts(bare.json)).toEqual(['unchecked']);
    expect(verdicts((await inspectJson(mapperReceipt, '--key', toHex(device.publicKey))).json)).toEqual(['valid']);
    expect((await inspectJson(mapperReceipt, '--key', toHex(stranger.publicKey))).code).toBe(1);
  });
});

/**
 * Vendor attestation at the oracle, over real HTTP on 127.0.0.1: an attested Onboard (version 2) is judged
 * against the trusted vendors, every failure still registers the hotspot as DIY and says why, and the read
 * side, GET /v1/hotspots and /metrics count attested and DIY hotspots. Also migration 4 on an existing file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  encodeCbor, encodeDeviceCertificate, encodeOnboard, hotspotAddress, signDeviceCertificate, signOnboard, toHex,
  type Signer,
} from '../../proofs/index.js';
import { migrate, MIGRATIONS } from '../../tools/oracle/store/migrations.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { TrustedVendors } from '../../tools/oracle/trusted-vendors.js';
import { signerFor } from '../support/keys.js';
import { onboardBody, startTestOracle, type TestOracle } from '../support/oracle-harness.js';

const START = Date.UTC(2026, 10, 1, 12);
const acme = signerFor('attestation acme vendor');
const rogue = signerFor('attestation rogue vendor');
const alice = signerFor('attestation alice');
const bob = signerFor('attestation bob');
const TRUSTED = new TrustedVendors([{ name: 'Acme Radio Works', publicKey: acme.publicKey }]);

function certificate(device: Uint8Array, vendor: Signer = acme, extra: { vendorKey?: Uint8Array; serial?: string } = {}) {
  return encodeDeviceCertificate(signDeviceCertificate({
    vendor: extra.vendorKey ?? vendor.publicKey, device, model: 'Heltec V3', serial: extra.serial ?? 'HV3-000123',
    issuedMs: Date.UTC(2026, 9, 1),
  }, vendor));
}

function attestedBody(hotspot: Signer, cert: Uint8Array, timeMs = START, lat = 52.37) {
  return encodeOnboard(signOnboard({
    hotspot: hotspot.publicKey, latE7: Math.round(lat * 1e7), lonE7: 48_900_000, gainDdbi: 20, region: 'EU868', timeMs, certificate: cert,
  }, hotspot));
}

interface OnboardAnswer { status: string; attestation: { status: string; reason?: string; vendor?: string; model?: string; serial?: string; vendorKey?: string } }

async function onboardWith(t: TestOracle, body: Uint8Array): Promise<[number, OnboardAnswer]> {
  const response = await t.post('/v1/hotspots', body);
  return [response.status, (await response.json()) as OnboardAnswer];
}

async function attestationOf(t: TestOracle, hotspot: Signer): Promise<unknown> {
  return ((await (await t.get(`/v1/hotspots/${hotspotAddress(hotspot.publicKey)}`)).json()) as { attestation: unknown }).attestation;
}

describe('onboarding with a certificate', () => {
  let t: TestOracle;
  beforeEach(async () => {
    t = await startTestOracle({ startMs: START, trustedVendors: TRUSTED });
  });
  afterEach(async () => {
    await t.close();
  });

  test('a certificate from a trusted vendor for the onboarding key: registered and attested', async () => {
    const [status, answer] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey)));
    expect(status).toBe(201);
    expect(answer).toEqual({
      hotspot: hotspotAddress(alice.publicKey), status: 'registered',
      attestation: { status: 'attested', vendor: 'Acme Radio Works', vendorKey: toHex(acme.publicKey), model: 'Heltec V3', serial: 'HV3-000123' },
    });
    expect(await attestationOf(t, alice)).toEqual({
      vendor: 'Acme Radio Works', vendorKey: toHex(acme.publicKey), model: 'Heltec V3', serial: 'HV3-000123',
      issuedAt: '2026-10-01T00:00:00.000Z', attestedAt: new Date(START).toISOString(),
    });
  });

  const failures: [string, () => Uint8Array, string][] = [
    ['an untrusted vendor', () => certificate(alice.publicKey, rogue), 'untrusted_vendor'],
    ['a trusted vendor key, signed by another key', () => certificate(alice.publicKey, rogue, { vendorKey: acme.publicKey }), 'bad_signature'],
    ["another device's key", () => certificate(bob.publicKey), 'wrong_device'],
    ['bytes that are not a certificate', () => Uint8Array.of(0x83, 0x0b, 0x01, 0x00), 'malformed'],
    ['a certificate version this oracle does not read', () => encodeCbor([11, 2, acme.publicKey]), 'unknown_version'],
  ];
  test.each(failures)('%s: registered all the same, as DIY, and the answer says why', async (_, cert, reason) => {
    const [status, answer] = await onboardWith(t, attestedBody(alice, cert()));
    expect(status).toBe(201);
    expect(answer.status).toBe('registered');
    expect(answer.attestation).toMatchObject({ status: 'rejected', reason });
    expect(await attestationOf(t, alice)).toBe('diy');
    expect(await t.oracle.store.hotspot(alice.publicKey)).toBeDefined();
  });

  test('a version 1 request: registered as DIY, attestation "none"', async () => {
    const [status, answer] = await onboardWith(t, onboardBody(alice, 52.37, 4.89, START));
    expect([status, answer.attestation]).toEqual([201, { status: 'none' }]);
    expect(await attestationOf(t, alice)).toBe('diy');
  });

  test('a forged attested request (hotspot signature broken) is refused whole, 422', async () => {
    const body = attestedBody(alice, certificate(alice.publicKey));
    body[body.length - 1] ^= 1;
    expect((await t.post('/v1/hotspots', body)).status).toBe(422);
    expect(await t.oracle.store.hotspot(alice.publicKey)).toBeUndefined();
  });

  test('later requests: without a certificate the attestation stays; with a failing one it goes', async () => {
    await onboardWith(t, attestedBody(alice, certificate(alice.publicKey)));
    const [, moved] = await onboardWith(t, onboardBody(alice, 52.4, 4.89, START + 1_000));
    expect([moved.status, moved.attestation]).toEqual(['updated', { status: 'none' }]);
    expect(await attestationOf(t, alice)).toMatchObject({ vendor: 'Acme Radio Works' });
    const [, rejected] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey, rogue), START + 2_000, 52.4));
    expect([rejected.status, rejected.attestation.reason]).toEqual(['updated', 'untrusted_vendor']);
    expect(await attestationOf(t, alice)).toBe('diy');
  });

  test('the same assertion with a new certificate is an update; repeated, it is unchanged', async () => {
    await onboardWith(t, onboardBody(alice, 52.37, 4.89, START));
    const [status, answer] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey), START + 1_000, 52.37));
    expect([status, answer.status, answer.attestation.status]).toEqual([201, 'updated', 'attested']);
    const [again, same] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey), START + 1_000, 52.37));
    expect([again, same.status]).toEqual([200, 'unchanged']);
  });

  test('GET /v1/hotspots and /metrics count attested and DIY hotspots', async () => {
    await onboardWith(t, attestedBody(alice, certificate(alice.publicKey)));
    await onboardWith(t, onboardBody(bob, 52.38, 4.9, START));
    await onboardWith(t, attestedBody(signerFor('attestation carol'), certificate(bob.publicKey)));
    expect(await (await t.get('/v1/hotspots')).json()).toEqual({
      hotspots: 3, attested: 1, diy: 2, vendors: [{ name: 'Acme Radio Works', publicKey: toHex(acme.publicKey), hotspots: 1 }],
    });
    const metrics = await (await t.get('/metrics')).text();
    expect(metrics).toMatch(/^covey_oracle_hotspots_by_attestation\{attestation="attested"\} 1$/m);
    expect(metrics).toMatch(/^covey_oracle_hotspots_by_attestation\{attestation="diy"\} 2$/m);
  });
});

describe('an oracle and its database over time', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'covey-attestation-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('without trusted vendors every certificate is untrusted and every hotspot DIY', async () => {
    const t = await startTestOracle({ startMs: START });
    try {
      const [, answer] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey)));
      expect(answer.attestation).toMatchObject({ status: 'rejected', reason: 'untrusted_vendor' });
      expect(await (await t.get('/v1/hotspots')).json()).toEqual({ hotspots: 1, attested: 0, diy: 1, vendors: [] });
    } finally {
      await t.close();
    }
  });

  test('a vendor taken out of the trusted list no longer attests its hotspots; put back, it does again', async () => {
    const dbPath = join(dir, 'oracle.db');
    const first = await startTestOracle({ startMs: START, dbPath, trustedVendors: TRUSTED });
    await onboardWith(first, attestedBody(alice, certificate(alice.publicKey)));
    await first.close();
    const distrusting = await startTestOracle({ startMs: START, dbPath, trustedVendors: new TrustedVendors([{ name: 'Other', publicKey: rogue.publicKey }]) });
    try {
      expect(await attestationOf(distrusting, alice)).toBe('diy');
      expect(await (await distrusting.get('/v1/hotspots')).json()).toMatchObject({ hotspots: 1, attested: 0, diy: 1 });
    } finally {
      await distrusting.close();
    }
    const trusting = await startTestOracle({ startMs: START, dbPath, trustedVendors: TRUSTED });
    try {
      expect(await attestationOf(trusting, alice)).toMatchObject({ vendor: 'Acme Radio Works', serial: 'HV3-000123' });
    } finally {
      await trusting.close();
    }
  });

  test('migration 4 opens a version 3 database: its hotspots are kept, DIY, and can be attested', async () => {
    const dbPath = join(dir, 'v3.db');
    const db = new Database(dbPath);
    migrate(db, 'v3', () => START, MIGRATIONS.slice(0, 3));
    db.prepare(`INSERT INTO hotspots (key, lat_e7, lon_e7, cell, gain_ddbi, region, asserted_at_ms, registered_ms)
      VALUES (?, 523700000, 48900000, '8c1969c9b2b8dff', 20, 'EU868', ?, ?)`).run(alice.publicKey, START - 5_000, START - 5_000);
    db.close();

    const t = await startTestOracle({ startMs: START, dbPath, trustedVendors: TRUSTED });
    try {
      expect(await attestationOf(t, alice)).toBe('diy');
      expect(await (await t.get('/v1/hotspots')).json()).toMatchObject({ hotspots: 1, attested: 0, diy: 1 });
      const [status, answer] = await onboardWith(t, attestedBody(alice, certificate(alice.publicKey)));
      expect([status, answer.status, answer.attestation.status]).toEqual([201, 'updated', 'attested']);
    } finally {
      await t.close();
    }
    const check = new Database(dbPath, { readonly: true });
    const versions = check.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    const rows = check.prepare('SELECT hex(hotspot) AS hotspot, model, serial FROM attestations').all();
    check.close();
    expect(versions).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
    expect(versions.at(-1)).toEqual({ version: 4, name: 'vendor attestations' });
    expect(rows).toEqual([{ hotspot: toHex(alice.publicKey).toUpperCase(), model: 'Heltec V3', serial: 'HV3-000123' }]);
  });

  test('an attestation is written all or nothing with its hotspot, and null removes it', async () => {
    const store = SqliteStore.open(join(dir, 'fk.db'));
    try {
      const record = { vendorKey: acme.publicKey, model: 'M', serial: 'S', issuedMs: 0, certificate: Uint8Array.of(1), attestedMs: START };
      const hotspot = { key: alice.publicKey, gainDdbi: 20, region: 'EU868', assertedAtMs: START, registeredMs: START };
      await store.putHotspot(hotspot, record);
      expect(await store.attestation(alice.publicKey)).toEqual(record);
      expect(await store.attestationCounts()).toEqual(new Map([[toHex(acme.publicKey), 1]]));
      // better-sqlite3 makes its errors with the SqliteError of the first test file that loaded it in this
      // worker, another realm's Error subclass: match its code, not toThrow (which needs this realm's Error).
      await expect(store.putHotspot({ ...hotspot, key: bob.publicKey }, { ...record, vendorKey: new Uint8Array(31) }))
        .rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' });
      expect(await store.hotspot(bob.publicKey)).toBeUndefined();
      await store.putHotspot(hotspot, null);
      expect(await store.attestation(alice.publicKey)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

/**
 * A vendor-attested device onboards with its certificate (src/onboarding.ts, Onboard version 2): read
 * from the key-value store at onboarding time, sent only when it names the device's own key, and dropped
 * (onboarding as DIY) when the oracle is older than attestation.
 */
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import {
  createPortableSigner, encodeDeviceCertificate, PortableVerifier, signDeviceCertificate, toHex,
} from '../../proofs/index.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { Hotspot } from '../../src/hotspot.js';
import { SEED_KEY } from '../../src/identity.js';
import { ATTEST_KEY, onboard, storedCertificate, type OnboardOptions } from '../../src/onboarding.js';
import { parseSettings } from '../../src/settings.js';
import { DrivenClock } from '../support/driven-clock.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { seedFor, signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { memoryLog } from '../support/test-ports.js';

const WALL = Date.UTC(2026, 2, 1, 12, 0, 0);
const HOTSPOT = signerFor('attested onboarding hotspot');
const VENDOR = signerFor('attested onboarding vendor');
const ZURICH = { latE7: 473_769_000, lonE7: 85_417_000 };

const certificateFor = (device: Uint8Array) => encodeDeviceCertificate(signDeviceCertificate({
  vendor: VENDOR.publicKey, device, model: 'Heltec V3', serial: 'HV3-000777', issuedMs: Date.UTC(2026, 0, 20),
}, VENDOR));

function setup() {
  const clock = new VirtualClock(0, WALL);
  const oracle = new FakeOracle({ clock });
  /** The Onboard version of each request sent (the third byte: [7, version, ...]). */
  const versions: number[] = [];
  const http = { request: (r: Parameters<FakeOracle['request']>[0]) => (versions.push(r.body?.[2] ?? -1), oracle.request(r)) };
  const options = (overrides: Partial<OnboardOptions> = {}): OnboardOptions => ({
    http, clock, signer: HOTSPOT, oracleUrl: ORACLE_URL, location: ZURICH, gainDdbi: 30, region: 'EU868', ...overrides,
  });
  return { oracle, options, versions };
}

describe('onboard with a certificate', () => {
  test('sends version 2 with the certificate inside, and the oracle registers it', async () => {
    const { oracle, options, versions } = setup();
    const certificate = certificateFor(HOTSPOT.publicKey);
    expect(await onboard(options({ certificate }))).toBe('registered');
    expect(versions).toEqual([2]);
    expect(oracle.hotspots.get(toHex(HOTSPOT.publicKey))?.certificate).toEqual(certificate);
  });

  test('without a certificate sends version 1, as before attestation', async () => {
    const { oracle, options, versions } = setup();
    await onboard(options());
    expect(versions).toEqual([1]);
    expect(oracle.hotspots.get(toHex(HOTSPOT.publicKey))?.certificate).toBeUndefined();
  });

  test('an oracle that answers 400 unknown_version gets version 1 right after, and the hotspot is registered', async () => {
    const { oracle, options, versions } = setup();
    oracle.answerNext('/v1/hotspots', { status: 400, json: { error: 'unknown_version', detail: 'Onboard version 2' } });
    expect(await onboard(options({ certificate: certificateFor(HOTSPOT.publicKey) }))).toBe('registered');
    expect(versions).toEqual([2, 1]);
    expect(oracle.hotspots.get(toHex(HOTSPOT.publicKey))?.certificate).toBeUndefined();
  });

  test('another 400 is not retried without the certificate', async () => {
    const { oracle, options, versions } = setup();
    oracle.answerNext('/v1/hotspots', { status: 400, json: { error: 'malformed', detail: 'no' } });
    await expect(onboard(options({ certificate: certificateFor(HOTSPOT.publicKey) }))).rejects.toMatchObject({ status: 400, serverCode: 'malformed' });
    expect(versions).toEqual([2]);
  });
});

describe('storedCertificate', () => {
  test('nothing stored: a DIY device, no problem to report', () => {
    expect(storedCertificate(new MemoryKeyValue(), HOTSPOT.publicKey)).toEqual({});
  });

  test('a certificate for this key is returned as stored', () => {
    const kv = new MemoryKeyValue();
    kv.set(ATTEST_KEY, certificateFor(HOTSPOT.publicKey));
    expect(storedCertificate(kv, HOTSPOT.publicKey)).toEqual({ certificate: certificateFor(HOTSPOT.publicKey) });
  });

  test.each([
    ['names another key', certificateFor(signerFor('someone else').publicKey), /another device's key/],
    ['does not decode', Uint8Array.of(0x82, 0x0b, 0x01), /does not decode \(WrongLength/],
    ['is text, not a blob', 'cafe', /not a blob/],
  ])('a stored entry that %s is not sent, and says why', (_, value, reason) => {
    const kv = new MemoryKeyValue();
    kv.set(ATTEST_KEY, value);
    const result = storedCertificate(kv, HOTSPOT.publicKey);
    expect(result.certificate).toBeUndefined();
    expect(result.problem).toMatch(reason);
  });
});

describe('a Hotspot onboarding itself', () => {
  function node(attest: (publicKey: Uint8Array) => Uint8Array | undefined) {
    const clock = new DrivenClock(0, WALL);
    const air = new TestAir(clock, { defaultLossDb: 100 });
    const oracle = new FakeOracle({ clock });
    const board = boardById('heltec_v3');
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name: 'attested' }).io, { clock });
    const kv = new MemoryKeyValue();
    const seed = seedFor('attested hotspot device');
    const publicKey = createPortableSigner(seed).publicKey;
    kv.set(SEED_KEY, seed);
    const certificate = attest(publicKey);
    if (certificate !== undefined) kv.set(ATTEST_KEY, certificate);
    const log = memoryLog();
    const settings = parseSettings({
      region: 'EU868', oracleUrl: ORACLE_URL, oraclePublicKey: oracle.signer.publicKey, location: { lat: 47.37, lon: 8.54 },
    });
    const hotspot = new Hotspot({
      ports: {
        radio, clock, flash: new SimFlash({ size: 8 * 4096 }), kv, http: oracle, rng: new SeededRng(7), log,
        verifier: new PortableVerifier(), createSigner: createPortableSigner,
      },
      settings,
    });
    return { clock, oracle, hotspot, log, publicKey, certificate };
  }

  test('reads the attest entry and sends it when the first upload finds the hotspot unknown', async () => {
    const { clock, oracle, hotspot, log, publicKey, certificate } = node((key) => certificateFor(key));
    hotspot.start();
    await clock.runFor(6 * 3_600_000);
    hotspot.stop();
    expect(oracle.hotspots.get(toHex(publicKey))?.certificate).toEqual(certificate);
    expect(log.lines.find((l) => l.message === 'onboarded')?.fields).toMatchObject({ certificate: 'sent' });
  });

  test('onboards as DIY, with a warning, when the stored certificate is for another key', async () => {
    const { clock, oracle, hotspot, log, publicKey } = node(() => certificateFor(signerFor('a different board').publicKey));
    hotspot.start();
    await clock.runFor(6 * 3_600_000);
    hotspot.stop();
    expect(oracle.hotspots.has(toHex(publicKey))).toBe(true);
    expect(oracle.hotspots.get(toHex(publicKey))?.certificate).toBeUndefined();
    expect(log.lines.find((l) => l.message === 'attestation not sent')).toMatchObject({ level: 'warn', fields: { reason: "the certificate names another device's key" } });
    expect(log.lines.find((l) => l.message === 'onboarded')?.fields).toMatchObject({ certificate: 'none' });
  });
});

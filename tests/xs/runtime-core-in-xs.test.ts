/**
 * The runtime's settings, identity and witness inside the real XS engine give the same results as in
 * Node: the same stored settings and problems, the same key from the same seed, and byte-identical
 * receipts (ed25519 signatures are deterministic) with the same counters.
 */
import { fileURLToPath } from 'node:url';
import { BEACON_HEADER } from '../../proofs/beacon.js';
import { toHex } from '../../proofs/bytes.js';
import { createPortableSigner, PortableVerifier } from '../../proofs/ed25519-portable.js';
import { hotspotAddress } from '../../proofs/identity.js';
import { parseSettings, SettingsError } from '../../src/settings.js';
import { settingsToJson } from '../../src/settings-store.js';
import { Witness } from '../../src/witness.js';
import { XsWorker } from '../../tools/xs/xs-runner.js';
import { seedFor, signerFor } from '../support/keys.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { beaconFrom, RX_WALL } from '../support/witness-rig.js';

const ENTRY = fileURLToPath(new URL('./entries/runtime-core-entry.ts', import.meta.url));
let worker: XsWorker;

beforeAll(async () => {
  worker = await XsWorker.start({ name: 'covey-xs-runtime-core' });
  await worker.load(ENTRY);
});

afterAll(async () => {
  await worker?.close();
});

const settingsInput = {
  region: 'eu868', oracleUrl: 'http://oracle.example/', oraclePublicKey: hotspotAddress(signerFor('oracle').publicKey),
  wifi: { ssid: 'Café ☕', password: 'hunter22' }, location: { lat: 48.8584, lon: 2.2945 },
};

test('settings are stored as the same JSON in XS as in Node', async () => {
  const { value } = await worker.call<{ stored: string; region: string; oracleKey: string }>('settingsRoundTrip', { input: settingsInput });
  expect(value.stored).toBe(settingsToJson(parseSettings(settingsInput)));
  expect(value.region).toBe('EU868');
  expect(value.oracleKey).toBe(toHex(signerFor('oracle').publicKey));
});

test('settings problems are the same in XS as in Node', async () => {
  const bad = { region: 'XX', oracleUrl: 'ftp://x', oraclePublicKey: 'cv123', beaconIntervalMs: 7 * 3_600_000, extra: 1 };
  const { value } = await worker.call<string[]>('settingsProblems', { input: bad });
  let node: readonly string[] = [];
  try {
    parseSettings(bad);
  } catch (error) {
    node = (error as SettingsError).problems;
  }
  expect(value).toEqual(node);
  expect(value).toHaveLength(5);
});

test('the same seed gives the same identity in XS', async () => {
  const seed = seedFor('xs identity');
  const { value } = await worker.call<{ publicKey: string; address: string }>('identity', { seedHex: toHex(seed) });
  const key = createPortableSigner(seed).publicKey;
  expect(value.publicKey).toBe(toHex(key));
  expect(value.address).toBe(hotspotAddress(key));
});

test('the witness in XS makes byte-identical receipts and the same counts as in Node', async () => {
  const forged = beaconFrom('n2');
  forged[70] ^= 4;
  const packets = [beaconFrom('n1'), beaconFrom('n1'), forged, beaconFrom('witness in xs'), beaconFrom('n3')].map((frame, i) => ({
    payloadHex: toHex(frame), rssiDbm: -118.25 + i, snrDb: -9.75, frequencyErrorHz: 812.6 - i * 400, crcOk: true,
  }));
  const seed = seedFor('witness in xs');
  const noise = 2_000;
  const { value, meter } = await worker.call<{ stats: Record<string, number>; receipts: string[] }>('witness', {
    seedHex: toHex(seed), wallMs: RX_WALL, packets, noise,
  });
  // The same through Node. The beacon labelled 'witness in xs' is the witness's own.
  expect(toHex(signerFor('witness in xs').publicKey)).toBe(toHex(createPortableSigner(seed).publicKey));
  const queue = new MemoryQueue();
  const node = new Witness({
    clock: { wallMs: () => RX_WALL }, signer: createPortableSigner(seed), verifier: new PortableVerifier(), verifyBeacons: true,
    queue, uploads: { notify: () => undefined }, log: { write: () => undefined }, channel: { frequencyHz: 869_525_000, dataRate: 0 },
  });
  for (const p of packets) node.onPacket({ ...p, payload: Uint8Array.from(Buffer.from(p.payloadHex, 'hex')) });
  for (let i = 0; i < noise; i++) {
    const frame = new Uint8Array(i % 121);
    if (frame.length > 0) frame[0] = i % 7 === 0 ? BEACON_HEADER : i & 0xff;
    node.onPacket({ payload: frame, rssiDbm: -100, snrDb: 0, frequencyErrorHz: 0, crcOk: i % 11 !== 0 });
  }
  expect(value.receipts).toEqual(queue.peek(10).map((r) => toHex(r.bytes)));
  expect(value.receipts).toHaveLength(2);
  expect(value.stats).toEqual({ ...node.stats });
  expect(value.stats).toMatchObject({ receipts: 2, duplicates: 1, own: 1, heard: packets.length + noise });
  const { heard, ...outcomes } = value.stats;
  expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(heard);
  expect(meter.compute).toBeGreaterThan(0);
});

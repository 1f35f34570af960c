/**
 * XS entry for tests/xs/runtime-core-in-xs.test.ts: the runtime's settings, identity and witness exactly
 * as the device bundles them, with the device's portable signer and verifier. Device code: no Node
 * built-ins. Ports are small in-XS stand-ins.
 */
import { BEACON_HEADER } from '../../../proofs/beacon.js';
import { fromHex, toHex } from '../../../proofs/bytes.js';
import { createPortableSigner, PortableVerifier } from '../../../proofs/ed25519-portable.js';
import type { QueuedRecord, RecordQueue } from '../../../src/components.js';
import { loadIdentity } from '../../../src/identity.js';
import type { KeyValue, RadioPacket } from '../../../src/ports.js';
import { loadSettings, saveSettings } from '../../../src/settings-store.js';
import { parseSettings, SettingsError } from '../../../src/settings.js';
import { Witness } from '../../../src/witness.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';

function memoryKv(): KeyValue {
  const values = new Map<string, Uint8Array | string>();
  return { get: (key) => values.get(key), set: (key, value) => void values.set(key, value), delete: (key) => void values.delete(key) };
}

function settingsRoundTrip(input: unknown) {
  const kv = memoryKv();
  saveSettings(kv, parseSettings(input));
  const loaded = loadSettings(kv);
  return { stored: kv.get('settings'), region: loaded?.region, oracleKey: loaded && toHex(loaded.oraclePublicKey) };
}

function settingsProblems(input: unknown): readonly string[] {
  try {
    parseSettings(input);
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
}

/** A fixed "random" source for the seed: the bytes it is given. */
function identityFromSeed(seedHex: string) {
  const seed = fromHex(seedHex);
  const identity = loadIdentity({ kv: memoryKv(), rng: { bytes: () => seed }, createSigner: createPortableSigner });
  return { publicKey: toHex(identity.publicKey), address: identity.address, shortName: identity.shortName };
}

/** Frames through a witness; each frame hex with its measurements. Returns the counters and the receipts. */
function witness(args: Readonly<Record<string, unknown>>) {
  const records: Uint8Array[] = [];
  const queue: RecordQueue = {
    append: (bytes) => records.push(bytes.slice()),
    peek: (): readonly QueuedRecord[] => [],
    remove: () => undefined,
    get size() {
      return records.length;
    },
  };
  const w = new Witness({
    clock: { wallMs: () => Number(args.wallMs) },
    signer: createPortableSigner(fromHex(String(args.seedHex))),
    verifier: new PortableVerifier(),
    verifyBeacons: true,
    queue,
    uploads: { notify: () => undefined },
    log: { write: () => undefined },
    channel: { frequencyHz: 869_525_000, dataRate: 0 },
  });
  for (const packet of args.packets as readonly (Omit<RadioPacket, 'payload'> & { payloadHex: string })[]) {
    w.onPacket({ ...packet, payload: fromHex(packet.payloadHex) });
  }
  // Noise: every header byte, every length up to 120, as the radio could deliver it.
  for (let i = 0; i < Number(args.noise); i++) {
    const frame = new Uint8Array(i % 121);
    if (frame.length > 0) frame[0] = i % 7 === 0 ? BEACON_HEADER : i & 0xff;
    w.onPacket({ payload: frame, rssiDbm: -100, snrDb: 0, frequencyErrorHz: 0, crcOk: i % 11 !== 0 });
  }
  return { stats: { ...w.stats }, receipts: records.map(toHex) };
}

serveCommands({
  settingsRoundTrip: (args) => settingsRoundTrip(args.input),
  settingsProblems: (args) => settingsProblems(args.input),
  identity: (args) => identityFromSeed(String(args.seedHex)),
  witness: (args) => witness(args),
});

/** Identity: made and stored on first boot, loaded after, and never a silent new key or a leaked secret. */
import { toHex } from '../../proofs/bytes.js';
import { hotspotAddress, shortName } from '../../proofs/identity.js';
import { createPortableSigner } from '../../proofs/ed25519-portable.js';
import { IdentityError, loadIdentity, SEED_KEY } from '../../src/identity.js';
import type { Rng } from '../../src/ports.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { memoryLog, seededRng } from '../support/test-ports.js';
import { MemoryKeyValue } from '../support/memory-kv.js';

function boot(kv = new MemoryKeyValue(), rng: Rng = seededRng(7)) {
  const log = memoryLog();
  const identity = loadIdentity({ kv, rng, createSigner: createHostSigner, log });
  return { kv, log, identity };
}

function identityError(run: () => unknown): IdentityError {
  try {
    run();
  } catch (error) {
    if (error instanceof IdentityError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('loadIdentity', () => {
  test('makes a 32-byte seed from the Rng on first boot and stores it', () => {
    const { kv, identity } = boot();
    const stored = kv.get(SEED_KEY) as Uint8Array;
    expect(stored).toBeInstanceOf(Uint8Array);
    expect(stored).toHaveLength(32);
    expect(Array.from(seededRng(7).bytes(32))).toEqual(Array.from(stored));
    expect(identity.created).toBe(true);
    expect(Array.from(identity.publicKey)).toEqual(Array.from(createHostSigner(stored).publicKey));
  });

  test('loads the same key on the next boot without drawing randomness', () => {
    const first = boot();
    const rng = seededRng(99);
    const second = boot(first.kv, rng);
    expect(second.identity.created).toBe(false);
    expect(toHex(second.identity.publicKey)).toBe(toHex(first.identity.publicKey));
    expect(rng.draws).toBe(0);
  });

  test('names the hotspot by its address and short name', () => {
    const { identity } = boot();
    expect(identity.address).toBe(hotspotAddress(identity.publicKey));
    expect(identity.shortName).toBe(shortName(identity.publicKey));
  });

  test('gives the same key with the portable signer as with the host signer', () => {
    const { kv, identity } = boot();
    const portable = loadIdentity({ kv, rng: seededRng(1), createSigner: createPortableSigner });
    expect(toHex(portable.publicKey)).toBe(toHex(identity.publicKey));
  });

  test('reads a seed stored as 64 hex digits', () => {
    const kv = new MemoryKeyValue();
    const seed = seededRng(3).bytes(32);
    kv.set(SEED_KEY, toHex(seed));
    expect(toHex(boot(kv).identity.publicKey)).toBe(toHex(createHostSigner(seed).publicKey));
  });

  test.each([
    ['31 bytes', new Uint8Array(31).fill(1)],
    ['33 bytes', new Uint8Array(33).fill(1)],
    ['text that is not hex', 'not a seed'],
  ])('refuses a stored seed of %s and keeps it', (_, value) => {
    const kv = new MemoryKeyValue();
    kv.set(SEED_KEY, value);
    const error = identityError(() => boot(kv));
    expect(error.code).toBe('CorruptSeed');
    expect(error.message).toMatch(/refusing to make a new identity/);
    expect(kv.get(SEED_KEY)).toEqual(value);
    expect(kv.writes).toEqual([SEED_KEY]);
  });

  test('refuses a random source that gives a constant seed, storing nothing', () => {
    const kv = new MemoryKeyValue();
    const stuck: Rng = { bytes: (n) => new Uint8Array(n) };
    expect(identityError(() => boot(kv, stuck)).code).toBe('BadRandom');
    expect(kv.get(SEED_KEY)).toBeUndefined();
  });

  test('refuses a signer factory that gives no 32-byte public key', () => {
    const kv = new MemoryKeyValue();
    const error = identityError(() =>
      loadIdentity({ kv, rng: seededRng(1), createSigner: () => ({ publicKey: new Uint8Array(31), sign: () => new Uint8Array(64) }) }),
    );
    expect(error.code).toBe('BadSigner');
  });

  test('never writes the seed to the log or into the identity', () => {
    const { kv, log, identity } = boot();
    const seedHex = toHex(kv.get(SEED_KEY) as Uint8Array);
    const logged = JSON.stringify(log.lines);
    expect(logged).toContain(identity.address);
    expect(logged).not.toContain(seedHex);
    const { signer, ...rest } = identity;
    expect(JSON.stringify({ ...rest, publicKey: toHex(rest.publicKey) })).not.toContain(seedHex);
    expect(Object.keys(signer).sort()).toEqual(['publicKey', 'sign']);
  });
});

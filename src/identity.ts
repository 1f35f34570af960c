/**
 * The hotspot's identity: a 32-byte ed25519 seed kept in the KeyValue store, made from the Rng on first
 * boot, and the Signer built over it. The public key is the hotspot id (docs/protocol.md §1).
 *
 * The seed never leaves this module except into the store and `createSigner`: it is not logged, not
 * returned, and not kept here once the signer exists. A stored value that is not a seed is an error, never a reason to
 * make a new key: a new key is a new hotspot, and silently replacing one would orphan its history.
 */
import { fromHex } from '../proofs/bytes.js';
import { hotspotAddress, shortName } from '../proofs/identity.js';
import type { KeyValue, Log, Rng, Signer } from './ports.js';

/** The KeyValue key of the seed. */
export const SEED_KEY = 'seed';
export const SEED_BYTES = 32;

export type IdentityErrorCode =
  /** The stored seed is not 32 bytes (nor 64 hex digits). */
  | 'CorruptSeed'
  /** The Rng did not give 32 bytes, or gave all zeros or all ones. */
  | 'BadRandom'
  /** createSigner returned something without a 32-byte public key. */
  | 'BadSigner';

export class IdentityError extends Error {
  readonly code: IdentityErrorCode;

  constructor(code: IdentityErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return 'IdentityError';
  }
}

export interface Identity {
  readonly signer: Signer;
  readonly publicKey: Uint8Array;
  /** "cv…", 57 characters: how people and the oracle name this hotspot. */
  readonly address: string;
  /** "xxxx-xxxx", for logs and screens. */
  readonly shortName: string;
  /** True when this boot made the key. */
  readonly created: boolean;
}

export interface IdentityOptions {
  readonly kv: KeyValue;
  readonly rng: Rng;
  /** Builds the signer over a seed: proofs' createPortableSigner on the device, a faster one in the simulator. */
  readonly createSigner: (seed: Uint8Array) => Signer;
  readonly log?: Log;
}

/** The seed as stored: bytes, or 64 hex digits (as a provisioning tool may write it). */
function storedSeed(value: Uint8Array | string): Uint8Array {
  if (value instanceof Uint8Array && value.length === SEED_BYTES) return Uint8Array.from(value);
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value)) return fromHex(value);
  const what = typeof value === 'string' ? `${value.length} characters of text` : `${value.length} bytes`;
  throw new IdentityError(
    'CorruptSeed',
    `the stored key ("${SEED_KEY}") is ${what}, not a ${SEED_BYTES}-byte seed; refusing to make a new identity ` +
      'over it (erase it on purpose to start as a new hotspot)',
  );
}

function newSeed(rng: Rng): Uint8Array {
  const seed = rng.bytes(SEED_BYTES);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_BYTES) {
    throw new IdentityError('BadRandom', `the random source gave ${String(seed?.length)} bytes, not ${SEED_BYTES}`);
  }
  // A stuck hardware RNG reads as a constant; an all-0x00 or all-0xFF key would be shared by every such device.
  if (seed.every((b) => b === 0) || seed.every((b) => b === 0xff)) {
    throw new IdentityError('BadRandom', 'the random source gave a constant seed');
  }
  return Uint8Array.from(seed);
}

/** Loads the identity, or makes and stores it on first boot. */
export function loadIdentity(options: IdentityOptions): Identity {
  const { kv, rng, createSigner, log } = options;
  const stored = kv.get(SEED_KEY);
  const created = stored === undefined;
  const seed = created ? newSeed(rng) : storedSeed(stored);
  if (created) kv.set(SEED_KEY, Uint8Array.from(seed));
  const signer = createSigner(seed);
  const publicKey = signer?.publicKey;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32 || typeof signer.sign !== 'function') {
    throw new IdentityError('BadSigner', 'createSigner did not return a signer with a 32-byte public key');
  }
  const identity = { signer, publicKey, address: hotspotAddress(publicKey), shortName: shortName(publicKey), created };
  // The public key's two forms only: this line is how a new device tells its owner who it is.
  log?.write('info', 'identity', { address: identity.address, short: identity.shortName, created: created ? 'yes' : 'no' });
  return identity;
}

/**
 * The oracle's ed25519 verifier: covey's own, in C (tools/crypto/native/), about two and a half times as
 * fast as libsodium on the oracle's work (docs/oracle.md, Signature checks), with libsodium as the
 * fallback wherever the C module was not built (no compiler at install, Windows) or
 * COVEY_VERIFIER=libsodium asks for it. The same module signs for the simulator's hotspots
 * (simulationSigner, below), with the same fallback.
 *
 * It answers exactly as the other verifiers do (tests/proofs/signature-agreement.test.ts): covey's
 * encoding rules first (proofs/ed25519-rules.ts), then the cofactorless equation, encode([S]B − [k]A)
 * compared with R byte for byte. Its speed comes from work it does once per public key rather than per
 * signature (ed25519-verify.c explains), so it keeps the prepared keys of the hotspots it sees: up to
 * `cacheKeys` of them, 7.5 KiB each.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import sodium from 'sodium-native';
import { assertBytes, encodingViolation, type Signer, type Verifier } from '../../proofs/index.js';
import type { BatchVerifier, SignatureJob } from './batch-verify.js';
import { createSodiumSigner, SodiumVerifier } from './sodium-ed25519.js';

/** build/native/covey_ed25519.node, as tools/crypto/native/build.mjs makes it. */
interface NativeEd25519 {
  /** A public key's precomputed multiples, or null when the bytes are not a curve point. */
  prepareKey(publicKey: Uint8Array): ArrayBuffer | null;
  /** encode([S]B − [k]A) == R for a prepared A, the signature R ‖ S and k = SHA-512(R ‖ A ‖ M) mod L. */
  verify(key: ArrayBuffer, signature: Uint8Array, k: Uint8Array): boolean;
  /** verify() for n signatures (64 bytes each) and k's (32 each), 1 or 0 into results: one field inversion for all. */
  verifyMany(keys: readonly ArrayBuffer[], signatures: Uint8Array, ks: Uint8Array, results: Uint8Array): void;
  readonly keySize: number;
  /** What signing needs of a 32-byte seed: the secret scalar, the nonce prefix, then the public key. */
  signingKey(seed: Uint8Array): ArrayBuffer;
  /** Writes the signature R ‖ S of message into signature (64 bytes). */
  sign(key: ArrayBuffer, message: Uint8Array, signature: Uint8Array): void;
  readonly signingKeySize: number;
}

export const NATIVE_MODULE_PATH = fileURLToPath(new URL('../../build/native/covey_ed25519.node', import.meta.url));

/** The module, or why it is not in use. */
function loadNative(): { module: NativeEd25519 } | { unavailable: string } {
  const asked = process.env.COVEY_VERIFIER;
  if (asked === 'libsodium') return { unavailable: 'COVEY_VERIFIER=libsodium' };
  try {
    return { module: createRequire(import.meta.url)(NATIVE_MODULE_PATH) as NativeEd25519 };
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND'
      ? `${NATIVE_MODULE_PATH} is not built (npm run build:native)`
      : `${NATIVE_MODULE_PATH} did not load: ${error instanceof Error ? error.message : String(error)}`;
    return { unavailable: why };
  }
}

const loaded = loadNative();

/** Which verifier fastestVerifier() gives, and if libsodium, why. */
export function verifierInUse(): { readonly name: 'covey-native' | 'libsodium'; readonly reason?: string } {
  return 'module' in loaded ? { name: 'covey-native' } : { name: 'libsodium', reason: loaded.unavailable };
}

/** Prepared keys kept by default: 7.5 KiB each (the module's keySize), so at most 120 MiB, for networks of up to that many hotspots. */
export const DEFAULT_CACHED_KEYS = 16_384;

export class NativeVerifier implements BatchVerifier {
  private readonly native: NativeEd25519;
  /** Prepared keys by the key's bytes as latin1 text; null for bytes that are not a point. */
  private readonly keys = new Map<string, ArrayBuffer | null>();
  /** R ‖ A ‖ message, hashed in one piece; grown for long messages. */
  private scratch = new Uint8Array(512);
  private readonly digest = new Uint8Array(64);
  private readonly k = new Uint8Array(32);

  /** Throws when the C module is not available (verifierInUse() says why); fastestVerifier() does not. */
  constructor(private readonly cacheKeys = DEFAULT_CACHED_KEYS) {
    if (!('module' in loaded)) throw new Error(`the native ed25519 verifier is unavailable: ${loaded.unavailable}`);
    if (!(Number.isInteger(cacheKeys) && cacheKeys >= 1)) throw new RangeError(`cacheKeys must be a whole number ≥ 1, not ${cacheKeys}`);
    this.native = loaded.module;
  }

  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    const key = this.keyFor(signature, message, publicKey);
    if (key === null) return false;
    this.hashInto(this.k, 0, signature, message, publicKey);
    return this.native.verify(key, signature, this.k);
  }

  /**
   * verify() for each job, in one call to the module for all that pass the encoding rules: one field
   * inversion for all of them instead of one each, which is about a sixth of a verification.
   */
  verifyMany(jobs: readonly SignatureJob[]): boolean[] {
    const answers = new Array<boolean>(jobs.length).fill(false);
    const keys: ArrayBuffer[] = [];
    const positions: number[] = [];
    for (const [i, { signature, message, publicKey }] of jobs.entries()) {
      const key = this.keyFor(signature, message, publicKey);
      if (key === null) continue;
      keys.push(key);
      positions.push(i);
    }
    const n = positions.length;
    if (n === 0) return answers;
    const signatures = new Uint8Array(64 * n);
    const ks = new Uint8Array(32 * n);
    for (const [j, i] of positions.entries()) {
      const { signature, message, publicKey } = jobs[i];
      signatures.set(signature, 64 * j);
      this.hashInto(ks, 32 * j, signature, message, publicKey);
    }
    const results = new Uint8Array(n);
    this.native.verifyMany(keys, signatures, ks, results);
    for (const [j, i] of positions.entries()) answers[i] = results[j] === 1;
    return answers;
  }

  /**
   * The prepared key to check the signature with, or null when it fails before any arithmetic: against
   * covey's encoding rules, or a key that is no curve point. Throws for inputs of the wrong size.
   */
  private keyFor(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): ArrayBuffer | null {
    if (encodingViolation(signature, publicKey) !== null) return null;
    assertBytes(message, undefined, 'message');
    return this.prepared(publicKey);
  }

  /** k = SHA-512(R ‖ A ‖ message) mod L, into out[at, at + 32). */
  private hashInto(out: Uint8Array, at: number, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void {
    const length = 64 + message.length;
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, 2 * this.scratch.length));
    this.scratch.set(signature.subarray(0, 32), 0);
    this.scratch.set(publicKey, 32);
    this.scratch.set(message, 64);
    sodium.crypto_hash_sha512(this.digest, this.scratch.subarray(0, length));
    sodium.crypto_core_ed25519_scalar_reduce(out.subarray(at, at + 32), this.digest);
  }

  private prepared(publicKey: Uint8Array): ArrayBuffer | null {
    const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, 32).toString('latin1');
    let key = this.keys.get(id);
    if (key === undefined) {
      key = this.native.prepareKey(publicKey);
      // The oldest first: a network's hotspots come back again and again, a stranger's key rarely.
      if (this.keys.size >= this.cacheKeys) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(id, key);
    }
    return key;
  }
}

/**
 * The simulator's signer: the C module's where it is built, about one and a half times as fast as
 * libsodium's (docs/simulator.md, Speed), and libsodium's otherwise; the same signatures either way
 * (ed25519 signatures are deterministic, RFC 8032 §5.1.6; tests/tools/native-ed25519.test.ts).
 *
 * For simulated keys only: the C signer's time depends on the secret (tools/crypto/native/ed25519-sign.c
 * explains), which is harmless for keys that a scenario's seed makes and that protect nothing. The oracle
 * and the firmware sign with constant-time code.
 */
export function simulationSigner(seed: Uint8Array): Signer {
  if (!('module' in loaded)) return createSodiumSigner(seed);
  assertBytes(seed, 32, 'seed');
  const native = loaded.module;
  const key = native.signingKey(seed);
  const publicKey = new Uint8Array(key.slice(native.signingKeySize - 32));
  return {
    publicKey,
    sign: (message: Uint8Array) => {
      assertBytes(message, undefined, 'message');
      // V8 keeps a typed array of up to 64 bytes inside its object, and hands one to native code only
      // after moving its bytes out to a buffer of their own: an allocation for each short message and
      // each signature. Short messages go through a buffer that stays out, and so does the signature.
      let input = message;
      if (message.length <= SHORT_MESSAGE_BYTES) {
        shortMessage.set(message);
        input = shortMessageViews[message.length];
      }
      native.sign(key, input, signatureOut);
      return signatureOut.slice();
    },
  };
}

/** Messages no longer than this are copied to `shortMessage` before they are signed (simulationSigner). */
const SHORT_MESSAGE_BYTES = 64;
const shortMessage = new Uint8Array(new ArrayBuffer(SHORT_MESSAGE_BYTES));
/** A view of each length, made once. */
const shortMessageViews = Array.from({ length: SHORT_MESSAGE_BYTES + 1 }, (_, n) => shortMessage.subarray(0, n));
const signatureOut = new Uint8Array(new ArrayBuffer(64));

/** The native verifier where it is built, libsodium's otherwise: the same answers either way. */
export function fastestVerifier(): Verifier {
  return 'module' in loaded ? new NativeVerifier() : new SodiumVerifier();
}

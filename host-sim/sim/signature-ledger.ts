/**
 * The signatures the simulated hotspots made, remembered until the oracle checks them. Every receipt and
 * beacon report a hotspot uploads was signed in this process by a libsodium signer whose key is the
 * uploader's; the oracle would spend about 45 µs proving again what the ledger already knows. When the
 * oracle is asked about exactly the (signature, message, key) a signer produced, the ledger answers yes
 * and forgets the entry; anything else (a forged or altered item from a fault, a signature never
 * recorded or already forgotten) goes to the real verifier. An ed25519 signature made by the holder of
 * the key always verifies, so the answers, and every result, are the same as without the ledger.
 *
 * Only messages under the tags the oracle checks on upload and onboarding are recorded; beacons are
 * checked by the hotspots that hear them, through their own cache (verify-cache.ts), where the ledger
 * files each beacon signature as it is made when given that cache. The ledger holds at most `capacity`
 * entries, oldest dropped first: an item that waits longer (queued through an outage, then uploaded) is
 * simply verified for real.
 */
import { asciiBytes, concatBytes, equalBytes, SignatureDomain, type Signer, type Verifier } from '../../proofs/index.js';

const CAPACITY = 1 << 18;

/** A signature, what it was made over, and by whose key. */
export interface Signed {
  readonly signature: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
}

/** Whether `entry` is for exactly this signature, message and key. */
export function isFor(entry: Signed, signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  return equalBytes(entry.signature, signature) && equalBytes(entry.publicKey, publicKey) && equalBytes(entry.message, message);
}

/** Where beacon signatures are filed as they are made: the hotspots' beacon-check cache. */
export interface BeaconChecks {
  file(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): void;
}

export interface LedgerOptions {
  /** Entries kept at most (default 2^18). */
  readonly capacity?: number;
  /** Told of every beacon signature the recording signers make. */
  readonly beaconChecks?: BeaconChecks;
}

export class SignatureLedger {
  private readonly entries = new Map<number, Signed>();
  private readonly tags: readonly Uint8Array[];
  private readonly beaconTag = tagOf(SignatureDomain.Beacon);
  private readonly capacity: number;
  private readonly beaconChecks: BeaconChecks | undefined;
  /** Oracle checks answered from the ledger, and those passed on. */
  hits = 0;
  misses = 0;

  constructor(options: LedgerOptions = {}) {
    this.capacity = options.capacity ?? CAPACITY;
    this.beaconChecks = options.beaconChecks;
    const checkedByTheOracle = [
      SignatureDomain.WitnessReceipt, SignatureDomain.BeaconReport, SignatureDomain.MapperReport, SignatureDomain.MapperReceipt,
      SignatureDomain.Onboard, SignatureDomain.OnboardAttested,
    ];
    this.tags = checkedByTheOracle.map(tagOf);
  }

  /** A signer factory whose signers record what they sign under the upload tags. */
  recording(create: (seed: Uint8Array) => Signer): (seed: Uint8Array) => Signer {
    return (seed) => {
      const inner = create(seed);
      return {
        publicKey: inner.publicKey,
        sign: (message) => {
          const signature = inner.sign(message);
          if (this.tags.some((tag) => startsWith(message, tag))) this.remember(signature, inner.publicKey, message);
          else if (this.beaconChecks !== undefined && startsWith(message, this.beaconTag)) this.beaconChecks.file(signature, message, inner.publicKey);
          return signature;
        },
      };
    };
  }

  /** A verifier that answers from the ledger when it can, and asks `inner` otherwise. */
  verifier(inner: Verifier): Verifier {
    return {
      verify: (signature, message, publicKey) => {
        const key = keyOf(signature);
        const entry = this.entries.get(key);
        if (entry !== undefined && isFor(entry, signature, message, publicKey)) {
          this.entries.delete(key);
          this.hits++;
          return true;
        }
        this.misses++;
        return inner.verify(signature, message, publicKey);
      },
    };
  }

  get size(): number {
    return this.entries.size;
  }

  private remember(signature: Uint8Array, publicKey: Uint8Array, message: Uint8Array): void {
    // Copies: a caller may reuse its buffer, and the firmware holds on to the signature it was given.
    fileUnder(this.entries, keyOf(signature), { signature: signature.slice(), publicKey, message: message.slice() }, this.capacity);
  }
}

/**
 * Where a signature is filed: 30 bits of its first four bytes, a small integer, rather than a string of
 * all 64 (which cost a string and its hash for every signature made and checked). Those bytes are the
 * encoding of a random point, so two signatures share a key only by chance, about once in a billion pairs;
 * an entry is used only for exactly its own signature, message and key (isFor).
 */
export function keyOf(signature: Uint8Array): number {
  return signature[0] | (signature[1] << 8) | (signature[2] << 16) | ((signature[3] & 0x3f) << 24);
}

/**
 * Files `entry` under `key` in `filed`, in place of any entry there (which a later check then makes for
 * real); when that leaves no room below `capacity`, the oldest entry goes first.
 */
export function fileUnder<T>(filed: Map<number, T>, key: number, entry: T, capacity: number): void {
  if (!filed.delete(key) && filed.size >= capacity) filed.delete(filed.keys().next().value as number);
  filed.set(key, entry);
}

/** What a message signed under `domain` starts with: the domain's name and a zero byte (proofs/signing.ts). */
function tagOf(domain: SignatureDomain): Uint8Array {
  return concatBytes(asciiBytes(domain), Uint8Array.of(0));
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

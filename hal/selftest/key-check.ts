/**
 * The key item: the device's ed25519 seed is in NVS (src/identity.ts, key "seed"), and a signature made
 * with it over a test message verifies, while the same signature over the message with one bit changed
 * does not (a verifier that accepts anything fails here). The test never makes a key: a device without one
 * fails, so that the factory sees it; the firmware makes the key at first boot, or `covey provision --key`
 * writes one.
 *
 * The message is domain-separated like every covey signature (proofs/signing.ts): tag
 * "covey/selftest/v1", 0x00, then the body, so it can never be taken for a message of another type.
 */
import { asciiBytes, concatBytes, loadIdentity, SEED_KEY, toHex } from '../runtime.js';
import type { KeyValue, Rng, Signer, Verifier } from '../../src/ports.js';
import { type CheckResult, fail, messageOf, pass } from './report.js';

/** Built when needed: a preloaded module's typed arrays would sit in flash. */
const testMessage = (): Uint8Array => concatBytes(asciiBytes('covey/selftest/v1'), new Uint8Array(1), asciiBytes('factory self-test'));

export interface KeyCheck {
  readonly result: CheckResult;
  /** The public key as 64 hex digits, when a seed was found and a signer built over it. */
  readonly publicKey?: string;
}

/** loadIdentity draws from its Rng only to make a new key, which this check never lets it do. */
const NO_RANDOM: Rng = {
  bytes() {
    throw new Error('the self-test never makes a key');
  },
};

export function checkKey(kv: KeyValue, createSigner: (seed: Uint8Array) => Signer, verifier: Verifier): KeyCheck {
  if (kv.get(SEED_KEY) === undefined) {
    return { result: fail(`no seed in NVS (key "${SEED_KEY}"): boot the firmware once to make one, or provision one`) };
  }
  let signer: Signer;
  let fields: { address: string };
  try {
    const identity = loadIdentity({ kv, rng: NO_RANDOM, createSigner });
    signer = identity.signer;
    fields = { address: identity.shortName };
  } catch (error) {
    return { result: fail(messageOf(error)) };
  }
  const publicKey = toHex(signer.publicKey);
  const message = testMessage();
  const signature = signer.sign(message);
  if (!verifier.verify(signature, message, signer.publicKey)) {
    return { result: fail('a signature over the test message does not verify under the public key', fields), publicKey };
  }
  const altered = message.slice();
  altered[altered.length - 1] ^= 0x01;
  if (verifier.verify(signature, altered, signer.publicKey)) {
    return { result: fail('a signature verifies over a message it was not made for', fields), publicKey };
  }
  return { result: pass(fields), publicKey };
}

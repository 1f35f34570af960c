/**
 * The signature ledger answers the oracle's checks of what simulated hotspots signed, and nothing else:
 * the same answers as libsodium for recorded, altered, foreign and forgotten signatures.
 */
import { asciiBytes, concatBytes, SignatureDomain, signedBytes, type Verifier } from '../../proofs/index.js';
import { keyOf, SignatureLedger } from '../../host-sim/sim/signature-ledger.js';
import { createSodiumSigner, SodiumVerifier } from '../../tools/crypto/sodium-ed25519.js';

const seed = (n: number) => new Uint8Array(32).fill(n);
const receiptBody = (n: number) => signedBytes(SignatureDomain.WitnessReceipt, Uint8Array.of(0x86, 0x50, n, n + 1));

/** The real verifier, counting the checks that reach it. */
function counting(): Verifier & { calls: number } {
  const inner = new SodiumVerifier();
  const counter = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, k: Uint8Array) => (counter.calls++, inner.verify(s, m, k)) };
  return counter;
}

describe('SignatureLedger', () => {
  it('answers a recorded receipt signature once without the real verifier, then passes it on', () => {
    const ledger = new SignatureLedger();
    const signer = ledger.recording(createSodiumSigner)(seed(1));
    const real = counting();
    const verifier = ledger.verifier(real);
    const message = receiptBody(1);
    const signature = signer.sign(message);
    expect(ledger.size).toBe(1);
    expect(verifier.verify(signature, message, signer.publicKey)).toBe(true);
    expect([real.calls, ledger.hits, ledger.size]).toEqual([0, 1, 0]);
    // A second check of the same item (an upload replayed) is the real verifier's again, and still true.
    expect(verifier.verify(signature, message, signer.publicKey)).toBe(true);
    expect([real.calls, ledger.misses]).toEqual([1, 1]);
  });

  it('gives the real answer for an altered message, another key, or an altered signature', () => {
    const ledger = new SignatureLedger();
    const create = ledger.recording(createSodiumSigner);
    const signer = create(seed(2));
    const other = create(seed(3));
    const real = counting();
    const verifier = ledger.verifier(real);
    const message = receiptBody(2);
    const signature = signer.sign(message);
    const altered = Uint8Array.from(message);
    altered[altered.length - 1] ^= 1;
    expect(verifier.verify(signature, altered, signer.publicKey)).toBe(false);
    expect(verifier.verify(signature, message, other.publicKey)).toBe(false);
    const badSignature = Uint8Array.from(signature);
    badSignature[10] ^= 1;
    expect(verifier.verify(badSignature, message, signer.publicKey)).toBe(false);
    expect(real.calls).toBe(3);
    // The genuine one is still remembered.
    expect(verifier.verify(signature, message, signer.publicKey)).toBe(true);
    expect(real.calls).toBe(3);
  });

  it('files signatures under a few of their bits, and a signature that shares them is checked for real', () => {
    const ledger = new SignatureLedger();
    const signer = ledger.recording(createSodiumSigner)(seed(5));
    const real = counting();
    const verifier = ledger.verifier(real);
    const message = receiptBody(5);
    const signature = signer.sign(message);
    // The top bits of the fourth byte, and everything after it, are not in the key.
    for (const [at, bit] of [[3, 0x80], [3, 0x40], [4, 1], [63, 1]]) {
      const twin = Uint8Array.from(signature);
      twin[at] ^= bit;
      expect(keyOf(twin)).toBe(keyOf(signature));
      expect(verifier.verify(twin, message, signer.publicKey)).toBe(false);
    }
    expect(real.calls).toBe(4);
    expect(verifier.verify(signature, message, signer.publicKey)).toBe(true);
    expect([real.calls, ledger.hits]).toEqual([4, 1]);
    // Another signature filed under the same key puts the first out; the first is then checked for real.
    const first = signer.sign(receiptBody(6));
    const fake = Uint8Array.from(first);
    fake[40] ^= 1;
    ledger.recording(() => ({ publicKey: signer.publicKey, sign: () => fake }))(seed(5)).sign(receiptBody(7));
    expect(ledger.size).toBe(1);
    expect(verifier.verify(first, receiptBody(6), signer.publicKey)).toBe(true);
    expect(real.calls).toBe(5);
  });

  it('keeps its own copy of a signature: one changed in the signer\'s array afterwards is checked for real', () => {
    const ledger = new SignatureLedger();
    const signer = ledger.recording(createSodiumSigner)(seed(9));
    const real = counting();
    const verifier = ledger.verifier(real);
    const message = receiptBody(9);
    const signature = signer.sign(message);
    const genuine = Uint8Array.from(signature);
    signature[40] ^= 1;
    expect(verifier.verify(signature, message, signer.publicKey)).toBe(false);
    expect(real.calls).toBe(1);
    expect(verifier.verify(genuine, message, signer.publicKey)).toBe(true);
    expect([real.calls, ledger.hits]).toEqual([1, 1]);
  });

  it('records only messages under the tags the oracle checks on upload and onboarding', () => {
    const ledger = new SignatureLedger();
    const signer = ledger.recording(createSodiumSigner)(seed(4));
    signer.sign(signedBytes(SignatureDomain.Beacon, Uint8Array.of(1, 2, 3)));
    signer.sign(signedBytes(SignatureDomain.Entropy, Uint8Array.of(1)));
    signer.sign(signedBytes(SignatureDomain.DeviceCertificate, Uint8Array.of(1)));
    signer.sign(concatBytes(asciiBytes(SignatureDomain.WitnessReceipt), Uint8Array.of(0x2f)));
    expect(ledger.size).toBe(0);
    const checked = [
      SignatureDomain.BeaconReport, SignatureDomain.MapperReport, SignatureDomain.MapperReceipt, SignatureDomain.WitnessReceipt,
      SignatureDomain.Onboard, SignatureDomain.OnboardAttested,
    ];
    for (const domain of checked) signer.sign(signedBytes(domain, Uint8Array.of(9)));
    expect(ledger.size).toBe(checked.length);
  });

  it('files each beacon signature it sees made with the beacon checks it was given, and nothing else there', () => {
    const filed: { signature: Uint8Array; message: Uint8Array; publicKey: Uint8Array }[] = [];
    const ledger = new SignatureLedger({ beaconChecks: { file: (signature, message, publicKey) => filed.push({ signature, message, publicKey }) } });
    const signer = ledger.recording(createSodiumSigner)(seed(8));
    const beacon = signedBytes(SignatureDomain.Beacon, Uint8Array.of(1, 2, 3));
    const signature = signer.sign(beacon);
    signer.sign(receiptBody(8));
    signer.sign(signedBytes(SignatureDomain.Entropy, Uint8Array.of(1)));
    expect(filed).toHaveLength(1);
    expect(filed[0].signature).toEqual(signature);
    expect(filed[0].message).toEqual(beacon);
    expect(filed[0].publicKey).toEqual(signer.publicKey);
    expect(new SodiumVerifier().verify(filed[0].signature, filed[0].message, filed[0].publicKey)).toBe(true);
    expect(ledger.size).toBe(1);
  });

  it('forgets the oldest beyond its capacity, whose check then goes to the real verifier', () => {
    const ledger = new SignatureLedger({ capacity: 2 });
    const signer = ledger.recording(createSodiumSigner)(seed(5));
    const real = counting();
    const verifier = ledger.verifier(real);
    const signed = [0, 1, 2].map((n) => ({ message: receiptBody(n), signature: signer.sign(receiptBody(n)) }));
    expect(ledger.size).toBe(2);
    for (const { message, signature } of signed) expect(verifier.verify(signature, message, signer.publicKey)).toBe(true);
    expect([real.calls, ledger.hits]).toEqual([1, 2]);
  });

  it('keeps its own copy of the message, so a signer reusing its buffer cannot fool it', () => {
    const ledger = new SignatureLedger();
    const signer = ledger.recording(createSodiumSigner)(seed(6));
    const buffer = receiptBody(7);
    const signature = signer.sign(buffer);
    const original = Uint8Array.from(buffer);
    buffer[buffer.length - 1] ^= 0xff;
    const verifier = ledger.verifier(new SodiumVerifier());
    expect(verifier.verify(signature, buffer, signer.publicKey)).toBe(false);
    expect(verifier.verify(signature, original, signer.publicKey)).toBe(true);
  });
});

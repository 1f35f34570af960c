/** Domain separation (proofs/signing.ts): what exactly a covey signature covers. */
import fc from 'fast-check';
import { asciiBytes, signedBytes, SignatureDomain, toHex } from '../../proofs/index.js';

const DOMAINS = Object.values(SignatureDomain);

describe('signature domain tags', () => {
  test('name the message type and version as "covey/<type>/v<n>"', () => {
    for (const domain of DOMAINS) expect(domain).toMatch(/^covey\/[a-z-]+\/v[1-9]$/);
  });

  test('are distinct', () => {
    expect(new Set(DOMAINS).size).toBe(DOMAINS.length);
  });

  test('are printable ASCII, so they never contain the 0x00 separator', () => {
    for (const domain of DOMAINS) expect(() => asciiBytes(domain)).not.toThrow();
  });
});

describe('signedBytes', () => {
  test('is the tag, 0x00, then the body', () => {
    const bytes = signedBytes(SignatureDomain.WitnessReceipt, Uint8Array.of(0x83, 0x01, 0x02, 0x03));
    expect(toHex(bytes)).toBe(`${toHex(new TextEncoder().encode('covey/witness/v1'))}0083010203`);
  });

  test('never gives the same bytes for two different domains, whatever the bodies (property)', () => {
    const pair = fc.uniqueArray(fc.constantFrom(...DOMAINS), { minLength: 2, maxLength: 2 });
    const body = fc.uint8Array({ maxLength: 48 });
    fc.assert(fc.property(pair, body, body, ([a, b], x, y) => {
      expect(toHex(signedBytes(a, x))).not.toBe(toHex(signedBytes(b, y)));
    }));
  });

  test('returns fresh bytes each call, so a caller changing them cannot corrupt the next', () => {
    const first = signedBytes(SignatureDomain.Beacon, Uint8Array.of(1));
    first.fill(0xff);
    const again = signedBytes(SignatureDomain.Beacon, Uint8Array.of(1));
    expect(toHex(again)).toBe(`${toHex(asciiBytes('covey/beacon/v1'))}0001`);
  });
});

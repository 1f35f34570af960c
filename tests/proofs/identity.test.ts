/** Hotspot identity forms (proofs/identity.ts) and the base32 under them (proofs/base32.ts). */
import fc from 'fast-check';
import { base32Decode, base32Encode } from '../../proofs/base32.js';
import { ADDRESS_PREFIX, fromHex, hotspotAddress, parseHotspotId, shortName, toHex } from '../../proofs/index.js';
import { readVectors } from '../support/vectors.js';

interface Base32Vector { text: string; rfc: string; encoded: string }
const { vectors } = readVectors<{ vectors: Base32Vector[] }>('rfc4648-base32.json');
const ascii = (text: string) => new TextEncoder().encode(text);

/** RFC 8032 TEST 1 public key; its address and short name were computed with Python's hashlib and base64. */
const KEY = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
const ADDRESS = 'cv25njqamcweflpvkl73j4szahhihoc4xt3ktcgjnpaingr5yhkencd7q';
const SHORT_NAME = 'eh7d-dx5b';
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

describe('base32 (RFC 4648 §10 vectors)', () => {
  test.each(vectors)('encodes "$text" as "$encoded"', ({ text, encoded }) => {
    expect(base32Encode(ascii(text))).toBe(encoded);
  });

  test.each(vectors)('decodes "$rfc" without its padding, in either case, to "$text"', ({ text, rfc }) => {
    const unpadded = rfc.replace(/=+$/, '');
    expect(toHex(base32Decode(unpadded))).toBe(toHex(ascii(text)));
    expect(toHex(base32Decode(unpadded.toLowerCase()))).toBe(toHex(ascii(text)));
  });

  test('round-trips any bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(toHex(base32Decode(base32Encode(bytes)))).toBe(toHex(bytes));
    }));
  });

  test('refuses a character outside the alphabet', () => {
    expect(() => base32Decode('my1')).toThrow(RangeError);
  });

  test('refuses non-zero padding bits', () => {
    expect(() => base32Decode('mz')).toThrow(RangeError);
  });
});

describe('hotspotAddress', () => {
  test('is "cv" + base32(key ‖ first 2 bytes of SHA-256(key)), 57 characters', () => {
    expect(ADDRESS_PREFIX).toBe('cv');
    expect(hotspotAddress(KEY)).toBe(ADDRESS);
    expect(ADDRESS).toHaveLength(57);
  });

  test('round-trips through parseHotspotId (property)', () => {
    fc.assert(fc.property(key32, (key) => {
      const address = hotspotAddress(key);
      expect(address).toMatch(/^cv[a-z2-7]{55}$/);
      expect(toHex(parseHotspotId(address))).toBe(toHex(key));
    }));
  });

  test('refuses a 31-byte key', () => {
    expect(() => hotspotAddress(new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('parseHotspotId', () => {
  test('refuses every address with one character changed', () => {
    let tried = 0;
    for (let i = ADDRESS_PREFIX.length; i < ADDRESS.length; i++) {
      for (const replacement of BASE32) {
        if (replacement === ADDRESS[i]) continue;
        const changed = ADDRESS.slice(0, i) + replacement + ADDRESS.slice(i + 1);
        expect(() => parseHotspotId(changed)).toThrow(RangeError);
        tried++;
      }
    }
    expect(tried).toBe(55 * 31);
  });

  test('accepts the address in upper case after the "cv" prefix', () => {
    const upper = ADDRESS_PREFIX + ADDRESS.slice(2).toUpperCase();
    expect(toHex(parseHotspotId(upper))).toBe(toHex(KEY));
  });

  test('refuses an address one character short or long', () => {
    expect(() => parseHotspotId(ADDRESS.slice(0, -1))).toThrow(RangeError);
    expect(() => parseHotspotId(`${ADDRESS}a`)).toThrow(RangeError);
  });

  test('refuses text with neither the "cv" prefix nor 64 hex digits', () => {
    expect(() => parseHotspotId(`xx${ADDRESS.slice(2)}`)).toThrow(RangeError);
    expect(() => parseHotspotId(toHex(KEY).slice(1))).toThrow(RangeError);
  });

  test('accepts the key as 64 hex digits, in either case', () => {
    expect(toHex(parseHotspotId(toHex(KEY)))).toBe(toHex(KEY));
    expect(toHex(parseHotspotId(toHex(KEY).toUpperCase()))).toBe(toHex(KEY));
  });

  test('ignores surrounding whitespace', () => {
    expect(toHex(parseHotspotId(`  ${ADDRESS}\n`))).toBe(toHex(KEY));
    expect(toHex(parseHotspotId(` ${toHex(KEY)} `))).toBe(toHex(KEY));
  });
});

describe('shortName', () => {
  test('is the first 8 base32 characters of SHA-256(key), as "xxxx-xxxx"', () => {
    expect(shortName(KEY)).toBe(SHORT_NAME);
  });

  test('always has the "xxxx-xxxx" form (property)', () => {
    fc.assert(fc.property(key32, (key) => {
      expect(shortName(key)).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}$/);
    }));
  });
});

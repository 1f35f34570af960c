import fc from 'fast-check';
import {
  BEACON_FRAME_BYTES, BEACON_HEADER, DecodeError, decodeBeacon, DecodeFailure, isCoveyFrame, signBeacon, signedBytes,
  SignatureDomain, toHex, verifyBeacon, type Beacon, type BeaconFields,
} from '../../proofs/index.js';
import { beaconFields } from '../support/arbitraries.js';
import { expectDecodeError } from '../support/decode-error.js';
import { hostVerifier, signerFor, VERIFIERS } from '../support/keys.js';

const beaconer = signerFor('beacon signer');
const fields: BeaconFields = {
  beaconer: beaconer.publicKey,
  entropyEpoch: 0x01c30590,
  entropyTag: Uint8Array.of(0x5d, 0xab, 0xca, 0xc3),
  nonce: Uint8Array.of(0x5a, 0x3c, 0x9e, 0x01),
};
const beacon = signBeacon(fields, beaconer);
const frame = beacon.frame;

const withByte = (offset: number, value: number) => {
  const copy = Uint8Array.from(frame);
  copy[offset] = value;
  return copy;
};

/** Decodes and verifies; false for a frame that is refused or whose signature fails. */
function accepted(bytes: Uint8Array): boolean {
  let decoded: Beacon;
  try {
    decoded = decodeBeacon(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return false;
  }
  return verifyBeacon(decoded, hostVerifier);
}

describe('beacon frame layout (proofs/beacon.ts)', () => {
  test('is 109 bytes', () => {
    expect(BEACON_FRAME_BYTES).toBe(109);
    expect(frame).toHaveLength(109);
  });

  test('starts with header 0xE1: proprietary MType, kind 0, version 1', () => {
    expect(BEACON_HEADER).toBe(0xe1);
    expect(frame[0]).toBe(0xe1);
  });

  test('carries beaconer, big-endian epoch, entropy tag, nonce and signature at their offsets', () => {
    expect(toHex(frame.subarray(1, 33))).toBe(toHex(beaconer.publicKey));
    expect(toHex(frame.subarray(33, 37))).toBe('01c30590');
    expect(toHex(frame.subarray(37, 41))).toBe('5dabcac3');
    expect(toHex(frame.subarray(41, 45))).toBe('5a3c9e01');
    expect(toHex(frame.subarray(45))).toBe(toHex(beacon.signature));
  });

  test('its signature covers "covey/beacon/v1" ‖ 0x00 ‖ bytes 0..44', () => {
    const message = signedBytes(SignatureDomain.Beacon, frame.subarray(0, 45));
    expect(hostVerifier.verify(beacon.signature, message, beaconer.publicKey)).toBe(true);
  });
});

describe('decodeBeacon', () => {
  test('round-trips a signed beacon', () => {
    expect(decodeBeacon(frame)).toEqual(beacon);
  });

  test('round-trips any valid fields (property)', () => {
    fc.assert(
      fc.property(beaconFields(beaconer.publicKey), (anyFields) => {
        const signed = signBeacon(anyFields, beaconer);
        expect(decodeBeacon(signed.frame)).toEqual(signed);
      }),
      { numRuns: 150 },
    );
  });

  test('copies the frame, so later changes to the input do not reach the beacon', () => {
    const input = Uint8Array.from(frame);
    const decoded = decodeBeacon(input);
    input.fill(0);
    expect(toHex(decoded.frame)).toBe(toHex(frame));
    expect(toHex(decoded.beaconer)).toBe(toHex(beaconer.publicKey));
  });

  test.each([
    ['a LoRaWAN data uplink header (0x40)', 0x40, DecodeFailure.UnknownType],
    ['frame kind 1, the mapper uplink (0xE9)', 0xe9, DecodeFailure.UnknownType],
    ['frame kind 2 (0xF1)', 0xf1, DecodeFailure.UnknownType],
    ['beacon version 2 (0xE2)', 0xe2, DecodeFailure.UnknownVersion],
    ['beacon version 0 (0xE0)', 0xe0, DecodeFailure.UnknownVersion],
  ])('refuses %s', (_, header, code) => {
    expectDecodeError(() => decodeBeacon(withByte(0, header)), code);
  });

  test('refuses a frame one byte short (WrongLength)', () => {
    expectDecodeError(() => decodeBeacon(frame.subarray(0, 108)), DecodeFailure.WrongLength);
  });

  test('refuses every shorter frame that keeps the header (WrongLength)', () => {
    for (let length = 1; length < BEACON_FRAME_BYTES; length++) {
      expectDecodeError(() => decodeBeacon(frame.subarray(0, length)), DecodeFailure.WrongLength);
    }
  });

  test('refuses an empty frame (WrongLength)', () => {
    expectDecodeError(() => decodeBeacon(new Uint8Array(0)), DecodeFailure.WrongLength);
  });

  test('refuses a byte after the frame (TrailingBytes)', () => {
    expectDecodeError(() => decodeBeacon(Uint8Array.from([...frame, 0])), DecodeFailure.TrailingBytes);
  });

  test('throws TypeError for something that is not bytes', () => {
    expect(() => decodeBeacon([...frame] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('isCoveyFrame', () => {
  test.each([['0xE1', 0xe1], ['0xE9', 0xe9], ['0xFF', 0xff]])('is true for header %s', (_, header) => {
    expect(isCoveyFrame(Uint8Array.of(header))).toBe(true);
  });

  test.each([['0x00', 0x00], ['0x40', 0x40], ['0x80', 0x80], ['0xC0', 0xc0]])('is false for header %s', (_, header) => {
    expect(isCoveyFrame(Uint8Array.of(header))).toBe(false);
  });

  test('is false for an empty frame', () => {
    expect(isCoveyFrame(new Uint8Array(0))).toBe(false);
  });
});

describe('signBeacon', () => {
  test.each([
    ['epoch -1', { entropyEpoch: -1 }],
    ['epoch 2^32', { entropyEpoch: 2 ** 32 }],
    ['a fractional epoch', { entropyEpoch: 1.5 }],
    ['a 3-byte entropy tag', { entropyTag: new Uint8Array(3) }],
    ['a 5-byte nonce', { nonce: new Uint8Array(5) }],
    ['a 31-byte beaconer key', { beaconer: new Uint8Array(31) }],
  ])('refuses %s with a RangeError', (_, change) => {
    expect(() => signBeacon({ ...fields, ...change }, beaconer)).toThrow(RangeError);
  });

  test('accepts epoch 2^32 - 1', () => {
    const last = signBeacon({ ...fields, entropyEpoch: 2 ** 32 - 1 }, beaconer);
    expect(decodeBeacon(last.frame).entropyEpoch).toBe(2 ** 32 - 1);
  });
});

describe('verifyBeacon', () => {
  test.each(VERIFIERS)('accepts the beaconer signature with the %s verifier', (_, verifier) => {
    expect(verifyBeacon(decodeBeacon(frame), verifier)).toBe(true);
  });

  test.each(VERIFIERS)('refuses a frame naming the beaconer but signed by another key (%s)', (_, verifier) => {
    const forged = signBeacon(fields, signerFor('beacon stranger'));
    expect(verifyBeacon(decodeBeacon(forged.frame), verifier)).toBe(false);
  });

  test.each(Object.values(SignatureDomain).filter((d) => d !== SignatureDomain.Beacon))(
    'the frame signature never verifies under "%s"',
    (domain) => {
      const message = signedBytes(domain, frame.subarray(0, 45));
      for (const [, verifier] of VERIFIERS) {
        expect(verifier.verify(beacon.signature, message, beaconer.publicKey)).toBe(false);
      }
    },
  );

  test('every one of the 872 single-bit flips is refused or fails verification', () => {
    expect(accepted(frame)).toBe(true);
    for (let bit = 0; bit < frame.length * 8; bit++) {
      expect(accepted(withByte(bit >> 3, frame[bit >> 3] ^ (1 << (bit & 7))))).toBe(false);
    }
  });

  test('a flipped bit in any frame is refused or fails verification (property)', () => {
    fc.assert(
      fc.property(beaconFields(beaconer.publicKey), fc.nat({ max: BEACON_FRAME_BYTES * 8 - 1 }), (anyFields, bit) => {
        const flipped = Uint8Array.from(signBeacon(anyFields, beaconer).frame);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        expect(accepted(flipped)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

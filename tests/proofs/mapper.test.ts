/**
 * The mapper's messages (proofs/mapper-uplink.ts, mapper-report.ts, mapper-receipt.ts): the 113-byte
 * air frame byte by byte, its strict decoder and signature, the two signed CBOR messages with the suite
 * every signed message runs, and all four batch item kinds in one UploadBatch.
 */
import fc from 'fast-check';
import {
  batchItemId, beaconDigest, CURRENT_VERSION, DecodeError, DecodeFailure, decodeMapperReceipt, decodeMapperReport,
  decodeMapperUplink, decodeUploadBatch, encodeBatchItem, encodeMapperReceipt, encodeMapperReport, encodeUploadBatch,
  encodeUploadBatchFromItems, frameKind, FrameKind, hdopToDeci, MAPPER_UPLINK_BYTES, MAPPER_UPLINK_HEADER, MAX_HDOP_DECI,
  MAX_TIME_MS, messageTypeName, MessageType, Reason, receiptId, reportedUplink, signBeacon, signBeaconReport,
  signedBytes, SignatureDomain, signMapperReceipt, signMapperReport, signMapperUplink, signWitnessReceipt, toHex,
  verifyBatchItem, verifyMapperReceipt, verifyMapperReport, verifyMapperUplink,
  type BatchItem, type MapperReceipt, type MapperReceiptFields, type MapperReport, type MapperReportFields,
  type MapperUplink, type MapperUplinkFields, type Signer,
} from '../../proofs/index.js';
import { bytes, dataRate, frequencyHz, rssiDdbm, snrDdb, timeMs, txPowerDdbm, uint32 } from '../support/arbitraries.js';
import { expectDecodeError } from '../support/decode-error.js';
import { hostVerifier, signerFor, VERIFIERS } from '../support/keys.js';
import { describeSignedMessage } from '../support/signed-message-suite.js';

const walker = signerFor('mapper uplink signer');
/** Sydney Opera House forecourt, 12 m below the datum's geoid (a negative altitude), HDOP 0.9, 11 satellites. */
const fields: MapperUplinkFields = {
  mapper: walker.publicKey,
  latE7: -338_688_000,
  lonE7: 1_512_093_000,
  altitudeM: -12,
  hdopDeci: 9,
  satellites: 11,
  counter: 0x01020304,
};
const uplink = signMapperUplink(fields, walker);
const frame = uplink.frame;

const withByte = (offset: number, value: number) => {
  const copy = Uint8Array.from(frame);
  copy[offset] = value;
  return copy;
};
const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function uplinkFields(mapper: Uint8Array): fc.Arbitrary<MapperUplinkFields> {
  return fc.record({
    mapper: fc.constant(mapper),
    latE7: fc.integer({ min: -900_000_000, max: 900_000_000 }),
    lonE7: fc.integer({ min: -1_800_000_000, max: 1_800_000_000 }),
    altitudeM: fc.integer({ min: -32768, max: 32767 }),
    hdopDeci: fc.integer({ min: 0, max: 255 }),
    satellites: fc.integer({ min: 0, max: 255 }),
    counter: uint32,
  });
}

/** Decodes and verifies; false for a frame that is refused or whose signature fails. */
function accepted(bytes: Uint8Array): boolean {
  let decoded: MapperUplink;
  try {
    decoded = decodeMapperUplink(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DecodeError);
    return false;
  }
  return verifyMapperUplink(decoded, hostVerifier);
}

describe('mapper uplink layout (proofs/mapper-uplink.ts)', () => {
  test('is 113 bytes with header 0xE9: proprietary MType, frame kind 1, version 1', () => {
    expect(MAPPER_UPLINK_BYTES).toBe(113);
    expect(frame).toHaveLength(113);
    expect(MAPPER_UPLINK_HEADER).toBe(0xe9);
    expect(frame[0]).toBe(0xe9);
  });

  test('carries key, big-endian position, altitude, HDOP, satellites, counter and signature at their offsets', () => {
    expect(toHex(frame.subarray(1, 33))).toBe(toHex(walker.publicKey));
    expect(toHex(frame.subarray(33, 37))).toBe('ebd00800'); // −338,688,000 as a two's complement int32
    expect(toHex(frame.subarray(37, 41))).toBe('5a20b548'); // 1,512,093,000
    expect(toHex(frame.subarray(41, 43))).toBe('fff4'); // −12 m
    expect(toHex(frame.subarray(43, 45))).toBe('090b'); // HDOP 0.9, 11 satellites
    expect(toHex(frame.subarray(45, 49))).toBe('01020304');
    expect(toHex(frame.subarray(49))).toBe(toHex(uplink.signature));
    expect([view(frame).getInt32(33), view(frame).getInt32(37), view(frame).getInt16(41)]).toEqual([-338_688_000, 1_512_093_000, -12]);
  });

  test('its signature covers "covey/mapper-uplink/v1" ‖ 0x00 ‖ bytes 0..48', () => {
    expect(SignatureDomain.MapperUplink).toBe('covey/mapper-uplink/v1');
    const message = signedBytes(SignatureDomain.MapperUplink, frame.subarray(0, 49));
    expect(hostVerifier.verify(uplink.signature, message, walker.publicKey)).toBe(true);
  });

  test('its digest is the first 16 bytes of SHA-256 over all 113 bytes, as for a beacon', () => {
    expect(beaconDigest(frame)).toHaveLength(16);
    expect(toHex(beaconDigest(frame))).not.toBe(toHex(beaconDigest(withByte(112, frame[112] ^ 1))));
  });
});

describe('signMapperUplink', () => {
  test('round-trips the fields it was given, and decodes to the same uplink', () => {
    expect(uplink).toMatchObject(fields);
    expect(decodeMapperUplink(frame)).toEqual(uplink);
  });

  test('round-trips any valid fields (property)', () => {
    fc.assert(
      fc.property(uplinkFields(walker.publicKey), (anyFields) => {
        const signed = signMapperUplink(anyFields, walker);
        expect(decodeMapperUplink(signed.frame)).toEqual(signed);
        expect(signed).toMatchObject(anyFields);
      }),
      { numRuns: 150 },
    );
  });

  test.each([
    ['the south-west corner', -900_000_000, -1_800_000_000, 'ca5b1700', '94b62e00'],
    ['the north-east corner', 900_000_000, 1_800_000_000, '35a4e900', '6b49d200'],
    ['just south-west of Null Island', -1, -1, 'ffffffff', 'ffffffff'],
  ])('writes and reads %s of the globe', (_, latE7, lonE7, latHex, lonHex) => {
    const signed = signMapperUplink({ ...fields, latE7, lonE7 }, walker);
    expect([toHex(signed.frame.subarray(33, 37)), toHex(signed.frame.subarray(37, 41))]).toEqual([latHex, lonHex]);
    expect(decodeMapperUplink(signed.frame)).toMatchObject({ latE7, lonE7 });
  });

  test.each([
    [40_000, 32767, '7fff'],
    [32767.4, 32767, '7fff'],
    [-40_000, -32768, '8000'],
    [-Infinity, -32768, '8000'],
    [12.6, 13, '000d'],
    [-0.4, 0, '0000'],
  ])('clamps and rounds an altitude of %p m to %p', (altitudeM, stored, hex) => {
    const signed = signMapperUplink({ ...fields, altitudeM }, walker);
    expect(toHex(signed.frame.subarray(41, 43))).toBe(hex);
    expect(decodeMapperUplink(signed.frame).altitudeM).toBe(stored);
    expect(signed.altitudeM).toBe(stored);
  });

  test('clamps a satellite count above 255 to 255', () => {
    const signed = signMapperUplink({ ...fields, satellites: 300 }, walker);
    expect(signed.frame[44]).toBe(255);
    expect(decodeMapperUplink(signed.frame).satellites).toBe(255);
  });

  test.each([
    ['a latitude past 90°', { latE7: 900_000_001 }],
    ['a longitude past −180°', { lonE7: -1_800_000_001 }],
    ['a fractional latitude', { latE7: 1.5 }],
    ['HDOP of 256 tenths', { hdopDeci: 256 }],
    ['a negative HDOP', { hdopDeci: -1 }],
    ['a negative satellite count', { satellites: -1 }],
    ['counter −1', { counter: -1 }],
    ['counter 2^32', { counter: 2 ** 32 }],
    ['a 31-byte key', { mapper: new Uint8Array(31) }],
    ['an altitude that is not a number', { altitudeM: Number.NaN }],
  ])('refuses %s with a RangeError, signing nothing', (_, change) => {
    let signed = 0;
    const counting: Signer = { publicKey: walker.publicKey, sign: (m) => (signed++, walker.sign(m)) };
    expect(() => signMapperUplink({ ...fields, ...change }, counting)).toThrow(RangeError);
    expect(signed).toBe(0);
  });

  test('takes counter 2^32 − 1, the last', () => {
    expect(decodeMapperUplink(signMapperUplink({ ...fields, counter: 0xffff_ffff }, walker).frame).counter).toBe(0xffff_ffff);
  });
});

describe('hdopToDeci', () => {
  test.each([[0, 0], [0.94, 9], [0.95, 10], [1.0, 10], [2.54, 25], [25.4, 254], [25.5, 255], [30, 255], [99.99, 255]])(
    'gives HDOP %p as %p tenths',
    (hdop, deci) => {
      expect(hdopToDeci(hdop)).toBe(deci);
    },
  );

  test('says 25.5 or worse as the largest value, 255', () => {
    expect(MAX_HDOP_DECI).toBe(255);
  });

  test.each([[-0.1], [Number.NaN], [Infinity]])('refuses %p with a RangeError', (hdop) => {
    expect(() => hdopToDeci(hdop)).toThrow(RangeError);
  });
});

describe('decodeMapperUplink', () => {
  test.each([
    ['a LoRaWAN data uplink header (0x40)', 0x40, DecodeFailure.UnknownType],
    ['a beacon header (0xE1)', 0xe1, DecodeFailure.UnknownType],
    ['frame kind 2 (0xF1)', 0xf1, DecodeFailure.UnknownType],
    ['mapper uplink version 2 (0xEA)', 0xea, DecodeFailure.UnknownVersion],
    ['mapper uplink version 0 (0xE8)', 0xe8, DecodeFailure.UnknownVersion],
  ])('refuses %s', (_, header, code) => {
    expectDecodeError(() => decodeMapperUplink(withByte(0, header)), code);
  });

  test('refuses every shorter frame that keeps the header (WrongLength)', () => {
    for (let length = 1; length < MAPPER_UPLINK_BYTES; length++) {
      expectDecodeError(() => decodeMapperUplink(frame.subarray(0, length)), DecodeFailure.WrongLength);
    }
  });

  test('refuses an empty frame (WrongLength) and a byte after the frame (TrailingBytes)', () => {
    expectDecodeError(() => decodeMapperUplink(new Uint8Array(0)), DecodeFailure.WrongLength);
    expectDecodeError(() => decodeMapperUplink(Uint8Array.from([...frame, 0])), DecodeFailure.TrailingBytes);
  });

  test.each([
    ['latitude 90.0000001°', 33, 900_000_001],
    ['latitude −90.0000001°', 33, -900_000_001],
    ['longitude 180.0000001°', 37, 1_800_000_001],
    ['longitude −214.7483648°, the lowest int32', 37, -2_147_483_648],
  ])('refuses a position off the globe, %s (OutOfRange)', (_, offset, value) => {
    const copy = Uint8Array.from(frame);
    view(copy).setInt32(offset, value);
    expectDecodeError(() => decodeMapperUplink(copy), DecodeFailure.OutOfRange);
  });

  test('copies the frame, so later changes to the input do not reach the uplink', () => {
    const input = Uint8Array.from(frame);
    const decoded = decodeMapperUplink(input);
    input.fill(0);
    expect(toHex(decoded.frame)).toBe(toHex(frame));
    expect(toHex(decoded.mapper)).toBe(toHex(walker.publicKey));
  });

  test('throws TypeError for something that is not bytes', () => {
    expect(() => decodeMapperUplink([...frame] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('frameKind', () => {
  test('reads the kind from bits 4–3 of a covey header', () => {
    const beacon = signBeacon({ beaconer: walker.publicKey, entropyEpoch: 1, entropyTag: new Uint8Array(4), nonce: new Uint8Array(4) }, walker);
    expect(frameKind(beacon.frame)).toBe(FrameKind.Beacon);
    expect(frameKind(frame)).toBe(FrameKind.MapperUplink);
    expect(frameKind(Uint8Array.of(0xf1))).toBe(2);
    expect(frameKind(Uint8Array.of(0xf9))).toBe(3);
  });

  test('is undefined for a frame that is not covey, and for an empty one', () => {
    expect(frameKind(Uint8Array.of(0x40, 0xe9))).toBeUndefined();
    expect(frameKind(new Uint8Array(0))).toBeUndefined();
  });
});

describe('verifyMapperUplink', () => {
  test.each(VERIFIERS)('accepts the mapper signature with the %s verifier', (_, verifier) => {
    expect(verifyMapperUplink(decodeMapperUplink(frame), verifier)).toBe(true);
  });

  test.each(VERIFIERS)('refuses a frame naming the mapper but signed by another key (%s)', (_, verifier) => {
    const forged = signMapperUplink(fields, signerFor('mapper stranger'));
    expect(verifyMapperUplink(decodeMapperUplink(forged.frame), verifier)).toBe(false);
  });

  test.each(Object.values(SignatureDomain).filter((d) => d !== SignatureDomain.MapperUplink))(
    'the frame signature never verifies under "%s"',
    (domain) => {
      const message = signedBytes(domain, frame.subarray(0, 49));
      for (const [, verifier] of VERIFIERS) expect(verifier.verify(uplink.signature, message, walker.publicKey)).toBe(false);
    },
  );

  test('every one of the 904 single-bit flips is refused or fails verification', () => {
    expect(accepted(frame)).toBe(true);
    for (let bit = 0; bit < frame.length * 8; bit++) {
      expect(accepted(withByte(bit >> 3, frame[bit >> 3] ^ (1 << (bit & 7))))).toBe(false);
    }
  });
});

// MapperReport: the suite signs with signerFor('MapperReport signer'); the frame must be that key's uplink.
const reportSigner = signerFor('MapperReport signer');
const uplinkBy = (signer: Signer, change: Partial<MapperUplinkFields> = {}) =>
  signMapperUplink({ ...fields, mapper: signer.publicKey, ...change }, signer).frame;
const withHeader = (header: number) => {
  const copy = uplinkBy(reportSigner);
  copy[0] = header;
  return copy;
};

/** Sent on 869.525 MHz at SF12BW125 with 20 dBm, TxDone at 2026-05-09T07:30:04.432Z. */
const sampleReport = (): MapperReportFields => ({
  frame: uplinkBy(reportSigner),
  frequencyHz: 869_525_000,
  dataRate: 0,
  txPowerDdbm: 200,
  timeMs: Date.UTC(2026, 4, 9, 7, 30, 4, 432),
});

describeSignedMessage<MapperReportFields, MapperReport>({
  name: 'MapperReport',
  typeCode: 9,
  domain: SignatureDomain.MapperReport,
  fieldNames: ['frame', 'frequency', 'dataRate', 'txPower', 'time', 'signature'],
  sampleFields: sampleReport,
  arbitraryFields: () =>
    fc.record({ frame: uplinkFields(reportSigner.publicKey).map((f) => signMapperUplink(f, reportSigner).frame), frequencyHz, dataRate, txPowerDdbm, timeMs }),
  invalidFields: () => ({ ...sampleReport(), txPowerDdbm: 999 }),
  sign: signMapperReport,
  encode: encodeMapperReport,
  decode: decodeMapperReport,
  verify: (report, _key, verifier) => verifyMapperReport(report, verifier),
  toArray: (r) => [9, 1, r.frame, r.frequencyHz, r.dataRate, r.txPowerDdbm, r.timeMs, r.signature],
  fieldErrors: [
    { what: 'a 112-byte frame', index: 2, value: new Uint8Array(112), code: DecodeFailure.WrongLength },
    { what: 'a 114-byte frame', index: 2, value: new Uint8Array(114), code: DecodeFailure.WrongLength },
    { what: 'a 109-byte beacon frame', index: 2, value: signBeacon({ beaconer: reportSigner.publicKey, entropyEpoch: 1, entropyTag: new Uint8Array(4), nonce: new Uint8Array(4) }, reportSigner).frame, code: DecodeFailure.WrongLength },
    { what: 'a frame given as text', index: 2, value: 'frame', code: DecodeFailure.WrongType },
    { what: 'a frame that is not a covey frame', index: 2, value: withHeader(0x40), code: DecodeFailure.OutOfRange },
    { what: 'a frame with a beacon header', index: 2, value: withHeader(0xe1), code: DecodeFailure.OutOfRange },
    { what: 'a frame of uplink version 2', index: 2, value: withHeader(0xea), code: DecodeFailure.OutOfRange },
    { what: 'frequency 136999999 Hz', index: 3, value: 136_999_999, code: DecodeFailure.OutOfRange },
    { what: 'data rate 18', index: 4, value: 18, code: DecodeFailure.OutOfRange },
    { what: 'tx power -91 (below -9.0 dBm)', index: 5, value: -91, code: DecodeFailure.OutOfRange },
    { what: 'tx power 401 (above 40.0 dBm)', index: 5, value: 401, code: DecodeFailure.OutOfRange },
    { what: 'time -1', index: 6, value: -1, code: DecodeFailure.OutOfRange },
    { what: 'time MAX_TIME_MS + 1', index: 6, value: MAX_TIME_MS + 1, code: DecodeFailure.OutOfRange },
  ],
  fieldEdges: [
    { what: 'tx power -90', index: 5, value: -90 },
    { what: 'tx power 400', index: 5, value: 400 },
    { what: 'data rate 17', index: 4, value: 17 },
    { what: 'time MAX_TIME_MS, the end of the Date range', index: 6, value: MAX_TIME_MS },
  ],
});

describe('MapperReport: the uplink inside', () => {
  test('reportedUplink is the uplink in the report, and the report is signed by its mapper', () => {
    const report = signMapperReport(sampleReport(), reportSigner);
    expect(reportedUplink(report)).toMatchObject({ ...fields, mapper: reportSigner.publicKey });
    expect(verifyMapperReport(report, hostVerifier)).toBe(true);
  });

  test("fails verification when signed by a key other than the uplink's mapper", () => {
    expect(verifyMapperReport(signMapperReport(sampleReport(), walker), hostVerifier)).toBe(false);
  });

  test('with realistic values is 201 bytes', () => {
    expect(encodeMapperReport(signMapperReport(sampleReport(), reportSigner))).toHaveLength(201);
  });
});

/** Heard at −118.4 dBm, SNR −9.5 dB, on 869.525 MHz plus 812 Hz at SF12BW125, 2026-05-09T07:30:04.512Z. */
const sampleReceipt = (): MapperReceiptFields => ({
  beaconDigest: beaconDigest(uplinkBy(reportSigner)),
  rssiDdbm: -1184,
  snrDdb: -95,
  frequencyHz: 869_525_812,
  dataRate: 0,
  timeMs: Date.UTC(2026, 4, 9, 7, 30, 4, 512),
});

describeSignedMessage<MapperReceiptFields, MapperReceipt>({
  name: 'MapperReceipt',
  typeCode: 10,
  domain: SignatureDomain.MapperReceipt,
  fieldNames: ['uplink', 'rssi', 'snr', 'frequency', 'dataRate', 'time', 'signature'],
  sampleFields: sampleReceipt,
  arbitraryFields: () => fc.record({ beaconDigest: bytes(16), rssiDdbm, snrDdb, frequencyHz, dataRate, timeMs }),
  invalidFields: () => ({ ...sampleReceipt(), snrDdb: 401 }),
  sign: signMapperReceipt,
  encode: encodeMapperReceipt,
  decode: decodeMapperReceipt,
  verify: verifyMapperReceipt,
  toArray: (r) => [10, 1, r.beaconDigest, r.rssiDdbm, r.snrDdb, r.frequencyHz, r.dataRate, r.timeMs, r.signature],
  fieldErrors: [
    { what: 'a 15-byte uplink digest', index: 2, value: new Uint8Array(15), code: DecodeFailure.WrongLength },
    { what: 'a 17-byte uplink digest', index: 2, value: new Uint8Array(17), code: DecodeFailure.WrongLength },
    { what: 'an uplink digest given as text', index: 2, value: 'digest', code: DecodeFailure.WrongType },
    { what: 'rssi -2001', index: 3, value: -2001, code: DecodeFailure.OutOfRange },
    { what: 'rssi 201', index: 3, value: 201, code: DecodeFailure.OutOfRange },
    { what: 'snr -401', index: 4, value: -401, code: DecodeFailure.OutOfRange },
    { what: 'snr 401', index: 4, value: 401, code: DecodeFailure.OutOfRange },
    { what: 'frequency 1020000001 Hz', index: 5, value: 1_020_000_001, code: DecodeFailure.OutOfRange },
    { what: 'data rate 18', index: 6, value: 18, code: DecodeFailure.OutOfRange },
    { what: 'time -1', index: 7, value: -1, code: DecodeFailure.OutOfRange },
  ],
  fieldEdges: [
    { what: 'rssi -2000', index: 3, value: -2000 },
    { what: 'snr 400', index: 4, value: 400 },
    { what: 'time MAX_TIME_MS', index: 7, value: MAX_TIME_MS },
  ],
});

describe('MapperReceipt', () => {
  test('with realistic values is 106 bytes, as a WitnessReceipt', () => {
    expect(encodeMapperReceipt(signMapperReceipt(sampleReceipt(), walker))).toHaveLength(106);
  });
});

describe('registry', () => {
  test('names types 8, 9 and 10, each at version 1', () => {
    expect([MessageType.MapperUplink, MessageType.MapperReport, MessageType.MapperReceipt]).toEqual([8, 9, 10]);
    expect([8, 9, 10].map(messageTypeName)).toEqual(['MapperUplink', 'MapperReport', 'MapperReceipt']);
    expect([8, 9, 10].map((code) => CURRENT_VERSION[code as MessageType])).toEqual([1, 1, 1]);
  });

  test('gives each mapper message its own signature tag', () => {
    expect([SignatureDomain.MapperUplink, SignatureDomain.MapperReport, SignatureDomain.MapperReceipt]).toEqual([
      'covey/mapper-uplink/v1', 'covey/mapper-report/v1', 'covey/mapper-witness/v1',
    ]);
    expect(new Set(Object.values(SignatureDomain)).size).toBe(Object.values(SignatureDomain).length);
  });
});

describe('UploadBatch with all four item kinds', () => {
  const hotspot = signerFor('mapper batch uploader');
  const beacon = signBeacon({ beaconer: hotspot.publicKey, entropyEpoch: 29_911_680, entropyTag: Uint8Array.of(9, 8, 7, 6), nonce: Uint8Array.of(1, 2, 3, 4) }, hotspot);
  const items: BatchItem[] = [
    { kind: 'witness', receipt: signWitnessReceipt({ ...sampleReceipt(), beaconDigest: new Uint8Array(16).fill(0xb1) }, hotspot) },
    { kind: 'beacon', report: signBeaconReport({ frame: beacon.frame, frequencyHz: 869_525_000, dataRate: 0, txPowerDdbm: 200, timeMs: sampleReport().timeMs }, hotspot) },
    { kind: 'mapper', report: signMapperReport({ ...sampleReport(), frame: uplinkBy(hotspot) }, hotspot) },
    { kind: 'mapper-witness', receipt: signMapperReceipt(sampleReceipt(), hotspot) },
  ];
  const batch = encodeUploadBatch({ uploader: hotspot.publicKey, items });

  test('round-trips every kind in its place', () => {
    const decoded = decodeUploadBatch(batch);
    expect(toHex(decoded.uploader)).toBe(toHex(hotspot.publicKey));
    expect(decoded.items.map((d) => d.item?.kind)).toEqual(['witness', 'beacon', 'mapper', 'mapper-witness']);
    expect(decoded.items.map((d) => d.item)).toEqual(items);
  });

  test('is the same bytes when built from the items as a device queues them', () => {
    expect(toHex(encodeUploadBatchFromItems(hotspot.publicKey, items.map(encodeBatchItem)))).toBe(toHex(batch));
  });

  test('gives each item the id SHA-256(uploader ‖ its encoding) names, as batchItemId predicts', () => {
    const decoded = decodeUploadBatch(batch);
    items.forEach((item, i) => {
      expect(toHex(decoded.items[i].id)).toBe(toHex(receiptId(hotspot.publicKey, encodeBatchItem(item))));
      expect(toHex(batchItemId(hotspot.publicKey, item))).toBe(toHex(decoded.items[i].id));
    });
    expect(new Set(decoded.items.map((d) => toHex(d.id))).size).toBe(4);
  });

  test('encodes the two mapper kinds as types 9 and 10', () => {
    expect(items.map((item) => encodeBatchItem(item)[1])).toEqual([4, 3, 9, 10]);
  });

  test('verifies every item against the uploader', () => {
    expect(items.map((item) => verifyBatchItem(hotspot.publicKey, item, hostVerifier))).toEqual([Reason.none, Reason.none, Reason.none, Reason.none]);
  });

  test("answers wrong_signer for a valid report of another mapper's uplink, bad_signature for a receipt by another key", () => {
    const other = signerFor('another mapper');
    const theirs: BatchItem = { kind: 'mapper', report: signMapperReport({ ...sampleReport(), frame: uplinkBy(other) }, other) };
    expect(verifyBatchItem(hotspot.publicKey, theirs, hostVerifier)).toBe(Reason.wrong_signer);
    const byOther: BatchItem = { kind: 'mapper-witness', receipt: signMapperReceipt(sampleReceipt(), other) };
    expect(verifyBatchItem(hotspot.publicKey, byOther, hostVerifier)).toBe(Reason.bad_signature);
  });

  test('a MapperReceipt given as a WitnessReceipt fails its signature: the tags keep them apart', () => {
    const receipt = (items[3] as { receipt: MapperReceipt }).receipt;
    expect(verifyBatchItem(hotspot.publicKey, { kind: 'witness', receipt }, hostVerifier)).toBe(Reason.bad_signature);
  });
});

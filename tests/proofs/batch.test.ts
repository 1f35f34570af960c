/** UploadBatch (proofs/batch.ts): the envelope, per-item decoding, item ids and item verification. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  batchItemId, beaconReportToValue, concatBytes, DecodeError, DecodeFailure, decodeUploadBatch, encodeBatchItem,
  encodeCbor, encodeUploadBatch, MAX_BATCH_ITEMS, Reason, signBeacon, signBeaconReport, signWitnessReceipt, toHex,
  verifyBatchItem, witnessReceiptToValue, type BatchItem, type CborValue, type Signer, type UploadBatch,
} from '../../proofs/index.js';
import { bytes, dataRate, frequencyHz, rssiDdbm, snrDdb, timeMs } from '../support/arbitraries.js';
import { head } from '../support/cbor-spelling.js';
import { expectDecodeError } from '../support/decode-error.js';
import { hostVerifier, signerFor } from '../support/keys.js';

const uploader = signerFor('batch uploader');
const neighbour = signerFor('batch neighbour');
const TIME = Date.UTC(2026, 2, 14, 12, 0, 23, 872);

function receiptBy(signer: Signer): BatchItem {
  const fields = {
    beaconDigest: new Uint8Array(16).fill(7),
    rssiDdbm: -1200,
    snrDdb: -125,
    frequencyHz: 868_100_000,
    dataRate: 0,
    timeMs: TIME,
  };
  return { kind: 'witness', receipt: signWitnessReceipt(fields, signer) };
}

function reportBy(signer: Signer, beaconer: Signer = signer): BatchItem {
  const beaconFields = {
    beaconer: beaconer.publicKey,
    entropyEpoch: 29_558_160,
    entropyTag: new Uint8Array(4),
    nonce: Uint8Array.of(1, 2, 3, 4),
  };
  const frame = signBeacon(beaconFields, beaconer).frame;
  const fields = { frame, frequencyHz: 868_100_000, dataRate: 0, txPowerDdbm: 140, timeMs: TIME - 1 };
  return { kind: 'beacon', report: signBeaconReport(fields, signer) };
}

const itemValue = (item: BatchItem): CborValue => {
  if (item.kind === 'witness') return witnessReceiptToValue(item.receipt);
  if (item.kind === 'beacon') return beaconReportToValue(item.report);
  throw new Error(`no ${item.kind} items in these tests`);
};
const batchOf = (items: CborValue[]) => encodeCbor([5, 1, uploader.publicKey, items]);
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

const items = [receiptBy(uploader), reportBy(uploader)];
const batch: UploadBatch = { uploader: uploader.publicKey, items };
const encoded = encodeUploadBatch(batch);

describe('UploadBatch: encoding', () => {
  test('round-trips a receipt and a beacon report', () => {
    const decoded = decodeUploadBatch(encoded);
    expect(toHex(decoded.uploader)).toBe(toHex(uploader.publicKey));
    expect(decoded.items.map((entry) => entry.item)).toEqual(items);
    expect(decoded.items.every((entry) => entry.error === undefined)).toBe(true);
  });

  test('is [5, 1, uploader, [items...]] with each item as its own signed message', () => {
    expect(toHex(encoded)).toBe(toHex(batchOf(items.map(itemValue))));
  });

  test('round-trips any mix of up to 8 receipts (property)', () => {
    const fields = fc.record({ beaconDigest: bytes(16), rssiDdbm, snrDdb, frequencyHz, dataRate, timeMs });
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 8 }), (list) => {
        const receipts = list.map((f): BatchItem => ({ kind: 'witness', receipt: signWitnessReceipt(f, uploader) }));
        const decoded = decodeUploadBatch(encodeUploadBatch({ uploader: uploader.publicKey, items: receipts }));
        expect(decoded.items.map((entry) => entry.item)).toEqual(receipts);
      }),
      { numRuns: 50 },
    );
  });
});

describe('UploadBatch: item ids', () => {
  test('are SHA-256(uploader ‖ the item bytes in the batch), first 16 bytes', () => {
    const decoded = decodeUploadBatch(encoded);
    items.forEach((item, i) => {
      const itemBytes = encodeBatchItem(item);
      expect(toHex(encoded)).toContain(toHex(itemBytes));
      expect(toHex(decoded.items[i].id)).toBe(toHex(sha256(concatBytes(uploader.publicKey, itemBytes)).slice(0, 16)));
    });
  });

  test('are what batchItemId predicts before the upload', () => {
    const decoded = decodeUploadBatch(encoded);
    const predicted = items.map((item) => toHex(batchItemId(uploader.publicKey, item)));
    expect(decoded.items.map((entry) => toHex(entry.id))).toEqual(predicted);
  });

  test('do not depend on the position of the item or the rest of the batch', () => {
    const alone = decodeUploadBatch(encodeUploadBatch({ ...batch, items: [items[1]] }));
    const reordered = decodeUploadBatch(encodeUploadBatch({ ...batch, items: [items[1], items[0]] }));
    expect(toHex(alone.items[0].id)).toBe(toHex(decodeUploadBatch(encoded).items[1].id));
    expect(toHex(reordered.items[1].id)).toBe(toHex(decodeUploadBatch(encoded).items[0].id));
  });

  test('differ between uploaders for the same item bytes', () => {
    const [mine, theirs] = [uploader, neighbour].map((signer) => toHex(batchItemId(signer.publicKey, items[0])));
    expect(theirs).not.toBe(mine);
  });

  test('differ between items', () => {
    const ids = decodeUploadBatch(encoded).items.map((entry) => toHex(entry.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('UploadBatch: a bad item', () => {
  const receipt = itemValue(items[0]) as CborValue[];
  // The rssi (item 3) out of range: signing would refuse it, so it is written into the array.
  const bad = receipt.map((value, i) => (i === 3 ? 9999 : value));

  test('leaves the good items around it intact', () => {
    const decoded = decodeUploadBatch(batchOf([itemValue(items[0]), bad, itemValue(items[1])]));
    expect(decoded.items[0].item).toEqual(items[0]);
    expect(decoded.items[2].item).toEqual(items[1]);
  });

  test('carries its DecodeError and no item', () => {
    const entry = decodeUploadBatch(batchOf([itemValue(items[0]), bad])).items[1];
    expect(entry.item).toBeUndefined();
    expect(entry.error).toBeInstanceOf(DecodeError);
    expect(entry.error?.code).toBe(DecodeFailure.OutOfRange);
  });

  test('still has the id of its exact bytes, so the ack can name it', () => {
    const entry = decodeUploadBatch(batchOf([bad])).items[0];
    expect(toHex(entry.id)).toBe(toHex(sha256(concatBytes(uploader.publicKey, encodeCbor(bad))).slice(0, 16)));
  });

  const entropyLike = [1, 1, 29_558_160, new Uint8Array(32), TIME, new Uint8Array(64)];
  test.each([
    { what: 'an Entropy message', input: entropyLike, code: DecodeFailure.WrongType },
    { what: 'an integer', input: 4, code: DecodeFailure.WrongType },
    { what: 'an empty array', input: [], code: DecodeFailure.WrongType },
    { what: 'a receipt of version 2', input: [4, 2, ...receipt.slice(2)], code: DecodeFailure.UnknownVersion },
    {
      what: 'a receipt with a 63-byte signature',
      input: [...receipt.slice(0, -1), new Uint8Array(63)],
      code: DecodeFailure.WrongLength,
    },
    { what: 'a receipt with a missing field', input: receipt.slice(0, -1), code: DecodeFailure.WrongLength },
  ])('$what is answered with $code', ({ input, code }) => {
    const entry = decodeUploadBatch(batchOf([itemValue(items[0]), input as CborValue])).items[1];
    expect(entry.error?.code).toBe(code);
  });
});

describe('UploadBatch: limits', () => {
  const many = (n: number) => Array.from({ length: n }, () => items[0]);

  test(`encodes ${MAX_BATCH_ITEMS} items`, () => {
    expect(MAX_BATCH_ITEMS).toBe(256);
    expect(decodeUploadBatch(encodeUploadBatch({ ...batch, items: many(256) })).items).toHaveLength(256);
  });

  test('refuses to encode 0 items (RangeError)', () => {
    expect(() => encodeUploadBatch({ uploader: uploader.publicKey, items: [] })).toThrow(RangeError);
  });

  test('refuses to encode 257 items (RangeError)', () => {
    expect(() => encodeUploadBatch({ uploader: uploader.publicKey, items: many(257) })).toThrow(RangeError);
  });

  test('refuses to decode 0 items (OutOfRange)', () => {
    expectDecodeError(() => decodeUploadBatch(batchOf([])), DecodeFailure.OutOfRange);
  });

  test('refuses to decode 257 items (OutOfRange)', () => {
    expectDecodeError(() => decodeUploadBatch(batchOf(many(257).map(itemValue))), DecodeFailure.OutOfRange);
  });
});

describe('UploadBatch: envelope', () => {
  const key = uploader.publicKey;
  const good = [itemValue(items[0])];
  test.each([
    { what: 'a 31-byte uploader key', input: encodeCbor([5, 1, key.slice(1), good]), code: DecodeFailure.WrongLength },
    { what: 'an uploader key given as text', input: encodeCbor([5, 1, 'cv...', good]), code: DecodeFailure.WrongType },
    { what: 'items that are not an array', input: encodeCbor([5, 1, key, 4]), code: DecodeFailure.WrongType },
    { what: 'an unknown type code', input: encodeCbor([99, 1, key, good]), code: DecodeFailure.UnknownType },
    { what: 'an UploadAck', input: encodeCbor([6, 1, []]), code: DecodeFailure.WrongType },
    { what: 'an unknown version', input: encodeCbor([5, 2, key, good]), code: DecodeFailure.UnknownVersion },
    { what: 'a missing item list', input: encodeCbor([5, 1, key]), code: DecodeFailure.WrongLength },
    { what: 'trailing bytes', input: concatBytes(encoded, Uint8Array.of(0)), code: DecodeFailure.TrailingBytes },
    {
      what: 'the item list head in a 1-byte length',
      input: concatBytes(head(4, 4n), ...[5, 1, key].map(encodeCbor), head(4, 1n, 1), encodeCbor(good[0])),
      code: DecodeFailure.NonCanonical,
    },
  ])('refuses $what ($code)', ({ input, code }) => {
    expectDecodeError(() => decodeUploadBatch(input), code);
  });

  test('refuses every truncation (Malformed)', () => {
    for (let length = 0; length < encoded.length; length++) {
      expectDecodeError(() => decodeUploadBatch(encoded.slice(0, length)), DecodeFailure.Malformed);
    }
  });
});

describe('verifyBatchItem', () => {
  test("accepts the uploader's own receipt", () => {
    expect(verifyBatchItem(uploader.publicKey, items[0], hostVerifier)).toBe(Reason.none);
  });

  test("accepts the report of the uploader's own beacon", () => {
    expect(verifyBatchItem(uploader.publicKey, items[1], hostVerifier)).toBe(Reason.none);
  });

  test('answers bad_signature for a receipt signed by another key', () => {
    expect(verifyBatchItem(uploader.publicKey, receiptBy(neighbour), hostVerifier)).toBe(Reason.bad_signature);
  });

  test("answers wrong_signer for a valid report of someone else's beacon", () => {
    expect(verifyBatchItem(uploader.publicKey, reportBy(neighbour), hostVerifier)).toBe(Reason.wrong_signer);
  });

  test("answers bad_signature for a report of the uploader's beacon signed by another key", () => {
    expect(verifyBatchItem(uploader.publicKey, reportBy(neighbour, uploader), hostVerifier)).toBe(Reason.bad_signature);
  });

  test('one flipped bit in a batch is refused, or an item is refused or fails verification (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: encoded.length * 8 - 1 }), (bit) => {
        const flipped = Uint8Array.from(encoded);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        let decoded;
        try {
          decoded = decodeUploadBatch(flipped);
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError);
          return;
        }
        const verdicts = decoded.items.map((entry) =>
          entry.item === undefined ? 'refused' : verifyBatchItem(decoded.uploader, entry.item, hostVerifier));
        expect(verdicts.some((verdict) => verdict !== Reason.none)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

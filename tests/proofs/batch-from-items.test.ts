/** encodeUploadBatchFromItems: the batch a device builds from its queue equals the one built from objects. */
import {
  beaconDigest, encodeBatchItem, encodeUploadBatch, encodeUploadBatchFromItems, signWitnessReceipt, toHex, type BatchItem,
} from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';

const witness = createHostSigner(new Uint8Array(32).fill(3));

function items(count: number): BatchItem[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'witness' as const,
    receipt: signWitnessReceipt(
      {
        beaconDigest: beaconDigest(Uint8Array.of(i, i >> 8)),
        rssiDdbm: -1200 + i,
        snrDdb: -125,
        frequencyHz: 868_100_000,
        dataRate: 0,
        timeMs: 1_795_000_000_000 + i,
      },
      witness,
    ),
  }));
}

test.each([1, 23, 24, 50, 255, 256])('a batch of %i encoded items is byte-identical to encodeUploadBatch', (count) => {
  const list = items(count);
  const fromItems = encodeUploadBatchFromItems(witness.publicKey, list.map(encodeBatchItem));
  expect(toHex(fromItems)).toBe(toHex(encodeUploadBatch({ uploader: witness.publicKey, items: list })));
});

test('refuses an empty batch and one over 256 items', () => {
  expect(() => encodeUploadBatchFromItems(witness.publicKey, [])).toThrow(RangeError);
  const one = encodeBatchItem(items(1)[0]);
  expect(() => encodeUploadBatchFromItems(witness.publicKey, new Array(257).fill(one))).toThrow(RangeError);
});

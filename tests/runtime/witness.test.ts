/** The witness: what becomes a receipt, with which fields, and what is dropped and counted. */
import { beaconDigest } from '../../proofs/digest.js';
import { equalBytes } from '../../proofs/bytes.js';
import { decodeWitnessReceipt, verifyWitnessReceipt } from '../../proofs/witness-receipt.js';
import type { RecordQueue } from '../../src/components.js';
import { hostVerifier, portableVerifier } from '../support/keys.js';
import { beaconFrom, CHANNEL, outcomeSum, RX_WALL, witnessKey, witnessRig } from '../support/witness-rig.js';

const flipBit = (frame: Uint8Array, bit: number) => {
  const copy = frame.slice();
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

describe('Witness receipts', () => {
  test('turns a valid beacon into a signed receipt with the received values in fixed point', () => {
    const rig = witnessRig();
    const frame = beaconFrom('neighbour');
    rig.hear(frame);
    expect(rig.witness.stats.receipts).toBe(1);
    expect(rig.notified()).toBe(1);
    const receipt = decodeWitnessReceipt(rig.queue.peek(1)[0].bytes);
    expect(equalBytes(receipt.beaconDigest, beaconDigest(frame))).toBe(true);
    expect(receipt.rssiDdbm).toBe(-1203);
    expect(receipt.snrDdb).toBe(-125);
    expect(receipt.frequencyHz).toBe(CHANNEL.frequencyHz + 1234);
    expect(receipt.dataRate).toBe(CHANNEL.dataRate);
    expect(receipt.timeMs).toBe(RX_WALL);
    expect(verifyWitnessReceipt(receipt, witnessKey.publicKey, hostVerifier)).toBe(true);
  });

  test('verifies beacons with the portable verifier the device runs', () => {
    const rig = witnessRig({ verifier: portableVerifier });
    rig.hear(beaconFrom('neighbour'));
    rig.hear(flipBit(beaconFrom('other'), 8 * 60));
    expect(rig.witness.stats.receipts).toBe(1);
    expect(rig.witness.stats.forged).toBe(1);
  });

  test('clamps measurements beyond the receipt ranges and adds a negative frequency error', () => {
    const rig = witnessRig();
    rig.hear(beaconFrom('neighbour'), { rssiDbm: -250, snrDb: 45, frequencyErrorHz: -2500.6 });
    const receipt = decodeWitnessReceipt(rig.queue.peek(1)[0].bytes);
    expect([receipt.rssiDdbm, receipt.snrDdb, receipt.frequencyHz]).toEqual([-2000, 400, CHANNEL.frequencyHz - 2501]);
  });
});

describe('Witness drops', () => {
  test('drops and counts a beacon whose signature does not verify', () => {
    const rig = witnessRig();
    for (const bit of [8 * 5, 8 * 40 + 3, 8 * 100 + 7]) rig.hear(flipBit(beaconFrom('neighbour'), bit));
    expect(rig.witness.stats.forged).toBe(3);
    expect(rig.queue.size).toBe(0);
  });

  test('witnesses a forged beacon when verification is turned off', () => {
    const rig = witnessRig({ verifyBeacons: false });
    rig.hear(flipBit(beaconFrom('neighbour'), 8 * 100));
    expect(rig.witness.stats.receipts).toBe(1);
  });

  test('drops a second copy of the same beacon', () => {
    const rig = witnessRig();
    const frame = beaconFrom('neighbour');
    rig.hear(frame);
    rig.hear(frame.slice(), { rssiDbm: -90 });
    expect(rig.witness.stats.receipts).toBe(1);
    expect(rig.witness.stats.duplicates).toBe(1);
  });

  test('remembers a fixed number of beacons, the oldest forgotten first', () => {
    const rig = witnessRig({ cacheSize: 4 });
    const frames = [1, 2, 3, 4, 5].map((nonce) => beaconFrom('neighbour', nonce));
    for (const frame of frames) rig.hear(frame);
    rig.hear(frames[4]);
    rig.hear(frames[0]); // pushed out by the fifth
    expect(rig.witness.stats.duplicates).toBe(1);
    expect(rig.witness.stats.receipts).toBe(6);
  });

  test('ignores its own beacon', () => {
    const rig = witnessRig();
    rig.hear(beaconFrom('witness'));
    expect(rig.witness.stats.own).toBe(1);
    expect(rig.queue.size).toBe(0);
  });

  test('counts a frame with a failed CRC and reads no further', () => {
    const rig = witnessRig();
    rig.hear(beaconFrom('neighbour'), { crcOk: false });
    expect(rig.witness.stats.crcErrors).toBe(1);
    expect(rig.queue.size).toBe(0);
  });

  test('sorts frames that are not beacons by why', () => {
    const rig = witnessRig();
    const beacon = beaconFrom('neighbour');
    rig.hear(Uint8Array.of(0x40, 1, 2, 3)); // a LoRaWAN unconfirmed uplink
    rig.hear(new Uint8Array(0));
    const mapper = beacon.slice();
    mapper[0] = 0xe9;
    rig.hear(mapper);
    const newer = beacon.slice();
    newer[0] = 0xe2;
    rig.hear(newer);
    rig.hear(beacon.subarray(0, 108));
    rig.hear(Uint8Array.from([...beacon, 0]));
    const s = rig.witness.stats;
    expect([s.nonCovey, s.unsupported, s.malformed]).toEqual([2, 2, 2]);
  });

  test('drops a beacon heard while the wall time is unknown, and witnesses it once the time is set', () => {
    const rig = witnessRig();
    const frame = beaconFrom('neighbour');
    rig.setWall(undefined);
    rig.hear(frame);
    expect(rig.witness.stats.noTime).toBe(1);
    rig.setWall(RX_WALL);
    rig.hear(frame);
    expect(rig.witness.stats.receipts).toBe(1);
  });

  test('counts a receipt the queue cannot store, without throwing', () => {
    const full: RecordQueue = {
      append: () => {
        throw new RangeError('flash full');
      },
      peek: () => [],
      remove: () => undefined,
      size: 0,
    };
    const rig = witnessRig({ queue: full });
    expect(() => rig.hear(beaconFrom('neighbour'))).not.toThrow();
    expect(rig.witness.stats.failed).toBe(1);
    expect(rig.log.lines.some((l) => l.level === 'error' && String(l.fields.error).includes('flash full'))).toBe(true);
  });

  test('counts a measurement that is not a number as a failure', () => {
    const rig = witnessRig();
    rig.hear(beaconFrom('neighbour'), { rssiDbm: Number.NaN });
    expect(rig.witness.stats.failed).toBe(1);
  });

  test('ignores frames once stopped', () => {
    const rig = witnessRig();
    rig.witness.stop();
    rig.hear(beaconFrom('neighbour'));
    expect(rig.witness.stats.heard).toBe(0);
  });

  test('keeps every frame under exactly one counter', () => {
    const rig = witnessRig();
    const frames = [beaconFrom('a'), beaconFrom('a'), beaconFrom('witness'), Uint8Array.of(1), flipBit(beaconFrom('b'), 900)];
    for (const frame of frames) rig.hear(frame);
    rig.hear(beaconFrom('c'), { crcOk: false });
    expect(rig.witness.stats.heard).toBe(6);
    expect(outcomeSum(rig.witness.stats)).toBe(6);
  });
});

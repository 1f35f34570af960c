/** The witness and mapper uplinks: MapperReceipts for genuine uplinks, with the same checks as beacons. */
import { equalBytes, toHex, writeU32BE } from '../../proofs/bytes.js';
import { beaconDigest } from '../../proofs/digest.js';
import { decodeMapperReceipt, verifyMapperReceipt } from '../../proofs/mapper-receipt.js';
import { MAPPER_UPLINK_BYTES, signMapperUplink } from '../../proofs/mapper-uplink.js';
import { MessageType } from '../../proofs/registry.js';
import { decodeWitnessReceipt, verifyWitnessReceipt } from '../../proofs/witness-receipt.js';
import { hostVerifier, portableVerifier, signerFor } from '../support/keys.js';
import { beaconFrom, CHANNEL, outcomeSum, RX_WALL, witnessKey, witnessRig } from '../support/witness-rig.js';

/** A signed uplink from the mapper named `label`, 2.5 km south-west of Paris' Eiffel Tower. */
function uplinkFrom(label: string, counter = 7): Uint8Array {
  const signer = signerFor(label);
  return signMapperUplink(
    { mapper: signer.publicKey, latE7: 488_400_000, lonE7: 22_700_000, altitudeM: 41, hdopDeci: 12, satellites: 8, counter },
    signer,
  ).frame;
}

const flipBit = (frame: Uint8Array, bit: number) => {
  const copy = frame.slice();
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
};

describe('Witness: MapperReceipts', () => {
  test('turns a genuine uplink into a signed MapperReceipt with the received values', () => {
    const rig = witnessRig();
    const frame = uplinkFrom('walker');
    rig.hear(frame);
    expect(rig.witness.stats.receipts).toBe(1);
    expect(rig.witness.uplinkStats).toEqual({ receipts: 1, forged: 0 });
    expect(rig.notified()).toBe(1);
    const bytes = rig.queue.peek(1)[0].bytes;
    expect(bytes[1]).toBe(MessageType.MapperReceipt);
    const receipt = decodeMapperReceipt(bytes);
    expect(toHex(receipt.beaconDigest)).toBe(toHex(beaconDigest(frame)));
    expect(receipt.rssiDdbm).toBe(-1203);
    expect(receipt.snrDdb).toBe(-125);
    expect(receipt.frequencyHz).toBe(CHANNEL.frequencyHz + 1234);
    expect(receipt.dataRate).toBe(CHANNEL.dataRate);
    expect(receipt.timeMs).toBe(RX_WALL);
    expect(verifyMapperReceipt(receipt, witnessKey.publicKey, hostVerifier)).toBe(true);
    expect(rig.log.lines.map((l) => l.message)).toEqual(['mapper uplink witnessed']);
  });

  test('signs the receipt for an uplink with the same fields as the one for a beacon, under its own type and tag', () => {
    const rig = witnessRig();
    rig.hear(beaconFrom('neighbour'));
    rig.hear(uplinkFrom('walker'));
    const [witnessBytes, mapperBytes] = rig.queue.peek(2).map((r) => r.bytes);
    const asWitness = decodeWitnessReceipt(witnessBytes);
    const asMapper = decodeMapperReceipt(mapperBytes);
    expect([asMapper.rssiDdbm, asMapper.snrDdb, asMapper.frequencyHz, asMapper.dataRate, asMapper.timeMs]).toEqual(
      [asWitness.rssiDdbm, asWitness.snrDdb, asWitness.frequencyHz, asWitness.dataRate, asWitness.timeMs],
    );
    // A MapperReceipt's signature is not a WitnessReceipt's: one cannot pass for the other.
    expect(verifyWitnessReceipt({ ...asMapper }, witnessKey.publicKey, hostVerifier)).toBe(false);
    expect(rig.witness.stats.receipts).toBe(2);
    expect(rig.witness.uplinkStats.receipts).toBe(1);
  });

  test('verifies uplinks with the portable verifier the device runs', () => {
    const rig = witnessRig({ verifier: portableVerifier });
    rig.hear(uplinkFrom('walker'));
    rig.hear(flipBit(uplinkFrom('runner'), 8 * 50));
    expect(rig.witness.stats).toMatchObject({ receipts: 1, forged: 1 });
  });
});

describe('Witness: uplinks it drops', () => {
  test('drops and counts uplinks whose signature does not verify: a moved position, a changed counter, a bad signature', () => {
    const rig = witnessRig();
    const frame = uplinkFrom('walker');
    const moved = frame.slice();
    moved[36] ^= 0x40;
    const recounted = frame.slice();
    writeU32BE(recounted, 45, 8);
    for (const forged of [moved, recounted, flipBit(frame, 8 * 100 + 2)]) rig.hear(forged);
    expect(rig.witness.stats.forged).toBe(3);
    expect(rig.witness.uplinkStats).toEqual({ receipts: 0, forged: 3 });
    expect(rig.queue.size).toBe(0);
  });

  test('witnesses a forged uplink when verification is turned off', () => {
    const rig = witnessRig({ verifyBeacons: false });
    rig.hear(flipBit(uplinkFrom('walker'), 8 * 100));
    expect(rig.witness.uplinkStats.receipts).toBe(1);
  });

  test('drops a second copy of the same uplink, and witnesses the next uplink of the same mapper', () => {
    const rig = witnessRig();
    rig.hear(uplinkFrom('walker', 7));
    rig.hear(uplinkFrom('walker', 7), { rssiDbm: -80 });
    rig.hear(uplinkFrom('walker', 8));
    expect(rig.witness.stats).toMatchObject({ receipts: 2, duplicates: 1 });
  });

  test('never makes a receipt for its own uplink', () => {
    const rig = witnessRig();
    rig.hear(uplinkFrom('witness'));
    expect(rig.witness.stats.own).toBe(1);
    expect(rig.queue.size).toBe(0);
  });

  test('drops an uplink heard while the wall time is unknown', () => {
    const rig = witnessRig();
    rig.setWall(undefined);
    rig.hear(uplinkFrom('walker'));
    expect(rig.witness.stats.noTime).toBe(1);
    expect(rig.queue.size).toBe(0);
  });

  test('sorts damaged uplinks: cut short or run long is unsupported, a position off the globe is malformed', () => {
    const rig = witnessRig();
    const frame = uplinkFrom('walker');
    rig.hear(frame.subarray(0, MAPPER_UPLINK_BYTES - 1));
    rig.hear(Uint8Array.from([...frame, 0]));
    const offGlobe = frame.slice();
    writeU32BE(offGlobe, 33, 900_000_001); // latitude 90.0000001°
    rig.hear(offGlobe);
    expect(rig.witness.stats).toMatchObject({ unsupported: 2, malformed: 1, receipts: 0 });
  });

  test('keeps every uplink under exactly one counter', () => {
    const rig = witnessRig();
    const frames = [uplinkFrom('a'), uplinkFrom('a'), uplinkFrom('witness'), flipBit(uplinkFrom('b'), 700), Uint8Array.of(0x40, 1, 2)];
    for (const frame of frames) rig.hear(frame);
    rig.hear(uplinkFrom('d'), { crcOk: false });
    expect(rig.witness.stats).toMatchObject({ heard: 6, receipts: 1, duplicates: 1, own: 1, forged: 1, nonCovey: 1, crcErrors: 1 });
    expect(outcomeSum(rig.witness.stats)).toBe(6);
  });

  test('names the uplink it heard by the digest of the frame bytes exactly as received', () => {
    const rig = witnessRig();
    const frame = uplinkFrom('walker');
    rig.hear(frame);
    const receipt = decodeMapperReceipt(rig.queue.peek(1)[0].bytes);
    expect(equalBytes(receipt.beaconDigest, beaconDigest(frame))).toBe(true);
    expect(receipt.beaconDigest).toHaveLength(16);
  });
});

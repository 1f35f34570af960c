/**
 * 10^6 random and mutated frames into the witness's receive handler: no exception escapes, and every
 * frame is counted under exactly one outcome.
 *
 * Signature checks dominate the cost, so this run injects the host verifier (node:crypto, about 60 µs a
 * check) rather than the portable one the device runs; which verifier decides is not what is fuzzed here
 * (tests/proofs/signature-agreement.test.ts shows the two agree). A few valid beacons are signed once and
 * then copied and mutated.
 */
import { BEACON_FRAME_BYTES, BEACON_HEADER } from '../../proofs/beacon.js';
import type { QueuedRecord, RecordQueue } from '../../src/components.js';
import type { RadioPacket } from '../../src/ports.js';
import { beaconFrom, outcomeSum, witnessRig } from '../support/witness-rig.js';

const FRAMES = 1_000_000;

/** A queue that only counts: the fuzz run is about the receive path, not storage. */
function countingQueue(): RecordQueue & { appended: number } {
  return {
    appended: 0,
    append(bytes: Uint8Array) {
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new TypeError('empty record');
      return ++this.appended;
    },
    peek: (): readonly QueuedRecord[] => [],
    remove: () => undefined,
    get size() {
      return 0;
    },
  };
}

const originals = [...['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'].map((label) => beaconFrom(label)), beaconFrom('witness')];

/**
 * xorshift32 (Marsaglia 2003) on a plain number: the frames need volume, not quality, and under jest's
 * module sandbox typed-array-backed generators run about a hundred times slower than this.
 */
function fastRng(seed: number) {
  let state = seed | 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return { next, below: (n: number) => next() % n };
}
type FastRng = ReturnType<typeof fastRng>;

/**
 * Frames are written into one scratch buffer and handed over as views of it: the witness keeps no
 * reference to a payload after its handler returns (it copies what it stores), which this also checks.
 */
const scratch = new Uint8Array(256);

function randomInto(rng: FastRng, from: number, to: number): void {
  for (let i = from; i < to; i++) scratch[i] = rng.next();
}

/** One frame: a mix of noise, other LoRa traffic, other covey frames, damaged and intact beacons. */
function payload(rng: FastRng, pick: number): Uint8Array {
  const original = originals[rng.below(originals.length)];
  let length = rng.below(256);
  if (pick < 300) {
    randomInto(rng, 0, length); // noise of any length, any header
  } else if (pick < 600) {
    length = Math.max(1, length);
    randomInto(rng, 0, length);
    // Top bits not 0b111 (LoRaWAN and everything else), or a covey header of any kind and version.
    scratch[0] = pick < 450 ? rng.below(0xe0) : 0xe0 | rng.below(32);
  } else if (pick < 750) {
    if (length === BEACON_FRAME_BYTES) length++; // a beacon cut short or run long, its header intact
    randomInto(rng, 0, length);
    scratch.set(original.subarray(0, Math.min(length, BEACON_FRAME_BYTES)));
  } else if (pick < 850) {
    if (rng.below(2) === 0) return original; // sent with a bad CRC, as is the noise
    randomInto(rng, 0, length);
  } else if (pick < 880) {
    length = BEACON_FRAME_BYTES; // a beacon with 1–3 bits flipped
    scratch.set(original);
    for (let flips = 1 + rng.below(3); flips > 0; flips--) {
      const bit = rng.below(BEACON_FRAME_BYTES * 8);
      scratch[bit >> 3] ^= 1 << (bit & 7);
    }
  } else if (pick < 890) {
    length = BEACON_FRAME_BYTES; // random bytes behind a beacon header
    randomInto(rng, 1, length);
    scratch[0] = BEACON_HEADER;
  } else {
    return original;
  }
  return scratch.subarray(0, length);
}

/** Measurements as a driver reports them, and now and then values no driver should give. */
function packet(rng: FastRng, bytes: Uint8Array, crcOk: boolean): RadioPacket {
  const odd = rng.below(100) === 0;
  return {
    payload: bytes,
    rssiDbm: odd ? [Number.NaN, Infinity, -1e9][rng.below(3)] : -150 + rng.below(1500) / 10,
    snrDb: odd ? Number.NaN : -25 + rng.below(400) / 10,
    frequencyErrorHz: odd ? Number.NaN : rng.below(10_001) - 5000,
    crcOk,
  };
}

test('1,000,000 random and mutated frames: nothing escapes, every frame counted once', () => {
  const queue = countingQueue();
  const rig = witnessRig({ queue });
  const rng = fastRng(20260301);
  let escaped = 0;
  for (let i = 0; i < FRAMES; i++) {
    const pick = rng.below(1000);
    const bytes = payload(rng, pick);
    const crcOk = !(pick >= 750 && pick < 850) || rng.below(10) === 0;
    try {
      rig.witness.onPacket(packet(rng, bytes, crcOk));
    } catch {
      escaped++;
    }
  }
  const stats = rig.witness.stats;
  expect(escaped).toBe(0);
  expect(stats.heard).toBe(FRAMES);
  expect(outcomeSum(stats)).toBe(FRAMES);
  // Every path was taken.
  for (const outcome of ['crcErrors', 'nonCovey', 'unsupported', 'malformed', 'own', 'duplicates', 'forged'] as const) {
    expect(stats[outcome]).toBeGreaterThan(0);
  }
  // Seven distinct neighbours' beacons (and copies of them): at most one receipt or failure each.
  expect(stats.receipts + stats.failed).toBeLessThanOrEqual(7);
  expect(stats.receipts).toBeGreaterThan(0);
  expect(queue.appended).toBe(stats.receipts);
});

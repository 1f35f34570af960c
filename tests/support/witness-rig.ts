/** A witness on small fakes, and signed beacons to feed it, for the witness tests and the fuzz run. */
import { signBeacon } from '../../proofs/beacon.js';
import type { RecordQueue } from '../../src/components.js';
import type { RadioPacket, Verifier } from '../../src/ports.js';
import { Witness, type WitnessOptions } from '../../src/witness.js';
import { hostVerifier, signerFor } from './keys.js';
import { MemoryQueue } from './memory-queue.js';
import { memoryLog } from './test-ports.js';

/** The EU868 PoC channel: 869.525 MHz, SF12BW125 (data rate 0). */
export const CHANNEL = { frequencyHz: 869_525_000, dataRate: 0 } as const;
export const RX_WALL = Date.UTC(2026, 2, 1, 12, 34, 56, 789);
export const witnessKey = signerFor('witness');

/** A signed beacon frame from the hotspot named `label`. */
export function beaconFrom(label: string, nonce = 1): Uint8Array {
  const signer = signerFor(label);
  return signBeacon(
    { beaconer: signer.publicKey, entropyEpoch: 29_535_000, entropyTag: Uint8Array.of(1, 2, 3, 4), nonce: Uint8Array.of(0, 0, 0, nonce) },
    signer,
  ).frame;
}

export function packetOf(payload: Uint8Array, fields: Partial<RadioPacket> = {}): RadioPacket {
  return { payload, rssiDbm: -120.3, snrDb: -12.5, frequencyErrorHz: 1234.4, crcOk: true, ...fields };
}

export interface WitnessRigOptions {
  readonly verifier?: Verifier;
  readonly verifyBeacons?: boolean;
  readonly queue?: RecordQueue;
  readonly cacheSize?: number;
}

export function witnessRig(options: WitnessRigOptions = {}) {
  let wall: number | undefined = RX_WALL;
  let notified = 0;
  const queue = options.queue ?? new MemoryQueue();
  const log = memoryLog();
  const config: WitnessOptions = {
    clock: { wallMs: () => wall },
    signer: witnessKey,
    verifier: options.verifier ?? hostVerifier,
    verifyBeacons: options.verifyBeacons ?? true,
    queue,
    uploads: { notify: () => void notified++ },
    log,
    channel: CHANNEL,
    cacheSize: options.cacheSize,
  };
  const witness = new Witness(config);
  return {
    witness,
    queue,
    log,
    hear: (payload: Uint8Array, fields?: Partial<RadioPacket>) => witness.onPacket(packetOf(payload, fields)),
    setWall: (value: number | undefined) => void (wall = value),
    notified: () => notified,
  };
}

/** The sum of every outcome counter: it must equal `heard`. */
export function outcomeSum(stats: Witness['stats']): number {
  const { heard: _heard, ...outcomes } = stats;
  return Object.values(outcomes).reduce((a, b) => a + b, 0);
}

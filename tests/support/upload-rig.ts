/**
 * An uploader on a virtual clock, talking to the fake oracle, draining an in-memory queue, with helpers
 * that make signed items the way the witness and the beaconer do.
 */
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import {
  encodeBeaconReport, encodeWitnessReceipt, receiptId, signBeacon, signBeaconReport, signWitnessReceipt, toHex,
} from '../../proofs/index.js';
import { onboard } from '../../src/onboarding.js';
import type { HttpRequest } from '../../src/ports.js';
import { Uploader, type UploaderOptions } from '../../src/uploader.js';
import { FakeOracle, ORACLE_URL } from './fake-oracle.js';
import { signerFor } from './keys.js';
import { MemoryQueue } from './memory-queue.js';
import { memoryLog } from './test-ports.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';

/** 2026-03-01 00:00:00 UTC. */
export const RIG_WALL = Date.UTC(2026, 2, 1);
export const RIG_HOTSPOT = signerFor('uploading hotspot');

export interface RigOptions extends Partial<Omit<UploaderOptions, 'queue' | 'http' | 'clock' | 'rng' | 'log' | 'uploader'>> {
  /** Register the hotspot with the oracle before the start. Default true. */
  readonly onboarded?: boolean;
  readonly seed?: number;
}

/** A WitnessReceipt from the rig's hotspot; `n` makes it unique. */
export function receiptBytes(n: number): Uint8Array {
  const beaconDigest = new Uint8Array(16);
  new DataView(beaconDigest.buffer).setUint32(0, n);
  return encodeWitnessReceipt(signWitnessReceipt({
    beaconDigest, rssiDdbm: -1200 + (n % 700), snrDdb: -125, frequencyHz: 868_100_000, dataRate: 0, timeMs: RIG_WALL + n,
  }, RIG_HOTSPOT));
}

/** A BeaconReport of a beacon from the rig's hotspot; `n` makes it unique. */
export function beaconReportBytes(n: number): Uint8Array {
  const nonce = Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const beacon = signBeacon({ beaconer: RIG_HOTSPOT.publicKey, entropyEpoch: 29_500_000, entropyTag: new Uint8Array(4), nonce }, RIG_HOTSPOT);
  return encodeBeaconReport(signBeaconReport({
    frame: beacon.frame, frequencyHz: 869_525_000, dataRate: 0, txPowerDdbm: 140, timeMs: RIG_WALL + n,
  }, RIG_HOTSPOT));
}

/** The id the oracle stores `bytes` under when the rig's hotspot uploads it. */
export const idHexOf = (bytes: Uint8Array) => toHex(receiptId(RIG_HOTSPOT.publicKey, bytes));

export function uploadRig(options: RigOptions = {}) {
  const { onboarded = true, seed = 1, ...uploaderOptions } = options;
  const clock = new VirtualClock(0, RIG_WALL);
  const oracle = new FakeOracle({ clock });
  if (onboarded) oracle.register(RIG_HOTSPOT.publicKey);
  const queue = new MemoryQueue();
  const log = memoryLog();
  const rng = new SeededRng(seed);
  let inFlight = 0;
  const traffic = { maxInFlight: 0, onboardCalls: 0 };
  const http = {
    request: async (request: HttpRequest) => {
      traffic.maxInFlight = Math.max(traffic.maxInFlight, ++inFlight);
      try {
        return await oracle.request(request);
      } finally {
        inFlight--;
      }
    },
  };
  const onUnknownHotspot = async () => {
    traffic.onboardCalls++;
    await onboard({ http, clock, signer: RIG_HOTSPOT, oracleUrl: ORACLE_URL, location: { latE7: 0, lonE7: 0 }, gainDdbi: 30, region: 'EU868' });
  };
  const uploader = new Uploader({
    queue, http, clock, rng, log, oracleUrl: ORACLE_URL, uploader: RIG_HOTSPOT.publicKey, onUnknownHotspot, ...uploaderOptions,
  });
  const appended: Uint8Array[] = [];
  /** Queues `count` new receipts and notifies the uploader, as the witness does. */
  const add = (count = 1) => {
    for (let i = 0; i < count; i++) {
      const bytes = receiptBytes(appended.length);
      appended.push(bytes);
      queue.append(bytes);
    }
    uploader.notify();
  };
  /** Requests to /v1/receipts. */
  const uploads = () => oracle.requests.filter((r) => r.path === '/v1/receipts');
  return { clock, oracle, queue, log, rng, uploader, traffic, appended, add, uploads };
}

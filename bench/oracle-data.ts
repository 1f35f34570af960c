/**
 * A synthetic network for the oracle's benchmarks and load tests: hotspots at seeded positions in a
 * 20 × 20 km square, the entropy the oracle would publish, and proof-of-coverage traffic (each beacon
 * heard by several neighbours at a plausible RSSI) as the UploadBatches the hotspots would send, each
 * hotspot uploading its own items. Every message is really signed; nothing here is valid by fiat.
 */
import { createHash } from 'node:crypto';
import {
  beaconDigest, encodeEntropy, encodeUploadBatch, signBeacon, signBeaconReport, signEntropy, signOnboard,
  signWitnessReceipt, type BatchItem, type Onboard, type Signer,
} from '../proofs/index.js';
import { SeededRng } from '../host-sim/ports/seeded-rng.js';
import { createHostSigner } from '../tools/crypto/node-ed25519.js';
import type { EntropyRecord } from '../tools/oracle/model.js';

export const BENCH_ORIGIN = { lat: 52.3, lon: 4.8 };
const KM_PER_DEG_LAT = 111.32;

export interface SyntheticHotspot {
  readonly signer: Signer;
  readonly lat: number;
  readonly lon: number;
  readonly onboard: Onboard;
}

export interface SyntheticNetwork {
  readonly oracle: Signer;
  readonly hotspots: readonly SyntheticHotspot[];
}

function seed(label: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`covey bench: ${label}`).digest());
}

/** `count` hotspots spread uniformly over 20 × 20 km, onboarded at `timeMs`. */
export function syntheticNetwork(count: number, label = 'network', timeMs = 0): SyntheticNetwork {
  const rng = new SeededRng(count);
  const hotspots = Array.from({ length: count }, (_, i): SyntheticHotspot => {
    const signer = createHostSigner(seed(`${label} hotspot ${i}`));
    const lat = BENCH_ORIGIN.lat + (rng.nextUint32() / 2 ** 32) * (20 / KM_PER_DEG_LAT);
    const lon = BENCH_ORIGIN.lon + (rng.nextUint32() / 2 ** 32) * (20 / (KM_PER_DEG_LAT * Math.cos((BENCH_ORIGIN.lat * Math.PI) / 180)));
    const onboard = signOnboard({
      hotspot: signer.publicKey, latE7: Math.round(lat * 1e7), lonE7: Math.round(lon * 1e7), gainDdbi: 20, region: 'EU868', timeMs,
    }, signer);
    return { signer, lat, lon, onboard };
  });
  return { oracle: createHostSigner(seed(`${label} oracle`)), hotspots };
}

/** The entropy of `epoch` as the oracle would publish it (60 s periods). */
export function syntheticEntropy(network: SyntheticNetwork, epoch: number): EntropyRecord {
  const data = seed(`entropy ${epoch}`);
  const entropy = signEntropy({ epoch, data, timeMs: epoch * 60_000 }, network.oracle);
  return { epoch, data, timeMs: entropy.timeMs, encoded: encodeEntropy(entropy) };
}

function distanceKm(a: SyntheticHotspot, b: SyntheticHotspot): number {
  const dLat = (a.lat - b.lat) * KM_PER_DEG_LAT;
  const dLon = (a.lon - b.lon) * KM_PER_DEG_LAT * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(dLat, dLon);
}

/** RSSI 0.1 dBm: 14 dBm + 2 × 2 dBi − free-space loss at 868.1 MHz − 30 dB of clutter, so always plausible. */
function plausibleRssi(km: number): number {
  const fspl = 20 * Math.log10((4 * Math.PI * Math.max(km, 0.001) * 1000 * 868.1e6) / 2.998e8);
  return Math.max(-1400, Math.round((14 + 4 - fspl - 30) * 10));
}

export interface PocRound {
  /** Upload bodies, one hotspot's items of the round each. */
  readonly batches: readonly Uint8Array[];
  /** The device time of the round's last beacon, ms. */
  readonly lastBeaconMs: number;
}

export interface PocTraffic {
  /** Every upload body, round after round. */
  readonly batches: readonly Uint8Array[];
  /** The uploads by round: each hotspot uploads its items of a round together, after the round. */
  readonly rounds: readonly PocRound[];
  readonly receipts: number;
  readonly beacons: number;
  /** The entropy epochs the beacons quote. */
  readonly entropy: readonly EntropyRecord[];
}

export interface PocOptions {
  readonly beacons: number;
  readonly witnessesPerBeacon: number;
  /** Wall time of the first beacon, ms; one beacon a second follows. */
  readonly startMs: number;
  /** Beacons per round (default: all in one). */
  readonly roundBeacons?: number;
  /** Most items in one upload (default 50). */
  readonly batchItems?: number;
}

/** Beacons by hotspots in turn, each heard by the nearest `witnessesPerBeacon` others more than 1 km away. */
export function pocTraffic(network: SyntheticNetwork, options: PocOptions): PocTraffic {
  const rng = new SeededRng(options.beacons * 31 + options.witnessesPerBeacon);
  const entropy = new Map<number, EntropyRecord>();
  const perRound = options.roundBeacons ?? options.beacons;
  const rounds: PocRound[] = [];
  let receipts = 0;
  for (let first = 0; first < options.beacons; first += perRound) {
    const perHotspot = new Map<Signer, BatchItem[]>();
    const add = (signer: Signer, item: BatchItem) => {
      const list = perHotspot.get(signer) ?? [];
      list.push(item);
      perHotspot.set(signer, list);
      receipts++;
    };
    const last = Math.min(options.beacons, first + perRound);
    for (let b = first; b < last; b++) pocOf(network, b, options, rng, entropy, add);
    rounds.push({ batches: batchesOf(perHotspot, options.batchItems ?? 50), lastBeaconMs: options.startMs + (last - 1) * 1000 });
  }
  return { batches: rounds.flatMap((r) => r.batches), rounds, receipts, beacons: options.beacons, entropy: [...entropy.values()] };
}

function pocOf(
  network: SyntheticNetwork, b: number, options: PocOptions, rng: SeededRng, entropy: Map<number, EntropyRecord>,
  add: (signer: Signer, item: BatchItem) => void,
): void {
  const { hotspots } = network;
  const beaconer = hotspots[b % hotspots.length];
  const timeMs = options.startMs + b * 1000;
  const epoch = Math.floor(timeMs / 60_000);
  const record = entropy.get(epoch) ?? syntheticEntropy(network, epoch);
  entropy.set(epoch, record);
  const nonce = new Uint8Array(4);
  new DataView(nonce.buffer).setUint32(0, rng.nextUint32());
  const frame = signBeacon({ beaconer: beaconer.signer.publicKey, entropyEpoch: epoch, entropyTag: record.data.slice(0, 4), nonce }, beaconer.signer).frame;
  add(beaconer.signer, { kind: 'beacon', report: signBeaconReport({ frame, frequencyHz: 868_100_000, dataRate: 0, txPowerDdbm: 140, timeMs }, beaconer.signer) });
  const digest = beaconDigest(frame);
  const neighbours = hotspots.filter((h) => h !== beaconer && distanceKm(h, beaconer) > 1)
    .sort((x, y) => distanceKm(x, beaconer) - distanceKm(y, beaconer)).slice(0, options.witnessesPerBeacon);
  for (const witness of neighbours) {
    const receipt = signWitnessReceipt({
      beaconDigest: digest, rssiDdbm: plausibleRssi(distanceKm(witness, beaconer)), snrDdb: -50,
      frequencyHz: 868_100_000 + (rng.nextUint32() % 2000), dataRate: 0, timeMs: timeMs + 5,
    }, witness.signer);
    add(witness.signer, { kind: 'witness', receipt });
  }
}

function batchesOf(perHotspot: Map<Signer, BatchItem[]>, size: number): Uint8Array[] {
  const batches: Uint8Array[] = [];
  for (const [signer, items] of perHotspot) {
    for (let i = 0; i < items.length; i += size) batches.push(encodeUploadBatch({ uploader: signer.publicKey, items: items.slice(i, i + size) }));
  }
  return batches;
}

/** `count` witness receipts per hotspot for distinct beacons, in batches of `size`: pure ingest load. */
export function receiptBatches(network: SyntheticNetwork, perHotspot: number, size: number, timeMs: number): Uint8Array[] {
  const batches: Uint8Array[] = [];
  network.hotspots.forEach((hotspot, h) => {
    for (let start = 0; start < perHotspot; start += size) {
      const items: BatchItem[] = [];
      for (let i = start; i < Math.min(perHotspot, start + size); i++) {
        const beaconDigest = seed(`beacon ${h} ${i} ${timeMs}`).slice(0, 16);
        items.push({ kind: 'witness', receipt: signWitnessReceipt({ beaconDigest, rssiDdbm: -1000, snrDdb: 20, frequencyHz: 868_100_000, dataRate: 0, timeMs }, hotspot.signer) });
      }
      batches.push(encodeUploadBatch({ uploader: hotspot.signer.publicKey, items }));
    }
  });
  return batches;
}

/**
 * What the simulator watches while it runs, for the report: every transmission and every packet a
 * hotspot received, kept as counts, per-link sums and histograms rather than as a log, so that memory
 * stays small for large runs.
 */
import { beaconDigest } from '../../proofs/digest.js';
import { toHex } from '../../proofs/bytes.js';
import { BEACON_FRAME_BYTES } from '../../proofs/beacon.js';
import type { AirSignal } from '../air/air.js';
import type { Hearing } from './tapped-air.js';

/** RSSI histogram: −150 to −20 dBm in 2 dB bins; SNR: −30 to +20 dB in 1 dB bins (values outside go to the end bins). */
export const RSSI_BINS = { from: -150, binWidth: 2, count: 65 } as const;
export const SNR_BINS = { from: -30, binWidth: 1, count: 50 } as const;

export interface LinkSums {
  count: number;
  rssiSum: number;
  rssiBest: number;
  snrSum: number;
}

export class Observer {
  readonly witnessed: number[];
  readonly heardBy: number[];
  readonly links = new Map<number, LinkSums>();
  readonly rssiCounts = new Array<number>(RSSI_BINS.count).fill(0);
  readonly snrCounts = new Array<number>(SNR_BINS.count).fill(0);
  readonly beaconsPerHour: number[];
  /** Beacon frames sent, by digest (hex): who sent it first and whether anyone heard it intact. */
  private readonly beacons = new Map<AirSignal, { digest: string; heard: boolean }>();
  private beaconsHeard = 0;
  /** Stations that received each signal (intact or not), for faults that must know who did not. */
  private readonly receivers = new WeakMap<AirSignal, Set<number>>();

  constructor(private readonly nodes: number, private readonly startMs: number, hours: number) {
    this.witnessed = new Array<number>(nodes).fill(0);
    this.heardBy = new Array<number>(nodes).fill(0);
    this.beaconsPerHour = new Array<number>(Math.max(1, Math.ceil(hours))).fill(0);
  }

  get beaconsSent(): number {
    return this.beacons.size;
  }

  get beaconsHeardCount(): number {
    return this.beaconsHeard;
  }

  /** The beacon digest (hex) a signal carries, if it is a beacon frame. */
  digestOf(signal: AirSignal): string | undefined {
    return this.beacons.get(signal)?.digest;
  }

  heardBySomeone(signal: AirSignal, node: number): boolean {
    return this.receivers.get(signal)?.has(node) ?? false;
  }

  transmitted(signal: AirSignal, atMs: number): void {
    if (signal.payload.length !== BEACON_FRAME_BYTES || this.beacons.has(signal)) return;
    this.beacons.set(signal, { digest: toHex(beaconDigest(signal.payload)), heard: false });
    const hour = Math.floor((atMs - this.startMs) / 3_600_000);
    if (hour >= 0 && hour < this.beaconsPerHour.length) this.beaconsPerHour[hour]++;
  }

  heard(hearing: Hearing): void {
    // A walker's mapper uplinks, and what the walker hears, are the walk's own business (walk.ts).
    if (hearing.from >= this.nodes || hearing.to >= this.nodes) return;
    const { signal } = hearing;
    let receivers = this.receivers.get(signal);
    if (receivers === undefined) this.receivers.set(signal, (receivers = new Set()));
    receivers.add(hearing.to);
    if (!hearing.intact) return;
    const beacon = this.beacons.get(signal);
    if (beacon !== undefined && !beacon.heard) {
      beacon.heard = true;
      this.beaconsHeard++;
    }
    this.witnessed[hearing.to]++;
    this.heardBy[hearing.from]++;
    const key = hearing.from * this.nodes + hearing.to;
    const link = this.links.get(key);
    if (link === undefined) this.links.set(key, { count: 1, rssiSum: hearing.rssiDbm, rssiBest: hearing.rssiDbm, snrSum: hearing.snrDb });
    else {
      link.count++;
      link.rssiSum += hearing.rssiDbm;
      link.rssiBest = Math.max(link.rssiBest, hearing.rssiDbm);
      link.snrSum += hearing.snrDb;
    }
    this.rssiCounts[bin(hearing.rssiDbm, RSSI_BINS)]++;
    this.snrCounts[bin(hearing.snrDb, SNR_BINS)]++;
  }
}

function bin(value: number, bins: { readonly from: number; readonly binWidth: number; readonly count: number }): number {
  return Math.min(bins.count - 1, Math.max(0, Math.floor((value - bins.from) / bins.binWidth)));
}

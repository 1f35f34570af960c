/**
 * What a simulator run reports: `covey sim --json` writes a SimReport, `--html` draws one, and the
 * summary table prints one. `result` depends only on the scenario and its seed, and is byte-identical
 * between two runs of them (JSON with keys in this order, numbers rounded as documented per field);
 * `run` describes the run itself (wall time, memory, version) and differs every time.
 */
import type { CoverageUplink } from '../../tools/coverage/model.js';

export interface SimReport {
  readonly result: SimResult;
  readonly run: RunInfo;
}

export interface SimResult {
  /** The scenario's name (a built-in or the file's `name`). */
  readonly scenario: string;
  readonly seed: number;
  readonly region: string;
  /** Simulated start, ISO 8601 UTC. */
  readonly startTime: string;
  readonly simulatedHours: number;
  /** Number of hotspots (0 for lorasim). */
  readonly nodes: number;
  readonly beacons: BeaconCounts;
  readonly receipts: ReceiptCounts;
  readonly verdicts: VerdictCounts;
  readonly airtime: AirtimeSummary;
  readonly perNode: readonly NodeResult[];
  /** One entry per (beaconer, witness) pair that heard each other at least once. */
  readonly links: readonly LinkResult[];
  /** Per simulated hour from the start. */
  readonly hourly: HourlyCounts;
  /** Of every reception a firmware hotspot made of a beacon. */
  readonly rssiHistogram: Histogram;
  readonly snrHistogram: Histogram;
  /** One entry per fault the scenario injected, with what the oracle made of it. */
  readonly faults: readonly FaultResult[];
  /** The air's own counts over the whole run. */
  readonly air: AirCounts;
  /** Only for the lorasim scenario. */
  readonly der?: LorasimResult;
  /** Only when a walk was replayed (`covey sim --walk`). */
  readonly walk?: WalkResult;
}

/** A coverage walk replayed beside the hotspots (host-sim/walk/). */
export interface WalkResult {
  /** The GPX file, as given. */
  readonly source: string;
  /** The track's name in the file, if it has one. */
  readonly track: string | null;
  /** The mapper's address ("cv…"), or null if it never booted (the walk began after the run ended). */
  readonly mapper: string | null;
  /** When the track's first point was replayed, ISO 8601 UTC. */
  readonly startTime: string;
  /** From the track's first point to its last, s. */
  readonly durationS: number;
  /** Length of the track, m (gaps between segments not counted). */
  readonly distanceM: number;
  readonly uplinks: {
    /** Uplinks the mapper transmitted. */
    readonly sent: number;
    /** Times it was due to send without a usable GPS fix. */
    readonly skippedNoFix: number;
    readonly refusedDutyCycle: number;
    readonly refusedBusy: number;
    readonly refusedRadio: number;
    /** Uplinks the oracle holds a report of. */
    readonly atOracle: number;
    /** Of those, heard by at least one hotspot. */
    readonly heard: number;
    /** Receipts joined to them, all hotspots together. */
    readonly hearings: number;
  };
  /** Every uplink the oracle holds, with who heard it: what `covey map --report` maps. */
  readonly coverage: readonly CoverageUplink[];
}

export interface BeaconCounts {
  /** Beacons transmitted. */
  readonly sent: number;
  /** Beacons that at least one other hotspot received intact. */
  readonly heard: number;
  /** Intact receptions of beacons by hotspots, all beacons together. */
  readonly receptions: number;
}

export interface ReceiptCounts {
  /** Witness receipts and beacon reports the hotspots made. */
  readonly created: number;
  /** Of those, acknowledged by the oracle as stored or duplicate. */
  readonly uploaded: number;
  /** Still in the hotspots' queues when the run ended. */
  readonly queued: number;
}

/** Oracle verdicts at the end of the run: valid, invalid by reason name, and still pending. */
export interface VerdictCounts {
  readonly beacons: KindVerdicts;
  readonly witnesses: KindVerdicts;
}

export interface KindVerdicts {
  readonly valid: number;
  readonly pending: number;
  /** Reason name (proofs/reasons.ts) → count, keys sorted. */
  readonly invalid: Readonly<Record<string, number>>;
}

export interface AirtimeSummary {
  /** Total transmit time of all hotspots, ms. */
  readonly totalMs: number;
  /** Each hotspot's transmit time, ms, in node order (the same as perNode[i].airtimeMs). */
  readonly perNodeMs: readonly number[];
  /** Per region sub-band (its name in hal/radio/regions.ts): the busiest hotspot's duty cycle used, and the mean, in %. */
  readonly dutyCycle: readonly SubBandDuty[];
}

export interface SubBandDuty {
  readonly subBand: string;
  /** The sub-band's regulatory limit, % (100 where there is none). */
  readonly limitPercent: number;
  readonly maxPercent: number;
  readonly meanPercent: number;
}

export interface NodeResult {
  readonly index: number;
  readonly name: string;
  /** Hotspot address (cv…). */
  readonly address: string;
  readonly board: string;
  /** True position. */
  readonly lat: number;
  readonly lon: number;
  readonly heightM: number;
  readonly antennaGainDbi: number;
  readonly beaconsSent: number;
  /** Receptions by others of this node's beacons. */
  readonly beaconsHeardBy: number;
  /** Beacons of others this node received intact. */
  readonly witnessed: number;
  readonly receiptsCreated: number;
  readonly receiptsUploaded: number;
  readonly validBeacons: number;
  readonly validWitnesses: number;
  readonly invalid: number;
  readonly airtimeMs: number;
  /** Share of the epoch's reward pool over the closed epochs, reward units. */
  readonly rewards: number;
  /** Fault kinds that involve this node. */
  readonly faults: readonly string[];
}

export interface LinkResult {
  /** Beaconer's index. */
  readonly from: number;
  /** Witness's index. */
  readonly to: number;
  readonly receptions: number;
  /** Mean and best RSSI, dBm, and mean SNR, dB, of those receptions, to 0.1. */
  readonly meanRssiDbm: number;
  readonly bestRssiDbm: number;
  readonly meanSnrDb: number;
  /** Distance between the true positions, m, to 1 m. */
  readonly distanceM: number;
  /** Of those receptions, witnesses the oracle judged valid. */
  readonly valid: number;
}

export interface HourlyCounts {
  readonly beacons: readonly number[];
  readonly receipts: readonly number[];
}

export interface Histogram {
  /** Lower edge of the first bin and the bin width, in the unit of the measure. */
  readonly from: number;
  readonly binWidth: number;
  readonly counts: readonly number[];
}

export interface FaultResult {
  readonly kind: string;
  readonly nodes: readonly number[];
  /** What was injected, in words. */
  readonly description: string;
  /** Items the faulty nodes made that the oracle found invalid, by reason name. */
  readonly caught: Readonly<Record<string, number>>;
  /** Items of the faulty nodes the oracle found valid (what the fault got away with). */
  readonly passed: number;
  /** One sentence for the report: what the oracle caught and what it could not. */
  readonly outcome: string;
}

export interface AirCounts {
  readonly transmissions: number;
  readonly delivered: number;
  readonly belowSensitivity: number;
  readonly collided: number;
  readonly halfDuplex: number;
}

export interface LorasimResult {
  readonly experiment: number;
  readonly nodes: number;
  readonly avgSendMs: number;
  readonly simtimeMs: number;
  readonly sent: number;
  readonly received: number;
  readonly collided: number;
  readonly lost: number;
  /** received / sent, to 4 decimals. */
  readonly der: number;
}

export interface RunInfo {
  readonly version: string;
  readonly node: string;
  readonly wallSeconds: number;
  /**
   * Processor time the run took, user plus system, s: every thread of the process (the hotspots', the
   * oracle's database thread, the garbage collector's helpers). On a machine of N cores the wall time
   * cannot fall below this divided by N.
   */
  readonly cpuSeconds: number;
  /** Peak resident memory in MiB (2^20 bytes), as the results were built: before the report is written. */
  readonly peakRssMb: number;
  /** Events the virtual clock fired. */
  readonly events: number;
  /** `http` (a real server on 127.0.0.1) or `in-process`. */
  readonly ingest: string;
  readonly finishedAt: string;
}

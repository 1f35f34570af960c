/**
 * A scenario resolved and ready to run: every default filled in, every hotspot placed and numbered,
 * every fault's hotspots turned into indices and its hours into milliseconds of the run. This is what
 * the runner and the air read; nothing in it needs the file to be understood.
 */
import type { RegionId } from '../../hal/radio/region-plan.js';
import type { OracleConfig } from '../../tools/oracle/config.js';
import type {
  AirModel, CollisionModel, HataParams, IngestMode, LatLon, Layout, LogDistanceParams, RadioFaultKind,
} from './schema.js';

export interface ScenarioNode {
  /** Its place in `Scenario.nodes`, from 0; faults and reports refer to hotspots by it. */
  readonly index: number;
  readonly name: string;
  /** Where it really is (the air uses this), degrees to 10⁻⁷. */
  readonly lat: number;
  readonly lon: number;
  /** The same place in metres east and north of the scenario's centre (projection.ts). */
  readonly xM: number;
  readonly yM: number;
  readonly heightM: number;
  readonly board: string;
  readonly antennaGainDbi: number;
  /** Conducted power on the PoC channel, dBm: as set, or the most the region and the chip allow. */
  readonly txPowerDbm: number;
  /** Where it says it is at onboarding: its true place unless it lies. */
  readonly asserted: LatLon;
}

export type AirSettings = {
  readonly shadowingSigmaDb: number;
  readonly captureDb: number;
  readonly collisions: CollisionModel;
  /** Added to every link's loss, dB. */
  readonly clutterLossDb: number;
} & (
  | { readonly model: Exclude<AirModel, 'okumura-hata'>; readonly params: LogDistanceParams }
  | { readonly model: 'okumura-hata'; readonly params: HataParams }
);

/** When a fault acts, ms from the start of the run; `forMs` never runs past the end. */
export interface FaultWindow {
  readonly atMs: number;
  readonly forMs: number;
}

export interface PowerCut extends FaultWindow {
  readonly type: 'power-cut';
  readonly node: number;
}

export interface IngestOutage extends FaultWindow {
  readonly type: 'ingest-outage';
}

export interface RadioFault extends FaultWindow {
  readonly type: 'radio-fault';
  readonly node: number;
  readonly kind: RadioFaultKind;
  /** How far its receiver's noise floor rises, dB; 0 unless noisy. */
  readonly noiseDb: number;
}

export interface Replay extends FaultWindow {
  readonly type: 'replay';
  readonly node: number;
  readonly of: 'beacons' | 'receipts';
}

export interface Forge extends FaultWindow {
  readonly type: 'forge';
  readonly node: number;
}

export interface CollusionRing extends FaultWindow {
  readonly type: 'collusion-ring';
  readonly nodes: readonly number[];
}

/** Also applied to the node: its `asserted` is this place. */
export interface LocationLiar {
  readonly type: 'location-liar';
  readonly node: number;
  readonly asserted: LatLon;
  /** How far the asserted place is from the true one, m (on the local plane). */
  readonly offsetM: number;
}

export type Fault = PowerCut | IngestOutage | RadioFault | Replay | Forge | CollusionRing | LocationLiar;

/** LoRaSim's own parameters (loraDir.py), for the LoRaSim runner. */
export interface LoraSimParams {
  readonly experiment: number;
  readonly nodes: number;
  readonly avgSendMs: number;
  readonly simtimeMs: number;
  /** LoRaSim's `full_collision` flag as 'full' or 'simple', from `air.collisions`. */
  readonly collisions: CollisionModel;
}

/** Where the hotspots came from and the plane their metres are on. */
export interface ScenarioArea {
  /** A built-in layout, or 'list' for hotspots listed in the file. */
  readonly layout: Layout | 'list';
  /** The origin of every node's xM/yM: the area's centre, or the middle of a list's bounding box. */
  readonly centre: LatLon;
  readonly widthKm: number;
  readonly heightKm: number;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** 'built-in city', or the path the file was read from. */
  readonly source: string;
  readonly region: RegionId;
  readonly seed: number;
  /** ISO 8601, UTC. */
  readonly startTime: string;
  /** The same instant, ms since the Unix epoch: the virtual clock's first reading. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly air: AirSettings;
  /** null for a LoRaSim run. */
  readonly area: ScenarioArea | null;
  readonly nodes: readonly ScenarioNode[];
  /** Only for a LoRaSim run. */
  readonly lorasim: LoraSimParams | null;
  readonly oracle: OracleConfig;
  readonly ingest: IngestMode;
  readonly faults: readonly Fault[];
}

/** What a caller may change when loading a scenario, without editing its file. */
export interface ScenarioOverrides {
  /** Hotspots in a layout; the area grows or shrinks so the density stays the same. */
  readonly nodes?: number;
  readonly hours?: number;
  readonly seed?: number;
}

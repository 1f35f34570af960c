/**
 * A simulator scenario as written in a file: what world to build (region, hotspots and where they are,
 * the air between them), for how long, against which oracle settings, and what goes wrong on the way.
 * validate.ts checks a parsed file against these types; resolve.ts fills in every default. The same
 * schema, for editors, is docs/scenario.schema.json; docs/simulator.md ("Scenarios") explains each field.
 */
import type { RegionId } from '../../hal/radio/region-plan.js';

export interface LatLon {
  /** Degrees north, −90 to 90. */
  readonly lat: number;
  /** Degrees east, −180 to 180. */
  readonly lon: number;
}

/** The path-loss models the air offers (docs/simulator.md, "The air"). */
export const AIR_MODELS = ['oulu', 'lorasim', 'okumura-hata', 'log-distance'] as const;
export type AirModel = (typeof AIR_MODELS)[number];

/** Okumura-Hata's environments: Hata's small/medium and large city, suburban and open-area corrections. */
export const HATA_ENVIRONMENTS = ['urban-small', 'urban-large', 'suburban', 'open'] as const;
export type HataEnvironment = (typeof HATA_ENVIRONMENTS)[number];

/** A log-distance law, PL(d) = pl0Db + 10 · exponent · log10(d / d0M), as host-sim/air/path-loss.ts names it. */
export interface LogDistanceParams {
  /** Reference distance d0, m. */
  readonly d0M: number;
  /** Loss at d0, dB. */
  readonly pl0Db: number;
  /** Path-loss exponent γ (n). */
  readonly exponent: number;
}

export interface HataParams {
  readonly environment: HataEnvironment;
}

/**
 * Each model's published constants, used where a file leaves them out, with the shadowing each source
 * measured or used (σ, dB):
 * - oulu: Petäjäjärvi et al., "On the coverage of LPWANs", ITST 2015 (ground, 868 MHz, SF12; FLoRa's
 *   LoRaPathLossOulu): 128.95 dB at 1 km, n = 2.32, σ = 7.8;
 * - lorasim: LoRaSim 0.2.1 (radio.md §3): 127.41 dB at 40 m, γ = 2.08, σ = 0 as its code runs;
 * - log-distance: ns-3 lorawan's examples (radio.md §3): 7.7 dB at 1 m, n = 3.76, no shadowing;
 * - okumura-hata: a median model, no shadowing unless the file asks for it.
 */
export const AIR_MODEL_DEFAULTS = {
  oulu: { params: { d0M: 1000, pl0Db: 128.95, exponent: 2.32 }, shadowingSigmaDb: 7.8 },
  lorasim: { params: { d0M: 40, pl0Db: 127.41, exponent: 2.08 }, shadowingSigmaDb: 0 },
  'log-distance': { params: { d0M: 1, pl0Db: 7.7, exponent: 3.76 }, shadowingSigmaDb: 0 },
  'okumura-hata': { params: { environment: 'urban-small' }, shadowingSigmaDb: 0 },
} as const satisfies Record<AirModel, { params: LogDistanceParams | HataParams; shadowingSigmaDb: number }>;

export const COLLISION_MODELS = ['full', 'simple'] as const;
/** LoRaSim's two collision checks (radio.md §3): 'full' with timing and capture, 'simple' any overlap. */
export type CollisionModel = (typeof COLLISION_MODELS)[number];

export interface AirFile {
  /** Default 'oulu'. */
  readonly model?: AirModel;
  /** The model's constants; any left out take AIR_MODEL_DEFAULTS. */
  readonly params?: Partial<LogDistanceParams> | Partial<HataParams>;
  /** Log-normal shadowing, dB; default the model's own (AIR_MODEL_DEFAULTS). */
  readonly shadowingSigmaDb?: number;
  /** A packet survives an overlap when it is this much stronger than the other, dB; default 6 (LoRaSim). */
  readonly captureDb?: number;
  /** Default 'full'. */
  readonly collisions?: CollisionModel;
  /**
   * Clutter and building loss every link takes on top of the model, dB; default 0. Models measured from
   * a mast (Oulu's) do not see the streets and walls between hotspots at windows and on roofs.
   */
  readonly clutterLossDb?: number;
}

export const LAYOUTS = ['city', 'rural', 'grid'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Hotspots placed by a built-in layout (layouts.ts) instead of listed one by one. */
export interface AreaFile {
  readonly layout: Layout;
  readonly centre: LatLon;
  /** city and rural only; default the layout's own (LAYOUT_DEFAULTS). */
  readonly widthKm?: number;
  readonly heightKm?: number;
  /** How many hotspots; default the layout's own. */
  readonly nodes?: number;
  /** grid only: distance between neighbours in a row or column, m; default 500. */
  readonly spacingM?: number;
}

/** A hotspot listed explicitly. */
export interface NodeFile {
  readonly name: string;
  readonly lat: number;
  readonly lon: number;
  /** A board id from hal/boards/ (`covey boards`). */
  readonly board: string;
  readonly antennaGainDbi: number;
  /** Antenna height above ground, m. */
  readonly heightM: number;
  /** Conducted power, whole dBm; default the most the region allows with this antenna and the chip gives. */
  readonly txPowerDbm?: number;
  /** The location the hotspot asserts when it is not where it is (a liar); default its true location. */
  readonly assert?: LatLon;
}

/** LoRaSim's own experiments (loraDir.py; radio.md §3), run by the LoRaSim runner instead of hotspots. */
export interface LoraSimFile {
  /** 0–5, as loraDir.py numbers them. */
  readonly experiment: number;
  readonly nodes: number;
  /** Mean time between one node's packets, ms. */
  readonly avgSendMs: number;
  /** Simulated time, ms; it is also the scenario's duration. */
  readonly simtimeMs: number;
}

/** A hotspot in a fault: its index in the node list (a JSON number) or its name (a string). */
export type NodeRef = number | string;

/** When a fault starts and how long it lasts, hours from the start of the run. */
interface Window {
  readonly atHours: number;
  readonly forHours: number;
}

export interface PowerCutFile extends Window {
  readonly type: 'power-cut';
  readonly node: NodeRef;
}

export interface IngestOutageFile extends Window {
  readonly type: 'ingest-outage';
}

export const RADIO_FAULT_KINDS = ['deaf', 'mute', 'noisy'] as const;
export type RadioFaultKind = (typeof RADIO_FAULT_KINDS)[number];

export interface RadioFaultFile extends Window {
  readonly type: 'radio-fault';
  readonly node: NodeRef;
  /** deaf: hears nothing; mute: sends nothing; noisy: its receiver's noise floor rises by noiseDb. */
  readonly kind: RadioFaultKind;
  /** noisy only; default 20 dB. */
  readonly noiseDb?: number;
}

/** The cheats' faults last the whole run unless a window is given. */
type OptionalWindow = Partial<Window>;

export const REPLAY_OF = ['beacons', 'receipts'] as const;

export interface ReplayFile extends OptionalWindow {
  readonly type: 'replay';
  readonly node: NodeRef;
  /** beacons: re-transmits frames it heard as if they were its own; receipts: uploads old receipts again. */
  readonly of: (typeof REPLAY_OF)[number];
}

export interface ForgeFile extends OptionalWindow {
  readonly type: 'forge';
  readonly node: NodeRef;
}

export interface CollusionRingFile extends OptionalWindow {
  readonly type: 'collusion-ring';
  /** Two or more hotspots whose keys one party owns. */
  readonly nodes: readonly NodeRef[];
}

/** Asserts a location other than its own: `assertedOffsetKm` away (at `bearingDeg`, default 0 = north), or `assert`. */
export interface LocationLiarFile {
  readonly type: 'location-liar';
  readonly node: NodeRef;
  readonly assertedOffsetKm?: number;
  readonly bearingDeg?: number;
  readonly assert?: LatLon;
}

export type FaultFile =
  | PowerCutFile | IngestOutageFile | RadioFaultFile | ReplayFile | ForgeFile | CollusionRingFile | LocationLiarFile;
export type FaultType = FaultFile['type'];
export const FAULT_TYPES: readonly FaultType[] = [
  'power-cut', 'ingest-outage', 'radio-fault', 'replay', 'forge', 'collusion-ring', 'location-liar',
];

export const INGEST_MODES = ['http', 'in-process'] as const;
export type IngestMode = (typeof INGEST_MODES)[number];

/** A scenario file. Exactly one of `area`, `nodes` and `lorasim`; at most one of `durationHours` and `durationMs`. */
export interface ScenarioFile {
  /** The path or URL of docs/scenario.schema.json, for editors; ignored by the loader. */
  readonly $schema?: string;
  readonly name: string;
  readonly description?: string;
  readonly region: RegionId;
  /** Everything random in the run (layout, air, firmware randomness) follows from it; default 1. */
  readonly seed?: number;
  readonly durationHours?: number;
  readonly durationMs?: number;
  /** ISO 8601, with a zone when a time is given; default DEFAULT_START_TIME. */
  readonly startTime?: string;
  readonly air?: AirFile;
  readonly area?: AreaFile;
  readonly nodes?: readonly NodeFile[];
  readonly lorasim?: LoraSimFile;
  /** Oracle settings to change (tools/oracle/config.ts), checked by oracleConfig. */
  readonly oracle?: Readonly<Record<string, unknown>>;
  /** Default 'http': hotspots upload to a real covey oracle over HTTP; 'in-process' skips the sockets. */
  readonly ingest?: IngestMode;
  readonly faults?: readonly FaultFile[];
}

/** A fixed start, so that a run without `startTime` replays the same way on any day. */
export const DEFAULT_START_TIME = '2026-01-05T00:00:00.000Z';
export const DEFAULT_DURATION_HOURS = 24;
export const DEFAULT_SEED = 1;
export const DEFAULT_CAPTURE_DB = 6;
export const DEFAULT_NOISY_DB = 20;

/** The most hotspots one scenario may hold. */
export const MAX_NODES = 100_000;

/** Names of scenarios and hotspots: they appear in reports and file names. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** ISO 8601 date, or date and time with a zone (a time without a zone would depend on the machine). */
export const START_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

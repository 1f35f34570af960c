/**
 * A coverage walk in the simulator: a mapper node (the real firmware in the mapper role, on a T-Beam's
 * emulated radio) carried along a GPX track in simulated time. An emulated GPS module reads the track and
 * sends NMEA over the board's GPS UART to the real driver (hal/drivers/gps/nmea.ts), with the HDOP and
 * satellites the track recorded (or set here) and fix losses; the air moves the node along with it.
 *
 * The track's own times are kept as offsets: its first point is replayed `startAfterMs` into the run,
 * when the hotspots have onboarded and are listening. The mapper is switched on then and left on after the
 * last point, so that the uplinks it logged still reach the oracle; with no position its GPS has no fix
 * and it sends nothing more.
 */
import { boardById } from '../../hal/boards/index.js';
import { NmeaGps } from '../../hal/drivers/gps/nmea.js';
import type { Clock, Gps } from '../../src/ports.js';
import { GpsEmulator } from '../chips/gps-emulator.js';
import { SeededRng } from '../ports/seeded-rng.js';
import { streamSeed } from '../air/shadowing.js';
import { toLocal } from '../scenario/projection.js';
import { txPowerFor } from '../scenario/radio-limits.js';
import type { LatLon, ScenarioNode } from '../scenario/index.js';
import type { Track } from './gpx.js';
import { TrackReplay } from './track.js';

export const WALK_DEFAULTS = {
  name: 'walker',
  board: 'tbeam_v1',
  /** Ten minutes: every hotspot has onboarded and is listening by then. */
  startAfterMs: 10 * 60_000,
  /** A stock whip antenna held at chest height. */
  antennaGainDbi: 2,
  heightM: 1.5,
  hdop: 0.9,
  satellites: 8,
  fixLossPerSecond: 0,
} as const;

/** How the walk is replayed. */
export interface WalkSettings {
  readonly track: Track;
  /** Where the track came from (a file name), for the report. */
  readonly source: string;
  readonly startAfterMs?: number;
  readonly board?: string;
  /** HDOP the GPS reports; default the track's own where it has one, else 0.9. */
  readonly hdop?: number;
  /** Satellites in the fix; default the track's own where it has them, else 8. */
  readonly satellites?: number;
  /** Chance, each second, that the GPS loses its fix for that second (0–1). Default 0. */
  readonly fixLossPerSecond?: number;
}

/** What the world needs to run the walker as one more node. */
export interface WalkerNode {
  readonly spec: ScenarioNode;
  readonly gps: Gps;
  /** Starts moving the node and feeding its GPS, from now. */
  start(): void;
  stop(): void;
}

export interface WalkerContext {
  readonly clock: Clock;
  readonly seed: number;
  readonly region: string;
  readonly centre: LatLon;
  /** Index the node will have among the stations on the air (after every hotspot). */
  readonly index: number;
  /** Moves the node on the air. */
  readonly move: (position: { xM: number; yM: number; heightM: number }) => void;
}

/** Checks the settings; throws RangeError naming the setting that is wrong. */
export function checkWalkSettings(settings: WalkSettings, region: string): void {
  const board = settings.board ?? WALK_DEFAULTS.board;
  const gps = boardById(board).gps;
  if (gps === undefined) throw new RangeError(`walk: board ${board} has no GPS; a mapper needs one (e.g. tbeam_v1)`);
  const loss = settings.fixLossPerSecond ?? 0;
  if (!(loss >= 0 && loss <= 1)) throw new RangeError(`walk: fix loss must be a chance per second, 0..1, not ${loss}`);
  if (settings.hdop !== undefined && !(settings.hdop >= 0 && settings.hdop < 100)) throw new RangeError(`walk: HDOP must be 0..99.9, not ${settings.hdop}`);
  if (settings.satellites !== undefined && !(Number.isInteger(settings.satellites) && settings.satellites >= 0 && settings.satellites <= 99)) {
    throw new RangeError(`walk: satellites must be a whole number 0..99, not ${settings.satellites}`);
  }
  if ((settings.startAfterMs ?? 0) < 0) throw new RangeError('walk: the start must not be before the run');
  const power = txPowerFor(region, board, WALK_DEFAULTS.antennaGainDbi);
  if (power.problem !== undefined) throw new RangeError(`walk: ${power.problem}`);
}

export function createWalker(settings: WalkSettings, context: WalkerContext): WalkerNode {
  checkWalkSettings(settings, context.region);
  const boardId = settings.board ?? WALK_DEFAULTS.board;
  const board = boardById(boardId);
  const wiring = board.gps!;
  const replay = new TrackReplay(settings.track);
  const { clock, centre } = context;
  const startAfterMs = settings.startAfterMs ?? WALK_DEFAULTS.startAfterMs;
  // Track time for a moment of the run: the track's first point is replayed startAfterMs into the run.
  const trackTime = (nowMs: number) => replay.startMs + (nowMs - startAfterMs);
  const first = settings.track.points[0];
  const start = toLocal(centre, first);
  const rng = new SeededRng(streamSeed(context.seed, 'walk', 'gps'));
  const fixLoss = settings.fixLossPerSecond ?? WALK_DEFAULTS.fixLossPerSecond;
  // The emulator is asked with wall-clock times (what NMEA carries); the track with run times.
  const runMs = (wallMs: number) => wallMs - (clock.wallMs() ?? 0) + clock.now();
  const emulator = new GpsEmulator({
    position: (wallMs) => {
      const at = replay.at(trackTime(runMs(wallMs)));
      return at && { lat: at.lat, lon: at.lon, altitudeM: at.elevationM };
    },
    hdop: (wallMs) => settings.hdop ?? replay.at(trackTime(runMs(wallMs)))?.hdop ?? WALK_DEFAULTS.hdop,
    satellites: (wallMs) => settings.satellites ?? replay.at(trackTime(runMs(wallMs)))?.satellites ?? WALK_DEFAULTS.satellites,
    ...(fixLoss > 0 ? { fixLoss: { perSecond: fixLoss, random: () => rng.fraction() } } : {}),
    wiring: { port: wiring.port, receive: wiring.receive, baud: wiring.baud },
  });
  const gps = new NmeaGps({
    serial: { io: emulator.Serial, port: wiring.port, receive: wiring.receive, transmit: wiring.transmit, baud: wiring.baud },
    clock,
  });
  const power = txPowerFor(context.region, boardId, WALK_DEFAULTS.antennaGainDbi);
  const spec: ScenarioNode = {
    index: context.index,
    name: WALK_DEFAULTS.name,
    lat: first.lat,
    lon: first.lon,
    xM: start.xM,
    yM: start.yM,
    heightM: WALK_DEFAULTS.heightM,
    board: boardId,
    antennaGainDbi: WALK_DEFAULTS.antennaGainDbi,
    txPowerDbm: power.txPowerDbm ?? 0,
    asserted: { lat: first.lat, lon: first.lon },
  };
  let timer: ReturnType<Clock['setTimer']> | undefined;
  // Once a second, as a GPS module sends: move on the air, then send that second's sentences.
  const tick = () => {
    const now = clock.now();
    const at = replay.at(trackTime(now));
    if (at !== undefined) context.move({ ...toLocal(centre, at), heightM: WALK_DEFAULTS.heightM });
    emulator.transmit(clock.wallMs() ?? now);
    timer = clock.setTimer(tick, 1000);
  };
  return {
    spec,
    gps,
    start: () => {
      if (timer === undefined) tick();
    },
    stop: () => {
      if (timer !== undefined) clock.clearTimer(timer);
      timer = undefined;
    },
  };
}

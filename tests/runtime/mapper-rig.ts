/**
 * A mapper on small fakes, for the mapper tests: a GPS that walks a scripted route on the virtual clock,
 * a radio that records what it sends, and the Mapper wired to them with a real duty-cycle accountant.
 */
import { DutyCycleAccountant } from '../../hal/radio/duty-cycle.js';
import { Mapper, type MapperOptions } from '../../src/mapper.js';
import { pocChannelOf, type PocChannel } from '../../src/poc-channel.js';
import type { Clock, Gps, GpsFix, Radio } from '../../src/ports.js';
import { parseSettings, type Settings } from '../../src/settings.js';
import { DrivenClock } from '../support/driven-clock.js';
import { signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { memoryLog } from '../support/test-ports.js';

/** 2026-03-01T00:00:00Z. */
export const START_WALL = Date.UTC(2026, 2, 1);
/** The route starts at the Brandenburg Gate (WGS 84). */
export const START_LAT_E7 = 525_162_746;
export const START_LON_E7 = 133_777_041;
export const ALTITUDE_M = 34.6;
const EARTH_RADIUS_M = 6_371_008.8;
export const mapperKey = signerFor('mapper');
const oracleKey = signerFor('oracle').publicKey;

interface Leg {
  readonly fromMs: number;
  readonly eastMps: number;
  readonly northMps: number;
}

/**
 * A GNSS receiver on a scripted route: legs of constant velocity from given times (Clock.now), and
 * windows without a fix. Fix times are GNSS time: `gpsWallAtStart` plus the monotonic time.
 */
export class ScriptedGps implements Gps {
  private readonly clock: Pick<Clock, 'now'>;
  private readonly legs: Leg[] = [{ fromMs: 0, eastMps: 0, northMps: 0 }];
  private readonly outages: { fromMs: number; toMs: number }[] = [];
  /** Replaces every fix with this, when set (a receiver handing over nonsense). */
  override: unknown = undefined;
  reads = 0;
  readonly gpsWallAtStart: number;
  readonly hdop: number;
  readonly satellites: number;

  constructor(clock: Pick<Clock, 'now'>, options: { gpsWallAtStart?: number; hdop?: number; satellites?: number } = {}) {
    this.clock = clock;
    this.gpsWallAtStart = options.gpsWallAtStart ?? START_WALL;
    this.hdop = options.hdop ?? 0.9;
    this.satellites = options.satellites ?? 9;
  }

  /** From `fromMs` on, moves at this velocity (m/s east and north). */
  move(fromMs: number, eastMps: number, northMps = 0): this {
    this.legs.push({ fromMs, eastMps, northMps });
    return this;
  }

  /** No fix in [fromMs, toMs). */
  lose(fromMs: number, toMs: number): this {
    this.outages.push({ fromMs, toMs });
    return this;
  }

  /** Metres east and north of the start at `atMs`. */
  offsetAt(atMs: number): { east: number; north: number } {
    let east = 0;
    let north = 0;
    this.legs.forEach((leg, i) => {
      const end = Math.min(atMs, i + 1 < this.legs.length ? this.legs[i + 1].fromMs : Infinity);
      const seconds = Math.max(0, end - leg.fromMs) / 1000;
      east += leg.eastMps * seconds;
      north += leg.northMps * seconds;
    });
    return { east, north };
  }

  fix(): GpsFix | undefined {
    this.reads++;
    const now = this.clock.now();
    if (this.override !== undefined) return this.override as GpsFix;
    if (this.outages.some((o) => now >= o.fromMs && now < o.toMs)) return undefined;
    const { east, north } = this.offsetAt(now);
    const latE7 = START_LAT_E7 + Math.round((north / EARTH_RADIUS_M) * (180 / Math.PI) * 1e7);
    const cosLat = Math.cos((START_LAT_E7 / 1e7) * (Math.PI / 180));
    const lonE7 = START_LON_E7 + Math.round((east / (EARTH_RADIUS_M * cosLat)) * (180 / Math.PI) * 1e7);
    return { latE7, lonE7, altitudeM: ALTITUDE_M, hdop: this.hdop, satellites: this.satellites, timeMs: this.gpsWallAtStart + now };
  }
}

export interface SentFrame {
  readonly startMs: number;
  readonly frame: Uint8Array;
}

/** A radio that transmits for `airtimeMs`, answers CAD from a script, can fail a transmission, and records what it sent. */
export function recordingRadio(clock: Clock, airtimeMs: number) {
  const sent: SentFrame[] = [];
  let busyAnswers: boolean[] = [];
  let failures = 0;
  const radio: Pick<Radio, 'transmit' | 'rssi' | 'detectActivity'> = {
    transmit(frame) {
      sent.push({ startMs: clock.now(), frame: frame.slice() });
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error('TxDone never came'));
      }
      return new Promise((resolve) => clock.setTimer(resolve, airtimeMs));
    },
    rssi: () => -125,
    detectActivity: () => Promise.resolve(busyAnswers.shift() ?? false),
  };
  return {
    radio,
    sent,
    busyFor: (answers: boolean[]) => void (busyAnswers = answers),
    failNext: (count = 1) => void (failures = count),
  };
}

export interface MapperRigOptions {
  readonly settings?: Record<string, unknown>;
  /** Wall time at the start; null for a clock SNTP has not set. */
  readonly wall?: number | null;
  readonly kv?: MemoryKeyValue;
  readonly mapper?: Partial<MapperOptions>;
}

export function mapperRig(options: MapperRigOptions = {}) {
  const settings: Settings = parseSettings({ region: 'EU868', oracleUrl: 'http://oracle.test', oraclePublicKey: oracleKey, role: 'mapper', ...options.settings });
  const channel: PocChannel = pocChannelOf(settings);
  const clock = new DrivenClock(0, options.wall === null ? undefined : (options.wall ?? START_WALL));
  const gps = new ScriptedGps(clock);
  const air = recordingRadio(clock, channel.uplinkAirtimeMs);
  const queue = new MemoryQueue();
  const kv = options.kv ?? new MemoryKeyValue();
  const log = memoryLog();
  let notified = 0;
  const mapper = new Mapper({
    clock, gps, radio: air.radio, signer: mapperKey, queue, uploads: { notify: () => void notified++ }, kv, log,
    accountant: new DutyCycleAccountant(channel.region, { antennaGainDbi: settings.antennaGainDbi }),
    lbt: channel.region.lbt,
    channel: {
      frequencyHz: channel.settings.frequencyHz, bandwidthHz: channel.settings.bandwidthHz, dataRate: channel.dataRate,
      airtimeMs: channel.uplinkAirtimeMs, txPowerDbm: channel.settings.txPowerDbm,
    },
    minDistanceM: settings.mapper.minDistanceM,
    maxIntervalMs: settings.mapper.maxIntervalMs,
    ...options.mapper,
  });
  return { settings, channel, clock, gps, air, queue, kv, log, mapper, notified: () => notified };
}

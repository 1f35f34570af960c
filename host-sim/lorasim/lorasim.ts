/**
 * LoRaSim's single-gateway experiments (loraDir.py; Bor, Roedig, Voigt, Alonso, "Do LoRa Low-Power
 * Wide-Area Networks Scale?", MSWiM'16), reproduced on covey's air: its path loss, sensitivity and
 * collision models in a SimAir on the virtual clock, with LoRaSim's simple packet sources instead of chips.
 *
 * As loraDir.py does:
 * - one receiver at the centre of a disc whose radius is the largest distance at which a 14 dBm packet
 *   still arrives above the experiment's sensitivity (LoRaSim's measured table, SF12/125 kHz:
 *   −133.25 dBm) under the `lorasim` path loss (PL0 127.41 dB at 40 m, γ 2.08, base-10 log, no
 *   shadowing): 359.7 m;
 * - N nodes placed uniformly at random in that disc (loraDir.py's (a, b) construction has the same
 *   uniform density; its 10 m minimum spacing is not kept, since its check accepts any position that is
 *   10 m from *some* earlier node, which is no constraint);
 * - each node repeats: wait an exponential time of mean `avgSendMs`, send a 20-byte packet (explicit
 *   header, CRC on, 8 preamble symbols, LDRO at SF12/125 kHz), wait for it to end;
 * - experiment 0: SF12, 125 kHz, CR 4/8; 1: the same on 860, 864 or 868 MHz chosen per node;
 *   4: SF12, 125 kHz, CR 4/5 (LoRaWAN's); the others (2, 3, 5) are not reproduced;
 * - the full collision model (timing and capture; orthogonal SFs) or the simple one;
 * - DER = received / sent.
 * Differences: transmissions start on whole milliseconds (the virtual clock's resolution; exponential
 * waits are rounded up, 0.5 ms on a mean of 10⁶); packets still on air at `simtimeMs` are followed to
 * their end, so every packet sent is received, collided or lost (LoRaSim leaves them uncounted);
 * LoRaSim's `maxBSReceives` only feeds a "processed" count and changes nothing here either.
 */
import { performance } from 'node:perf_hooks';
import { timeOnAirMs } from '../../hal/radio/airtime.js';
import type { AirLink, AirSignal, AirStation, AirTuning } from '../air/air.js';
import { COLLISION_MODELS } from '../air/collisions.js';
import { sensitivityDbm } from '../air/link-budget.js';
import { pathLossModel } from '../air/path-loss.js';
import { streamSeed } from '../air/shadowing.js';
import { SimAir } from '../air/sim-air.js';
import { VirtualClock } from '../kernel/virtual-clock.js';
import { SeededRng } from '../ports/seeded-rng.js';

export interface LorasimExperiment {
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  /** Coding rate denominator, 5–8. */
  readonly codingRate: number;
  /** Each node picks one of these. */
  readonly frequenciesHz: readonly number[];
}

export const LORASIM_EXPERIMENTS: Readonly<Record<number, LorasimExperiment>> = {
  0: { spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 8, frequenciesHz: [860_000_000] },
  1: { spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 8, frequenciesHz: [860_000_000, 864_000_000, 868_000_000] },
  4: { spreadingFactor: 12, bandwidthHz: 125_000, codingRate: 5, frequenciesHz: [860_000_000] },
};

/** loraDir.py's constants. */
export const LORASIM_TX_POWER_DBM = 14;
export const LORASIM_PAYLOAD_BYTES = 20;
export const LORASIM_PREAMBLE_SYMBOLS = 8;

export interface LorasimOptions {
  /** 0, 1 or 4. */
  readonly experiment: number;
  readonly nodes: number;
  /** Mean of the exponential wait between packets, ms. */
  readonly avgSendMs: number;
  /** Packets are sent until then, ms. */
  readonly simtimeMs: number;
  readonly seed: number;
  /** 'full' (default) or 'simple'. */
  readonly collisions?: 'full' | 'simple';
}

export interface LorasimResult {
  readonly experiment: number;
  readonly nodes: number;
  readonly sent: number;
  readonly received: number;
  readonly collided: number;
  /** Below sensitivity. */
  readonly lost: number;
  /** Data extraction rate, received / sent (1 when nothing was sent). */
  readonly der: number;
  /** The disc's radius, m. */
  readonly maxDistanceM: number;
  /** Time on air of one packet, ms. */
  readonly airtimeMs: number;
  /** Events the run handled: each packet's start and each timer the clock fired (the packets' ends). */
  readonly events: number;
  /** Wall-clock time of the run, ms. */
  readonly wallMs: number;
}

export function lorasimExperiment(experiment: number): LorasimExperiment {
  const found = LORASIM_EXPERIMENTS[experiment];
  if (!found) throw new RangeError(`LoRaSim experiment ${experiment} is not reproduced (have: ${Object.keys(LORASIM_EXPERIMENTS).join(', ')})`);
  return found;
}

/** The radius of LoRaSim's disc for `experiment`, m. */
export function lorasimMaxDistanceM(experiment: number): number {
  const { spreadingFactor, bandwidthHz, frequenciesHz } = lorasimExperiment(experiment);
  const maxLossDb = LORASIM_TX_POWER_DBM - sensitivityDbm('lorasim', spreadingFactor, bandwidthHz);
  return pathLossModel({ name: 'lorasim' }).rangeM(maxLossDb, frequenciesHz[0], 0);
}

/** LoRaSim's end devices never listen. */
const SOURCE: AirStation = { tuning: () => null, deliver: () => undefined };

/**
 * The nodes' packet times. Node i sends first after a wait and then, each time, after its packet's airtime
 * and another wait: exponential waits of mean `avgSendMs` drawn from the node's own stream, each delay
 * rounded up to a whole ms as a clock timer would (VirtualClock.setTimer).
 */
export class LorasimSources {
  /** Each node's next send, ms. */
  readonly nextMs: Float64Array;

  constructor(private readonly streams: readonly SeededRng[], private readonly avgSendMs: number, private readonly airtimeMs: number) {
    this.nextMs = new Float64Array(streams.length);
    for (let i = 0; i < streams.length; i++) this.nextMs[i] = Math.ceil(this.wait(i));
  }

  get count(): number {
    return this.streams.length;
  }

  /** The mean time from one send to the next, ms. */
  get averageGapMs(): number {
    return this.avgSendMs + this.airtimeMs;
  }

  /** Moves node i on to its send after the one due now. */
  step(i: number): void {
    this.nextMs[i] += Math.ceil(this.airtimeMs + this.wait(i));
  }

  private wait(i: number): number {
    return -this.avgSendMs * Math.log(1 - this.streams[i].fraction());
  }
}

/**
 * Calls `send(node, atMs)` for every packet the sources send up to `lastMs`, in order of time, and of
 * node number within a ms. Each node's waits are its own, so the times are the ones a timer per node
 * would give; they are made a window at a time (about one packet per node each), sorted as numbers
 * `atMs · nodes + node`, rather than kept in the clock, where a thousand timers cost more than the air.
 * Within a ms the order of nodes changes nothing: packets that start together meet the same way
 * whichever comes first (collisions.ts), and the sources never listen.
 */
export function sendInOrder(sources: LorasimSources, lastMs: number, send: (node: number, atMs: number) => void): void {
  const nodes = sources.count;
  if (nodes === 0) return;
  if ((lastMs + 1) * nodes > 2 ** 52) {
    throw new RangeError(`${nodes} nodes over ${lastMs + 1} ms is too many: nodes × ms must stay under 2^52, so that send times order exactly`);
  }
  const { nextMs } = sources;
  const windowMs = Math.max(1, Math.ceil(sources.averageGapMs));
  let keys = new Float64Array(2 * nodes);
  for (let fromMs = 0; fromMs <= lastMs; fromMs += windowMs) {
    const toMs = Math.min(fromMs + windowMs - 1, lastMs);
    let count = 0;
    for (let i = 0; i < nodes; i++) {
      while (nextMs[i] <= toMs) {
        if (count === keys.length) {
          const grown = new Float64Array(2 * keys.length);
          grown.set(keys);
          keys = grown;
        }
        keys[count++] = nextMs[i] * nodes + i;
        sources.step(i);
      }
    }
    const due = keys.subarray(0, count).sort();
    for (let k = 0; k < count; k++) {
      const atMs = Math.floor(due[k] / nodes);
      send(due[k] - atMs * nodes, atMs);
    }
  }
}

function validate(o: LorasimOptions): void {
  lorasimExperiment(o.experiment);
  if (!Number.isInteger(o.nodes) || o.nodes < 0) throw new RangeError(`nodes ${o.nodes} is not a whole number ≥ 0`);
  if (!(o.avgSendMs > 0) || !Number.isFinite(o.avgSendMs)) throw new RangeError(`avgSendMs ${o.avgSendMs} is not positive`);
  if (!(o.simtimeMs >= 0) || !Number.isFinite(o.simtimeMs)) throw new RangeError(`simtimeMs ${o.simtimeMs} is not ≥ 0`);
  if (!Number.isInteger(o.seed)) throw new TypeError('seed must be an integer');
  if (o.collisions !== undefined && o.collisions !== 'full' && o.collisions !== 'simple') {
    throw new RangeError(`collision model ${String(o.collisions)} is not full or simple`);
  }
}

export function runLorasim(options: LorasimOptions): LorasimResult {
  validate(options);
  const started = performance.now();
  const { experiment, nodes, avgSendMs, simtimeMs, seed } = options;
  const setup = lorasimExperiment(experiment);
  const maxDistanceM = lorasimMaxDistanceM(experiment);
  const airtimeMs = timeOnAirMs({
    spreadingFactor: setup.spreadingFactor, bandwidthHz: setup.bandwidthHz, codingRate: setup.codingRate,
    payloadBytes: LORASIM_PAYLOAD_BYTES, preambleLength: LORASIM_PREAMBLE_SYMBOLS, crc: true, implicitHeader: false,
  });
  const clock = new VirtualClock();
  const air = new SimAir(clock, {
    seed,
    pathLoss: { name: 'lorasim' },
    collisions: COLLISION_MODELS[options.collisions === 'simple' ? 'lorasim-simple' : 'lorasim-full'],
    sensitivity: 'lorasim',
    cellSizeM: maxDistanceM,
  });
  const gateways = setup.frequenciesHz.map((frequencyHz, i) => {
    const tuning: AirTuning = { frequencyHz, spreadingFactor: setup.spreadingFactor, bandwidthHz: setup.bandwidthHz, syncWord: 0x12 };
    const name = `gateway${i}`;
    air.attachAt({ tuning: () => tuning, deliver: () => undefined }, { xM: 0, yM: 0, heightM: 0 }, name);
    return name;
  });
  const placement = new SeededRng(streamSeed(seed, 'lorasim', 'placement'));
  const payload = new Uint8Array(LORASIM_PAYLOAD_BYTES);
  const links: AirLink[] = [];
  const signals: AirSignal[] = [];
  const traffic: SeededRng[] = [];
  for (let i = 0; i < nodes; i++) {
    const r = maxDistanceM * Math.sqrt(placement.fraction());
    const theta = 2 * Math.PI * placement.fraction();
    const frequencyHz = setup.frequenciesHz[placement.below(setup.frequenciesHz.length)];
    signals.push({
      frequencyHz, spreadingFactor: setup.spreadingFactor, bandwidthHz: setup.bandwidthHz, codingRate: setup.codingRate,
      preambleLength: LORASIM_PREAMBLE_SYMBOLS, syncWord: 0x12, crc: true, implicitHeader: false,
      txPowerDbm: LORASIM_TX_POWER_DBM, payload, airtimeMs,
    });
    links.push(air.attachAt(SOURCE, { xM: r * Math.cos(theta), yM: r * Math.sin(theta), heightM: 0, listens: false }, `node${i}`));
    traffic.push(new SeededRng(streamSeed(seed, 'lorasim', 'traffic', i)));
  }
  // Sends happen at t < simtimeMs, as SimPy's run(until) leaves the last instant out.
  const lastSendMs = Math.ceil(simtimeMs) - 1;
  sendInOrder(new LorasimSources(traffic, avgSendMs, airtimeMs), lastSendMs, (node, atMs) => {
    clock.runUntil(atMs, Infinity);
    links[node].transmit(signals[node]);
  });
  clock.runUntil(lastSendMs, Infinity);
  clock.runUntil(clock.now() + Math.ceil(airtimeMs) + 1, Infinity);

  let received = 0;
  let collided = 0;
  let lost = 0;
  for (const name of gateways) {
    const s = air.stationStats(name);
    received += s.delivered;
    collided += s.lostToCollision;
    lost += s.lostBelowSensitivity;
  }
  const sent = air.stats.sent;
  return {
    experiment, nodes, sent, received, collided, lost, der: sent === 0 ? 1 : received / sent,
    maxDistanceM, airtimeMs, events: sent + clock.fired, wallMs: performance.now() - started,
  };
}

/**
 * The simulator's physical air: stations at positions in local metres, a path-loss model with per-link
 * shadowing, the link budget, half-duplex radios and a collision model, with deliveries through the
 * Clock port. Chip emulators reach it through the Air interface (air.ts) like any other air.
 *
 * A transmission, when it starts:
 * 1. silences its sender: whatever the sender was receiving is lost (half-duplex);
 * 2. finds the listening stations within its horizon, the distance beyond which no receiver could
 *    demodulate it even with the best sensitivity, the largest antenna gain and shadowing at its cut-off
 *    (−3σ of loss): PL(horizon) = Ptx + Gtx + max Grx − best sensitivity − clutter + 3σ. The spatial index returns
 *    exactly those (search: 'grid'), as testing every station would (search: 'all');
 * 3. at each, computes RSSI = Ptx + Gtx + Grx − PL − clutter − shadowing. Below the station's sensitivity the packet
 *    is lost there and takes no part in collisions; above it, the packet is on air at that station and
 *    meets the packets already there under the collision model (collisions.ts).
 * When it ends (a Clock timer), each station that was listening to it (tuned to its frequency, SF,
 * bandwidth and sync word) at its start and still is at its end gets it, in station order (the Air
 * interface says nothing of retuning in between, so these two looks stand for "the whole packet"),
 * unless it was lost:
 * - to half-duplex: the station transmitted meanwhile, or was transmitting on that channel when it began;
 * - to a collision: dropped if the interference began before the end of the preamble (the receiver never
 *   locked on), else delivered with `intact: false` (the chip sees a CRC error).
 * Same stations, same seed, same calls: same deliveries in the same order. No Node APIs.
 */
import type { Clock } from '../../src/ports.js';
import { SeededRng } from '../ports/seeded-rng.js';
import { tunedTo, type Air, type AirLink, type AirSignal, type AirStation, type AirTuning } from './air.js';
import { AirCounters, type AirStats } from './air-stats.js';
import { AudibleSets, MIN_LIST_LENGTH } from './audible.js';
import { collide, DEFAULT_COLLISION_MODEL, NEWCOMER_LOST, ONGOING_LOST, type CollisionModel } from './collisions.js';
import { DEFAULT_NOISE_FIGURE_DB, noiseFloorDbm, sensitivityDbm, SENSITIVITY_MODELS, type SensitivityModel } from './link-budget.js';
import { pathLossModel, type PathLossModel, type PathLossSpec } from './path-loss.js';
import { pairShadowingDb, shadowingKey, SHADOWING_CUTOFF_SIGMAS, streamSeed } from './shadowing.js';
import {
  rssiDbmAt, validatePlacement, validateSignal, type Hearing, type Member, type Placement, type Position, type Transmission,
} from './sim-air-records.js';
import { NO_INDICES, ReceiverSearch } from './receiver-search.js';
import { ListArena } from './list-arena.js';
import { StationTable } from './station-table.js';

export type { Placement, Position };

export interface SimAirOptions {
  /** The scenario seed; shadowing and carrier offsets follow from it and the stations' names. */
  readonly seed: number;
  /** Default: the 'oulu' log-distance model. */
  readonly pathLoss?: PathLossModel | PathLossSpec;
  /** Default: 'full' (LoRaSim's full model and Goursaud's inter-SF isolation). */
  readonly collisions?: CollisionModel;
  /** Default: 'noise-floor' (N + SNRmin). */
  readonly sensitivity?: SensitivityModel;
  /** Shadowing is truncated at ± this many σ, and the horizon allows for it (default 3). */
  readonly shadowingCutoffSigmas?: number;
  /** Side of the spatial index's cells, m (default 2000); about the typical horizon is best. */
  readonly cellSizeM?: number;
  /** 'grid' (default) or 'all' (test every station: slow, for checking the grid). */
  readonly search?: 'grid' | 'all';
  /** Each station's crystal is off by a uniform draw within ± this, ppm (default 0: no frequency error). */
  readonly maxCarrierOffsetPpm?: number;
  /**
   * Loss every link takes on top of the path-loss model, dB (default 0): clutter and building entry
   * between hotspots at windows and on roofs, which a model measured from a mast does not see.
   */
  readonly clutterLossDb?: number;
}

export class SimAir implements Air {
  readonly pathLoss: PathLossModel;
  readonly collisions: CollisionModel;
  readonly sensitivity: SensitivityModel;
  private readonly seed: number;
  private readonly cutoffSigmas: number;
  private readonly maxCarrierOffsetPpm: number;
  private readonly clutterLossDb: number;
  private readonly search: ReceiverSearch;
  private readonly audible: AudibleSets;
  private readonly table = new StationTable();
  /** Where each transmitter's first losses are kept (list-arena.ts); later ones stand alone. */
  private readonly firstLosses = new ListArena((length) => new Float64Array(length));
  private attachments = 0;
  private readonly placements = new Map<string, Placement>();
  private readonly attachedByName = new Map<string, Member>();
  private readonly counters = new Map<string, AirCounters>();
  /** Extremes over the stations so far, for the horizon: they only ever widen it. */
  private maxRxGainDbi = -Infinity;
  private minNoiseFigureDb = Infinity;
  private maxHeightM = 0;
  /** Bumped whenever the extremes change, so that cached horizons are recomputed. */
  private horizonEpoch = 0;

  constructor(private readonly clock: Clock, options: SimAirOptions) {
    if (!Number.isInteger(options.seed)) throw new TypeError('seed must be an integer');
    this.seed = options.seed;
    const pathLoss = options.pathLoss ?? { name: 'oulu' };
    this.pathLoss = 'lossDb' in pathLoss ? pathLoss : pathLossModel(pathLoss);
    this.collisions = options.collisions ?? DEFAULT_COLLISION_MODEL;
    this.sensitivity = options.sensitivity ?? 'noise-floor';
    if (!SENSITIVITY_MODELS.includes(this.sensitivity)) throw new RangeError(`unknown sensitivity model ${String(this.sensitivity)}`);
    this.cutoffSigmas = options.shadowingCutoffSigmas ?? SHADOWING_CUTOFF_SIGMAS;
    if (!(this.cutoffSigmas > 0)) throw new RangeError('the shadowing cut-off must be positive');
    this.maxCarrierOffsetPpm = options.maxCarrierOffsetPpm ?? 0;
    if (!(this.maxCarrierOffsetPpm >= 0)) throw new RangeError('the carrier offset bound must be ≥ 0 ppm');
    this.clutterLossDb = options.clutterLossDb ?? 0;
    if (!(this.clutterLossDb >= 0) || !Number.isFinite(this.clutterLossDb)) throw new RangeError('the clutter loss must be ≥ 0 dB');
    const search = options.search ?? 'grid';
    if (search !== 'grid' && search !== 'all') throw new RangeError(`unknown search ${String(search)}`);
    this.search = new ReceiverSearch(search === 'grid' ? options.cellSizeM ?? 2000 : null);
    this.audible = new AudibleSets(this.sensitivity, this.table);
  }

  /** Says where the station called `name` is; its chip's `attach(station, name)` then finds it. */
  place(name: string, placement: Placement): void {
    validatePlacement(name, placement);
    if (this.attachedByName.has(name)) throw new RangeError(`station ${name} is attached: move it instead`);
    this.placements.set(name, placement);
  }

  attach(station: AirStation, name = `station${this.attachments}`): AirLink {
    const placement = this.placements.get(name);
    if (!placement) throw new RangeError(`station ${name} has no placement: call place() first`);
    if (this.attachedByName.has(name)) throw new RangeError(`station ${name} is already attached`);
    const counters = this.counters.get(name) ?? new AirCounters();
    this.counters.set(name, counters);
    const member: Member = {
      index: this.attachments++, name, station, xM: placement.xM, yM: placement.yM, heightM: placement.heightM,
      gainDbi: placement.antennaGainDbi ?? 0, noiseFigureDb: placement.noiseFigureDb ?? DEFAULT_NOISE_FIGURE_DB,
      listens: placement.listens ?? true, carrierOffsetPpm: this.carrierOffsetPpm(name), shadowingKey: shadowingKey(this.seed, name), counters,
      attached: true, horizonSignal: null, horizonM: 0, horizonEpoch: -1, receivers: [], receiverIndices: NO_INDICES,
      receiversRangeM: NaN, receiversLayout: -1,
      losses: null, lossesFor: null, lossesHz: NaN, audible: null,
      transmitting: null, transmittingUntilMs: -Infinity, here: [],
    };
    this.attachedByName.set(name, member);
    this.table.set(member);
    this.widenHorizon(member);
    this.search.add(member);
    return {
      transmit: (signal) => this.transmit(member, signal),
      channelPowerDbm: (frequencyHz, bandwidthHz) => this.channelPowerDbm(member, frequencyHz, bandwidthHz),
      activity: (tuning) => this.activity(member, tuning),
      detach: () => this.detach(member),
    };
  }

  /** `place` and `attach` in one. */
  attachAt(station: AirStation, placement: Placement, name = `station${this.attachments}`): AirLink {
    this.place(name, placement);
    return this.attach(station, name);
  }

  /** Moves an attached station (a mapper on its route). Its links keep their shadowing. */
  move(name: string, position: Position): void {
    const member = this.attachedByName.get(name);
    if (!member) throw new RangeError(`no attached station named ${name}`);
    validatePlacement(name, position);
    this.search.move(member, position.xM, position.yM, position.heightM);
    this.table.set(member);
    this.widenHorizon(member);
  }

  /** Counters of the station called `name` (over all its attachments). */
  stationStats(name: string): AirStats {
    const counters = this.counters.get(name);
    if (!counters) throw new RangeError(`no station named ${name}`);
    this.audible.settleAll();
    return counters.snapshot();
  }

  /** The sum over all stations. */
  get stats(): AirStats {
    this.audible.settleAll();
    return AirCounters.total(this.counters.values());
  }

  /**
   * Lets go of what the air keeps to make packets cheap: each transmitter's receiver list, its losses and
   * its audible list (their counts added to the stations' counters first). Later packets find them again
   * and fare exactly the same. The simulator calls this once the hotspots have stopped: at 10,000 of
   * them the lists and losses take about 150 MB, which the oracle's last work can use instead.
   */
  forgetLinks(): void {
    this.audible.settleAll();
    this.search.forget();
    for (const member of this.attachedByName.values()) {
      member.losses = null;
      member.lossesFor = null;
      member.audible = null;
    }
  }

  /** The horizon of `signal` sent by the station called `name`, m (see the header). */
  horizonM(name: string, signal: AirSignal): number {
    const member = this.attachedByName.get(name);
    if (!member) throw new RangeError(`no attached station named ${name}`);
    validateSignal(signal);
    return this.horizonOf(member, signal);
  }

  private horizonOf(from: Member, signal: AirSignal): number {
    if (from.horizonSignal === signal && from.horizonEpoch === this.horizonEpoch) return from.horizonM;
    const best = sensitivityDbm(this.sensitivity, signal.spreadingFactor, signal.bandwidthHz, this.minNoiseFigureDb);
    const margin = this.cutoffSigmas * this.pathLoss.sigmaDb;
    const maxLossDb = signal.txPowerDbm + from.gainDbi + this.maxRxGainDbi - best + margin - this.clutterLossDb;
    from.horizonSignal = signal;
    from.horizonEpoch = this.horizonEpoch;
    from.horizonM = this.pathLoss.rangeM(maxLossDb, signal.frequencyHz, this.maxHeightM);
    return from.horizonM;
  }

  private widenHorizon(member: Member): void {
    this.horizonEpoch++;
    this.maxHeightM = Math.max(this.maxHeightM, member.heightM);
    if (!member.listens) return;
    this.maxRxGainDbi = Math.max(this.maxRxGainDbi, member.gainDbi);
    this.minNoiseFigureDb = Math.min(this.minNoiseFigureDb, member.noiseFigureDb);
  }

  private carrierOffsetPpm(name: string): number {
    if (this.maxCarrierOffsetPpm === 0) return 0;
    const rng = new SeededRng(streamSeed(this.seed, 'carrier', name));
    return (2 * rng.fraction() - 1) * this.maxCarrierOffsetPpm;
  }

  private detach(member: Member): void {
    if (!member.attached) return;
    member.attached = false;
    this.attachedByName.delete(member.name);
    this.search.remove(member);
    // What it kept to send cheaply holds other stations; once off the air it sends nothing more.
    this.audible.leaving(member);
    member.audible = null;
    member.losses = null;
    member.lossesFor = null;
  }

  private transmit(from: Member, signal: AirSignal): void {
    if (!from.attached) return;
    if (signal !== from.horizonSignal) validateSignal(signal); // a signal sent again was checked the first time
    const now = this.clock.now();
    const hearing = from.here;
    for (let i = 0; i < hearing.length; i++) if (hearing[i].endMs > now) hearing[i].halfDuplex = true;
    // Tpreamble = (Npre + 4.25)·Tsym, Tsym = 2^SF / BW (SX1276 DS §4.1.1.7).
    const lockMs = now + ((signal.preambleLength + 4.25) * 1000 * (1 << signal.spreadingFactor)) / signal.bandwidthHz;
    const tx: Transmission = {
      from, signal, startMs: now, endMs: now + signal.airtimeMs, lockMs, hearings: [], sensitivityNfDb: NaN, sensitivityDbm: NaN,
    };
    from.transmitting = signal;
    from.transmittingUntilMs = tx.endMs;
    from.counters.addTransmission(signal.frequencyHz, signal.airtimeMs);
    const receivers = this.search.within(from, this.horizonOf(from, signal));
    const losses = this.lossesOf(from, receivers, signal.frequencyHz);
    this.audible.sending(from, now);
    if (receivers === from.receivers && receivers.length >= MIN_LIST_LENGTH) {
      // A long list that stays (receiver-search.ts): only the stations that can hear it are visited.
      const hear = this.audible.hearing(from, signal, receivers, from.receiverIndices, losses, now);
      for (let k = 0; k < hear.length; k++) this.arrive(tx, receivers[hear[k]], now, losses[hear[k]]);
    } else {
      for (let i = 0; i < receivers.length; i++) this.arrive(tx, receivers[i], now, losses[i]);
    }
    this.clock.setTimer(() => this.finish(tx), signal.airtimeMs);
  }

  /**
   * Path loss, clutter and shadowing from `from` to each of `receivers`, dB. They stay the same while no
   * station moves (a move makes a new receiver list), so each transmitter computes them once per list
   * and frequency, not once per packet.
   */
  private lossesOf(from: Member, receivers: readonly Member[], frequencyHz: number): Float64Array {
    if (from.lossesFor === receivers && from.lossesHz === frequencyHz && from.losses !== null) return from.losses;
    // The stations' numbers from the table (station-table.ts), not from their records.
    const indices = receivers === from.receivers ? from.receiverIndices : Int32Array.from(receivers, (m) => m.index);
    const { xM, yM, heightM, shadowingKey } = this.table;
    const { pathLoss, clutterLossDb, cutoffSigmas } = this;
    const losses = from.losses === null ? this.firstLosses.take(receivers.length) : new Float64Array(receivers.length);
    for (let i = 0; i < indices.length; i++) {
      const at = indices[i];
      const dx = xM[at] - from.xM;
      const dy = yM[at] - from.yM;
      const dz = heightM[at] - from.heightM;
      const pathLossDb = pathLoss.lossDb(Math.sqrt(dx * dx + dy * dy + dz * dz), frequencyHz, from.heightM, heightM[at]);
      losses[i] = pathLossDb + clutterLossDb + pairShadowingDb(from.shadowingKey, shadowingKey[at], pathLoss.sigmaDb, cutoffSigmas);
    }
    from.losses = losses;
    from.lossesFor = receivers;
    from.lossesHz = frequencyHz;
    return losses;
  }

  private arrive(tx: Transmission, at: Member, now: number, lossDb: number): void {
    const { from, signal } = tx;
    const rssiDbm = rssiDbmAt(signal, from, at, lossDb);
    if (tx.sensitivityNfDb !== at.noiseFigureDb) {
      tx.sensitivityNfDb = at.noiseFigureDb;
      tx.sensitivityDbm = sensitivityDbm(this.sensitivity, signal.spreadingFactor, signal.bandwidthHz, at.noiseFigureDb);
    }
    const transmitting = at.transmittingUntilMs > now;
    if (rssiDbm < tx.sensitivityDbm) {
      // Counted without asking the station whether it listens: most stations within a horizon are too
      // far to hear, and asking each of them would cost more than the rest of the packet (air-stats.ts).
      if (!transmitting) at.counters.lostBelowSensitivity++;
      return;
    }
    const counted = tunedTo(at.station.tuning(), signal) || (transmitting && tunedTo(at.transmitting, signal));
    const heard: Hearing = { tx, signal, at, rssiDbm, endMs: tx.endMs, counted, halfDuplex: transmitting, collidedAtMs: Infinity };
    const here = at.here;
    for (let i = 0; i < here.length; i++) {
      const other = here[i];
      if (other.endMs <= now) continue;
      const lost = collide(this.collisions, heard, other, now);
      if (lost & NEWCOMER_LOST && heard.collidedAtMs > now) heard.collidedAtMs = now;
      if (lost & ONGOING_LOST && other.collidedAtMs > now) other.collidedAtMs = now;
    }
    here.push(heard);
    tx.hearings.push(heard);
  }

  private finish(tx: Transmission): void {
    const { signal, from } = tx;
    for (const heard of tx.hearings) {
      const at = heard.at;
      const here = at.here;
      const i = here.indexOf(heard);
      here[i] = here[here.length - 1];
      here.pop();
      if (!heard.counted || !at.attached) continue;
      if (heard.halfDuplex) {
        at.counters.lostToHalfDuplex++;
        continue;
      }
      if (!tunedTo(at.station.tuning(), signal)) continue; // it stopped listening: not a reception
      const intact = heard.collidedAtMs === Infinity;
      if (!intact) {
        at.counters.lostToCollision++;
        if (heard.collidedAtMs < tx.lockMs) continue;
        at.counters.deliveredCorrupt++;
      } else at.counters.delivered++;
      at.station.deliver({
        signal,
        rssiDbm: heard.rssiDbm,
        snrDb: heard.rssiDbm - noiseFloorDbm(signal.bandwidthHz, at.noiseFigureDb),
        frequencyErrorHz: ((from.carrierOffsetPpm - at.carrierOffsetPpm) * signal.frequencyHz) / 1e6,
        intact,
      });
    }
  }

  private channelPowerDbm(at: Member, frequencyHz: number, bandwidthHz: number): number {
    const now = this.clock.now();
    let milliwatts = 10 ** (noiseFloorDbm(bandwidthHz, at.noiseFigureDb) / 10);
    for (const heard of at.here) {
      if (heard.endMs <= now || Math.abs(heard.signal.frequencyHz - frequencyHz) > (bandwidthHz + heard.signal.bandwidthHz) / 2) continue;
      milliwatts += 10 ** (heard.rssiDbm / 10);
    }
    return 10 * Math.log10(milliwatts);
  }

  /** CAD: a packet matching `tuning` on air here now, above sensitivity. */
  private activity(at: Member, tuning: AirTuning): boolean {
    const now = this.clock.now();
    return at.here.some((heard) => heard.endMs > now && tunedTo(tuning, heard.signal));
  }
}

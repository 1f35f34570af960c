/**
 * Which of a transmitter's receivers can hear its packets at all. Of the stations within a horizon most
 * are too far to hear (in a city about 15 of 750), and whether each is depends only on the receiver
 * list, the losses to them and the signal's power, spreading factor and bandwidth, all of which stay
 * the same from one beacon to the next. So each transmitter keeps the list of those that can hear,
 * worked out once with the same arithmetic as a packet's arrival (`rssiDbmAt`), and a packet visits
 * only them.
 *
 * The others still count the packet as lost below sensitivity (air-stats.ts), unless they were
 * transmitting at that moment. Those counts are kept per list and added to the stations' counters when
 * the list is replaced or the counters are read (`settleAll`); a station that was transmitting when a
 * packet came is taken off at once, so the totals are exactly what visiting every station gives.
 * No Node APIs.
 */
import type { AirSignal } from './air.js';
import { sensitivityDbm, type SensitivityModel } from './link-budget.js';
import { rssiDbm, type Member } from './sim-air-records.js';
import type { StationTable } from './station-table.js';

/** A transmitter's audible receivers, for one receiver list, set of losses and signal. */
export interface Audible {
  readonly receivers: readonly Member[];
  readonly losses: Float64Array;
  readonly txPowerDbm: number;
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  /** Indices into `receivers` of the stations at or above their sensitivity, ascending. */
  readonly hear: Uint32Array;
  /** Packets sent with this list whose below-sensitivity counts are not yet in the stations' counters. */
  sends: number;
}

/** Lists shorter than this are visited whole: the bookkeeping would cost more than it saves. */
export const MIN_LIST_LENGTH = 16;

export class AudibleSets {
  /** Lists with counts not yet added to the stations' counters. */
  private readonly unsettled = new Set<Audible>();
  /** Stations that transmitted lately: those still on air when a packet starts do not count it. */
  private onAir: Member[] = [];

  /** `table` holds the receivers' gains and noise figures (station-table.ts). */
  constructor(
    private readonly sensitivity: SensitivityModel,
    private readonly table: StationTable,
  ) {}

  /**
   * For a packet `from` starts at `nowMs` (after `sending`): the indices into `receivers` of the
   * stations that can hear it. Counts it as lost below sensitivity at all the others that are not
   * transmitting. `stations` holds the station index of each of `receivers`.
   */
  hearing(
    from: Member, signal: AirSignal, receivers: readonly Member[], stations: Int32Array, losses: Float64Array, nowMs: number,
  ): Uint32Array {
    let audible = from.audible;
    if (audible === null || audible.receivers !== receivers || audible.losses !== losses || audible.txPowerDbm !== signal.txPowerDbm ||
      audible.spreadingFactor !== signal.spreadingFactor || audible.bandwidthHz !== signal.bandwidthHz) {
      if (audible !== null) this.settle(audible);
      audible = this.audibleOf(from, signal, receivers, stations, losses);
      from.audible = audible;
    }
    if (audible.sends++ === 0) this.unsettled.add(audible);
    this.exceptTransmitting(audible, from, nowMs);
    return audible.hear;
  }

  /** `from` starts a packet at `nowMs` (every packet, whichever way its receivers are found). */
  sending(from: Member, nowMs: number): void {
    const onAir = this.onAir;
    let kept = 0;
    for (let i = 0; i < onAir.length; i++) {
      const station = onAir[i];
      if (station.transmittingUntilMs > nowMs && station !== from) onAir[kept++] = station;
    }
    if (kept < onAir.length) onAir.length = kept;
    onAir.push(from);
  }

  /** `member` leaves the air: its list's counts go to the stations' counters, and it is no longer on air. */
  leaving(member: Member): void {
    if (member.audible !== null) this.settle(member.audible);
    const i = this.onAir.indexOf(member);
    if (i >= 0) this.onAir.splice(i, 1);
  }

  /** Adds every count kept back to the stations' counters; call before reading them. */
  settleAll(): void {
    for (const audible of this.unsettled) this.settle(audible);
  }

  private audibleOf(from: Member, signal: AirSignal, receivers: readonly Member[], stations: Int32Array, losses: Float64Array): Audible {
    const { gainDbi, noiseFigureDb } = this.table;
    const hear: number[] = [];
    let sensitivityNfDb = NaN;
    let sensitivity = NaN;
    for (let i = 0; i < stations.length; i++) {
      const at = stations[i];
      if (noiseFigureDb[at] !== sensitivityNfDb) {
        sensitivityNfDb = noiseFigureDb[at];
        sensitivity = sensitivityDbm(this.sensitivity, signal.spreadingFactor, signal.bandwidthHz, sensitivityNfDb);
      }
      // The same test as a packet's arrival (sim-air.ts `arrive`, through rssiDbmAt).
      if (!(rssiDbm(signal, from, gainDbi[at], losses[i]) < sensitivity)) hear.push(i);
    }
    return {
      receivers, losses, txPowerDbm: signal.txPowerDbm, spreadingFactor: signal.spreadingFactor, bandwidthHz: signal.bandwidthHz,
      hear: Uint32Array.from(hear), sends: 0,
    };
  }

  /** Takes back the count of this packet at the stations below sensitivity that are transmitting now. */
  private exceptTransmitting(audible: Audible, from: Member, nowMs: number): void {
    for (const station of this.onAir) {
      if (station.transmittingUntilMs > nowMs && station !== from && isBelow(audible, station)) station.counters.lostBelowSensitivity--;
    }
  }

  private settle(audible: Audible): void {
    if (audible.sends === 0) return;
    const { receivers, hear, sends } = audible;
    let next = 0;
    for (let i = 0; i < receivers.length; i++) {
      if (next < hear.length && hear[next] === i) next++;
      else receivers[i].counters.lostBelowSensitivity += sends;
    }
    audible.sends = 0;
    this.unsettled.delete(audible);
  }
}

/** Whether `station` is one of the list's receivers that cannot hear (receivers are in station order). */
function isBelow(audible: Audible, station: Member): boolean {
  const { receivers, hear } = audible;
  let lo = 0;
  let hi = receivers.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const index = receivers[mid].index;
    if (index === station.index) return !includes(hear, mid);
    if (index < station.index) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function includes(sorted: Uint32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

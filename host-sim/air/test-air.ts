/**
 * A small air for driver and emulator tests: a fixed path loss between each pair of stations, thermal
 * noise, the SNR floor per spreading factor, half-duplex stations, and a simple collision rule (two
 * overlapping packets at one station: the weaker is lost, both if within 6 dB, LoRaSim's capture rule).
 * The simulator's own air replaces it for anything about propagation.
 */
import type { Clock } from '../../src/ports.js';
import {
  noiseFloorDbm, SNR_FLOOR_DB, tunedTo, type Air, type AirLink, type AirReception, type AirSignal, type AirStation, type AirTuning,
} from './air.js';

/** Capture threshold, dB (radio.md §3, LoRaSim). */
const CAPTURE_DB = 6;

interface Member {
  readonly name: string;
  readonly station: AirStation;
  attached: boolean;
  /** This station's carrier offset, Hz; a receiver sees the difference. */
  carrierOffsetHz: number;
}

interface OnAir {
  readonly from: Member;
  readonly signal: AirSignal;
  readonly startMs: number;
  readonly endMs: number;
  /** Stations tuned to it at its start, and whether it is still receivable there. */
  readonly receivers: Map<Member, { rssiDbm: number; lost: boolean }>;
}

export interface TestAirOptions {
  /** Path loss between any two stations unless set with setLoss, dB. Default 100. */
  readonly defaultLossDb?: number;
  readonly noiseFigureDb?: number;
}

export class TestAir implements Air {
  private readonly members: Member[] = [];
  private readonly losses = new Map<string, number>();
  private readonly onAir: OnAir[] = [];
  private readonly corruptions = new Map<string, number>();
  private readonly defaultLossDb: number;
  private readonly noiseFigureDb: number;

  constructor(private readonly clock: Clock, options: TestAirOptions = {}) {
    this.defaultLossDb = options.defaultLossDb ?? 100;
    this.noiseFigureDb = options.noiseFigureDb ?? 6;
  }

  attach(station: AirStation, name = `station${this.members.length}`): AirLink {
    const member: Member = { name, station, attached: true, carrierOffsetHz: 0 };
    this.members.push(member);
    return {
      transmit: (signal) => this.transmit(member, signal),
      channelPowerDbm: (frequencyHz, bandwidthHz) => this.channelPower(member, frequencyHz, bandwidthHz),
      activity: (tuning) => this.activity(member, tuning),
      detach: () => {
        member.attached = false;
      },
    };
  }

  /** Sets the path loss between two stations (both directions), dB. */
  setLoss(a: string, b: string, lossDb: number): void {
    this.losses.set(pairKey(a, b), lossDb);
  }

  /** Gives a station a carrier offset, Hz, so receivers measure a frequency error. */
  setCarrierOffset(name: string, offsetHz: number): void {
    this.member(name).carrierOffsetHz = offsetHz;
  }

  /** Damages the payload of the next `count` packets delivered to `name` (they arrive with a bad CRC). */
  corruptNext(name: string, count = 1): void {
    this.corruptions.set(name, (this.corruptions.get(name) ?? 0) + count);
  }

  private member(name: string): Member {
    const found = this.members.find((m) => m.name === name);
    if (!found) throw new RangeError(`no station named ${name}`);
    return found;
  }

  private lossDb(a: Member, b: Member): number {
    return this.losses.get(pairKey(a.name, b.name)) ?? this.defaultLossDb;
  }

  private transmit(from: Member, signal: AirSignal): void {
    if (!from.attached) return;
    const startMs = this.clock.now();
    const entry: OnAir = { from, signal, startMs, endMs: startMs + signal.airtimeMs, receivers: new Map() };
    for (const member of this.members) {
      if (member === from || !member.attached || !tunedTo(member.station.tuning(), signal)) continue;
      const rssiDbm = signal.txPowerDbm - this.lossDb(from, member);
      const snr = rssiDbm - noiseFloorDbm(signal.bandwidthHz, this.noiseFigureDb);
      entry.receivers.set(member, { rssiDbm, lost: snr < SNR_FLOOR_DB[signal.spreadingFactor] });
    }
    this.collide(entry);
    this.onAir.push(entry);
    this.clock.setTimer(() => this.finish(entry), signal.airtimeMs);
  }

  /** Applies the capture rule between the new signal and those already on air, per receiver. */
  private collide(entry: OnAir): void {
    for (const other of this.onAir) {
      if (other.endMs <= entry.startMs) continue;
      if (Math.abs(other.signal.frequencyHz - entry.signal.frequencyHz) > entry.signal.bandwidthHz / 4) continue;
      if (other.signal.spreadingFactor !== entry.signal.spreadingFactor) continue;
      for (const [member, mine] of entry.receivers) {
        const theirs = other.receivers.get(member);
        if (!theirs) continue;
        const margin = mine.rssiDbm - theirs.rssiDbm;
        if (margin < CAPTURE_DB) mine.lost = true;
        if (margin > -CAPTURE_DB) theirs.lost = true;
      }
    }
  }

  private finish(entry: OnAir): void {
    this.onAir.splice(this.onAir.indexOf(entry), 1);
    for (const [member, heard] of entry.receivers) {
      if (heard.lost || !member.attached || !tunedTo(member.station.tuning(), entry.signal)) continue;
      const corrupt = this.corruptions.get(member.name) ?? 0;
      if (corrupt > 0) this.corruptions.set(member.name, corrupt - 1);
      const reception: AirReception = {
        signal: entry.signal,
        rssiDbm: heard.rssiDbm,
        snrDb: heard.rssiDbm - noiseFloorDbm(entry.signal.bandwidthHz, this.noiseFigureDb),
        frequencyErrorHz: entry.from.carrierOffsetHz - member.carrierOffsetHz,
        intact: corrupt === 0,
      };
      member.station.deliver(reception);
    }
  }

  private channelPower(at: Member, frequencyHz: number, bandwidthHz: number): number {
    let milliwatts = 10 ** (noiseFloorDbm(bandwidthHz, this.noiseFigureDb) / 10);
    const now = this.clock.now();
    for (const entry of this.onAir) {
      if (entry.from === at || entry.startMs > now || entry.endMs <= now) continue;
      if (Math.abs(entry.signal.frequencyHz - frequencyHz) > (bandwidthHz + entry.signal.bandwidthHz) / 2) continue;
      milliwatts += 10 ** ((entry.signal.txPowerDbm - this.lossDb(entry.from, at)) / 10);
    }
    return 10 * Math.log10(milliwatts);
  }

  private activity(at: Member, tuning: AirTuning): boolean {
    const now = this.clock.now();
    return this.onAir.some((entry) => {
      if (entry.from === at || entry.endMs <= now || !tunedTo(tuning, entry.signal)) return false;
      const rssi = entry.signal.txPowerDbm - this.lossDb(entry.from, at);
      return rssi - noiseFloorDbm(entry.signal.bandwidthHz, this.noiseFigureDb) >= SNR_FLOOR_DB[entry.signal.spreadingFactor];
    });
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

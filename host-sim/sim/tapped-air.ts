/**
 * The air as the simulator's hotspots meet it: the real air (SimAir) behind a thin layer that watches
 * every delivery (who heard whom, how strongly, when) for the report, and that applies radio faults
 * to one station at a time: `mute` (its transmissions never reach the air), `deaf` (it hears nothing)
 * and `noisy` (its receiver's noise rises by some dB: weaker packets are lost, the rest arrive with less
 * SNR). The chips attach to this exactly as to any Air.
 */
import type { Air, AirLink, AirReception, AirSignal, AirStation } from '../air/air.js';
import { SNR_FLOOR_DB } from '../air/air.js';

/** One packet a station received (intact or damaged), as the report counts it. */
export interface Hearing {
  readonly signal: AirSignal;
  /** Station indices (the order they attached in). */
  readonly from: number;
  readonly to: number;
  readonly atMs: number;
  readonly rssiDbm: number;
  readonly snrDb: number;
  readonly intact: boolean;
}

export type RadioFaultKind = 'deaf' | 'mute' | 'noisy';

interface Tapped {
  readonly index: number;
  fault: { readonly kind: RadioFaultKind; readonly noiseDb: number } | undefined;
  station: AirStation | undefined;
  link: AirLink | undefined;
}

export class TappedAir implements Air {
  private readonly stations = new Map<string, Tapped>();
  private readonly senders = new WeakMap<AirSignal, number>();
  private count = 0;
  /** Told about every transmission a station starts (faults and the report watch them). */
  onTransmit: ((from: number, signal: AirSignal) => void) | undefined;

  /**
   * @param air the real air
   * @param now the clock's reading, for the hearings' times
   * @param onHearing every packet delivered to a station (after faults)
   */
  constructor(private readonly air: Air, private readonly now: () => number, private readonly onHearing: (hearing: Hearing) => void) {}

  /** `name`'s attach index, once attached. */
  indexOf(name: string): number | undefined {
    return this.stations.get(name)?.index;
  }

  attach(station: AirStation, name = `station${this.count}`): AirLink {
    const tapped: Tapped = this.stations.get(name) ?? { index: this.count++, fault: undefined, station: undefined, link: undefined };
    this.stations.set(name, tapped);
    tapped.station = station;
    const watched: AirStation = {
      tuning: () => (tapped.fault?.kind === 'deaf' ? null : station.tuning()),
      deliver: (reception) => {
        const heard = this.afterFault(tapped, reception);
        if (heard === undefined) return;
        const from = this.senders.get(reception.signal);
        if (from !== undefined) {
          this.onHearing({ signal: reception.signal, from, to: tapped.index, atMs: this.now(), rssiDbm: heard.rssiDbm, snrDb: heard.snrDb, intact: heard.intact });
        }
        station.deliver(heard);
      },
    };
    const link = this.air.attach(watched, name);
    tapped.link = link;
    return {
      transmit: (signal) => {
        this.senders.set(signal, tapped.index);
        this.onTransmit?.(tapped.index, signal);
        if (tapped.fault?.kind === 'mute') return;
        link.transmit(signal);
      },
      channelPowerDbm: (frequencyHz, bandwidthHz) => link.channelPowerDbm(frequencyHz, bandwidthHz) + (tapped.fault?.noiseDb ?? 0),
      activity: (tuning) => tapped.fault?.kind !== 'deaf' && link.activity(tuning),
      detach: () => {
        link.detach();
        if (tapped.link !== link) return; // attached again since
        tapped.station = undefined;
        tapped.link = undefined;
      },
    };
  }

  /** Starts a radio fault at the station called `name`; `noiseDb` only for `noisy`. */
  startFault(name: string, kind: RadioFaultKind, noiseDb = 0): void {
    const tapped = this.stations.get(name);
    if (tapped === undefined) throw new RangeError(`no station ${name} on the air`);
    tapped.fault = { kind, noiseDb: kind === 'noisy' ? noiseDb : 0 };
  }

  /** Puts `signal` on the air from the station called `name`, behind its chip's back (a replaying cheat). */
  transmitAs(name: string, signal: AirSignal): void {
    const tapped = this.stations.get(name);
    if (tapped?.link === undefined) throw new RangeError(`no station ${name} on the air`);
    this.senders.set(signal, tapped.index);
    this.onTransmit?.(tapped.index, signal);
    tapped.link.transmit(signal);
  }

  /**
   * Hands `reception` to the station called `name` as if the air had carried it (a cheat that makes up
   * what it heard). Only while its radio listens on that channel; returns whether it was handed over.
   */
  fakeDelivery(name: string, reception: AirReception): boolean {
    const tapped = this.stations.get(name);
    const tuning = tapped?.station?.tuning();
    if (tapped?.station === undefined || tuning === null || tuning === undefined || tuning.spreadingFactor !== reception.signal.spreadingFactor) return false;
    tapped.station.deliver(reception);
    return true;
  }

  endFault(name: string): void {
    const tapped = this.stations.get(name);
    if (tapped !== undefined) tapped.fault = undefined;
  }

  /** A noisy receiver loses what falls below its raised floor and hears the rest with less SNR. */
  private afterFault(tapped: Tapped, reception: AirReception): AirReception | undefined {
    const fault = tapped.fault;
    if (fault === undefined) return reception;
    if (fault.kind === 'deaf') return undefined;
    if (fault.kind === 'mute' || fault.noiseDb === 0) return reception;
    const snrDb = reception.snrDb - fault.noiseDb;
    if (snrDb < (SNR_FLOOR_DB[reception.signal.spreadingFactor] ?? 0)) return undefined;
    return { ...reception, snrDb };
  }
}

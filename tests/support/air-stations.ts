/** Packet-level stations and signals for the SimAir suites: no chip, just what the air sees. */
import { timeOnAirMs } from '../../hal/radio/airtime.js';
import type { AirLink, AirReception, AirSignal, AirStation, AirTuning } from '../../host-sim/air/air.js';
import type { Placement, SimAir } from '../../host-sim/air/sim-air.js';

export const CHANNEL: AirTuning = { frequencyHz: 868_100_000, spreadingFactor: 12, bandwidthHz: 125_000, syncWord: 0x12 };

/** A LoRa packet on CHANNEL (20 bytes, CR 4/5, preamble 8, explicit header, CRC on) unless overridden. */
export function signal(overrides: Partial<AirSignal> = {}): AirSignal {
  const base = { ...CHANNEL, codingRate: 5, preambleLength: 8, crc: true, implicitHeader: false, txPowerDbm: 14, payload: new Uint8Array(20) };
  const merged = { ...base, ...overrides };
  const airtimeMs = overrides.airtimeMs ?? timeOnAirMs({ ...merged, payloadBytes: merged.payload.length });
  return { ...merged, airtimeMs };
}

/** A station that listens on a settable channel and records what it gets. */
export class Listener implements AirStation {
  readonly heard: AirReception[] = [];
  constructor(public tuned: AirTuning | null = CHANNEL) {}
  tuning(): AirTuning | null {
    return this.tuned;
  }
  deliver(reception: AirReception): void {
    this.heard.push(reception);
  }
}

export interface Placed {
  readonly name: string;
  readonly listener: Listener;
  readonly link: AirLink;
}

/** Attaches a listener named `name` at `placement`. */
export function place(air: SimAir, name: string, placement: Placement, tuned: AirTuning | null = CHANNEL): Placed {
  const listener = new Listener(tuned);
  return { name, listener, link: air.attachAt(listener, placement, name) };
}

/** Where a station stands: on the ground, `xM` metres east. */
export function at(xM: number, yM = 0): Placement {
  return { xM, yM, heightM: 0 };
}

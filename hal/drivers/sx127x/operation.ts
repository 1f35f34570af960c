/**
 * The one operation a radio can run at a time (a transmit or an activity detection), its watchdog, and
 * the checks on what the caller hands in.
 */
import { airtime, symbolMs } from '../airtime.js';
import type { LoRaSettings, TimerHandle } from '../../../src/ports.js';
import { RadioError } from './errors.js';

export interface Operation {
  readonly kind: 'transmit' | 'detect';
  /** The packet of a transmit. */
  readonly payload: Uint8Array | null;
  resolve(value: boolean): void;
  reject(error: Error): void;
  /** The chip was put in TX or CAD mode for it. */
  started: boolean;
  /** A fault stopped it before it started once already. */
  retried: boolean;
  watchdog: TimerHandle | null;
  /** Why it failed; set when it waits for a recovery to end before it is rejected. */
  failure: RadioError | null;
}

export function newOperation(
  kind: Operation['kind'],
  payload: Uint8Array | null,
  resolve: (value: boolean) => void,
  reject: (error: Error) => void,
): Operation {
  return { kind, payload, resolve, reject, started: false, retried: false, watchdog: null, failure: null };
}

/**
 * Slack a watchdog always allows beyond the expected time, ms: on the device the TxDone interrupt
 * reaches JavaScript through the event loop, which can lag a few ms behind a short packet.
 */
const WATCHDOG_SLACK_MS = 20;

/** Twice the expected duration (issue 3: "within 2 × its airtime"), and never less than it plus the slack. */
export function watchdogMs(expectedMs: number): number {
  return Math.ceil(Math.max(2 * expectedMs, expectedMs + WATCHDOG_SLACK_MS));
}

/** Time on air of a packet with these settings (hal/radio/airtime.ts). */
export function packetAirtimeMs(s: LoRaSettings, payloadBytes: number): number {
  return airtime({
    spreadingFactor: s.spreadingFactor,
    bandwidthHz: s.bandwidthHz,
    codingRate: s.codingRate,
    payloadBytes,
    preambleLength: s.preambleLength,
    implicitHeader: s.implicitHeader,
    crc: s.crc,
    ldro: s.ldro,
    chip: 'sx127x',
  }).timeOnAirMs;
}

/**
 * How long a CAD lasts: the receiver listens for (2^SF + 32) / BW, then the correlation takes a little
 * under a symbol (SX1276 DS §4.1, "channel activity detection").
 */
export function cadDurationMs(s: LoRaSettings): number {
  return ((2 ** s.spreadingFactor + 32) / s.bandwidthHz) * 1000 + symbolMs(s.spreadingFactor, s.bandwidthHz);
}

/** A transmit's payload: bytes, 1–255 of them, and exactly the implicit length with an implicit header. */
export function checkPayload(payload: unknown, s: LoRaSettings): Uint8Array {
  if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  if (payload.length < 1 || payload.length > 255) throw new RangeError(`payload of ${payload.length} bytes is not 1–255`);
  if (s.implicitHeader && payload.length !== s.implicitLength) {
    throw new RangeError(`payload of ${payload.length} bytes: the implicit header expects ${s.implicitLength}`);
  }
  return payload;
}

/**
 * The one narrow interface between a chip emulator and the simulated air. A chip says what it sends and
 * what it listens to; the air decides who hears what, how strongly, and when.
 *
 * SimAir (sim-air.ts) is the simulator's physical air (path loss, shadowing, collisions, capture); TestAir
 * (test-air.ts) is a small fixed-loss version for driver tests.
 */

/** A LoRa transmission as it leaves a chip's antenna. */
export interface AirSignal {
  readonly frequencyHz: number;
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  readonly codingRate: number;
  readonly preambleLength: number;
  readonly syncWord: number;
  readonly crc: boolean;
  readonly implicitHeader: boolean;
  /** Conducted power, dBm. */
  readonly txPowerDbm: number;
  readonly payload: Uint8Array;
  /** Length of the transmission, ms (the chip computes it with hal/radio/airtime.ts). */
  readonly airtimeMs: number;
}

/** What a chip is tuned to while it receives or runs channel activity detection. */
export interface AirTuning {
  readonly frequencyHz: number;
  readonly spreadingFactor: number;
  readonly bandwidthHz: number;
  readonly syncWord: number;
}

/** A signal that reached a listening chip, delivered when the transmission ends. */
export interface AirReception {
  readonly signal: AirSignal;
  readonly rssiDbm: number;
  readonly snrDb: number;
  /** Offset of the sender's carrier from the receiver's, Hz. */
  readonly frequencyErrorHz: number;
  /** False when the payload was damaged in the air (interference): the chip flags a CRC error. */
  readonly intact: boolean;
}

/** A chip as the air sees it. */
export interface AirStation {
  /** What the chip listens to right now, or null when it is not receiving (sleep, standby, transmitting). */
  tuning(): AirTuning | null;
  /** A packet ended at this station. Only called if the station was tuned to it for its whole length. */
  deliver(reception: AirReception): void;
}

/** A chip's connection to the air. */
export interface AirLink {
  /** Starts a transmission now; it occupies the air for `signal.airtimeMs`. */
  transmit(signal: AirSignal): void;
  /** Total power at this station in the band around `frequencyHz`, dBm: noise plus signals on air now. */
  channelPowerDbm(frequencyHz: number, bandwidthHz: number): number;
  /** True if a LoRa signal matching `tuning` is on air now and strong enough to detect (CAD). */
  activity(tuning: AirTuning): boolean;
  /** Leaves the air; pending deliveries to this station are dropped. */
  detach(): void;
}

export interface Air {
  attach(station: AirStation, name?: string): AirLink;
}

/** Thermal noise in `bandwidthHz` with a receiver noise figure, dBm: −174 + 10·log10(BW) + NF (radio.md §2). */
export function noiseFloorDbm(bandwidthHz: number, noiseFigureDb = 6): number {
  return -174 + 10 * Math.log10(bandwidthHz) + noiseFigureDb;
}

/** The lowest SNR each spreading factor demodulates, dB (SX1276 DS Table 13; SF5 from the SX126x DS). */
export const SNR_FLOOR_DB: Readonly<Record<number, number>> = {
  5: -2.5, 6: -5, 7: -7.5, 8: -10, 9: -12.5, 10: -15, 11: -17.5, 12: -20,
};

/**
 * True if a receiver tuned to `tuning` hears `signal`: same spreading factor, bandwidth and sync word, and
 * a carrier within ±25 % of the bandwidth of its own, which a LoRa receiver still demodulates (SX1276 DS
 * §4.1.5), so chips whose synthesizers round the same channel differently (61 Hz steps on the SX1276,
 * under 1 Hz on the SX1262) still hear each other.
 */
export function tunedTo(tuning: AirTuning | null, signal: AirTuning): boolean {
  return (
    tuning !== null &&
    Math.abs(tuning.frequencyHz - signal.frequencyHz) <= signal.bandwidthHz / 4 &&
    tuning.spreadingFactor === signal.spreadingFactor &&
    tuning.bandwidthHz === signal.bandwidthHz &&
    tuning.syncWord === signal.syncWord
  );
}

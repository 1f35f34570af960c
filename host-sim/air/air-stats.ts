/**
 * What the simulated air counts, per station and in total, for the simulator's reports.
 *
 * A reception above sensitivity is counted at a station that was listening to the packet (tuned to its
 * frequency, SF, bandwidth and sync word when it started) and ends in exactly one of: delivered intact,
 * lost to a collision (of which some are delivered damaged, see `deliveredCorrupt`), or lost to
 * half-duplex. Below sensitivity, see `lostBelowSensitivity`. Stations beyond the packet's horizon
 * (sim-air.ts) are not counted at all.
 *
 * Airtime is kept per carrier frequency so that a caller can sum it by a region's sub-bands
 * (hal/radio/regions.ts `subBandOf`) and compare it with their duty-cycle limits.
 * No Node APIs.
 */

export interface AirStats {
  /** Packets transmitted. */
  readonly sent: number;
  /** Time on air of those packets, ms. */
  readonly airtimeMs: number;
  /** The same airtime by carrier frequency: Hz → ms. */
  readonly airtimeByFrequencyMs: ReadonlyMap<number, number>;
  /** Receptions delivered intact. */
  readonly delivered: number;
  /**
   * Packets that reached a station within their horizon too weak to demodulate (below its sensitivity),
   * whether or not it was listening on their channel (only stations transmitting at the time are left
   * out): the one count that does not ask each station what it listens to, which for a large network
   * would cost more than the rest of the packet.
   */
  readonly lostBelowSensitivity: number;
  /** Receptions ruined by another packet, whether dropped or delivered damaged. */
  readonly lostToCollision: number;
  /**
   * Of `lostToCollision`, those delivered with `intact: false`: the interference began after the
   * receiver had locked on (past the preamble), so the chip reports a CRC error.
   */
  readonly deliveredCorrupt: number;
  /** Receptions lost because the station transmitted during them (or was transmitting on that channel). */
  readonly lostToHalfDuplex: number;
}

/** The counters behind AirStats; the air keeps one set per station name. */
export class AirCounters {
  sent = 0;
  airtimeMs = 0;
  delivered = 0;
  lostBelowSensitivity = 0;
  lostToCollision = 0;
  deliveredCorrupt = 0;
  lostToHalfDuplex = 0;
  /** Frequencies used and the airtime on each, side by side: a station uses few, and a scan beats hashing. */
  private readonly frequenciesHz: number[] = [];
  private readonly airtimesMs: number[] = [];

  addTransmission(frequencyHz: number, airtimeMs: number): void {
    this.sent++;
    this.airtimeMs += airtimeMs;
    this.addAirtime(frequencyHz, airtimeMs);
  }

  private addAirtime(frequencyHz: number, airtimeMs: number): void {
    const i = this.frequenciesHz.indexOf(frequencyHz);
    if (i >= 0) this.airtimesMs[i] += airtimeMs;
    else {
      this.frequenciesHz.push(frequencyHz);
      this.airtimesMs.push(airtimeMs);
    }
  }

  /** Airtime by carrier frequency, Hz → ms, in the order the frequencies were first used. */
  get airtimeByFrequencyMs(): Map<number, number> {
    const byFrequency = new Map<number, number>();
    this.frequenciesHz.forEach((f, i) => byFrequency.set(f, this.airtimesMs[i]));
    return byFrequency;
  }

  /** A frozen copy. */
  snapshot(): AirStats {
    return Object.freeze({
      sent: this.sent,
      airtimeMs: this.airtimeMs,
      airtimeByFrequencyMs: this.airtimeByFrequencyMs,
      delivered: this.delivered,
      lostBelowSensitivity: this.lostBelowSensitivity,
      lostToCollision: this.lostToCollision,
      deliveredCorrupt: this.deliveredCorrupt,
      lostToHalfDuplex: this.lostToHalfDuplex,
    });
  }

  /** The sum of several stations' counters. */
  static total(all: Iterable<AirCounters>): AirStats {
    const sum = new AirCounters();
    for (const c of all) {
      sum.sent += c.sent;
      sum.airtimeMs += c.airtimeMs;
      c.frequenciesHz.forEach((f, i) => sum.addAirtime(f, c.airtimesMs[i]));
      sum.delivered += c.delivered;
      sum.lostBelowSensitivity += c.lostBelowSensitivity;
      sum.lostToCollision += c.lostToCollision;
      sum.deliveredCorrupt += c.deliveredCorrupt;
      sum.lostToHalfDuplex += c.lostToHalfDuplex;
    }
    return sum.snapshot();
  }
}

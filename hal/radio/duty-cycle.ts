/**
 * The duty-cycle accountant: before each transmission the firmware asks whether the region's rules allow
 * it (frequency, power, dwell time, duty cycle), and after it books the airtime.
 *
 * Duty cycle is a rolling window (one hour, as ETSI EN 300 220 measures it): a transmission from t to
 * t + a is allowed when the airtime booked in the sub-band during [t + a − window, t + a], plus a, stays
 * within dutyCycle × window. Checking every transmission against the window that ends with it keeps
 * every window within budget, because any window's transmissions were all counted by its last one.
 *
 * Device code: time is passed in, and memory is bounded. Each sub-band with a duty cycle keeps at most
 * `maxRecords` (start, end) pairs in two Float64Arrays, allocated when the sub-band is first used; records
 * older than the window are dropped, and when the store is full the two records closest in time become
 * one record of their total airtime, placed at the end of the later one. That can only overstate the
 * airtime in a window (airtime moved later leaves the window later), so the accountant may refuse a
 * little early after many bookings, but never allows too much.
 */
import {
  assertTxPower, subBandOf, DEFAULT_ANTENNA_GAIN_DBI, type RegionPlan, type SubBand,
} from './regions.js';

export const DUTY_CYCLE_WINDOW_MS = 3_600_000;

/** A transmission as the accountant sees it. */
export interface Transmission {
  readonly frequencyHz: number;
  readonly bandwidthHz: number;
  /** Time on air, ms (hal/radio/airtime.ts). */
  readonly airtimeMs: number;
  /** Conducted power, dBm. */
  readonly txPowerDbm: number;
}

/** Why the accountant refused a transmission. */
export const Refusal = {
  /** The channel is not inside one of the region's sub-bands. */
  OutOfBand: 'out_of_band',
  /** The power, with the antenna's gain, is above the region's EIRP or conducted limit. */
  PowerTooHigh: 'power_too_high',
  /** The transmission is longer than the region's dwell time. */
  DwellTime: 'dwell_time',
  /** The sub-band's hourly budget has not enough left; see `allowedAtMs`. */
  DutyCycle: 'duty_cycle',
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

export type Verdict =
  | { readonly ok: true; readonly subBand: string }
  | {
      readonly ok: false;
      readonly reason: Refusal;
      readonly message: string;
      /** For a duty-cycle refusal: the first time (ms, integer) the same transmission will be allowed; null if never. */
      readonly allowedAtMs: number | null;
    };

export interface AccountantOptions {
  /** The hotspot's antenna gain, dBi (default 2.15, a dipole). */
  readonly antennaGainDbi?: number;
  /** The duty-cycle window, ms (default one hour). */
  readonly windowMs?: number;
  /** Records kept per sub-band before merging (default 32: 512 bytes per sub-band in use). */
  readonly maxRecords?: number;
}

/** The airtime booked in one sub-band: a bounded, time-ordered list of (start, end) pairs. */
class BandLedger {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
  }

  /** Drops records that ended at or before `cutoffMs`. */
  prune(cutoffMs: number): void {
    let keep = 0;
    while (keep < this.length && this.ends[keep] <= cutoffMs) keep++;
    if (keep === 0) return;
    this.starts.copyWithin(0, keep, this.length);
    this.ends.copyWithin(0, keep, this.length);
    this.length -= keep;
  }

  /** Airtime booked inside [fromMs, toMs] (toMs may be Infinity). */
  usedBetween(fromMs: number, toMs: number): number {
    let used = 0;
    for (let i = 0; i < this.length; i++) {
      used += Math.max(0, Math.min(this.ends[i], toMs) - Math.max(this.starts[i], fromMs));
    }
    return used;
  }

  add(startMs: number, endMs: number): void {
    if (this.length === this.starts.length) this.mergeClosest();
    let i = this.length;
    // Keep start order; bookings normally arrive in order, so this loop rarely runs.
    while (i > 0 && this.starts[i - 1] > startMs) {
      this.starts[i] = this.starts[i - 1];
      this.ends[i] = this.ends[i - 1];
      i--;
    }
    this.starts[i] = startMs;
    this.ends[i] = endMs;
    this.length++;
  }

  /**
   * Merges the two neighbours with the smallest gap into one record of their total airtime that ends
   * where the later one ends. Any window that reaches the later end holds at least as much of the merged
   * record as of the two (the airtime only moved later), so the books can overstate use, never understate it.
   */
  private mergeClosest(): void {
    let best = 0;
    let bestGap = Infinity;
    for (let i = 0; i + 1 < this.length; i++) {
      const gap = this.starts[i + 1] - this.ends[i];
      if (gap < bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    const airtime = this.ends[best] - this.starts[best] + (this.ends[best + 1] - this.starts[best + 1]);
    this.ends[best] = this.ends[best + 1];
    this.starts[best] = this.ends[best] - airtime;
    this.starts.copyWithin(best + 1, best + 2, this.length);
    this.ends.copyWithin(best + 1, best + 2, this.length);
    this.length--;
  }
}

export class DutyCycleAccountant {
  readonly region: RegionPlan;
  readonly antennaGainDbi: number;
  readonly windowMs: number;
  private readonly maxRecords: number;
  private readonly ledgers = new Map<SubBand, BandLedger>();

  constructor(region: RegionPlan, options: AccountantOptions = {}) {
    this.region = region;
    this.antennaGainDbi = options.antennaGainDbi ?? DEFAULT_ANTENNA_GAIN_DBI;
    this.windowMs = options.windowMs ?? DUTY_CYCLE_WINDOW_MS;
    this.maxRecords = options.maxRecords ?? 32;
    if (!Number.isInteger(this.windowMs) || this.windowMs <= 0) throw new RangeError(`window of ${this.windowMs} ms`);
    if (!Number.isInteger(this.maxRecords) || this.maxRecords < 2) {
      throw new RangeError(`maxRecords ${this.maxRecords} is not an integer of at least 2`);
    }
  }

  /** Whether `tx` may start at `nowMs`: ok, or the first rule it breaks. Books nothing. */
  check(tx: Transmission, nowMs: number): Verdict {
    checkTransmission(tx, nowMs);
    let band: SubBand;
    try {
      band = subBandOf(this.region, tx.frequencyHz, tx.bandwidthHz);
    } catch (error) {
      return refuse(Refusal.OutOfBand, error);
    }
    try {
      assertTxPower(this.region, tx.frequencyHz, tx.bandwidthHz, tx.txPowerDbm, this.antennaGainDbi);
    } catch (error) {
      return refuse(Refusal.PowerTooHigh, error);
    }
    const dwell = this.region.dwellTimeMs;
    if (dwell !== null && tx.airtimeMs > dwell) {
      return refuse(Refusal.DwellTime, `${round(tx.airtimeMs)} ms on air is over ${this.region.id}'s dwell time of ${dwell} ms`);
    }
    return this.checkDutyCycle(band, tx.airtimeMs, nowMs);
  }

  /** Books `tx` as sent from `startMs`. Call it for every transmission made, allowed or not. */
  record(tx: Transmission, startMs: number): void {
    checkTransmission(tx, startMs);
    const band = subBandOf(this.region, tx.frequencyHz, tx.bandwidthHz);
    if (band.dutyCycle === null) return;
    const ledger = this.ledger(band);
    ledger.prune(startMs - this.windowMs);
    ledger.add(startMs, startMs + tx.airtimeMs);
  }

  /** Airtime booked in the sub-band holding `frequencyHz` during the window that ends at `nowMs`, ms. */
  usedMs(frequencyHz: number, bandwidthHz: number, nowMs: number): number {
    const ledger = this.ledgers.get(subBandOf(this.region, frequencyHz, bandwidthHz));
    return ledger === undefined ? 0 : ledger.usedBetween(nowMs - this.windowMs, nowMs);
  }

  private checkDutyCycle(band: SubBand, airtimeMs: number, nowMs: number): Verdict {
    if (band.dutyCycle === null) return { ok: true, subBand: band.name };
    const budget = Math.round(this.windowMs * band.dutyCycle * 1000) / 1000;
    const percent = `${round(band.dutyCycle * 100)} %`;
    if (airtimeMs > budget) {
      const why = `${round(airtimeMs)} ms on air is more than the whole hourly budget of ${band.name} MHz (${percent}: ${budget} ms)`;
      return refuse(Refusal.DutyCycle, why, null);
    }
    const ledger = this.ledgers.get(band);
    if (ledger === undefined) return { ok: true, subBand: band.name };
    ledger.prune(nowMs - this.windowMs);
    // A booking still on air counts to its end: the windows after this one will hold all of it.
    const excess = ledger.usedBetween(nowMs + airtimeMs - this.windowMs, Infinity) + airtimeMs - budget;
    if (excess <= 1e-9) return { ok: true, subBand: band.name };
    const at = allowedAt(ledger, nowMs, airtimeMs, this.windowMs, budget);
    const why = `${band.name} MHz has used its ${percent} duty cycle; ${round(airtimeMs)} ms fits again at ${at} ms`;
    return refuse(Refusal.DutyCycle, why, at);
  }

  private ledger(band: SubBand): BandLedger {
    let ledger = this.ledgers.get(band);
    if (ledger === undefined) {
      ledger = new BandLedger(this.maxRecords);
      this.ledgers.set(band, ledger);
    }
    return ledger;
  }
}

/**
 * The first integer time t ≥ now (and after every booking has ended) at which a transmission of `airtime`
 * fits: the window [t + airtime − window, t + airtime] must have let enough booked airtime slide out of it.
 * From there on the window only loses bookings, so walking them in start order finds t.
 */
function allowedAt(ledger: BandLedger, nowMs: number, airtimeMs: number, windowMs: number, budgetMs: number): number {
  let from = nowMs;
  for (let i = 0; i < ledger.length; i++) from = Math.max(from, ledger.ends[i]);
  const windowStart = from + airtimeMs - windowMs;
  // Booked airtime inside the window at `from`, all of it in the past by then.
  let toShed = ledger.usedBetween(windowStart, Infinity) + airtimeMs - budgetMs;
  if (toShed <= 1e-9) return Math.ceil(from);
  for (let i = 0; i < ledger.length; i++) {
    const start = Math.max(ledger.starts[i], windowStart);
    const length = ledger.ends[i] - start;
    if (length <= 0) continue;
    if (length >= toShed) return Math.ceil(start + toShed - airtimeMs + windowMs);
    toShed -= length;
  }
  return Math.ceil(from);
}

function checkTransmission(tx: Transmission, timeMs: number): void {
  if (!Number.isFinite(timeMs)) throw new RangeError(`time ${timeMs} ms is not a number`);
  if (!Number.isFinite(tx.airtimeMs) || tx.airtimeMs <= 0) throw new RangeError(`airtime ${tx.airtimeMs} ms is not positive`);
}

function refuse(reason: Refusal, cause: unknown, allowedAtMs: number | null = null): Verdict {
  const message = cause instanceof Error ? cause.message : String(cause);
  return { ok: false, reason, message, allowedAtMs };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

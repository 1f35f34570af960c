/**
 * The beaconer: one beacon at a uniformly random time in each epoch, on the PoC channel. When is decided
 * by src/beacon-schedule.ts (epochs aligned to UTC, a uniform draw from the Rng port); without a wall time
 * the beaconer waits and asks again.
 *
 * Before sending: the duty-cycle accountant must allow it, fresh entropy must be had, and the channel
 * must be clear (listen before talk where the region's rules ask for it, channel activity detection
 * elsewhere). A refusal is retried later in the same epoch, a bounded number of times, with random
 * exponential back-off (or at the time the accountant names); an epoch that runs out is counted as
 * missed. The epoch is stored in the KeyValue store just before transmitting, so a reboot never gives
 * two beacons in one epoch. After TxDone the beacon's signed BeaconReport goes to the queue and the
 * uploader is told. The radio stays tuned to the PoC channel (src/hotspot.ts tunes it; the drivers keep
 * the settings through recoveries) and resumes reception on its own after the transmission.
 */
import { signBeacon, ENTROPY_TAG_BYTES, NONCE_BYTES } from '../proofs/beacon.js';
import { signBeaconReport } from '../proofs/beacon-report.js';
import { encodeBatchItem } from '../proofs/batch.js';
import type { Entropy } from '../proofs/entropy.js';
import type { DutyCycleAccountant, Transmission } from '../hal/radio/duty-cycle.js';
import { assessChannel } from '../hal/radio/lbt.js';
import type { LbtRule } from '../hal/radio/region-plan.js';
import type { EntropySource, RecordQueue, UploadTrigger } from './components.js';
import type { Clock, KeyValue, Log, Radio, Rng, Signer, TimerHandle } from './ports.js';
import { epochAt, latestStartMs, nextBeaconTime, readBeaconEpoch, retryDelayMs, storeBeaconEpoch } from './beacon-schedule.js';
import { uniformBelow } from './random.js';

/** What the beaconer sends on: the PoC channel as tuned. Read at every beacon, so its owner may update the power. */
export interface BeaconChannel {
  readonly frequencyHz: number;
  readonly bandwidthHz: number;
  /** Data rate code (proofs/units.ts). */
  readonly dataRate: number;
  /** Time on air of one beacon, ms. */
  readonly airtimeMs: number;
  /** The conducted power the radio is set to, dBm: what the report states. */
  readonly txPowerDbm: number;
}

export interface BeaconerOptions {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly radio: Pick<Radio, 'transmit' | 'rssi' | 'detectActivity'>;
  readonly signer: Signer;
  readonly entropy: EntropySource;
  readonly queue: RecordQueue;
  readonly uploads: UploadTrigger;
  readonly kv: KeyValue;
  readonly log: Log;
  readonly accountant: Pick<DutyCycleAccountant, 'check' | 'record'>;
  /** The region's listen-before-talk rule, or null to use channel activity detection. */
  readonly lbt: LbtRule | null;
  readonly channel: BeaconChannel;
  /** Epoch length, ms; divides 24 h (src/settings.ts checks it). */
  readonly intervalMs: number;
  /** Tries per epoch before it counts as missed. Default 8. */
  readonly maxAttempts?: number;
  /** First back-off after a refusal, ms; doubles per try (random between half and all of it). Default 15 s. */
  readonly retryBaseMs?: number;
  /** Longest back-off, ms. Default 10 min. */
  readonly retryMaxMs?: number;
  /** How long to wait before asking for the wall time again when it is unknown, ms. Default 10 s. */
  readonly noTimeRetryMs?: number;
}

/** The beaconer's counters (src/health.ts shows them). */
export interface BeaconerStats {
  sent: number;
  /** Refusals by the duty-cycle accountant (duty cycle, and any other rule of the region). */
  refusedDutyCycle: number;
  /** The channel was busy (LBT threshold or activity detected). */
  refusedBusy: number;
  /** No fresh, verified entropy could be had. */
  refusedNoEntropy: number;
  /** The radio failed: while assessing the channel, or the transmission itself. */
  refusedRadio: number;
  /** Epochs that ended without a beacon after the beaconer had picked a time in them. */
  missedEpochs: number;
  /** Beacons whose report could not be signed or stored. */
  reportFailures: number;
  /** Wall time of the last TxDone, ms; undefined before the first beacon. */
  lastBeaconWallMs: number | undefined;
  /** Wall time the next attempt is due, ms; undefined while waiting for the wall time. */
  nextBeaconWallMs: number | undefined;
}

/** Why an attempt was refused, named by the counter it adds to. */
type Refusal = 'refusedDutyCycle' | 'refusedBusy' | 'refusedNoEntropy' | 'refusedRadio';
/** A refused attempt: `retryAtMs` (Clock.now time) when known, null when the epoch is lost. */
interface Refused {
  readonly refusal: Refusal;
  readonly detail: string;
  readonly retryAtMs?: number | null;
}
type Outcome = 'sent' | 'stopped' | 'late' | Refused;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Beaconer {
  readonly stats: BeaconerStats;
  private readonly options: BeaconerOptions;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly noTimeRetryMs: number;
  private readonly onScheduleTimer: () => void;
  private readonly onAttemptTimer: () => void;
  private timer: TimerHandle | undefined;
  /** Raised by every start() and stop(), so an attempt in flight knows when it has been overtaken. */
  private generation: number;
  private running: boolean;
  /** The latest epoch beaconed in (persisted) or given up on: never beacon in it or before it. */
  private doneEpoch: number;
  private targetEpoch: number;
  private attempts: number;

  constructor(options: BeaconerOptions) {
    const { intervalMs } = options;
    if (!Number.isInteger(intervalMs) || intervalMs < 60_000 || 86_400_000 % intervalMs !== 0) {
      throw new RangeError(`beacon interval ${intervalMs} ms must be a whole number of ms of at least a minute dividing 24 h`);
    }
    this.options = options;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 15_000;
    this.retryMaxMs = options.retryMaxMs ?? 600_000;
    this.noTimeRetryMs = options.noTimeRetryMs ?? 10_000;
    this.stats = {
      sent: 0, refusedDutyCycle: 0, refusedBusy: 0, refusedNoEntropy: 0, refusedRadio: 0, missedEpochs: 0,
      reportFailures: 0, lastBeaconWallMs: undefined, nextBeaconWallMs: undefined,
    };
    this.onScheduleTimer = () => this.guarded(() => this.schedule());
    this.onAttemptTimer = () => void this.attempt().catch((error: unknown) => this.guarded(() => this.crashed(error)));
    this.timer = undefined;
    this.generation = 0;
    this.running = false;
    this.doneEpoch = readBeaconEpoch(options.kv, options.log);
    this.targetEpoch = -1;
    this.attempts = 0;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.schedule();
  }

  /** Stops scheduling; an attempt in flight finishes its transmission (if it started one) but nothing after it. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.disarm();
    this.stats.nextBeaconWallMs = undefined;
  }

  /** Runs a timer step; a fault in a port (log, rng, store) must not end the schedule. */
  private guarded(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.crashed(error);
    }
  }

  /** Schedules again later (first, in case the log is what fails), then reports the fault. */
  private crashed(error: unknown): void {
    if (this.running) this.arm(this.onScheduleTimer, this.noTimeRetryMs);
    this.options.log.write('error', 'beaconer fault', { error: messageOf(error) });
  }

  private arm(callback: () => void, delayMs: number): void {
    this.disarm();
    this.timer = this.options.clock.setTimer(callback, Math.max(0, delayMs));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.options.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The last moment in `epoch` an attempt may start, wall ms. */
  private latestStart(epoch: number): number {
    return latestStartMs(epoch, { intervalMs: this.options.intervalMs, airtimeMs: this.options.channel.airtimeMs });
  }

  /** Picks the epoch to beacon in and a uniformly random time in what is left of it, and arms the timer. */
  private schedule(): void {
    if (!this.running) return;
    const { clock, intervalMs, rng, log, channel } = this.options;
    const wall = clock.wallMs();
    this.stats.nextBeaconWallMs = undefined;
    if (wall === undefined) return this.arm(this.onScheduleTimer, this.noTimeRetryMs);
    const plan = { intervalMs, airtimeMs: channel.airtimeMs };
    const current = epochAt(wall, plan);
    if (this.doneEpoch > current + 1) {
      // Beaconed "in the future": the wall time was wrong then (a bad SNTP answer). Trust the clock now.
      log.write('warn', 'stored beacon epoch is ahead of the clock; ignored', { stored: this.doneEpoch, now: current });
      this.doneEpoch = current - 1;
    }
    const next = nextBeaconTime(wall, this.doneEpoch, plan, rng);
    this.targetEpoch = next.epoch;
    this.attempts = 0;
    this.stats.nextBeaconWallMs = next.atWallMs;
    this.arm(this.onAttemptTimer, next.atWallMs - wall);
  }

  /** Runs one try; never rejects. */
  private async attempt(): Promise<void> {
    this.timer = undefined;
    const generation = this.generation;
    const wall = this.options.clock.wallMs();
    if (wall === undefined || wall < this.targetEpoch * this.options.intervalMs) return this.schedule(); // time moved back
    if (wall > this.latestStart(this.targetEpoch)) return this.giveUp('the epoch ended before the beacon could go out');
    this.attempts++;
    let outcome: Outcome;
    try {
      outcome = await this.tryBeacon(generation);
    } catch (error) {
      outcome = { refusal: 'refusedRadio', detail: messageOf(error) };
    }
    if (generation !== this.generation || outcome === 'stopped') return;
    if (outcome === 'sent') return this.schedule();
    if (outcome === 'late') return this.giveUp('the epoch ended before the beacon could go out');
    this.stats[outcome.refusal]++;
    this.options.log.write('info', 'beacon refused', { reason: outcome.refusal, detail: outcome.detail, attempt: this.attempts });
    this.retry(outcome);
  }

  /** Arms the next try in this epoch, or gives the epoch up. */
  private retry(outcome: Refused): void {
    const { clock, rng } = this.options;
    if (outcome.retryAtMs === null) return this.giveUp(outcome.detail);
    if (this.attempts >= this.maxAttempts) return this.giveUp(`${this.attempts} attempts refused`);
    // The accountant names the first moment the airtime fits; a little jitter keeps neighbours apart.
    const delay = outcome.retryAtMs === undefined
      ? retryDelayMs(this.attempts, this.retryBaseMs, this.retryMaxMs, rng)
      : outcome.retryAtMs - clock.now() + uniformBelow(rng, this.retryBaseMs);
    const wall = clock.wallMs() as number;
    if (wall + delay > this.latestStart(this.targetEpoch)) return this.giveUp('no time left in the epoch to try again');
    this.stats.nextBeaconWallMs = wall + delay;
    this.arm(this.onAttemptTimer, delay);
  }

  private giveUp(why: string): void {
    this.stats.missedEpochs++;
    this.doneEpoch = Math.max(this.doneEpoch, this.targetEpoch);
    this.options.log.write('warn', 'beacon epoch missed', { epoch: this.targetEpoch, why });
    this.schedule();
  }

  /** One try: accountant, entropy, signature, channel, transmission, report. */
  private async tryBeacon(generation: number): Promise<Outcome> {
    const { accountant, clock, radio, lbt, channel } = this.options;
    const transmission: Transmission = {
      frequencyHz: channel.frequencyHz, bandwidthHz: channel.bandwidthHz, airtimeMs: channel.airtimeMs, txPowerDbm: channel.txPowerDbm,
    };
    // Checked first: nothing is booked between here and the transmission, and as time passes bookings
    // only leave the window, so an allowed transmission stays allowed.
    const verdict = accountant.check(transmission, clock.now());
    if (!verdict.ok) return { refusal: 'refusedDutyCycle', detail: verdict.message, retryAtMs: verdict.allowedAtMs };
    let entropy: Entropy;
    try {
      entropy = await this.options.entropy.fetch();
    } catch (error) {
      return { refusal: 'refusedNoEntropy', detail: messageOf(error) };
    }
    if (generation !== this.generation) return 'stopped';
    const frame = this.signedFrame(entropy);
    const assessment = await assessChannel(radio, clock, lbt);
    if (generation !== this.generation) return 'stopped';
    if (!assessment.clear) return { refusal: 'refusedBusy', detail: assessment.method };
    const wall = clock.wallMs();
    if (wall === undefined || wall > this.latestStart(this.targetEpoch)) return 'late';
    // Stored before transmitting, so that a reboot right after cannot beacon in this epoch again.
    this.doneEpoch = Math.max(this.doneEpoch, this.targetEpoch);
    storeBeaconEpoch(this.options.kv, this.targetEpoch, this.options.log);
    const startMs = clock.now();
    try {
      await radio.transmit(frame);
    } catch (error) {
      return { refusal: 'refusedRadio', detail: messageOf(error), retryAtMs: null }; // it may have gone out: the epoch is spent
    } finally {
      accountant.record(transmission, startMs); // booked either way: the accountant may overstate, never understate
    }
    this.sent(frame, clock.wallMs() ?? wall);
    return 'sent';
  }

  private signedFrame(entropy: Entropy): Uint8Array {
    const { signer, rng } = this.options;
    const fields = {
      beaconer: signer.publicKey,
      entropyEpoch: entropy.epoch,
      entropyTag: entropy.data.subarray(0, ENTROPY_TAG_BYTES),
      nonce: rng.bytes(NONCE_BYTES),
    };
    return signBeacon(fields, signer).frame;
  }

  /** Counts the beacon and queues its signed report. */
  private sent(frame: Uint8Array, timeMs: number): void {
    const { channel, signer, queue, uploads, log } = this.options;
    this.stats.sent++;
    this.stats.lastBeaconWallMs = timeMs;
    try {
      const report = signBeaconReport(
        { frame, frequencyHz: channel.frequencyHz, dataRate: channel.dataRate, txPowerDdbm: channel.txPowerDbm * 10, timeMs },
        signer,
      );
      queue.append(encodeBatchItem({ kind: 'beacon', report }));
      uploads.notify();
      log.write('info', 'beacon sent', { epoch: this.targetEpoch, timeMs });
    } catch (error) {
      this.stats.reportFailures++;
      log.write('error', 'beacon report not stored', { error: messageOf(error) });
    }
  }
}

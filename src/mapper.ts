/**
 * The mapper role: a covey node carried on a walk or a drive, sending signed, GPS-tagged uplinks
 * (proofs/mapper-uplink.ts) on the PoC channel for the hotspots around to witness. It neither beacons nor
 * witnesses. It keeps a signed MapperReport of every uplink it sent, which goes through the receipt queue
 * and the uploader like a hotspot's beacon reports, so the oracle learns where the mapper was heard and
 * where it was not (reference/mapping.md §6, the "mapped, no coverage" complaint).
 *
 * Every `pollMs` (1 s) it reads the GPS. When an uplink is due (src/mapper-trigger.ts: the first fix, the
 * distance moved, the time since the last) it sends the way the beaconer does (src/beaconer.ts): the
 * duty-cycle accountant must allow the airtime, the channel must be clear (listen before talk where the
 * region asks for it, channel activity detection elsewhere), and the airtime is booked. A refusal is
 * counted and never thrown; the next try is at the next poll, or when the accountant says the airtime
 * fits, or `faultRetryMs` after a fault. Without a fix nothing is sent: each uplink the time rule asked for
 * then is counted as skipped. The counter comes from src/uplink-counter.ts and is never used twice.
 *
 * Report times are the wall time at TxDone; before SNTP has set the clock (no Wi-Fi on the walk), the
 * GPS fix's own time carried forward on the monotonic clock stands in for it.
 */
import { encodeBatchItem } from '../proofs/batch.js';
import { signMapperReport } from '../proofs/mapper-report.js';
import { hdopToDeci, signMapperUplink } from '../proofs/mapper-uplink.js';
import type { DutyCycleAccountant, Transmission } from '../hal/radio/duty-cycle.js';
import { assessChannel } from '../hal/radio/lbt.js';
import type { LbtRule } from '../hal/radio/region-plan.js';
import type { BeaconChannel } from './beaconer.js';
import type { RecordQueue, UploadTrigger } from './components.js';
import { freshStack } from './fresh-stack.js';
import { uplinkTrigger, usableFix, type LastUplink, type UplinkRules, type UplinkTrigger } from './mapper-trigger.js';
import type { Clock, Gps, GpsFix, KeyValue, Log, LogLevel, Radio, Signer, TimerHandle } from './ports.js';
import { UplinkCounter } from './uplink-counter.js';

/** The PoC channel as the mapper sends on it; `airtimeMs` is one uplink's. Read at every uplink. */
export type UplinkChannel = BeaconChannel;

export interface MapperOptions extends UplinkRules {
  readonly clock: Clock;
  readonly gps: Gps;
  readonly radio: Pick<Radio, 'transmit' | 'rssi' | 'detectActivity'>;
  readonly signer: Signer;
  readonly queue: RecordQueue;
  readonly uploads: UploadTrigger;
  /** Holds the uplink counter's reservation. */
  readonly kv: KeyValue;
  readonly log: Log;
  readonly accountant: Pick<DutyCycleAccountant, 'check' | 'record'>;
  /** The region's listen-before-talk rule, or null to use channel activity detection. */
  readonly lbt: LbtRule | null;
  readonly channel: UplinkChannel;
  /** How often the GPS is read, ms. Default 1,000 (a GNSS receiver's usual fix rate). */
  readonly pollMs?: number;
  /** The wait after a radio or counter fault before trying again, ms. Default 10,000. */
  readonly faultRetryMs?: number;
  /** Counters reserved per write of the KeyValue store (src/uplink-counter.ts). Default 64. */
  readonly counterBlock?: number;
}

/** The mapper's counters (src/health.ts shows them). */
export interface MapperStats {
  /** Uplinks transmitted (TxDone) since boot. */
  sent: number;
  /** Uplinks the time rule asked for while there was no usable fix. */
  skippedNoFix: number;
  /** Refusals by the duty-cycle accountant. */
  refusedDutyCycle: number;
  /** The channel was busy (LBT threshold or activity detected). */
  refusedBusy: number;
  /** The radio failed: while assessing the channel, or the transmission itself. */
  refusedRadio: number;
  /** No counter could be had: its reservation was not stored, the stored one is unreadable, or all are used. */
  refusedCounter: number;
  /** Uplinks whose report could not be signed or stored. */
  reportFailures: number;
  /** The counter of the last uplink transmitted; undefined before the first. */
  lastCounter: number | undefined;
  /** Wall time of the last TxDone, ms; undefined before the first uplink. */
  lastUplinkWallMs: number | undefined;
}

type Refusal = 'refusedDutyCycle' | 'refusedBusy' | 'refusedRadio' | 'refusedCounter';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class Mapper {
  readonly stats: MapperStats;
  private readonly options: MapperOptions;
  private readonly counter: UplinkCounter;
  private readonly pollMs: number;
  private readonly faultRetryMs: number;
  private readonly onTick: () => void;
  private timer: TimerHandle | undefined;
  /** Raised by every start() and stop(), so an uplink in flight knows when it has been overtaken. */
  private generation: number;
  private running: boolean;
  /** An uplink is being sent: polls wait for it. */
  private sending: boolean;
  /** No try before this Clock.now time: when the accountant allows the airtime, or after a fault. */
  private holdUntilMs: number;
  private last: LastUplink | undefined;
  /** When the last uplink skipped for want of a fix was counted (Clock.now). */
  private lastSkipMs: number | undefined;
  /** The last usable fix read. */
  private latest: GpsFix | undefined;
  private gpsFailing: boolean;

  /** Reads the counter's reservation from the KeyValue store; touches neither the GPS nor the radio. */
  constructor(options: MapperOptions) {
    const { minDistanceM, maxIntervalMs } = options;
    if (!(minDistanceM > 0) || !Number.isInteger(maxIntervalMs) || maxIntervalMs < 1) {
      throw new RangeError(`mapper rules of ${minDistanceM} m and ${maxIntervalMs} ms`);
    }
    this.options = options;
    this.counter = new UplinkCounter(options.kv, options.counterBlock);
    this.pollMs = options.pollMs ?? 1_000;
    this.faultRetryMs = options.faultRetryMs ?? 10_000;
    this.stats = {
      sent: 0, skippedNoFix: 0, refusedDutyCycle: 0, refusedBusy: 0, refusedRadio: 0, refusedCounter: 0, reportFailures: 0,
      lastCounter: undefined, lastUplinkWallMs: undefined,
    };
    this.onTick = () => this.tick();
    this.timer = undefined;
    this.generation = 0;
    this.running = false;
    this.sending = false;
    this.holdUntilMs = -Infinity;
    this.last = undefined;
    this.lastSkipMs = undefined;
    this.latest = undefined;
    this.gpsFailing = false;
  }

  /** Starts reading the GPS; the first poll is at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation++;
    this.timer = this.options.clock.setTimer(this.onTick, 0);
  }

  /** Stops polling; an uplink in flight finishes its transmission (if it started one) and its report. */
  stop(): void {
    this.running = false;
    this.generation++;
    if (this.timer !== undefined) this.options.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** The last usable position read from the GPS, degrees × 10^7, or undefined before the first fix. */
  position(): { readonly latE7: number; readonly lonE7: number } | undefined {
    const fix = this.latest;
    return fix === undefined ? undefined : { latE7: Math.round(fix.latE7), lonE7: Math.round(fix.lonE7) };
  }

  /** One poll; re-armed first, so a fault in a port (GPS, log, store) cannot end the polling. */
  private tick(): void {
    if (!this.running) return;
    this.timer = this.options.clock.setTimer(this.onTick, this.pollMs);
    try {
      this.poll();
    } catch (error) {
      this.safeLog('error', 'mapper fault', { error: messageOf(error) });
    }
  }

  private poll(): void {
    const now = this.options.clock.now();
    if (this.sending || now < this.holdUntilMs) return;
    const fix = this.readFix();
    if (fix === undefined) return this.noFix(now);
    this.latest = fix;
    const trigger = uplinkTrigger(fix, this.last, now, this.options);
    if (trigger === undefined) return;
    this.sending = true;
    const generation = this.generation;
    // Signing takes about half the device's XS stack (src/fresh-stack.ts): it starts from a promise job
    // of its own, not on top of the timer callback.
    freshStack()
      .then(() => this.send(fix, now, trigger, generation))
      .catch((error: unknown) => this.safeLog('error', 'mapper fault', { error: messageOf(error) }))
      .finally(() => {
        this.sending = false;
      });
  }

  /** The GPS's fix if usable; a receiver that throws has no fix (said once per outage). */
  private readFix(): GpsFix | undefined {
    let fix: GpsFix | undefined;
    try {
      fix = this.options.gps.fix();
    } catch (error) {
      if (!this.gpsFailing) this.safeLog('warn', 'GPS receiver failed', { error: messageOf(error) });
      this.gpsFailing = true;
      return undefined;
    }
    this.gpsFailing = false;
    return usableFix(fix);
  }

  /** Counts an uplink the time rule asks for (once per interval, from the last uplink or skip) as skipped. */
  private noFix(now: number): void {
    const since = Math.max(this.last?.atMs ?? -Infinity, this.lastSkipMs ?? -Infinity);
    if (since !== -Infinity && now - since < this.options.maxIntervalMs) return;
    this.stats.skippedNoFix++;
    this.lastSkipMs = now;
    this.safeLog('debug', 'mapper uplink skipped: no GPS fix', {});
  }

  /** One uplink: accountant, counter, signature, channel, transmission, report. Resolves whatever happens. */
  private async send(fix: GpsFix, readAtMs: number, trigger: UplinkTrigger, generation: number): Promise<void> {
    const { accountant, clock, radio, lbt, channel, signer } = this.options;
    const transmission: Transmission = {
      frequencyHz: channel.frequencyHz, bandwidthHz: channel.bandwidthHz, airtimeMs: channel.airtimeMs, txPowerDbm: channel.txPowerDbm,
    };
    const verdict = accountant.check(transmission, clock.now());
    if (!verdict.ok) return this.refused('refusedDutyCycle', verdict.message, verdict.allowedAtMs ?? clock.now() + this.faultRetryMs);
    let counter: number;
    try {
      counter = this.counter.peek();
    } catch (error) {
      return this.refused('refusedCounter', messageOf(error), clock.now() + this.faultRetryMs, 'error');
    }
    const { frame } = signMapperUplink({
      mapper: signer.publicKey, latE7: Math.round(fix.latE7), lonE7: Math.round(fix.lonE7), altitudeM: fix.altitudeM,
      hdopDeci: hdopToDeci(fix.hdop), satellites: fix.satellites, counter,
    }, signer);
    let clear: boolean;
    try {
      // The radio driver's channel check runs deep (about 220 slots, measured with the emulated chips in
      // covey-xs): it starts from a fresh job too, not on top of this function's caller.
      await freshStack();
      clear = (await assessChannel(radio, clock, lbt)).clear;
    } catch (error) {
      return this.refused('refusedRadio', messageOf(error), clock.now() + this.faultRetryMs);
    }
    if (generation !== this.generation) return;
    if (!clear) return this.refused('refusedBusy', lbt === null ? 'cad' : 'lbt'); // tried again at the next poll
    this.counter.consume(); // from here the frame may be on air: its counter is spent whatever happens
    const startMs = clock.now();
    try {
      await radio.transmit(frame);
    } catch (error) {
      if (generation === this.generation) this.refused('refusedRadio', messageOf(error), clock.now() + this.faultRetryMs);
      return;
    } finally {
      accountant.record(transmission, startMs); // booked either way: the accountant may overstate, never understate
    }
    this.sent(frame, fix, readAtMs, counter, trigger);
  }

  private refused(refusal: Refusal, detail: string, retryAtMs?: number, level: LogLevel = 'info'): void {
    this.stats[refusal]++;
    if (retryAtMs !== undefined) this.holdUntilMs = retryAtMs;
    this.safeLog(level, 'mapper uplink refused', { reason: refusal, detail });
  }

  /** Counts the uplink and queues its signed report. */
  private sent(frame: Uint8Array, fix: GpsFix, readAtMs: number, counter: number, trigger: UplinkTrigger): void {
    const { clock, channel, signer, queue, uploads } = this.options;
    const timeMs = clock.wallMs() ?? fix.timeMs + (clock.now() - readAtMs);
    // Timed from the poll that sent it, so a mapper standing still sends every maxIntervalMs exactly.
    this.last = { latE7: Math.round(fix.latE7), lonE7: Math.round(fix.lonE7), atMs: readAtMs };
    this.stats.sent++;
    this.stats.lastCounter = counter;
    this.stats.lastUplinkWallMs = timeMs;
    try {
      const report = signMapperReport(
        { frame, frequencyHz: channel.frequencyHz, dataRate: channel.dataRate, txPowerDdbm: channel.txPowerDbm * 10, timeMs },
        signer,
      );
      queue.append(encodeBatchItem({ kind: 'mapper', report }));
      uploads.notify();
      this.safeLog('info', 'mapper uplink sent', { counter, trigger, timeMs });
    } catch (error) {
      this.stats.reportFailures++;
      this.safeLog('error', 'mapper report not stored', { error: messageOf(error) });
    }
  }

  /** A log that throws must not take the mapper down with it. */
  private safeLog(level: LogLevel, message: string, fields: Readonly<Record<string, string | number | boolean>>): void {
    try {
      this.options.log.write(level, message, fields);
    } catch {
      // Nothing left to tell it to.
    }
  }
}

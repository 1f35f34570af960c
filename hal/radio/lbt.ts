/**
 * Listen before talk: is the PoC channel free to transmit on?
 *
 * Where a region has an LBT rule (KR920: −65 dBm over 6 ms; AS923_1: Japan's −80 dBm over 5 ms), the
 * channel is sampled with the radio's instantaneous RSSI from the start of the listening time to its
 * end, one sample every `sampleIntervalMs` and one at the very end; it is clear only if every sample is
 * below the threshold (the first busy sample ends the listening early). The listening time is measured
 * on the Clock, so it is never shorter than the rule asks, however late the timers fire.
 *
 * Elsewhere there is no power threshold to meet, but talking over another LoRa frame on the same channel
 * loses both; channel activity detection (CAD) finds a preamble of the configured spreading factor.
 *
 * The radio must be tuned to the channel and receiving (so that `rssi()` measures it) before listening.
 */
import type { Clock, Radio } from '../../src/ports.js';
import type { LbtRule } from './region-plan.js';

export interface ListenResult {
  readonly clear: boolean;
  /** RSSI samples taken. */
  readonly samples: number;
  /** The strongest sample, dBm. */
  readonly maxRssiDbm: number;
  /** From the first sample to the last, ms, on the Clock. */
  readonly listenedMs: number;
}

export interface ChannelAssessment {
  readonly clear: boolean;
  /** 'lbt' when the region's rule was applied, 'cad' when channel activity detection was used. */
  readonly method: 'lbt' | 'cad';
  /** The listening details when `method` is 'lbt'. */
  readonly listen?: ListenResult;
}

export interface ListenOptions {
  /** Time between RSSI samples, ms (default 1: the Clock's resolution). */
  readonly sampleIntervalMs?: number;
}

/**
 * Samples the channel for `rule.listenMs`. Resolves with clear = true only if every sample was below
 * `rule.thresholdDbm`. Rejects if the radio throws or returns something that is not a power in dBm.
 */
export function listenBeforeTalk(
  radio: Pick<Radio, 'rssi'>,
  clock: Clock,
  rule: LbtRule,
  options: ListenOptions = {},
): Promise<ListenResult> {
  const interval = options.sampleIntervalMs ?? 1;
  if (!(interval > 0) || !Number.isFinite(interval)) throw new RangeError(`sample interval ${interval} ms is not positive`);
  if (!(rule.listenMs >= 0) || !Number.isFinite(rule.thresholdDbm)) throw new RangeError('LBT rule needs a threshold and a listening time');
  return new Promise((resolve, reject) => {
    const start = clock.now();
    let samples = 0;
    let maxRssiDbm = -Infinity;
    // Timer-driven rather than async, so a virtual clock can run the whole listening time in one go.
    const sample = (): void => {
      let rssi: number;
      try {
        rssi = radio.rssi();
      } catch (error) {
        reject(error);
        return;
      }
      if (typeof rssi !== 'number' || !Number.isFinite(rssi)) {
        reject(new RangeError(`the radio reported an RSSI of ${String(rssi)}`));
        return;
      }
      samples++;
      maxRssiDbm = Math.max(maxRssiDbm, rssi);
      const listenedMs = clock.now() - start;
      if (rssi >= rule.thresholdDbm) return resolve({ clear: false, samples, maxRssiDbm, listenedMs });
      if (listenedMs >= rule.listenMs) return resolve({ clear: true, samples, maxRssiDbm, listenedMs });
      clock.setTimer(sample, Math.min(interval, rule.listenMs - listenedMs));
    };
    sample();
  });
}

/** Channel activity detection: clear when the radio finds no LoRa preamble of its configured spreading factor. */
export async function activityClear(radio: Pick<Radio, 'detectActivity'>): Promise<boolean> {
  return !(await radio.detectActivity());
}

/**
 * Is the channel clear to talk? The region's LBT rule when it has one (a legal requirement there), CAD
 * otherwise (courtesy: it avoids talking over LoRa traffic of the same spreading factor).
 */
export async function assessChannel(
  radio: Pick<Radio, 'rssi' | 'detectActivity'>,
  clock: Clock,
  rule: LbtRule | null,
  options: ListenOptions = {},
): Promise<ChannelAssessment> {
  if (rule === null) return { clear: await activityClear(radio), method: 'cad' };
  const listen = await listenBeforeTalk(radio, clock, rule, options);
  return { clear: listen.clear, method: 'lbt', listen };
}

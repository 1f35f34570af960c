/**
 * When to beacon: the epoch arithmetic and the random draw, apart from the timers and the radio so they
 * can be reasoned about (and tested) with a given time and random source.
 *
 * Epochs are `intervalMs` long and aligned to UTC: epoch n covers wall time [n·interval, (n+1)·interval),
 * the bucket the oracle checks beacons against (one per hotspot per epoch). Like Helium's
 * `mk_next_beacon_time` (reference/poc.md §2, "Schedule"), the time is drawn uniformly over what is left
 * of the epoch, all of it in steady state.
 */
import type { KeyValue, Log, Rng } from './ports.js';
import { uniformBelow } from './random.js';

/** Room left at the end of an epoch after the airtime, so TxDone falls inside it even when signing is slow, ms. */
export const EPOCH_END_MARGIN_MS = 5_000;

export interface EpochPlan {
  readonly intervalMs: number;
  /** Time on air of one beacon, ms. */
  readonly airtimeMs: number;
}

export function epochAt(wallMs: number, plan: EpochPlan): number {
  return Math.floor(wallMs / plan.intervalMs);
}

/** The last wall time in `epoch` at which a beacon may start, ms. */
export function latestStartMs(epoch: number, plan: EpochPlan): number {
  return (epoch + 1) * plan.intervalMs - Math.ceil(plan.airtimeMs) - EPOCH_END_MARGIN_MS;
}

/**
 * The epoch to beacon in and the wall time to try at: the first epoch after `doneEpoch` (the last one
 * beaconed in or given up) that still has room at `wallMs`, at a uniformly random time in what is left of it.
 */
export function nextBeaconTime(wallMs: number, doneEpoch: number, plan: EpochPlan, rng: Rng): { epoch: number; atWallMs: number } {
  let epoch = Math.max(epochAt(wallMs, plan), doneEpoch + 1);
  if (Math.max(wallMs, epoch * plan.intervalMs) >= latestStartMs(epoch, plan)) epoch++; // too late in this one
  const from = Math.max(wallMs, epoch * plan.intervalMs);
  return { epoch, atWallMs: from + uniformBelow(rng, latestStartMs(epoch, plan) - from) };
}

/** The wait before the try after refused try `attempt` (1, 2, …): doubling from `baseMs` up to `maxMs`, drawn between half and all of it. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, rng: Rng): number {
  const backoff = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(backoff / 2) + uniformBelow(rng, Math.ceil(backoff / 2));
}

/** The KeyValue key of the last epoch beaconed in: what keeps a reboot from beaconing twice in one epoch. */
export const BEACON_EPOCH_KEY = 'beaconEpoch';

/** The last epoch beaconed in, as stored; -1 when none is (or the value is unreadable, which is logged). */
export function readBeaconEpoch(kv: KeyValue, log: Log): number {
  const value = kv.get(BEACON_EPOCH_KEY);
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) return Number(value);
  if (value !== undefined) log.write('warn', 'stored beacon epoch unreadable; ignored', { key: BEACON_EPOCH_KEY });
  return -1;
}

/** Stores the epoch about to be beaconed in. A store that fails is logged: only a reboot could then repeat it. */
export function storeBeaconEpoch(kv: KeyValue, epoch: number, log: Log): void {
  try {
    kv.set(BEACON_EPOCH_KEY, String(epoch));
  } catch (error) {
    log.write('warn', 'could not store the beacon epoch', { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Health: the hotspot's counters as one status object (`Hotspot.status()`), the compact status line
 * logged every `statusIntervalMs` (docs/firmware.md, "The status line", explains every field), and the
 * timer that logs it. The counters themselves live in the parts that count (beaconer, witness, queue,
 * uploader, radio driver); a status is a copy taken when asked for, so nothing here grows.
 */
import type { BeaconerStats } from './beaconer.js';
import type { Clock, Log, RadioStats, TimerHandle } from './ports.js';
import type { WitnessStats } from './witness.js';

export interface ReceiptCounters {
  /** Records stored in the queue since boot: witness receipts and beacon reports. */
  readonly queued: number;
  /** Records the oracle acknowledged (stored, duplicate or rejected) and the queue forgot. */
  readonly uploaded: number;
  /** Of those, the ones the oracle rejected (logged with their reason). */
  readonly rejected: number;
  /** Records the queue dropped unsent because it was full (oldest first). */
  readonly dropped: number;
}

export interface Status {
  /** The hotspot's address ("cv…") and short name. */
  readonly hotspot: string;
  readonly name: string;
  readonly region: string;
  /** Since `start()`, ms. */
  readonly uptimeMs: number;
  /** Wall time now, ms since the Unix epoch; undefined until it is known. */
  readonly wallMs: number | undefined;
  readonly beacons: Readonly<BeaconerStats>;
  readonly frames: Readonly<WitnessStats>;
  readonly receipts: ReceiptCounters;
  /** Records waiting in the queue. */
  readonly queueSize: number;
  /** Wall time of the last upload the oracle answered with an ack, ms; undefined before the first. */
  readonly lastUploadWallMs: number | undefined;
  readonly radio: Readonly<Pick<RadioStats, 'txPackets' | 'rxPackets' | 'crcErrors' | 'recoveries'>>;
}

/** "45s", "12m30s", "4h05m", "3d02h": two units at most, for a human glancing at a log. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  const s = Math.floor(ms / 1000);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor((s % 86_400) / 3600))}h`;
}

/** How long ago (or, for `until`, how long until) a wall time was, or '-' when either is unknown. */
function age(wallMs: number | undefined, thenMs: number | undefined, until = false): string {
  if (wallMs === undefined || thenMs === undefined) return '-';
  return formatDuration(until ? thenMs - wallMs : wallMs - thenMs);
}

/** The status line's fields, in print order (src/log.ts formatFields prints them as key=value). */
export function statusFields(status: Status): Record<string, string | number> {
  const { beacons: b, frames: f, receipts: r, wallMs } = status;
  return {
    up: formatDuration(status.uptimeMs),
    clock: wallMs === undefined ? 'unset' : 'ok',
    beacons: b.sent,
    refused: `${b.refusedDutyCycle}/${b.refusedBusy}/${b.refusedNoEntropy}/${b.refusedRadio}`,
    missed: b.missedEpochs,
    last_beacon: age(wallMs, b.lastBeaconWallMs),
    next_beacon: age(wallMs, b.nextBeaconWallMs, true),
    heard: f.heard,
    covey: f.heard - f.crcErrors - f.nonCovey,
    witnessed: f.receipts,
    crc: f.crcErrors,
    bad: f.malformed + f.unsupported,
    dup: f.duplicates,
    own: f.own,
    forged: f.forged,
    no_time: f.noTime,
    queued: r.queued,
    uploaded: r.uploaded,
    rejected: r.rejected,
    dropped: r.dropped,
    queue: status.queueSize,
    last_upload: age(wallMs, status.lastUploadWallMs),
    recoveries: status.radio.recoveries,
  };
}

/** Logs the status line every `intervalMs` while started. */
export class StatusReporter {
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly intervalMs: number;
  private readonly status: () => Status;
  private readonly tick: () => void;
  private timer: TimerHandle | undefined;

  constructor(options: { clock: Clock; log: Log; intervalMs: number; status: () => Status }) {
    this.clock = options.clock;
    this.log = options.log;
    this.intervalMs = options.intervalMs;
    this.status = options.status;
    this.timer = undefined;
    this.tick = () => {
      this.timer = this.clock.setTimer(this.tick, this.intervalMs);
      this.report();
    };
  }

  /** Logs the line now, at info level. */
  report(): void {
    try {
      this.log.write('info', 'status', statusFields(this.status()));
    } catch {
      // A failing status must never stop the hotspot; the next tick tries again.
    }
  }

  start(): void {
    if (this.timer !== undefined || this.intervalMs <= 0) return;
    this.timer = this.clock.setTimer(this.tick, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}

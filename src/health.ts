/**
 * Health: the hotspot's counters as one status object (`Hotspot.status()`), the compact status line
 * logged every `statusIntervalMs` (docs/firmware.md, "The status line", explains every field), and the
 * timer that logs it. The counters themselves live in the parts that count (beaconer, witness, mapper,
 * queue, uploader, radio driver); a status is a copy taken when asked for, so nothing here grows.
 */
import type { BeaconerStats } from './beaconer.js';
import type { MapperStats } from './mapper.js';
import type { Clock, Log, RadioStats, TimerHandle } from './ports.js';
import type { UplinkHearingStats, WitnessStats } from './witness.js';

export interface ReceiptCounters {
  /** Records stored in the queue since boot: receipts and reports. */
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
  /** A hotspot's: of `frames`, the mapper uplinks witnessed and dropped as forged. Absent for a mapper. */
  readonly mapperUplinks?: Readonly<UplinkHearingStats>;
  /** A mapper's uplink counters; present only in the mapper role (whose `beacons` and `frames` stay 0). */
  readonly mapper?: Readonly<MapperStats>;
}

/** The beaconer's counters for a device that does not beacon (the mapper role). */
export const NO_BEACONS: Readonly<BeaconerStats> = Object.freeze({
  sent: 0, refusedDutyCycle: 0, refusedBusy: 0, refusedNoEntropy: 0, refusedRadio: 0, missedEpochs: 0, reportFailures: 0,
  lastBeaconWallMs: undefined, nextBeaconWallMs: undefined,
});

/** The witness's counters for a device that does not listen (the mapper role). */
export const NO_FRAMES: Readonly<WitnessStats> = Object.freeze({
  heard: 0, crcErrors: 0, nonCovey: 0, unsupported: 0, malformed: 0, own: 0, duplicates: 0, noTime: 0, forged: 0, failed: 0, receipts: 0,
});

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
  const { beacons: b, frames: f, wallMs } = status;
  if (status.mapper !== undefined) return { ...mapperFields(status, status.mapper), ...queueFields(status) };
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
    ...queueFields(status),
  };
}

/** The mapper's line starts with its uplinks instead of beacons and frames. */
function mapperFields(status: Status, m: Readonly<MapperStats>): Record<string, string | number> {
  return {
    up: formatDuration(status.uptimeMs),
    clock: status.wallMs === undefined ? 'unset' : 'ok',
    uplinks: m.sent,
    no_fix: m.skippedNoFix,
    refused: `${m.refusedDutyCycle}/${m.refusedBusy}/${m.refusedRadio}/${m.refusedCounter}`,
    counter: m.lastCounter ?? '-',
    last_uplink: age(status.wallMs, m.lastUplinkWallMs),
  };
}

/** The fields every role ends its line with: the queue, the uploads and the radio. */
function queueFields(status: Status): Record<string, string | number> {
  const { receipts: r, wallMs } = status;
  return {
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

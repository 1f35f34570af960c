/**
 * A Log port (src/ports.ts) that keeps no lines, only how many were written at each level, and the
 * latest error: for long simulated runs, where keeping every line would grow without bound. No Node
 * APIs: the XS tier loads it.
 */
import type { Log, LogLevel } from '../../src/ports.js';

export class CountingLog implements Log {
  readonly counts: Record<LogLevel, number>;
  /** The message of the latest error and warning lines, if any (the message only: fields are not kept). */
  lastError: string | undefined;
  lastWarning: string | undefined;

  constructor() {
    this.counts = { error: 0, warn: 0, info: 0, debug: 0 };
    this.lastError = undefined;
    this.lastWarning = undefined;
  }

  write(level: LogLevel, message: string): void {
    this.counts[level]++;
    if (level === 'error') this.lastError = message;
    else if (level === 'warn') this.lastWarning = message;
  }
}

/**
 * The Log port (src/ports.ts) on XS's global `trace`, which Moddable sends to the serial console (or to
 * xsbug while debugging). One line per event, as src/log.ts formats it: `level message key=value …`;
 * `trace` adds no newline, so the line ends here. Levels are filtered and secret fields redacted by
 * `filterLog` (src/log.ts), which the Hotspot and the entry point put in front of this. hal/moddable/boot.ts
 * hands it a function that writes through the serial console (hal/moddable/console.ts) once that is open.
 */
import { formatLogLine } from '../runtime.js';
import type { Log, LogLevel } from '../../src/ports.js';
import type { TraceFunction } from './moddable-api.js';

export class TraceLog implements Log {
  private readonly trace: TraceFunction;

  constructor(trace: TraceFunction) {
    this.trace = trace;
  }

  write(level: LogLevel, message: string, fields?: Readonly<Record<string, string | number | boolean>>): void {
    // A log line is one line: a message or value with a line break would forge the next one.
    this.trace(`${formatLogLine(level, message.replace(/[\r\n]+/g, ' '), fields).replace(/[\r\n]+/g, ' ')}\n`);
  }
}

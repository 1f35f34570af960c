/**
 * Logging for the runtime: a level filter in front of the Log port, and the compact `key=value` line
 * format that log sinks (the device's serial console, the simulator's output) and the status line use.
 * Nothing here holds state beyond the level chosen at construction, so many hotspots can log side by side.
 */
import type { Log, LogLevel } from './ports.js';

/** The levels, most severe first: a log at level L writes messages of L and every level before it. */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Field names whose values are never written, whatever the caller passes: a last guard behind the rule
 * that secrets are never given to a log (src/identity.ts, the Wi-Fi password in src/settings.ts).
 */
const SECRET_FIELDS: readonly string[] = ['password', 'seed', 'secret', 'secretKey', 'privateKey'];
export const REDACTED = '(redacted)';

type Fields = Readonly<Record<string, string | number | boolean>>;

/**
 * `fields`, or a copy with the secret ones redacted. It walks the fields given rather than looking each
 * secret name up: on XS, looking up a name no code uses creates a property key, which is never freed.
 */
function redacted(fields: Fields): Fields {
  let copy: Record<string, string | number | boolean> | undefined;
  for (const name in fields) {
    if (!SECRET_FIELDS.includes(name) || fields[name] === undefined) continue;
    copy ??= { ...fields };
    copy[name] = REDACTED;
  }
  return copy ?? fields;
}

/** A Log that passes on messages at `level` or more severe, and nothing else. */
export function filterLog(log: Log, level: LogLevel): Log {
  const rank = LOG_LEVELS.indexOf(level);
  if (rank < 0) throw new RangeError(`log level ${String(level)} is not one of ${LOG_LEVELS.join(', ')}`);
  return {
    write(messageLevel, message, fields) {
      if (LOG_LEVELS.indexOf(messageLevel) > rank) return;
      log.write(messageLevel, message, fields === undefined ? undefined : redacted(fields));
    },
  };
}

/** A value as it stands after `=`: quoted (JSON style) only when it holds a space, a quote, `=` or nothing. */
function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return text === '' || /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** `key=value key=value …` in the fields' own order. */
export function formatFields(fields: Fields): string {
  let line = '';
  for (const key of Object.keys(fields)) {
    line += `${line === '' ? '' : ' '}${key}=${formatValue(fields[key])}`;
  }
  return line;
}

/** One log line as covey's sinks print it: `level message key=value …`. */
export function formatLogLine(level: LogLevel, message: string, fields?: Fields): string {
  const rest = fields === undefined ? '' : formatFields(fields);
  return rest === '' ? `${level} ${message}` : `${level} ${message} ${rest}`;
}

/**
 * The walk log as a mapper's console prints it. Asked `covey walk-log`, the device answers with zero or
 * more lines `covey-walk <hex>` (lower-case hex of one MapperReport's canonical CBOR) and then one line
 * `covey-walk-end <count>`. Lines end with \n or \r\n. Anything else on the console is the device's own
 * log output and is ignored, so the same reader serves a live port and a capture saved by another tool.
 *
 * This module only splits and sorts lines; whether a report line holds a sound report is decided later
 * (import.ts), so a damaged line is refused and counted there instead of disappearing here.
 */

/** What the tool sends to ask for the log. */
export const WALK_LOG_COMMAND = 'covey walk-log\n';

const REPORT_PREFIX = 'covey-walk ';
const END_PREFIX = 'covey-walk-end';
const END_LINE = /^covey-walk-end (\d{1,9})$/;

/**
 * A MapperReport is about 200 bytes, 400 hex digits. A line far longer than that is not one; it is kept
 * only up to this length so that a console spewing bytes without a newline cannot fill the memory.
 */
export const MAX_LINE_CHARS = 4096;

/** One `covey-walk` line: where it was and what followed the prefix. */
export interface WalkLogLine {
  /** 1-based line number in what was read (for a file, its line number). */
  readonly line: number;
  /** The text after `covey-walk `, unchecked. */
  readonly hex: string;
}

export interface WalkLog {
  /** The report lines in the order they arrived. */
  readonly reports: readonly WalkLogLine[];
  /** The count the device gave on its `covey-walk-end` line. */
  readonly declaredCount: number;
  /** Console lines that were neither (the device's log output, the echoed command). */
  readonly ignoredLines: number;
}

/** The conversation with the device went wrong: no end line, a broken end line, a port that failed. */
export class WalkLogError extends Error {
  override get name(): string {
    return 'WalkLogError';
  }
}

/**
 * Reads console output fed in chunks of any size. Bytes are taken as Latin-1, one character each, so
 * a chunk boundary can never split a character; report lines are ASCII anyway.
 */
export class WalkLogParser {
  private readonly lines: WalkLogLine[] = [];
  private pending = '';
  private overlong = false;
  private lineNumber = 0;
  private ignored = 0;
  private declared: number | undefined;

  /** Report lines seen so far. */
  get reportCount(): number {
    return this.lines.length;
  }

  /** The finished log once the end line has been read; undefined before. */
  get log(): WalkLog | undefined {
    if (this.declared === undefined) return undefined;
    return { reports: this.lines, declaredCount: this.declared, ignoredLines: this.ignored };
  }

  /** Feeds console bytes. Everything after the end line is ignored. */
  push(chunk: Uint8Array): void {
    let text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    while (this.declared === undefined) {
      const newline = text.indexOf('\n');
      this.append(newline < 0 ? text : text.slice(0, newline));
      if (newline < 0) return;
      text = text.slice(newline + 1);
      this.finishLine();
    }
  }

  /** The log, taking an unterminated last line as a line: for a file, which may lack a final newline. */
  finish(): WalkLog {
    if (this.declared === undefined && (this.pending !== '' || this.overlong)) this.finishLine();
    const log = this.log;
    if (log === undefined) {
      throw new WalkLogError(`no covey-walk-end line: ${this.lines.length} report line(s), the log is cut short`);
    }
    return log;
  }

  private append(text: string): void {
    if (this.overlong) return;
    this.pending += text;
    if (this.pending.length > MAX_LINE_CHARS) {
      this.pending = this.pending.slice(0, MAX_LINE_CHARS);
      this.overlong = true;
    }
  }

  private finishLine(): void {
    const text = this.pending.endsWith('\r') && !this.overlong ? this.pending.slice(0, -1) : this.pending;
    const overlong = this.overlong;
    this.pending = '';
    this.overlong = false;
    this.lineNumber++;
    if (text.startsWith(REPORT_PREFIX)) {
      // An overlong report line is kept, cut and marked, so that it is refused and counted rather than lost.
      const hex = text.slice(REPORT_PREFIX.length);
      this.lines.push({ line: this.lineNumber, hex: overlong ? `${hex}…` : hex });
    } else if (text.startsWith(END_PREFIX)) {
      const match = END_LINE.exec(text);
      if (match === null) throw new WalkLogError(`line ${this.lineNumber}: "${printable(text)}" is not "covey-walk-end <count>"`);
      this.declared = Number(match[1]);
    } else {
      this.ignored++;
    }
  }
}

/** Reads a whole capture (a file, standard input) as one conversation. */
export function parseWalkLog(bytes: Uint8Array): WalkLog {
  const parser = new WalkLogParser();
  parser.push(bytes);
  return parser.finish();
}

/** Text safe to put in a one-line message: control characters shown as '?', and not too long. */
export function printable(text: string, max = 40): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * How `covey monitor` shows what it reads. On a terminal: a panel with the latest status line decoded,
 * kept at the top of the screen (a scroll region below it holds the log), error lines in red and warnings
 * in yellow unless NO_COLOR is set. Elsewhere (a pipe, a file): each line as read, and under each status
 * line its decoded, aligned block. With --json: one JSON object per line read. Host code.
 */
import type { CliIo } from '../commands/io.js';
import { isStatusLine, parseLogLine, parseSelftestEnd, parseSelftestItem, statusBlock, type LogLine } from './lines.js';

export interface ViewOptions {
  /** Standard output is a terminal: the panel and colours. */
  readonly tty: boolean;
  /** Colours on (a terminal, and NO_COLOR unset). */
  readonly color: boolean;
  readonly json: boolean;
  /** Terminal height, for the scroll region. */
  readonly rows: number;
}

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const BOLD = '\x1b[1m';
const RESET = '\x1b[0m';
/** Lines the panel takes at the top of a terminal: a title, the status rows, a rule. */
export const PANEL_LINES = 16;

export class MonitorView {
  private readonly io: CliIo;
  private readonly options: ViewOptions;
  private panelOpen = false;
  private status: LogLine | undefined;

  constructor(io: CliIo, options: ViewOptions) {
    this.io = io;
    this.options = options;
  }

  /** A line from the device (log line, status line, answer, anything). */
  line(text: string): void {
    const log = parseLogLine(text);
    if (this.options.json) {
      this.io.stdout(`${JSON.stringify(this.jsonOf(text, log))}\n`);
      return;
    }
    if (log !== undefined && isStatusLine(log)) {
      this.status = log;
      if (this.options.tty) this.drawPanel();
      else this.io.stdout(`${text}\n${statusBlock(log.fields).map((row) => `    ${row}`).join('\n')}\n`);
      if (this.options.tty) this.io.stdout(`${text}\n`);
      return;
    }
    this.io.stdout(`${this.highlight(text, log)}\n`);
  }

  /** A line of the tool's own (the self-test summary), bold on a terminal. */
  own(text: string, failed = false): void {
    if (this.options.json) return;
    const styled = this.options.color ? `${BOLD}${failed ? RED : ''}${text}${RESET}` : text;
    this.io.stdout(`${styled}\n`);
  }

  /** Gives the terminal its whole screen back. */
  close(): void {
    if (this.panelOpen) this.io.stdout('\x1b[r\n');
    this.panelOpen = false;
  }

  private highlight(text: string, log: LogLine | undefined): string {
    if (!this.options.color || log === undefined) return text;
    if (log.level === 'error') return `${RED}${text}${RESET}`;
    if (log.level === 'warn') return `${YELLOW}${text}${RESET}`;
    return text;
  }

  private jsonOf(text: string, log: LogLine | undefined): Record<string, unknown> {
    const item = parseSelftestItem(text);
    if (item !== undefined) return { type: 'selftest', ...item };
    const end = parseSelftestEnd(text);
    if (end !== undefined) return { type: 'selftest-end', ...end };
    if (log !== undefined) return { type: isStatusLine(log) ? 'status' : 'log', ...log };
    return { type: 'line', text };
  }

  /** The status panel in the top PANEL_LINES lines; the log scrolls in the region below. */
  private drawPanel(): void {
    const { rows } = this.options;
    let out = '';
    if (!this.panelOpen) {
      // Clear, then keep the top lines out of the scroll region (DECSTBM), and start the log below them.
      out += `\x1b[2J\x1b[${PANEL_LINES + 1};${rows}r\x1b[${PANEL_LINES + 1};1H`;
      this.panelOpen = true;
    }
    const block = statusBlock(this.status?.fields ?? {});
    const lines = [`${this.options.color ? BOLD : ''}covey status${this.options.color ? RESET : ''}`, ...block.slice(0, PANEL_LINES - 2)];
    while (lines.length < PANEL_LINES - 1) lines.push('');
    lines.push('─'.repeat(40));
    // Save the cursor, write each panel line in place, restore the cursor in the log region.
    out += '\x1b7';
    lines.forEach((line, i) => {
      out += `\x1b[${i + 1};1H\x1b[2K${line}`;
    });
    out += '\x1b8';
    this.io.stdout(out);
  }
}

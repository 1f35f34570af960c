/**
 * A line-oriented client for the covey firmware's serial console (115,200 baud, lines ending in "\n",
 * docs/firmware.md): open the port, send a command line, wait for the answer line that starts with a
 * given prefix. The device's log lines share the wire (`info status up=1h2m …`); they are skipped, and
 * handed to `onLine` for whoever wants to show them.
 *
 * The serial binding is passed in (serialport's binding for this platform by default,
 * @serialport/binding-mock in tests) and used directly, as tools/walk/serial-log.ts does.
 */
import { openFailureHint, platformBinding, reasonOf, type SerialBinding, type SerialConnection } from '../walk/serial-log.js';

export type { SerialBinding, SerialConnection } from '../walk/serial-log.js';

export const CONSOLE_BAUD = 115_200;
/** The longest line the firmware reads; longer input is cut by the device. */
export const MAX_COMMAND_BYTES = 128;

export type ConsoleFailure = 'OpenFailed' | 'Timeout' | 'Closed' | 'LineTooLong';

export class ConsoleError extends Error {
  readonly code: ConsoleFailure;

  constructor(code: ConsoleFailure, message: string) {
    super(message);
    this.code = code;
  }

  override get name(): string {
    return 'ConsoleError';
  }
}

export interface ConsoleOpenOptions {
  readonly path: string;
  readonly baudRate?: number;
  /** Default: serialport's binding for this platform, loaded only when a port is opened. */
  readonly binding?: SerialBinding;
  /** Every line read that no wait took (log lines, stale answers), without its line ending. */
  readonly onLine?: (line: string) => void;
}

/** Bytes asked for per read; at 115,200 baud the console delivers about 11.5 kB a second. */
const READ_BYTES = 1024;

interface Waiter {
  readonly prefixes: readonly string[];
  readonly resolve: (line: string) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class ConsoleClient {
  readonly path: string;
  private readonly port: SerialConnection;
  private readonly onLine?: (line: string) => void;
  private pending = '';
  /** Streaming, so a character split across two reads is decoded whole. */
  private readonly decoder = new TextDecoder();
  /** Lines read since the last command that no wait has taken yet. */
  private unread: string[] = [];
  private waiter?: Waiter;
  private closed = false;
  private failure?: Error;

  private constructor(path: string, port: SerialConnection, onLine?: (line: string) => void) {
    this.path = path;
    this.port = port;
    this.onLine = onLine;
  }

  /** Opens the port, drops what was waiting in it, and starts reading. */
  static async open(options: ConsoleOpenOptions): Promise<ConsoleClient> {
    const binding = options.binding ?? (await platformBinding());
    let port: SerialConnection;
    try {
      port = await binding.open({ path: options.path, baudRate: options.baudRate ?? CONSOLE_BAUD });
    } catch (error) {
      throw new ConsoleError('OpenFailed', `cannot open ${options.path}: ${openFailureHint(reasonOf(error))}`);
    }
    const client = new ConsoleClient(options.path, port, options.onLine);
    await port.flush();
    void client.pump();
    return client;
  }

  /** Sends one line ("\n" added). Lines read before it and not yet taken are dropped as stale. */
  async sendLine(line: string): Promise<void> {
    if (this.closed) throw new ConsoleError('Closed', `${this.path} is closed`);
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (bytes.length > MAX_COMMAND_BYTES || line.includes('\n')) {
      throw new ConsoleError('LineTooLong', `a console line is at most ${MAX_COMMAND_BYTES - 1} bytes without newlines`);
    }
    for (const stale of this.unread) this.onLine?.(stale);
    this.unread = [];
    await this.port.write(bytes);
  }

  /**
   * The next line that starts with one of `prefixes`; lines before it are skipped (and given to
   * onLine). A ConsoleError 'Timeout' if none arrives within `timeoutMs`, 'Closed' if the port fails.
   */
  waitFor(prefixes: string | readonly string[], timeoutMs: number): Promise<string> {
    const wanted = typeof prefixes === 'string' ? [prefixes] : prefixes;
    if (this.waiter !== undefined) return Promise.reject(new Error('one wait at a time'));
    while (this.unread.length > 0) {
      const line = this.unread.shift() as string;
      const answer = answerIn(line, wanted);
      if (answer !== undefined) return Promise.resolve(answer);
      this.onLine?.(line);
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ConsoleError('Timeout', `no "${wanted.map((p) => p.trim()).join('" or "')}" answer from ${this.path} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiter = { prefixes: wanted, resolve, reject, timer };
    });
  }

  /** sendLine, then waitFor. */
  async request(line: string, prefixes: string | readonly string[], timeoutMs: number): Promise<string> {
    await this.sendLine(line);
    return this.waitFor(prefixes, timeoutMs);
  }

  /** Closes the port; a wait in progress fails with 'Closed'. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fail(new ConsoleError('Closed', `${this.path} was closed`));
    await this.port.close().catch(() => undefined);
  }

  private async pump(): Promise<void> {
    const buffer = Buffer.alloc(READ_BYTES);
    try {
      while (!this.closed) {
        const { bytesRead } = await this.port.read(buffer, 0, buffer.length);
        if (this.closed) return;
        this.take(this.decoder.decode(buffer.subarray(0, bytesRead), { stream: true }));
      }
    } catch (error) {
      if (!this.closed) this.fail(new ConsoleError('Closed', `reading ${this.path} failed: ${reasonOf(error)}`));
    }
  }

  private take(text: string): void {
    this.pending += text;
    let end: number;
    while ((end = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, end).replace(/\r$/, '');
      this.pending = this.pending.slice(end + 1);
      this.deliver(line);
    }
  }

  private deliver(line: string): void {
    const waiter = this.waiter;
    if (waiter === undefined) {
      this.unread.push(line);
      return;
    }
    const answer = answerIn(line, waiter.prefixes);
    if (answer === undefined) {
      this.onLine?.(line);
      return;
    }
    clearTimeout(waiter.timer);
    this.waiter = undefined;
    waiter.resolve(answer);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiter = this.waiter;
    if (waiter === undefined) return;
    clearTimeout(waiter.timer);
    this.waiter = undefined;
    waiter.reject(error);
  }
}

/**
 * The line from the first of `prefixes` it starts with, or that it holds after garbage: bytes sent at
 * another baud rate around a reset (a flasher's faster rate, the boot) read as junk at the console's rate
 * and can run into the firmware's first line without a newline. Garbage means something other than
 * printable ASCII before the prefix, so a log line that merely quotes a prefix is never taken for an answer.
 */
export function answerIn(line: string, prefixes: readonly string[]): string | undefined {
  for (const prefix of prefixes) {
    if (line.startsWith(prefix)) return line;
    const at = line.indexOf(prefix);
    if (at > 0 && /[^\x20-\x7e]/.test(line.slice(0, at))) return line.slice(at);
  }
  return undefined;
}

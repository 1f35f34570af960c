/**
 * Reading a mapper's walk log over its USB serial console: open the port, send `covey walk-log`, read
 * lines until `covey-walk-end`, close. The serial binding is passed in (serialport's binding for this
 * platform by default, @serialport/binding-mock in tests), and used directly rather than through a
 * stream: the conversation is one write and a loop of reads.
 */
import { WALK_LOG_COMMAND, WalkLogError, WalkLogParser, type WalkLog } from './walk-log.js';

/** An open port, as serialport's bindings give it (@serialport/bindings-interface BindingPortInterface). */
export interface SerialConnection {
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer): Promise<void>;
  /** Discards what is waiting in the receive and transmit buffers. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What opens ports: serialport's platform binding, MockBinding, or a wrapper around either. */
export interface SerialBinding {
  open(options: { path: string; baudRate: number }): Promise<SerialConnection>;
}

export interface ReadPortOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Give up when this long passes after the command, or after the last report line, without the end line. */
  readonly timeoutMs: number;
  /** Default: serialport's binding for this platform, loaded only when a port is opened. */
  readonly binding?: SerialBinding;
  /** Told the number of report lines read so far, after each new one. */
  readonly onReportLine?: (count: number) => void;
}

/** Bytes asked for per read; at 115200 baud the console delivers about 11.5 kB a second. */
const READ_BYTES = 1024;

/** serialport's binding for this platform (Linux, macOS, Windows), a native module. */
export async function platformBinding(): Promise<SerialBinding> {
  const { SerialPort } = await import('serialport');
  return SerialPort.binding;
}

/** Reads the walk log from the device on `options.path`. Throws WalkLogError on any failure. */
export async function readWalkLogFromPort(options: ReadPortOptions): Promise<WalkLog> {
  const binding = options.binding ?? (await platformBinding());
  let port: SerialConnection;
  try {
    port = await binding.open({ path: options.path, baudRate: options.baudRate });
  } catch (error) {
    throw new WalkLogError(`cannot open ${options.path}: ${openFailureHint(reasonOf(error))}`);
  }
  try {
    // Old console output, or the end of an earlier answer, must not be read as part of this one.
    await port.flush();
    await port.write(Buffer.from(WALK_LOG_COMMAND, 'ascii'));
    return await converse(port, options);
  } catch (error) {
    if (error instanceof WalkLogError) throw error;
    throw new WalkLogError(`${options.path}: ${reasonOf(error)}`);
  } finally {
    // The read still pending fails with "port is closed"; converse() has settled and ignores it.
    await port.close().catch(() => undefined);
  }
}

/** Reads until the end line, a timeout, or a failed read, whichever comes first. */
function converse(port: SerialConnection, options: ReadPortOptions): Promise<WalkLog> {
  const parser = new WalkLogParser();
  return new Promise<WalkLog>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const expire = () => settle(() => reject(timeoutError(options, parser.reportCount)));
    let timer = setTimeout(expire, options.timeoutMs);
    const pump = async () => {
      const buffer = Buffer.alloc(READ_BYTES);
      while (!settled) {
        const { bytesRead } = await port.read(buffer, 0, buffer.length);
        if (settled) return;
        const before = parser.reportCount;
        parser.push(buffer.subarray(0, bytesRead));
        const log = parser.log;
        if (log !== undefined) return settle(() => resolve(log));
        if (parser.reportCount !== before) {
          clearTimeout(timer);
          timer = setTimeout(expire, options.timeoutMs);
          options.onReportLine?.(parser.reportCount);
        }
      }
    };
    pump().catch((error: unknown) => settle(() => reject(error)));
  });
}

/** The first line of an error's message, for a one-line report; by shape, since bindings are native code. */
export function reasonOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return message.split('\n')[0].trim().replace(/^Error: /, '');
}

function timeoutError(options: ReadPortOptions, lines: number): WalkLogError {
  const seconds = options.timeoutMs / 1000;
  const since = lines === 0
    ? 'of sending covey walk-log (is the covey firmware running, and no other program on the port?)'
    : 'of the last one';
  return new WalkLogError(
    `no covey-walk-end from ${options.path}: ${lines} report line(s) arrived, then nothing within ${seconds} s ${since}`,
  );
}

/** The usual reasons a serial port will not open on Linux and macOS, said in a way a field tester can act on. */
export function openFailureHint(reason: string): string {
  if (/permission denied|EACCES/i.test(reason)) return `${reason} (on Linux, add yourself to the dialout group)`;
  if (/cannot lock|resource temporarily unavailable|EBUSY/i.test(reason)) return `${reason} (another program has the port open)`;
  if (/no such file|ENOENT|does not exist/i.test(reason)) return `${reason} (is the device plugged in?)`;
  return reason;
}

/**
 * Runs device code inside the real XS engine: the xsnap-worker binary that @agoric/xsnap compiles from
 * Moddable's XS sources at install time.
 *
 * The worker is driven through its own wire protocol (netstrings on fds 3 and 4, xsnap-worker.c `main`)
 * rather than through @agoric/xsnap's JavaScript API. That API needs a SES `lockdown()` in the calling
 * realm (`import '@endo/init'`; its modules call `harden` at load), and lockdown refuses Jest's test
 * realm ("Unexpected [[Prototype]] at intrinsics.ArrayBuffer.__proto__"), so it could not run under
 * `npm test`. The protocol is four commands, used here as documented:
 *   `e<script>`  evaluate a script       → `.{meter}\x01`
 *   `?<bytes>`   call handleCommand(buf) → `.{meter}\x01<reply bytes>`, or `!<error>` if it threw
 *   `R`          ready?                  → `.`
 *   `q`          quit
 * The meter is JSON: `currentHeapCount` is the XS slots in use (16 bytes each; the ESP32 heap has
 * 4,928), read at the end of the command; `compute` is the command's computrons.
 * A worker whose parent dies reads end-of-file on fd 3 and exits, so a crashed test leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { type } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { bundleDeviceEntry } from './bundle.js';
import { encodeNetstring, NetstringReader } from './netstring.js';
import { parseWire, stringifyWire, type WireError, type WireReply } from './entries/wire.js';

export { bundleDeviceEntry } from './bundle.js';

export interface XsMeter {
  /** XS slots in use after the command (after a gc() only if the command ran one). */
  readonly currentHeapCount: number;
  /** Computrons the command used (XS's deterministic CPU meter). */
  readonly compute: number;
  /** Bytes the engine has reserved from the OS, in use or not. */
  readonly allocate: number;
}

export interface XsReply<T> {
  readonly value: T;
  readonly meter: XsMeter;
}

export interface XsWorkerOptions {
  /** Shown in errors and in the worker's argv. */
  readonly name?: string;
  /** Wall-clock bound on each command; past it the worker is killed. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /**
   * Wall-clock bound on the worker's start, up to its first answer. Kept apart from `requestTimeoutMs` so
   * that a tight bound on commands does not fail a start slowed by a busy machine. Default 30 s.
   */
  readonly startTimeoutMs?: number;
  /** Computrons one command may use before XS aborts it (exit 17). Default 1e9 (about 200 signatures). */
  readonly computeLimit?: number;
  /** Path of an xsnap-worker binary; default: the release build inside @agoric/xsnap. */
  readonly binary?: string;
}

/** A handler inside XS threw; `name` and `code` are the XS error's. */
export class XsCommandError extends Error {
  readonly remoteName: string;
  readonly code: string | undefined;

  constructor(op: string, error: WireError) {
    super(`${op} failed in XS: ${error.name}: ${error.message}`);
    this.remoteName = error.name;
    this.code = error.code;
  }
}

/** The worker itself failed: it exited, broke the protocol, or ran out of time. */
export class XsWorkerError extends Error {}

/** xsnap-worker exit codes (@agoric/xsnap api.js, ExitCode). */
const EXIT_MEANING: Readonly<Record<number, string>> = {
  0: 'closed',
  1: 'bad argument usage',
  2: 'I/O error',
  11: 'not enough memory',
  12: 'stack overflow',
  15: 'unhandled exception',
  16: 'property (key) name space exhausted',
  17: 'too much computation',
};

const CLOSE_GRACE_MS = 2_000;

interface Pending {
  resolve(message: Uint8Array): void;
  reject(error: Error): void;
}

export function defaultWorkerBinary(): string {
  const platform = type() === 'Darwin' ? 'mac' : 'lin';
  const packageMain = createRequire(import.meta.url).resolve('@agoric/xsnap');
  return join(dirname(packageMain), '..', 'xsnap-native', 'xsnap', 'build', 'bin', platform, 'release', 'xsnap-worker');
}

/** One xsnap-worker process. Commands run one at a time, in the order they were issued. */
export class XsWorker {
  private readonly toWorker: Writable;
  private readonly reader = new NetstringReader();
  private readonly exited: Promise<void>;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private exitError: XsWorkerError | null = null;
  private stderrTail = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
    private readonly timeoutMs: number,
  ) {
    const stdio = child.stdio as unknown as [null, Readable, Readable, Writable, Readable];
    this.toWorker = stdio[3];
    stdio[4].on('data', (chunk: Buffer) => this.onData(chunk));
    stdio[1].resume(); // print() output: drained so a chatty script cannot block on a full pipe
    stdio[2].on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2_000);
    });
    this.toWorker.on('error', () => undefined); // a dead worker is reported by 'exit'
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
    });
  }

  static async start(options: XsWorkerOptions = {}): Promise<XsWorker> {
    const name = options.name ?? 'covey-xs';
    const limit = options.computeLimit ?? 1e9;
    // The worker parses the limit with atoi() into a C int.
    if (!Number.isInteger(limit) || limit < 1 || limit > 0x7fffffff) throw new RangeError('computeLimit: 1..2^31-1');
    const child = spawn(options.binary ?? defaultWorkerBinary(), [name, '-l', String(limit)], {
      // fds 3 and 4 are the command pipes; 5 and 6 (debugger, profiler) stay closed as @agoric/xsnap does.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'ignore', 'ignore'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    const worker = new XsWorker(child, name, options.requestTimeoutMs ?? 30_000);
    await worker.send(new TextEncoder().encode('R'), options.startTimeoutMs ?? 30_000);
    return worker;
  }

  /** False once the worker process has exited, for whatever reason. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Evaluates a script at global scope. */
  async evaluate(script: string): Promise<XsMeter> {
    return splitOk(await this.send(new TextEncoder().encode(`e${script}`))).meter;
  }

  /** Bundles a device entry file (bundle.ts) and evaluates it. */
  async load(entryPath: string): Promise<XsMeter> {
    return this.evaluate(await bundleDeviceEntry(entryPath));
  }

  /**
   * Runs XS's garbage collector; the meter's currentHeapCount is then the live slots. Like every
   * `evaluate`, it leaves one slot behind in xsnap-worker (200 calls add 199 slots; a `call` adds none),
   * so readings taken this way include one slot per evaluation made since the previous one.
   */
  collectGarbage(): Promise<XsMeter> {
    return this.evaluate('gc()');
  }

  /** Calls a handler installed by entries/serve.ts. Byte strings cross as Uint8Arrays both ways. */
  async call<T>(op: string, args: Readonly<Record<string, unknown>> = {}): Promise<XsReply<T>> {
    const request = new TextEncoder().encode(`?${stringifyWire({ op, args })}`);
    const { meter, body } = splitOk(await this.send(request));
    const reply = parseWire(new TextDecoder().decode(body)) as WireReply;
    if (!reply.ok) throw new XsCommandError(op, reply.error);
    return { value: reply.value as T, meter };
  }

  /** Asks the worker to quit and waits for it; kills it if it lingers. Safe to call twice. */
  async close(): Promise<void> {
    if (this.running) {
      this.toWorker.end(encodeNetstring(new TextEncoder().encode('q')));
      const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private send(payload: Uint8Array, timeoutMs = this.timeoutMs): Promise<Uint8Array> {
    const run = () => this.exchange(payload, timeoutMs);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private exchange(payload: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    if (this.exitError !== null) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new XsWorkerError(`${this.name}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = <A>(fn: (a: A) => void) => (a: A) => {
        clearTimeout(timer);
        this.pending = null;
        fn(a);
      };
      this.pending = { resolve: settle(resolve), reject: settle(reject) };
      this.toWorker.write(encodeNetstring(payload));
    });
  }

  private onData(chunk: Buffer): void {
    let messages: Uint8Array[];
    try {
      messages = this.reader.push(chunk);
    } catch (error) {
      this.fail(new XsWorkerError(`${this.name}: ${(error as Error).message}`));
      return;
    }
    for (const message of messages) {
      const kind = String.fromCharCode(message[0] ?? 0);
      if (kind === '.') this.pending?.resolve(message);
      else if (kind === '!') this.pending?.reject(new XsWorkerError(`${this.name}: uncaught in XS: ${text(message)}`));
      // '?' would be XS calling issueCommand(); no entry does, and an unanswered one would hang it.
      else this.fail(new XsWorkerError(`${this.name}: unexpected message "${text(message).slice(0, 80)}"`));
    }
  }

  /** Kills the worker and fails the command in flight; later commands fail at once. */
  private fail(error: XsWorkerError): void {
    this.exitError ??= error;
    this.pending?.reject(error);
    this.child.kill('SIGKILL');
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const how = code !== null ? `exited with ${code} (${EXIT_MEANING[code] ?? 'see xsnap-worker.c'})` : `killed by ${signal}`;
    const stderr = this.stderrTail.trim();
    this.exitError ??= new XsWorkerError(`${this.name} ${how}${stderr ? `: ${stderr}` : ''}`);
    this.pending?.reject(this.exitError);
  }
}

/** Starts a worker, runs `use` with it, and always closes it. */
export async function withXsWorker<T>(use: (worker: XsWorker) => Promise<T>, options?: XsWorkerOptions): Promise<T> {
  const worker = await XsWorker.start(options);
  try {
    return await use(worker);
  } finally {
    await worker.close();
  }
}

/** Splits a `.{meter}\x01<body>` reply. */
function splitOk(message: Uint8Array): { meter: XsMeter; body: Uint8Array } {
  const separator = message.indexOf(1, 1);
  if (separator < 0) throw new XsWorkerError('reply carries no meter');
  const meter = JSON.parse(new TextDecoder().decode(message.subarray(1, separator))) as XsMeter;
  return { meter, body: message.subarray(separator + 1) };
}

function text(message: Uint8Array): string {
  return new TextDecoder().decode(message.subarray(1));
}

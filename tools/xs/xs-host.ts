/**
 * Runs a script in covey-xs, the XS memory host (tools/xs-host/), and collects what it reports: one line
 * per step, "<kind> <JSON>" (main.c lists them). Host code.
 *
 * The bundle goes to covey-xs as a file. hostCall() lines are answered by `answer`, one line each, in
 * order: the script waits for each answer, so Node can serve a scenario's ports (an oracle, an ingest)
 * synchronously from the script's point of view.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { bundleDeviceEntry } from './bundle.js';

/** Where tools/xs-host/build.mjs puts the host (npm install runs it). */
export const XS_HOST_BINARY = fileURLToPath(new URL('../../build/xs-host/covey-xs', import.meta.url));

/** One reading of the meters after a step (tools/xs-host/meters.c). */
export interface XsHostSample {
  /** Slots in use after the step's garbage collection (16 bytes each on an ESP32). */
  readonly slots: number;
  /** Chunk bytes in use after the collection, chunk headers included. */
  readonly chunkBytes: number;
  /** Property names and symbols created so far. */
  readonly keys: number;
  /** Deepest stack slot written during the step, below where the host rested (painted; meters.c). */
  readonly stackSlots: number;
  /** XS's own stack peak during the step (updated when a function returns). */
  readonly xsStackSlots: number;
  /** Stack depth where the host rested when the step began (XS's intrinsics, the host's frame). */
  readonly restingSlots: number;
  /** The deepest point at which the script marked the entry into device code (markEntry), or 0. */
  readonly entrySlots: number;
  /** Computrons the step used. */
  readonly compute: number;
  /** The scenario's work counters after the step (start and turns). */
  readonly counters?: Readonly<Record<string, number>>;
}

export interface XsHostTurn extends XsHostSample {
  readonly turn: number;
}

export interface XsHostHello {
  readonly xs: string;
  /** sizeof(txSlot) on this host: 32 on a 64-bit host, 16 on the ESP32. */
  readonly slotBytes: number;
  /** sizeof(txChunk): 16 here, 8 on the ESP32. */
  readonly chunkHeaderBytes: number;
  readonly stackCapacitySlots: number;
}

export interface XsHostRun {
  readonly hello: XsHostHello;
  readonly loaded: XsHostSample;
  /** Absent when the script installs no scenario. */
  readonly base?: XsHostSample;
  readonly start?: XsHostSample;
  readonly turns: readonly XsHostTurn[];
  readonly report?: Readonly<Record<string, unknown>>;
  readonly bundleBytes: number;
  /** What the script printed (print() writes to stderr). */
  readonly printed: string;
}

export interface XsHostOptions {
  /** Given to the scenario's prepare(), as JSON. */
  readonly args?: Readonly<Record<string, unknown>>;
  /** Stop after this many turns (default: when the scenario says it is done). */
  readonly maxTurns?: number;
  /** Answers the script's hostCall(request): one line in, one line out. */
  readonly answer?: (request: string) => string | Promise<string>;
  /** Wall-clock bound on the whole run, ms (default 10 minutes); past it the host is killed. */
  readonly timeoutMs?: number;
  readonly binary?: string;
}

/** covey-xs failed: the script threw, XS aborted (memory, stack, keys), or the host could not run. */
export class XsHostError extends Error {
  constructor(
    message: string,
    /** 'script' (a JavaScript exception), 'abort' (XS gave up), 'host' (the process itself). */
    readonly kind: 'script' | 'abort' | 'host',
    /** The step that failed ('load', 'prepare', 'turn', ...) or XS's abort reason. */
    readonly where: string,
  ) {
    super(message);
  }
}

/** Bundles `entryPath` (tools/xs/bundle.ts) and runs it in covey-xs. */
export async function runEntryInXsHost(entryPath: string, options: XsHostOptions = {}): Promise<XsHostRun> {
  return runScriptInXsHost(await bundleDeviceEntry(entryPath), options);
}

/** Runs script text in covey-xs. */
export async function runScriptInXsHost(script: string, options: XsHostOptions = {}): Promise<XsHostRun> {
  const binary = options.binary ?? XS_HOST_BINARY;
  if (!existsSync(binary)) {
    throw new XsHostError(`covey-xs is not built (${binary}): run "npm run build:xs-host" (npm install runs it)`, 'host', 'binary');
  }
  const dir = mkdtempSync(join(tmpdir(), 'covey-xs-'));
  const scriptPath = join(dir, 'bundle.js');
  writeFileSync(scriptPath, script);
  try {
    return await run(binary, scriptPath, Buffer.byteLength(script), options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Collected {
  hello?: XsHostHello;
  loaded?: XsHostSample;
  base?: XsHostSample;
  start?: XsHostSample;
  turns: XsHostTurn[];
  report?: Record<string, unknown>;
  failure?: XsHostError;
  ended: boolean;
}

function run(binary: string, scriptPath: string, bundleBytes: number, options: XsHostOptions): Promise<XsHostRun> {
  const argv = ['-a', JSON.stringify(options.args ?? {})];
  if (options.maxTurns !== undefined) argv.push('-n', String(options.maxTurns));
  const child = spawn(binary, [...argv, scriptPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const collected: Collected = { turns: [], ended: false };
  let printed = '';
  child.stderr.on('data', (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-20_000);
  });
  child.stdin.on('error', () => undefined); // a host that died is reported by its exit
  let answering = Promise.resolve();
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const body = space < 0 ? '' : line.slice(space + 1);
    if (kind === 'call') {
      answering = answering.then(() => answerCall(body, options, child.stdin, collected, () => child.kill('SIGKILL')));
    } else {
      take(kind, body, collected);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new XsHostError(`covey-xs did not start: ${error.message}`, 'host', 'spawn'));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const tail = printed.trim().slice(-2_000);
      if (collected.failure) return reject(withOutput(collected.failure, tail));
      if (code !== 0 || !collected.ended || !collected.hello || !collected.loaded) {
        const how = code !== null ? `exited with ${code}` : `was killed (${signal})`;
        return reject(new XsHostError(`covey-xs ${how}${tail ? `: ${tail}` : ''}`, 'host', 'exit'));
      }
      const { hello, loaded, base, start, turns, report } = collected;
      resolve({ hello, loaded, base, start, turns, report, bundleBytes, printed });
    });
  });
}

async function answerCall(
  request: string, options: XsHostOptions, stdin: NodeJS.WritableStream, collected: Collected, kill: () => void,
): Promise<void> {
  try {
    if (options.answer === undefined) throw new Error('the script called hostCall() but no answer handler was given');
    const answer = await options.answer(request);
    if (/[\r\n]/.test(answer)) throw new Error('a hostCall answer must be one line');
    stdin.write(`${answer}\n`);
  } catch (error) {
    collected.failure ??= new XsHostError(`hostCall: ${(error as Error).message}`, 'host', 'hostCall');
    kill();
  }
}

function take(kind: string, body: string, collected: Collected): void {
  let value: Record<string, unknown>;
  try {
    value = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
  } catch {
    collected.failure ??= new XsHostError(`covey-xs sent a malformed "${kind}" line: ${body.slice(0, 80)}`, 'host', 'protocol');
    return;
  }
  switch (kind) {
    case 'hello': collected.hello = value as unknown as XsHostHello; break;
    case 'loaded': collected.loaded = value as unknown as XsHostSample; break;
    case 'base': collected.base = value as unknown as XsHostSample; break;
    case 'start': collected.start = value as unknown as XsHostSample; break;
    case 'turn': collected.turns.push(value as unknown as XsHostTurn); break;
    case 'report': collected.report = value; break;
    case 'end': collected.ended = true; break;
    case 'error':
      collected.failure = new XsHostError(`in XS (${String(value.phase)}): ${String(value.message)}`, 'script', String(value.phase));
      break;
    case 'abort': {
      const message = value.message === undefined ? '' : `: ${String(value.message)}`;
      collected.failure = new XsHostError(`XS aborted: ${String(value.reason)}${message}`, 'abort', String(value.reason));
      break;
    }
    default:
      collected.failure ??= new XsHostError(`covey-xs sent an unknown line "${kind}"`, 'host', 'protocol');
  }
}

/** The error with what the script printed last, which usually says what went wrong. */
function withOutput(error: XsHostError, printed: string): XsHostError {
  return printed === '' ? error : new XsHostError(`${error.message}\n${printed}`, error.kind, error.where);
}

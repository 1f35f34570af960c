/**
 * `covey oracle` as a real child process (node --import tsx tools/cli.ts oracle …), for tests that need
 * its signal handling and its own event loop. Every wait is bounded, and `kill()` is safe to call from
 * afterAll whatever state the process is in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the child runs tools/cli.ts from here. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface OracleProcess {
  /** The URL from its start line, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it has printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches `pattern`; rejects after `timeoutMs` or if the process ends first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with how it ended; rejects if it is still running after `timeoutMs`. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<Exit>;
  /** SIGKILL if it is still running. Idempotent. */
  kill(): void;
}

function bounded<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts `covey oracle <args>` and resolves once it prints its listening line (within `startMs`).
 * `installed`: through bin/covey.js, the command npm installs, which loads the sources its own way.
 */
export async function spawnOracle(args: readonly string[], startMs = 20_000, { installed = false } = {}): Promise<OracleProcess> {
  const entry = installed ? ['bin/covey.js'] : ['--import', 'tsx', 'tools/cli.ts'];
  const child = spawn(process.execPath, [...entry, 'oracle', ...args], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  void exited.then(() => {
    running = false;
    for (const listener of listeners) listener();
  });
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => void (err += text));

  const waitForOutput = (pattern: RegExp, timeoutMs: number) => bounded(new Promise<RegExpMatchArray>((resolve, reject) => {
    const check = () => {
      const match = out.match(pattern);
      if (match !== null) resolve(match);
      else if (!running) reject(new Error(`covey oracle ended before printing ${pattern}; stderr: ${err.trim()}`));
      else return;
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  }), timeoutMs, `${pattern} from covey oracle (stdout so far: ${JSON.stringify(out)})`);

  const kill = () => {
    if (running) child.kill('SIGKILL');
  };
  try {
    const [, url] = await waitForOutput(/covey oracle listening on (http:\/\/\S+)/, startMs);
    return {
      url, child, waitForOutput, kill,
      stdout: () => out,
      stderr: () => err,
      stop: (signal, timeoutMs) => {
        if (running) child.kill(signal);
        return bounded(exited, timeoutMs, `covey oracle to exit after ${signal}`);
      },
    };
  } catch (error) {
    kill();
    throw error;
  }
}

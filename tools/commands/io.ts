import { exitQuietlyOnBrokenPipe } from '../entry.js';

/**
 * What a command may touch of the outside world, passed in so that tests can run the CLI in-process
 * and read what it printed.
 */
export interface CliIo {
  /** Writes to standard output (data: what --json prints, the readable form). */
  stdout(text: string): void;
  /** Writes to standard error (reasons for failure, warnings). */
  stderr(text: string): void;
  /** All of standard input, for commands given `-` as a file. */
  readStdin(): Promise<Uint8Array>;
}

/** A failure the user can fix: printed as one line, `covey <command>: <message>`, with exit code 1. */
export class CliError extends Error {
  override get name(): string {
    return 'CliError';
  }
}

/** The real process's streams. */
export function processIo(): CliIo {
  exitQuietlyOnBrokenPipe();
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
}

/** The first line of an error's message: a reason, never a stack trace. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim() || (error instanceof Error ? error.name : 'failed');
}

/** What a command needs from the program that runs it. */
export interface CliContext {
  readonly io: CliIo;
  /** Records the exit code the program will end with. */
  setExitCode(code: number): void;
}

/**
 * Wraps a command's action: its return value is the exit code, and any error it throws becomes one
 * line on standard error, `covey <command>: <reason>`, and exit code 1, never a stack trace.
 */
export function guarded<A extends unknown[]>(
  context: CliContext,
  command: string,
  body: (...args: A) => number | void | Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      context.setExitCode((await body(...args)) ?? 0);
    } catch (error) {
      context.io.stderr(`covey ${command}: ${reasonOf(error)}\n`);
      context.setExitCode(1);
    }
  };
}

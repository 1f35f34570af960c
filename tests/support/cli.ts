/** Runs the covey command line in-process through main(argv, io) and keeps what it printed. */
import { main } from '../../tools/cli.js';
import type { CliIo } from '../../tools/commands/io.js';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function covey(argv: string[], stdin: Uint8Array = new Uint8Array(0)): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => stdin,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Exit 1 and exactly one line on stderr, no stack trace. */
export function expectOneLineFailure(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

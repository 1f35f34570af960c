/** Tells whether a module is the program node was started with, so one file can be both a module and a script. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when `moduleUrl` (a module's import.meta.url) is the script on node's command line. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

let pipeGuarded = false;

/**
 * Ends the process quietly when standard output's reader goes away (`covey inspect x | head`): EPIPE
 * then means "nobody wants the rest", not a failure worth a stack trace.
 */
export function exitQuietlyOnBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/**
 * Headless Chromium for the browser tests: Debian's `chromium`, which `.ci/run` installs (browsers cannot
 * be downloaded here). Where none is found the tests that need it are skipped, and said so on the
 * console, never passed.
 */
import { accessSync, constants } from 'node:fs';

export const INSTALL_CHROMIUM = "install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH";

/** $CHROMIUM_PATH as given (a wrong one fails the launch, loudly), else the first usual path that runs. */
export function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) ?? null;
}

/** `test`, or `test.skip` with a warning naming `what` when there is no Chromium. */
export function browserTestFor(what: string, chromiumPath: string | null): typeof test | typeof test.skip {
  if (chromiumPath === null) console.warn(`SKIPPED: ${what}: no Chromium found; ${INSTALL_CHROMIUM}.`);
  return chromiumPath === null ? test.skip : test;
}

/**
 * Headless Chromium for the browser tests: Debian's `chromium`, which `.ci/run` installs (browsers cannot
 * be downloaded here). Where none is found the tests that need it are skipped, and said so on the
 * console, never passed.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** One headless Chromium for a describe block, a scratch folder, and the pages to close after each test. */
export interface BrowserSession {
  /** The browser; throws when Chromium did not start. */
  browser(): Browser;
  /** A new path in the scratch folder. */
  file(name: string): string;
  /** Closes `page` after the current test. */
  track(page: Page): Page;
}

/**
 * Registers the hooks of a describe block that opens pages in Chromium at `chromiumPath` (none when it is
 * null): launch before all, close the pages after each test, close the browser and remove the scratch
 * folder after all. As root (CI) Chromium runs without its sandbox, which refuses root.
 */
export function useBrowser(chromiumPath: string | null, folderPrefix: string, timeoutMs: number): BrowserSession {
  let browser: Browser | undefined;
  let dir = '';
  let files = 0;
  const pages: Page[] = [];
  beforeAll(async () => {
    if (chromiumPath === null) return;
    dir = mkdtempSync(join(tmpdir(), folderPrefix));
    const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: timeoutMs });
  }, timeoutMs);
  afterEach(async () => {
    await Promise.all(pages.splice(0).map((page) => page.close()));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    browser: () => {
      if (!browser) throw new Error('Chromium did not start');
      return browser;
    },
    file: (name) => join(dir, `${++files}-${name}`),
    track: (page) => {
      pages.push(page);
      return page;
    },
  };
}

// Builds covey-xs, the XS memory host (docs/testing.md, "The XS memory host"), from the XS sources that
// @agoric/xsnap ships, with make and the C compiler, offline. npm runs it after install (postinstall);
// `npm run build:xs-host` runs it by hand. make rebuilds only what changed, so a second run is a no-op.
//
// Exit status: 0 when covey-xs is built or up to date; 1 when it cannot be built, with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HOST_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HOST_DIR, '..', '..');
const BUILD_DIR = join(ROOT, 'build', 'xs-host');
const BINARY = join(BUILD_DIR, 'covey-xs');

function say(line) {
  process.stdout.write(`covey-xs: ${line}\n`);
}

function fail(line) {
  process.stderr.write(`covey-xs: ${line}\n`);
  process.exit(1);
}

/** The moddable directory inside @agoric/xsnap (XS sources and Moddable's text modules). */
function moddableDir() {
  let main;
  try {
    main = createRequire(import.meta.url).resolve('@agoric/xsnap');
  } catch {
    fail('@agoric/xsnap is not installed; run npm install first (it ships the XS sources this host is built from)');
  }
  const dir = join(dirname(main), '..', 'moddable');
  if (!existsSync(join(dir, 'xs', 'sources', 'xsAll.c'))) fail(`no XS sources in ${dir}`);
  return dir;
}

function hasTool(command) {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

function main() {
  if (process.platform === 'win32') {
    say('not built on Windows (the XS tier runs on Linux and macOS); tests that need it will say so');
    return;
  }
  const cc = process.env.CC || 'cc';
  const missing = ['make', cc].filter((tool) => !hasTool(tool));
  if (missing.length > 0) {
    fail(`cannot build: ${missing.join(' and ')} not found. Install make and a C compiler ` +
      '(Debian/Ubuntu: apt-get install build-essential; macOS: xcode-select --install), then run npm run build:xs-host');
  }
  const args = ['-f', join(HOST_DIR, 'Makefile'), `MODDABLE=${moddableDir()}`, `BUILD_DIR=${BUILD_DIR}`, `CC=${cc}`];
  if (existsSync(BINARY) && spawnSync('make', ['-q', ...args], { stdio: 'ignore' }).status === 0) {
    say(`up to date (${BINARY})`);
    return;
  }
  const started = Date.now();
  const jobs = String(Math.max(1, availableParallelism()));
  const result = spawnSync('make', ['-s', '-j', jobs, ...args], { stdio: 'inherit' });
  if (result.status !== 0) fail(`make failed (status ${result.status ?? result.signal}); see the compiler's messages above`);
  say(`built ${BINARY} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();

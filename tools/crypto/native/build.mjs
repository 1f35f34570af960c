// Builds covey's host ed25519 verifier and the simulator's signer (ed25519-verify.c, ed25519-sign.c,
// binding.c) into build/native/covey_ed25519.node with the C compiler and Node's own Node-API headers,
// offline. npm runs it after install (postinstall);
// `npm run build:native` runs it by hand. It rebuilds only when a source is newer than the module.
//
// The module is optional: without it the oracle and the simulator verify, and the simulator's hotspots
// sign, with libsodium (tools/crypto/native-ed25519.ts says which is in use): the same signatures and
// answers, verifying about two and a half times slower and signing about one and a half. So this
// script never fails an install: when it cannot build, it says why and what to install, and exits 0.
// With --strict it exits 1 instead, for CI and for anyone who wants to know.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const SOURCE_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(SOURCE_DIR, '..', '..', '..');
/** Where the module goes: build/native/, or $COVEY_NATIVE_OUT (the build's own tests use that). */
const MODULE_PATH = process.env.COVEY_NATIVE_OUT || join(ROOT, 'build', 'native', 'covey_ed25519.node');
const SOURCES = ['ed25519-verify.c', 'ed25519-sign.c', 'binding.c'].map((name) => join(SOURCE_DIR, name));
const HEADERS = ['ed25519-verify.h', 'ed25519-sign.h'].map((name) => join(SOURCE_DIR, name));
const strict = process.argv.includes('--strict');

function say(line) {
  process.stdout.write(`covey-ed25519: ${line}\n`);
}

function giveUp(line) {
  process.stderr.write(`covey-ed25519: ${line}\n`);
  process.stderr.write('covey-ed25519: the oracle and the simulator will sign and verify with libsodium instead (slower, same signatures and answers)\n');
  process.exit(strict ? 1 : 0);
}

/** Where node_api.h is: npm's nodedir setting, then next to this Node binary (official builds and Debian's). */
function nodeIncludeDir() {
  const candidates = [
    process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function upToDate() {
  if (!existsSync(MODULE_PATH)) return false;
  const built = statSync(MODULE_PATH).mtimeMs;
  return [...SOURCES, ...HEADERS, fileURLToPath(import.meta.url)].every((file) => statSync(file).mtimeMs <= built);
}

function main() {
  if (process.platform === 'win32') giveUp('not built on Windows');
  if (upToDate()) {
    say(`up to date (${MODULE_PATH})`);
    return;
  }
  const cc = process.env.CC || 'cc';
  const probe = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    giveUp(`no C compiler (${cc}); install one (Debian/Ubuntu: apt-get install build-essential; macOS: xcode-select --install), then run npm run build:native`);
  }
  const include = nodeIncludeDir();
  if (include === undefined) {
    giveUp("Node's headers (node_api.h) not found; install them (Debian: apt-get install libnode-dev) or set npm's nodedir, then run npm run build:native");
  }
  mkdirSync(dirname(MODULE_PATH), { recursive: true });
  const args = [
    '-O3', '-std=c11', '-Wall', '-Wextra', '-fPIC', '-shared', '-pthread', '-fvisibility=hidden',
    '-DNODE_GYP_MODULE_NAME=covey_ed25519', `-I${include}`,
    ...(process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : []),
    ...SOURCES, '-o', MODULE_PATH,
  ];
  const started = Date.now();
  const result = spawnSync(cc, args, { stdio: 'inherit' });
  if (result.status !== 0) giveUp(`${cc} failed (status ${result.status ?? result.signal}); see its messages above`);
  say(`built ${MODULE_PATH} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();

/**
 * A stand-in Moddable SDK for tests of the commands that run mcconfig (covey build, covey flash): a
 * folder holding an empty file at every SDK path covey's manifests name, and an `mcconfig` script that
 * writes its arguments (one a line), then `UPLOAD_PORT=…` and `PATH=…`, to a log and exits 3; and a way
 * to run a command with the environment pointing at it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KNOWN_SDK_PATHS, sdkFile } from '../../tools/build/moddable-sdk.js';

export interface FakeSdk {
  /** The folder holding `mcconfig`, to put first on PATH. */
  readonly bin: string;
  /** The SDK's root, for MODDABLE (and IDF_PATH, which only has to be set). */
  readonly moddable: string;
  /** Where mcconfig writes what it was given. */
  readonly log: string;
}

/** Builds the stand-in SDK inside `base`, an empty folder the test removes. */
export function fakeSdk(base: string): FakeSdk {
  const moddable = join(base, 'moddable');
  for (const path of KNOWN_SDK_PATHS) {
    const file = sdkFile(path).replace('$(MODDABLE)', moddable);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
  const bin = join(base, 'bin');
  mkdirSync(bin);
  const log = join(base, 'mcconfig.log');
  writeFileSync(join(bin, 'mcconfig'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\necho "UPLOAD_PORT=$UPLOAD_PORT" >> '${log}'\necho "PATH=$PATH" >> '${log}'\nexit 3\n`);
  chmodSync(join(bin, 'mcconfig'), 0o755);
  return { bin, moddable, log };
}

/** Runs `body` with `changes` in process.env, and puts the environment back as it was afterwards. */
export async function withEnv<T>(changes: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  Object.assign(process.env, changes);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

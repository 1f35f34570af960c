/**
 * Key files: an ed25519 seed and the identity it gives, as a small JSON document.
 *
 *   {"format":"covey-key","version":1,"seed":"<64 hex>","publicKey":"<64 hex>","address":"cv…"}
 *
 * The seed is the secret (RFC 8032 §5.1.5); the public key and address are written too so that a person
 * can tell whose key a file holds without loading it, and they are checked against the seed on every load
 * so that a hand-edited file cannot claim one identity while signing as another.
 *
 * Files are created with mode 0600 in one step: written to a temporary file in the same directory (so
 * the rename cannot cross file systems), flushed, then linked or renamed into place. A reader never sees
 * a half-written key, and an existing key is never replaced unless the caller asks for it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { equalBytes, fromHex, hotspotAddress, shortName, toHex, type Signer } from '../proofs/index.js';
import { createHostSigner } from './crypto/node-ed25519.js';

export const KEY_FILE_FORMAT = 'covey-key';
export const KEY_FILE_VERSION = 1;
/** Owner read/write only. */
export const KEY_FILE_MODE = 0o600;

/** A key file that cannot be written or read, with a one-line reason for the user. */
export class KeyFileError extends Error {
  override get name(): string {
    return 'KeyFileError';
  }
}

/** A loaded key. `warnings` are problems worth telling the user about that do not stop the load. */
export interface LoadedKey {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: string;
  readonly shortName: string;
  readonly warnings: readonly string[];
  /** A host signer over the seed. */
  signer(): Signer;
}

/** The JSON text of a key file for `seed`. */
export function keyFileText(seed: Uint8Array): string {
  const publicKey = createHostSigner(seed).publicKey;
  const document = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    seed: toHex(seed),
    publicKey: toHex(publicKey),
    address: hotspotAddress(publicKey),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * A new key in a new key file at `path`: the seed is 32 random bytes (RFC 8032 §5.1.5) from the OS
 * CSPRNG, wiped from memory once written. Throws KeyFileError as writeKeyFile does.
 */
export function createKeyFile(path: string, options: { force?: boolean } = {}): LoadedKey {
  const seed = new Uint8Array(randomBytes(32));
  try {
    return writeKeyFile(path, seed, options);
  } finally {
    seed.fill(0);
  }
}

/** Writes a key file for `seed` at `path` (mode 0600). Refuses to replace an existing file unless `force`. */
export function writeKeyFile(path: string, seed: Uint8Array, options: { force?: boolean } = {}): LoadedKey {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx', KEY_FILE_MODE);
  } catch (error) {
    throw new KeyFileError(`cannot create a file in ${dirname(path)}: ${errnoText(error)}`);
  }
  try {
    try {
      writeSync(fd, keyFileText(seed));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    placeFile(temporary, path, options.force === true);
  } finally {
    unlinkQuietly(temporary);
  }
  return loadedKey(seed, []);
}

/**
 * Moves the finished temporary file to `path`. Without `force`, link(2) does it: it fails with EEXIST
 * rather than replace a file, and does so atomically. rename(2) replaces atomically when asked to.
 */
function placeFile(temporary: string, path: string, force: boolean): void {
  const exists = () => new KeyFileError(`${path} already exists (use --force to replace it)`);
  try {
    if (force) {
      renameSync(temporary, path);
    } else {
      try {
        linkSync(temporary, path);
      } catch (error) {
        // Some file systems (FAT, some network mounts) have no hard links: check, then rename.
        if (!NO_LINKS.has(errnoCode(error) ?? '')) throw error;
        if (existsSync(path)) throw exists();
        renameSync(temporary, path);
      }
    }
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    if (errnoCode(error) === 'EEXIST') throw exists();
    throw new KeyFileError(`cannot write ${path}: ${errnoText(error)}`);
  }
}

const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * The text of a file that holds a secret (`what` names it in the warning), and a warning when group or
 * others may read it. POSIX permission bits only: Windows reports synthetic modes. A file that cannot be
 * read throws node:fs's error.
 */
export function readSecretFile(path: string, what: string): { text: string; warning?: string } {
  const mode = statSync(path).mode;
  const text = readFileSync(path, 'utf8');
  if (process.platform === 'win32' || (mode & 0o077) === 0) return { text };
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  return { text, warning: `${what} ${path} is readable by group or others (mode ${octal}); run: chmod 600 ${path}` };
}

/** Reads and checks a key file. Malformed files are errors; a file others can read is a warning. */
export function readKeyFile(path: string): LoadedKey {
  let secret: { text: string; warning?: string };
  try {
    secret = readSecretFile(path, 'key file');
  } catch (error) {
    throw new KeyFileError(`cannot read key file ${path}: ${errnoText(error)}`);
  }
  const seed = parseKeyFile(secret.text, path);
  return loadedKey(seed, secret.warning === undefined ? [] : [secret.warning]);
}

/** Checks a key file's text and returns its seed. */
export function parseKeyFile(text: string, path = 'key file'): Uint8Array {
  const bad = (why: string) => new KeyFileError(`${path} is not a valid covey key file: ${why}`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw bad('not a JSON object');
  const fields = document as Record<string, unknown>;
  if (fields.format !== KEY_FILE_FORMAT) throw bad(`"format" must be "${KEY_FILE_FORMAT}"`);
  if (fields.version !== KEY_FILE_VERSION) throw bad(`unsupported "version" ${String(fields.version)}`);
  const seed = readHex32(fields.seed, 'seed', bad);
  const publicKey = readHex32(fields.publicKey, 'publicKey', bad);
  const derived = createHostSigner(seed).publicKey;
  if (!equalBytes(derived, publicKey)) throw bad('"publicKey" does not belong to "seed"');
  if (fields.address !== hotspotAddress(derived)) throw bad('"address" does not match "publicKey"');
  return seed;
}

function readHex32(value: unknown, field: string, bad: (why: string) => KeyFileError): Uint8Array {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(value)) throw bad(`"${field}" must be 64 hex digits`);
  return fromHex(value);
}

function loadedKey(seed: Uint8Array, warnings: readonly string[]): LoadedKey {
  const secret = Uint8Array.from(seed);
  const publicKey = createHostSigner(secret).publicKey;
  return {
    seed: secret,
    publicKey,
    address: hotspotAddress(publicKey),
    shortName: shortName(publicKey),
    warnings,
    signer: () => createHostSigner(secret),
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already renamed into place, or never created.
  }
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** "no such file or directory" rather than a Node stack: the user needs the cause, not the call site. */
function errnoText(error: unknown): string {
  const messages: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  };
  const code = errnoCode(error);
  if (code !== undefined && messages[code] !== undefined) return messages[code];
  return error instanceof Error ? error.message : String(error);
}

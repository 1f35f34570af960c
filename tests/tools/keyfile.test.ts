/** Key files: what keygen writes and what later commands (provision, onboard) will load. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asciiBytes, sha256, toHex } from '../../proofs/index.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { KeyFileError, keyFileText, parseKeyFile, readKeyFile, writeKeyFile } from '../../tools/keyfile.js';

const seed = sha256(asciiBytes('keyfile test seed'));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-keyfile-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('a written key file loads back to the same seed and identity', () => {
  const path = join(dir, 'k.json');
  const written = writeKeyFile(path, seed);
  const loaded = readKeyFile(path);
  expect(toHex(loaded.seed)).toBe(toHex(seed));
  expect(toHex(loaded.publicKey)).toBe(toHex(createHostSigner(seed).publicKey));
  expect(loaded.address).toBe(written.address);
  expect(loaded.warnings).toEqual([]);
});

test('a key file readable by group or others loads with a warning', () => {
  const path = join(dir, 'k.json');
  writeFileSync(path, keyFileText(seed));
  chmodSync(path, 0o644);
  const loaded = readKeyFile(path);
  expect(toHex(loaded.seed)).toBe(toHex(seed));
  expect(loaded.warnings).toEqual([expect.stringContaining('chmod 600')]);
});

test('the loaded signer signs as the file says', () => {
  const path = join(dir, 'k.json');
  writeKeyFile(path, seed);
  const message = asciiBytes('hello');
  expect(toHex(readKeyFile(path).signer().sign(message))).toBe(toHex(createHostSigner(seed).sign(message)));
});

describe('a malformed key file is an error that says why', () => {
  const good = JSON.parse(keyFileText(seed)) as Record<string, unknown>;
  const other = toHex(createHostSigner(sha256(asciiBytes('another'))).publicKey);
  test.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['another format', JSON.stringify({ ...good, format: 'ssh' }), /"format"/],
    ['a newer version', JSON.stringify({ ...good, version: 2 }), /"version" 2/],
    ['a short seed', JSON.stringify({ ...good, seed: 'abcd' }), /"seed" must be 64 hex digits/],
    ['a public key of another seed', JSON.stringify({ ...good, publicKey: other }), /does not belong to "seed"/],
    ['a wrong address', JSON.stringify({ ...good, address: 'cvaaaa' }), /"address" does not match/],
  ])('%s', (_name, text, reason) => {
    expect(() => parseKeyFile(text, 'k.json')).toThrow(KeyFileError);
    expect(() => parseKeyFile(text, 'k.json')).toThrow(reason);
  });

  test('a missing file', () => {
    expect(() => readKeyFile(join(dir, 'none'))).toThrow(/cannot read key file .*no such file/);
  });
});

test('writeKeyFile never replaces a file unless forced', () => {
  const path = join(dir, 'k.json');
  writeFileSync(path, 'precious');
  expect(() => writeKeyFile(path, seed)).toThrow(/already exists/);
  expect(readFileSync(path, 'utf8')).toBe('precious');
  writeKeyFile(path, seed, { force: true });
  expect(toHex(readKeyFile(path).seed)).toBe(toHex(seed));
});

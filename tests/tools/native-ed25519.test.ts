/**
 * covey's own ed25519 verifier in C (tools/crypto/native/) against libsodium, on many keys and messages,
 * valid and tampered; the simulator's signer in the same module against libsodium's signatures and
 * RFC 8032's; and the build script. The edge cases and the properties every verifier shares are
 * in tests/proofs/signature-agreement.test.ts, which includes this one when it is built.
 *
 * CI must build it (npm ci runs tools/crypto/native/build.mjs), so there these tests fail when it is
 * missing; elsewhere, without a C compiler, they are skipped and say so.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { verifyAll, type SignatureJob } from '../../tools/crypto/batch-verify.js';
import { readFileSync } from 'node:fs';
import { NATIVE_MODULE_PATH, NativeVerifier, simulationSigner, verifierInUse } from '../../tools/crypto/native-ed25519.js';
import { createSodiumSigner, SodiumVerifier } from '../../tools/crypto/sodium-ed25519.js';
import { seedFor } from '../support/keys.js';
import { fromHex, toHex } from '../../proofs/index.js';

const inUse = verifierInUse();
const available = inUse.name === 'covey-native';
const sodium = new SodiumVerifier();
const BUILD_SCRIPT = join(process.cwd(), 'tools', 'crypto', 'native', 'build.mjs');

test('CI builds the native verifier and the oracle uses it', () => {
  if (process.env.CI !== 'true') return;
  expect(inUse).toEqual({ name: 'covey-native' });
});

const describeBuilt = available ? describe : describe.skip;
describeBuilt(available ? `the native verifier (${NATIVE_MODULE_PATH})` : `the native verifier: SKIPPED, not built (${inUse.reason})`, () => {
  const signers = Array.from({ length: 40 }, (_, i) => createSodiumSigner(seedFor(`native ${i}`)));

  test('accepts what libsodium accepts and refuses what it refuses: 4,000 signatures by 40 keys, half tampered', () => {
    const verifier = new NativeVerifier();
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 4000; i++) {
      const signer = signers[i % signers.length];
      const message = new TextEncoder().encode(`receipt ${i} ${'x'.repeat(i % 97)}`);
      const signature = signer.sign(message);
      let key = signer.publicKey;
      if (i % 2 === 1) {
        // Flip one bit of R, S, the message or the key, chosen by i.
        const part = (i >> 1) % 4;
        const target = part === 0 ? signature.subarray(0, 32) : part === 1 ? signature.subarray(32) : part === 2 ? message : (key = Uint8Array.from(key));
        target[(i * 7) % target.length] ^= 1 << (i % 8);
      }
      const expected = sodium.verify(signature, message, key);
      expect(verifier.verify(signature, message, key)).toBe(expected);
      if (expected) accepted++;
      else refused++;
    }
    expect(accepted).toBe(2000);
    expect(refused).toBe(2000);
  });

  test('agrees with libsodium on signatures of random keys over random messages, tampered or not (property)', () => {
    const verifier = new NativeVerifier();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: -1, max: 511 }),
        (seed, message, bit) => {
          const signer = createSodiumSigner(seed);
          const signature = signer.sign(message);
          if (bit >= 0) signature[bit >> 3] ^= 1 << (bit & 7);
          expect(verifier.verify(signature, message, signer.publicKey)).toBe(sodium.verify(signature, message, signer.publicKey));
          expect(verifier.verify(signature, message, signer.publicKey)).toBe(bit < 0);
        }),
      { numRuns: 300 },
    );
  });

  test('verifyMany answers as verify does, job by job: valid, tampered, against the rules, and keys that are no point', () => {
    const verifier = new NativeVerifier();
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    const jobs: SignatureJob[] = Array.from({ length: 300 }, (_, i) => {
      const signer = signers[i % signers.length];
      const message = new TextEncoder().encode(`batch item ${i}`);
      const signature = signer.sign(message);
      if (i % 5 === 1) signature[(i * 3) % 64] ^= 0x10; // tampered
      if (i % 5 === 2) signature[63] |= 0xf0; // S ≥ L: against the encoding rules
      return { signature, message, publicKey: i % 5 === 3 ? notAPoint : signer.publicKey };
    });
    const answers = verifier.verifyMany(jobs);
    expect(answers).toEqual(jobs.map((job) => sodium.verify(job.signature, job.message, job.publicKey)));
    expect(answers.filter(Boolean).length).toBe(120);
    expect(verifier.verifyMany([])).toEqual([]);
    expect(verifyAll(sodium, jobs)).toEqual(answers);
  });

  test('refuses a key that is canonical but not a curve point, and keeps refusing it from its cache', () => {
    const verifier = new NativeVerifier();
    // y = 2: (y² − 1)/(dy² + 1) has no square root modulo p, so no point has this y.
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    const signature = signers[0].sign(Uint8Array.of(1));
    expect(sodium.verify(signature, Uint8Array.of(1), notAPoint)).toBe(false);
    expect(verifier.verify(signature, Uint8Array.of(1), notAPoint)).toBe(false);
    expect(verifier.verify(signature, Uint8Array.of(1), notAPoint)).toBe(false);
  });

  test('still verifies correctly when its key cache overflows', () => {
    const verifier = new NativeVerifier(1);
    const [a, b] = signers;
    const message = Uint8Array.of(7);
    for (const signer of [a, b, a, b, a]) expect(verifier.verify(signer.sign(message), message, signer.publicKey)).toBe(true);
    expect(verifier.verify(a.sign(message), message, b.publicKey)).toBe(false);
    expect(() => new NativeVerifier(0)).toThrow(RangeError);
  });

  test('reads keys, signatures and messages that are views into larger buffers', () => {
    const verifier = new NativeVerifier();
    const message = new TextEncoder().encode('a message in the middle of a buffer');
    const signature = signers[3].sign(message);
    const pool = new Uint8Array(7 + 32 + 64 + message.length);
    pool.set(signers[3].publicKey, 7);
    pool.set(signature, 39);
    pool.set(message, 103);
    const [key, sig, msg] = [pool.subarray(7, 39), pool.subarray(39, 103), pool.subarray(103)];
    expect(verifier.verify(sig, msg, key)).toBe(true);
    pool[104] ^= 1;
    expect(verifier.verify(sig, msg, key)).toBe(false);
  });

  test('is safe to use from several threads at once: 4 threads × 300 fresh keys each, no wrong answer', async () => {
    // The oracle's prepare workers load the module in threads of one process; a key prepared with
    // scratch space another thread was also using would verify nothing (or worse) from then on.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const sodium = require(workerData.sodium);
      const native = require(workerData.module);
      let wrong = 0, checked = 0;
      for (let i = 0; i < 300; i++) {
        const pk = Buffer.alloc(32), sk = Buffer.alloc(64), seed = Buffer.alloc(32, 0);
        seed.writeUInt32LE(workerData.thread * 1000 + i);
        sodium.crypto_sign_seed_keypair(pk, sk, seed);
        const key = native.prepareKey(pk);
        for (let m = 0; m < 3; m++) {
          const message = Buffer.from('thread ' + workerData.thread + ' key ' + i + ' message ' + m);
          const signature = Buffer.alloc(64);
          sodium.crypto_sign_detached(signature, message, sk);
          if (m === 2) signature[40] ^= 4;
          const digest = Buffer.alloc(64), k = Buffer.alloc(32);
          sodium.crypto_hash_sha512(digest, Buffer.concat([signature.subarray(0, 32), pk, message]));
          sodium.crypto_core_ed25519_scalar_reduce(k, digest);
          if (native.verify(key, signature, k) !== (m !== 2)) wrong++;
          checked++;
        }
      }
      parentPort.postMessage({ wrong, checked });`;
    const sodiumPath = createRequire(import.meta.url).resolve('sodium-native');
    const workers = Array.from({ length: 4 }, (_, thread) =>
      new Worker(code, { eval: true, workerData: { thread, module: NATIVE_MODULE_PATH, sodium: sodiumPath } }));
    const results = await Promise.all(workers.map(async (worker) => (await once(worker, 'message'))[0] as { wrong: number; checked: number }));
    await Promise.all(workers.map((worker) => worker.terminate()));
    expect(results).toEqual(Array.from({ length: 4 }, () => ({ wrong: 0, checked: 900 })));
  }, 60_000);

  // Messages, not classes: the module's TypeError is the main realm's, not the test's (docs/testing.md).
  test('the module itself refuses arguments of the wrong size with a TypeError', () => {
    const native = createRequire(import.meta.url)(NATIVE_MODULE_PATH) as {
      prepareKey(key: Uint8Array): ArrayBuffer | null; verify(key: ArrayBuffer, signature: Uint8Array, k: Uint8Array): boolean;
    };
    const key = native.prepareKey(signers[0].publicKey) as ArrayBuffer;
    expect(key).toBeInstanceOf(ArrayBuffer);
    const thrown = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
      return null;
    };
    expect(thrown(() => native.prepareKey(new Uint8Array(31)))).toEqual({ name: 'TypeError', message: 'publicKey must be 32 bytes' });
    expect(thrown(() => native.verify(new ArrayBuffer(16), new Uint8Array(64), new Uint8Array(32))))
      .toEqual({ name: 'TypeError', message: `key must be ${key.byteLength} bytes` });
    expect(thrown(() => native.verify(key, new Uint8Array(63), new Uint8Array(32)))).toEqual({ name: 'TypeError', message: 'signature must be 64 bytes' });
    expect(thrown(() => native.verify(key, new Uint8Array(64), new Uint8Array(33)))).toEqual({ name: 'TypeError', message: 'k must be 32 bytes' });
    expect(thrown(() => native.verify(key, new Uint8Array(64), new Uint8Array(32)))).toBeNull();
    // Called directly, past the encoding rules: an S of 2^253 or more is refused, not misread.
    const message = Uint8Array.of(9);
    const signature = signers[0].sign(message);
    const highS = Uint8Array.from(signature);
    highS[63] |= 0x80;
    expect(native.verify(key, highS, new Uint8Array(32))).toBe(false);
  });
});

describeBuilt(available ? 'the simulation signer (native)' : `the simulation signer: SKIPPED, not built (${inUse.reason})`, () => {
  test('gives RFC 8032\'s public keys and signatures for its test vectors', () => {
    const { vectors } = JSON.parse(readFileSync(join(process.cwd(), 'tests', 'vectors', 'rfc8032-ed25519.json'), 'utf8')) as {
      vectors: { name: string; secretKey: string; publicKey: string; message: string; signature: string }[];
    };
    expect(vectors.length).toBeGreaterThanOrEqual(4);
    for (const vector of vectors) {
      const signer = simulationSigner(fromHex(vector.secretKey));
      expect([vector.name, toHex(signer.publicKey)]).toEqual([vector.name, vector.publicKey]);
      expect([vector.name, toHex(signer.sign(fromHex(vector.message)))]).toEqual([vector.name, vector.signature]);
    }
  });

  test('signs as libsodium does: random seeds and messages of 0 to 400 bytes (property)', () => {
    // Lengths across SHA-512's block edges: the nonce hashes 32 bytes before the message, the challenge 64.
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 400 }), (seed, message) => {
        const ours = simulationSigner(seed);
        const theirs = createSodiumSigner(seed);
        expect(toHex(ours.publicKey)).toBe(toHex(theirs.publicKey));
        expect(toHex(ours.sign(message))).toBe(toHex(theirs.sign(message)));
      }),
      { numRuns: 500 },
    );
  });

  test('every message length around the hash blocks, and views into larger buffers', () => {
    const seed = seedFor('block edges');
    const [ours, theirs] = [simulationSigner(seed), createSodiumSigner(seed)];
    const pool = Uint8Array.from({ length: 400 }, (_, i) => (i * 31 + 7) & 0xff);
    for (let length = 0; length <= 260; length++) {
      const message = pool.subarray(3, 3 + length);
      expect([length, toHex(ours.sign(message))]).toEqual([length, toHex(theirs.sign(message))]);
    }
    expect(sodium.verify(ours.sign(pool), pool, ours.publicKey)).toBe(true);
  });

  test('gives each signature in an array of its own, whichever signer made it and however short the message', () => {
    const [a, b] = [simulationSigner(seedFor('own arrays a')), simulationSigner(seedFor('own arrays b'))];
    const made = [a.sign(Uint8Array.of(1)), b.sign(new Uint8Array(64)), a.sign(new Uint8Array(65)), b.sign(new Uint8Array(0))];
    const expected = [[a, Uint8Array.of(1)], [b, new Uint8Array(64)], [a, new Uint8Array(65)], [b, new Uint8Array(0)]] as const;
    expect(new Set(made.map((signature) => signature.buffer)).size).toBe(made.length);
    made.forEach((signature, i) => expect(sodium.verify(signature, expected[i][1], expected[i][0].publicKey)).toBe(true));
    made[0].fill(0);
    expect(toHex(a.sign(Uint8Array.of(1)))).not.toBe(toHex(made[0]));
  });

  test('refuses a seed of the wrong size and a message that is not bytes, as the libsodium signer does', () => {
    expect(() => simulationSigner(new Uint8Array(31))).toThrow(RangeError);
    const signer = simulationSigner(seedFor('arguments'));
    expect(() => signer.sign('text' as unknown as Uint8Array)).toThrow(TypeError);
    const native = createRequire(import.meta.url)(NATIVE_MODULE_PATH) as {
      signingKey(seed: Uint8Array): ArrayBuffer; sign(key: ArrayBuffer, message: Uint8Array, signature: Uint8Array): void; signingKeySize: number;
    };
    const key = native.signingKey(seedFor('arguments'));
    expect(key.byteLength).toBe(native.signingKeySize);
    const message = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    };
    expect(message(() => native.signingKey(new Uint8Array(33)))).toBe('seed must be 32 bytes');
    expect(message(() => native.sign(new ArrayBuffer(95), new Uint8Array(1), new Uint8Array(64)))).toBe(`key must be ${native.signingKeySize} bytes`);
    expect(message(() => native.sign(key, [1, 2] as unknown as Uint8Array, new Uint8Array(64)))).toBe('message must be a Uint8Array');
    expect(message(() => native.sign(key, new Uint8Array(1), new Uint8Array(63)))).toBe('signature must be 64 bytes');
    const signature = new Uint8Array(64);
    expect(message(() => native.sign(key, new Uint8Array(0), signature))).toBeNull();
    expect(toHex(signature)).toBe(toHex(createSodiumSigner(seedFor('arguments')).sign(new Uint8Array(0))));
  });
});

describe('tools/crypto/native/build.mjs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'covey-native-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const build = (out: string, env: Record<string, string>, ...args: string[]) =>
    spawnSync(process.execPath, [BUILD_SCRIPT, ...args], { env: { ...process.env, COVEY_NATIVE_OUT: out, ...env }, encoding: 'utf8' });

  test('without a C compiler it says what to install and lets the install go on; --strict fails', () => {
    const out = join(dir, 'none.node');
    const lenient = build(out, { CC: join(dir, 'no-such-cc') });
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toMatch(/no C compiler .*build-essential/);
    expect(lenient.stderr).toMatch(/sign and verify with libsodium instead/);
    expect(build(out, { CC: join(dir, 'no-such-cc') }, '--strict').status).toBe(1);
  });

  const testIfCompiler = available ? test : test.skip;
  testIfCompiler('builds a module that loads and verifies, and a second run finds it up to date', () => {
    const out = join(dir, 'covey_ed25519.node');
    const first = build(out, {}, '--strict');
    expect(first.stdout).toMatch(/built .*covey_ed25519\.node/);
    expect(first.status).toBe(0);
    const again = build(out, {}, '--strict');
    expect(again.stdout).toMatch(/up to date/);
    const native = createRequire(import.meta.url)(out) as { prepareKey(key: Uint8Array): ArrayBuffer | null; keySize: number };
    expect(native.prepareKey(createSodiumSigner(seedFor('build')).publicKey)?.byteLength).toBe(native.keySize);
  }, 60_000);
});

/** The XS runner itself: framing, errors from inside XS, and that no worker outlives its test. */
import { fileURLToPath } from 'node:url';
import { encodeNetstring, NetstringReader } from '../../tools/xs/netstring.js';
import { withXsWorker, XsCommandError, XsWorker, XsWorkerError } from '../../tools/xs/xs-runner.js';

const PROOFS_ENTRY = fileURLToPath(new URL('./entries/proofs-entry.ts', import.meta.url));
const ascii = (text: string) => new TextEncoder().encode(text);

describe('netstrings', () => {
  test('a frame split across chunks is reassembled', () => {
    const reader = new NetstringReader();
    const wire = new Uint8Array([...encodeNetstring(ascii('hello')), ...encodeNetstring(ascii(''))]);
    expect(reader.push(wire.subarray(0, 3))).toEqual([]);
    expect(reader.push(wire.subarray(3))).toEqual([ascii('hello'), ascii('')]);
  });

  test('a frame without its trailing comma is refused', () => {
    expect(() => new NetstringReader().push(ascii('2:ab;'))).toThrow(RangeError);
  });
});

describe('XsWorker', () => {
  test('a handler that throws sends back its error name', async () => {
    await withXsWorker(async (worker) => {
      await worker.load(PROOFS_ENTRY);
      const call = worker.call('no-such-op');
      await expect(call).rejects.toBeInstanceOf(XsCommandError);
      await expect(call).rejects.toMatchObject({ remoteName: 'RangeError' });
    });
  });

  test('a script that throws is reported and the worker carries on', async () => {
    await withXsWorker(async (worker) => {
      await expect(worker.evaluate('throw new TypeError("boom")')).rejects.toThrow(/uncaught in XS: TypeError: boom/);
      expect((await worker.evaluate('1 + 1')).compute).toBeGreaterThan(0);
    });
  });

  test('a runaway script is stopped by the compute limit', async () => {
    const worker = await XsWorker.start({ computeLimit: 1e6 });
    try {
      await expect(worker.evaluate('for (;;) {}')).rejects.toThrow(/too much computation/);
      expect(worker.running).toBe(false);
    } finally {
      await worker.close();
    }
  });

  test('a command that outlives its time bound kills the worker', async () => {
    const worker = await XsWorker.start({ requestTimeoutMs: 200, computeLimit: 2e9 });
    try {
      await expect(worker.evaluate('for (;;) {}')).rejects.toThrow(XsWorkerError);
    } finally {
      await worker.close();
    }
    expect(worker.running).toBe(false);
  });

  test('the bound on commands does not apply to the start', async () => {
    // Starting a worker (spawn, engine set-up, first answer) takes well over a millisecond.
    const worker = await XsWorker.start({ requestTimeoutMs: 1 });
    try {
      expect(worker.running).toBe(true);
    } finally {
      await worker.close();
    }
  });

  test('close ends the process and may be called twice', async () => {
    const worker = await XsWorker.start();
    await worker.close();
    await worker.close();
    expect(worker.running).toBe(false);
    await expect(worker.evaluate('1')).rejects.toThrow(XsWorkerError);
  });
});

/**
 * The console's byte side (hal/moddable/console-buffer.ts): lines rebuilt from chunks, whatever the line
 * ending; over-long lines dropped whole; the output ring's UTF-8; and a writer that never hands the
 * transmit FIFO more than it has room for.
 */
import { FifoWriter, LineAssembler, OutputRing } from '../../hal/moddable/console-buffer.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

function linesOf(chunks: readonly string[], maxLineBytes = 32) {
  const assembler = new LineAssembler(maxLineBytes);
  const lines: string[] = [];
  for (const chunk of chunks) assembler.push(bytes(chunk), (line) => lines.push(line));
  return { lines, overlong: assembler.overlong };
}

describe('LineAssembler', () => {
  test('a line split across chunks comes out once, whole', () => {
    expect(linesOf(['co', 'vey wa', 'lk-l', 'og', '\n']).lines).toEqual(['covey walk-log']);
  });

  test('LF, CR and CR LF each end a line; the empty lines between are skipped', () => {
    expect(linesOf(['one\ntwo\rthree\r\nfour\r', '\n\n\r\nfive\n']).lines).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  test('a CR LF split between two chunks ends one line', () => {
    expect(linesOf(['ping\r', '\npong\n']).lines).toEqual(['ping', 'pong']);
  });

  test('nothing comes out until the line ends', () => {
    expect(linesOf(['covey walk-log']).lines).toEqual([]);
  });

  test('a line longer than the buffer is dropped whole and counted; the next line is intact', () => {
    const { lines, overlong } = linesOf([`${'x'.repeat(20)}covey walk-log`, 'covey walk-log\n', 'next\n'], 16);
    expect(lines).toEqual(['next']);
    expect(overlong).toBe(1);
  });

  test('a line of exactly the buffer size is kept', () => {
    expect(linesOf(['a'.repeat(16), '\n'], 16)).toEqual({ lines: ['a'.repeat(16)], overlong: 0 });
  });

  test('bytes above 127 become the Latin-1 character of the same code', () => {
    expect(linesOf(['caf\xe9\n']).lines).toEqual(['caf\u00e9']);
  });

  test('refuses a buffer size that is not a positive integer', () => {
    expect(() => new LineAssembler(0)).toThrow(RangeError);
  });
});

describe('OutputRing', () => {
  test('encodes UTF-8 as Buffer does, surrogate pairs included, across the wrap', () => {
    const ring = new OutputRing(16);
    ring.append('abcdefghij', 10);
    ring.consume(10);
    const text = 'é€😀';
    const encoded = Buffer.from(text, 'utf8');
    ring.append(text, encoded.length);
    const out = [...new Uint8Array(ring.peek(16))];
    ring.consume(out.length);
    out.push(...new Uint8Array(ring.peek(16)));
    expect(Buffer.from(out).toString('hex')).toBe(encoded.toString('hex'));
  });

  test('refuses to overflow', () => {
    const ring = new OutputRing(4);
    expect(() => ring.append('hello', 5)).toThrow(RangeError);
  });
});

describe('FifoWriter', () => {
  test('queues whole lines only when they fit under the limit', () => {
    const writer = new FifoWriter(64);
    expect(writer.offer('a'.repeat(30), 40)).toBe(true);
    expect(writer.offer('b'.repeat(30), 40)).toBe(false);
    expect(writer.size).toBe(31);
  });

  test('before any onWritable it writes a small probe, then only what onWritable allowed', () => {
    const writer = new FifoWriter(256);
    writer.offer('x'.repeat(99), 256);
    const writes: number[] = [];
    writer.drain((piece) => writes.push(piece.byteLength));
    expect(writes).toEqual([16]);
    writer.drain((piece) => writes.push(piece.byteLength));
    expect(writes).toEqual([16]); // an onWritable is due: nothing more until it comes
    writer.writable(50);
    writer.drain((piece) => writes.push(piece.byteLength));
    expect(writes).toEqual([16, 50]);
    writer.writable(128);
    writer.drain((piece) => writes.push(piece.byteLength));
    expect(writes).toEqual([16, 50, 34]);
    expect(writer.size).toBe(0);
  });

  test('a refused write keeps the bytes and counts the error', () => {
    const writer = new FifoWriter(64);
    writer.offer('hello', 64);
    writer.writable(128);
    writer.drain(() => {
      throw new Error('output full');
    });
    expect(writer.size).toBe(6);
    expect(writer.writeErrors).toBe(1);
  });
});

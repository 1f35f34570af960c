/**
 * One value received over the console (hal/moddable/put-transfer.ts): base64 decoded straight into the
 * announced buffer (RFC 4648 §10's vectors, and any bytes as Node encodes them), the length and CRC-32
 * (zlib's) checked at the end.
 */
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { crcHex, decodeBase64Into, PUT_CHUNK_CHARS, PutError, PutTransfer } from '../../hal/moddable/put-transfer.js';

const decode = (text: string, room = 16): string => {
  const target = new Uint8Array(room);
  const length = decodeBase64Into(text, target, 0);
  return Buffer.from(target.subarray(0, length)).toString('latin1');
};

describe('decodeBase64Into', () => {
  test.each([
    ['', ''], ['Zg==', 'f'], ['Zm8=', 'fo'], ['Zm9v', 'foo'], ['Zm9vYg==', 'foob'], ['Zm9vYmE=', 'fooba'], ['Zm9vYmFy', 'foobar'],
  ])('RFC 4648 §10: %j is %j', (text, expected) => {
    expect(decode(text)).toBe(expected);
  });

  test('decodes what Node encodes, at any offset, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 72 }), fc.nat(8), (bytes, offset) => {
      const target = new Uint8Array(offset + bytes.length);
      expect(decodeBase64Into(Buffer.from(bytes).toString('base64'), target, offset)).toBe(bytes.length);
      expect(Buffer.from(target.subarray(offset)).equals(Buffer.from(bytes))).toBe(true);
    }));
  });

  test.each([
    ['Zm9', /not a multiple of 4/],
    ['Zm9-', /not base64: character "-" at 3/],
    ['Zg==Zm9v', /not base64: character "=" at 2/],
    ['Z===', /not base64: character "=" at 1/],
    ['Zm 9', /not base64: character " " at 2/],
  ])('refuses %j', (text, message) => {
    expect(() => decode(text)).toThrow(PutError);
    expect(() => decode(text)).toThrow(message);
  });

  test('refuses more bytes than the target has room for, writing none of them', () => {
    const target = new Uint8Array(4).fill(7);
    expect(() => decodeBase64Into('Zm9vYmFy', target, 0)).toThrow('more data than the 4 bytes announced');
    expect([...target]).toEqual([7, 7, 7, 7]);
  });
});

describe('PutTransfer', () => {
  const bytes = Uint8Array.from({ length: 150 }, (_, i) => (i * 37) & 0xff);
  const chunks = (data: Uint8Array) => Array.from({ length: Math.ceil(data.length / 72) }, (_, i) => Buffer.from(data.subarray(72 * i, 72 * i + 72)).toString('base64'));

  test('gives back the bytes once the length and the CRC-32 match', () => {
    const transfer = new PutTransfer('attest', bytes.length, crc32(bytes));
    for (const chunk of chunks(bytes)) transfer.append(chunk);
    expect(transfer.have).toBe(150);
    expect([...transfer.finish()]).toEqual([...bytes]);
  });

  test('a value cut anywhere into whole base64 groups arrives the same', () => {
    const text = Buffer.from(bytes).toString('base64');
    const transfer = new PutTransfer('attest', bytes.length, crc32(bytes));
    for (let i = 0; i < text.length; i += 40) transfer.append(text.slice(i, i + 40));
    expect([...transfer.finish()]).toEqual([...bytes]);
  });

  test('refuses a CRC-32 that does not match, naming both', () => {
    const transfer = new PutTransfer('attest', bytes.length, 0x12345678);
    for (const chunk of chunks(bytes)) transfer.append(chunk);
    expect(() => transfer.finish()).toThrow(`CRC-32 ${crcHex(crc32(bytes))} does not match the 12345678 announced`);
  });

  test('refuses to finish short', () => {
    const transfer = new PutTransfer('attest', bytes.length, crc32(bytes));
    transfer.append(chunks(bytes)[0]);
    expect(() => transfer.finish()).toThrow('got 72 of the 150 bytes announced');
  });

  test(`refuses a data line over ${PUT_CHUNK_CHARS} characters`, () => {
    const transfer = new PutTransfer('attest', 200, 0);
    expect(() => transfer.append('A'.repeat(PUT_CHUNK_CHARS + 4))).toThrow(`at most ${PUT_CHUNK_CHARS} base64 characters`);
    expect(transfer.have).toBe(0);
  });

  test.each([0, 4001, 1.5])('refuses to announce %p bytes', (count) => {
    expect(() => new PutTransfer('settings', count, 0)).toThrow(/a value is 1 to 4000 bytes/);
  });

  test('crcHex writes 8 lowercase hex digits (zlib: "123456789" → cbf43926)', () => {
    expect(crcHex(crc32(Buffer.from('123456789')))).toBe('cbf43926');
    expect(crcHex(0x1f)).toBe('0000001f');
  });
});

/**
 * The emulator's building blocks on their own: SLIP framing (esptool "Serial Protocol", "Low Level
 * Protocol"), the XOR checksum, request and response packets, NOR flash semantics, and the UART's
 * baud-rate mismatch.
 */
import fc from 'fast-check';
import { SlipDecoder, slipEncode } from '../../host-sim/esp32/slip.js';
import { buildResponse, checksum, parseRequest } from '../../host-sim/esp32/protocol.js';
import { FlashRangeError, NorFlash } from '../../host-sim/esp32/flash.js';
import { transmit } from '../../host-sim/esp32/uart.js';
import { frame, md5, request } from '../support/esp32-loader-client.js';

describe('SLIP', () => {
  test('escapes 0xC0 as DB DC and 0xDB as DB DD, between two 0xC0', () => {
    expect(Array.from(slipEncode(Uint8Array.of(0x01, 0xc0, 0xdb, 0x02)))).toEqual([0xc0, 0x01, 0xdb, 0xdc, 0xdb, 0xdd, 0x02, 0xc0]);
  });

  test('agrees with an independent encoder', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (packet) => {
      expect(Array.from(slipEncode(packet))).toEqual(Array.from(frame(packet)));
    }));
  });

  test('round-trips any packets, however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        (packets, cuts) => {
          const stream = Uint8Array.from(packets.flatMap((packet) => Array.from(slipEncode(packet))));
          const decoder = new SlipDecoder();
          const out: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length];
            out.push(...decoder.push(stream.subarray(at, at + size)));
            at += size;
          }
          expect(out.map((p) => Array.from(p))).toEqual(packets.map((p) => Array.from(p)));
        },
      ),
    );
  });

  test('drops bytes outside frames and frames with a bad escape', () => {
    const decoder = new SlipDecoder();
    const noise = new TextEncoder().encode('waiting for download\r\n');
    const bad = Uint8Array.of(0xc0, 0x01, 0xdb, 0x42, 0xc0);
    const good = slipEncode(Uint8Array.of(0x07));
    const packets = decoder.push(Uint8Array.from([...noise, ...bad, ...good]));
    expect(packets.map((p) => Array.from(p))).toEqual([[0x07]]);
    expect(decoder.errors).toBe(1);
  });
});

describe('packets', () => {
  test('the checksum is 0xEF XORed with every data byte', () => {
    expect(checksum(new Uint8Array(0))).toBe(0xef);
    expect(checksum(Uint8Array.of(0xef))).toBe(0);
    expect(checksum(Uint8Array.of(0x01, 0x02, 0x04))).toBe(0xef ^ 0x07);
  });

  test('a request is parsed from its header: command, size, checksum, data', () => {
    const parsed = parseRequest(request(0x03, Uint8Array.of(9, 8, 7), 0x1234));
    expect(parsed?.command).toBe(0x03);
    expect(parsed?.checksum).toBe(0x1234);
    expect(Array.from(parsed?.data ?? [])).toEqual([9, 8, 7]);
  });

  test('a request whose size field disagrees with its length, or that is a response, is no request', () => {
    const packet = request(0x0a, Uint8Array.of(0, 0, 0, 0));
    expect(parseRequest(packet.subarray(0, 10))).toBeUndefined();
    const response = packet.slice();
    response[0] = 0x01;
    expect(parseRequest(response)).toBeUndefined();
  });

  test('a response carries the value, the data, then failed and error status bytes', () => {
    const ok = buildResponse({ command: 0x0a, value: 0x00f01d83, statusBytes: 4 });
    expect(Array.from(ok)).toEqual([0x01, 0x0a, 4, 0, 0x83, 0x1d, 0xf0, 0x00, 0, 0, 0, 0]);
    const failed = buildResponse({ command: 0x03, data: Uint8Array.of(0xaa), error: 0xc1, statusBytes: 2 });
    expect(Array.from(failed)).toEqual([0x01, 0x03, 3, 0, 0, 0, 0, 0, 0xaa, 1, 0xc1]);
  });
});

describe('NOR flash', () => {
  test('starts erased, and a write clears bits only', () => {
    const flash = new NorFlash(0x10000);
    expect(flash.bytes.every((byte) => byte === 0xff)).toBe(true);
    flash.program(0x100, Uint8Array.of(0xf0, 0x0f));
    flash.program(0x100, Uint8Array.of(0x3c, 0xff));
    expect(Array.from(flash.read(0x100, 2))).toEqual([0xf0 & 0x3c, 0x0f]);
  });

  test('erase restores 0xFF over every 4 KiB sector the range touches', () => {
    const flash = new NorFlash(0x10000);
    flash.program(0, new Uint8Array(0x10000));
    flash.erase(0x1800, 0x1000);
    expect(flash.bytes.subarray(0x1000, 0x3000).every((byte) => byte === 0xff)).toBe(true);
    expect(flash.bytes[0x0fff]).toBe(0);
    expect(flash.bytes[0x3000]).toBe(0);
  });

  test('ranges past the end are refused', () => {
    const flash = new NorFlash(0x10000);
    expect(() => flash.program(0xffff, Uint8Array.of(1, 2))).toThrow(FlashRangeError);
    expect(() => flash.erase(0xf000, 0x2000)).toThrow(FlashRangeError);
  });

  test('MD5 is over the bytes in the range', () => {
    const flash = new NorFlash(0x10000);
    flash.program(0x2000, Uint8Array.of(1, 2, 3));
    expect(Array.from(flash.md5(0x2000, 4))).toEqual(Array.from(md5(Uint8Array.of(1, 2, 3, 0xff))));
  });

  test('the JEDEC capacity byte is log2 of the size', () => {
    expect(new NorFlash(4 * 1024 * 1024).jedecId).toEqual([0xef, 0x40, 0x16]);
    expect(new NorFlash(16 * 1024 * 1024).jedecId).toEqual([0xef, 0x40, 0x18]);
    expect(() => new NorFlash(3_000_000)).toThrow(RangeError);
  });
});

describe('UART', () => {
  test('bytes pass unchanged at matching baud rates', () => {
    const bytes = slipEncode(Uint8Array.of(1, 2, 3));
    expect(transmit(bytes, 460_800, 460_800)).toBe(bytes);
  });

  test('at mismatched rates no byte survives and the count scales with the rates', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 100 }), (bytes) => {
      const fast = transmit(bytes, 460_800, 115_200);
      expect(fast.length).toBe(Math.max(1, Math.round(bytes.length / 4)));
      const slow = transmit(bytes, 115_200, 460_800);
      expect(slow.length).toBe(bytes.length * 4);
      slow.forEach((byte, i) => expect(byte).not.toBe(bytes[Math.floor(i / 4)]));
    }));
  });
});

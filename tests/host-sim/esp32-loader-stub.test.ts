/**
 * The flasher stub: it starts only when what was loaded into RAM is byte for byte esptool-js's stub for
 * the chip, says "OHAI", and from then on answers in the stub's way: one SYNC reply, two status bytes,
 * raw MD5, and the stub-only commands (ERASE_FLASH, ERASE_REGION, READ_FLASH with its acknowledgements).
 */
import { deflateSync } from 'node:zlib';
import { Esp32LoaderEmulator, type EmulatedChip } from '../../host-sim/esp32/index.js';
import { LoaderClient, SYNC_DATA, le32, md5, turns, xorChecksum, type Response } from '../support/esp32-loader-client.js';

const NAMES: Record<EmulatedChip, string> = { esp32: 'ESP32', esp32s3: 'ESP32-S3' };
const status = (response: Response): number[] => Array.from(response.body.subarray(0, 2));
const text = (packet: Uint8Array): string => Buffer.from(packet).toString('ascii');

async function withStub(chip: EmulatedChip) {
  const emulator = new Esp32LoaderEmulator({ chip });
  const client = new LoaderClient(emulator);
  client.resetIntoDownload();
  const end = await client.uploadStub(NAMES[chip]);
  expect(status(end)).toEqual([0, 0]);
  expect(text(await client.packet())).toBe('OHAI');
  return { emulator, client };
}

describe.each<EmulatedChip>(['esp32', 'esp32s3'])('stub upload on %s', (chip) => {
  test('esptool-js\'s own stub starts and says OHAI', async () => {
    const { emulator } = await withStub(chip);
    expect(emulator.stubRunning).toBe(true);
  });

  test('a stub with one byte changed is not run: the chip goes quiet', async () => {
    const emulator = new Esp32LoaderEmulator({ chip });
    const client = new LoaderClient(emulator);
    client.resetIntoDownload();
    const end = await client.uploadStub(NAMES[chip], (code) => {
      code[100] ^= 0x01;
    });
    expect(status(end)).toEqual([0, 0]);
    expect(await client.pending()).toBe(0);
    expect(emulator.state).toBe('hung');
    client.send(0x08, SYNC_DATA);
    expect(await client.pending()).toBe(0);
  });

  test('the stub answers SYNC once, with value 0 and two status bytes', async () => {
    const { client } = await withStub(chip);
    const reply = await client.command(0x08, SYNC_DATA);
    expect(reply.value).toBe(0);
    expect(Array.from(reply.body)).toEqual([0, 0]);
    expect(await client.pending()).toBe(0);
  });

  test('SPI_FLASH_MD5 gives 16 raw bytes', async () => {
    const { emulator, client } = await withStub(chip);
    emulator.flash.set([9, 8, 7], 0x1000);
    const reply = await client.command(0x13, le32(0x1000, 0x1000, 0, 0));
    expect(Array.from(reply.body)).toEqual([...md5(emulator.flash.subarray(0x1000, 0x2000)), 0, 0]);
  });

  test('ERASE_REGION erases whole sectors and refuses unaligned ones', async () => {
    const { emulator, client } = await withStub(chip);
    emulator.flash.fill(0, 0x8000, 0xa000);
    expect(status(await client.command(0xd1, le32(0x8000, 0x1000)))).toEqual([0, 0]);
    expect(emulator.flash[0x8fff]).toBe(0xff);
    expect(emulator.flash[0x9000]).toBe(0);
    expect(status(await client.command(0xd1, le32(0x9000, 0x800)))).toEqual([1, 0xc0]);
    expect(emulator.flash[0x9000]).toBe(0);
  });

  test('ERASE_FLASH erases everything', async () => {
    const { emulator, client } = await withStub(chip);
    emulator.flash.fill(0x12, 0, 0x1000);
    emulator.flash.fill(0x34, emulator.flash.length - 0x1000);
    expect(status(await client.command(0xd0))).toEqual([0, 0]);
    expect(emulator.flash.every((byte) => byte === 0xff)).toBe(true);
  });

  test('a block with a bad checksum is BAD_DATA_CHECKSUM', async () => {
    const { client } = await withStub(chip);
    await client.command(0x02, le32(0x1000, 1, 0x1000, 0x10000));
    const payload = new Uint8Array(16 + 4);
    payload.set(le32(4, 0, 0, 0));
    expect(status(await client.command(0x03, payload, 0x00))).toEqual([1, 0xc1]);
  });

  test('FLASH_DEFL_END before the announced size arrived is NOT_ENOUGH_DATA', async () => {
    const { client } = await withStub(chip);
    const compressed = deflateSync(new Uint8Array(0x2000).fill(0x5a));
    await client.command(0x10, le32(0x3000, 1, 0x4000, 0x20000));
    const payload = new Uint8Array(16 + compressed.length);
    payload.set(le32(compressed.length, 0, 0, 0));
    payload.set(compressed, 16);
    expect(status(await client.command(0x11, payload, xorChecksum(compressed)))).toEqual([0, 0]);
    expect(status(await client.command(0x12, le32(1)))).toEqual([1, 0xc8]);
  });

  test('an unknown command is CMD_NOT_IMPLEMENTED, echoing the command', async () => {
    const { client } = await withStub(chip);
    const reply = await client.command(0xee);
    expect(reply.command).toBe(0xee);
    expect(status(reply)).toEqual([1, 0xff]);
  });
});

describe('READ_FLASH', () => {
  test('streams packets, at most maxUnacked ahead of the acknowledgements, then the MD5', async () => {
    const { emulator, client } = await withStub('esp32');
    const content = Uint8Array.from({ length: 0x2800 }, (_, i) => (i * 31) & 0xff);
    emulator.flash.set(content, 0x30000);
    expect(status(await client.command(0xd2, le32(0x30000, content.length, 0x1000, 2)))).toEqual([0, 0]);
    const received: number[] = [];
    expect(await client.pending()).toBe(2);
    while (received.length < content.length) {
      received.push(...(await client.packet()));
      client.sendPacket(le32(received.length));
    }
    expect(Array.from(await client.packet())).toEqual(Array.from(md5(content)));
    expect(received).toEqual(Array.from(content));
    expect(await client.pending()).toBe(0);
    expect((await client.command(0x0a, le32(0x40001000))).value).toBe(0x00f01d83);
  });

  test('a range past the end of the flash is refused', async () => {
    const { client } = await withStub('esp32');
    expect(status(await client.command(0xd2, le32(0x3ff000, 0x2000, 0x1000, 64)))).toEqual([1, 0xc0]);
  });
});

test('a reset takes the chip back to the ROM loader', async () => {
  const { emulator, client } = await withStub('esp32s3');
  client.resetIntoDownload();
  await turns();
  expect(emulator.stubRunning).toBe(false);
  client.send(0x08, SYNC_DATA);
  expect(await client.pending()).toBe(8);
});

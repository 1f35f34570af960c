/**
 * The ROM loader's commands, one by one, through an independent little client
 * (tests/support/esp32-loader-client.ts): answers, status bytes and error codes as esptool's
 * "Serial Protocol" page gives them, on the ESP32 and the ESP32-S3.
 */
import { deflateSync } from 'node:zlib';
import { Esp32LoaderEmulator, type EmulatedChip } from '../../host-sim/esp32/index.js';
import { LoaderClient, SYNC_DATA, le32, md5, turns, xorChecksum, type Response } from '../support/esp32-loader-client.js';

const STATUS_BYTES: Record<EmulatedChip, number> = { esp32: 4, esp32s3: 2 };

async function downloadMode(chip: EmulatedChip, options: { flashBytes?: number } = {}) {
  const emulator = new Esp32LoaderEmulator({ chip, ...options });
  const client = new LoaderClient(emulator);
  client.resetIntoDownload();
  await turns();
  return { emulator, client };
}

/** [failed, error] from a response without data. */
const status = (response: Response): number[] => Array.from(response.body.subarray(0, 2));

function dataBlock(block: Uint8Array, seq: number): [Uint8Array, number] {
  const payload = new Uint8Array(16 + block.length);
  payload.set(le32(block.length, seq, 0, 0));
  payload.set(block, 16);
  return [payload, xorChecksum(block)];
}

describe.each<EmulatedChip>(['esp32', 'esp32s3'])('ROM loader on %s', (chip) => {
  test('SYNC is answered eight times with a non-zero value and the ROM\'s status bytes', async () => {
    const { client } = await downloadMode(chip);
    client.send(0x08, SYNC_DATA);
    for (let i = 0; i < 8; i++) {
      const reply = await client.response();
      expect(reply.command).toBe(0x08);
      expect(reply.value).toBe(0x20120707);
      expect(Array.from(reply.body)).toEqual(new Array(STATUS_BYTES[chip]).fill(0));
    }
    expect(await client.pending()).toBe(0);
  });

  test('a SYNC with the wrong payload fails with "invalid message"', async () => {
    const { client } = await downloadMode(chip);
    const reply = await client.command(0x08, SYNC_DATA.subarray(0, 35));
    expect(status(reply)).toEqual([1, 0x05]);
  });

  test('READ_REG gives the chip magic esptool detects chips by', async () => {
    const { client } = await downloadMode(chip);
    const reply = await client.command(0x0a, le32(0x40001000));
    expect(reply.value).toBe(chip === 'esp32' ? 0x00f01d83 : 0x09);
  });

  test('WRITE_REG writes under its mask and READ_REG reads it back; eFuses ignore writes', async () => {
    const { client } = await downloadMode(chip);
    const address = 0x3ffe0000;
    expect(status(await client.command(0x09, le32(address, 0x12345678, 0xffffffff, 0)))).toEqual([0, 0]);
    await client.command(0x09, le32(address, 0xabcdef00, 0x0000ff00, 0));
    expect((await client.command(0x0a, le32(address))).value).toBe(0x1234ef78);
    const magic = (await client.command(0x0a, le32(0x40001000))).value;
    await client.command(0x09, le32(0x40001000, 0, 0xffffffff, 0));
    expect((await client.command(0x0a, le32(0x40001000))).value).toBe(magic);
  });

  test('the SPI controller\'s user command reads the flash JEDEC id into W0', async () => {
    const { client } = await downloadMode(chip);
    const spi = chip === 'esp32'
      ? { base: 0x3ff42000, usr: 0x1c, usr2: 0x24, miso: 0x2c, w0: 0x80 }
      : { base: 0x60002000, usr: 0x18, usr2: 0x20, miso: 0x28, w0: 0x58 };
    const write = (offset: number, value: number) => client.command(0x09, le32(spi.base + offset, value, 0xffffffff, 0));
    await write(spi.miso, 23);
    await write(spi.usr, (1 << 31) | (1 << 28));
    await write(spi.usr2, (7 << 28) | 0x9f);
    await write(spi.w0, 0);
    await write(0, 1 << 18);
    expect((await client.command(0x0a, le32(spi.base))).value & (1 << 18)).toBe(0);
    expect((await client.command(0x0a, le32(spi.base + spi.w0))).value).toBe(0x1640ef);
  });

  test('the UART clock divider matches a 40 MHz crystal at 115200 baud', async () => {
    const { client } = await downloadMode(chip);
    const divider = (await client.command(0x0a, le32(chip === 'esp32' ? 0x3ff40014 : 0x60000014))).value & 0xfffff;
    expect(Math.round((115_200 * divider) / 1e6)).toBe(40);
  });

  test('FLASH_BEGIN erases whole sectors and FLASH_DATA lands at offset + seq × block size', async () => {
    const { emulator, client } = await downloadMode(chip);
    emulator.flash.fill(0x00, 0x20000, 0x24000);
    expect(status(await client.command(0x02, le32(0x1800, 2, 0x1000, 0x20000, 0)))).toEqual([0, 0]);
    const second = Uint8Array.from({ length: 0x800 }, (_, i) => i & 0xff);
    expect(status(await client.command(0x03, ...dataBlock(second, 1)))).toEqual([0, 0]);
    expect(Array.from(emulator.flash.subarray(0x21000, 0x21800))).toEqual(Array.from(second));
    expect(emulator.flash.subarray(0x20000, 0x21000).every((byte) => byte === 0xff)).toBe(true);
    expect(emulator.flash.subarray(0x21800, 0x22000).every((byte) => byte === 0xff)).toBe(true);
    expect(emulator.flash[0x22000]).toBe(0x00);
  });

  test('writing where nothing was erased ANDs into the old data, like NOR flash', async () => {
    const { emulator, client } = await downloadMode(chip);
    emulator.flash.fill(0x0f, 0x31000, 0x32000);
    await client.command(0x02, le32(0x1000, 2, 0x1000, 0x30000, 0));
    await client.command(0x03, ...dataBlock(new Uint8Array(0x1000).fill(0xf3), 1));
    expect(emulator.flash[0x31000]).toBe(0x03);
    const reply = await client.command(0x13, le32(0x31000, 0x1000, 0, 0));
    const hex = Buffer.from(md5(new Uint8Array(0x1000).fill(0xf3))).toString('hex');
    expect(Buffer.from(reply.body.subarray(0, 32)).toString('ascii')).not.toBe(hex);
  });

  test('a block with a wrong checksum is refused with "invalid CRC" and not written', async () => {
    const { emulator, client } = await downloadMode(chip);
    await client.command(0x02, le32(0x1000, 1, 0x1000, 0x40000, 0));
    const [payload, sum] = dataBlock(new Uint8Array(0x1000), 0);
    expect(status(await client.command(0x03, payload, sum ^ 1))).toEqual([1, 0x07]);
    expect(emulator.flash[0x40000]).toBe(0xff);
  });

  test('FLASH_BEGIN past the end of the flash fails and erases nothing', async () => {
    const { emulator, client } = await downloadMode(chip, { flashBytes: 0x100000 });
    emulator.flash.fill(0, 0xff000);
    expect(status(await client.command(0x02, le32(0x2000, 1, 0x2000, 0xff000, 0)))).toEqual([1, 0x06]);
    expect(emulator.flash[0xff000]).toBe(0);
  });

  test('FLASH_DATA without FLASH_BEGIN fails', async () => {
    const { client } = await downloadMode(chip);
    expect(status(await client.command(0x03, ...dataBlock(new Uint8Array(16), 0)))).toEqual([1, 0x06]);
  });

  test('SPI_FLASH_MD5 answers with 32 lowercase hex characters', async () => {
    const { emulator, client } = await downloadMode(chip);
    emulator.flash.set([1, 2, 3], 0x50000);
    const reply = await client.command(0x13, le32(0x50000, 0x2000, 0, 0));
    expect(reply.body.length).toBe(32 + STATUS_BYTES[chip]);
    expect(Buffer.from(reply.body.subarray(0, 32)).toString('ascii')).toBe(Buffer.from(md5(emulator.flash.subarray(0x50000, 0x52000))).toString('hex'));
    expect(Array.from(reply.body.subarray(32, 34))).toEqual([0, 0]);
  });

  test('FLASH_DEFL_* inflate one zlib stream across blocks into the flash', async () => {
    const { emulator, client } = await downloadMode(chip);
    const image = Uint8Array.from({ length: 0x6000 }, (_, i) => (i * 7) & 0xff);
    const compressed = deflateSync(image, { level: 9 });
    const half = Math.ceil(compressed.length / 2);
    expect(status(await client.command(0x10, le32(0x8000, 2, half, 0x60000)))).toEqual([0, 0]);
    for (let seq = 0; seq < 2; seq++) {
      const reply = await client.command(0x11, ...dataBlock(compressed.subarray(seq * half, (seq + 1) * half), seq));
      expect(status(reply)).toEqual([0, 0]);
    }
    expect(Array.from(emulator.flash.subarray(0x60000, 0x66000))).toEqual(Array.from(image));
  });

  test('a block that is not deflate data fails with "deflate error"', async () => {
    const { client } = await downloadMode(chip);
    await client.command(0x10, le32(0x1000, 1, 0x100, 0x60000));
    const reply = await client.command(0x11, ...dataBlock(Uint8Array.of(0x78, 0x9c, 0xff, 0xff, 0xff), 0));
    expect(status(reply)).toEqual([1, 0x0b]);
  });

  test('commands only the stub knows are "invalid message" in a response that does not echo them', async () => {
    const { client } = await downloadMode(chip);
    const reply = await client.command(0xd0);
    expect(reply.command).not.toBe(0xd0);
    expect(status(reply)).toEqual([1, 0x05]);
  });

  test('FLASH_END with 1 leaves the loader for the firmware, which ignores the loader', async () => {
    const emulator = new Esp32LoaderEmulator({ chip, firmwareBanner: 'hello from flash\r\n' });
    const client = new LoaderClient(emulator);
    client.resetIntoDownload();
    await client.command(0x02, le32(0, 0, 0x1000, 0, 0));
    expect(status(await client.command(0x04, le32(1)))).toEqual([0, 0]);
    await turns();
    expect(emulator.state).toBe('firmware');
    expect(client.text).toMatch(/hello from flash\r\n$/);
    client.send(0x08, SYNC_DATA);
    expect(await client.pending()).toBe(0);
  });
});

describe('GET_SECURITY_INFO', () => {
  test('the ESP32-S3 ROM answers with chip id 9 in a 20-byte payload', async () => {
    const { client } = await downloadMode('esp32s3');
    const reply = await client.command(0x14);
    expect(reply.body.length).toBe(22);
    expect(new DataView(reply.body.buffer).getUint32(12, true)).toBe(9);
    expect(Array.from(reply.body.subarray(20))).toEqual([0, 0]);
  });

  test('the ESP32 ROM does not know it', async () => {
    const { client } = await downloadMode('esp32');
    const reply = await client.command(0x14);
    expect(reply.command).toBe(0x00);
    expect(Array.from(reply.body)).toEqual([1, 0x05, 0, 0]);
  });
});

describe('CHANGE_BAUDRATE', () => {
  test('answers at the old rate, then understands only the new one', async () => {
    const { emulator, client } = await downloadMode('esp32');
    expect(status(await client.command(0x0f, le32(921_600, 0)))).toEqual([0, 0]);
    client.send(0x0a, le32(0x40001000));
    expect(await client.pending()).toBe(0);
    expect(emulator.log.at(-1)).not.toMatch(/READ_REG/);
    emulator.setBaudRate(921_600);
    const reply = await client.command(0x0a, le32(0x40001000));
    expect(reply.value).toBe(0x00f01d83);
  });

  test('the clock divider follows the new rate', async () => {
    const { emulator, client } = await downloadMode('esp32');
    await client.command(0x0f, le32(460_800, 0));
    emulator.setBaudRate(460_800);
    const divider = (await client.command(0x0a, le32(0x3ff40014))).value & 0xfffff;
    expect(Math.round((460_800 * divider) / 1e6)).toBe(40);
  });

  test('the host hears garbage while its rate differs from the chip\'s', async () => {
    const { emulator, client } = await downloadMode('esp32');
    emulator.setBaudRate(230_400);
    client.text = '';
    client.resetIntoDownload();
    await turns();
    expect(client.text).not.toContain('waiting for download');
    expect(client.text.length).toBeGreaterThan(0);
  });
});

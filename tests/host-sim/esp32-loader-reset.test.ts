/**
 * Reset and boot mode from DTR/RTS through the classic auto-reset circuit (EN low while RTS alone is
 * asserted, GPIO0 low while DTR alone is), the ROM's boot messages, the BOOT button, and boards without
 * the circuit.
 */
import { Esp32LoaderEmulator } from '../../host-sim/esp32/index.js';
import { LoaderClient, SYNC_DATA, turns } from '../support/esp32-loader-client.js';

const BANNER = 'covey 0.1.0 heltec_v2\r\n';

function board(options: Partial<ConstructorParameters<typeof Esp32LoaderEmulator>[0]> = {}) {
  const emulator = new Esp32LoaderEmulator({ chip: 'esp32', firmwareBanner: BANNER, ...options });
  return { emulator, client: new LoaderClient(emulator) };
}

async function answersSync(client: LoaderClient): Promise<boolean> {
  client.send(0x08, SYNC_DATA);
  return (await client.pending()) > 0;
}

test('at power-on the firmware runs and the loader does not answer', async () => {
  const { emulator, client } = board();
  expect(emulator.state).toBe('firmware');
  expect(await answersSync(client)).toBe(false);
});

test('the classic reset enters download mode and the ESP32 ROM says so', async () => {
  const { emulator, client } = board();
  client.resetIntoDownload();
  await turns();
  expect(emulator.state).toBe('download');
  expect(client.text).toBe(
    'ets Jun  8 2016 00:22:57\r\n\r\nrst:0x1 (POWERON_RESET),boot:0x3 (DOWNLOAD_BOOT(UART0/UART1/SDIO_REI_REO_V2))\r\nwaiting for download\r\n',
  );
  expect(await answersSync(client)).toBe(true);
});

test('the ESP32-S3 ROM prints its own download banner', async () => {
  const { client } = board({ chip: 'esp32s3' });
  client.resetIntoDownload();
  await turns();
  expect(client.text).toMatch(/^ESP-ROM:esp32s3-20210327\r\n[\s\S]*boot:0x0 \(DOWNLOAD\(USB\/UART0\)\)\r\nwaiting for download\r\n$/);
});

test('a reset with GPIO0 high boots the firmware, which prints its banner and ignores the loader', async () => {
  const { emulator, client } = board();
  client.resetIntoDownload();
  client.resetIntoFirmware();
  await turns();
  expect(emulator.state).toBe('firmware');
  expect(client.text).toMatch(/rst:0x1 \(POWERON_RESET\),boot:0x13 \(SPI_FAST_FLASH_BOOT\)\r\ncovey 0\.1\.0 heltec_v2\r\n$/);
  expect(await answersSync(client)).toBe(false);
});

test('asserting DTR and RTS together, as a terminal does on open, resets nothing', async () => {
  const { emulator, client } = board();
  emulator.setSignals({ dtr: true, rts: true });
  emulator.setSignals({ dtr: false, rts: false });
  await turns();
  expect(client.text).toBe('');
  expect(emulator.log).toEqual([]);
});

test('while EN is held low the chip is silent', async () => {
  const { emulator, client } = board();
  client.resetIntoDownload();
  emulator.setSignals({ dtr: false, rts: true });
  await turns();
  client.text = '';
  expect(emulator.state).toBe('in-reset');
  expect(await answersSync(client)).toBe(false);
  expect(client.text).toBe('');
});

describe('a board without the auto-reset circuit', () => {
  test('ignores DTR/RTS: the classic reset does nothing', async () => {
    const { emulator, client } = board({ autoReset: false });
    client.resetIntoDownload();
    await turns();
    expect(emulator.state).toBe('firmware');
    expect(client.text).toBe('');
    expect(await answersSync(client)).toBe(false);
  });

  test('with BOOT held it is in download mode, and stays there across RST presses', async () => {
    const { emulator, client } = board({ autoReset: false, bootHeld: true });
    expect(emulator.state).toBe('download');
    expect(await answersSync(client)).toBe(true);
    emulator.pressReset();
    await turns();
    expect(client.text).toMatch(/waiting for download\r\n$/);
  });

  test('without BOOT held, pressing RST boots the firmware', async () => {
    const { emulator, client } = board({ autoReset: false });
    emulator.pressReset();
    await turns();
    expect(client.text).toMatch(/covey 0\.1\.0 heltec_v2\r\n$/);
  });
});

test('with BOOT held, even a reset with DTR released enters download mode', async () => {
  const { emulator, client } = board({ bootHeld: true });
  client.resetIntoFirmware();
  await turns();
  expect(emulator.state).toBe('download');
});

test('work queued before a reset is dropped', async () => {
  const { emulator, client } = board();
  client.resetIntoDownload();
  await turns();
  client.send(0x08, SYNC_DATA);
  emulator.setSignals({ dtr: false, rts: true });
  expect(await client.pending()).toBe(0);
});

/**
 * The emulator's serialport binding: listing, opening like the OS does (missing port, permission denied,
 * busy), modem lines, baud rate, reads and their cancellation.
 */
import { SerialPort } from 'serialport';
import { Esp32LoaderEmulator, emulatorBinding } from '../../host-sim/esp32/index.js';
import { SYNC_DATA, frame, request } from '../support/esp32-loader-client.js';

const PATH = '/dev/ttyUSB0';

function rig(options: { denied?: string[] } = {}) {
  const emulator = new Esp32LoaderEmulator({ chip: 'esp32' });
  return { emulator, binding: emulatorBinding({ [PATH]: emulator, '/dev/ttyUSB9': new Esp32LoaderEmulator({ chip: 'esp32s3' }) }, options) };
}

function open(path: string, binding: ReturnType<typeof emulatorBinding>, baudRate = 115_200): Promise<SerialPort> {
  // serialport's types leave `binding` out of SerialPort's options, but its constructor honours it.
  const settings = { path, baudRate, binding };
  return new Promise((resolve, reject) => {
    const port = new SerialPort(settings, (error) => (error ? reject(error) : resolve(port)));
  });
}

const close = (port: SerialPort) => new Promise<void>((resolve, reject) => port.close((error) => (error ? reject(error) : resolve())));
const set = (port: SerialPort, flags: { dtr: boolean; rts: boolean }) =>
  new Promise<void>((resolve, reject) => port.set(flags, (error) => (error ? reject(error) : resolve())));

/** Collects what the port receives until `done` says it has enough. */
function collect(port: SerialPort, done: (text: string) => boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (done(all.toString('latin1'))) {
        port.off('data', onData);
        resolve(all);
      }
    };
    port.on('data', onData);
  });
}

test('list() shows each emulated board behind a CP2102 bridge', async () => {
  const { binding } = rig();
  const listed = await binding.list();
  expect(listed.map((port) => [port.path, port.vendorId, port.productId])).toEqual([
    [PATH, '10c4', 'ea60'],
    ['/dev/ttyUSB9', '10c4', 'ea60'],
  ]);
});

test('a path with no board fails like a missing device', async () => {
  const { binding } = rig();
  await expect(open('/dev/ttyUSB3', binding)).rejects.toMatchObject({
    message: 'No such file or directory, cannot open /dev/ttyUSB3',
    code: 'ENOENT',
  });
});

test('a denied path fails with "Permission denied"', async () => {
  const { binding } = rig({ denied: ['/dev/ttyUSB9'] });
  await expect(open('/dev/ttyUSB9', binding)).rejects.toMatchObject({
    message: 'Permission denied, cannot open /dev/ttyUSB9',
    code: 'EACCES',
  });
  await close(await open(PATH, binding));
});

test('a port opens once at a time', async () => {
  const { binding } = rig();
  const first = await open(PATH, binding);
  await expect(open(PATH, binding)).rejects.toMatchObject({ code: 'EBUSY' });
  await close(first);
  await close(await open(PATH, binding));
});

test('opening asserts DTR and RTS without resetting; set() drives the reset circuit', async () => {
  const { emulator, binding } = rig();
  const port = await open(PATH, binding);
  expect(emulator.state).toBe('firmware');
  const banner = collect(port, (text) => text.includes('waiting for download\r\n'));
  await set(port, { dtr: false, rts: true });
  await set(port, { dtr: true, rts: false });
  await set(port, { dtr: false, rts: false });
  expect((await banner).toString('latin1')).toContain('boot:0x3 (DOWNLOAD_BOOT');
  const replies = collect(port, (text) => text.split('\xc0').filter((part) => part.length > 0).length >= 8);
  port.write(frame(request(0x08, SYNC_DATA)));
  expect((await replies).subarray(0, 4)).toEqual(Buffer.from([0xc0, 0x01, 0x08, 0x04]));
  await close(port);
});

test('update() sets the host side\'s baud rate: after CHANGE_BAUDRATE only the new rate works', async () => {
  const { emulator, binding } = rig();
  const port = await open(PATH, binding);
  emulator.pressReset();
  await set(port, { dtr: false, rts: true });
  await set(port, { dtr: true, rts: false });
  await set(port, { dtr: false, rts: false });
  const changed = collect(port, (text) => text.includes('\x01\x0f'));
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setUint32(0, 460_800, true);
  port.write(frame(request(0x0f, payload)));
  await changed;
  await new Promise<void>((resolve, reject) => port.update({ baudRate: 460_800 }, (error) => (error ? reject(error) : resolve())));
  const magic = collect(port, (text) => text.includes('\x01\x0a'));
  const address = new Uint8Array([0x00, 0x10, 0x00, 0x40]);
  port.write(frame(request(0x0a, address)));
  const reply = await magic;
  const at = reply.indexOf(Buffer.from([0x01, 0x0a]));
  expect(reply.readUInt32LE(at + 4)).toBe(0x00f01d83);
  await close(port);
});

test('closing the port cancels a pending read', async () => {
  const { binding } = rig();
  const port = await binding.open({ path: PATH, baudRate: 115_200 });
  const read = port.read(Buffer.alloc(64), 0, 64);
  await port.close();
  await expect(read).rejects.toMatchObject({ canceled: true });
  await expect(port.write(Buffer.from([1]))).rejects.toThrow('Port is not open');
});

test('reads return what is queued, at most the length asked for', async () => {
  const { emulator, binding } = rig();
  const port = await binding.open({ path: PATH, baudRate: 115_200 });
  await port.set({ dtr: false, rts: true });
  await port.set({ dtr: true, rts: false });
  await port.set({ dtr: false, rts: false });
  const first = await port.read(Buffer.alloc(10), 0, 10);
  expect(first.bytesRead).toBeGreaterThan(0);
  expect(first.bytesRead).toBeLessThanOrEqual(10);
  expect(emulator.state).toBe('download');
  await port.flush();
  await port.close();
});

/**
 * The Web Serial adapter esptool-js runs on: serialport underneath (@serialport/binding-mock here),
 * Web Serial's shape on top: open/close, readable and writable streams, modem lines, USB ids.
 */
import { SerialPortMock } from 'serialport';
import { SerialOpenError, WebSerialPort, type SerialBinding } from '../../tools/flash/web-serial-port.js';

const MockBinding = SerialPortMock.binding;
const PATH = '/dev/ttyFLASH0';

interface MockPort {
  set(options: { dtr?: boolean; rts?: boolean; brk?: boolean }): Promise<void>;
  emitData(data: Buffer | string): void;
  recording: Buffer;
}

/** MockBinding, with every set() call and the last opened port kept for the test to look at. */
function recordingBinding() {
  const sets: { dtr?: boolean; rts?: boolean; brk?: boolean }[] = [];
  let last: MockPort | undefined;
  const binding: SerialBinding = {
    list: () => MockBinding.list(),
    open: async (options) => {
      const port = (await MockBinding.open(options as Parameters<typeof MockBinding.open>[0])) as unknown as MockPort;
      const set = port.set.bind(port);
      port.set = async (lines) => {
        sets.push({ ...lines });
        return set(lines);
      };
      last = port;
      return port;
    },
  };
  return { binding, sets, port: () => last as MockPort };
}

beforeEach(() => {
  MockBinding.reset();
  MockBinding.createPort(PATH, { echo: false, record: true, manufacturer: 'Silicon Labs', vendorId: '10c4', productId: 'ea60' });
});

test('streams exist only while the port is open', async () => {
  const { binding } = recordingBinding();
  const port = new WebSerialPort({ path: PATH, binding });
  expect(port.readable).toBeNull();
  await port.open({ baudRate: 115_200 });
  expect(port.readable).not.toBeNull();
  expect(port.writable).not.toBeNull();
  await port.close();
  expect(port.readable).toBeNull();
  expect(port.writable).toBeNull();
});

test('bytes written reach the port; bytes the port receives come out of readable', async () => {
  const { binding, port: mock } = recordingBinding();
  const port = new WebSerialPort({ path: PATH, binding });
  await port.open({ baudRate: 115_200 });
  const writer = (port.writable as WritableStream<Uint8Array>).getWriter();
  await writer.write(Uint8Array.of(0xc0, 0x00, 0x08, 0xc0));
  writer.releaseLock();
  expect(Array.from(mock().recording)).toEqual([0xc0, 0x00, 0x08, 0xc0]);
  const reader = (port.readable as ReadableStream<Uint8Array>).getReader();
  mock().emitData(Buffer.from([1, 2, 3]));
  expect(Array.from((await reader.read()).value ?? [])).toEqual([1, 2, 3]);
  reader.releaseLock();
  await port.close();
});

test('a pending read ends (done) when the port closes', async () => {
  const { binding } = recordingBinding();
  const port = new WebSerialPort({ path: PATH, binding });
  await port.open({ baudRate: 115_200 });
  const reader = (port.readable as ReadableStream<Uint8Array>).getReader();
  const pending = reader.read();
  await port.close();
  await expect(pending).resolves.toEqual({ done: true, value: undefined });
});

test('setting one line keeps the others: every set() carries DTR, RTS and BREAK as last set', async () => {
  const { binding, sets } = recordingBinding();
  const port = new WebSerialPort({ path: PATH, binding });
  await port.open({ baudRate: 115_200 });
  await port.setSignals({ dataTerminalReady: false });
  await port.setSignals({ requestToSend: false });
  await port.setSignals({ requestToSend: true });
  await port.setSignals({ break: true });
  expect(sets.map(({ dtr, rts, brk }) => ({ dtr, rts, brk }))).toEqual([
    { dtr: false, rts: true, brk: false },
    { dtr: false, rts: false, brk: false },
    { dtr: false, rts: true, brk: false },
    { dtr: false, rts: true, brk: true },
  ]);
  await port.close();
});

test('getInfo gives the USB ids the binding lists, as numbers', async () => {
  const { binding } = recordingBinding();
  const port = new WebSerialPort({ path: PATH, binding });
  await port.open({ baudRate: 115_200 });
  expect(port.getInfo()).toEqual({ usbVendorId: 0x10c4, usbProductId: 0xea60 });
  await port.close();
});

test('setBaudRate changes the speed of the open port', async () => {
  const updates: number[] = [];
  const { binding } = recordingBinding();
  const watching: SerialBinding = {
    list: () => binding.list(),
    open: async (options) => {
      const opened = (await binding.open(options)) as { update(o: { baudRate: number }): Promise<void> };
      const update = opened.update.bind(opened);
      opened.update = (o) => (updates.push(o.baudRate), update(o));
      return opened;
    },
  };
  const port = new WebSerialPort({ path: PATH, binding: watching });
  await port.open({ baudRate: 115_200 });
  await port.setBaudRate(921_600);
  expect(updates).toEqual([921_600]);
  await port.close();
});

test('a port that does not exist fails to open with the binding reason', async () => {
  const port = new WebSerialPort({ path: '/dev/ttyNOPE', binding: recordingBinding().binding });
  const opening = port.open({ baudRate: 115_200 });
  await expect(opening).rejects.toBeInstanceOf(SerialOpenError);
  await expect(port.open({ baudRate: 115_200 })).rejects.toThrow(/cannot open \/dev\/ttyNOPE: Port does not exist/);
  expect(port.readable).toBeNull();
});

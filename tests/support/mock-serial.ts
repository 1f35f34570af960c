/**
 * A scripted serial device for the tests of host tools that talk to a covey console (covey monitor,
 * provision, walk import): a port of @serialport/binding-mock whose writes reach `onWrite`, and which
 * sends what the script gives it as the device would.
 */
import { SerialPortMock } from 'serialport';
import type { SerialBinding } from '../../tools/walk/serial-log.js';

/**
 * @serialport/binding-mock's MockBinding, reached through serialport's SerialPortMock: binding-mock's
 * package.json "exports" hide its type declarations from ES modules, serialport's do not.
 */
export const MockBinding = SerialPortMock.binding;

/** The device's end of an open port. */
export interface ScriptedPort {
  readonly isOpen: boolean;
  /** Sends `text` to the host, if the port is still open. */
  send(text: string, encoding?: BufferEncoding): void;
  /** Everything the host has written so far. */
  recording(): Buffer;
}

export interface ScriptHooks {
  /** Called once the host has opened the port. */
  readonly onOpen?: (port: ScriptedPort) => void;
  /** Called after each write of the host, with what it wrote. */
  readonly onWrite?: (port: ScriptedPort, data: Buffer) => void;
}

/** Creates the mock port `path` (no echo, recording) and a binding that opens it with the script attached. */
export function scriptedBinding(path: string, hooks: ScriptHooks): SerialBinding {
  MockBinding.createPort(path, { echo: false, record: true });
  return {
    open: async (options) => {
      const port = await MockBinding.open(options);
      const scripted: ScriptedPort = {
        get isOpen() {
          return port.isOpen;
        },
        send: (text, encoding = 'utf8') => {
          if (port.isOpen) port.emitData(Buffer.from(text, encoding));
        },
        recording: () => port.recording,
      };
      hooks.onOpen?.(scripted);
      return {
        read: (buffer, offset, length) => port.read(buffer, offset, length),
        flush: () => port.flush(),
        close: () => port.close(),
        write: async (data) => {
          await port.write(data);
          hooks.onWrite?.(scripted, data);
        },
      };
    },
  };
}

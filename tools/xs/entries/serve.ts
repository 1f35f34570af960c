/**
 * The XS side of the test protocol: installs `globalThis.handleCommand`, which xsnap-worker calls with
 * the bytes of each request (its `?` command) and whose returned ArrayBuffer becomes the reply.
 *
 * A handler's exception is caught and sent back as data, never left to the worker: an uncaught one
 * would end the crank with an error string and lose the DecodeError code the tests need.
 * TextEncoder/TextDecoder are globals in xsnap-worker.
 */
import { parseWire, stringifyWire, type WireError, type WireReply, type WireRequest } from './wire.js';

// Globals of xsnap-worker, declared here so that device files type-check without Node's typings.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

export type CommandHandler = (args: Readonly<Record<string, unknown>>) => unknown;

export function serveCommands(handlers: Readonly<Record<string, CommandHandler>>): void {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const handleCommand = (request: ArrayBuffer): ArrayBuffer => {
    const reply = answer(handlers, decoder.decode(new Uint8Array(request)));
    const bytes = encoder.encode(stringifyWire(reply));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
  (globalThis as { handleCommand?: unknown }).handleCommand = handleCommand;
}

function answer(handlers: Readonly<Record<string, CommandHandler>>, text: string): WireReply {
  try {
    const { op, args } = parseWire(text) as WireRequest;
    if (!Object.prototype.hasOwnProperty.call(handlers, op)) throw new RangeError(`unknown op "${op}"`);
    return { ok: true, value: handlers[op](args ?? {}) };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

function describeError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Thrown', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

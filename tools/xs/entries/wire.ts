/**
 * The JSON both sides of the XS test protocol exchange, with byte strings carried as `{"$hex": "…"}`.
 * Device code (the host runner imports it too): no Node built-ins.
 *
 * Replacers look at `holder[key]`, not `value`, because JSON.stringify calls a Node Buffer's toJSON
 * before the replacer sees it.
 */
import { fromHex, toHex } from '../../../proofs/bytes.js';

const HEX_KEY = '$hex';

function replaceBytes(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof Uint8Array ? { [HEX_KEY]: toHex(raw) } : value;
}

function reviveBytes(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const hex = (value as Record<string, unknown>)[HEX_KEY];
    if (typeof hex === 'string' && Object.keys(value).length === 1) return fromHex(hex);
  }
  return value;
}

export function stringifyWire(value: unknown): string {
  return JSON.stringify(value, replaceBytes);
}

export function parseWire(text: string): unknown {
  return JSON.parse(text, reviveBytes);
}

/** A request: the operation's name and its arguments. */
export interface WireRequest {
  readonly op: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** What a thrown error looks like once it has crossed: enough to tell a DecodeError's code. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WireReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: WireError };

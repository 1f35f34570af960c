/**
 * Named errors for everything that crosses a boundary into covey: bytes off the air, bodies off the
 * network, files on disk. A caller can switch on `code` instead of parsing messages.
 */

/** Why a message could not be decoded. Each code names one kind of defect. */
export const DecodeFailure = {
  /** Not well-formed CBOR, or cut short. */
  Malformed: 'Malformed',
  /** Well-formed, but not in the deterministic encoding (RFC 8949 §4.2.1). */
  NonCanonical: 'NonCanonical',
  /** Bytes remain after the message. */
  TrailingBytes: 'TrailingBytes',
  /** The message type code is not one covey knows. */
  UnknownType: 'UnknownType',
  /** The type is known but this version of it is not. */
  UnknownVersion: 'UnknownVersion',
  /** A field has the wrong CBOR type (e.g. text where bytes were due). */
  WrongType: 'WrongType',
  /** A byte string or array has the wrong length. */
  WrongLength: 'WrongLength',
  /** A number is outside the range its field allows. */
  OutOfRange: 'OutOfRange',
  /** The signature does not verify for the key and message it claims. */
  BadSignature: 'BadSignature',
} as const;
export type DecodeFailure = (typeof DecodeFailure)[keyof typeof DecodeFailure];

/**
 * A message that cannot be accepted. `name` is a prototype getter rather than an assignment in the
 * constructor: after a Moddable preload the built-in prototypes are frozen, and `this.name = ...`
 * would throw "not writable" (the "override mistake", Moddable documentation/xs/preload.md).
 */
export class DecodeError extends Error {
  readonly code: DecodeFailure;

  constructor(code: DecodeFailure, detail: string) {
    super(`${code}: ${detail}`);
    this.code = code;
  }

  override get name(): string {
    return 'DecodeError';
  }
}

/** True when `error` is a DecodeError, optionally with the given code. */
export function isDecodeError(error: unknown, code?: DecodeFailure): error is DecodeError {
  return error instanceof DecodeError && (code === undefined || error.code === code);
}

/**
 * The common shape of covey's CBOR messages, `[type, version, ...fields]`, and of the signed ones,
 * `[type, version, ...fields, signature]`, where the signature covers the domain tag and the canonical
 * encoding of `[type, version, ...fields]` (signing.ts).
 */
import { encodeCbor, decodeCbor, type CborValue } from './cbor.js';
import { DecodeError, DecodeFailure } from './errors.js';
import { readBytes } from './fields.js';
import { CURRENT_VERSION, isMessageType, messageTypeName, type MessageType } from './registry.js';
import { signedBytes, type Signer, type SignatureDomain, type Verifier } from './signing.js';

export const SIGNATURE_BYTES = 64;
export const KEY_BYTES = 32;

/**
 * Checks `[type, version, ...]` and returns the fields after the two header items.
 * `fieldCount` counts those fields (the signature included, for signed messages).
 */
export function openEnvelope(
  value: unknown, type: MessageType, fieldCount: number, expectedVersion: number = CURRENT_VERSION[type],
): readonly unknown[] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new DecodeError(DecodeFailure.WrongType, 'a covey message is an array [type, version, ...]');
  }
  const [code, version] = value;
  if (!isMessageType(code)) throw new DecodeError(DecodeFailure.UnknownType, `message type ${String(code)}`);
  if (code !== type) {
    throw new DecodeError(DecodeFailure.WrongType, `expected ${messageTypeName(type)}, got ${messageTypeName(code)}`);
  }
  if (version !== expectedVersion) {
    throw new DecodeError(DecodeFailure.UnknownVersion, `${messageTypeName(type)} version ${String(version)}`);
  }
  if (value.length !== fieldCount + 2) {
    throw new DecodeError(
      DecodeFailure.WrongLength,
      `${messageTypeName(type)} v${version} has ${fieldCount} fields, got ${value.length - 2}`,
    );
  }
  return value.slice(2);
}

/** Describes one signed CBOR message type: its code, domain tag and field mapping. */
export interface SignedLayout<U> {
  readonly type: MessageType;
  /** The version this layout reads and writes; default CURRENT_VERSION[type]. */
  readonly version?: number;
  readonly domain: SignatureDomain;
  /** Fields between the header and the signature. */
  readonly fieldCount: number;
  toFields(message: U): CborValue[];
  fromFields(fields: readonly unknown[]): U;
}

export type Signed<U> = U & { readonly signature: Uint8Array };

const versionOf = <U>(layout: SignedLayout<U>): number => layout.version ?? CURRENT_VERSION[layout.type];

/** The canonical bytes of `[type, version, ...fields]`, which the signature covers. */
export function unsignedBody<U>(layout: SignedLayout<U>, message: U): Uint8Array {
  return encodeCbor([layout.type, versionOf(layout), ...layout.toFields(message)]);
}

export function signWith<U>(layout: SignedLayout<U>, message: U, signer: Signer): Signed<U> {
  const body = unsignedBody(layout, message);
  // Round-trip through the decoder's checks so a signer never signs what a verifier would reject.
  layout.fromFields(layout.toFields(message));
  return { ...message, signature: signer.sign(signedBytes(layout.domain, body)) };
}

/**
 * The message as a CBOR array value, for encoding or embedding in a batch. Checked with the decoder's
 * own field readers first, so nothing is ever encoded that a decoder would refuse.
 */
export function toValue<U>(layout: SignedLayout<U>, message: Signed<U>): CborValue[] {
  const fields = layout.toFields(message);
  layout.fromFields(fields);
  readBytes(message.signature, 'signature', SIGNATURE_BYTES);
  return [layout.type, versionOf(layout), ...fields, message.signature];
}

export function encodeSigned<U>(layout: SignedLayout<U>, message: Signed<U>): Uint8Array {
  return encodeCbor(toValue(layout, message));
}

/** Decodes an already-parsed array value (e.g. a batch item). */
export function fromValue<U>(layout: SignedLayout<U>, value: unknown): Signed<U> {
  const fields = openEnvelope(value, layout.type, layout.fieldCount + 1, versionOf(layout));
  const message = layout.fromFields(fields.slice(0, layout.fieldCount));
  const signature = readBytes(fields[layout.fieldCount], 'signature', SIGNATURE_BYTES);
  return { ...message, signature };
}

export function decodeSigned<U>(layout: SignedLayout<U>, bytes: Uint8Array): Signed<U> {
  return fromValue(layout, decodeCbor(bytes));
}

export function verifySigned<U>(
  layout: SignedLayout<U>,
  message: Signed<U>,
  publicKey: Uint8Array,
  verifier: Verifier,
): boolean {
  const body = unsignedBody(layout, message);
  return verifier.verify(message.signature, signedBytes(layout.domain, body), publicKey);
}

/**
 * What an oracle operation answers, before any HTTP library sees it: a status, headers and a body.
 * Keeping the operations free of the server lets the simulator call them in-process and lets tests
 * check them without sockets. Error bodies follow docs/protocol.md §5: `{"error": code, "detail": line}`.
 */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array | string;
}

export const CBOR_TYPE = 'application/cbor';

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export function cborAnswer(body: Uint8Array): Answer {
  return { status: 200, headers: { 'content-type': CBOR_TYPE }, body };
}

/** An error answer; `detail` is one human-readable line. */
export function errorAnswer(status: number, error: string, detail: string, headers: Record<string, string> = {}): Answer {
  return jsonAnswer(status, { error, detail }, headers);
}

/** The media type without parameters, lower-case ("application/cbor; x=y" → "application/cbor"). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** 415 unless the body is CBOR, 413 when it is over `maxBytes`; undefined when it may be read. */
export function refuseBody(contentType: string | undefined, body: Uint8Array | undefined, maxBytes: number): Answer | undefined {
  if (mediaType(contentType) !== CBOR_TYPE) {
    return errorAnswer(415, 'unsupported_media_type', `the body must be ${CBOR_TYPE}`);
  }
  if (body === undefined || body.length === 0) return errorAnswer(400, 'malformed', 'the body is empty');
  if (body.length > maxBytes) return errorAnswer(413, 'too_large', `the body is over ${maxBytes} bytes`);
  return undefined;
}

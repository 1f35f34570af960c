/**
 * Reading the oracle's HTTP answers (docs/protocol.md §5): the media type of a body, the error code of
 * the JSON error body `{"error": "<code>", "detail": "…"}`, and `Retry-After`. Shared by the entropy
 * client, the uploader and onboarding. Bounded: an error body is read only up to ERROR_BODY_LIMIT bytes.
 */
import type { HttpResponse } from './ports.js';

export const MEDIA_TYPE_CBOR = 'application/cbor';
export const MEDIA_TYPE_JSON = 'application/json';

/** The oracle's error bodies are one short line; anything longer is not one of them. */
const ERROR_BODY_LIMIT = 1024;
/** Error codes are short snake_case names (`unknown_hotspot`); longer text is cut for the log. */
const ERROR_CODE_LIMIT = 40;
/** Retry-After as delta-seconds (RFC 9110 §10.2.3), at most nine digits so the product stays exact. */
const DELTA_SECONDS = /^\d{1,9}$/;

/** The oracle's base URL without a trailing slash; refuses anything but an http(s) URL. */
export function baseUrl(oracleUrl: string): string {
  if (typeof oracleUrl !== 'string' || !/^https?:\/\/[^/\s]+/.test(oracleUrl)) {
    throw new TypeError(`oracleUrl must be an http:// or https:// URL, got ${String(oracleUrl)}`);
  }
  return oracleUrl.endsWith('/') ? oracleUrl.slice(0, -1) : oracleUrl;
}

/** True when the answer's Content-Type is `mediaType`, parameters (`; charset=…`) ignored (RFC 9110 §8.3). */
export function hasMediaType(response: HttpResponse, mediaType: string): boolean {
  const value = response.headers['content-type'];
  if (typeof value !== 'string') return false;
  const semicolon = value.indexOf(';');
  const type = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return type === mediaType;
}

/**
 * Text of an ASCII body. JSON error bodies from the oracle are ASCII; any other byte becomes '?'.
 * Device code: TextDecoder is a module on Moddable, not a global, and this is all it needs.
 */
function asciiText(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    text += byte < 0x80 ? String.fromCharCode(byte) : '?';
  }
  return text;
}

/** The `error` code of a JSON error body, or undefined when the body is not one. */
export function errorCodeOf(response: HttpResponse): string | undefined {
  if (!hasMediaType(response, MEDIA_TYPE_JSON) || response.body.length > ERROR_BODY_LIMIT) return undefined;
  try {
    const parsed: unknown = JSON.parse(asciiText(response.body));
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const code = (parsed as { error?: unknown }).error;
    return typeof code === 'string' ? code.slice(0, ERROR_CODE_LIMIT) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Retry-After in ms, when given as delta-seconds (what the oracle sends with 429). An HTTP-date is not
 * used: it would need a trusted wall clock, which a hotspot may not have.
 */
export function retryAfterMs(response: HttpResponse): number | undefined {
  const value = response.headers['retry-after'];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return DELTA_SECONDS.test(trimmed) ? Number(trimmed) * 1000 : undefined;
}

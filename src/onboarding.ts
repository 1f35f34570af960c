/**
 * Onboarding: the hotspot's signed request to join the oracle's registry with the location, antenna
 * gain and region it asserts (docs/protocol.md §4.6, §5 `POST /v1/hotspots`). The uploader calls it
 * when the oracle answers 403 `unknown_hotspot`.
 *
 * The request carries the wall time: the oracle keeps the newest assertion and refuses an older one
 * (409 `stale_request`), so a hotspot without a known wall time does not onboard.
 */
import { encodeOnboard, signOnboard } from '../proofs/onboard.js';
import { freshStack } from './fresh-stack.js';
import { baseUrl, errorCodeOf, MEDIA_TYPE_CBOR } from './http-answer.js';
import type { Clock, Http, Signer } from './ports.js';

export type OnboardOutcome =
  /** 201: the oracle registered the hotspot, or replaced its older assertion. */
  | 'registered'
  /** 200: the same assertion was already registered. */
  | 'unchanged';

export type OnboardErrorCode =
  /** No answer: no network, refused connection, or the request timed out. */
  | 'Network'
  /** The oracle refused the request (`status`, and `serverCode` from its JSON error body). */
  | 'Status'
  /** The wall time is not known yet, and the request must carry it. */
  | 'NoWallClock';

export class OnboardError extends Error {
  readonly code: OnboardErrorCode;
  readonly status: number | undefined;
  /** The oracle's error code, e.g. `stale_request`, `bad_signature`, `rate_limited`. */
  readonly serverCode: string | undefined;

  constructor(code: OnboardErrorCode, message: string, status?: number, serverCode?: string) {
    super(message);
    this.code = code;
    this.status = status;
    this.serverCode = serverCode;
  }

  // A getter, not an assignment: preloaded prototypes are frozen on Moddable (see proofs/errors.ts).
  override get name(): string {
    return 'OnboardError';
  }
}

export function isOnboardError(error: unknown, code?: OnboardErrorCode): error is OnboardError {
  return error instanceof OnboardError && (code === undefined || error.code === code);
}

export interface OnboardOptions {
  readonly http: Http;
  readonly clock: Clock;
  /** The hotspot's key: the request names its public key and is signed with it. */
  readonly signer: Signer;
  readonly oracleUrl: string;
  /** The asserted position, degrees × 10^7 (WGS 84). */
  readonly location: { readonly latE7: number; readonly lonE7: number };
  /** Antenna gain, 0.1 dBi. */
  readonly gainDdbi: number;
  /** Region name, e.g. "EU868". */
  readonly region: string;
  /** Request timeout, ms. Default 15,000. */
  readonly timeoutMs?: number;
}

export const ONBOARD_TIMEOUT_MS = 15_000;

/**
 * Signs and sends an Onboard request. Rejects with OnboardError for the answers it cannot use, and with
 * DecodeError (OutOfRange) before any request when a field is outside its range.
 */
export async function onboard(options: OnboardOptions): Promise<OnboardOutcome> {
  const url = `${baseUrl(options.oracleUrl)}/v1/hotspots`;
  // The uploader calls this at the end of a chain of async calls; the signature starts from the bottom
  // of the stack instead (src/fresh-stack.ts).
  await freshStack();
  const timeMs = options.clock.wallMs();
  if (timeMs === undefined) throw new OnboardError('NoWallClock', 'the wall time is not known yet');
  const request = signOnboard(
    {
      hotspot: options.signer.publicKey,
      latE7: options.location.latE7,
      lonE7: options.location.lonE7,
      gainDdbi: options.gainDdbi,
      region: options.region,
      timeMs,
    },
    options.signer,
  );
  let response;
  try {
    response = await options.http.request({
      method: 'POST',
      url,
      headers: { 'content-type': MEDIA_TYPE_CBOR },
      body: encodeOnboard(request),
      timeoutMs: options.timeoutMs ?? ONBOARD_TIMEOUT_MS,
    });
  } catch (error) {
    throw new OnboardError('Network', `POST /v1/hotspots: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status === 201) return 'registered';
  if (response.status === 200) return 'unchanged';
  const serverCode = errorCodeOf(response);
  throw new OnboardError('Status', `POST /v1/hotspots: ${response.status} ${serverCode ?? ''}`.trim(), response.status, serverCode);
}

/**
 * Onboarding: the hotspot's signed request to join the oracle's registry with the location, antenna
 * gain and region it asserts (docs/protocol.md §4.6, §5 `POST /v1/hotspots`). The uploader calls it
 * when the oracle answers 403 `unknown_hotspot`.
 *
 * The request carries the wall time: the oracle keeps the newest assertion and refuses an older one
 * (409 `stale_request`), so a hotspot without a known wall time does not onboard.
 *
 * A device its vendor attested holds the vendor's DeviceCertificate under ATTEST_KEY; it sends it inside
 * the request (Onboard version 2). An oracle older than attestation answers 400 `unknown_version` to that,
 * and the hotspot then onboards without it (version 1), as a DIY hotspot, rather than not at all.
 */
import { decodeDeviceCertificate } from '../proofs/attestation.js';
import { equalBytes } from '../proofs/bytes.js';
import { encodeOnboard, signOnboard } from '../proofs/onboard.js';
import { freshStack } from './fresh-stack.js';
import { baseUrl, errorCodeOf, MEDIA_TYPE_CBOR } from './http-answer.js';
import type { Clock, Http, HttpResponse, KeyValue, Signer } from './ports.js';

/** The key-value entry that holds the vendor's certificate (proofs/attestation.ts encoding), as a blob. */
export const ATTEST_KEY = 'attest';

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
  /** The vendor's encoded DeviceCertificate for this key (storedCertificate), sent with the request. */
  readonly certificate?: Uint8Array;
  /** Request timeout, ms. Default 15,000. */
  readonly timeoutMs?: number;
}

export const ONBOARD_TIMEOUT_MS = 15_000;

/** The certificate in `kv`, when there is one to send, or why the one there cannot be sent. */
export type StoredCertificate =
  | { readonly certificate: Uint8Array; readonly problem?: undefined }
  | { readonly certificate?: undefined; readonly problem?: string };

/**
 * Reads the vendor's certificate from `kv` (ATTEST_KEY). It is sent only when it decodes and names this
 * device's key: one that does not would only cost the request bytes and be rejected by the oracle.
 * No entry: neither certificate nor problem (a DIY device).
 */
export function storedCertificate(kv: KeyValue, publicKey: Uint8Array): StoredCertificate {
  const stored = kv.get(ATTEST_KEY);
  if (stored === undefined) return {};
  if (!(stored instanceof Uint8Array)) return { problem: 'the attest entry is not a blob' };
  try {
    if (!equalBytes(decodeDeviceCertificate(stored).device, publicKey)) return { problem: "the certificate names another device's key" };
  } catch (error) {
    return { problem: `the certificate does not decode (${error instanceof Error ? error.message : String(error)})` };
  }
  return { certificate: stored };
}

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
  let response = await send(options, url, timeMs, options.certificate);
  if (options.certificate !== undefined && response.status === 400 && errorCodeOf(response) === 'unknown_version') {
    await freshStack();
    response = await send(options, url, timeMs, undefined);
  }
  if (response.status === 201) return 'registered';
  if (response.status === 200) return 'unchanged';
  const serverCode = errorCodeOf(response);
  throw new OnboardError('Status', `POST /v1/hotspots: ${response.status} ${serverCode ?? ''}`.trim(), response.status, serverCode);
}

async function send(options: OnboardOptions, url: string, timeMs: number, certificate: Uint8Array | undefined): Promise<HttpResponse> {
  const request = signOnboard(
    {
      hotspot: options.signer.publicKey,
      latE7: options.location.latE7,
      lonE7: options.location.lonE7,
      gainDdbi: options.gainDdbi,
      region: options.region,
      timeMs,
      ...(certificate === undefined ? {} : { certificate }),
    },
    options.signer,
  );
  try {
    return await options.http.request({
      method: 'POST',
      url,
      headers: { 'content-type': MEDIA_TYPE_CBOR },
      body: encodeOnboard(request),
      timeoutMs: options.timeoutMs ?? ONBOARD_TIMEOUT_MS,
    });
  } catch (error) {
    throw new OnboardError('Network', `POST /v1/hotspots: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The entropy client: fetches the oracle's newest signed Entropy (docs/protocol.md §4.1, §5
 * `GET /v1/entropy`), checks it against the oracle key pinned at provisioning, and refuses entropy a
 * beacon could not use in time.
 *
 * Freshness. The oracle accepts a beacon whose entropy is at most its lifespan old (180 s by default,
 * reference/poc.md §3), judged on the oracle's own receive time of the reports, not on any hotspot's
 * clock. Between fetching entropy and the oracle receiving the receipts that quote it, a beacon must be
 * signed, pass listen-before-talk, be on air (109 bytes at SF12BW125 take about 4.3 s), be verified and
 * signed by each witness, and be uploaded (a short coalescing delay and one HTTP exchange). The client
 * therefore accepts entropy only while it is younger than `maxAgeMs − safetyMarginMs` by the wall
 * clock: 120 s with the defaults, which leaves 60 s for all of that, and since the oracle publishes
 * every 60 s the newest entropy is normally under 60 s old, so only a missed publication is refused.
 *
 * Reuse. While the wall clock is still in the epoch of the last verified entropy and that entropy is
 * still fresh, `fetch()` returns it without a request: the oracle has nothing newer until the next
 * epoch. Nothing else is kept.
 */
import { assertBytes } from '../proofs/bytes.js';
import { decodeEntropy, entropyEpochAt, verifyEntropy, type Entropy } from '../proofs/entropy.js';
import { isDecodeError } from '../proofs/errors.js';
import type { EntropySource } from './components.js';
import { baseUrl, errorCodeOf, hasMediaType, MEDIA_TYPE_CBOR } from './http-answer.js';
import type { Clock, Http, Verifier } from './ports.js';

export type EntropyErrorCode =
  /** No answer: no network, refused connection, or the request timed out. */
  | 'Network'
  /** The oracle answered with a status other than 200 (`status`, and `serverCode` from its JSON body). */
  | 'Status'
  /** The 200 answer was not one Entropy message (wrong media type, too long, or refused by the decoder). */
  | 'Decode'
  /** The entropy does not verify under the pinned oracle key. */
  | 'BadSignature'
  /** Older than `maxAgeMs − safetyMarginMs` by the wall clock: a beacon quoting it could arrive too late. */
  | 'Stale'
  /** Dated further ahead of the wall clock than `maxFutureSkewMs`: the hotspot's clock is behind. */
  | 'Future'
  /** The wall time is not known yet (no SNTP answer), so freshness cannot be judged. */
  | 'NoWallClock';

export class EntropyError extends Error {
  readonly code: EntropyErrorCode;
  /** The HTTP status, for 'Status'. */
  readonly status: number | undefined;
  /** The oracle's error code from its JSON error body (e.g. `no_entropy`), for 'Status'. */
  readonly serverCode: string | undefined;

  constructor(code: EntropyErrorCode, message: string, status?: number, serverCode?: string) {
    super(message);
    this.code = code;
    this.status = status;
    this.serverCode = serverCode;
  }

  // A getter, not an assignment: preloaded prototypes are frozen on Moddable (see proofs/errors.ts).
  override get name(): string {
    return 'EntropyError';
  }
}

export function isEntropyError(error: unknown, code?: EntropyErrorCode): error is EntropyError {
  return error instanceof EntropyError && (code === undefined || error.code === code);
}

export interface EntropyClientOptions {
  readonly http: Http;
  readonly clock: Clock;
  /** The oracle's base URL, e.g. "http://oracle.example:8080". */
  readonly oracleUrl: string;
  /** The oracle's 32-byte public key, pinned at provisioning. */
  readonly oracleKey: Uint8Array;
  readonly verifier: Verifier;
  /** The oracle's entropy lifespan, ms (`entropyLifespanMs` of `GET /v1/oracle`). Default 180,000. */
  readonly maxAgeMs?: number;
  /** Kept free of the lifespan for signing, airtime, witnessing and upload, ms. Default 60,000. */
  readonly safetyMarginMs?: number;
  /** How far ahead of the wall clock entropy may be dated (SNTP error, RTC drift), ms. Default 10,000. */
  readonly maxFutureSkewMs?: number;
  /** Request timeout, ms. Default 10,000. */
  readonly timeoutMs?: number;
}

export const ENTROPY_DEFAULTS = {
  maxAgeMs: 180_000,
  safetyMarginMs: 60_000,
  maxFutureSkewMs: 10_000,
  timeoutMs: 10_000,
} as const;

/** An Entropy message is 117 bytes (docs/protocol.md §6); a body much longer is not one. */
const MAX_ENTROPY_BODY_BYTES = 256;

function positiveMs(value: number | undefined, fallback: number, what: string): number {
  const ms = value ?? fallback;
  if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`${what} must be a whole number of ms ≥ 0`);
  return ms;
}

export class EntropyClient implements EntropySource {
  private readonly http: Http;
  private readonly clock: Clock;
  private readonly url: string;
  private readonly oracleKey: Uint8Array;
  private readonly verifier: Verifier;
  private readonly usableMs: number;
  private readonly maxFutureSkewMs: number;
  private readonly timeoutMs: number;
  /** The last entropy fetched and verified, reused within its epoch. */
  private last: Entropy | undefined;

  constructor(options: EntropyClientOptions) {
    this.http = options.http;
    this.clock = options.clock;
    this.url = `${baseUrl(options.oracleUrl)}/v1/entropy`;
    this.oracleKey = assertBytes(options.oracleKey, 32, 'oracleKey');
    this.verifier = options.verifier;
    const maxAgeMs = positiveMs(options.maxAgeMs, ENTROPY_DEFAULTS.maxAgeMs, 'maxAgeMs');
    const marginMs = positiveMs(options.safetyMarginMs, ENTROPY_DEFAULTS.safetyMarginMs, 'safetyMarginMs');
    if (marginMs >= maxAgeMs) throw new RangeError('safetyMarginMs must be less than maxAgeMs');
    this.usableMs = maxAgeMs - marginMs;
    this.maxFutureSkewMs = positiveMs(options.maxFutureSkewMs, ENTROPY_DEFAULTS.maxFutureSkewMs, 'maxFutureSkewMs');
    this.timeoutMs = positiveMs(options.timeoutMs, ENTROPY_DEFAULTS.timeoutMs, 'timeoutMs');
    this.last = undefined;
  }

  /** The last wall time (ms) at which `entropy` is still accepted for a beacon. */
  usableUntilWallMs(entropy: Entropy): number {
    return entropy.timeMs + this.usableMs;
  }

  /** Fresh, verified entropy; rejects with an EntropyError otherwise. */
  async fetch(): Promise<Entropy> {
    const wallMs = this.wallOrThrow();
    const last = this.last;
    if (last !== undefined && entropyEpochAt(wallMs) === last.epoch && this.isUsable(last, wallMs)) return last;
    this.last = undefined;
    const entropy = await this.download();
    this.checkAge(entropy, this.wallOrThrow());
    this.last = entropy;
    return entropy;
  }

  private wallOrThrow(): number {
    const wallMs = this.clock.wallMs();
    if (wallMs === undefined) throw new EntropyError('NoWallClock', 'the wall time is not known yet');
    return wallMs;
  }

  private isUsable(entropy: Entropy, wallMs: number): boolean {
    return wallMs <= this.usableUntilWallMs(entropy) && entropy.timeMs <= wallMs + this.maxFutureSkewMs;
  }

  private checkAge(entropy: Entropy, wallMs: number): void {
    if (entropy.timeMs > wallMs + this.maxFutureSkewMs) {
      throw new EntropyError('Future', `entropy ${entropy.epoch} is dated ${entropy.timeMs - wallMs} ms ahead of the clock`);
    }
    if (wallMs > this.usableUntilWallMs(entropy)) {
      throw new EntropyError('Stale', `entropy ${entropy.epoch} is ${wallMs - entropy.timeMs} ms old`);
    }
  }

  /** One GET, checked down to the signature. */
  private async download(): Promise<Entropy> {
    let response;
    try {
      response = await this.http.request({ method: 'GET', url: this.url, timeoutMs: this.timeoutMs });
    } catch (error) {
      throw new EntropyError('Network', `GET /v1/entropy: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status !== 200) {
      const serverCode = errorCodeOf(response);
      throw new EntropyError('Status', `GET /v1/entropy: ${response.status} ${serverCode ?? ''}`.trim(), response.status, serverCode);
    }
    if (!hasMediaType(response, MEDIA_TYPE_CBOR)) throw new EntropyError('Decode', 'entropy must be application/cbor');
    if (response.body.length > MAX_ENTROPY_BODY_BYTES) {
      throw new EntropyError('Decode', `an entropy body of ${response.body.length} bytes`);
    }
    let entropy: Entropy;
    try {
      entropy = decodeEntropy(response.body);
    } catch (error) {
      if (isDecodeError(error)) throw new EntropyError('Decode', error.message);
      throw error;
    }
    if (!verifyEntropy(entropy, this.oracleKey, this.verifier)) {
      throw new EntropyError('BadSignature', `entropy ${entropy.epoch} does not verify under the oracle key`);
    }
    return entropy;
  }
}

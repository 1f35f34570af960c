/**
 * An in-process oracle behind the Http port (no sockets), for runtime tests and the XS tier in virtual
 * time. It follows docs/protocol.md §5 — entropy, onboarding, receipts with strict decoding, per-item
 * verification, storage once per id — and can be told to misbehave: outages, fixed answers, latency,
 * lost answers, chosen rejections, 429 with Retry-After, 413 above a body size. Host code.
 *
 * Its clock is only asked for the time, and for timers only when an answer is delayed (latency, an
 * outage in 'timeout' mode): an oracle that answers at once, as the XS tier's does
 * (tools/xs/oracle-answerer.ts), needs no timers.
 */
import { createHash } from 'node:crypto';
import {
  AckStatus, decodeOnboard, encodeBatchItem, decodeUploadBatch, encodeEntropy, encodeUploadAck, entropyEpochAt, ENTROPY_PERIOD_MS,
  isDecodeError, Reason, signEntropy, toHex, verifyBatchItem, verifyOnboard,
  type AckResult, type Entropy, type Onboard, type ReasonCode, type Signer, type Verifier,
} from '../../proofs/index.js';
import type { Clock, HttpRequest, HttpResponse, Http } from '../../src/ports.js';

export const ORACLE_URL = 'http://oracle.test';

export interface StoredItem {
  readonly idHex: string;
  readonly uploaderHex: string;
  readonly bytes: Uint8Array;
  /** Oracle receive time (monotonic clock). */
  readonly atMs: number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  /** Monotonic time the request arrived. */
  readonly atMs: number;
  /** The status answered, 'network' when it never arrived, 'lost' when its answer was lost. */
  outcome: number | 'network' | 'lost';
  /** Items in an upload batch. */
  readonly items?: number;
  readonly bodyBytes: number;
}

/** A canned answer; `json` becomes an application/json body. */
export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  readonly json?: unknown;
}

/** The oracle's view of time: monotonic time for its records, wall time for entropy, timers for delays. */
export type OracleClock = Pick<Clock, 'now' | 'wallMs' | 'setTimer'>;

export interface FakeOracleOptions {
  readonly clock: OracleClock;
  /** Signs entropy. */
  readonly signer: Signer;
  /** Checks uploaded items and onboarding requests. */
  readonly verifier: Verifier;
  /** The oracle's wall time; by default the clock's. */
  readonly wallMs?: () => number | undefined;
  /** Answer 403 to uploaders that have not onboarded. Default true. */
  readonly requireOnboarding?: boolean;
}

const encoder = new TextEncoder();

export function jsonAnswer(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: encoder.encode(JSON.stringify(value)) };
}

const errorAnswer = (status: number, error: string, headers?: Record<string, string>) =>
  jsonAnswer(status, { error, detail: error.replace(/_/g, ' ') }, headers);

const cborAnswer = (status: number, body: Uint8Array): HttpResponse => ({
  status, headers: { 'content-type': 'application/cbor' }, body,
});

export class NetworkError extends Error {}

export class FakeOracle implements Http {
  readonly url = ORACLE_URL;
  readonly signer: Signer;
  readonly stored: StoredItem[] = [];
  readonly requests: RequestRecord[] = [];
  /** Hotspots (hex keys) the oracle knows, with their Onboard request when they sent one. */
  readonly hotspots = new Map<string, Onboard | undefined>();
  /** Delay before an answer reaches the hotspot, virtual ms. */
  latencyMs = 0;
  /** Upload bodies above this many bytes get 413. */
  maxBodyBytes = 65_536;
  /** 'refuse': requests in an outage fail at once; 'timeout': they fail after the request's timeout. */
  outageMode: 'refuse' | 'timeout' = 'refuse';
  private readonly clock: OracleClock;
  private readonly verifier: Verifier;
  private readonly wallMs: () => number | undefined;
  private readonly requireOnboarding: boolean;
  private readonly outages: { fromMs: number; toMs: number }[] = [];
  private readonly canned: { path: string; answer: CannedAnswer }[] = [];
  private readonly ids = new Set<string>();
  private readonly entropies = new Map<number, Entropy>();
  private answersToLose = 0;
  private rejection: (bytes: Uint8Array) => ReasonCode | undefined = () => undefined;

  constructor(options: FakeOracleOptions) {
    this.clock = options.clock;
    this.signer = options.signer;
    this.verifier = options.verifier;
    this.wallMs = options.wallMs ?? (() => options.clock.wallMs());
    this.requireOnboarding = options.requireOnboarding ?? true;
  }

  /** Requests arriving in [fromMs, toMs) of the monotonic clock get no answer. */
  addOutage(fromMs: number, toMs: number): void {
    this.outages.push({ fromMs, toMs });
  }

  /** The next `count` requests to `path` get `answer` (nothing is stored). */
  answerNext(path: string, answer: CannedAnswer, count = 1): void {
    for (let i = 0; i < count; i++) this.canned.push({ path, answer });
  }

  /** The next `count` answers are lost after the request was handled (and its items stored). */
  loseAnswers(count: number): void {
    this.answersToLose += count;
  }

  /** Rejects every item for which `reasonFor` gives a reason. */
  rejectItems(reasonFor: (bytes: Uint8Array) => ReasonCode | undefined): void {
    this.rejection = reasonFor;
  }

  /** Registers a hotspot without an Onboard request. */
  register(publicKey: Uint8Array): void {
    this.hotspots.set(toHex(publicKey), undefined);
  }

  /** The entropy of `epoch`: deterministic data, signed by the oracle's key. */
  entropyOf(epoch: number): Entropy {
    let entropy = this.entropies.get(epoch);
    if (entropy === undefined) {
      const data = new Uint8Array(createHash('sha256').update(`fake oracle entropy ${epoch}`).digest());
      entropy = signEntropy({ epoch, data, timeMs: epoch * ENTROPY_PERIOD_MS }, this.signer);
      this.entropies.set(epoch, entropy);
    }
    return entropy;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    const atMs = this.clock.now();
    const path = new URL(request.url).pathname;
    const record: RequestRecord = { method: request.method, path, atMs, outcome: 'network', bodyBytes: request.body?.length ?? 0 };
    this.requests.push(record);
    if (this.outages.some((o) => atMs >= o.fromMs && atMs < o.toMs)) {
      return this.fail(this.outageMode === 'timeout' ? request.timeoutMs : 0, 'no route to host');
    }
    const answer = this.cannedFor(path) ?? this.route(request, path, record);
    record.outcome = answer.status;
    if (this.answersToLose > 0) {
      this.answersToLose--;
      record.outcome = 'lost';
      return this.fail(Math.min(this.latencyMs, request.timeoutMs), 'connection reset');
    }
    if (this.latencyMs > request.timeoutMs) return this.fail(request.timeoutMs, 'timed out');
    return this.deliver(this.latencyMs, answer);
  }

  private cannedFor(path: string): HttpResponse | undefined {
    const index = this.canned.findIndex((c) => c.path === path);
    if (index < 0) return undefined;
    const { answer } = this.canned.splice(index, 1)[0];
    if (answer.json !== undefined) return jsonAnswer(answer.status, answer.json, answer.headers);
    return { status: answer.status, headers: answer.headers ?? {}, body: answer.body ?? new Uint8Array(0) };
  }

  private deliver(delayMs: number, answer: HttpResponse): Promise<HttpResponse> {
    if (delayMs <= 0) return Promise.resolve(answer);
    return new Promise((resolve) => this.clock.setTimer(() => resolve(answer), delayMs));
  }

  private fail(delayMs: number, why: string): Promise<HttpResponse> {
    if (delayMs <= 0) return Promise.reject(new NetworkError(why));
    return new Promise((_, reject) => this.clock.setTimer(() => reject(new NetworkError(why)), delayMs));
  }

  private route(request: HttpRequest, path: string, record: RequestRecord): HttpResponse {
    if (request.method === 'GET' && path === '/v1/oracle') return this.describe();
    if (request.method === 'GET' && path === '/v1/entropy') return this.entropy(new URL(request.url).searchParams.get('epoch'));
    if (request.method === 'POST' && path === '/v1/hotspots') return this.onboard(request);
    if (request.method === 'POST' && path === '/v1/receipts') return this.receipts(request, record);
    return errorAnswer(404, 'not_found');
  }

  private describe(): HttpResponse {
    return jsonAnswer(200, {
      version: 1, publicKey: toHex(this.signer.publicKey), entropyPeriodMs: ENTROPY_PERIOD_MS,
      entropyLifespanMs: 180_000, maxBatchItems: 256, maxBodyBytes: this.maxBodyBytes,
    });
  }

  private entropy(epochParam: string | null): HttpResponse {
    const wallMs = this.wallMs();
    if (wallMs === undefined) return errorAnswer(503, 'no_entropy');
    const newest = entropyEpochAt(wallMs);
    const epoch = epochParam === null ? newest : Number(epochParam);
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > newest) return errorAnswer(404, 'unknown_epoch');
    return cborAnswer(200, encodeEntropy(this.entropyOf(epoch)));
  }

  private onboard(request: HttpRequest): HttpResponse {
    const refused = refusedBody(request, 4096);
    if (refused !== undefined) return refused;
    let onboard: Onboard;
    try {
      onboard = decodeOnboard(request.body as Uint8Array);
    } catch (error) {
      if (isDecodeError(error)) return errorAnswer(400, error.code === 'UnknownVersion' ? 'unknown_version' : 'malformed');
      throw error;
    }
    if (!verifyOnboard(onboard, this.verifier)) return errorAnswer(422, 'bad_signature');
    const key = toHex(onboard.hotspot);
    const before = this.hotspots.get(key);
    if (before !== undefined && sameAssertion(before, onboard)) return jsonAnswer(200, { hotspot: key, status: 'unchanged' });
    if (before !== undefined && before.timeMs > onboard.timeMs) return errorAnswer(409, 'stale_request');
    this.hotspots.set(key, onboard);
    return jsonAnswer(201, { hotspot: key, status: 'registered' });
  }

  private receipts(request: HttpRequest, record: RequestRecord): HttpResponse {
    const refused = refusedBody(request, this.maxBodyBytes);
    if (refused !== undefined) return refused;
    let batch;
    try {
      batch = decodeUploadBatch(request.body as Uint8Array);
    } catch (error) {
      if (isDecodeError(error)) return errorAnswer(400, error.code === 'UnknownVersion' ? 'unknown_version' : 'malformed');
      throw error;
    }
    Object.assign(record, { items: batch.items.length });
    const uploaderHex = toHex(batch.uploader);
    if (this.requireOnboarding && !this.hotspots.has(uploaderHex)) return errorAnswer(403, 'unknown_hotspot');
    const verdicts = batch.items.map((decoded): ReasonCode => {
      if (decoded.error !== undefined) return decoded.error.code === 'UnknownVersion' ? Reason.unknown_version : Reason.malformed;
      return verifyBatchItem(batch.uploader, decoded.item, this.verifier);
    });
    const signed = verdicts.some((v) => v === Reason.none);
    const unsigned = verdicts.some((v) => v === Reason.bad_signature || v === Reason.wrong_signer);
    if (!signed && unsigned) return errorAnswer(422, 'bad_signature');
    const results = batch.items.map((decoded, i): AckResult => {
      if (decoded.item === undefined) return { id: decoded.id, status: AckStatus.Rejected, reason: verdicts[i] };
      return this.storeOnce(decoded.id, uploaderHex, encodeBatchItem(decoded.item), verdicts[i]);
    });
    return cborAnswer(200, encodeUploadAck({ results }));
  }

  private storeOnce(id: Uint8Array, uploaderHex: string, bytes: Uint8Array, verdict: ReasonCode): AckResult {
    const reason = verdict !== Reason.none ? verdict : this.rejection(bytes);
    if (reason !== undefined && reason !== Reason.none) return { id, status: AckStatus.Rejected, reason };
    const idHex = toHex(id);
    if (this.ids.has(idHex)) return { id, status: AckStatus.Duplicate, reason: Reason.none };
    this.ids.add(idHex);
    this.stored.push({ idHex, uploaderHex, bytes, atMs: this.clock.now() });
    return { id, status: AckStatus.Stored, reason: Reason.none };
  }
}

function refusedBody(request: HttpRequest, maxBytes: number): HttpResponse | undefined {
  const type = request.headers?.['content-type'];
  if (type !== 'application/cbor') return errorAnswer(415, 'unsupported_media_type');
  if (request.body === undefined || request.body.length > maxBytes) return errorAnswer(413, 'too_large');
  return undefined;
}

function sameAssertion(a: Onboard, b: Onboard): boolean {
  return a.latE7 === b.latE7 && a.lonE7 === b.lonE7 && a.gainDdbi === b.gainDdbi && a.region === b.region;
}

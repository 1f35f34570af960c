/**
 * Uploading a walk's reports to the oracle as the mapper itself would have: UploadBatches naming the
 * mapper as uploader (each report is already signed with the mapper's key, so no key is needed here),
 * POSTed to /v1/receipts (docs/protocol.md §4.5). Reports of several mappers go in one series of
 * batches per mapper key, since a batch has one uploader.
 *
 * Answers (tools/oracle/ingest.ts): 200 with an UploadAck listing each item as stored, duplicate or
 * rejected with a reason; 403 `unknown_hotspot` when the mapper is not onboarded (a device onboards
 * itself the first time it has a network, so the walk can be imported after that); 429 with
 * Retry-After, and 5xx, are retried a few times; anything else stops the upload with the oracle's reason.
 * Uploads are idempotent: sending a walk twice answers "duplicate" the second time.
 */
import {
  AckStatus, batchItemId, decodeUploadAck, encodeUploadBatch, hotspotAddress, reasonName, toHex, type BatchItem,
  type UploadAck,
} from '../../proofs/index.js';
import { byMapper, type KeptReport } from './import.js';

/** Reports per batch: well under the oracle's limit (256), and a small loss when a request fails. */
export const UPLOAD_BATCH_ITEMS = 50;
/** Tries per batch, the first included, when the oracle is busy (429) or failing (5xx, no answer). */
export const MAX_ATTEMPTS = 4;
/** The longest wait between tries, whatever Retry-After says. */
export const MAX_RETRY_WAIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface UploadOptions {
  /** The oracle's base URL, e.g. http://127.0.0.1:8080. */
  readonly oracleUrl: string;
  /** Default: node's fetch. */
  readonly fetch?: typeof fetch;
  /** Waits between tries. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The wall clock, for a Retry-After given as a date. Default: Date.now. */
  readonly now?: () => number;
  /** Told before each wait: what went wrong ("the oracle answered 429 …", "cannot reach …") and how long the wait is. */
  readonly onRetry?: (why: string, waitMs: number) => void;
  /** Told after each batch is answered. */
  readonly onBatch?: (done: number, total: number) => void;
}

export interface UploadOutcome {
  /** Batches the oracle acknowledged. */
  readonly batches: number;
  readonly stored: number;
  readonly duplicate: number;
  /** Items the oracle rejected, counted by reason name (proofs reasonName). */
  readonly rejected: Readonly<Record<string, number>>;
  /** Mappers the oracle does not know (403 unknown_hotspot): none of their reports was stored. */
  readonly notOnboarded: readonly string[];
  /** Why the upload stopped before the end, when it did. */
  readonly failure?: string;
}

/** How one POST ended, after any retries. */
type BatchResult =
  | { readonly kind: 'ack'; readonly ack: UploadAck }
  | { readonly kind: 'not-onboarded' }
  | { readonly kind: 'failed'; readonly reason: string };

/** Uploads every kept report; never throws for what the oracle or the network does. */
export async function uploadWalk(kept: readonly KeptReport[], options: UploadOptions): Promise<UploadOutcome> {
  const url = `${options.oracleUrl.replace(/\/+$/, '')}/v1/receipts`;
  const series = byMapper(kept).map((group) => ({ uploader: group[0].uplink.mapper, batches: chunks(group) }));
  const total = series.reduce((sum, s) => sum + s.batches.length, 0);
  const outcome = { batches: 0, stored: 0, duplicate: 0, rejected: {} as Record<string, number>, notOnboarded: [] as string[] };
  let done = 0;
  for (const { uploader, batches } of series) {
    for (const items of batches) {
      const result = await postBatch(url, uploader, items, options);
      options.onBatch?.(++done, total);
      if (result.kind === 'failed') return { ...outcome, failure: result.reason };
      if (result.kind === 'not-onboarded') {
        outcome.notOnboarded.push(hotspotAddress(uploader));
        break;
      }
      outcome.batches++;
      for (const { status, reason } of result.ack.results) {
        if (status === AckStatus.Stored) outcome.stored++;
        else if (status === AckStatus.Duplicate) outcome.duplicate++;
        else outcome.rejected[reasonName(reason)] = (outcome.rejected[reasonName(reason)] ?? 0) + 1;
      }
    }
  }
  return outcome;
}

function chunks(group: readonly KeptReport[]): BatchItem[][] {
  const out: BatchItem[][] = [];
  for (let i = 0; i < group.length; i += UPLOAD_BATCH_ITEMS) {
    out.push(group.slice(i, i + UPLOAD_BATCH_ITEMS).map(({ report }): BatchItem => ({ kind: 'mapper', report })));
  }
  return out;
}

async function postBatch(url: string, uploader: Uint8Array, items: readonly BatchItem[], options: UploadOptions): Promise<BatchResult> {
  const body = encodeUploadBatch({ uploader, items });
  const post = options.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await post(url, {
        method: 'POST', headers: { 'content-type': 'application/cbor' }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      const reason = `cannot reach ${url}: ${causeOf(error)}`;
      if (attempt >= MAX_ATTEMPTS) return { kind: 'failed', reason: `${reason} (${attempt} tries)` };
      await wait(backoffMs(attempt), reason, options);
      continue;
    }
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= MAX_ATTEMPTS) return answered(response, bytes, uploader, items, attempt);
    const waitMs = retryAfterMs(response, attempt, options.now ?? Date.now);
    await wait(waitMs, `the oracle answered ${describeError(response, bytes)}`, options);
  }
}

/** What a final answer means for the batch. */
function answered(
  response: Response, bytes: Uint8Array, uploader: Uint8Array, items: readonly BatchItem[], attempt: number,
): BatchResult {
  if (response.status === 200) return ackOf(bytes, uploader, items);
  const error = errorBody(bytes);
  if (response.status === 403 && error.code === 'unknown_hotspot') return { kind: 'not-onboarded' };
  const tries = attempt > 1 ? ` (${attempt} tries)` : '';
  return { kind: 'failed', reason: `the oracle refused a batch: ${describeError(response, bytes)}${tries}` };
}

/** The ack, checked to answer exactly the items sent (ids: proofs batchItemId). */
function ackOf(bytes: Uint8Array, uploader: Uint8Array, items: readonly BatchItem[]): BatchResult {
  let ack: UploadAck;
  try {
    ack = decodeUploadAck(bytes);
  } catch (error) {
    return { kind: 'failed', reason: `the oracle answered 200 without an UploadAck (${causeOf(error)})` };
  }
  const sent = new Set(items.map((item) => toHex(batchItemId(uploader, item))));
  const answeredIds = new Set(ack.results.map((r) => toHex(r.id)));
  if (ack.results.length !== items.length || answeredIds.size !== sent.size || [...answeredIds].some((id) => !sent.has(id))) {
    return { kind: 'failed', reason: `the oracle's UploadAck does not answer the ${items.length} items sent` };
  }
  return { kind: 'ack', ack };
}

async function wait(ms: number, why: string, options: UploadOptions): Promise<void> {
  options.onRetry?.(why, ms);
  await (options.sleep ?? ((delay) => new Promise<void>((resolve) => setTimeout(resolve, delay))))(ms);
}

/** 1 s, 2 s, 4 s…: when the oracle did not say how long to wait. */
function backoffMs(attempt: number): number {
  return Math.min(MAX_RETRY_WAIT_MS, 1000 * 2 ** (attempt - 1));
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), bounded; the backoff without it. */
export function retryAfterMs(response: Response, attempt: number, now: () => number): number {
  const value = response.headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return backoffMs(attempt);
  const ms = /^\d{1,9}$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now();
  if (!Number.isFinite(ms)) return backoffMs(attempt);
  return Math.max(0, Math.min(MAX_RETRY_WAIT_MS, ms));
}

/** The oracle's JSON error body, `{"error": code, "detail": line}` (docs/protocol.md §5), when it is one. */
function errorBody(bytes: Uint8Array): { code?: string; detail?: string } {
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as { error?: unknown; detail?: unknown };
    return {
      code: typeof value.error === 'string' ? value.error : undefined,
      detail: typeof value.detail === 'string' ? value.detail : undefined,
    };
  } catch {
    return {};
  }
}

function describeError(response: Response, bytes: Uint8Array): string {
  const { code, detail } = errorBody(bytes);
  const words = [code, detail].filter((part) => part !== undefined).join(': ').replace(/[^\x20-\x7e]+/g, ' ').slice(0, 200);
  return `${response.status}${words === '' ? '' : ` ${words}`}`;
}

/**
 * fetch's "fetch failed" hides the reason (ECONNREFUSED…) in `cause`. Read by shape rather than with
 * instanceof: fetch's errors may come from another realm than this module's Error.
 */
function causeOf(error: unknown): string {
  const inner = hasCause(error) ? error.cause : error;
  const message = typeof inner === 'object' && inner !== null && 'message' in inner ? String(inner.message) : String(inner);
  return message.split('\n')[0];
}

function hasCause(error: unknown): error is { cause: unknown } {
  return typeof error === 'object' && error !== null && 'cause' in error && error.cause !== undefined;
}

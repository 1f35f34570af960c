/**
 * `POST /v1/receipts`: an UploadBatch in, an UploadAck out (docs/protocol.md §4.5, §5).
 *
 * - Bad envelope: 400 `malformed` / `unknown_version`; nothing stored.
 * - Uploader not onboarded: 403 `unknown_hotspot`, found before any of its signatures is checked. Over its
 *   request rate: 429 with Retry-After.
 * - No item carries a valid signature of the uploader (and some carry a bad one): 422 `bad_signature`.
 * - Otherwise 200 with an ack listing every item: stored, duplicate (stored before: uploads are
 *   idempotent) or rejected with its reason. Rejected items are never stored.
 *
 * Every stored beacon report and witness receipt is pending until the verifier judges it; a late one is
 * judged `too_late`, never dropped. Mapper reports and receipts are stored for the coverage map and never
 * judged (docs/oracle.md, "Mapper uplinks and coverage").
 */
import {
  AckStatus, encodeUploadAck, Reason, type AckResult, type Verifier,
} from '../../proofs/index.js';
import { cborAnswer, errorAnswer, refuseBody, type Answer } from './answer.js';
import type { OracleClock } from './clock.js';
import type { OracleConfig } from './config.js';
import { hexOf } from './hex.js';
import { openBatch, prepareBatch, type PreparedBatch, type PreparedItem } from './ingest-prepare.js';
import { claimedUploader } from './item-spans.js';
import type { UploadedItem } from './model.js';
import { RateLimiter, retryAfterSeconds } from './rate-limit.js';
import type { OracleStore } from './store/store.js';

export interface IngestOptions {
  readonly store: OracleStore;
  readonly verifier: Verifier;
  readonly clock: OracleClock;
  readonly config: Pick<OracleConfig, 'maxBodyBytes' | 'maxBatchItems' | 'requestsPerMinute' | 'requestBurst'>;
  /** Decodes and verifies off the main thread when given (a worker pool); default: in-line. */
  readonly prepare?: (body: Uint8Array) => Promise<PreparedBatch>;
  /** Told about the items just stored, of every kind (the verifier holds the PoC ones until their verdict). */
  readonly onStored?: (items: readonly UploadedItem[]) => void;
}

/** What one upload did, for metrics. */
export interface IngestOutcome {
  readonly answer: Answer;
  readonly stored: number;
  /** Of `stored`, the mapper reports and mapper receipts. */
  readonly storedMapperReports: number;
  readonly storedMapperReceipts: number;
  readonly duplicates: number;
  /** The reason code of each rejected item. */
  readonly rejected: readonly number[];
}

export class Ingest {
  private readonly limiter: RateLimiter;
  private prepare: (body: Uint8Array) => Promise<PreparedBatch>;

  constructor(private readonly options: IngestOptions) {
    this.limiter = new RateLimiter({ perMinute: options.config.requestsPerMinute, burst: options.config.requestBurst });
    this.prepare = options.prepare ?? ((body) => this.prepareHere(body));
  }

  /** From now on, decodes and verifies uploads with `prepare` (a worker pool) instead of in-line. */
  useWorkers(prepare: (body: Uint8Array) => Promise<PreparedBatch>): void {
    this.prepare = prepare;
  }

  /** Decodes and verifies an upload on this thread, whatever `useWorkers` said. */
  prepareHere(body: Uint8Array): Promise<PreparedBatch> {
    return Promise.resolve(prepareBatch(body, this.options.verifier));
  }

  async receipts(contentType: string | undefined, body: Uint8Array | undefined): Promise<IngestOutcome> {
    const receivedMs = this.options.clock.wallMs();
    const refused = refuseBody(contentType, body, this.options.config.maxBodyBytes);
    if (refused !== undefined) return only(refused);
    const bytes = body as Uint8Array; // refuseBody refuses a missing body
    // The uploader is looked up before any signature is checked: a batch from a key the oracle does not
    // know is refused whatever it holds, so a fresh key (which the per-key rate limit cannot stop) costs
    // a decode of its CBOR, never a signature check per item. The answers are the same either way.
    const claimed = claimedUploader(bytes);
    if (claimed !== undefined && (await this.options.store.hotspot(claimed)) === undefined) {
      const opened = openBatch(bytes);
      if (!opened.ok) return only(errorAnswer(400, opened.error, opened.detail));
      return only(this.admit(opened.uploader, opened.itemCount, receivedMs) ?? unknownHotspot());
    }
    const prepared = await this.prepare(bytes);
    if (!prepared.ok) return only(errorAnswer(400, prepared.error, prepared.detail));
    const { uploader, items } = prepared;
    const refusal = this.admit(uploader, items.length, receivedMs);
    if (refusal !== undefined) return only(refusal);
    if (claimed === undefined && (await this.options.store.hotspot(uploader)) === undefined) return only(unknownHotspot());
    const good = items.filter((item) => item.fields !== undefined);
    const unsigned = items.some((item) => item.reason === Reason.bad_signature || item.reason === Reason.wrong_signer);
    if (good.length === 0 && unsigned) {
      return only(errorAnswer(422, 'bad_signature', 'no item is signed by the uploader; check the device key'));
    }
    const fields = good.map((item) => ({ ...item.fields, receivedMs }) as UploadedItem);
    const fresh = await this.options.store.insertItems(fields);
    const stored = fields.filter((_, i) => fresh[i]);
    this.options.onStored?.(stored);
    return this.ack(prepared.items, fresh, stored);
  }

  /** The refusals that come before the uploader's registration is asked: too many items, too many uploads. */
  private admit(uploader: Uint8Array, itemCount: number, receivedMs: number): Answer | undefined {
    const { maxBatchItems } = this.options.config;
    if (itemCount > maxBatchItems) return errorAnswer(413, 'too_large', `this oracle takes at most ${maxBatchItems} items a batch`);
    const wait = this.limiter.take(hexOf(uploader), receivedMs);
    if (wait > 0) return errorAnswer(429, 'rate_limited', 'too many uploads from this hotspot', { 'retry-after': retryAfterSeconds(wait) });
    return undefined;
  }

  private ack(items: readonly PreparedItem[], fresh: readonly boolean[], storedItems: readonly UploadedItem[]): IngestOutcome {
    let next = 0;
    let stored = 0;
    let duplicates = 0;
    const rejected: number[] = [];
    const results = items.map((item): AckResult => {
      if (item.fields === undefined) {
        rejected.push(item.reason);
        return { id: item.id, status: AckStatus.Rejected, reason: item.reason };
      }
      const isNew = fresh[next++];
      if (isNew) stored++;
      else duplicates++;
      return { id: item.id, status: isNew ? AckStatus.Stored : AckStatus.Duplicate, reason: Reason.none };
    });
    const storedMapperReports = storedItems.filter((item) => item.kind === 'mapper').length;
    const storedMapperReceipts = storedItems.filter((item) => item.kind === 'mapper-witness').length;
    return {
      answer: cborAnswer(encodeUploadAck({ results })), stored, storedMapperReports, storedMapperReceipts, duplicates, rejected,
    };
  }
}

const unknownHotspot = () => errorAnswer(403, 'unknown_hotspot', 'onboard the hotspot (POST /v1/hotspots) before uploading');

function only(answer: Answer): IngestOutcome {
  return { answer, stored: 0, storedMapperReports: 0, storedMapperReceipts: 0, duplicates: 0, rejected: [] };
}

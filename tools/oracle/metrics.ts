/**
 * `GET /metrics` in the Prometheus text exposition format (prom-client). One registry per oracle, so
 * several oracles in one process (tests, the simulator) never mix their figures. Counters are counted
 * as things happen; gauges are read when Prometheus scrapes, none of them by scanning the items.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { reasonName } from '../../proofs/index.js';
import type { IngestOutcome } from './ingest.js';
import type { RunResult } from './verifier/runner.js';
import type { OracleStore } from './store/store.js';

export class OracleMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'status'>;
  private readonly items: Counter<'outcome' | 'reason'>;
  private readonly mapperItems: Counter<'kind'>;
  private readonly verdicts: Counter<'kind' | 'status' | 'reason'>;
  private readonly epochs: Counter;
  private readonly ingestSeconds: Histogram;

  /** `attestation` gives the attested and DIY hotspot counts (read-side.ts attestationTally). */
  constructor(
    store: OracleStore, entropyEpoch: () => number, pendingItems: () => number,
    attestation?: () => Promise<{ readonly attested: number; readonly diy: number }>,
  ) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'covey_oracle_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers });
    this.items = new Counter({ name: 'covey_oracle_items_total', help: 'Uploaded items by outcome (stored, duplicate, rejected) and rejection reason', labelNames: ['outcome', 'reason'], registers });
    this.mapperItems = new Counter({
      name: 'covey_oracle_mapper_items_total', help: 'Mapper items stored, by kind (report, receipt); also counted in covey_oracle_items_total',
      labelNames: ['kind'], registers,
    });
    this.verdicts = new Counter({
      name: 'covey_oracle_verdicts_total', help: 'Verdicts given (and changed when an epoch closes) by kind, status and reason',
      labelNames: ['kind', 'status', 'reason'], registers,
    });
    this.epochs = new Counter({ name: 'covey_oracle_epochs_closed_total', help: 'Reward epochs closed', registers });
    this.ingestSeconds = new Histogram({
      name: 'covey_oracle_ingest_seconds', help: 'Time to handle one upload batch', registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    });
    new Gauge({
      name: 'covey_oracle_hotspots', help: 'Registered hotspots', registers,
      async collect() {
        this.set(await store.hotspotCount());
      },
    });
    if (attestation !== undefined) {
      new Gauge({
        name: 'covey_oracle_hotspots_by_attestation', help: 'Registered hotspots: attested by a trusted vendor, or DIY',
        labelNames: ['attestation'], registers,
        async collect() {
          const { attested, diy } = await attestation();
          this.set({ attestation: 'attested' }, attested);
          this.set({ attestation: 'diy' }, diy);
        },
      });
    }
    // Counted by the verifier as it judges: a gauge read from the items table would scan it at every scrape.
    new Gauge({
      name: 'covey_oracle_items_pending', help: 'Stored items waiting for a verdict', registers,
      collect() {
        this.set(pendingItems());
      },
    });
    new Gauge({
      name: 'covey_oracle_entropy_epoch', help: 'The entropy epoch now being served', registers,
      collect() {
        this.set(entropyEpoch());
      },
    });
  }

  request(route: string, status: number): void {
    this.requests.inc({ route, status: String(status) });
  }

  upload(outcome: IngestOutcome, seconds: number): void {
    const { stored, duplicates, rejected } = outcome;
    if (stored > 0) this.items.inc({ outcome: 'stored', reason: 'none' }, stored);
    if (outcome.storedMapperReports > 0) this.mapperItems.inc({ kind: 'report' }, outcome.storedMapperReports);
    if (outcome.storedMapperReceipts > 0) this.mapperItems.inc({ kind: 'receipt' }, outcome.storedMapperReceipts);
    if (duplicates > 0) this.items.inc({ outcome: 'duplicate', reason: 'none' }, duplicates);
    for (const reason of rejected) this.items.inc({ outcome: 'rejected', reason: reasonName(reason) });
    this.ingestSeconds.observe(seconds);
  }

  verified(result: RunResult): void {
    for (const [key, count] of Object.entries(result.verdicts)) {
      const [kind, status, reason] = key.split(' ');
      this.verdicts.inc({ kind, status, reason }, count);
    }
    this.epochs.inc(result.closedEpochs.length);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

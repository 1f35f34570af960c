/**
 * `GET /metrics` in the Prometheus text exposition format (prom-client). One registry per oracle, so
 * several oracles in one process (tests, the simulator) never mix their figures. Counters are counted
 * as things happen; gauges that live in the database are read when Prometheus scrapes.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { reasonName } from '../../proofs/index.js';
import type { RunResult } from './verifier/runner.js';
import type { OracleStore } from './store/store.js';

export class OracleMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'status'>;
  private readonly items: Counter<'outcome' | 'reason'>;
  private readonly judged: Counter;
  private readonly epochs: Counter;
  private readonly ingestSeconds: Histogram;

  constructor(store: OracleStore, entropyEpoch: () => number) {
    const registers = [this.registry];
    this.requests = new Counter({ name: 'covey_oracle_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers });
    this.items = new Counter({ name: 'covey_oracle_items_total', help: 'Uploaded items by outcome (stored, duplicate, rejected) and rejection reason', labelNames: ['outcome', 'reason'], registers });
    this.judged = new Counter({ name: 'covey_oracle_verdicts_total', help: 'Items given a verdict by the verifier', registers });
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
    new Gauge({
      name: 'covey_oracle_items', help: 'Stored items by kind, status and reason', labelNames: ['kind', 'status', 'reason'], registers,
      async collect() {
        this.reset();
        const counts = await store.counts();
        for (const [key, count] of Object.entries(counts.byVerdict)) {
          const [kind, status, reason] = key.split(' ');
          this.set({ kind, status, reason }, count);
        }
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

  upload(stored: number, duplicates: number, rejected: readonly number[], seconds: number): void {
    if (stored > 0) this.items.inc({ outcome: 'stored', reason: 'none' }, stored);
    if (duplicates > 0) this.items.inc({ outcome: 'duplicate', reason: 'none' }, duplicates);
    for (const reason of rejected) this.items.inc({ outcome: 'rejected', reason: reasonName(reason) });
    this.ingestSeconds.observe(seconds);
  }

  verified(result: RunResult): void {
    this.judged.inc(result.judged);
    this.epochs.inc(result.closedEpochs.length);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

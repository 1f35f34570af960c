/**
 * The oracle's entropy: a fresh signed Entropy every period of its clock (poc.md §2: Helium's ticked
 * every 60 s), stored so the verifier can look any of them up by epoch. Epoch n is valid from
 * n × period; it is made when the timer ticks into it or when something asks for it first, whichever
 * comes first, and never changes once stored.
 *
 * The 32 bytes come from the operating system's random source in production. The simulator passes a
 * deterministic source (a keyed hash of the epoch) so that runs with the same seed are identical.
 */
import { randomBytes } from 'node:crypto';
import { encodeEntropy, signEntropy, type Signer } from '../../proofs/index.js';
import type { OracleClock } from './clock.js';
import type { EntropyRecord } from './model.js';
import type { OracleStore } from './store/store.js';

export interface EntropyServiceOptions {
  readonly store: OracleStore;
  readonly signer: Signer;
  readonly clock: OracleClock;
  readonly periodMs: number;
  /** The 32 bytes of an epoch's entropy. Default: random. */
  readonly data?: (epoch: number) => Uint8Array;
}

export class EntropyService {
  private readonly options: EntropyServiceOptions;
  private readonly data: (epoch: number) => Uint8Array;
  private timer: unknown;
  private running = false;

  constructor(options: EntropyServiceOptions) {
    if (!Number.isInteger(options.periodMs) || options.periodMs < 1000) throw new RangeError('entropy period must be ≥ 1000 ms');
    this.options = options;
    this.data = options.data ?? (() => new Uint8Array(randomBytes(32)));
  }

  /** The epoch the clock is in now. */
  epochNow(): number {
    return Math.floor(this.options.clock.wallMs() / this.options.periodMs);
  }

  /** The newest entropy, made now if this epoch has none yet. */
  current(): Promise<EntropyRecord> {
    return this.ensure(this.epochNow());
  }

  /** The entropy of `epoch`: undefined for a future epoch, or a past one the oracle never made. */
  async byEpoch(epoch: number): Promise<EntropyRecord | undefined> {
    const now = this.epochNow();
    if (epoch > now) return undefined;
    if (epoch === now) return this.ensure(epoch);
    return this.options.store.entropy(epoch);
  }

  /** Makes each epoch's entropy as the clock enters it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (!this.running) return;
    const { clock, periodMs } = this.options;
    this.current().catch(() => undefined); // a failed write is retried by the next request or tick
    const untilNext = periodMs - (clock.wallMs() % periodMs);
    this.timer = clock.setTimer(() => this.tick(), untilNext);
  }

  private async ensure(epoch: number): Promise<EntropyRecord> {
    const { store, signer, periodMs } = this.options;
    const stored = await store.entropy(epoch);
    if (stored !== undefined) return stored;
    const entropy = signEntropy({ epoch, data: this.data(epoch), timeMs: epoch * periodMs }, signer);
    return store.putEntropy({ epoch, data: entropy.data, timeMs: entropy.timeMs, encoded: encodeEntropy(entropy) });
  }
}

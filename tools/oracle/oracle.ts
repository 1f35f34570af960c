/**
 * The oracle: the entropy service, the registry, ingest, the verifier and the read side over one store
 * and one clock. `openOracle` opens (or creates) the SQLite database and the oracle's key file;
 * tools/oracle/server.ts puts it on HTTP; the simulator builds one on its virtual clock.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hotspotAddress, toHex, type Signer, type Verifier } from '../../proofs/index.js';
import { createHostSigner } from '../crypto/node-ed25519.js';
import { fastestVerifier } from '../crypto/native-ed25519.js';
import { readKeyFile, writeKeyFile } from '../keyfile.js';
import { cborAnswer, errorAnswer, jsonAnswer, type Answer } from './answer.js';
import { systemClock, type OracleClock } from './clock.js';
import { oracleConfig, type OracleConfig } from './config.js';
import { EntropyService } from './entropy-service.js';
import { Ingest, type IngestOutcome } from './ingest.js';
import type { PreparedBatch } from './ingest-prepare.js';
import { OracleMetrics } from './metrics.js';
import { coverageAnswer, type CoverageParams } from './coverage-answer.js';
import { attestationTally, hotspotAnswer, hotspotsAnswer, rewardsAnswer } from './read-side.js';
import { Registry } from './registry.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { OracleStore } from './store/store.js';
import { NO_TRUSTED_VENDORS, type TrustedVendors } from './trusted-vendors.js';
import { VerifierRunner, type OracleJudge, type RunResult, type VerifierRunnerOptions } from './verifier/runner.js';

export interface OracleOptions {
  readonly store: OracleStore;
  /** Signs entropy: the key devices pin. */
  readonly signer: Signer;
  readonly clock?: OracleClock;
  /** Overrides of ORACLE_DEFAULTS (checked). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Checks uploaded signatures. Default: libsodium. */
  readonly verifier?: Verifier;
  /** The 32 bytes of each epoch's entropy. Default: random. */
  readonly entropyData?: (epoch: number) => Uint8Array;
  /** Decodes and verifies upload batches elsewhere (a worker pool). Default: in-line. */
  readonly prepare?: (body: Uint8Array) => Promise<PreparedBatch>;
  /** Vendors whose device certificates make a hotspot attested (trusted-vendors.ts). Default: none. */
  readonly trustedVendors?: TrustedVendors;
  /** Makes the verifier. Default: a VerifierRunner over `store` on this thread. */
  readonly judge?: (options: VerifierRunnerOptions) => OracleJudge;
  /** Told about verifier runs and failures. */
  readonly onVerifierRun?: (result: RunResult) => void;
  readonly onError?: (error: unknown) => void;
}

export class Oracle {
  readonly config: OracleConfig;
  readonly store: OracleStore;
  readonly clock: OracleClock;
  readonly publicKey: Uint8Array;
  readonly entropy: EntropyService;
  readonly registry: Registry;
  readonly ingest: Ingest;
  readonly verifier: OracleJudge;
  readonly metrics: OracleMetrics;
  readonly trustedVendors: TrustedVendors;
  private started = false;

  constructor(options: OracleOptions) {
    this.config = oracleConfig(options.config);
    this.store = options.store;
    this.clock = options.clock ?? systemClock();
    this.publicKey = options.signer.publicKey;
    this.trustedVendors = options.trustedVendors ?? NO_TRUSTED_VENDORS;
    const verifier = options.verifier ?? fastestVerifier();
    const { store, clock, config } = this;
    this.entropy = new EntropyService({ store, signer: options.signer, clock, periodMs: config.entropyPeriodMs, data: options.entropyData });
    this.registry = new Registry({ store, verifier, clock, trustedVendors: this.trustedVendors });
    this.ingest = new Ingest({
      store, verifier, clock, config, prepare: options.prepare, onStored: (items) => this.verifier.admit(items),
    });
    this.metrics = new OracleMetrics(
      store, () => this.entropy.epochNow(), () => this.verifier.pendingCount, () => attestationTally(store, this.trustedVendors),
    );
    const makeJudge = options.judge ?? ((runnerOptions) => new VerifierRunner(runnerOptions));
    this.verifier = makeJudge({
      store, config, clock, onError: options.onError,
      onRun: (result) => {
        this.metrics.verified(result);
        options.onVerifierRun?.(result);
      },
    });
  }

  /** Starts making entropy and verifying on the oracle's clock. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.entropy.start();
    this.verifier.start();
  }

  /** Stops the timers and waits for a verifier run in progress; the store stays open. */
  async stop(): Promise<void> {
    this.started = false;
    this.entropy.stop();
    this.verifier.stop();
    await this.verifier.settled();
  }

  /** `GET /v1/oracle`: what a device pins and the limits it must keep to. */
  describe(): Answer {
    const { config } = this;
    return jsonAnswer(200, {
      version: 1, publicKey: toHex(this.publicKey), address: hotspotAddress(this.publicKey),
      entropyPeriodMs: config.entropyPeriodMs, entropyLifespanMs: config.entropyLifespanMs,
      beaconIntervalMs: config.beaconIntervalMs, maxWitnessLagMs: config.maxWitnessLagMs,
      maxBatchItems: config.maxBatchItems, maxBodyBytes: config.maxBodyBytes,
    });
  }

  /** `GET /v1/entropy[?epoch=N]`. */
  async entropyAnswer(epochText: string | undefined): Promise<Answer> {
    if (epochText === undefined) return cborAnswer((await this.entropy.current()).encoded);
    if (!/^\d{1,10}$/.test(epochText)) return errorAnswer(400, 'bad_epoch', 'an epoch is a whole number');
    const record = await this.entropy.byEpoch(Number(epochText));
    if (record === undefined) return errorAnswer(404, 'unknown_epoch', `no entropy for epoch ${epochText}`);
    return cborAnswer(record.encoded);
  }

  onboard(contentType: string | undefined, body: Uint8Array | undefined): Promise<Answer> {
    return this.registry.onboard(contentType, body);
  }

  async receipts(contentType: string | undefined, body: Uint8Array | undefined): Promise<IngestOutcome> {
    const started = performance.now();
    const outcome = await this.ingest.receipts(contentType, body);
    this.metrics.upload(outcome, (performance.now() - started) / 1000);
    return outcome;
  }

  hotspot(idText: string): Promise<Answer> {
    return hotspotAnswer(this.store, idText, this.trustedVendors);
  }

  /** `GET /v1/hotspots`: registered hotspots, attested (by vendor) and DIY. */
  hotspots(): Promise<Answer> {
    return hotspotsAnswer(this.store, this.trustedVendors);
  }

  /** `GET /v1/coverage`: what mappers found inside a box, as GeoJSON (coverage-answer.ts). */
  coverage(params: CoverageParams): Promise<Answer> {
    return coverageAnswer(this.store, params);
  }

  rewards(epochText: string, format: string | undefined): Promise<Answer> {
    return rewardsAnswer(this.store, epochText, format, this.config.rewardEpochMs);
  }

  /** `GET /healthz`: 200 when the database answers, 503 when it does not. */
  async health(): Promise<Answer> {
    try {
      const hotspots = await this.store.hotspotCount();
      return jsonAnswer(200, { status: 'ok', hotspots, entropyEpoch: this.entropy.epochNow() });
    } catch (error) {
      return errorAnswer(503, 'unhealthy', error instanceof Error ? error.message : 'the database does not answer');
    }
  }
}

export interface OpenOracleOptions extends Omit<OracleOptions, 'store' | 'signer'> {
  /** The SQLite file (created if missing). */
  readonly dbPath: string;
  /** The oracle's key file; created (mode 0600) on first start. Default: `<dbPath>.key`. */
  readonly keyPath?: string;
}

export interface OpenedOracle {
  readonly oracle: Oracle;
  readonly keyCreated: boolean;
  readonly keyPath: string;
  /** Problems with the key file worth telling the operator (e.g. readable by others). */
  readonly warnings: readonly string[];
}

/** Opens the database and the key (creating both on first start) and builds the oracle. */
export function openOracle(options: OpenOracleOptions): OpenedOracle {
  const keyPath = options.keyPath ?? `${options.dbPath}.key`;
  const keyCreated = !existsSync(keyPath);
  const key = keyCreated ? writeKeyFile(keyPath, new Uint8Array(randomBytes(32))) : readKeyFile(keyPath);
  const seed = key.seed;
  const store = SqliteStore.open(options.dbPath, {
    backgroundCheckpoints: true,
    onCheckpointError: (message) => options.onError?.(new Error(`WAL checkpoint failed: ${message}`)),
  });
  try {
    return { oracle: new Oracle({ ...options, store, signer: createHostSigner(seed) }), keyCreated, keyPath, warnings: key.warnings };
  } catch (error) {
    void store.close();
    throw error;
  }
}

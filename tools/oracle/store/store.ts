/**
 * The seam between the oracle and its database. The oracle, the verifier and the HTTP server see only
 * this interface; tools/oracle/store/sqlite-store.ts implements it on an embedded SQLite file, and a
 * PostgreSQL store for deployments that outgrow one machine would implement the same methods. Every
 * method is asynchronous for that reason, and every write that must be all-or-nothing is one method.
 */
import type { CoverageQuery, CoverageUplinks } from '../coverage-query.js';
import type {
  AttestationRecord, EntropyRecord, EpochItem, HotspotRecord, RewardRow, StoredItem, UploadedItem, VerdictUpdate,
} from '../model.js';

/** What reciprocity needs to know about one hotspot in a window. */
export interface ReciprocityFacts {
  /** It has a witness that passed its checks (`passed`) in the window. */
  readonly passedWitness: boolean;
  /** It has a beacon that passed its checks with at least one passed witness, in the window. */
  readonly passedBeaconWithWitness: boolean;
}

/** Counts for the read side and /metrics. */
export interface ItemCounts {
  /** Keyed `${kind} ${status} ${reasonName}`, e.g. "witness invalid too_late", "beacon valid none". */
  readonly byVerdict: Readonly<Record<string, number>>;
  readonly pending: number;
}

export interface HotspotSummary {
  readonly hotspot: HotspotRecord;
  /** Receive time of its newest beacon report, if any. */
  readonly lastBeaconMs?: number;
  readonly lastWitnessMs?: number;
  readonly counts: ItemCounts;
  /** Its vendor attestation, when it has one. */
  readonly attestation?: AttestationRecord;
}

export interface OracleStore {
  // Registry
  /**
   * Registers or updates a hotspot and, in the same transaction, its attestation: `undefined` leaves the
   * attestation as it is, `null` removes it, a record replaces it.
   */
  putHotspot(record: HotspotRecord, attestation?: AttestationRecord | null): Promise<void>;
  attestation(key: Uint8Array): Promise<AttestationRecord | undefined>;
  /** How many registered hotspots each vendor key has attested, keyed by lower-case hex. */
  attestationCounts(): Promise<Map<string, number>>;
  hotspot(key: Uint8Array): Promise<HotspotRecord | undefined>;
  /** The records of those keys that are registered, keyed by lower-case hex. */
  hotspots(keys: readonly Uint8Array[]): Promise<Map<string, HotspotRecord>>;
  /** Every registered hotspot (hex-density scaling, listings). */
  allHotspots(): Promise<HotspotRecord[]>;
  hotspotCount(): Promise<number>;

  // Entropy
  /** Stores it unless that epoch is already stored; returns the stored record for the epoch. */
  putEntropy(record: EntropyRecord): Promise<EntropyRecord>;
  entropy(epoch: number): Promise<EntropyRecord | undefined>;
  latestEntropy(): Promise<EntropyRecord | undefined>;

  // Items
  /**
   * Stores the items that are new, in one transaction: PoC items as pending, mapper items where no
   * PoC query reads them. Returns, per item, true when it was stored now and false when an item with its
   * id was already there (uploads are idempotent).
   */
  insertItems(items: readonly UploadedItem[]): Promise<boolean[]>;
  /**
   * Every item still waiting for a verdict, in receive order (then id), without bodies. The verifier
   * reads this once when it starts and then holds what ingest stores (verifier/pending.ts).
   */
  pendingItems(): Promise<StoredItem[]>;
  /**
   * One item with its body (the exact bytes uploaded), or undefined. Found by its id and its own timeMs
   * (which the id determines), the pair the store indexes.
   */
  item(id: Uint8Array, timeMs: number): Promise<StoredItem | undefined>;
  /** Whether an item quoting `digest` has been judged. */
  hasJudged(digest: Uint8Array): Promise<boolean>;
  /** Every item quoting `digest`, judged or not, in receive order (then id); without bodies. */
  group(digest: Uint8Array): Promise<StoredItem[]>;
  /** Records verdicts, all or none. */
  saveVerdicts(updates: readonly VerdictUpdate[]): Promise<void>;
  /** Beacon reports by `beaconer` received in [fromMs, toMs), in receive order. */
  beaconsOf(beaconer: Uint8Array, fromMs: number, toMs: number): Promise<StoredItem[]>;
  /** Judged items whose verdict counts in reward epoch `epoch`, in receive order (then id). */
  epochItems(epoch: number): Promise<EpochItem[]>;
  /** Reciprocity facts for each key (hex) over items received in [fromMs, toMs). */
  reciprocity(keys: readonly Uint8Array[], fromMs: number, toMs: number): Promise<Map<string, ReciprocityFacts>>;
  counts(): Promise<ItemCounts>;
  summary(key: Uint8Array): Promise<HotspotSummary | undefined>;

  // Mapper items
  /**
   * The mapper uplinks sent in the query's window and box, each with the hotspots that heard it placed at
   * their registered locations, ordered by send time, then digest. Receipts whose uplink has no report
   * yet are kept but not returned. RangeError (rejected) for a bad query (coverage-query.ts).
   */
  coverageUplinks(options?: CoverageQuery): Promise<CoverageUplinks>;

  // Epochs and rewards
  /** Records an epoch's verdict changes and rewards and marks it closed, all or none. */
  closeEpoch(epoch: number, closedMs: number, updates: readonly VerdictUpdate[], rewards: readonly RewardRow[]): Promise<void>;
  /** The newest closed epoch, or undefined. */
  lastClosedEpoch(): Promise<number | undefined>;
  /** The oldest epoch that holds a judged item and is not closed, or undefined. */
  firstOpenEpoch(): Promise<number | undefined>;
  rewards(epoch: number): Promise<RewardRow[] | undefined>;

  close(): Promise<void>;
}

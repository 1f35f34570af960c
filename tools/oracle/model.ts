/**
 * What the oracle keeps: registered hotspots, the entropy it published, every item it stored with the
 * time it arrived, and the verdicts and rewards the verifier reached. Plain records, shared by the
 * store (tools/oracle/store/), the verifier (tools/oracle/verifier/) and the HTTP server.
 */

/** A position asserted at onboarding: degrees × 10^7, and the H3 cell (resolution 12) that contains it. */
export interface AssertedLocation {
  readonly latE7: number;
  readonly lonE7: number;
  /** H3 index, resolution ASSERT_RESOLUTION, as h3-js prints it. */
  readonly cell: string;
}

/** Locations are kept as resolution-12 cells (about 9 m across), as Helium asserted them. */
export const ASSERT_RESOLUTION = 12;

export interface HotspotRecord {
  /** The 32-byte ed25519 public key: the hotspot's id. */
  readonly key: Uint8Array;
  /** Absent when the hotspot is known but has not asserted a location (`not_asserted`). */
  readonly location?: AssertedLocation;
  /** Antenna gain, 0.1 dBi. */
  readonly gainDdbi: number;
  /** Region id, e.g. EU868. */
  readonly region: string;
  /** The signed Onboard request's own time, ms: a request older than this one is refused (409). */
  readonly assertedAtMs: number;
  /** When the oracle registered (or last updated) it, oracle clock. */
  readonly registeredMs: number;
  /** The Onboard request as received, when there was one. */
  readonly request?: Uint8Array;
}

/**
 * A hotspot's vendor attestation: a DeviceCertificate that named its key and verified under a vendor key
 * the oracle trusted when the hotspot onboarded (tools/oracle/attestation.ts). The vendor's name is not
 * kept: it is the trusted-vendors file's, read when shown.
 */
export interface AttestationRecord {
  readonly vendorKey: Uint8Array;
  readonly model: string;
  readonly serial: string;
  /** The certificate's own issue time, ms. */
  readonly issuedMs: number;
  /** The certificate as the hotspot sent it. */
  readonly certificate: Uint8Array;
  /** When the oracle accepted it, oracle clock. */
  readonly attestedMs: number;
}

export interface EntropyRecord {
  readonly epoch: number;
  readonly data: Uint8Array;
  /** When it became valid, ms since the Unix epoch (oracle clock). */
  readonly timeMs: number;
  /** The signed Entropy message as served. */
  readonly encoded: Uint8Array;
}

/** The proof-of-coverage items: the verifier judges them and rewards are counted from them. */
export type PocKind = 'beacon' | 'witness';
/**
 * The mapper role's items (proofs/mapper-report.ts, mapper-receipt.ts): a mapper's report of an uplink
 * it sent, and a hotspot's receipt of an uplink it heard. They are stored for the coverage map and are
 * never proof of coverage: no verdict, no reward.
 */
export type MapperKind = 'mapper' | 'mapper-witness';
/** Every kind of item an UploadBatch carries, as proofs' BatchItem names them. */
export type ItemKind = PocKind | MapperKind;

/** pending: not judged yet; valid / invalid: judged (a valid one may still be unselected). */
export type ItemStatus = 'pending' | 'valid' | 'invalid';

/** Whose fault an invalid verdict is (Helium's participant_side). */
export type Side = 'beaconer' | 'witness';

/** The fields of a stored proof-of-coverage item the verifier reads, decoded once at ingest. */
export interface ItemFields {
  /** receiptId(uploader, body): 16 bytes. */
  readonly id: Uint8Array;
  /** Who uploaded and signed it (for a beacon, also the beaconer). */
  readonly uploader: Uint8Array;
  readonly kind: PocKind;
  /** The item's canonical encoding as it stood in the batch. */
  readonly body: Uint8Array;
  /** Oracle receive time, ms since the Unix epoch: every timing check uses this. */
  readonly receivedMs: number;
  /** The beacon digest: of the frame for a beacon report, as quoted for a witness receipt. */
  readonly digest: Uint8Array;
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** The device's own time for the event (TxDone / RxDone); informative only. */
  readonly timeMs: number;
  /** Witness: RSSI, 0.1 dBm. */
  readonly rssiDdbm?: number;
  /** Witness: SNR, 0.1 dB. */
  readonly snrDdb?: number;
  /** Beacon: conducted power, 0.1 dBm. */
  readonly txPowerDdbm?: number;
  /** Beacon: the entropy epoch quoted in the frame. */
  readonly entropyEpoch?: number;
  /** Beacon: the first 4 bytes of that entropy, as quoted. */
  readonly entropyTag?: Uint8Array;
}

/** A mapper's report of an uplink it sent (kind 'mapper'), with the uplink's fields decoded at ingest. */
export interface MapperReportItem {
  /** receiptId(uploader, body): 16 bytes. */
  readonly id: Uint8Array;
  /** The mapper: the uploader, and the key in the uplink frame (ingest refuses anyone else's uplink). */
  readonly uploader: Uint8Array;
  readonly kind: 'mapper';
  /** The report's canonical encoding as it stood in the batch. */
  readonly body: Uint8Array;
  /** Oracle receive time, ms since the Unix epoch. */
  readonly receivedMs: number;
  /** The uplink digest: beaconDigest() of the 113-byte frame. */
  readonly digest: Uint8Array;
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** Conducted power, 0.1 dBm. */
  readonly txPowerDdbm: number;
  /** The mapper's own time of TxDone, ms. */
  readonly timeMs: number;
  /** The mapper's GPS fix when it sent the uplink, degrees × 10^7. */
  readonly latE7: number;
  readonly lonE7: number;
  readonly altitudeM: number;
  /** HDOP × 10, 0–255. */
  readonly hdopDeci: number;
  readonly satellites: number;
  /** The mapper's uplink counter. */
  readonly counter: number;
}

/** A hotspot's receipt of a mapper uplink it heard (kind 'mapper-witness'). */
export interface MapperReceiptItem {
  /** receiptId(uploader, body): 16 bytes. */
  readonly id: Uint8Array;
  /** The hotspot that heard the uplink and signed the receipt. */
  readonly uploader: Uint8Array;
  readonly kind: 'mapper-witness';
  readonly body: Uint8Array;
  /** Oracle receive time, ms since the Unix epoch. */
  readonly receivedMs: number;
  /** The uplink digest the receipt quotes. */
  readonly digest: Uint8Array;
  readonly frequencyHz: number;
  readonly dataRate: number;
  /** The hotspot's own time of RxDone, ms. */
  readonly timeMs: number;
  /** RSSI, 0.1 dBm. */
  readonly rssiDdbm: number;
  /** SNR, 0.1 dB. */
  readonly snrDdb: number;
}

/** Any item ingest stores: a proof-of-coverage item or a mapper item. */
export type UploadedItem = ItemFields | MapperReportItem | MapperReceiptItem;

/** Whether an uploaded item is proof of coverage (for the verifier) rather than a mapper item. */
export function isPocItem(item: UploadedItem): item is ItemFields {
  return item.kind === 'beacon' || item.kind === 'witness';
}

export interface Verdict {
  readonly status: ItemStatus;
  /** proofs/reasons.ts code; Reason.none when valid or pending. */
  readonly reason: number;
  readonly side?: Side;
  /**
   * Passed every check made when its beacon was judged: all but reciprocity and selection, which wait
   * for the epoch to close. Reciprocity looks at these, so it never depends on itself.
   */
  readonly passed: boolean;
  /**
   * Witness: among the first maxWitnessesPerBeacon valid ones, so rewarded. Set when its beacon is judged
   * and revised when the epoch closes if reciprocity removed a witness before it. Reward units are kept
   * per hotspot and epoch (RewardRow), not per item: closing an epoch then writes only what changed.
   */
  readonly selected: boolean;
  /** When it was judged, oracle clock. */
  readonly verifiedMs?: number;
  /** The reward epoch it counts in (from the beacon's receive time). */
  readonly epoch?: number;
}

/**
 * An item as the store returns it. `body` is left out by the reads the verifier makes (it judges the
 * decoded fields, never the bytes), which keeps those reads small.
 */
export type StoredItem = Omit<ItemFields, 'body'> & { readonly body?: Uint8Array } & Verdict;

/** What closing an epoch reads of an item: who, which beacon, when, and its verdict so far. */
export type EpochItem = Pick<StoredItem, 'id' | 'timeMs' | 'uploader' | 'kind' | 'digest' | 'receivedMs'> & Verdict;

/** A verdict to record for one item. */
export interface VerdictUpdate extends Verdict {
  readonly id: Uint8Array;
  /**
   * The item's own timeMs. The id determines it (the id hashes the signed body that carries it), and
   * the store finds an item by both: see migration 2 in store/migrations.ts.
   */
  readonly timeMs: number;
}

/** One hotspot's reward for one epoch. */
export interface RewardRow {
  readonly epoch: number;
  readonly hotspot: Uint8Array;
  /** Sum of HIP-15 reward units for its valid beacons. */
  readonly beaconUnits: number;
  /** Sum of reward units for its selected witnesses. */
  readonly witnessUnits: number;
  /** Hex-density scale applied (1 when scaling is off). */
  readonly scale: number;
  /** Share of the epoch's pool, in reward units of rewardPoolPerEpoch. */
  readonly amount: number;
  readonly beacons: number;
  readonly witnesses: number;
}

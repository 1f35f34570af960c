/**
 * The witness: the radio's receive handler on the PoC channel. It makes a signed WitnessReceipt for each
 * genuine beacon heard, and a MapperReceipt for each genuine mapper uplink (proofs/mapper-receipt.ts), with
 * the same fields, checks and de-duplication. Every frame is counted under exactly one outcome, so the
 * counters always add up to the frames heard:
 *
 *   crcErrors   the radio's payload CRC failed
 *   nonCovey    not a covey frame (header bits 7–5 are not LoRaWAN "proprietary", docs/protocol.md §4.2)
 *   unsupported a covey frame this firmware does not read: another kind or version, or a mapper-uplink
 *               header on a frame that is not 113 bytes
 *   malformed   a beacon header with the wrong length, or a beacon or uplink its decoder refuses
 *   own         this hotspot's own frame (heard back through a repeater or a replay)
 *   duplicates  a frame already witnessed (the same frame bytes, among the last `cacheSize`)
 *   noTime      the wall time is unknown: a receipt without a time is worthless to the oracle
 *   forged      the sender's signature does not verify (when verifyBeacons is on)
 *   failed      signing or storing the receipt failed (the error is logged)
 *   receipts    a signed WitnessReceipt or MapperReceipt was queued for upload
 *
 * `uplinkStats` says how many of the receipts and forgeries were mapper uplinks.
 *
 * No exception leaves `onPacket`: it runs for every frame the radio delivers (src/hotspot.ts calls it
 * from a promise job right after the driver's receive callback). Cheap checks come first (header,
 * length, own key, duplicate) so that noise costs no allocation and the expensive signature check runs
 * only on frames that could become receipts. Beacons and uplinks both carry the sender's key at bytes
 * 1–32, which is what the own check reads.
 */
import { BEACON_FRAME_BYTES, BEACON_HEADER, decodeBeacon, isCoveyFrame, verifyBeacon } from '../proofs/beacon.js';
import { encodeBatchItem, type BatchItem } from '../proofs/batch.js';
import { beaconDigest, BEACON_DIGEST_BYTES } from '../proofs/digest.js';
import { signMapperReceipt } from '../proofs/mapper-receipt.js';
import { decodeMapperUplink, MAPPER_UPLINK_BYTES, MAPPER_UPLINK_HEADER, verifyMapperUplink } from '../proofs/mapper-uplink.js';
import { RSSI_DDBM, SNR_DDB } from '../proofs/units.js';
import { signWitnessReceipt, type WitnessReceiptFields } from '../proofs/witness-receipt.js';
import type { RecordQueue, UploadTrigger } from './components.js';
import type { Clock, Log, RadioPacket, Signer, Verifier } from './ports.js';

/** The channel the witness listens on, as receipts name it. */
export interface WitnessChannel {
  readonly frequencyHz: number;
  /** Data rate code (proofs/units.ts). */
  readonly dataRate: number;
}

export interface WitnessOptions {
  readonly clock: Pick<Clock, 'wallMs'>;
  readonly signer: Signer;
  readonly verifier: Verifier;
  /** Check the beaconer's or mapper's signature before witnessing (settings.verifyBeacons). */
  readonly verifyBeacons: boolean;
  readonly queue: RecordQueue;
  readonly uploads: UploadTrigger;
  readonly log: Log;
  readonly channel: WitnessChannel;
  /** Recent beacon digests remembered to drop duplicates. Default 16 (256 bytes). */
  readonly cacheSize?: number;
}

export interface WitnessStats {
  /** Every frame the radio delivered; the sum of the counters below. */
  heard: number;
  crcErrors: number;
  nonCovey: number;
  unsupported: number;
  malformed: number;
  own: number;
  duplicates: number;
  noTime: number;
  forged: number;
  failed: number;
  receipts: number;
}
type Outcome = Exclude<keyof WitnessStats, 'heard'>;

/** Of the witness's `receipts` and `forged`, the frames that were mapper uplinks. */
export interface UplinkHearingStats {
  receipts: number;
  forged: number;
}

/** Fixed-point 0.1 units (docs/protocol.md §2), clamped to the field's range; a non-number is an error. */
function tenths(value: number, range: { readonly min: number; readonly max: number }, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${what} ${String(value)} is not a number`);
  return Math.min(range.max, Math.max(range.min, Math.round(value * 10)));
}

export class Witness {
  readonly stats: WitnessStats;
  readonly uplinkStats: UplinkHearingStats;
  /** The handler to give to `radio.receive`. */
  readonly onPacket: (packet: RadioPacket) => void;
  private readonly options: WitnessOptions;
  private readonly ownKey: Uint8Array;
  /** A ring of the last `cacheSize` digests witnessed, 16 bytes each. */
  private readonly recent: Uint8Array;
  private readonly cacheSize: number;
  private recentNext: number;
  private recentCount: number;
  private stopped: boolean;

  constructor(options: WitnessOptions) {
    const cacheSize = options.cacheSize ?? 16;
    if (!Number.isInteger(cacheSize) || cacheSize < 1 || cacheSize > 1024) throw new RangeError(`cache of ${cacheSize} digests`);
    this.options = options;
    this.ownKey = options.signer.publicKey;
    this.cacheSize = cacheSize;
    this.recent = new Uint8Array(cacheSize * BEACON_DIGEST_BYTES);
    this.recentNext = 0;
    this.recentCount = 0;
    this.stopped = false;
    this.stats = {
      heard: 0, crcErrors: 0, nonCovey: 0, unsupported: 0, malformed: 0, own: 0, duplicates: 0, noTime: 0, forged: 0, failed: 0, receipts: 0,
    };
    this.uplinkStats = { receipts: 0, forged: 0 };
    this.onPacket = (packet) => this.handle(packet);
  }

  /** Ignores frames from now on (they are no longer counted). */
  stop(): void {
    this.stopped = true;
  }

  start(): void {
    this.stopped = false;
  }

  private handle(packet: RadioPacket): void {
    if (this.stopped) return;
    // Read first: the closest this code gets to RxDone (the same turn of the event loop).
    const wallMs = this.options.clock.wallMs();
    this.stats.heard++;
    let outcome: Outcome;
    try {
      outcome = this.witness(packet, wallMs);
    } catch (error) {
      outcome = 'failed';
      try {
        this.options.log.write('error', 'receipt not made', { error: error instanceof Error ? error.message : String(error) });
      } catch {
        // A log that throws must not take the receive path down with it.
      }
    }
    this.stats[outcome]++;
  }

  /** Classifies one frame and, for a good beacon or mapper uplink, queues its receipt. */
  private witness(packet: RadioPacket, wallMs: number | undefined): Outcome {
    const frame = packet.payload;
    if (!packet.crcOk) return 'crcErrors';
    if (!(frame instanceof Uint8Array) || !isCoveyFrame(frame)) return 'nonCovey';
    const uplink = frame[0] === MAPPER_UPLINK_HEADER;
    if (uplink ? frame.length !== MAPPER_UPLINK_BYTES : frame[0] !== BEACON_HEADER) return 'unsupported';
    if (!uplink && frame.length !== BEACON_FRAME_BYTES) return 'malformed';
    if (this.isOwn(frame)) return 'own';
    const digest = beaconDigest(frame);
    if (this.seen(digest)) return 'duplicates';
    if (wallMs === undefined) return 'noTime';
    const checked = uplink ? this.checkUplink(frame) : this.checkBeacon(frame);
    if (checked !== undefined) return checked;
    this.remember(digest);
    this.queueReceipt(packet, digest, wallMs, uplink);
    if (uplink) this.uplinkStats.receipts++;
    return 'receipts';
  }

  /** Undefined for a beacon that may be witnessed, else why not. */
  private checkBeacon(frame: Uint8Array): 'malformed' | 'forged' | undefined {
    let beacon;
    try {
      beacon = decodeBeacon(frame);
    } catch {
      return 'malformed';
    }
    return this.options.verifyBeacons && !verifyBeacon(beacon, this.options.verifier) ? 'forged' : undefined;
  }

  /** Undefined for a mapper uplink that may be witnessed, else why not. */
  private checkUplink(frame: Uint8Array): 'malformed' | 'forged' | undefined {
    let uplink;
    try {
      uplink = decodeMapperUplink(frame);
    } catch {
      return 'malformed'; // a position off the globe
    }
    if (!this.options.verifyBeacons || verifyMapperUplink(uplink, this.options.verifier)) return undefined;
    this.uplinkStats.forged++;
    return 'forged';
  }

  /** The sender field (bytes 1–32 of a beacon and of an uplink) is this hotspot's key. */
  private isOwn(frame: Uint8Array): boolean {
    const key = this.ownKey;
    for (let i = 0; i < 32; i++) if (frame[1 + i] !== key[i]) return false;
    return true;
  }

  private seen(digest: Uint8Array): boolean {
    const recent = this.recent;
    for (let slot = 0; slot < this.recentCount; slot++) {
      const base = slot * BEACON_DIGEST_BYTES;
      let i = 0;
      while (i < BEACON_DIGEST_BYTES && recent[base + i] === digest[i]) i++;
      if (i === BEACON_DIGEST_BYTES) return true;
    }
    return false;
  }

  private remember(digest: Uint8Array): void {
    this.recent.set(digest, this.recentNext * BEACON_DIGEST_BYTES);
    this.recentNext = (this.recentNext + 1) % this.cacheSize;
    if (this.recentCount < this.cacheSize) this.recentCount++;
  }

  private queueReceipt(packet: RadioPacket, digest: Uint8Array, timeMs: number, uplink: boolean): void {
    const { channel, signer, queue, uploads, log } = this.options;
    const frequencyError = typeof packet.frequencyErrorHz === 'number' && Number.isFinite(packet.frequencyErrorHz) ? packet.frequencyErrorHz : 0;
    const fields: WitnessReceiptFields = {
      beaconDigest: digest,
      rssiDdbm: tenths(packet.rssiDbm, RSSI_DDBM, 'RSSI'),
      snrDdb: tenths(packet.snrDb, SNR_DDB, 'SNR'),
      frequencyHz: channel.frequencyHz + Math.round(frequencyError),
      dataRate: channel.dataRate,
      timeMs,
    };
    const item: BatchItem = uplink
      ? { kind: 'mapper-witness', receipt: signMapperReceipt(fields, signer) }
      : { kind: 'witness', receipt: signWitnessReceipt(fields, signer) };
    queue.append(encodeBatchItem(item));
    uploads.notify();
    log.write('info', uplink ? 'mapper uplink witnessed' : 'beacon witnessed', { rssi: packet.rssiDbm, snr: packet.snrDb });
  }
}

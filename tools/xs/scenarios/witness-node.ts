/**
 * The measured device of the witness scenario: an SX127x driver receiving continuously on the PoC channel
 * and, for each frame, what a witness does (docs/protocol.md): parse it strictly as a beacon, verify the
 * beaconer's signature on the device, and turn it into a signed WitnessReceipt carrying the packet's RSSI,
 * SNR and frequency, encoded and kept in a small ring that drops the oldest. Device code, for covey-xs.
 *
 * It stands in for src/'s Hotspot until the runtime can be measured whole; its state is bounded like the
 * runtime's must be: the ring's size is fixed, counters are numbers.
 */
import {
  beaconDigest, createPortableSigner, dataRateCode, decodeBeacon, encodeWitnessReceipt, PortableVerifier,
  signWitnessReceipt, verifyBeacon, type DataRate, type Signer,
} from '../../../proofs/index.js';
import { Sx127x } from '../../../hal/drivers/sx127x/sx127x.js';
import type { Sx1276 } from '../../../host-sim/chips/sx1276.js';
import { wireSx127x } from '../../../host-sim/chips/sx1276-wiring.js';
import type { Clock, LoRaSettings, RadioPacket } from '../../../src/ports.js';

export interface WitnessNodeOptions {
  readonly clock: Clock;
  readonly chip: Sx1276;
  readonly settings: LoRaSettings;
  readonly seed: Uint8Array;
  /** Encoded receipts kept; the oldest is dropped when the ring is full. */
  readonly receiptsKept: number;
}

export class WitnessNode {
  readonly signer: Signer;
  readonly radio: Sx127x;
  readonly counters = {
    framesHeard: 0, crcErrors: 0, malformed: 0, forgeries: 0, unclocked: 0, receiptsMade: 0, receiptsDropped: 0,
  };
  private readonly verifier = new PortableVerifier();
  private readonly dataRate: number;
  private readonly kept: (Uint8Array | undefined)[];
  private next = 0;

  constructor(private readonly options: WitnessNodeOptions) {
    if (!Number.isInteger(options.receiptsKept) || options.receiptsKept < 1) throw new RangeError('receiptsKept must be ≥ 1');
    this.signer = createPortableSigner(options.seed);
    this.radio = new Sx127x({ ...wireSx127x(options.chip, options.clock), ...options.settings });
    const { spreadingFactor, bandwidthHz } = options.settings;
    // dataRateCode refuses (RangeError) a bandwidth that has no code.
    this.dataRate = dataRateCode({ spreadingFactor, bandwidthKHz: (bandwidthHz / 1000) as DataRate['bandwidthKHz'] });
    this.kept = new Array<Uint8Array | undefined>(options.receiptsKept).fill(undefined);
  }

  start(): void {
    this.radio.receive((packet) => this.onPacket(packet));
  }

  /** The newest kept receipt, encoded. */
  get lastReceipt(): Uint8Array | undefined {
    return this.kept[(this.next + this.kept.length - 1) % this.kept.length];
  }

  private onPacket(packet: RadioPacket): void {
    this.counters.framesHeard++;
    if (!packet.crcOk) {
      this.counters.crcErrors++;
      return;
    }
    let beacon;
    try {
      beacon = decodeBeacon(packet.payload);
    } catch {
      this.counters.malformed++;
      return;
    }
    if (!verifyBeacon(beacon, this.verifier)) {
      this.counters.forgeries++;
      return;
    }
    const timeMs = this.options.clock.wallMs();
    if (timeMs === undefined) {
      this.counters.unclocked++; // a receipt needs the time it was heard (before SNTP there is none)
      return;
    }
    this.keep(encodeWitnessReceipt(signWitnessReceipt(this.receiptFields(packet, beacon.frame, timeMs), this.signer)));
  }

  private receiptFields(packet: RadioPacket, frame: Uint8Array, timeMs: number) {
    return {
      beaconDigest: beaconDigest(frame),
      rssiDdbm: Math.round(packet.rssiDbm * 10),
      snrDdb: Math.round(packet.snrDb * 10),
      // The sender's carrier: the channel plus the chip's estimate of the sender's error.
      frequencyHz: this.options.settings.frequencyHz + Math.round(packet.frequencyErrorHz),
      dataRate: this.dataRate,
      timeMs,
    };
  }

  private keep(receipt: Uint8Array): void {
    if (this.kept[this.next] !== undefined) this.counters.receiptsDropped++;
    this.kept[this.next] = receipt;
    this.next = (this.next + 1) % this.kept.length;
    this.counters.receiptsMade++;
  }
}

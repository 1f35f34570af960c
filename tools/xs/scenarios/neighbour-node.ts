/**
 * A neighbour of the measured hotspot in the hotspot scenario: scaffolding, kept light. It receives on
 * the PoC channel and counts what it hears, and it beacons: one signed 109-byte beacon (proofs'
 * signBeacon, a fresh nonce each time) `delayMs` after each beacon it hears from the node it follows,
 * after asking its duty-cycle accountant as the firmware must (hal/radio/duty-cycle.ts). Following
 * another node's beacon keeps the beacons of an epoch apart on the air: the measured hotspot picks its
 * own random time (the runtime's schedule, untouched), the first neighbour answers it, the second answers
 * the first. Device code, for covey-xs.
 *
 * The radio is the scenario's: opened on an emulated board radio and tuned before the baseline. The
 * signer is made in start(), not in the constructor: the scenario builds this node before the baseline,
 * and a key derived then would warm the signer's lazily built state and hide it from the measured hotspot.
 */
import { BEACON_FRAME_BYTES, BEACON_HEADER, createPortableSigner, signBeacon, type Signer } from '../../../proofs/index.js';
import { DutyCycleAccountant, type Transmission } from '../../../hal/radio/duty-cycle.js';
import { pocAirtimeMs, type RegionPlan } from '../../../hal/radio/regions.js';
import type { Clock, LoRaSettings, Radio, RadioPacket } from '../../../src/ports.js';

export interface NeighbourOptions {
  readonly clock: Clock;
  /** Opened and tuned to the PoC channel (`settings`) by the scenario. */
  readonly radio: Radio;
  readonly region: RegionPlan;
  readonly settings: LoRaSettings;
  readonly seed: Uint8Array;
  /** The entropy the beacons cite (a neighbour does not fetch any; the witness does not check it). */
  readonly entropyEpoch: number;
  readonly entropyTag: Uint8Array;
  /** Beacons this long after hearing a beacon of the node it follows, ms. */
  readonly delayMs: number;
  /** Seeds the nonces (xorshift32, nonzero). */
  readonly nonceSeed: number;
}

/** The beaconer field of a beacon frame: bytes 1–32 (docs/protocol.md §4.2). */
function isBeaconFrom(frame: Uint8Array, key: Uint8Array | undefined): boolean {
  if (key === undefined) return false;
  for (let i = 0; i < 32; i++) if (frame[1 + i] !== key[i]) return false;
  return true;
}

export class NeighbourNode {
  readonly radio: Radio;
  readonly counters = { beaconsSent: 0, beaconsRefused: 0, txFailed: 0, framesHeard: 0, beaconsHeard: 0, watchedHeard: 0 };
  private readonly options: NeighbourOptions;
  private readonly accountant: DutyCycleAccountant;
  private readonly transmission: Transmission;
  private nonceState: number;
  private signer: Signer | undefined;
  private follows: Uint8Array | undefined;
  private watches: Uint8Array | undefined;
  private pending: boolean;

  constructor(options: NeighbourOptions) {
    this.options = options;
    this.radio = options.radio;
    this.accountant = new DutyCycleAccountant(options.region);
    const { frequencyHz, bandwidthHz, txPowerDbm } = options.settings;
    this.transmission = { frequencyHz, bandwidthHz, txPowerDbm, airtimeMs: pocAirtimeMs(options.region, BEACON_FRAME_BYTES) };
    this.nonceState = options.nonceSeed >>> 0 || 1;
    this.signer = undefined;
    this.follows = undefined;
    this.watches = undefined;
    this.pending = false;
  }

  /** The neighbour's public key, once started. */
  get publicKey(): Uint8Array | undefined {
    return this.signer?.publicKey;
  }

  /** Makes the key and starts receiving; beacons after each beacon of `follows`; counts those of `watches`. */
  start(follows: Uint8Array, watches: Uint8Array): void {
    this.signer = createPortableSigner(this.options.seed);
    this.follows = follows;
    this.watches = watches;
    this.radio.receive((packet) => this.onPacket(packet));
  }

  private onPacket(packet: RadioPacket): void {
    this.counters.framesHeard++;
    const frame = packet.payload;
    if (!packet.crcOk || frame.length !== BEACON_FRAME_BYTES || frame[0] !== BEACON_HEADER) return;
    this.counters.beaconsHeard++;
    if (isBeaconFrom(frame, this.watches)) this.counters.watchedHeard++;
    if (isBeaconFrom(frame, this.follows) && !this.pending) {
      this.pending = true;
      this.options.clock.setTimer(() => this.beacon(), this.options.delayMs);
    }
  }

  private beacon(): void {
    const { clock } = this.options;
    const signer = this.signer as Signer;
    const now = clock.now();
    const verdict = this.accountant.check(this.transmission, now);
    if (!verdict.ok) {
      this.counters.beaconsRefused++; // this turn is skipped; the next beacon it follows brings another
      this.pending = false;
      return;
    }
    const { frame } = signBeacon(
      { beaconer: signer.publicKey, entropyEpoch: this.options.entropyEpoch, entropyTag: this.options.entropyTag, nonce: this.nextNonce() },
      signer,
    );
    this.accountant.record(this.transmission, now);
    this.counters.beaconsSent++;
    this.radio.transmit(frame).then(
      () => {
        this.pending = false;
      },
      () => {
        this.pending = false;
        this.counters.txFailed++;
      },
    );
  }

  /** Four bytes of xorshift32 (Marsaglia 2003): distinct frames, reproducible runs. */
  private nextNonce(): Uint8Array {
    let x = this.nonceState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.nonceState = x >>> 0;
    const nonce = new Uint8Array(4);
    nonce[0] = x >>> 24;
    nonce[1] = x >>> 16;
    nonce[2] = x >>> 8;
    nonce[3] = x;
    return nonce;
  }
}

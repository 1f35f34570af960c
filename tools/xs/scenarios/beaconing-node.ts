/**
 * The node that beacons at the witness in the witness scenario: its own SX127x driver on its own emulated
 * SX1276, a portable signer, and the duty-cycle accountant, which it asks before every transmission as
 * the firmware must (hal/radio/duty-cycle.ts). One signed 109-byte beacon every `intervalMs`, for as long
 * as the scenario runs, each with a fresh nonce so that no two frames are the same. Device code, for
 * covey-xs.
 *
 * The signer is made in start(), not in the constructor: the scenario builds this node before the
 * baseline, and a key derived then would warm the signer's lazily built state (@noble/curves' caches)
 * and hide it from the measured witness.
 */
import { BEACON_FRAME_BYTES, createPortableSigner, signBeacon, type Signer } from '../../../proofs/index.js';
import { DutyCycleAccountant, type Transmission } from '../../../hal/radio/duty-cycle.js';
import { pocAirtimeMs, type RegionPlan } from '../../../hal/radio/regions.js';
import { Sx127x } from '../../../hal/drivers/sx127x/sx127x.js';
import type { Sx1276 } from '../../../host-sim/chips/sx1276.js';
import { wireSx127x } from '../../../host-sim/chips/sx1276-wiring.js';
import type { Clock, LoRaSettings } from '../../../src/ports.js';

export interface BeaconingNodeOptions {
  readonly clock: Clock;
  readonly chip: Sx1276;
  readonly region: RegionPlan;
  readonly settings: LoRaSettings;
  readonly seed: Uint8Array;
  /** The entropy the beacons cite (the scenario has no oracle). */
  readonly entropyEpoch: number;
  readonly entropyTag: Uint8Array;
  readonly intervalMs: number;
  /** Seeds the nonces (xorshift32, nonzero). */
  readonly nonceSeed: number;
}

export class BeaconingNode {
  readonly radio: Sx127x;
  readonly counters = { beaconsSent: 0, beaconsRefused: 0, txDone: 0, txFailed: 0 };
  private readonly accountant: DutyCycleAccountant;
  private readonly transmission: Transmission;
  private nonceState: number;
  private signer: Signer | undefined;

  constructor(private readonly options: BeaconingNodeOptions) {
    this.radio = new Sx127x({ ...wireSx127x(options.chip, options.clock), ...options.settings });
    this.accountant = new DutyCycleAccountant(options.region);
    const { frequencyHz, bandwidthHz, txPowerDbm } = options.settings;
    this.transmission = { frequencyHz, bandwidthHz, txPowerDbm, airtimeMs: pocAirtimeMs(options.region, BEACON_FRAME_BYTES) };
    this.nonceState = options.nonceSeed >>> 0 || 1;
  }

  /** The beaconer's public key, once started. */
  get publicKey(): Uint8Array | undefined {
    return this.signer?.publicKey;
  }

  /** Makes the key and schedules the first beacon one interval from now. */
  start(): void {
    const signer = createPortableSigner(this.options.seed);
    this.signer = signer;
    this.options.clock.setTimer(() => this.beacon(signer), this.options.intervalMs);
  }

  private beacon(signer: Signer): void {
    const { clock, intervalMs } = this.options;
    const now = clock.now();
    const verdict = this.accountant.check(this.transmission, now);
    if (!verdict.ok) {
      this.counters.beaconsRefused++;
      const retryAt = verdict.allowedAtMs ?? now + intervalMs;
      clock.setTimer(() => this.beacon(signer), Math.max(1, retryAt - now));
      return;
    }
    const { frame } = signBeacon(
      { beaconer: signer.publicKey, entropyEpoch: this.options.entropyEpoch, entropyTag: this.options.entropyTag, nonce: this.nextNonce() },
      signer,
    );
    this.accountant.record(this.transmission, now);
    this.radio.transmit(frame).then(
      () => this.counters.txDone++,
      () => this.counters.txFailed++,
    );
    this.counters.beaconsSent++;
    clock.setTimer(() => this.beacon(signer), intervalMs);
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

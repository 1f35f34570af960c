/**
 * One simulated device for the scenarios that run src/'s Hotspot in covey-xs: what the hardware and the
 * provisioning give it (built before the baseline), and its boot (measured).
 *
 * The rig, built in prepare(): the board's radio chip, emulated (host-sim/chips/board-radio.ts) and on
 * the air; a simulated NOR flash for the receipt queue (host-sim/ports/flash.ts: on a device a flash
 * partition, not RAM); the NVS, in memory with Preference's limits, already holding the provisioned
 * settings as JSON text (what provisioning writes); a seeded random source for the hardware RNG; a
 * log that only counts lines (a device prints them on the serial console and keeps none).
 *
 * boot(), called in start(): what the device's entry point does at power-on. It opens the board's radio
 * with the driver (hal/drivers/open-radio.ts), reads the settings from the store (src/settings-store.ts),
 * builds the Hotspot with the device's own signer and verifier (proofs' portable ed25519) and starts it.
 * Everything boot() makes is the device's, and counts. Device code, for covey-xs.
 */
import { createPortableSigner, PortableVerifier } from '../../../proofs/ed25519-portable.js';
import type { Air } from '../../../host-sim/air/air.js';
import { boardById, type Board } from '../../../hal/boards/index.js';
import { openRadio, type RadioIo } from '../../../hal/drivers/open-radio.js';
import { emulateBoardRadio } from '../../../host-sim/chips/board-radio.js';
import { CountingLog } from '../../../host-sim/ports/counting-log.js';
import { SimFlash } from '../../../host-sim/ports/flash.js';
import { MemoryKeyValue } from '../../../host-sim/ports/memory-key-value.js';
import { SeededRng } from '../../../host-sim/ports/seeded-rng.js';
import { Hotspot } from '../../../src/hotspot.js';
import type { Clock, Http, Radio } from '../../../src/ports.js';
import { SETTINGS_KEY, loadSettings } from '../../../src/settings-store.js';

/** The provisioned settings, as plain JSON values (src/settings.ts documents each). */
export interface ProvisionedSettings {
  readonly region: string;
  readonly oracleUrl: string;
  /** 64 hex digits. */
  readonly oraclePublicKey: string;
  readonly beaconIntervalMs?: number;
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly logLevel?: string;
  readonly statusIntervalMs?: number;
}

export interface HotspotRigOptions {
  /** The station's name on the air. */
  readonly name: string;
  readonly boardId: string;
  readonly air: Air;
  readonly clock: Clock;
  readonly settings: ProvisionedSettings;
  /** Seeds the random source: the device key and every draw follow from it. */
  readonly rngSeed: number;
  /** Sectors of 4 KB in the queue's flash partition. Default 8. */
  readonly flashSectors?: number;
}

export interface BootedHotspot {
  readonly hotspot: Hotspot;
  readonly radio: Radio;
}

export class HotspotRig {
  readonly name: string;
  readonly board: Board;
  readonly flash: SimFlash;
  readonly kv: MemoryKeyValue;
  readonly rng: SeededRng;
  readonly log: CountingLog;
  /** Faults the radio driver reported with no caller to hand them to. */
  radioErrors: number;
  private readonly io: RadioIo;
  private readonly clock: Clock;

  constructor(options: HotspotRigOptions) {
    this.name = options.name;
    this.board = boardById(options.boardId);
    this.clock = options.clock;
    this.io = emulateBoardRadio(this.board, { air: options.air, clock: options.clock, name: options.name, commandLogLength: 0 }).io;
    this.flash = new SimFlash({ size: (options.flashSectors ?? 8) * 4096, rng: new SeededRng(options.rngSeed ^ 0x5a5a) });
    this.kv = new MemoryKeyValue();
    this.kv.set(SETTINGS_KEY, JSON.stringify(options.settings));
    this.rng = new SeededRng(options.rngSeed);
    this.log = new CountingLog();
    this.radioErrors = 0;
  }

  /** Powers the device on: driver, settings, Hotspot, start(). */
  boot(http: Http): BootedHotspot {
    const { clock } = this;
    const radio = openRadio(this.board, this.io, { clock, onError: () => this.radioErrors++ });
    const settings = loadSettings(this.kv);
    if (settings === undefined) throw new Error(`${this.name}: not provisioned`);
    const hotspot = new Hotspot({
      ports: {
        radio, clock, flash: this.flash, kv: this.kv, http, rng: this.rng, log: this.log,
        verifier: new PortableVerifier(), createSigner: createPortableSigner,
      },
      settings,
    });
    hotspot.start();
    return { hotspot, radio };
  }
}

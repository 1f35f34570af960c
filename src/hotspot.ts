/**
 * The Hotspot: the firmware's parts composed from the ports. The device entry point (hal/moddable/) and
 * the simulator build the ports for their world, load the settings, and hand both here; nothing below
 * knows which world it is in. docs/firmware.md describes the parts and how they connect.
 *
 *   identity ─ signer ─┬─ beaconer ─ radio.transmit ─┐            ┌─ uploader ─ http POST /v1/receipts
 *                      │      ▲ entropy client ─ http │            │      ▲ onboarding (on 403)
 *                      └─ witness ◀─ radio.receive    ├─ receipt queue (flash) ─┘
 *                                                     ┘
 *
 * Every piece of state hangs off the instance (no module-level state), so a process can run many
 * hotspots side by side. The radio, the flash and the other ports belong to the caller: `stop()` ends
 * this hotspot's use of them (timers, reception) and closes none of them.
 */
import { DutyCycleAccountant } from '../hal/radio/duty-cycle.js';
import { Beaconer, type BeaconChannel } from './beaconer.js';
import { EntropyClient } from './entropy-client.js';
import { StatusReporter, type Status } from './health.js';
import { loadIdentity, type Identity } from './identity.js';
import { onFreshStack } from './fresh-stack.js';
import { filterLog } from './log.js';
import { onboard } from './onboarding.js';
import { pocChannelOf, tuneRadio, type PocChannel } from './poc-channel.js';
import type { Clock, Flash, Gps, Http, KeyValue, Log, Radio, RadioPacket, Rng, Signer, Verifier } from './ports.js';
import { ReceiptQueue } from './receipt-queue.js';
import { describeSettings, type Settings } from './settings.js';
import { Uploader } from './uploader.js';
import { Witness } from './witness.js';

export interface HotspotPorts {
  readonly radio: Radio;
  readonly clock: Clock;
  /** The data partition the receipt queue lives on. */
  readonly flash: Flash;
  /** Settings, the device key and the last beacon epoch. */
  readonly kv: KeyValue;
  readonly http: Http;
  readonly rng: Rng;
  readonly log: Log;
  /** Checks beacon and entropy signatures: proofs' PortableVerifier on the device. */
  readonly verifier: Verifier;
  /** Builds the signer over the device seed: proofs' createPortableSigner on the device. */
  readonly createSigner: (seed: Uint8Array) => Signer;
  /** Not used by the hotspot role; kept for the mapper role. */
  readonly gps?: Gps;
}

export interface HotspotOptions {
  readonly ports: HotspotPorts;
  readonly settings: Settings;
}

export class Hotspot {
  readonly identity: Identity;
  readonly channel: PocChannel;
  private readonly ports: HotspotPorts;
  private readonly settings: Settings;
  private readonly log: Log;
  private readonly queue: ReceiptQueue;
  private readonly uploader: Uploader;
  private readonly witness: Witness;
  /** The radio's receive handler: hands each packet to the witness from a fresh stack (see start()). */
  private readonly onPacket: (packet: RadioPacket) => void;
  private readonly beaconer: Beaconer;
  private readonly reporter: StatusReporter;
  /** The channel as the beaconer sends on it; start() sets the power the radio took (the chip may cap it). */
  private readonly beaconChannel: { -readonly [K in keyof BeaconChannel]: BeaconChannel[K] };
  private running: boolean;
  private startedAtMs: number;

  /** Builds every part; touches the KeyValue store (identity) and the flash (queue mount), not the radio. */
  constructor(options: HotspotOptions) {
    const { ports, settings } = options;
    this.ports = ports;
    this.settings = settings;
    this.log = filterLog(ports.log, settings.logLevel);
    this.identity = loadIdentity({ kv: ports.kv, rng: ports.rng, createSigner: ports.createSigner, log: this.log });
    this.channel = pocChannelOf(settings);
    const { settings: lora, dataRate, beaconAirtimeMs } = this.channel;
    this.beaconChannel = {
      frequencyHz: lora.frequencyHz, bandwidthHz: lora.bandwidthHz, dataRate, airtimeMs: beaconAirtimeMs, txPowerDbm: lora.txPowerDbm,
    };
    this.queue = new ReceiptQueue(ports.flash, { maxRecords: settings.queue.maxRecords });
    this.uploader = new Uploader({
      queue: this.queue, http: ports.http, clock: ports.clock, rng: ports.rng, log: this.log, oracleUrl: settings.oracleUrl,
      uploader: this.identity.publicKey, onUnknownHotspot: () => this.onboard(),
    });
    this.witness = new Witness({
      clock: ports.clock, signer: this.identity.signer, verifier: ports.verifier, verifyBeacons: settings.verifyBeacons,
      queue: this.queue, uploads: this.uploader, log: this.log,
      channel: { frequencyHz: this.channel.settings.frequencyHz, dataRate: this.channel.dataRate },
    });
    this.onPacket = onFreshStack(this.witness.onPacket);
    this.beaconer = this.makeBeaconer();
    this.reporter = new StatusReporter({
      clock: ports.clock, log: this.log, intervalMs: settings.statusIntervalMs, status: () => this.status(),
    });
    this.running = false;
    this.startedAtMs = ports.clock.now();
  }

  private makeBeaconer(): Beaconer {
    const { ports, settings, channel } = this;
    const entropy = new EntropyClient({
      http: ports.http, clock: ports.clock, oracleUrl: settings.oracleUrl, oracleKey: settings.oraclePublicKey, verifier: ports.verifier,
    });
    return new Beaconer({
      clock: ports.clock, rng: ports.rng, radio: ports.radio, signer: this.identity.signer, entropy, queue: this.queue,
      uploads: this.uploader, kv: ports.kv, log: this.log,
      accountant: new DutyCycleAccountant(channel.region, { antennaGainDbi: settings.antennaGainDbi }),
      lbt: channel.region.lbt,
      channel: this.beaconChannel,
      intervalMs: settings.beaconIntervalMs,
    });
  }

  /** Tunes the radio to the PoC channel, starts receiving, beaconing, uploading and the status line. */
  start(): void {
    if (this.running) return;
    const { radio, clock } = this.ports;
    const power = tuneRadio(radio, this.channel.settings);
    this.beaconChannel.txPowerDbm = power;
    if (power < this.channel.settings.txPowerDbm) {
      this.log.write('warn', 'transmit power capped by the radio', { wanted: this.channel.settings.txPowerDbm, set: power });
    }
    this.witness.start();
    // The driver calls its receive handler from its interrupt path, several frames deep; the witness
    // verifies and signs (about 250 slots of XS stack each), so it runs from a promise job of its own,
    // right after the driver's callback returns (src/fresh-stack.ts).
    radio.receive(this.onPacket);
    this.running = true;
    this.startedAtMs = clock.now();
    this.uploader.start();
    this.beaconer.start();
    this.reporter.start();
    this.log.write('info', 'hotspot started', {
      hotspot: this.identity.address, name: this.identity.shortName, txPowerDbm: power, ...describeSettings(this.settings),
    });
  }

  /** Stops every timer and the reception; idempotent. The ports stay open: they are the caller's. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.reporter.stop();
    this.beaconer.stop();
    this.uploader.stop();
    this.witness.stop();
    try {
      this.ports.radio.sleep(); // ends reception (and any transmission the beaconer had in flight)
    } catch (error) {
      this.log.write('warn', 'radio did not go to sleep', { error: error instanceof Error ? error.message : String(error) });
    }
    this.log.write('info', 'hotspot stopped', {});
  }

  /** Every counter, copied now. Holds no secret. */
  status(): Status {
    const { clock, radio } = this.ports;
    const queueStats = this.queue.stats;
    const upload = this.uploader.stats;
    const radioStats = radio.stats;
    return {
      hotspot: this.identity.address,
      name: this.identity.shortName,
      region: this.channel.region.id,
      uptimeMs: this.running ? clock.now() - this.startedAtMs : 0,
      wallMs: clock.wallMs(),
      beacons: { ...this.beaconer.stats },
      frames: { ...this.witness.stats },
      receipts: {
        queued: queueStats.appended,
        uploaded: upload.itemsStored + upload.itemsDuplicate + upload.itemsRejected,
        rejected: upload.itemsRejected,
        dropped: queueStats.droppedOldest,
      },
      queueSize: this.queue.size,
      lastUploadWallMs: upload.lastUploadWallMs,
      radio: {
        txPackets: radioStats.txPackets, rxPackets: radioStats.rxPackets, crcErrors: radioStats.crcErrors, recoveries: radioStats.recoveries,
      },
    };
  }

  /** The uploader's answer to 403 unknown_hotspot: onboard with the asserted location, gain and region. */
  private async onboard(): Promise<void> {
    const { location, antennaGainDbi, region, oracleUrl } = this.settings;
    if (location === undefined) throw new Error('no location in the settings: the hotspot cannot onboard itself');
    const outcome = await onboard({
      http: this.ports.http, clock: this.ports.clock, signer: this.identity.signer, oracleUrl, region,
      location: { latE7: Math.round(location.lat * 1e7), lonE7: Math.round(location.lon * 1e7) },
      gainDdbi: Math.round(antennaGainDbi * 10),
    });
    this.log.write('info', 'onboarded', { outcome, region });
  }
}

/**
 * The Hotspot: the firmware's parts composed from the ports. The device entry point (hal/moddable/) and
 * the simulator build the ports for their world, load the settings, and hand both here; nothing below
 * knows which world it is in. docs/firmware.md describes the parts and how they connect.
 *
 *   identity ─ signer ─┬─ beaconer ─ radio.transmit ─┐            ┌─ uploader ─ http POST /v1/receipts
 *                      │      ▲ entropy client ─ http │            │      ▲ onboarding (on 403)
 *                      └─ witness ◀─ radio.receive    ├─ receipt queue (flash) ─┤
 *                                                     ┘                         └─ walk log (console)
 *
 * In the mapper role (settings.role) the beaconer and the witness are not built: a Mapper (src/mapper.ts)
 * reads the GPS and sends uplinks instead, and its reports take the same queue and uploader.
 *
 * Every piece of state hangs off the instance (no module-level state), so a process can run many
 * hotspots side by side. The radio, the flash and the other ports belong to the caller: `stop()` ends
 * this hotspot's use of them (timers, reception) and closes none of them.
 */
import { DutyCycleAccountant } from '../hal/radio/duty-cycle.js';
import { subBandOf } from '../hal/radio/regions.js';
import { Beaconer, type BeaconChannel } from './beaconer.js';
import { EntropyClient } from './entropy-client.js';
import { NO_BEACONS, NO_FRAMES, StatusReporter, type Status } from './health.js';
import { loadIdentity, type Identity } from './identity.js';
import { onFreshStack } from './fresh-stack.js';
import { filterLog } from './log.js';
import { Mapper } from './mapper.js';
import { pacedSpacingMs } from './mapper-trigger.js';
import { onboard, storedCertificate } from './onboarding.js';
import { pocChannelOf, tuneRadio, type PocChannel } from './poc-channel.js';
import type { Clock, Flash, Gps, Http, KeyValue, Log, Radio, RadioPacket, Rng, Signer, Verifier } from './ports.js';
import { ReceiptQueue } from './receipt-queue.js';
import { describeSettings, type Settings } from './settings.js';
import { Uploader } from './uploader.js';
import { walkLogAnswer, writeAnswer, type ConsoleAnswer } from './walk-log.js';
import { Witness } from './witness.js';

export interface HotspotPorts {
  readonly radio: Radio;
  readonly clock: Clock;
  /** The data partition the receipt queue lives on. */
  readonly flash: Flash;
  /** Settings, the device key, the last beacon epoch and the mapper's counter reservation. */
  readonly kv: KeyValue;
  readonly http: Http;
  readonly rng: Rng;
  readonly log: Log;
  /** Checks beacon and entropy signatures: proofs' PortableVerifier on the device. */
  readonly verifier: Verifier;
  /** Builds the signer over the device seed: proofs' createPortableSigner on the device. */
  readonly createSigner: (seed: Uint8Array) => Signer;
  /** The GNSS receiver: required by the mapper role, not used by the hotspot role. */
  readonly gps?: Gps;
}

export interface HotspotOptions {
  readonly ports: HotspotPorts;
  readonly settings: Settings;
  /**
   * The device's identity, when the entry point has loaded it already (the device does at boot, before
   * it has settings); otherwise the Hotspot loads it from `ports.kv`, making it on first boot.
   */
  readonly identity?: Identity;
}

export class Hotspot {
  readonly identity: Identity;
  readonly channel: PocChannel;
  private readonly ports: HotspotPorts;
  private readonly settings: Settings;
  private readonly log: Log;
  private readonly queue: ReceiptQueue;
  private readonly uploader: Uploader;
  /** The hotspot role's parts; undefined in the mapper role. */
  private readonly witness: Witness | undefined;
  /** The radio's receive handler: hands each packet to the witness from a fresh stack (see start()). */
  private readonly onPacket: ((packet: RadioPacket) => void) | undefined;
  private readonly beaconer: Beaconer | undefined;
  /** The mapper role's part; undefined in the hotspot role. */
  private readonly mapper: Mapper | undefined;
  private readonly reporter: StatusReporter;
  /**
   * The channel as the beaconer or the mapper sends on it (with the airtime of its frame); start() sets
   * the power the radio took (the chip may cap it).
   */
  private readonly txChannel: { -readonly [K in keyof BeaconChannel]: BeaconChannel[K] };
  private running: boolean;
  private startedAtMs: number;

  /**
   * Builds every part of the settings' role; touches the KeyValue store (identity, and the mapper's
   * counter) and the flash (queue mount), not the radio. The mapper role needs `ports.gps`.
   */
  constructor(options: HotspotOptions) {
    const { ports, settings } = options;
    if (settings.role === 'mapper' && ports.gps === undefined) throw new TypeError('the mapper role needs a Gps port');
    this.ports = ports;
    this.settings = settings;
    this.log = filterLog(ports.log, settings.logLevel);
    this.identity = options.identity ?? loadIdentity({ kv: ports.kv, rng: ports.rng, createSigner: ports.createSigner, log: this.log });
    this.channel = pocChannelOf(settings);
    const { settings: lora, dataRate, beaconAirtimeMs, uplinkAirtimeMs } = this.channel;
    this.txChannel = {
      frequencyHz: lora.frequencyHz, bandwidthHz: lora.bandwidthHz, dataRate, txPowerDbm: lora.txPowerDbm,
      airtimeMs: settings.role === 'mapper' ? uplinkAirtimeMs : beaconAirtimeMs,
    };
    this.queue = new ReceiptQueue(ports.flash, { maxRecords: settings.queue.maxRecords });
    this.uploader = new Uploader({
      queue: this.queue, http: ports.http, clock: ports.clock, rng: ports.rng, log: this.log, oracleUrl: settings.oracleUrl,
      uploader: this.identity.publicKey, onUnknownHotspot: () => this.onboard(),
    });
    if (settings.role === 'mapper') {
      this.mapper = this.makeMapper(ports.gps as Gps);
    } else {
      this.witness = new Witness({
        clock: ports.clock, signer: this.identity.signer, verifier: ports.verifier, verifyBeacons: settings.verifyBeacons,
        queue: this.queue, uploads: this.uploader, log: this.log,
        channel: { frequencyHz: this.channel.settings.frequencyHz, dataRate: this.channel.dataRate },
      });
      this.onPacket = onFreshStack(this.witness.onPacket);
      this.beaconer = this.makeBeaconer();
    }
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
      channel: this.txChannel,
      intervalMs: settings.beaconIntervalMs,
    });
  }

  private makeMapper(gps: Gps): Mapper {
    const { ports, settings, channel } = this;
    return new Mapper({
      clock: ports.clock, gps, radio: ports.radio, signer: this.identity.signer, queue: this.queue, uploads: this.uploader,
      kv: ports.kv, log: this.log,
      accountant: new DutyCycleAccountant(channel.region, { antennaGainDbi: settings.antennaGainDbi }),
      lbt: channel.region.lbt,
      channel: this.txChannel,
      minDistanceM: settings.mapper.minDistanceM,
      maxIntervalMs: settings.mapper.maxIntervalMs,
      minSpacingMs: pacedSpacingMs(channel.uplinkAirtimeMs, subBandOf(channel.region, channel.settings.frequencyHz, channel.settings.bandwidthHz).dutyCycle),
    });
  }

  /**
   * Tunes the radio to the PoC channel and starts the role (a hotspot receives and beacons, a mapper
   * polls its GPS), uploading and the status line.
   */
  start(): void {
    if (this.running) return;
    const { radio, clock } = this.ports;
    const power = tuneRadio(radio, this.channel.settings);
    this.txChannel.txPowerDbm = power;
    if (power < this.channel.settings.txPowerDbm) {
      this.log.write('warn', 'transmit power capped by the radio', { wanted: this.channel.settings.txPowerDbm, set: power });
    }
    if (this.witness !== undefined && this.onPacket !== undefined) {
      this.witness.start();
      // The driver calls its receive handler from its interrupt path, several frames deep; the witness
      // verifies and signs (about 250 slots of XS stack each), so it runs from a promise job of its own,
      // right after the driver's callback returns (src/fresh-stack.ts).
      radio.receive(this.onPacket);
    }
    this.running = true;
    this.startedAtMs = clock.now();
    this.uploader.start();
    this.beaconer?.start();
    this.mapper?.start();
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
    this.beaconer?.stop();
    this.mapper?.stop();
    this.uploader.stop();
    this.witness?.stop();
    try {
      this.ports.radio.sleep(); // ends reception (and any transmission the beaconer or mapper had in flight)
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
      beacons: this.beaconer === undefined ? NO_BEACONS : { ...this.beaconer.stats },
      frames: this.witness === undefined ? NO_FRAMES : { ...this.witness.stats },
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
      ...(this.witness === undefined ? {} : { mapperUplinks: { ...this.witness.uplinkStats } }),
      ...(this.mapper === undefined ? {} : { mapper: { ...this.mapper.stats } }),
    };
  }

  /**
   * The answer to one line read from the serial console (src/walk-log.ts: `covey walk-log`), to be
   * pulled a line at a time as the console has room; undefined for any other line. Works in either role
   * and whether or not the hotspot is started; it only reads the queue, which may change between lines.
   */
  openConsoleAnswer(line: string): ConsoleAnswer | undefined {
    return walkLogAnswer(this.queue, line);
  }

  /**
   * Answers one line read from the serial console in one call, writing its answer line by line through
   * `write`. Returns false, having written nothing, for a line openConsoleAnswer does not know.
   */
  answerConsole(line: string, write: (line: string) => void): boolean {
    const answer = this.openConsoleAnswer(line);
    if (answer === undefined) return false;
    writeAnswer(answer, write);
    return true;
  }

  /**
   * The uploader's answer to 403 unknown_hotspot: onboard with the asserted location, gain and region. A
   * mapper without a location in its settings asserts where its GPS last put it.
   */
  private async onboard(): Promise<void> {
    const { location, antennaGainDbi, region, oracleUrl } = this.settings;
    const position = location === undefined
      ? this.mapper?.position()
      : { latE7: Math.round(location.lat * 1e7), lonE7: Math.round(location.lon * 1e7) };
    if (position === undefined) throw new Error('no location in the settings (nor a GPS fix): the device cannot onboard itself');
    // Read here rather than kept: onboarding is rare, and the certificate is ~170 bytes of heap.
    const { certificate, problem } = storedCertificate(this.ports.kv, this.identity.publicKey);
    if (problem !== undefined) this.log.write('warn', 'attestation not sent', { reason: problem });
    const outcome = await onboard({
      http: this.ports.http, clock: this.ports.clock, signer: this.identity.signer, oracleUrl, region,
      location: position, gainDdbi: Math.round(antennaGainDbi * 10), certificate,
    });
    this.log.write('info', 'onboarded', { outcome, region, certificate: certificate === undefined ? 'none' : 'sent' });
  }
}

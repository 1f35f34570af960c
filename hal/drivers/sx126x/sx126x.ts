/**
 * SX1262/SX1268 LoRa driver: the `Radio` port (src/ports.ts) over ECMA-419 SPI and Digital objects
 * (STYLE rule 2). The command set is in commands.ts, the transport (BUSY, NSS, status check) in
 * bus.ts, the command sequences in chip.ts, operation state and fault recovery in engine.ts (whose
 * rules, shared with the SX127x driver, say what each call does around reception and faults).
 *
 *   const radio = new Sx126x({
 *     spi: { io: device.io.SPI, clock: 9, in: 11, out: 10, port: 1 },
 *     select: { io: device.io.Digital, pin: 8 }, reset: { io: device.io.Digital, pin: 12 },
 *     interrupt: { io: device.io.Digital, pin: 14 }, busy: { io: device.io.Digital, pin: 13 },
 *     clock, tcxoVoltage: 1.8, dio2RfSwitch: true, frequencyHz: 868_100_000,
 *   });
 */
import type { Clock, LoRaSettings, Radio, RadioPacket, RadioStats } from '../../../src/ports.js';
import { airtime, symbolMs } from '../airtime.js';
import { CommandBus } from './bus.js';
import { SleepConfig, type TcxoVoltage } from './commands.js';
import { Sx126xChip } from './chip.js';
import { Sx126xEngine } from './engine.js';
import { isChipFault, RadioError } from './errors.js';
import { DigitalEdge, DigitalMode, type DigitalInstance, type PinOption, type SpiOption } from './io.js';
import { DEFAULT_SETTINGS, mergeSettings, type Sx126xVariant } from './settings.js';

export { RadioError, type RadioErrorCode } from './errors.js';
export { DEFAULT_SETTINGS } from './settings.js';

export interface Sx126xOptions extends Partial<LoRaSettings> {
  readonly spi: SpiOption;
  /** NSS, driven low around each command by the driver. */
  readonly select: PinOption;
  readonly reset: PinOption;
  /** DIO1: every IRQ covey uses is routed to it. */
  readonly interrupt: PinOption;
  readonly busy: PinOption;
  /** Timers for the watchdogs and the health check, and the bound on BUSY waits. */
  readonly clock: Clock;
  /** Faults found with no caller to hand them to. */
  readonly onError?: (error: Error) => void;
  /** Board flag: a TCXO powered from DIO3 at this voltage (SetDIO3AsTCXOCtrl). Undefined for a crystal. */
  readonly tcxoVoltage?: TcxoVoltage;
  /** Board flag: DIO2 drives the antenna switch (SetDIO2AsRfSwitchCtrl). Default false. */
  readonly dio2RfSwitch?: boolean;
  /** Default 'SX1262'. */
  readonly chip?: Sx126xVariant;
  /**
   * While receiving, check this often (ms) that the chip has not reset itself: a brown-out leaves it in
   * GFSK standby, deaf, with no interrupt to say so. Default 10,000 (as the SX127x driver); 0 turns the
   * check off (an operation's start still catches it).
   */
  readonly healthCheckMs?: number;
}

/** Slack on the CAD watchdog for the chip's own processing after the last symbol, ms. */
const CAD_SLACK_MS = 10;
export const DEFAULT_HEALTH_CHECK_MS = 10_000;

interface Wiring {
  readonly device: Sx126xChip;
  readonly bus: CommandBus;
  readonly interrupt: DigitalInstance;
  readonly closables: { close(): void }[];
}

function closeAll(closables: readonly { close(): void }[]): void {
  for (const closable of closables) {
    try {
      closable.close();
    } catch {
      // Each object is closed even if one refuses.
    }
  }
}

/** Opens the pins and the SPI the driver owns; closes what it opened if one of them fails. */
function wire(options: Sx126xOptions, onInterrupt: () => void): Wiring {
  const { spi, select, reset, interrupt, busy, clock } = options;
  for (const [name, pin] of Object.entries({ select, reset, interrupt, busy })) {
    if (typeof pin?.io !== 'function') throw new TypeError(`options.${name}.io must be a Digital class`);
  }
  if (typeof spi?.io !== 'function') throw new TypeError('options.spi.io must be an SPI class');
  const closables: { close(): void }[] = [];
  const open = (pin: PinOption, mode: number, onReadable?: () => void): DigitalInstance => {
    const digital = new pin.io(onReadable ? { pin: pin.pin, mode, edge: DigitalEdge.Rising, onReadable } : { pin: pin.pin, mode });
    closables.push(digital);
    return digital;
  };
  try {
    const nss = open(select, DigitalMode.Output);
    nss.write(1);
    const nreset = open(reset, DigitalMode.Output);
    nreset.write(1);
    const busyPin = open(busy, DigitalMode.Input);
    const dio1 = open(interrupt, DigitalMode.Input, onInterrupt);
    const port = new spi.io({ clock: spi.clock, in: spi.in, out: spi.out, hz: spi.hz ?? 8_000_000, mode: spi.mode ?? 0, port: spi.port });
    closables.push(port);
    const bus = new CommandBus(port, nss, busyPin, clock);
    const dio2RfSwitch = options.dio2RfSwitch ?? false;
    if (typeof dio2RfSwitch !== 'boolean') throw new TypeError('dio2RfSwitch must be true or false');
    return { device: new Sx126xChip(bus, nreset, { tcxoVoltage: options.tcxoVoltage, dio2RfSwitch }), bus, interrupt: dio1, closables };
  } catch (error) {
    closeAll(closables);
    throw error;
  }
}

/** The LoRa settings among the options. */
function initialSettings(options: Sx126xOptions): Partial<LoRaSettings> {
  const keys = [...Object.keys(DEFAULT_SETTINGS), 'implicitLength'];
  return Object.fromEntries(Object.entries(options).filter(([key]) => keys.includes(key)));
}

export class Sx126x extends Sx126xEngine implements Radio {
  readonly chip: string;
  private readonly variant: Sx126xVariant;
  private readonly bus: CommandBus;
  private readonly closables: readonly { close(): void }[];

  constructor(options: Sx126xOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    if (typeof options.clock?.setTimer !== 'function') throw new TypeError('options.clock must be a Clock');
    const variant = options.chip ?? 'SX1262';
    if (variant !== 'SX1262' && variant !== 'SX1268') throw new RangeError(`chip ${String(variant)} is not SX1262 or SX1268`);
    const healthCheckMs = options.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS;
    if (!(Number.isInteger(healthCheckMs) && healthCheckMs >= 0)) throw new RangeError('healthCheckMs must be an integer ≥ 0');
    const settings = mergeSettings(DEFAULT_SETTINGS, initialSettings(options), variant);
    const self: { radio?: Sx126x } = {};
    const wiring = wire(options, () => self.radio?.onInterrupt());
    super(wiring.device, wiring.interrupt, options.clock, settings, options.onError, healthCheckMs);
    this.chip = variant;
    this.variant = variant;
    this.bus = wiring.bus;
    this.closables = wiring.closables;
    try {
      this.start();
    } catch (error) {
      this.mode = 'closed';
      closeAll(this.closables);
      throw error;
    }
    self.radio = this;
  }

  get stats(): RadioStats {
    return { ...this.counts, spiTransactions: this.bus.transactions };
  }

  /** Applies settings (checked first: a bad one throws and changes nothing); ends reception, leaves standby. */
  configure(changes: Partial<LoRaSettings>): void {
    this.assertOpen();
    const next = mergeSettings(this.settings, changes, this.variant);
    this.assertIdle('configure');
    this.listener = null;
    this.settings = next; // a recovery during the update applies them too
    this.guard(() => {
      this.takeChip(true);
      this.device.applySettings(next);
    });
  }

  transmit(payload: Uint8Array): Promise<void> {
    try {
      this.assertOpen();
      this.checkPayload(payload);
    } catch (error) {
      return Promise.reject(error);
    }
    const s = this.settings;
    return this.operate<void>('tx', () => {
      this.device.startTx(payload, s);
      // Twice the time on air; the chip's own TX start-up is microseconds.
      return 2 * airtime({ ...s, payloadBytes: payload.length }).timeOnAirMs;
    });
  }

  /** Continuous reception into `onPacket`; during an operation it starts when the operation ends. */
  receive(onPacket: (packet: RadioPacket) => void): void {
    this.assertOpen();
    if (typeof onPacket !== 'function') throw new TypeError('onPacket must be a function');
    this.listener = onPacket;
    if (this.busy) return;
    this.guard(() => {
      this.takeChip(true);
      this.listen();
    });
  }

  /**
   * GetRssiInst (DS §13.5.4). The chip measures only in RX, so a radio that is not receiving starts to,
   * without a listener, until the next operation. Listen-before-talk should sample over its listening time.
   */
  rssi(): number {
    this.assertOpen();
    this.assertIdle('read RSSI');
    try {
      if (this.faulted) this.recover(null, false);
      if (this.mode !== 'receiving') {
        this.takeChip(true);
        this.listen();
      }
      return this.device.rssiInst();
    } catch (error) {
      if (isChipFault(error)) this.recover(error, true);
      throw error;
    }
  }

  detectActivity(): Promise<boolean> {
    const { spreadingFactor, bandwidthHz } = this.settings;
    return this.operate<boolean>('cad', () => {
      const symbols = this.device.startCad(spreadingFactor);
      return 2 * symbols * symbolMs(spreadingFactor, bandwidthHz) + CAD_SLACK_MS;
    });
  }

  /** Warm sleep (configuration kept): ends reception, aborts a running operation; the next call wakes the chip. */
  sleep(): void {
    this.assertOpen();
    this.listener = null;
    this.abort(new RadioError('Aborted', 'sleep() ended the operation'));
    if (this.mode === 'sleeping') return;
    this.guard(() => {
      this.takeChip(false);
      this.device.sleep();
      this.mode = 'sleeping';
    });
  }

  /** Stops everything: a running operation rejects with 'Closed' before this returns; the chip is put to sleep. */
  close(): void {
    if (this.closed) return;
    const wasAsleep = this.mode === 'sleeping';
    this.stopHealthCheck();
    this.listener = null;
    this.abort(new RadioError('Closed', 'the radio was closed'));
    this.mode = 'closed';
    try {
      if (!wasAsleep && !this.faulted) this.device.sleep(SleepConfig.ColdStart);
    } catch {
      // Closing anyway: the next start resets the chip.
    }
    closeAll(this.closables);
  }

  /** Reset, check and configure the chip; any sign of no chip becomes one clear 'NoChip' error. */
  private start(): void {
    try {
      this.bringUp();
    } catch (error) {
      if (error instanceof RadioError && (error.code === 'ChipFault' || error.code === 'BusyStuck')) {
        throw new RadioError('NoChip', `no SX126x answered: ${error.message}; check the board's SPI, NSS, NRESET and BUSY pins`);
      }
      throw error;
    }
  }

  private checkPayload(payload: Uint8Array): void {
    if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
    if (payload.length < 1 || payload.length > 255) throw new RangeError(`payload of ${payload.length} bytes is not 1–255`);
    const { implicitHeader, implicitLength } = this.settings;
    if (implicitHeader && payload.length !== implicitLength) {
      throw new RangeError(`implicit header: payload must be ${implicitLength} bytes, not ${payload.length}`);
    }
  }
}

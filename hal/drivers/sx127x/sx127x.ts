/**
 * SX1276/77/78 LoRa driver: the Radio port (src/ports.ts) over ECMA-419 SPI and Digital objects.
 *
 * States: standby, sleep, receiving, transmitting, detecting (CAD), recovering, failed, closed. One
 * operation (transmit or detectActivity) runs at a time, with a watchdog on the Clock. A reception that
 * an operation interrupts resumes, with the same listener, when the operation ends; configure() and
 * sleep() end it. A fault (watchdog fired, a read-back that does not match, the chip back in FSK mode
 * after resetting itself) starts a recovery: NRESET pulse, version check, settings rewritten, reception
 * resumed. An operation hit by a fault before it started is retried once after the recovery; one hit
 * after it started is rejected once the chip is usable again. Faults outside operations go to onError.
 */
import type { Clock, LoRaSettings, Radio, RadioPacket, RadioStats } from '../../../src/ports.js';
import { Chip } from './chip.js';
import { asFault, RadioError } from './errors.js';
import { IRQ_MASK } from './interrupts.js';
import { cadDurationMs, checkPayload, newOperation, packetAirtimeMs, watchdogMs, type Operation } from './operation.js';
import { checkOptions, closeIo, closeQuietly, DEFAULT_HEALTH_CHECK_MS, openIo, type DriverIo, type Sx127xOptions } from './options.js';
import { RECOVERY_ATTEMPTS, resetAndRestore } from './recovery.js';
import { IRQ } from './registers.js';
import { pickSettings, SX127X_DEFAULTS, validateSettings } from './settings.js';
import { DriverTimers, PeriodicCheck } from './timers.js';

export type { Sx127xOptions } from './options.js';

/** Wait between leaving sleep and loading the FIFO, ms. */
const WAKE_MS = 1;

type State = 'standby' | 'sleep' | 'receiving' | 'transmitting' | 'detecting' | 'recovering' | 'failed' | 'closed';

export class Sx127x implements Radio {
  readonly chip = 'SX127x';
  private readonly clock: Clock;
  private readonly timers: DriverTimers;
  private readonly onError: ((error: Error) => void) | undefined;
  private readonly paBoost: boolean;
  private readonly io: DriverIo;
  /** The chip: register sequences and the current settings. */
  private readonly device: Chip;
  private state: State = 'standby';
  private listener: ((packet: RadioPacket) => void) | null = null;
  private operation: Operation | null = null;
  private sleepAfterRecovery = false;
  /** While receiving: is the chip still in LoRa receive mode? (A brown-out raises no interrupt.) */
  private readonly healthCheck: PeriodicCheck;
  /** When the chip last left sleep or reset. */
  private awakeSince = -Infinity;
  private readonly counters = { txPackets: 0, rxPackets: 0, crcErrors: 0, recoveries: 0 };

  /** Opens the IO, checks RegVersion (RadioError 'NoChip' unless 0x12) and configures the chip. */
  constructor(options: Sx127xOptions) {
    checkOptions(options);
    this.clock = options.clock;
    this.timers = new DriverTimers(options.clock);
    this.onError = options.onError;
    this.paBoost = options.paBoost ?? true;
    this.healthCheck = new PeriodicCheck(this.timers, options.healthCheckMs ?? DEFAULT_HEALTH_CHECK_MS, () => this.onHealthCheck());
    const settings = validateSettings({ ...SX127X_DEFAULTS, ...pickSettings(options) }, this.paBoost);
    this.io = openIo(options, () => this.onDio0());
    this.device = new Chip(this.io.bus, this.paBoost, settings);
    try {
      this.bringUp();
    } catch (error) {
      closeIo(this.io);
      throw error;
    }
  }

  get stats(): RadioStats {
    return { ...this.counters, spiTransactions: this.io.bus.transactions };
  }

  configure(settings: Partial<LoRaSettings>): void {
    this.assertOpen();
    if (settings === null || typeof settings !== 'object') throw new TypeError('settings must be an object');
    if (this.operation) throw new RadioError('Busy', `cannot configure during ${this.operation.kind}`);
    this.device.settings = validateSettings({ ...this.device.settings, ...pickSettings(settings) }, this.paBoost);
    this.listener = null;
    this.healthCheck.stop();
    if (this.state === 'failed') return this.recover();
    if (this.state === 'recovering') return; // the recovery writes the new settings
    this.guard(() => {
      this.device.applySettings();
      this.state = 'standby';
    });
  }

  transmit(payload: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      checkPayload(payload, this.device.settings);
      this.begin(newOperation('transmit', payload, () => resolve(), reject));
    });
  }

  detectActivity(): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => this.begin(newOperation('detect', null, resolve, reject)));
  }

  receive(onPacket: (packet: RadioPacket) => void): void {
    this.assertOpen();
    if (typeof onPacket !== 'function') throw new TypeError('onPacket must be a function');
    this.listener = onPacket;
    this.sleepAfterRecovery = false;
    if (this.operation || this.state === 'recovering' || this.state === 'receiving') return;
    if (this.state === 'failed') return this.recover();
    this.guard(() => this.startReceive());
  }

  /**
   * RegRssiValue (DS §5.5.5). The chip measures RSSI only while receiving, so a radio that is not is put
   * in continuous receive, without a listener, until the next operation. The first reading after that
   * may predate the receiver settling: listen-before-talk should sample over its listening time.
   */
  rssi(): number {
    this.assertOpen();
    if (this.operation || this.state === 'recovering') throw new RadioError('Busy', `cannot read RSSI while ${this.state}`);
    if (this.state === 'failed') throw new RadioError('NoChip', 'the chip did not come back from its last reset');
    if (this.state !== 'receiving') {
      try {
        this.startReceive();
      } catch (error) {
        this.recover(); // the caller hears of the fault, so onError does not
        throw asFault(error);
      }
    }
    return this.device.rssi();
  }

  sleep(): void {
    this.assertOpen();
    this.listener = null;
    this.healthCheck.stop();
    const op = this.operation;
    if (op) {
      this.endOperation(op);
      op.reject(new RadioError('Aborted', `sleep() ended the ${op.kind}`));
    }
    if (this.state === 'recovering') this.sleepAfterRecovery = true;
    else if (this.state !== 'failed') this.guard(() => this.enterSleep());
  }

  close(): void {
    if (this.state === 'closed') return;
    const op = this.operation;
    this.state = 'closed';
    this.operation = null;
    this.listener = null;
    this.timers.clearAll();
    if (op) op.reject(new RadioError('Closed', `the radio was closed during ${op.kind}`));
    // Leave the chip asleep (µA rather than mA); if it is mid-reset or silent, nothing changes.
    closeQuietly(this.device);
    closeIo(this.io);
  }

  // Operations ------------------------------------------------------------------------------------------

  private begin(op: Operation): void {
    this.assertOpen();
    if (this.operation) throw new RadioError('Busy', `a ${this.operation.kind} is still running`);
    this.operation = op;
    if (this.state === 'failed') this.recover();
    else if (this.state === 'sleep') this.guard(() => this.wake(op));
    else if (this.state !== 'recovering') this.start(op);
  }

  private wake(op: Operation): void {
    this.device.wake();
    this.awakeSince = this.clock.now();
    this.state = 'standby';
    this.start(op);
  }

  private start(op: Operation): void {
    // Out of sleep (or reset) the FIFO is usable once the crystal oscillator runs (TS_OSC, 250 µs,
    // DS §2.5.2, Table 7): an operation starts a millisecond later, as LoRaMac-node's SX1276Send waits.
    if (this.clock.now() - this.awakeSince < WAKE_MS) {
      this.timers.set(() => {
        if (this.operation === op && (this.state === 'standby' || this.state === 'receiving')) this.start(op);
      }, WAKE_MS);
      return;
    }
    const s = this.device.settings;
    try {
      this.healthCheck.stop();
      const payload = op.payload;
      if (payload) this.device.startTransmit(payload);
      else this.device.startDetect();
      this.state = payload ? 'transmitting' : 'detecting';
      op.started = true;
      const limitMs = watchdogMs(payload ? packetAirtimeMs(s, payload.length) : cadDurationMs(s));
      op.watchdog = this.timers.set(() => this.onWatchdog(op, limitMs), limitMs);
    } catch (error) {
      if (op.retried) op.failure = asFault(error);
      op.retried = true;
      this.recover();
    }
  }

  private startReceive(): void {
    this.device.startReceive(this.state === 'sleep');
    this.state = 'receiving';
    this.healthCheck.start();
  }

  private enterSleep(): void {
    this.device.sleep();
    this.state = 'sleep';
  }

  private onWatchdog(op: Operation, limitMs: number): void {
    op.watchdog = null;
    op.failure = op.payload
      ? new RadioError('TxTimeout', `no TxDone within ${limitMs} ms; the chip was reset`)
      : new RadioError('CadTimeout', `no CadDone within ${limitMs} ms; the chip was reset`);
    this.recover();
  }

  private endOperation(op: Operation): void {
    this.timers.clear(op.watchdog);
    op.watchdog = null;
    if (this.operation === op) this.operation = null;
  }

  // Interrupts ------------------------------------------------------------------------------------------

  private onDio0(): void {
    try {
      if (this.state === 'receiving') this.onRxDone();
      else if (this.state === 'transmitting') this.onOperationDone(IRQ_MASK.TRANSMIT, IRQ.TX_DONE);
      else if (this.state === 'detecting') this.onOperationDone(IRQ_MASK.DETECT, IRQ.CAD_DONE);
    } catch (error) {
      this.handleFault(asFault(error));
    }
  }

  /** TxDone or CadDone; the chip is back in standby by itself (DS §4.1, TX sequence and CAD). */
  private onOperationDone(mask: number, doneFlag: number): void {
    const op = this.operation as Operation;
    const flags = this.device.operationFlags(mask, doneFlag);
    if (flags === null) return; // an edge without our flag: nothing has finished
    if (op.payload) this.counters.txPackets++;
    this.endOperation(op);
    this.state = 'standby';
    op.resolve((flags & IRQ.CAD_DETECTED) !== 0);
    this.resumeIdle();
  }

  private onRxDone(): void {
    const listener = this.listener;
    const packet = this.device.receivedPacket(listener !== null);
    if (packet === null || listener === null) return;
    this.counters.rxPackets++;
    if (!packet.crcOk) this.counters.crcErrors++;
    try {
      listener(packet);
    } catch (error) {
      this.report(error);
    }
  }

  // Faults and recovery ---------------------------------------------------------------------------------

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.handleFault(asFault(error));
    }
  }

  /** The running operation carries a fault if it had started; otherwise onError hears of it. */
  private handleFault(fault: RadioError): void {
    const op = this.operation;
    if (op !== null && op.started) op.failure ??= fault;
    else this.report(fault);
    this.recover();
  }

  private recover(): void {
    if (this.state === 'closed' || this.state === 'recovering') return;
    this.counters.recoveries++;
    this.state = 'recovering';
    this.healthCheck.stop();
    if (this.operation) this.timers.clear(this.operation.watchdog);
    const setTimer = (callback: () => void, ms: number) => void this.timers.set(callback, ms);
    resetAndRestore(this.io.resetLine, setTimer, () => this.bringUp(), (problem) => this.afterRecovery(problem));
  }

  private afterRecovery(problem: string | null): void {
    if (this.state === 'closed') return;
    const op = this.operation;
    if (problem !== null) {
      this.state = 'failed';
      const error = new RadioError('NoChip', `the chip did not recover after ${RECOVERY_ATTEMPTS} resets: ${problem}`);
      if (op) this.endOperation(op);
      return op ? op.reject(error) : this.report(error);
    }
    this.state = 'standby';
    if (op && op.failure === null) return this.start(op);
    if (op) {
      this.endOperation(op);
      op.reject(op.failure as RadioError);
    }
    this.resumeIdle();
  }

  private bringUp(): void {
    this.device.bringUp();
    this.awakeSince = this.clock.now();
  }

  /** After an operation or a recovery: back to the reception or the sleep last asked for. */
  private resumeIdle(): void {
    if (this.sleepAfterRecovery) {
      this.sleepAfterRecovery = false;
      this.guard(() => this.enterSleep());
    } else if (this.listener !== null) this.guard(() => this.startReceive());
  }

  /** Re-arms while all is well; a fault is handled and the check waits for reception to restart. */
  private onHealthCheck(): void {
    if (this.state !== 'receiving') return;
    this.guard(() => {
      this.device.checkReceiving();
      this.healthCheck.start();
    });
  }

  private report(error: unknown): void {
    try {
      this.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // An error handler that throws must not take the driver down with it.
    }
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new RadioError('Closed', 'the radio is closed');
  }
}

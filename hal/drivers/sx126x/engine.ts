/**
 * The SX126x driver's operation state and fault handling; sx126x.ts puts the `Radio` port on top.
 * Its rules are the SX127x driver's, so that src/ sees one behaviour whichever chip a board has:
 *
 * - One operation (transmit or detectActivity) at a time, waiting for its IRQ on DIO1 with a watchdog
 *   of twice its expected duration. A reception the operation interrupts resumes, with the same
 *   listener, when it ends; configure() and sleep() end reception, and sleep() aborts an operation.
 * - Every operation first takes the chip: wake it if asleep, leave reception for standby, and check
 *   it still runs LoRa (a chip that reset itself is back to GFSK; it is reconfigured, and onError told).
 * - A chip fault (BUSY stuck, a status byte that makes no sense, a chip that reset itself, a missing
 *   IRQ) makes the driver reset and reconfigure the chip (recover(), counted in stats.recoveries) and
 *   resume reception. A fault met while starting an operation goes to onError and the operation is
 *   tried once more; one met after it started rejects it. Faults with no operation go to onError.
 *   A chip that does not come back is 'NoChip', and the next call tries again.
 */
import type { Clock, LoRaSettings, RadioPacket, TimerHandle } from '../../../src/ports.js';
import { Irq, PacketType } from './commands.js';
import type { ReceivedFrame, Sx126xChip } from './chip.js';
import { isChipFault, RadioError } from './errors.js';
import type { DigitalInstance } from './io.js';

export type Mode = 'standby' | 'receiving' | 'transmitting' | 'detecting' | 'sleeping' | 'closed';

type Which = 'tx' | 'cad';

/** A caller waiting for an IRQ, with its watchdog timer. */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: Error): void;
  readonly timer: TimerHandle;
}

export type OnPacket = (packet: RadioPacket) => void;

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

export class Sx126xEngine {
  protected mode: Mode = 'standby';
  /** What reception the caller asked for: null for none. `mode` says whether the chip is in RX now. */
  protected listener: OnPacket | null = null;
  protected faulted = false;
  protected readonly counts = { txPackets: 0, rxPackets: 0, crcErrors: 0, recoveries: 0 };
  private tx: Waiter<void> | null = null;
  private cad: Waiter<boolean> | null = null;
  private healthTimer: TimerHandle | null = null;

  constructor(
    protected readonly device: Sx126xChip,
    private readonly interrupt: DigitalInstance,
    protected readonly clock: Clock,
    protected settings: LoRaSettings,
    private readonly onError: ((error: Error) => void) | undefined,
    private readonly healthCheckMs: number,
  ) {}

  protected get closed(): boolean {
    return this.mode === 'closed';
  }

  protected get busy(): boolean {
    return this.tx !== null || this.cad !== null;
  }

  protected assertOpen(): void {
    if (this.closed) throw new RadioError('Closed', 'the radio was closed');
  }

  protected assertIdle(what: string): void {
    if (this.busy) throw new RadioError('Busy', `cannot ${what} during a ${this.tx ? 'transmission' : 'channel activity detection'}`);
  }

  /** Reset, start-up sequence, settings. */
  protected bringUp(): void {
    this.device.hardReset();
    this.device.initialise(this.settings.frequencyHz);
    this.device.applySettings(this.settings);
  }

  /** Chip work with no operation waiting on it (configure, receive, sleep): a chip fault goes to onError. */
  protected guard(work: () => void): void {
    try {
      if (this.faulted) this.recover(null, false);
      work();
    } catch (error) {
      this.onFault(error);
    }
  }

  /**
   * Starts an operation: takes the chip and runs `setup`, which returns the watchdog in ms. A chip fault
   * on the way is reported, recovered from and tried once more; a second one rejects.
   */
  protected operate<T>(which: Which, setup: () => number): Promise<T> {
    try {
      this.assertOpen();
      this.assertIdle(which === 'tx' ? 'transmit' : 'detect activity');
      if (this.faulted) this.recover(null, false);
      const watchdogMs = this.attempt(setup);
      this.mode = which === 'tx' ? 'transmitting' : 'detecting';
      return new Promise<T>((resolve, reject) => {
        const timer = this.clock.setTimer(() => this.onWatchdog(which, watchdogMs), watchdogMs);
        this[which] = { resolve, reject, timer } as Waiter<never>;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Readies the chip for a new operation: awake, out of reception, and (when `verify`) still configured. */
  protected takeChip(verify: boolean): void {
    this.stopHealthCheck();
    if (this.mode === 'receiving') {
      this.device.standby();
      this.device.clearIrq();
    }
    this.mode = 'standby';
    if (verify && this.device.packetType() !== PacketType.LoRa) {
      const error = new RadioError('ChipFault', 'the chip had reset itself (packet type no longer LoRa); reconfigured');
      this.recover(error, false);
      this.report(error);
    }
  }

  /** Continuous reception; packets go to `listener`, or nowhere if there is none (rssi() listening). */
  protected listen(): void {
    this.device.startRx(this.settings);
    this.mode = 'receiving';
    if (this.healthCheckMs > 0 && this.healthTimer === null) {
      this.healthTimer = this.clock.setTimer(() => this.healthCheck(), this.healthCheckMs);
    }
  }

  protected onInterrupt(): void {
    // An edge queued before sleep() or close() must not wake the chip (any command would).
    if (this.closed || this.mode === 'sleeping') return;
    try {
      // Bounded: flags raised while we clear keep DIO1 high, and no new rising edge would announce them.
      for (let round = 0; round < 4 && !this.closed; round++) {
        const flags = this.device.irqStatus();
        if (flags !== 0) this.device.clearIrq(flags);
        this.dispatch(flags);
        if (this.closed || this.interrupt.read() === 0) return;
      }
    } catch (error) {
      this.onFault(error);
    }
  }

  /** Ends the running operation with `error` (sleep, close). */
  protected abort(error: RadioError): void {
    for (const which of ['tx', 'cad'] as const) {
      const waiter = this.end(which);
      waiter?.reject(error);
    }
  }

  protected stopHealthCheck(): void {
    if (this.healthTimer !== null) this.clock.clearTimer(this.healthTimer);
    this.healthTimer = null;
  }

  /**
   * Reset and reconfigure: NRESET pulse, BUSY low, start-up sequence, settings, and (when `resume`)
   * reception again for the listener. A waiting operation fails with the cause. Throws 'NoChip' if the
   * chip does not come back.
   */
  protected recover(cause: RadioError | null, resume: boolean): void {
    this.counts.recoveries++;
    this.stopHealthCheck();
    this.mode = 'standby';
    this.abort(cause ?? new RadioError('NoChip', 'the chip was reset'));
    try {
      this.bringUp();
      this.faulted = false;
      if (resume && this.listener !== null) this.listen();
    } catch (error) {
      this.faulted = true;
      const after = cause ? ` after ${cause.code}` : '';
      throw new RadioError('NoChip', `the chip did not come back from a reset${after}: ${asError(error).message}`);
    }
  }

  protected report(error: Error): void {
    try {
      this.onError?.(error);
    } catch {
      // An onError that throws must not take the driver down with it.
    }
  }

  private attempt(setup: () => number): number {
    try {
      this.takeChip(true);
      return setup();
    } catch (error) {
      if (!isChipFault(error)) throw error;
      this.report(error);
      this.recover(error, false);
    }
    try {
      this.takeChip(true);
      return setup();
    } catch (error) {
      if (isChipFault(error)) this.recover(error, true);
      throw error;
    }
  }

  private dispatch(flags: number): void {
    const { tx, cad } = this;
    if (tx && flags & Irq.TxDone) {
      this.end('tx');
      this.counts.txPackets++;
      tx.resolve();
      this.resume();
    } else if (cad && flags & Irq.CadDone) {
      this.end('cad');
      cad.resolve((flags & Irq.CadDetected) !== 0);
      this.resume();
    } else if (flags & Irq.RxDone && this.mode === 'receiving') {
      this.deliver(this.device.readPacket(), (flags & Irq.CrcErr) === 0);
    }
  }

  /** After an operation: back to the reception asked for, if any. */
  private resume(): void {
    if (this.listener !== null && !this.closed) this.guard(() => this.listen());
  }

  private end(which: Which): Waiter<never> | null {
    const waiter = this[which] as Waiter<never> | null;
    if (waiter === null) return null;
    this.clock.clearTimer(waiter.timer);
    this[which] = null;
    if (this.mode === 'transmitting' || this.mode === 'detecting') this.mode = 'standby';
    return waiter;
  }

  /**
   * Packet RSSI is SignalRssiPkt, the chip's estimate of the LoRa signal's own power: RssiPkt averages
   * signal plus noise and sits on the noise floor for the below-noise packets LoRa lives on, while the
   * SX127x formula (−157 + PacketRssi, plus SNR when negative) estimates the signal too. Frequency error
   * is 0: GetPacketStatus has no documented LoRa frequency error (the Radio port allows 0).
   */
  private deliver(frame: ReceivedFrame, crcOk: boolean): void {
    const listener = this.listener;
    if (listener === null) return;
    this.counts.rxPackets++;
    if (!crcOk) this.counts.crcErrors++;
    const packet: RadioPacket = { payload: frame.payload, rssiDbm: frame.signalRssiDbm, snrDb: frame.snrDb, frequencyErrorHz: 0, crcOk };
    try {
      listener(packet);
    } catch (error) {
      this.report(asError(error));
    }
  }

  /** No TxDone/CadDone in time. A DIO1 still waiting for service (a busy event loop) is not a stuck chip. */
  private onWatchdog(which: Which, ms: number): void {
    if (this.closed || this[which] === null) return;
    if (this.interrupt.read() === 1) this.onInterrupt();
    const waiter = this.end(which);
    if (waiter === null) return;
    const [code, irq] = which === 'tx' ? (['TxTimeout', 'TxDone'] as const) : (['CadTimeout', 'CadDone'] as const);
    const error = new RadioError(code, `no ${irq} within ${Math.ceil(ms)} ms; the chip was reset`);
    try {
      this.recover(error, true);
      waiter.reject(error);
    } catch (failure) {
      waiter.reject(asError(failure));
    }
  }

  private healthCheck(): void {
    this.healthTimer = null;
    if (this.mode !== 'receiving') return;
    try {
      if (this.device.packetType() !== PacketType.LoRa) {
        throw new RadioError('ChipFault', 'the chip had reset itself while receiving (packet type no longer LoRa)');
      }
      this.healthTimer = this.clock.setTimer(() => this.healthCheck(), this.healthCheckMs);
    } catch (error) {
      this.onFault(error);
    }
  }

  /** A fault met with no caller to throw to: recover (resuming reception) and tell the waiter or onError. */
  private onFault(error: unknown): void {
    if (!isChipFault(error)) {
      this.report(asError(error));
      return;
    }
    const waiting = this.busy;
    try {
      this.recover(error, true); // rejects a waiting operation with `error`
      if (!waiting) this.report(error);
    } catch (failure) {
      this.report(asError(failure));
    }
  }
}

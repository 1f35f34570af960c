/**
 * The inside of the emulated SX1262: its configuration, operating mode, IRQ status, data buffer and
 * BUSY line, and what it does on air (TX, RX, CAD). Commands reach it through sx1262-commands.ts; the
 * pins and SPI through sx1262.ts. Device-side rules apply (no Node APIs): the XS tier loads it.
 *
 * BUSY model. The chip holds BUSY high while it processes a command (DS §8.3.1). Here a command keeps
 * BUSY high for a modelled number of microseconds, and BUSY falls when either that many BUSY reads have
 * been made (one read stands for one microsecond, about what a Digital read costs on the device) or
 * the virtual clock has moved past it. Durations: 2 µs for register, buffer and status commands, 10 µs
 * for configuration, 50 µs for a mode change (DS §8.3.1 gives switching times of tens of µs), 3,500 µs
 * for Calibrate and for start-up after reset or a cold wake-up (DS §9.2.1 calibration), 1,000 µs for
 * CalibrateImage and 300 µs for a warm wake-up. They are orders of magnitude, not measurements.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';
import type { AirLink, AirReception, AirSignal, AirTuning } from '../air/air.js';
import { airtime } from '../../hal/radio/airtime.js';
import { ChipMode, CommandStatus, DeviceError, Irq, Register, TIMEOUT_STEP_US } from '../../hal/drivers/sx126x/commands.js';
import { BANDWIDTH_HZ, powerOnConfig, type Sx1262Board } from './sx1262-config.js';

export const BusyUs = { Access: 2, Config: 10, ModeChange: 50, Calibrate: 3_500, Image: 1_000, Startup: 3_500, WarmWake: 300 } as const;

export type Sx1262Mode = 'reset' | 'sleep' | 'standbyRc' | 'standbyXosc' | 'fs' | 'rx' | 'tx' | 'cad';

const RF_SWITCH_LEAK_DB = 40;

/** The chip mode field of the status byte in each mode (DS §13.5.1). */
const STATUS_MODES: Readonly<Record<Sx1262Mode, number>> = {
  reset: 0, sleep: 0, standbyRc: ChipMode.StandbyRc, standbyXosc: ChipMode.StandbyXosc, fs: ChipMode.Fs,
  rx: ChipMode.Rx, cad: ChipMode.Rx, tx: ChipMode.Tx,
};

export class Sx1262Core {
  config = powerOnConfig();
  mode: Sx1262Mode = 'standbyRc';
  commandStatus: number = CommandStatus.Ok;
  irqStatus = 0;
  deviceErrors = 0;
  readonly buffer = new Uint8Array(256);
  rxLength = 0;
  rxStart = 0;
  /** RssiPkt, SnrPkt, SignalRssiPkt of the last packet. */
  packetStatus: readonly number[] = [0, 0, 0];
  rxContinuous = false;
  stuckTx = false;
  private busyPolls = 0;
  private busyUntilMs = 0;
  stuckBusy = false;
  private warmSleep = false;
  private dio1 = false;
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly board: Sx1262Board,
    private readonly link: () => AirLink,
    private readonly onDio1Rise: () => void,
  ) {}

  // --- BUSY -------------------------------------------------------------------------------------

  occupy(us: number): void {
    this.busyPolls = Math.max(this.busyPolls, us);
    this.busyUntilMs = Math.max(this.busyUntilMs, this.clock.now() + Math.ceil(us / 1000));
  }

  get busy(): boolean {
    if (this.stuckBusy || this.mode === 'reset' || this.mode === 'sleep') return true;
    return this.busyPolls > 0 && this.clock.now() < this.busyUntilMs;
  }

  /** A read of the BUSY pin: one modelled microsecond passes. */
  readBusy(): 0 | 1 {
    if (!this.busy) return 0;
    if (this.busyPolls > 0) this.busyPolls--;
    return 1;
  }

  // --- status, IRQ -----------------------------------------------------------------------------

  /** Status byte, DS §13.5.1: chip mode in bits 6:4, command status in bits 3:1. */
  status(): number {
    return (STATUS_MODES[this.mode] << 4) | (this.commandStatus << 1);
  }

  /** Sets IRQ flags the mask lets through (DS §13.3.1) and raises DIO1 on a rising edge. */
  raise(flags: number): void {
    this.irqStatus |= flags & this.config.irqMask;
    this.updateDio1();
  }

  clearIrq(mask: number): void {
    this.irqStatus &= ~mask;
    this.updateDio1();
  }

  get dio1Level(): boolean {
    return this.dio1;
  }

  updateDio1(): void {
    const level = (this.irqStatus & this.config.dio1Mask) !== 0;
    const rising = level && !this.dio1;
    this.dio1 = level;
    if (rising) this.onDio1Rise();
  }

  // --- reset, sleep ----------------------------------------------------------------------------

  /** NRESET low: the chip stops, loses everything, and holds BUSY high (DS §8.1). */
  holdInReset(): void {
    this.cancelTimers();
    this.mode = 'reset';
    this.irqStatus = 0;
    this.dio1 = false;
  }

  /** Power-on or NRESET released: start-up and calibration, then STDBY_RC with the default configuration. */
  powerOn(): void {
    this.cancelTimers();
    this.config = powerOnConfig();
    this.mode = 'standbyRc';
    this.commandStatus = CommandStatus.Ok;
    this.irqStatus = 0;
    this.deviceErrors = 0;
    this.dio1 = false;
    this.stuckBusy = false;
    this.stuckTx = false;
    this.busyPolls = 0;
    this.occupy(BusyUs.Startup);
  }

  sleep(warm: boolean): void {
    this.cancelTimers();
    this.mode = 'sleep';
    this.warmSleep = warm;
  }

  /** NSS falling edge in sleep (DS §13.1.1): back to STDBY_RC, with the configuration only after a warm start. */
  wake(): void {
    if (!this.warmSleep) this.config = powerOnConfig();
    this.mode = 'standbyRc';
    this.occupy(this.warmSleep ? BusyUs.WarmWake : BusyUs.Startup);
  }

  standby(xosc: boolean): void {
    this.cancelTimers();
    this.mode = xosc ? 'standbyXosc' : 'standbyRc';
  }

  /** True when the board needs a TCXO that DIO3 was never told to power: XOSC cannot start. */
  get clockMissing(): boolean {
    return this.board.tcxo === true && this.config.tcxo === null;
  }

  // --- air -------------------------------------------------------------------------------------

  get frequencyHz(): number {
    // SetRfFrequency step, DS §13.4.1: F_XTAL / 2^25; the air sees whole hertz.
    return Math.round((this.config.frequencyWord * 32e6) / 2 ** 25);
  }

  get syncWord(): number {
    const r = this.config.registers;
    return ((r.get(Register.LoRaSyncWordMsb) ?? 0) & 0xf0) | (((r.get(Register.LoRaSyncWordLsb) ?? 0) >> 4) & 0x0f);
  }

  airTuning(): AirTuning {
    const c = this.config;
    return { frequencyHz: this.frequencyHz, spreadingFactor: c.spreadingFactor, bandwidthHz: BANDWIDTH_HZ[c.bandwidthCode], syncWord: this.syncWord };
  }

  /** SetTx (DS §13.1.4): the packet at the TX base goes on air; TxDone after its time on air, Timeout first if set shorter. */
  transmit(timeoutSteps: number): void {
    const c = this.config;
    const payload = new Uint8Array(c.payloadLength);
    for (let i = 0; i < payload.length; i++) payload[i] = this.buffer[(c.txBase + i) & 0xff];
    const leak = this.board.dio2RfSwitch && !c.dio2RfSwitch ? RF_SWITCH_LEAK_DB : 0;
    const { timeOnAirMs } = airtime({
      spreadingFactor: c.spreadingFactor, bandwidthHz: BANDWIDTH_HZ[c.bandwidthCode], codingRate: c.codingRate + 4,
      payloadBytes: payload.length, preambleLength: c.preambleLength, implicitHeader: c.implicitHeader, crc: c.crc,
      ldro: c.ldro ? 'on' : 'off',
    });
    const signal: AirSignal = {
      ...this.airTuning(), codingRate: c.codingRate + 4, preambleLength: c.preambleLength, crc: c.crc,
      implicitHeader: c.implicitHeader, txPowerDbm: c.txPowerDbm - leak, payload, airtimeMs: timeOnAirMs,
    };
    this.cancelTimers();
    this.mode = 'tx';
    this.link().transmit(signal);
    if (this.stuckTx) return; // on air, but the chip never signals the end and stays in TX
    const timeoutMs = (timeoutSteps * TIMEOUT_STEP_US) / 1000;
    if (timeoutSteps > 0 && timeoutMs < timeOnAirMs) this.after(timeoutMs, () => this.finish(Irq.Timeout, CommandStatus.Timeout));
    else this.after(timeOnAirMs, () => this.finish(Irq.TxDone, CommandStatus.TxDone));
  }

  /** SetRx (DS §13.1.5): 0xFFFFFF continuous, 0 single without timeout, otherwise single with a timeout. */
  receive(timeoutSteps: number): void {
    this.cancelTimers();
    this.mode = 'rx';
    this.rxContinuous = timeoutSteps === 0xffffff;
    if (!this.rxContinuous && timeoutSteps > 0) {
      this.after((timeoutSteps * TIMEOUT_STEP_US) / 1000, () => this.finish(Irq.Timeout, CommandStatus.Timeout));
    }
  }

  /**
   * A packet ended on air (AirStation.deliver): payload into the buffer at the RX base, GetPacketStatus
   * bytes (DS §13.5.3), RxDone, and CrcErr when the air damaged it and it carried a CRC.
   */
  deliver(reception: AirReception): void {
    if (this.mode !== 'rx') return;
    const { payload, crc } = reception.signal;
    for (let i = 0; i < payload.length; i++) this.buffer[(this.config.rxBase + i) & 0xff] = payload[i];
    if (!reception.intact && payload.length > 0) this.buffer[(this.config.rxBase + (payload.length >> 1)) & 0xff] ^= 0x5a;
    this.rxLength = payload.length;
    this.rxStart = this.config.rxBase;
    this.packetStatus = packetStatusBytes(reception.rssiDbm, reception.snrDb);
    if (!this.rxContinuous) this.standby(false);
    this.commandStatus = CommandStatus.DataAvailable;
    this.raise(Irq.RxDone | (!reception.intact && crc ? Irq.CrcErr : 0));
  }

  /** GetRssiInst (DS §13.5.4): the channel's power in RX; outside RX the reading is meaningless (bottom of scale). */
  rssiInstByte(): number {
    if (this.mode !== 'rx') return 0xff;
    const c = this.config;
    return rssiByte(this.link().channelPowerDbm(this.frequencyHz, BANDWIDTH_HZ[c.bandwidthCode]));
  }

  /** SetCad (DS §13.1.8): listens for cadSymbolNum symbols, then CadDone (with CadDetected) and STDBY_RC. */
  detect(): void {
    const c = this.config;
    const symbols = 2 ** (c.cadParams[0] ?? 0);
    const tuning = this.airTuning();
    const durationMs = (symbols * 2 ** c.spreadingFactor * 1000) / tuning.bandwidthHz;
    this.cancelTimers();
    this.mode = 'cad';
    const early = this.link().activity(tuning);
    this.after(durationMs, () => {
      const detected = early || this.link().activity(tuning);
      this.standby(false);
      this.raise(Irq.CadDone | (detected ? Irq.CadDetected : 0));
    });
  }

  /** Calibrate (DS §13.1.12): blocks needing XOSC fail when the TCXO is missing. */
  calibrate(blocks: number): void {
    if (this.clockMissing && blocks & 0x7c) this.deviceErrors |= DeviceError.XoscStart | DeviceError.PllCalib;
    else this.config.calibrated |= blocks;
    this.occupy(BusyUs.Calibrate);
  }

  private finish(irq: number, status: number): void {
    this.standby(false);
    this.commandStatus = status;
    this.raise(irq);
  }

  private after(ms: number, action: () => void): void {
    const handle = this.clock.setTimer(() => {
      this.timers.delete(handle);
      action();
    }, ms);
    this.timers.add(handle);
  }

  private cancelTimers(): void {
    for (const handle of this.timers) this.clock.clearTimer(handle);
    this.timers.clear();
  }
}

/** −2·dBm as an unsigned byte, the encoding of RssiPkt, SignalRssiPkt and RssiInst (DS §13.5.3, §13.5.4). */
export function rssiByte(dbm: number): number {
  return Math.min(255, Math.max(0, Math.round(-2 * dbm)));
}

/**
 * GetPacketStatus bytes for a reception: RssiPkt averages signal plus noise over the packet (noise =
 * RSSI − SNR), SnrPkt is round(4·SNR) as a signed byte, SignalRssiPkt is the signal's own power.
 */
export function packetStatusBytes(rssiDbm: number, snrDb: number): [number, number, number] {
  const totalDbm = 10 * Math.log10(10 ** (rssiDbm / 10) + 10 ** ((rssiDbm - snrDb) / 10));
  const snr = Math.min(127, Math.max(-128, Math.round(4 * snrDb)));
  return [rssiByte(totalDbm), snr & 0xff, rssiByte(rssiDbm)];
}

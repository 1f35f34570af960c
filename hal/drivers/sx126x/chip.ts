/**
 * Command sequences of the SX126x, one method per thing the driver asks of the chip. No operation
 * state lives here (sx126x.ts keeps that); each method is a fixed list of commands with its datasheet
 * section.
 */
import type { LoRaSettings } from '../../../src/ports.js';
import { BUSY_POLL_LIMIT, CommandBus, RESET_HOLD_POLLS } from './bus.js';
import {
  CALIBRATE_ALL, ChipMode, DeviceError, DIO1_IRQS, Irq, Opcode, PA_CONFIG_SX1262, PacketType, Register, RegulatorMode,
  RX_CONTINUOUS, SleepConfig, StandbyMode,
} from './commands.js';
import {
  be24, be32, cadParams, decodeStatus, frequencyWord, imageCalibration, modulationParams, packetParams, rssiOfByte,
  snrOfByte, syncWordRegisters, tcxoVoltageCode, timeoutSteps, txParams,
} from './encoding.js';
import { RadioError } from './errors.js';
import type { DigitalInstance } from './io.js';

/** How long the TCXO gets to settle after DIO3 powers it, ms (RadioLib's and LoRaMac-node's 5 ms). */
const TCXO_STARTUP_MS = 5;
/** BUSY after reset covers start-up and calibration (DS §9.1, §9.2.1): allowed five times the usual bound. */
const RESET_BUSY_POLLS = 5 * BUSY_POLL_LIMIT;
const RESET_BUSY_MS = 100;

/** Board facts the chip needs: from hal/boards/<board>.ts. */
export interface BoardWiring {
  /** TCXO supply on DIO3, volts; undefined for a crystal. */
  readonly tcxoVoltage?: number;
  /** DIO2 drives the antenna switch. */
  readonly dio2RfSwitch: boolean;
}

/** What GetPacketStatus and GetRxBufferStatus said about a received packet. */
export interface ReceivedFrame {
  readonly payload: Uint8Array;
  /** Average power over the packet, signal and noise, dBm (RssiPkt). */
  readonly rssiDbm: number;
  /** Estimated power of the LoRa signal itself after despreading, dBm (SignalRssiPkt). */
  readonly signalRssiDbm: number;
  readonly snrDb: number;
}

const hex16 = (value: number) => `0x${value.toString(16).padStart(4, '0')}`;

export class Sx126xChip {
  private imageBand: string | null = null;

  constructor(
    readonly bus: CommandBus,
    private readonly reset: DigitalInstance,
    private readonly wiring: BoardWiring,
  ) {}

  /** NRESET low for more than 100 µs, then wait for BUSY low (DS §8.1). Everything the chip held is lost. */
  hardReset(): void {
    this.reset.write(0);
    this.bus.hold(1, RESET_HOLD_POLLS);
    this.reset.write(1);
    this.bus.awake();
    this.imageBand = null;
    if (!this.bus.waitReady(RESET_BUSY_POLLS, RESET_BUSY_MS)) {
      throw new RadioError('BusyStuck', `BUSY stayed high for ${RESET_BUSY_MS} ms / ${RESET_BUSY_POLLS} polls after reset`);
    }
  }

  /**
   * From reset to a LoRa modem ready for its settings (DS §9, §13): standby on the RC oscillator, a
   * status that reads STDBY_RC, the TCXO (which requires a new calibration, DS §13.3.6), calibration
   * of every block and of the image for the band (DS §9.2.1), the RF switch, the DC-DC regulator,
   * LoRa, the buffer bases, the PA and the IRQs routed to DIO1.
   */
  initialise(frequencyHz: number): void {
    this.bus.write(Opcode.SetStandby, [StandbyMode.Rc]);
    const status = this.bus.command(Uint8Array.of(Opcode.GetStatus, 0))[1];
    const { mode } = decodeStatus(status);
    if (mode !== ChipMode.StandbyRc) {
      throw new RadioError('ChipFault', `GetStatus reads chip mode ${mode} after SetStandby, not STDBY_RC (${ChipMode.StandbyRc})`);
    }
    if (this.wiring.tcxoVoltage !== undefined) {
      // A start-up attempt on the missing crystal may have left XOSC_START_ERR behind; clear it first.
      this.bus.write(Opcode.ClearDeviceErrors, [0, 0]);
      const code = tcxoVoltageCode(this.wiring.tcxoVoltage);
      this.bus.write(Opcode.SetDio3AsTcxoCtrl, [code, ...be24(timeoutSteps(TCXO_STARTUP_MS))]);
    }
    this.bus.write(Opcode.Calibrate, [CALIBRATE_ALL]);
    this.calibrateImage(frequencyHz);
    this.checkDeviceErrors();
    if (this.wiring.dio2RfSwitch) this.bus.write(Opcode.SetDio2AsRfSwitchCtrl, [1]);
    this.bus.write(Opcode.SetRegulatorMode, [RegulatorMode.DcDc]);
    this.bus.write(Opcode.SetPacketType, [PacketType.LoRa]);
    this.bus.write(Opcode.SetBufferBaseAddress, [0, 0]);
    this.bus.write(Opcode.SetPaConfig, PA_CONFIG_SX1262);
    const mask = [DIO1_IRQS >> 8, DIO1_IRQS & 0xff];
    this.bus.write(Opcode.SetDioIrqParams, [...mask, ...mask, 0, 0, 0, 0]);
  }

  /** Frequency, modulation, packet, sync word and power (DS §13.4); the image is recalibrated on a band change. */
  applySettings(s: LoRaSettings): void {
    this.calibrateImage(s.frequencyHz);
    this.bus.write(Opcode.SetRfFrequency, be32(frequencyWord(s.frequencyHz)));
    this.bus.write(Opcode.SetModulationParams, modulationParams(s));
    this.bus.write(Opcode.SetPacketParams, packetParams(s, s.implicitHeader ? (s.implicitLength ?? 0xff) : 0xff));
    const address = Register.LoRaSyncWordMsb;
    this.bus.write(Opcode.WriteRegister, [address >> 8, address & 0xff, ...syncWordRegisters(s.syncWord)]);
    this.bus.write(Opcode.SetTxParams, txParams(s.txPowerDbm));
  }

  standby(): void {
    this.bus.write(Opcode.SetStandby, [StandbyMode.Rc]);
  }

  /** GetPacketType (DS §13.4.3): LoRa while configured; a chip that reset itself is back to GFSK. */
  packetType(): number {
    return this.bus.read(Opcode.GetPacketType, [], 1)[0];
  }

  irqStatus(): number {
    const bytes = this.bus.read(Opcode.GetIrqStatus, [], 2);
    return (bytes[0] << 8) | bytes[1];
  }

  clearIrq(mask: number = Irq.All): void {
    this.bus.write(Opcode.ClearIrqStatus, [(mask >> 8) & 0xff, mask & 0xff]);
  }

  /** Payload into the buffer at the TX base (0), its length into the packet parameters, SetTx without a chip timeout. */
  startTx(payload: Uint8Array, s: LoRaSettings): void {
    const frame = new Uint8Array(2 + payload.length);
    frame[0] = Opcode.WriteBuffer;
    frame.set(payload, 2);
    this.bus.command(frame);
    this.bus.write(Opcode.SetPacketParams, packetParams(s, payload.length));
    this.bus.write(Opcode.SetTx, [0, 0, 0]);
  }

  /** Continuous reception (DS §13.1.5), with the packet parameters a transmission may have changed restored. */
  startRx(s: LoRaSettings): void {
    this.bus.write(Opcode.SetPacketParams, packetParams(s, s.implicitHeader ? (s.implicitLength ?? 0xff) : 0xff));
    this.clearIrq();
    this.bus.write(Opcode.SetRx, be24(RX_CONTINUOUS));
  }

  /** GetRxBufferStatus, ReadBuffer from the start pointer, GetPacketStatus (DS §13.5.2, §13.2.4, §13.5.3). */
  readPacket(): ReceivedFrame {
    const [length, start] = this.bus.read(Opcode.GetRxBufferStatus, [], 2);
    const payload = this.bus.read(Opcode.ReadBuffer, [start], length).slice();
    const [rssiPkt, snrPkt, signalRssiPkt] = this.bus.read(Opcode.GetPacketStatus, [], 3);
    return { payload, rssiDbm: rssiOfByte(rssiPkt), signalRssiDbm: rssiOfByte(signalRssiPkt), snrDb: snrOfByte(snrPkt) };
  }

  /** GetRssiInst, DS §13.5.4: −RssiInst/2 dBm. Only meaningful in RX, so a status out of RX is a fault. */
  rssiInst(): number {
    const frame = this.bus.command(Uint8Array.of(Opcode.GetRssiInst, 0, 0));
    const { mode } = decodeStatus(frame[1]);
    if (mode !== ChipMode.Rx) throw new RadioError('ChipFault', `the chip left RX (status reads chip mode ${mode})`);
    return rssiOfByte(frame[2]);
  }

  /** SetCadParams + SetCad (DS §13.4.7, §13.1.8); returns the number of symbols the detection listens to. */
  startCad(spreadingFactor: number): number {
    const { params, symbols } = cadParams(spreadingFactor);
    this.bus.write(Opcode.SetCadParams, params);
    this.bus.write(Opcode.SetCad);
    return symbols;
  }

  /** Sleep from standby (DS §13.1.1); warm start keeps the configuration for the next wake-up. */
  sleep(config: number = SleepConfig.WarmStart): void {
    this.bus.write(Opcode.SetStandby, [StandbyMode.Rc]);
    this.bus.write(Opcode.SetSleep, [config]);
    this.bus.slept();
  }

  private calibrateImage(frequencyHz: number): void {
    const band = imageCalibration(frequencyHz);
    const key = band.join(',');
    if (key === this.imageBand) return;
    this.bus.write(Opcode.CalibrateImage, band);
    this.imageBand = key;
  }

  /** GetDeviceErrors (DS §13.6.1) after calibration: a failed block means the board flags or the chip are wrong. */
  private checkDeviceErrors(): void {
    const [high, low] = this.bus.read(Opcode.GetDeviceErrors, [], 2);
    const errors = (high << 8) | low;
    if (errors === 0) return;
    const names = Object.entries(DeviceError).filter(([, bit]) => (errors & bit) !== 0).map(([name]) => name);
    const hint = errors & (DeviceError.XoscStart | DeviceError.PllLock) ? ' (does the board flag its TCXO correctly?)' : '';
    throw new RadioError('Calibration', `calibration left device errors ${hex16(errors)}: ${names.join(', ')}${hint}`);
  }
}

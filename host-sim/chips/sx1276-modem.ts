/**
 * The SX1276 emulator's LoRa modem: TX builds an AirSignal from the registers and raises TxDone after the
 * airtime, continuous RX takes packets from the air into the FIFO with the packet registers the chip
 * would write, CAD asks the air for a matching preamble, and RegRssiValue measures the channel.
 */
import type { Clock, TimerHandle } from '../../src/ports.js';
import type { Air, AirLink, AirReception, AirStation, AirTuning } from '../air/air.js';
import { IRQ, MODE, REG } from '../../hal/drivers/sx127x/registers.js';
import { Sx1276Registers } from './sx1276-core.js';
import {
  airtimeMs, cadTiming, feiRegisters, modemSetup, packetRssiRegister, rssiRegister, snrRegister, txPowerDbm,
  type ModemSetup,
} from './sx1276-registers.js';

const RECEIVING: readonly number[] = [MODE.RX_CONTINUOUS, MODE.RX_SINGLE];

export class Sx1276Modem extends Sx1276Registers implements AirStation {
  private readonly link: AirLink;
  /** The timer of the TX or CAD under way. */
  private activity: TimerHandle | null = null;
  /** Where the next received packet goes in the FIFO. */
  private rxAddress = 0;
  private stuckTransmissions = 0;

  constructor(clock: Clock, air: Air, name: string) {
    super(clock);
    this.link = air.attach(this, name);
  }

  /** The next `count` transmissions hang: the chip stays in TX, sends nothing and never raises TxDone. */
  hangTransmissions(count: number): void {
    this.stuckTransmissions += count;
  }

  /** A brown-out: the chip restarts with every register at its reset value, answering at once. */
  brownOut(): void {
    this.powerOnState();
  }

  detach(): void {
    this.link.detach();
  }

  // AirStation ------------------------------------------------------------------------------------------

  tuning(): AirTuning | null {
    if (!this.answering || !this.loRa || !RECEIVING.includes(this.mode)) return null;
    const setup = modemSetup(this.lora);
    if (setup === null) return null;
    const { frequencyHz, spreadingFactor, bandwidthHz, syncWord } = setup;
    return { frequencyHz, spreadingFactor, bandwidthHz, syncWord };
  }

  deliver(reception: AirReception): void {
    const setup = this.tuning() === null ? null : modemSetup(this.lora);
    if (setup === null) return;
    const signal = reception.signal;
    let payload = signal.payload;
    let damaged = !reception.intact;
    if (setup.implicitHeader) {
      // Without a header the receiver takes length, coding rate and CRC from its own registers.
      const length = this.lora[REG.PAYLOAD_LENGTH];
      if (!signal.implicitHeader || signal.payload.length !== length || signal.codingRate !== setup.codingRate || signal.crc !== setup.crc) {
        damaged = true;
      }
      // As many bytes as the registers say: the signal's, then zeros.
      const sized = new Uint8Array(length);
      sized.set(signal.payload.subarray(0, length));
      payload = sized;
    } else if (signal.implicitHeader) return; // no header to find: nothing is received
    if (damaged && payload.length > 0) {
      payload = payload.slice();
      payload[0] ^= 0xff;
    }
    this.storePacket(payload, reception, setup);
    const crcOn = setup.implicitHeader ? setup.crc : signal.crc;
    this.raise((setup.implicitHeader ? 0 : IRQ.VALID_HEADER) | IRQ.RX_DONE | (damaged && crcOn ? IRQ.PAYLOAD_CRC_ERROR : 0));
    if (this.mode === MODE.RX_SINGLE) this.settle(MODE.STANDBY);
  }

  /** The payload at the RX write address and the registers the chip fills in per packet (DS §4.1, "LoRa mode FIFO data buffer"). */
  private storePacket(payload: Uint8Array, reception: AirReception, setup: ModemSetup): void {
    const regs = this.lora;
    const start = this.rxAddress;
    payload.forEach((byte, i) => (this.fifo[(start + i) & 0xff] = byte));
    this.rxAddress = (start + payload.length) & 0xff;
    regs[REG.FIFO_RX_CURRENT_ADDR] = start;
    regs[REG.RX_NB_BYTES] = payload.length;
    regs[REG.FIFO_RX_BYTE_ADDR] = this.rxAddress;
    const snr = snrRegister(reception.snrDb);
    regs[REG.PKT_SNR_VALUE] = snr;
    regs[REG.PKT_RSSI_VALUE] = packetRssiRegister(reception.rssiDbm, snr, setup.frequencyHz);
    [regs[REG.FEI_MSB], regs[REG.FEI_MID], regs[REG.FEI_LSB]] = feiRegisters(reception.frequencyErrorHz, setup.bandwidthHz);
    regs[REG.HOP_CHANNEL] = reception.signal.crc ? 0x40 : 0x00; // CrcOnPayload, from the header
    regs[REG.MODEM_STAT] = ((reception.signal.codingRate - 4) << 5) | 0x10; // RxCodingRate, modem clear
    const packets = ((regs[REG.RX_PACKET_CNT_MSB] << 8) | regs[REG.RX_PACKET_CNT_LSB]) + 1;
    regs[REG.RX_PACKET_CNT_MSB] = (packets >> 8) & 0xff;
    regs[REG.RX_PACKET_CNT_LSB] = packets & 0xff;
  }

  /** RegRssiValue: the power in the channel now, while receiving; the last value otherwise. */
  protected override onReadRssi(): number {
    const setup = this.tuning() === null ? null : modemSetup(this.lora);
    if (setup !== null) {
      this.lora[REG.RSSI_VALUE] = rssiRegister(this.link.channelPowerDbm(setup.frequencyHz, setup.bandwidthHz), setup.frequencyHz);
    }
    return this.lora[REG.RSSI_VALUE];
  }

  // Modes -----------------------------------------------------------------------------------------------

  protected override onModeChange(_from: number, to: number): void {
    if (this.activity !== null) this.clock.clearTimer(this.activity);
    this.activity = null;
    if (!this.loRa) return; // FSK mode is not modelled: nothing starts
    if (to === MODE.TX) this.startTransmission();
    else if (to === MODE.CAD) this.startCad();
    else if (RECEIVING.includes(to)) this.rxAddress = this.lora[REG.FIFO_RX_BASE_ADDR];
  }

  /**
   * PayloadLength bytes from FifoTxBaseAddr go on air; TxDone and standby follow after the airtime. A
   * configuration the modem cannot send with (reserved fields, SF6 with a header) hangs like a stuck TX.
   */
  private startTransmission(): void {
    const setup = modemSetup(this.lora);
    const length = this.lora[REG.PAYLOAD_LENGTH];
    const duration = setup === null ? null : sendableAirtime(setup, length);
    if (this.stuckTransmissions > 0 || setup === null || duration === null) {
      this.stuckTransmissions = Math.max(0, this.stuckTransmissions - 1);
      return;
    }
    const base = this.lora[REG.FIFO_TX_BASE_ADDR];
    const payload = new Uint8Array(length);
    for (let i = 0; i < length; i++) payload[i] = this.fifo[(base + i) & 0xff];
    this.link.transmit({
      frequencyHz: setup.frequencyHz,
      spreadingFactor: setup.spreadingFactor,
      bandwidthHz: setup.bandwidthHz,
      codingRate: setup.codingRate,
      preambleLength: setup.preambleLength,
      syncWord: setup.syncWord,
      crc: setup.crc,
      implicitHeader: setup.implicitHeader,
      txPowerDbm: txPowerDbm(this.lora),
      payload,
      airtimeMs: duration,
    });
    this.activity = this.clock.setTimer(() => this.finish(IRQ.TX_DONE), duration);
  }

  /** The chip listens, then correlates; CadDone (and CadDetected) come at the end (DS §4.1, "channel activity detection"). */
  private startCad(): void {
    const setup = modemSetup(this.lora);
    if (setup === null) return;
    const { listenMs, processMs } = cadTiming(setup);
    const { frequencyHz, spreadingFactor, bandwidthHz, syncWord } = setup;
    this.activity = this.clock.setTimer(() => {
      const detected = this.link.activity({ frequencyHz, spreadingFactor, bandwidthHz, syncWord });
      this.activity = this.clock.setTimer(() => this.finish(IRQ.CAD_DONE | (detected ? IRQ.CAD_DETECTED : 0)), processMs);
    }, listenMs);
  }

  private finish(flags: number): void {
    this.activity = null;
    this.settle(MODE.STANDBY);
    this.raise(flags);
  }
}

function sendableAirtime(setup: ModemSetup, length: number): number | null {
  try {
    return airtimeMs(setup, length);
  } catch {
    return null; // what the chip cannot send never ends
  }
}

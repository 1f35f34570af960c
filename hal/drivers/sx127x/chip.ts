/**
 * What each step of the driver writes to the chip and reads from it: the version check, LoRa mode,
 * mode switches with a read-back check, the registers a set of LoRa settings decides, and the register
 * sequences that start a transmission, a CAD or continuous reception. The driver (sx127x.ts) decides
 * when; this file knows how (SX1276 DS §4.1 and §6.4).
 */
import type { LoRaSettings, RadioPacket } from '../../../src/ports.js';
import type { RegisterBus } from './bus.js';
import {
  decodeRssi, detectionFor, frfBytes, highBandwidthOptimize, lnaFor, modemConfig, paSettings, usesHfPort,
} from './encoding.js';
import { hex, RadioError } from './errors.js';
import { clearFlags, IRQ_MASK, readFlags, readPacket, readRxStatus, RX_BASE_ADDRESS } from './interrupts.js';
import { CHIP_VERSION, DIO0_MAPPING, IRQ, MODE, OP_MODE, PA_RAMP_40_US, REG, SYMB_TIMEOUT_DEFAULT } from './registers.js';

/** Throws NoChip unless RegVersion reads 0x12 (DS §6.4, register 0x42). */
export function checkVersion(bus: RegisterBus): void {
  const version = bus.read(REG.VERSION);
  if (version !== CHIP_VERSION) {
    throw new RadioError('NoChip', `no SX127x answered: version ${hex(version)}, expected ${hex(CHIP_VERSION)} — check wiring/power`);
  }
}

/** RegOpMode for a LoRa-mode device mode on the port the frequency uses. */
export function opModeValue(mode: number, frequencyHz: number): number {
  return OP_MODE.LONG_RANGE_MODE | (usesHfPort(frequencyHz) ? 0 : OP_MODE.LOW_FREQUENCY_MODE_ON) | mode;
}

/**
 * Writes RegOpMode and, with `verify`, reads it back. The read-back is the driver's cheap check for SPI
 * garbage and for a chip that reset itself: after a reset the chip is in FSK mode, where a write cannot
 * set LongRangeMode outside sleep, so the value read differs.
 */
export function setMode(bus: RegisterBus, mode: number, frequencyHz: number, verify: boolean): void {
  const value = opModeValue(mode, frequencyHz);
  bus.write(REG.OP_MODE, value);
  if (!verify) return;
  const actual = bus.read(REG.OP_MODE);
  if (actual !== value) {
    throw new RadioError('ChipFault', `RegOpMode reads ${hex(actual)} after writing ${hex(value)}: SPI fault or a chip reset`);
  }
}

/** FSK sleep, then LoRa sleep: LongRangeMode can only change while the chip sleeps (DS §6.4, RegOpMode). */
export function enterLoRaMode(bus: RegisterBus, frequencyHz: number): void {
  bus.write(REG.OP_MODE, opModeValue(MODE.SLEEP, frequencyHz) & ~OP_MODE.LONG_RANGE_MODE);
  bus.write(REG.OP_MODE, opModeValue(MODE.SLEEP, frequencyHz));
}

/** Writes every register the settings decide; the chip must be in LoRa sleep or standby. */
export function writeSettings(bus: RegisterBus, s: LoRaSettings, paBoost: boolean): void {
  const pa = paSettings(s.txPowerDbm, paBoost);
  // 0x06–0x0F in one burst: Frf, PA, ramp, OCP, LNA, then the FIFO pointer and both FIFO bases at 0.
  // The modem is half duplex, so TX and RX can each have all 256 bytes of the FIFO (DS §4.1, "LoRa mode FIFO data buffer").
  const base = RX_BASE_ADDRESS;
  bus.writeBurst(REG.FRF_MSB, [...frfBytes(s.frequencyHz), pa.paConfig, PA_RAMP_40_US, pa.ocp, lnaFor(s.frequencyHz), base, base, base]);
  const modem = modemConfig(s);
  const payloadLength = s.implicitHeader ? (s.implicitLength as number) : 1;
  // 0x1D–0x22: ModemConfig1/2, SymbTimeoutLsb, PreambleMsb/Lsb, PayloadLength (used by implicit RX).
  bus.writeBurst(REG.MODEM_CONFIG_1, [
    modem.config1, modem.config2, SYMB_TIMEOUT_DEFAULT, s.preambleLength >> 8, s.preambleLength & 0xff, payloadLength,
  ]);
  bus.write(REG.MODEM_CONFIG_3, modem.config3);
  const detection = detectionFor(s.spreadingFactor);
  bus.write(REG.DETECT_OPTIMIZE, detection.optimize);
  bus.write(REG.DETECTION_THRESHOLD, detection.threshold);
  const [optimize1, optimize2] = highBandwidthOptimize(s.bandwidthHz, s.frequencyHz);
  bus.write(REG.HIGH_BW_OPTIMIZE_1, optimize1);
  if (optimize2 !== null) bus.write(REG.HIGH_BW_OPTIMIZE_2, optimize2);
  bus.write(REG.SYNC_WORD, s.syncWord);
  bus.write(REG.PA_DAC, pa.paDac);
}

/** The chip as the driver sees it: the bus plus the settings it was last given. */
export class Chip {
  constructor(
    readonly bus: RegisterBus,
    private readonly paBoost: boolean,
    public settings: LoRaSettings,
  ) {}

  private mode(mode: number, verify: boolean): void {
    setMode(this.bus, mode, this.settings.frequencyHz, verify);
  }

  /** From reset or anything else: version, LoRa mode, standby (read back), every setting written. */
  bringUp(): void {
    checkVersion(this.bus);
    enterLoRaMode(this.bus, this.settings.frequencyHz);
    this.applySettings();
  }

  /** Standby (read back, which catches a chip back in FSK mode), then every setting. */
  applySettings(): void {
    this.mode(MODE.STANDBY, true);
    writeSettings(this.bus, this.settings, this.paBoost);
  }

  startTransmit(payload: Uint8Array): void {
    this.prepare(DIO0_MAPPING.TX_DONE, IRQ_MASK.TRANSMIT, () => {
      this.bus.write(REG.FIFO_ADDR_PTR, RX_BASE_ADDRESS);
      this.bus.writeBurst(REG.FIFO, payload);
      this.bus.write(REG.PAYLOAD_LENGTH, payload.length);
    });
    this.mode(MODE.TX, false);
  }

  startDetect(): void {
    this.prepare(DIO0_MAPPING.CAD_DONE, IRQ_MASK.DETECT);
    this.mode(MODE.CAD, false);
  }

  startReceive(fromSleep: boolean): void {
    if (fromSleep) this.mode(MODE.STANDBY, false);
    this.bus.write(REG.DIO_MAPPING_1, DIO0_MAPPING.RX_DONE);
    this.bus.writeBurst(REG.IRQ_FLAGS_MASK, [IRQ_MASK.RECEIVE, IRQ.ALL]);
    this.mode(MODE.RX_CONTINUOUS, true);
  }

  sleep(): void {
    this.mode(MODE.SLEEP, false);
  }

  /** Sleep → standby; the crystal oscillator then takes TS_OSC to start. */
  wake(): void {
    this.mode(MODE.STANDBY, false);
  }

  /** Instantaneous RSSI, dBm (DS §5.5.5); meaningful in receive mode only. */
  rssi(): number {
    return decodeRssi(this.bus.read(REG.RSSI_VALUE), this.settings.frequencyHz);
  }

  /** Throws ChipFault unless the chip still reads as in LoRa continuous receive. */
  checkReceiving(): void {
    const expected = opModeValue(MODE.RX_CONTINUOUS, this.settings.frequencyHz);
    const actual = this.bus.read(REG.OP_MODE);
    if (actual !== expected) {
      throw new RadioError('ChipFault', `RegOpMode reads ${hex(actual)} while receiving, not ${hex(expected)}: chip reset or SPI fault`);
    }
  }

  /** After DIO0 in TX or CAD: the flags (cleared on the chip), or null if `doneFlag` is not among them. */
  operationFlags(mask: number, doneFlag: number): number | null {
    const flags = readFlags(this.bus, mask);
    clearFlags(this.bus, flags);
    return (flags & doneFlag) === 0 ? null : flags;
  }

  /** After DIO0 in RX: the packet (flags cleared), or null if RxDone is not set or `read` is false. */
  receivedPacket(read: boolean): RadioPacket | null {
    const status = readRxStatus(this.bus);
    const packet = read && (status.flags & IRQ.RX_DONE) !== 0 ? readPacket(this.bus, status, this.settings) : null;
    clearFlags(this.bus, status.flags);
    return packet;
  }

  /** Best effort at close: asleep, the chip draws µA instead of mA. */
  close(): void {
    this.bus.write(REG.OP_MODE, opModeValue(MODE.SLEEP, this.settings.frequencyHz));
  }

  /**
   * Standby (read back), DIO0 mapping, whatever the operation loads, then its IRQ mask with every flag
   * cleared. The read-back comes before anything goes on air, so an operation it stops can be retried
   * without sending twice; a TX or CAD that then never finishes is the watchdog's to catch.
   */
  private prepare(dio0: number, mask: number, load?: () => void): void {
    this.mode(MODE.STANDBY, true);
    this.bus.write(REG.DIO_MAPPING_1, dio0);
    load?.();
    this.bus.writeBurst(REG.IRQ_FLAGS_MASK, [mask, IRQ.ALL]);
  }
}

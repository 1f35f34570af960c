/**
 * The emulated SX1262's configuration: what the SetX commands write, lost on reset and cold sleep,
 * kept through warm sleep (DS §13.1.1), and the board facts around the chip.
 */
import { BANDWIDTH_CODE, PacketType, Register } from '../../hal/drivers/sx126x/commands.js';

/** Bandwidth code → Hz as covey names bandwidths (the air compares these). */
export const BANDWIDTH_HZ: Readonly<Record<number, number>> = Object.fromEntries(
  Object.entries(BANDWIDTH_CODE).map(([hz, code]) => [code, Number(hz)]),
);

/** Everything SetX commands configure: lost on reset and cold sleep, kept in warm sleep. */
export interface Sx1262Config {
  packetType: number;
  frequencyWord: number;
  spreadingFactor: number;
  bandwidthCode: number;
  codingRate: number;
  ldro: number;
  preambleLength: number;
  implicitHeader: boolean;
  payloadLength: number;
  crc: boolean;
  invertIq: boolean;
  txPowerDbm: number;
  rampTime: number;
  paConfig: readonly number[] | null;
  irqMask: number;
  dio1Mask: number;
  txBase: number;
  rxBase: number;
  tcxo: { readonly voltageCode: number; readonly timeoutSteps: number } | null;
  dio2RfSwitch: boolean;
  regulatorMode: number;
  cadParams: readonly number[];
  calibrated: number;
  imageCalibration: readonly number[] | null;
  readonly registers: Map<number, number>;
}

/** Power-on values (DS §13: LoRa parameters are meaningless until set; the sync word registers default to 0x1424). */
export function powerOnConfig(): Sx1262Config {
  return {
    packetType: PacketType.Gfsk, frequencyWord: 0, spreadingFactor: 7, bandwidthCode: 0x04, codingRate: 1, ldro: 0,
    preambleLength: 8, implicitHeader: false, payloadLength: 0xff, crc: true, invertIq: false, txPowerDbm: 0, rampTime: 0,
    paConfig: null, irqMask: 0, dio1Mask: 0, txBase: 0, rxBase: 0, tcxo: null, dio2RfSwitch: false, regulatorMode: 0,
    cadParams: [0x01, 22, 10, 0, 0, 0, 0], calibrated: 0, imageCalibration: null,
    registers: new Map([[Register.LoRaSyncWordMsb, 0x14], [Register.LoRaSyncWordLsb, 0x24]]),
  };
}

/** What the board around the chip does (hal/boards flags). */
export interface Sx1262Board {
  /** The chip's clock is a TCXO that DIO3 must power: without SetDIO3AsTCXOCtrl, XOSC fails to start. */
  readonly tcxo?: boolean;
  /** The antenna switch follows DIO2: without SetDIO2AsRfSwitchCtrl, TX leaks out at −40 dB. */
  readonly dio2RfSwitch?: boolean;
}

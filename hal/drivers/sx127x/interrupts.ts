/**
 * Reading the chip after a DIO0 interrupt. Each read takes RegIrqFlagsMask along with the flags and
 * compares it with the mask the driver wrote: a mismatch means the bus returned garbage or the chip lost
 * its registers, and the caller recovers instead of trusting the rest.
 */
import type { LoRaSettings, RadioPacket } from '../../../src/ports.js';
import type { RegisterBus } from './bus.js';
import { decodeFrequencyError, decodePacketRssi, decodeSnr } from './encoding.js';
import { hex, RadioError } from './errors.js';
import { IRQ, REG } from './registers.js';

/** Where configure puts the RX (and TX) base of the FIFO (chip.ts, writeSettings). */
export const RX_BASE_ADDRESS = 0;

/** IRQ masks per operation: a set bit masks the IRQ, so the flag is never raised (DS §6.4, 0x11). */
export const IRQ_MASK = {
  RECEIVE: IRQ.ALL & ~(IRQ.RX_DONE | IRQ.PAYLOAD_CRC_ERROR),
  TRANSMIT: IRQ.ALL & ~IRQ.TX_DONE,
  DETECT: IRQ.ALL & ~(IRQ.CAD_DONE | IRQ.CAD_DETECTED),
} as const;

function checkMask(actual: number, expected: number): void {
  if (actual !== expected) {
    throw new RadioError('ChipFault', `RegIrqFlagsMask reads ${hex(actual)}, expected ${hex(expected)}: SPI fault or a chip reset`);
  }
}

/** Reads RegIrqFlagsMask and RegIrqFlags in one burst; checks the mask; returns the flags. */
export function readFlags(bus: RegisterBus, expectedMask: number): number {
  const [mask, flags] = bus.readBurst(REG.IRQ_FLAGS_MASK, 2);
  checkMask(mask, expectedMask);
  return flags;
}

/** Clears the given flags (write 1 to clear). */
export function clearFlags(bus: RegisterBus, flags: number): void {
  if (flags !== 0) bus.write(REG.IRQ_FLAGS, flags);
}

/**
 * RegFifoRxBaseAddr … RegPktRssiValue (0x0F–0x1A), read in one burst after RxDone. The burst starts
 * one register early, at the RX base the driver set to 0, so that garbage from the first byte on is
 * caught as well as garbage in the IRQ mask.
 */
export interface RxStatus {
  readonly flags: number;
  readonly currentAddress: number;
  readonly length: number;
  readonly snrRegister: number;
  readonly rssiRegister: number;
}

export function readRxStatus(bus: RegisterBus): RxStatus {
  const status = bus.readBurst(REG.FIFO_RX_BASE_ADDR, REG.PKT_RSSI_VALUE - REG.FIFO_RX_BASE_ADDR + 1);
  const at = (register: number) => status[register - REG.FIFO_RX_BASE_ADDR];
  if (at(REG.FIFO_RX_BASE_ADDR) !== RX_BASE_ADDRESS) {
    throw new RadioError('ChipFault', `RegFifoRxBaseAddr reads ${hex(at(REG.FIFO_RX_BASE_ADDR))}, expected ${hex(RX_BASE_ADDRESS)}: SPI fault or a chip reset`);
  }
  checkMask(at(REG.IRQ_FLAGS_MASK), IRQ_MASK.RECEIVE);
  return {
    flags: at(REG.IRQ_FLAGS),
    currentAddress: at(REG.FIFO_RX_CURRENT_ADDR),
    length: at(REG.RX_NB_BYTES),
    snrRegister: at(REG.PKT_SNR_VALUE),
    rssiRegister: at(REG.PKT_RSSI_VALUE),
  };
}

/**
 * The packet RxDone announced: the frequency error, then the payload from where the chip put it
 * (RegFifoRxCurrentAddr, RegRxNbBytes; DS §4.1, "LoRa mode FIFO data buffer"), with the CRC status from the flags.
 */
export function readPacket(bus: RegisterBus, status: RxStatus, s: LoRaSettings): RadioPacket {
  const [msb, mid, lsb] = bus.readBurst(REG.FEI_MSB, 3);
  let payload = new Uint8Array(0);
  if (status.length > 0) {
    bus.write(REG.FIFO_ADDR_PTR, status.currentAddress);
    payload = bus.readBurst(REG.FIFO, status.length).slice();
  }
  const snrDb = decodeSnr(status.snrRegister);
  return {
    payload,
    rssiDbm: decodePacketRssi(status.rssiRegister, snrDb, s.frequencyHz),
    snrDb,
    frequencyErrorHz: decodeFrequencyError(msb, mid, lsb, s.bandwidthHz),
    crcOk: (status.flags & IRQ.PAYLOAD_CRC_ERROR) === 0,
  };
}

/**
 * The LoRa settings both radio drivers start with until configured: EU868's first default channel
 * (868.1 MHz), SF7 at 125 kHz with CR 4/5 (the SX1276's reset values, DS §6.4 registers 0x1D–0x1E),
 * 14 dBm (EU868's EIRP cap less antenna gain), preamble 8, covey's private sync word 0x12, the payload
 * CRC on (the SX1276's reset value is off; covey never wants it off), explicit header, and LDRO 'auto'
 * (hal/radio/airtime.ts: on when a symbol lasts 16 ms or more). The runtime configures the region's PoC
 * channel over these.
 */
import type { LoRaSettings } from '../../src/ports.js';

export const DEFAULT_LORA_SETTINGS: LoRaSettings = Object.freeze({
  frequencyHz: 868_100_000,
  spreadingFactor: 7,
  bandwidthHz: 125_000,
  codingRate: 5,
  txPowerDbm: 14,
  preambleLength: 8,
  syncWord: 0x12,
  crc: true,
  implicitHeader: false,
  ldro: 'auto',
});

/**
 * IN865: 865–867 MHz in India (WPC licence exemption). Limits and channel plan from LoRaWAN RP002 §2.10
 * as LoRaMac-node implements it (`RegionIN865.h`, radio.md §6).
 */
import { COVEY_SYNC_WORD, mhz, type RegionPlan } from '../region-plan.js';

export const IN865: RegionPlan = {
  id: 'IN865',
  name: 'India 865–867 MHz',
  subBands: [
    // radio.md §6: 30 dBm EIRP, no duty cycle (Meshtastic's IN region: 865–867 MHz, radio.md §4).
    { name: '865–867', lowHz: mhz(865), highHz: mhz(867), dutyCycle: null, maxEirpDbm: 30 },
  ],
  maxConductedDbm: null,
  dwellTimeMs: null,
  lbt: null,
  channels: [
    // radio.md §6: default channels 865.0625, 865.4025, 865.985 MHz (not on a grid); RX2 866.55 MHz.
    { use: 'default', firstHz: mhz(865.0625), stepHz: 0, count: 1, bandwidthHz: 125_000 },
    { use: 'default', firstHz: mhz(865.4025), stepHz: 0, count: 1, bandwidthHz: 125_000 },
    { use: 'default', firstHz: mhz(865.985), stepHz: 0, count: 1, bandwidthHz: 125_000 },
    { use: 'RX2', firstHz: mhz(866.55), stepHz: 0, count: 1, bandwidthHz: 125_000 },
  ],
  poc: {
    // Clear of the three default (join) channels, of RX2 (866.4875–866.6125 MHz) and of Meshtastic's
    // default IN channel (865.875 MHz at 250 kHz: 865.75–866.0 MHz).
    frequencyHz: mhz(866.3),
    spreadingFactor: 11,
    bandwidthHz: 125_000,
    codingRate: 5,
    preambleLength: 8,
    syncWord: COVEY_SYNC_WORD,
    // 30 dBm EIRP − 2.15 dBi = 27.85 → 27 dBm.
    maxConductedDbm: 27,
    rationale:
      'No dwell limit or duty cycle, but Indian rules are not all in our sources, so covey stays inside what ' +
      'LoRaWAN devices send there: SF11 carries 109 bytes in 2.38 s, less than a 51-byte SF12 frame (2.79 s).',
  },
};

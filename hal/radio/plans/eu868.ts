/**
 * EU868: Europe's 863–870 MHz short-range-device band (ETSI EN 300 220-2, ERC/REC 70-03 Annex 1).
 *
 * Duty cycles are LoRaMac-node's (`RegionEU868.c` VerifyRfFreq and its band table; radio.md §6). Powers
 * are ERC/REC 70-03's, written there as ERP: 25 mW ERP = 14 dBm ERP = 16.15 dBm EIRP, and 500 mW ERP in
 * 869.4–869.65 MHz = 27 dBm ERP = 29.15 dBm EIRP (radio.md §6, "500 mW ERP under ETSI"; Meshtastic's
 * EU_868 region allows 27 dBm there, radio.md §4). The gaps 868.6–868.7 and 869.2–869.4 MHz (alarms,
 * social alarms) and 869.65–869.7 MHz are not open to covey.
 */
import { COVEY_SYNC_WORD, mhz, type RegionPlan } from '../region-plan.js';

/** 25 mW ERP as EIRP (ERP + 2.15 dB). */
const SRD_EIRP_DBM = 16.15;

export const EU868: RegionPlan = {
  id: 'EU868',
  name: 'Europe 863–870 MHz (ETSI EN 300 220, ERC/REC 70-03)',
  subBands: [
    { name: '863–865', lowHz: mhz(863), highHz: mhz(865), dutyCycle: 0.001, maxEirpDbm: SRD_EIRP_DBM },
    { name: '865–868', lowHz: mhz(865), highHz: mhz(868), dutyCycle: 0.01, maxEirpDbm: SRD_EIRP_DBM },
    { name: '868.0–868.6', lowHz: mhz(868), highHz: mhz(868.6), dutyCycle: 0.01, maxEirpDbm: SRD_EIRP_DBM },
    { name: '868.7–869.2', lowHz: mhz(868.7), highHz: mhz(869.2), dutyCycle: 0.001, maxEirpDbm: SRD_EIRP_DBM },
    { name: '869.4–869.65', lowHz: mhz(869.4), highHz: mhz(869.65), dutyCycle: 0.1, maxEirpDbm: 29.15 },
    { name: '869.7–870.0', lowHz: mhz(869.7), highHz: mhz(870), dutyCycle: 0.01, maxEirpDbm: SRD_EIRP_DBM },
  ],
  // ETSI limits radiated power only.
  maxConductedDbm: null,
  // EN 300 220 sets no per-transmission limit where a duty cycle is kept; LoRaMac-node has no EU868 dwell.
  dwellTimeMs: null,
  // LBT + AFA is an alternative to the duty cycle under EN 300 220, not a requirement; covey keeps the duty cycle.
  lbt: null,
  channels: [
    // LoRaWAN RP002 §2.4 (radio.md §6): the three default channels every EU868 device joins on.
    { use: 'default', firstHz: mhz(868.1), stepHz: mhz(0.2), count: 3, bandwidthHz: 125_000 },
    // radio.md §6: RX2 869.525 MHz DR0.
    { use: 'RX2', firstHz: mhz(869.525), stepHz: 0, count: 1, bandwidthHz: 125_000 },
  ],
  poc: {
    // The middle of 869.4–869.65 MHz: 62.5 kHz of guard on each side of a 125 kHz channel.
    frequencyHz: mhz(869.525),
    spreadingFactor: 12,
    bandwidthHz: 125_000,
    codingRate: 5,
    preambleLength: 8,
    syncWord: COVEY_SYNC_WORD,
    // 29.15 dBm EIRP − 2.15 dBi = 27 dBm (the boards' chips stop at 20–22 dBm).
    maxConductedDbm: 27,
    rationale:
      'The only EU868 sub-band with 500 mW ERP and a 10 % duty cycle; no dwell limit, so SF12 for range ' +
      '(Helium also beaconed at SF12 in EU868): a 109-byte beacon takes 4.27 s of a 360 s hourly budget.',
  },
};

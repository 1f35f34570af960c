/**
 * AU915: 915–928 MHz in Australia (ACMA LIPD class licence) and the countries that follow it. Channel
 * plan and limits from LoRaWAN RP002 §2.7 as LoRaMac-node implements it (radio.md §6).
 */
import { COVEY_SYNC_WORD, mhz, type RegionPlan } from '../region-plan.js';

export const AU915: RegionPlan = {
  id: 'AU915',
  name: 'Australia 915–928 MHz (ACMA LIPD class licence)',
  subBands: [
    // radio.md §6: 30 dBm EIRP (the class licence's 1 W EIRP), no duty cycle.
    { name: '915–928', lowHz: mhz(915), highHz: mhz(928), dutyCycle: null, maxEirpDbm: 30 },
  ],
  maxConductedDbm: null,
  // radio.md §6: uplink dwell time on, 400 ms (LoRaWAN RP002 AU915 default).
  dwellTimeMs: 400,
  lbt: null,
  channels: [
    // radio.md §6: 915.2 + 0.2n (×64) at 125 kHz, 915.9 + 1.6n (×8) at 500 kHz; downlinks 923.3 + 0.6n.
    { use: 'uplink', firstHz: mhz(915.2), stepHz: mhz(0.2), count: 64, bandwidthHz: 125_000 },
    { use: 'uplink', firstHz: mhz(915.9), stepHz: mhz(1.6), count: 8, bandwidthHz: 500_000 },
    { use: 'downlink', firstHz: mhz(923.3), stepHz: mhz(0.6), count: 8, bandwidthHz: 500_000 },
  ],
  poc: {
    // LoRaWAN's 500 kHz uplink channel of sub-band 4 (915.9 + 3 × 1.6): clear of sub-band 2 (916.8–918.2 MHz,
    // where most AU915 networks run), of the downlinks (≥ 923.05 MHz with their width), of AS923-1's
    // 923.2/923.4 MHz (also used in Australia) and of Meshtastic's ANZ LongFast channel (919.875 MHz at 250 kHz).
    frequencyHz: mhz(920.7),
    spreadingFactor: 10,
    bandwidthHz: 500_000,
    codingRate: 5,
    preambleLength: 8,
    syncWord: COVEY_SYNC_WORD,
    // 30 dBm EIRP − 2.15 dBi = 27.85 → 27 dBm.
    maxConductedDbm: 27,
    rationale:
      'The US915 data rate, so one configuration serves both 915 MHz plans: 109 bytes in 267 ms under the ' +
      '400 ms dwell limit, at a quarter of the power density of a 125 kHz channel, and wide enough for ' +
      'rules that ask a transmitter that does not hop for 500 kHz.',
  },
};

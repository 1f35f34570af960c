/**
 * KR920: 920.9–923.3 MHz in South Korea. Limits and channel plan from LoRaWAN RP002 §2.9 as LoRaMac-node
 * implements it (`RegionKR920.h`, radio.md §6).
 */
import { COVEY_SYNC_WORD, mhz, type RegionPlan } from '../region-plan.js';

export const KR920: RegionPlan = {
  id: 'KR920',
  name: 'South Korea 920.9–923.3 MHz',
  subBands: [
    // LoRaMac-node VerifyRfFreq allows channel centres 920.9–923.3 MHz; the channels are 200 kHz apart,
    // so the band edges are 100 kHz beyond them. KR920_DEFAULT_MAX_EIRP_LOW: 10 dBm below 922 MHz (RP002:
    // "a channel whose frequency is < 922 MHz"), KR920_DEFAULT_MAX_EIRP_HIGH: 14 dBm above.
    { name: '920.8–922.0', lowHz: mhz(920.8), highHz: mhz(922), dutyCycle: null, maxEirpDbm: 10 },
    { name: '922.0–923.4', lowHz: mhz(922), highHz: mhz(923.4), dutyCycle: null, maxEirpDbm: 14 },
  ],
  maxConductedDbm: null,
  // KR920_DEFAULT_UPLINK_DWELL_TIME 0.
  dwellTimeMs: null,
  // KR920_RSSI_FREE_TH −65 dBm, KR920_CARRIER_SENSE_TIME 6 ms (radio.md §6).
  lbt: { thresholdDbm: -65, listenMs: 6, requiredIn: 'region' },
  channels: [
    // KR920_LC1..3 and RX2 921.9 MHz (radio.md §6).
    { use: 'default', firstHz: mhz(922.1), stepHz: mhz(0.2), count: 3, bandwidthHz: 125_000 },
    { use: 'RX2', firstHz: mhz(921.9), stepHz: 0, count: 1, bandwidthHz: 125_000 },
  ],
  poc: {
    // On the 200 kHz grid above 922 MHz (14 dBm), and none of the three default (join) channels, RX2
    // (921.9 MHz) or the Class B beacon channel (KR920_BEACON_CHANNEL_FREQ 923.1 MHz).
    frequencyHz: mhz(922.9),
    spreadingFactor: 11,
    bandwidthHz: 125_000,
    codingRate: 5,
    preambleLength: 8,
    syncWord: COVEY_SYNC_WORD,
    // 14 dBm EIRP − 2.15 dBi = 11.85 → 11 dBm.
    maxConductedDbm: 11,
    rationale:
      'No dwell limit, but Korean rules are not all in our sources, so covey stays inside what LoRaWAN devices ' +
      'certified there send: SF11 carries 109 bytes in 2.38 s, less than a 51-byte SF12 frame (2.79 s).',
  },
};

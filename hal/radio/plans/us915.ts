/**
 * US915: the 902–928 MHz ISM band under FCC 47 CFR §15.247 (USA, Canada and the rest of ITU Region 2
 * that follows it). Channel plan from LoRaWAN RP002 §2.5 (radio.md §6).
 */
import { COVEY_SYNC_WORD, mhz, type RegionPlan } from '../region-plan.js';

export const US915: RegionPlan = {
  id: 'US915',
  name: 'North America 902–928 MHz (FCC 47 CFR §15.247)',
  subBands: [
    // §15.247(b)(3): 1 W conducted; (b)(4): antennas up to 6 dBi without reduction → 36 dBm EIRP
    // (Helium's US915 max_eirp was 36 dBm, poc.md §6). No duty cycle.
    { name: '902–928', lowHz: mhz(902), highHz: mhz(928), dutyCycle: null, maxEirpDbm: 36 },
  ],
  // §15.247(b)(3): 1 W peak conducted output.
  maxConductedDbm: 30,
  // §15.247(a)(1)(i): 0.4 s average occupancy per hop; LoRaWAN keeps every uplink under 400 ms (radio.md §6).
  dwellTimeMs: 400,
  lbt: null,
  channels: [
    // radio.md §6: 902.3 + 0.2n (×64) at 125 kHz, 903.0 + 1.6n (×8) at 500 kHz; downlinks 923.3 + 0.6n.
    { use: 'uplink', firstHz: mhz(902.3), stepHz: mhz(0.2), count: 64, bandwidthHz: 125_000 },
    { use: 'uplink', firstHz: mhz(903.0), stepHz: mhz(1.6), count: 8, bandwidthHz: 500_000 },
    { use: 'downlink', firstHz: mhz(923.3), stepHz: mhz(0.6), count: 8, bandwidthHz: 500_000 },
  ],
  poc: {
    // The middle of the 915–923 MHz gap LoRaWAN leaves between its highest uplink (914.9 MHz) and its
    // lowest downlink (923.3 MHz): no LoRaWAN channel overlaps 918.75–919.25 MHz.
    frequencyHz: mhz(919),
    spreadingFactor: 10,
    bandwidthHz: 500_000,
    codingRate: 5,
    preambleLength: 8,
    syncWord: COVEY_SYNC_WORD,
    // min(30 dBm conducted, 36 dBm EIRP − 2.15 dBi).
    maxConductedDbm: 30,
    rationale:
      'A fixed 125 kHz channel neither hops nor has the 500 kHz bandwidth of a §15.247(a)(2) digital-modulation ' +
      'system; SF10/500 has, hears almost as far as SF8/125 (−125 vs −126 dBm, SX1276) and carries a 109-byte ' +
      'beacon in 267 ms, inside the 400 ms dwell limit.',
  },
};

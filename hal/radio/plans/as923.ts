/**
 * AS923: 915–928 MHz across Asia, in four channel groups that differ only by a frequency offset, so that
 * each group's default channels fall where its countries allow (LoRaWAN RP002 §2.8; LoRaMac-node
 * `RegionAS923.h`: AS923-2 −1.8 MHz, AS923-3 −6.6 MHz, AS923-4 −5.9 MHz).
 *
 * Japan is the one AS923 country whose rules the plan must carry: ARIB STD-T108 asks for listen before
 * talk at −80 dBm over 5 ms (radio.md §6) and at most 20 mW (13 dBm) into the antenna (Meshtastic's JP
 * region: 13 dBm, radio.md §4). Japan uses AS923-1, and a hotspot does not know which country it is in,
 * so covey applies both rules everywhere in AS923_1: listening costs 5 ms before a beacon and the power
 * cap 0.85 dB against 16 dBm EIRP with a dipole. The LBT rule records where it is law (`requiredIn`).
 */
import { COVEY_SYNC_WORD, mhz, type LbtRule, type RegionId, type RegionPlan } from '../region-plan.js';

/** ARIB STD-T108 carrier sense, as radio.md §6 gives it (LoRaMac-node's −85 dBm over 6 ms is stricter still). */
const JAPAN_LBT: LbtRule = { thresholdDbm: -80, listenMs: 5, requiredIn: ['JP'] };

interface Group {
  readonly id: RegionId;
  readonly offsetHz: number;
}

function as923(group: Group, japan: boolean): RegionPlan {
  const at = (frequencyMhz: number) => mhz(frequencyMhz) - group.offsetHz;
  return {
    id: group.id,
    name: japan
      ? 'Asia 915–928 MHz, AS923 group 1, including Japan (ARIB STD-T108)'
      : `Asia 915–928 MHz, AS923 group ${group.id.slice(6)} (channels −${group.offsetHz / 1e6} MHz)`,
    subBands: [
      // LoRaMac-node RegionAS923.c VerifyRfFreq: 915–928 MHz for every group (national rules narrow it;
      // each group's default channels are inside every one of its countries' bands).
      // AS923_DEFAULT_MAX_EIRP 16 dBm; AS923_DUTY_CYCLE_ENABLED 0.
      { name: '915–928', lowHz: mhz(915), highHz: mhz(928), dutyCycle: null, maxEirpDbm: 16 },
    ],
    maxConductedDbm: japan ? 13 : null,
    // AS923_DEFAULT_UPLINK_DWELL_TIME 1: 400 ms (radio.md §6).
    dwellTimeMs: 400,
    lbt: japan ? JAPAN_LBT : null,
    channels: [
      // AS923_LC1, AS923_LC2: 923.2 and 923.4 MHz minus the group's offset; RX2 923.2 MHz minus the offset.
      { use: 'default', firstHz: at(923.2), stepHz: mhz(0.2), count: 2, bandwidthHz: 125_000 },
      { use: 'RX2', firstHz: at(923.2), stepHz: 0, count: 1, bandwidthHz: 125_000 },
    ],
    poc: {
      // The group's second default channel: legal wherever the group is, and not its RX2 channel, where
      // gateways answer at full power (and would keep LBT busy in AS923_1).
      frequencyHz: at(923.4),
      spreadingFactor: 8,
      bandwidthHz: 125_000,
      codingRate: 5,
      preambleLength: 8,
      syncWord: COVEY_SYNC_WORD,
      // 16 dBm EIRP − 2.15 dBi = 13.85 → 13 dBm, which is also Japan's 20 mW.
      maxConductedDbm: 13,
      rationale:
        'The slowest 125 kHz rate that carries a 109-byte beacon under the 400 ms dwell limit: SF8 takes 328 ms ' +
        '(SF9 would take 595 ms).',
    },
  };
}

export const AS923_1 = as923({ id: 'AS923_1', offsetHz: 0 }, true);
export const AS923_2 = as923({ id: 'AS923_2', offsetHz: 1_800_000 }, false);
export const AS923_3 = as923({ id: 'AS923_3', offsetHz: 6_600_000 }, false);
export const AS923_4 = as923({ id: 'AS923_4', offsetHz: 5_900_000 }, false);

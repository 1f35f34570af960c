/**
 * The air's list of the receivers that can hear a transmitter (host-sim/air/audible.ts) must give what
 * visiting every receiver gives: the same stations hear each packet, in station order, and every other
 * station that is not transmitting counts it as lost below sensitivity, however the packets, powers,
 * lists and transmissions interleave.
 */
import fc from 'fast-check';
import type { AirSignal } from '../../host-sim/air/air.js';
import { AirCounters } from '../../host-sim/air/air-stats.js';
import { AudibleSets } from '../../host-sim/air/audible.js';
import { sensitivityDbm } from '../../host-sim/air/link-budget.js';
import type { Member } from '../../host-sim/air/sim-air-records.js';
import { StationTable } from '../../host-sim/air/station-table.js';

function member(index: number, gainDbi: number, noiseFigureDb: number): Member {
  return {
    index, name: `m${index}`, station: {} as Member['station'], xM: 0, yM: 0, heightM: 0, gainDbi, noiseFigureDb, listens: true,
    carrierOffsetPpm: 0, shadowingKey: index, counters: new AirCounters(), attached: true, horizonSignal: null, horizonM: 0,
    horizonEpoch: -1, receivers: [], receiverIndices: new Int32Array(0), receiversRangeM: NaN, receiversLayout: -1, losses: null, lossesFor: null, lossesHz: NaN,
    audible: null, transmitting: null, transmittingUntilMs: -Infinity, here: [],
  };
}

/** The table the air keeps of `members` (their gains and noise figures, read by the audible lists). */
function tableOf(members: readonly Member[]): StationTable {
  const table = new StationTable();
  for (const m of members) table.set(m);
  return table;
}

const indicesOf = (receivers: readonly Member[]): Int32Array => Int32Array.from(receivers, (m) => m.index);

function signal(txPowerDbm: number, spreadingFactor: number): AirSignal {
  return {
    frequencyHz: 868_100_000, bandwidthHz: 125_000, spreadingFactor, codingRate: 5, txPowerDbm, airtimeMs: 300,
    preambleLength: 8, syncWord: 0x12, explicitHeader: true, crc: true, payload: new Uint8Array(0),
  } as unknown as AirSignal;
}

const station = fc.record({ gainDbi: fc.integer({ min: -2, max: 6 }), noiseFigureDb: fc.constantFrom(6, 6, 6, 4, 9) });
const packet = fc.record({
  from: fc.nat(), atStepMs: fc.integer({ min: 0, max: 400 }), txPowerDbm: fc.constantFrom(14, 14, 20, 2),
  spreadingFactor: fc.constantFrom(7, 9, 12), airtimeMs: fc.integer({ min: 1, max: 900 }),
  /** A new receiver list for the sender (stations joined, left or moved). */
  newList: fc.boolean(),
});

test('the stations that hear, and the counts below sensitivity, are those of visiting every receiver', () => {
  fc.assert(fc.property(
    fc.array(station, { minLength: 2, maxLength: 14 }), fc.array(packet, { minLength: 1, maxLength: 60 }), fc.nat(),
    (specs, packets, lossSeed) => {
      const members = specs.map((s, i) => member(i, s.gainDbi, s.noiseFigureDb));
      const sets = new AudibleSets('noise-floor', tableOf(members));
      const expected = members.map(() => 0);
      const lists = new Map<Member, { receivers: Member[]; losses: Float64Array }>();
      let seed = lossSeed;
      const nextLoss = () => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return 100 + (seed % 6_000) / 100; // 100–160 dB: both sides of sensitivity
      };
      let nowMs = 0;
      for (const p of packets) {
        nowMs += p.atStepMs;
        const from = members[p.from % members.length];
        let list = lists.get(from);
        if (list === undefined || p.newList) {
          const receivers = members.filter((m) => m !== from && (m.index + p.airtimeMs) % 5 !== 0);
          list = { receivers, losses: Float64Array.from(receivers, nextLoss) };
          lists.set(from, list);
        }
        const sig = signal(p.txPowerDbm, p.spreadingFactor);
        from.transmittingUntilMs = nowMs + p.airtimeMs;
        sets.sending(from, nowMs);
        const hear = [...sets.hearing(from, sig, list.receivers, indicesOf(list.receivers), list.losses, nowMs)];

        const expectedHear: number[] = [];
        list.receivers.forEach((at, i) => {
          const rssiDbm = sig.txPowerDbm + from.gainDbi + at.gainDbi - list.losses[i];
          if (rssiDbm >= sensitivityDbm('noise-floor', sig.spreadingFactor, sig.bandwidthHz, at.noiseFigureDb)) expectedHear.push(i);
          else if (!(at.transmittingUntilMs > nowMs)) expected[at.index]++;
        });
        expect(hear).toEqual(expectedHear);
      }
      sets.settleAll();
      expect(members.map((m) => m.counters.lostBelowSensitivity)).toEqual(expected);
    },
  ), { numRuns: 300 });
});

test('counts are settled when a sender gets a new list, and settling twice adds nothing', () => {
  const [a, b, c] = [member(0, 2, 6), member(1, 2, 6), member(2, 2, 6)];
  const sets = new AudibleSets('noise-floor', tableOf([a, b, c]));
  const far = { receivers: [b, c], losses: Float64Array.of(200, 200) };
  a.transmittingUntilMs = 100;
  sets.sending(a, 0);
  expect([...sets.hearing(a, signal(14, 9), far.receivers, indicesOf(far.receivers), far.losses, 0)]).toEqual([]);
  // Not settled yet: kept back on the list.
  expect(b.counters.lostBelowSensitivity).toBe(0);
  const near = { receivers: [b, c], losses: Float64Array.of(80, 200) };
  a.transmittingUntilMs = 300;
  sets.sending(a, 200);
  expect([...sets.hearing(a, signal(14, 9), near.receivers, indicesOf(near.receivers), near.losses, 200)]).toEqual([0]);
  // The first list was settled when the second replaced it.
  expect([b.counters.lostBelowSensitivity, c.counters.lostBelowSensitivity]).toEqual([1, 1]);
  sets.settleAll();
  sets.settleAll();
  expect([b.counters.lostBelowSensitivity, c.counters.lostBelowSensitivity]).toEqual([1, 2]);
});

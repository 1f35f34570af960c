/**
 * SimAir, the simulator's physical air: deliveries through the virtual clock, the link budget at the
 * receiver, tuning, sensitivity, statistics, channel power and CAD, determinism.
 * Most cases use the lorasim path loss (no shadowing), so the numbers can be worked by hand:
 * PL(d) = 127.41 + 20.8·log10(d / 40 m); the noise floor at 125 kHz with NF 6 dB is −117.031 dBm.
 */
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { SimAir, type SimAirOptions } from '../../host-sim/air/sim-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import type { RadioPacket } from '../../src/ports.js';
import { at, CHANNEL, place, signal } from '../support/air-stations.js';

function rig(options: Partial<SimAirOptions> = {}) {
  const clock = new VirtualClock();
  const air = new SimAir(clock, { seed: 1, pathLoss: { name: 'lorasim' }, ...options });
  return { clock, air };
}

test('a packet is delivered through the clock when it ends, with RSSI and SNR from the link budget', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', { ...at(100), antennaGainDbi: 3 });
  const a = place(air, 'a', { ...at(0), antennaGainDbi: 2 }, null);
  const sent = signal(); // SF12, 20 bytes, CR 4/5: 1318.912 ms
  a.link.transmit(sent);
  clock.advance(1318);
  expect(r.listener.heard).toEqual([]);
  clock.advance(1);
  expect(r.listener.heard).toHaveLength(1);
  const [got] = r.listener.heard;
  expect(got.signal).toBe(sent);
  expect(got.rssiDbm).toBeCloseTo(-116.68715, 4);
  expect(got.snrDb).toBeCloseTo(0.34375, 4);
  expect(got.frequencyErrorHz).toBe(0);
  expect(got.intact).toBe(true);
});

test('clutter loss comes off every link and pulls the horizon in with it', () => {
  const { clock, air } = rig({ clutterLossDb: 10 });
  const r = place(air, 'r', { ...at(100), antennaGainDbi: 3 });
  const a = place(air, 'a', { ...at(0), antennaGainDbi: 2 }, null);
  a.link.transmit(signal());
  clock.advance(1319);
  expect(r.listener.heard[0].rssiDbm).toBeCloseTo(-116.68715 - 10, 4);
  const open = rig().air;
  place(open, 'r', { ...at(100), antennaGainDbi: 3 });
  place(open, 'a', { ...at(0), antennaGainDbi: 2 }, null);
  // 10 dB less to lose: the lorasim law's range shrinks by 10^(10 / 20.8).
  expect(open.horizonM('a', signal()) / air.horizonM('a', signal())).toBeCloseTo(10 ** (10 / 20.8), 6);
  expect(() => rig({ clutterLossDb: -1 })).toThrow(RangeError);
});

test('only stations tuned to the packet\'s frequency (±BW/4), SF, bandwidth and sync word get it', () => {
  const { clock, air } = rig();
  const tunings = {
    right: CHANNEL,
    near: { ...CHANNEL, frequencyHz: CHANNEL.frequencyHz + 31_000 },
    off: { ...CHANNEL, frequencyHz: CHANNEL.frequencyHz + 32_000 },
    sf: { ...CHANNEL, spreadingFactor: 11 },
    bw: { ...CHANNEL, bandwidthHz: 250_000 },
    sync: { ...CHANNEL, syncWord: 0x34 },
    idle: null,
  };
  const stations = Object.entries(tunings).map(([name, tuning], i) => place(air, name, at(40, i), tuning));
  place(air, 'a', at(0), null).link.transmit(signal());
  clock.advance(2000);
  expect(stations.filter((s) => s.listener.heard.length > 0).map((s) => s.name)).toEqual(['right', 'near']);
});

test('a station that stops listening before the packet ends does not get it', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', at(40));
  place(air, 'a', at(0), null).link.transmit(signal());
  clock.advance(500);
  r.listener.tuned = { ...CHANNEL, spreadingFactor: 7 };
  clock.advance(1500);
  expect(r.listener.heard).toEqual([]);
  expect(air.stationStats('r')).toMatchObject({ delivered: 0, lostToCollision: 0 });
});

test('a packet below a tuned station\'s sensitivity is counted lost there; beyond the horizon nothing is counted', () => {
  const { clock, air } = rig();
  place(air, 'good', at(50)); // NF 6 dB: sensitivity −137.03 dBm; 0 dBm reaches 116.0 m
  place(air, 'poor', { ...at(100), noiseFigureDb: 12 }); // −135.69 dBm against −131.03
  place(air, 'far', at(200));
  const a = place(air, 'a', at(0), null);
  expect(air.horizonM('a', signal({ txPowerDbm: 0 }))).toBeCloseTo(116.0388, 3);
  a.link.transmit(signal({ txPowerDbm: 0 }));
  clock.advance(2000);
  expect(air.stationStats('good')).toMatchObject({ delivered: 1, lostBelowSensitivity: 0 });
  expect(air.stationStats('poor')).toMatchObject({ delivered: 0, lostBelowSensitivity: 1 });
  expect(air.stationStats('far')).toMatchObject({ delivered: 0, lostBelowSensitivity: 0 });
});

test('statistics: packets and airtime per station and per frequency, and their totals', () => {
  const { clock, air } = rig();
  const a = place(air, 'a', at(0), null);
  const b = place(air, 'b', at(10), null);
  const poc = signal();
  const eu10 = signal({ frequencyHz: 869_525_000 });
  a.link.transmit(poc);
  clock.advance(2000);
  a.link.transmit(eu10);
  b.link.transmit(poc);
  clock.advance(2000);
  const stats = air.stationStats('a');
  expect(stats.sent).toBe(2);
  expect(stats.airtimeMs).toBeCloseTo(2 * 1318.912, 6);
  expect([...stats.airtimeByFrequencyMs]).toEqual([[868_100_000, poc.airtimeMs], [869_525_000, eu10.airtimeMs]]);
  expect(air.stats.sent).toBe(3);
  expect(air.stats.airtimeByFrequencyMs.get(868_100_000)).toBeCloseTo(2 * 1318.912, 6);
  expect(() => air.stationStats('nobody')).toThrow(RangeError);
});

test('channel power adds the packets on air to the noise floor, and CAD sees a matching packet', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', at(40));
  expect(r.link.channelPowerDbm(CHANNEL.frequencyHz, CHANNEL.bandwidthHz)).toBeCloseTo(-117.0309, 4);
  place(air, 'a', at(0), null).link.transmit(signal());
  clock.advance(10);
  expect(r.link.channelPowerDbm(CHANNEL.frequencyHz, CHANNEL.bandwidthHz)).toBeCloseTo(-111.84324, 4);
  expect(r.link.channelPowerDbm(869_525_000, CHANNEL.bandwidthHz)).toBeCloseTo(-117.0309, 4);
  expect(r.link.activity(CHANNEL)).toBe(true);
  expect(r.link.activity({ ...CHANNEL, spreadingFactor: 7 })).toBe(false);
  clock.advance(1310);
  expect(r.link.activity(CHANNEL)).toBe(false);
  expect(r.link.channelPowerDbm(CHANNEL.frequencyHz, CHANNEL.bandwidthHz)).toBeCloseTo(-117.0309, 4);
});

test('a detached station gets nothing more, and can attach again under its name', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', at(40));
  const a = place(air, 'a', at(0), null);
  a.link.transmit(signal());
  clock.advance(100);
  r.link.detach();
  r.link.detach();
  clock.advance(2000);
  expect(r.listener.heard).toEqual([]);
  const again = place(air, 'r', at(40));
  a.link.transmit(signal());
  clock.advance(2000);
  expect(again.listener.heard).toHaveLength(1);
  expect(air.stationStats('r').delivered).toBe(1);
});

test('a station moved out of range hears nothing, and moved back hears again', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', at(40));
  const a = place(air, 'a', at(0), null);
  const send = () => {
    a.link.transmit(signal());
    clock.advance(2000);
    return r.listener.heard.length;
  };
  expect(send()).toBe(1);
  air.move('r', { xM: 5000, yM: 0, heightM: 0 });
  expect(send()).toBe(1);
  air.move('r', { xM: 0, yM: 40, heightM: 0 });
  expect(send()).toBe(2);
});

test('a moved station hears with the loss of its new place', () => {
  const { clock, air } = rig();
  const r = place(air, 'r', at(40));
  const a = place(air, 'a', at(0), null);
  a.link.transmit(signal());
  clock.advance(2000);
  air.move('r', { xM: 80, yM: 0, heightM: 0 });
  a.link.transmit(signal());
  clock.advance(2000);
  const [near, far] = r.listener.heard.map((h) => h.rssiDbm);
  // Twice the distance under the lorasim law: 20.8·log10(2) dB more loss.
  expect(near - far).toBeCloseTo(20.8 * Math.log10(2), 6);
});

test('with shadowing, a link loses the same both ways', () => {
  // 540 m: even 3σ (23.4 dB) of shadowing leaves the link above SF12's sensitivity.
  const { clock, air } = rig({ pathLoss: { name: 'oulu' }, seed: 9 });
  const a = place(air, 'a', at(0));
  const b = place(air, 'b', at(500, 200));
  a.link.transmit(signal());
  clock.advance(2000);
  b.link.transmit(signal());
  clock.advance(2000);
  expect(b.listener.heard).toHaveLength(1);
  expect(a.listener.heard).toHaveLength(1);
  expect(a.listener.heard[0].rssiDbm).toBe(b.listener.heard[0].rssiDbm);
  const median = 14 - (128.95 + 23.2 * Math.log10(Math.hypot(500, 200) / 1000));
  expect(a.listener.heard[0].rssiDbm).not.toBeCloseTo(median, 3);
});

test('carrier offsets drawn from the seed give opposite frequency errors each way', () => {
  const { clock, air } = rig({ maxCarrierOffsetPpm: 10 });
  const a = place(air, 'a', at(0));
  const b = place(air, 'b', at(40));
  a.link.transmit(signal());
  clock.advance(2000);
  b.link.transmit(signal());
  clock.advance(2000);
  const ab = b.listener.heard[0].frequencyErrorHz;
  expect(ab).not.toBe(0);
  expect(a.listener.heard[0].frequencyErrorHz).toBeCloseTo(-ab, 6);
  expect(Math.abs(ab)).toBeLessThanOrEqual((20 * CHANNEL.frequencyHz) / 1e6);
});

test('refuses stations and signals it cannot place or carry', () => {
  const { air } = rig();
  const a = place(air, 'a', at(0));
  expect(() => air.attach(a.listener, 'unplaced')).toThrow(/no placement/);
  expect(() => place(air, 'a', at(1))).toThrow(RangeError);
  expect(() => air.place('bad', { xM: Number.NaN, yM: 0, heightM: 0 })).toThrow(RangeError);
  expect(() => air.place('under', { xM: 0, yM: 0, heightM: -1 })).toThrow(RangeError);
  expect(() => a.link.transmit(signal({ spreadingFactor: 13 }))).toThrow(RangeError);
  expect(() => a.link.transmit(signal({ airtimeMs: 0 }))).toThrow(RangeError);
  expect(() => new SimAir(new VirtualClock(), { seed: 1.5 })).toThrow(TypeError);
});

/**
 * A busy little network: 25 stations at random on 6 × 6 km with Oulu path loss and shadowing. With
 * `forgetEvery`, the air lets go of its receiver lists every that many packets.
 */
function busyRun(seed: number, forgetEvery = 0, leaveAtEnd = false): string[] {
  const { clock, air } = rig({ seed, pathLoss: { name: 'oulu' }, cellSizeM: 1500 });
  const layout = new SeededRng(42);
  const stations = Array.from({ length: 25 }, (_, i) =>
    place(air, `s${i}`, { xM: layout.below(6000), yM: layout.below(6000), heightM: 2 + layout.below(20) }));
  const log: string[] = [];
  stations.forEach((s) => {
    const record = s.listener.deliver.bind(s.listener);
    s.listener.deliver = (r) => {
      record(r);
      log.push(`${clock.now()} ${s.name} ${r.rssiDbm.toFixed(6)} ${r.intact}`);
    };
  });
  const traffic = new SeededRng(7);
  for (let k = 0; k < 200; k++) {
    clock.advance(traffic.below(700));
    if (forgetEvery > 0 && k % forgetEvery === 0) air.forgetLinks();
    stations[traffic.below(stations.length)].link.transmit(signal({ spreadingFactor: 7 + traffic.below(6) }));
  }
  clock.advance(10_000);
  if (leaveAtEnd) for (const s of stations) s.link.detach();
  log.push(JSON.stringify(air.stats), ...stations.map((s) => JSON.stringify(air.stationStats(s.name))));
  return log;
}

test('the same seed and the same calls give the same deliveries in the same order', () => {
  const first = busyRun(5);
  expect(first.length).toBeGreaterThan(100);
  expect(busyRun(5)).toEqual(first);
  expect(busyRun(6)).not.toEqual(first);
});

test('letting go of the receiver lists changes no delivery and no count', () => {
  const kept = busyRun(5);
  expect((JSON.parse(kept[kept.length - 26]) as { lostBelowSensitivity: number }).lostBelowSensitivity).toBeGreaterThan(100);
  for (const every of [1, 7, 50]) expect(busyRun(5, every)).toEqual(kept);
});

test('stations that leave the air keep every count they had, though the air lets go of their lists', () => {
  expect(busyRun(5, 0, true)).toEqual(busyRun(5));
});

test('the real drivers on emulated SX1276 and SX1262 boards exchange a packet over it', async () => {
  const clock = new VirtualClock();
  const air = new SimAir(clock, { seed: 1, pathLoss: { name: 'oulu' } });
  const settings = { frequencyHz: 869_525_000, spreadingFactor: 9, bandwidthHz: 125_000, txPowerDbm: 14 } as const;
  const open = (boardId: string, name: string, xM: number) => {
    const board = boardById(boardId);
    air.place(name, { xM, yM: 0, heightM: 10, antennaGainDbi: 2 });
    const { io } = emulateBoardRadio(board, { air, clock, name });
    return openRadio(board, io, { clock, healthCheckMs: 0, settings });
  };
  const sender = open('heltec_v2', 'sender', 0);
  const receiver = open('heltec_v3', 'receiver', 2000);
  const packets: RadioPacket[] = [];
  receiver.receive((packet) => packets.push(packet));
  const sent = sender.transmit(Uint8Array.of(1, 2, 3));
  clock.advance(1000);
  await new Promise<void>((resolve) => setImmediate(resolve));
  await sent;
  expect(packets).toHaveLength(1);
  expect(packets[0].payload).toEqual(Uint8Array.of(1, 2, 3));
  expect(packets[0].crcOk).toBe(true);
  // Oulu at 2 km is 135.9 dB; shadowing moves it by at most 3σ = 23.4 dB.
  expect(Math.abs(packets[0].rssiDbm - (14 + 2 + 2 - 135.934))).toBeLessThanOrEqual(23.4 + 1);
  sender.close();
  receiver.close();
});

/**
 * The collision rules (host-sim/air/collisions.ts), each with a crafted case: the pure rule first, then
 * the same rule as the air applies it to stations. SF12 at 125 kHz: a symbol is 32.768 ms, so the
 * newcomer's first Npre − 5 = 3 preamble symbols last 98.304 ms.
 */
import {
  collide, collisionModel, frequenciesCollide, COLLISION_MODELS, NEWCOMER_LOST, ONGOING_LOST, type Contender,
} from '../../host-sim/air/collisions.js';
import { SimAir } from '../../host-sim/air/sim-air.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { at, CHANNEL, place, signal } from '../support/air-stations.js';

const FULL = COLLISION_MODELS.full;
const BOTH = NEWCOMER_LOST | ONGOING_LOST;
const NOW = 1000;

function contender(rssiDbm: number, endMs: number, overrides: Partial<Contender['signal']> = {}): Contender {
  return { rssiDbm, endMs, signal: { frequencyHz: 868_100_000, bandwidthHz: 125_000, spreadingFactor: 12, preambleLength: 8, ...overrides } };
}

describe('the rules', () => {
  test('two packets alike that start in the same ms meet the same way whichever the air takes first', () => {
    const swapped = (lost: number) => ((lost & NEWCOMER_LOST) !== 0 ? ONGOING_LOST : 0) | ((lost & ONGOING_LOST) !== 0 ? NEWCOMER_LOST : 0);
    let anyLost = 0;
    for (const model of [FULL, COLLISION_MODELS['lorasim-full'], COLLISION_MODELS['lorasim-simple']]) {
      for (const margin of [-12, -6, -5.9, 0, 3, 5.9, 6, 12]) {
        const first = contender(-100 + margin, NOW + 1712.128);
        const second = contender(-100, NOW + 1712.128);
        const lost = collide(model, second, first, NOW);
        expect(collide(model, first, second, NOW)).toBe(swapped(lost));
        anyLost |= lost;
      }
    }
    expect(anyLost).toBe(BOTH);
  });

  test('capture: a packet 6 dB or more stronger survives and the weaker is lost', () => {
    expect(collide(FULL, contender(-100, NOW + 1300), contender(-106, NOW + 900), NOW)).toBe(ONGOING_LOST);
    expect(collide(FULL, contender(-106, NOW + 1300), contender(-100, NOW + 900), NOW)).toBe(NEWCOMER_LOST);
  });

  test('capture: within 6 dB both are lost', () => {
    expect(collide(FULL, contender(-100, NOW + 1300), contender(-105.9, NOW + 900), NOW)).toBe(BOTH);
    expect(collide(FULL, contender(-105.9, NOW + 1300), contender(-100, NOW + 900), NOW)).toBe(BOTH);
  });

  test('preamble: an interferer that ends within the newcomer\'s first 3 preamble symbols harms neither', () => {
    expect(collide(FULL, contender(-100, NOW + 1300), contender(-100, NOW + 98.3), NOW)).toBe(0);
    expect(collide(FULL, contender(-100, NOW + 1300), contender(-100, NOW + 98.31), NOW)).toBe(BOTH);
  });

  test('preamble: the critical section follows the newcomer\'s own preamble length', () => {
    const longPreamble = contender(-100, NOW + 1300, { preambleLength: 16 }); // 11 symbols: 360.4 ms
    expect(collide(FULL, longPreamble, contender(-100, NOW + 360), NOW)).toBe(0);
    expect(collide(FULL, longPreamble, contender(-100, NOW + 361), NOW)).toBe(BOTH);
  });

  test('frequency: carriers more than 30 / 60 / 120 kHz apart at 125 / 250 / 500 kHz never collide', () => {
    const at = (frequencyHz: number, bandwidthHz = 125_000) => contender(-100, NOW + 900, { frequencyHz, bandwidthHz }).signal;
    expect(frequenciesCollide(at(868_100_000), at(868_130_000))).toBe(true);
    expect(frequenciesCollide(at(868_100_000), at(868_130_001))).toBe(false);
    expect(frequenciesCollide(at(868_100_000), at(868_160_000, 250_000))).toBe(true);
    expect(frequenciesCollide(at(868_100_000, 500_000), at(868_220_000))).toBe(true);
    expect(frequenciesCollide(at(868_100_000, 500_000), at(868_220_001))).toBe(false);
    const apart = contender(-100, NOW + 1300, { frequencyHz: 868_300_000 });
    expect(collide(FULL, apart, contender(-100, NOW + 900), NOW)).toBe(0);
  });

  test('different SFs: a packet survives when its SIR reaches Goursaud\'s isolation for the pair', () => {
    const sf7 = (rssi: number) => contender(rssi, NOW + 900, { spreadingFactor: 7 });
    const sf12 = (rssi: number) => contender(rssi, NOW + 1300, { spreadingFactor: 12 });
    // SF7 wanted against SF12 needs SIR ≥ −20 dB; SF12 against SF7 needs ≥ −36 dB.
    expect(collide(FULL, sf12(-80), sf7(-100), NOW)).toBe(0);
    expect(collide(FULL, sf12(-79.9), sf7(-100), NOW)).toBe(ONGOING_LOST);
    expect(collide(FULL, sf7(-100), sf12(-64.1), NOW)).toBe(NEWCOMER_LOST);
    expect(collide(FULL, sf7(-64), sf12(-100), NOW)).toBe(0);
    expect(collide(FULL, sf7(-63.9), sf12(-100), NOW)).toBe(ONGOING_LOST);
    expect(collide(FULL, sf7(-136.1), sf12(-100), NOW)).toBe(NEWCOMER_LOST);
  });

  test('LoRaSim\'s models treat different SFs as orthogonal', () => {
    const model = collisionModel('lorasim-full');
    expect(collide(model, contender(-60, NOW + 900, { spreadingFactor: 7 }), contender(-130, NOW + 1300), NOW)).toBe(0);
    expect(collide(collisionModel('lorasim-simple'), contender(-60, NOW + 900, { spreadingFactor: 7 }), contender(-130, NOW + 1300), NOW)).toBe(0);
  });

  test('the simple model loses both on any overlap on the same channel and SF, whatever the powers', () => {
    const simple = collisionModel('lorasim-simple');
    expect(collide(simple, contender(-60, NOW + 1300), contender(-130, NOW + 1), NOW)).toBe(BOTH);
    expect(collide(simple, contender(-60, NOW + 1300, { frequencyHz: 868_300_000 }), contender(-130, NOW + 900), NOW)).toBe(0);
  });

  test('an unknown model name is refused', () => {
    expect(() => collisionModel('aloha')).toThrow(RangeError);
  });
});

/**
 * The same rules at a receiver R at the origin with the lorasim path loss (no shadowing): a sender at
 * 40 m arrives at −113.41 dBm, at 50 m at −115.43, at 200 m at −127.95. One SF12 packet lasts 1318.9 ms
 * and its preamble 401.4 ms.
 */
describe('the rules in the air', () => {
  function rig() {
    const clock = new VirtualClock();
    const air = new SimAir(clock, { seed: 1, pathLoss: { name: 'lorasim' } });
    const r = place(air, 'r', at(0));
    return { clock, air, r };
  }

  test('a stronger packet that starts after the weaker one\'s preamble damages it and is received itself', () => {
    const { clock, air, r } = rig();
    const weak = place(air, 'weak', at(200), null);
    const strong = place(air, 'strong', at(40), null);
    weak.link.transmit(signal({ payload: Uint8Array.of(1) }));
    clock.advance(500);
    strong.link.transmit(signal({ payload: Uint8Array.of(2) }));
    clock.advance(3000);
    expect(r.listener.heard.map((h) => [h.signal.payload[0], h.intact])).toEqual([[1, false], [2, true]]);
    expect(air.stationStats('r')).toMatchObject({ delivered: 1, lostToCollision: 1, deliveredCorrupt: 1 });
  });

  test('a stronger packet that starts during the weaker one\'s preamble hides it', () => {
    const { clock, air, r } = rig();
    const weak = place(air, 'weak', at(200), null);
    const strong = place(air, 'strong', at(40), null);
    weak.link.transmit(signal({ payload: Uint8Array.of(1) }));
    clock.advance(100);
    strong.link.transmit(signal({ payload: Uint8Array.of(2) }));
    clock.advance(3000);
    expect(r.listener.heard.map((h) => [h.signal.payload[0], h.intact])).toEqual([[2, true]]);
    expect(air.stationStats('r')).toMatchObject({ delivered: 1, lostToCollision: 1, deliveredCorrupt: 0 });
  });

  test('two packets within 6 dB are both lost, unless the first ends within the second\'s first 3 symbols', () => {
    const { clock, air, r } = rig();
    const a = place(air, 'a', at(40), null);
    const b = place(air, 'b', at(-50), null);
    a.link.transmit(signal());
    clock.advance(1250); // a ends 68.9 ms into b: saved by the preamble
    b.link.transmit(signal());
    clock.advance(3000);
    expect(r.listener.heard.map((h) => h.intact)).toEqual([true, true]);
    a.link.transmit(signal());
    clock.advance(1200); // a ends 118.9 ms into b
    b.link.transmit(signal());
    clock.advance(3000);
    expect(r.listener.heard).toHaveLength(3);
    expect(r.listener.heard[2].intact).toBe(false);
    expect(air.stationStats('r')).toMatchObject({ delivered: 2, lostToCollision: 2, deliveredCorrupt: 1 });
  });

  test('packets on different channels do not collide', () => {
    const { clock, air, r } = rig();
    const other = { ...CHANNEL, frequencyHz: 868_300_000 };
    const r2 = place(air, 'r2', at(0, 1), other);
    const a = place(air, 'a', at(40), null);
    const b = place(air, 'b', at(-40), null);
    a.link.transmit(signal());
    b.link.transmit(signal({ frequencyHz: other.frequencyHz }));
    clock.advance(2000);
    expect(r.listener.heard.map((h) => [h.signal.frequencyHz, h.intact])).toEqual([[868_100_000, true]]);
    expect(r2.listener.heard.map((h) => [h.signal.frequencyHz, h.intact])).toEqual([[868_300_000, true]]);
  });

  test('a much stronger packet on another SF hides a packet whose SIR is below the isolation', () => {
    const { clock, air, r } = rig();
    r.listener.tuned = { ...CHANNEL, spreadingFactor: 7 };
    const wanted = place(air, 'wanted', at(100), null); // SF7 at −121.69 dBm
    const loud = place(air, 'loud', at(10), null); // SF12 at −100.89 dBm: SIR −20.8 dB < −20
    loud.link.transmit(signal());
    wanted.link.transmit(signal({ spreadingFactor: 7 }));
    clock.advance(2000);
    expect(r.listener.heard).toEqual([]);
    expect(air.stationStats('r').lostToCollision).toBe(1);
  });

  test('half-duplex: a station that transmits during a packet loses it', () => {
    const { clock, air, r } = rig();
    const a = place(air, 'a', at(40), null);
    a.link.transmit(signal());
    clock.advance(100);
    r.link.transmit(signal({ frequencyHz: 869_525_000 }));
    clock.advance(3000);
    expect(r.listener.heard).toEqual([]);
    expect(air.stationStats('r')).toMatchObject({ lostToHalfDuplex: 1, delivered: 0 });
  });

  test('half-duplex: a station transmitting on a channel when a packet starts there loses it', () => {
    const { clock, air, r } = rig();
    r.listener.tuned = null; // as a chip in TX mode reports
    const a = place(air, 'a', at(40), null);
    r.link.transmit(signal());
    clock.advance(100);
    a.link.transmit(signal());
    clock.advance(3000);
    expect(air.stationStats('r')).toMatchObject({ lostToHalfDuplex: 1, delivered: 0 });
    expect(air.stationStats('a')).toMatchObject({ sent: 1, lostToHalfDuplex: 0 });
  });
});

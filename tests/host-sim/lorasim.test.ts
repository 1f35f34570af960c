/**
 * The LoRaSim reproduction (host-sim/lorasim/): LoRaSim's geometry and airtimes, and the behaviour its
 * results must show. Nothing here reads a wall clock.
 */
import { lorasimMaxDistanceM, runLorasim, type LorasimOptions, type LorasimResult } from '../../host-sim/lorasim/lorasim.js';

const BASE: LorasimOptions = { experiment: 0, nodes: 100, avgSendMs: 1e6, simtimeMs: 1e8, seed: 1 };

function withoutWallTime(result: LorasimResult): Omit<LorasimResult, 'wallMs'> {
  const { wallMs: _wallMs, ...rest } = result;
  return rest;
}

test('LoRaSim\'s disc (14 dBm against −133.25 dBm, log10 path loss) and airtimes (20 bytes, SF12, 125 kHz)', () => {
  expect(lorasimMaxDistanceM(0)).toBeCloseTo(359.6716, 3);
  expect(runLorasim({ ...BASE, nodes: 1 }).airtimeMs).toBeCloseTo(1712.128, 9); // CR 4/8
  expect(runLorasim({ ...BASE, nodes: 1, experiment: 4 }).airtimeMs).toBeCloseTo(1318.912, 9); // CR 4/5
});

test('a single node is never lost: DER 1', () => {
  const result = runLorasim({ ...BASE, nodes: 1, avgSendMs: 1e5 });
  expect(result.sent).toBeGreaterThan(900);
  expect(result).toMatchObject({ received: result.sent, collided: 0, lost: 0, der: 1 });
});

test('every packet sent is received, collided or lost', () => {
  const result = runLorasim({ ...BASE, nodes: 300 });
  expect(result.received + result.collided + result.lost).toBe(result.sent);
  expect(result.lost).toBe(0); // every node is inside the disc
});

test('DER falls as nodes are added', () => {
  const ders = [50, 200, 800].map((nodes) => runLorasim({ ...BASE, nodes }).der);
  expect(ders[0]).toBeGreaterThan(ders[1]);
  expect(ders[1]).toBeGreaterThan(ders[2]);
  expect(ders[2]).toBeLessThan(0.5);
});

/**
 * Pure ALOHA: a packet survives if no other starts within one airtime T before or after it, so
 * DER = e^(−2G) with G = (N − 1)·T / (avgSendMs + T), each node sending once per wait plus airtime.
 * 100 nodes for 5·10⁸ ms send about 50,000 packets, so the DER's standard error is about 0.003; the
 * tolerance, 0.01, is a little over three of them.
 */
test.each([0, 4])('the simple model matches pure ALOHA\'s e^(−2G) at low load (experiment %i)', (experiment) => {
  const result = runLorasim({ ...BASE, experiment, simtimeMs: 5e8, collisions: 'simple' });
  const g = ((BASE.nodes - 1) * result.airtimeMs) / (BASE.avgSendMs + result.airtimeMs);
  expect(Math.abs(result.der - Math.exp(-2 * g))).toBeLessThan(0.01);
});

test('capture in the full model saves packets the simple model loses', () => {
  const simple = runLorasim({ ...BASE, nodes: 500, collisions: 'simple' });
  const full = runLorasim({ ...BASE, nodes: 500 });
  expect(full.sent).toBe(simple.sent);
  expect(full.der).toBeGreaterThan(simple.der);
});

test('experiment 1 spreads the nodes over three frequencies and loses fewer packets than experiment 0', () => {
  expect(runLorasim({ ...BASE, nodes: 500, experiment: 1 }).der).toBeGreaterThan(runLorasim({ ...BASE, nodes: 500 }).der);
});

test('the same seed gives the same result, another seed another', () => {
  const first = withoutWallTime(runLorasim({ ...BASE, nodes: 200 }));
  expect(withoutWallTime(runLorasim({ ...BASE, nodes: 200 }))).toEqual(first);
  expect(withoutWallTime(runLorasim({ ...BASE, nodes: 200, seed: 2 }))).not.toEqual(first);
});

test('refuses experiments it does not reproduce and impossible options', () => {
  expect(() => runLorasim({ ...BASE, experiment: 2 })).toThrow(RangeError);
  expect(() => runLorasim({ ...BASE, nodes: -1 })).toThrow(RangeError);
  expect(() => runLorasim({ ...BASE, avgSendMs: 0 })).toThrow(RangeError);
  expect(() => runLorasim({ ...BASE, seed: 0.5 })).toThrow(TypeError);
});

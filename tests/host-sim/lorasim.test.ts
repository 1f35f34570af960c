/**
 * The LoRaSim reproduction (host-sim/lorasim/): LoRaSim's geometry and airtimes, and the behaviour its
 * results must show. Nothing here reads a wall clock.
 */
import { streamSeed } from '../../host-sim/air/shadowing.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import {
  lorasimMaxDistanceM, LorasimSources, runLorasim, sendInOrder, type LorasimOptions, type LorasimResult,
} from '../../host-sim/lorasim/lorasim.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';

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
  expect(result.events).toBe(2 * result.sent); // each packet starts and ends
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

/**
 * The runner makes the nodes' packet times a window at a time (sendInOrder) rather than with a clock
 * timer per node. Here both make them from the same streams: the same sends at the same ms, and the
 * runner's in order of time, then node.
 */
describe('packet times', () => {
  function streams(nodes: number, seed: number): SeededRng[] {
    return Array.from({ length: nodes }, (_, i) => new SeededRng(streamSeed(seed, 'lorasim', 'traffic', i)));
  }

  function withTimers(nodes: number, avgSendMs: number, airtimeMs: number, lastMs: number): Array<[number, number]> {
    const clock = new VirtualClock();
    const traffic = streams(nodes, 3);
    const sends: Array<[number, number]> = [];
    for (let node = 0; node < nodes; node++) {
      const wait = () => -avgSendMs * Math.log(1 - traffic[node].fraction());
      const send = (): void => {
        sends.push([node, clock.now()]);
        clock.setTimer(send, airtimeMs + wait());
      };
      clock.setTimer(send, wait());
    }
    clock.runUntil(lastMs, Infinity);
    return sends;
  }

  function inOrder(nodes: number, avgSendMs: number, airtimeMs: number, lastMs: number): Array<[number, number]> {
    const sends: Array<[number, number]> = [];
    sendInOrder(new LorasimSources(streams(nodes, 3), avgSendMs, airtimeMs), lastMs, (node, atMs) => sends.push([node, atMs]));
    return sends;
  }

  const byTimeThenNode = (a: [number, number], b: [number, number]) => a[1] - b[1] || a[0] - b[0];

  test.each([
    // nodes, avgSendMs, airtimeMs, lastMs: windows of about one packet per node, of one ms, and a last one cut short
    [40, 1_000, 100, 100_000],
    [300, 50, 3.7, 5_000],
    [5, 0.3, 1712.128, 20_000],
    [1, 10, 0, 1_000],
    [60, 200, 0.5, 9_999],
  ])('%i nodes, a wait of %f ms, %f ms on air, until %i ms: the same sends as a timer per node', (nodes, avgSendMs, airtimeMs, lastMs) => {
    const reference = withTimers(nodes, avgSendMs, airtimeMs, lastMs);
    const sends = inOrder(nodes, avgSendMs, airtimeMs, lastMs);
    expect(reference.length).toBeGreaterThan(20);
    expect(sends).toEqual([...sends].sort(byTimeThenNode));
    expect(sends).toEqual([...reference].sort(byTimeThenNode));
    expect(sends.at(-1)?.[1]).toBeLessThanOrEqual(lastMs);
  });

  test('sends in the same ms are all made, in node order', () => {
    // A wait of 0.01 ms rounds up to 1 ms: most sends of 50 nodes share their ms with others.
    const sends = inOrder(50, 0.01, 0, 200);
    const perMs = new Map<number, number[]>();
    for (const [node, atMs] of sends) perMs.set(atMs, [...(perMs.get(atMs) ?? []), node]);
    expect(Math.max(...[...perMs.values()].map((nodes) => nodes.length))).toBeGreaterThan(5);
    expect(sends).toEqual(withTimers(50, 0.01, 0, 200).sort(byTimeThenNode));
  });

  test('no nodes, no sends; too many ms × nodes to order exactly is refused', () => {
    expect(inOrder(0, 1_000, 100, 100_000)).toEqual([]);
    expect(() => inOrder(1_000, 1e9, 100, 2 ** 45)).toThrow(RangeError);
  });
});

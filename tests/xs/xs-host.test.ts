/**
 * covey-xs, the XS memory host (tools/xs-host/): its meters follow what a script keeps, drops and how
 * deep it calls; promise jobs run between turns; hostCall reaches Node; failures come back typed.
 * The scripts are plain JavaScript run as they are (no bundling).
 */
import { fileURLToPath } from 'node:url';
import { fromHex, toHex } from '../../proofs/index.js';
import { answerHttp } from '../../tools/xs/host-call-http.js';
import { runEntryInXsHost, runScriptInXsHost, XsHostError, type XsHostRun } from '../../tools/xs/xs-host.js';
import { analyseRun } from '../../tools/xs/xs-meter.js';

const HTTP_ENTRY = fileURLToPath(new URL('./entries/host-http-entry.ts', import.meta.url));

/** A scenario whose turn() runs `body` (with `n`, the turn's number, and `kept`, an array it may fill). */
function scenario(body: string, turns = 3, prepare = ''): string {
  return `
    const kept = [];
    let n = 0;
    const counters = { turns: 0, jobs: 0 };
    globalThis.coveyScenario = {
      prepare(args) { ${prepare} },
      start() {},
      turn() { n++; counters.turns++; ${body}; return n < ${turns}; },
      counters() { return JSON.stringify(counters); },
    };`;
}

const slotsAfter = (run: XsHostRun) => run.turns.map((turn) => turn.slots - (run.start?.slots ?? 0));

test('live slots follow what each turn keeps, after the garbage collection', async () => {
  const run = await runScriptInXsHost(scenario('for (let i = 0; i < 100; i++) kept.push({ i })'));
  const grown = slotsAfter(run);
  expect(grown[1] - grown[0]).toBeGreaterThanOrEqual(100);
  expect(grown[2] - grown[1]).toBeGreaterThanOrEqual(100);
});

test('garbage is collected after every turn', async () => {
  const run = await runScriptInXsHost(scenario('for (let i = 0; i < 1000; i++) ({ i, text: "x" + i })'));
  const grown = slotsAfter(run);
  expect(grown[2]).toBe(grown[1]);
});

test('live chunk bytes follow buffers the script keeps', async () => {
  const run = await runScriptInXsHost(scenario('kept.push(new Uint8Array(4096))'));
  const [first, second] = run.turns;
  expect(second.chunkBytes - first.chunkBytes).toBeGreaterThanOrEqual(4096);
});

test('the stack meter follows call depth, and marks where device code begins', async () => {
  const run = await runScriptInXsHost(
    scenario('markEntry(); const dive = (d) => (d === 0 ? 0 : 1 + dive(d - 1)); dive(n * 20)', 3),
  );
  const [one, two, three] = run.turns;
  expect(two.stackSlots).toBeGreaterThan(one.stackSlots);
  expect(three.stackSlots).toBeGreaterThan(two.stackSlots);
  expect(three.stackSlots).toBeGreaterThanOrEqual(three.xsStackSlots);
  expect(three.entrySlots).toBeGreaterThan(0);
  expect(three.entrySlots).toBeLessThan(one.stackSlots);
});

test("XS's scratch use of the free stack (number conversions) does not count as depth", async () => {
  const run = await runScriptInXsHost(scenario('for (let i = 1; i < 50; i++) String(1 / i) + (1e21 / i).toFixed(3)', 1));
  expect(run.turns[0].stackSlots).toBeLessThan(100);
});

test('promise jobs run before the turn is metered', async () => {
  const run = await runScriptInXsHost(scenario('Promise.resolve().then(() => { counters.jobs++ })'));
  expect(run.turns.map((turn) => turn.counters?.jobs)).toEqual([1, 2, 3]);
});

test('prepare gets the arguments, and the scenario ends when turn() returns false', async () => {
  const run = await runScriptInXsHost(scenario('', 1000, 'if (args !== JSON.stringify({ a: 1 })) throw new Error(args)'), {
    args: { a: 1 },
    maxTurns: 4,
  });
  expect(run.turns).toHaveLength(4);
  const short = await runScriptInXsHost(scenario('', 2));
  expect(short.turns).toHaveLength(2);
});

test('hostCall() gets its answer from Node, one line each way', async () => {
  const script = 'globalThis.coveyScenario = { prepare() {}, start() {}, turn() { return false }, counters() { return "{}" },' +
    ' report() { return JSON.stringify({ a: hostCall("ping 1"), b: hostCall("ping 2") }) } };';
  const run = await runScriptInXsHost(script, { answer: (line) => `pong ${line.slice(5)}` });
  expect(run.report).toEqual({ a: 'pong 1', b: 'pong 2' });
});

test('an HTTP request made in XS is answered by a handler in Node', async () => {
  const seen: string[] = [];
  const run = await runEntryInXsHost(HTTP_ENTRY, {
    answer: answerHttp((request) => {
      seen.push(`${request.method} ${request.url} ${toHex(request.body ?? new Uint8Array())}`);
      if (request.url.endsWith('/down')) throw new Error('no route to host');
      return { status: 200, headers: { 'content-type': 'application/cbor' }, body: fromHex('a1b2') };
    }),
  });
  expect(seen).toEqual(['POST http://oracle.test/v1/ingest 0102', 'GET http://oracle.test/down ']);
  expect(run.report).toEqual({ status: 200, body: 'a1b2', failure: 'no route to host' });
});

test('an exception in the script is an XsHostError naming the step', async () => {
  const failure = runScriptInXsHost(scenario('if (n === 2) throw new RangeError("bad turn")'));
  await expect(failure).rejects.toBeInstanceOf(XsHostError);
  await expect(failure).rejects.toMatchObject({ kind: 'script', where: 'turn', message: expect.stringContaining('bad turn') });
});

test('a stack overflow is an XS abort, reported as such', async () => {
  const failure = runScriptInXsHost(scenario('const dive = (d) => 1 + dive(d + 1); dive(0)'));
  await expect(failure).rejects.toMatchObject({ kind: 'abort', where: 'stack overflow' });
});

test('a script that calls hostCall() with no handler fails clearly', async () => {
  await expect(runScriptInXsHost('hostCall("hello")')).rejects.toMatchObject({ kind: 'host', where: 'hostCall' });
});

test('computrons are attributed to the turns in which a counter advanced', () => {
  const sample = { slots: 100, chunkBytes: 1000, keys: 10, restingSlots: 150, stackSlots: 50, xsStackSlots: 40, entrySlots: 0, compute: 5 };
  const turn = (n: number, compute: number, made: number) => ({ ...sample, turn: n, compute, counters: { made } });
  const run: XsHostRun = {
    hello: { xs: '13.3.0', slotBytes: 32, chunkHeaderBytes: 16, stackCapacitySlots: 4096 },
    loaded: sample,
    base: sample,
    start: { ...sample, counters: { made: 0 } },
    turns: [turn(1, 10, 0), turn(2, 500, 1), turn(3, 10, 1), turn(4, 700, 3)],
    bundleBytes: 1,
    printed: '',
  };
  const figures = analyseRun(run, { cycleCounter: 'made', growthFromCycle: 1, computeCounters: ['made'] });
  expect(figures.computePerEvent.made).toBe(400); // (500 + 700) / 3 advances
  expect(figures.cycles).toBe(3);
  expect(figures.slotGrowthPer1000Cycles).toBe(0);
});

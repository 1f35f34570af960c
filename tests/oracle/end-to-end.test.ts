/**
 * End to end: three hotspots running the firmware's runtime (src/) with the real drivers on emulated
 * chips, on one test air, onboard and upload over real HTTP on 127.0.0.1 to the real oracle (SQLite
 * file, fastify server) running on the same virtual clock, for a simulated day. The oracle's verdicts
 * and rewards are then read back over HTTP. Virtual time moves on only once every request in flight
 * has been answered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPortableSigner, hotspotAddress, PortableVerifier } from '../../proofs/index.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { NodeHttp } from '../../host-sim/net/node-http.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { Hotspot } from '../../src/hotspot.js';
import { parseSettings } from '../../src/settings.js';
import { oracleClockFrom } from '../../tools/oracle/clock.js';
import { Oracle } from '../../tools/oracle/oracle.js';
import { startServer, type RunningServer } from '../../tools/oracle/server.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { DrivenClock } from '../support/driven-clock.js';
import { signerFor } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { memoryLog } from '../support/test-ports.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START_WALL = Date.UTC(2026, 2, 1);
const BOARDS = ['heltec_v2', 'heltec_v3', 't3s3'];

let dir: string;
let store: SqliteStore;
let server: RunningServer;
let oracle: Oracle;
let http: NodeHttp;

afterEach(async () => {
  await server.close();
  await oracle.stop();
  await store.close();
  http.close();
  rmSync(dir, { recursive: true, force: true });
});

test('hotspots upload a day of beacons and receipts over HTTP; the oracle judges them valid and rewards all three', async () => {
  dir = mkdtempSync(join(tmpdir(), 'covey-e2e-'));
  const clock = new DrivenClock(0, START_WALL);
  store = SqliteStore.open(join(dir, 'oracle.sqlite'));
  oracle = new Oracle({ store, signer: signerFor('e2e oracle'), clock: oracleClockFrom(clock) });
  server = await startServer(oracle, { port: 0 });
  http = new NodeHttp();
  clock.waitAfterEvents(async () => {
    do {
      await http.idle();
      await new Promise((resolve) => setImmediate(resolve));
    } while (http.pending > 0);
  });
  const air = new TestAir(clock, { defaultLossDb: 100 });
  const verifier = new PortableVerifier();
  const hotspots = BOARDS.map((boardId, i) => {
    const board = boardById(boardId);
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name: `${boardId}-${i}` }).io, { clock });
    const settings = parseSettings({
      region: 'EU868', oracleUrl: server.url, oraclePublicKey: oracle.publicKey,
      // About 1.3 km apart: beyond the minimum distance, and 100 dB of loss is plausible there.
      location: { lat: 52.5 + i / 100, lon: 13.4 + i / 100 },
    });
    const ports = {
      radio, clock, flash: new SimFlash({ size: 8 * 4096 }), kv: new MemoryKeyValue(), http, rng: new SeededRng(200 + i),
      log: memoryLog(), verifier, createSigner: createPortableSigner,
    };
    return new Hotspot({ ports, settings });
  });
  oracle.start();
  for (const hotspot of hotspots) hotspot.start();
  // A day of hotspots, then the oracle alone until it has closed the day's reward epoch.
  await clock.runFor(DAY);
  for (const hotspot of hotspots) hotspot.stop();
  await clock.runFor(HOUR);

  for (const hotspot of hotspots) {
    expect(hotspot.status().receipts).toMatchObject({ queued: 12, uploaded: 12, rejected: 0 });
    const response = await fetch(`${server.url}/v1/hotspots/${hotspotAddress(hotspot.identity.publicKey)}`);
    expect(await response.json()).toMatchObject({
      status: 'active', region: 'EU868',
      beacons: { valid: 4, pending: 0, invalid: {} },
      witnesses: { valid: 8, pending: 0, invalid: {} },
    });
  }
  const epoch = Math.floor(START_WALL / DAY);
  const rewards = (await (await fetch(`${server.url}/v1/epochs/${epoch}/rewards`)).json()) as { rewards: { hotspot: string; beacons: number; witnesses: number; amount: number }[] };
  expect(rewards.rewards.map((r) => [r.beacons, r.witnesses])).toEqual([[4, 8], [4, 8], [4, 8]]);
  expect(rewards.rewards.reduce((sum, r) => sum + r.amount, 0)).toBeCloseTo(oracle.config.rewardPoolPerEpoch, 0);
  const csv = await (await fetch(`${server.url}/v1/epochs/${epoch}/rewards?format=csv`)).text();
  expect(csv.trim().split('\n')).toHaveLength(4);
}, 120_000);

/**
 * End to end in real time: `covey oracle` as its own process with a SQLite file, and three hotspots
 * running the firmware's runtime (src/) with the real drivers on emulated chips, on one test air, on the
 * machine's clock, uploading over HTTP on 127.0.0.1. Beacons are one a minute (the firmware's shortest
 * interval, and the oracle is told the same), so this takes a minute or so. The verdicts are read back
 * from the process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPortableSigner, fromHex, hotspotAddress, PortableVerifier } from '../../proofs/index.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { NodeHttp } from '../../host-sim/net/node-http.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { Hotspot } from '../../src/hotspot.js';
import { parseSettings } from '../../src/settings.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { spawnOracle, type OracleProcess } from '../support/oracle-process.js';
import { RealTimeClock } from '../support/real-time-clock.js';
import { memoryLog } from '../support/test-ports.js';

const MINUTE = 60_000;
const BOARDS = ['heltec_v3', 'heltec_v2', 't3s3'];

let dir: string;
let oracle: OracleProcess | undefined;
let hotspots: Hotspot[] = [];
const clock = new RealTimeClock();
const http = new NodeHttp();

afterAll(() => {
  for (const hotspot of hotspots) hotspot.stop();
  clock.clearAll();
  http.close();
  oracle?.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface HotspotView {
  readonly beacons: { valid: number; pending: number; invalid: Record<string, number> };
  readonly witnesses: { valid: number; pending: number; invalid: Record<string, number> };
}

async function view(url: string, hotspot: Hotspot): Promise<HotspotView | undefined> {
  const response = await fetch(`${url}/v1/hotspots/${hotspotAddress(hotspot.identity.publicKey)}`);
  return response.status === 200 ? ((await response.json()) as HotspotView) : undefined;
}

test('a real oracle process judges a minute of beacons and witnesses from hotspots running in real time', async () => {
  dir = mkdtempSync(join(tmpdir(), 'covey-process-e2e-'));
  const config = join(dir, 'oracle.json');
  writeFileSync(config, JSON.stringify({ beaconIntervalMs: MINUTE, verifyEveryMs: 500 }));
  oracle = await spawnOracle(['--db', join(dir, 'oracle.sqlite'), '--port', '0', '--config', config]);
  const oracleKey = (await (await fetch(`${oracle.url}/v1/oracle`)).json()) as { publicKey: string };
  const air = new TestAir(clock, { defaultLossDb: 100 });
  hotspots = BOARDS.map((boardId, i) => {
    const board = boardById(boardId);
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name: `${boardId}-${i}` }).io, { clock });
    const settings = parseSettings({
      region: 'EU868', oracleUrl: (oracle as OracleProcess).url, oraclePublicKey: fromHex(oracleKey.publicKey),
      beaconIntervalMs: MINUTE, location: { lat: 52.5 + i / 100, lon: 13.4 + i / 100 },
    });
    const ports = {
      radio, clock, flash: new SimFlash({ size: 8 * 4096 }), kv: new MemoryKeyValue(), http, rng: new SeededRng(300 + i),
      log: memoryLog(), verifier: new PortableVerifier(), createSigner: createPortableSigner,
    };
    return new Hotspot({ ports, settings });
  });
  for (const hotspot of hotspots) hotspot.start();

  // Each beacons once in its first whole minute and hears the other two; verdicts follow 10 s later.
  const deadline = Date.now() + 3 * MINUTE;
  let views: (HotspotView | undefined)[] = [];
  while (Date.now() < deadline) {
    views = await Promise.all(hotspots.map((hotspot) => view((oracle as OracleProcess).url, hotspot)));
    if (views.every((v) => v !== undefined && v.beacons.valid >= 1 && v.witnesses.valid >= 2)) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  for (const v of views) {
    expect(v?.beacons.valid).toBeGreaterThanOrEqual(1);
    expect(v?.witnesses.valid).toBeGreaterThanOrEqual(2);
    expect(v?.beacons.invalid).toEqual({});
    expect(v?.witnesses.invalid).toEqual({});
  }
  for (const hotspot of hotspots) expect(hotspot.status().receipts.rejected).toBe(0);
  for (const hotspot of hotspots) hotspot.stop();
  expect(await oracle.stop('SIGTERM', 10_000)).toEqual({ code: 0, signal: null });
}, 240_000);

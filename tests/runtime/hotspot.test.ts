/**
 * Hotspots end to end: three boards with emulated chips (SX1276 and SX1262) on a test air, each with its
 * own simulated flash, key-value store and random stream, one fake oracle behind the Http port, all on
 * one virtual clock. They run the device's own signer and verifier (proofs' portable ed25519).
 */
import { toHex } from '../../proofs/bytes.js';
import { decodeBeaconReport } from '../../proofs/beacon-report.js';
import { beaconDigest } from '../../proofs/digest.js';
import { createPortableSigner, PortableVerifier } from '../../proofs/ed25519-portable.js';
import { decodeWitnessReceipt } from '../../proofs/witness-receipt.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { statusFields } from '../../src/health.js';
import { Hotspot } from '../../src/hotspot.js';
import { SEED_KEY } from '../../src/identity.js';
import { formatFields } from '../../src/log.js';
import type { Radio } from '../../src/ports.js';
import { parseSettings } from '../../src/settings.js';
import { DrivenClock } from '../support/driven-clock.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { memoryLog } from '../support/test-ports.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START_WALL = Date.UTC(2026, 2, 1);
const LOSS_DB = 100;
const verifier = new PortableVerifier();

interface Node {
  readonly name: string;
  readonly hotspot: Hotspot;
  readonly radio: Radio;
  readonly kv: MemoryKeyValue;
  readonly log: ReturnType<typeof memoryLog>;
}

function network(boardIds: readonly string[]) {
  const clock = new DrivenClock(0, START_WALL);
  const air = new TestAir(clock, { defaultLossDb: LOSS_DB });
  const oracle = new FakeOracle({ clock });
  const radioErrors: Error[] = [];
  const nodes: Node[] = boardIds.map((boardId, i) => {
    const name = `${boardId}-${i}`;
    const board = boardById(boardId);
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name }).io, { clock, onError: (e) => radioErrors.push(e) });
    const kv = new MemoryKeyValue();
    const log = memoryLog();
    const settings = parseSettings({
      region: 'EU868', oracleUrl: ORACLE_URL, oraclePublicKey: oracle.signer.publicKey,
      location: { lat: 52.5 + i / 100, lon: 13.4 + i / 100 }, logLevel: 'debug',
    });
    const ports = {
      radio, clock, flash: new SimFlash({ size: 8 * 4096 }), kv, http: oracle, rng: new SeededRng(100 + i), log, verifier,
      createSigner: createPortableSigner,
    };
    return { name, hotspot: new Hotspot({ ports, settings }), radio, kv, log };
  });
  return { clock, air, oracle, nodes, radioErrors };
}

describe('Hotspots on one air', () => {
  test('for a simulated day, each beacons once per epoch, the others witness it, and the oracle gets every receipt', async () => {
    const { clock, oracle, nodes, radioErrors } = network(['heltec_v2', 'heltec_v3', 't3s3']);
    for (const node of nodes) node.hotspot.start();
    await clock.runFor(DAY);

    const byUploader = (node: Node) => oracle.stored.filter((s) => s.uploaderHex === toHex(node.hotspot.identity.publicKey));
    const reports = new Map<string, { report: ReturnType<typeof decodeBeaconReport>; from: Node }>();
    for (const node of nodes) {
      const items = byUploader(node).map((s) => s.bytes);
      const own = items.filter((b) => b[1] === 3).map((b) => decodeBeaconReport(b));
      // One report per 6-hour epoch of the day.
      expect(own.map((r) => Math.floor(r.timeMs / (6 * HOUR)) - START_WALL / (6 * HOUR))).toEqual([0, 1, 2, 3]);
      for (const report of own) reports.set(toHex(beaconDigest(report.frame)), { report, from: node });
    }
    expect(reports.size).toBe(12);

    for (const node of nodes) {
      const receipts = byUploader(node).map((s) => s.bytes).filter((b) => b[1] === 4).map((b) => decodeWitnessReceipt(b));
      const heard = receipts.map((r) => reports.get(toHex(r.beaconDigest)));
      // Every beacon of the two others, and nothing else.
      expect(heard.every((h) => h !== undefined && h.from !== node)).toBe(true);
      expect(receipts).toHaveLength(8);
      receipts.forEach((receipt, i) => {
        const { report } = heard[i] as { report: ReturnType<typeof decodeBeaconReport> };
        expect(receipt.dataRate).toBe(report.dataRate);
        expect(Math.abs(receipt.frequencyHz - report.frequencyHz)).toBeLessThan(1000);
        expect(Math.abs(receipt.rssiDdbm - (report.txPowerDdbm - LOSS_DB * 10))).toBeLessThanOrEqual(10);
        expect(receipt.timeMs - report.timeMs).toBeGreaterThanOrEqual(0);
        expect(receipt.timeMs - report.timeMs).toBeLessThan(1000);
      });
    }

    for (const node of nodes) {
      const status = node.hotspot.status();
      expect(status.beacons.sent).toBe(4);
      expect(status.frames.receipts).toBe(8);
      expect(status.receipts).toEqual({ queued: 12, uploaded: 12, rejected: 0, dropped: 0 });
      expect(status.queueSize).toBe(0);
      expect(status.lastUploadWallMs).toBeGreaterThan(START_WALL);
      expect(oracle.hotspots.get(toHex(node.hotspot.identity.publicKey))?.latE7).toBeDefined();
    }
    expect(radioErrors).toEqual([]);
    for (const node of nodes) node.hotspot.stop();
  });

  test('reports the power the chip took, not the region maximum it cannot reach', async () => {
    const { clock, oracle, nodes } = network(['heltec_v2', 'heltec_v3']);
    for (const node of nodes) node.hotspot.start();
    await clock.runFor(6 * HOUR);
    const powers = nodes.map((node) => {
      const item = oracle.stored.find((s) => s.uploaderHex === toHex(node.hotspot.identity.publicKey) && s.bytes[1] === 3);
      return decodeBeaconReport((item as { bytes: Uint8Array }).bytes).txPowerDdbm;
    });
    // EU868's PoC channel allows 27 dBm; the SX1276 on PA_BOOST stops at 20 dBm, the SX1262 at 22 dBm.
    expect(powers).toEqual([200, 220]);
    expect(nodes[0].log.lines.some((l) => l.message === 'transmit power capped by the radio')).toBe(true);
    for (const node of nodes) node.hotspot.stop();
  });

  test('logs the status line on its interval and never the secret key', async () => {
    const { clock, nodes } = network(['heltec_v3']);
    const [node] = nodes;
    node.hotspot.start();
    await clock.runFor(HOUR);
    const lines = node.log.lines.filter((l) => l.message === 'status');
    expect(lines).toHaveLength(12);
    expect(Object.keys(lines[0].fields)).toEqual(Object.keys(statusFields(node.hotspot.status())));
    expect(formatFields(lines[11].fields)).toMatch(/^up=1h00m clock=ok beacons=\d+ refused=0\/0\/0\/0 /);
    const seed = toHex(node.kv.get(SEED_KEY) as Uint8Array);
    expect(JSON.stringify(node.log.lines)).not.toContain(seed);
    expect(JSON.stringify(node.hotspot.status())).not.toContain(seed);
    node.hotspot.stop();
  });

  test('stop() is idempotent, ends beaconing and reception, and leaves the radio open', async () => {
    const { clock, nodes } = network(['heltec_v2', 'heltec_v3']);
    for (const node of nodes) node.hotspot.start();
    await clock.runFor(HOUR);
    nodes[0].hotspot.stop();
    nodes[0].hotspot.stop();
    const before = nodes[0].hotspot.status();
    await clock.runFor(DAY);
    const after = nodes[0].hotspot.status();
    expect(after.beacons.sent).toBe(before.beacons.sent);
    expect(after.frames.heard).toBe(before.frames.heard);
    expect(nodes[1].hotspot.status().beacons.sent).toBeGreaterThanOrEqual(4);
    expect(() => nodes[0].radio.rssi()).not.toThrow();
    nodes[1].hotspot.stop();
  });

  test('a restarted hotspot keeps its identity and its place in the schedule', async () => {
    const { clock, nodes } = network(['heltec_v3']);
    const [node] = nodes;
    node.hotspot.start();
    await clock.runFor(6 * HOUR);
    node.hotspot.stop();
    const key = toHex(node.hotspot.identity.publicKey);
    const sent = node.hotspot.status().beacons.sent;
    expect(sent).toBe(1);
    node.hotspot.start();
    await clock.runFor(6 * HOUR);
    expect(toHex(node.hotspot.identity.publicKey)).toBe(key);
    expect(node.hotspot.status().beacons.sent).toBe(2);
    node.hotspot.stop();
  });
});

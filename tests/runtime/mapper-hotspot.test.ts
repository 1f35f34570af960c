/**
 * The mapper role end to end: a Hotspot with role 'mapper' on a T-Beam (emulated SX1276) walking a route
 * past two hotspots (Heltec V3 and T3-S3, emulated SX1262s) on one test air, all uploading to one fake
 * oracle on one virtual clock, with the device's own signer and verifier.
 */
import { toHex } from '../../proofs/bytes.js';
import { beaconDigest } from '../../proofs/digest.js';
import { createPortableSigner, PortableVerifier } from '../../proofs/ed25519-portable.js';
import { decodeMapperReceipt, verifyMapperReceipt, type MapperReceipt } from '../../proofs/mapper-receipt.js';
import { decodeMapperReport, verifyMapperReport, type MapperReport } from '../../proofs/mapper-report.js';
import { decodeMapperUplink } from '../../proofs/mapper-uplink.js';
import { MessageType } from '../../proofs/registry.js';
import { boardById } from '../../hal/boards/index.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { SeededRng } from '../../host-sim/ports/seeded-rng.js';
import { statusFields } from '../../src/health.js';
import { Hotspot, type HotspotPorts } from '../../src/hotspot.js';
import { formatFields } from '../../src/log.js';
import { parseSettings } from '../../src/settings.js';
import { DrivenClock } from '../support/driven-clock.js';
import { FakeOracle, ORACLE_URL } from '../support/fake-oracle.js';
import { hostVerifier } from '../support/keys.js';
import { MemoryKeyValue } from '../support/memory-kv.js';
import { memoryLog } from '../support/test-ports.js';
import { ScriptedGps, START_LAT_E7, START_LON_E7, START_WALL } from './mapper-rig.js';

const MINUTE = 60_000;
const LOSS_DB = 100;
const verifier = new PortableVerifier();

function walk(options: { hotspots?: readonly string[] } = {}) {
  const clock = new DrivenClock(0, START_WALL);
  const air = new TestAir(clock, { defaultLossDb: LOSS_DB });
  const oracle = new FakeOracle({ clock });
  const radioErrors: Error[] = [];
  const device = (boardId: string, name: string, role: 'hotspot' | 'mapper', seed: number, gps?: ScriptedGps) => {
    const board = boardById(boardId);
    const radio = openRadio(board, emulateBoardRadio(board, { air, clock, name }).io, { clock, onError: (e) => radioErrors.push(e) });
    const log = memoryLog();
    const settings = parseSettings({
      region: 'EU868', oracleUrl: ORACLE_URL, oraclePublicKey: oracle.signer.publicKey, role, statusIntervalMs: 0,
      ...(role === 'hotspot' ? { location: { lat: 52.52 + seed / 1000, lon: 13.4 } } : {}),
    });
    const ports: HotspotPorts = {
      radio, clock, flash: new SimFlash({ size: 8 * 4096 }), kv: new MemoryKeyValue(), http: oracle, rng: new SeededRng(seed), log,
      verifier, createSigner: createPortableSigner, gps,
    };
    return { hotspot: new Hotspot({ ports, settings }), log };
  };
  const gps = new ScriptedGps(clock);
  const mapper = device('tbeam_v1', 'mapper', 'mapper', 300, gps);
  const hotspots = (options.hotspots ?? ['heltec_v3', 't3s3']).map((id, i) => device(id, `${id}-${i}`, 'hotspot', 400 + i));
  return { clock, oracle, gps, mapper, hotspots, radioErrors };
}

const storedBy = (oracle: FakeOracle, hotspot: Hotspot, type: number) =>
  oracle.stored.filter((s) => s.uploaderHex === toHex(hotspot.identity.publicKey) && s.bytes[1] === type).map((s) => s.bytes);

describe('A mapper walking past two hotspots', () => {
  test('every uplink reaches the oracle as a MapperReport, with a MapperReceipt from each hotspot', async () => {
    const { clock, oracle, gps, mapper, hotspots, radioErrors } = walk();
    gps.move(0, 1.5);
    mapper.hotspot.start();
    for (const h of hotspots) h.hotspot.start();
    await clock.runFor(20 * MINUTE);

    const status = mapper.hotspot.status();
    // 20 minutes at 1.5 m/s: an uplink every 47 s from 0, the last at 1,175 s.
    expect(status.mapper).toMatchObject({ sent: 26, skippedNoFix: 0, refusedDutyCycle: 0, refusedBusy: 0, refusedRadio: 0, lastCounter: 25 });
    expect(status.beacons.sent).toBe(0);
    expect(status.frames.heard).toBe(0);
    const reports: MapperReport[] = storedBy(oracle, mapper.hotspot, MessageType.MapperReport).map((b) => decodeMapperReport(b));
    expect(reports.map((r) => decodeMapperUplink(r.frame).counter)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    expect(reports.every((r) => verifyMapperReport(r, hostVerifier))).toBe(true);
    // The T-Beam's SX1276 on PA_BOOST stops at 20 dBm: the report says so, not the region's 27.
    expect(new Set(reports.map((r) => r.txPowerDdbm))).toEqual(new Set([200]));
    expect(storedBy(oracle, mapper.hotspot, MessageType.BeaconReport)).toHaveLength(0);
    expect(status.queueSize).toBe(0);

    const byDigest = new Map(reports.map((r) => [toHex(beaconDigest(r.frame)), r]));
    for (const { hotspot } of hotspots) {
      const receipts: MapperReceipt[] = storedBy(oracle, hotspot, MessageType.MapperReceipt).map((b) => decodeMapperReceipt(b));
      expect(receipts).toHaveLength(26);
      expect(new Set(receipts.map((r) => toHex(r.beaconDigest)))).toEqual(new Set(byDigest.keys()));
      for (const receipt of receipts) {
        const report = byDigest.get(toHex(receipt.beaconDigest)) as MapperReport;
        expect(verifyMapperReceipt(receipt, hotspot.identity.publicKey, hostVerifier)).toBe(true);
        expect(receipt.dataRate).toBe(report.dataRate);
        expect(Math.abs(receipt.frequencyHz - report.frequencyHz)).toBeLessThan(1000);
        expect(Math.abs(receipt.rssiDdbm - (report.txPowerDdbm - LOSS_DB * 10))).toBeLessThanOrEqual(10);
        expect(receipt.timeMs - report.timeMs).toBeGreaterThanOrEqual(0);
        expect(receipt.timeMs - report.timeMs).toBeLessThan(1000);
      }
      expect(hotspot.status().mapperUplinks).toEqual({ receipts: 26, forged: 0 });
      expect(hotspot.status().mapper).toBeUndefined();
    }
    expect(radioErrors).toEqual([]);
  });

  test('onboards itself at its GPS position when its settings give no location', async () => {
    const { clock, oracle, gps, mapper } = walk({ hotspots: [] });
    gps.move(0, 1.5);
    mapper.hotspot.start();
    await clock.runFor(MINUTE);
    const onboard = oracle.hotspots.get(toHex(mapper.hotspot.identity.publicKey));
    expect(onboard?.latE7).toBe(START_LAT_E7);
    // Where it was when the first upload met 403: a few metres east of the start.
    expect((onboard?.lonE7 as number) - START_LON_E7).toBeGreaterThan(0);
    expect((onboard?.lonE7 as number) - START_LON_E7).toBeLessThan(1_500); // under 10 m (0.68 cm per 10^-7 degree here)
    expect(storedBy(oracle, mapper.hotspot, MessageType.MapperReport)).toHaveLength(2);
  });

  test('keeps its reports through an outage, shows them on the console, and uploads them afterwards', async () => {
    const { clock, oracle, gps, mapper } = walk({ hotspots: [] });
    oracle.addOutage(0, 10 * MINUTE);
    gps.move(0, 1.5);
    mapper.hotspot.start();
    await clock.runFor(5 * MINUTE);
    const lines: string[] = [];
    expect(mapper.hotspot.answerConsole('covey walk-log', (line) => lines.push(line))).toBe(true);
    expect(lines).toHaveLength(8);
    expect(lines[7]).toBe('covey-walk-end 7');
    const walked = lines.slice(0, 7).map((line) => decodeMapperReport(Uint8Array.from(Buffer.from(line.split(' ')[1], 'hex'))));
    expect(walked.map((r) => decodeMapperUplink(r.frame).counter)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(mapper.hotspot.status().queueSize).toBe(7);
    expect(mapper.hotspot.answerConsole('status', () => lines.push('unexpected'))).toBe(false);
    await clock.runFor(45 * MINUTE);
    const uploaded = storedBy(oracle, mapper.hotspot, MessageType.MapperReport).map((b) => toHex(b));
    expect(uploaded.slice(0, 7)).toEqual(lines.slice(0, 7).map((line) => line.split(' ')[1]));
  });

  test('logs a status line of uplinks instead of beacons', async () => {
    const { clock, gps, mapper } = walk({ hotspots: [] });
    gps.lose(0, 30_000);
    mapper.hotspot.start();
    await clock.runFor(MINUTE);
    expect(formatFields(statusFields(mapper.hotspot.status()))).toBe(
      'up=1m00s clock=ok uplinks=1 no_fix=1 refused=0/0/0/0 counter=0 last_uplink=25s queued=1 uploaded=1 rejected=0 dropped=0 queue=0 ' +
        'last_upload=25s recoveries=0',
    );
  });

  test('refuses to be built as a mapper without a GPS', () => {
    const clock = new DrivenClock(0, START_WALL);
    const oracle = new FakeOracle({ clock });
    const board = boardById('tbeam_v1');
    const radio = openRadio(board, emulateBoardRadio(board, { air: new TestAir(clock, {}), clock, name: 'm' }).io, { clock });
    const settings = parseSettings({ region: 'EU868', oracleUrl: ORACLE_URL, oraclePublicKey: oracle.signer.publicKey, role: 'mapper' });
    const ports: HotspotPorts = {
      radio, clock, flash: new SimFlash({ size: 2 * 4096 }), kv: new MemoryKeyValue(), http: oracle, rng: new SeededRng(1), log: memoryLog(),
      verifier, createSigner: createPortableSigner,
    };
    expect(() => new Hotspot({ ports, settings })).toThrow(/the mapper role needs a Gps port/);
  });
});

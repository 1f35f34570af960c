/**
 * The oracle's commands. `covey oracle` runs as a real process end to end: two hotspots onboarded with
 * `covey onboard`, a beacon and a witness each way over HTTP, verdicts and a closed reward epoch read back,
 * SIGTERM, then `covey verify` and `covey rewards` over the database it left. The other commands and the
 * failures that happen before the oracle listens run in-process through main(argv, io).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellToLatLng, latLngToCell } from 'h3-js';
import {
  AckStatus, beaconDigest, decodeEntropy, decodeOnboard, decodeUploadAck, encodeOnboard, encodeUploadBatch, hotspotAddress,
  signBeacon, signBeaconReport, signOnboard, signWitnessReceipt, toHex, verifyOnboard, type BeaconReport, type Entropy,
  type Signer, type UploadAck,
} from '../../proofs/index.js';
import { verifierInUse } from '../../tools/crypto/native-ed25519.js';
import { readKeyFile } from '../../tools/keyfile.js';
import { REWARD_CSV_HEADER } from '../../tools/oracle/read-side.js';
import { SqliteStore } from '../../tools/oracle/store/sqlite-store.js';
import { covey, expectOneLineFailure, type Run } from '../support/cli.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { startTestOracle, type TestOracle } from '../support/oracle-harness.js';
import { spawnOracle, type OracleProcess } from '../support/oracle-process.js';

/** `covey <argv>` in-process, failing the test instead of hanging if it does not return within `ms`. */
async function coveyWithin(ms: number, argv: string[], stdin?: Uint8Array): Promise<Run> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`covey ${argv.join(' ')} did not return within ${ms} ms`)), ms);
  });
  return Promise.race([covey(argv, stdin), timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-oracle-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------
// A real oracle process, end to end

/**
 * Windows short enough for a run of a few seconds of real time: groups are judged a second after their
 * first report, and a 2 s reward epoch closes 2 s after it ends (unknownBeaconAfterMs + maxWitnessLagMs).
 */
const FAST = { maxWitnessLagMs: 1000, unknownBeaconAfterMs: 1000, verifyEveryMs: 200, rewardEpochMs: 2000, beaconIntervalMs: 60_000 };
const EU868_FREQUENCY_HZ = 868_100_000;

/** Hotspot A's beacon and report, signed over the entropy the oracle published. */
function beaconReport(beaconer: Signer, entropy: Entropy, nonce: number): BeaconReport {
  const beacon = signBeacon({
    beaconer: beaconer.publicKey, entropyEpoch: entropy.epoch, entropyTag: entropy.data.slice(0, 4), nonce: Uint8Array.of(0, 0, 0, nonce),
  }, beaconer);
  return signBeaconReport({ frame: beacon.frame, frequencyHz: EU868_FREQUENCY_HZ, dataRate: 0, txPowerDdbm: 140, timeMs: Date.now() }, beaconer);
}

/** A receipt for `report` heard at -100 dBm: quieter than free space allows at about 1.7 km (tx 14 dBm, 2 dBi each end). */
function witnessReceipt(report: BeaconReport, witness: Signer) {
  return signWitnessReceipt({
    beaconDigest: beaconDigest(report.frame), rssiDdbm: -1000, snrDdb: -50, frequencyHz: EU868_FREQUENCY_HZ, dataRate: 0,
    timeMs: Date.now(),
  }, witness);
}

describe('covey oracle as a process', () => {
  let home: string;
  let proc: OracleProcess | undefined;
  let db: string;
  let config: string;
  let signers: { a: Signer; b: Signer };
  let epoch: number;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'covey-oracle-process-'));
    db = join(home, 'oracle.sqlite');
    config = join(home, 'fast.json');
    writeFileSync(config, JSON.stringify(FAST));
    for (const name of ['a', 'b']) expect((await covey(['keygen', '--out', join(home, `${name}.key`)])).code).toBe(0);
    signers = { a: readKeyFile(join(home, 'a.key')).signer(), b: readKeyFile(join(home, 'b.key')).signer() };
    proc = await spawnOracle(['--db', db, '--host', '127.0.0.1', '--port', '0', '--config', config]);
  }, 30_000);

  afterAll(() => {
    proc?.kill();
    rmSync(home, { recursive: true, force: true });
  });

  const oracleUrl = () => {
    if (proc === undefined) throw new Error('the oracle process did not start');
    return proc.url;
  };

  const summaryOf = async (signer: Signer) =>
    (await (await fetch(`${oracleUrl()}/v1/hotspots/${hotspotAddress(signer.publicKey)}`)).json()) as {
      lastBeaconAt: string | null;
      beacons: { valid: number; pending: number; invalid: Record<string, number> };
      witnesses: { valid: number; pending: number; invalid: Record<string, number> };
    };

  test('starts on 127.0.0.1, creates its key next to the database, and serves /healthz', async () => {
    expect(oracleUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proc?.stdout()).toContain(`created the oracle key ${db}.key (mode 0600)`);
    // Which verifier checks the signatures: covey's own where it is built (CI builds it), else libsodium and why.
    const verifier = verifierInUse();
    expect(proc?.stdout()).toContain(`verifier ${verifier.name}${verifier.reason === undefined ? '' : ` (${verifier.reason})`}\n`);
    expect(existsSync(`${db}.key`)).toBe(true);
    const health = await fetch(`${oracleUrl()}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', hotspots: 0 });
  });

  test('covey onboard --oracle registers two hotspots about 1.7 km apart', async () => {
    const places = { a: ['52.5000', '13.4000'], b: ['52.5100', '13.4200'] };
    for (const [name, [lat, lon]] of Object.entries(places)) {
      const run = await coveyWithin(10_000, [
        'onboard', '--key', join(home, `${name}.key`), '--lat', lat, '--lon', lon, '--gain', '2', '--region', 'EU868',
        '--oracle', oracleUrl(), '--json',
      ]);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toMatchObject({ status: 201, answer: { status: 'registered' } });
    }
  });

  test('a beacon and a witness each way are all judged valid, and the closed epoch rewards both hotspots', async () => {
    const { a, b } = signers;
    // Start at the beginning of a reward epoch, so that both beacons land in the same one.
    await sleep(FAST.rewardEpochMs - (Date.now() % FAST.rewardEpochMs) + 20);
    const entropyResponse = await fetch(`${oracleUrl()}/v1/entropy`);
    expect(entropyResponse.headers.get('content-type')).toBe('application/cbor');
    const entropy = decodeEntropy(new Uint8Array(await entropyResponse.arrayBuffer()));
    const reportA = beaconReport(a, entropy, 1);
    const reportB = beaconReport(b, entropy, 2);
    const batches = [
      { uploader: a.publicKey, items: [{ kind: 'beacon', report: reportA }, { kind: 'witness', receipt: witnessReceipt(reportB, a) }] },
      { uploader: b.publicKey, items: [{ kind: 'beacon', report: reportB }, { kind: 'witness', receipt: witnessReceipt(reportA, b) }] },
    ] as const;
    const responses = await Promise.all(batches.map((batch) => fetch(`${oracleUrl()}/v1/receipts`, {
      method: 'POST', headers: { 'content-type': 'application/cbor' }, body: encodeUploadBatch(batch),
    })));
    for (const response of responses) {
      expect(response.status).toBe(200);
      const ack: UploadAck = decodeUploadAck(new Uint8Array(await response.arrayBuffer()));
      expect(ack.results.map((result) => result.status)).toEqual([AckStatus.Stored, AckStatus.Stored]);
    }

    const [, closed] = await (proc as OracleProcess).waitForOutput(/closed epoch (\d+)/, 10_000);
    epoch = Number(closed);
    for (const signer of [a, b]) {
      const summary = await summaryOf(signer);
      expect(summary).toMatchObject({ beacons: { valid: 1, pending: 0, invalid: {} }, witnesses: { valid: 1, pending: 0, invalid: {} } });
      expect(Math.floor(Date.parse(summary.lastBeaconAt ?? '') / FAST.rewardEpochMs)).toBe(epoch);
    }
    const rewards = (await (await fetch(`${oracleUrl()}/v1/epochs/${epoch}/rewards`)).json()) as {
      rewards: { hotspot: string; beacons: number; witnesses: number; amount: number }[];
    };
    expect(rewards.rewards.map((row) => row.hotspot).sort()).toEqual([a, b].map((s) => hotspotAddress(s.publicKey)).sort());
    expect(rewards.rewards.map((row) => [row.beacons, row.witnesses])).toEqual([[1, 1], [1, 1]]);
    expect(rewards.rewards[0].amount).toBeCloseTo(rewards.rewards[1].amount, 6);
    expect(rewards.rewards[0].amount + rewards.rewards[1].amount).toBeCloseTo(1_000_000, 0);
  }, 20_000);

  test('SIGTERM stops it within a few seconds with exit code 0 and a stopping line', async () => {
    const exit = await (proc as OracleProcess).stop('SIGTERM', 5_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc?.stdout()).toMatch(/Z stopping\n$/);
    expect(proc?.stderr()).toBe('');
  });

  test('covey verify --json over the database it left finds nothing left to judge', async () => {
    const run = await coveyWithin(10_000, ['verify', '--db', db, '--config', config, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      judged: 0, closedEpochs: [], pending: 0, verdicts: { 'beacon valid none': 2, 'witness valid none': 2 },
    });
  });

  test('covey rewards prints the closed epoch as CSV: the header and one row per hotspot', async () => {
    const run = await coveyWithin(10_000, ['rewards', '--db', db, '--format', 'csv']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(REWARD_CSV_HEADER);
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 5))).toEqual(
      [signers.a, signers.b]
        .sort((x, y) => (toHex(x.publicKey) < toHex(y.publicKey) ? -1 : 1))
        .map((s) => [String(epoch), hotspotAddress(s.publicKey), toHex(s.publicKey), '1', '1']),
    );
  });

  test('covey rewards --epoch N --format json --out writes the same epoch as JSON', async () => {
    const out = join(home, 'rewards.json');
    const run = await coveyWithin(10_000, ['rewards', '--db', db, '--epoch', String(epoch), '--format', 'json', '--out', out]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
    const written = JSON.parse(readFileSync(out, 'utf8')) as { epoch: number; rewards: { beacons: number; witnesses: number }[] };
    expect(written.epoch).toBe(epoch);
    expect(written.rewards.map((row) => [row.beacons, row.witnesses])).toEqual([[1, 1], [1, 1]]);
  });
});

// ---------------------------------------------------------------------------------------------------
// covey oracle: failures before it listens (in-process; none may hang)

describe('covey oracle --workers, as installed (bin/covey.js)', () => {
  test('checks uploads on its worker thread: an unknown uploader gets 403, and no worker fails to start', async () => {
    const oracle = await spawnOracle(['--db', join(dir, 'oracle.sqlite'), '--port', '0', '--workers', '1', '-q'], 30_000, { installed: true });
    try {
      const stranger = signerFor('oracle-cli stranger');
      const entropyBody = new Uint8Array(await (await fetch(`${oracle.url}/v1/entropy`)).arrayBuffer());
      const report = beaconReport(stranger, decodeEntropy(entropyBody), 7);
      const response = await fetch(`${oracle.url}/v1/receipts`, {
        method: 'POST', headers: { 'content-type': 'application/cbor' },
        body: encodeUploadBatch({ uploader: stranger.publicKey, items: [{ kind: 'beacon', report }] }),
      });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: string }).error).toBe('unknown_hotspot');
      expect(oracle.stderr()).not.toMatch(/cannot start/);
    } finally {
      oracle.kill();
    }
  }, 40_000);
});

describe('covey oracle refuses to start', () => {
  test('--port abc exits 1 with one line', async () => {
    expectOneLineFailure(await coveyWithin(5_000, ['oracle', '--db', join(dir, 'o.sqlite'), '--port', 'abc']),
      /^covey oracle: --port: abc is not a port number/);
  });

  test('a --config with an unknown field exits 1 naming the field, and creates no key or database', async () => {
    const config = join(dir, 'typo.json');
    writeFileSync(config, JSON.stringify({ maxWitnesLagMs: 500 }));
    const db = join(dir, 'o.sqlite');
    expectOneLineFailure(await coveyWithin(5_000, ['oracle', '--db', db, '--port', '0', '--config', config]),
      /^covey oracle: invalid oracle configuration: maxWitnesLagMs: not a setting of the oracle/);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(`${db}.key`)).toBe(false);
  });

  test('a --db in a directory that does not exist exits 1 naming the path', async () => {
    const db = join(dir, 'missing', 'oracle.sqlite');
    expectOneLineFailure(await coveyWithin(5_000, ['oracle', '--db', db, '--port', '0']),
      new RegExp(`^covey oracle: cannot open oracle store ${db}: its directory does not exist`));
  });

  test('a --db in a missing directory exits 1 even when --key is elsewhere, and creates no key', async () => {
    const key = join(dir, 'oracle.key');
    expectOneLineFailure(await coveyWithin(5_000, ['oracle', '--db', join(dir, 'missing', 'o.sqlite'), '--key', key, '--port', '0']),
      /^covey oracle: cannot open oracle store .*missing\/o\.sqlite/);
    expect(existsSync(key)).toBe(false);
  });

  test('a port already in use exits 1 with "cannot listen"', async () => {
    const busy = await startTestOracle();
    try {
      expectOneLineFailure(await coveyWithin(5_000, ['oracle', '--db', join(dir, 'o.sqlite'), '--port', String(busy.server.port)]),
        new RegExp(`^covey oracle: cannot listen on 127\\.0\\.0\\.1:${busy.server.port}: `));
    } finally {
      await busy.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// covey onboard

/** A device's printed Onboard request, as hex text. */
function printedRequest(signer: Signer, lat: number, lon: number, timeMs: number): string {
  const onboard = signOnboard({
    hotspot: signer.publicKey, latE7: Math.round(lat * 1e7), lonE7: Math.round(lon * 1e7), gainDdbi: 30, region: 'EU868', timeMs,
  }, signer);
  return `${toHex(encodeOnboard(onboard))}\n`;
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('covey onboard', () => {
  let oracle: TestOracle | undefined;
  afterEach(async () => {
    await oracle?.close();
    oracle = undefined;
  });

  async function keyFile(): Promise<string> {
    const path = join(dir, 'hotspot.key');
    expect((await covey(['keygen', '--out', path])).code).toBe(0);
    return path;
  }

  test('--key with --h3 signs the centre of the cell (checked without --oracle, from the --out file)', async () => {
    const key = await keyFile();
    const cell = latLngToCell(52.52, 13.405, 12);
    const out = join(dir, 'onboard.cbor');
    const run = await covey(['onboard', '--key', key, '--h3', cell, '--gain', '3', '--region', 'eu868', '--out', out]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`signed request written to ${out}`);
    const onboard = decodeOnboard(new Uint8Array(readFileSync(out)));
    const [lat, lon] = cellToLatLng(cell);
    expect(onboard).toMatchObject({
      latE7: Math.round(lat * 1e7), lonE7: Math.round(lon * 1e7), gainDdbi: 30, region: 'EU868',
    });
    expect(toHex(onboard.hotspot)).toBe(toHex(readKeyFile(key).publicKey));
    expect(verifyOnboard(onboard, hostVerifier)).toBe(true);
    expect(latLngToCell(onboard.latE7 / 1e7, onboard.lonE7 / 1e7, 12)).toBe(cell);
  });

  test('--lat without --lon exits 1', async () => {
    expectOneLineFailure(await covey(['onboard', '--key', await keyFile(), '--lat', '52.5', '--region', 'EU868']),
      /^covey onboard: a location is needed: --lat and --lon, or --h3/);
  });

  test('an unknown --region exits 1 listing the known ones', async () => {
    expectOneLineFailure(await covey(['onboard', '--key', await keyFile(), '--lat', '52.5', '--lon', '13.4', '--region', 'XX999']),
      /^covey onboard: --region: XX999 is not one of .*EU868/);
  });

  test('--request with a hex file a device printed is registered by the oracle', async () => {
    oracle = await startTestOracle();
    const device = signerFor('printed onboard');
    const file = join(dir, 'printed.hex');
    writeFileSync(file, printedRequest(device, 48.85, 2.35, Date.UTC(2026, 9, 1)));
    const run = await coveyWithin(10_000, ['onboard', '--request', file, '--oracle', `${oracle.url}/`]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`hotspot ${hotspotAddress(device.publicKey)} at 48.85, 2.35, 3 dBi, EU868`);
    expect(run.stdout).toContain('oracle: registered (201)');
    expect((await oracle.get(`/v1/hotspots/${hotspotAddress(device.publicKey)}`)).status).toBe(200);
  });

  test('--request - reads the printed request from standard input', async () => {
    oracle = await startTestOracle();
    const device = signerFor('printed onboard on stdin');
    const hex = new TextEncoder().encode(printedRequest(device, 48.85, 2.35, Date.UTC(2026, 9, 1)));
    const run = await coveyWithin(10_000, ['onboard', '--request', '-', '--oracle', oracle.url], hex);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('oracle: registered (201)');
  });

  test("an oracle's refusal (an older request after a newer one) exits 1 with the oracle's reason", async () => {
    oracle = await startTestOracle();
    const device = signerFor('stale onboard');
    const newer = join(dir, 'newer.hex');
    const older = join(dir, 'older.hex');
    writeFileSync(newer, printedRequest(device, 48.85, 2.35, Date.UTC(2026, 9, 2)));
    writeFileSync(older, printedRequest(device, 48.86, 2.36, Date.UTC(2026, 9, 1)));
    expect((await coveyWithin(10_000, ['onboard', '--request', newer, '--oracle', oracle.url])).code).toBe(0);
    const run = await coveyWithin(10_000, ['onboard', '--request', older, '--oracle', oracle.url]);
    expectOneLineFailure(run, /^covey onboard: oracle refused \(409\): stale_request: a newer assertion is already registered/);
    expect(run.stdout).toContain(`hotspot ${hotspotAddress(device.publicKey)} at 48.86, 2.36`);
  });

  test('an unreachable oracle exits 1 with "cannot reach"', async () => {
    const port = await closedPort();
    const file = join(dir, 'printed.hex');
    writeFileSync(file, printedRequest(signerFor('unreachable'), 48.85, 2.35, Date.UTC(2026, 9, 1)));
    expectOneLineFailure(await coveyWithin(20_000, ['onboard', '--request', file, '--oracle', `http://127.0.0.1:${port}`]),
      new RegExp(`^covey onboard: cannot reach http://127\\.0\\.0\\.1:${port}/v1/hotspots: `));
  }, 25_000);
});

// ---------------------------------------------------------------------------------------------------
// covey verify and covey rewards on a database with nothing closed

describe('covey verify and covey rewards with nothing closed', () => {
  let db: string;
  beforeEach(async () => {
    db = join(dir, 'empty.sqlite');
    await SqliteStore.open(db).close();
  });

  test('covey rewards exits 1: no epoch is closed yet', async () => {
    expectOneLineFailure(await covey(['rewards', '--db', db]), /^covey rewards: no epoch is closed yet/);
  });

  test('covey rewards --epoch N exits 1 when that epoch is not closed', async () => {
    expectOneLineFailure(await covey(['rewards', '--db', db, '--epoch', '5']), /^covey rewards: epoch 5 is not closed/);
  });

  test('covey rewards --format xml exits 1', async () => {
    expectOneLineFailure(await covey(['rewards', '--db', db, '--format', 'xml']), /^covey rewards: --format: xml is not table, csv or json/);
  });

  test('covey verify judges nothing and closes nothing', async () => {
    const run = await covey(['verify', '--db', db, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ judged: 0, closedEpochs: [], pending: 0, verdicts: {} });
  });

  test('covey verify on a missing file exits 1 and creates nothing', async () => {
    const missing = join(dir, 'missing.sqlite');
    expectOneLineFailure(await covey(['verify', '--db', missing]), /^covey verify: .*missing\.sqlite: no such database/);
    expect(existsSync(missing)).toBe(false);
  });

  test('covey verify --now garbage exits 1', async () => {
    expectOneLineFailure(await covey(['verify', '--db', db, '--now', 'garbage']), /^covey verify: --now: garbage is not a time/);
  });
});

// ---------------------------------------------------------------------------------------------------
// --help

describe('--help of the oracle commands', () => {
  test.each([
    ['oracle', ['--db', '--key', '--host', '--port', '--config', '--quiet', 'SIGTERM']],
    ['verify', ['--db', '--now', '--config', '--json']],
    ['onboard', ['--key', '--request', '--lat', '--lon', '--h3', '--gain', '--region', '--oracle', '--out', '--json']],
    ['rewards', ['--db', '--epoch', '--format', '--out']],
  ])('covey %s --help exits 0 and names its options', async (command, options) => {
    const run = await covey([command, '--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Usage: covey ${command}`);
    for (const option of options) expect(run.stdout).toContain(option);
  });
});

/**
 * `covey walk import`: a fake mapper on a mock serial port (@serialport/binding-mock) that answers
 * `covey walk-log` with really signed MapperReports among its own log output, cut into odd chunks with
 * \n and \r\n endings; the same conversation read from a capture file; and uploads to a small HTTP
 * oracle on 127.0.0.1 that decodes every batch with proofs and answers a real UploadAck.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import {
  AckStatus, beaconDigest, decodeUploadBatch, encodeMapperReport, encodeUploadAck, hotspotAddress, Reason,
  reportedUplink, signMapperReport, signMapperUplink, toHex, verifyBatchItem, type AckResult, type MapperReport, type Signer,
} from '../../proofs/index.js';
import type { CliIo } from '../../tools/commands/io.js';
import { addWalkCommand, type WalkDependencies } from '../../tools/commands/walk.js';
import type { WalkEntry } from '../../tools/walk/import.js';
import type { SerialBinding } from '../../tools/walk/serial-log.js';
import { MAX_LINE_CHARS, parseWalkLog, WalkLogError } from '../../tools/walk/walk-log.js';
import { expectOneLineFailure, type Run } from '../support/cli.js';
import { hostVerifier, signerFor } from '../support/keys.js';
import { MockBinding, scriptedBinding, type ScriptedPort } from '../support/mock-serial.js';

const PORT = '/dev/ttyMAPPER0';
const mapper = signerFor('walk mapper');
const secondMapper = signerFor('second walk mapper');
const T0 = Date.UTC(2024, 4, 1, 10, 0, 0);

/** Uplink `counter` of a walk due north from Amsterdam Centraal: 0.001° of latitude (111 m) per uplink. */
function walkReport(signer: Signer, counter: number): MapperReport {
  const uplink = signMapperUplink({
    mapper: signer.publicKey, latE7: 523_790_000 + counter * 10_000, lonE7: 48_990_000, altitudeM: 2 + counter,
    hdopDeci: 9 + counter, satellites: 7 + (counter % 3), counter,
  }, signer);
  return signMapperReport({ frame: uplink.frame, frequencyHz: 868_100_000, dataRate: 5, txPowerDdbm: 140, timeMs: T0 + counter * 30_000 }, signer);
}

const reportLine = (report: MapperReport) => `covey-walk ${toHex(encodeMapperReport(report))}`;

/** The mapper's report of uplink `counter` as someone else would forge it: right frame, wrong key. */
function forgedReport(counter: number): MapperReport {
  const genuine = walkReport(mapper, counter);
  return signMapperReport({ ...genuine, timeMs: genuine.timeMs + 1 }, secondMapper);
}

/** Console output: lines ended by \n or \r\n by turns, as a device's log and its answers mix them. */
function consoleText(lines: readonly string[]): string {
  return lines.map((line, i) => `${line}${i % 3 === 1 ? '\r\n' : '\n'}`).join('');
}

/** A walk log answer with the device's own log lines in between, reports out of counter order. */
function answerLines(reports: readonly MapperReport[], declared = reports.length): string[] {
  const lines = ['covey walk-log', 'I (81234) covey: gps fix, 7 satellites, hdop 0.9'];
  reports.forEach((report, i) => {
    lines.push(reportLine(report));
    if (i % 2 === 0) lines.push(`I (${81240 + i}) covey: uplink ${i} queued`);
  });
  lines.push(`covey-walk-end ${declared}`, 'I (81300) covey: idle');
  return lines;
}

/** Cuts text into chunks of awkward sizes, so lines and \r\n pairs are split across reads. */
function oddChunks(text: string): string[] {
  const sizes = [1, 7, 64, 3, 200, 13, 2];
  const chunks: string[] = [];
  for (let at = 0, i = 0; at < text.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * A mapper on a mock port: MockBinding opens the port, and when the tool's command arrives (the port
 * records what is written) the device emits `chunks`, one per turn of the event loop, while the port is open.
 */
function fakeMapper(chunks: readonly string[]): { binding: SerialBinding; written: () => string } {
  let recording: Buffer = Buffer.alloc(0);
  let answered = false;
  const emit = (port: ScriptedPort, i: number): void => {
    if (i >= chunks.length || !port.isOpen) return;
    port.send(chunks[i], 'latin1');
    setTimeout(() => emit(port, i + 1), 0);
  };
  const binding = scriptedBinding(PORT, {
    onOpen: () => {
      answered = false;
    },
    onWrite: (port) => {
      recording = port.recording();
      if (answered || !recording.toString('latin1').includes('covey walk-log\n')) return;
      answered = true;
      setTimeout(() => emit(port, 0), 0);
    },
  });
  return { binding, written: () => recording.toString('latin1') };
}

/** `covey walk <argv>` in-process, with the command added to a program set up as tools/cli.ts sets it up. */
async function walk(argv: string[], dependencies: WalkDependencies = {}, stdin = new Uint8Array(0)): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), readStdin: async () => stdin };
  const program = new Command('covey').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  addWalkCommand(program, { io, setExitCode: (value) => void (code = value) }, dependencies);
  const run = (async () => {
    try {
      await program.parseAsync(['walk', ...argv], { from: 'user' });
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
      code = error.exitCode;
    }
    return { code, stdout, stderr };
  })();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`covey walk ${argv.join(' ')} did not return within 20 s`)), 20_000);
  });
  return Promise.race([run, limit]).finally(() => clearTimeout(timer));
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'covey-walk-'));
});
afterEach(() => {
  MockBinding.reset();
  rmSync(dir, { recursive: true, force: true });
});

const readEntries = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as WalkEntry[];
const walkOf = (count: number, signer = mapper) => Array.from({ length: count }, (_, i) => walkReport(signer, i));
/** The same reports in the order 2, 0, 3, 1, …: the tool must sort them by counter. */
const shuffled = <T>(items: readonly T[]) => [...items.filter((_, i) => i % 2 === 0).reverse(), ...items.filter((_, i) => i % 2 === 1)];

describe('reading the walk log over the serial port', () => {
  test('sends the command, keeps every report, and writes the walk as JSON in counter order', async () => {
    const reports = walkOf(4);
    const device = fakeMapper(oddChunks(consoleText(answerLines(shuffled(reports)))));
    const out = join(dir, 'walks', 'walk.json');
    const run = await walk(['import', '--port', PORT, '--out', out], { binding: device.binding });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(device.written()).toBe('covey walk-log\n');
    const entries = readEntries(out);
    expect(entries.map((e) => e.counter)).toEqual([0, 1, 2, 3]);
    const uplink = reportedUplink(reports[2]);
    expect(entries[2]).toEqual({
      digest: toHex(beaconDigest(reports[2].frame)), mapper: hotspotAddress(mapper.publicKey), counter: 2,
      latE7: 523_810_000, lonE7: 48_990_000, altitudeM: 4, hdop: 1.1, satellites: uplink.satellites, timeMs: T0 + 60_000,
      frequencyHz: 868_100_000, dataRate: 5, txPowerDdbm: 140, report: toHex(encodeMapperReport(reports[2])),
    });
  });

  test('the summary gives the reports, the time span and the distance walked', async () => {
    const device = fakeMapper(oddChunks(consoleText(answerLines(walkOf(4)))));
    const run = await walk(['import', '--port', PORT], { binding: device.binding });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^read\s+4 report line\(s\) from \/dev\/ttyMAPPER0 \(4 other console line\(s\) ignored\)$/m);
    expect(run.stdout).toMatch(new RegExp(`^kept\\s+4 report\\(s\\) from 1 mapper: ${hotspotAddress(mapper.publicKey)}$`, 'm'));
    expect(run.stdout).toMatch(/^refused\s+0$/m);
    expect(run.stdout).toContain('2024-05-01T10:00:00.000Z to 2024-05-01T10:01:30.000Z (1 min 30 s)');
    // Three steps of 0.001° of latitude, 111.2 m each on h3-js's sphere.
    expect(run.stdout).toMatch(/^distance\s+334 m walked/m);
  });

  test('a forged report is refused and counted, and the others are kept', async () => {
    const reports = walkOf(4);
    const lines = answerLines([reports[0], reports[1], forgedReport(2), reports[3]]);
    const device = fakeMapper(oddChunks(consoleText(lines)));
    const out = join(dir, 'walk.json');
    const run = await walk(['import', '--port', PORT, '--out', out], { binding: device.binding });
    expect(run.code).toBe(1);
    const forgedLine = lines.indexOf(reportLine(forgedReport(2))) + 1;
    expectOneLineFailure(run, new RegExp(`^covey walk import: 1 of 4 report lines refused \\(line ${forgedLine}: bad report signature\\); the other 3 were kept`));
    expect(run.stdout).toMatch(/^refused\s+1$/m);
    expect(run.stdout).toContain(`line ${forgedLine}: bad report signature`);
    expect(readEntries(out).map((e) => e.counter)).toEqual([0, 1, 3]);
  });

  test('a count on the end line that does not match the lines read writes nothing', async () => {
    const device = fakeMapper(oddChunks(consoleText(answerLines(walkOf(3), 4))));
    const out = join(dir, 'walk.json');
    const run = await walk(['import', '--port', PORT, '--out', out], { binding: device.binding });
    expectOneLineFailure(run, /^covey walk import: the device counted 4 report\(s\) but 3 report line\(s\) arrived .*read the log again$/m);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  test('a device that stops answering times out and says how many lines arrived', async () => {
    const lines = answerLines(walkOf(3)).slice(0, 5);
    const device = fakeMapper(oddChunks(consoleText(lines)));
    const started = Date.now();
    const run = await walk(['import', '--port', PORT, '--timeout', '0.3'], { binding: device.binding });
    expectOneLineFailure(run, /^covey walk import: no covey-walk-end from \/dev\/ttyMAPPER0: 2 report line\(s\) arrived, then nothing within 0.3 s/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a device that never answers times out with no lines', async () => {
    const device = fakeMapper(['rst:0x1 (POWERON_RESET),boot:0x13\r\n']);
    const run = await walk(['import', '--port', PORT, '--timeout', '0.2'], { binding: device.binding });
    expectOneLineFailure(run, /0 report line\(s\) arrived, then nothing within 0.2 s of sending covey walk-log/);
  });

  test('a port that does not exist is one line saying so', async () => {
    const device = fakeMapper([]);
    const run = await walk(['import', '--port', '/dev/ttyNOPE'], { binding: device.binding });
    expectOneLineFailure(run, /^covey walk import: cannot open \/dev\/ttyNOPE: /);
  });
});

describe('reading a capture of the console', () => {
  test('--from gives the same walk as the port', async () => {
    const text = consoleText(answerLines(shuffled(walkOf(5))));
    const capture = join(dir, 'capture.txt');
    writeFileSync(capture, text);
    const fromFile = join(dir, 'from-file.json');
    const fromPort = join(dir, 'from-port.json');
    expect((await walk(['import', '--from', capture, '--out', fromFile])).code).toBe(0);
    const device = fakeMapper(oddChunks(text));
    expect((await walk(['import', '--port', PORT, '--out', fromPort], { binding: device.binding })).code).toBe(0);
    expect(readFileSync(fromFile, 'utf8')).toBe(readFileSync(fromPort, 'utf8'));
    expect(readEntries(fromFile)).toHaveLength(5);
  });

  test('--from - reads standard input', async () => {
    const text = consoleText(answerLines(walkOf(2)));
    const out = join(dir, 'walk.json');
    const run = await walk(['import', '--from', '-', '--out', out], {}, new TextEncoder().encode(text));
    expect(run.code).toBe(0);
    expect(readEntries(out)).toHaveLength(2);
  });

  test('a line damaged on the way is refused with its line number', async () => {
    const lines = answerLines(walkOf(3));
    const damaged = lines.indexOf(reportLine(walkReport(mapper, 1)));
    lines[damaged] = `${lines[damaged].slice(0, 100)}I (9) covey: gps${lines[damaged].slice(100)}`;
    writeFileSync(join(dir, 'capture.txt'), consoleText(lines));
    const run = await walk(['import', '--from', join(dir, 'capture.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`line ${damaged + 1}: not lower-case hex`);
    expect(run.stdout).toMatch(/^kept\s+2 report/m);
  });

  test('a capture without the end line is refused', async () => {
    writeFileSync(join(dir, 'capture.txt'), consoleText(answerLines(walkOf(2)).slice(0, 5)));
    const run = await walk(['import', '--from', join(dir, 'capture.txt')]);
    expectOneLineFailure(run, /capture\.txt: no covey-walk-end line: 2 report line\(s\)/);
  });

  test('--port and --from together, or neither, is a usage error', async () => {
    expectOneLineFailure(await walk(['import']), /^covey walk import: give --port <path> or --from <file>$/m);
    expectOneLineFailure(await walk(['import', '--port', PORT, '--from', 'x']), /give --port <path> or --from <file>/);
    expectOneLineFailure(await walk(['import', '--from', 'x', '--timeout', '0']), /^covey walk import: .*--timeout must be a number of seconds above 0/);
  });
});

describe('the walk log parser', () => {
  test('an end line with no count is an error, not an end', () => {
    const bytes = new TextEncoder().encode('covey-walk-end\n');
    expect(() => parseWalkLog(bytes)).toThrow(WalkLogError);
    expect(() => parseWalkLog(bytes)).toThrow(/line 1: "covey-walk-end" is not "covey-walk-end <count>"/);
  });

  test('an endless report line is kept cut short, to be refused', () => {
    const log = parseWalkLog(new TextEncoder().encode(`covey-walk ${'ab'.repeat(MAX_LINE_CHARS)}\ncovey-walk-end 1\n`));
    expect(log.reports).toHaveLength(1);
    expect(log.reports[0].hex.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(log.declaredCount).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------
// Uploading to an oracle

type Answer = (request: number, items: number) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

/** What the fake oracle saw: each batch's uploader and its items' counters. */
interface Seen {
  readonly uploader: string;
  readonly counters: number[];
}

/**
 * A stand-in for the oracle's POST /v1/receipts on 127.0.0.1: decodes each batch with proofs, checks
 * every item is a MapperReport signed by the batch's uploader, and answers an UploadAck (stored the
 * first time, duplicate after; the counter in `staleCounter` rejected as stale), unless `answer` says otherwise.
 */
class FakeOracle {
  readonly seen: Seen[] = [];
  /** Anything wrong with a request, for the test to assert on (an exception here would be lost). */
  readonly problems: string[] = [];
  private readonly stored = new Set<string>();
  private requests = 0;
  private server!: Server;
  url = '';

  constructor(private readonly answer: Answer = () => undefined, private readonly staleCounter = -1) {}

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      await this.receipts(request, response);
    } catch (error) {
      this.problems.push(String(error));
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'malformed', detail: String(error) }));
    }
  }

  private async receipts(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const where = `${request.method} ${request.url} ${request.headers['content-type']}`;
    if (where !== 'POST /v1/receipts application/cbor') throw new Error(`unexpected ${where}`);
    const batch = decodeUploadBatch(new Uint8Array(Buffer.concat(chunks)));
    const special = this.answer(++this.requests, batch.items.length);
    if (special !== undefined) {
      response.writeHead(special.status, { 'content-type': 'application/json', ...special.headers });
      response.end(JSON.stringify(special.body ?? {}));
      return;
    }
    const counters: number[] = [];
    const results = batch.items.map(({ id, item }): AckResult => {
      if (item?.kind !== 'mapper' || verifyBatchItem(batch.uploader, item, hostVerifier) !== Reason.none) {
        throw new Error('an item that is not a MapperReport signed by the uploader');
      }
      const counter = reportedUplink(item.report).counter;
      counters.push(counter);
      if (counter === this.staleCounter) return { id, status: AckStatus.Rejected, reason: Reason.stale };
      const known = this.stored.has(toHex(id));
      this.stored.add(toHex(id));
      return { id, status: known ? AckStatus.Duplicate : AckStatus.Stored, reason: Reason.none };
    });
    this.seen.push({ uploader: toHex(batch.uploader), counters });
    response.writeHead(200, { 'content-type': 'application/cbor' });
    response.end(encodeUploadAck({ results }));
  }
}

describe('uploading to the oracle', () => {
  let oracle: FakeOracle | undefined;
  afterEach(async () => {
    expect(oracle?.problems ?? []).toEqual([]);
    await oracle?.close();
    oracle = undefined;
  });

  async function startOracle(answer?: Answer, staleCounter?: number): Promise<FakeOracle> {
    oracle = new FakeOracle(answer, staleCounter);
    await oracle.start();
    return oracle;
  }

  function capture(reports: readonly MapperReport[]): string {
    const path = join(dir, 'capture.txt');
    writeFileSync(path, consoleText(answerLines(reports)));
    return path;
  }

  test('sends batches of at most 50, one series per mapper key, and prints what the oracle did', async () => {
    const server = await startOracle(undefined, 7);
    const reports = [...walkOf(120), ...walkOf(3, secondMapper)];
    const run = await walk(['import', '--from', capture(reports), '--oracle', server.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const first = toHex(mapper.publicKey);
    const second = toHex(secondMapper.publicKey);
    const batchesOf = (uploader: string) => server.seen.filter((b) => b.uploader === uploader).map((b) => b.counters);
    expect(batchesOf(first).map((counters) => counters.length)).toEqual([50, 50, 20]);
    expect(batchesOf(first).flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(batchesOf(second)).toEqual([[0, 1, 2]]);
    expect(server.seen).toHaveLength(4);
    expect(run.stdout).toContain(`uploaded  to ${server.url}: 122 stored, 0 duplicate, 1 rejected`);
    expect(run.stdout).toContain('rejected stale: 1');
  });

  test('uploading the same walk again answers duplicate', async () => {
    const server = await startOracle();
    const path = capture(walkOf(3));
    expect((await walk(['import', '--from', path, '--oracle', server.url])).code).toBe(0);
    const again = await walk(['import', '--from', path, '--oracle', `${server.url}/`]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 stored, 3 duplicate, 0 rejected');
  });

  test('a mapper the oracle does not know is reported as not onboarded', async () => {
    const server = await startOracle(() => ({ status: 403, body: { error: 'unknown_hotspot', detail: 'onboard the hotspot first' } }));
    const run = await walk(['import', '--from', capture(walkOf(3)), '--oracle', server.url]);
    expectOneLineFailure(run, new RegExp(
      `^covey walk import: mapper ${hotspotAddress(mapper.publicKey)} is not onboarded at ${server.url}.*onboards itself the first time it has a network`,
    ));
    expect(run.stdout).toContain('0 stored, 0 duplicate, 0 rejected');
  });

  test('429 is retried after the Retry-After the oracle gave, then the batch goes through', async () => {
    const server = await startOracle((request) => (request === 1
      ? { status: 429, headers: { 'retry-after': '2' }, body: { error: 'rate_limited', detail: 'too many uploads' } }
      : undefined));
    const waits: number[] = [];
    const run = await walk(['import', '--from', capture(walkOf(3)), '--oracle', server.url], { sleep: async (ms) => void waits.push(ms) });
    expect(run.code).toBe(0);
    expect(waits).toEqual([2000]);
    expect(run.stderr).toBe('covey walk import: the oracle answered 429 rate_limited: too many uploads; trying again in 2 s\n');
    expect(run.stdout).toContain('3 stored, 0 duplicate, 0 rejected');
  });

  test('an oracle that keeps failing is tried a bounded number of times', async () => {
    const server = await startOracle(() => ({ status: 503, headers: { 'retry-after': '99999' }, body: { error: 'unavailable' } }));
    const waits: number[] = [];
    const run = await walk(['import', '--from', capture(walkOf(3)), '--oracle', server.url], { sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([60_000, 60_000, 60_000]);
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n').pop()).toBe('covey walk import: the oracle refused a batch: 503 unavailable (4 tries)');
  });

  test('an oracle that is not there is one line saying so', async () => {
    const server = await startOracle();
    const url = server.url;
    await server.close();
    oracle = undefined;
    const run = await walk(['import', '--from', capture(walkOf(1)), '--oracle', url], { sleep: async () => undefined });
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n').pop()).toMatch(new RegExp(`^covey walk import: cannot reach ${url}/v1/receipts: .*ECONNREFUSED.*\\(4 tries\\)$`));
  });

  test('--oracle must be an http(s) URL, checked before anything is read', async () => {
    const run = await walk(['import', '--port', PORT, '--oracle', 'oracle.example']);
    expectOneLineFailure(run, /^covey walk import: --oracle: oracle.example is not an http:\/\/ or https:\/\/ URL$/m);
  });
});

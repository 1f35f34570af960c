/**
 * The walk log: `covey walk-log` answered from the receipt queue, one report per line, reading only;
 * pulled a line at a time (walkLogAnswer), each record read once, the queue free to change in between.
 */
import fc from 'fast-check';
import { encodeBatchItem } from '../../proofs/batch.js';
import { fromHex, toHex } from '../../proofs/bytes.js';
import { signBeacon } from '../../proofs/beacon.js';
import { signBeaconReport } from '../../proofs/beacon-report.js';
import { decodeMapperReport, signMapperReport, verifyMapperReport, type MapperReport } from '../../proofs/mapper-report.js';
import { signMapperUplink } from '../../proofs/mapper-uplink.js';
import { signWitnessReceipt } from '../../proofs/witness-receipt.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import type { Flash } from '../../src/ports.js';
import { ReceiptQueue } from '../../src/receipt-queue.js';
import { isMapperReport, prefixedHex, walkLogAnswer, walkLogResponder, WALK_LOG_COMMAND, type ConsoleAnswer } from '../../src/walk-log.js';
import { hostVerifier, signerFor } from '../support/keys.js';

const mapper = signerFor('walk mapper');
const T0 = Date.UTC(2026, 4, 9, 7, 30);

function mapperReport(counter: number): MapperReport {
  const frame = signMapperUplink(
    { mapper: mapper.publicKey, latE7: -338_688_000 + counter * 700, lonE7: 1_512_093_000, altitudeM: 12, hdopDeci: 9, satellites: 11, counter },
    mapper,
  ).frame;
  return signMapperReport({ frame, frequencyHz: 923_400_000, dataRate: 4, txPowerDdbm: 160, timeMs: T0 + counter * 50_000 }, mapper);
}

const witnessItem = (n: number) => encodeBatchItem({
  kind: 'witness',
  receipt: signWitnessReceipt(
    { beaconDigest: new Uint8Array(16).fill(n), rssiDdbm: -1100, snrDdb: -50, frequencyHz: 923_400_000, dataRate: 4, timeMs: T0 + n },
    mapper,
  ),
});

const beaconItem = () => {
  const frame = signBeacon({ beaconer: mapper.publicKey, entropyEpoch: 1, entropyTag: new Uint8Array(4), nonce: new Uint8Array(4) }, mapper).frame;
  return encodeBatchItem({ kind: 'beacon', report: signBeaconReport({ frame, frequencyHz: 923_400_000, dataRate: 4, txPowerDdbm: 160, timeMs: T0 }, mapper) });
};

/** A flash that logs each read, so a test can see the walk read one record at a time. */
function watchedFlash(inner: Flash, events: string[]): Flash {
  return {
    size: inner.size,
    sectorSize: inner.sectorSize,
    read: (offset, length) => {
      events.push(`read ${length}`);
      return inner.read(offset, length);
    },
    program: (offset, bytes) => inner.program(offset, bytes),
    erase: (sector) => inner.erase(sector),
  };
}

/** A queue holding, oldest first: report 0, a receipt, report 1, a beacon report, report 2, a receipt. */
function queueWithWalk() {
  const events: string[] = [];
  const flash = watchedFlash(new SimFlash({ size: 4 * 4096 }), events);
  const queue = new ReceiptQueue(flash);
  const reports = [0, 1, 2].map(mapperReport);
  for (const bytes of [encodeBatchItem({ kind: 'mapper', report: reports[0] }), witnessItem(1),
    encodeBatchItem({ kind: 'mapper', report: reports[1] }), beaconItem(),
    encodeBatchItem({ kind: 'mapper', report: reports[2] }), witnessItem(2)]) {
    queue.append(bytes);
  }
  return { queue, reports, events };
}

const lineOf = (report: MapperReport) => `covey-walk ${toHex(encodeBatchItem({ kind: 'mapper', report }))}`;

/** Every line `answer` gives, to its end. */
function pullAll(answer: ConsoleAnswer): string[] {
  const lines: string[] = [];
  for (let line = answer.next(); line !== undefined; line = answer.next()) lines.push(line);
  return lines;
}

function ask(line: string, responder: ReturnType<typeof walkLogResponder>) {
  const lines: string[] = [];
  const answered = responder(line, (l) => lines.push(l));
  return { answered, lines };
}

describe('walk log', () => {
  test('answers `covey walk-log` with one line per queued MapperReport, oldest first, then the count', () => {
    const { queue, reports } = queueWithWalk();
    const { answered, lines } = ask(WALK_LOG_COMMAND, walkLogResponder(queue));
    expect(answered).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('covey-walk-end 3');
    lines.slice(0, 3).forEach((line, i) => {
      expect(line).toMatch(/^covey-walk [0-9a-f]+$/);
      expect(line.slice('covey-walk '.length)).toBe(toHex(encodeBatchItem({ kind: 'mapper', report: reports[i] })));
    });
  });

  test('each line decodes back to the queued report, whose signature verifies', () => {
    const { queue, reports } = queueWithWalk();
    const { lines } = ask('covey walk-log', walkLogResponder(queue));
    const decoded = lines.slice(0, -1).map((line) => decodeMapperReport(fromHex(line.split(' ')[1])));
    expect(decoded).toEqual(reports);
    expect(decoded.every((r) => verifyMapperReport(r, hostVerifier))).toBe(true);
    expect(decoded.map((r) => r.timeMs - T0)).toEqual([0, 50_000, 100_000]);
  });

  test('deletes nothing: the queue keeps every record and answers the same again', () => {
    const { queue } = queueWithWalk();
    const responder = walkLogResponder(queue);
    const first = ask('covey walk-log', responder).lines;
    expect(queue.size).toBe(6);
    expect(queue.peek(6).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ask('covey walk-log', responder).lines).toEqual(first);
  });

  test('reads one record and writes its line before reading the next', () => {
    const { queue, events } = queueWithWalk();
    events.length = 0;
    walkLogResponder(queue)('covey walk-log', (line) => events.push(line.startsWith('covey-walk ') ? 'line' : line));
    const payloadReads = events.filter((e) => e.startsWith('read ') && Number(e.slice(5)) > 16);
    expect(payloadReads).toHaveLength(6); // one read of each record, none of them twice
    // No read is bigger than one record: the largest item here is a 201-byte MapperReport plus its 16-byte header.
    expect(Math.max(...payloadReads.map((e) => Number(e.slice(5))))).toBe(217);
    const order = events.filter((e) => !e.startsWith('read ') || Number(e.slice(5)) > 16).map((e) => (e.startsWith('read') ? 'r' : e));
    expect(order.join(' ')).toBe('r line r r line r r line r covey-walk-end 3');
  });

  test('answers an empty queue, or one without reports, with a count of 0', () => {
    const empty = new ReceiptQueue(new SimFlash({ size: 2 * 4096 }));
    expect(ask('covey walk-log', walkLogResponder(empty)).lines).toEqual(['covey-walk-end 0']);
    empty.append(witnessItem(9));
    expect(ask('covey walk-log', walkLogResponder(empty)).lines).toEqual(['covey-walk-end 0']);
  });

  test('leaves out reports the oracle has acknowledged', () => {
    const { queue, reports } = queueWithWalk();
    queue.remove([1, 2]);
    const { lines } = ask('covey walk-log', walkLogResponder(queue));
    expect(lines.map((l) => l.split(' ')[1])).toEqual([
      toHex(encodeBatchItem({ kind: 'mapper', report: reports[1] })), toHex(encodeBatchItem({ kind: 'mapper', report: reports[2] })), '2',
    ]);
  });

  test.each(['covey walk-log\r', '  covey   walk-log  ', 'covey walk-log\n'])('takes the command with spacing and a line ending: %j', (line) => {
    const { queue } = queueWithWalk();
    expect(ask(line, walkLogResponder(queue)).lines).toHaveLength(4);
  });

  test.each(['', 'covey', 'covey walk', 'covey walk-logs', 'covey walk-log now', 'COVEY WALK-LOG', 'status', 'covey-walk-end 3'])(
    'ignores the line %j: no answer at all',
    (line) => {
      const { queue } = queueWithWalk();
      expect(ask(line, walkLogResponder(queue))).toEqual({ answered: false, lines: [] });
    },
  );

  test('tells MapperReports from the other batch items by their first three bytes', () => {
    expect(isMapperReport(encodeBatchItem({ kind: 'mapper', report: mapperReport(0) }))).toBe(true);
    expect(isMapperReport(witnessItem(0))).toBe(false);
    expect(isMapperReport(beaconItem())).toBe(false);
    expect(isMapperReport(Uint8Array.of(0x88, 9, 1))).toBe(false);
    expect(isMapperReport(Uint8Array.of(0x88, 9, 2, 0))).toBe(false);
  });
});

describe('walk log, pulled a line at a time', () => {
  test('gives the same lines as the whole answer, then undefined, and again undefined', () => {
    const { queue, reports } = queueWithWalk();
    const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
    expect(pullAll(answer)).toEqual([...reports.map(lineOf), 'covey-walk-end 3']);
    expect(answer.next()).toBeUndefined();
    expect(ask('covey walk-log', walkLogResponder(queue)).lines).toEqual([...reports.map(lineOf), 'covey-walk-end 3']);
  });

  test.each(['', 'covey walk', 'status', 'covey-walk-end 3'])('is undefined for the line %j, and reads nothing', (line) => {
    const { queue, events } = queueWithWalk();
    events.length = 0;
    expect(walkLogAnswer(queue, line)).toBeUndefined();
    expect(events).toEqual([]);
  });

  test('reads nothing until the first next(), then only up to the report each line needs', () => {
    const { queue, events } = queueWithWalk();
    events.length = 0;
    const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
    expect(events).toEqual([]);
    const recordReads = () => events.filter((e) => Number(e.slice(5)) > 16).length;
    answer.next();
    expect(recordReads()).toBe(1); // report 0
    answer.next();
    expect(recordReads()).toBe(3); // the receipt after it, then report 1
    pullAll(answer);
    expect(recordReads()).toBe(6); // each record once
  });

  test('a report appended before its turn is included; one acknowledged before its turn is left out; the count follows', () => {
    const { queue, reports } = queueWithWalk();
    const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
    const first = answer.next();
    queue.remove([1, 5]); // report 0, already given, and report 2, not yet
    const late = mapperReport(3);
    queue.append(encodeBatchItem({ kind: 'mapper', report: late }));
    expect([first, ...pullAll(answer)]).toEqual([lineOf(reports[0]), lineOf(reports[1]), lineOf(late), 'covey-walk-end 3']);
  });

  test('goes on after the last record it read even when the ring wrapped under it', () => {
    const queue = new ReceiptQueue(new SimFlash({ size: 2 * 4096 }));
    const items = Array.from({ length: 50 }, (_, i) => encodeBatchItem({ kind: 'mapper', report: mapperReport(i) }));
    for (const item of items.slice(0, 10)) queue.append(item);
    const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
    const lines = [answer.next(), answer.next()];
    for (const item of items.slice(10)) queue.append(item); // the first sector is erased and its reports dropped
    lines.push(...pullAll(answer));
    const kept = queue.peek(queue.size);
    expect(queue.stats.droppedOldest).toBeGreaterThan(0);
    expect(lines.slice(2, -1)).toEqual(kept.map((r) => `covey-walk ${toHex(r.bytes)}`));
    expect(lines.at(-1)).toBe(`covey-walk-end ${lines.length - 1}`);
  });

  test('a next() that fails on a flash read can be called again and carries on from the same place', () => {
    const failing = { on: false };
    const events: string[] = [];
    const inner = watchedFlash(new SimFlash({ size: 4 * 4096 }), events);
    const flash: Flash = { ...inner, read: (offset, length) => {
      if (failing.on && length > 16) throw new Error('flash read failed');
      return inner.read(offset, length);
    } };
    const queue = new ReceiptQueue(flash);
    const reports = [0, 1, 2].map(mapperReport);
    for (const report of reports) queue.append(encodeBatchItem({ kind: 'mapper', report }));
    const answer = walkLogAnswer(queue, 'covey walk-log') as ConsoleAnswer;
    expect(answer.next()).toBe(lineOf(reports[0]));
    failing.on = true;
    expect(() => answer.next()).toThrow('flash read failed');
    failing.on = false;
    expect(pullAll(answer)).toEqual([lineOf(reports[1]), lineOf(reports[2]), 'covey-walk-end 3']);
  });
});

describe('the hex of a walk line', () => {
  test('is the prefix and then the lowercase hex of every byte, for any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 12 }), (bytes, prefix) => {
      expect(prefixedHex(prefix, bytes)).toBe(prefix + toHex(bytes));
    }));
  });

  test('covers each piece boundary: 0, 15, 16, 17, 32 and 201 bytes', () => {
    for (const length of [0, 15, 16, 17, 32, 201]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97 + 13) & 0xff);
      expect(prefixedHex('covey-walk ', bytes)).toBe(`covey-walk ${toHex(bytes)}`);
    }
  });
});

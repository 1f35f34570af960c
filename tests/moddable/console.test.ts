/**
 * The serial console (hal/moddable/console.ts) on a fake UART with the ESP32's 128-byte FIFO
 * (./fake-uart.ts): lines in, answers pulled a line at a time and written out, whole and in order, however
 * slowly the wire drains, with the console's memory bounded by its ring and each queued record read once;
 * the walk log read back by the host's own parser (tools/walk/walk-log.ts), as `covey walk import` reads it.
 */
import { boardById } from '../../hal/boards/index.js';
import { CONSOLE_BAUD, DEFAULT_OUTPUT_BYTES, LOG_RESERVE_BYTES, openConsole, type ConsoleAnswerOpener, type SerialConsole } from '../../hal/moddable/console.js';
import { SimFlash } from '../../host-sim/ports/flash.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { encodeBatchItem } from '../../proofs/batch.js';
import { toHex } from '../../proofs/bytes.js';
import { signMapperReport } from '../../proofs/mapper-report.js';
import { signMapperUplink } from '../../proofs/mapper-uplink.js';
import { ReceiptQueue } from '../../src/receipt-queue.js';
import type { Flash } from '../../src/ports.js';
import { walkLogAnswer, type ConsoleAnswer } from '../../src/walk-log.js';
import { parseWalkLog } from '../../tools/walk/walk-log.js';
import { signerFor } from '../support/keys.js';
import { fakeSerialClass, FIFO_BYTES, type FakeUart } from './fake-uart.js';

const mapper = signerFor('console mapper');
const T0 = Date.UTC(2026, 4, 9, 7, 30);

/** A queued MapperReport's bytes, as the mapper stores it (201 bytes: a 414-character walk-log line). */
function reportItem(counter: number): Uint8Array {
  const { frame } = signMapperUplink(
    { mapper: mapper.publicKey, latE7: 525_000_000 + counter * 700, lonE7: 133_000_000, altitudeM: 34, hdopDeci: 9, satellites: 10, counter },
    mapper,
  );
  const report = signMapperReport({ frame, frequencyHz: 869_525_000, dataRate: 0, txPowerDdbm: 200, timeMs: T0 + counter * 47_000 }, mapper);
  return encodeBatchItem({ kind: 'mapper', report });
}

/** A queue of `reports` MapperReports, and a count of the record reads (not header reads) made on its flash since. */
function queueOf(reports: number): { queue: ReceiptQueue; items: Uint8Array[]; recordReads: () => number } {
  const sim = new SimFlash({ size: 32 * 4096 });
  let recordReads = 0;
  const flash: Flash = {
    size: sim.size,
    sectorSize: sim.sectorSize,
    read: (offset, length) => {
      if (length > 16) recordReads++; // a record header is 16 bytes
      return sim.read(offset, length);
    },
    program: (offset, bytes) => sim.program(offset, bytes),
    erase: (sector) => sim.erase(sector),
  };
  const queue = new ReceiptQueue(flash);
  const items = Array.from({ length: reports }, (_, i) => reportItem(i));
  for (const item of items) queue.append(item);
  recordReads = 0;
  return { queue, items, recordReads: () => recordReads };
}

/** The console's opener for the walk log over `queue`, as hotspot.openConsoleAnswer does it. */
const walkLogOf = (queue: ReceiptQueue): ConsoleAnswerOpener => (line) => walkLogAnswer(queue, line);

/** An answer giving `lines`, then `fail` thrown if given. */
function answerOf(lines: readonly string[], fail?: Error): ConsoleAnswer {
  let next = 0;
  return {
    next() {
      if (next < lines.length) return lines[next++];
      if (fail !== undefined) throw fail;
      return undefined;
    },
  };
}

interface Rig {
  readonly clock: VirtualClock;
  readonly serialConsole: SerialConsole;
  readonly uart: FakeUart;
  /** The most bytes the console held waiting, sampled every millisecond by run(). */
  maxPending: number;
  run(ms: number): void;
}

function rig(openAnswer: ConsoleAnswerOpener, options: { bytesPerMs?: number; board?: string; outputBytes?: number } = {}): Rig {
  const clock = new VirtualClock();
  const { Serial, opened } = fakeSerialClass({ clock, bytesPerMs: options.bytesPerMs });
  const serialConsole = openConsole(boardById(options.board ?? 'heltec_v2'), Serial, openAnswer, { outputBytes: options.outputBytes });
  const result: Rig = {
    clock, serialConsole, uart: opened[0], maxPending: 0,
    run(ms) {
      for (let i = 0; i < ms; i++) {
        clock.advance(1);
        result.maxPending = Math.max(result.maxPending, serialConsole.pendingBytes);
      }
    },
  };
  return result;
}

/** Answers `ping` with `pong`; records every line it is handed. */
function pingAnswers(seen: string[] = []): ConsoleAnswerOpener {
  return (line) => {
    seen.push(line);
    return line === 'ping' ? answerOf(['pong']) : undefined;
  };
}

describe('opening', () => {
  test('port 0 on the ESP32\'s console pins (TX GPIO1, RX GPIO3) at 115,200 baud, format "buffer"', () => {
    const { uart, serialConsole } = rig(pingAnswers());
    expect(uart.options).toMatchObject({ port: 0, transmit: 1, receive: 3, baud: CONSOLE_BAUD, format: 'buffer' });
    expect(serialConsole.port).toBe(0);
  });

  test('the ESP32-S3\'s console pins are GPIO43 and GPIO44', () => {
    expect(rig(pingAnswers(), { board: 'heltec_v3' }).uart.options).toMatchObject({ port: 0, transmit: 43, receive: 44 });
  });

  test('where port 0 is refused, another UART on the same pins; never the board\'s GPS UART', () => {
    const clock = new VirtualClock();
    const { Serial, opened } = fakeSerialClass({ clock, refusedPorts: [0] });
    expect(openConsole(boardById('heltec_v2'), Serial, pingAnswers()).port).toBe(1);
    expect(openConsole(boardById('tbeam_v1'), Serial, pingAnswers()).port).toBe(2);
    expect(opened.map((uart) => uart.options.transmit)).toEqual([1, 1]);
  });

  test('when every port is refused, the error names each refusal', () => {
    const { Serial } = fakeSerialClass({ clock: new VirtualClock(), refusedPorts: [0, 1] });
    expect(() => openConsole(boardById('heltec_v2'), Serial, pingAnswers())).toThrow('port 0: port in use; port 1: port in use');
  });
});

describe('reading lines', () => {
  test('a command split across chunks is answered once', () => {
    const seen: string[] = [];
    const { uart, run } = rig(pingAnswers(seen));
    uart.type('ping\r\n', [1, 2, 1, 2]);
    run(20);
    expect(seen).toEqual(['ping']);
    expect(uart.text).toBe('pong\n');
  });

  test('LF, CR and CR LF all end a line; blank lines are not handed on', () => {
    const seen: string[] = [];
    const { uart, run } = rig(pingAnswers(seen));
    uart.type('ping\n\r\nping\rping\r\n');
    run(20);
    expect(seen).toEqual(['ping', 'ping', 'ping']);
    expect(uart.lines).toEqual(['pong', 'pong', 'pong']);
  });

  test('unrelated lines get no answer and are counted', () => {
    const { uart, run, serialConsole } = rig(pingAnswers());
    uart.type('hello\nAT+GMR\n');
    run(20);
    expect(uart.wire).toEqual([]);
    expect(serialConsole.stats).toMatchObject({ lines: 2, ignored: 2, answered: 0 });
  });

  test('an over-long line is dropped and counted, and the next line is answered', () => {
    const seen: string[] = [];
    const { uart, run, serialConsole } = rig(pingAnswers(seen));
    uart.type(`${'z'.repeat(500)}ping\nping\n`, [64]);
    run(20);
    expect(seen).toEqual(['ping']);
    expect(serialConsole.stats.overlong).toBe(1);
    expect(uart.lines).toEqual(['pong']);
  });

  test('after close() nothing is read or written, and close() may be called again', () => {
    const seen: string[] = [];
    const { uart, run, serialConsole } = rig(pingAnswers(seen));
    serialConsole.close();
    serialConsole.close();
    uart.type('ping\n');
    serialConsole.log('info late');
    run(20);
    expect(seen).toEqual([]);
    expect(uart.wire).toEqual([]);
    expect(uart.closed).toBe(true);
  });
});

describe('the walk log through the console', () => {
  test('300 reports over a slow wire arrive complete and in order, with the console\'s memory bounded', () => {
    const { queue, items } = queueOf(300);
    const r = rig(walkLogOf(queue), { bytesPerMs: 2 });
    r.uart.type('covey walk-log\n');
    r.run(70_000);
    const log = parseWalkLog(Uint8Array.from(r.uart.wire));
    expect(log.declaredCount).toBe(300);
    expect(log.reports.map((line) => line.hex)).toEqual(items.map(toHex));
    expect(log.ignoredLines).toBe(0);
    expect(r.maxPending).toBeLessThanOrEqual(DEFAULT_OUTPUT_BYTES);
    // The FIFO was never offered more than it had room for, nor a piece larger than itself.
    expect(r.uart.refusals).toBe(0);
    expect(Math.max(...r.uart.writes)).toBeLessThanOrEqual(FIFO_BYTES);
    expect(r.serialConsole.stats).toMatchObject({ answered: 1, cutShort: 0, answerLines: 301 });
    expect(queue.size).toBe(300);
  });

  test('each queued report is read from flash once, only as the ring makes room for its line', () => {
    const { queue, recordReads } = queueOf(60);
    const r = rig(walkLogOf(queue), { bytesPerMs: 2 });
    r.uart.type('covey walk-log\n');
    // Read ahead of the wire: the lines in the ring's answer space, one leaving it, one held for room.
    const ahead = Math.floor((DEFAULT_OUTPUT_BYTES - LOG_RESERVE_BYTES) / 415) + 2;
    for (let t = 0; t < 40; t++) {
      r.run(500);
      expect(recordReads() - r.uart.lines.length).toBeLessThanOrEqual(ahead);
    }
    expect(r.uart.lines.at(-1)).toBe('covey-walk-end 60');
    expect(recordReads()).toBe(60);
  });

  test('log lines written during an answer come out whole, between answer lines', () => {
    const { queue } = queueOf(40);
    const r = rig(walkLogOf(queue), { bytesPerMs: 3 });
    r.uart.type('covey walk-log\n');
    for (let i = 0; i < 20; i++) {
      r.run(200);
      r.serialConsole.log(`info status n=${i}\n`);
    }
    r.run(10_000);
    const lines = r.uart.lines;
    expect(lines.filter((line) => line.startsWith('info status'))).toHaveLength(20);
    expect(lines.every((line) => /^covey-walk [0-9a-f]{402}$/.test(line) || /^covey-walk-end 40$/.test(line) || /^info status n=\d+$/.test(line))).toBe(true);
    expect(parseWalkLog(Uint8Array.from(r.uart.wire))).toMatchObject({ declaredCount: 40, ignoredLines: 20 });
  });

  test('reports appended while the answer is written are part of it, and counted', () => {
    const { queue, items } = queueOf(30);
    const r = rig(walkLogOf(queue), { bytesPerMs: 2 });
    r.uart.type('covey walk-log\n');
    r.run(1000);
    const late = [reportItem(1000), reportItem(1001)];
    for (const item of late) queue.append(item);
    r.run(20_000);
    const log = parseWalkLog(Uint8Array.from(r.uart.wire));
    expect(log.declaredCount).toBe(32);
    expect(log.reports.map((line) => line.hex)).toEqual([...items, ...late].map(toHex));
  });

  test('reports acknowledged mid-answer: those sent stay sent, those not yet sent are left out, and the count matches', () => {
    const { queue, items } = queueOf(30);
    const r = rig(walkLogOf(queue), { bytesPerMs: 2 });
    r.uart.type('covey walk-log\n');
    r.run(1000);
    const sent = r.uart.lines.length;
    expect(sent).toBeGreaterThan(3);
    queue.remove([1, 2, 3, 25, 26, 27]); // the uploader's acknowledgements: three sent, three still to come
    r.run(20_000);
    const log = parseWalkLog(Uint8Array.from(r.uart.wire));
    const expected = items.filter((_, i) => i < 24 || i > 26);
    expect(log.declaredCount).toBe(27);
    expect(log.reports.map((line) => line.hex)).toEqual(expected.map(toHex));
    expect(r.serialConsole.stats).toMatchObject({ answered: 1, cutShort: 0, answerLines: 28 });
  });

  test('a command during an answer is not answered; one after it is', () => {
    const { queue } = queueOf(20);
    const r = rig(walkLogOf(queue), { bytesPerMs: 4 });
    r.uart.type('covey walk-log\n');
    r.run(100);
    r.uart.type('covey walk-log\n');
    r.run(10_000);
    expect(r.serialConsole.stats).toMatchObject({ busy: 1, answered: 1 });
    r.uart.type('covey walk-log\n');
    r.run(10_000);
    expect(r.uart.lines.filter((line) => line.startsWith('covey-walk-end '))).toEqual(['covey-walk-end 20', 'covey-walk-end 20']);
  });

  test('an answer that throws ends there, with a warning', () => {
    const r = rig(() => answerOf(['first'], new Error('flash read failed')));
    r.uart.type('anything\n');
    r.run(100);
    expect(r.uart.lines).toEqual(['first', 'warn console answer cut short reason="the answer failed: flash read failed"']);
    expect(r.serialConsole.stats).toMatchObject({ answered: 0, cutShort: 1, answerLines: 1 });
    expect(r.serialConsole.answering).toBe(false);
  });

  test('an opener that throws gets the same warning, and the next line is answered', () => {
    const r = rig((line) => {
      if (line === 'ping') return answerOf(['pong']);
      throw new Error('not now');
    });
    r.uart.type('anything\nping\n');
    r.run(100);
    expect(r.uart.lines).toEqual(['warn console answer cut short reason="the answer failed: not now"', 'pong']);
  });

  test('an answer line longer than the ring\'s answer space ends the answer, with a warning', () => {
    const r = rig(() => answerOf(['short', 'x'.repeat(700), 'never']), { outputBytes: 1100 });
    r.uart.type('anything\n');
    r.run(1000);
    expect(r.uart.lines).toEqual(['short', 'warn console answer cut short reason="an answer line does not fit in the console\'s 588-byte buffer"']);
    expect(r.serialConsole.answering).toBe(false);
  });
});

describe('log lines', () => {
  test('a full ring drops log lines, counts them, and says so once there is room', () => {
    const r = rig(pingAnswers(), { bytesPerMs: 1, outputBytes: 1200 });
    for (let i = 0; i < 40; i++) r.serialConsole.log(`info filler ${String(i).padStart(2, '0')} ${'.'.repeat(40)}`);
    r.run(5000);
    const dropped = r.serialConsole.stats.logLinesDropped;
    expect(dropped).toBeGreaterThan(0);
    expect(r.uart.lines.filter((line) => line.startsWith('info filler'))).toHaveLength(40 - dropped);
    expect(r.uart.lines).toContain(`warn console output full, log lines dropped count=${dropped}`);
  });

  test('a log line keeps its UTF-8', () => {
    const r = rig(pingAnswers());
    r.serialConsole.log('info joined ssid=Café\n');
    r.run(20);
    expect(r.uart.text).toBe('info joined ssid=Café\n');
  });
});

/** The level filter and the key=value line format. */
import { filterLog, formatFields, formatLogLine, REDACTED } from '../../src/log.js';
import type { Log } from '../../src/ports.js';
import { memoryLog } from '../support/test-ports.js';

describe('filterLog', () => {
  test('passes messages at the level and above, drops the rest', () => {
    const sink = memoryLog();
    const log: Log = filterLog(sink, 'warn');
    log.write('error', 'e');
    log.write('warn', 'w');
    log.write('info', 'i');
    log.write('debug', 'd');
    expect(sink.lines.map((l) => l.message)).toEqual(['e', 'w']);
  });

  test('writes everything at debug', () => {
    const sink = memoryLog();
    const log = filterLog(sink, 'debug');
    for (const level of ['error', 'warn', 'info', 'debug'] as const) log.write(level, level);
    expect(sink.lines).toHaveLength(4);
  });

  test('redacts fields named like secrets', () => {
    const sink = memoryLog();
    filterLog(sink, 'info').write('info', 'joined', { ssid: 'home', password: 'hunter22' });
    expect(sink.lines[0].fields).toEqual({ ssid: 'home', password: REDACTED });
  });

  test('refuses an unknown level', () => {
    expect(() => filterLog(memoryLog(), 'trace' as never)).toThrow(RangeError);
  });
});

describe('formatFields', () => {
  test('prints key=value in order, quoting only values that need it', () => {
    expect(formatFields({ up: '4h05m', beacons: 3, clock: 'ok', detail: 'two words', empty: '', ok: true })).toBe(
      'up=4h05m beacons=3 clock=ok detail="two words" empty="" ok=true',
    );
  });

  test('escapes quotes and equals signs inside values', () => {
    expect(formatFields({ error: 'a="b"' })).toBe('error="a=\\"b\\""');
  });

  test('formats a whole line with its level', () => {
    expect(formatLogLine('info', 'status', { up: '45s' })).toBe('info status up=45s');
    expect(formatLogLine('warn', 'no fields')).toBe('warn no fields');
  });
});

/** TraceLog: one console line per event through `trace`, in src/log.ts's format, newline-terminated. */
import { TraceLog } from '../../hal/moddable/trace-log.js';
import { filterLog } from '../../src/log.js';

function setUp() {
  const written: string[] = [];
  return { written, log: new TraceLog((text) => written.push(text)) };
}

test('writes one newline-terminated line per event, fields as key=value', () => {
  const { written, log } = setUp();
  log.write('info', 'Wi-Fi online', { ssid: 'home', attempt: 2, ok: true });
  expect(written).toEqual(['info Wi-Fi online ssid=home attempt=2 ok=true\n']);
});

test('a line break in a message or a value cannot start a forged line', () => {
  const { written, log } = setUp();
  log.write('warn', 'first\nerror forged', { reason: 'a\r\nb' });
  expect(written).toHaveLength(1);
  expect(written[0].split('\n')).toEqual([expect.stringMatching(/^warn first error forged reason=/), '']);
});

test('behind filterLog, secrets are redacted before they reach the console', () => {
  const { written, log } = setUp();
  filterLog(log, 'info').write('info', 'joined', { ssid: 'home', password: 'hunter22' });
  expect(written[0]).not.toContain('hunter22');
});

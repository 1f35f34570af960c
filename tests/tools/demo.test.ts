/** The demo `npm start` runs: a real round of the protocol that must pass every check it prints. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runDemo } from '../../tools/demo.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function demo(seed?: number): { code: number; text: string } {
  const lines: string[] = [];
  const code = runDemo(seed === undefined ? {} : { seed }, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

test('passes every check and exits 0', () => {
  const { code, text } = demo();
  expect(code).toBe(0);
  expect(text).not.toContain('FAILED');
  expect(text).toMatch(/summary: .*all \d+ checks passed/);
});

test('prints the size of every message', () => {
  const { text } = demo(1);
  expect(text).toMatch(/Entropy \(oracle-signed\)\s+\d+ bytes/);
  expect(text).toMatch(/Beacon frame, on air\s+109 bytes/);
  expect(text).toMatch(/BeaconReport\s+\d+ bytes/);
  expect(text).toMatch(/WitnessReceipt \(as in a batch\)\s+\d+ bytes/);
  expect(text).toMatch(/UploadBatch, 1 receipt\s+\d+ bytes/);
  expect(text).toMatch(/UploadBatch, 1 beacon report\s+\d+ bytes/);
  expect(text).toMatch(/UploadAck, 1 result\s+\d+ bytes/);
});

test('with --seed, the same output every run', () => {
  expect(demo(42).text).toBe(demo(42).text);
  expect(demo(42).text).not.toBe(demo(43).text);
});

test('runs as `npm start` does, as a script, exiting 0', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/demo.ts', '--seed', '3'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/summary: .*all \d+ checks passed/);
});

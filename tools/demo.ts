/**
 * `npm start`: one round of covey's protocol, end to end, printed step by step (tools/demo-scenario.ts
 * plays it). Fresh random keys each run; `--seed <n>` makes keys, nonces and the clock reproducible;
 * `--out <dir>` writes every message to a file for `covey inspect`. Exits 1 if any check fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { asciiBytes, hotspotAddress, sha256, shortName, toHex } from '../proofs/index.js';
import { exitQuietlyOnBrokenPipe, isMainModule } from './entry.js';
import { playScenario, type DemoRandom, type ScenarioResult } from './demo-scenario.js';

export interface DemoOptions {
  /** Derive everything from this number instead of the OS's randomness and clock. */
  readonly seed?: number;
  /** A directory to write the encoded messages to. */
  readonly out?: string;
}

/** A fixed clock for seeded runs: 2026-03-01 12:00:07.250 UTC. */
const SEEDED_NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 7, 250);

const SIZE_ROWS: readonly (readonly [string, string])[] = [
  ['entropy.cbor', 'Entropy (oracle-signed)'],
  ['beacon.bin', 'Beacon frame, on air'],
  ['beacon-report.cbor', 'BeaconReport'],
  ['witness-receipt.cbor', 'WitnessReceipt (as in a batch)'],
  ['upload-batch-b.cbor', 'UploadBatch, 1 receipt'],
  ['upload-batch-a.cbor', 'UploadBatch, 1 beacon report'],
  ['upload-ack.cbor', 'UploadAck, 1 result'],
];

/** Runs the demo, printing with `print`; returns the exit code. */
export function runDemo(options: DemoOptions, print: (line: string) => void): number {
  const seeded = options.seed !== undefined;
  const random: DemoRandom = seeded
    ? (label, length) => sha256(asciiBytes(`covey demo ${options.seed} ${label}`)).slice(0, length)
    : (_label, length) => new Uint8Array(randomBytes(length));
  const result = playScenario(random, seeded ? SEEDED_NOW_MS : Date.now());

  print('covey demo: one beacon, heard once, carried to the oracle');
  print(seeded ? `(seed ${options.seed}: the same output every run)` : '(fresh keys; --seed <n> for a repeatable run)');
  printIdentities(result, print);
  const failed = printSteps(result, print);
  printSizes(result.messages, print);
  if (options.out !== undefined) writeMessages(options.out, result, print);

  const checks = result.steps.reduce((n, step) => n + step.checks.length, 0);
  print('');
  if (failed > 0) {
    print(`summary: ${failed} of ${checks} checks FAILED`);
    return 1;
  }
  print(
    `summary: ${result.messages.size} messages made, encoded, decoded and verified; all ${checks} checks passed, ` +
      'and the host and device verifiers agreed on every signature.',
  );
  return 0;
}

function printIdentities(result: ScenarioResult, print: (line: string) => void): void {
  print('');
  print('identities (an ed25519 public key is the id)');
  const who = (label: string, key: Uint8Array, role: string) =>
    print(`  ${label.padEnd(10)} ${shortName(key)}  ${hotspotAddress(key)}  ${role}`);
  who('oracle', result.oracle, 'publishes entropy, stores receipts');
  who('hotspot A', result.hotspotA, 'beacons');
  who('hotspot B', result.hotspotB, 'witnesses');
}

/** Prints each step with its checks; returns how many checks failed. */
function printSteps(result: ScenarioResult, print: (line: string) => void): number {
  let failed = 0;
  result.steps.forEach((step, i) => {
    print('');
    print(`${i + 1}. ${step.title}`);
    for (const check of step.checks) {
      print(`   ${check.ok ? '✓' : '✗ FAILED:'} ${check.label}`);
      if (!check.ok) failed++;
    }
  });
  return failed;
}

function printSizes(messages: ReadonlyMap<string, Uint8Array>, print: (line: string) => void): void {
  const size = (file: string) => messages.get(file)?.length ?? 0;
  print('');
  print('sizes');
  for (const [file, label] of SIZE_ROWS) print(`  ${label.padEnd(32)} ${String(size(file)).padStart(4)} bytes`);
  const overhead = size('upload-batch-b.cbor') - size('witness-receipt.cbor');
  print(`  (the one-receipt batch costs ${overhead} bytes beyond its receipt: header and the 32-byte key)`);
}

function writeMessages(dir: string, result: ScenarioResult, print: (line: string) => void): void {
  mkdirSync(dir, { recursive: true });
  for (const [file, bytes] of result.messages) writeFileSync(join(dir, file), bytes);
  print('');
  print(`wrote ${result.messages.size} messages to ${dir}; look inside them with, e.g.:`);
  print(`  npm run -s covey -- inspect ${join(dir, 'upload-batch-b.cbor')}`);
  print(`  npm run -s covey -- inspect ${join(dir, 'witness-receipt.cbor')} --key ${toHex(result.hotspotB)}`);
  print(`  npm run -s covey -- inspect ${join(dir, 'entropy.cbor')} --oracle-key ${hotspotAddress(result.oracle)}`);
}

function parseSeed(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new InvalidArgumentError('a seed is a non-negative integer');
  return Number(text);
}

/** Parses the demo's own arguments and runs it. */
export function demoMain(argv: readonly string[]): number {
  const program = new Command('npm start --')
    .description("one round of covey's protocol, end to end")
    .option('--seed <n>', 'derive keys, nonces and the clock from n (repeatable output)', parseSeed)
    .option('--out <dir>', 'write every message to a file in dir')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.trim().replace(/\s*\n\s*/g, ' ') + '\n') });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    throw error;
  }
  const options = program.opts<DemoOptions>();
  exitQuietlyOnBrokenPipe();
  try {
    return runDemo(options, (line) => console.log(line));
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) process.exitCode = demoMain(process.argv.slice(2));

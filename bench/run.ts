/**
 * `npm run bench -- <suite…>`: runs benchmark suites and writes each one's figures to bench/out/<suite>.json.
 * With no suite named, runs them all. Benchmarks report figures; tests, not benchmarks, decide pass/fail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOracleBench } from './oracle.js';
import { runProofsBench } from './proofs.js';
import { runRadioBench } from './radio.js';
import { runReceiptQueueBench } from './receipt-queue.js';
import { runSimBench } from './sim.js';
import { runXsBench } from './xs.js';

/** A figure, or null where a suite could not measure it (the suite says why). */
type Figures = Record<string, number | string | null>;

const SUITES: Record<string, () => Promise<Figures>> = {
  proofs: runProofsBench,
  radio: runRadioBench,
  queue: runReceiptQueueBench,
  xs: runXsBench,
  oracle: runOracleBench,
  sim: runSimBench,
};

async function main(names: string[]): Promise<number> {
  const chosen = names.length > 0 ? names : Object.keys(SUITES);
  const unknown = chosen.filter((name) => !(name in SUITES));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')} (have: ${Object.keys(SUITES).join(', ')})\n`);
    return 1;
  }
  const outDir = join(dirname(fileURLToPath(import.meta.url)), 'out');
  mkdirSync(outDir, { recursive: true });
  for (const name of chosen) {
    process.stdout.write(`bench ${name}: running…\n`);
    const figures = await SUITES[name]();
    const file = join(outDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(figures, null, 2) + '\n');
    for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key.padEnd(28)} ${value}\n`);
    process.stdout.write(`bench ${name}: wrote ${file}\n`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

/** `covey verify`: one verifier run over an oracle database, for batch use and for checking a copy. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../oracle/clock.js';
import { checkedConfig } from './oracle.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';

interface VerifyOptions {
  readonly db: string;
  readonly now?: string;
  readonly config?: string;
  readonly json?: boolean;
}

export function addVerifyCommand(program: Command, context: CliContext): Command {
  return program
    .command('verify')
    .description('judge every ready beacon and witness in an oracle database and close finished reward epochs')
    .requiredOption('--db <file>', 'the oracle database')
    .option('--now <time>', 'judge as of this time (ISO 8601 or ms since 1970); "end" judges everything', undefined)
    .option('--config <file.json>', 'thresholds that differ from the defaults (use the oracle\'s)')
    .option('--json', 'print the result as one JSON object')
    .addHelpText('after', [
      '',
      'Runs the same verifier the oracle runs every few seconds, once. Items not yet ready (a witness',
      'window still open, an epoch not yet over) stay pending unless --now end is given.',
      '',
      'Example:',
      '  $ covey verify --db oracle.sqlite --now end --json',
    ].join('\n'))
    .action(guarded(context, 'verify', (options: VerifyOptions) => verify(options, context.io)));
}

export function parseNow(text: string | undefined): number {
  if (text === undefined) return Date.now();
  if (text === 'end') return Number.MAX_SAFE_INTEGER;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) throw new CliError(`--now: ${text} is not a time (ISO 8601, ms since 1970, or "end")`);
  return value;
}

async function verify(options: VerifyOptions, io: CliIo): Promise<number> {
  if (!existsSync(options.db)) throw new CliError(`${options.db}: no such database`);
  const { config } = checkedConfig(options.config);
  const nowMs = parseNow(options.now);
  // The database and the verifier load when used, not with every covey command; one after the other, as
  // in build.ts (Jest's ES-module loader can fail two imports that share modules and start together).
  const { SqliteStore } = await import('../oracle/store/sqlite-store.js');
  const { VerifierRunner } = await import('../oracle/verifier/runner.js');
  const store = SqliteStore.open(options.db, { backgroundCheckpoints: true });
  try {
    const runner = new VerifierRunner({ store, config, clock: systemClock() });
    const result = await runner.runOnce(nowMs, Math.min(nowMs, Date.now()));
    const counts = await store.counts();
    const summary = { judged: result.judged, closedEpochs: result.closedEpochs, pending: counts.pending, verdicts: counts.byVerdict };
    if (options.json === true) {
      io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    }
    io.stdout(`judged ${summary.judged} items; closed epochs: ${summary.closedEpochs.join(', ') || 'none'}; still pending: ${summary.pending}\n`);
    for (const [key, count] of Object.entries(summary.verdicts).sort()) io.stdout(`  ${key.padEnd(48)} ${count}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

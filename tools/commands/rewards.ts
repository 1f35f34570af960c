/** `covey rewards`: an epoch's rewards from an oracle database, as a table, CSV or JSON. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { rewardJson, rewardsCsv } from '../oracle/read-side.js';
import { SqliteStore } from '../oracle/store/sqlite-store.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';

interface RewardsOptions {
  readonly db: string;
  readonly epoch?: string;
  readonly format: string;
  readonly out?: string;
}

export function addRewardsCommand(program: Command, context: CliContext): Command {
  return program
    .command('rewards')
    .description('show or export the rewards of a closed epoch')
    .requiredOption('--db <file>', 'the oracle database')
    .option('--epoch <n>', 'the reward epoch (default: the newest closed one)')
    .option('--format <table|csv|json>', 'output format', 'table')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(guarded(context, 'rewards', (options: RewardsOptions) => rewards(options, context.io)));
}

async function rewards(options: RewardsOptions, io: CliIo): Promise<number> {
  if (!['table', 'csv', 'json'].includes(options.format)) throw new CliError(`--format: ${options.format} is not table, csv or json`);
  if (!existsSync(options.db)) throw new CliError(`${options.db}: no such database`);
  if (options.epoch !== undefined && !/^\d{1,12}$/.test(options.epoch)) throw new CliError(`--epoch: ${options.epoch} is not a whole number`);
  const store = SqliteStore.open(options.db, { readonly: true });
  try {
    const epoch = options.epoch !== undefined ? Number(options.epoch) : await store.lastClosedEpoch();
    if (epoch === undefined) throw new CliError('no epoch is closed yet (run covey verify, or wait for the epoch to end)');
    const rows = await store.rewards(epoch);
    if (rows === undefined) throw new CliError(`epoch ${epoch} is not closed`);
    const text = options.format === 'csv' ? rewardsCsv(epoch, rows)
      : options.format === 'json' ? `${JSON.stringify({ epoch, rewards: rows.map(rewardJson) }, null, 2)}\n`
        : table(epoch, rows.map(rewardJson));
    if (options.out !== undefined) writeFileSync(options.out, text);
    else io.stdout(text);
    return 0;
  } finally {
    await store.close();
  }
}

function table(epoch: number, rows: ReturnType<typeof rewardJson>[]): string {
  const lines = [`epoch ${epoch}: ${rows.length} hotspots rewarded`, `${'hotspot'.padEnd(58)} ${'beacons'.padStart(7)} ${'witnesses'.padStart(9)} ${'units'.padStart(9)} ${'amount'.padStart(12)}`];
  for (const r of rows) {
    lines.push(`${r.hotspot.padEnd(58)} ${String(r.beacons).padStart(7)} ${String(r.witnesses).padStart(9)} ${(r.beaconUnits + r.witnessUnits).toFixed(4).padStart(9)} ${r.amount.toFixed(4).padStart(12)}`);
  }
  return `${lines.join('\n')}\n`;
}

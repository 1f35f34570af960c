/** `covey oracle`: the reference oracle as a service: entropy, onboarding, ingest, verifier, read side. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { toHex } from '../../proofs/index.js';
import { OracleConfigError, oracleConfig, type OracleConfig } from '../oracle/config.js';
import { parseTrustedVendors, TrustedVendorsError, type TrustedVendors } from '../oracle/trusted-vendors.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface OracleCommandOptions {
  readonly db: string;
  readonly key?: string;
  readonly host: string;
  readonly port: string;
  readonly config?: string;
  readonly quiet?: boolean;
  readonly workers: string;
  readonly trustedVendors?: string;
}

export function addOracleCommand(program: Command, context: CliContext): Command {
  return program
    .command('oracle')
    .description('run the covey oracle: entropy, onboarding, receipt ingest and the proof-of-coverage verifier')
    .requiredOption('--db <file>', 'the SQLite database (created on first start)')
    .option('--key <file>', "the oracle's key file (created, mode 0600, on first start)", undefined)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8080')
    .option('--config <file.json>', 'thresholds that differ from the defaults (docs/oracle.md)')
    .option('-q, --quiet', 'print only the start line and errors')
    .option('--workers <n>', 'worker threads that decode uploads and check signatures (0: on the main thread)', '0')
    .option('--trusted-vendors <file.json>', 'vendors whose device certificates make a hotspot attested (docs/oracle.md)')
    .addHelpText('after', [
      '',
      'Serves docs/protocol.md §5 and docs/oracle.md: GET /v1/oracle, GET /v1/entropy, POST /v1/hotspots,',
      'POST /v1/receipts, GET /v1/hotspots/:id, GET /v1/epochs/:n/rewards, GET /healthz, GET /metrics.',
      'The key file defaults to <db>.key. Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.',
      'Without --trusted-vendors every hotspot is DIY; the file is {"vendors": [{"name": …, "publicKey": …}]}.',
      '',
      'Example:',
      '  $ covey oracle --db oracle.sqlite --port 8080',
    ].join('\n'))
    .action(guarded(context, 'oracle', (options: OracleCommandOptions) => runOracle(options, context.io)));
}

function readConfigFile(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${reasonOf(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${path}: the configuration is a JSON object`);
  return value as Record<string, unknown>;
}

/** The trusted-vendors file, checked before any file is created. */
export function readTrustedVendors(path: string | undefined): TrustedVendors | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as { code?: unknown }).code === 'ENOENT';
    throw new CliError(`--trusted-vendors: cannot read ${path}: ${missing ? 'no such file' : reasonOf(error)}`);
  }
  try {
    return parseTrustedVendors(text, path);
  } catch (error) {
    if (error instanceof TrustedVendorsError) throw new CliError(`--trusted-vendors: ${error.message}`);
    throw error;
  }
}

function parseWorkers(text: string): number {
  const workers = Number(text);
  if (!/^\d{1,2}$/.test(text) || workers > 64) throw new CliError(`--workers: ${text} is not a number of threads (0–64)`);
  return workers;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65_535) throw new CliError(`--port: ${text} is not a port number (0–65535)`);
  return port;
}

const stamp = () => new Date().toISOString();

/**
 * The overrides in the `--config` file at `path` and the configuration they make, checked before any
 * file is created: a bad setting must not leave a new key or database behind.
 */
export function checkedConfig(path: string | undefined): { overrides: Record<string, unknown>; config: OracleConfig } {
  const overrides = readConfigFile(path);
  try {
    return { overrides, config: oracleConfig(overrides) };
  } catch (error) {
    if (error instanceof OracleConfigError) throw new CliError(error.message);
    throw error;
  }
}

async function runOracle(options: OracleCommandOptions, io: CliIo): Promise<number> {
  const port = parsePort(options.port);
  const config = checkedConfig(options.config).overrides;
  const trustedVendors = readTrustedVendors(options.trustedVendors);
  // Checked first: the key file (default <db>.key) is written before the database is opened.
  const dbDirectory = dirname(resolve(options.db));
  if (!existsSync(dbDirectory)) throw new CliError(`cannot open oracle store ${options.db}: its directory does not exist`);
  const workers = parseWorkers(options.workers);
  // The oracle, its server and the native verifier load when it starts, not with every covey command.
  const [{ openOracle }, { PreparePool }, { startServer }, { verifierInUse }] = await Promise.all([
    import('../oracle/oracle.js'), import('../oracle/prepare-pool.js'), import('../oracle/server.js'), import('../crypto/native-ed25519.js'),
  ]);
  const { oracle, keyCreated, keyPath, warnings } = openOracle({
    dbPath: options.db, keyPath: options.key, config, trustedVendors,
    onVerifierRun: (run) => {
      if (options.quiet === true) return;
      const epochs = run.closedEpochs.length > 0 ? `; closed epoch ${run.closedEpochs.join(', ')}` : '';
      io.stdout(`${stamp()} verified ${run.judged} items${epochs}\n`);
    },
    onError: (error) => io.stderr(`${stamp()} covey oracle: verifier: ${reasonOf(error)}\n`),
  });
  // Started once the oracle is open, so that a failed start leaves no thread running.
  const pool = workers > 0 ? new PreparePool(workers, {
    onFailure: (error) => io.stderr(`${stamp()} covey oracle: ${error.message}; uploads are checked on the main thread\n`),
  }) : undefined;
  if (pool !== undefined) {
    oracle.ingest.useWorkers((body) => (pool.failure === undefined ? pool.prepare(body) : oracle.ingest.prepareHere(body)));
  }
  let server;
  try {
    server = await startServer(oracle, {
      host: options.host, port, onError: (error) => io.stderr(`${stamp()} covey oracle: request failed: ${reasonOf(error)}\n`),
    });
  } catch (error) {
    await pool?.close();
    await oracle.store.close();
    throw new CliError(`cannot listen on ${options.host}:${port}: ${reasonOf(error)}`);
  }
  oracle.start();
  if (keyCreated) io.stdout(`created the oracle key ${keyPath} (mode 0600)\n`);
  for (const warning of warnings) io.stderr(`covey oracle: warning: ${warning}\n`);
  // Before the listening line, which is the one scripts wait for.
  const verifier = verifierInUse();
  io.stdout(`verifier ${verifier.name}${verifier.reason === undefined ? '' : ` (${verifier.reason})`}\n`);
  io.stdout(`covey oracle listening on ${server.url} (database ${options.db}, public key ${toHex(oracle.publicKey)})\n`);
  if (trustedVendors !== undefined) {
    io.stdout(`trusting ${trustedVendors.size} vendor${trustedVendors.size === 1 ? '' : 's'} for attestation: ${trustedVendors.vendors.map((v) => v.name).join(', ') || 'none'}\n`);
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.stdout(`${stamp()} stopping\n`);
  await server.close();
  await oracle.stop();
  await pool?.close();
  await oracle.store.close();
  return 0;
}

/** `covey keygen`: a fresh ed25519 identity in a key file that only its owner can read. */
import type { Command } from 'commander';
import { toHex } from '../../proofs/index.js';
import { createKeyFile, KeyFileError } from '../keyfile.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';

interface KeygenOptions {
  readonly out: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export function addKeygenCommand(program: Command, context: CliContext): Command {
  return program
    .command('keygen')
    .description('make a new ed25519 key and write it to a key file (mode 0600)')
    .requiredOption('-o, --out <file>', 'where to write the key file')
    .option('-f, --force', 'replace the file if it exists')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'The key file holds the secret seed; keygen prints only the public key, the hotspot address and',
        'the short name. The file is written to a temporary name and moved into place, so it is never',
        'seen half-written, and an existing file is kept unless --force is given.',
        '',
        'Example:',
        '  $ covey keygen --out hotspot.key',
      ].join('\n'),
    )
    .action(guarded(context, 'keygen', (options: KeygenOptions) => keygen(options, context.io)));
}

function keygen(options: KeygenOptions, io: CliIo): void {
  let key;
  try {
    key = createKeyFile(options.out, { force: options.force === true });
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message);
    throw error;
  }
  const result = { file: options.out, publicKey: toHex(key.publicKey), address: key.address, shortName: key.shortName };
  if (options.json === true) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  io.stdout(
    [
      `wrote ${result.file} (mode 0600)`,
      `publicKey  ${result.publicKey}`,
      `address    ${result.address}`,
      `shortName  ${result.shortName}`,
      '',
    ].join('\n'),
  );
}

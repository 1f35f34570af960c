/** `covey inspect`: decode any covey message strictly, check its signatures, and print it. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fromHex, parseHotspotId } from '../../proofs/index.js';
import { HostVerifier } from '../crypto/node-ed25519.js';
import { describeJson, describeMessage, describeText, isSound, type Description } from '../describe.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface InspectOptions {
  readonly hex?: boolean;
  readonly json?: boolean;
  readonly key?: string;
  readonly oracleKey?: string;
}

export function addInspectCommand(program: Command, context: CliContext): Command {
  return program
    .command('inspect')
    .description('decode a covey message, check its signatures, and print it')
    .argument('<file>', 'the message as raw bytes or hex text; - reads standard input')
    .option('--hex', 'the input is hex text (otherwise detected: all hex digits and white space)')
    .option('--json', 'print one JSON object')
    .option('--key <hex|address>', 'signer of a bare witness receipt; for other messages, the signer expected')
    .option('--oracle-key <hex|address>', "the oracle's public key, to check an Entropy signature")
    .addHelpText(
      'after',
      [
        '',
        'Reads any covey message: a beacon frame, Entropy, BeaconReport, WitnessReceipt, UploadBatch,',
        'UploadAck, Onboard (with the vendor certificate of version 2), MapperReport, MapperReceipt or',
        'DeviceCertificate. Messages that name their signer are checked with that key; a bare witness or',
        'mapper receipt needs --key, entropy needs --oracle-key. A certificate signature that verifies says',
        'nothing of whether its vendor is trusted: that is the oracle\'s list (covey oracle --trusted-vendors).',
        'Exits 1 if the message cannot be decoded, a signature is INVALID, or a batch item is unreadable.',
        '',
        'Examples:',
        '  $ covey inspect beacon.bin',
        '  $ covey inspect witness-receipt.cbor --key cvabc…',
        '  $ xxd -p upload-batch.cbor | covey inspect - --json',
      ].join('\n'),
    )
    .action(guarded(context, 'inspect', (file: string, options: InspectOptions) => inspect(file, options, context.io)));
}

async function inspect(file: string, options: InspectOptions, io: CliIo): Promise<number> {
  const key = optionalKey(options.key, '--key');
  const oracleKey = optionalKey(options.oracleKey, '--oracle-key');
  const name = file === '-' ? '<stdin>' : file;
  const raw = file === '-' ? await io.readStdin() : readInput(file);
  let description: Description;
  try {
    const bytes = messageBytes(raw, options.hex === true);
    description = describeMessage(bytes, { verifier: new HostVerifier(), key, oracleKey });
  } catch (error) {
    throw new CliError(`${name}: ${reasonOf(error)}`);
  }
  const json = options.json === true;
  io.stdout(json ? `${JSON.stringify(describeJson(description), null, 2)}\n` : describeText(description));
  if (isSound(description)) return 0;
  io.stderr(`covey inspect: ${name}: ${faultSummary(description)}\n`);
  return 1;
}

function optionalKey(text: string | undefined, option: string): Uint8Array | undefined {
  if (text === undefined) return undefined;
  try {
    return parseHotspotId(text);
  } catch (error) {
    const reason = reasonOf(error);
    if (reason.startsWith('a hotspot id is')) throw new CliError(`${option}: ${reason}`);
    throw new CliError(`${option}: not 64 hex digits or a valid cv… address (${reason})`);
  }
}

export function readInput(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : reasonOf(error);
    throw new CliError(`${file}: ${why}`);
  }
}

/**
 * The message bytes of an input that is either raw or hex text. Raw covey messages begin with 0x8_/0x9_
 * (a CBOR array) or 0xE_/0xF_ (a beacon frame header), never with an ASCII hex digit, so input made only
 * of hex digits and white space is always hex text.
 */
export function messageBytes(raw: Uint8Array, hex: boolean): Uint8Array {
  let digits = '';
  let other = 0;
  for (const byte of raw) {
    if (isHexDigit(byte)) digits += String.fromCharCode(byte);
    else if (!WHITE_SPACE.has(byte)) other++;
  }
  if (!hex && (other > 0 || digits.length === 0)) return raw;
  if (other > 0) throw new CliError('not hex text (given --hex)');
  if (digits.length % 2 !== 0) throw new CliError('hex text has an odd number of digits');
  return fromHex(digits);
}

/** Space, tab, line feed, carriage return: what hex dumps (xxd -p, od) put between digits. */
const WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function faultSummary(description: Description): string {
  const invalid = description.signatures.filter((check) => check.verdict === 'invalid').length;
  const parts: string[] = [];
  if (invalid > 0) parts.push(`${invalid} of ${description.signatures.length} checks INVALID`);
  if (description.problems.length > 0) parts.push(`${description.problems.length} unreadable part(s)`);
  return parts.join(', ');
}

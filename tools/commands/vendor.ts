/**
 * `covey vendor`: a hardware vendor's attestation tools. `init` makes the vendor's signing key, `attest`
 * issues a device certificate for one device key (written to the device's `attest` entry at the factory),
 * and `show` reads a certificate back with the checks an oracle makes.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { isDecodeError, MODEL_PATTERN, parseHotspotId, SERIAL_PATTERN, toHex } from '../../proofs/index.js';
import { HostVerifier } from '../crypto/node-ed25519.js';
import { createKeyFile, KeyFileError, readKeyFile, type LoadedKey } from '../keyfile.js';
import { checkCertificate, checkFailure, issueCertificate, summarize, type CertificateSummary } from '../vendor/certificate.js';
import { readTrustedVendors } from './oracle.js';
import { messageBytes, readInput } from './inspect.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface InitOptions { readonly out: string; readonly name?: string; readonly force?: boolean; readonly json?: boolean }
interface AttestOptions {
  readonly vendorKey: string; readonly devicePubkey: string; readonly model: string; readonly serial: string;
  readonly out: string; readonly force?: boolean; readonly json?: boolean;
}
interface ShowOptions { readonly devicePubkey?: string; readonly trustedVendors?: string; readonly json?: boolean }

export function addVendorCommand(program: Command, context: CliContext): Command {
  const vendor = program
    .command('vendor')
    .description("a hardware vendor's attestation: a vendor key, and signed certificates for the devices it makes")
    .addHelpText('after', [
      '',
      'A device carrying a certificate from a vendor an oracle trusts onboards as attested rather than DIY',
      '(docs/oracle.md "Vendor attestation"). The certificate is stored on the device under the key "attest".',
      '',
      'Examples:',
      '  $ covey vendor init --out vendor.key --name "Acme Radio Works"',
      '  $ covey vendor attest --vendor-key vendor.key --device-pubkey cv… --model "Heltec V3" --serial HV3-000123 --out HV3-000123.cert',
      '  $ covey vendor show HV3-000123.cert',
    ].join('\n'));
  vendor
    .command('init')
    .description("make the vendor's signing key (a key file, mode 0600)")
    .requiredOption('-o, --out <file>', 'where to write the vendor key file')
    .option('--name <vendor name>', 'the name oracles will show for attested devices (printed in the trusted-vendors entry)')
    .option('-f, --force', 'replace the file if it exists')
    .option('--json', 'print the result as one JSON object')
    .addHelpText('after', [
      '',
      'Prints the public key and the entry an oracle operator adds to its --trusted-vendors file. Keep the',
      'key file offline: anyone holding it can attest devices in your name.',
    ].join('\n'))
    .configureOutput({ outputError: usageError('vendor init', context.io) })
    .action(guarded(context, 'vendor init', (options: InitOptions) => init(options, context.io)));
  vendor
    .command('attest')
    .description('issue a signed certificate for one device key')
    .requiredOption('--vendor-key <file>', 'the vendor key file (covey vendor init)')
    .requiredOption('--device-pubkey <cv…|hex>', "the device's public key, as `covey id` on its console prints it")
    .requiredOption('--model <text>', 'the model, 1–23 printable ASCII characters')
    .requiredOption('--serial <text>', 'the serial number, 1–23 of A–Z a–z 0–9 . _ : / -')
    .requiredOption('-o, --out <file>', 'where to write the certificate (CBOR bytes)')
    .option('-f, --force', 'replace the file if it exists')
    .option('--json', 'print the result as one JSON object')
    .configureOutput({ outputError: usageError('vendor attest', context.io) })
    .action(guarded(context, 'vendor attest', (options: AttestOptions) => attest(options, context.io)));
  vendor
    .command('show')
    .description('decode a device certificate, check its signature, and print it')
    .argument('<file>', 'the certificate, raw or hex text; - reads standard input')
    .option('--device-pubkey <cv…|hex>', 'also check that it names this device')
    .option('--trusted-vendors <file.json>', "also check its vendor against an oracle's trusted-vendors file")
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExits 1 when the certificate does not decode or a check fails.')
    .configureOutput({ outputError: usageError('vendor show', context.io) })
    .action(guarded(context, 'vendor show', (file: string, options: ShowOptions) => show(file, options, context.io)));
  return vendor;
}

/** Commander's own usage errors as one line, `covey vendor <sub>: <reason>`. */
function usageError(command: string, io: CliIo): (text: string) => void {
  return (text) => io.stderr(`covey ${command}: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`);
}

function init(options: InitOptions, io: CliIo): void {
  const name = options.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 64)) throw new CliError('--name: a vendor name is 1–64 characters');
  let key: LoadedKey;
  try {
    key = createKeyFile(options.out, { force: options.force === true });
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message);
    throw error;
  }
  const entry = { name: name ?? 'your vendor name', publicKey: toHex(key.publicKey) };
  if (options.json === true) {
    io.stdout(`${JSON.stringify({ file: options.out, publicKey: entry.publicKey, address: key.address, trustedVendorsEntry: entry }, null, 2)}\n`);
    return;
  }
  io.stdout([
    `wrote ${options.out} (mode 0600)`,
    `vendor key  ${entry.publicKey}`,
    `address     ${key.address}`,
    '',
    "Give oracle operators this entry for their --trusted-vendors file's \"vendors\" list:",
    `  ${JSON.stringify(entry)}`,
    '',
  ].join('\n'));
}

function deviceKey(text: string): Uint8Array {
  try {
    return parseHotspotId(text);
  } catch (error) {
    throw new CliError(`--device-pubkey: ${reasonOf(error)}`);
  }
}

function attest(options: AttestOptions, io: CliIo): void {
  const device = deviceKey(options.devicePubkey);
  if (!MODEL_PATTERN.test(options.model)) {
    throw new CliError(`--model: "${options.model}" is not 1–23 printable ASCII characters without a leading or trailing space`);
  }
  if (!SERIAL_PATTERN.test(options.serial)) {
    throw new CliError(`--serial: "${options.serial}" is not 1–23 of A–Z a–z 0–9 . _ : / -, starting with a letter or digit`);
  }
  let vendorKey: LoadedKey;
  try {
    vendorKey = readKeyFile(options.vendorKey);
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message);
    throw error;
  }
  for (const warning of vendorKey.warnings) io.stderr(`covey vendor attest: warning: ${warning}\n`);
  const { certificate, bytes } = issueCertificate({ vendorKey, device, model: options.model, serial: options.serial, issuedMs: Date.now() });
  try {
    writeFileSync(options.out, bytes, { flag: options.force === true ? 'w' : 'wx' });
  } catch (error) {
    const exists = (error as { code?: string }).code === 'EEXIST';
    throw new CliError(exists ? `${options.out} already exists (use --force to replace it)` : `cannot write ${options.out}: ${reasonOf(error)}`);
  }
  const summary = summarize(certificate, bytes.length);
  if (options.json === true) io.stdout(`${JSON.stringify({ file: options.out, ...summary }, null, 2)}\n`);
  else io.stdout(`wrote ${options.out} (${bytes.length} bytes)\n${summaryText(summary)}`);
}

function summaryText(summary: CertificateSummary): string {
  return [
    `device      ${summary.device} (${summary.deviceName})`,
    `model       ${summary.model}`,
    `serial      ${summary.serial}`,
    `issued      ${summary.issuedAt}`,
    `vendor key  ${summary.vendorKey}`,
    '',
  ].join('\n');
}

async function show(file: string, options: ShowOptions, io: CliIo): Promise<number> {
  const device = options.devicePubkey === undefined ? undefined : deviceKey(options.devicePubkey);
  const trusted = readTrustedVendors(options.trustedVendors);
  const name = file === '-' ? '<stdin>' : file;
  const raw = file === '-' ? await io.readStdin() : readInput(file);
  let result;
  try {
    result = checkCertificate(messageBytes(raw, false), new HostVerifier(), { device, trusted });
  } catch (error) {
    if (isDecodeError(error)) throw new CliError(`${name}: not a device certificate (${error.message})`);
    throw error;
  }
  const { certificate, checks } = result;
  const summary = summarize(certificate, messageBytes(raw, false).length);
  if (options.json === true) io.stdout(`${JSON.stringify({ ...summary, checks }, null, 2)}\n`);
  else {
    const lines = [`signature   ${checks.signature === 'valid' ? 'valid' : 'INVALID'} (vendor key in the certificate)`];
    if (checks.device !== undefined) lines.push(`for device  ${checks.device === 'matches' ? 'matches --device-pubkey' : 'ANOTHER DEVICE than --device-pubkey'}`);
    if (checks.vendor !== undefined) lines.push(`trusted     ${checks.vendor === 'untrusted' ? 'NO: not in the trusted-vendors file' : `yes: "${checks.vendor}"`}`);
    io.stdout(`${summaryText(summary)}${lines.join('\n')}\n`);
  }
  const failure = checkFailure(checks);
  if (failure === undefined) return 0;
  io.stderr(`covey vendor show: ${name}: ${failure}\n`);
  return 1;
}

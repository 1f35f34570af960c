/**
 * `covey onboard`: register a hotspot with an oracle. Signs an Onboard request with a key file (the
 * location given as lat/lon or as an H3 cell; with --certificate, version 2 carrying a vendor's device
 * certificate), or submits a request a device printed, and shows what the oracle answered.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cellToLatLng, isValidCell } from 'h3-js';
import {
  COORDINATE_SCALE, decodeOnboard, encodeOnboard, equalBytes, hotspotAddress, isDecodeError, signOnboard, type Onboard,
} from '../../proofs/index.js';
import { isRegionId, REGIONS } from '../../hal/radio/regions.js';
import { KeyFileError, readKeyFile } from '../keyfile.js';
import { readCertificateFile } from '../provision/certificate.js';
import { ProvisionError } from '../provision/settings.js';
import { messageBytes, readInput } from './inspect.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface OnboardOptions {
  readonly key?: string;
  readonly certificate?: string;
  readonly request?: string;
  readonly lat?: string;
  readonly lon?: string;
  readonly h3?: string;
  readonly gain: string;
  readonly region?: string;
  readonly oracle?: string;
  readonly out?: string;
  readonly json?: boolean;
}

export function addOnboardCommand(program: Command, context: CliContext): Command {
  return program
    .command('onboard')
    .description("register a hotspot's location, antenna gain and region with an oracle")
    .option('--key <file>', 'sign a new request with this key file')
    .option('--certificate <file>', "with --key: carry this vendor device certificate (covey vendor attest), which must name the key's hotspot")
    .option('--request <file>', 'submit a signed request a device printed (raw or hex; - reads standard input)')
    .option('--lat <degrees>', 'asserted latitude, WGS 84')
    .option('--lon <degrees>', 'asserted longitude, WGS 84')
    .option('--h3 <cell>', 'asserted location as an H3 cell (its centre is asserted)')
    .option('--gain <dBi>', 'antenna gain', '2.15')
    .option('--region <id>', `radio region (${REGIONS.map((r) => r.id).join(', ')})`)
    .option('--oracle <url>', 'the oracle to send the request to, e.g. http://127.0.0.1:8080')
    .option('--out <file>', 'also write the signed request (CBOR) to this file')
    .option('--json', 'print the result as one JSON object')
    .addHelpText('after', [
      '',
      'Either --key with a location (--lat and --lon, or --h3) and --region, or --request.',
      'Without --oracle the request is only signed (and written with --out).',
      '',
      'Examples:',
      '  $ covey onboard --key hotspot.key --lat 52.3731 --lon 4.8922 --gain 3 --region EU868 --oracle http://127.0.0.1:8080',
      '  $ covey onboard --request printed.hex --oracle http://oracle.example:8080',
    ].join('\n'))
    .action(guarded(context, 'onboard', (options: OnboardOptions) => onboardCommand(options, context.io)));
}

function number(text: string | undefined, option: string, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new CliError(`${option}: ${String(text)} is not a number from ${min} to ${max}`);
  }
  return value;
}

function location(options: OnboardOptions): { lat: number; lon: number } {
  if (options.h3 !== undefined) {
    if (options.lat !== undefined || options.lon !== undefined) throw new CliError('give --h3 or --lat/--lon, not both');
    if (!isValidCell(options.h3)) throw new CliError(`--h3: ${options.h3} is not an H3 cell`);
    const [lat, lon] = cellToLatLng(options.h3);
    return { lat, lon };
  }
  if (options.lat === undefined || options.lon === undefined) throw new CliError('a location is needed: --lat and --lon, or --h3');
  return { lat: number(options.lat, '--lat', -90, 90), lon: number(options.lon, '--lon', -180, 180) };
}

function signedRequest(options: OnboardOptions, io: CliIo): Onboard {
  if (options.region === undefined) throw new CliError('--region is needed with --key');
  const region = options.region.trim().toUpperCase().replace('-', '_');
  if (!isRegionId(region)) throw new CliError(`--region: ${options.region} is not one of ${REGIONS.map((r) => r.id).join(', ')}`);
  const { lat, lon } = location(options);
  const gain = number(options.gain, '--gain', -10, 30);
  let key;
  try {
    key = readKeyFile(options.key as string);
    for (const warning of key.warnings) io.stderr(`covey onboard: warning: ${warning}\n`);
  } catch (error) {
    if (error instanceof KeyFileError) throw new CliError(error.message);
    throw error;
  }
  const certificate = options.certificate === undefined ? undefined : certificateFor(options.certificate, key.publicKey);
  return signOnboard({
    hotspot: key.publicKey, latE7: Math.round(lat * COORDINATE_SCALE), lonE7: Math.round(lon * COORDINATE_SCALE),
    gainDdbi: Math.round(gain * 10), region, timeMs: Date.now(), ...(certificate === undefined ? {} : { certificate }),
  }, key.signer());
}

/** The certificate's bytes, checked here: decodable, signed by its vendor, and made out to this hotspot. */
function certificateFor(path: string, hotspot: Uint8Array): Uint8Array {
  try {
    const { bytes, certificate } = readCertificateFile(path, '--certificate');
    if (!equalBytes(certificate.device, hotspot)) {
      throw new CliError(`--certificate ${path}: it is made out to ${hotspotAddress(certificate.device)}, not to the key's hotspot ${hotspotAddress(hotspot)}`);
    }
    return bytes;
  } catch (error) {
    if (error instanceof ProvisionError) throw new CliError(error.message);
    throw error;
  }
}

async function printedRequest(file: string, io: CliIo): Promise<Onboard> {
  const raw = file === '-' ? await io.readStdin() : readInput(file);
  try {
    return decodeOnboard(messageBytes(raw, false));
  } catch (error) {
    if (isDecodeError(error)) throw new CliError(`${file}: not an Onboard request (${error.message})`);
    throw error;
  }
}

async function submit(oracle: string, body: Uint8Array): Promise<{ status: number; answer: Record<string, unknown> }> {
  const url = `${oracle.replace(/\/+$/, '')}/v1/hotspots`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/cbor' }, body, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new CliError(`cannot reach ${url}: ${reasonOf(error instanceof Error && error.cause !== undefined ? error.cause : error)}`);
  }
  const text = await response.text();
  try {
    return { status: response.status, answer: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: response.status, answer: { error: 'not_json', detail: text.slice(0, 200) } };
  }
}

async function onboardCommand(options: OnboardOptions, io: CliIo): Promise<number> {
  if ((options.key === undefined) === (options.request === undefined)) throw new CliError('give either --key or --request');
  if (options.certificate !== undefined && options.key === undefined) {
    throw new CliError('--certificate goes with --key: a printed request carries its certificate already, signed by the device');
  }
  const onboard = options.key !== undefined ? signedRequest(options, io) : await printedRequest(options.request as string, io);
  const body = encodeOnboard(onboard);
  if (options.out !== undefined) writeFileSync(options.out, body);
  const request = {
    hotspot: hotspotAddress(onboard.hotspot), lat: onboard.latE7 / COORDINATE_SCALE, lon: onboard.lonE7 / COORDINATE_SCALE,
    gainDbi: onboard.gainDdbi / 10, region: onboard.region, attested: onboard.certificate !== undefined,
  };
  const result = options.oracle === undefined ? { request } : { request, ...(await submit(options.oracle, body)) };
  const failed = 'status' in result && result.status >= 300;
  if (options.json === true) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    io.stdout(`hotspot ${request.hotspot} at ${request.lat}, ${request.lon}, ${request.gainDbi} dBi, ${request.region}${request.attested ? ', with a vendor certificate' : ''}\n`);
    if ('status' in result && !failed && isRecord(result.answer.attestation)) {
      const { status, vendor, reason } = result.answer.attestation;
      io.stdout(`attestation: ${String(status)}${vendor !== undefined ? ` (${String(vendor)})` : ''}${reason !== undefined ? ` (${String(reason)})` : ''}\n`);
    }
    if (!('status' in result)) io.stdout(options.out !== undefined ? `signed request written to ${options.out}\n` : 'signed; not sent (no --oracle)\n');
    else if (!failed) io.stdout(`oracle: ${String(result.answer.status)} (${result.status})\n`);
  }
  // A refusal is a failure like any other: one line on standard error (tools/cli.ts), exit code 1.
  if (failed) throw new CliError(`oracle refused (${result.status}): ${String(result.answer.error)}: ${String(result.answer.detail)}`);
  return 0;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

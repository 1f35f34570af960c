/**
 * Provisioning over the firmware's serial console (docs/firmware.md, "Provisioning over the console"):
 *
 *   covey id                                  → covey-id key=… address=… short=… board=… state=… attested=…
 *   covey put <name> begin <bytes> <crc32>[ replace] → covey-put ready name=<name>
 *   covey put <name> data <base64 ≤ 96 chars> → covey-put ok name=<name> have=<bytes so far>
 *   covey put <name> end                      → covey-put done name=<name> bytes=<n> restart=<no|required>
 *   covey mode selftest                       → covey-mode selftest restart=required
 *
 * Any step may instead be answered `covey-put error name=<name> reason="…"`, and an unknown command
 * `covey-error unknown command "…"` (firmware without provisioning). The host sends one chunk at a time
 * and waits for its acknowledgement (stop-and-wait), so a slow device never loses input. The CRC on the
 * begin line is the plain CRC-32 of the bytes (IEEE, zlib's crc32 from 0).
 */
import { crc32 } from 'node:zlib';
import { equalBytes, hotspotAddress } from '../../proofs/index.js';
import { ConsoleClient, ConsoleError, type SerialBinding } from './console-client.js';
import { ProvisionError } from './settings.js';

export type PutName = 'settings' | 'seed' | 'attest';

/** What `covey id` says about the device. */
export interface DeviceId {
  /** 32 bytes, or undefined when the device has no key yet. */
  readonly publicKey?: Uint8Array;
  readonly address?: string;
  readonly shortName?: string;
  readonly board: string;
  readonly state: string;
  readonly attested: boolean;
}

export interface ConsoleProvisionOptions {
  /** The serial port, e.g. /dev/ttyUSB0. */
  readonly path: string;
  readonly baudRate?: number;
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  /** The board the settings were made for; a device reporting another board is refused. */
  readonly board: string;
  /** The settings JSON (settings-store.ts settingsToJson). */
  readonly settingsJson: string;
  /** A seed to give the device (--key). */
  readonly seed?: Uint8Array;
  /** The public key of `seed`, to compare with the device's. */
  readonly seedPublicKey?: Uint8Array;
  /** Replace a key the device already has with `seed`. */
  readonly replaceKey?: boolean;
  /** A vendor certificate (proofs/attestation.ts encoding). */
  readonly attest?: Uint8Array;
  /** The device key the certificate names, when it could be decoded: checked before anything is written. */
  readonly attestDeviceKey?: Uint8Array;
  /** Also set `mode` = `selftest` for the next boot. */
  readonly selftest?: boolean;
  /** How long to wait for each answer, ms. Default 5,000. */
  readonly timeoutMs?: number;
  /** Each console line that is not an answer (the device's log). */
  readonly onLogLine?: (line: string) => void;
  /** Each step as it completes, for a progress display. */
  readonly onStep?: (step: string) => void;
}

export interface Delivered {
  readonly name: PutName | 'mode';
  readonly bytes: number;
  readonly restartRequired: boolean;
}

export interface ConsoleProvisionResult {
  readonly device: DeviceId;
  readonly delivered: readonly Delivered[];
  /** True when the seed was not sent because the device already has that key. */
  readonly keyAlreadyPresent: boolean;
  readonly restartRequired: boolean;
}

/** Base64 characters per data line: 96 (72 bytes), the most a line may carry. */
const CHUNK_BYTES = 72;
const DEFAULT_TIMEOUT_MS = 5_000;

/** `k=v` and `k="quoted \"text\""` fields of an answer line, after its first word. */
export function answerFields(line: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const pattern = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g;
  for (const match of line.matchAll(pattern)) {
    fields[match[1]] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return fields;
}

/** Parses a `covey-id …` line. */
export function parseIdLine(line: string): DeviceId {
  const fields = answerFields(line);
  const key = fields.key;
  if (fields.board === undefined || fields.state === undefined || key === undefined) {
    throw new ProvisionError(`the device's covey-id line is incomplete: ${line.slice(0, 120)}`);
  }
  const base = { board: fields.board, state: fields.state, attested: fields.attested === 'yes' };
  if (key === 'none') return base;
  if (!/^[0-9a-f]{64}$/i.test(key)) throw new ProvisionError(`the device's covey-id line has a malformed key: ${key.slice(0, 70)}`);
  const publicKey = Uint8Array.from(Buffer.from(key, 'hex'));
  return { ...base, publicKey, address: hotspotAddress(publicKey), shortName: fields.short };
}

/** A ConsoleError or an error answer as one ProvisionError line, naming the port. */
function consoleFailure(path: string, what: string, error: unknown): ProvisionError {
  if (error instanceof ProvisionError) return error;
  if (error instanceof ConsoleError && error.code === 'Timeout') {
    return new ProvisionError(`${what}: ${error.message} (is the covey firmware running, and no other program on the port?)`);
  }
  return new ProvisionError(`${what} on ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

/** Reads one `covey-put …` answer for `name` and checks it is `expected`. */
async function putAnswer(client: ConsoleClient, name: PutName, expected: string, timeoutMs: number): Promise<Record<string, string>> {
  const line = await client.waitFor(['covey-put ', 'covey-error '], timeoutMs);
  if (line.startsWith('covey-error ')) {
    throw new ProvisionError(`the firmware on ${client.path} does not take "covey put" (${line}); flash a covey firmware with provisioning`);
  }
  const [, kind] = line.split(' ', 3);
  const fields = answerFields(line);
  if (kind === 'error') throw new ProvisionError(`the device refused ${name}: ${fields.reason ?? line}`);
  if (kind !== expected || fields.name !== name) throw new ProvisionError(`unexpected answer to ${name}: ${line.slice(0, 120)}`);
  return fields;
}

/** One value over the console: begin, data chunks each acknowledged, end. */
async function putValue(client: ConsoleClient, name: PutName, bytes: Uint8Array, replace: boolean, timeoutMs: number): Promise<Delivered> {
  const checksum = (crc32(bytes) >>> 0).toString(16).padStart(8, '0');
  await client.sendLine(`covey put ${name} begin ${bytes.length} ${checksum}${replace ? ' replace' : ''}`);
  await putAnswer(client, name, 'ready', timeoutMs);
  for (let offset = 0; offset < bytes.length; offset += CHUNK_BYTES) {
    const chunk = bytes.subarray(offset, offset + CHUNK_BYTES);
    await client.sendLine(`covey put ${name} data ${Buffer.from(chunk).toString('base64')}`);
    const ok = await putAnswer(client, name, 'ok', timeoutMs);
    const have = Number(ok.have);
    if (have !== offset + chunk.length) throw new ProvisionError(`the device has ${ok.have} bytes of ${name}, expected ${offset + chunk.length}`);
  }
  await client.sendLine(`covey put ${name} end`);
  const done = await putAnswer(client, name, 'done', timeoutMs);
  if (Number(done.bytes) !== bytes.length) throw new ProvisionError(`the device stored ${done.bytes} bytes of ${name}, not ${bytes.length}`);
  return { name, bytes: bytes.length, restartRequired: done.restart === 'required' };
}

/** The checks made before anything is written, from what `covey id` said. */
function checkDevice(device: DeviceId, options: ConsoleProvisionOptions): boolean {
  if (device.board !== options.board) {
    throw new ProvisionError(`the device on ${options.path} is a ${device.board}, not a ${options.board}: nothing was written`);
  }
  const keyAfter = options.seedPublicKey ?? device.publicKey;
  if (options.attestDeviceKey !== undefined && (keyAfter === undefined || !equalBytes(options.attestDeviceKey, keyAfter))) {
    throw new ProvisionError(
      `the certificate is for device ${hotspotAddress(options.attestDeviceKey)}, not for ` +
        `${keyAfter === undefined ? 'a device without a key' : hotspotAddress(keyAfter)}: nothing was written`,
    );
  }
  if (options.seed === undefined || device.publicKey === undefined) return false;
  if (options.seedPublicKey !== undefined && equalBytes(device.publicKey, options.seedPublicKey)) return true;
  if (options.replaceKey !== true) {
    throw new ProvisionError(
      `the device already has key ${device.address}; --key would replace it and the old identity would be lost: ` +
        'add --replace-key to do so (nothing was written)',
    );
  }
  if (options.attest !== undefined) {
    throw new ProvisionError(
      'a key replaced over the console takes effect at the next restart, and the device takes a certificate only for ' +
        'the key it runs with: deliver --key first, restart, then --attest (or write both into an image with --out); nothing was written',
    );
  }
  return false;
}

/** Asks the device who it is, then delivers the key and certificate if given, the settings, and the self-test mode. */
export async function provisionOverConsole(options: ConsoleProvisionOptions): Promise<ConsoleProvisionResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: ConsoleClient;
  try {
    client = await ConsoleClient.open({ path: options.path, baudRate: options.baudRate, binding: options.binding, onLine: options.onLogLine });
  } catch (error) {
    throw consoleFailure(options.path, 'opening the port', error);
  }
  let step = 'covey id';
  try {
    const idLine = await client.request('covey id', ['covey-id ', 'covey-error '], timeoutMs);
    if (idLine.startsWith('covey-error ')) {
      throw new ProvisionError(`the firmware on ${options.path} does not know "covey id"; flash a covey firmware with provisioning`);
    }
    const device = parseIdLine(idLine);
    options.onStep?.(`device ${device.address ?? 'without a key'} (${device.board}, ${device.state})`);
    const keyAlreadyPresent = checkDevice(device, options);
    const delivered: Delivered[] = [];
    // Key and certificate before the settings: an unprovisioned device starts its hotspot as soon as it
    // has settings, and should onboard with the certificate already in place.
    if (options.seed !== undefined && !keyAlreadyPresent) {
      step = 'seed';
      delivered.push(await putValue(client, 'seed', options.seed, device.publicKey !== undefined, timeoutMs));
      options.onStep?.('key stored');
    }
    if (options.attest !== undefined) {
      step = 'attest';
      delivered.push(await putValue(client, 'attest', options.attest, false, timeoutMs));
      options.onStep?.('certificate stored');
    }
    step = 'settings';
    delivered.push(await putValue(client, 'settings', new Uint8Array(Buffer.from(options.settingsJson, 'utf8')), false, timeoutMs));
    options.onStep?.('settings stored');
    if (options.selftest === true) {
      step = 'covey mode selftest';
      const line = await client.request('covey mode selftest', ['covey-mode ', 'covey-error '], timeoutMs);
      if (!line.startsWith('covey-mode selftest')) throw new ProvisionError(`the device did not set the self-test mode: ${line.slice(0, 120)}`);
      delivered.push({ name: 'mode', bytes: 'selftest'.length, restartRequired: true });
      options.onStep?.('self-test set for the next boot');
    }
    return { device, delivered, keyAlreadyPresent, restartRequired: delivered.some((d) => d.restartRequired) };
  } catch (error) {
    throw consoleFailure(options.path, step, error);
  } finally {
    await client.close();
  }
}

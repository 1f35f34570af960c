/**
 * `covey provision`: the settings a device reads at boot, checked against its board and region, with
 * the oracle's key pinned; written as files to flash (an NVS partition image) or delivered over the
 * firmware's serial console. Secrets come from files or a prompt and never reach the output.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { boardIds } from '../../hal/boards/index.js';
import { REGION_IDS } from '../../hal/radio/regions.js';
import { equalBytes, hotspotAddress, toHex } from '../../proofs/index.js';
import { KeyFileError, readKeyFile, type LoadedKey } from '../keyfile.js';
import { readCertificateFile, type CertificateFile } from '../provision/certificate.js';
import { provisionOverConsole, type ConsoleProvisionResult } from '../provision/console-provision.js';
import type { SerialBinding } from '../provision/console-client.js';
import { FILE_NAMES, nvsPartition, writeProvisionFiles, type WrittenFiles } from '../provision/image.js';
import { pinOracleKey, type PinnedOracleKey } from '../provision/oracle-key.js';
import { promptHidden, readPasswordFile } from '../provision/secrets.js';
import { buildSettings, ProvisionError, type BuiltSettings } from '../provision/settings.js';
import { CliError, guarded, type CliContext, type CliIo } from './io.js';
import { numberWhere, wholeNumber } from './options.js';

interface ProvisionOptions {
  readonly board: string;
  readonly region: string;
  readonly oracle?: string;
  readonly oracleKey?: string;
  readonly wifiSsid?: string;
  readonly wifiPassFile?: string;
  readonly location?: string;
  readonly antennaGain?: number;
  readonly role?: string;
  readonly key?: string;
  readonly attest?: string;
  readonly selftest?: boolean;
  readonly settings?: string;
  readonly out?: string;
  readonly port?: string;
  readonly replaceKey?: boolean;
  readonly baud: number;
  readonly timeout: number;
  readonly json?: boolean;
}

/** What the command reaches the world through, replaced in tests. */
export interface ProvisionDependencies {
  /** Default: node's fetch. */
  readonly fetch?: typeof fetch;
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  /** Asks for the Wi-Fi password with echo off; default: the terminal, when standard input is one. */
  readonly promptPassword?: (question: string) => Promise<string>;
  /** Default: whether standard input is a terminal. */
  readonly stdinIsTerminal?: () => boolean;
}

export function addProvisionCommand(program: Command, context: CliContext, dependencies: ProvisionDependencies = {}): Command {
  return program
    .command('provision')
    .description('make the settings a device boots with and write them as a flash image or over its serial console')
    .requiredOption('--board <id>', `the board (${boardIds.join(', ')})`)
    .requiredOption('--region <id>', `radio region (${REGION_IDS.join(', ')})`)
    .option('--oracle <url>', 'the oracle the device reports to; its key is fetched from <url>/v1/oracle and pinned')
    .option('--oracle-key <key>', 'the oracle\'s public key ("cv…" or 64 hex); checked against the oracle\'s own when it answers')
    .option('--wifi-ssid <ssid>', 'the Wi-Fi network to join')
    .option('--wifi-pass-file <file>', 'a file holding the Wi-Fi password (without it, the password is asked for on the terminal)')
    .option('--location <lat,lon>', 'the hotspot\'s position, WGS 84 degrees, asserted at onboarding')
    .option('--antenna-gain <dBi>', 'antenna gain, −10 to 30 dBi (default 2.15)', numberWhere('--antenna-gain', (v) => v >= -10 && v <= 30, 'a number from -10 to 30'))
    .option('--role <role>', 'hotspot (default) or mapper (needs a board with GPS)')
    .option('--key <file>', 'put this key file\'s key on the device (default: the device makes its own on first boot)')
    .option('--attest <file>', 'a vendor device certificate to store on the device (covey vendor attest)')
    .option('--selftest', 'run the factory self-test at the next boot instead of the hotspot')
    .option('--settings <file>', 'a JSON file of further settings fields (the options above win over it)')
    .option('--out <dir>', 'write settings.json, nvs.bin (the NVS partition image) and provision.json here')
    .option('--port <path>', 'deliver over the firmware\'s serial console on this port, e.g. /dev/ttyUSB0')
    .option('--replace-key', 'with --port and --key: replace the key the device already has (its old identity is lost)')
    .option('--baud <rate>', 'console speed', wholeNumber('--baud', 1), 115_200)
    .option('--timeout <seconds>', 'how long to wait for each answer on the console', numberWhere('--timeout', (v) => v > 0 && v <= 600, 'a number of seconds above 0, at most 600'), 5)
    .option('--json', 'print the result as one JSON object (never any secret)')
    .addHelpText('after', [
      '',
      'Give --out, --port, or both. The Wi-Fi password is read from --wifi-pass-file or asked for with',
      'echo off; it is never taken from the command line and never printed. settings.json and nvs.bin',
      'hold it and are written with mode 0600. nvs.bin replaces the whole NVS partition (0x6000 bytes',
      'at 0x9000), a key the device made included: write it before the first boot, with covey flash',
      '--settings <dir>. Over --port the device keeps its key unless --key and --replace-key are given.',
      '',
      'Examples:',
      '  $ covey provision --board heltec_v3 --region EU868 --oracle https://oracle.example \\',
      '      --wifi-ssid home --wifi-pass-file wifi.txt --location 52.3731,4.8922 --out provision/',
      '  $ covey provision --board tbeam_v1 --region US915 --oracle https://oracle.example --role mapper \\',
      '      --port /dev/ttyUSB0',
    ].join('\n'))
    .action(guarded(context, 'provision', (options: ProvisionOptions) => provision(options, context.io, dependencies)));
}

function fail(error: unknown): never {
  if (error instanceof ProvisionError || error instanceof KeyFileError) throw new CliError(error.message);
  throw error;
}

function readExtraSettings(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    throw new CliError(`--settings ${path}: ${code === 'ENOENT' ? 'no such file' : code !== undefined ? 'cannot be read' : 'not JSON'}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`--settings ${path}: not a JSON object`);
  return value as Record<string, unknown>;
}

function parseLocation(text: string | undefined): { lat: number; lon: number } | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((part) => part.trim());
  const [lat, lon] = parts.map(Number);
  if (parts.length !== 2 || parts.some((p) => p === '') || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
    throw new CliError(`--location: "${text}" is not lat,lon in degrees (latitude −90 to 90, longitude −180 to 180)`);
  }
  return { lat, lon };
}

async function wifiOf(options: ProvisionOptions, io: CliIo, dependencies: ProvisionDependencies): Promise<{ ssid: string; password: string } | undefined> {
  if (options.wifiSsid === undefined) {
    if (options.wifiPassFile !== undefined) throw new CliError('--wifi-pass-file needs --wifi-ssid');
    return undefined;
  }
  if (options.wifiPassFile !== undefined) {
    const { password, warning } = readPasswordFile(options.wifiPassFile);
    if (warning !== undefined) io.stderr(`covey provision: warning: ${warning}\n`);
    return { ssid: options.wifiSsid, password };
  }
  const isTerminal = dependencies.stdinIsTerminal ?? (() => process.stdin.isTTY === true);
  if (!isTerminal()) throw new CliError('--wifi-ssid needs --wifi-pass-file when standard input is not a terminal to ask on');
  const ask = dependencies.promptPassword ?? ((question: string) => promptHidden(question));
  return { ssid: options.wifiSsid, password: await ask(`Wi-Fi password for ${options.wifiSsid} (not shown; empty for an open network): `) };
}

function oracleUrlOf(options: ProvisionOptions, extra: Record<string, unknown>): string {
  const url = options.oracle ?? (typeof extra.oracleUrl === 'string' ? extra.oracleUrl : undefined);
  if (url === undefined) throw new CliError('--oracle <url> is needed: the oracle the device reports to');
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) throw new CliError(`--oracle: ${url} is not an http:// or https:// URL`);
  return url.replace(/\/+$/, '');
}

function loadKey(path: string | undefined, io: CliIo): LoadedKey | undefined {
  if (path === undefined) return undefined;
  const key = readKeyFile(path);
  for (const warning of key.warnings) io.stderr(`covey provision: warning: ${warning}\n`);
  return key;
}

function checkCombination(options: ProvisionOptions): void {
  if (options.out === undefined && options.port === undefined) throw new CliError('give --out <dir>, --port <path>, or both');
  if (options.replaceKey === true && (options.port === undefined || options.key === undefined)) {
    throw new CliError('--replace-key goes with --port and --key');
  }
}

interface Prepared {
  readonly built: BuiltSettings;
  readonly oracle: PinnedOracleKey;
  readonly key?: LoadedKey;
  readonly certificate?: CertificateFile;
}

async function prepare(options: ProvisionOptions, io: CliIo, dependencies: ProvisionDependencies): Promise<Prepared> {
  const extra = readExtraSettings(options.settings);
  const oracleUrl = oracleUrlOf(options, extra);
  const givenKey = options.oracleKey ?? (typeof extra.oraclePublicKey === 'string' ? extra.oraclePublicKey : undefined);
  const location = parseLocation(options.location);
  const wifi = await wifiOf(options, io, dependencies);
  const key = loadKey(options.key, io);
  const certificate = options.attest === undefined ? undefined : readCertificateFile(options.attest);
  if (certificate !== undefined && key !== undefined && !equalBytes(certificate.certificate.device, key.publicKey)) {
    throw new CliError(`--attest is for device ${hotspotAddress(certificate.certificate.device)}, not for --key ${key.address}`);
  }
  const input = {
    board: options.board, region: options.region, oracleUrl, wifi, location, antennaGainDbi: options.antennaGain, role: options.role, extra,
  };
  // Everything but the key is checked first, so that a mistake is reported before the oracle is asked.
  buildSettings({ ...input, oraclePublicKey: new Uint8Array(32) });
  const oracle = await pinOracleKey({ oracleUrl, given: givenKey, fetch: dependencies.fetch });
  if (oracle.warning !== undefined) io.stderr(`covey provision: warning: ${oracle.warning}\n`);
  const built = buildSettings({ ...input, oraclePublicKey: oracle.publicKey });
  return { built, oracle, key, certificate };
}

async function provision(options: ProvisionOptions, io: CliIo, dependencies: ProvisionDependencies): Promise<number> {
  checkCombination(options);
  let prepared: Prepared;
  let files: WrittenFiles | undefined;
  let delivered: ConsoleProvisionResult | undefined;
  try {
    prepared = await prepare(options, io, dependencies);
    const { built, oracle, key, certificate } = prepared;
    const contents = { settingsJson: built.json, seed: key?.seed, attest: certificate?.bytes, selftest: options.selftest === true };
    if (options.out !== undefined) {
      files = writeProvisionFiles(options.out, contents, {
        board: built.board.id, region: built.region.id, oracleUrl: built.settings.oracleUrl,
        oraclePublicKey: toHex(oracle.publicKey), oracleAddress: oracle.address, carriesKey: key !== undefined,
        ...(key === undefined ? {} : { publicKey: toHex(key.publicKey), address: key.address }),
        attested: certificate !== undefined, selftest: options.selftest === true,
      });
    }
    if (options.port !== undefined) {
      delivered = await provisionOverConsole({
        path: options.port, baudRate: options.baud, binding: dependencies.binding, board: built.board.id,
        settingsJson: built.json, seed: key?.seed, seedPublicKey: key?.publicKey, replaceKey: options.replaceKey === true,
        attest: certificate?.bytes, attestDeviceKey: certificate?.certificate.device, selftest: options.selftest === true,
        timeoutMs: options.timeout * 1000,
      });
    }
  } catch (error) {
    fail(error);
  }
  report(options, io, prepared, files, delivered);
  return 0;
}

function nextStep(options: ProvisionOptions, files: WrittenFiles | undefined, delivered: ConsoleProvisionResult | undefined): string {
  if (delivered !== undefined) {
    return delivered.restartRequired
      ? 'restart the device (press its RST button or unplug it) to use what was written'
      : options.selftest === true ? 'restart the device to run the self-test' : 'nothing: the device started the hotspot with these settings';
  }
  return `covey flash --board ${options.board} --port <serial> --settings ${options.out ?? '<dir>'}` +
    (files === undefined ? '' : ` (writes ${FILE_NAMES.nvs} at 0x${nvsPartition().offset.toString(16)})`);
}

function report(options: ProvisionOptions, io: CliIo, prepared: Prepared, files: WrittenFiles | undefined, delivered: ConsoleProvisionResult | undefined): void {
  const { built, oracle, key, certificate } = prepared;
  const { settings } = built;
  const deviceKey = delivered?.device.publicKey;
  const keyNote = key !== undefined
    ? `${key.address} from ${options.key}`
    : deviceKey !== undefined ? `the device's own, ${hotspotAddress(deviceKey)}` : 'none given: the device makes its own on first boot and prints its address';
  const result = {
    board: built.board.id, region: built.region.id, role: settings.role,
    oracleUrl: settings.oracleUrl, oraclePublicKey: toHex(oracle.publicKey), oracleAddress: oracle.address, oracleKeySource: oracle.source,
    wifi: settings.wifi?.ssid ?? null, location: settings.location ?? null,
    carriesKey: key !== undefined, publicKey: key === undefined ? null : toHex(key.publicKey), address: key?.address ?? null,
    attested: certificate !== undefined, selftest: options.selftest === true,
    files: files === undefined ? null : { settings: files.settings, nvs: files.nvs, manifest: files.manifest, nvsOffset: `0x${nvsPartition().offset.toString(16)}` },
    device: delivered === undefined ? null : {
      address: delivered.device.address ?? null, shortName: delivered.device.shortName ?? null, board: delivered.device.board,
      state: delivered.device.state, attested: delivered.device.attested,
    },
    delivered: delivered?.delivered.map((d) => d.name) ?? null,
    restartRequired: delivered?.restartRequired ?? null,
    next: nextStep(options, files, delivered),
  };
  if (options.json === true) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const lines = [
    `board     ${built.board.id} (${built.board.name})`,
    `region    ${built.region.id}, role ${settings.role}`,
    `oracle    ${settings.oracleUrl}, key ${oracle.address} (${oracle.source === 'oracle' ? 'fetched from the oracle' : oracle.source})`,
    `wifi      ${settings.wifi === undefined ? 'none' : `${settings.wifi.ssid} (password not shown)`}`,
    `key       ${keyNote}`,
  ];
  if (certificate !== undefined) lines.push(`attest    ${certificate.certificate.model} ${certificate.certificate.serial}`);
  if (options.selftest === true) lines.push('mode      selftest at the next boot');
  if (files !== undefined) {
    lines.push(`wrote     ${files.settings} (mode 0600), ${files.nvs} (${files.nvsBytes} bytes, mode 0600), ${files.manifest}`);
  }
  if (delivered !== undefined) {
    const device = delivered.device;
    lines.push(`device    ${device.address ?? 'no key'}${device.shortName === undefined ? '' : ` (${device.shortName})`}, ${device.board}, was ${device.state}`);
    lines.push(`delivered ${delivered.delivered.map((d) => d.name).join(', ')}${delivered.keyAlreadyPresent ? ' (the device already had this key)' : ''}`);
  }
  lines.push(`next      ${result.next}`, '');
  io.stdout(lines.join('\n'));
}

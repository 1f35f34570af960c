/** `covey airtime`: how long a LoRa frame is on air (hal/radio/airtime.ts), for planning and for checking a radio. */
import { Option, type Command } from 'commander';
import { airtime, type Airtime, type AirtimeParameters } from '../../hal/radio/airtime.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface AirtimeOptions {
  readonly sf: string;
  readonly bw: string;
  readonly cr: string;
  readonly bytes: string;
  readonly preamble: string;
  readonly implicit?: boolean;
  readonly crc: boolean;
  readonly ldro: 'auto' | 'on' | 'off';
  readonly chip?: 'sx126x' | 'sx127x';
  readonly json?: boolean;
}

/** The LoRa bandwidths of the SX127x and SX126x in kHz, as their datasheets round them (SX1276 DS §4.1.1.4). */
export const BANDWIDTHS_KHZ = [7.8, 10.4, 15.6, 20.8, 31.25, 41.7, 62.5, 125, 250, 500] as const;

export function addAirtimeCommand(program: Command, context: CliContext): Command {
  return program
    .command('airtime')
    .description('time on air of a LoRa frame (SX1276 DS §4.1.1.7, SX126x DS §6.1.4)')
    .requiredOption('--sf <n>', 'spreading factor, 5–12')
    .requiredOption('--bw <kHz>', `bandwidth in kHz: ${BANDWIDTHS_KHZ.join(', ')}`)
    .option('--cr <n>', 'coding rate 4/n, n = 5–8 (or written 4/5 … 4/8)', '5')
    .requiredOption('--bytes <n>', 'payload length, 0–255 bytes')
    .option('--preamble <n>', 'preamble symbols as programmed (the chip adds 4.25)', '8')
    .option('--implicit', 'implicit header (no header on air; SF6 on the SX127x needs it)')
    .option('--no-crc', 'no payload CRC (LoRaWAN downlinks)')
    .addOption(new Option('--ldro <mode>', 'low data rate optimisation').choices(['auto', 'on', 'off']).default('auto'))
    .addOption(new Option('--chip <family>', 'where the datasheets differ (SF6): whose formula').choices(['sx126x', 'sx127x']))
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'LDRO auto turns low data rate optimisation on when a symbol lasts 16 ms or more (SF11 and SF12 at',
        '125 kHz, SF12 at 250 kHz), as RadioLib does and the SX1276 datasheet asks. At SF5 and SF6 the SX126x',
        'form of the formula is used unless --chip sx127x is given.',
        '',
        'Examples:',
        '  $ covey airtime --sf 7 --bw 125 --cr 5 --bytes 14',
        '  $ covey airtime --sf 12 --bw 125 --bytes 109 --json',
        '  $ covey airtime --sf 12 --bw 125 --cr 4/5 --bytes 13 --ldro off',
      ].join('\n'),
    )
    .action(guarded(context, 'airtime', (options: AirtimeOptions) => run(options, context.io)));
}

function run(options: AirtimeOptions, io: CliIo): void {
  const parameters = parametersOf(options);
  let result: Airtime;
  try {
    result = airtime(parameters);
  } catch (error) {
    throw new CliError(reasonOf(error));
  }
  io.stdout(options.json === true ? `${JSON.stringify(report(parameters, result), null, 2)}\n` : describe(parameters, result));
}

function report(p: AirtimeParameters, result: Airtime) {
  return {
    spreadingFactor: p.spreadingFactor,
    bandwidthHz: p.bandwidthHz,
    codingRate: `4/${p.codingRate}`,
    payloadBytes: p.payloadBytes,
    preambleLength: p.preambleLength,
    implicitHeader: p.implicitHeader,
    crc: p.crc,
    ldroSetting: p.ldro,
    ldro: result.ldro,
    chip: p.chip ?? null,
    timeOnAirMs: exact(result.timeOnAirMs),
    symbolMs: exact(result.symbolMs),
    preambleMs: exact(result.preambleMs),
    preambleSymbols: exact(result.preambleMs / result.symbolMs),
    payloadMs: exact(result.payloadSymbols * result.symbolMs),
    payloadSymbols: result.payloadSymbols,
  };
}

function describe(p: AirtimeParameters, result: Airtime): string {
  const settings =
    `SF${p.spreadingFactor} BW${p.bandwidthHz / 1000} kHz CR 4/${p.codingRate}, ${p.payloadBytes}-byte payload, ` +
    `preamble ${p.preambleLength}, ${p.implicitHeader === true ? 'implicit' : 'explicit'} header, ` +
    `CRC ${p.crc === true ? 'on' : 'off'}, LDRO ${result.ldro ? 'on' : 'off'} (${p.ldro})`;
  return [
    settings,
    `time on air  ${ms(result.timeOnAirMs)}`,
    `symbol       ${ms(result.symbolMs)}`,
    `preamble     ${ms(result.preambleMs)} (${exact(result.preambleMs / result.symbolMs)} symbols)`,
    `payload      ${ms(result.payloadSymbols * result.symbolMs)} (${result.payloadSymbols} symbols)`,
    '',
  ].join('\n');
}

function parametersOf(options: AirtimeOptions): AirtimeParameters {
  return {
    spreadingFactor: integer('--sf', options.sf),
    bandwidthHz: bandwidthHz(options.bw),
    codingRate: integer('--cr', options.cr.replace(/^4\//, '')),
    payloadBytes: integer('--bytes', options.bytes),
    preambleLength: integer('--preamble', options.preamble),
    implicitHeader: options.implicit === true,
    crc: options.crc,
    ldro: options.ldro,
    chip: options.chip,
  };
}

function integer(flag: string, text: string): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new CliError(`${flag} ${text} is not a whole number`);
  return Number(text);
}

function bandwidthHz(text: string): number {
  const khz = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  const match = BANDWIDTHS_KHZ.find((bw) => bw === khz);
  if (match === undefined) {
    throw new CliError(`--bw ${text} is not a LoRa bandwidth in kHz (${BANDWIDTHS_KHZ.join(', ')})`);
  }
  return Math.round(match * 1000);
}

/** Floating-point residue off (14.911999999999999 → 14.912); nanosecond precision is kept. */
const exact = (value: number) => Math.round(value * 1e6) / 1e6;
const ms = (value: number) => `${Math.round(value * 1000) / 1000} ms`;

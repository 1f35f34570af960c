/** `covey regions`: the region plans (hal/radio/plans/) with their PoC channels, limits and rules. */
import type { Command } from 'commander';
import { ldroEnabled } from '../../hal/radio/airtime.js';
import {
  DEFAULT_ANTENNA_GAIN_DBI, pocAirtimeMs, REGIONS, regionMaxEirpDbm, regionPlan, subBandOf,
  type ChannelGroup, type LbtRule, type RegionPlan,
} from '../../hal/radio/regions.js';
import { BEACON_FRAME_BYTES } from '../../proofs/beacon.js';
import { CliError, guarded, reasonOf, type CliContext, type CliIo } from './io.js';

interface RegionsOptions {
  readonly json?: boolean;
}

export function addRegionsCommand(program: Command, context: CliContext): Command {
  return program
    .command('regions')
    .description('list the radio regions: PoC channel, power, duty cycle, dwell time, listen before talk')
    .argument('[id]', 'one region in detail, e.g. EU868 or AS923-1')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Every covey hotspot of a region listens and beacons on its PoC channel. Powers are conducted',
        `powers with a ${DEFAULT_ANTENNA_GAIN_DBI} dBi antenna; "beacon" is the airtime of a ${BEACON_FRAME_BYTES}-byte beacon there.`,
        'docs/radio.md explains each choice.',
        '',
        'Examples:',
        '  $ covey regions',
        '  $ covey regions EU868',
        '  $ covey regions --json | jq \'.regions[] | {id, frequencyHz: .poc.frequencyHz}\'',
      ].join('\n'),
    )
    .action(guarded(context, 'regions', (id: string | undefined, options: RegionsOptions) => run(id, options, context.io)));
}

function run(id: string | undefined, options: RegionsOptions, io: CliIo): void {
  let plans: readonly RegionPlan[];
  try {
    plans = id === undefined ? REGIONS : [regionPlan(id)];
  } catch (error) {
    throw new CliError(reasonOf(error));
  }
  if (options.json === true) {
    const json = id === undefined ? { regions: plans.map(regionJson) } : regionJson(plans[0]);
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  io.stdout(id === undefined ? listText(plans) : detailText(plans[0]));
}

/** The plan as data, with what follows from it: the PoC channel's sub-band, LDRO and beacon airtime. */
export function regionJson(region: RegionPlan) {
  const { poc } = region;
  const band = subBandOf(region, poc.frequencyHz, poc.bandwidthHz);
  return {
    ...region,
    maxEirpDbm: regionMaxEirpDbm(region),
    poc: {
      ...poc,
      subBand: band.name,
      dutyCycle: band.dutyCycle,
      ldro: ldroEnabled(poc.spreadingFactor, poc.bandwidthHz),
      beaconBytes: BEACON_FRAME_BYTES,
      beaconAirtimeMs: round(pocAirtimeMs(region)),
    },
  };
}

function listText(plans: readonly RegionPlan[]): string {
  const rows = plans.map((region) => {
    const { poc } = region;
    const band = subBandOf(region, poc.frequencyHz, poc.bandwidthHz);
    return [
      region.id,
      `${mhz(poc.frequencyHz)} ${dataRate(region)} ≤${poc.maxConductedDbm} dBm`,
      `${Math.round(pocAirtimeMs(region))} ms`,
      eirpRange(region),
      band.dutyCycle === null ? 'none' : percent(band.dutyCycle),
      region.dwellTimeMs === null ? 'none' : `${region.dwellTimeMs} ms`,
      lbtText(region.lbt),
    ];
  });
  return table(['region', 'PoC channel', 'beacon', 'max EIRP', 'duty cycle', 'dwell', 'listen before talk'], rows);
}

function detailText(region: RegionPlan): string {
  const { poc } = region;
  const ldro = ldroEnabled(poc.spreadingFactor, poc.bandwidthHz) ? 'on' : 'off';
  const lines = [
    `${region.id}  ${region.name}`,
    '',
    'PoC channel',
    `  frequency   ${mhz(poc.frequencyHz)}`,
    `  data rate   ${dataRate(region)}, CR 4/${poc.codingRate}, preamble ${poc.preambleLength}, ` +
      `sync word 0x${poc.syncWord.toString(16)}, LDRO ${ldro}`,
    `  power       at most ${poc.maxConductedDbm} dBm conducted (with a ${DEFAULT_ANTENNA_GAIN_DBI} dBi antenna)`,
    `  beacon      ${BEACON_FRAME_BYTES} bytes in ${round(pocAirtimeMs(region))} ms`,
    `  why         ${poc.rationale}`,
    '',
    'rules',
    `  ${'sub-band'.padEnd(18)}${'duty cycle'.padEnd(12)}max EIRP`,
    ...region.subBands.map(
      (b) => `  ${`${b.name} MHz`.padEnd(18)}${(b.dutyCycle === null ? 'none' : percent(b.dutyCycle)).padEnd(12)}${b.maxEirpDbm} dBm`,
    ),
    ...(region.maxConductedDbm === null ? [] : [`  conducted power     at most ${region.maxConductedDbm} dBm`]),
    `  dwell time          ${region.dwellTimeMs === null ? 'none' : `${region.dwellTimeMs} ms per transmission`}`,
    `  listen before talk  ${lbtText(region.lbt)}`,
    '',
    'LoRaWAN channels',
    ...region.channels.map((group) => `  ${group.use.padEnd(10)}${channelText(group)}`),
    '',
  ];
  return lines.join('\n');
}

function lbtText(rule: LbtRule | null): string {
  if (rule === null) return 'none';
  const where = rule.requiredIn === 'region' ? '' : ` (required in ${rule.requiredIn.join(', ')}; applied throughout)`;
  return `${rule.thresholdDbm} dBm over ${rule.listenMs} ms${where}`;
}

function channelText(group: ChannelGroup): string {
  const width = `(${group.bandwidthHz / 1000} kHz)`;
  const last = group.firstHz + (group.count - 1) * group.stepHz;
  if (group.count <= 3) {
    const list = Array.from({ length: group.count }, (_, n) => (group.firstHz + n * group.stepHz) / 1e6);
    return `${list.join(', ')} MHz ${width}`;
  }
  return `${group.firstHz / 1e6}–${last / 1e6} MHz, ${group.count} channels ${group.stepHz / 1000} kHz apart ${width}`;
}

function eirpRange(region: RegionPlan): string {
  const values = region.subBands.map((b) => b.maxEirpDbm);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? `${high} dBm` : `${low}–${high} dBm`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return `${[head, ...rows].map(line).join('\n')}\n`;
}

const dataRate = (region: RegionPlan) => `SF${region.poc.spreadingFactor} BW${region.poc.bandwidthHz / 1000}`;
const mhz = (hz: number) => `${hz / 1e6} MHz`;
const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10} %`;
const round = (value: number) => Math.round(value * 1000) / 1000;

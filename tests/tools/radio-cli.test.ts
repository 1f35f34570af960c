/** `covey airtime` and `covey regions`, run in-process: output with and without --json, and one-line errors. */
import { covey, type Run } from '../support/cli.js';
import { REGION_IDS } from '../../hal/radio/regions.js';

function expectOneLineFailure(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr.trimEnd()).toMatch(pattern);
}

describe('covey airtime', () => {
  test('prints the time on air, symbol, preamble and payload as text', async () => {
    const run = await covey(['airtime', '--sf', '7', '--bw', '125', '--cr', '5', '--bytes', '14']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        'SF7 BW125 kHz CR 4/5, 14-byte payload, preamble 8, explicit header, CRC on, LDRO off (auto)',
        'time on air  46.336 ms',
        'symbol       1.024 ms',
        'preamble     12.544 ms (12.25 symbols)',
        'payload      33.792 ms (33 symbols)',
        '',
      ].join('\n'),
    );
  });

  test('--json prints one object with timeOnAirMs and symbolMs', async () => {
    const run = await covey(['airtime', '--sf', '12', '--bw', '125', '--bytes', '109', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      spreadingFactor: 12,
      bandwidthHz: 125_000,
      codingRate: '4/5',
      payloadBytes: 109,
      ldroSetting: 'auto',
      ldro: true,
      timeOnAirMs: 4268.032,
      symbolMs: 32.768,
      payloadSymbols: 118,
    });
  });

  test('--preamble, --implicit, --no-crc and --ldro reach the formula (brocaar: 18 symbols with an implicit header)', async () => {
    const run = await covey([
      'airtime', '--sf', '12', '--bw', '125', '--cr', '4/5', '--bytes', '13', '--ldro', 'off', '--implicit', '--json',
    ]);
    expect(JSON.parse(run.stdout)).toMatchObject({ implicitHeader: true, ldro: false, payloadSymbols: 18 });
    const noCrc = JSON.parse((await covey(['airtime', '--sf', '7', '--bw', '125', '--bytes', '14', '--no-crc', '--json'])).stdout);
    expect(noCrc.crc).toBe(false);
    const longPreamble = JSON.parse(
      (await covey(['airtime', '--sf', '7', '--bw', '500', '--bytes', '16', '--preamble', '16', '--json'])).stdout,
    );
    expect(Math.round(longPreamble.timeOnAirMs * 10) / 10).toBe(14.9); // Meshtastic SHORT_TURBO
  });

  test('narrow bandwidths are given in kHz as the datasheet rounds them', async () => {
    const run = await covey(['airtime', '--sf', '7', '--bw', '62.5', '--bytes', '10', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ bandwidthHz: 62_500, symbolMs: 2.048 });
    expect(JSON.parse((await covey(['airtime', '--sf', '7', '--bw', '7.8', '--bytes', '1', '--json'])).stdout).bandwidthHz).toBe(7_800);
  });

  test('--chip sx127x uses the SX1276 form at SF6', async () => {
    const argv = ['airtime', '--sf', '6', '--bw', '125', '--bytes', '10', '--implicit', '--json'];
    expect(JSON.parse((await covey(argv)).stdout).timeOnAirMs).toBe(19.072);
    expect(JSON.parse((await covey([...argv, '--chip', 'sx127x'])).stdout).timeOnAirMs).toBe(20.608);
  });

  test.each([
    [['--sf', '13', '--bw', '125', '--bytes', '10'], /^covey airtime: spreading factor 13 is not 5–12$/],
    [['--sf', 'seven', '--bw', '125', '--bytes', '10'], /^covey airtime: --sf seven is not a whole number$/],
    [['--sf', '7', '--bw', '100', '--bytes', '10'], /^covey airtime: --bw 100 is not a LoRa bandwidth in kHz \(7.8, /],
    [['--sf', '7', '--bw', '125', '--bytes', '300'], /^covey airtime: payload of 300 bytes is not 0–255$/],
    [['--sf', '7', '--bw', '125', '--bytes', '-1'], /^covey airtime: --bytes -1 is not a whole number$/],
    [['--sf', '7', '--bw', '125', '--bytes', '10', '--cr', '9'], /^covey airtime: coding rate 4\/9 is not 4\/5–4\/8$/],
    [['--sf', '7', '--bw', '125', '--bytes', '10', '--ldro', 'maybe'], /^covey airtime: option '--ldro <mode>' argument 'maybe' is invalid/],
    [['--sf', '7', '--bw', '125'], /^covey airtime: required option '--bytes <n>' not specified$/],
    [['--sf', '5', '--bw', '125', '--bytes', '10', '--chip', 'sx127x'], /^covey airtime: the SX127x has no SF5/],
  ])('%j fails with one line', async (args, pattern) => {
    expectOneLineFailure(await covey(['airtime', ...args]), pattern);
  });

  test('--help shows usage and an example', async () => {
    const run = await covey(['airtime', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: covey airtime');
    expect(run.stdout).toContain('$ covey airtime --sf 7 --bw 125 --cr 5 --bytes 14');
  });
});

describe('covey regions', () => {
  test('lists every region with its PoC channel, beacon airtime, EIRP, duty cycle, dwell and LBT', async () => {
    const run = await covey(['regions']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^region\s+PoC channel\s+beacon\s+max EIRP\s+duty cycle\s+dwell\s+listen before talk$/);
    expect(lines.slice(1).map((line) => line.split(' ')[0])).toEqual([...REGION_IDS]);
    expect(run.stdout).toMatch(/EU868\s+869.525 MHz SF12 BW125 ≤27 dBm\s+4268 ms\s+16.15–29.15 dBm\s+10 %\s+none\s+none/);
    expect(run.stdout).toMatch(/KR920 .* -65 dBm over 6 ms/);
    expect(run.stdout).toMatch(/AS923_1 .* -80 dBm over 5 ms \(required in JP; applied throughout\)/);
  });

  test('--json prints one object holding every region with its computed beacon airtime', async () => {
    const run = await covey(['regions', '--json']);
    const { regions } = JSON.parse(run.stdout);
    expect(regions.map((r: { id: string }) => r.id)).toEqual([...REGION_IDS]);
    const us = regions.find((r: { id: string }) => r.id === 'US915');
    expect(us).toMatchObject({ dwellTimeMs: 400, maxEirpDbm: 36, poc: { frequencyHz: 919_000_000, beaconAirtimeMs: 266.752 } });
  });

  test('one region in detail: PoC channel, sub-bands, limits and LoRaWAN channels', async () => {
    const run = await covey(['regions', 'EU868']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('EU868  Europe 863–870 MHz');
    expect(run.stdout).toContain('  frequency   869.525 MHz');
    expect(run.stdout).toContain('  data rate   SF12 BW125, CR 4/5, preamble 8, sync word 0x12, LDRO on');
    expect(run.stdout).toContain('  beacon      109 bytes in 4268.032 ms');
    expect(run.stdout).toMatch(/869.4–869.65 MHz\s+10 %\s+29.15 dBm/);
    expect(run.stdout).toContain('  default   868.1, 868.3, 868.5 MHz (125 kHz)');
  });

  test('one region as JSON, by its LoRaWAN spelling', async () => {
    const region = JSON.parse((await covey(['regions', 'as923-1', '--json'])).stdout);
    expect(region).toMatchObject({ id: 'AS923_1', lbt: { thresholdDbm: -80, listenMs: 5, requiredIn: ['JP'] } });
    expect(region.poc).toMatchObject({ frequencyHz: 923_400_000, spreadingFactor: 8, beaconAirtimeMs: 328.192 });
  });

  test('an unknown region fails with one line listing the known ones', async () => {
    expectOneLineFailure(await covey(['regions', 'EU433']), /^covey regions: unknown region EU433 \(known: EU868, /);
  });

  test('--help shows usage and an example', async () => {
    const run = await covey(['regions', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: covey regions');
    expect(run.stdout).toContain('$ covey regions EU868');
  });
});

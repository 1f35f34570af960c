/** `covey boards`, run in-process through main(argv, io): the list, one board, --json, and bad ids. */
import { boards } from '../../hal/boards/index.js';
import { covey } from '../support/cli.js';

describe('covey boards', () => {
  test('lists every board with its MCU, radio chips and support level', async () => {
    const run = await covey(['boards']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^id\s+board\s+MCU\s+radio\s+support$/);
    expect(lines.find((line) => line.startsWith('heltec_v3 '))).toMatch(/Heltec WiFi LoRa 32 V3\s+ESP32-S3\s+SX1262 868\/915\s+supported$/);
    expect(lines.find((line) => line.startsWith('t3s3 '))).toMatch(/experimental$/);
    for (const { id } of boards) expect(lines.some((line) => line.startsWith(`${id} `))).toBe(true);
  });

  test('--json prints one object holding every board with its pins', async () => {
    const run = await covey(['boards', '--json']);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { boards: { id: string; pins: { role: string; pin: number }[] }[] };
    expect(printed.boards.map(({ id }) => id)).toEqual(boards.map(({ id }) => id));
    const tbeam = printed.boards.find(({ id }) => id === 'tbeam_v1');
    expect(tbeam?.pins).toContainEqual({ role: 'gps.receive', pin: 34, direction: 'in' });
  });

  test("one board shows what its hardware needs and its pin table", async () => {
    const run = await covey(['boards', 'heltec_v3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^heltec_v3 {2}Heltec WiFi LoRa 32 V3\n/);
    expect(run.stdout).toContain('1.8 V TCXO on DIO3');
    expect(run.stdout).toContain('DIO2 as RF switch');
    expect(run.stdout).toMatch(/^13\s+radio\.busy\s+in$/m);
    expect(run.stdout).toMatch(/^14\s+radio\.dio1\s+in$/m);
  });

  test('the T-Beam lists the AXP192 power-up among its needs', async () => {
    const run = await covey(['boards', 'tbeam_v1']);
    expect(run.stdout).toContain('AXP192 power-up over I2C before LoRa and GPS answer: LDO2 3.3 V (LoRa module)');
    expect(run.stdout).toContain('PA_BOOST');
  });

  test('one board with --json is the board file plus needs and pins', async () => {
    const run = await covey(['boards', 'heltec_v2', '--json']);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ id: 'heltec_v2', mcu: 'esp32', radio: { family: 'sx127x', dio0: 26, paBoost: true } });
    expect(printed.needs).toContain('battery sense (GPIO13) is on ADC2: read it with Wi-Fi off');
    expect(printed.pins).toContainEqual({ role: 'radio.nss', pin: 18, direction: 'out' });
  });

  test.each([[['boards', 'heltec']], [['boards', 'heltec', '--json']]])(
    '%j: an unknown id exits 1 with one line naming the valid ids',
    async (argv) => {
      const run = await covey(argv);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe('covey boards: unknown board "heltec"; valid boards: heltec_v2, heltec_v3, tbeam_v1, t3s3\n');
    },
  );

  test('--help describes the command with an example', async () => {
    const run = await covey(['boards', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: covey boards [options] [id]');
    expect(run.stdout).toContain('$ covey boards tbeam_v1');
  });
});

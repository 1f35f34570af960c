/**
 * The factory self-test (hal/moddable/selftest.ts) on every board, against the emulated chips: a healthy
 * device passes every item (gps SKIPs without a GPS), and each injected fault makes exactly its own item
 * FAIL, and the end line FAIL.
 */
import { boards } from '../../hal/boards/index.js';
import { runDeviceSelftest } from '../../hal/moddable/selftest.js';
import { SELFTEST_ITEMS } from '../../hal/selftest/report.js';
import { Sx1262 } from '../../host-sim/chips/sx1262.js';
import { Sx1276 } from '../../host-sim/chips/sx1276.js';
import { toHex } from '../../proofs/bytes.js';
import { createPortableSigner } from '../../proofs/ed25519-portable.js';
import { faultsFor, SELFTEST_FAULTS, selftestWorld, WORLD_SEED, type SelftestFault, type SelftestWorld } from './selftest-world.js';

interface Run {
  readonly passed: boolean;
  readonly lines: string[];
  readonly verdicts: Record<string, string>;
}

/** Runs the self-test, moving the world's clock while it waits (the GPS item sleeps on timers). */
export async function runIn(rig: SelftestWorld): Promise<Run> {
  const lines: string[] = [];
  let settled = false;
  const running = runDeviceSelftest(rig.modules, rig.board, rig.kv, (line) => lines.push(line)).finally(() => {
    settled = true;
  });
  for (let steps = 0; !settled && steps < 10_000; steps++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled) rig.world.advance(50);
  }
  const passed = await running;
  const verdicts: Record<string, string> = {};
  for (const line of lines) {
    const match = /^covey-selftest (\w+) (PASS|FAIL|SKIP)/.exec(line);
    if (match !== null) verdicts[match[1]] = match[2];
  }
  return { passed, lines, verdicts };
}

const publicKey = toHex(createPortableSigner(WORLD_SEED).publicKey);

describe.each(boards.map((board) => [board.id, board] as const))('%s', (id, board) => {
  test('a healthy device passes every item and the end line says PASS with the board and key', async () => {
    const rig = selftestWorld(id);
    const run = await runIn(rig);
    expect(run.passed).toBe(true);
    expect(run.lines.map((line) => line.split(' ')[1])).toEqual([...SELFTEST_ITEMS, 'PASS']);
    const expected = Object.fromEntries(SELFTEST_ITEMS.map((item) => [item, 'PASS']));
    if (board.gps === undefined) expected.gps = 'SKIP';
    expect(run.verdicts).toEqual(expected);
    const skipped = board.gps === undefined ? 1 : 0;
    expect(run.lines[run.lines.length - 1]).toBe(
      `covey-selftest-end PASS passed=${6 - skipped} failed=0 skipped=${skipped} board=${id} key=${publicKey}`,
    );
  });

  test('the radio and GPS are closed again and the radio left asleep', async () => {
    const rig = selftestWorld(id);
    await runIn(rig);
    if (rig.chip instanceof Sx1276) {
      expect(rig.chip.openIo).toBe(0);
      expect(rig.chip.registers[0x01] & 0x07).toBe(0); // RegOpMode: sleep
    } else {
      expect(rig.chip.openHandles).toBe(0);
      expect((rig.chip as Sx1262).mode).toBe('sleep');
    }
    if (board.powerChip !== undefined) {
      expect(rig.power?.railOn('ldo2')).toBe(true);
      expect(rig.power?.railOn('ldo3')).toBe(true);
    }
  });

  test.each(faultsFor(board).map((fault) => [fault]))('%s: only its item FAILs, and the end line', async (fault: SelftestFault) => {
    const run = await runIn(selftestWorld(id, fault));
    const item = SELFTEST_FAULTS[fault].item;
    expect(run.passed).toBe(false);
    expect(Object.entries(run.verdicts).filter(([, verdict]) => verdict === 'FAIL').map(([name]) => name)).toEqual([item]);
    expect(run.lines.find((line) => line.startsWith(`covey-selftest ${item} `))).toMatch(/ FAIL .*reason="(?:[^"\\]|\\.)+"$/);
    expect(run.lines[run.lines.length - 1]).toMatch(new RegExp(`^covey-selftest-end FAIL passed=\\d failed=1 skipped=\\d board=${id} key=`));
  });
});

describe('what the FAIL lines name', () => {
  const failLine = async (board: string, fault: SelftestFault) => {
    const run = await runIn(selftestWorld(board, fault));
    return run.lines.find((line) => line.includes(' FAIL ')) as string;
  };

  test('an SX1276 that is not on the bus: the version read and MISO stuck', async () => {
    expect(await failLine('heltec_v2', 'radio absent, MISO high')).toBe(
      'covey-selftest radio FAIL chip=sx127x version=0xff reason="RegVersion (0x42) reads 0xff, expected 0x12; RegOpMode reads 0xff, ' +
        'RegPaConfig 0xff: MISO stuck high: no chip answering (missing, unpowered, or its SPI or NSS not wired)"',
    );
  });

  test('an SX1262 that is not on the bus: the status byte read', async () => {
    expect(await failLine('heltec_v3', 'radio absent, MISO low')).toContain('reason="no SX126x answering: garbage on SPI: command 0x80 got status 0x00 (MISO stuck low)"');
  });

  test('an SX1262 whose BUSY never falls', async () => {
    expect(await failLine('t3s3', 'SX126x BUSY stuck high')).toMatch(/radio FAIL chip=sx126x reason="BUSY stayed high .* after reset: chip hung or BUSY line stuck high"/);
  });

  test('a stuck data bit: the pattern written, the value read and the bit', async () => {
    expect(await failLine('heltec_v2', 'SPI data bit 7 stuck low')).toBe(
      'covey-selftest spi FAIL register=0x39 reason="wrote 0xaa to RegSyncWord (0x39), read 0x2a (bit 7 reads 0)"',
    );
    expect(await failLine('heltec_v3', 'SPI data bit 0 stuck low')).toBe(
      'covey-selftest spi FAIL register=0x0740 reason="wrote 0x55 0xaa to registers 0x0740/0x0741, read 0x54 0xaa (0x0740: bit 0 reads 0)"',
    );
  });

  test('flash faults name the sector and the step', async () => {
    expect(await failLine('heltec_v2', 'flash erase fails')).toContain('reason="erasing sector 15 failed: erase failed"');
    expect(await failLine('heltec_v2', 'flash program fails')).toContain('reason="programming sector 15 failed: write failed"');
    expect(await failLine('heltec_v2', 'flash reads back wrong')).toContain('reason="sector 15: wrote 0xa5 at offset 0, read 0xa7"');
  });

  test('no seed, and a seed that is not one', async () => {
    expect(await failLine('heltec_v2', 'no seed in NVS')).toBe(
      'covey-selftest key FAIL reason="no seed in NVS (key \\"seed\\"): boot the firmware once to make one, or provision one"',
    );
    expect(await failLine('heltec_v2', 'corrupt seed in NVS')).toContain('is 10 characters of text, not a 32-byte seed');
  });

  test('a stuck RNG: the pattern', async () => {
    // Math.random() stuck at 0.5 gives 00 00 80 per call, so the 32-bit draws cycle with period 3.
    expect(await failLine('heltec_v2', 'RNG stuck at a constant')).toBe(
      'covey-selftest rng FAIL draws=64 distinct=3 reason="the draws repeat every 3 (0x00800000 0x00008000 0x80000080)"',
    );
  });

  test('a silent GPS, and one whose sentences all have bad checksums', async () => {
    expect(await failLine('tbeam_v1', 'GPS silent')).toBe(
      'covey-selftest gps FAIL sentences=0 badChecksums=0 reason="nothing from the GPS in 6 s: not powered, not wired, or on another UART"',
    );
    expect(await failLine('tbeam_v1', 'GPS sends only bad checksums')).toMatch(
      /gps FAIL sentences=0 badChecksums=\d+ reason="0 sentence\(s\) with a good checksum in 6 s, need 2; \d+ bad/,
    );
  });
});

test('the GPS item counts good sentences and passes as soon as it has two', async () => {
  const run = await runIn(selftestWorld('tbeam_v1'));
  expect(run.lines.find((line) => line.startsWith('covey-selftest gps '))).toMatch(/^covey-selftest gps PASS sentences=\d+ badChecksums=0 waitedMs=\d+$/);
});

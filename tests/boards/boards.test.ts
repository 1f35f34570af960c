/**
 * Board files (STYLE.md rule 3): every pin is a GPIO the MCU has and can use for its role, no GPIO has two
 * roles, each radio family has the lines its driver needs, and the registry matches the files on disk.
 *
 * The pin checks walk each board object themselves rather than trusting pinAssignments(), and a test
 * proves pinAssignments() misses no pin, so a role the helper forgot cannot hide a collision.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  boardById, boardIds, boards, MCU_GPIO, pinAssignments, radioSpiOptions, UnknownBoardError, type Board,
} from '../../hal/boards/index.js';
import { heltecV2 } from '../../hal/boards/heltec_v2.js';

/** Numeric fields in a board file that are not GPIO numbers. */
const NOT_PINS = new Set([
  'spiPort', 'tcxoVolts', 'minHz', 'maxHz', 'width', 'height', 'address', 'millivolts', 'port', 'baud',
  'dividerRatio',
]);

interface FoundPin {
  readonly path: string;
  readonly pin: number;
}

/** Every GPIO number in a board object, found by walking it (the `reserved` list is checked separately). */
function pinsIn(value: unknown, path = ''): FoundPin[] {
  if (typeof value === 'number') return [{ path, pin: value }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    NOT_PINS.has(key) || (path === '' && key === 'reserved') ? [] : pinsIn(child, path === '' ? key : `${path}.${key}`),
  );
}

/** GPIOs used by more than one role, each with the roles that claim it. */
function collisions(board: Board): string[] {
  const roles = new Map<number, string[]>();
  for (const { path, pin } of pinsIn(board)) roles.set(pin, [...(roles.get(pin) ?? []), path]);
  return [...roles].filter(([, paths]) => paths.length > 1).map(([pin, paths]) => `GPIO${pin}: ${paths.join(', ')}`);
}

const byId = boards.map((board) => [board.id, board] as const);

describe('board pins', () => {
  test.each(byId)('%s: pinAssignments() lists every pin in the board file', (_id, board) => {
    const walked = pinsIn(board).map(({ path, pin }) => `${path}=${pin}`).sort();
    const listed = pinAssignments(board).map(({ role, pin }) => `${role}=${pin}`).sort();
    expect(listed).toEqual(walked);
  });

  test.each(byId)('%s: no GPIO is assigned to two roles', (_id, board) => {
    expect(collisions(board)).toEqual([]);
  });

  test('the check catches a board file that gives one pin two roles', () => {
    const broken = { ...heltecV2, led: { pin: heltecV2.radio.dio0, activeLow: false } } satisfies Board;
    expect(collisions(broken)).toEqual(['GPIO26: radio.dio0, led.pin']);
  });

  test.each(byId)('%s: every pin is a GPIO the MCU has, and not one of its flash pins', (_id, board) => {
    const mcu = MCU_GPIO[board.mcu];
    const bad = pinsIn(board).filter(({ pin }) => !mcu.gpios.includes(pin) || mcu.flash.includes(pin));
    expect(bad).toEqual([]);
  });

  test.each(byId)('%s: no output role sits on an input-only pin', (_id, board) => {
    const { inputOnly } = MCU_GPIO[board.mcu];
    const driven = pinAssignments(board).filter(({ direction }) => direction === 'out' || direction === 'io');
    expect(driven.filter(({ pin }) => inputOnly.includes(pin))).toEqual([]);
  });

  test('GPIO34–39 are input-only on the ESP32 and no GPIO is on the ESP32-S3', () => {
    expect(MCU_GPIO.esp32.inputOnly).toEqual([34, 35, 36, 37, 38, 39]);
    expect(MCU_GPIO.esp32s3.inputOnly).toEqual([]);
    expect(MCU_GPIO.esp32.gpios).not.toContain(20);
    expect(MCU_GPIO.esp32s3.gpios).not.toContain(22);
    expect(MCU_GPIO.esp32s3.gpios).toContain(48);
  });

  test.each(byId)('%s: the battery sense pin has an ADC channel', (_id, board) => {
    const battery = pinAssignments(board).filter(({ direction }) => direction === 'analog');
    expect(battery.filter(({ pin }) => !MCU_GPIO[board.mcu].adc.includes(pin))).toEqual([]);
  });

  test.each(byId)('%s: no role uses a reserved pin', (_id, board) => {
    const reserved = (board.reserved ?? []).map(({ pin }) => pin);
    expect(pinsIn(board).filter(({ pin }) => reserved.includes(pin))).toEqual([]);
  });

  test.each(byId)('%s: an OLED or power chip comes with the I2C bus it sits on', (_id, board) => {
    if (board.oled !== undefined || board.powerChip !== undefined) expect(board.i2c).toBeDefined();
  });
});

describe('radio wiring', () => {
  test.each(byId)('%s: the radio has the lines its driver needs', (_id, board) => {
    const { radio } = board;
    if (radio.family === 'sx126x') {
      expect(Number.isInteger(radio.busy) && Number.isInteger(radio.dio1)).toBe(true);
      expect(typeof radio.dio2AsRfSwitch).toBe('boolean');
    } else {
      expect(Number.isInteger(radio.dio0)).toBe(true);
      expect(typeof radio.paBoost).toBe('boolean');
    }
  });

  test.each(byId)("%s: every frequency variant's chip belongs to the radio's family", (_id, board) => {
    const family = board.radio.family === 'sx127x' ? ['SX1276', 'SX1278'] : ['SX1262', 'SX1268'];
    for (const variant of board.variants) {
      expect(family).toContain(variant.chip);
      expect(variant.minHz).toBeLessThan(variant.maxHz);
    }
  });

  test.each(byId)('%s: has a variant for the 863–928 MHz regions', (_id, board) => {
    expect(board.variants.some(({ minHz, maxHz }) => minHz <= 863e6 && maxHz >= 928e6)).toBe(true);
  });

  /** reference/radio.md §4 pin table (from Meshtastic's variant.h files): NSS SCK MISO MOSI RST DIO0 DIO1 BUSY/DIO2. */
  const REFERENCE: Record<string, readonly (number | null)[]> = {
    heltec_v2: [18, 5, 19, 27, 14, 26, 35, 34],
    tbeam_v1: [18, 5, 19, 27, 23, 26, 33, 32],
    heltec_v3: [8, 9, 11, 10, 12, null, 14, 13],
    t3s3: [7, 5, 3, 6, 8, null, 33, 34],
  };

  test.each(byId)('%s: radio pins match the reference pin table', (id, board) => {
    const r = board.radio;
    const row =
      r.family === 'sx127x'
        ? [r.nss, r.sck, r.miso, r.mosi, r.reset, r.dio0, r.dio1 ?? null, r.dio2 ?? null]
        : [r.nss, r.sck, r.miso, r.mosi, r.reset, null, r.dio1, r.busy];
    expect(row).toEqual(REFERENCE[id]);
  });

  test('heltec_v2 matches the Moddable heltec_lora_32 target (moddable.md §6)', () => {
    const board = boardById('heltec_v2');
    expect(radioSpiOptions(board)).toEqual({ port: 1, clock: 5, in: 19, out: 27 });
    expect([board.radio.reset, board.radio.nss, board.led?.pin, board.button?.pin]).toEqual([14, 18, 25, 0]);
    expect(board.radio.family === 'sx127x' && board.radio.dio0).toBe(26);
  });

  test('SX126x boards power a 1.8 V TCXO from DIO3 and switch the antenna with DIO2', () => {
    for (const id of ['heltec_v3', 't3s3']) {
      const { radio } = boardById(id);
      expect(radio.family === 'sx126x' && [radio.tcxoVolts, radio.dio2AsRfSwitch]).toEqual([1.8, true]);
    }
  });

  test('the T-Beam powers LoRa and GPS from its AXP192 at 0x34 on SDA 21 / SCL 22', () => {
    const board = boardById('tbeam_v1');
    expect(board.i2c).toEqual({ data: 21, clock: 22 });
    expect(board.powerChip).toMatchObject({ chip: 'AXP192', address: 0x34, mcuRail: 'dcdc3' });
    expect(Object.keys(board.powerChip?.rails ?? {}).sort()).toEqual(['dcdc1', 'ldo2', 'ldo3']);
    expect(board.gps).toMatchObject({ receive: 34, transmit: 12, baud: 9600 });
  });
});

describe('board registry', () => {
  test('ids are unique', () => {
    expect(new Set(boardIds).size).toBe(boardIds.length);
  });

  test('boardById returns the board with that id', () => {
    for (const board of boards) expect(boardById(board.id)).toBe(board);
  });

  test('an unknown id is rejected with the list of valid ids', () => {
    expect(() => boardById('heltec')).toThrow(UnknownBoardError);
    expect(() => boardById('heltec')).toThrow('unknown board "heltec"; valid boards: heltec_v2, heltec_v3, tbeam_v1, t3s3');
  });

  test('each board file holds one board whose id is its file name, and the registry has them all', async () => {
    const dir = fileURLToPath(new URL('../../hal/boards/', import.meta.url));
    const helpers = new Set(['index.ts', 'mcu.ts', 'pins.ts', 'types.ts']);
    const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && !helpers.has(file));
    const found: string[] = [];
    for (const file of files) {
      const exports = Object.values((await import(`../../hal/boards/${file.replace(/\.ts$/, '.js')}`)) as object);
      const inFile = exports.filter((value): value is Board => typeof value === 'object' && value !== null && 'radio' in value);
      expect(inFile.map(({ id }) => `${id}.ts`)).toEqual([file]);
      found.push(inFile[0].id);
    }
    expect(found.sort()).toEqual([...boardIds].sort());
  });
});

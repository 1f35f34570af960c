/**
 * The radio and SPI items on an SX127x, over its register bus (hal/drivers/sx127x/bus.ts), right after a
 * reset pulse (the chip is then in FSK standby with every register at its reset value, SX1276 DS §6.4):
 *
 * - radio: RegVersion (0x42) reads 0x12. When it does not, RegOpMode and RegPaConfig are read too (reset
 *   values 0x09 and 0x4F), so that the reason can tell a bus with no chip on it (every byte 0x00 or 0xFF)
 *   from a chip that answers with something else.
 * - spi: the chip goes to LoRa sleep, where RegSyncWord (0x39, a plain read/write register of the LoRa
 *   page, reset value 0x12) takes 0x55 and then 0xAA, each read back, so every data bit is seen both 0 and 1
 *   in each direction; the value found first is written back.
 */
import type { RegisterBus } from '../drivers/sx127x/bus.js';
import { enterLoRaMode } from '../drivers/sx127x/chip.js';
import { CHIP_VERSION, REG } from '../drivers/sx127x/registers.js';
import { type CheckResult, fail, hexByte, pass } from './report.js';

/** Written to the scratch register: between them every bit is 0 once and 1 once. */
export const SPI_PATTERNS = [0x55, 0xaa] as const;

/** Why a set of bytes read looks like no chip at all, or undefined when it does not. */
export function emptyBusReason(values: readonly number[]): string | undefined {
  if (values.every((value) => value === 0x00)) return 'MISO stuck low: no chip answering (missing, unpowered, or its SPI or NSS not wired)';
  if (values.every((value) => value === 0xff)) return 'MISO stuck high: no chip answering (missing, unpowered, or its SPI or NSS not wired)';
  return undefined;
}

/** The bits in which `read` differs from `expected`, as "bit 7 reads 0, bit 3 reads 1". */
export function wrongBits(expected: number, read: number): string {
  const parts: string[] = [];
  for (let bit = 7; bit >= 0; bit--) {
    if (((expected ^ read) >> bit) & 1) parts.push(`bit ${bit} reads ${(read >> bit) & 1}`);
  }
  return parts.join(', ');
}

export function checkSx127xRadio(bus: RegisterBus): CheckResult {
  const version = bus.read(REG.VERSION);
  if (version === CHIP_VERSION) return pass({ chip: 'sx127x', version: hexByte(version) });
  const opMode = bus.read(REG.OP_MODE);
  const paConfig = bus.read(REG.PA_CONFIG);
  const why = emptyBusReason([version, opMode, paConfig]) ?? 'not an SX1276/77/78/79, or SPI corrupts what it reads';
  return fail(
    `RegVersion (0x42) reads ${hexByte(version)}, expected ${hexByte(CHIP_VERSION)}; RegOpMode reads ${hexByte(opMode)}, ` +
      `RegPaConfig ${hexByte(paConfig)}: ${why}`,
    { chip: 'sx127x', version: hexByte(version) },
  );
}

/** `frequencyHz` picks the LowFrequencyModeOn bit of RegOpMode (any frequency of the board's band will do). */
export function checkSx127xSpi(bus: RegisterBus, frequencyHz: number): CheckResult {
  enterLoRaMode(bus, frequencyHz);
  const original = bus.read(REG.SYNC_WORD);
  let problem: string | undefined;
  for (const pattern of SPI_PATTERNS) {
    bus.write(REG.SYNC_WORD, pattern);
    const read = bus.read(REG.SYNC_WORD);
    if (read !== pattern) {
      problem = `wrote ${hexByte(pattern)} to RegSyncWord (0x39), read ${hexByte(read)} (${wrongBits(pattern, read)})`;
      break;
    }
  }
  bus.write(REG.SYNC_WORD, original);
  if (problem !== undefined) return fail(problem, { register: '0x39' });
  const restored = bus.read(REG.SYNC_WORD);
  if (restored !== original) return fail(`RegSyncWord (0x39) reads ${hexByte(restored)} after writing back ${hexByte(original)}`, { register: '0x39' });
  return pass({ register: '0x39', patterns: SPI_PATTERNS.length });
}

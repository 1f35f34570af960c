/**
 * The radio and SPI items on an SX126x, over its command bus (hal/drivers/sx126x/bus.ts):
 *
 * - radio: a reset pulse, then BUSY must fall (a BUSY line that stays high is a hung chip or a shorted
 *   line, DS §8.1); SetStandby(STDBY_RC) and GetStatus must report chip mode STDBY_RC (DS §13.5.1: a status
 *   byte of 0x00 or 0xFF is MISO stuck, not a chip); and the LoRa sync word registers 0x0740/0x0741 must
 *   read their reset values 0x14/0x24 (DS §12, Table 12-1).
 * - spi: the same two registers take 0x55 0xAA and then 0xAA 0x55 (WriteRegister, ReadRegister, DS
 *   §13.2.1–2), each read back, so every data bit is seen 0 and 1 in both bytes; what was there is written back.
 */
import type { CommandBus } from '../drivers/sx126x/bus.js';
import type { Sx126xChip } from '../drivers/sx126x/chip.js';
import { ChipMode, Opcode, Register, StandbyMode } from '../drivers/sx126x/commands.js';
import { decodeStatus } from '../drivers/sx126x/encoding.js';
import { type CheckResult, fail, hexByte, messageOf, pass } from './report.js';
import { wrongBits } from './sx127x-check.js';

/** Reset values of 0x0740/0x0741: the private sync word 0x12 (DS §12, Table 12-1). */
export const SYNC_WORD_RESET = [0x14, 0x24] as const;

const ADDRESS = [Register.LoRaSyncWordMsb >> 8, Register.LoRaSyncWordMsb & 0xff];
const SPI_PATTERNS: readonly (readonly number[])[] = [[0x55, 0xaa], [0xaa, 0x55]];

function readSyncWord(bus: CommandBus): [number, number] {
  const bytes = bus.read(Opcode.ReadRegister, ADDRESS, 2);
  return [bytes[0], bytes[1]];
}

function writeSyncWord(bus: CommandBus, bytes: readonly number[]): void {
  bus.write(Opcode.WriteRegister, [...ADDRESS, ...bytes]);
}

const pair = (bytes: readonly number[]): string => `${hexByte(bytes[0])} ${hexByte(bytes[1])}`;

export function checkSx126xRadio(chip: Sx126xChip): CheckResult {
  try {
    chip.hardReset();
  } catch (error) {
    return fail(`${messageOf(error)}: chip hung or BUSY line stuck high`, { chip: 'sx126x' });
  }
  const bus = chip.bus;
  let status: number;
  try {
    bus.write(Opcode.SetStandby, [StandbyMode.Rc]);
    status = bus.command(Uint8Array.of(Opcode.GetStatus, 0))[1];
  } catch (error) {
    return fail(`no SX126x answering: ${messageOf(error)}`, { chip: 'sx126x' });
  }
  const { mode } = decodeStatus(status);
  if (mode !== ChipMode.StandbyRc) {
    return fail(`GetStatus reads ${hexByte(status)}, chip mode ${mode} after SetStandby, expected STDBY_RC (${ChipMode.StandbyRc})`, {
      chip: 'sx126x', status: hexByte(status),
    });
  }
  const sync = readSyncWord(bus);
  if (sync[0] !== SYNC_WORD_RESET[0] || sync[1] !== SYNC_WORD_RESET[1]) {
    return fail(`LoRa sync word registers 0x0740/0x0741 read ${pair(sync)}, expected their reset values ${pair(SYNC_WORD_RESET)}`, {
      chip: 'sx126x', status: hexByte(status),
    });
  }
  return pass({ chip: 'sx126x', status: hexByte(status), syncWord: '0x1424' });
}

export function checkSx126xSpi(bus: CommandBus): CheckResult {
  const original = readSyncWord(bus);
  let problem: string | undefined;
  for (const pattern of SPI_PATTERNS) {
    writeSyncWord(bus, pattern);
    const read = readSyncWord(bus);
    if (read[0] !== pattern[0] || read[1] !== pattern[1]) {
      const at = read[0] !== pattern[0] ? 0 : 1;
      problem = `wrote ${pair(pattern)} to registers 0x0740/0x0741, read ${pair(read)} (0x074${at}: ${wrongBits(pattern[at], read[at])})`;
      break;
    }
  }
  writeSyncWord(bus, original);
  if (problem !== undefined) return fail(problem, { register: '0x0740' });
  const restored = readSyncWord(bus);
  if (restored[0] !== original[0] || restored[1] !== original[1]) {
    return fail(`registers 0x0740/0x0741 read ${pair(restored)} after writing back ${pair(original)}`, { register: '0x0740' });
  }
  return pass({ register: '0x0740', patterns: SPI_PATTERNS.length });
}

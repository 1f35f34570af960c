/** `covey boards`: the boards covey supports, or one board's pins and what its hardware needs. */
import type { Command } from 'commander';
import { boardById, boards, MCU_GPIO, pinAssignments, type Board, type PinAssignment } from '../../hal/boards/index.js';
import { guarded, type CliContext, type CliIo } from './io.js';

interface BoardsOptions {
  readonly json?: boolean;
}

export function addBoardsCommand(program: Command, context: CliContext): Command {
  return program
    .command('boards')
    .description("list the supported boards, or show one board's pins and needs")
    .argument('[id]', 'a board id, e.g. tbeam_v1')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Without an id, lists every board: id, name, MCU, radio chip per frequency version, support level.',
        'With an id, shows what the firmware must do for that hardware (PA_BOOST, TCXO and RF switch, power',
        'rails) and its pin table. The board files in hal/boards/ are the source of all of it.',
        '',
        'Examples:',
        '  $ covey boards',
        '  $ covey boards tbeam_v1',
        '  $ covey boards heltec_v3 --json',
      ].join('\n'),
    )
    .action(guarded(context, 'boards', (id: string | undefined, options: BoardsOptions) => show(id, options, context.io)));
}

function show(id: string | undefined, options: BoardsOptions, io: CliIo): void {
  const selected = id === undefined ? undefined : boardById(id);
  if (options.json === true) {
    const value = selected === undefined ? { boards: boards.map(describe) } : describe(selected);
    io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  io.stdout(selected === undefined ? listText() : boardText(selected));
}

/** A board as JSON: the board file's data plus what is derived from it. */
function describe(board: Board): Board & { readonly needs: readonly string[]; readonly pins: readonly PinAssignment[] } {
  return { ...board, needs: needs(board), pins: pinAssignments(board) };
}

/** What the firmware must do for this hardware beyond plain SPI. */
export function needs(board: Board): string[] {
  const { radio } = board;
  const list: string[] = [];
  if (radio.family === 'sx127x' && radio.paBoost) list.push('PA_BOOST output (RegPaConfig PaSelect = 1)');
  if (radio.family === 'sx126x' && radio.tcxoVolts !== null) list.push(`${radio.tcxoVolts.toFixed(1)} V TCXO on DIO3`);
  if (radio.family === 'sx126x' && radio.dio2AsRfSwitch) list.push('DIO2 as RF switch');
  if (board.powerChip !== undefined) {
    const rails = Object.entries(board.powerChip.rails).map(([rail, { millivolts, feeds }]) => `${rail.toUpperCase()} ${millivolts / 1000} V (${feeds})`);
    list.push(`${board.powerChip.chip} power-up over I2C before LoRa and GPS answer: ${rails.join(', ')}`);
  }
  if (board.vext !== undefined) {
    list.push(`Vext on (GPIO${board.vext.pin} ${board.vext.activeLow ? 'low' : 'high'}) for the ${board.vext.feeds}`);
  }
  if (board.battery?.kind === 'adc' && MCU_GPIO[board.mcu].adcBlockedByWifi.includes(board.battery.pin)) {
    list.push(`battery sense (GPIO${board.battery.pin}) is on ADC2: read it with Wi-Fi off`);
  }
  return list;
}

function radios(board: Board): string {
  return board.variants.map((variant) => `${variant.chip} ${variant.label}`).join(', ');
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

function listText(): string {
  const rows = [
    ['id', 'board', 'MCU', 'radio', 'support'],
    ...boards.map((board) => [board.id, board.name, MCU_GPIO[board.mcu].name, radios(board), board.support]),
  ];
  return `${table(rows)}\n\ncovey boards <id> shows a board's pins and what its hardware needs.\n`;
}

function boardText(board: Board): string {
  const mhz = (hz: number) => `${hz / 1e6}`;
  const variants = board.variants.map((v) => `${v.chip} ${v.label} (${mhz(v.minHz)}–${mhz(v.maxHz)} MHz)`);
  const lines = [
    `${board.id}  ${board.name}`,
    '',
    table([
      ['MCU', MCU_GPIO[board.mcu].name],
      ['support', board.support],
      ['radio', variants.join(', ')],
      ['SPI port', String(board.radio.spiPort)],
      ...needs(board).map((need, i) => [i === 0 ? 'needs' : '', need]),
    ]),
    '',
    table([['GPIO', 'role', 'direction'], ...pinAssignments(board).map(({ pin, role, direction }) => [String(pin), role, direction])]),
  ];
  if (board.reserved !== undefined) {
    lines.push('', `reserved: ${board.reserved.map(({ pin, why }) => `GPIO${pin} (${why})`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

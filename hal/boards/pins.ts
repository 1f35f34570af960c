/**
 * A board's pins as a flat list of roles, for the checks in tests/boards, the pin table of
 * `covey boards <id>`, and whatever is generated from board files. The board file stays the only place
 * a pin number is written; this only reads it.
 */
import type { Board, Gpio } from './types.js';

/**
 * What the MCU does with the pin: 'in' reads it, 'out' drives it, 'io' does both (I2C lines are open
 * drain and need an output driver), 'analog' samples it with the ADC.
 */
export type PinDirection = 'in' | 'out' | 'io' | 'analog';

export interface PinAssignment {
  /** Dotted path of the field in the board file, e.g. 'radio.nss', 'gps.receive'. */
  readonly role: string;
  readonly pin: Gpio;
  readonly direction: PinDirection;
}

type Entry = readonly [role: string, pin: Gpio | undefined, direction: PinDirection];

function radioPins(board: Board): Entry[] {
  const r = board.radio;
  const spi: Entry[] = [
    ['radio.nss', r.nss, 'out'],
    ['radio.sck', r.sck, 'out'],
    ['radio.miso', r.miso, 'in'],
    ['radio.mosi', r.mosi, 'out'],
    ['radio.reset', r.reset, 'out'],
  ];
  if (r.family === 'sx127x') {
    return [...spi, ['radio.dio0', r.dio0, 'in'], ['radio.dio1', r.dio1, 'in'], ['radio.dio2', r.dio2, 'in']];
  }
  return [...spi, ['radio.dio1', r.dio1, 'in'], ['radio.busy', r.busy, 'in']];
}

function peripheralPins(board: Board): Entry[] {
  const battery = board.battery?.kind === 'adc' ? board.battery : undefined;
  return [
    ['i2c.data', board.i2c?.data, 'io'],
    ['i2c.clock', board.i2c?.clock, 'io'],
    ['oled.reset', board.oled?.reset, 'out'],
    ['powerChip.irq', board.powerChip?.irq, 'in'],
    ['vext.pin', board.vext?.pin, 'out'],
    ['led.pin', board.led?.pin, 'out'],
    ['button.pin', board.button?.pin, 'in'],
    ['gps.receive', board.gps?.receive, 'in'],
    ['gps.transmit', board.gps?.transmit, 'out'],
    ['battery.pin', battery?.pin, 'analog'],
    ['battery.enable.pin', battery?.enable?.pin, 'out'],
  ];
}

/** Every GPIO the board assigns a role, in board-file order; unwired optional roles are left out. */
export function pinAssignments(board: Board): readonly PinAssignment[] {
  const entries = [...radioPins(board), ...peripheralPins(board)];
  return entries
    .filter((entry): entry is readonly [string, Gpio, PinDirection] => entry[1] !== undefined)
    .map(([role, pin, direction]) => ({ role, pin, direction }));
}

/**
 * The radio's SPI bus as ECMA-419 SPI constructor options (moddable.md §2): `port` is required on the
 * ESP32, chip select stays out (the driver toggles it as a Digital pin around each transfer).
 */
export function radioSpiOptions(board: Board): { port: number; clock: Gpio; in: Gpio; out: Gpio } {
  const { spiPort, sck, miso, mosi } = board.radio;
  return { port: spiPort, clock: sck, in: miso, out: mosi };
}

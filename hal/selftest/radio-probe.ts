/**
 * The board's radio opened for the self-test: the bare register or command bus on the board's pins,
 * without the driver on top, so that the checks see exactly what the chip answers instead of the driver's
 * error for it. The IO classes come in as for hal/drivers/open-radio.ts (Moddable's `device.io` on the
 * device, an emulated chip's in tests). The chip is left asleep at close.
 */
import { radioSpiOptions } from '../boards/pins.js';
import type { Board } from '../boards/types.js';
import { DigitalMode, type DigitalInstance, type SpiInstance } from '../drivers/ecma419.js';
import type { RadioIo } from '../drivers/open-radio.js';
import { CommandBus } from '../drivers/sx126x/bus.js';
import { Sx126xChip } from '../drivers/sx126x/chip.js';
import { RegisterBus } from '../drivers/sx127x/bus.js';
import { opModeValue } from '../drivers/sx127x/chip.js';
import { RESET_PULSE_MS, RESET_READY_MS, ResetLine } from '../drivers/sx127x/recovery.js';
import { MODE, REG } from '../drivers/sx127x/registers.js';
import type { Clock } from '../../src/ports.js';
import type { CheckResult } from './report.js';
import { checkSx126xRadio, checkSx126xSpi } from './sx126x-check.js';
import { checkSx127xRadio, checkSx127xSpi } from './sx127x-check.js';

/** The SPI clock the drivers use (8 MHz: within both families' limits, SX1276 DS §2.5, SX1261/2 DS §3.6). */
const SPI_HZ = 8_000_000;

export interface RadioProbeOptions {
  readonly clock: Clock;
  /** Blocks for `ms` (Moddable's Timer.delay): the SX127x reset pulse and its 5 ms wake-up. */
  readonly delay: (ms: number) => void;
}

export interface RadioProbe {
  /** The radio item: a reset, then the chip must answer as itself. */
  present(): CheckResult;
  /** The spi item: register write and read-back. Only meaningful after present() passed. */
  spi(): CheckResult;
  /** Leaves the chip asleep (best effort) and closes every IO object; idempotent. */
  close(): void;
}

function closeQuietly(parts: readonly ({ close(): void } | undefined)[]): void {
  for (const part of parts) {
    try {
      part?.close();
    } catch {
      // Best effort: one part failing to close must not keep the others open.
    }
  }
}

function openSpi(board: Board, io: RadioIo): SpiInstance {
  return new io.SPI({ ...radioSpiOptions(board), hz: SPI_HZ, mode: 0 });
}

function sx127xProbe(board: Board, io: RadioIo, options: RadioProbeOptions): RadioProbe {
  const r = board.radio;
  const frequencyHz = board.variants[0].minHz;
  const select = new io.Digital({ pin: r.nss, mode: DigitalMode.Output });
  let reset: ResetLine | undefined;
  let bus: RegisterBus | undefined;
  try {
    select.write(1);
    reset = new ResetLine(io.Digital, r.reset);
    bus = new RegisterBus(openSpi(board, io), select);
  } catch (error) {
    closeQuietly([reset, select]);
    throw error;
  }
  const line = reset;
  const registers = bus;
  let closed = false;
  return {
    present() {
      // SX1276 DS §7.2.2: NRESET low for more than 100 µs, then 5 ms before the chip answers.
      line.assert();
      options.delay(RESET_PULSE_MS);
      line.release();
      options.delay(RESET_READY_MS);
      return checkSx127xRadio(registers);
    },
    spi: () => checkSx127xSpi(registers, frequencyHz),
    close() {
      if (closed) return;
      closed = true;
      try {
        registers.write(REG.OP_MODE, opModeValue(MODE.SLEEP, frequencyHz));
      } catch {
        // A chip that does not answer cannot be put to sleep either.
      }
      closeQuietly([line, registers]);
    },
  };
}

function sx126xProbe(board: Board, io: RadioIo, options: RadioProbeOptions): RadioProbe {
  const r = board.radio;
  if (r.family !== 'sx126x') throw new RangeError(`${board.id} has no SX126x`);
  const opened: { close(): void }[] = [];
  const pin = (number: number, mode: number): DigitalInstance => {
    const digital = new io.Digital({ pin: number, mode });
    opened.push(digital);
    return digital;
  };
  let chip: Sx126xChip;
  try {
    const nss = pin(r.nss, DigitalMode.Output);
    nss.write(1);
    const nreset = pin(r.reset, DigitalMode.Output);
    nreset.write(1);
    const busy = pin(r.busy, DigitalMode.Input);
    const spi = openSpi(board, io);
    opened.push(spi);
    const bus = new CommandBus(spi, nss, busy, options.clock);
    chip = new Sx126xChip(bus, nreset, { tcxoVoltage: r.tcxoVolts ?? undefined, dio2RfSwitch: r.dio2AsRfSwitch });
  } catch (error) {
    closeQuietly(opened.reverse());
    throw error;
  }
  let closed = false;
  return {
    present: () => checkSx126xRadio(chip),
    spi: () => checkSx126xSpi(chip.bus),
    close() {
      if (closed) return;
      closed = true;
      try {
        chip.sleep();
      } catch {
        // A chip that does not answer cannot be put to sleep either.
      }
      closeQuietly(opened.reverse());
    },
  };
}

/** Opens the board's radio chip for the checks; throws when an IO object cannot be opened. */
export function openRadioProbe(board: Board, io: RadioIo, options: RadioProbeOptions): RadioProbe {
  return board.radio.family === 'sx127x' ? sx127xProbe(board, io, options) : sx126xProbe(board, io, options);
}

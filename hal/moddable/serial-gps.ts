/**
 * The Gps port on the device: the board's GPS UART (hal/boards/types.ts, Gps) opened with the host
 * provider's ECMA-419 Serial (`device.io.Serial` from "embedded:provider/builtin", reference/moddable.md
 * §2), read by the NMEA driver (hal/drivers/gps/nmea.ts). The IO classes are passed in, as
 * hal/moddable/radio.ts takes SPI and Digital, so host-sim and the tests can hand over an emulator's.
 *
 * A GPS that hangs on a power-chip rail (the T-Beam: AXP192 LDO3, hal/boards/tbeam_v1.ts) gets that rail
 * switched on first, over I2C with hal/drivers/axp192.ts. Nothing waits for the module to start: the
 * driver simply hears nothing until its first sentence, and reports no fix until then.
 */
import type { Board } from '../boards/types.js';
import type { I2cIoClass, SwitchableRail } from '../drivers/axp192.js';
import { NmeaGps, type NmeaReceiverOptions, type SerialIoClass } from '../drivers/gps/nmea.js';
import { switchOnRail } from './power-rail.js';

/** The IO classes of `device.io` the GPS needs; I2C only on boards whose GPS has a power-chip rail. */
export interface GpsIo {
  readonly Serial: SerialIoClass;
  readonly I2C?: I2cIoClass;
}

export interface SerialGpsOptions extends NmeaReceiverOptions {
  /** A UART read that failed; the driver keeps listening. */
  readonly onError?: (error: unknown) => void;
}

/** The power-chip rail that feeds the GPS: the one whose `feeds` names it. */
export function gpsRail(board: Board): SwitchableRail | undefined {
  const rails = board.powerChip?.rails ?? {};
  return (Object.keys(rails) as SwitchableRail[]).find((name) => /gps|gnss/i.test(rails[name]?.feeds ?? ''));
}

/** Opens the board's GPS; a RangeError when the board has none (use NoGps from ./gps.js there). */
export function openSerialGps(board: Board, io: GpsIo, options: SerialGpsOptions = {}): NmeaGps {
  const gps = board.gps;
  if (gps === undefined) throw new RangeError(`${board.id} has no GPS`);
  const rail = gpsRail(board);
  if (rail !== undefined) switchOnRail(board, io.I2C, rail);
  const { port, receive, transmit, baud } = gps;
  return new NmeaGps({ ...options, serial: { io: io.Serial, port, receive, transmit, baud } });
}

/**
 * A GNSS receiver's NMEA 0183 output turned into the Gps port (src/ports.ts). Moddable has no NMEA parser
 * (reference/moddable.md §3), so this one reads what a u-blox, MediaTek or Quectel module sends by default:
 * RMC (time, date, validity), GGA (position, quality, satellites, HDOP, altitude) and GSA (2D/3D mode and
 * DOPs), from any talker (GP, GN, GL, GA, BD, GB...). Every other sentence is counted and skipped.
 *
 * This is the module the rest of covey imports. The driver is in three parts:
 * - nmea-fields.ts: what the fields of RMC, GGA and GSA mean (times, dates, degrees × 10^7, DOPs);
 * - nmea-receiver.ts: NmeaReceiver, which frames sentences from bytes, checks their checksums and
 *   assembles each epoch's RMC and GGA into a fix;
 * - nmea-serial.ts: NmeaGps, a receiver on an ECMA-419 Serial UART, and the Serial types it opens.
 */
export { coordinateE7, type Dop, type FixMode, timeOfDayMs, utcDateMs } from './nmea-fields.js';
export {
  DEFAULT_MAX_AGE_MS,
  MAX_SENTENCE_LENGTH,
  type NmeaBadCounts,
  NmeaReceiver,
  type NmeaReceiverOptions,
  type NmeaStats,
} from './nmea-receiver.js';
export { NmeaGps, type NmeaGpsOptions, type SerialIo, type SerialIoClass, type SerialIoOptions } from './nmea-serial.js';

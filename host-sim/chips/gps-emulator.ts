/**
 * A GNSS receiver emulator for walks and drives in the simulator and the tests: given where the receiver
 * is at each moment, it writes what a u-blox module at its defaults would send each epoch (RMC, GGA, GSA,
 * in that order, CR LF after each), and the no-fix forms a real module sends while it has no fix:
 * RMC status V mode N, GGA quality 0 with HDOP 99.99, GSA mode 1 with DOPs 99.99 (as a NEO-6M prints
 * them before its first fix; here always with the time and date, as once the module has decoded them
 * from the satellites). Bytes come out of `sentencesAt`, or through an ECMA-419-shaped Serial class
 * for hal/drivers/gps/nmea.ts. No Node APIs, so the XS tier can load it.
 *
 * Written out independently of the driver, so that a mistake in one shows up as a failing test instead of
 * hiding in both: positions as ddmm.mmmmm (five minute decimals, 1/60 of 10^-5 degree, about 2 cm),
 * times as hhmmss.ss, HDOP and DOPs with two decimals, altitude with one, and speed and course empty
 * (NMEA's null fields). The geoid is taken as the ellipsoid (separation 0.0), so `altitudeM` is both.
 * PDOP and VDOP are stand-ins: VDOP = 1.5 × HDOP, a typical ratio, and PDOP² = HDOP² + VDOP².
 */
import type { SerialIo, SerialIoClass, SerialIoOptions } from '../../hal/drivers/gps/nmea.js';

export interface EmulatedPosition {
  /** Degrees, north positive. */
  readonly lat: number;
  /** Degrees, east positive. */
  readonly lon: number;
  /** Metres above mean sea level. */
  readonly altitudeM: number;
}

/** Where the receiver is at a UTC time (ms since 1970), or undefined where it has no position to give. */
export type PositionSource = (timeMs: number) => EmulatedPosition | undefined;

export interface FixLoss {
  /** Half-open [startMs, endMs) spans of UTC time without a fix: a tunnel, an underpass. */
  readonly intervals?: readonly (readonly [number, number])[];
  /** Chance that any one second of the walk has no fix; needs `random`. */
  readonly perSecond?: number;
  /** Uniform in [0, 1): drawn once per epoch `sentencesAt` writes, so the same draws give the same run. */
  readonly random?: () => number;
}

export interface GpsEmulatorOptions {
  readonly position: PositionSource;
  /** Default 0.9. */
  readonly hdop?: number | ((timeMs: number) => number);
  /** Satellites used, 0–99; fewer than 3 is no fix, 3 a 2D fix. Default 8. */
  readonly satellites?: number | ((timeMs: number) => number);
  readonly fixLoss?: FixLoss;
  /** Time between epochs, ms. Default 1,000 (1 Hz, the usual default). */
  readonly periodMs?: number;
  /** Two letters: GP (GPS only, the default), GN (several systems), GL, GA, BD... */
  readonly talker?: string;
  /** The UART as the module is wired: a Serial opened on another pin or port hears nothing, at another baud rate noise. */
  readonly wiring?: { readonly port: number; readonly receive: number; readonly baud: number };
  /** False while the module's supply is off: it sends nothing. Default: always on. */
  readonly powered?: () => boolean;
  /**
   * Fault: every sentence goes out with a wrong checksum (its last hex digit changed), as from a module
   * whose UART line drops or flips bits. Default false.
   */
  readonly badChecksums?: boolean;
}

const DAY_MS = 86_400_000;
/** What GSA and GGA print while there is no fix, as u-blox modules do. */
const NO_DOP = '99.99';

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The XOR of the characters between '$' and '*', as two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** A full sentence from its fields (talker and type first), with "*hh" and CR LF. */
export function nmeaSentence(fields: readonly string[]): string {
  const body = fields.join(',');
  return `$${body}*${nmeaChecksum(body)}\r\n`;
}

/**
 * Degrees as the two NMEA fields: ddmm.mmmmm (dddmm.mmmmm for longitude) and the hemisphere letter.
 * Rounded once, in whole 10^-5 minutes, so 59.999996' carries into the next degree instead of printing 60.
 */
export function nmeaCoordinate(degrees: number, axis: 'lat' | 'lon'): [string, string] {
  const units = Math.round(Math.abs(degrees) * 6_000_000); // 10^-5 minutes
  const whole = Math.floor(units / 6_000_000);
  const minutes = units - whole * 6_000_000;
  const text = `${pad(whole, axis === 'lat' ? 2 : 3)}${pad(Math.floor(minutes / 100_000), 2)}.${pad(minutes % 100_000, 5)}`;
  const hemisphere = axis === 'lat' ? (degrees < 0 ? 'S' : 'N') : degrees < 0 ? 'W' : 'E';
  return [text, hemisphere];
}

/** hhmmss.ss (centiseconds truncated) and ddmmyy of a UTC time. */
function nmeaTimeAndDate(timeMs: number): [string, string] {
  const date = new Date(timeMs);
  const year = date.getUTCFullYear();
  if (year < 1980 || year > 2079) throw new RangeError(`${year} has no two-digit NMEA year (1980–2079)`);
  const ofDay = ((timeMs % DAY_MS) + DAY_MS) % DAY_MS;
  const seconds = Math.floor(ofDay / 1000);
  const time = `${pad(Math.floor(seconds / 3600), 2)}${pad(Math.floor(seconds / 60) % 60, 2)}${pad(seconds % 60, 2)}.${pad(Math.floor((ofDay % 1000) / 10), 2)}`;
  return [time, `${pad(date.getUTCDate(), 2)}${pad(date.getUTCMonth() + 1, 2)}${pad(year % 100, 2)}`];
}

function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const valueAt = (option: number | ((timeMs: number) => number), timeMs: number): number =>
  typeof option === 'function' ? option(timeMs) : option;

/** What the emulated module knows at one epoch. */
interface Solution {
  readonly position: EmulatedPosition;
  readonly hdop: number;
  readonly satellites: number;
}

export class GpsEmulator {
  /** The ECMA-419 Serial class to hand the driver as `options.serial.io`. */
  readonly Serial: SerialIoClass;
  /** Epochs written, and how many of them had a fix. */
  readonly stats: { epochs: number; fixes: number };
  private readonly options: GpsEmulatorOptions;
  private readonly talker: string;
  private readonly periodMs: number;
  /** The Serial instances open now: each gets what `transmit` sends. */
  private readonly ports: Set<{ deliver(bytes: Uint8Array): void }>;

  constructor(options: GpsEmulatorOptions) {
    const { periodMs = 1000, talker = 'GP', fixLoss } = options;
    if (!Number.isInteger(periodMs) || periodMs <= 0) throw new RangeError('periodMs must be a positive integer');
    if (!/^[A-Z]{2}$/.test(talker)) throw new RangeError(`talker "${talker}" is not two capital letters`);
    const chance = fixLoss?.perSecond;
    if (chance !== undefined && (!(chance >= 0 && chance <= 1) || fixLoss?.random === undefined)) {
      throw new RangeError('fixLoss.perSecond must be in [0, 1] and comes with fixLoss.random');
    }
    // Assigned here rather than as field initializers, as in device code: the XS tier loads this
    // emulator beside the driver (docs/protocol.md §3, "Class fields must be lowered for XS").
    this.stats = { epochs: 0, fixes: 0 };
    this.options = options;
    this.talker = talker;
    this.periodMs = periodMs;
    this.ports = new Set();
    this.Serial = emulatedSerial(options.wiring, this.ports);
  }

  /** One epoch's RMC, GGA and GSA as bytes, for a receiver whose clock reads `timeMs` (UTC, ms since 1970). */
  sentencesAt(timeMs: number): Uint8Array {
    const text = this.epochText(timeMs);
    return asciiBytes(this.options.badChecksums === true ? text.replace(/([0-9A-F])\r\n/g, (_, digit: string) => `${digit === '0' ? '1' : '0'}\r\n`) : text);
  }

  /** Every epoch on the period grid in [fromMs, toMs), one after another. */
  between(fromMs: number, toMs: number): Uint8Array {
    let text = '';
    for (let t = Math.ceil(fromMs / this.periodMs) * this.periodMs; t < toMs; t += this.periodMs) text += this.epochText(t);
    return asciiBytes(text);
  }

  /** Sends the epoch at `timeMs` to every open Serial and tells each it is readable; the bytes sent. */
  transmit(timeMs: number): number {
    if (this.options.powered?.() === false) return 0;
    const bytes = this.sentencesAt(timeMs);
    for (const port of this.ports) port.deliver(bytes);
    return bytes.length;
  }

  private epochText(timeMs: number): string {
    const [time, date] = nmeaTimeAndDate(timeMs);
    const solution = this.solution(timeMs);
    this.stats.epochs += 1;
    const t = this.talker;
    if (solution === undefined) {
      return nmeaSentence([`${t}RMC`, time, 'V', '', '', '', '', '', '', date, '', '', 'N'])
        + nmeaSentence([`${t}GGA`, time, '', '', '', '', '0', '00', NO_DOP, '', '', '', '', '', ''])
        + nmeaSentence([`${t}GSA`, 'A', '1', ...Array<string>(12).fill(''), NO_DOP, NO_DOP, NO_DOP]);
    }
    this.stats.fixes += 1;
    const { position, hdop, satellites } = solution;
    const lat = nmeaCoordinate(position.lat, 'lat');
    const lon = nmeaCoordinate(position.lon, 'lon');
    const vdop = 1.5 * hdop;
    const used = Array.from({ length: 12 }, (_, i) => (i < satellites ? pad(i + 1, 2) : ''));
    return nmeaSentence([`${t}RMC`, time, 'A', ...lat, ...lon, '', '', date, '', '', 'A'])
      + nmeaSentence([`${t}GGA`, time, ...lat, ...lon, '1', pad(satellites, 2), hdop.toFixed(2), position.altitudeM.toFixed(1), 'M', '0.0', 'M', '', ''])
      + nmeaSentence([`${t}GSA`, 'A', satellites === 3 ? '2' : '3', ...used, Math.hypot(hdop, vdop).toFixed(2), hdop.toFixed(2), vdop.toFixed(2)]);
  }

  /** The fix at `timeMs`, or undefined while it is lost. Draws from `random` once when fixLoss.perSecond is set. */
  private solution(timeMs: number): Solution | undefined {
    const { fixLoss, position: source } = this.options;
    const dropped = fixLoss?.perSecond !== undefined && (fixLoss.random as () => number)() < 1 - (1 - fixLoss.perSecond) ** (this.periodMs / 1000);
    if (dropped || fixLoss?.intervals?.some(([start, end]) => timeMs >= start && timeMs < end)) return undefined;
    const satellites = valueAt(this.options.satellites ?? 8, timeMs);
    const hdop = valueAt(this.options.hdop ?? 0.9, timeMs);
    if (!Number.isInteger(satellites) || satellites < 0 || satellites > 99) throw new RangeError(`satellites ${satellites} is not an integer in 0–99`);
    if (!(hdop > 0 && hdop < 100)) throw new RangeError(`hdop ${hdop} is not in (0, 100)`);
    const position = source(timeMs);
    if (position === undefined || satellites < 3) return undefined;
    if (!(Math.abs(position.lat) <= 90 && Math.abs(position.lon) <= 180 && Number.isFinite(position.altitudeM))) {
      throw new RangeError(`position ${position.lat}, ${position.lon}, ${position.altitudeM} m is not on Earth`);
    }
    return { position, hdop, satellites };
  }
}

/** A Serial class whose instances receive what `transmit` sends while they are open. */
function emulatedSerial(wiring: GpsEmulatorOptions['wiring'], ports: Set<{ deliver(bytes: Uint8Array): void }>): SerialIoClass {
  return class EmulatedSerial implements SerialIo {
    private readonly onReadable: (count: number) => void;
    /** Opened on the module's port and RX pin (or the wiring is not modelled): it hears the module. */
    private readonly wired: boolean;
    /** Opened at another baud rate than the module's: what it hears is noise. */
    private readonly noisy: boolean;
    /** Chunks delivered and not yet read. */
    private pending: Uint8Array[];

    constructor(options: SerialIoOptions) {
      if (options.format !== 'buffer') throw new RangeError('this Serial only delivers format "buffer"');
      this.onReadable = options.onReadable;
      this.wired = wiring === undefined || (options.port === wiring.port && options.receive === wiring.receive);
      this.noisy = wiring !== undefined && options.baud !== wiring.baud;
      this.pending = [];
      ports.add(this);
    }

    deliver(bytes: Uint8Array): void {
      if (!this.wired) return;
      // At the wrong baud rate a UART samples mid-bit and frames at random: high-bit bytes, never '$'.
      this.pending.push(this.noisy ? bytes.map((byte) => 0x80 | (byte ^ 0x55)) : bytes);
      this.onReadable(bytes.length);
    }

    read(): ArrayBuffer | undefined {
      if (this.pending.length === 0) return undefined;
      const size = this.pending.reduce((sum, chunk) => sum + chunk.length, 0);
      const all = new Uint8Array(size);
      let offset = 0;
      for (const chunk of this.pending) {
        all.set(chunk, offset);
        offset += chunk.length;
      }
      this.pending = [];
      return all.buffer;
    }

    close(): void {
      ports.delete(this);
      this.pending = [];
    }
  };
}

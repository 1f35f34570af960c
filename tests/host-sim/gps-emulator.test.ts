/**
 * The GPS emulator against the NMEA driver: what the emulator writes comes back out of the driver at the
 * precision it was written (ddmm.mmmmm: 10^-5 minute, so within 1/6 of 10^-6 degree plus the driver's
 * half unit of 10^-7), in every hemisphere; fix loss shows as no fix and the fix returns after; HDOP and
 * satellites come through; every checksum is right. Then the device wiring: the T-Beam's GPS opened from
 * its board file (hal/moddable/serial-gps.ts) with its AXP192 rail switched on.
 */
import { boardById } from '../../hal/boards/index.js';
import { NmeaGps, NmeaReceiver, type NmeaStats } from '../../hal/drivers/gps/nmea.js';
import { gpsRail, openSerialGps } from '../../hal/moddable/serial-gps.js';
import { Axp192Chip } from '../../host-sim/chips/axp192.js';
import { GpsEmulator, nmeaCoordinate, type EmulatedPosition, type GpsEmulatorOptions } from '../../host-sim/chips/gps-emulator.js';

const T0 = Date.UTC(2026, 4, 17, 9, 30, 0);
const text = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
const still = (position: EmulatedPosition) => () => position;

/** An emulator and a driver fed each epoch, in the same clock. */
function rig(options: Partial<GpsEmulatorOptions> & Pick<GpsEmulatorOptions, 'position'>) {
  const emulator = new GpsEmulator(options);
  const receiver = new NmeaReceiver();
  const at = (timeMs: number) => {
    receiver.push(emulator.sentencesAt(timeMs));
    return receiver.fix();
  };
  return { emulator, receiver, at };
}

/** 10^-7 degree units the written text can be off, plus the driver's rounding. */
const E7_TOLERANCE = 1e7 / 6e6 / 2 + 0.5;

describe('round trip through the driver', () => {
  test.each([
    ['Zürich', 47.376_887, 8.541_694, 408],
    ['Sydney', -33.868_820, 151.209_296, 58],
    ['Quito', -0.180_653, -78.467_838, 2850],
    ['Anchorage', 61.218_056, -149.900_28, 31],
    ['Dead Sea shore', 31.559_0, 35.473_2, -430.2],
    ['by the antimeridian', -16.5, 179.999_999, 3],
    ['by the pole', 89.999_999, -0.000_001, 2830],
    ['0° 0°', 0, 0, 0],
  ])('%s (%f, %f, %f m)', (_place, lat, lon, altitudeM) => {
    const { at } = rig({ position: still({ lat, lon, altitudeM }) });
    const fix = at(T0);
    expect(fix).toBeDefined();
    expect(Math.abs((fix?.latE7 ?? NaN) - lat * 1e7)).toBeLessThanOrEqual(E7_TOLERANCE);
    expect(Math.abs((fix?.lonE7 ?? NaN) - lon * 1e7)).toBeLessThanOrEqual(E7_TOLERANCE);
    expect(fix).toMatchObject({ altitudeM: Math.round(altitudeM * 10) / 10, timeMs: T0, hdop: 0.9, satellites: 8 });
  });

  test('positions are written to the fifth minute decimal and round once, carrying into the next degree', () => {
    expect(nmeaCoordinate(48.1173, 'lat')).toEqual(['4807.03800', 'N']);
    expect(nmeaCoordinate(-11.516_666_666, 'lon')).toEqual(['01131.00000', 'W']);
    expect(nmeaCoordinate(48.999_999_999, 'lat')).toEqual(['4900.00000', 'N']);
    expect(nmeaCoordinate(-0.000_000_01, 'lat')).toEqual(['0000.00000', 'S']);
  });

  test('an epoch is RMC, GGA, GSA with the exact fields a u-blox module writes, CR LF after each', () => {
    const emulator = new GpsEmulator({ position: still({ lat: 48.1173, lon: 11.516_666_666_7, altitudeM: 545.4 }) });
    const lines = text(emulator.sentencesAt(Date.UTC(1994, 2, 23, 12, 35, 19, 250))).split('\r\n');
    expect(lines.map((line) => line.slice(0, line.indexOf('*')))).toEqual([
      '$GPRMC,123519.25,A,4807.03800,N,01131.00000,E,,,230394,,,A',
      '$GPGGA,123519.25,4807.03800,N,01131.00000,E,1,08,0.90,545.4,M,0.0,M,,',
      '$GPGSA,A,3,01,02,03,04,05,06,07,08,,,,,1.62,0.90,1.35',
      '',
    ]);
  });

  test('every sentence of a minute carries the right checksum', () => {
    const emulator = new GpsEmulator({ position: (t) => ({ lat: 52 + (t - T0) / 1e8, lon: -1.5, altitudeM: 20 }), fixLoss: { intervals: [[T0 + 20_000, T0 + 30_000]] } });
    const lines = text(emulator.between(T0, T0 + 60_000)).split('\r\n').filter((line) => line !== '');
    expect(lines).toHaveLength(180);
    for (const line of lines) {
      const [body, sum] = line.slice(1).split('*');
      let xor = 0;
      for (const c of body) xor ^= c.charCodeAt(0);
      expect(sum).toBe(xor.toString(16).toUpperCase().padStart(2, '0'));
    }
    expect(emulator.stats).toEqual({ epochs: 60, fixes: 50 });
  });

  test('a walk: each epoch gives the position of its own second', () => {
    const walk = (t: number) => ({ lat: -41.2865 + (t - T0) * 1e-8, lon: 174.7762 - (t - T0) * 2e-8, altitudeM: 12 });
    const { at } = rig({ position: walk });
    for (let t = T0; t < T0 + 30_000; t += 1000) {
      const fix = at(t);
      expect(fix?.timeMs).toBe(t);
      expect(Math.abs((fix?.latE7 ?? NaN) - walk(t).lat * 1e7)).toBeLessThanOrEqual(E7_TOLERANCE);
      expect(Math.abs((fix?.lonE7 ?? NaN) - walk(t).lon * 1e7)).toBeLessThanOrEqual(E7_TOLERANCE);
    }
  });
});

describe('fix loss', () => {
  test('no fix inside a [start, end) interval, the no-fix forms on the wire, and the fix back at its end', () => {
    const { emulator, at } = rig({ position: still({ lat: 10, lon: 20, altitudeM: 5 }), fixLoss: { intervals: [[T0 + 5000, T0 + 8000]] } });
    const fixes = Array.from({ length: 10 }, (_, i) => at(T0 + i * 1000) !== undefined);
    expect(fixes).toEqual([true, true, true, true, true, false, false, false, true, true]);
    const lost = text(emulator.sentencesAt(T0 + 6000)).split('\r\n').map((line) => line.slice(0, line.indexOf('*')));
    expect(lost.slice(0, 3)).toEqual([
      '$GPRMC,093006.00,V,,,,,,,170526,,,N',
      '$GPGGA,093006.00,,,,,0,00,99.99,,,,,,',
      '$GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99',
    ]);
  });

  test('a per-second loss chance draws once per epoch from the injected random source', () => {
    const draws = [0.9, 0.1, 0.5, 0.29, 0.31, 0.95];
    let drawn = 0;
    const random = () => draws[drawn++];
    const { at, receiver } = rig({ position: still({ lat: 1, lon: 2, altitudeM: 3 }), fixLoss: { perSecond: 0.3, random } });
    const fixes = draws.map((_, i) => at(T0 + i * 1000) !== undefined);
    expect(fixes).toEqual([true, false, true, false, true, true]);
    expect(drawn).toBe(draws.length);
    expect(receiver.stats.fixes).toBe(4);
  });

  test('no position from the source, or fewer than 3 satellites, is no fix; 3 satellites is a 2D fix', () => {
    const { at, receiver } = rig({
      position: (t) => (t < T0 + 2000 ? undefined : { lat: 1, lon: 2, altitudeM: 3 }),
      satellites: (t) => [8, 8, 8, 2, 3, 4][(t - T0) / 1000],
    });
    const seen = [0, 1, 2, 3, 4, 5].map((i) => [at(T0 + i * 1000)?.satellites, receiver.fixMode]);
    expect(seen).toEqual([[undefined, 1], [undefined, 1], [8, 3], [undefined, 1], [3, 2], [4, 3]]);
  });

  test('options that cannot work are refused', () => {
    const position = still({ lat: 0, lon: 0, altitudeM: 0 });
    expect(() => new GpsEmulator({ position, fixLoss: { perSecond: 0.1 } })).toThrow(RangeError);
    expect(() => new GpsEmulator({ position, fixLoss: { perSecond: 2, random: () => 0 } })).toThrow(RangeError);
    expect(() => new GpsEmulator({ position, talker: 'G' })).toThrow(RangeError);
    expect(() => new GpsEmulator({ position, periodMs: 0 })).toThrow(RangeError);
    expect(() => new GpsEmulator({ position, satellites: 100 }).sentencesAt(T0)).toThrow(RangeError);
    expect(() => new GpsEmulator({ position: still({ lat: 91, lon: 0, altitudeM: 0 }) }).sentencesAt(T0)).toThrow(RangeError);
    expect(() => new GpsEmulator({ position }).sentencesAt(Date.UTC(2080, 0, 1))).toThrow(RangeError);
  });
});

describe('HDOP, satellites and talker', () => {
  test('HDOP and satellites as functions of time come through each epoch', () => {
    const { at, receiver } = rig({
      position: still({ lat: 45, lon: 7, altitudeM: 200 }),
      hdop: (t) => 0.8 + (t - T0) / 10_000,
      satellites: (t) => 4 + (t - T0) / 1000,
    });
    expect([0, 1, 2].map((i) => at(T0 + i * 1000)).map((fix) => [fix?.hdop, fix?.satellites])).toEqual([[0.8, 4], [0.9, 5], [1, 6]]);
    expect(receiver.dop).toEqual({ pdop: 1.8, hdop: 1, vdop: 1.5 });
  });

  test('a GN talker at 5 Hz: five fixes a second, each at its own 200 ms', () => {
    const { emulator, receiver } = rig({ position: still({ lat: -23.55, lon: -46.63, altitudeM: 760 }), talker: 'GN', periodMs: 200 });
    const bytes = emulator.between(T0, T0 + 1000);
    receiver.push(bytes);
    expect(text(bytes).startsWith('$GNRMC,093000.00,A,2333.00000,S,04637.80000,W')).toBe(true);
    expect(receiver.stats.fixes).toBe(5);
    expect(receiver.fix()?.timeMs).toBe(T0 + 800);
  });
});

describe('through an ECMA-419 Serial', () => {
  const wiring = { port: 1, receive: 34, baud: 9600 };
  const position = still({ lat: 51.5, lon: -0.12, altitudeM: 11 });
  const NO_BAD: NmeaStats['bad'] = { checksum: 0, missingChecksum: 0, malformed: 0, tooLong: 0, truncated: 0 };

  test('the driver opened on the wired UART gets each epoch through onReadable', () => {
    const emulator = new GpsEmulator({ position, wiring });
    const gps = new NmeaGps({ serial: { io: emulator.Serial, ...wiring } });
    expect(emulator.transmit(T0)).toBeGreaterThan(150);
    expect(gps.fix()).toMatchObject({ latE7: 515_000_000, lonE7: -1_200_000, timeMs: T0 });
    expect(gps.stats).toMatchObject({ parsed: 3, fixes: 1, bad: NO_BAD });
    gps.close();
    emulator.transmit(T0 + 1000);
    expect(gps.stats.parsed).toBe(3);
  });

  test('at the wrong baud rate every byte is noise: skipped, no sentence, no fix', () => {
    const emulator = new GpsEmulator({ position, wiring });
    const gps = new NmeaGps({ serial: { io: emulator.Serial, ...wiring, baud: 115_200 } });
    const sent = emulator.transmit(T0);
    expect(gps.fix()).toBeUndefined();
    expect(gps.stats).toMatchObject({ parsed: 0, skippedBytes: sent, bad: NO_BAD });
  });

  test('on another pin nothing arrives', () => {
    const emulator = new GpsEmulator({ position, wiring });
    const gps = new NmeaGps({ serial: { io: emulator.Serial, ...wiring, receive: 35 } });
    emulator.transmit(T0);
    expect(gps.stats).toMatchObject({ parsed: 0, skippedBytes: 0 });
  });
});

describe('openSerialGps (hal/moddable/serial-gps.ts)', () => {
  const tbeam = boardById('tbeam_v1');

  test("T-Beam: LDO3 (the GPS rail) is switched on at 3.3 V and the board's UART gets the emulator's fix", () => {
    const power = new Axp192Chip({ wiring: tbeam.i2c });
    const gpsWiring = tbeam.gps as NonNullable<typeof tbeam.gps>;
    const emulator = new GpsEmulator({
      position: still({ lat: -36.8485, lon: 174.7633, altitudeM: 26 }),
      wiring: { port: gpsWiring.port, receive: gpsWiring.receive, baud: gpsWiring.baud },
      powered: () => power.railOn('ldo3'),
    });
    expect(gpsRail(tbeam)).toBe('ldo3');
    expect(emulator.transmit(T0)).toBe(0);
    const gps = openSerialGps(tbeam, { Serial: emulator.Serial, I2C: power.I2C });
    expect([power.railOn('ldo3'), power.railMillivolts('ldo3'), power.railOn('ldo2')]).toEqual([true, 3300, false]);
    expect(power.stats.busesOpen).toBe(0);
    emulator.transmit(T0 + 1000);
    expect(gps.fix()).toMatchObject({ latE7: -368_485_000, lonE7: 1_747_633_000, altitudeM: 26, timeMs: T0 + 1000 });
    gps.close();
  });

  test('a board without a GPS is refused by name; a GPS rail without io.I2C too', () => {
    const emulator = new GpsEmulator({ position: still({ lat: 0, lon: 0, altitudeM: 0 }) });
    expect(() => openSerialGps(boardById('heltec_v3'), { Serial: emulator.Serial })).toThrow(/heltec_v3 has no GPS/);
    expect(() => openSerialGps(tbeam, { Serial: emulator.Serial })).toThrow(RangeError);
  });
});

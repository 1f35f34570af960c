/**
 * The NMEA 0183 driver against sentences published by others, each named with its source, and against
 * broken input: bad, missing and malformed checksums, truncated and over-long lines, noise, empty and
 * out-of-range fields, sentences split across chunks at every offset. Expected coordinates were worked out
 * by hand from the ddmm.mmmm text (degrees + minutes / 60, × 10^7, rounded half away from zero); every
 * checksum used below was recomputed, not copied.
 */
import fc from 'fast-check';
import {
  coordinateE7, DEFAULT_MAX_AGE_MS, NmeaGps, NmeaReceiver, timeOfDayMs, utcDateMs,
  type NmeaReceiverOptions, type SerialIoOptions,
} from '../../hal/drivers/gps/nmea.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** The XOR checksum, computed here independently of the driver and the emulator. */
function withChecksum(body: string): string {
  let sum = 0;
  for (const c of body) sum ^= c.charCodeAt(0);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
}

function receive(lines: readonly string[], options: NmeaReceiverOptions = {}): NmeaReceiver {
  const receiver = new NmeaReceiver(options);
  receiver.push(ascii(lines.map((l) => `${l}\r\n`).join('')));
  return receiver;
}

const NO_BAD = { checksum: 0, missingChecksum: 0, malformed: 0, tooLong: 0, truncated: 0 };

// Dale DePriest, "NMEA data" (gpsinformation.org), the RMC, GGA and GSA examples.
const DEPRIEST_RMC = '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A';
const DEPRIEST_GGA = '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47';
const DEPRIEST_GSA = '$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39';
const DEPRIEST_FIX = {
  latE7: 481_173_000, // 48° 07.038' N = 48.1173°
  lonE7: 115_166_667, // 11° 31.000' E = 11.51666…°
  altitudeM: 545.4,
  hdop: 0.9,
  satellites: 8,
  timeMs: Date.UTC(1994, 2, 23, 12, 35, 19),
};

// A u-blox NEO-6M's output after power-on, before its first fix (chris.cnie.de/avr/neo-6.html).
const NEO6M_COLD = [
  '$GPTXT,01,01,02,u-blox ag - www.u-blox.com*50',
  '$GPRMC,,V,,,,,,,,,,N*53',
  '$GPVTG,,,,,,,,,N*30',
  '$GPGGA,,,,,,0,00,99.99,,,,,,*48',
  '$GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99*30',
  '$GPGSV,1,1,00*79',
  '$GPGLL,,,,,,V,N*64',
];

describe('published example sentences', () => {
  test('DePriest RMC + GGA: 48.1173° N, 11.51667° E, 545.4 m, 8 satellites, HDOP 0.9, 1994-03-23 12:35:19 UTC', () => {
    const receiver = receive([DEPRIEST_RMC, DEPRIEST_GGA]);
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    expect(receiver.stats).toEqual({ parsed: 2, ignored: 0, skippedBytes: 0, fixes: 1, bad: NO_BAD });
  });

  test('DePriest GSA: a 3D fix with PDOP 2.5, HDOP 1.3, VDOP 2.1', () => {
    const receiver = receive([DEPRIEST_GSA]);
    expect(receiver.fixMode).toBe(3);
    expect(receiver.dop).toEqual({ pdop: 2.5, hdop: 1.3, vdop: 2.1 });
    expect(receiver.fix()).toBeUndefined();
  });

  test('u-blox receiver description RMC, GGA and GSA examples parse; RMC and GGA of different epochs make no fix', () => {
    const receiver = receive([
      '$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57',
      '$GPGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,*5B',
      '$GPGSA,A,3,23,29,07,08,09,18,26,28,,,,,1.94,1.18,1.54*0D',
    ]);
    expect(receiver.stats).toMatchObject({ parsed: 3, fixes: 0, bad: NO_BAD });
    expect(receiver.fix()).toBeUndefined();
    expect(receiver.dop).toEqual({ pdop: 1.94, hdop: 1.18, vdop: 1.54 });
  });

  test('the u-blox GGA example with an RMC of its own epoch: 47.2852332° N, 8.5652650° E, 499.6 m', () => {
    const rmc = withChecksum('GPRMC,092725.00,A,4717.11399,N,00833.91590,E,0.004,77.52,091202,,,A');
    const receiver = receive(['$GPGGA,092725.00,4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,*5B', rmc]);
    expect(receiver.fix()).toEqual({
      latE7: 472_852_332, lonE7: 85_652_650, altitudeM: 499.6, hdop: 1.01, satellites: 8, timeMs: Date.UTC(2002, 11, 9, 9, 27, 25),
    });
  });

  test('a MediaTek walk log (riverotter.xsrv.jp, 2015-05-05), GGA before RMC, GSV skipped: 36.3605150° N, 136.6141450° E', () => {
    const receiver = receive([
      '$GPGGA,232348.000,3621.6309,N,13636.8487,E,1,6,1.35,190.4,M,35.1,M,,*52',
      '$GPGSA,A,3,24,18,12,22,13,15,,,,,,,1.60,1.35,0.86*06',
      '$GPGSV,3,1,11,24,83,352,38,18,57,301,39,15,51,071,36,50,46,165,*7C',
      '$GPRMC,232348.000,A,3621.6309,N,13636.8487,E,0.70,343.18,050515,,,A*64',
    ]);
    expect(receiver.fix()).toEqual({
      latE7: 363_605_150, lonE7: 1_366_141_450, altitudeM: 190.4, hdop: 1.35, satellites: 6, timeMs: Date.UTC(2015, 4, 5, 23, 23, 48),
    });
    expect(receiver.stats).toMatchObject({ parsed: 3, ignored: 1, fixes: 1 });
  });

  test('a survey receiver with 8 minute decimals, DGPS quality 2 and GSA mode M (NOAA PSL, PISTON 2019 cruise log)', () => {
    const receiver = receive([
      '$GPGGA,195959.00,1813.38282955,N,12606.12767097,E,2,07,1.4,17.2,M,36.5,M,4.0,0129*78',
      '$GPRMC,195959.00,A,1813.38282955,N,12606.12767097,E,1.31,262.13,160919,3.0,W,D*21',
      '$GPGSA,M,3,01,07,08,09,11,18,27,,,,,,2.7,1.4,2.4*33',
    ]);
    // 18° 13.38282955' = 18.22304715916…° and 126° 6.12767097' = 126.10212784949…°
    expect(receiver.fix()).toEqual({
      latE7: 182_230_472, lonE7: 1_261_021_278, altitudeM: 17.2, hdop: 1.4, satellites: 7, timeMs: Date.UTC(2019, 8, 16, 19, 59, 59),
    });
    expect(receiver.fixMode).toBe(3);
  });

  test('southern hemisphere: RMC example 1 of the Vantron VT-M2M-TC user manual §6.2.4 is 37.86° S, 145.12° E', () => {
    const receiver = receive([
      '$GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E*62',
      withChecksum('GPGGA,081836,3751.65,S,14507.36,E,1,05,1.5,10.0,M,,M,,'),
    ]);
    expect(receiver.fix()).toMatchObject({ latE7: -378_608_333, lonE7: 1_451_226_667, timeMs: Date.UTC(1998, 8, 13, 8, 18, 36) });
  });

  test('western hemisphere: Cypress CTM200 "Message Type 82" RMC examples (NMEA 2.0 and 3.0 forms) parse', () => {
    const receiver = receive([
      '$GPRMC,001207.00,A,4911.2236,N,12254.4779,W,012.3,201.0,170109,,*2D',
      '$GPRMC,222414.00,A,4915.3920,N,12259.8072,W,000.2,242.0,211210,,,A*49',
      withChecksum('GPGGA,222414.00,4915.3920,N,12259.8072,W,1,09,0.8,3.5,M,-17.0,M,,'),
    ]);
    expect(receiver.stats).toMatchObject({ parsed: 3, fixes: 1, bad: NO_BAD });
    expect(receiver.fix()).toMatchObject({ latE7: 492_565_333, lonE7: -1_229_967_867, timeMs: Date.UTC(2010, 11, 21, 22, 24, 14) });
  });

  test("a NEO-6M's cold-start output: no fix, GSA mode 1 with DOPs 99.99, four sentence types skipped", () => {
    const receiver = receive(NEO6M_COLD);
    expect(receiver.fix()).toBeUndefined();
    expect(receiver.fixMode).toBe(1);
    expect(receiver.dop).toEqual({ pdop: 99.99, hdop: 99.99, vdop: 99.99 });
    expect(receiver.stats).toEqual({ parsed: 3, ignored: 4, skippedBytes: 0, fixes: 0, bad: NO_BAD });
  });

  test('a manual example whose printed checksum is wrong (UniTraQ UD-731N §10.5: *25, the XOR is 64) is dropped', () => {
    const receiver = receive(['$GPRMC,092204.999,A,4250.55899,S,14718.50849,E,0.00,89.68,211200,,A*25']);
    expect(receiver.stats).toMatchObject({ parsed: 0, bad: { ...NO_BAD, checksum: 1 } });
  });
});

describe('field conversions', () => {
  test.each([
    ['4807.038', 'N', 'lat', 481_173_000],
    ['01131.000', 'W', 'lon', -115_166_667],
    ['9000.0000', 'S', 'lat', -900_000_000],
    ['18000.00000', 'E', 'lon', 1_800_000_000],
    ['0000.000003', 'N', 'lat', 1], // 0.5 × 10^-7 degree: half rounds away from zero
    ['0000.000003', 'S', 'lat', -1],
    ['0000.000002', 'S', 'lat', 0], // never −0
    ['4807', 'N', 'lat', 481_166_667], // no decimals
  ] as const)('%s %s (%s) is %i × 10^-7 degree', (field, hemisphere, axis, e7) => {
    expect(Object.is(coordinateE7(field, hemisphere, axis), e7)).toBe(true);
  });

  test.each([
    ['4860.000', 'N', 'lat'], // 60 minutes
    ['9000.001', 'N', 'lat'], // beyond the pole
    ['18000.001', 'E', 'lon'],
    ['4807.038', 'E', 'lat'], // a longitude's hemisphere
    ['807.038', 'N', 'lat'], // one degree digit
    ['4807.0380000000', 'N', 'lat'], // ten decimals
    ['4807,038', 'N', 'lat'],
    ['', 'N', 'lat'],
  ] as const)('%s %s (%s) is refused', (field, hemisphere, axis) => {
    expect(coordinateE7(field, hemisphere, axis)).toBeUndefined();
  });

  test('times of day: whole seconds, fractions to the millisecond, a leap second; 24 h and 60 min refused', () => {
    expect([timeOfDayMs('123519'), timeOfDayMs('083559.00'), timeOfDayMs('092204.999'), timeOfDayMs('235960')]).toEqual([
      45_319_000, 30_959_000, 33_724_999, 86_400_000,
    ]);
    expect([timeOfDayMs('240000'), timeOfDayMs('126000'), timeOfDayMs('12351'), timeOfDayMs('')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('dates: two-digit years 80–99 are 19xx, 00–79 are 20xx; 31 April and 29 February 2023 refused', () => {
    expect(utcDateMs('230394')).toBe(Date.UTC(1994, 2, 23));
    expect(utcDateMs('010180')).toBe(Date.UTC(1980, 0, 1));
    expect(utcDateMs('311279')).toBe(Date.UTC(2079, 11, 31));
    expect(utcDateMs('290224')).toBe(Date.UTC(2024, 1, 29));
    expect([utcDateMs('310424'), utcDateMs('290223'), utcDateMs('001224'), utcDateMs('011324')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('framing and checksums', () => {
  const epoch = `${DEPRIEST_RMC}\r\n${DEPRIEST_GGA}\r\n${DEPRIEST_GSA}\r\n`;

  test('the DePriest epoch split into two chunks at every offset gives the same fix and counts', () => {
    for (let cut = 0; cut <= epoch.length; cut++) {
      const receiver = new NmeaReceiver();
      receiver.push(ascii(epoch.slice(0, cut)));
      receiver.push(ascii(epoch.slice(cut)));
      expect(receiver.fix()).toEqual(DEPRIEST_FIX);
      expect(receiver.stats).toEqual({ parsed: 3, ignored: 0, skippedBytes: 0, fixes: 1, bad: NO_BAD });
    }
  });

  test('one byte at a time works too', () => {
    const receiver = new NmeaReceiver();
    for (const byte of ascii(epoch)) receiver.push(Uint8Array.of(byte));
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
  });

  test('a changed character fails the checksum and the sentence is dropped', () => {
    const receiver = receive([DEPRIEST_RMC.replace('4807.038', '4807.039'), DEPRIEST_GGA]);
    expect(receiver.fix()).toBeUndefined();
    expect(receiver.stats).toMatchObject({ parsed: 1, bad: { ...NO_BAD, checksum: 1 } });
  });

  test('a checksum in lower case is accepted; one of one or three digits, or not hex, is not', () => {
    const body = DEPRIEST_RMC.slice(0, -2);
    const receiver = receive([`${body}6a`, `${body}6`, `${body}6A0`, `${body}6G`]);
    expect(receiver.stats).toMatchObject({ parsed: 1, bad: { ...NO_BAD, checksum: 3 } });
  });

  test('a sentence with no checksum is counted as such and dropped', () => {
    const receiver = receive([DEPRIEST_GGA.slice(0, DEPRIEST_GGA.indexOf('*')), '$']);
    expect(receiver.stats).toMatchObject({ parsed: 0, bad: { ...NO_BAD, missingChecksum: 2 } });
  });

  test("a sentence cut short by the next '$' is counted as truncated; the next one still parses", () => {
    const receiver = new NmeaReceiver();
    receiver.push(ascii(`${DEPRIEST_GGA.slice(0, 30)}${DEPRIEST_RMC}\r\n${DEPRIEST_GGA}\r\n`));
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    expect(receiver.stats).toMatchObject({ parsed: 2, bad: { ...NO_BAD, truncated: 1 } });
  });

  test('noise and a binary UBX frame between sentences are skipped byte by byte', () => {
    const receiver = new NmeaReceiver();
    const ubx = Uint8Array.of(0xb5, 0x62, 0x01, 0x07, 0x00, 0x00, 0x08, 0x19);
    receiver.push(ascii('\x00\xff#garbage'));
    receiver.push(ascii(`${DEPRIEST_RMC}\r\n`));
    receiver.push(ubx);
    receiver.push(ascii(`\r\n${DEPRIEST_GGA}\r\n`));
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    expect(receiver.stats).toMatchObject({ parsed: 2, skippedBytes: 10 + ubx.length, bad: NO_BAD });
  });

  test('a control byte inside a sentence makes it malformed, and the rest of its line is dropped', () => {
    const broken = `${DEPRIEST_GGA.slice(0, 20)}\x07${DEPRIEST_GGA.slice(20)}`;
    const receiver = receive([broken, DEPRIEST_RMC]);
    expect(receiver.stats).toMatchObject({ parsed: 1, skippedBytes: 0, bad: { ...NO_BAD, malformed: 1 } });
  });

  test('a line longer than the limit is counted once and dropped; a sentence of exactly the limit is kept', () => {
    const long = `$GPGSV,${'9'.repeat(300)}*00`;
    const receiver = receive([long, DEPRIEST_RMC, DEPRIEST_GGA]);
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    expect(receiver.stats).toMatchObject({ parsed: 2, bad: { ...NO_BAD, tooLong: 1 } });
    // The limit counts what follows the '$', up to the end of the checksum.
    const exact = receive([DEPRIEST_GGA], { maxSentenceLength: DEPRIEST_GGA.length - 1 });
    const short = receive([DEPRIEST_GGA], { maxSentenceLength: DEPRIEST_GGA.length - 2 });
    expect(exact.stats).toMatchObject({ parsed: 1, bad: NO_BAD });
    expect(short.stats).toMatchObject({ parsed: 0, bad: { ...NO_BAD, tooLong: 1 } });
  });

  test('arbitrary bytes in arbitrary chunks never throw, and every sentence start is accounted for', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const receiver = new NmeaReceiver({ maxSentenceLength: 40 });
        for (const chunk of chunks) receiver.push(chunk);
        receiver.push(ascii('\r\n'));
        const { parsed, ignored, bad } = receiver.stats;
        const starts = chunks.reduce((n, chunk) => n + chunk.filter((b) => b === 0x24).length, 0);
        const ended = parsed + ignored + bad.checksum + bad.missingChecksum + bad.malformed + bad.tooLong + bad.truncated;
        expect(ended).toBe(starts);
      }),
    );
  });
});

describe('sentence types and fields', () => {
  test.each(['GN', 'GL', 'GA', 'BD', 'GB', 'GQ'])('talker %s is read like GP', (talker) => {
    const receiver = receive([
      withChecksum(DEPRIEST_RMC.slice(1, -3).replace('GP', talker)),
      withChecksum(DEPRIEST_GGA.slice(1, -3).replace('GP', talker)),
    ]);
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
  });

  test('VTG, GLL, ZDA, TXT and proprietary PUBX sentences are ignored, not bad', () => {
    const receiver = receive([
      withChecksum('GPVTG,084.4,T,,M,022.4,N,041.5,K,A'),
      withChecksum('GPGLL,4807.038,N,01131.000,E,123519,A,A'),
      withChecksum('GPZDA,123519,23,03,1994,00,00'),
      withChecksum('GPTXT,01,01,02,ANTSTATUS=OK'),
      withChecksum('PUBX,00,123519.00,4807.03800,N,01131.00000,E,545.4,G3,2.1,2.0,0.0,0.0,0.0,,0.9,1.3,0.8,8,0,0'),
    ]);
    expect(receiver.stats).toEqual({ parsed: 0, ignored: 5, skippedBytes: 0, fixes: 0, bad: NO_BAD });
  });

  test.each([
    ['GGA with quality 1 and no latitude', 'GPGGA,123519,,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'],
    ['GGA with quality 1 and no HDOP', 'GPGGA,123519,4807.038,N,01131.000,E,1,08,,545.4,M,46.9,M,,'],
    ['GGA with quality 1 and no altitude', 'GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,,M,46.9,M,,'],
    ['GGA with quality 9', 'GPGGA,123519,4807.038,N,01131.000,E,9,08,0.9,545.4,M,46.9,M,,'],
    ['GGA with altitude in feet', 'GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,F,46.9,M,,'],
    ['GGA with a hemisphere Q', 'GPGGA,123519,4807.038,Q,01131.000,E,1,08,0.9,545.4,M,46.9,M,,'],
    ['GGA cut after the quality', 'GPGGA,123519,4807.038,N,01131.000,E,1'],
    ['RMC with status X', 'GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'],
    ['RMC with status A and no date', 'GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,,003.1,W'],
    ['RMC with status A and no time', 'GPRMC,,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'],
    ['RMC with 31 April', 'GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,310494,003.1,W'],
    ['GSA with fix type 4', 'GPGSA,A,4,04,05,,09,12,,,24,,,,,2.5,1.3,2.1'],
    ['GSA with a PDOP of "x"', 'GPGSA,A,3,04,05,,09,12,,,24,,,,,x,1.3,2.1'],
  ])('%s is malformed', (_what, body) => {
    const receiver = receive([withChecksum(body)]);
    expect(receiver.stats).toMatchObject({ parsed: 0, ignored: 0, bad: { ...NO_BAD, malformed: 1 } });
  });

  test('empty DOPs in a GSA are read as unknown, not as zero', () => {
    const receiver = receive([withChecksum('GPGSA,A,1,,,,,,,,,,,,,,,')]);
    expect(receiver.dop).toEqual({ pdop: undefined, hdop: undefined, vdop: undefined });
    expect(receiver.fixMode).toBe(1);
  });

  test('an RMC with status A but mode N ("data not valid", NMEA 2.3) is no fix', () => {
    const receiver = receive([withChecksum('GPRMC,123519,A,4807.038,N,01131.000,E,,,230394,,,N'), DEPRIEST_GGA]);
    expect(receiver.fix()).toBeUndefined();
    expect(receiver.stats.parsed).toBe(2);
  });
});

describe('fix lifetime', () => {
  /** One epoch as an RMC and a GGA at `time` (hhmmss) on `date` (ddmmyy), at DePriest's position. */
  const epochAt = (time: string, date = '230394', valid = true): string[] => [
    withChecksum(`GPRMC,${time},${valid ? 'A' : 'V'},4807.038,N,01131.000,E,022.4,084.4,${date},003.1,W`),
    withChecksum(`GPGGA,${time},4807.038,N,01131.000,E,${valid ? 1 : 0},08,0.9,545.4,M,46.9,M,,`),
  ];

  test('an RMC with status V clears the fix at once; so does a GGA with quality 0', () => {
    const receiver = receive(epochAt('123519'));
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    receiver.push(ascii(`${withChecksum('GPRMC,123520,V,,,,,,,230394,,,N')}\r\n`));
    expect(receiver.fix()).toBeUndefined();
    receiver.push(ascii(epochAt('123521').join('\r\n') + '\r\n'));
    expect(receiver.fix()?.timeMs).toBe(DEPRIEST_FIX.timeMs + 2000);
    receiver.push(ascii(`${withChecksum('GPGGA,123522,,,,,0,00,99.99,,,,,,')}\r\n`));
    expect(receiver.fix()).toBeUndefined();
  });

  test('the fix comes back with the first complete epoch after a loss, and each fix is counted', () => {
    const receiver = receive([...epochAt('123519'), ...epochAt('123520', '230394', false), ...epochAt('123521')]);
    expect(receiver.fix()?.timeMs).toBe(DEPRIEST_FIX.timeMs + 2000);
    expect(receiver.stats.fixes).toBe(2);
  });

  test(`with GGAs alone arriving, the last fix goes stale ${DEFAULT_MAX_AGE_MS} ms after its epoch`, () => {
    const receiver = receive(epochAt('123519'));
    receiver.push(ascii(`${epochAt('123524')[1]}\r\n`));
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    receiver.push(ascii(`${epochAt('123525')[1]}\r\n`));
    expect(receiver.fix()).toBeUndefined();
  });

  test('with a clock, a fix goes stale once maxAgeMs passes with no new epoch, even if nothing arrives', () => {
    let now = 10_000;
    const receiver = new NmeaReceiver({ clock: { now: () => now }, maxAgeMs: 2_000 });
    receiver.push(ascii(epochAt('123519').join('\r\n') + '\r\n'));
    now += 2_000;
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
    now += 1;
    expect(receiver.fix()).toBeUndefined();
  });

  test('across midnight the date comes from the RMC of the same epoch, whichever sentence comes first', () => {
    const [rmcBefore, ggaBefore] = epochAt('235959', '310394');
    const [rmcAfter, ggaAfter] = epochAt('000000', '010494');
    const receiver = receive([rmcBefore, ggaBefore, ggaAfter]);
    expect(receiver.fix()?.timeMs).toBe(Date.UTC(1994, 2, 31, 23, 59, 59));
    receiver.push(ascii(`${rmcAfter}\r\n`));
    expect(receiver.fix()?.timeMs).toBe(Date.UTC(1994, 3, 1, 0, 0, 0));
  });

  test('a repeated sentence in the same epoch does not publish the fix twice', () => {
    const receiver = receive([DEPRIEST_RMC, DEPRIEST_GGA, DEPRIEST_GGA, DEPRIEST_RMC]);
    expect(receiver.stats.fixes).toBe(1);
    expect(receiver.fix()).toEqual(DEPRIEST_FIX);
  });

  test('options out of range are refused', () => {
    expect(() => new NmeaReceiver({ maxAgeMs: -1 })).toThrow(RangeError);
    expect(() => new NmeaReceiver({ maxSentenceLength: 7 })).toThrow(RangeError);
  });
});

describe('NmeaGps on an ECMA-419 Serial', () => {
  function fakeSerial(chunks: (ArrayBuffer | number | Error)[]) {
    const opened: Omit<SerialIoOptions, 'onReadable'>[] = [];
    const log = { reads: 0, closes: 0, onReadable: undefined as undefined | ((count: number) => void) };
    const io = class {
      constructor(options: SerialIoOptions) {
        const { onReadable, ...rest } = options;
        opened.push(rest);
        log.onReadable = onReadable;
      }
      read(): ArrayBuffer | number | undefined {
        log.reads += 1;
        const next = chunks.shift();
        if (next instanceof Error) throw next;
        return next;
      }
      close(): void {
        log.closes += 1;
      }
    };
    return { io, opened, log };
  }

  const buffer = (text: string): ArrayBuffer => ascii(text).buffer as ArrayBuffer;

  test('opens the UART in buffer format with the given pins and drains every chunk on onReadable', () => {
    const text = `${DEPRIEST_RMC}\r\n${DEPRIEST_GGA}\r\n`;
    const { io, opened, log } = fakeSerial([buffer(text.slice(0, 50)), buffer(text.slice(50, -1)), text.charCodeAt(text.length - 1)]);
    const gps = new NmeaGps({ serial: { io, port: 1, receive: 34, transmit: 12, baud: 9600 } });
    expect(opened).toEqual([{ port: 1, receive: 34, transmit: 12, baud: 9600, format: 'buffer' }]);
    expect(gps.fix()).toBeUndefined();
    log.onReadable?.(text.length);
    expect(gps.fix()).toEqual(DEPRIEST_FIX);
    expect(log.reads).toBe(4);
    expect(gps.stats.parsed).toBe(2);
  });

  test('a failed read goes to onError, not to the event loop', () => {
    const errors: unknown[] = [];
    const { io, log } = fakeSerial([new Error('UART overflow')]);
    const gps = new NmeaGps({ serial: { io, port: 2, receive: 16, baud: 4800 }, onError: (e) => errors.push(e) });
    expect(() => log.onReadable?.(1)).not.toThrow();
    expect(errors).toEqual([new Error('UART overflow')]);
    gps.close();
  });

  test('with no transmit pin the Serial gets no transmit key, not an undefined one', () => {
    const { io, opened } = fakeSerial([]);
    new NmeaGps({ serial: { io, port: 2, receive: 16, transmit: undefined, baud: 4800 } }).close();
    expect(opened).toEqual([{ port: 2, receive: 16, baud: 4800, format: 'buffer' }]);
    expect('transmit' in opened[0]).toBe(false);
  });

  test('close is idempotent and nothing is read after it', () => {
    const { io, log } = fakeSerial([buffer(`${DEPRIEST_RMC}\r\n`)]);
    const gps = new NmeaGps({ serial: { io, port: 1, receive: 34, baud: 9600 } });
    gps.close();
    gps.close();
    log.onReadable?.(10);
    expect(log).toMatchObject({ closes: 1, reads: 0 });
  });
});

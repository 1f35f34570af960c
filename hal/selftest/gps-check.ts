/**
 * The gps item: once the GPS is powered and its UART open (hal/moddable/serial-gps.ts), at least
 * GPS_MIN_SENTENCES NMEA sentences with a good checksum must arrive within GPS_WAIT_MS. A u-blox NEO-6M or
 * M8N sends five or six sentences a second from about a second after power-on, with or without a fix, so
 * the bound leaves room for a slow start. The NMEA driver (hal/drivers/gps/nmea-receiver.ts) counts
 * sentences by outcome; good ones are those parsed or skipped on purpose (RMC, GGA, GSA and the others).
 */
import type { NmeaStats } from '../drivers/gps/nmea.js';
import { type CheckResult, fail, pass } from './report.js';

export const GPS_WAIT_MS = 6_000;
export const GPS_MIN_SENTENCES = 2;
/** How often the counters are looked at while waiting, ms. */
export const GPS_POLL_MS = 250;

export interface GpsSource {
  readonly stats: NmeaStats;
}

function badCount(stats: NmeaStats): number {
  const { checksum, missingChecksum, malformed, tooLong, truncated } = stats.bad;
  return checksum + missingChecksum + malformed + tooLong + truncated;
}

/** `sleep(ms)` resolves after ms, letting the UART's bytes in meanwhile. */
export async function checkGps(gps: GpsSource, sleep: (ms: number) => Promise<void>, waitMs = GPS_WAIT_MS): Promise<CheckResult> {
  let waited = 0;
  for (;;) {
    const stats = gps.stats;
    const good = stats.parsed + stats.ignored;
    if (good >= GPS_MIN_SENTENCES) return pass({ sentences: good, badChecksums: stats.bad.checksum, waitedMs: waited });
    if (waited >= waitMs) break;
    await sleep(GPS_POLL_MS);
    waited += GPS_POLL_MS;
  }
  const stats = gps.stats;
  const good = stats.parsed + stats.ignored;
  const bad = badCount(stats);
  const seconds = waitMs / 1000;
  const fields = { sentences: good, badChecksums: stats.bad.checksum };
  if (bad > 0) {
    return fail(`${good} sentence(s) with a good checksum in ${seconds} s, need ${GPS_MIN_SENTENCES}; ${bad} bad ` +
      `(${stats.bad.checksum} with a wrong checksum): a noisy or miswired UART line`, fields);
  }
  if (good > 0) return fail(`only ${good} NMEA sentence in ${seconds} s, need ${GPS_MIN_SENTENCES}`, fields);
  if (stats.skippedBytes > 0) return fail(`no NMEA sentence in ${seconds} s, ${stats.skippedBytes} bytes of noise: wrong baud rate?`, fields);
  return fail(`nothing from the GPS in ${seconds} s: not powered, not wired, or on another UART`, fields);
}

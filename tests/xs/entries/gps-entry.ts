/**
 * XS entry for tests/xs/gps-in-xs.test.ts: the NMEA driver exactly as the device bundles it, fed a fixed
 * byte stream in uneven chunks, and fed a walk by the GPS emulator running beside it in XS; plus a
 * receiver kept alive between commands so that the host can read its live slots after a gc().
 * Device code: no Node built-ins.
 */
import { NmeaReceiver } from '../../../hal/drivers/gps/nmea.js';
import { GpsEmulator } from '../../../host-sim/chips/gps-emulator.js';
import type { GpsFix } from '../../../src/ports.js';
import { serveCommands } from '../../../tools/xs/entries/serve.js';
import { feed } from './gps-feed.js';

/** A walk south-east from `start` at about 1.4 m/s, 5 m higher each minute. */
const walkFrom = (start: number) => (t: number) => ({
  lat: -33.8688 - (t - start) * 1.2e-8,
  lon: 151.2093 + (t - start) * 1.5e-8,
  altitudeM: 40 + Math.floor((t - start) / 60_000) * 5,
});

/** `seconds` epochs of the emulator through a receiver, with fix loss in `intervals`: the fixes seen. */
function walk(start: number, seconds: number, intervals: readonly (readonly [number, number])[]) {
  const emulator = new GpsEmulator({ position: walkFrom(start), hdop: (t) => 0.7 + ((t - start) % 7000) / 10_000, fixLoss: { intervals } });
  const receiver = new NmeaReceiver();
  const fixes: (GpsFix | null)[] = [];
  for (let i = 0; i < seconds; i++) {
    receiver.push(emulator.sentencesAt(start + i * 1000));
    fixes.push(receiver.fix() ?? null);
  }
  return { fixes, stats: receiver.stats, emulator: emulator.stats };
}

/** What the memory probe keeps alive between commands (this entry serves one test file). */
const held: { receiver?: NmeaReceiver; emulator?: GpsEmulator; nextMs?: number } = {};

serveCommands({
  feed: (args) => feed(args.stream as Uint8Array, args.chunkSizes as readonly number[]),
  walk: (args) => walk(Number(args.start), Number(args.seconds), args.intervals as readonly (readonly [number, number])[]),
  openEmulator: (args) => {
    held.emulator = new GpsEmulator({ position: walkFrom(Number(args.start)) });
    held.nextMs = Number(args.start);
    return true;
  },
  openReceiver: () => {
    held.receiver = new NmeaReceiver();
    return true;
  },
  advance: (args) => {
    const { receiver, emulator } = held as Required<typeof held>;
    for (let i = 0; i < Number(args.seconds); i++) {
      receiver.push(emulator.sentencesAt(held.nextMs as number));
      held.nextMs = (held.nextMs as number) + 1000;
    }
    return receiver.stats.fixes;
  },
  drop: () => {
    held.receiver = undefined;
    held.emulator = undefined;
    return true;
  },
});

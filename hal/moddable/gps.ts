/**
 * The Gps port (src/ports.ts) for a hotspot: no receiver is read. The Hotspot does not use a GPS
 * (src/hotspot.ts, HotspotPorts.gps); the mapper role will, and brings the NMEA driver over ECMA-419
 * Serial on the board's GPS UART (hal/boards/types.ts, Gps; reference/moddable.md §3: Moddable has no
 * NMEA parser). Until then every board answers "no fix", which is what a receiver without a fix says.
 */
import type { Gps, GpsFix } from '../../src/ports.js';

export class NoGps implements Gps {
  fix(): GpsFix | undefined {
    return undefined;
  }
}

/**
 * The Gps port (src/ports.ts) for a hotspot: no receiver is read. The hotspot role does not use a GPS
 * (src/hotspot.ts, HotspotPorts.gps), so hal/moddable/boot.ts gives it this one and leaves the board's
 * GPS, where it has one, unopened and unpowered. The mapper role reads the board's receiver instead
 * (hal/moddable/serial-gps.ts). NoGps answers "no fix", which is what a receiver without a fix says.
 */
import type { Gps, GpsFix } from '../../src/ports.js';

export class NoGps implements Gps {
  fix(): GpsFix | undefined {
    return undefined;
  }
}

/**
 * The device entry point: the module the manifest's `creation.main` names ("hal/moddable/main").
 * Moddable calls a main module's default export once the module is loaded (Moddable
 * documentation/base/setup.md: "the setup and main modules may optionally export a function as their
 * module default export"), so the module body does nothing itself and can be preloaded like the rest.
 *
 * This is the only covey module that imports Moddable's modules; it hands them to hal/moddable/boot.ts,
 * which builds the ports and starts the Hotspot. `npm run lint` type-checks this hand-over against
 * @moddable/typings 5.6.0 (tsconfig.moddable.json), so every adapter's idea of a module's shape
 * (hal/moddable/moddable-api.ts) is checked against Moddable's own declarations.
 */
import device from 'embedded:provider/builtin';
import Flash from 'flash';
import { Request } from 'http';
import config from 'mc/config';
import Preference from 'preference';
import SNTP from 'sntp';
import Time from 'time';
import Timer from 'timer';
import WiFi from 'wifi';
import { boot, type BootOutcome } from './boot.js';

export default function main(): BootOutcome {
  return boot({
    Timer, Time, Preference, Flash, Request, SNTP, WiFi, config,
    io: device.io,
    trace: (text) => trace(text),
    random: () => Math.random(),
    wallNow: () => Date.now(),
  });
}

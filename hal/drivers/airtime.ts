/**
 * Time on air for the drivers, re-exported one folder up: XS on the device resolves a single leading
 * "../" in an import specifier (Moddable xs/platforms/mc/xsHosts.c), so modules in hal/drivers/<chip>/
 * reach hal/radio through here.
 */
export { airtime, ldroEnabled, symbolMs } from '../radio/airtime.js';

/**
 * What hal/ needs of the protocol, re-exported one folder below it: XS on the device resolves a single
 * leading "../" in an import specifier (Moddable xs/platforms/mc/xsHosts.c).
 */
export { BEACON_FRAME_BYTES } from '../proofs/beacon.js';

/**
 * What the device entry point (hal/moddable/) needs of the runtime and the protocol, re-exported one
 * folder up: XS on the device resolves a single leading "../" in an import specifier (Moddable
 * xs/platforms/mc/xsHosts.c), so hal/moddable/ reaches src/ and proofs/ through here.
 */
export { createPortableSigner, PortableVerifier } from '../proofs/ed25519-portable.js';
export { Hotspot } from '../src/hotspot.js';
export { filterLog, formatLogLine } from '../src/log.js';
export { KEY_VALUE_LIMITS } from '../src/ports.js';
export { loadSettings, SETTINGS_KEY } from '../src/settings-store.js';
export { SettingsError, utf8Length } from '../src/settings.js';

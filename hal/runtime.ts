/**
 * What the device entry point (hal/moddable/) needs of the runtime and the protocol, re-exported one
 * folder up: XS on the device resolves a single leading "../" in an import specifier (Moddable
 * xs/platforms/mc/xsHosts.c), so hal/moddable/ and hal/selftest/ reach src/ and proofs/ through here.
 */
export { decodeDeviceCertificate } from '../proofs/attestation.js';
export { asciiBytes, concatBytes, toHex } from '../proofs/bytes.js';
export { createPortableSigner, PortableVerifier } from '../proofs/ed25519-portable.js';
export { freshStack } from '../src/fresh-stack.js';
export { Hotspot } from '../src/hotspot.js';
export { loadIdentity, SEED_BYTES, SEED_KEY, type Identity } from '../src/identity.js';
export { filterLog, formatFields, formatLogLine } from '../src/log.js';
export { ATTEST_KEY, storedCertificate } from '../src/onboarding.js';
export { KEY_VALUE_LIMITS } from '../src/ports.js';
export { crc32 } from '../src/queue/crc32.js';
export { isErased, readU32, SECTOR_HEADER_BYTES, SectorHeaderState, sectorHeaderState } from '../src/queue/format.js';
export { decodeUtf8, loadSettings, saveSettings, settingsFromJson, SETTINGS_KEY } from '../src/settings-store.js';
export { SettingsError, utf8Length } from '../src/settings.js';

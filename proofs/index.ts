/** covey's protocol core: the messages, their deterministic encoding, and their signatures. */
export * from './errors.js';
export * from './bytes.js';
export * from './cbor.js';
export * from './registry.js';
export * from './signing.js';
export * from './ed25519-rules.js';
export * from './ed25519-portable.js';
export * from './units.js';
export * from './digest.js';
export * from './identity.js';
export * from './entropy.js';
export * from './beacon.js';
export * from './beacon-report.js';
export * from './witness-receipt.js';
export * from './onboard.js';
export * from './batch.js';
export * from './reasons.js';

/** The part of sodium-native's API covey uses (libsodium's detached ed25519 signatures, SHA-512, scalar reduction). */
declare module 'sodium-native' {
  /** True when `signature` is valid for `message` under `publicKey` (libsodium crypto_sign_verify_detached). */
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Fills `publicKey` (32 bytes) and `secretKey` (64 bytes) from a 32-byte `seed` (crypto_sign_seed_keypair). */
  export function crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  /** Writes the 64-byte signature of `message` under `secretKey` into `signature` (crypto_sign_detached). */
  export function crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  /** Writes the 64-byte SHA-512 digest of `input` into `output` (crypto_hash_sha512). */
  export function crypto_hash_sha512(output: Uint8Array, input: Uint8Array): void;
  /** Writes a 64-byte little-endian number reduced modulo the group order L into `output`, 32 bytes. */
  export function crypto_core_ed25519_scalar_reduce(output: Uint8Array, input: Uint8Array): void;
  const sodium: {
    crypto_hash_sha512: typeof crypto_hash_sha512;
    crypto_core_ed25519_scalar_reduce: typeof crypto_core_ed25519_scalar_reduce;
    crypto_sign_verify_detached: typeof crypto_sign_verify_detached;
    crypto_sign_seed_keypair: typeof crypto_sign_seed_keypair;
    crypto_sign_detached: typeof crypto_sign_detached;
  };
  export default sodium;
}

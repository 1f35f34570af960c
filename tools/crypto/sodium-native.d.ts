/** The part of sodium-native's API covey uses (libsodium's detached ed25519 verification). */
declare module 'sodium-native' {
  /** True when `signature` is valid for `message` under `publicKey` (libsodium crypto_sign_verify_detached). */
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  const sodium: { crypto_sign_verify_detached: typeof crypto_sign_verify_detached };
  export default sodium;
}

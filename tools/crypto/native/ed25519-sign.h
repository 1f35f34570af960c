/* The simulator's ed25519 signer (ed25519-sign.c): variable-time, for simulated keys only. */
#ifndef COVEY_ED25519_SIGN_H
#define COVEY_ED25519_SIGN_H

#include <stddef.h>
#include <stdint.h>

/* What signing needs of a seed, worked out once (RFC 8032 §5.1.5). */
struct ed25519_signing_key {
  uint8_t scalar[32];      /* a, the clamped secret scalar, reduced modulo L */
  uint8_t prefix[32];      /* the second half of SHA-512(seed) */
  uint8_t public_key[32];  /* A = encode([a]B) */
};

/* Fills `key` from a 32-byte seed; 0 when the module's constants are not ready. */
int ed25519_signing_key(struct ed25519_signing_key *key, const uint8_t seed[32]);

/* The signature R ‖ S of `length` bytes at `message`; 0 when the module's constants are not ready. */
int ed25519_sign(uint8_t signature[64], const struct ed25519_signing_key *key, const uint8_t *message, size_t length);

#endif

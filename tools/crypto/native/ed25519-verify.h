/* covey's host ed25519 verifier (ed25519-verify.c). */
#ifndef COVEY_ED25519_VERIFY_H
#define COVEY_ED25519_VERIFY_H

#include <stddef.h>
#include <stdint.h>

/* A public key's precomputed multiples, ed25519_key_size() bytes, made by ed25519_prepare_key. */
struct ed25519_key;

/* Computes the curve constants and the base point's multiples; 1 when they check out, 0 otherwise. */
int ed25519_init(void);

size_t ed25519_key_size(void);

/* Decodes a public key and fills `key`; 0 when the bytes are not a curve point. */
int ed25519_prepare_key(struct ed25519_key *key, const uint8_t public_key[32]);

/*
 * 1 when encode([S]B − [k]A) equals R, where R and S are the signature's halves and k is
 * SHA-512(R ‖ A ‖ message) reduced modulo L, 32 bytes little-endian. The caller has applied covey's
 * encoding rules (proofs/ed25519-rules.ts): S < L, R canonical and not of small order.
 */
int ed25519_verify_prepared(const struct ed25519_key *key, const uint8_t signature[64], const uint8_t k[32]);

/*
 * ed25519_verify_prepared for n signatures at once (64 bytes each, one after another, and their k's,
 * 32 bytes each), writing 1 or 0 to results[i]: the same answers, with one field inversion for all of
 * them instead of one each. Returns 0 (and writes nothing) when out of memory.
 */
int ed25519_verify_many(const struct ed25519_key *const *keys, const uint8_t *signatures, const uint8_t *ks, size_t n, uint8_t *results);

/*
 * encode([s]B) for a 32-byte little-endian scalar below 2^253, into out; 0 when s is larger or the
 * constants are not ready. Variable-time: for the simulator's signer only (ed25519-sign.c).
 */
int ed25519_base_multiply(uint8_t out[32], const uint8_t s[32]);

#endif

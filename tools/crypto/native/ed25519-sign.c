/*
 * The simulator's ed25519 signer (RFC 8032 §5.1.6): the same signatures as every other signer, made
 * in about 11 µs against libsodium's 18 µs, for the simulated hotspots, which sign every receipt they make.
 *
 *   r = SHA-512(prefix ‖ M) mod L,  R = encode([r]B),  k = SHA-512(R ‖ A ‖ M) mod L,  S = (r + k·a) mod L
 *
 * Most of the time is [r]B (ed25519_base_multiply in ed25519-verify.c, with the verifier's field
 * arithmetic): about 28 additions of odd multiples of B from a table in 64 pieces, and 4 doublings, where
 * libsodium's constant-time method makes 64 additions and reads a whole row of its table for each. The
 * one field inversion that encodes R is most of the rest.
 *
 * NOT FOR REAL KEYS. The multiplication branches on the digits of r and reads the table at positions
 * they choose, so its timing depends on secrets. That is harmless for the simulator, whose keys come
 * from the scenario's seed and protect nothing; a device or an oracle signs with its own constant-time
 * signer (proofs/, libsodium).
 *
 * Scalars modulo L = 2^252 + 27742317777372353535851937790883648493 are reduced by Barrett's method
 * (Menezes, van Oorschot and Vanstone, Handbook of Applied Cryptography, algorithm 14.42) with 64-bit
 * words. SHA-512 is FIPS 180-4's.
 */
#include <stdint.h>
#include <string.h>

#include "ed25519-sign.h"
#include "ed25519-verify.h"

typedef unsigned __int128 u128;

/* SHA-512 (FIPS 180-4 §6.4). */

/* The first 64 bits of the fractional parts of the cube roots of the first 80 primes. */
static const uint64_t SHA512_K[80] = {
  UINT64_C(0x428a2f98d728ae22), UINT64_C(0x7137449123ef65cd), UINT64_C(0xb5c0fbcfec4d3b2f), UINT64_C(0xe9b5dba58189dbbc),
  UINT64_C(0x3956c25bf348b538), UINT64_C(0x59f111f1b605d019), UINT64_C(0x923f82a4af194f9b), UINT64_C(0xab1c5ed5da6d8118),
  UINT64_C(0xd807aa98a3030242), UINT64_C(0x12835b0145706fbe), UINT64_C(0x243185be4ee4b28c), UINT64_C(0x550c7dc3d5ffb4e2),
  UINT64_C(0x72be5d74f27b896f), UINT64_C(0x80deb1fe3b1696b1), UINT64_C(0x9bdc06a725c71235), UINT64_C(0xc19bf174cf692694),
  UINT64_C(0xe49b69c19ef14ad2), UINT64_C(0xefbe4786384f25e3), UINT64_C(0x0fc19dc68b8cd5b5), UINT64_C(0x240ca1cc77ac9c65),
  UINT64_C(0x2de92c6f592b0275), UINT64_C(0x4a7484aa6ea6e483), UINT64_C(0x5cb0a9dcbd41fbd4), UINT64_C(0x76f988da831153b5),
  UINT64_C(0x983e5152ee66dfab), UINT64_C(0xa831c66d2db43210), UINT64_C(0xb00327c898fb213f), UINT64_C(0xbf597fc7beef0ee4),
  UINT64_C(0xc6e00bf33da88fc2), UINT64_C(0xd5a79147930aa725), UINT64_C(0x06ca6351e003826f), UINT64_C(0x142929670a0e6e70),
  UINT64_C(0x27b70a8546d22ffc), UINT64_C(0x2e1b21385c26c926), UINT64_C(0x4d2c6dfc5ac42aed), UINT64_C(0x53380d139d95b3df),
  UINT64_C(0x650a73548baf63de), UINT64_C(0x766a0abb3c77b2a8), UINT64_C(0x81c2c92e47edaee6), UINT64_C(0x92722c851482353b),
  UINT64_C(0xa2bfe8a14cf10364), UINT64_C(0xa81a664bbc423001), UINT64_C(0xc24b8b70d0f89791), UINT64_C(0xc76c51a30654be30),
  UINT64_C(0xd192e819d6ef5218), UINT64_C(0xd69906245565a910), UINT64_C(0xf40e35855771202a), UINT64_C(0x106aa07032bbd1b8),
  UINT64_C(0x19a4c116b8d2d0c8), UINT64_C(0x1e376c085141ab53), UINT64_C(0x2748774cdf8eeb99), UINT64_C(0x34b0bcb5e19b48a8),
  UINT64_C(0x391c0cb3c5c95a63), UINT64_C(0x4ed8aa4ae3418acb), UINT64_C(0x5b9cca4f7763e373), UINT64_C(0x682e6ff3d6b2b8a3),
  UINT64_C(0x748f82ee5defb2fc), UINT64_C(0x78a5636f43172f60), UINT64_C(0x84c87814a1f0ab72), UINT64_C(0x8cc702081a6439ec),
  UINT64_C(0x90befffa23631e28), UINT64_C(0xa4506cebde82bde9), UINT64_C(0xbef9a3f7b2c67915), UINT64_C(0xc67178f2e372532b),
  UINT64_C(0xca273eceea26619c), UINT64_C(0xd186b8c721c0c207), UINT64_C(0xeada7dd6cde0eb1e), UINT64_C(0xf57d4f7fee6ed178),
  UINT64_C(0x06f067aa72176fba), UINT64_C(0x0a637dc5a2c898a6), UINT64_C(0x113f9804bef90dae), UINT64_C(0x1b710b35131c471b),
  UINT64_C(0x28db77f523047d84), UINT64_C(0x32caab7b40c72493), UINT64_C(0x3c9ebe0a15c9bebc), UINT64_C(0x431d67c49c100d4c),
  UINT64_C(0x4cc5d4becb3e42b6), UINT64_C(0x597f299cfc657e2a), UINT64_C(0x5fcb6fab3ad6faec), UINT64_C(0x6c44198c4a475817)
};

/* The first 64 bits of the fractional parts of the square roots of the first 8 primes. */
static const uint64_t SHA512_H0[8] = {
  UINT64_C(0x6a09e667f3bcc908), UINT64_C(0xbb67ae8584caa73b), UINT64_C(0x3c6ef372fe94f82b), UINT64_C(0xa54ff53a5f1d36f1),
  UINT64_C(0x510e527fade682d1), UINT64_C(0x9b05688c2b3e6c1f), UINT64_C(0x1f83d9abfb41bd6b), UINT64_C(0x5be0cd19137e2179)
};

typedef struct {
  uint64_t h[8];
  uint8_t block[128];
  size_t filled;   /* bytes of `block` in use */
  uint64_t total;  /* bytes hashed so far */
} sha512_state;

static inline uint64_t rotr(uint64_t x, int n) {
  return (x >> n) | (x << (64 - n));
}

static uint64_t load_be64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

static void store_be64(uint8_t *p, uint64_t v) {
  for (int i = 7; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

static void sha512_compress(uint64_t h[8], const uint8_t *p) {
  uint64_t w[80];
  for (int t = 0; t < 16; t++) w[t] = load_be64(p + 8 * t);
  for (int t = 16; t < 80; t++) {
    const uint64_t s0 = rotr(w[t - 15], 1) ^ rotr(w[t - 15], 8) ^ (w[t - 15] >> 7);
    const uint64_t s1 = rotr(w[t - 2], 19) ^ rotr(w[t - 2], 61) ^ (w[t - 2] >> 6);
    w[t] = s1 + w[t - 7] + s0 + w[t - 16];
  }
  uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int t = 0; t < 80; t++) {
    const uint64_t t1 = hh + (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + ((e & f) ^ (~e & g)) + SHA512_K[t] + w[t];
    const uint64_t t2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha512_init(sha512_state *s) {
  memcpy(s->h, SHA512_H0, sizeof s->h);
  s->filled = 0;
  s->total = 0;
}

static void sha512_update(sha512_state *s, const uint8_t *data, size_t length) {
  s->total += length;
  if (s->filled > 0) {
    const size_t take = length < 128 - s->filled ? length : 128 - s->filled;
    memcpy(s->block + s->filled, data, take);
    s->filled += take;
    data += take;
    length -= take;
    if (s->filled < 128) return;
    sha512_compress(s->h, s->block);
    s->filled = 0;
  }
  for (; length >= 128; data += 128, length -= 128) sha512_compress(s->h, data);
  memcpy(s->block, data, length);
  s->filled = length;
}

static void sha512_final(sha512_state *s, uint8_t out[64]) {
  const uint64_t bits_low = s->total << 3, bits_high = s->total >> 61;
  s->block[s->filled++] = 0x80;
  if (s->filled > 112) {
    memset(s->block + s->filled, 0, 128 - s->filled);
    sha512_compress(s->h, s->block);
    s->filled = 0;
  }
  memset(s->block + s->filled, 0, 112 - s->filled);
  store_be64(s->block + 112, bits_high);
  store_be64(s->block + 120, bits_low);
  sha512_compress(s->h, s->block);
  for (int i = 0; i < 8; i++) store_be64(out + 8 * i, s->h[i]);
}

/* Scalars modulo L, as little-endian 64-bit words. */

static const uint64_t L_WORDS[4] = { UINT64_C(0x5812631a5cf5d3ed), UINT64_C(0x14def9dea2f79cd6), UINT64_C(0x0000000000000000), UINT64_C(0x1000000000000000) };
/* floor(2^512 / L), Barrett's constant for 64-bit words and k = 4. */
static const uint64_t MU_WORDS[5] = { UINT64_C(0xed9ce5a30a2c131b), UINT64_C(0x2106215d086329a7), UINT64_C(0xffffffffffffffeb), UINT64_C(0xffffffffffffffff), UINT64_C(0x000000000000000f) };

static void load_words(uint64_t *w, const uint8_t *bytes, int count) {
  for (int i = 0; i < count; i++) {
    uint64_t v = 0;
    for (int j = 7; j >= 0; j--) v = (v << 8) | bytes[8 * i + j];
    w[i] = v;
  }
}

static void store_words(uint8_t *bytes, const uint64_t *w, int count) {
  for (int i = 0; i < count; i++) {
    uint64_t v = w[i];
    for (int j = 0; j < 8; j++) {
      bytes[8 * i + j] = (uint8_t)v;
      v >>= 8;
    }
  }
}

/* out = (a · b) mod 2^(64·n_out), a of n_a words and b of n_b. */
static void multiply_words(uint64_t *out, int n_out, const uint64_t *a, int n_a, const uint64_t *b, int n_b) {
  memset(out, 0, sizeof(uint64_t) * (size_t)n_out);
  for (int i = 0; i < n_a && i < n_out; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < n_b && i + j < n_out; j++) {
      const u128 t = (u128)a[i] * b[j] + out[i + j] + carry;
      out[i + j] = (uint64_t)t;
      carry = (uint64_t)(t >> 64);
    }
    if (i + n_b < n_out) out[i + n_b] = carry;
  }
}

/* a ≥ L, for a of 5 words. */
static int at_least_l(const uint64_t a[5]) {
  if (a[4] != 0) return 1;
  for (int i = 3; i >= 0; i--) {
    if (a[i] != L_WORDS[i]) return a[i] > L_WORDS[i];
  }
  return 1;
}

/* a −= b modulo 2^320, a of 5 words and b of n_b ≤ 5. */
static void subtract_words(uint64_t a[5], const uint64_t *b, int n_b) {
  uint64_t borrow = 0;
  for (int i = 0; i < 5; i++) {
    const uint64_t bi = i < n_b ? b[i] : 0;
    const u128 t = (u128)a[i] - bi - borrow;
    a[i] = (uint64_t)t;
    borrow = (uint64_t)(t >> 64) & 1;
  }
}

/* out = x mod L, for x below 2^512 as eight words (Barrett, HAC 14.42 with b = 2^64, k = 4). */
static void reduce_words(uint8_t out[32], const uint64_t x[8]) {
  uint64_t q2[10], q3[5], r[5], r2[5];
  multiply_words(q2, 10, x + 3, 5, MU_WORDS, 5);   /* q1 = floor(x / b^3); q2 = q1 · µ */
  memcpy(q3, q2 + 5, sizeof q3);                    /* q3 = floor(q2 / b^5) */
  memcpy(r, x, sizeof r);                           /* r1 = x mod b^5 */
  multiply_words(r2, 5, q3, 5, L_WORDS, 4);         /* r2 = q3 · L mod b^5 */
  subtract_words(r, r2, 5);                         /* r = r1 − r2 mod b^5: 0 ≤ r < 3L */
  while (at_least_l(r)) subtract_words(r, L_WORDS, 4);
  store_words(out, r, 4);
}

/* out = in mod L, for a 64-byte little-endian in (a SHA-512 digest). */
static void reduce64(uint8_t out[32], const uint8_t in[64]) {
  uint64_t x[8];
  load_words(x, in, 8);
  reduce_words(out, x);
}

/* out = (k·a + r) mod L, for k, a and r below 2^253. */
static void multiply_add(uint8_t out[32], const uint8_t k[32], const uint8_t a[32], const uint8_t r[32]) {
  uint64_t kw[4], aw[4], rw[4], x[8];
  load_words(kw, k, 4);
  load_words(aw, a, 4);
  load_words(rw, r, 4);
  multiply_words(x, 8, kw, 4, aw, 4);
  uint64_t carry = 0;
  for (int i = 0; i < 8; i++) {
    const u128 t = (u128)x[i] + (i < 4 ? rw[i] : 0) + carry;
    x[i] = (uint64_t)t;
    carry = (uint64_t)(t >> 64);
  }
  reduce_words(out, x);
}

/* Signing. */

int ed25519_signing_key(struct ed25519_signing_key *key, const uint8_t seed[32]) {
  uint8_t digest[64], clamped[64];
  sha512_state s;
  sha512_init(&s);
  sha512_update(&s, seed, 32);
  sha512_final(&s, digest);
  /* RFC 8032 §5.1.5: the low half, clamped, is the secret scalar; [a]B needs it only modulo L. */
  memset(clamped, 0, sizeof clamped);
  memcpy(clamped, digest, 32);
  clamped[0] &= 248;
  clamped[31] &= 127;
  clamped[31] |= 64;
  reduce64(key->scalar, clamped);
  memcpy(key->prefix, digest + 32, 32);
  return ed25519_base_multiply(key->public_key, key->scalar);
}

int ed25519_sign(uint8_t signature[64], const struct ed25519_signing_key *key, const uint8_t *message, size_t length) {
  uint8_t digest[64], r[32], k[32];
  sha512_state s;
  sha512_init(&s);
  sha512_update(&s, key->prefix, 32);
  sha512_update(&s, message, length);
  sha512_final(&s, digest);
  reduce64(r, digest);
  if (!ed25519_base_multiply(signature, r)) return 0;
  sha512_init(&s);
  sha512_update(&s, signature, 32);
  sha512_update(&s, key->public_key, 32);
  sha512_update(&s, message, length);
  sha512_final(&s, digest);
  reduce64(k, digest);
  multiply_add(signature + 32, k, key->scalar, r);
  return 1;
}

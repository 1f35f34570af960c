/*
 * covey's host ed25519 verifier: the cofactorless check of RFC 8032 §5.1.7, encode([S]B − [k]A) == R
 * byte for byte, made fast for a verifier that sees the same public keys again and again.
 *
 * A plain verifier spends most of its time on about 253 point doublings. Here each scalar is cut into
 * eight 32-bit pieces, s = s0 + s1·2^32 + … + s7·2^224, so that
 *
 *   [s]P = [s0]P0 + [s1]P1 + … + [s7]P7,   Pj = [2^(32j)]P,
 *
 * and one joint double-and-add over 32 rows does the work with 32 doublings instead of 253. The
 * multiples of the base point are computed once, when the module loads; those of a public key once per
 * key (ed25519_prepare_key), and the caller keeps them for the keys it sees often. The additions are
 * about as many as in a plain verifier (width-w non-adjacent forms of the whole scalar, each digit
 * landing in the row and piece its position names). ed25519_verify_many also shares the one field
 * inversion that turns each result back into bytes among many signatures (Montgomery's trick).
 *
 * Measured on the oracle's work (docs/oracle.md, Throughput): about 2.6 times as fast as libsodium's
 * crypto_sign_verify_detached, most of it from the doublings, the rest from the shared inversion and
 * from fetching a key's multiples ahead of use (an oracle's thousands of keys are rarely in cache).
 *
 * ed25519_base_multiply, near the end, is the simulator's signer's [r]B (ed25519-sign.c), from a table
 * of its own made on its first use, so that an oracle, which never signs with it, neither makes nor holds it.
 *
 * Nothing here is secret: verification is variable-time by design, as in every ed25519 verifier.
 * The encoding rules (canonical S, canonical A and R, neither of small order) are the caller's
 * (proofs/ed25519-rules.ts); this file adds only that A must decode to a curve point.
 *
 * Field elements: five 51-bit limbs in 64-bit words (radix 2^51), products in 128-bit integers. Points:
 * extended twisted Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z, with the a = −1 formulas
 * of Hisil, Wong, Carter and Dawson (2008), which are complete on this curve.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519-verify.h"

typedef unsigned __int128 u128;
typedef uint64_t fe[5];

#define MASK51 ((UINT64_C(1) << 51) - 1)

/*
 * Field arithmetic modulo p = 2^255 − 19. Every result's limbs stay below 2^52. The small operations
 * are always inlined: they run about 1,500 times a signature, and the calls cost about 4 %.
 */

static inline __attribute__((always_inline)) void fe_carry(fe h) {
  uint64_t c;
  c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
  c = h[1] >> 51; h[1] &= MASK51; h[2] += c;
  c = h[2] >> 51; h[2] &= MASK51; h[3] += c;
  c = h[3] >> 51; h[3] &= MASK51; h[4] += c;
  c = h[4] >> 51; h[4] &= MASK51; h[0] += 19 * c;
}

static void fe_set(fe h, uint64_t v) {
  h[0] = v; h[1] = h[2] = h[3] = h[4] = 0;
}

static void fe_copy(fe h, const fe f) {
  memcpy(h, f, sizeof(fe));
}

/* Not carried: every addend here is a carried result (limbs below 2^51 + 2^14), so the sum's limbs stay
 * below 2^53, which products and subtraction both accept. */
static inline __attribute__((always_inline)) void fe_add(fe h, const fe f, const fe g) {
  for (int i = 0; i < 5; i++) h[i] = f[i] + g[i];
}

/* f − g computed as f + 4p − g: 4p's limbs exceed any g limb, so nothing underflows. */
static inline __attribute__((always_inline)) void fe_sub(fe h, const fe f, const fe g) {
  h[0] = f[0] + ((UINT64_C(1) << 53) - 76) - g[0];
  for (int i = 1; i < 5; i++) h[i] = f[i] + ((UINT64_C(1) << 53) - 4) - g[i];
  fe_carry(h);
}

static void fe_neg(fe h, const fe f) {
  fe zero = {0, 0, 0, 0, 0};
  fe_sub(h, zero, f);
}

/* Folds the five 128-bit column sums of a product back into 51-bit limbs. */
static inline __attribute__((always_inline)) void fe_reduce_wide(fe h, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4) {
  t1 += (uint64_t)(t0 >> 51);
  t2 += (uint64_t)(t1 >> 51);
  t3 += (uint64_t)(t2 >> 51);
  t4 += (uint64_t)(t3 >> 51);
  uint64_t r0 = (uint64_t)t0 & MASK51;
  uint64_t r1 = (uint64_t)t1 & MASK51;
  uint64_t r2 = (uint64_t)t2 & MASK51;
  uint64_t r3 = (uint64_t)t3 & MASK51;
  uint64_t r4 = (uint64_t)t4 & MASK51;
  r0 += 19 * (uint64_t)(t4 >> 51);
  r1 += r0 >> 51;
  r0 &= MASK51;
  h[0] = r0; h[1] = r1; h[2] = r2; h[3] = r3; h[4] = r4;
}

static inline __attribute__((always_inline)) void fe_mul(fe h, const fe f, const fe g) {
  const uint64_t g1 = 19 * g[1], g2 = 19 * g[2], g3 = 19 * g[3], g4 = 19 * g[4];
  u128 t0 = (u128)f[0] * g[0] + (u128)f[1] * g4 + (u128)f[2] * g3 + (u128)f[3] * g2 + (u128)f[4] * g1;
  u128 t1 = (u128)f[0] * g[1] + (u128)f[1] * g[0] + (u128)f[2] * g4 + (u128)f[3] * g3 + (u128)f[4] * g2;
  u128 t2 = (u128)f[0] * g[2] + (u128)f[1] * g[1] + (u128)f[2] * g[0] + (u128)f[3] * g4 + (u128)f[4] * g3;
  u128 t3 = (u128)f[0] * g[3] + (u128)f[1] * g[2] + (u128)f[2] * g[1] + (u128)f[3] * g[0] + (u128)f[4] * g4;
  u128 t4 = (u128)f[0] * g[4] + (u128)f[1] * g[3] + (u128)f[2] * g[2] + (u128)f[3] * g[1] + (u128)f[4] * g[0];
  fe_reduce_wide(h, t0, t1, t2, t3, t4);
}

static inline __attribute__((always_inline)) void fe_sq(fe h, const fe f) {
  const uint64_t f0_2 = 2 * f[0], f1_2 = 2 * f[1];
  const uint64_t f3_19 = 19 * f[3], f4_19 = 19 * f[4];
  u128 t0 = (u128)f[0] * f[0] + (u128)f1_2 * f4_19 + (u128)(2 * f[2]) * f3_19;
  u128 t1 = (u128)f0_2 * f[1] + (u128)(2 * f[2]) * f4_19 + (u128)f[3] * f3_19;
  u128 t2 = (u128)f0_2 * f[2] + (u128)f[1] * f[1] + (u128)(2 * f[3]) * f4_19;
  u128 t3 = (u128)f0_2 * f[3] + (u128)f1_2 * f[2] + (u128)f[4] * f4_19;
  u128 t4 = (u128)f0_2 * f[4] + (u128)f1_2 * f[3] + (u128)f[2] * f[2];
  fe_reduce_wide(h, t0, t1, t2, t3, t4);
}

/* h = f^(2^n). */
static void fe_sq_times(fe h, const fe f, int n) {
  fe_sq(h, f);
  for (int i = 1; i < n; i++) fe_sq(h, h);
}

static uint64_t load64(const uint8_t *s) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | s[i];
  return v;
}

static void store64(uint8_t *s, uint64_t v) {
  for (int i = 0; i < 8; i++) s[i] = (uint8_t)(v >> (8 * i));
}

/* The low 255 bits of a 32-byte little-endian number (the top bit, x's sign in a point, is ignored). */
static void fe_frombytes(fe h, const uint8_t s[32]) {
  const uint64_t w0 = load64(s), w1 = load64(s + 8), w2 = load64(s + 16), w3 = load64(s + 24);
  h[0] = w0 & MASK51;
  h[1] = ((w0 >> 51) | (w1 << 13)) & MASK51;
  h[2] = ((w1 >> 38) | (w2 << 26)) & MASK51;
  h[3] = ((w2 >> 25) | (w3 << 39)) & MASK51;
  h[4] = (w3 >> 12) & MASK51;
}

/* The canonical encoding of h: fully reduced below p, little-endian. */
static void fe_tobytes(uint8_t s[32], const fe f) {
  fe h;
  fe_copy(h, f);
  fe_carry(h);
  fe_carry(h);
  /* Now h < 2p; q = 1 exactly when h ≥ p, found as the carry out of h + 19 past bit 255. */
  uint64_t q = (h[0] + 19) >> 51;
  q = (h[1] + q) >> 51;
  q = (h[2] + q) >> 51;
  q = (h[3] + q) >> 51;
  q = (h[4] + q) >> 51;
  h[0] += 19 * q;
  h[1] += h[0] >> 51; h[0] &= MASK51;
  h[2] += h[1] >> 51; h[1] &= MASK51;
  h[3] += h[2] >> 51; h[2] &= MASK51;
  h[4] += h[3] >> 51; h[3] &= MASK51;
  h[4] &= MASK51;
  store64(s, h[0] | (h[1] << 51));
  store64(s + 8, (h[1] >> 13) | (h[2] << 38));
  store64(s + 16, (h[2] >> 26) | (h[3] << 25));
  store64(s + 24, (h[3] >> 39) | (h[4] << 12));
}

static int fe_is_odd(const fe f) {
  uint8_t s[32];
  fe_tobytes(s, f);
  return s[0] & 1;
}

static int fe_equal(const fe f, const fe g) {
  uint8_t a[32], b[32];
  fe_tobytes(a, f);
  fe_tobytes(b, g);
  return memcmp(a, b, 32) == 0;
}

/* z^(2^250 − 1) and z^11, the common prefix of inversion and of the square root's exponent. */
static void fe_pow_2_250_1(fe out, fe z11, const fe z) {
  fe t0, t1, t2;
  fe_sq(t0, z);                /* z^2 */
  fe_sq_times(t1, t0, 2);      /* z^8 */
  fe_mul(t1, t1, z);           /* z^9 */
  fe_mul(z11, t0, t1);         /* z^11 */
  fe_sq(t2, z11);              /* z^22 */
  fe_mul(t1, t1, t2);          /* z^31 = z^(2^5 − 1) */
  fe_sq_times(t2, t1, 5);
  fe_mul(t1, t2, t1);          /* z^(2^10 − 1) */
  fe_sq_times(t2, t1, 10);
  fe_mul(t2, t2, t1);          /* z^(2^20 − 1) */
  fe_sq_times(t0, t2, 20);
  fe_mul(t2, t0, t2);          /* z^(2^40 − 1) */
  fe_sq_times(t2, t2, 10);
  fe_mul(t1, t2, t1);          /* z^(2^50 − 1) */
  fe_sq_times(t2, t1, 50);
  fe_mul(t2, t2, t1);          /* z^(2^100 − 1) */
  fe_sq_times(t0, t2, 100);
  fe_mul(t2, t0, t2);          /* z^(2^200 − 1) */
  fe_sq_times(t2, t2, 50);
  fe_mul(out, t2, t1);         /* z^(2^250 − 1) */
}

/* 1/z = z^(p − 2) = z^(2^255 − 21). */
static void fe_invert(fe out, const fe z) {
  fe t, z11;
  fe_pow_2_250_1(t, z11, z);
  fe_sq_times(t, t, 5);        /* z^(2^255 − 32) */
  fe_mul(out, t, z11);
}

/* z^((p − 5)/8) = z^(2^252 − 3). */
static void fe_pow22523(fe out, const fe z) {
  fe t, z11;
  fe_pow_2_250_1(t, z11, z);
  fe_sq_times(t, t, 2);        /* z^(2^252 − 4) */
  fe_mul(out, t, z);
}

/*
 * out[i] = 1/in[i] for n elements with one inversion (Montgomery's trick): running products forward
 * into `out`, one inversion of the last, then back through them. `out` may not alias `in`.
 */
static void fe_batch_invert(fe *out, const fe *in, int n) {
  fe_copy(out[0], in[0]);
  for (int i = 1; i < n; i++) fe_mul(out[i], out[i - 1], in[i]);
  fe inverse, t;
  fe_invert(inverse, out[n - 1]);
  for (int i = n - 1; i > 0; i--) {
    fe_mul(out[i], inverse, out[i - 1]);
    fe_mul(t, inverse, in[i]);
    fe_copy(inverse, t);
  }
  fe_copy(out[0], inverse);
}

/* Curve constants, computed when the module loads (ed25519_init). */
static fe D;        /* d = −121665/121666 */
static fe D2;       /* 2d */
static fe SQRT_M1;  /* a square root of −1: 2^((p − 1)/4) */

/* Points. */

typedef struct { fe X, Y, Z, T; } ge_p3;
/* A point ready to be added: (Y + X, Y − X, 2Z, 2dT). */
typedef struct { fe YplusX, YminusX, Z2, T2d; } ge_cached;
/* An affine point ready to be added (Z = 1): (y + x, y − x, 2dxy). */
typedef struct { fe YplusX, YminusX, XY2d; } ge_affine;

static void ge_identity(ge_p3 *p) {
  fe_set(p->X, 0); fe_set(p->Y, 1); fe_set(p->Z, 1); fe_set(p->T, 0);
}

/* r = 2p (dbl-2008-hwcd with a = −1); r->T only when `with_t` (doubling does not read T). */
static void ge_double_t(ge_p3 *r, const ge_p3 *p, int with_t) {
  fe a, b, c, e, g, f, h, s;
  fe_sq(a, p->X);
  fe_sq(b, p->Y);
  fe_sq(c, p->Z);
  fe_add(c, c, c);
  fe_add(h, a, b);             /* A + B */
  fe_add(s, p->X, p->Y);
  fe_sq(s, s);
  fe_sub(e, s, h);             /* E = (X + Y)^2 − A − B */
  fe_sub(g, b, a);             /* G = B − A */
  fe_sub(f, g, c);             /* F = G − C */
  fe_neg(h, h);                /* H = −A − B */
  fe_mul(r->X, e, f);
  fe_mul(r->Y, g, h);
  if (with_t) fe_mul(r->T, e, h);
  fe_mul(r->Z, f, g);
}

static void ge_double(ge_p3 *r, const ge_p3 *p) {
  ge_double_t(r, p, 1);
}

/*
 * r = p + q, or p − q when `negate` (add-2008-hwcd-3 with a = −1), from q's y + x, y − x and 2d·xy (all
 * over its Z) and D = Z1·2Z2, which the callers below work out in their own way. r may be p.
 */
static void ge_add_with(ge_p3 *r, const ge_p3 *p, const fe ypx, const fe ymx, const fe xy2d, const fe d, int negate) {
  fe a, b, c, e, f, g, h;
  fe_sub(a, p->Y, p->X);
  fe_mul(a, a, negate ? ypx : ymx);
  fe_add(b, p->Y, p->X);
  fe_mul(b, b, negate ? ymx : ypx);
  fe_mul(c, p->T, xy2d);
  fe_sub(e, b, a);
  fe_add(h, b, a);
  if (negate) {
    fe_add(f, d, c);
    fe_sub(g, d, c);
  } else {
    fe_sub(f, d, c);
    fe_add(g, d, c);
  }
  fe_mul(r->X, e, f);
  fe_mul(r->Y, g, h);
  fe_mul(r->T, e, h);
  fe_mul(r->Z, f, g);
}

static void ge_add_cached(ge_p3 *r, const ge_p3 *p, const ge_cached *q, int negate) {
  fe d;
  fe_mul(d, p->Z, q->Z2);
  ge_add_with(r, p, q->YplusX, q->YminusX, q->T2d, d, negate);
}

/* The same with an affine q: 2Z2 is 2, so D costs an addition instead of a product. */
static void ge_add_affine(ge_p3 *r, const ge_p3 *p, const ge_affine *q, int negate) {
  fe d;
  fe_add(d, p->Z, p->Z);
  ge_add_with(r, p, q->YplusX, q->YminusX, q->XY2d, d, negate);
}

static void ge_to_cached(ge_cached *r, const ge_p3 *p) {
  fe_add(r->YplusX, p->Y, p->X);
  fe_sub(r->YminusX, p->Y, p->X);
  fe_add(r->Z2, p->Z, p->Z);
  fe_mul(r->T2d, p->T, D2);
}

/* r = p as an affine point ready to be added, given zi = 1/Z. */
static void ge_to_affine(ge_affine *r, const ge_p3 *p, const fe zi) {
  fe x, y;
  fe_mul(x, p->X, zi);
  fe_mul(y, p->Y, zi);
  fe_add(r->YplusX, y, x);
  fe_sub(r->YminusX, y, x);
  fe_mul(r->XY2d, x, y);
  fe_mul(r->XY2d, r->XY2d, D2);
}

/*
 * Decodes a point (RFC 8032 §5.1.3): y from the low 255 bits, then x = ±sqrt((y^2 − 1)/(dy^2 + 1)) with
 * the sign bit choosing between them. Returns 0 when no such x exists, or x = 0 with the sign bit set.
 * The caller has already refused non-canonical y.
 */
static int ge_frombytes(ge_p3 *p, const uint8_t s[32]) {
  fe y, u, v, v3, vxx, x, check;
  fe_frombytes(y, s);
  fe_sq(u, y);
  fe_mul(v, u, D);
  fe_set(check, 1);
  fe_sub(u, u, check);         /* u = y^2 − 1 */
  fe_add(v, v, check);         /* v = dy^2 + 1 */
  /* x = u v^3 (u v^7)^((p − 5)/8) */
  fe_sq(v3, v);
  fe_mul(v3, v3, v);
  fe_sq(x, v3);
  fe_mul(x, x, v);
  fe_mul(x, x, u);
  fe_pow22523(x, x);
  fe_mul(x, x, v3);
  fe_mul(x, x, u);
  fe_sq(vxx, x);
  fe_mul(vxx, vxx, v);
  if (!fe_equal(vxx, u)) {
    fe_neg(check, u);
    if (!fe_equal(vxx, check)) return 0;
    fe_mul(x, x, SQRT_M1);
  }
  const int sign = s[31] >> 7;
  uint8_t xs[32];
  fe_tobytes(xs, x);
  int zero = 1;
  for (int i = 0; i < 32; i++) zero &= xs[i] == 0;
  if (zero && sign) return 0;
  if ((xs[0] & 1) != sign) fe_neg(x, x);
  fe_copy(p->X, x);
  fe_copy(p->Y, y);
  fe_set(p->Z, 1);
  fe_mul(p->T, x, y);
  return 1;
}

static void ge_tobytes(uint8_t s[32], const ge_p3 *p) {
  fe zi, x, y;
  fe_invert(zi, p->Z);
  fe_mul(x, p->X, zi);
  fe_mul(y, p->Y, zi);
  fe_tobytes(s, y);
  s[31] |= (uint8_t)(fe_is_odd(x) << 7);
}

/* Scalars. */

/* Non-adjacent forms are this long: a scalar below 2^253 has digits up to position 253. */
#define NAF_LEN 256

/*
 * The width-w non-adjacent form of a 256-bit little-endian scalar below 2^255: digits odd and below
 * 2^(w−1) in size, at least w − 1 zeros after each, with sum digit[i]·2^i equal to the scalar.
 */
static void wnaf(int8_t naf[NAF_LEN], const uint8_t s[32], int w) {
  uint64_t x[5] = {load64(s), load64(s + 8), load64(s + 16), load64(s + 24), 0};
  const int width = 1 << w;
  memset(naf, 0, NAF_LEN);
  int pos = 0;
  while (pos < NAF_LEN) {
    const int word = pos >> 6, bit = pos & 63;
    if (((x[word] >> bit) & 1) == 0) {
      pos++;
      continue;
    }
    uint64_t v = x[word] >> bit;
    if (bit + w > 64) v |= x[word + 1] << (64 - bit);
    v &= (uint64_t)(width - 1);
    const int digit = (int)v >= width / 2 ? (int)v - width : (int)v;
    naf[pos] = (int8_t)digit;
    /* Subtract digit·2^pos: clear the window, and for a negative digit carry 2^(pos + w) in. */
    for (int i = pos; i < pos + w && i < 320; i++) x[i >> 6] &= ~(UINT64_C(1) << (i & 63));
    if (digit < 0) {
      int i = pos + w;
      while (i < 320) {
        const uint64_t b = UINT64_C(1) << (i & 63);
        const int set = (x[i >> 6] & b) != 0;
        x[i >> 6] ^= b;
        if (!set) break;
        i++;
      }
    }
    pos += w;
  }
}

/* Tables. */

#ifndef PIECES
#define PIECES 8
#endif
#define ROWS (256 / PIECES)
#define B_WIDTH 8
#define B_ENTRIES (1 << (B_WIDTH - 2))
#ifndef A_WIDTH
#define A_WIDTH 5
#endif
#define A_ENTRIES (1 << (A_WIDTH - 2))

struct ed25519_key {
  /* [1, 3, 5, … , 2·A_ENTRIES − 1]·[2^(ROWS·j)]A for each piece j, affine (Z = 1): smaller, and cheaper to add. */
  ge_affine multiples[PIECES][A_ENTRIES];
};

static ge_affine base_multiples[PIECES][B_ENTRIES];
/*
 * The signer's own multiples of B (ed25519_base_multiply): the same odd multiples, but for 64 pieces
 * 4 bits apart, so that [s]B takes 4 doublings instead of 32. 480 KiB, filled on first use.
 */
#ifndef SIGN_PIECES
#define SIGN_PIECES 64
#endif
#define SIGN_ROWS (256 / SIGN_PIECES)
#ifndef SIGN_WIDTH
#define SIGN_WIDTH 8
#endif
#define SIGN_ENTRIES (1 << (SIGN_WIDTH - 2))
static ge_affine signing_multiples[SIGN_PIECES][SIGN_ENTRIES];
/* Set once by init_once, before any other thread can look (pthread_once orders it). */
static int ready = 0;
static int compute_constants(void);

size_t ed25519_key_size(void) {
  return sizeof(struct ed25519_key);
}

/* The odd multiples of p: out[i] = (2i + 1)p, `count` of them. */
static void odd_multiples(ge_p3 *out, const ge_p3 *p, int count) {
  ge_p3 twice;
  ge_cached twice_cached;
  ge_double(&twice, p);
  ge_to_cached(&twice_cached, &twice);
  out[0] = *p;
  for (int i = 1; i < count; i++) ge_add_cached(&out[i], &out[i - 1], &twice_cached, 0);
}

/*
 * Each of `pieces` pieces' odd multiples of p, p doubled `rows` times between pieces, as affine points:
 * out[j·count + i]. Returns 0 when out of memory. Thread-safe: the oracle's worker threads prepare keys
 * at the same time, so the scratch space is this call's own.
 */
static int piece_multiples(ge_affine *out, ge_p3 p, int pieces, int rows, int count) {
  const int n = pieces * count;
  ge_p3 *points = malloc(sizeof(ge_p3) * (size_t)n);
  fe *zs = malloc(sizeof(fe) * (size_t)n), *inverses = malloc(sizeof(fe) * (size_t)n);
  const int ok = points != NULL && zs != NULL && inverses != NULL;
  if (ok) {
    for (int j = 0; j < pieces; j++) {
      odd_multiples(&points[j * count], &p, count);
      for (int i = 0; i < rows; i++) ge_double(&p, &p);
    }
    for (int i = 0; i < n; i++) fe_copy(zs[i], points[i].Z);
    fe_batch_invert(inverses, zs, n);
    for (int i = 0; i < n; i++) ge_to_affine(&out[i], &points[i], inverses[i]);
  }
  free(points);
  free(zs);
  free(inverses);
  return ok;
}

int ed25519_prepare_key(struct ed25519_key *key, const uint8_t public_key[32]) {
  if (!ready) return 0;
  ge_p3 p;
  if (!ge_frombytes(&p, public_key)) return 0;
  return piece_multiples(&key->multiples[0][0], p, PIECES, ROWS, A_ENTRIES);
}

/* Once per process, whichever thread loads the module first (every worker thread loads it too). */
static void init_once(void) {
  ready = compute_constants();
}

int ed25519_init(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_once);
  return ready;
}

/* B: y = 4/5, x even (RFC 8032 §5.1), checked to encode back to itself; 0 if it does not. */
static int base_point(ge_p3 *b) {
  uint8_t encoded[32];
  memset(encoded, 0x66, 32);
  encoded[0] = 0x58;
  if (!ge_frombytes(b, encoded)) return 0;
  uint8_t again[32];
  ge_tobytes(again, b);
  return memcmp(again, encoded, 32) == 0;
}

static int compute_constants(void) {
  fe t, n;
  /* d = −121665/121666 */
  fe_set(t, 121666);
  fe_invert(t, t);
  fe_set(n, 121665);
  fe_mul(t, t, n);
  fe_neg(D, t);
  fe_add(D2, D, D);
  /* sqrt(−1) = 2^((p − 1)/4) = (2^((p − 5)/8))^2 · 2 */
  fe_set(t, 2);
  fe_pow22523(SQRT_M1, t);
  fe_sq(SQRT_M1, SQRT_M1);
  fe_mul(SQRT_M1, SQRT_M1, t);
  fe_sq(t, SQRT_M1);
  fe_set(n, 1);
  fe_neg(n, n);
  if (!fe_equal(t, n)) return 0;
  ge_p3 b;
  return base_point(&b) && piece_multiples(&base_multiples[0][0], b, PIECES, ROWS, B_ENTRIES);
}

/* The signer's table, once per process, on the first signature or signing key; 1 when it is ready. */
static int signing_ready = 0;

static void make_signing_table(void) {
  ge_p3 b;
  signing_ready = ready && base_point(&b) && piece_multiples(&signing_multiples[0][0], b, SIGN_PIECES, SIGN_ROWS, SIGN_ENTRIES);
}

static int signing_table(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, make_signing_table);
  return signing_ready;
}

static void prefetch_entry(const ge_affine *entry) {
  for (size_t line = 0; line < sizeof(ge_affine); line += 64) __builtin_prefetch((const char *)entry + line);
}

/* acc = [S]B − [k]A, before encoding: the part of a verification that needs no inversion. */
static void verify_point(ge_p3 *acc, const struct ed25519_key *key, const uint8_t signature[64], const uint8_t k[32]) {
  int8_t s_naf[NAF_LEN], k_naf[NAF_LEN];
  /* S ≥ 2^253 is never canonical (S < L < 2^253, the caller's rule), and its form would not fit in
   * NAF_LEN digits: answer with a point that encodes as no R can (the caller's rules refuse the identity). */
  if ((signature[63] & 0xe0) != 0 || (k[31] & 0xe0) != 0) {
    ge_identity(acc);
    return;
  }
  wnaf(s_naf, signature + 32, B_WIDTH);
  wnaf(k_naf, k, A_WIDTH);
  /*
   * A key's multiples are rarely in cache (an oracle sees thousands of keys): ask for every entry this
   * signature will use now, so that the memory fetches overlap instead of stalling one addition each.
   */
  for (int i = 0; i < NAF_LEN; i++) {
    if (k_naf[i] != 0) prefetch_entry(&key->multiples[i / ROWS][(k_naf[i] > 0 ? k_naf[i] : -k_naf[i]) >> 1]);
    if (s_naf[i] != 0) prefetch_entry(&base_multiples[i / ROWS][(s_naf[i] > 0 ? s_naf[i] : -s_naf[i]) >> 1]);
  }
  ge_identity(acc);
  int started = 0;
  for (int row = ROWS - 1; row >= 0; row--) {
    if (started) {
      /* T is needed only if this row adds something. */
      int adds = 0;
      for (int j = 0; j < PIECES; j++) adds |= s_naf[ROWS * j + row] | k_naf[ROWS * j + row];
      ge_double_t(acc, acc, adds != 0);
    }
    for (int j = 0; j < PIECES; j++) {
      const int ds = s_naf[ROWS * j + row];
      if (ds != 0) {
        ge_add_affine(acc, acc, &base_multiples[j][(ds > 0 ? ds : -ds) >> 1], ds < 0);
        started = 1;
      }
      const int dk = k_naf[ROWS * j + row];
      if (dk != 0) {
        /* −[k]A: a positive digit subtracts. */
        ge_add_affine(acc, acc, &key->multiples[j][(dk > 0 ? dk : -dk) >> 1], dk > 0);
        started = 1;
      }
    }
  }
}

/*
 * out = encode([s]B) for a scalar below 2^253: the signer's part (ed25519-sign.c), with its own table.
 * Variable-time, like everything here; the signer says why that is acceptable for the keys it signs with.
 */
int ed25519_base_multiply(uint8_t out[32], const uint8_t s[32]) {
  if ((s[31] & 0xe0) != 0 || !signing_table()) return 0;
  int8_t naf[NAF_LEN];
  wnaf(naf, s, SIGN_WIDTH);
  /* The table is large and the simulator's other work evicts it: fetch every entry this scalar uses at once. */
  for (int i = 0; i < NAF_LEN; i++) {
    if (naf[i] != 0) prefetch_entry(&signing_multiples[i / SIGN_ROWS][(naf[i] > 0 ? naf[i] : -naf[i]) >> 1]);
  }
  ge_p3 acc;
  ge_identity(&acc);
  int started = 0;
  for (int row = SIGN_ROWS - 1; row >= 0; row--) {
    if (started) {
      int adds = 0;
      for (int j = 0; j < SIGN_PIECES; j++) adds |= naf[SIGN_ROWS * j + row];
      ge_double_t(&acc, &acc, adds != 0);
    }
    for (int j = 0; j < SIGN_PIECES; j++) {
      const int d = naf[SIGN_ROWS * j + row];
      if (d != 0) {
        ge_add_affine(&acc, &acc, &signing_multiples[j][(d > 0 ? d : -d) >> 1], d < 0);
        started = 1;
      }
    }
  }
  ge_tobytes(out, &acc);
  return 1;
}

/* encode(X/Z, Y/Z) == R, given zi = 1/Z. */
static int matches_r(const ge_p3 *p, const fe zi, const uint8_t r[32]) {
  fe x, y;
  uint8_t check[32];
  fe_mul(x, p->X, zi);
  fe_mul(y, p->Y, zi);
  fe_tobytes(check, y);
  check[31] |= (uint8_t)(fe_is_odd(x) << 7);
  return memcmp(check, r, 32) == 0;
}

int ed25519_verify_prepared(const struct ed25519_key *key, const uint8_t signature[64], const uint8_t k[32]) {
  if (!ready) return 0;
  ge_p3 acc;
  verify_point(&acc, key, signature, k);
  fe zi;
  fe_invert(zi, acc.Z);
  return matches_r(&acc, zi, signature);
}

int ed25519_verify_many(const struct ed25519_key *const *keys, const uint8_t *signatures, const uint8_t *ks, size_t n, uint8_t *results) {
  if (!ready) return 0;
  if (n == 0) return 1;
  ge_p3 *points = malloc(sizeof(ge_p3) * n);
  fe *zs = malloc(sizeof(fe) * n), *inverses = malloc(sizeof(fe) * n);
  const int ok = points != NULL && zs != NULL && inverses != NULL;
  if (ok) {
    for (size_t i = 0; i < n; i++) {
      verify_point(&points[i], keys[i], signatures + 64 * i, ks + 32 * i);
      fe_copy(zs[i], points[i].Z);
    }
    /* One inversion for all of them; Z is never 0 (the formulas are complete), so none spoils the rest. */
    fe_batch_invert(inverses, zs, (int)n);
    for (size_t i = 0; i < n; i++) results[i] = (uint8_t)matches_r(&points[i], inverses[i], signatures + 64 * i);
  }
  free(points);
  free(zs);
  free(inverses);
  return ok;
}

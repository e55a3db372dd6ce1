/*
 * src/util/ct.h — internal constant-time helpers (static inline, no symbols).
 *
 * A mask is 0 or all ones (uint64_t). Every mask and every 0/1 flag derived from secret data
 * goes through ct_launder(), an empty asm statement that claims to read and rewrite its operand:
 * the compiler can no longer see that the value is 0/1 (or 0/~0), so it cannot turn the
 * arithmetic select that follows back into a branch (the technique of blst's vect.h `launder`).
 *
 * ct_declassify() marks a value computed from secrets as public (a verdict the code then branches
 * on, e.g. "the MAC matched", "the digits were hex"): it tells valgrind's memcheck the bytes are
 * defined, so `make ctime` checks everything else. It is a valgrind client request (a few no-op
 * instructions outside valgrind, as libsecp256k1's declassify), compiled in when valgrind's headers
 * are installed (scripts/setup installs them) and empty otherwise.
 */
#ifndef MPAVS_UTIL_CT_H
#define MPAVS_UTIL_CT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define MPAVS_HAVE_MEMCHECK 1
#endif
#endif

/* x, with the compiler's knowledge of its value range erased. */
static inline uint64_t ct_launder(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("" : "+r"(x));
#endif
    return x;
}

/* All ones if bit (0 or 1) is 1, else 0. */
static inline uint64_t ct_mask_from_bit(uint64_t bit) { return 0 - ct_launder(bit & 1); }

/* All ones if x != 0, else 0. */
static inline uint64_t ct_mask_nonzero(uint64_t x) { return ct_mask_from_bit((x | (0 - x)) >> 63); }

/* All ones if x == 0, else 0. */
static inline uint64_t ct_mask_zero(uint64_t x) { return ~ct_mask_nonzero(x); }

/* All ones if a < b (unsigned, both below 2^63), else 0. */
static inline uint64_t ct_mask_lt(uint64_t a, uint64_t b) { return ct_mask_from_bit((a - b) >> 63); }

/* mask ? a : b. */
static inline uint64_t ct_select(uint64_t mask, uint64_t a, uint64_t b) {
    mask = ct_launder(mask);
    return b ^ ((a ^ b) & mask);
}

/* dst[0..n) = mask ? src : dst (byte-wise). */
static inline void ct_cmov(void *dst, const void *src, size_t n, uint64_t mask) {
    uint8_t *d = dst, m = (uint8_t)ct_launder(mask);
    const uint8_t *s = src;
    for (size_t i = 0; i < n; i++) d[i] = (uint8_t)(d[i] ^ ((d[i] ^ s[i]) & m));
}

/* dst[0..n) = mask ? 0 : dst. */
static inline void ct_czero(void *dst, size_t n, uint64_t mask) {
    uint8_t *d = dst, keep = (uint8_t)~ct_launder(mask);
    for (size_t i = 0; i < n; i++) d[i] &= keep;
}

/* Mark n bytes at p as public (see the file comment). */
static inline void ct_declassify(const void *p, size_t n) {
#ifdef MPAVS_HAVE_MEMCHECK
    (void)VALGRIND_MAKE_MEM_DEFINED(p, n);
#else
    (void)p;
    (void)n;
#endif
}

#endif

/*
 * src/evm/arith.h — 256-bit arithmetic for the interpreter's hot loop (internal to libmpavs):
 * inline add/sub/mul on four 64-bit limbs, division and modular operations through GMP's mpn
 * layer (no allocation). Values are mpavs_u256 (w[0] least significant).
 */
#ifndef MPAVS_SRC_EVM_ARITH_H
#define MPAVS_SRC_EVM_ARITH_H

#include "mpavs/u256.h"

#include <gmp.h>
#include <string.h>

typedef unsigned __int128 evm_u128;

static inline void ar_add(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    evm_u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (evm_u128)a->w[i] + b->w[i];
        r->w[i] = (uint64_t)c;
        c >>= 64;
    }
}

static inline void ar_sub(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a->w[i], y = b->w[i];
        uint64_t d = x - y - borrow;
        borrow = (x < y) | ((x == y) & borrow);
        r->w[i] = d;
    }
}

static inline void ar_mul(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    uint64_t out[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        if (!a->w[i]) continue;
        evm_u128 c = 0;
        for (int j = 0; i + j < 4; j++) {
            c += (evm_u128)a->w[i] * b->w[j] + out[i + j];
            out[i + j] = (uint64_t)c;
            c >>= 64;
        }
    }
    memcpy(r->w, out, sizeof out);
}

static inline int ar_limbs(const uint64_t *w, int n) {
    while (n > 0 && !w[n - 1]) n--;
    return n;
}

/* q = a / b, m = a % b; b nonzero (either output may be NULL). */
static inline void ar_divmod(mpavs_u256 *q, mpavs_u256 *m, const mpavs_u256 *a, const mpavs_u256 *b) {
    int na = ar_limbs(a->w, 4), nb = ar_limbs(b->w, 4);
    mpavs_u256 qq = {{0, 0, 0, 0}}, rr = {{0, 0, 0, 0}};
    if (na < nb) {
        rr = *a;
    } else if (na <= 1) {
        qq.w[0] = a->w[0] / b->w[0];
        rr.w[0] = a->w[0] % b->w[0];
    } else {
        mp_limb_t ql[4] = {0, 0, 0, 0}, rl[4] = {0, 0, 0, 0}, al[4], bl[4];
        for (int i = 0; i < 4; i++) al[i] = (mp_limb_t)a->w[i], bl[i] = (mp_limb_t)b->w[i];
        mpn_tdiv_qr(ql, rl, 0, al, na, bl, nb);
        for (int i = 0; i < 4; i++) qq.w[i] = ql[i], rr.w[i] = rl[i];
    }
    if (q) *q = qq;
    if (m) *m = rr;
}

/* r = (a + b) mod n or (a * b) mod n, computed exactly (512-bit intermediate); 0 when n is 0. */
static inline void ar_modop(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b, const mpavs_u256 *n, int mul) {
    /* r may alias a, b or n: read everything first */
    int nn = ar_limbs(n->w, 4);
    mp_limb_t x[8] = {0}, ql[8], rl[4] = {0, 0, 0, 0}, nl[4];
    for (int i = 0; i < 4; i++) nl[i] = (mp_limb_t)n->w[i];
    mpavs_u256 aa = *a, bb = *b;
    a = &aa;
    b = &bb;
    memset(r, 0, sizeof *r);
    if (!nn) return;
    int nx;
    if (mul) {
        mp_limb_t al[4], bl[4];
        for (int i = 0; i < 4; i++) al[i] = (mp_limb_t)a->w[i], bl[i] = (mp_limb_t)b->w[i];
        mpn_mul_n(x, al, bl, 4);
        nx = 8;
    } else {
        evm_u128 c = 0;
        for (int i = 0; i < 4; i++) {
            c += (evm_u128)a->w[i] + b->w[i];
            x[i] = (mp_limb_t)c;
            c >>= 64;
        }
        x[4] = (mp_limb_t)c;
        nx = 5;
    }
    while (nx > 0 && !x[nx - 1]) nx--;
    if (nx < nn) {
        for (int i = 0; i < nx; i++) r->w[i] = x[i];
        return;
    }
    mpn_tdiv_qr(ql, rl, 0, x, nx, nl, nn);
    for (int i = 0; i < 4; i++) r->w[i] = rl[i];
}

#endif

/*
 * 0x05 MODEXP (EIP-198): in = Bsize || Esize || Msize (32-byte big-endian words, any value) || B ||
 * E || M, every read past the input reading zeros. Out: B^E mod M as Msize bytes (zeros if M = 0).
 *
 * Gas, Cancun and Prague (EIP-2565): max(200, floor(ceil(max(Bsize, Msize) / 8)^2 * iters / 3)).
 * Osaka (EIP-7883): max(500, mult * iters) with mult = 16 if max(Bsize, Msize) <= 32 else
 * 2 * ceil(max / 8)^2, and the per-byte exponent factor 16 instead of 8; EIP-7823 fails any call
 * with Bsize, Esize or Msize above 1024. iters = max(1, adjusted exponent length) where, with
 * head = the first min(32, Esize) bytes of E: bitlen(head) - 1 if Esize <= 32 (0 if head = 0),
 * else factor * (Esize - 32) + max(bitlen(head) - 1, 0).
 *
 * The gas is computed exactly with GMP whatever the lengths; a call that pays its gas but whose
 * operands would exceed MODEXP_MAX_OPERAND bytes (reachable only with gas limits far above any
 * block's) answers EVM_PC_NOMEM rather than allocate without bound.
 */
#include "evm/precompile_each.h"

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#define MODEXP_MAX_OPERAND ((size_t)1 << 24)

_Static_assert(sizeof(unsigned long) >= sizeof(uint64_t), "mpz_*_ui calls take the gas limit");

/* Copies in[off .. off+n) into dst (n bytes), zeros past the input; off may be past len. */
static void read_padded(uint8_t *dst, const uint8_t *in, size_t len, size_t off, size_t n) {
    memset(dst, 0, n);
    if (off >= len) return;
    size_t avail = len - off < n ? len - off : n;
    memcpy(dst, in + off, avail);
}

/* z = the operand of `n` bytes at offset off (mpz offsets: anything past the input is zero). */
static void read_operand(mpz_t z, const uint8_t *in, size_t len, const mpz_t off, size_t n) {
    mpz_set_ui(z, 0);
    if (n == 0 || mpz_cmp_ui(off, len) >= 0) return;
    size_t o = mpz_get_ui(off); /* < len */
    size_t avail = len - o < n ? len - o : n;
    mpz_import(z, avail, 1, 1, 1, 0, in + o);
    /* missing trailing bytes are zeros: shift left by their count */
    mpz_mul_2exp(z, z, 8 * (n - avail));
}

/* The gas of the call as an mpz (exact). */
static void modexp_gas(mpz_t gas, mpavs_evm_fork fork, const mpz_t blen, const mpz_t elen,
                       const mpz_t mlen, const uint8_t *in, size_t len) {
    bool osaka = fork >= MPAVS_EVM_OSAKA;
    mpz_t maxlen, mult, iters, off, head, t;
    mpz_inits(maxlen, mult, iters, off, head, t, NULL);

    /* multiplication complexity */
    mpz_set(maxlen, mpz_cmp(blen, mlen) > 0 ? blen : mlen);
    mpz_cdiv_q_ui(mult, maxlen, 8);
    mpz_mul(mult, mult, mult);
    if (osaka) {
        if (mpz_cmp_ui(maxlen, 32) <= 0) mpz_set_ui(mult, 16);
        else mpz_mul_ui(mult, mult, 2);
    }

    /* exponent head: the first min(32, Esize) bytes of E, at 96 + Bsize */
    size_t head_len = mpz_cmp_ui(elen, 32) < 0 ? mpz_get_ui(elen) : 32;
    mpz_add_ui(off, blen, 96);
    read_operand(head, in, len, off, head_len);
    size_t bits = mpz_sgn(head) ? mpz_sizeinbase(head, 2) : 0;
    if (mpz_cmp_ui(elen, 32) <= 0) {
        mpz_set_ui(iters, bits ? bits - 1 : 0);
    } else {
        mpz_sub_ui(iters, elen, 32);
        mpz_mul_ui(iters, iters, osaka ? 16 : 8);
        if (bits > 1) mpz_add_ui(iters, iters, bits - 1);
    }
    if (mpz_cmp_ui(iters, 1) < 0) mpz_set_ui(iters, 1);

    mpz_mul(gas, mult, iters);
    if (!osaka) mpz_fdiv_q_ui(gas, gas, 3);
    unsigned long floor_gas = osaka ? 500 : 200;
    if (mpz_cmp_ui(gas, floor_gas) < 0) mpz_set_ui(gas, floor_gas);
    mpz_clears(maxlen, mult, iters, off, head, t, NULL);
}

evm_pc_status evm_pc_modexp(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                            uint64_t gas_limit) {
    uint8_t word[32];
    mpz_t blen, elen, mlen, gas, b, e, m, off;
    mpz_inits(blen, elen, mlen, gas, b, e, m, off, NULL);
    read_padded(word, in, len, 0, 32);
    mpz_import(blen, 32, 1, 1, 1, 0, word);
    read_padded(word, in, len, 32, 32);
    mpz_import(elen, 32, 1, 1, 1, 0, word);
    read_padded(word, in, len, 64, 32);
    mpz_import(mlen, 32, 1, 1, 1, 0, word);

    evm_pc_status st;
    if (fork >= MPAVS_EVM_OSAKA && (mpz_cmp_ui(blen, 1024) > 0 || mpz_cmp_ui(elen, 1024) > 0 ||
                                    mpz_cmp_ui(mlen, 1024) > 0)) {
        st = evm_pc_fail(res, gas_limit); /* EIP-7823 */
        goto out;
    }
    modexp_gas(gas, fork, blen, elen, mlen, in, len);
    if (mpz_cmp_ui(gas, gas_limit) > 0) { /* gas_limit fits unsigned long on LP64 */
        st = evm_pc_fail(res, gas_limit);
        goto out;
    }
    res->gas_used = mpz_get_ui(gas);
    if (mpz_sgn(mlen) == 0) { /* empty output whatever B and E are (they may be huge) */
        st = evm_pc_output(res, NULL, 0);
        goto out;
    }
    if (mpz_cmp_ui(blen, MODEXP_MAX_OPERAND) > 0 || mpz_cmp_ui(elen, MODEXP_MAX_OPERAND) > 0 ||
        mpz_cmp_ui(mlen, MODEXP_MAX_OPERAND) > 0) {
        res->status = st = EVM_PC_NOMEM;
        goto out;
    }
    size_t bn = mpz_get_ui(blen), en = mpz_get_ui(elen), mn = mpz_get_ui(mlen);
    mpz_set_ui(off, 96);
    read_operand(b, in, len, off, bn);
    mpz_add_ui(off, off, bn);
    read_operand(e, in, len, off, en);
    mpz_add_ui(off, off, en);
    read_operand(m, in, len, off, mn);

    uint8_t *out = calloc(mn, 1);
    if (!out) {
        res->status = st = EVM_PC_NOMEM;
        goto out;
    }
    if (mpz_sgn(m) != 0) {
        mpz_powm(b, b, e, m); /* b^0 mod 1 = 0, as the EVM wants */
        size_t n = (mpz_sizeinbase(b, 2) + 7) / 8;
        if (mpz_sgn(b) != 0) mpz_export(out + (mn - n), NULL, 1, 1, 1, 0, b);
    }
    res->out = out;
    res->out_len = mn;
    res->status = st = EVM_PC_SUCCESS;
out:
    mpz_clears(blen, elen, mlen, gas, b, e, m, off, NULL);
    return st;
}

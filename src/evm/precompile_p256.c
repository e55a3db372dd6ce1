/*
 * 0x100 P256VERIFY (EIP-7951, Osaka): in = h || r || s || qx || qy (exactly 160 bytes), 6900 gas
 * whatever the input. Out: the 32-byte word 1 if (r, s) is a valid ECDSA signature of the hash h
 * under the secp256r1 public key (qx, qy), else an empty output (still a success).
 *
 * The EIP's checks, in its order: length 160; 0 < r < n and 0 < s < n; qx, qy < p; (qx, qy) on
 * the curve (which excludes the point at infinity, having no affine form); then
 * R' = (h * s^-1) G + (r * s^-1) Q must not be infinity and R'.x mod n must equal r. The group
 * arithmetic is OpenSSL's (EC_POINT over the named group prime256v1); all data are public.
 */
#include "evm/precompile_each.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#define P256VERIFY_GAS 6900

/* Verdict of the EIP's verification: 1 valid, 0 invalid, -1 OpenSSL failed (no memory). */
static int p256_verify(const uint8_t in[160]) {
    int verdict = -1;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *bn = BN_CTX_new();
    EC_POINT *q = NULL, *rp = NULL;
    if (!group || !bn) goto out;
    BN_CTX_start(bn);
    BIGNUM *h = BN_CTX_get(bn), *r = BN_CTX_get(bn), *s = BN_CTX_get(bn), *qx = BN_CTX_get(bn),
           *qy = BN_CTX_get(bn), *p = BN_CTX_get(bn), *w = BN_CTX_get(bn), *u1 = BN_CTX_get(bn),
           *u2 = BN_CTX_get(bn), *x = BN_CTX_get(bn);
    if (!x) goto out_ctx;
    const BIGNUM *n = EC_GROUP_get0_order(group);
    if (!BN_bin2bn(in, 32, h) || !BN_bin2bn(in + 32, 32, r) || !BN_bin2bn(in + 64, 32, s) ||
        !BN_bin2bn(in + 96, 32, qx) || !BN_bin2bn(in + 128, 32, qy) ||
        !EC_GROUP_get_curve(group, p, NULL, NULL, bn))
        goto out_ctx;
    verdict = 0;
    if (BN_is_zero(r) || BN_cmp(r, n) >= 0 || BN_is_zero(s) || BN_cmp(s, n) >= 0) goto out_ctx;
    if (BN_cmp(qx, p) >= 0 || BN_cmp(qy, p) >= 0) goto out_ctx;
    verdict = -1;
    if (!(q = EC_POINT_new(group)) || !(rp = EC_POINT_new(group))) goto out_ctx;
    /* set_affine_coordinates refuses points off the curve; is_on_curve states the rule here too */
    if (!EC_POINT_set_affine_coordinates(group, q, qx, qy, bn) ||
        EC_POINT_is_on_curve(group, q, bn) != 1) {
        verdict = 0;
        goto out_ctx;
    }
    if (!BN_mod_inverse(w, s, n, bn) || !BN_mod_mul(u1, h, w, n, bn) || !BN_mod_mul(u2, r, w, n, bn) ||
        !EC_POINT_mul(group, rp, u1, q, u2, bn))
        goto out_ctx;
    verdict = 0;
    if (EC_POINT_is_at_infinity(group, rp)) goto out_ctx;
    verdict = -1;
    if (!EC_POINT_get_affine_coordinates(group, rp, x, NULL, bn) || !BN_nnmod(x, x, n, bn)) goto out_ctx;
    verdict = BN_cmp(x, r) == 0;
out_ctx:
    BN_CTX_end(bn);
out:
    EC_POINT_free(q);
    EC_POINT_free(rp);
    BN_CTX_free(bn);
    EC_GROUP_free(group);
    return verdict;
}

evm_pc_status evm_pc_p256verify(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                                uint64_t gas_limit) {
    if (!evm_pc_charge(res, P256VERIFY_GAS, gas_limit)) return res->status;
    if (len != 160) return evm_pc_output(res, NULL, 0);
    int v = p256_verify(in);
    if (v < 0) {
        res->status = EVM_PC_NOMEM;
        return res->status;
    }
    if (!v) return evm_pc_output(res, NULL, 0);
    uint8_t one[32] = {0};
    one[31] = 1;
    return evm_pc_output(res, one, sizeof one);
}

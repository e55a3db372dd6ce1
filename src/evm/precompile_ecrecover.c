/*
 * 0x01 ECRECOVER: in = hash || v || r || s (zero-padded to 128 bytes); 3000 gas. v must be the
 * 32-byte word 27 or 28, r and s in [1, n-1] (no low-s rule). Out: the signer's address
 * left-padded to 32 bytes, or an empty output (still a success) when nothing recovers.
 */
#include "evm/precompile_each.h"
#include "mpavs/keccak.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <string.h>

static const uint8_t SECP256K1_N[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                        0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};

/* 1 <= x < n (public data: plain comparisons). */
static bool in_scalar_range(const uint8_t x[32]) {
    bool zero = true;
    for (int i = 0; i < 32; i++) zero &= x[i] == 0;
    return !zero && memcmp(x, SECP256K1_N, 32) < 0;
}

evm_pc_status evm_pc_ecrecover(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit) {
    if (!evm_pc_charge(res, 3000, gas_limit)) return res->status;
    uint8_t buf[128] = {0};
    if (len) memcpy(buf, in, len < sizeof buf ? len : sizeof buf);
    const uint8_t *hash = buf, *v = buf + 32, *rs = buf + 64;
    for (int i = 0; i < 31; i++)
        if (v[i]) return evm_pc_output(res, NULL, 0);
    if ((v[31] != 27 && v[31] != 28) || !in_scalar_range(rs) || !in_scalar_range(rs + 32))
        return evm_pc_output(res, NULL, 0);

    /* The static context does verification-only operations (recovery included) and is immutable. */
    const secp256k1_context *ctx = secp256k1_context_static;
    secp256k1_ecdsa_recoverable_signature sig;
    secp256k1_pubkey pk;
    uint8_t pub[65];
    size_t pub_len = sizeof pub;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &sig, rs, v[31] - 27) ||
        !secp256k1_ecdsa_recover(ctx, &pk, &sig, hash) ||
        !secp256k1_ec_pubkey_serialize(ctx, pub, &pub_len, &pk, SECP256K1_EC_UNCOMPRESSED) ||
        pub_len != 65)
        return evm_pc_output(res, NULL, 0);
    uint8_t h[32], out[32] = {0};
    mpavs_keccak256(h, pub + 1, 64);
    memcpy(out + 12, h + 12, 20);
    return evm_pc_output(res, out, sizeof out);
}

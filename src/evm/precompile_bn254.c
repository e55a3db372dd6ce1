/*
 * 0x06 ecAdd (150 gas), 0x07 ecMul (6000 gas), 0x08 ecPairing (45000 + 34000 per pair), prices of
 * EIP-1108, over the project's BN254 (include/mpavs/bn254.h): coordinates >= p, points off the
 * curve, G2 points outside the subgroup and a pairing input that is not k * 192 bytes all fail.
 */
#include "evm/precompile_each.h"
#include "mpavs/bn254.h"

evm_pc_status evm_pc_bn254_add(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit) {
    if (!evm_pc_charge(res, 150, gas_limit)) return res->status;
    uint8_t out[64];
    if (mpavs_bn254_ecadd(out, in, len) != MPAVS_BN254_OK) return evm_pc_fail(res, gas_limit);
    return evm_pc_output(res, out, sizeof out);
}

evm_pc_status evm_pc_bn254_mul(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit) {
    if (!evm_pc_charge(res, 6000, gas_limit)) return res->status;
    uint8_t out[64];
    if (mpavs_bn254_ecmul(out, in, len) != MPAVS_BN254_OK) return evm_pc_fail(res, gas_limit);
    return evm_pc_output(res, out, sizeof out);
}

evm_pc_status evm_pc_bn254_pairing(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in,
                                   size_t len, uint64_t gas_limit) {
    uint64_t pairs = len / 192;
    /* pairs <= SIZE_MAX / 192, so 34000 * pairs cannot overflow 64 bits. */
    if (!evm_pc_charge(res, 45000 + 34000 * pairs, gas_limit)) return res->status;
    if (len % 192 != 0) return evm_pc_fail(res, gas_limit);
    uint8_t out[32];
    if (mpavs_bn254_ecpairing(out, in, len) != MPAVS_BN254_OK) return evm_pc_fail(res, gas_limit);
    return evm_pc_output(res, out, sizeof out);
}

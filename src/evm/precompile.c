/*
 * The precompile table: which addresses are precompiles under which fork, and the dispatch to the
 * per-precompile files (precompile_<name>.c). Addresses 0x0a (KZG point evaluation) and
 * 0x0b–0x11 (BLS12-381, EIP-2537) exist but answer EVM_PC_UNSUPPORTED: libmpavs has no
 * BLS12-381 engine, and a guessed result would be worse than a refusal.
 */
#include "evm/precompile_each.h"

#include <stdlib.h>
#include <string.h>

/* Low 16 bits of a precompile address, or -1 if the first 18 bytes are not all zero. */
static int low_address(const uint8_t addr[20]) {
    for (int i = 0; i < 18; i++)
        if (addr[i]) return -1;
    return (addr[18] << 8) | addr[19];
}

bool evm_precompile_exists(mpavs_evm_fork fork, const uint8_t addr[20]) {
    MPAVS_REQUIRE(addr != NULL);
    int a = low_address(addr);
    if (a >= 0x01 && a <= 0x0a) return true; /* Cancun: ecrecover .. point evaluation */
    if (a >= 0x0b && a <= 0x11) return fork >= MPAVS_EVM_PRAGUE; /* EIP-2537 */
    if (a == 0x100) return fork >= MPAVS_EVM_OSAKA;              /* EIP-7951 */
    return false;
}

static evm_pc_fn implementation(int a) {
    switch (a) {
    case 0x01: return evm_pc_ecrecover;
    case 0x02: return evm_pc_sha256;
    case 0x03: return evm_pc_ripemd160;
    case 0x04: return evm_pc_identity;
    case 0x05: return evm_pc_modexp;
    case 0x06: return evm_pc_bn254_add;
    case 0x07: return evm_pc_bn254_mul;
    case 0x08: return evm_pc_bn254_pairing;
    case 0x09: return evm_pc_blake2f;
    case 0x100: return evm_pc_p256verify;
    default: return NULL; /* 0x0a, 0x0b–0x11: no engine */
    }
}

evm_pc_status evm_precompile_run(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t addr[20],
                                 const uint8_t *in, size_t len, uint64_t gas_limit) {
    MPAVS_REQUIRE(res != NULL && addr != NULL && (in != NULL || len == 0));
    MPAVS_REQUIRE(evm_precompile_exists(fork, addr));
    memset(res, 0, sizeof *res);
    evm_pc_fn fn = implementation(low_address(addr));
    if (!fn) {
        res->status = EVM_PC_UNSUPPORTED;
        return res->status;
    }
    return fn(res, fork, in, len, gas_limit);
}

evm_pc_status evm_pc_fail(evm_pc_result *res, uint64_t gas_limit) {
    free(res->out);
    res->out = NULL;
    res->out_len = 0;
    res->gas_used = gas_limit;
    res->status = EVM_PC_FAILURE;
    return res->status;
}

bool evm_pc_charge(evm_pc_result *res, uint64_t gas, uint64_t gas_limit) {
    if (gas > gas_limit) {
        evm_pc_fail(res, gas_limit);
        return false;
    }
    res->gas_used = gas;
    return true;
}

evm_pc_status evm_pc_output(evm_pc_result *res, const uint8_t *out, size_t n) {
    res->out = NULL;
    res->out_len = 0;
    if (n > 0) {
        res->out = malloc(n);
        if (!res->out) {
            res->status = EVM_PC_NOMEM;
            return res->status;
        }
        memcpy(res->out, out, n);
        res->out_len = n;
    }
    res->status = EVM_PC_SUCCESS;
    return res->status;
}

/* 0x02 SHA256, 0x03 RIPEMD160 (OpenSSL EVP; RIPEMD-160 is in the default provider since 3.0.7), 0x04 IDENTITY. */
#include "evm/precompile_each.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* Gas: base + per_word * ceil(len / 32); len <= SIZE_MAX keeps the product below 2^64 / 2^5 * 120. */
static uint64_t linear_gas(uint64_t base, uint64_t per_word, size_t len) {
    return base + per_word * evm_pc_words(len);
}

static evm_pc_status digest(evm_pc_result *res, const EVP_MD *md, size_t pad_to, const uint8_t *in,
                            size_t len) {
    uint8_t out[32] = {0};
    unsigned int n = 0;
    if (!md || EVP_MD_get_size(md) <= 0 || (size_t)EVP_MD_get_size(md) > pad_to) {
        res->status = EVM_PC_NOMEM;
        return res->status;
    }
    size_t off = pad_to - (size_t)EVP_MD_get_size(md);
    if (!EVP_Digest(in, len, out + off, &n, md, NULL) || n != (unsigned)EVP_MD_get_size(md)) {
        res->status = EVM_PC_NOMEM; /* OpenSSL could not run the digest: a resource failure */
        return res->status;
    }
    return evm_pc_output(res, out, pad_to);
}

evm_pc_status evm_pc_sha256(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                            uint64_t gas_limit) {
    if (!evm_pc_charge(res, linear_gas(60, 12, len), gas_limit)) return res->status;
    return digest(res, EVP_sha256(), 32, in, len);
}

evm_pc_status evm_pc_ripemd160(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit) {
    if (!evm_pc_charge(res, linear_gas(600, 120, len), gas_limit)) return res->status;
    return digest(res, EVP_ripemd160(), 32, in, len); /* 20 bytes, left-padded to 32 */
}

evm_pc_status evm_pc_identity(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                              uint64_t gas_limit) {
    if (!evm_pc_charge(res, linear_gas(15, 3, len), gas_limit)) return res->status;
    return evm_pc_output(res, in, len);
}

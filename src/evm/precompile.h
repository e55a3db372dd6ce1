/*
 * src/evm/precompile.h — the precompiled contracts (internal to libmpavs).
 *
 * 0x01 ECRECOVER, 0x02 SHA256, 0x03 RIPEMD160, 0x04 IDENTITY, 0x05 MODEXP (EIP-2565, EIP-7823 and
 * EIP-7883 in Osaka), 0x06–0x08 BN254 add/mul/pairing (EIP-1108 prices), 0x09 BLAKE2F, 0x0a KZG
 * point evaluation, 0x0b–0x11 BLS12-381 (EIP-2537, Prague), 0x100 P256VERIFY (EIP-7951, Osaka).
 * Precompiles whose engine libmpavs lacks (0x0a–0x11) exist (they are warm and callable) but
 * answer EVM_PC_UNSUPPORTED: the caller must then refuse the block or test case, never guess.
 */
#ifndef MPAVS_SRC_EVM_PRECOMPILE_H
#define MPAVS_SRC_EVM_PRECOMPILE_H

#include "mpavs/evm.h"

/** Outcome of one precompile call. */
typedef enum {
    EVM_PC_SUCCESS = 0,  /**< out/out_len hold the output; gas_used <= the gas given. */
    EVM_PC_FAILURE = 1,  /**< invalid input or out of gas: the call fails and consumes all its gas. */
    EVM_PC_UNSUPPORTED = 2, /**< no engine for this precompile: the result is unknowable here. */
    EVM_PC_NOMEM = 3,    /**< allocation failed (output or a bounded scratch buffer). */
} evm_pc_status;

typedef struct {
    evm_pc_status status;
    uint64_t gas_used; /**< gas charged (all the gas given on EVM_PC_FAILURE) */
    uint8_t *out;      /**< malloc'd output (NULL when out_len is 0); the caller frees it */
    size_t out_len;
} evm_pc_result;

/** Returns true if addr is a precompile under fork (the set that is warm from the start). */
bool evm_precompile_exists(mpavs_evm_fork fork, const uint8_t addr[20]);

/**
 * Run the precompile at addr under fork with input in[0..len) and at most gas_limit gas.
 * Writes the outcome to *res (always). Returns res->status. addr must be a precompile of fork.
 */
evm_pc_status evm_precompile_run(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t addr[20],
                                 const uint8_t *in, size_t len, uint64_t gas_limit);

#endif

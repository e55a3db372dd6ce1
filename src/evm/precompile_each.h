/*
 * src/evm/precompile_each.h — one function per precompile (internal to src/evm/precompile*.c).
 *
 * Each takes the fork (for fork-dependent pricing), the input and the gas limit, writes the
 * whole outcome to *res (status, gas_used, output) and returns res->status. They are called only
 * through evm_precompile_run (src/evm/precompile.h), which clears *res first.
 */
#ifndef MPAVS_SRC_EVM_PRECOMPILE_EACH_H
#define MPAVS_SRC_EVM_PRECOMPILE_EACH_H

#include "evm/precompile.h"

/** Signature shared by every precompile implementation. */
typedef evm_pc_status (*evm_pc_fn)(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in,
                                   size_t len, uint64_t gas_limit);

evm_pc_status evm_pc_ecrecover(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit);
evm_pc_status evm_pc_sha256(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                            uint64_t gas_limit);
evm_pc_status evm_pc_ripemd160(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit);
evm_pc_status evm_pc_identity(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                              uint64_t gas_limit);
evm_pc_status evm_pc_modexp(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                            uint64_t gas_limit);
evm_pc_status evm_pc_bn254_add(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit);
evm_pc_status evm_pc_bn254_mul(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                               uint64_t gas_limit);
evm_pc_status evm_pc_bn254_pairing(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in,
                                   size_t len, uint64_t gas_limit);
evm_pc_status evm_pc_blake2f(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                             uint64_t gas_limit);
evm_pc_status evm_pc_p256verify(evm_pc_result *res, mpavs_evm_fork fork, const uint8_t *in, size_t len,
                                uint64_t gas_limit);

/* Shared helpers (src/evm/precompile.c). */

/** Marks *res as failed: status FAILURE, all of gas_limit used, no output. Returns FAILURE. */
evm_pc_status evm_pc_fail(evm_pc_result *res, uint64_t gas_limit);

/**
 * Charges gas: if gas > gas_limit the call fails (evm_pc_fail) and false is returned; otherwise
 * res->gas_used = gas and true is returned.
 */
bool evm_pc_charge(evm_pc_result *res, uint64_t gas, uint64_t gas_limit);

/**
 * Success with a copy of out[0..n) (n may be 0: empty output). Returns SUCCESS, or NOMEM when the
 * copy cannot be allocated (res->out is then NULL).
 */
evm_pc_status evm_pc_output(evm_pc_result *res, const uint8_t *out, size_t n);

/** Number of 32-byte words covering len bytes (ceil(len / 32)). */
static inline uint64_t evm_pc_words(size_t len) { return ((uint64_t)len + 31) / 32; }

#endif

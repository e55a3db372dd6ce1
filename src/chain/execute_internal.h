/* src/chain/execute_internal.h — internal to the block executor: system calls into the EVM. */
#ifndef MPAVS_SRC_CHAIN_EXECUTE_INTERNAL_H
#define MPAVS_SRC_CHAIN_EXECUTE_INTERNAL_H

#include "mpavs/evm.h"

/** The system address of EIP-4788 and later system calls (0xff..fe). */
extern const uint8_t BLOCKEXEC_SYSTEM_ADDRESS[20];
/** Gas of a system call (not counted in the block's gas). */
#define BLOCKEXEC_SYSTEM_GAS 30000000u

/** How a system call ended. */
typedef enum {
    BLOCKEXEC_SYS_RAN = 0,   /* the code ran to success (output in *out) */
    BLOCKEXEC_SYS_NO_CODE,   /* the target has no code: nothing ran */
    BLOCKEXEC_SYS_FAILED,    /* the code reverted or halted exceptionally (state changes undone) */
} blockexec_sys_status;

/**
 * Call target from the system address with data and BLOCKEXEC_SYSTEM_GAS gas in block b on st,
 * without a transaction (no nonce, no fee, no value), then end it like a transaction (touched
 * empty accounts deleted; logs dropped).
 * Out: *status, *out and *out_len (malloc'd return data when RAN, else NULL/0; the caller frees),
 * unsupported (the precompile when the result is MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE).
 * Returns MPAVS_EVM_OK, _ERR_UNSUPPORTED_PRECOMPILE, _ERR_SOURCE or _ERR_NOMEM.
 */
int blockexec_system_call(mpavs_evm_state *st, blockexec_sys_status *status, uint8_t **out, size_t *out_len,
                          uint8_t unsupported[20], const mpavs_evm_block *b, const uint8_t target[20],
                          const uint8_t *data, size_t len);

#endif

/*
 * src/evm/interp.h — message calls, creations and the bytecode interpreter (internal to libmpavs).
 * The structure follows the execution-specs: a message (evm_msg) is processed in a frame whose
 * state changes are journaled and undone when it fails or reverts.
 */
#ifndef MPAVS_SRC_EVM_INTERP_H
#define MPAVS_SRC_EVM_INTERP_H

#include "evm/state.h"

#define EVM_STACK_LIMIT 1024
#define EVM_DEPTH_LIMIT 1024
#define EVM_MAX_CODE_SIZE 24576
#define EVM_MAX_INITCODE_SIZE 49152

/** One transaction's execution context, shared by all its frames. */
typedef struct {
    mpavs_evm_state *st;
    const mpavs_evm_block *block;
    const mpavs_evm_tx *tx;
    mpavs_evm_fork fork;
    mpavs_u256 gas_price; /* effective gas price (GASPRICE) */
    int fatal;            /* MPAVS_EVM_ERR_* that aborts the whole transaction (0 = none) */
    uint8_t unsupported[20];
} evm_ctx;

/** One message: a call or a creation. */
typedef struct {
    uint8_t caller[20];
    uint8_t target[20];       /* current_target: whose storage and balance */
    uint8_t code_address[20]; /* where the code came from (precompile check) */
    mpavs_u256 value;
    bool transfer_value;
    bool is_static;
    bool is_create;
    bool disable_precompiles; /* EIP-7702: a delegation to a precompile runs no precompile */
    const uint8_t *data;
    size_t data_len;
    const uint8_t *code;
    size_t code_len;
    int64_t gas;
    int depth;
} evm_msg;

typedef enum { EVM_FRAME_SUCCESS = 0, EVM_FRAME_REVERT = 1, EVM_FRAME_FAILURE = 2 } evm_frame_status;

/** How a message ended. out is malloc'd (the caller frees it). */
typedef struct {
    evm_frame_status status;
    int64_t gas_left;
    int64_t refund; /* refund counter contribution (meaningful on success) */
    uint8_t *out;
    size_t out_len;
} evm_frame_result;

/** Process a call message (value transfer, precompile or code) in its own snapshot. */
void evm_process_message(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg);
/** Process a creation message (new account, initcode, code deposit) in its own snapshot. */
void evm_process_create(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg);
/** Run msg->code in the current snapshot (the interpreter loop). */
void evm_run_code(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg);

/** True if code is an EIP-7702 delegation designator (0xef0100 || address); target gets the address. */
bool evm_delegation_target(uint8_t target[20], const uint8_t *code, size_t len);
/** Move value from one account to another (journaled). False if the balance is short or on error. */
bool evm_transfer(evm_ctx *ctx, evm_account *from, evm_account *to, const mpavs_u256 *value);

#endif

/*
 * src/chain/execute_syscall.c — system calls (EIP-4788, 2935, 7002, 7251): a message from the
 * system address run by the EVM's message processing, outside any transaction.
 */
#include "chain/execute_internal.h"
#include "evm/interp.h"

#include <stdlib.h>
#include <string.h>

const uint8_t BLOCKEXEC_SYSTEM_ADDRESS[20] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};

static int state_err(const mpavs_evm_state *st) { return st->err ? st->err : MPAVS_EVM_ERR_NOMEM; }

int blockexec_system_call(mpavs_evm_state *st, blockexec_sys_status *status, uint8_t **out, size_t *out_len,
                          uint8_t unsupported[20], const mpavs_evm_block *b, const uint8_t target[20],
                          const uint8_t *data, size_t len) {
    *status = BLOCKEXEC_SYS_NO_CODE;
    *out = NULL;
    *out_len = 0;
    memset(unsupported, 0, 20);
    evm_account *a = evm_state_account_quiet(st, target);
    if (!a || !evm_state_code(st, a)) return state_err(st);
    if (a->code_len == 0) return MPAVS_EVM_OK;
    if (!evm_mark_warm(st, a)) return state_err(st);

    /* the transaction context the opcodes read: ORIGIN = the system address, GASPRICE 0, no blobs */
    mpavs_evm_tx tx;
    memset(&tx, 0, sizeof tx);
    memcpy(tx.sender, BLOCKEXEC_SYSTEM_ADDRESS, 20);
    memcpy(tx.to, target, 20);
    tx.gas_limit = BLOCKEXEC_SYSTEM_GAS;
    tx.data = data;
    tx.data_len = len;
    evm_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.st = st;
    ctx.block = b;
    ctx.tx = &tx;
    ctx.fork = b->fork;

    evm_msg m;
    memset(&m, 0, sizeof m);
    memcpy(m.caller, BLOCKEXEC_SYSTEM_ADDRESS, 20);
    memcpy(m.target, target, 20);
    memcpy(m.code_address, target, 20);
    m.transfer_value = false;
    m.data = data;
    m.data_len = len;
    m.code = a->code;
    m.code_len = a->code_len;
    m.gas = BLOCKEXEC_SYSTEM_GAS;
    m.depth = 0;
    evm_frame_result fr;
    memset(&fr, 0, sizeof fr);
    evm_process_message(&ctx, &fr, &m);
    if (ctx.fatal) {
        free(fr.out);
        if (ctx.fatal == MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE) memcpy(unsupported, ctx.unsupported, 20);
        return ctx.fatal;
    }
    evm_state_end_tx(st, NULL, NULL, EVM_EMPTY_DELETE);
    if (st->err) {
        free(fr.out);
        return st->err;
    }
    if (fr.status == EVM_FRAME_SUCCESS) {
        *status = BLOCKEXEC_SYS_RAN;
        *out = fr.out;
        *out_len = fr.out_len;
    } else {
        *status = BLOCKEXEC_SYS_FAILED;
        free(fr.out);
    }
    return MPAVS_EVM_OK;
}

/* src/evm/call.c — processing of call and create messages (snapshots, value, precompiles, deposit). */
#include "evm/interp.h"
#include "evm/precompile.h"

#include <stdlib.h>
#include <string.h>

bool evm_delegation_target(uint8_t target[20], const uint8_t *code, size_t len) {
    if (len != 23 || code[0] != 0xef || code[1] != 0x01 || code[2] != 0x00) return false;
    if (target) memcpy(target, code + 3, 20);
    return true;
}

bool evm_transfer(evm_ctx *ctx, evm_account *from, evm_account *to, const mpavs_u256 *value) {
    if (mpavs_u256_cmp(&from->balance, value) < 0) return false;
    mpavs_u256 nb;
    mpavs_u256_sub(&nb, &from->balance, value);
    if (!evm_set_balance(ctx->st, from, &nb)) return false;
    mpavs_u256_add(&nb, &to->balance, value);
    if (!evm_set_balance(ctx->st, to, &nb)) return false;
    return evm_set_exists(ctx->st, to);
}

static void fail(evm_frame_result *res) {
    res->status = EVM_FRAME_FAILURE;
    res->gas_left = 0;
    res->refund = 0;
    free(res->out);
    res->out = NULL;
    res->out_len = 0;
}

static void fatal_from_state(evm_ctx *ctx) {
    if (!ctx->fatal) ctx->fatal = ctx->st->err ? ctx->st->err : MPAVS_EVM_ERR_NOMEM;
}

static void run_precompile(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg) {
    evm_pc_result pc;
    memset(&pc, 0, sizeof pc);
    static const uint8_t empty[1] = {0}; /* never pass NULL, even for empty input */
    evm_pc_status s = evm_precompile_run(&pc, ctx->fork, msg->code_address, msg->data ? msg->data : empty,
                                         msg->data_len, (uint64_t)msg->gas);
    if (s == EVM_PC_SUCCESS && pc.gas_used <= (uint64_t)msg->gas) {
        res->status = EVM_FRAME_SUCCESS;
        res->gas_left = msg->gas - (int64_t)pc.gas_used;
        res->out = pc.out;
        res->out_len = pc.out_len;
        return;
    }
    free(pc.out);
    if (s == EVM_PC_UNSUPPORTED) {
        if (!ctx->fatal) {
            ctx->fatal = MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE;
            memcpy(ctx->unsupported, msg->code_address, 20);
        }
    } else if (s == EVM_PC_NOMEM) {
        if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_NOMEM;
    }
    fail(res);
}

void evm_process_message(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg) {
    memset(res, 0, sizeof *res);
    mpavs_evm_state *st = ctx->st;
    evm_snapshot snap = evm_snapshot_take(st);
    evm_account *to = evm_state_account(st, msg->target);
    if (!to || !evm_mark_touched(st, to)) goto fatal;
    if (msg->transfer_value && !mpavs_u256_is_zero(&msg->value)) {
        evm_account *from = evm_state_account(st, msg->caller);
        if (!from) goto fatal;
        if (!evm_transfer(ctx, from, to, &msg->value)) {
            if (st->err) goto fatal;
            /* callers check the balance first; a shortfall here is a failed call */
            evm_snapshot_revert(st, snap);
            fail(res);
            return;
        }
    }
    if (!msg->disable_precompiles && evm_precompile_exists(ctx->fork, msg->code_address))
        run_precompile(ctx, res, msg);
    else
        evm_run_code(ctx, res, msg);
    if (ctx->fatal) return;
    if (res->status != EVM_FRAME_SUCCESS) evm_snapshot_revert(st, snap);
    return;
fatal:
    fatal_from_state(ctx);
    fail(res);
}

void evm_process_create(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg) {
    memset(res, 0, sizeof *res);
    mpavs_evm_state *st = ctx->st;
    evm_snapshot snap = evm_snapshot_take(st);
    evm_account *a = evm_state_account(st, msg->target);
    if (!a) goto fatal;
    if (!evm_set_exists(st, a) || !evm_mark_created(st, a) || !evm_set_nonce(st, a, 1)) goto fatal;
    if (!evm_mark_touched(st, a)) goto fatal;
    if (!mpavs_u256_is_zero(&msg->value)) {
        evm_account *from = evm_state_account(st, msg->caller);
        if (!from) goto fatal;
        if (!evm_transfer(ctx, from, a, &msg->value)) {
            if (st->err) goto fatal;
            evm_snapshot_revert(st, snap);
            fail(res);
            return;
        }
    }
    evm_run_code(ctx, res, msg);
    if (ctx->fatal) return;
    if (res->status == EVM_FRAME_SUCCESS) {
        int64_t deposit = (int64_t)res->out_len * 200;
        bool bad = (res->out_len > 0 && res->out[0] == 0xef) || deposit > res->gas_left ||
                   res->out_len > EVM_MAX_CODE_SIZE;
        if (bad) {
            evm_snapshot_revert(st, snap);
            fail(res);
            return;
        }
        res->gas_left -= deposit;
        if (!evm_set_code(st, a, res->out, res->out_len)) goto fatal;
        /* the output of a successful creation is not return data */
        free(res->out);
        res->out = NULL;
        res->out_len = 0;
    } else {
        evm_snapshot_revert(st, snap);
    }
    return;
fatal:
    fatal_from_state(ctx);
    fail(res);
}

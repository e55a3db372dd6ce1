/* src/evm/tx.c — the state transition of one transaction: validity, fees, authorizations, refunds. */
#include "evm/interp.h"
#include "evm/precompile.h"

#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <stdlib.h>
#include <string.h>

#define G_TX 21000
#define G_TX_CREATE 32000
#define G_DATA_ZERO 4
#define G_DATA_NONZERO 16
#define G_ACCESS_ADDRESS 2400
#define G_ACCESS_KEY 1900
#define G_AUTH_EMPTY 25000 /* PER_EMPTY_ACCOUNT_COST */
#define G_AUTH_BASE 12500  /* PER_AUTH_BASE_COST */
#define G_FLOOR_PER_TOKEN 10
#define BLOB_GAS_PER_BLOB 131072
#define OSAKA_TX_GAS_CAP ((uint64_t)1 << 24)

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }
static uint64_t sat_mul(uint64_t a, uint64_t b) { return b && a > UINT64_MAX / b ? UINT64_MAX : a * b; }

void mpavs_evm_intrinsic_gas(uint64_t *gas, uint64_t *floor, mpavs_evm_fork fork, const mpavs_evm_tx *tx) {
    uint64_t zeros = 0;
    for (size_t i = 0; i < tx->data_len; i++) zeros += tx->data[i] == 0;
    uint64_t nonzeros = tx->data_len - zeros;
    uint64_t g = G_TX;
    g = sat_add(g, sat_mul(zeros, G_DATA_ZERO));
    g = sat_add(g, sat_mul(nonzeros, G_DATA_NONZERO));
    if (tx->is_create) {
        g = sat_add(g, G_TX_CREATE);
        g = sat_add(g, sat_mul((tx->data_len + 31) / 32, 2));
    }
    for (size_t i = 0; i < tx->n_access; i++) {
        g = sat_add(g, G_ACCESS_ADDRESS);
        g = sat_add(g, sat_mul(tx->access_list[i].n_keys, G_ACCESS_KEY));
    }
    g = sat_add(g, sat_mul(tx->n_auths, G_AUTH_EMPTY));
    *gas = g;
    if (fork >= MPAVS_EVM_PRAGUE) {
        uint64_t tokens = sat_add(zeros, sat_mul(nonzeros, 4));
        *floor = sat_add(G_TX, sat_mul(tokens, G_FLOOR_PER_TOKEN));
    } else {
        *floor = 0;
    }
}

void mpavs_evm_tx_result_clear(mpavs_evm_tx_result *res) {
    for (size_t i = 0; i < res->n_logs; i++) free(res->logs[i].data);
    free(res->logs);
    free(res->output);
    memset(res, 0, sizeof *res);
}

/* a * b with overflow check (false on overflow) */
static bool mul_u64(mpavs_u256 *r, const mpavs_u256 *a, uint64_t b) {
    mpavs_u256 bb = mpavs_u256_from_u64(b);
    return !mpavs_u256_mul(r, a, &bb);
}

static const uint16_t PRECOMPILE_CANDIDATES[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 0x100};

static int fail_state(mpavs_evm_state *st) { return st->err ? st->err : MPAVS_EVM_ERR_NOMEM; }

/* EIP-7702: apply the authorization list; adds the refunds for existing authorities to *refund. */
static int apply_authorizations(evm_ctx *ctx, int64_t *refund) {
    const mpavs_evm_tx *tx = ctx->tx;
    mpavs_evm_state *st = ctx->st;
    mpavs_u256 chain = mpavs_u256_from_u64(ctx->block->chain_id);
    for (size_t i = 0; i < tx->n_auths; i++) {
        const mpavs_evm_authorization *au = &tx->auths[i];
        if (!mpavs_u256_is_zero(&au->chain_id) && mpavs_u256_cmp(&au->chain_id, &chain)) continue;
        if (au->nonce_overflow || au->nonce == UINT64_MAX) continue;
        if (!au->authority_valid) continue;
        evm_account *a = evm_state_account_quiet(st, au->authority);
        if (!a || !evm_mark_warm(st, a) || !evm_state_code(st, a)) return fail_state(st);
        if (a->code_len && !evm_delegation_target(NULL, a->code, a->code_len)) continue;
        if (a->nonce != au->nonce) continue;
        /* the authority is already in the state: the intrinsic new-account part is refunded */
        if (a->exists) *refund += G_AUTH_EMPTY - G_AUTH_BASE;
        static const uint8_t zero[20] = {0};
        uint8_t designator[23] = {0xef, 0x01, 0x00};
        memcpy(designator + 3, au->address, 20);
        bool clear = !memcmp(au->address, zero, 20);
        if (!evm_set_code(st, a, designator, clear ? 0 : 23) || !evm_set_nonce(st, a, a->nonce + 1) ||
            !evm_set_exists(st, a))
            return fail_state(st);
    }
    return MPAVS_EVM_OK;
}

static int validate(const mpavs_evm_block *b, const mpavs_evm_tx *tx, mpavs_u256 *price, mpavs_u256 *max_cost,
                    uint64_t *floor) {
    mpavs_evm_fork fork = b->fork;
    if (tx->type > 4 || (tx->type == 4 && fork < MPAVS_EVM_PRAGUE)) return MPAVS_EVM_ERR_TX_TYPE;
    uint64_t intrinsic;
    mpavs_evm_intrinsic_gas(&intrinsic, floor, fork, tx);
    if (tx->gas_limit < intrinsic || tx->gas_limit < *floor) return MPAVS_EVM_ERR_TX_INTRINSIC_GAS;
    if (fork >= MPAVS_EVM_OSAKA && !b->no_tx_gas_cap && tx->gas_limit > OSAKA_TX_GAS_CAP) return MPAVS_EVM_ERR_TX_GAS_LIMIT;
    if (tx->gas_limit > b->gas_limit) return MPAVS_EVM_ERR_TX_GAS_LIMIT;
    if (tx->is_create && tx->data_len > EVM_MAX_INITCODE_SIZE) return MPAVS_EVM_ERR_TX_INITCODE_SIZE;
    mpavs_u256 fee_cap;
    if (tx->type < 2) {
        if (mpavs_u256_cmp(&tx->gas_price, &b->base_fee) < 0) return MPAVS_EVM_ERR_TX_FEE_CAP;
        *price = tx->gas_price;
        fee_cap = tx->gas_price;
    } else {
        if (mpavs_u256_cmp(&tx->max_fee, &b->base_fee) < 0) return MPAVS_EVM_ERR_TX_FEE_CAP;
        if (mpavs_u256_cmp(&tx->max_priority_fee, &tx->max_fee) > 0) return MPAVS_EVM_ERR_TX_FEE_CAP;
        mpavs_u256 room, tip;
        mpavs_u256_sub(&room, &tx->max_fee, &b->base_fee);
        tip = mpavs_u256_cmp(&tx->max_priority_fee, &room) < 0 ? tx->max_priority_fee : room;
        mpavs_u256_add(price, &b->base_fee, &tip);
        fee_cap = tx->max_fee;
    }
    if (tx->type == 3) {
        if (tx->is_create) return MPAVS_EVM_ERR_TX_BLOB;
        if (tx->n_blob_hashes == 0 || tx->n_blob_hashes > mpavs_evm_max_blobs_per_tx(fork)) return MPAVS_EVM_ERR_TX_BLOB;
        for (size_t i = 0; i < tx->n_blob_hashes; i++)
            if (tx->blob_hashes[i][0] != 0x01) return MPAVS_EVM_ERR_TX_BLOB;
        if (mpavs_u256_cmp(&tx->max_fee_per_blob_gas, &b->blob_base_fee) < 0) return MPAVS_EVM_ERR_TX_BLOB;
    } else if (tx->n_blob_hashes) {
        return MPAVS_EVM_ERR_TX_TYPE;
    }
    if (tx->type == 4 && (tx->is_create || tx->n_auths == 0)) return MPAVS_EVM_ERR_TX_AUTH_LIST;
    if (tx->type != 4 && tx->n_auths) return MPAVS_EVM_ERR_TX_TYPE;
    /* max cost = gas_limit * fee cap + value + blob gas * max blob fee */
    mpavs_u256 c, t;
    if (!mul_u64(&c, &fee_cap, tx->gas_limit)) return MPAVS_EVM_ERR_TX_BALANCE;
    if (mpavs_u256_add(&c, &c, &tx->value)) return MPAVS_EVM_ERR_TX_BALANCE;
    if (tx->type == 3) {
        if (!mul_u64(&t, &tx->max_fee_per_blob_gas, (uint64_t)tx->n_blob_hashes * BLOB_GAS_PER_BLOB) ||
            mpavs_u256_add(&c, &c, &t))
            return MPAVS_EVM_ERR_TX_BALANCE;
    }
    *max_cost = c;
    return MPAVS_EVM_OK;
}

static int take_logs(mpavs_evm_state *st, mpavs_evm_tx_result *res, const mpavs_evm_block *b) {
    evm_state_end_tx(st, &res->logs, &res->n_logs, b->keep_touched_empty ? EVM_EMPTY_CREATE_ACCESSED : EVM_EMPTY_DELETE);
    return MPAVS_EVM_OK;
}

int mpavs_evm_execute_tx(mpavs_evm_state *st, mpavs_evm_tx_result *res, const mpavs_evm_block *b,
                         const mpavs_evm_tx *tx) {
    memset(res, 0, sizeof *res);
    mpavs_u256 price, max_cost;
    uint64_t floor;
    int r = validate(b, tx, &price, &max_cost, &floor);
    if (r) return r;
    evm_account *sender = evm_state_account_quiet(st, tx->sender);
    if (!sender || !evm_state_code(st, sender)) return fail_state(st);
    if (sender->code_len && !evm_delegation_target(NULL, sender->code, sender->code_len))
        return MPAVS_EVM_ERR_TX_SENDER_CODE;
    if (sender->nonce != tx->nonce || sender->nonce == UINT64_MAX) return MPAVS_EVM_ERR_TX_NONCE;
    if (mpavs_u256_cmp(&sender->balance, &max_cost) < 0) return MPAVS_EVM_ERR_TX_BALANCE;

    evm_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.st = st;
    ctx.block = b;
    ctx.tx = tx;
    ctx.fork = b->fork;
    ctx.gas_price = price;

    /* buy gas */
    mpavs_u256 cost, blob_cost, nb;
    (void)mul_u64(&cost, &price, tx->gas_limit);
    if (tx->type == 3) {
        (void)mul_u64(&blob_cost, &b->blob_base_fee, (uint64_t)tx->n_blob_hashes * BLOB_GAS_PER_BLOB);
        mpavs_u256_add(&cost, &cost, &blob_cost);
    }
    mpavs_u256_sub(&nb, &sender->balance, &cost);
    uint64_t nonce0 = sender->nonce;
    if (!evm_set_balance(st, sender, &nb) || !evm_set_nonce(st, sender, nonce0 + 1)) return fail_state(st);

    /* access sets */
    if (!evm_mark_warm(st, sender)) return fail_state(st);
    evm_account *cb = evm_state_account_quiet(st, b->coinbase);
    if (!cb || !evm_mark_warm(st, cb)) return fail_state(st);
    for (size_t i = 0; i < sizeof PRECOMPILE_CANDIDATES / sizeof PRECOMPILE_CANDIDATES[0]; i++) {
        uint8_t a[20] = {0};
        a[18] = (uint8_t)(PRECOMPILE_CANDIDATES[i] >> 8);
        a[19] = (uint8_t)PRECOMPILE_CANDIDATES[i];
        if (!evm_precompile_exists(b->fork, a)) continue;
        evm_account *pa = evm_state_account_quiet(st, a);
        if (!pa || !evm_mark_warm(st, pa)) return fail_state(st);
    }
    for (size_t i = 0; i < tx->n_access; i++) {
        evm_account *a = evm_state_account_quiet(st, tx->access_list[i].address);
        if (!a || !evm_mark_warm(st, a)) return fail_state(st);
        for (size_t k = 0; k < tx->access_list[i].n_keys; k++)
            if (!evm_mark_slot_warm(st, a, tx->access_list[i].keys[k])) return fail_state(st);
    }
    uint8_t target[20];
    if (tx->is_create) {
        uint8_t buf[40], h[32];
        mpavs_rlp_writer w;
        size_t mark, len;
        mpavs_rlp_writer_init(&w, buf, sizeof buf);
        mpavs_rlp_list_begin(&w, &mark);
        mpavs_rlp_put_bytes(&w, tx->sender, 20);
        mpavs_rlp_put_u64(&w, nonce0);
        mpavs_rlp_list_end(&w, mark);
        if (mpavs_rlp_writer_finish(&w, &len) != MPAVS_RLP_OK) return MPAVS_EVM_ERR_NOMEM;
        mpavs_keccak256(h, buf, len);
        memcpy(target, h + 12, 20);
    } else {
        memcpy(target, tx->to, 20);
    }
    evm_account *ta = evm_state_account(st, target);
    if (!ta || !evm_mark_warm(st, ta)) return fail_state(st);

    int64_t auth_refund = 0;
    if (tx->type == 4 && (r = apply_authorizations(&ctx, &auth_refund))) return r;

    uint64_t intrinsic, fl;
    mpavs_evm_intrinsic_gas(&intrinsic, &fl, b->fork, tx);
    evm_msg m;
    memset(&m, 0, sizeof m);
    memcpy(m.caller, tx->sender, 20);
    memcpy(m.target, target, 20);
    memcpy(m.code_address, target, 20);
    m.value = tx->value;
    m.transfer_value = true;
    m.data = tx->data;
    m.data_len = tx->data_len;
    m.gas = (int64_t)(tx->gas_limit - intrinsic);
    m.depth = 0;
    evm_frame_result fr;
    memset(&fr, 0, sizeof fr);
    if (tx->is_create) {
        m.is_create = true;
        m.code = tx->data;
        m.code_len = tx->data_len;
        m.data = NULL;
        m.data_len = 0;
        if (evm_account_collides(st, ta)) {
            fr.status = EVM_FRAME_FAILURE;
            fr.gas_left = 0;
        } else {
            evm_process_create(&ctx, &fr, &m);
        }
    } else {
        if (!evm_state_code(st, ta)) return fail_state(st);
        m.code = ta->code;
        m.code_len = ta->code_len;
        uint8_t del[20];
        if (b->fork >= MPAVS_EVM_PRAGUE && evm_delegation_target(del, ta->code, ta->code_len)) {
            evm_account *da = evm_state_account(st, del);
            if (!da || !evm_mark_warm(st, da) || !evm_state_code(st, da)) return fail_state(st);
            m.disable_precompiles = true;
            memcpy(m.code_address, del, 20);
            m.code = da->code;
            m.code_len = da->code_len;
        }
        evm_process_message(&ctx, &fr, &m);
    }
    if (ctx.fatal) {
        free(fr.out);
        if (ctx.fatal == MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE) memcpy(res->unsupported_precompile, ctx.unsupported, 20);
        return ctx.fatal;
    }

    uint64_t used = tx->gas_limit - (uint64_t)fr.gas_left;
    int64_t refund = auth_refund + (fr.status == EVM_FRAME_SUCCESS ? fr.refund : 0);
    if (refund < 0) refund = 0;
    uint64_t cap = used / 5;
    uint64_t applied = (uint64_t)refund < cap ? (uint64_t)refund : cap;
    used -= applied;
    if (used < floor) used = floor;
    res->gas_used = used;
    res->gas_refunded = applied;
    res->status = fr.status == EVM_FRAME_SUCCESS ? MPAVS_EVM_STATUS_SUCCESS
                  : fr.status == EVM_FRAME_REVERT ? MPAVS_EVM_STATUS_REVERT
                                                   : MPAVS_EVM_STATUS_FAILURE;
    res->output = fr.out;
    res->output_len = fr.out_len;
    if (tx->is_create && fr.status == EVM_FRAME_SUCCESS) {
        res->created = true;
        memcpy(res->created_address, target, 20);
    }

    /* refund the sender, pay the coinbase its tip */
    mpavs_u256 back, tip_price, tip;
    (void)mul_u64(&back, &price, tx->gas_limit - used);
    mpavs_u256_add(&nb, &sender->balance, &back);
    if (!evm_set_balance(st, sender, &nb)) return fail_state(st);
    mpavs_u256_sub(&tip_price, &price, &b->base_fee);
    (void)mul_u64(&tip, &tip_price, used);
    if (!mpavs_u256_is_zero(&tip)) {
        mpavs_u256_add(&nb, &cb->balance, &tip);
        if (!evm_set_balance(st, cb, &nb) || !evm_set_exists(st, cb)) return fail_state(st);
    } else if (!evm_mark_touched(st, cb)) {
        return fail_state(st);
    }
    cb->accessed = true; /* paid (or touched): anvil keeps it */
    return take_logs(st, res, b);
}

int mpavs_evm_state_add_balance(mpavs_evm_state *st, const uint8_t addr[20], const mpavs_u256 *amount) {
    evm_account *a = evm_state_account(st, addr);
    if (!a) return fail_state(st);
    mpavs_u256 nb;
    mpavs_u256_add(&nb, &a->balance, amount);
    if (!evm_set_balance(st, a, &nb) || !evm_set_exists(st, a)) return fail_state(st);
    if (mpavs_u256_is_zero(amount) && !evm_mark_touched(st, a)) return fail_state(st);
    evm_state_end_tx(st, NULL, NULL, EVM_EMPTY_DELETE);
    return MPAVS_EVM_OK;
}

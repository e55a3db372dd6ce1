/* Transaction sender: nonce tracking, EIP-1559 fees, receipts with deadlines, fee bumps. */
#include "mpavs/sender.h"

#include "mpavs/abi.h"
#include "mpavs/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_SENT 16

struct mpavs_sender {
    mpavs_rpc *rpc;
    mpavs_ecdsa_ctx *ecdsa;
    uint8_t key[32];
    mpavs_address addr;
    mpavs_sender_options opt;
    uint64_t nonce;
    bool nonce_known;
};

const char *mpavs_sender_strerror(int r) {
    switch (r) {
    case MPAVS_SENDER_OK: return "ok";
    case MPAVS_SENDER_ERR_RPC: return "node unreachable or failing";
    case MPAVS_SENDER_ERR_REVERTS: return "transaction would revert";
    case MPAVS_SENDER_ERR_TIMEOUT: return "transaction not mined before the deadline";
    case MPAVS_SENDER_ERR_REJECTED: return "node rejected the transaction";
    case MPAVS_SENDER_ERR_CANCELLED: return "cancelled";
    case MPAVS_SENDER_ERR_SIGN: return "could not sign the transaction";
    case MPAVS_SENDER_ERR_NOMEM: return "out of memory";
    case MPAVS_SENDER_ERR_GAS_CAP: return "gas estimate above the gas limit cap";
    default: return "unknown sender error";
    }
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int mpavs_sender_create(mpavs_sender **out, mpavs_error *err, mpavs_rpc *rpc, const uint8_t seckey[32],
                        const mpavs_sender_options *opt) {
    *out = NULL;
    mpavs_sender *s = calloc(1, sizeof *s);
    if (!s) return MPAVS_SENDER_ERR_NOMEM;
    s->rpc = rpc;
    if (opt) s->opt = *opt;
    if (!s->opt.gas_headroom_pct) s->opt.gas_headroom_pct = 25;
    if (s->opt.attempt_timeout_ms <= 0) s->opt.attempt_timeout_ms = 24000;
    if (s->opt.deadline_ms <= 0) s->opt.deadline_ms = 120000;
    if (s->opt.poll_interval_ms <= 0) s->opt.poll_interval_ms = 250;
    if (s->opt.bump_pct < 10) s->opt.bump_pct = 25;
    if (s->opt.max_bumps <= 0) s->opt.max_bumps = 3;
    if (s->opt.max_bumps > MAX_SENT - 1) s->opt.max_bumps = MAX_SENT - 1;
    memcpy(s->key, seckey, 32);
    s->ecdsa = mpavs_ecdsa_ctx_create();
    if (!s->ecdsa) {
        mpavs_sender_destroy(s);
        return MPAVS_SENDER_ERR_NOMEM;
    }
    if (mpavs_ecdsa_seckey_to_address(s->ecdsa, &s->addr, s->key) != 0) {
        mpavs_sender_destroy(s);
        return MPAVS_SENDER_ERR_SIGN;
    }
    if (!s->opt.chain_id && mpavs_rpc_chain_id(rpc, &s->opt.chain_id, err) != MPAVS_RPC_OK) {
        mpavs_sender_destroy(s);
        return MPAVS_SENDER_ERR_RPC;
    }
    *out = s;
    return MPAVS_SENDER_OK;
}

void mpavs_sender_destroy(mpavs_sender *s) {
    if (!s) return;
    mpavs_ecdsa_ctx_destroy(s->ecdsa);
    mpavs_wipe(s, sizeof *s);
    free(s);
}

const mpavs_address *mpavs_sender_address(const mpavs_sender *s) { return &s->addr; }

void mpavs_sender_set_simulate(mpavs_sender *s, bool simulate) { s->opt.simulate = simulate; }

void mpavs_sender_result_clear(mpavs_sender_result *res) { mpavs_rpc_receipt_clear(&res->receipt); }

static void explain_revert(char *out, size_t cap, const uint8_t *data, size_t len, const char *msg,
                           const char *const *errors, size_t nerrors) {
    char *text = NULL;
    if (data && len && mpavs_abi_decode_revert(&text, data, len, errors, nerrors) == MPAVS_ABI_OK)
        snprintf(out, cap, "%s", text);
    else
        snprintf(out, cap, "%s", msg && *msg ? msg : "reverted");
    free(text);
}

/* r = a * (100 + pct) / 100 */
static void bump(mpavs_u256 *r, const mpavs_u256 *a, unsigned pct) {
    mpavs_u256 m = mpavs_u256_from_u64(100 + pct), h = mpavs_u256_from_u64(100), q;
    mpavs_u256 t;
    mpavs_u256_mul(&t, a, &m);
    if (mpavs_u256_divmod(&q, NULL, &t, &h) == MPAVS_U256_OK) *r = q;
    /* always strictly more, even for tiny values */
    if (mpavs_u256_cmp(r, a) <= 0) {
        mpavs_u256 one = mpavs_u256_from_u64(1);
        mpavs_u256_add(r, a, &one);
    }
}

static void cap_fee(mpavs_u256 *fee, const mpavs_u256 *cap) {
    if (!mpavs_u256_is_zero(cap) && mpavs_u256_cmp(fee, cap) > 0) *fee = *cap;
}

/* Cap both fees of tx as the options say (tip never above the max fee). */
static void cap_fees(const mpavs_sender *s, mpavs_tx *tx) {
    if (tx->type == MPAVS_TX_TYPE_LEGACY) {
        cap_fee(&tx->gas_price, &s->opt.max_fee_cap);
        return;
    }
    cap_fee(&tx->max_fee_per_gas, &s->opt.max_fee_cap);
    cap_fee(&tx->max_priority_fee_per_gas, &s->opt.max_priority_fee_cap);
    cap_fee(&tx->max_priority_fee_per_gas, &tx->max_fee_per_gas);
}

/* Legacy: eth_gasPrice. */
static int price_legacy(mpavs_sender *s, mpavs_tx *tx, mpavs_error *err) {
    if (mpavs_rpc_gas_price(s->rpc, &tx->gas_price, err) != MPAVS_RPC_OK) return MPAVS_SENDER_ERR_RPC;
    cap_fees(s, tx);
    return MPAVS_SENDER_OK;
}

/* Initial EIP-1559 fees: tip = median reward (at least 1 gwei... or the node's suggestion), max = 2*base + tip. */
static int price(mpavs_sender *s, mpavs_u256 *max_fee, mpavs_u256 *tip, mpavs_error *err) {
    mpavs_u256 base;
    if (mpavs_rpc_fee_history(s->rpc, &base, tip, err, 5, 50.0) != MPAVS_RPC_OK) return MPAVS_SENDER_ERR_RPC;
    if (mpavs_u256_is_zero(tip)) {
        mpavs_u256 sug;
        if (mpavs_rpc_max_priority_fee(s->rpc, &sug, NULL) == MPAVS_RPC_OK) *tip = sug;
        if (mpavs_u256_is_zero(tip)) *tip = mpavs_u256_from_u64(1000000000ULL);
    }
    mpavs_u256 two = mpavs_u256_from_u64(2);
    mpavs_u256_mul(max_fee, &base, &two);
    mpavs_u256_add(max_fee, max_fee, tip);
    cap_fee(max_fee, &s->opt.max_fee_cap);
    cap_fee(tip, &s->opt.max_priority_fee_cap);
    cap_fee(tip, max_fee);
    return MPAVS_SENDER_OK;
}

static bool msg_has(const mpavs_error *e, const char *needle) { return strstr(e->message, needle) != NULL; }

/* Sign and submit tx; sets hash. Handles "already known" as success. */
static int submit(mpavs_sender *s, mpavs_tx *tx, uint8_t hash[32], mpavs_error *err) {
    if (mpavs_tx_sign(s->ecdsa, tx, s->key) != MPAVS_TX_OK) return MPAVS_SENDER_ERR_SIGN;
    size_t cap = mpavs_tx_encoded_size_max(tx), len;
    uint8_t *raw = malloc(cap);
    if (!raw) return MPAVS_SENDER_ERR_NOMEM;
    int r = MPAVS_SENDER_OK;
    if (mpavs_tx_serialize(raw, cap, &len, tx) != MPAVS_TX_OK || mpavs_tx_hash(hash, tx) != MPAVS_TX_OK)
        r = MPAVS_SENDER_ERR_SIGN;
    else {
        uint8_t got[32];
        int rr = mpavs_rpc_send_raw_transaction(s->rpc, got, err, raw, len);
        if (rr == MPAVS_RPC_ERR_RPC && (msg_has(err, "already known") || msg_has(err, "already imported")))
            rr = MPAVS_RPC_OK;
        if (rr == MPAVS_RPC_ERR_RPC) r = MPAVS_SENDER_ERR_REJECTED;
        else if (rr) r = MPAVS_SENDER_ERR_RPC;
    }
    free(raw);
    return r;
}

/* After a failed receipt: replay the call at its block to get the revert data. */
static void replay_revert(mpavs_sender *s, mpavs_sender_result *res, const mpavs_tx *tx, const char *const *errors,
                          size_t nerrors) {
    mpavs_rpc_callmsg m = {.from = s->addr.bytes, .to = tx->has_to ? tx->to.bytes : NULL, .data = tx->data,
                           .data_len = tx->data_len, .value = &tx->value, .gas = tx->gas_limit};
    char tag[24];
    mpavs_rpc_tag_number(tag, res->block_number);
    mpavs_error e = {0};
    uint8_t *ret = NULL;
    size_t rl;
    if (mpavs_rpc_eth_call(s->rpc, &ret, &rl, &e, &m, tag) == MPAVS_RPC_ERR_RPC)
        explain_revert(res->revert_reason, sizeof res->revert_reason, e.data, e.data_len, e.message, errors, nerrors);
    else
        snprintf(res->revert_reason, sizeof res->revert_reason, "reverted (out of gas or state changed)");
    free(ret);
    mpavs_error_clear(&e);
}

/* Tell the observer about tx (kind SIMULATED or SENT). */
static void observe(const mpavs_sender *s, mpavs_sender_event_kind kind, const mpavs_tx *tx, uint64_t estimate,
                    const uint8_t *hash, int bump_no) {
    if (!s->opt.observer) return;
    mpavs_sender_event ev = {.kind = kind, .to = tx->has_to ? tx->to.bytes : NULL, .nonce = tx->nonce,
                             .gas_estimate = estimate, .gas_limit = tx->gas_limit,
                             .legacy = tx->type == MPAVS_TX_TYPE_LEGACY, .bump = bump_no};
    if (ev.legacy) ev.max_fee_per_gas = ev.max_priority_fee_per_gas = tx->gas_price;
    else {
        ev.max_fee_per_gas = tx->max_fee_per_gas;
        ev.max_priority_fee_per_gas = tx->max_priority_fee_per_gas;
    }
    if (hash) memcpy(ev.tx_hash, hash, 32);
    s->opt.observer(s->opt.observer_arg, &ev);
}

/* Dry run: eth_call the transaction at the latest block. Returns OK or ERR_REVERTS / ERR_RPC. */
static int simulate(mpavs_sender *s, mpavs_sender_result *res, mpavs_error *err, const mpavs_tx *tx,
                    const char *const *errors, size_t nerrors) {
    mpavs_rpc_callmsg m = {.from = s->addr.bytes, .to = tx->has_to ? tx->to.bytes : NULL, .data = tx->data,
                           .data_len = tx->data_len, .value = &tx->value, .gas = tx->gas_limit};
    uint8_t *ret = NULL;
    size_t rl;
    int r = mpavs_rpc_eth_call(s->rpc, &ret, &rl, err, &m, "latest");
    free(ret);
    if (r == MPAVS_RPC_ERR_RPC) {
        explain_revert(res->revert_reason, sizeof res->revert_reason, err->data, err->data_len, err->message, errors,
                       nerrors);
        return MPAVS_SENDER_ERR_REVERTS;
    }
    return r ? MPAVS_SENDER_ERR_RPC : MPAVS_SENDER_OK;
}

/* Poll receipts of every hash sent so far until one is mined or until `until`. */
static int wait_mined(mpavs_sender *s, mpavs_sender_result *res, uint8_t (*sent)[32], int nsent, long until,
                      mpavs_error *err) {
    for (;;) {
        for (int i = nsent - 1; i >= 0; i--) {
            bool found = false;
            mpavs_rpc_receipt rc;
            int r = mpavs_rpc_get_transaction_receipt(s->rpc, &rc, &found, err, sent[i]);
            if (r == MPAVS_RPC_OK && found) {
                res->receipt = rc;
                memcpy(res->tx_hash, sent[i], 32);
                return 1;
            }
        }
        if (s->opt.cancel && __atomic_load_n(s->opt.cancel, __ATOMIC_ACQUIRE)) return -1;
        if (now_ms() >= until) return 0;
        sleep_ms(s->opt.poll_interval_ms);
    }
}

int mpavs_sender_send(mpavs_sender *s, mpavs_sender_result *res, mpavs_error *err, const uint8_t *to,
                      const mpavs_u256 *value, const uint8_t *data, size_t len, uint64_t gas_limit,
                      const char *const *errors, size_t nerrors) {
    memset(res, 0, sizeof *res);
    mpavs_error local = {0};
    if (!err) err = &local;
    int r;
    long deadline = now_ms() + s->opt.deadline_ms;
    mpavs_tx tx;
    uint64_t est = 0;
    mpavs_tx_init(&tx, s->opt.legacy ? MPAVS_TX_TYPE_LEGACY : MPAVS_TX_TYPE_EIP1559);
    tx.chain_id = s->opt.chain_id;
    if (to) {
        tx.has_to = true;
        memcpy(tx.to.bytes, to, 20);
    }
    if (value) tx.value = *value;
    tx.data = len ? data : NULL;
    tx.data_len = len;
    if (!gas_limit) {
        mpavs_rpc_callmsg m = {.from = s->addr.bytes, .to = to, .data = data, .data_len = len, .value = value};
        r = mpavs_rpc_estimate_gas(s->rpc, &est, err, &m);
        if (r == MPAVS_RPC_ERR_RPC) {
            explain_revert(res->revert_reason, sizeof res->revert_reason, err->data, err->data_len, err->message,
                           errors, nerrors);
            r = MPAVS_SENDER_ERR_REVERTS;
            goto out;
        }
        if (r) {
            r = MPAVS_SENDER_ERR_RPC;
            goto out;
        }
        if (s->opt.gas_limit_cap && est > s->opt.gas_limit_cap) {
            err->code = MPAVS_SENDER_ERR_GAS_CAP;
            err->module = "sender";
            snprintf(err->message, sizeof err->message, "gas estimate %llu exceeds the gas limit cap %llu",
                     (unsigned long long)est, (unsigned long long)s->opt.gas_limit_cap);
            r = MPAVS_SENDER_ERR_GAS_CAP;
            goto out;
        }
        gas_limit = est + est * s->opt.gas_headroom_pct / 100;
    }
    if (s->opt.gas_limit_cap && gas_limit > s->opt.gas_limit_cap) gas_limit = s->opt.gas_limit_cap;
    tx.gas_limit = gas_limit;
    res->gas_limit = gas_limit;
    r = tx.type == MPAVS_TX_TYPE_LEGACY ? price_legacy(s, &tx, err)
                                        : price(s, &tx.max_fee_per_gas, &tx.max_priority_fee_per_gas, err);
    if (r != MPAVS_SENDER_OK) goto out;
    if (s->opt.simulate) {
        if ((r = simulate(s, res, err, &tx, errors, nerrors)) != MPAVS_SENDER_OK) goto out;
        res->simulated = res->success = true;
        observe(s, MPAVS_SENDER_EVENT_SIMULATED, &tx, est, NULL, 0);
        goto out;
    }

    uint8_t sent[MAX_SENT][32];
    int nsent = 0;
    for (int nonce_tries = 0;; nonce_tries++) {
        if (!s->nonce_known) {
            if (mpavs_rpc_get_transaction_count(s->rpc, &s->nonce, err, s->addr.bytes, "pending") != MPAVS_RPC_OK) {
                r = MPAVS_SENDER_ERR_RPC;
                goto out;
            }
            s->nonce_known = true;
        }
        tx.nonce = s->nonce;
        r = submit(s, &tx, sent[0], err);
        if (r == MPAVS_SENDER_ERR_REJECTED && nonce_tries < 3 &&
            (msg_has(err, "nonce too low") || msg_has(err, "nonce too high") || msg_has(err, "invalid nonce"))) {
            s->nonce_known = false; /* someone else used the account: re-read */
            continue;
        }
        if (r) {
            if (r != MPAVS_SENDER_ERR_RPC) s->nonce_known = false;
            goto out;
        }
        break;
    }
    nsent = 1;
    observe(s, MPAVS_SENDER_EVENT_SENT, &tx, est, sent[0], 0);
    res->nonce = tx.nonce;
    memcpy(res->tx_hash, sent[0], 32);
    for (;;) {
        long until = now_ms() + s->opt.attempt_timeout_ms;
        if (until > deadline) until = deadline;
        int w = wait_mined(s, res, sent, nsent, until, err);
        if (w > 0) break;
        if (w < 0) {
            r = MPAVS_SENDER_ERR_CANCELLED;
            goto out;
        }
        if (now_ms() >= deadline || res->bumps >= s->opt.max_bumps) {
            r = MPAVS_SENDER_ERR_TIMEOUT;
            s->nonce_known = false; /* the pending one may still land */
            goto out;
        }
        /* stuck: same nonce, higher fees */
        if (tx.type == MPAVS_TX_TYPE_LEGACY) bump(&tx.gas_price, &tx.gas_price, s->opt.bump_pct);
        else {
            bump(&tx.max_priority_fee_per_gas, &tx.max_priority_fee_per_gas, s->opt.bump_pct);
            bump(&tx.max_fee_per_gas, &tx.max_fee_per_gas, s->opt.bump_pct);
        }
        cap_fees(s, &tx);
        res->bumps++;
        r = submit(s, &tx, sent[nsent], err);
        if (r == MPAVS_SENDER_ERR_REJECTED && msg_has(err, "nonce too low")) continue; /* an earlier one was mined */
        if (r == MPAVS_SENDER_OK) {
            observe(s, MPAVS_SENDER_EVENT_SENT, &tx, est, sent[nsent], res->bumps);
            memcpy(res->tx_hash, sent[nsent], 32);
            nsent++;
        } else if (r != MPAVS_SENDER_ERR_REJECTED && r != MPAVS_SENDER_ERR_RPC)
            goto out;
    }
    s->nonce = tx.nonce + 1;
    res->success = res->receipt.status;
    res->block_number = res->receipt.block_number;
    res->gas_used = res->receipt.gas_used;
    if (!res->success) replay_revert(s, res, &tx, errors, nerrors);
    r = MPAVS_SENDER_OK;
out:
    mpavs_error_clear(&local);
    return r;
}

/* Typed eth_* helpers over the JSON-RPC client. */
#include "rpc_internal.h"

#include "mpavs/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON <-> Ethereum values ---- */

bool rpc_json_u256(const json_t *v, mpavs_u256 *out) {
    if (!json_is_string(v)) return false;
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n < 3 || s[0] != '0' || (s[1] | 0x20) != 'x') return false;
    return mpavs_u256_parse(out, s, n) == MPAVS_U256_OK;
}

bool rpc_json_u64(const json_t *v, uint64_t *out) {
    mpavs_u256 w;
    if (!rpc_json_u256(v, &w) || w.w[1] || w.w[2] || w.w[3]) return false;
    *out = w.w[0];
    return true;
}

bool rpc_json_fixed(const json_t *v, uint8_t *out, size_t n) {
    if (!json_is_string(v) || json_string_length(v) != 2 + 2 * n) return false;
    size_t got;
    return mpavs_hex_decode(out, n, &got, json_string_value(v), json_string_length(v)) == MPAVS_HEX_OK && got == n;
}

bool rpc_json_bytes(const json_t *v, uint8_t **out, size_t *len) {
    if (!json_is_string(v)) return false;
    size_t sl = json_string_length(v);
    uint8_t *b = malloc(sl / 2 + 1);
    if (!b) return false;
    if (mpavs_hex_decode(b, sl / 2 + 1, len, json_string_value(v), sl) != MPAVS_HEX_OK ||
        sl < 2 || json_string_value(v)[0] != '0') {
        free(b);
        return false;
    }
    *out = b;
    return true;
}

json_t *rpc_json_hex(const uint8_t *b, size_t n) {
    char *s = malloc(2 * n + 3);
    if (!s) return NULL;
    json_t *j = mpavs_hex_encode(s, 2 * n + 3, b, n, true) == MPAVS_HEX_OK ? json_string(s) : NULL;
    free(s);
    return j;
}

json_t *rpc_json_quantity_u256(const mpavs_u256 *v) {
    char s[70];
    mpavs_u256_to_hex(s, sizeof s, v);
    return json_string(s);
}

char *mpavs_rpc_tag_number(char out[24], uint64_t n) {
    snprintf(out, 24, "0x%llx", (unsigned long long)n);
    return out;
}

/* ---- calls ---- */

static int bad_result(mpavs_error *err, const char *method, json_t *res) {
    json_decref(res);
    return rpc_fail(err, MPAVS_RPC_ERR_RESULT, 0, "%s: unexpected result", method);
}

static int call_u256(mpavs_rpc *c, mpavs_u256 *out, mpavs_error *err, const char *method, json_t *params) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, method, params);
    if (r) return r;
    if (!rpc_json_u256(res, out)) return bad_result(err, method, res);
    json_decref(res);
    return MPAVS_RPC_OK;
}

static int call_u64(mpavs_rpc *c, uint64_t *out, mpavs_error *err, const char *method, json_t *params) {
    mpavs_u256 w;
    int r = call_u256(c, &w, err, method, params);
    if (r) return r;
    if (w.w[1] | w.w[2] | w.w[3]) return rpc_fail(err, MPAVS_RPC_ERR_RESULT, 0, "%s: result exceeds 64 bits", method);
    *out = w.w[0];
    return MPAVS_RPC_OK;
}

int mpavs_rpc_chain_id(mpavs_rpc *c, uint64_t *chain_id, mpavs_error *err) {
    return call_u64(c, chain_id, err, "eth_chainId", json_array());
}

int mpavs_rpc_block_number(mpavs_rpc *c, uint64_t *number, mpavs_error *err) {
    return call_u64(c, number, err, "eth_blockNumber", json_array());
}

int mpavs_rpc_gas_price(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err) {
    return call_u256(c, wei, err, "eth_gasPrice", json_array());
}

int mpavs_rpc_max_priority_fee(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err) {
    return call_u256(c, wei, err, "eth_maxPriorityFeePerGas", json_array());
}

static json_t *addr_tag_params(const uint8_t addr[20], const char *tag) {
    return json_pack("[o,s]", rpc_json_hex(addr, 20), tag ? tag : "latest");
}

int mpavs_rpc_get_balance(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err, const uint8_t addr[20],
                          const char *tag) {
    return call_u256(c, wei, err, "eth_getBalance", addr_tag_params(addr, tag));
}

int mpavs_rpc_get_transaction_count(mpavs_rpc *c, uint64_t *nonce, mpavs_error *err, const uint8_t addr[20],
                                    const char *tag) {
    return call_u64(c, nonce, err, "eth_getTransactionCount", addr_tag_params(addr, tag));
}

static int call_bytes(mpavs_rpc *c, uint8_t **out, size_t *len, mpavs_error *err, const char *method,
                      json_t *params) {
    json_t *res;
    *out = NULL;
    *len = 0;
    int r = rpc_call_json(c, &res, err, method, params);
    if (r) return r;
    if (!rpc_json_bytes(res, out, len)) return bad_result(err, method, res);
    json_decref(res);
    return MPAVS_RPC_OK;
}

int mpavs_rpc_get_code(mpavs_rpc *c, uint8_t **code, size_t *len, mpavs_error *err, const uint8_t addr[20],
                       const char *tag) {
    return call_bytes(c, code, len, err, "eth_getCode", addr_tag_params(addr, tag));
}

static json_t *callmsg_json(const mpavs_rpc_callmsg *m) {
    json_t *o = json_object();
    if (!o) return NULL;
    if (m->from) json_object_set_new(o, "from", rpc_json_hex(m->from, 20));
    if (m->to) json_object_set_new(o, "to", rpc_json_hex(m->to, 20));
    if (m->data_len) json_object_set_new(o, "input", rpc_json_hex(m->data, m->data_len));
    if (m->value) json_object_set_new(o, "value", rpc_json_quantity_u256(m->value));
    if (m->gas_price) json_object_set_new(o, "gasPrice", rpc_json_quantity_u256(m->gas_price));
    if (m->gas) {
        mpavs_u256 g = mpavs_u256_from_u64(m->gas);
        json_object_set_new(o, "gas", rpc_json_quantity_u256(&g));
    }
    return o;
}

int mpavs_rpc_eth_call(mpavs_rpc *c, uint8_t **ret, size_t *len, mpavs_error *err, const mpavs_rpc_callmsg *msg,
                       const char *tag) {
    return call_bytes(c, ret, len, err, "eth_call", json_pack("[o,s]", callmsg_json(msg), tag ? tag : "latest"));
}

int mpavs_rpc_estimate_gas(mpavs_rpc *c, uint64_t *gas, mpavs_error *err, const mpavs_rpc_callmsg *msg) {
    return call_u64(c, gas, err, "eth_estimateGas", json_pack("[o]", callmsg_json(msg)));
}

int mpavs_rpc_send_raw_transaction(mpavs_rpc *c, uint8_t hash[32], mpavs_error *err, const uint8_t *raw,
                                   size_t len) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_sendRawTransaction", json_pack("[o]", rpc_json_hex(raw, len)));
    if (r) return r;
    if (!rpc_json_fixed(res, hash, 32)) return bad_result(err, "eth_sendRawTransaction", res);
    json_decref(res);
    return MPAVS_RPC_OK;
}

/* ---- blocks ---- */

void mpavs_rpc_block_clear(mpavs_rpc_block *b) {
    free(b->json);
    b->json = NULL;
}

static int parse_block(mpavs_rpc_block *b, bool *found, mpavs_error *err, json_t *res, const char *method) {
    if (json_is_null(res)) {
        *found = false;
        json_decref(res);
        return MPAVS_RPC_OK;
    }
    mpavs_rpc_block nb;
    memset(&nb, 0, sizeof nb);
    json_t *bf = json_object_get(res, "baseFeePerGas");
    if (!json_is_object(res) || !rpc_json_u64(json_object_get(res, "number"), &nb.number) ||
        !rpc_json_u64(json_object_get(res, "timestamp"), &nb.timestamp) ||
        !rpc_json_u64(json_object_get(res, "gasLimit"), &nb.gas_limit) ||
        !rpc_json_u64(json_object_get(res, "gasUsed"), &nb.gas_used) ||
        !rpc_json_fixed(json_object_get(res, "hash"), nb.hash, 32) ||
        !rpc_json_fixed(json_object_get(res, "parentHash"), nb.parent_hash, 32) ||
        !rpc_json_fixed(json_object_get(res, "stateRoot"), nb.state_root, 32) ||
        (bf && !rpc_json_u256(bf, &nb.base_fee)))
        return bad_result(err, method, res);
    nb.has_base_fee = bf != NULL;
    nb.json = json_dumps(res, JSON_COMPACT);
    json_decref(res);
    if (!nb.json) return rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
    *b = nb;
    *found = true;
    return MPAVS_RPC_OK;
}

int mpavs_rpc_get_block_by_number(mpavs_rpc *c, mpavs_rpc_block *b, bool *found, mpavs_error *err,
                                  const char *tag) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_getBlockByNumber", json_pack("[s,b]", tag ? tag : "latest", 0));
    return r ? r : parse_block(b, found, err, res, "eth_getBlockByNumber");
}

int mpavs_rpc_get_block_by_hash(mpavs_rpc *c, mpavs_rpc_block *b, bool *found, mpavs_error *err,
                                const uint8_t hash[32]) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_getBlockByHash", json_pack("[o,b]", rpc_json_hex(hash, 32), 0));
    return r ? r : parse_block(b, found, err, res, "eth_getBlockByHash");
}

/* ---- logs and receipts ---- */

void mpavs_rpc_logs_free(mpavs_rpc_log *logs, size_t n) {
    for (size_t i = 0; logs && i < n; i++) free(logs[i].data);
    free(logs);
}

static bool parse_log(mpavs_rpc_log *l, const json_t *j) {
    memset(l, 0, sizeof *l);
    json_t *topics = json_object_get(j, "topics");
    if (!json_is_object(j) || !rpc_json_fixed(json_object_get(j, "address"), l->address, 20) ||
        !json_is_array(topics) || json_array_size(topics) > 4)
        return false;
    l->ntopics = json_array_size(topics);
    for (size_t i = 0; i < l->ntopics; i++)
        if (!rpc_json_fixed(json_array_get(topics, i), l->topics[i], 32)) return false;
    if (!rpc_json_bytes(json_object_get(j, "data"), &l->data, &l->data_len)) return false;
    /* pending logs may lack these; treat absence as zero */
    json_t *v;
    if ((v = json_object_get(j, "blockNumber")) && !json_is_null(v) && !rpc_json_u64(v, &l->block_number)) return false;
    if ((v = json_object_get(j, "logIndex")) && !json_is_null(v) && !rpc_json_u64(v, &l->log_index)) return false;
    if ((v = json_object_get(j, "blockHash")) && !json_is_null(v) && !rpc_json_fixed(v, l->block_hash, 32)) return false;
    if ((v = json_object_get(j, "transactionHash")) && !json_is_null(v) && !rpc_json_fixed(v, l->tx_hash, 32))
        return false;
    l->removed = json_is_true(json_object_get(j, "removed"));
    return true;
}

static bool parse_logs(mpavs_rpc_log **out, size_t *n, const json_t *arr) {
    *out = NULL;
    *n = 0;
    if (!json_is_array(arr)) return false;
    size_t cnt = json_array_size(arr);
    mpavs_rpc_log *logs = calloc(cnt ? cnt : 1, sizeof *logs);
    if (!logs) return false;
    for (size_t i = 0; i < cnt; i++)
        if (!parse_log(&logs[i], json_array_get(arr, i))) {
            mpavs_rpc_logs_free(logs, i + 1);
            return false;
        }
    *out = logs;
    *n = cnt;
    return true;
}

void mpavs_rpc_receipt_clear(mpavs_rpc_receipt *r) {
    mpavs_rpc_logs_free(r->logs, r->nlogs);
    r->logs = NULL;
    r->nlogs = 0;
}

int mpavs_rpc_get_transaction_receipt(mpavs_rpc *c, mpavs_rpc_receipt *rc, bool *found, mpavs_error *err,
                                      const uint8_t hash[32]) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_getTransactionReceipt", json_pack("[o]", rpc_json_hex(hash, 32)));
    if (r) return r;
    *found = false;
    if (json_is_null(res)) {
        json_decref(res);
        return MPAVS_RPC_OK;
    }
    mpavs_rpc_receipt nr;
    memset(&nr, 0, sizeof nr);
    uint64_t status = 0;
    json_t *ca = json_object_get(res, "contractAddress"), *egp = json_object_get(res, "effectiveGasPrice");
    if (!json_is_object(res) || !rpc_json_fixed(json_object_get(res, "transactionHash"), nr.tx_hash, 32) ||
        !rpc_json_fixed(json_object_get(res, "blockHash"), nr.block_hash, 32) ||
        !rpc_json_u64(json_object_get(res, "blockNumber"), &nr.block_number) ||
        !rpc_json_u64(json_object_get(res, "gasUsed"), &nr.gas_used) ||
        !rpc_json_u64(json_object_get(res, "cumulativeGasUsed"), &nr.cumulative_gas_used) ||
        !rpc_json_u64(json_object_get(res, "status"), &status) || (egp && !rpc_json_u256(egp, &nr.effective_gas_price)) ||
        (ca && !json_is_null(ca) && !rpc_json_fixed(ca, nr.contract_address, 20)) ||
        !parse_logs(&nr.logs, &nr.nlogs, json_object_get(res, "logs")))
        return bad_result(err, "eth_getTransactionReceipt", res);
    nr.status = status == 1;
    nr.has_contract_address = ca && !json_is_null(ca);
    json_decref(res);
    *rc = nr;
    *found = true;
    return MPAVS_RPC_OK;
}

int mpavs_rpc_get_logs(mpavs_rpc *c, mpavs_rpc_log **logs, size_t *n, mpavs_error *err,
                       const mpavs_rpc_filter *f) {
    *logs = NULL;
    *n = 0;
    json_t *o = json_object();
    if (!o) return rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
    if (f->from_block) json_object_set_new(o, "fromBlock", json_string(f->from_block));
    if (f->to_block) json_object_set_new(o, "toBlock", json_string(f->to_block));
    if (f->naddresses == 1) json_object_set_new(o, "address", rpc_json_hex(f->addresses[0], 20));
    else if (f->naddresses > 1) {
        json_t *a = json_array();
        for (size_t i = 0; i < f->naddresses; i++) json_array_append_new(a, rpc_json_hex(f->addresses[i], 20));
        json_object_set_new(o, "address", a);
    }
    if (f->ntopics) {
        json_t *t = json_array();
        for (size_t i = 0; i < f->ntopics && i < 4; i++)
            json_array_append_new(t, f->topics[i] ? rpc_json_hex(f->topics[i], 32) : json_null());
        json_object_set_new(o, "topics", t);
    }
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_getLogs", json_pack("[o]", o));
    if (r) return r;
    if (!parse_logs(logs, n, res)) return bad_result(err, "eth_getLogs", res);
    json_decref(res);
    return MPAVS_RPC_OK;
}

static int cmp_u256(const void *a, const void *b) { return mpavs_u256_cmp(a, b); }

int mpavs_rpc_fee_history(mpavs_rpc *c, mpavs_u256 *base_fee_next, mpavs_u256 *priority_fee, mpavs_error *err,
                          unsigned blocks, double percentile) {
    json_t *res;
    int r = rpc_call_json(c, &res, err, "eth_feeHistory", json_pack("[I,s,[f]]", (json_int_t)blocks, "latest", percentile));
    if (r) return r;
    json_t *bf = json_object_get(res, "baseFeePerGas"), *rw = json_object_get(res, "reward");
    size_t nb = json_array_size(bf);
    if (!json_is_array(bf) || nb == 0 || !rpc_json_u256(json_array_get(bf, nb - 1), base_fee_next))
        return bad_result(err, "eth_feeHistory", res);
    memset(priority_fee, 0, sizeof *priority_fee);
    size_t nr = json_is_array(rw) ? json_array_size(rw) : 0;
    if (nr) {
        mpavs_u256 *vals = calloc(nr, sizeof *vals);
        if (!vals) {
            json_decref(res);
            return rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
        }
        for (size_t i = 0; i < nr; i++)
            if (!rpc_json_u256(json_array_get(json_array_get(rw, i), 0), &vals[i])) {
                free(vals);
                return bad_result(err, "eth_feeHistory", res);
            }
        qsort(vals, nr, sizeof *vals, cmp_u256);
        *priority_fee = vals[nr / 2];
        free(vals);
    }
    json_decref(res);
    return MPAVS_RPC_OK;
}

/* ---- transactions ---- */

void mpavs_rpc_transaction_clear(mpavs_rpc_transaction *tx) {
    free(tx->input);
    memset(tx, 0, sizeof *tx);
}

int mpavs_rpc_get_transaction_by_hash(mpavs_rpc *c, mpavs_rpc_transaction *tx, bool *found, mpavs_error *err,
                                      const uint8_t hash[32]) {
    json_t *res;
    memset(tx, 0, sizeof *tx);
    *found = false;
    int r = rpc_call_json(c, &res, err, "eth_getTransactionByHash", json_pack("[o]", rpc_json_hex(hash, 32)));
    if (r) return r;
    if (json_is_null(res)) {
        json_decref(res);
        return MPAVS_RPC_OK;
    }
    mpavs_rpc_transaction t;
    memset(&t, 0, sizeof t);
    json_t *to = json_object_get(res, "to"), *bn = json_object_get(res, "blockNumber"),
           *bh = json_object_get(res, "blockHash");
    t.has_to = to && !json_is_null(to);
    t.pending = !bn || json_is_null(bn);
    if (!json_is_object(res) || !rpc_json_fixed(json_object_get(res, "hash"), t.hash, 32) ||
        !rpc_json_fixed(json_object_get(res, "from"), t.from, 20) || (t.has_to && !rpc_json_fixed(to, t.to, 20)) ||
        !rpc_json_u64(json_object_get(res, "nonce"), &t.nonce) ||
        !rpc_json_u256(json_object_get(res, "value"), &t.value) ||
        (!t.pending && !rpc_json_u64(bn, &t.block_number)) ||
        (!t.pending && !rpc_json_fixed(bh, t.block_hash, 32)) ||
        !rpc_json_bytes(json_object_get(res, "input"), &t.input, &t.input_len)) {
        free(t.input);
        return bad_result(err, "eth_getTransactionByHash", res);
    }
    json_decref(res);
    *tx = t;
    *found = true;
    return MPAVS_RPC_OK;
}

/*
 * cli/devnet_confirm.c — confirmed states for the devnet view.
 *
 * Primary source: the aggregator's mpavs_confirmations [{"since": S}] (docs/protocol.md), which
 * carries signers, non-signers and latency. When the aggregator lacks the method (JSON-RPC
 * -32601) or does not run, StateConfirmed(uint256 indexed committeeId, bytes metadata, bytes
 * state) logs of the service manager are read instead: type, proven block (the state's block
 * hash looked up on the proven chain), tx hash; signers and latency are then unknown.
 */
#include "devnet_up.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/taskkind.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dv_watch_open(dv_watch *w, const dv_net *n, const char *agg_url) {
    memset(w, 0, sizeof *w);
    mpavs_rpc_options fast = {.timeout_ms = 2000, .connect_timeout_ms = 500, .max_retries = 0};
    w->avs = mpavs_rpc_create(n->avs_url, &fast);
    w->l2 = mpavs_rpc_create(n->l2_url, &fast);
    w->agg = agg_url ? mpavs_rpc_create(agg_url, &fast) : NULL;
    w->source = agg_url ? DV_SRC_AGGREGATOR : DV_SRC_LOGS;
    w->next_block = n->avs_start_block;
    w->last_block = n->l2_checkpoint_number;
    if (!w->avs || !w->l2 || (agg_url && !w->agg)) {
        dv_watch_close(w);
        return -1;
    }
    return 0;
}

void dv_watch_close(dv_watch *w) {
    mpavs_rpc_destroy(w->agg);
    mpavs_rpc_destroy(w->avs);
    mpavs_rpc_destroy(w->l2);
    w->agg = w->avs = w->l2 = NULL;
}

/* "op3" for a known operator id, else a short hex. */
static void op_name(char *out, size_t cap, const dv_net *n, const char *id_hex) {
    uint8_t id[32];
    if (id_hex && mpavs_hex_decode_exact(id, 32, id_hex) == MPAVS_HEX_OK)
        for (size_t i = 0; i < n->nops; i++)
            if (memcmp(id, n->ops[i].operator_id, 32) == 0) {
                snprintf(out, cap, "%s", n->ops[i].name);
                return;
            }
    snprintf(out, cap, "%.8s", id_hex ? id_hex : "?");
}

/* Index of a known operator id (n->nops when unknown). */
static size_t op_index(const dv_net *n, const char *id_hex) {
    uint8_t id[32];
    if (id_hex && mpavs_hex_decode_exact(id, 32, id_hex) == MPAVS_HEX_OK)
        for (size_t i = 0; i < n->nops; i++)
            if (memcmp(id, n->ops[i].operator_id, 32) == 0) return i;
    return n->nops;
}

/* "op1 op3 op4": known operators in their order, then unknown ids; "-" when none. */
static void names(char *out, size_t cap, const dv_net *n, json_t *arr) {
    out[0] = 0;
    if (!json_is_array(arr)) {
        snprintf(out, cap, "?");
        return;
    }
    size_t i, len = 0;
    json_t *v;
    for (size_t want = 0; want <= n->nops; want++) /* want == nops: the unknown ones */
        json_array_foreach(arr, i, v) {
            if (op_index(n, json_string_value(v)) != want) continue;
            char one[24];
            op_name(one, sizeof one, n, json_string_value(v));
            int k = snprintf(out + len, cap - len, "%s%s", len ? " " : "", one);
            if (k < 0 || (size_t)k >= cap - len) return;
            len += (size_t)k;
        }
    if (len == 0) snprintf(out, cap, "-");
}

/* Signers per TEE quorum of the operators onboarded: "sgx S/N tdx S/N" (quorum 0 SGX, 1 TDX). */
static void quorum_text(char *out, size_t cap, const dv_net *n, json_t *arr) {
    if (!json_is_array(arr)) {
        snprintf(out, cap, "?");
        return;
    }
    unsigned sig[2] = {0, 0}, tot[2] = {0, 0};
    for (size_t k = 0; k < n->nops; k++) tot[n->ops[k].quorum & 1]++;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        size_t k = op_index(n, json_string_value(v));
        if (k < n->nops) sig[n->ops[k].quorum & 1]++;
    }
    if (n->two_quorums) snprintf(out, cap, "sgx %u/%u tdx %u/%u", sig[0], tot[0], sig[1], tot[1]);
    else snprintf(out, cap, "sgx %u/%u", sig[0], tot[0]);
}

static uint64_t num(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v) && json_integer_value(v) >= 0) return (uint64_t)json_integer_value(v);
    const char *s = json_string_value(v);
    return s ? strtoull(s, NULL, 0) : 0;
}

static void str(char *out, size_t cap, json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    snprintf(out, cap, "%s", s ? s : "?");
}

static int poll_aggregator(dv_watch *w, const dv_net *n, dv_confirm *out, size_t cap, size_t *nout) {
    char params[64], *res = NULL;
    snprintf(params, sizeof params, "[{\"since\":%" PRIu64 "}]", w->since);
    mpavs_error err = {0};
    int r = mpavs_rpc_call(w->agg, &res, &err, "mpavs_confirmations", params);
    if (r == MPAVS_RPC_ERR_RPC && err.rpc_code == -32601) {
        w->source = DV_SRC_LOGS; /* an aggregator without the mpavs method */
        mpavs_error_clear(&err);
        return 0;
    }
    if (r) {
        snprintf(w->last_error, sizeof w->last_error, "mpavs_confirmations: %s: %.100s", mpavs_rpc_strerror(r),
                 err.message);
        mpavs_error_clear(&err);
        return -1;
    }
    json_t *root = json_loads(res, 0, NULL);
    free(res);
    json_t *arr = json_is_array(root) ? root : json_object_get(root, "confirmations");
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) {
        if (*nout >= cap) break;
        dv_confirm *d = &out[(*nout)++];
        memset(d, 0, sizeof *d);
        d->seq = num(c, "seq");
        d->task_type = num(c, "task_type");
        d->task_id = num(c, "task_id");
        const mpavs_taskkind *k = mpavs_taskkind_get(d->task_type);
        /* a chain-block kind's task id is the proven block */
        d->block = k && k->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK ? d->task_id : 0;
        str(d->digest, sizeof d->digest, c, "digest");
        str(d->tx_hash, sizeof d->tx_hash, c, "tx_hash");
        names(d->signers, sizeof d->signers, n, json_object_get(c, "signers"));
        names(d->non_signers, sizeof d->non_signers, n, json_object_get(c, "non_signers"));
        quorum_text(d->per_quorum, sizeof d->per_quorum, n, json_object_get(c, "signers"));
        json_t *lat = json_object_get(c, "latency_ms");
        d->latency_ms = json_is_integer(lat) ? (long long)json_integer_value(lat) : -1;
        d->confirm_block = num(c, "confirm_block");
        d->reference_block = num(c, "reference_block");
        d->latency_blocks = d->confirm_block > d->reference_block && json_is_integer(json_object_get(c, "reference_block"))
                                ? (long long)(d->confirm_block - d->reference_block - 1)
                                : -1;
        if (d->seq > w->since) w->since = d->seq;
    }
    json_decref(root);
    return 0;
}

/* abi.decode(data, (bytes, bytes)): the two members' offsets and lengths. */
static bool decode_two_bytes(const uint8_t *data, size_t len, const uint8_t **a, size_t *alen, const uint8_t **b,
                             size_t *blen) {
    const uint8_t **outs[2] = {a, b};
    size_t *lens[2] = {alen, blen};
    for (int k = 0; k < 2; k++) {
        if (len < 64) return false;
        uint64_t off = 0, l = 0;
        for (int j = 0; j < 24; j++)
            if (data[32 * k + j]) return false;
        for (int j = 24; j < 32; j++) off = off << 8 | data[32 * k + j];
        if (off > len - 32) return false;
        for (int j = 0; j < 24; j++)
            if (data[off + j]) return false;
        for (int j = 24; j < 32; j++) l = l << 8 | data[off + j];
        if (l > len - off - 32) return false;
        *outs[k] = data + off + 32;
        *lens[k] = (size_t)l;
    }
    return true;
}

static int poll_logs(dv_watch *w, const dv_net *n, dv_confirm *out, size_t cap, size_t *nout) {
    mpavs_error err = {0};
    uint64_t head;
    int r = mpavs_rpc_block_number(w->avs, &head, &err);
    if (r) {
        snprintf(w->last_error, sizeof w->last_error, "AVS chain: eth_blockNumber: %s", mpavs_rpc_strerror(r));
        mpavs_error_clear(&err);
        return -1;
    }
    if (head < w->next_block) return 0;
    uint64_t to = head - w->next_block > 199 ? w->next_block + 199 : head;
    static const char SIG[] = "StateConfirmed(uint256,bytes,bytes)";
    uint8_t topic0[32];
    mpavs_keccak256(topic0, SIG, sizeof SIG - 1);
    char from_tag[24], to_tag[24];
    mpavs_rpc_filter f = {.from_block = mpavs_rpc_tag_number(from_tag, w->next_block),
                          .to_block = mpavs_rpc_tag_number(to_tag, to),
                          .addresses = (const uint8_t(*)[20]) n->dep.service_manager.bytes,
                          .naddresses = 1,
                          .topics = {topic0},
                          .ntopics = 1};
    mpavs_rpc_log *logs = NULL;
    size_t nlogs = 0;
    r = mpavs_rpc_get_logs(w->avs, &logs, &nlogs, &err, &f);
    if (r) {
        snprintf(w->last_error, sizeof w->last_error, "AVS chain: eth_getLogs: %s", mpavs_rpc_strerror(r));
        mpavs_error_clear(&err);
        return -1;
    }
    size_t i = 0;
    for (; i < nlogs && *nout < cap; i++) {
        const mpavs_rpc_log *lg = &logs[i];
        if (lg->removed || lg->ntopics < 2) continue;
        dv_confirm *d = &out[(*nout)++];
        memset(d, 0, sizeof *d);
        d->seq = ++w->log_seq;
        for (int j = 24; j < 32; j++) d->task_type = d->task_type << 8 | lg->topics[1][j];
        const uint8_t *meta, *state;
        size_t mlen, slen;
        if (decode_two_bytes(lg->data, lg->data_len, &meta, &mlen, &state, &slen) && slen >= 32) {
            mpavs_rpc_block b = {0};
            bool found = false;
            if (mpavs_rpc_get_block_by_hash(w->l2, &b, &found, &err, state) == MPAVS_RPC_OK && found)
                d->block = d->task_id = b.number;
            mpavs_rpc_block_clear(&b);
            mpavs_error_clear(&err);
        }
        snprintf(d->digest, sizeof d->digest, "?");
        if (mpavs_hex_encode(d->tx_hash, sizeof d->tx_hash, lg->tx_hash, 32, true) != MPAVS_HEX_OK) d->tx_hash[0] = 0;
        snprintf(d->signers, sizeof d->signers, "?");
        snprintf(d->non_signers, sizeof d->non_signers, "?");
        snprintf(d->per_quorum, sizeof d->per_quorum, "?");
        d->latency_ms = -1;
        d->latency_blocks = -1;
        d->confirm_block = lg->block_number;
    }
    /* a range holds at most 200 blocks (40 type-3 tasks at Interval 5), so out (64) does not fill */
    w->next_block = to + 1;
    mpavs_rpc_logs_free(logs, nlogs);
    return 0;
}

/* The proven blocks d covers: (w->last_block, d->block], or d->block alone when it is not above the
 * last one (a confirmation out of order). Their transactions and gasUsed from the chain's headers. */
static void l2_range(dv_watch *w, dv_confirm *d) {
    if (d->block == 0) return;
    uint64_t from = d->block > w->last_block ? w->last_block : d->block - 1;
    if (d->block - from > 1000) from = d->block - 1000; /* bounded: the view's figure, not an audit */
    d->range_from = from;
    d->l2_known = true;
    for (uint64_t b = from + 1; b <= d->block && d->l2_known; b++) {
        mpavs_rpc_block blk = {0};
        bool found = false;
        mpavs_error err = {0};
        char tag[24];
        if (mpavs_rpc_get_block_by_number(w->l2, &blk, &found, &err, mpavs_rpc_tag_number(tag, b)) || !found) {
            d->l2_known = false;
        } else {
            d->l2_gas += blk.gas_used;
            json_t *o = json_loads(blk.json, 0, NULL);
            json_t *txs = json_object_get(o, "transactions");
            if (json_is_array(txs)) d->l2_txs += json_array_size(txs);
            else d->l2_known = false;
            json_decref(o);
        }
        mpavs_rpc_block_clear(&blk);
        mpavs_error_clear(&err);
    }
    if (d->block > w->last_block) w->last_block = d->block;
}

int dv_watch_failures(dv_watch *w, dv_failure *out, size_t cap, size_t *nout) {
    *nout = 0;
    if (w->source != DV_SRC_AGGREGATOR) return 0;
    char *res = NULL;
    mpavs_error err = {0};
    int r = mpavs_rpc_call(w->agg, &res, &err, "mpavs_status", "[]");
    mpavs_error_clear(&err);
    if (r) return -1;
    json_t *root = json_loads(res, 0, NULL);
    free(res);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(root, "recent_failures"), i, f) {
        uint64_t type = num(f, "task_type"), id = num(f, "task_id"), key = type << 56 ^ id;
        bool seen = false;
        size_t kept = w->nseen_fail < 16 ? w->nseen_fail : 16;
        for (size_t k = 0; k < kept && !seen; k++) seen = w->seen_fail[k] == key;
        if (seen || *nout >= cap) continue;
        w->seen_fail[w->nseen_fail++ % 16] = key;
        dv_failure *d = &out[(*nout)++];
        memset(d, 0, sizeof *d);
        d->task_type = type;
        d->task_id = id;
        str(d->status, sizeof d->status, f, "status");
        str(d->reason, sizeof d->reason, f, "reason");
    }
    json_decref(root);
    return 0;
}

int dv_watch_poll(dv_watch *w, const dv_net *n, bool agg_up, dv_confirm *out, size_t cap, size_t *nout) {
    *nout = 0;
    w->last_error[0] = 0;
    int r = 0;
    if (w->source == DV_SRC_AGGREGATOR) r = agg_up ? poll_aggregator(w, n, out, cap, nout) : 0;
    else r = poll_logs(w, n, out, cap, nout);
    for (size_t i = 0; i < *nout; i++) l2_range(w, &out[i]);
    return r;
}

/*
 * daemons/operator/tasks_ext.c — Scroll (1) and Linea (2) tasks, the reference path
 * (upstream §1.2.2) with its gaps closed: context from the task or prover_genContext, the PoB
 * through da_tryLock/da_putPob ("Failed" is retried, not ignored), prover_proveTask until
 * not_ready is false within a deadline, then the StateHeader metadata and state as Go's
 * json.Marshal writes them (§3.1: compact, declaration order, lower-case hex, batch_id
 * omitted when 0).
 */
#include "operator/operator.h"

#include "mpavs/hex.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define EXT_PROVE_DEADLINE_MS 600000

json_t *op_prove_retry(op *o, json_t *params, long deadline_ms, char *msg, size_t cap);

static bool hex_u64(json_t *v, uint64_t *out) {
    const char *s = json_string_value(v);
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    if (!s || strncmp(s, "0x", 2) != 0 || !s[2] || strlen(s) > 18) return false;
    char *end;
    *out = strtoull(s + 2, &end, 16);
    return *end == 0;
}

/* Re-encode a 0x hex string in lower case (Go's hexutil output). Returns a new JSON string or NULL. */
static bool lower_hex(const char *s, char *out, size_t cap, size_t want_len) {
    if (!s || strncmp(s, "0x", 2) != 0 || strlen(s) % 2 || strlen(s) + 1 > cap) return false;
    if (want_len && strlen(s) != 2 + 2 * want_len) return false;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i];
        if (i >= 2 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
        out[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
    }
    out[strlen(s)] = 0;
    return true;
}

static json_t *call(op *o, const char *method, json_t *params, long timeout_ms, char *msg, size_t cap) {
    json_t *res = NULL;
    op_rpc_err e;
    bool ok = op_jsonrpc(o, o->cfg.prover_url, method, params, timeout_ms, &res, &e);
    json_decref(params);
    if (!ok) {
        if (e.transport) op_svc_set(o, SVC_PROVER, SVC_DOWN);
        snprintf(msg, cap, "%s: %ld %s", method, e.code, e.message);
    }
    return res;
}

/* Make sure the prover's DA holds the PoB of ctx. */
static bool put_pob(op *o, json_t *ctx, char *msg, size_t cap) {
    const char *hash = json_string_value(json_object_get(ctx, "hash"));
    for (int attempt = 0; attempt < 6 && !drt_stopped(o->stop); attempt++) {
        json_t *r = call(o, "da_tryLock", json_pack("[s]", hash), 30000, msg, cap);
        const char *s = json_string_value(r);
        if (s && strcmp(s, "Exist") == 0) {
            json_decref(r);
            return true;
        }
        if (s && strcmp(s, "Locked") == 0) {
            json_decref(r);
            json_t *p = call(o, "da_putPob", json_pack("[O]", ctx), 120000, msg, cap);
            bool ok = p != NULL;
            json_decref(p);
            return ok;
        }
        if (s) snprintf(msg, cap, "da_tryLock: %s (another caller holds the slot)", s);
        json_decref(r);
        op_sleep(o, op_backoff_ms((unsigned)attempt, 1000, 10000));
    }
    return false;
}

bool op_task_prove_ext(op *o, const mpavs_taskkind *k, json_t *task, uint8_t **metadata, size_t *mlen, uint8_t **state,
                       size_t *slen, uint8_t sig65[65], char *msg, size_t cap) {
    json_t *ext = json_object_get(task, "ext"), *ctx = json_object_get(task, "context"), *own = NULL;
    uint64_t start = 0, end = 0;
    bool ok = false;
    json_t *res = NULL;
    if (!hex_u64(json_object_get(ext, "start_block"), &start) || !hex_u64(json_object_get(ext, "end_block"), &end)) {
        snprintf(msg, cap, "task ext lacks start_block/end_block");
        return false;
    }
    if (!json_is_object(ctx) || !json_is_string(json_object_get(ctx, "hash"))) {
        ctx = own = call(o, "prover_genContext", json_pack("[I,I,I]", (json_int_t)start, (json_int_t)end,
                                                           (json_int_t)k->id), 300000, msg, cap);
        if (!json_is_object(ctx) || !json_is_string(json_object_get(ctx, "hash"))) {
            if (ctx) snprintf(msg, cap, "prover_genContext: no context hash in the answer");
            goto out;
        }
    }
    if (!put_pob(o, ctx, msg, cap)) goto out;
    char from[43];
    static const char zero[] = "0x0000000000000000000000000000000000000000000000000000000000000000";
    if (mpavs_hex_encode(from, sizeof from, o->operator_addr.bytes, 20, true)) goto out;
    const char *hash = json_string_value(json_object_get(ctx, "hash"));
    json_t *params;
    if (k->input == MPAVS_TASKKIND_INPUT_BATCH) {
        params = json_pack("[{s:O,s:s,s:s,s:s,s:s}]", "batch", json_object_get(ext, "batch_data"), "pob_hash", hash,
                           "starting_state_root", zero, "final_state_root", zero, "from", from);
    } else {
        const char *a = json_string_value(json_object_get(ext, "prev_batch_final_state_root"));
        const char *b = json_string_value(json_object_get(ext, "final_state_root"));
        params = json_pack("[{s:s,s:s,s:I,s:I,s:I,s:s,s:s}]", "pob_hash", hash, "from", from, "task_type", (json_int_t)k->id, "start",
                           (json_int_t)start, "end", (json_int_t)end, "starting_state_root", a ? a : zero,
                           "final_state_root", b ? b : zero);
    }
    if (!params) {
        snprintf(msg, cap, "task ext lacks batch_data or state roots");
        goto out;
    }
    res = op_prove_retry(o, params, EXT_PROVE_DEADLINE_MS, msg, cap);
    json_decref(params);
    if (!res) goto out;
    uint64_t bid = 0, sb = 0, eb = 0;
    json_t *poe = json_object_get(res, "poe");
    static const char *const F[6] = {"batch_hash", "state_hash", "prev_state_root", "new_state_root",
                                     "withdrawal_root", "signature"};
    char h[6][300];
    bool good = json_is_object(poe);
    for (int i = 0; i < 6 && good; i++)
        good = lower_hex(json_string_value(json_object_get(poe, F[i])), h[i], sizeof h[i], i < 5 ? 32 : 0);
    json_t *bj = json_object_get(res, "batch_id");
    if (bj && !json_is_null(bj)) good = good && json_is_integer(bj) && json_integer_value(bj) >= 0;
    if (json_is_integer(bj)) bid = (uint64_t)json_integer_value(bj);
    good = good && json_is_integer(json_object_get(res, "start_block")) &&
           json_is_integer(json_object_get(res, "end_block"));
    sb = (uint64_t)json_integer_value(json_object_get(res, "start_block"));
    eb = (uint64_t)json_integer_value(json_object_get(res, "end_block"));
    const char *ps = json_string_value(json_object_get(res, "poe_signature"));
    if (!good || !ps || strlen(ps) != 132 || mpavs_hex_decode_exact(sig65, 65, ps) != MPAVS_HEX_OK) {
        snprintf(msg, cap, "prover answer: bad PoeResponse (poe fields, block numbers or poe_signature)");
        goto out;
    }
    char m[160];
    int ml = bid ? snprintf(m, sizeof m, "{\"batch_id\":%" PRIu64 ",\"start_block\":%" PRIu64 ",\"end_block\":%" PRIu64
                            "}", bid, sb, eb)
                 : snprintf(m, sizeof m, "{\"start_block\":%" PRIu64 ",\"end_block\":%" PRIu64 "}", sb, eb);
    size_t sc = 1024;
    char *st = malloc(sc);
    *metadata = malloc((size_t)ml);
    if (!st || !*metadata) {
        free(st);
        goto out;
    }
    int sl = snprintf(st, sc, "{\"%s\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\"}",
                      F[0], h[0], F[1], h[1], F[2], h[2], F[3], h[3], F[4], h[4], F[5], h[5]);
    memcpy(*metadata, m, (size_t)ml);
    *mlen = (size_t)ml;
    *state = (uint8_t *)st;
    *slen = (size_t)sl;
    ok = true;
out:
    json_decref(res);
    json_decref(own);
    return ok;
}

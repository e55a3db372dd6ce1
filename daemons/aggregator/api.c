/* daemons/aggregator/api.c — JSON-RPC methods (docs/protocol.md); the Prometheus text is metrics.c. */
#include "aggregator/daemon.h"
#include "aggregator/longpoll.h"

#include "common/log.h"
#include "mpavs/hex.h"
#include "mpavs/wire.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *param_text(json_t *params, size_t i) {
    json_t *p = json_is_array(params) ? json_array_get(params, i) : NULL;
    return p ? json_dumps(p, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static json_t *m_fetch(agg_daemon *d, json_t *params, drpc_error *err) {
    char *txt = param_text(params, 0);
    if (!txt) return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [FetchTaskReq]");
    mpavs_wire_fetch_request fr;
    char msg[256];
    int r = mpavs_wire_parse_fetch_request(&fr, msg, sizeof msg, txt, strlen(txt));
    free(txt);
    if (r) return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: %s", msg);
    return agg_fetch_longpoll(d, &fr, err); /* parks instead of holding a thread (longpoll.c) */
}

/* The verdict of a deferred submitTask: the reply m_submit would have returned. */
static void answer_submit(void *user, int why, const char *msg) {
    drpc_deferred *later = user;
    if (why == REJ_COUNT) {
        drpc_deferred_answer(later, json_null(), 0, NULL, NULL);
        return;
    }
    char text[512];
    snprintf(text, sizeof text, "%s: %s", agg_reject_names[why], msg);
    drpc_deferred_answer(later, NULL, agg_reject_codes[why], text, json_pack("{s:s}", "reason", agg_reject_names[why]));
}

static json_t *m_submit(agg_daemon *d, json_t *params, drpc_error *err) {
    if (!json_is_array(params) || json_array_size(params) != 1) {
        agg_bump(&d->m_rejected[REJ_INVALID_PARAMS], 1);
        err->data = json_pack("{s:s}", "reason", agg_reject_names[REJ_INVALID_PARAMS]);
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [TaskRequest]");
    }
    drpc_deferred *later = err->may_defer ? drpc_defer(err) : NULL;
    if (later) { /* the connection waits suspended; no server thread waits for the BLS batch */
        agg_admit_start(d, json_array_get(params, 0), answer_submit, later); /* the tree the server parsed */
        return NULL;
    }
    char msg[400];
    int why = agg_admit(d, json_array_get(params, 0), msg, sizeof msg);
    if (why == REJ_COUNT) return json_null();
    err->data = json_pack("{s:s}", "reason", agg_reject_names[why]);
    return drpc_fail(err, agg_reject_codes[why], "%s: %s", agg_reject_names[why], msg);
}

static json_t *m_submit_metrics(agg_daemon *d, json_t *params, drpc_error *err) {
    char msg[400];
    int why = agg_metrics_submit(d, json_is_array(params) ? json_array_get(params, 0) : NULL, msg, sizeof msg);
    if (why == PUSH_REFUSED_COUNT) return json_null();
    err->data = json_pack("{s:s}", "reason", agg_push_refused_names[why]);
    bool invalid = agg_push_refused_codes[why] == DRPC_INVALID_PARAMS; /* as the reference words its refusals */
    return drpc_fail(err, agg_push_refused_codes[why], "%s: %s", invalid ? "invalid params" : agg_push_refused_names[why], msg);
}

static json_t *hexj(const uint8_t *b, size_t n) {
    char *s = malloc(2 * n + 3);
    if (!s) return NULL;
    if (mpavs_hex_encode(s, 2 * n + 3, b, n, true)) s[0] = 0;
    json_t *j = json_string(s);
    free(s);
    return j;
}

static void add_confirmation(void *user, const agg_task_row *t) {
    json_t *arr = user;
    json_error_t je;
    json_t *signers = t->signers ? json_loads(t->signers, 0, &je) : NULL;
    json_t *non = t->non_signers ? json_loads(t->non_signers, 0, &je) : NULL;
    json_t *o = json_pack("{s:I,s:i,s:I,s:o,s:I,s:o,s:o,s:I,s:I,s:I,s:I,s:I}", "seq", (json_int_t)t->seq, "task_type",
                          t->type, "task_id", (json_int_t)t->id, "digest", hexj(t->digest, 32), "reference_block",
                          (json_int_t)t->ref_block, "signers", signers ? signers : json_array(), "non_signers",
                          non ? non : json_array(), "confirm_block", (json_int_t)t->confirm_block, "gas_used",
                          (json_int_t)t->gas_used, "created_ms", (json_int_t)t->created_ms, "confirmed_ms",
                          (json_int_t)t->confirmed_ms, "latency_ms", (json_int_t)(t->confirmed_ms - t->created_ms));
    if (!o) return;
    json_object_set_new(o, "tx_hash", hexj(t->tx_hash, 32));
    json_object_set_new(o, "metadata", t->metadata ? hexj(t->metadata, t->metadata_len) : json_null());
    json_object_set_new(o, "state", t->state ? hexj(t->state, t->state_len) : json_null());
    json_array_append_new(arr, o);
}

/* mpavs_confirmations [{"since":N, "type":T, "metadata":"0x…", "latest":true, "limit":L}] (every member optional). */
static json_t *m_confirmations(agg_daemon *d, json_t *params, drpc_error *err) {
    static const char USAGE[] = "invalid params: expected [{\"since\":N,\"type\":T,\"metadata\":\"0x…\","
                                "\"latest\":bool,\"limit\":1..100}] (each optional)";
    json_t *o = json_is_array(params) ? json_array_get(params, 0) : NULL;
    if (o && !json_is_object(o)) return drpc_fail(err, DRPC_INVALID_PARAMS, "%s", USAGE);
    json_t *since = json_object_get(o, "since"), *type = json_object_get(o, "type"), *meta = json_object_get(o, "metadata"),
           *latest = json_object_get(o, "latest"), *limit = json_object_get(o, "limit");
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) if (strcmp(k, "since") && strcmp(k, "type") && strcmp(k, "metadata") &&
                                     strcmp(k, "latest") && strcmp(k, "limit"))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: unknown member \"%s\"", k);
    if (since && (!json_is_integer(since) || json_integer_value(since) < 0))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: since must be a non-negative integer");
    if (type && (!json_is_integer(type) || json_integer_value(type) < 1 ||
                 !mpavs_taskkind_get((uint64_t)json_integer_value(type))))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: type must be 1..%d", AGG_MAX_TYPES - 1);
    if (latest && !json_is_boolean(latest))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: latest must be true or false");
    if (limit && (!json_is_integer(limit) || json_integer_value(limit) < 1 || json_integer_value(limit) > 100))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: limit must be 1..100");
    uint8_t mbuf[4096];
    size_t mlen = 0;
    if (meta) {
        const char *m = json_string_value(meta);
        size_t n = m ? strlen(m) : 0;
        if (!m || n < 2 || m[0] != '0' || (m[1] != 'x' && m[1] != 'X') || (n - 2) % 2 || (n - 2) / 2 > sizeof mbuf ||
            mpavs_hex_decode_exact(mbuf, (n - 2) / 2, m))
            return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: metadata must be 0x-hex of at most %zu bytes",
                             sizeof mbuf);
        mlen = (n - 2) / 2;
    }
    agg_confirm_query q = {.since = since ? (uint64_t)json_integer_value(since) : 0,
                           .max = limit ? (size_t)json_integer_value(limit) : 100,
                           .type = type ? (int)json_integer_value(type) : 0,
                           .metadata = meta ? mbuf : NULL,
                           .metadata_len = mlen,
                           .latest = json_is_true(latest)};
    json_t *arr = json_array();
    if (!agg_store_confirmations(d->store, &q, add_confirmation, arr)) {
        json_decref(arr);
        return drpc_fail(err, DRPC_SERVER_ERROR, "database read failed");
    }
    return arr;
}

static json_t *m_status(agg_daemon *d) {
    uint64_t counts[5];
    agg_store_task_counts(d->store, counts);
    json_t *rej = json_object();
    for (int i = 0; i < REJ_COUNT; i++)
        json_object_set_new(rej, agg_reject_names[i],
                            json_integer((json_int_t)__atomic_load_n(&d->m_rejected[i], __ATOMIC_RELAXED)));
    json_t *last = json_object(), *fails = json_array();
    pthread_mutex_lock(&d->mu);
    size_t nf = d->nfailures < AGG_RECENT_FAILURES ? d->nfailures : AGG_RECENT_FAILURES;
    for (size_t k = d->nfailures - nf; k < d->nfailures; k++) { /* oldest first */
        const agg_failure *f = &d->failures[k % AGG_RECENT_FAILURES];
        json_array_append_new(fails, json_pack("{s:i,s:I,s:s,s:s}", "task_type", f->type, "task_id",
                                               (json_int_t)f->id, "status",
                                               f->status == TASK_EXPIRED ? "expired" : "failed", "reason", f->reason));
    }
    for (size_t i = 0; i < mpavs_taskkind_count(); i++) {
        uint64_t t = mpavs_taskkind_at(i)->id;
        if (d->latest[t]) {
            char k[24];
            snprintf(k, sizeof k, "%" PRIu64, t);
            json_object_set_new(last, k, json_integer((json_int_t)d->latest[t]->id));
        }
    }
    pthread_mutex_unlock(&d->mu);
    int cs = __atomic_load_n(&d->confirmer_state, __ATOMIC_ACQUIRE);
    json_t *st = json_pack("{s:s,s:o,s:I,s:I,s:I,s:I,s:o,s:I,s:o}", "version", AGG_VERSION, "state_confirmer",
                     cs < 0 ? json_null() : json_boolean(cs == 1), "tasks_pending",
                     (json_int_t)(counts[TASK_OPEN] + counts[TASK_CONFIRMING]), "tasks_confirmed",
                     (json_int_t)counts[TASK_CONFIRMED], "tasks_failed", (json_int_t)counts[TASK_FAILED],
                     "tasks_expired", (json_int_t)counts[TASK_EXPIRED], "last_task", last, "admitted",
                     (json_int_t)__atomic_load_n(&d->m_admitted, __ATOMIC_RELAXED), "rejected", rej);
    if (st) json_object_set_new(st, "recent_failures", fails);
    else json_decref(fails);
    return st;
}

const char *const agg_rpc_methods[AGG_RPC_NMETHODS] = {"aggregator_fetchTask", "aggregator_submitTask",
                                                     "aggregator_submitMetrics", "mpavs_confirmations",
                                                     "mpavs_status", "rpc_modules"};

json_t *agg_rpc_handler(void *user, const char *method, json_t *params, drpc_error *err) {
    agg_daemon *d = user;
    if (!strcmp(method, "aggregator_fetchTask")) return m_fetch(d, params, err);
    if (!strcmp(method, "aggregator_submitTask")) return m_submit(d, params, err);
    if (!strcmp(method, "aggregator_submitMetrics")) return m_submit_metrics(d, params, err);
    if (!strcmp(method, "mpavs_confirmations")) return m_confirmations(d, params, err);
    if (!strcmp(method, "mpavs_status")) return m_status(d);
    if (!strcmp(method, "rpc_modules")) return json_pack("{s:s,s:s,s:s}", "aggregator", "1.0", "mpavs", "1.0", "rpc",
                                                         "1.0");
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, DRPC_METHOD_NOT_FOUND_FMT, method); /* none of agg_rpc_methods */
}

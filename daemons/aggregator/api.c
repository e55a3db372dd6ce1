/* daemons/aggregator/api.c — JSON-RPC methods (docs/protocol.md) and the Prometheus text. */
#include "aggregator/daemon.h"

#include "common/log.h"
#include "common/textbuf.h"
#include "mpavs/hex.h"
#include "mpavs/wire.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_MAX_OPERATORS 4096
#define METRICS_MAX_FAMILIES 256
#define METRICS_MAX_BYTES (256u << 10)

/* Operator-pushed metric families (aggregator_submitMetrics), re-exported with an operator label. */
typedef struct {
    char *name;
    json_t *families;
} pushed;

static pthread_mutex_t push_mu = PTHREAD_MUTEX_INITIALIZER;
static pushed *pushes;
static size_t npushes;

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
    return agg_task_fetch(d, fr.prev_task_id, fr.task_type, fr.max_wait_secs, fr.with_context);
}

static json_t *m_submit(agg_daemon *d, json_t *params, drpc_error *err) {
    if (!json_is_array(params) || json_array_size(params) != 1) {
        agg_bump(&d->m_rejected[REJ_INVALID_PARAMS], 1);
        err->data = json_pack("{s:s}", "reason", agg_reject_names[REJ_INVALID_PARAMS]);
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [TaskRequest]");
    }
    char msg[400];
    int why = agg_admit(d, json_array_get(params, 0), msg, sizeof msg); /* the tree the server parsed */
    if (why == REJ_COUNT) return json_null();
    err->data = json_pack("{s:s}", "reason", agg_reject_names[why]);
    return drpc_fail(err, agg_reject_codes[why], "%s: %s", agg_reject_names[why], msg);
}

static json_t *m_submit_metrics(agg_daemon *d, json_t *params, drpc_error *err) {
    json_t *o = json_is_array(params) ? json_array_get(params, 0) : NULL;
    json_t *name = json_object_get(o, "name"), *fams = json_object_get(o, "metrics");
    if (!json_is_string(name) || !json_is_array(fams))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [{\"name\":…,\"metrics\":[…]}]");
    if (json_string_length(name) == 0 || json_string_length(name) > 128)
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: name must have 1..128 characters");
    if (json_array_size(fams) > METRICS_MAX_FAMILIES)
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: at most %d metric families",
                         METRICS_MAX_FAMILIES);
    char *txt = json_dumps(fams, JSON_COMPACT);
    size_t sz = txt ? strlen(txt) : 0;
    free(txt);
    if (sz > METRICS_MAX_BYTES)
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: metrics larger than %u bytes", METRICS_MAX_BYTES);
    (void)d;
    pthread_mutex_lock(&push_mu);
    size_t i;
    for (i = 0; i < npushes; i++)
        if (!strcmp(pushes[i].name, json_string_value(name))) break;
    if (i == npushes) {
        pushed *p = npushes < METRICS_MAX_OPERATORS ? realloc(pushes, (npushes + 1) * sizeof *p) : NULL;
        if (!p) {
            pthread_mutex_unlock(&push_mu);
            return drpc_fail(err, DRPC_SERVER_ERROR, "too many operators push metrics");
        }
        pushes = p;
        pushes[npushes].name = strdup(json_string_value(name));
        pushes[npushes].families = NULL;
        npushes++;
    }
    json_decref(pushes[i].families);
    pushes[i].families = json_incref(fams);
    pthread_mutex_unlock(&push_mu);
    return json_null();
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
    json_array_append_new(arr, o);
}

static json_t *m_confirmations(agg_daemon *d, json_t *params, drpc_error *err) {
    json_t *o = json_is_array(params) ? json_array_get(params, 0) : NULL;
    json_t *since = o ? json_object_get(o, "since") : NULL;
    if (o && !json_is_object(o)) return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [{\"since\":N}]");
    if (since && (!json_is_integer(since) || json_integer_value(since) < 0))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: since must be a non-negative integer");
    json_t *arr = json_array();
    if (!agg_store_confirmations(d->store, since ? (uint64_t)json_integer_value(since) : 0, 100, add_confirmation,
                                 arr)) {
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
    json_t *last = json_object();
    pthread_mutex_lock(&d->mu);
    for (int t = 1; t < AGG_MAX_TYPES; t++)
        if (d->latest[t]) {
            char k[8];
            snprintf(k, sizeof k, "%d", t);
            json_object_set_new(last, k, json_integer((json_int_t)d->latest[t]->id));
        }
    pthread_mutex_unlock(&d->mu);
    return json_pack("{s:s,s:I,s:I,s:I,s:I,s:o,s:I,s:o}", "version", AGG_VERSION, "tasks_pending",
                     (json_int_t)(counts[TASK_OPEN] + counts[TASK_CONFIRMING]), "tasks_confirmed",
                     (json_int_t)counts[TASK_CONFIRMED], "tasks_failed", (json_int_t)counts[TASK_FAILED],
                     "tasks_expired", (json_int_t)counts[TASK_EXPIRED], "last_task", last, "admitted",
                     (json_int_t)__atomic_load_n(&d->m_admitted, __ATOMIC_RELAXED), "rejected", rej);
}

json_t *agg_rpc_handler(void *user, const char *method, json_t *params, drpc_error *err) {
    agg_daemon *d = user;
    if (!strcmp(method, "aggregator_fetchTask")) return m_fetch(d, params, err);
    if (!strcmp(method, "aggregator_submitTask")) return m_submit(d, params, err);
    if (!strcmp(method, "aggregator_submitMetrics")) return m_submit_metrics(d, params, err);
    if (!strcmp(method, "mpavs_confirmations")) return m_confirmations(d, params, err);
    if (!strcmp(method, "mpavs_status")) return m_status(d);
    if (!strcmp(method, "rpc_modules")) return json_pack("{s:s,s:s,s:s}", "aggregator", "1.0", "mpavs", "1.0", "rpc",
                                                         "1.0");
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, "the method %s does not exist/is not available", method);
}

/* ---------------- Prometheus text ---------------- */

typedef dbuf buf;

static uint64_t ld(const uint64_t *x) { return __atomic_load_n(x, __ATOMIC_RELAXED); }

/* A label value escaped for the text format (\\, \", \n). */
static void esc(char *out, size_t cap, const char *v) {
    size_t k = 0;
    for (; *v && k + 3 < cap; v++) {
        if (*v == '\\' || *v == '"') out[k++] = '\\', out[k++] = *v;
        else if (*v == '\n') out[k++] = '\\', out[k++] = 'n';
        else out[k++] = *v;
    }
    out[k] = 0;
}

static bool metric_name_ok(const char *n) {
    if (!n || !*n) return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' || *p == ':' ||
              (p != n && *p >= '0' && *p <= '9')))
            return false;
    return true;
}

/* Re-export pushed families (gauges, counters, untyped) with operator="<name>". */
static void pushed_text(buf *b) {
    pthread_mutex_lock(&push_mu);
    for (size_t i = 0; i < npushes; i++) {
        char op[300];
        esc(op, sizeof op, pushes[i].name);
        size_t k;
        json_t *f;
        json_array_foreach(pushes[i].families, k, f) {
            const char *name = json_string_value(json_object_get(f, "name"));
            if (!metric_name_ok(name) || (strncmp(name, "avs", 3) && strncmp(name, "eigen_", 6))) continue;
            json_int_t type = json_integer_value(json_object_get(f, "type"));
            const char *member = type == 0 ? "counter" : type == 1 ? "gauge" : type == 3 ? "untyped" : NULL;
            if (!member) continue;
            size_t m;
            json_t *mt;
            json_array_foreach(json_object_get(f, "metric"), m, mt) {
                json_t *val = json_object_get(json_object_get(mt, "value") ? mt : json_object_get(mt, member), "value");
                if (!json_is_number(val)) continue;
                dbuf_printf(b, "%s{", name);
                size_t l;
                json_t *lb;
                json_array_foreach(json_object_get(mt, "label"), l, lb) {
                    const char *ln = json_string_value(json_object_get(lb, "name"));
                    const char *lv = json_string_value(json_object_get(lb, "value"));
                    if (!metric_name_ok(ln) || !lv || !strcmp(ln, "operator")) continue;
                    char e[300];
                    esc(e, sizeof e, lv);
                    dbuf_printf(b, "%s=\"%s\",", ln, e);
                }
                dbuf_printf(b, "operator=\"%s\"} %.17g\n", op, json_number_value(val));
            }
        }
    }
    pthread_mutex_unlock(&push_mu);
}

char *agg_metrics_text(void *user, const char **content_type) {
    agg_daemon *d = user;
    *content_type = "text/plain; version=0.0.4";
    buf b = {0};
    static const char *const TYPES[AGG_MAX_TYPES] = {"unknown", "scroll", "linea", "chain"};
    dbuf_printf(&b, "# HELP avs_aggregator_new_task_counter Tasks created, by type.\n"
                "# TYPE avs_aggregator_new_task_counter counter\n");
    for (int t = 1; t < AGG_MAX_TYPES; t++)
        dbuf_printf(&b, "avs_aggregator_new_task_counter{type=\"%s\"} %" PRIu64 "\n", TYPES[t], ld(&d->m_tasks_created[t]));
    dbuf_printf(&b, "# HELP avs_aggregator_fetch_task_counter aggregator_fetchTask calls, by type.\n"
                "# TYPE avs_aggregator_fetch_task_counter counter\n");
    for (int t = 1; t < AGG_MAX_TYPES; t++)
        for (int w = 0; w < 2; w++)
            dbuf_printf(&b, "avs_aggregator_fetch_task_counter{type=\"%s\",with_context=\"%s\"} %" PRIu64 "\n", TYPES[t],
                    w ? "true" : "false", ld(&d->m_fetch[t][w]));
    dbuf_printf(&b, "# HELP mpavs_aggregator_signatures_admitted_total Signatures admitted into an aggregation.\n"
                "# TYPE mpavs_aggregator_signatures_admitted_total counter\n"
                "mpavs_aggregator_signatures_admitted_total %" PRIu64 "\n",
            ld(&d->m_admitted));
    dbuf_printf(&b, "# HELP mpavs_aggregator_signatures_rejected_total Submissions rejected, by reason.\n"
                "# TYPE mpavs_aggregator_signatures_rejected_total counter\n");
    for (int i = 0; i < REJ_COUNT; i++)
        dbuf_printf(&b, "mpavs_aggregator_signatures_rejected_total{reason=\"%s\"} %" PRIu64 "\n", agg_reject_names[i],
                ld(&d->m_rejected[i]));
    dbuf_printf(&b, "# HELP mpavs_aggregator_digest_disagreements_total Operators that signed another digest than a "
                    "task's first.\n# TYPE mpavs_aggregator_digest_disagreements_total counter\n"
                    "mpavs_aggregator_digest_disagreements_total %" PRIu64 "\n",
                ld(&d->m_disagreements));
    uint64_t conf = ld(&d->m_confirmed);
    dbuf_printf(&b,
            "# HELP mpavs_aggregator_confirmations_total States confirmed on chain.\n"
            "# TYPE mpavs_aggregator_confirmations_total counter\n"
            "mpavs_aggregator_confirmations_total %" PRIu64 "\n"
            "# HELP mpavs_aggregator_confirm_failures_total Failed or retried confirmState attempts.\n"
            "# TYPE mpavs_aggregator_confirm_failures_total counter\n"
            "mpavs_aggregator_confirm_failures_total %" PRIu64 "\n"
            "# HELP mpavs_aggregator_confirm_latency_ms Task creation to confirmState receipt, last confirmation.\n"
            "# TYPE mpavs_aggregator_confirm_latency_ms gauge\n"
            "mpavs_aggregator_confirm_latency_ms %" PRIu64 "\n"
            "# HELP mpavs_aggregator_confirm_latency_ms_sum Sum of the confirmation latencies.\n"
            "# TYPE mpavs_aggregator_confirm_latency_ms_sum counter\n"
            "mpavs_aggregator_confirm_latency_ms_sum %" PRIu64 "\n",
            conf, ld(&d->m_confirm_failures), ld(&d->m_last_confirm_latency_ms), ld(&d->m_confirm_latency_sum_ms));
    size_t pending = 0;
    pthread_mutex_lock(&d->mu);
    for (agg_task *t = d->tasks; t; t = t->next) pending += t->status == TASK_OPEN || t->status == TASK_CONFIRMING;
    pthread_mutex_unlock(&d->mu);
    dbuf_printf(&b,
            "# HELP mpavs_aggregator_pending_tasks Tasks neither confirmed, failed nor expired.\n"
            "# TYPE mpavs_aggregator_pending_tasks gauge\nmpavs_aggregator_pending_tasks %zu\n",
            pending);
    pushed_text(&b);
    return b.s;
}

/* daemons/aggregator/metrics.c — see metrics.h. */
#include "aggregator/metrics.h"

#include "common/log.h"
#include "common/metrics.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Operator-pushed metric families (aggregator_submitMetrics), by operator name, as compact JSON text. */
typedef struct {
    char *name;
    char *text;
    size_t len;
} pushed;

static pthread_mutex_t push_mu = PTHREAD_MUTEX_INITIALIZER;
static pushed *pushes;
static size_t npushes, push_total;

bool agg_metrics_push(const char *name, json_t *families, char *why, size_t cap) {
    size_t series = 0, k;
    json_t *f;
    json_array_foreach(families, k, f) series += json_array_size(json_object_get(f, "metric"));
    if (series > AGG_METRICS_MAX_SERIES) {
        snprintf(why, cap, "at most %d samples per push (got %zu)", AGG_METRICS_MAX_SERIES, series);
        return false;
    }
    char *text = json_dumps(families, JSON_COMPACT);
    size_t len = text ? strlen(text) : 0;
    if (!text || len > AGG_METRICS_MAX_BYTES) {
        snprintf(why, cap, text ? "metrics larger than %u bytes" : "out of memory", AGG_METRICS_MAX_BYTES);
        free(text);
        return false;
    }
    pthread_mutex_lock(&push_mu);
    size_t i;
    for (i = 0; i < npushes; i++)
        if (!strcmp(pushes[i].name, name)) break;
    size_t old = i < npushes ? pushes[i].len : 0;
    if (push_total - old + len > AGG_METRICS_MAX_TOTAL) {
        pthread_mutex_unlock(&push_mu);
        snprintf(why, cap, "the pushed metrics would pass %u bytes in all", AGG_METRICS_MAX_TOTAL);
        free(text);
        return false;
    }
    if (i == npushes) {
        pushed *p = npushes < AGG_METRICS_MAX_OPERATORS ? realloc(pushes, (npushes + 1) * sizeof *p) : NULL;
        char *n = p ? strdup(name) : NULL;
        if (!n) {
            if (p) pushes = p;
            pthread_mutex_unlock(&push_mu);
            snprintf(why, cap, "too many operators push metrics (at most %d names)", AGG_METRICS_MAX_OPERATORS);
            free(text);
            return false;
        }
        pushes = p;
        pushes[npushes] = (pushed){n, NULL, 0};
        npushes++;
    }
    free(pushes[i].text);
    pushes[i].text = text;
    pushes[i].len = len;
    push_total = push_total - old + len;
    pthread_mutex_unlock(&push_mu);
    return true;
}

/* Confirmation latency buckets (seconds): creation of a task → receipt of its confirmState. */
static const double CONFIRM_BUCKETS[AGG_CONFIRM_BUCKETS] = {1, 2, 5, 10, 20, 30, 60, 120, 300, 600};

void agg_metrics_confirm_latency(agg_daemon *d, uint64_t ms) {
    size_t b = 0;
    while (b < AGG_CONFIRM_BUCKETS && (double)ms / 1000.0 > CONFIRM_BUCKETS[b]) b++;
    agg_bump(&d->m_confirm_latency_hist[b], 1); /* slot AGG_CONFIRM_BUCKETS: above the last bound */
    agg_bump(&d->m_confirm_latency_sum_ms, ms);
    __atomic_store_n(&d->m_last_confirm_latency_ms, ms, __ATOMIC_RELAXED);
}

static uint64_t ld(const uint64_t *x) { return __atomic_load_n(x, __ATOMIC_RELAXED); }

static dmet_type pushed_type(json_t *f) {
    json_int_t t = json_integer_value(json_object_get(f, "type"));
    return t == 0 ? DMET_COUNTER : t == 1 ? DMET_GAUGE : t == 3 ? DMET_UNTYPED : (dmet_type)-1;
}

static bool pushed_name_ok(const char *name) {
    return dmet_name_ok(name) && (!strncmp(name, "avs", 3) || !strncmp(name, "eigen_", 6));
}

/* The samples of one pushed family f of operator op, each with operator="<op>". */
static void pushed_samples(dmet *w, json_t *f, dmet_type type, const char *op) {
    const char *member = type == DMET_COUNTER ? "counter" : type == DMET_GAUGE ? "gauge" : "untyped";
    size_t m;
    json_t *mt;
    json_array_foreach(json_object_get(f, "metric"), m, mt) {
        json_t *val = json_object_get(json_object_get(mt, "value") ? mt : json_object_get(mt, member), "value");
        if (!json_is_number(val)) continue;
        dmet_label lab[DMET_MAX_LABELS + 1];
        size_t n = 0, l;
        json_t *lb;
        bool too_many = false;
        json_array_foreach(json_object_get(mt, "label"), l, lb) {
            const char *ln = json_string_value(json_object_get(lb, "name"));
            const char *lv = json_string_value(json_object_get(lb, "value"));
            if (!ln || !lv || !strcmp(ln, "operator")) continue;
            if (n == DMET_MAX_LABELS - 1) {
                too_many = true;
                break;
            }
            lab[n++] = (dmet_label){ln, lv};
        }
        if (too_many) {
            w->dropped++;
            continue;
        }
        lab[n++] = (dmet_label){"operator", op};
        dmet_value(w, lab, n, json_number_value(val));
    }
}

/*
 * Re-export the pushed families merged per family: the first push of a name fixes its type and
 * help; families of another type under that name, and names the aggregator uses itself, are
 * dropped (the writer refuses them).
 */
static void pushed_text(dmet *w) {
    json_t *order = json_array(), *byname = json_object(), *trees = json_array();
    pthread_mutex_lock(&push_mu);
    for (size_t i = 0; i < npushes && order && byname && trees; i++) {
        size_t k;
        json_t *f;
        json_error_t je;
        json_t *fams = json_loadb(pushes[i].text, pushes[i].len, 0, &je); /* freed with trees, after the text is written */
        json_array_append_new(trees, fams ? fams : json_array());
        json_array_foreach(fams, k, f) {
            const char *name = json_string_value(json_object_get(f, "name"));
            dmet_type type = pushed_type(f);
            if (!pushed_name_ok(name) || type == (dmet_type)-1) continue;
            json_t *e = json_object_get(byname, name);
            if (!e) {
                const char *help = json_string_value(json_object_get(f, "help"));
                e = json_pack("{s:i,s:s,s:[]}", "type", (int)type, "help",
                              help && *help ? help : "Pushed by operators (aggregator_submitMetrics).", "members");
                if (!e) continue;
                json_object_set_new(byname, name, e);
                json_array_append_new(order, json_string(name));
            }
            if (json_integer_value(json_object_get(e, "type")) != (json_int_t)type) {
                w->dropped++;
                continue;
            }
            json_array_append_new(json_object_get(e, "members"), json_pack("[I,O]", (json_int_t)i, f));
        }
    }
    size_t k;
    json_t *nm;
    json_array_foreach(order, k, nm) {
        const char *name = json_string_value(nm);
        json_t *e = json_object_get(byname, name);
        dmet_type type = (dmet_type)json_integer_value(json_object_get(e, "type"));
        if (!dmet_family(w, name, type, json_string_value(json_object_get(e, "help")))) continue;
        size_t m;
        json_t *mem;
        json_array_foreach(json_object_get(e, "members"), m, mem) {
            size_t i = (size_t)json_integer_value(json_array_get(mem, 0));
            pushed_samples(w, json_array_get(mem, 1), type, pushes[i].name);
        }
    }
    pthread_mutex_unlock(&push_mu);
    json_decref(order);
    json_decref(byname);
    bool any = json_array_size(trees) > 0;
    json_decref(trees);
    if (any) malloc_trim(0); /* the parsed pushes' heap back to the system */
}

char *agg_metrics_text(void *user, const char **content_type) {
    agg_daemon *d = user;
    *content_type = "text/plain; version=0.0.4; charset=utf-8";
    dmet w;
    dmet_init(&w);
    static const char *const TYPES[AGG_MAX_TYPES] = {"unknown", "scroll", "linea", "chain"};
    dmet_family(&w, "avs_aggregator_new_task_counter", DMET_COUNTER, "Tasks created, by type.");
    for (int t = 1; t < AGG_MAX_TYPES; t++) dmet_u64(&w, (dmet_label[]){{"type", TYPES[t]}}, 1, ld(&d->m_tasks_created[t]));
    dmet_family(&w, "avs_aggregator_fetch_task_counter", DMET_COUNTER, "aggregator_fetchTask calls, by type.");
    for (int t = 1; t < AGG_MAX_TYPES; t++)
        for (int wc = 0; wc < 2; wc++)
            dmet_u64(&w, (dmet_label[]){{"type", TYPES[t]}, {"with_context", wc ? "true" : "false"}}, 2,
                     ld(&d->m_fetch[t][wc]));
    dmet_family(&w, "mpavs_aggregator_signatures_admitted_total", DMET_COUNTER,
                "Signatures admitted into an aggregation.");
    dmet_u64(&w, NULL, 0, ld(&d->m_admitted));
    dmet_family(&w, "mpavs_aggregator_signatures_rejected_total", DMET_COUNTER, "Submissions rejected, by reason.");
    for (int i = 0; i < REJ_COUNT; i++)
        dmet_u64(&w, (dmet_label[]){{"reason", agg_reject_names[i]}}, 1, ld(&d->m_rejected[i]));
    dmet_family(&w, "mpavs_aggregator_digest_disagreements_total", DMET_COUNTER,
                "Operators that signed another digest than a task's first.");
    dmet_u64(&w, NULL, 0, ld(&d->m_disagreements));
    dmet_family(&w, "mpavs_aggregator_confirmations_total", DMET_COUNTER, "States confirmed on chain.");
    dmet_u64(&w, NULL, 0, ld(&d->m_confirmed));
    dmet_family(&w, "mpavs_aggregator_confirm_failures_total", DMET_COUNTER, "Failed or retried confirmState attempts.");
    dmet_u64(&w, NULL, 0, ld(&d->m_confirm_failures));
    dmet_family(&w, "mpavs_aggregator_last_confirm_latency_seconds", DMET_GAUGE,
                "Task creation to confirmState receipt, of the last confirmation.");
    dmet_value(&w, NULL, 0, (double)ld(&d->m_last_confirm_latency_ms) / 1000.0);
    uint64_t cum[AGG_CONFIRM_BUCKETS], total = 0;
    for (size_t b = 0; b < AGG_CONFIRM_BUCKETS; b++) cum[b] = total += ld(&d->m_confirm_latency_hist[b]);
    total += ld(&d->m_confirm_latency_hist[AGG_CONFIRM_BUCKETS]);
    dmet_family(&w, "mpavs_aggregator_confirm_latency_seconds", DMET_HISTOGRAM,
                "Task creation to confirmState receipt, of every confirmation.");
    dmet_histogram(&w, NULL, 0, CONFIRM_BUCKETS, cum, AGG_CONFIRM_BUCKETS, total,
                   (double)ld(&d->m_confirm_latency_sum_ms) / 1000.0);
    size_t pending = 0;
    pthread_mutex_lock(&d->mu);
    for (agg_task *t = d->tasks; t; t = t->next) pending += t->status == TASK_OPEN || t->status == TASK_CONFIRMING;
    pthread_mutex_unlock(&d->mu);
    dmet_family(&w, "mpavs_aggregator_pending_tasks", DMET_GAUGE, "Tasks neither confirmed, failed nor expired.");
    dmet_u64(&w, NULL, 0, pending);
    pushed_text(&w);
    if (w.dropped) dlog(DLOG_DEBUG, "metrics_dropped", "series=%zu", w.dropped);
    return dmet_finish(&w);
}

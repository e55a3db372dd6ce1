/* daemons/common/ratelog.c — see ratelog.h. */
#include "ratelog.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now(const dratelog *r) { return r->now_ms ? r->now_ms() : mono_ms(); }

bool dratelog_init(dratelog *r, const char *const *names, size_t nkeys, int64_t interval_ms, uint32_t burst,
                   dlog_level level, const char *summary_event) {
    memset(r, 0, sizeof *r);
    r->keys = calloc(nkeys ? nkeys : 1, sizeof *r->keys);
    if (!r->keys) return false;
    pthread_mutex_init(&r->mu, NULL);
    r->names = names;
    r->nkeys = nkeys;
    r->interval_ms = interval_ms > 0 ? interval_ms : 1;
    r->burst = burst;
    r->level = level;
    r->summary_event = summary_event;
    return true;
}

void dratelog_clear(dratelog *r) {
    if (!r->keys) return;
    dratelog_flush(r, true);
    pthread_mutex_destroy(&r->mu);
    free(r->keys);
    r->keys = NULL;
}

/* Under r->mu: the summary of key k, and its counters reset. */
static void summarize(dratelog *r, size_t k) {
    dratelog_key *e = &r->keys[k];
    if (e->suppressed) {
        char q[200];
        dlog(r->level, r->summary_event, "reason=%s suppressed=%" PRIu64 " interval_s=%" PRId64 " last=%s",
             r->names[k], e->suppressed, r->interval_ms / 1000, dlog_quote(q, sizeof q, e->last));
    }
    e->suppressed = 0;
    e->in_window = 0;
    e->last[0] = 0;
}

static void flush_locked(dratelog *r, int64_t t, bool force) {
    for (size_t k = 0; k < r->nkeys; k++)
        if (force || t - r->keys[k].window_start_ms >= r->interval_ms) {
            if (r->keys[k].in_window) summarize(r, k);
            if (!force) r->keys[k].window_start_ms = t;
        }
}

bool dratelog_admit(dratelog *r, size_t key, const char *message) {
    if (!r->keys || key >= r->nkeys) return true;
    pthread_mutex_lock(&r->mu);
    int64_t t = now(r);
    flush_locked(r, t, false);
    dratelog_key *e = &r->keys[key];
    bool log_it = e->in_window < r->burst;
    e->in_window++;
    if (!log_it) {
        e->suppressed++;
        snprintf(e->last, sizeof e->last, "%s", message ? message : "");
    }
    pthread_mutex_unlock(&r->mu);
    return log_it;
}

void dratelog_flush(dratelog *r, bool force) {
    if (!r->keys) return;
    pthread_mutex_lock(&r->mu);
    flush_locked(r, now(r), force);
    pthread_mutex_unlock(&r->mu);
}

/* daemons/aggregator/core.c — the core's locks, threads (verifier stage, state loader) and monotonic waits. */
#include "aggregator/daemon.h"
#include "aggregator/pushstore.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

struct timespec agg_deadline(long ms) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

uint64_t agg_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void agg_core_init(agg_daemon *d) {
    drt_stop_init(&d->stop); /* fd -1 when no eventfd: sleeps then wait their full time */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    d->confirmer_state = -1; /* not read yet */
    d->live_recheck_ms = AGG_LIVE_RECHECK_MS;
    pthread_mutex_init(&d->mu, NULL);
    pthread_mutex_init(&d->keys_mu, NULL);
    pthread_mutex_init(&d->live_mu, NULL);
    pthread_cond_init(&d->task_cv, &ca);
    pthread_cond_init(&d->confirm_cv, &ca);
    pthread_condattr_destroy(&ca);
    /* out of memory leaves it empty: every rejection is then logged */
    (void)dratelog_init(&d->rejlog, agg_reject_names, REJ_COUNT, 10000, 10, DLOG_INFO, "rejected_summary");
    (void)dratelog_init(&d->pushlog, agg_push_refused_names, PUSH_REFUSED_COUNT, 10000, 10, DLOG_INFO,
                        "metrics_push_refused_summary");
    d->pushes = agg_pushstore_create(); /* NULL without memory: pushes are then refused */
}

bool agg_core_start(agg_daemon *d, size_t verifier_workers, bool loader, char *err, size_t cap) {
    agg_verifier_options vo = {.workers = verifier_workers, .commit = agg_admit_commit, .user = d};
    d->verifier = agg_verifier_create(&vo);
    if (!d->verifier) {
        snprintf(err, cap, "cannot start the verifier stage");
        return false;
    }
    if (loader) {
        if (pthread_create(&d->loader, NULL, agg_loader_thread, d) != 0) {
            snprintf(err, cap, "cannot start the state loader");
            agg_verifier_destroy(d->verifier);
            d->verifier = NULL;
            return false;
        }
        d->loader_running = true;
    }
    return true;
}

void agg_core_stop(agg_daemon *d) {
    drt_stop_request(&d->stop);
    pthread_mutex_lock(&d->mu);
    pthread_cond_broadcast(&d->task_cv);
    pthread_cond_broadcast(&d->confirm_cv);
    pthread_mutex_unlock(&d->mu);
    if (d->loader_running) pthread_join(d->loader, NULL);
    d->loader_running = false;
    agg_verifier_destroy(d->verifier);
    d->verifier = NULL;
}

void agg_core_destroy(agg_daemon *d) {
    dratelog_clear(&d->rejlog);
    dratelog_clear(&d->pushlog);
    agg_pushstore_destroy(d->pushes);
    d->pushes = NULL;
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->keys_mu);
    pthread_mutex_destroy(&d->live_mu);
    pthread_cond_destroy(&d->task_cv);
    pthread_cond_destroy(&d->confirm_cv);
    drt_stop_destroy(&d->stop);
}

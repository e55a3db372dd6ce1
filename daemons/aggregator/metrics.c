/*
 * daemons/aggregator/metrics.c — the aggregator's Prometheus text (docs/aggregator.md §4): its
 * own families, written with daemons/common/metrics.h, and the families operators push with
 * aggregator_submitMetrics (push.c authenticates them, pushstore.h keeps them), re-exported
 * merged per family (one # HELP/# TYPE each, the samples of every operator together, each with
 * operator="<name>").
 */
#include "aggregator/daemon.h"
#include "aggregator/pushstore.h"

#include "common/log.h"
#include "common/metrics.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

char *agg_metrics_text(void *user, const char **content_type) {
    agg_daemon *d = user;
    *content_type = "text/plain; version=0.0.4; charset=utf-8";
    dmet w;
    dmet_init(&w);
    dmet_family(&w, "avs_aggregator_new_task_counter", DMET_COUNTER, "Tasks created, by type.");
    for (size_t i = 0; i < mpavs_taskkind_count(); i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        dmet_u64(&w, (dmet_label[]){{"type", k->label}}, 1, ld(&d->m_tasks_created[k->id]));
    }
    dmet_family(&w, "avs_aggregator_fetch_task_counter", DMET_COUNTER, "aggregator_fetchTask calls, by type.");
    for (size_t i = 0; i < mpavs_taskkind_count(); i++)
        for (int wc = 0; wc < 2; wc++) {
            const mpavs_taskkind *k = mpavs_taskkind_at(i);
            dmet_u64(&w, (dmet_label[]){{"type", k->label}, {"with_context", wc ? "true" : "false"}}, 2,
                     ld(&d->m_fetch[k->id][wc]));
        }
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
    dmet_family(&w, "mpavs_aggregator_state_confirmer", DMET_GAUGE,
                "1 when this aggregator's key is the contract's stateConfirmer, 0 when not (nothing is sent), -1 not read yet.");
    dmet_value(&w, NULL, 0, (double)__atomic_load_n(&d->confirmer_state, __ATOMIC_ACQUIRE));
    dmet_family(&w, "mpavs_aggregator_confirm_failures_total", DMET_COUNTER, "Failed or retried confirmState attempts.");
    dmet_u64(&w, NULL, 0, ld(&d->m_confirm_failures));
    dmet_family(&w, "mpavs_aggregator_non_canonical_total", DMET_COUNTER,
                "Type-3 states not confirmed: the proven chain's block is no longer the one signed (a reorg).");
    dmet_u64(&w, NULL, 0, ld(&d->m_non_canonical));
    dmet_family(&w, "mpavs_aggregator_non_canonical_signatures_total", DMET_COUNTER,
                "Type-3 signatures admitted for a block that is not the proven chain's canonical one.");
    dmet_u64(&w, NULL, 0, ld(&d->m_non_canonical_sigs));
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
    uint64_t batches = 0, checked = 0, commits = 0, commit_ns = 0;
    if (d->verifier) {
        agg_verifier_stats(d->verifier, &batches, &checked);
        agg_verifier_commit_stats(d->verifier, &commits, &commit_ns);
    }
    dmet_family(&w, "mpavs_aggregator_bls_batches_total", DMET_COUNTER,
                "BLS batch checks of the verifier stage (one per digest per round).");
    dmet_u64(&w, NULL, 0, batches);
    dmet_family(&w, "mpavs_aggregator_bls_signatures_checked_total", DMET_COUNTER,
                "Signatures checked by the verifier stage (divided by the batches: the mean batch).");
    dmet_u64(&w, NULL, 0, checked);
    dmet_family(&w, "mpavs_aggregator_signature_commits_total", DMET_COUNTER,
                "Commit rounds of admitted signatures (one SQLite transaction and fsync each).");
    dmet_u64(&w, NULL, 0, commits);
    dmet_family(&w, "mpavs_aggregator_signature_commit_seconds_total", DMET_COUNTER,
                "Wall time of those commit rounds.");
    dmet_value(&w, NULL, 0, (double)commit_ns / 1e9);
    dmet_family(&w, "mpavs_aggregator_metrics_pushes_total", DMET_COUNTER,
                "aggregator_submitMetrics pushes accepted (signed by a registered operator).");
    dmet_u64(&w, NULL, 0, ld(&d->m_push_accepted));
    dmet_family(&w, "mpavs_aggregator_metrics_push_refused_total", DMET_COUNTER,
                "aggregator_submitMetrics pushes refused, by reason.");
    for (int i = 0; i < PUSH_REFUSED_COUNT; i++)
        dmet_u64(&w, (dmet_label[]){{"reason", agg_push_refused_names[i]}}, 1, ld(&d->m_push_refused[i]));
    size_t pnames = 0, pbytes = 0;
    if (d->pushes) agg_pushstore_usage(d->pushes, &pnames, &pbytes);
    dmet_family(&w, "mpavs_aggregator_metrics_push_operators", DMET_GAUGE, "Operators whose pushed metrics are kept.");
    dmet_u64(&w, NULL, 0, pnames);
    dmet_family(&w, "mpavs_aggregator_metrics_push_bytes", DMET_GAUGE, "Bytes of pushed metrics kept (compact JSON).");
    dmet_u64(&w, NULL, 0, pbytes);
    if (d->pushes) agg_pushstore_export(d->pushes, &w);
    if (w.dropped) dlog(DLOG_DEBUG, "metrics_dropped", "series=%zu", w.dropped);
    return dmet_finish(&w);
}

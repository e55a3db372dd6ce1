/*
 * daemons/aggregator/source.c — task sources: one thread per entry of cfg.sources, run by the
 * entry's kind's source (mpavs/taskkind.h: kind->source, kind->sampling, kind->event).
 *
 * MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK (type 3, chain state): a task for block N of the configured chain whenever the chain's newest
 * final block (finality.h: the node's `finalized` block, else head − Confirmations) reaches a
 * multiple N of Interval newer than the last task (slow starts skip to the newest N, as the
 * reference's "latest task only" distribution does).
 * L1 event sources (type 1 Scroll CommitBatch, type 2 Linea DataFinalized): the library's log follower
 * (mpavs/tasksrc.h) with the scan position persisted, so tasks emitted while the aggregator was
 * down are still created (the reference lost them).
 * The reference block of every task is the AVS chain's final block at creation
 * (ReferenceFinality / ReferenceConfirmations, always below the head).
 */
#include "aggregator/daemon.h"
#include "aggregator/finality.h"

#include "common/log.h"
#include "common/signals.h"
#include "mpavs/avs.h"
#include "mpavs/hex.h"
#include "mpavs/tasksrc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void nap(agg_daemon *d, long ms) { drt_stop_sleep(&d->stop, ms); }

/* The AVS chain's final block (below its head): ReferenceFinality, ReferenceConfirmations. */
static bool reference_block(agg_daemon *d, uint64_t *out) {
    *out = 0;
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) return false;
    agg_finality_read_result fr;
    mpavs_error e = {0};
    bool ok = agg_finality_read(rpc, &fr, &e, d->cfg.ref_finality, d->ref_depth, 1) == MPAVS_RPC_OK;
    if (!ok) dlog(DLOG_WARN, "avs_head_failed", "error=%s", DLOG_Q(e.message));
    else if (!fr.ready)
        dlog(DLOG_DEBUG, "reference_not_ready", "head=%" PRIu64 " depth=%" PRIu64, fr.head, d->ref_depth);
    mpavs_error_clear(&e);
    agg_pool_put(&d->avs, rpc);
    *out = fr.final_block;
    return ok && fr.ready;
}

static void *chain_source(agg_daemon *d, const agg_chain_source *src) {
    mpavs_rpc_options o = {.timeout_ms = 5000, .max_retries = 1};
    mpavs_rpc *rpc = mpavs_rpc_create(src->rpc_url, &o);
    if (!rpc) {
        dlog(DLOG_ERROR, "chain_source_failed", "url=%s error=\"unusable URL\"", src->rpc_url);
        return NULL;
    }
    char key[64];
    snprintf(key, sizeof key, "chain_task_last_%" PRIu64, src->chain_id);
    uint64_t last = agg_store_meta_get(d->store, key, 0);
    bool checked = false;
    long backoff = 500;
    int how = -1; /* 1: the node's finalized block, 0: head − Confirmations (logged when it changes) */
    dlog(src->finality == AGG_FINALITY_DEPTH && !src->confirmations ? DLOG_WARN : DLOG_INFO, "chain_source_finality",
         "chain_id=%" PRIu64 " mode=%s confirmations=%" PRIu64 "%s", src->chain_id, agg_finality_name(src->finality),
         src->confirmations, src->confirmations ? "" : " what=\"0 is a devnet setting: a reorg can orphan a task's block\"");
    while (!drt_stopped(&d->stop)) {
        mpavs_error e = {0};
        uint64_t head = 0, cid = 0;
        if (!checked) {
            if (mpavs_rpc_chain_id(rpc, &cid, &e) == MPAVS_RPC_OK) {
                if (cid != src->chain_id) {
                    dlog(DLOG_ERROR, "chain_source_wrong_chain", "url=%s expected=%" PRIu64 " got=%" PRIu64,
                         src->rpc_url, src->chain_id, cid);
                    mpavs_error_clear(&e);
                    nap(d, 10000);
                    continue;
                }
                checked = true;
            }
        }
        agg_finality_read_result fr = {0};
        if (!checked || agg_finality_read(rpc, &fr, &e, src->finality, src->confirmations, 0) != MPAVS_RPC_OK) {
            dlog(DLOG_WARN, "chain_source_rpc", "url=%s error=%s", src->rpc_url, DLOG_Q(e.message));
            mpavs_error_clear(&e);
            nap(d, backoff);
            backoff = backoff < 8000 ? backoff * 2 : 8000;
            continue;
        }
        backoff = 500;
        head = fr.head;
        if (fr.ready && (int)fr.used_finalized != how) {
            how = fr.used_finalized;
            dlog(DLOG_INFO, "chain_source_final_block", "chain_id=%" PRIu64 " rule=%s head=%" PRIu64 " final=%" PRIu64,
                 src->chain_id, how ? "finalized" : "depth", head, fr.final_block);
        }
        if (fr.ready) {
            uint64_t target = fr.final_block;
            uint64_t n = target - target % src->interval;
            uint64_t ref = 0;
            if (n > last && n > 0 && reference_block(d, &ref)) {
                uint8_t meta[32];
                mpavs_avs_chain_task_metadata(meta, src->chain_id, n);
                char ext[256];
                snprintf(ext, sizeof ext,
                         "{\"chain_id\":%" PRIu64 ",\"block_number\":%" PRIu64 ",\"start_block\":\"0x%" PRIx64
                         "\",\"end_block\":\"0x%" PRIx64 "\",\"reference_block_number\":%" PRIu64 "}",
                         src->chain_id, n, n, n, ref);
                if (agg_task_create(d, (int)src->kind->id, n, ref, ext, meta, 32)) {
                    last = n;
                    agg_store_meta_set(d->store, key, last);
                }
            }
        }
        nap(d, 200);
    }
    mpavs_rpc_destroy(rpc);
    return NULL;
}

static void *l1_source(agg_daemon *d, const agg_l1_source *src) {
    mpavs_rpc_options o = {.timeout_ms = 10000, .max_retries = 1};
    mpavs_rpc *rpc = mpavs_rpc_create(src->endpoint, &o);
    if (!rpc) {
        dlog(DLOG_ERROR, "l1_source_failed", "type=%d url=%s error=\"unusable URL\"", src->identifier, src->endpoint);
        return NULL;
    }
    mpavs_tasksrc_follower_options fo;
    mpavs_tasksrc_follower_options_init(&fo);
    /*
     * Only the type's own event can make a task (the builders check topic0), so the filter is
     * always that event's topic. Configured Topics[0] alternatives are OR'd by the reference;
     * using just the first one silently followed nothing when the event's topic was listed
     * second, so instead: follow the event, and say so when the configuration does not list it.
     */
    uint8_t topic[32];
    const mpavs_taskkind *k = src->kind;
    bool scroll = k->source == MPAVS_TASKKIND_SOURCE_SCROLL_COMMIT; /* else LINEA_FINALIZED (config.c) */
    if (scroll) mpavs_tasksrc_scroll_commit_topic(topic);
    else mpavs_tasksrc_linea_finalized_topic(topic);
    bool listed = src->ntopics == 0;
    for (size_t i = 0; i < src->ntopics; i++)
        if (!memcmp(src->topics[i], topic, 32)) listed = true;
    if (!listed) {
        char th[67];
        if (mpavs_hex_encode(th, sizeof th, topic, 32, true)) th[0] = 0;
        dlog(DLOG_WARN, "l1_source_topics", "type=%d following=%s error=\"Topics[0] does not list the %s topic; no "
             "other event can make a task\"", src->identifier, th, k->event);
    }
    uint8_t addrs[AGG_MAX_FILTER][20];
    for (size_t i = 0; i < src->naddresses; i++) memcpy(addrs[i], src->addresses[i].bytes, 20);
    fo.addresses = (const uint8_t(*)[20])addrs;
    fo.naddresses = src->naddresses;
    fo.topics[0] = topic;
    fo.ntopics = 1;
    char key[64];
    snprintf(key, sizeof key, "l1_next_%d", src->identifier);
    mpavs_tasksrc_follower *f = NULL;
    if (mpavs_tasksrc_follower_create(&f, rpc, &fo)) {
        dlog(DLOG_ERROR, "l1_source_failed", "type=%d error=\"out of memory\"", src->identifier);
        mpavs_rpc_destroy(rpc);
        return NULL;
    }
    uint64_t next = agg_store_meta_get(d->store, key, 0);
    if (!next) {
        uint64_t head = 0;
        for (;;) {
            mpavs_error e = {0};
            bool ok = mpavs_rpc_block_number(rpc, &head, &e) == MPAVS_RPC_OK;
            if (!ok) dlog(DLOG_WARN, "l1_source_rpc", "type=%d url=%s error=%s", src->identifier, src->endpoint,
                          DLOG_Q(e.message));
            mpavs_error_clear(&e);
            if (ok || drt_stopped(&d->stop)) break;
            nap(d, 4000);
        }
        next = src->preset_start_block && src->preset_start_block + 5 <= head ? src->preset_start_block
                                                                              : (head > 5 ? head - 5 : 0);
    }
    mpavs_tasksrc_follower_set_next(f, next);
    mpavs_rpc_log cached;
    memset(&cached, 0, sizeof cached);
    bool have_cached = false;
    while (!drt_stopped(&d->stop)) {
        mpavs_rpc_log *logs = NULL;
        size_t n = 0;
        mpavs_error e = {0};
        uint64_t before = mpavs_tasksrc_follower_next(f);
        if (mpavs_tasksrc_follower_poll(f, &logs, &n, &e) != MPAVS_TASKSRC_OK) {
            dlog(DLOG_WARN, "l1_source_poll", "type=%d error=%s", src->identifier, DLOG_Q(e.message));
            mpavs_error_clear(&e);
            nap(d, 4000);
            continue;
        }
        for (size_t i = 0; i < n && !drt_stopped(&d->stop); i++) {
            mpavs_tasksrc_task task;
            memset(&task, 0, sizeof task);
            uint64_t idx = 0;
            int r = MPAVS_TASKSRC_OK;
            /* a batch GenTaskSampling skips needs no reference block (nor an AVS chain that answers) */
            if (scroll) {
                r = mpavs_tasksrc_scroll_batch_index(&idx, &e, &logs[i]);
                if (!r && k->sampling == MPAVS_TASKKIND_SAMPLING_BATCH &&
                    !mpavs_tasksrc_scroll_gen_sampling_ok(idx, d->cfg.gen_sampling))
                    continue;
            }
            uint64_t ref = 0;
            if (!r && !reference_block(d, &ref)) {
                mpavs_tasksrc_follower_set_next(f, logs[i].block_number); /* retry from this log */
                nap(d, 1000); /* the AVS chain does not answer, or has no final block yet */
                break;
            }
            if (scroll) {
                if (!r) r = mpavs_tasksrc_scroll_task(rpc, &task, &e, &logs[i], ref);
            } else {
                /* bound the look-back: the preset start, or 10,000 blocks before this log */
                uint64_t lb = logs[i].block_number > 10000 ? logs[i].block_number - 10000 : 0;
                if (src->preset_start_block > lb) lb = src->preset_start_block;
                r = mpavs_tasksrc_linea_task_from_log(rpc, &task, &e, have_cached ? &cached : NULL, &logs[i], lb,
                                                      d->cfg.linea_max_block, ref);
                if (r != MPAVS_TASKSRC_ERR_RPC) {
                    mpavs_tasksrc_log_clear(&cached);
                    have_cached = mpavs_tasksrc_log_copy(&cached, &logs[i]) == MPAVS_TASKSRC_OK;
                }
            }
            if (r == MPAVS_TASKSRC_ERR_RPC) { /* transient: retry from this log (tasks are deduplicated by id) */
                dlog(DLOG_WARN, "l1_task_retry", "type=%d block=%" PRIu64 " error=%s", src->identifier,
                     logs[i].block_number, DLOG_Q(e.message));
                mpavs_error_clear(&e);
                mpavs_tasksrc_follower_set_next(f, logs[i].block_number);
                nap(d, 4000);
                break;
            }
            if (r) {
                dlog(DLOG_WARN, "l1_task_skipped", "type=%d block=%" PRIu64 " error=%s", src->identifier,
                     logs[i].block_number, DLOG_Q(e.message));
                mpavs_error_clear(&e);
                continue;
            }
            agg_task_create(d, (int)k->id, task.task_id, ref, task.ext_json, NULL, 0);
            mpavs_tasksrc_task_clear(&task);
        }
        mpavs_rpc_logs_free(logs, n);
        uint64_t after = mpavs_tasksrc_follower_next(f);
        if (after != before) agg_store_meta_set(d->store, key, after);
        else nap(d, (long)src->scan_interval_s * 1000);
    }
    mpavs_tasksrc_log_clear(&cached);
    mpavs_tasksrc_follower_destroy(f);
    mpavs_rpc_destroy(rpc);
    return NULL;
}

void *agg_chain_source_thread(void *arg) {
    agg_source_arg *a = arg;
    const agg_source *s = &a->d->cfg.sources[a->index];
    switch (s->kind->source) {
    case MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK: return chain_source(a->d, &a->d->cfg.chains[s->index]);
    case MPAVS_TASKKIND_SOURCE_SCROLL_COMMIT:
    case MPAVS_TASKKIND_SOURCE_LINEA_FINALIZED: return l1_source(a->d, &a->d->cfg.l1[s->index]);
    }
    return NULL;
}

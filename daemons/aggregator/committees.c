/*
 * daemons/aggregator/committees.c — the committee watch (committees.h): committees added, changed
 * or removed on chain are picked up without a restart.
 */
#include "aggregator/committees.h"
#include "common/log.h"

#include "mpavs/abi.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* "0x0001" of n quorum numbers. */
static void quorums_hex(char *out, size_t cap, const uint8_t *q, size_t n) {
    size_t o = (size_t)snprintf(out, cap, "0x");
    for (size_t i = 0; i < n && o + 3 <= cap; i++) o += (size_t)snprintf(out + o, cap - o, "%02x", q[i]);
}

/* The committee ids named by CommitteeUpdated/CommitteeRemoved logs of from..to. Sets dirty[type]. */
static bool scan(agg_daemon *d, mpavs_rpc *rpc, uint64_t from, uint64_t to, bool *dirty) {
    static const char *const EVENTS[] = {"CommitteeUpdated(uint256,string,bytes,bytes)", "CommitteeRemoved(uint256)"};
    for (size_t k = 0; k < 2; k++) {
        uint8_t topic[32];
        if (mpavs_abi_event_topic(topic, EVENTS[k])) return false;
        char f[24], t[24];
        mpavs_rpc_filter flt = {.from_block = mpavs_rpc_tag_number(f, from), .to_block = mpavs_rpc_tag_number(t, to),
                                .addresses = (const uint8_t(*)[20])d->cfg.service_manager.bytes, .naddresses = 1,
                                .topics = {topic}, .ntopics = 1};
        mpavs_rpc_log *logs = NULL;
        size_t n = 0;
        mpavs_error e = {0};
        if (mpavs_rpc_get_logs(rpc, &logs, &n, &e, &flt)) {
            dlog(DLOG_WARN, "committee_scan_failed", "from=%" PRIu64 " to=%" PRIu64 " error=%s", from, to, DLOG_Q(e.message));
            mpavs_error_clear(&e);
            return false;
        }
        for (size_t i = 0; i < n; i++) {
            if (logs[i].removed || logs[i].ntopics < 2) continue;
            const uint8_t *id = logs[i].topics[1];
            bool small = true;
            for (int b = 0; b < 31; b++) small = small && id[b] == 0;
            if (small && id[31] >= 1 && id[31] < AGG_MAX_TYPES) dirty[id[31]] = true;
            else
                dlog(DLOG_WARN, "committee_unsupported",
                     "block=%" PRIu64 " what=\"a committee whose id is not a task type 1..%d: ignored\"",
                     logs[i].block_number, AGG_MAX_TYPES - 1);
        }
        mpavs_rpc_logs_free(logs, n);
    }
    return true;
}

void agg_committees_tick(agg_daemon *d, agg_committee_watch *w) {
    if (!w->started) { /* what agg_chain_init read is the baseline */
        pthread_mutex_lock(&d->mu);
        memcpy(w->quorums, d->committee_quorums, sizeof w->quorums);
        memcpy(w->nquorums, d->ncommittee_quorums, sizeof w->nquorums);
        pthread_mutex_unlock(&d->mu);
    }
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) return;
    uint64_t head = 0;
    mpavs_error e = {0};
    bool dirty[AGG_MAX_TYPES] = {false};
    if (mpavs_rpc_block_number(rpc, &head, &e)) {
        mpavs_error_clear(&e);
        agg_pool_put(&d->avs, rpc);
        return;
    }
    if (!w->started) {
        w->started = true;
        w->next_block = head + 1;
        w->next_full_ms = agg_mono_ms() + AGG_COMMITTEES_RECHECK_MS;
    } else if (head >= w->next_block) {
        if (scan(d, rpc, w->next_block, head, dirty)) w->next_block = head + 1;
    }
    agg_pool_put(&d->avs, rpc);
    bool full = agg_mono_ms() >= w->next_full_ms;
    if (full) w->next_full_ms = agg_mono_ms() + AGG_COMMITTEES_RECHECK_MS;
    const agg_chain_ops *ch = d->chain ? d->chain : &agg_chain_rpc;
    for (int type = 1; type < AGG_MAX_TYPES; type++) {
        if (!full && !dirty[type]) continue;
        uint8_t q[MPAVS_AGG_MAX_QUORUMS];
        size_t n = 0;
        char err[256];
        if (!ch->committee_quorums(d, type, q, &n, err, sizeof err)) {
            dlog(DLOG_WARN, "committee_refresh", "type=%d error=%s", type, DLOG_Q(err));
            continue;
        }
        n = n < MPAVS_AGG_MAX_QUORUMS ? n : MPAVS_AGG_MAX_QUORUMS;
        pthread_mutex_lock(&d->mu); /* the cache agg_committee_quorums serves (a test's chain ops may not set it) */
        memcpy(d->committee_quorums[type], q, n);
        d->ncommittee_quorums[type] = n;
        d->committee_checked_ms[type] = agg_now_ms();
        pthread_mutex_unlock(&d->mu);
        size_t was = w->nquorums[type];
        if (was == n && !memcmp(w->quorums[type], q, n)) continue;
        char now_hex[2 * MPAVS_AGG_MAX_QUORUMS + 3], was_hex[2 * MPAVS_AGG_MAX_QUORUMS + 3];
        quorums_hex(now_hex, sizeof now_hex, q, n);
        quorums_hex(was_hex, sizeof was_hex, w->quorums[type], was);
        if (!was) dlog(DLOG_INFO, "committee_added", "type=%d quorums=%s", type, now_hex);
        else if (!n) dlog(DLOG_INFO, "committee_removed", "type=%d quorums_were=%s", type, was_hex);
        else dlog(DLOG_INFO, "committee_updated", "type=%d quorums=%s quorums_were=%s", type, now_hex, was_hex);
        memcpy(w->quorums[type], q, n);
        w->nquorums[type] = n;
    }
}

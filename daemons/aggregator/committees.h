/*
 * daemons/aggregator/committees.h — committees added, changed or removed on chain while the
 * aggregator runs: the main loop's watch (committees.c) re-reads committees(type) of every task
 * type every 60 s and at once when the service manager emits CommitteeUpdated or CommitteeRemoved,
 * updates the core's cache (agg_committee_quorums) and logs one line per change.
 */
#ifndef MPAVS_AGG_COMMITTEES_H
#define MPAVS_AGG_COMMITTEES_H

#include "aggregator/daemon.h"

#include <stdbool.h>
#include <stdint.h>

/** Full re-read interval of the watch. */
#define AGG_COMMITTEES_RECHECK_MS 60000

/** What the watch last saw (owned by the caller, zero-initialised before the first tick). */
typedef struct {
    bool started;
    uint64_t next_block;   /* first block of the next event scan */
    uint64_t next_full_ms; /* monotonic: when every committee is read again */
    uint8_t quorums[AGG_MAX_TYPES][MPAVS_AGG_MAX_QUORUMS];
    size_t nquorums[AGG_MAX_TYPES];
} agg_committee_watch;

/**
 * One tick (the main loop calls it every few seconds): scan the service manager's committee events
 * since the last tick, re-read the committees they name (all of them every
 * AGG_COMMITTEES_RECHECK_MS) and log committee_added / committee_updated / committee_removed for
 * what differs from the last tick; a committee id that is not a task type is logged once
 * (committee_unsupported). The first tick only records what agg_chain_init read.
 */
void agg_committees_tick(agg_daemon *d, agg_committee_watch *w);

#endif

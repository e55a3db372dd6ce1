/*
 * daemons/common/ratelog.h — rate-limited logging for events a hostile client can trigger at will
 * (rejected submissions, refused requests): a flood must cost a bounded number of log lines.
 *
 * Events are grouped by a small integer key (a rejection reason). In each window of interval_ms
 * the first `burst` events of a key are logged by the caller as usual; the rest are only counted.
 * When a window with suppressed events has ended, one summary line per key is written:
 *   event=<summary_event> reason=<key name> suppressed=<n> interval_s=<s> last=<last message>
 * at the next event of any key, or at dratelog_flush (the daemon's housekeeping and shutdown).
 * Thread-safe (one mutex); the clock is CLOCK_MONOTONIC unless a test injects one.
 */
#ifndef MPAVS_DAEMON_RATELOG_H
#define MPAVS_DAEMON_RATELOG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

typedef struct {
    int64_t window_start_ms; /* start of the current window of this key */
    uint32_t in_window;      /* events of this key in that window */
    uint64_t suppressed;     /* of them, beyond the burst (not logged) */
    char last[160];          /* the last suppressed message (for the summary) */
} dratelog_key;

typedef struct {
    pthread_mutex_t mu;
    dratelog_key *keys;
    const char *const *names; /* key names (nkeys entries), borrowed */
    size_t nkeys;
    int64_t interval_ms;
    uint32_t burst;
    dlog_level level;           /* level of the summary lines */
    const char *summary_event;  /* e.g. "rejected_summary" */
    int64_t (*now_ms)(void);    /* clock (NULL: CLOCK_MONOTONIC) */
} dratelog;

/**
 * Initialise r for nkeys keys named names[0..nkeys) (borrowed, must outlive r): at most burst
 * lines per key per interval_ms; summaries at level under summary_event. Returns false when out
 * of memory.
 */
bool dratelog_init(dratelog *r, const char *const *names, size_t nkeys, int64_t interval_ms, uint32_t burst,
                   dlog_level level, const char *summary_event);
/** Flush the summaries (dratelog_flush) and free r's memory. */
void dratelog_clear(dratelog *r);
/**
 * Count an event of key (< nkeys) with its message (for the summary; may be NULL). Writes the
 * summaries of ended windows first. Returns true when the caller should log the event itself,
 * false when it was suppressed (counted for the summary).
 */
bool dratelog_admit(dratelog *r, size_t key, const char *message);
/** Write the summary line of every key whose window has ended with suppressed events (all of
 *  them when force). */
void dratelog_flush(dratelog *r, bool force);

#endif

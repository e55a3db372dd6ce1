/*
 * daemons/aggregator/pushstore.h — the operator-pushed metric families (aggregator_submitMetrics)
 * the aggregator re-exports: one push per operator address (the latest accepted), kept as its
 * compact JSON text (parsed again when /metrics is scraped: a parsed tree costs about 20 bytes
 * per byte of text), bounded in names and bytes, with the timestamp of the last accepted push of
 * each address (replay protection). The aggregator owns one (agg_daemon.pushes, created and
 * destroyed with its core); its own lock; no process-global state. Authentication is push.c's.
 */
#ifndef MPAVS_AGG_PUSHSTORE_H
#define MPAVS_AGG_PUSHSTORE_H

#include "common/metrics.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The push limits (issue #17, attacks 2 and item 3). */
#define AGG_METRICS_MAX_OPERATORS 256     /* addresses kept */
#define AGG_METRICS_MAX_FAMILIES 256      /* per push (per operator) */
#define AGG_METRICS_MAX_SERIES 1024       /* samples per push (per operator) */
#define AGG_METRICS_MAX_BYTES (64u << 10) /* compact JSON text per push (per operator) */
#define AGG_METRICS_MAX_TOTAL (2u << 20)  /* all operators together (a scrape parses them: ~20x at its peak) */

typedef struct agg_pushstore agg_pushstore;

/** agg_pushstore_put's results. */
typedef enum {
    AGG_PUSHSTORE_OK = 0,
    AGG_PUSHSTORE_REPLAY,    /* timestamp not newer than the last accepted push of that address */
    AGG_PUSHSTORE_TOO_LARGE, /* text longer than AGG_METRICS_MAX_BYTES */
    AGG_PUSHSTORE_FULL,      /* AGG_METRICS_MAX_OPERATORS addresses, or AGG_METRICS_MAX_TOTAL bytes in all */
    AGG_PUSHSTORE_NOMEM
} agg_pushstore_result;

/** A new, empty store. Returns NULL without memory. */
agg_pushstore *agg_pushstore_create(void);
/** Free s and every push it holds. NULL allowed. */
void agg_pushstore_destroy(agg_pushstore *s);

/** The timestamp of the last push accepted from address (0 when none). */
uint64_t agg_pushstore_last(agg_pushstore *s, const uint8_t address[20]);

/**
 * Keep text/len (compact JSON of the pushed families; copied) as address's push under name (the
 * operator label; copied, ≤ 128 bytes), replacing its previous push, when timestamp is newer than
 * that push's (checked under the store's lock, so of two concurrent pushes with one timestamp
 * one is refused). Returns AGG_PUSHSTORE_OK, or why nothing changed.
 */
agg_pushstore_result agg_pushstore_put(agg_pushstore *s, const uint8_t address[20], const char *name,
                                       const char *text, size_t len, uint64_t timestamp);

/** Addresses with a push, and the bytes of text held. Out: *names, *bytes (either may be NULL). */
void agg_pushstore_usage(agg_pushstore *s, size_t *names, size_t *bytes);

/**
 * Write the pushed families into w, merged per family: the first push of a family name fixes
 * its type and help, each sample gets operator="<name>" (a pushed "operator" label is replaced);
 * families of another type under that name, names not starting with avs or eigen_, and names
 * the writer refuses (the aggregator's own) are dropped (counted in w->dropped).
 */
void agg_pushstore_export(agg_pushstore *s, dmet *w);

#endif

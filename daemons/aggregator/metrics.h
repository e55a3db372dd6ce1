/*
 * daemons/aggregator/metrics.h — the aggregator's Prometheus text (docs/aggregator.md §4):
 * its own families, written with daemons/common/metrics.h, and the families operators push
 * with aggregator_submitMetrics, re-exported merged per family (one # HELP/# TYPE each, the
 * samples of every operator together, each with operator="<name>").
 */
#ifndef MPAVS_AGG_METRICS_H
#define MPAVS_AGG_METRICS_H

#include "aggregator/daemon.h"

#include <jansson.h>

/*
 * The push limits of aggregator_submitMetrics (issue #17, attack 2). A push is kept as its
 * compact JSON text (parsed again when /metrics is scraped), not as a parsed tree, which cost
 * about 20 bytes per byte of text: memory held is at most AGG_METRICS_MAX_TOTAL however the
 * names are chosen. Names are not authenticated (anyone reaching the port can push under any
 * name, and replace that name's push); see docs/aggregator.md.
 */
#define AGG_METRICS_MAX_OPERATORS 256      /* names */
#define AGG_METRICS_MAX_FAMILIES 256       /* per push */
#define AGG_METRICS_MAX_SERIES 1024        /* samples per push */
#define AGG_METRICS_MAX_BYTES (64u << 10)  /* compact JSON text per push */
#define AGG_METRICS_MAX_TOTAL (2u << 20)   /* all pushes together (a scrape parses them: ~20x at its peak) */

/**
 * Keep the families (client_model JSON, validated for shape and size by the caller) an operator
 * pushed under name, replacing its previous push. Out: why (when refused). Returns false when
 * the push has more than AGG_METRICS_MAX_SERIES samples or AGG_METRICS_MAX_BYTES of text, when
 * AGG_METRICS_MAX_OPERATORS other names already pushed or the pushes together would pass
 * AGG_METRICS_MAX_TOTAL (or without memory).
 */
bool agg_metrics_push(const char *name, json_t *families, char *why, size_t cap);

#endif

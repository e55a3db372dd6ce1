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

/* The push limits of aggregator_submitMetrics. */
#define AGG_METRICS_MAX_OPERATORS 4096
#define AGG_METRICS_MAX_FAMILIES 256
#define AGG_METRICS_MAX_BYTES (256u << 10)

/**
 * Keep the families (client_model JSON, validated for shape and size by the caller) an operator
 * pushed under name, replacing its previous push. Returns false when AGG_METRICS_MAX_OPERATORS
 * other operators already pushed (or without memory).
 */
bool agg_metrics_push(const char *name, json_t *families);

#endif

/*
 * daemons/common/metrics.h — the one Prometheus text exposition writer (format 0.0.4) of the
 * three daemons.
 *
 *   dmet w;
 *   dmet_init(&w);
 *   dmet_family(&w, "mpavs_x_requests_total", DMET_COUNTER, "Requests, by method.");
 *   dmet_u64(&w, (dmet_label[]){{"method", "a"}}, 1, 7);
 *   dmet_family(&w, "mpavs_x_latency_seconds", DMET_HISTOGRAM, "Latency.");
 *   dmet_histogram(&w, NULL, 0, bounds, cumulative_counts, nbounds, count, sum);
 *   char *text = dmet_finish(&w);   // malloc'd; free() it
 *
 * What it guarantees, whatever the caller passes:
 *   - every family has one "# HELP" and one "# TYPE" line, and its samples follow them (a
 *     family is written once: a second dmet_family with a name already written, or one whose
 *     sample names would collide with an earlier family — a counter "x" and "x_total", a
 *     histogram "x" and "x_bucket", "x_sum", "x_count" — is refused and its samples dropped;
 *     so is a counter, gauge or untyped family named …_bucket or …_sum: a sum or a bucket is
 *     part of a histogram);
 *   - no series twice: a sample whose label set (in any order) was already written in its
 *     family is dropped; labels are written in the order given;
 *   - metric and label names are checked ([a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]*,
 *     no "__" prefix, no "le" on a histogram, no label twice); label values and HELP text are
 *     escaped (\\, \" in values, \n);
 *   - histograms come as _bucket (cumulative, with le="+Inf" equal to _count), _sum, _count.
 * Whatever is refused is counted in w.dropped (the caller may log it); the text stays valid.
 * Durations are to be exported in seconds (names ending in _seconds).
 */
#ifndef MPAVS_DAEMON_METRICS_H
#define MPAVS_DAEMON_METRICS_H

#include "common/textbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { DMET_COUNTER, DMET_GAUGE, DMET_HISTOGRAM, DMET_UNTYPED } dmet_type;

/** One label: name and (unescaped) value. */
typedef struct {
    const char *name, *value;
} dmet_label;

/** At most this many labels per sample (more: the sample is dropped). */
#define DMET_MAX_LABELS 16

/* A set of strings (names written, series of the current family); internal to metrics.c. */
typedef struct {
    char *text;
    size_t len, cap;
    struct dmet_slot {
        size_t off, len; /* len 0: empty slot */
        uint64_t hash;
    } *slots;
    size_t nslots, used;
} dmet_set;

typedef struct {
    dbuf out;
    char family[200];
    dmet_type type;
    bool open;         /* the current family was accepted */
    dmet_set names;    /* sample names reserved by the families written */
    dmet_set series;   /* label sets of the current family */
    size_t dropped;    /* samples and families refused */
} dmet;

/** Start an empty exposition. */
void dmet_init(dmet *w);
/**
 * Begin family name of type with help text (one line; newlines escaped). Returns false (and
 * drops the family's samples until the next dmet_family) for an invalid or already used name.
 */
bool dmet_family(dmet *w, const char *name, dmet_type type, const char *help);
/** True when name is a valid metric name. */
bool dmet_name_ok(const char *name);
/** True when name is a valid label name (not starting with "__"). */
bool dmet_label_name_ok(const char *name);
/**
 * A sample of the current counter, gauge or untyped family with nlabels labels (labels may be
 * NULL when nlabels is 0). Returns false when dropped (no accepted family, a histogram family,
 * bad labels, a duplicate series, a negative or NaN counter).
 */
bool dmet_value(dmet *w, const dmet_label *labels, size_t nlabels, double value);
/** As dmet_value with an exact unsigned integer. */
bool dmet_u64(dmet *w, const dmet_label *labels, size_t nlabels, uint64_t value);
/**
 * As dmet_value with a decimal integer given as text (e.g. a 256-bit stake); anything but
 * [0-9]+ (at most 80 digits) is dropped.
 */
bool dmet_decimal(dmet *w, const dmet_label *labels, size_t nlabels, const char *decimal);
/**
 * One histogram series of the current histogram family: nbounds upper bounds (strictly
 * increasing, finite) with their cumulative counts, then the total count (the +Inf bucket) and
 * the sum of the observations. Returns false when dropped (also when the counts are not
 * cumulative or exceed count).
 */
bool dmet_histogram(dmet *w, const dmet_label *labels, size_t nlabels, const double *bounds, const uint64_t *cumulative,
                    size_t nbounds, uint64_t count, double sum);
/** End the exposition: the text (malloc'd, NUL-terminated; "" when empty, NULL without memory). Frees w's state. */
char *dmet_finish(dmet *w);

#endif

/* daemons/common/metrics.c — see metrics.h. */
#include "common/metrics.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- string sets ---------------- */

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001b3u;
    h ^= h >> 33; /* finaliser: spread the bits the table index uses */
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h;
}

static struct dmet_slot *set_find(dmet_set *s, const char *k, size_t n, uint64_t h) {
    size_t mask = s->nslots - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct dmet_slot *sl = &s->slots[i];
        if (!sl->len || (sl->hash == h && sl->len == n && memcmp(s->text + sl->off, k, n) == 0)) return sl;
    }
}

static bool set_grow(dmet_set *s) {
    size_t nn = s->nslots ? s->nslots * 2 : 64;
    struct dmet_slot *ns = calloc(nn, sizeof *ns), *old = s->slots;
    if (!ns) return false;
    size_t on = s->nslots;
    s->slots = ns;
    s->nslots = nn;
    for (size_t i = 0; i < on; i++)
        if (old[i].len) *set_find(s, s->text + old[i].off, old[i].len, old[i].hash) = old[i];
    free(old);
    return true;
}

static bool set_has(dmet_set *s, const char *k, size_t n) {
    return s->nslots && set_find(s, k, n, hash_bytes(k, n))->len != 0;
}

/* Add k; false when it was there already or memory ran out. */
static bool set_add(dmet_set *s, const char *k, size_t n) {
    if (!n) return false;
    if ((s->used + 1) * 2 > s->nslots && !set_grow(s)) return false;
    uint64_t h = hash_bytes(k, n);
    struct dmet_slot *sl = set_find(s, k, n, h);
    if (sl->len) return false;
    if (s->len + n > s->cap) {
        size_t nc = s->cap ? s->cap : 4096;
        while (nc < s->len + n) nc *= 2;
        char *t = realloc(s->text, nc);
        if (!t) return false;
        s->text = t;
        s->cap = nc;
    }
    memcpy(s->text + s->len, k, n);
    *sl = (struct dmet_slot){.off = s->len, .len = n, .hash = h};
    s->len += n;
    s->used++;
    return true;
}

static void set_clear(dmet_set *s) {
    if (s->slots) memset(s->slots, 0, s->nslots * sizeof *s->slots);
    s->len = 0;
    s->used = 0;
}

static void set_free(dmet_set *s) {
    free(s->text);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---------------- names, values, labels ---------------- */

static bool name_chars(const char *n, bool colon) {
    if (!n || !*n) return false;
    for (const char *p = n; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
                  (p != n && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

bool dmet_name_ok(const char *name) { return name_chars(name, true) && strlen(name) < 200; }

bool dmet_label_name_ok(const char *name) {
    return name_chars(name, false) && strncmp(name, "__", 2) != 0 && strlen(name) < 200;
}

/* Shortest of %.15g/%.17g that reads back as v; NaN and ±Inf as the format spells them. */
static void fmt_double(char out[40], double v) {
    if (isnan(v)) snprintf(out, 40, "NaN");
    else if (isinf(v)) snprintf(out, 40, "%cInf", v > 0 ? '+' : '-');
    else {
        snprintf(out, 40, "%.15g", v);
        if (strtod(out, NULL) != v) snprintf(out, 40, "%.17g", v);
    }
}

static void escape_into(dbuf *b, const char *v, bool quote) {
    for (const char *p = v; *p; p++) {
        if (*p == '\\') dbuf_printf(b, "\\\\");
        else if (*p == '\n') dbuf_printf(b, "\\n");
        else if (quote && *p == '"') dbuf_printf(b, "\\\"");
        else dbuf_printf(b, "%c", *p);
    }
}

static char *join_labels(const dmet_label *labels, const size_t *ord, size_t n) {
    dbuf b = {0};
    dbuf_printf(&b, "%s", "");
    for (size_t i = 0; i < n; i++) {
        dbuf_printf(&b, "%s%s=\"", i ? "," : "", labels[ord[i]].name);
        escape_into(&b, labels[ord[i]].value, true);
        dbuf_printf(&b, "\"");
    }
    return b.s;
}

/*
 * Accept a new series of the current family: labels valid (names, none twice, no "le" on a
 * histogram, at most DMET_MAX_LABELS) and their set (sorted by name) not seen before in the
 * family. Out: *lab, the labels escaped in the caller's order (`a="x",b="y"`, "" for none; malloc'd).
 */
static bool series_begin(dmet *w, const dmet_label *labels, size_t n, char **lab) {
    *lab = NULL;
    if (!w->open || n > DMET_MAX_LABELS || (n && !labels)) return false;
    size_t ord[DMET_MAX_LABELS], given[DMET_MAX_LABELS];
    for (size_t i = 0; i < n; i++) {
        if (!dmet_label_name_ok(labels[i].name) || !labels[i].value) return false;
        if (w->type == DMET_HISTOGRAM && strcmp(labels[i].name, "le") == 0) return false;
        given[i] = i;
        size_t j = i;
        while (j > 0 && strcmp(labels[ord[j - 1]].name, labels[i].name) > 0) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = i;
    }
    for (size_t i = 1; i < n; i++)
        if (strcmp(labels[ord[i - 1]].name, labels[ord[i]].name) == 0) return false;
    char *key = join_labels(labels, ord, n);
    bool fresh = key && set_add(&w->series, key, strlen(key) + 1);
    free(key);
    if (!fresh) return false;
    *lab = join_labels(labels, given, n);
    return *lab != NULL;
}

static void line(dmet *w, const char *suffix, const char *lab, const char *extra, const char *value) {
    bool any = lab[0] || extra;
    dbuf_printf(&w->out, "%s%s%s%s%s%s%s %s\n", w->family, suffix, any ? "{" : "", lab, lab[0] && extra ? "," : "",
                extra ? extra : "", any ? "}" : "", value);
}

/* ---------------- the writer ---------------- */

void dmet_init(dmet *w) { memset(w, 0, sizeof *w); }

static bool reserve(dmet *w, const char *name, dmet_type type) {
    char r[4][220];
    size_t nr = 0, n = strlen(name);
    if (type == DMET_COUNTER) {
        size_t base = n > 6 && strcmp(name + n - 6, "_total") == 0 ? n - 6 : n;
        snprintf(r[nr++], sizeof r[0], "%.*s", (int)base, name);
        snprintf(r[nr++], sizeof r[0], "%.*s_total", (int)base, name);
    } else {
        snprintf(r[nr++], sizeof r[0], "%s", name);
        if (type == DMET_HISTOGRAM) {
            snprintf(r[nr++], sizeof r[0], "%s_bucket", name);
            snprintf(r[nr++], sizeof r[0], "%s_sum", name);
            snprintf(r[nr++], sizeof r[0], "%s_count", name);
        }
    }
    for (size_t i = 0; i < nr; i++)
        if (set_has(&w->names, r[i], strlen(r[i]))) return false;
    for (size_t i = 0; i < nr; i++)
        if (!set_add(&w->names, r[i], strlen(r[i]))) return false;
    return true;
}

/* A name that reads as a histogram's _bucket or _sum series (a hand-written "latency_ms_sum"). */
static bool histogram_part(const char *name) {
    size_t n = strlen(name);
    return (n > 7 && !strcmp(name + n - 7, "_bucket")) || (n > 4 && !strcmp(name + n - 4, "_sum"));
}

bool dmet_family(dmet *w, const char *name, dmet_type type, const char *help) {
    set_clear(&w->series);
    w->open = false;
    if (!dmet_name_ok(name) || type > DMET_UNTYPED || (type != DMET_HISTOGRAM && histogram_part(name)) ||
        !reserve(w, name, type)) {
        w->dropped++;
        return false;
    }
    static const char *const T[] = {"counter", "gauge", "histogram", "untyped"};
    snprintf(w->family, sizeof w->family, "%s", name);
    w->type = type;
    w->open = true;
    dbuf_printf(&w->out, "# HELP %s ", name);
    escape_into(&w->out, help && *help ? help : name, false);
    dbuf_printf(&w->out, "\n# TYPE %s %s\n", name, T[type]);
    return true;
}

static bool sample_text(dmet *w, const dmet_label *labels, size_t n, const char *value) {
    char *lab;
    if (w->type == DMET_HISTOGRAM || !series_begin(w, labels, n, &lab)) {
        w->dropped++;
        return false;
    }
    line(w, "", lab, NULL, value);
    free(lab);
    return true;
}

bool dmet_value(dmet *w, const dmet_label *labels, size_t nlabels, double value) {
    if (w->type == DMET_COUNTER && (isnan(value) || value < 0)) {
        w->dropped++;
        return false;
    }
    char v[40];
    fmt_double(v, value);
    return sample_text(w, labels, nlabels, v);
}

bool dmet_u64(dmet *w, const dmet_label *labels, size_t nlabels, uint64_t value) {
    char v[24];
    snprintf(v, sizeof v, "%" PRIu64, value);
    return sample_text(w, labels, nlabels, v);
}

bool dmet_decimal(dmet *w, const dmet_label *labels, size_t nlabels, const char *decimal) {
    size_t n = decimal ? strspn(decimal, "0123456789") : 0;
    if (!n || decimal[n] || n > 80) {
        w->dropped++;
        return false;
    }
    return sample_text(w, labels, nlabels, decimal);
}

bool dmet_histogram(dmet *w, const dmet_label *labels, size_t nlabels, const double *bounds, const uint64_t *cumulative,
                    size_t nbounds, uint64_t count, double sum) {
    bool ok = w->open && w->type == DMET_HISTOGRAM && (nbounds == 0 || (bounds && cumulative)) && !isnan(sum);
    for (size_t i = 0; ok && i < nbounds; i++)
        ok = isfinite(bounds[i]) && (i == 0 || (bounds[i] > bounds[i - 1] && cumulative[i] >= cumulative[i - 1])) &&
             cumulative[i] <= count;
    char *lab = NULL;
    if (!ok || !series_begin(w, labels, nlabels, &lab)) {
        w->dropped++;
        return false;
    }
    char le[60], v[40];
    for (size_t i = 0; i < nbounds; i++) {
        fmt_double(v, bounds[i]);
        snprintf(le, sizeof le, "le=\"%s\"", v);
        snprintf(v, sizeof v, "%" PRIu64, cumulative[i]);
        line(w, "_bucket", lab, le, v);
    }
    snprintf(v, sizeof v, "%" PRIu64, count);
    line(w, "_bucket", lab, "le=\"+Inf\"", v);
    fmt_double(v, sum);
    line(w, "_sum", lab, NULL, v);
    snprintf(v, sizeof v, "%" PRIu64, count);
    line(w, "_count", lab, NULL, v);
    free(lab);
    return true;
}

char *dmet_finish(dmet *w) {
    char *s = w->out.s ? w->out.s : strdup("");
    set_free(&w->names);
    set_free(&w->series);
    memset(w, 0, sizeof *w);
    return s;
}

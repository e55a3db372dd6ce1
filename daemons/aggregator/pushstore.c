/* daemons/aggregator/pushstore.c — see pushstore.h. */
#include "aggregator/pushstore.h"

#include <jansson.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t address[20];
    char *name; /* the operator label */
    char *text; /* compact JSON of the families */
    size_t len;
    uint64_t timestamp; /* of the accepted push */
} pushed;

struct agg_pushstore {
    pthread_mutex_t mu;
    pushed *p;
    size_t n, total;
};

agg_pushstore *agg_pushstore_create(void) {
    agg_pushstore *s = calloc(1, sizeof *s);
    if (s) pthread_mutex_init(&s->mu, NULL);
    return s;
}

void agg_pushstore_destroy(agg_pushstore *s) {
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->p[i].name);
        free(s->p[i].text);
    }
    free(s->p);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

static size_t find(const agg_pushstore *s, const uint8_t address[20]) {
    size_t i = 0;
    while (i < s->n && memcmp(s->p[i].address, address, 20)) i++;
    return i;
}

uint64_t agg_pushstore_last(agg_pushstore *s, const uint8_t address[20]) {
    pthread_mutex_lock(&s->mu);
    size_t i = find(s, address);
    uint64_t ts = i < s->n ? s->p[i].timestamp : 0;
    pthread_mutex_unlock(&s->mu);
    return ts;
}

agg_pushstore_result agg_pushstore_put(agg_pushstore *s, const uint8_t address[20], const char *name,
                                       const char *text, size_t len, uint64_t timestamp) {
    if (len > AGG_METRICS_MAX_BYTES) return AGG_PUSHSTORE_TOO_LARGE;
    char *t = malloc(len + 1), *nm = strdup(name);
    if (!t || !nm) {
        free(t);
        free(nm);
        return AGG_PUSHSTORE_NOMEM;
    }
    memcpy(t, text, len);
    t[len] = 0;
    agg_pushstore_result r = AGG_PUSHSTORE_OK;
    pthread_mutex_lock(&s->mu);
    size_t i = find(s, address), old = i < s->n ? s->p[i].len : 0;
    if (i < s->n && timestamp <= s->p[i].timestamp) {
        r = AGG_PUSHSTORE_REPLAY;
    } else if (s->total - old + len > AGG_METRICS_MAX_TOTAL || (i == s->n && s->n >= AGG_METRICS_MAX_OPERATORS)) {
        r = AGG_PUSHSTORE_FULL;
    } else if (i == s->n) {
        pushed *p = realloc(s->p, (s->n + 1) * sizeof *p);
        if (!p) {
            r = AGG_PUSHSTORE_NOMEM;
        } else {
            s->p = p;
            s->p[s->n++] = (pushed){.name = NULL};
            memcpy(s->p[i].address, address, 20);
        }
    }
    if (r == AGG_PUSHSTORE_OK) {
        free(s->p[i].name);
        free(s->p[i].text);
        s->p[i].name = nm;
        s->p[i].text = t;
        s->p[i].len = len;
        s->p[i].timestamp = timestamp;
        s->total = s->total - old + len;
        t = nm = NULL;
    }
    pthread_mutex_unlock(&s->mu);
    free(t);
    free(nm);
    return r;
}

void agg_pushstore_usage(agg_pushstore *s, size_t *names, size_t *bytes) {
    pthread_mutex_lock(&s->mu);
    if (names) *names = s->n;
    if (bytes) *bytes = s->total;
    pthread_mutex_unlock(&s->mu);
}

static dmet_type pushed_type(json_t *f) {
    json_int_t t = json_integer_value(json_object_get(f, "type"));
    return t == 0 ? DMET_COUNTER : t == 1 ? DMET_GAUGE : t == 3 ? DMET_UNTYPED : (dmet_type)-1;
}

static bool pushed_name_ok(const char *name) {
    return dmet_name_ok(name) && (!strncmp(name, "avs", 3) || !strncmp(name, "eigen_", 6));
}

/* The samples of one pushed family f of operator op, each with operator="<op>". */
static void pushed_samples(dmet *w, json_t *f, dmet_type type, const char *op) {
    const char *member = type == DMET_COUNTER ? "counter" : type == DMET_GAUGE ? "gauge" : "untyped";
    size_t m;
    json_t *mt;
    json_array_foreach(json_object_get(f, "metric"), m, mt) {
        json_t *val = json_object_get(json_object_get(mt, "value") ? mt : json_object_get(mt, member), "value");
        if (!json_is_number(val)) continue;
        dmet_label lab[DMET_MAX_LABELS + 1];
        size_t n = 0, l;
        json_t *lb;
        bool too_many = false;
        json_array_foreach(json_object_get(mt, "label"), l, lb) {
            const char *ln = json_string_value(json_object_get(lb, "name"));
            const char *lv = json_string_value(json_object_get(lb, "value"));
            if (!ln || !lv || !strcmp(ln, "operator")) continue;
            if (n == DMET_MAX_LABELS - 1) {
                too_many = true;
                break;
            }
            lab[n++] = (dmet_label){ln, lv};
        }
        if (too_many) {
            w->dropped++;
            continue;
        }
        lab[n++] = (dmet_label){"operator", op};
        dmet_value(w, lab, n, json_number_value(val));
    }
}

void agg_pushstore_export(agg_pushstore *s, dmet *w) {
    json_t *order = json_array(), *byname = json_object(), *trees = json_array();
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->n && order && byname && trees; i++) {
        size_t k;
        json_t *f;
        json_error_t je;
        json_t *fams = json_loadb(s->p[i].text, s->p[i].len, 0, &je); /* freed with trees, after the text is written */
        json_array_append_new(trees, fams ? fams : json_array());
        json_array_foreach(fams, k, f) {
            const char *name = json_string_value(json_object_get(f, "name"));
            dmet_type type = pushed_type(f);
            if (!pushed_name_ok(name) || type == (dmet_type)-1) continue;
            json_t *e = json_object_get(byname, name);
            if (!e) {
                const char *help = json_string_value(json_object_get(f, "help"));
                e = json_pack("{s:i,s:s,s:[]}", "type", (int)type, "help",
                              help && *help ? help : "Pushed by operators (aggregator_submitMetrics).", "members");
                if (!e) continue;
                json_object_set_new(byname, name, e);
                json_array_append_new(order, json_string(name));
            }
            if (json_integer_value(json_object_get(e, "type")) != (json_int_t)type) {
                w->dropped++;
                continue;
            }
            json_array_append_new(json_object_get(e, "members"), json_pack("[I,O]", (json_int_t)i, f));
        }
    }
    size_t k;
    json_t *nm;
    json_array_foreach(order, k, nm) {
        const char *name = json_string_value(nm);
        json_t *e = json_object_get(byname, name);
        dmet_type type = (dmet_type)json_integer_value(json_object_get(e, "type"));
        if (!dmet_family(w, name, type, json_string_value(json_object_get(e, "help")))) continue;
        size_t m;
        json_t *mem;
        json_array_foreach(json_object_get(e, "members"), m, mem) {
            size_t i = (size_t)json_integer_value(json_array_get(mem, 0));
            pushed_samples(w, json_array_get(mem, 1), type, s->p[i].name);
        }
    }
    pthread_mutex_unlock(&s->mu);
    json_decref(order);
    json_decref(byname);
    bool any = json_array_size(trees) > 0;
    json_decref(trees);
    if (any) malloc_trim(0); /* the parsed pushes' heap back to the system */
}

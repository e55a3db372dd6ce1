/* daemons/common/config_table.c — see config_table.h. */
#include "common/config_table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_PATH 256

static void warn(char *w, size_t cap, size_t *n, const char *where, const char *key) {
    (*n)++;
    if (!w || !cap) return;
    size_t len = strlen(w);
    if (len + 1 >= cap) return;
    snprintf(w + len, cap - len, "%s%sunknown key \"%.80s\" ignored\n", where, *where ? ": " : "", key);
}

/* The parent part of path ("" for a top-level field) and its last name. */
static void split(const char *path, char *parent, size_t cap, const char **leaf) {
    const char *dot = strrchr(path, '.');
    snprintf(parent, cap, "%.*s", dot ? (int)(dot - path) : 0, path);
    *leaf = dot ? dot + 1 : path;
}

static bool is_child(const dcf_field *f, const char *prefix, const char **leaf) {
    char parent[MAX_PATH];
    split(f->path, parent, sizeof parent, leaf);
    return strcmp(parent, prefix) == 0;
}

static bool has_children(const dcf_table *t, const char *prefix) {
    const char *leaf;
    for (size_t i = 0; i < t->nfields; i++)
        if (is_child(&t->fields[i], prefix, &leaf)) return true;
    return false;
}

static const char *type_text(dcf_type ty) {
    switch (ty) {
    case DCF_STRING: return "a string";
    case DCF_UINT: return "a non-negative integer";
    case DCF_BOOL: return "true or false";
    case DCF_OBJECT: return "an object";
    case DCF_ARRAY: return "an array";
    default: return "any value";
    }
}

static bool type_ok(dcf_type ty, json_t *v) {
    switch (ty) {
    case DCF_STRING: return json_is_string(v);
    case DCF_UINT:
        if (json_is_integer(v)) return json_integer_value(v) >= 0;
        if (json_is_string(v)) {
            const char *s = json_string_value(v);
            char *end;
            errno = 0;
            (void)strtoull(s, &end, 10);
            return *s >= '0' && *s <= '9' && !*end && errno == 0;
        }
        return false;
    case DCF_BOOL: return json_is_boolean(v);
    case DCF_OBJECT: return json_is_object(v);
    case DCF_ARRAY: return json_is_array(v);
    default: return true;
    }
}

/* obj is the object at prefix (table spelling, e.g. "ChainTasks[]"); label names it in messages ("ChainTasks[2]"). */
static void apply_object(dconf *c, const dcf_table *t, json_t *obj, const char *prefix, const char *label, char *w,
                         size_t cap, size_t *nw, int depth) {
    if (depth > 8) return; /* the tables nest two levels */
    const char *key, *leaf;
    json_t *val;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, val) {
        const char *exact = NULL, *folded = NULL;
        for (size_t i = 0; i < t->nfields && !exact; i++) {
            if (!is_child(&t->fields[i], prefix, &leaf)) continue;
            if (!strcmp(leaf, key)) exact = leaf;
            else if (!folded && !strcasecmp(leaf, key)) folded = leaf;
        }
        if (exact) continue;
        if (!folded) {
            warn(w, cap, nw, label, key);
            continue;
        }
        if (json_object_get(obj, folded)) {
            dconf_error(c, "%s%s\"%s\" and \"%s\" name the same field", label, *label ? ": " : "", key, folded);
            continue;
        }
        json_object_set(obj, folded, val);
        json_object_del(obj, key);
    }
    for (size_t i = 0; i < t->nfields; i++) {
        const dcf_field *f = &t->fields[i];
        if (!is_child(f, prefix, &leaf)) continue;
        char where[MAX_PATH];
        snprintf(where, sizeof where, "%.120s%s%.120s", label, *label ? "." : "", leaf);
        json_t *v = json_object_get(obj, leaf);
        if (!v || json_is_null(v)) {
            if (f->required) dconf_error(c, "%s: required (%s)", where, type_text(f->type));
            continue;
        }
        if (!type_ok(f->type, v)) {
            dconf_error(c, "%s: expected %s", where, type_text(f->type));
            json_object_del(obj, leaf); /* the getters see it absent: one message per problem */
            continue;
        }
        if (f->type == DCF_OBJECT && has_children(t, f->path)) {
            apply_object(c, t, v, f->path, where, w, cap, nw, depth + 1);
        } else if (f->type == DCF_ARRAY) {
            char elems[MAX_PATH];
            snprintf(elems, sizeof elems, "%s[]", f->path);
            if (!has_children(t, elems)) continue;
            size_t k;
            json_t *e;
            json_array_foreach(v, k, e) {
                char el[MAX_PATH + 24];
                snprintf(el, sizeof el, "%.*s[%zu]", MAX_PATH - 1, where, k);
                if (!json_is_object(e)) dconf_error(c, "%s: expected an object", el);
                else apply_object(c, t, e, elems, el, w, cap, nw, depth + 1);
            }
        }
    }
}

size_t dcf_apply(dconf *c, const dcf_table *t, char *warnings, size_t cap) {
    if (warnings && cap) warnings[0] = 0;
    size_t nw = 0;
    if (json_is_object(c->root)) apply_object(c, t, c->root, "", "", warnings, cap, &nw, 0);
    return nw;
}

const dcf_field *dcf_find(const dcf_table *t, const char *path) {
    for (size_t i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i].path, path)) return &t->fields[i];
    return NULL;
}

/* ---------------- template and reference ---------------- */

/* The template value of the object at prefix: its children's examples (nested objects built the same way). */
static json_t *template_object(const dcf_table *t, const char *prefix) {
    json_t *o = json_object();
    const char *leaf;
    for (size_t i = 0; i < t->nfields && o; i++) {
        const dcf_field *f = &t->fields[i];
        if (!is_child(f, prefix, &leaf)) continue;
        json_t *v = NULL;
        if (f->example) {
            json_error_t je;
            v = json_loads(f->example, JSON_DECODE_ANY, &je);
        } else if (f->type == DCF_OBJECT && has_children(t, f->path)) {
            v = template_object(t, f->path);
            if (v && json_object_size(v) == 0) {
                json_decref(v);
                v = NULL;
            }
        }
        if (v) json_object_set_new(o, leaf, v);
    }
    return o;
}

void dcf_print_template(FILE *f, const dcf_table *t) {
    json_t *o = template_object(t, "");
    char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    fprintf(f, "%s\n", s ? s : "{}");
    free(s);
    json_decref(o);
}

static void cell(FILE *f, const char *s) {
    for (; s && *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n') fputc(' ', f);
        else fputc(*s, f);
    }
}

void dcf_print_reference(FILE *f, const dcf_table *t) {
    fprintf(f, "<!-- generated by `%s --print-config-reference`: do not edit by hand -->\n", t->daemon);
    fputs("| field | type | required | default | check | meaning |\n|---|---|---|---|---|---|\n", f);
    static const char *const T[] = {"string", "integer", "bool", "object", "array", "any"};
    for (size_t i = 0; i < t->nfields; i++) {
        const dcf_field *d = &t->fields[i];
        fprintf(f, "| `%s` | %s | %s | ", d->path, T[d->type], d->required ? "yes" : "");
        if (d->def) {
            fputc('`', f);
            cell(f, d->def);
            fputc('`', f);
        }
        fputs(" | ", f);
        cell(f, d->check);
        fputs(" | ", f);
        cell(f, d->doc);
        fputs(" |\n", f);
    }
}

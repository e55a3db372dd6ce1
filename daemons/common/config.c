/* daemons/common/config.c — see config.h. */
#include "config.h"

#include "mpavs/common.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The field a message is about: its text up to the first ": " (the path), or "" when it has none. */
static size_t field_len(const char *msg, size_t n) {
    for (size_t i = 0; i + 1 < n; i++)
        if (msg[i] == ':' && msg[i + 1] == ' ') return i;
    return 0;
}

void dconf_error(dconf *c, const char *fmt, ...) {
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    /* one problem per field: a second message about a field already reported is left out */
    size_t fl = field_len(msg, strlen(msg));
    for (const char *line = c->errors; fl && *line;) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        if (field_len(line, ll) == fl && !memcmp(line, msg, fl)) return;
        line = nl ? nl + 1 : line + ll;
    }
    c->nerrors++;
    if (c->nerrors > DCONF_MAX_ERRORS) return;
    size_t len = strlen(c->errors);
    if (len + 2 >= sizeof c->errors) return;
    snprintf(c->errors + len, sizeof c->errors - len - 1, "%s", msg);
    len = strlen(c->errors);
    c->errors[len] = '\n';
    c->errors[len + 1] = 0;
}

bool dconf_failed(const dconf *c) { return c->nerrors != 0; }

bool dconf_load(dconf *c, const char *path) {
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "rb");
    if (!f) {
        dconf_error(c, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 1u << 20, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        dconf_error(c, "%s: out of memory", path);
        return false;
    }
    len = fread(buf, 1, cap + 1, f);
    fclose(f);
    if (len > cap) {
        free(buf);
        dconf_error(c, "%s: larger than 1 MiB", path);
        return false;
    }
    json_error_t je;
    c->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    mpavs_wipe(buf, len); /* config files may hold secrets */
    free(buf);
    if (!c->root) {
        dconf_error(c, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return false;
    }
    if (!json_is_object(c->root)) {
        dconf_error(c, "%s: the top level must be a JSON object", path);
        json_decref(c->root);
        c->root = NULL;
        return false;
    }
    return true;
}

void dconf_free(dconf *c) {
    json_decref(c->root);
    c->root = NULL;
}

void dconf_set_nocase(dconf *c, bool on) { c->nocase = on; }

json_t *dconf_member(const dconf *c, json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (v || !c->nocase || !json_is_object(obj)) return v;
    const char *k;
    json_t *val;
    json_object_foreach(obj, k, val) {
        if (strcasecmp(k, key) == 0) return val;
    }
    return NULL;
}

json_t *dconf_get(const dconf *c, const char *path) {
    json_t *cur = c->root;
    char key[128];
    const char *p = path;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key || !json_is_object(cur)) return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        cur = dconf_member(c, cur, key);
        p += n + (dot ? 1 : 0);
    }
    return cur;
}

const char *dconf_str(dconf *c, const char *path, const char *def, bool required) {
    json_t *v = dconf_get(c, path);
    if (!v || json_is_null(v)) {
        if (required) dconf_error(c, "%s: required (a string)", path);
        return def;
    }
    if (!json_is_string(v)) {
        dconf_error(c, "%s: expected a string", path);
        return def;
    }
    return json_string_value(v);
}

bool dconf_u64(dconf *c, const char *path, uint64_t *out, uint64_t def, bool required) {
    *out = def;
    json_t *v = dconf_get(c, path);
    if (!v || json_is_null(v)) {
        if (required) {
            dconf_error(c, "%s: required (a non-negative integer)", path);
            return false;
        }
        return true;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        *out = (uint64_t)json_integer_value(v);
        return true;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end;
        errno = 0;
        unsigned long long x = strtoull(s, &end, 10);
        if (*s >= '0' && *s <= '9' && !*end && errno == 0) {
            *out = (uint64_t)x;
            return true;
        }
    }
    dconf_error(c, "%s: expected a non-negative integer", path);
    return false;
}

bool dconf_bool(dconf *c, const char *path, bool *out, bool def) {
    *out = def;
    json_t *v = dconf_get(c, path);
    if (!v || json_is_null(v)) return true;
    if (!json_is_boolean(v)) {
        dconf_error(c, "%s: expected true or false", path);
        return false;
    }
    *out = json_is_true(v);
    return true;
}

void dconf_check_keys(dconf *c, const char *path, const char *const *known) {
    json_t *obj = path ? dconf_get(c, path) : c->root;
    if (!json_is_object(obj)) return;
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++) ok = (c->nocase ? strcasecmp(*k, key) : strcmp(*k, key)) == 0;
        if (!ok) dconf_error(c, "%s%s%s: unknown key", path ? path : "", path ? "." : "", key);
    }
}

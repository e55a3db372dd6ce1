/* ABI types and signatures: parsing, canonical form, selectors. */
#include "abi_internal.h"

#include "mpavs/keccak.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mpavs_abi_strerror(int r) {
    switch (r) {
    case MPAVS_ABI_OK: return "ok";
    case MPAVS_ABI_ERR_TYPE_SYNTAX: return "malformed ABI type or signature";
    case MPAVS_ABI_ERR_VALUE_SYNTAX: return "argument does not match its ABI type";
    case MPAVS_ABI_ERR_RANGE: return "number out of range for its ABI type";
    case MPAVS_ABI_ERR_TRUNCATED: return "ABI data truncated";
    case MPAVS_ABI_ERR_OFFSET: return "ABI offset or length out of bounds";
    case MPAVS_ABI_ERR_DIRTY: return "ABI value has non-canonical padding or high bits";
    case MPAVS_ABI_ERR_TOO_LARGE: return "ABI data decodes to more than the size budget";
    case MPAVS_ABI_ERR_TOO_DEEP: return "ABI nesting too deep";
    case MPAVS_ABI_ERR_MISMATCH: return "ABI value does not match its type";
    case MPAVS_ABI_ERR_NOMEM: return "out of memory";
    case MPAVS_ABI_ERR_SELECTOR: return "unexpected selector or event topic";
    case MPAVS_ABI_ERR_CHECKSUM: return "address fails its EIP-55 checksum";
    default: return "unknown ABI error";
    }
}

void mpavs_abi_type_free(mpavs_abi_type *t) {
    if (!t) return;
    mpavs_abi_type_free(t->elem);
    for (size_t i = 0; i < t->nfields; i++) {
        mpavs_abi_type_free(t->fields[i]);
        if (t->names) free(t->names[i]);
    }
    free(t->fields);
    free(t->names);
    free(t->indexed);
    free(t);
}

typedef struct {
    const char *s;
    size_t i;
    int err;
} cursor;

static void skip_ws(cursor *c) {
    while (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n') c->i++;
}

static bool is_ident(int ch) { return isalnum(ch) || ch == '_' || ch == '$'; }

static mpavs_abi_type *parse_type(cursor *c, int depth);

static bool word_is(const char *w, size_t wl, const char *lit) { return wl == strlen(lit) && !strncmp(w, lit, wl); }

/* Grow the three parallel component arrays of a tuple to hold one more. */
static bool tuple_reserve(mpavs_abi_type *t, size_t *cap) {
    if (t->nfields < *cap) return true;
    size_t nc = *cap ? 2 * *cap : 4;
    mpavs_abi_type **nf = realloc(t->fields, nc * sizeof *nf);
    if (!nf) return false;
    t->fields = nf;
    char **nn = realloc(t->names, nc * sizeof *nn);
    if (!nn) return false;
    t->names = nn;
    bool *ni = realloc(t->indexed, nc * sizeof *ni);
    if (!ni) return false;
    t->indexed = ni;
    *cap = nc;
    return true;
}

/* After a component type: optional `indexed`, data location and a name. */
static bool parse_component_words(cursor *c, mpavs_abi_type *t) {
    size_t k = t->nfields - 1;
    for (;;) {
        skip_ws(c);
        if (!is_ident((unsigned char)c->s[c->i])) return true;
        size_t st = c->i;
        while (is_ident((unsigned char)c->s[c->i])) c->i++;
        size_t wl = c->i - st;
        const char *w = c->s + st;
        if (word_is(w, wl, "indexed")) t->indexed[k] = true;
        else if (word_is(w, wl, "memory") || word_is(w, wl, "calldata") || word_is(w, wl, "storage"))
            continue;
        else {
            if (t->names[k]) {
                c->err = MPAVS_ABI_ERR_TYPE_SYNTAX;
                return false;
            }
            t->names[k] = malloc(wl + 1);
            if (!t->names[k]) {
                c->err = MPAVS_ABI_ERR_NOMEM;
                return false;
            }
            memcpy(t->names[k], w, wl);
            t->names[k][wl] = 0;
        }
    }
}

/* Parse "( T [indexed] [name], ... )" at the cursor into a tuple type. */
static mpavs_abi_type *parse_tuple(cursor *c, int depth) {
    if (c->s[c->i] != '(') {
        c->err = MPAVS_ABI_ERR_TYPE_SYNTAX;
        return NULL;
    }
    c->i++;
    mpavs_abi_type *t = calloc(1, sizeof *t);
    if (!t) {
        c->err = MPAVS_ABI_ERR_NOMEM;
        return NULL;
    }
    t->kind = MPAVS_ABI_TUPLE;
    skip_ws(c);
    if (c->s[c->i] == ')') {
        c->i++;
        return t;
    }
    size_t cap = 0;
    for (;;) {
        skip_ws(c);
        mpavs_abi_type *f = parse_type(c, depth + 1);
        if (!f) goto fail;
        if (!tuple_reserve(t, &cap)) {
            mpavs_abi_type_free(f);
            c->err = MPAVS_ABI_ERR_NOMEM;
            goto fail;
        }
        t->fields[t->nfields] = f;
        t->names[t->nfields] = NULL;
        t->indexed[t->nfields] = false;
        t->nfields++;
        if (!parse_component_words(c, t)) goto fail;
        skip_ws(c);
        if (c->s[c->i] == ',') {
            c->i++;
            continue;
        }
        if (c->s[c->i] == ')') {
            c->i++;
            return t;
        }
        c->err = MPAVS_ABI_ERR_TYPE_SYNTAX;
        goto fail;
    }
fail:
    mpavs_abi_type_free(t);
    return NULL;
}

static bool parse_uint_suffix(const char *s, size_t len, unsigned *out) {
    if (len == 0 || len > 3 || s[0] == '0') return false;
    unsigned v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool int_width_ok(unsigned n) { return n % 8 == 0 && n >= 8 && n <= 256; }

static mpavs_abi_type *parse_elementary(cursor *c) {
    size_t st = c->i;
    while (isalnum((unsigned char)c->s[c->i])) c->i++;
    const char *w = c->s + st;
    size_t wl = c->i - st;
    mpavs_abi_type *t = calloc(1, sizeof *t);
    if (!t) {
        c->err = MPAVS_ABI_ERR_NOMEM;
        return NULL;
    }
    unsigned n = 0;
    if (word_is(w, wl, "address")) t->kind = MPAVS_ABI_ADDRESS;
    else if (word_is(w, wl, "bool")) t->kind = MPAVS_ABI_BOOL;
    else if (word_is(w, wl, "string")) t->kind = MPAVS_ABI_STRING;
    else if (word_is(w, wl, "bytes")) t->kind = MPAVS_ABI_BYTES;
    else if (word_is(w, wl, "uint")) t->kind = MPAVS_ABI_UINT, t->size = 256;
    else if (word_is(w, wl, "int")) t->kind = MPAVS_ABI_INT, t->size = 256;
    else if (wl > 5 && !strncmp(w, "bytes", 5) && parse_uint_suffix(w + 5, wl - 5, &n) && n >= 1 && n <= 32)
        t->kind = MPAVS_ABI_FIXED_BYTES, t->size = n;
    else if (wl > 4 && !strncmp(w, "uint", 4) && parse_uint_suffix(w + 4, wl - 4, &n) && int_width_ok(n))
        t->kind = MPAVS_ABI_UINT, t->size = n;
    else if (wl > 3 && !strncmp(w, "int", 3) && parse_uint_suffix(w + 3, wl - 3, &n) && int_width_ok(n))
        t->kind = MPAVS_ABI_INT, t->size = n;
    else {
        free(t);
        c->err = MPAVS_ABI_ERR_TYPE_SYNTAX;
        return NULL;
    }
    return t;
}

/* Wrap t in array suffixes "[]" / "[k]" found at the cursor. */
static mpavs_abi_type *parse_array_suffixes(cursor *c, mpavs_abi_type *t, int depth) {
    while (c->s[c->i] == '[') {
        if (++depth > MPAVS_ABI_MAX_DEPTH) {
            c->err = MPAVS_ABI_ERR_TOO_DEEP;
            goto fail;
        }
        c->i++;
        mpavs_abi_type *a = calloc(1, sizeof *a);
        if (!a) {
            c->err = MPAVS_ABI_ERR_NOMEM;
            goto fail;
        }
        a->elem = t;
        t = a;
        if (c->s[c->i] == ']') {
            a->kind = MPAVS_ABI_ARRAY;
            c->i++;
            continue;
        }
        size_t v = 0, digits = 0;
        while (isdigit((unsigned char)c->s[c->i])) {
            v = v * 10 + (size_t)(c->s[c->i++] - '0');
            if (++digits > 9) break; /* far beyond any sensible fixed array */
        }
        if (!digits || digits > 9 || c->s[c->i] != ']') {
            c->err = MPAVS_ABI_ERR_TYPE_SYNTAX;
            goto fail;
        }
        c->i++;
        a->kind = MPAVS_ABI_FIXED_ARRAY;
        a->length = v;
    }
    return t;
fail:
    mpavs_abi_type_free(t);
    return NULL;
}

static mpavs_abi_type *parse_type(cursor *c, int depth) {
    if (depth > MPAVS_ABI_MAX_DEPTH) {
        c->err = MPAVS_ABI_ERR_TOO_DEEP;
        return NULL;
    }
    skip_ws(c);
    mpavs_abi_type *t;
    if (c->s[c->i] == '(') t = parse_tuple(c, depth);
    else if (!strncmp(c->s + c->i, "tuple(", 6)) {
        c->i += 5;
        t = parse_tuple(c, depth);
    } else t = parse_elementary(c);
    if (!t) return NULL;
    return parse_array_suffixes(c, t, depth);
}

/*
 * Nodes of the zero value of t (saturating at limit + 1): fixed arrays are allocated whole.
 * A dynamic array starts empty, but each element it grows is allocated whole too, so an
 * element type over the limit saturates as well.
 */
static size_t value_nodes(const mpavs_abi_type *t, size_t limit) {
    size_t n = 1;
    if (t->kind == MPAVS_ABI_FIXED_ARRAY) {
        size_t e = value_nodes(t->elem, limit);
        if (e > limit || (t->length && e > limit / t->length)) return limit + 1;
        n += t->length * e;
    } else if (t->kind == MPAVS_ABI_ARRAY) {
        if (value_nodes(t->elem, limit) > limit) return limit + 1;
    } else if (t->kind == MPAVS_ABI_TUPLE) {
        for (size_t i = 0; i < t->nfields && n <= limit; i++) n += value_nodes(t->fields[i], limit);
    }
    return n > limit ? limit + 1 : n;
}

/* A type whose values would need more than MPAVS_ABI_MAX_NODES nodes is refused up front. */
static bool size_ok(const mpavs_abi_type *t) { return !t || value_nodes(t, MPAVS_ABI_MAX_NODES) <= MPAVS_ABI_MAX_NODES; }

int mpavs_abi_type_parse(mpavs_abi_type **out, const char *s) {
    cursor c = {s, 0, MPAVS_ABI_ERR_TYPE_SYNTAX};
    *out = NULL;
    mpavs_abi_type *t = parse_type(&c, 0);
    if (!t) return c.err;
    skip_ws(&c);
    if (s[c.i] != 0) {
        mpavs_abi_type_free(t);
        return MPAVS_ABI_ERR_TYPE_SYNTAX;
    }
    if (!size_ok(t)) {
        mpavs_abi_type_free(t);
        return MPAVS_ABI_ERR_TOO_LARGE;
    }
    *out = t;
    return MPAVS_ABI_OK;
}

/* Appends to a bounded buffer, counting the full length. */
typedef struct {
    char *out;
    size_t cap, len;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (b->len + 1 < b->cap) b->out[b->len] = s[i];
        b->len++;
    }
    if (b->cap) b->out[b->len < b->cap ? b->len : b->cap - 1] = 0;
}

/* prefix, the decimal digits of v, suffix */
static void sb_putf_num(sbuf *b, const char *prefix, size_t v, const char *suffix) {
    char tmp[48];
    int n = snprintf(tmp, sizeof tmp, "%s%zu%s", prefix, v, suffix);
    sb_put(b, tmp, (size_t)n);
}

static void canon(sbuf *b, const mpavs_abi_type *t) {
    switch (t->kind) {
    case MPAVS_ABI_UINT: sb_putf_num(b, "uint", t->size, ""); break;
    case MPAVS_ABI_INT: sb_putf_num(b, "int", t->size, ""); break;
    case MPAVS_ABI_ADDRESS: sb_put(b, "address", 7); break;
    case MPAVS_ABI_BOOL: sb_put(b, "bool", 4); break;
    case MPAVS_ABI_FIXED_BYTES: sb_putf_num(b, "bytes", t->size, ""); break;
    case MPAVS_ABI_BYTES: sb_put(b, "bytes", 5); break;
    case MPAVS_ABI_STRING: sb_put(b, "string", 6); break;
    case MPAVS_ABI_ARRAY:
        canon(b, t->elem);
        sb_put(b, "[]", 2);
        break;
    case MPAVS_ABI_FIXED_ARRAY:
        canon(b, t->elem);
        sb_putf_num(b, "[", t->length, "]");
        break;
    case MPAVS_ABI_TUPLE:
        sb_put(b, "(", 1);
        for (size_t i = 0; i < t->nfields; i++) {
            if (i) sb_put(b, ",", 1);
            canon(b, t->fields[i]);
        }
        sb_put(b, ")", 1);
        break;
    }
}

size_t mpavs_abi_type_canonical(char *out, size_t cap, const mpavs_abi_type *t) {
    sbuf b = {out, cap, 0};
    if (cap) out[0] = 0;
    canon(&b, t);
    return b.len;
}

bool mpavs_abi_type_is_dynamic(const mpavs_abi_type *t) {
    switch (t->kind) {
    case MPAVS_ABI_BYTES:
    case MPAVS_ABI_STRING:
    case MPAVS_ABI_ARRAY: return true;
    case MPAVS_ABI_FIXED_ARRAY: return t->length > 0 && mpavs_abi_type_is_dynamic(t->elem);
    case MPAVS_ABI_TUPLE:
        for (size_t i = 0; i < t->nfields; i++)
            if (mpavs_abi_type_is_dynamic(t->fields[i])) return true;
        return false;
    default: return false;
    }
}

size_t abi_head_size(const mpavs_abi_type *t) {
    if (mpavs_abi_type_is_dynamic(t)) return 32;
    switch (t->kind) {
    case MPAVS_ABI_FIXED_ARRAY: {
        size_t e = abi_head_size(t->elem);
        return e && t->length > SIZE_MAX / 2 / e ? SIZE_MAX / 2 : e * t->length;
    }
    case MPAVS_ABI_TUPLE: {
        size_t s = 0;
        for (size_t i = 0; i < t->nfields; i++) {
            s += abi_head_size(t->fields[i]);
            if (s > SIZE_MAX / 2) return SIZE_MAX / 2;
        }
        return s;
    }
    default: return 32;
    }
}

void mpavs_abi_signature_free(mpavs_abi_signature *s) {
    if (!s) return;
    free(s->name);
    mpavs_abi_type_free(s->inputs);
    mpavs_abi_type_free(s->outputs);
    free(s->canonical);
    free(s);
}

/* Parse an optional output list: "(T...)" or "returns (T...)". */
static int parse_outputs(cursor *c, mpavs_abi_signature *s) {
    skip_ws(c);
    if (!strncmp(c->s + c->i, "returns", 7)) {
        c->i += 7;
        skip_ws(c);
    } else if (c->s[c->i] != '(') return MPAVS_ABI_OK;
    s->outputs = parse_tuple(c, 0);
    return s->outputs ? MPAVS_ABI_OK : c->err;
}

int mpavs_abi_signature_parse(mpavs_abi_signature **out, const char *sig) {
    *out = NULL;
    cursor c = {sig, 0, MPAVS_ABI_ERR_TYPE_SYNTAX};
    skip_ws(&c);
    static const char *const kw[] = {"function ", "event ", "error "};
    for (size_t k = 0; k < 3; k++)
        if (!strncmp(sig + c.i, kw[k], strlen(kw[k]))) {
            c.i += strlen(kw[k]);
            skip_ws(&c);
            break;
        }
    size_t st = c.i;
    while (is_ident((unsigned char)sig[c.i])) c.i++;
    size_t nl = c.i - st;
    skip_ws(&c);
    if (sig[c.i] != '(') return MPAVS_ABI_ERR_TYPE_SYNTAX;
    mpavs_abi_signature *s = calloc(1, sizeof *s);
    if (!s) return MPAVS_ABI_ERR_NOMEM;
    int r = MPAVS_ABI_ERR_NOMEM;
    s->name = malloc(nl + 1);
    if (!s->name) goto fail;
    memcpy(s->name, sig + st, nl);
    s->name[nl] = 0;
    s->inputs = parse_tuple(&c, 0);
    if (!s->inputs) {
        r = c.err;
        goto fail;
    }
    if ((r = parse_outputs(&c, s)) != MPAVS_ABI_OK) goto fail;
    skip_ws(&c);
    if (!strncmp(sig + c.i, "anonymous", 9)) {
        c.i += 9;
        skip_ws(&c);
    }
    if (sig[c.i] != 0) {
        r = MPAVS_ABI_ERR_TYPE_SYNTAX;
        goto fail;
    }
    if (!size_ok(s->inputs) || !size_ok(s->outputs)) {
        r = MPAVS_ABI_ERR_TOO_LARGE;
        goto fail;
    }
    r = MPAVS_ABI_ERR_NOMEM;
    size_t need = nl + mpavs_abi_type_canonical(NULL, 0, s->inputs) + 1;
    s->canonical = malloc(need);
    if (!s->canonical) goto fail;
    memcpy(s->canonical, s->name, nl);
    mpavs_abi_type_canonical(s->canonical + nl, need - nl, s->inputs);
    *out = s;
    return MPAVS_ABI_OK;
fail:
    mpavs_abi_signature_free(s);
    return r;
}

void mpavs_abi_signature_selector(uint8_t out[4], const mpavs_abi_signature *s) {
    uint8_t h[32];
    mpavs_keccak256(h, s->canonical, strlen(s->canonical));
    memcpy(out, h, 4);
}

void mpavs_abi_signature_topic(uint8_t out[32], const mpavs_abi_signature *s) {
    mpavs_keccak256(out, s->canonical, strlen(s->canonical));
}

int mpavs_abi_selector(uint8_t out[4], const char *sig) {
    mpavs_abi_signature *s;
    int r = mpavs_abi_signature_parse(&s, sig);
    if (r) return r;
    mpavs_abi_signature_selector(out, s);
    mpavs_abi_signature_free(s);
    return MPAVS_ABI_OK;
}

int mpavs_abi_event_topic(uint8_t out[32], const char *sig) {
    mpavs_abi_signature *s;
    int r = mpavs_abi_signature_parse(&s, sig);
    if (r) return r;
    mpavs_abi_signature_topic(out, s);
    mpavs_abi_signature_free(s);
    return MPAVS_ABI_OK;
}

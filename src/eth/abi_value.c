/* ABI value trees: construction, cast-syntax parsing, formatting. */
#include "abi_internal.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void value_clear(mpavs_abi_value *v) {
    for (size_t i = 0; i < v->n; i++) value_clear(&v->items[i]);
    free(v->items);
    free(v->data);
    v->items = NULL;
    v->data = NULL;
    v->n = v->len = 0;
}

void mpavs_abi_value_free(mpavs_abi_value *v) {
    if (!v) return;
    value_clear(v);
    free(v);
}

/* Initialise *v (already zeroed) as the zero value of t. */
static bool value_init(mpavs_abi_value *v, const mpavs_abi_type *t) {
    v->type = t;
    size_t n = t->kind == MPAVS_ABI_FIXED_ARRAY ? t->length : t->kind == MPAVS_ABI_TUPLE ? t->nfields : 0;
    if (n == 0) return true;
    v->items = calloc(n, sizeof *v->items);
    if (!v->items) return false;
    v->n = n;
    for (size_t i = 0; i < n; i++)
        if (!value_init(&v->items[i], t->kind == MPAVS_ABI_TUPLE ? t->fields[i] : t->elem)) return false;
    return true;
}

mpavs_abi_value *mpavs_abi_value_new(const mpavs_abi_type *t) {
    mpavs_abi_value *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    if (!value_init(v, t)) {
        mpavs_abi_value_free(v);
        return NULL;
    }
    return v;
}

void mpavs_abi_value_move(mpavs_abi_value *dst, mpavs_abi_value *src) {
    value_clear(dst);
    *dst = *src;
    free(src);
}

int mpavs_abi_value_resize(mpavs_abi_value *v, size_t n) {
    MPAVS_REQUIRE(v->type->kind == MPAVS_ABI_ARRAY);
    for (size_t i = n; i < v->n; i++) value_clear(&v->items[i]);
    if (n == 0) {
        free(v->items);
        v->items = NULL;
        v->n = 0;
        return MPAVS_ABI_OK;
    }
    mpavs_abi_value *ni = realloc(v->items, n * sizeof *ni);
    if (!ni) return MPAVS_ABI_ERR_NOMEM;
    v->items = ni;
    for (size_t i = v->n; i < n; i++) {
        memset(&ni[i], 0, sizeof ni[i]);
        if (!value_init(&ni[i], v->type->elem)) {
            v->n = i + 1;
            return MPAVS_ABI_ERR_NOMEM;
        }
    }
    v->n = n;
    return MPAVS_ABI_OK;
}

int mpavs_abi_value_set_bytes(mpavs_abi_value *v, const void *data, size_t len) {
    uint8_t *d = malloc(len + 1);
    if (!d) return MPAVS_ABI_ERR_NOMEM;
    if (len) memcpy(d, data, len);
    d[len] = 0;
    free(v->data);
    v->data = d;
    v->len = len;
    return MPAVS_ABI_OK;
}

/* ---- parsing cast's argument syntax ---- */

typedef struct {
    const char *s;
    size_t i;
} pcur;

static void pws(pcur *c) {
    while (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\n') c->i++;
}

/* A bare token inside a container ends at , ] ) (outside quotes); top level: the rest. */
static void token_bounds(pcur *c, bool nested, size_t *st, size_t *len) {
    *st = c->i;
    if (!nested) {
        c->i += strlen(c->s + c->i);
    } else {
        while (c->s[c->i] && c->s[c->i] != ',' && c->s[c->i] != ']' && c->s[c->i] != ')') c->i++;
    }
    size_t e = c->i;
    if (nested)
        while (e > *st && (c->s[e - 1] == ' ' || c->s[e - 1] == '\t')) e--;
    *len = e - *st;
}

/* Range check of a two's complement word for intN / uintN. */
static bool fits(const mpavs_abi_type *t, const mpavs_u256 *w) {
    if (t->size == 256) return true;
    if (t->kind == MPAVS_ABI_UINT) return mpavs_u256_bits(w) <= t->size;
    /* intN: the top 256-N+1 bits are all equal */
    mpavs_u256 s;
    mpavs_u256_shr(&s, w, t->size - 1);
    mpavs_u256 allones = {{~0ULL, ~0ULL, ~0ULL, ~0ULL}}, top;
    mpavs_u256_shr(&top, &allones, t->size - 1);
    return mpavs_u256_is_zero(&s) || mpavs_u256_cmp(&s, &top) == 0;
}

static int parse_integer(mpavs_abi_value *v, const char *s, size_t len) {
    bool neg = len > 0 && s[0] == '-';
    if (neg && v->type->kind != MPAVS_ABI_INT) return MPAVS_ABI_ERR_RANGE;
    mpavs_u256 w;
    int r = mpavs_u256_parse(&w, s + neg, len - neg);
    if (r == MPAVS_U256_ERR_OVERFLOW) return MPAVS_ABI_ERR_RANGE;
    if (r) return MPAVS_ABI_ERR_VALUE_SYNTAX;
    if (v->type->kind == MPAVS_ABI_INT) {
        /* magnitude limit: 2^(N-1)-1 for positive, 2^(N-1) for negative */
        unsigned bits = mpavs_u256_bits(&w);
        if (bits > v->type->size) return MPAVS_ABI_ERR_RANGE;
        if (bits == v->type->size) {
            mpavs_u256 lim = {{0}};
            lim.w[(v->type->size - 1) / 64] = 1ULL << ((v->type->size - 1) % 64);
            if (!neg || mpavs_u256_cmp(&w, &lim) != 0) return MPAVS_ABI_ERR_RANGE;
        }
        if (neg) mpavs_u256_neg(&w, &w);
    } else if (!fits(v->type, &w))
        return MPAVS_ABI_ERR_RANGE;
    v->word = w;
    return MPAVS_ABI_OK;
}

static int parse_address(mpavs_abi_value *v, const char *s, size_t len) {
    size_t n;
    if (len != 42 || s[0] != '0' || (s[1] | 0x20) != 'x') return MPAVS_ABI_ERR_VALUE_SYNTAX;
    if (mpavs_hex_decode(v->fixed, 20, &n, s, len) != MPAVS_HEX_OK || n != 20) return MPAVS_ABI_ERR_VALUE_SYNTAX;
    bool upper = false, lower = false;
    for (size_t i = 2; i < 42; i++) {
        if (s[i] >= 'a' && s[i] <= 'f') lower = true;
        if (s[i] >= 'A' && s[i] <= 'F') upper = true;
    }
    if (upper && lower) {
        char ck[43];
        mpavs_address a;
        memcpy(a.bytes, v->fixed, 20);
        mpavs_address_to_checksum(ck, &a);
        if (memcmp(ck + 2, s + 2, 40) != 0) return MPAVS_ABI_ERR_CHECKSUM;
    }
    return MPAVS_ABI_OK;
}

static int parse_hex_bytes(mpavs_abi_value *v, const char *s, size_t len) {
    if (len < 2 || s[0] != '0' || (s[1] | 0x20) != 'x') return MPAVS_ABI_ERR_VALUE_SYNTAX;
    uint8_t *buf = malloc(len / 2 + 1);
    if (!buf) return MPAVS_ABI_ERR_NOMEM;
    size_t n;
    int r = MPAVS_ABI_OK;
    if (mpavs_hex_decode(buf, len / 2 + 1, &n, s, len) != MPAVS_HEX_OK) r = MPAVS_ABI_ERR_VALUE_SYNTAX;
    else if (v->type->kind == MPAVS_ABI_FIXED_BYTES) {
        if (n != v->type->size) r = MPAVS_ABI_ERR_VALUE_SYNTAX;
        else memcpy(v->fixed, buf, n);
    } else r = mpavs_abi_value_set_bytes(v, buf, n);
    free(buf);
    return r;
}

static int parse_string(mpavs_abi_value *v, pcur *c, bool nested) {
    if (nested && c->s[c->i] == '"') {
        c->i++;
        size_t cap = 16, n = 0;
        char *b = malloc(cap);
        if (!b) return MPAVS_ABI_ERR_NOMEM;
        while (c->s[c->i] && c->s[c->i] != '"') {
            char ch = c->s[c->i++];
            if (ch == '\\' && c->s[c->i]) ch = c->s[c->i++];
            if (n + 1 >= cap) {
                char *nb = realloc(b, cap *= 2);
                if (!nb) {
                    free(b);
                    return MPAVS_ABI_ERR_NOMEM;
                }
                b = nb;
            }
            b[n++] = ch;
        }
        if (c->s[c->i] != '"') {
            free(b);
            return MPAVS_ABI_ERR_VALUE_SYNTAX;
        }
        c->i++;
        int r = mpavs_abi_value_set_bytes(v, b, n);
        free(b);
        return r;
    }
    size_t st, len;
    token_bounds(c, nested, &st, &len);
    return mpavs_abi_value_set_bytes(v, c->s + st, len);
}

static int parse_value(mpavs_abi_value *v, pcur *c, bool nested, int depth);

/* "[a, b]" into an array value (dynamic arrays grow; fixed need exactly k). */
static int parse_list(mpavs_abi_value *v, pcur *c, int depth, char open, char close) {
    if (c->s[c->i] != open) return MPAVS_ABI_ERR_VALUE_SYNTAX;
    c->i++;
    pws(c);
    const mpavs_abi_type *t = v->type;
    size_t k = 0;
    int r;
    if (c->s[c->i] == close) c->i++;
    else
        for (;;) {
            if (t->kind == MPAVS_ABI_ARRAY) {
                if ((r = mpavs_abi_value_resize(v, k + 1)) != MPAVS_ABI_OK) return r;
            } else if (k >= v->n)
                return MPAVS_ABI_ERR_MISMATCH;
            pws(c);
            if ((r = parse_value(&v->items[k], c, true, depth + 1)) != MPAVS_ABI_OK) return r;
            k++;
            pws(c);
            if (c->s[c->i] == ',') {
                c->i++;
                continue;
            }
            if (c->s[c->i] == close) {
                c->i++;
                break;
            }
            return MPAVS_ABI_ERR_VALUE_SYNTAX;
        }
    if (t->kind != MPAVS_ABI_ARRAY && k != v->n) return MPAVS_ABI_ERR_MISMATCH;
    return MPAVS_ABI_OK;
}

static int parse_value(mpavs_abi_value *v, pcur *c, bool nested, int depth) {
    if (depth > MPAVS_ABI_MAX_DEPTH) return MPAVS_ABI_ERR_TOO_DEEP;
    const mpavs_abi_type *t = v->type;
    size_t st, len;
    switch (t->kind) {
    case MPAVS_ABI_ARRAY:
    case MPAVS_ABI_FIXED_ARRAY: return parse_list(v, c, depth, '[', ']');
    case MPAVS_ABI_TUPLE: return parse_list(v, c, depth, '(', ')');
    case MPAVS_ABI_STRING: return parse_string(v, c, nested);
    default: break;
    }
    token_bounds(c, nested, &st, &len);
    const char *s = c->s + st;
    switch (t->kind) {
    case MPAVS_ABI_UINT:
    case MPAVS_ABI_INT: return parse_integer(v, s, len);
    case MPAVS_ABI_BOOL:
        if (len == 4 && !strncmp(s, "true", 4)) v->word = mpavs_u256_from_u64(1);
        else if (len == 5 && !strncmp(s, "false", 5)) v->word = mpavs_u256_from_u64(0);
        else return MPAVS_ABI_ERR_VALUE_SYNTAX;
        return MPAVS_ABI_OK;
    case MPAVS_ABI_ADDRESS: return parse_address(v, s, len);
    default: return parse_hex_bytes(v, s, len);
    }
}

int mpavs_abi_value_parse(mpavs_abi_value **out, const mpavs_abi_type *t, const char *text) {
    *out = NULL;
    mpavs_abi_value *v = mpavs_abi_value_new(t);
    if (!v) return MPAVS_ABI_ERR_NOMEM;
    pcur c = {text, 0};
    bool container = t->kind == MPAVS_ABI_ARRAY || t->kind == MPAVS_ABI_FIXED_ARRAY || t->kind == MPAVS_ABI_TUPLE;
    if (container) pws(&c);
    int r = parse_value(v, &c, false, 0);
    if (r == MPAVS_ABI_OK && container) {
        pws(&c);
        if (text[c.i]) r = MPAVS_ABI_ERR_VALUE_SYNTAX;
    }
    if (r) {
        mpavs_abi_value_free(v);
        return r;
    }
    *out = v;
    return MPAVS_ABI_OK;
}

/* ---- formatting ---- */

typedef struct {
    char *b;
    size_t len, cap;
    bool oom;
} dbuf;

static void db_put(dbuf *d, const char *s, size_t n) {
    if (d->oom) return;
    if (d->len + n + 1 > d->cap) {
        size_t nc = d->cap ? d->cap : 64;
        while (nc < d->len + n + 1) nc *= 2;
        char *nb = realloc(d->b, nc);
        if (!nb) {
            d->oom = true;
            return;
        }
        d->b = nb;
        d->cap = nc;
    }
    memcpy(d->b + d->len, s, n);
    d->len += n;
    d->b[d->len] = 0;
}

static void db_str(dbuf *d, const char *s) { db_put(d, s, strlen(s)); }

static void db_hex(dbuf *d, const uint8_t *p, size_t n) {
    static const char dg[] = "0123456789abcdef";
    db_put(d, "0x", 2);
    for (size_t i = 0; i < n; i++) {
        char two[2] = {dg[p[i] >> 4], dg[p[i] & 15]};
        db_put(d, two, 2);
    }
}

static void format_value(dbuf *d, const mpavs_abi_value *v, bool nested) {
    const mpavs_abi_type *t = v->type;
    char num[80];
    switch (t->kind) {
    case MPAVS_ABI_UINT:
        (void)mpavs_u256_to_dec(num, sizeof num, &v->word);
        db_str(d, num);
        break;
    case MPAVS_ABI_INT:
        if (mpavs_u256_bit(&v->word, 255)) {
            mpavs_u256 m;
            mpavs_u256_neg(&m, &v->word);
            num[0] = '-';
            (void)mpavs_u256_to_dec(num + 1, sizeof num - 1, &m);
        } else
            (void)mpavs_u256_to_dec(num, sizeof num, &v->word);
        db_str(d, num);
        break;
    case MPAVS_ABI_BOOL: db_str(d, mpavs_u256_is_zero(&v->word) ? "false" : "true"); break;
    case MPAVS_ABI_ADDRESS: {
        mpavs_address a;
        memcpy(a.bytes, v->fixed, 20);
        mpavs_address_to_checksum(num, &a);
        db_str(d, num);
        break;
    }
    case MPAVS_ABI_FIXED_BYTES: db_hex(d, v->fixed, t->size); break;
    case MPAVS_ABI_BYTES: db_hex(d, v->data, v->len); break;
    case MPAVS_ABI_STRING:
        if (!nested) {
            db_put(d, (const char *)v->data, v->len);
            break;
        }
        db_put(d, "\"", 1);
        for (size_t i = 0; i < v->len; i++) {
            if (v->data[i] == '"' || v->data[i] == '\\') db_put(d, "\\", 1);
            db_put(d, (const char *)&v->data[i], 1);
        }
        db_put(d, "\"", 1);
        break;
    case MPAVS_ABI_ARRAY:
    case MPAVS_ABI_FIXED_ARRAY:
    case MPAVS_ABI_TUPLE: {
        bool tup = t->kind == MPAVS_ABI_TUPLE;
        db_put(d, tup ? "(" : "[", 1);
        for (size_t i = 0; i < v->n; i++) {
            if (i) db_put(d, ", ", 2);
            format_value(d, &v->items[i], true);
        }
        db_put(d, tup ? ")" : "]", 1);
        break;
    }
    }
}

int mpavs_abi_value_format(char **out, const mpavs_abi_value *v) {
    dbuf d = {0};
    db_put(&d, "", 0);
    format_value(&d, v, false);
    if (d.oom) {
        free(d.b);
        *out = NULL;
        return MPAVS_ABI_ERR_NOMEM;
    }
    *out = d.b;
    return MPAVS_ABI_OK;
}

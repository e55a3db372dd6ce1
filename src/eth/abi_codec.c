/* ABI encoding and strict, bounded decoding; calldata, event logs, revert data. */
#include "abi_internal.h"

#include "mpavs/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- encoding ---- */

typedef struct {
    uint8_t *b;
    size_t len, cap;
    bool oom;
} obuf;

static size_t ob_reserve(obuf *o, size_t n) {
    if (o->oom) return 0;
    if (o->len + n > o->cap) {
        size_t nc = o->cap ? o->cap : 256;
        while (nc < o->len + n) nc *= 2;
        uint8_t *nb = realloc(o->b, nc);
        if (!nb) {
            o->oom = true;
            return 0;
        }
        o->b = nb;
        o->cap = nc;
    }
    size_t at = o->len;
    memset(o->b + at, 0, n);
    o->len += n;
    return at;
}

static void ob_word(obuf *o, const mpavs_u256 *w) {
    size_t at = ob_reserve(o, 32);
    if (!o->oom) mpavs_u256_to_be32(o->b + at, w);
}

static void ob_word_at(obuf *o, size_t at, uint64_t v) {
    mpavs_u256 w = mpavs_u256_from_u64(v);
    if (!o->oom) mpavs_u256_to_be32(o->b + at, &w);
}

static void ob_padded(obuf *o, const uint8_t *p, size_t n) {
    size_t padded = (n + 31) / 32 * 32;
    size_t at = ob_reserve(o, padded);
    if (!o->oom && n) memcpy(o->b + at, p, n);
}

static int encode_value(obuf *o, const mpavs_abi_value *v);

/* Heads then tails of a sequence (tuple components or array elements). */
static int encode_seq(obuf *o, const mpavs_abi_value *items, size_t n) {
    size_t start = o->len;
    size_t *slots = n ? calloc(n, sizeof *slots) : NULL;
    if (n && !slots) return MPAVS_ABI_ERR_NOMEM;
    int r = MPAVS_ABI_OK;
    for (size_t i = 0; i < n && r == MPAVS_ABI_OK; i++) {
        if (mpavs_abi_type_is_dynamic(items[i].type)) slots[i] = ob_reserve(o, 32);
        else r = encode_value(o, &items[i]);
    }
    for (size_t i = 0; i < n && r == MPAVS_ABI_OK; i++) {
        if (!mpavs_abi_type_is_dynamic(items[i].type)) continue;
        ob_word_at(o, slots[i], o->len - start);
        r = encode_value(o, &items[i]);
    }
    free(slots);
    return o->oom ? MPAVS_ABI_ERR_NOMEM : r;
}

static int encode_value(obuf *o, const mpavs_abi_value *v) {
    const mpavs_abi_type *t = v->type;
    mpavs_u256 w = {{0}};
    switch (t->kind) {
    case MPAVS_ABI_UINT:
    case MPAVS_ABI_INT:
    case MPAVS_ABI_BOOL: ob_word(o, &v->word); break;
    case MPAVS_ABI_ADDRESS: {
        size_t at = ob_reserve(o, 32);
        if (!o->oom) memcpy(o->b + at + 12, v->fixed, 20);
        break;
    }
    case MPAVS_ABI_FIXED_BYTES: ob_padded(o, v->fixed, t->size); break;
    case MPAVS_ABI_BYTES:
    case MPAVS_ABI_STRING:
        w = mpavs_u256_from_u64(v->len);
        ob_word(o, &w);
        ob_padded(o, v->data, v->len);
        break;
    case MPAVS_ABI_ARRAY:
        w = mpavs_u256_from_u64(v->n);
        ob_word(o, &w);
        return encode_seq(o, v->items, v->n);
    case MPAVS_ABI_FIXED_ARRAY:
        if (v->n != t->length) return MPAVS_ABI_ERR_MISMATCH;
        return encode_seq(o, v->items, v->n);
    case MPAVS_ABI_TUPLE:
        if (v->n != t->nfields) return MPAVS_ABI_ERR_MISMATCH;
        return encode_seq(o, v->items, v->n);
    }
    return o->oom ? MPAVS_ABI_ERR_NOMEM : MPAVS_ABI_OK;
}

static int encode_into(obuf *o, uint8_t **out, size_t *len, const mpavs_abi_value *v) {
    int r = encode_value(o, v);
    if (r == MPAVS_ABI_OK && o->oom) r = MPAVS_ABI_ERR_NOMEM;
    if (r) {
        free(o->b);
        *out = NULL;
        *len = 0;
        return r;
    }
    if (!o->b) o->b = malloc(1); /* empty encoding: still a valid pointer */
    if (!o->b) return MPAVS_ABI_ERR_NOMEM;
    *out = o->b;
    *len = o->len;
    return MPAVS_ABI_OK;
}

int mpavs_abi_encode(uint8_t **out, size_t *len, const mpavs_abi_value *v) {
    obuf o = {0};
    return encode_into(&o, out, len, v);
}

int mpavs_abi_encode_call(uint8_t **out, size_t *len, const mpavs_abi_signature *sig, const mpavs_abi_value *args) {
    if (args->type->kind != MPAVS_ABI_TUPLE || args->n != sig->inputs->nfields) return MPAVS_ABI_ERR_MISMATCH;
    obuf o = {0};
    size_t at = ob_reserve(&o, 4);
    if (o.oom) return MPAVS_ABI_ERR_NOMEM;
    mpavs_abi_signature_selector(o.b + at, sig);
    return encode_into(&o, out, len, args);
}

/* ---- decoding ---- */

typedef struct {
    const uint8_t *d;
    size_t len;
    size_t budget; /* remaining items + copied bytes allowed */
} dctx;

static int spend(dctx *c, size_t n) {
    if (n > c->budget) return MPAVS_ABI_ERR_TOO_LARGE;
    c->budget -= n;
    return MPAVS_ABI_OK;
}

/* Read a word at pos as a size (offset or length) that must fit in 63 bits. */
static int read_size(dctx *c, size_t pos, size_t *out) {
    if (pos > c->len || c->len - pos < 32) return MPAVS_ABI_ERR_TRUNCATED;
    for (int i = 0; i < 24; i++)
        if (c->d[pos + i]) return MPAVS_ABI_ERR_OFFSET;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++) v = v << 8 | c->d[pos + i];
    if (v > c->len) return MPAVS_ABI_ERR_OFFSET;
    *out = (size_t)v;
    return MPAVS_ABI_OK;
}

static int decode_at(dctx *c, mpavs_abi_value *v, size_t pos, int depth);

/* Decode n items (types from the tuple type, or elem) whose heads start at `start`. */
static int decode_seq(dctx *c, mpavs_abi_value *v, size_t start, int depth) {
    size_t head = start;
    if (start > c->len) return MPAVS_ABI_ERR_TRUNCATED;
    for (size_t i = 0; i < v->n; i++) {
        const mpavs_abi_type *it = v->items[i].type;
        int r;
        if (mpavs_abi_type_is_dynamic(it)) {
            size_t off;
            if ((r = read_size(c, head, &off)) != MPAVS_ABI_OK) return r;
            if (off > c->len - start) return MPAVS_ABI_ERR_OFFSET;
            r = decode_at(c, &v->items[i], start + off, depth + 1);
            head += 32;
        } else {
            r = decode_at(c, &v->items[i], head, depth + 1);
            head += abi_head_size(it);
        }
        if (r) return r;
    }
    return MPAVS_ABI_OK;
}

static int decode_word_value(dctx *c, mpavs_abi_value *v, size_t pos) {
    const mpavs_abi_type *t = v->type;
    if (pos > c->len || c->len - pos < 32) return MPAVS_ABI_ERR_TRUNCATED;
    const uint8_t *p = c->d + pos;
    mpavs_u256 w = mpavs_u256_from_be32(p);
    switch (t->kind) {
    case MPAVS_ABI_UINT:
        if (mpavs_u256_bits(&w) > t->size) return MPAVS_ABI_ERR_DIRTY;
        v->word = w;
        return MPAVS_ABI_OK;
    case MPAVS_ABI_INT: {
        /* bytes above the value must repeat its sign */
        unsigned nb = t->size / 8;
        uint8_t sign = (p[32 - nb] & 0x80) ? 0xff : 0;
        for (unsigned i = 0; i < 32 - nb; i++)
            if (p[i] != sign) return MPAVS_ABI_ERR_DIRTY;
        v->word = w;
        return MPAVS_ABI_OK;
    }
    case MPAVS_ABI_BOOL:
        if (mpavs_u256_bits(&w) > 1) return MPAVS_ABI_ERR_DIRTY;
        v->word = w;
        return MPAVS_ABI_OK;
    case MPAVS_ABI_ADDRESS:
        for (int i = 0; i < 12; i++)
            if (p[i]) return MPAVS_ABI_ERR_DIRTY;
        memcpy(v->fixed, p + 12, 20);
        return MPAVS_ABI_OK;
    case MPAVS_ABI_FIXED_BYTES:
        for (unsigned i = t->size; i < 32; i++)
            if (p[i]) return MPAVS_ABI_ERR_DIRTY;
        memcpy(v->fixed, p, t->size);
        return MPAVS_ABI_OK;
    default: return MPAVS_ABI_ERR_MISMATCH;
    }
}

static int decode_at(dctx *c, mpavs_abi_value *v, size_t pos, int depth) {
    const mpavs_abi_type *t = v->type;
    int r;
    if (depth > MPAVS_ABI_MAX_DEPTH) return MPAVS_ABI_ERR_TOO_DEEP;
    if ((r = spend(c, 1)) != MPAVS_ABI_OK) return r;
    switch (t->kind) {
    case MPAVS_ABI_BYTES:
    case MPAVS_ABI_STRING: {
        size_t n;
        if ((r = read_size(c, pos, &n)) != MPAVS_ABI_OK) return r;
        if (n > c->len - pos - 32) return MPAVS_ABI_ERR_TRUNCATED;
        if ((r = spend(c, n)) != MPAVS_ABI_OK) return r;
        return mpavs_abi_value_set_bytes(v, c->d + pos + 32, n);
    }
    case MPAVS_ABI_ARRAY: {
        size_t n;
        if ((r = read_size(c, pos, &n)) != MPAVS_ABI_OK) return r;
        size_t hs = abi_head_size(t->elem);
        size_t avail = c->len - pos - 32;
        if (hs && n > avail / hs) return MPAVS_ABI_ERR_TRUNCATED;
        if ((r = spend(c, n)) != MPAVS_ABI_OK) return r;
        if ((r = mpavs_abi_value_resize(v, n)) != MPAVS_ABI_OK) return r;
        return decode_seq(c, v, pos + 32, depth);
    }
    case MPAVS_ABI_FIXED_ARRAY:
    case MPAVS_ABI_TUPLE:
        if ((r = spend(c, v->n)) != MPAVS_ABI_OK) return r;
        return decode_seq(c, v, pos, depth);
    default: return decode_word_value(c, v, pos);
    }
}

/* Budget: decoding may touch at most this many items plus copied bytes. */
static size_t budget_for(size_t len) { return len > SIZE_MAX / 16 ? SIZE_MAX : 8 * len + 4096; }

int mpavs_abi_decode(mpavs_abi_value **out, const mpavs_abi_type *t, const uint8_t *data, size_t len) {
    *out = NULL;
    /* a fixed array/tuple far larger than the data cannot decode; refuse before allocating */
    if (!mpavs_abi_type_is_dynamic(t) && abi_head_size(t) > len) return MPAVS_ABI_ERR_TRUNCATED;
    mpavs_abi_value *v = mpavs_abi_value_new(t);
    if (!v) return MPAVS_ABI_ERR_NOMEM;
    dctx c = {data, len, budget_for(len)};
    int r;
    if (mpavs_abi_type_is_dynamic(t) && t->kind != MPAVS_ABI_TUPLE) {
        /* a lone dynamic value is encoded as a one-element parameter list */
        size_t off;
        r = read_size(&c, 0, &off);
        if (r == MPAVS_ABI_OK) r = decode_at(&c, v, off, 0);
    } else
        r = decode_at(&c, v, 0, 0);
    if (r) {
        mpavs_abi_value_free(v);
        return r;
    }
    *out = v;
    return MPAVS_ABI_OK;
}

int mpavs_abi_decode_call(mpavs_abi_value **out, const mpavs_abi_signature *sig, const uint8_t *data, size_t len) {
    *out = NULL;
    if (len < 4) return MPAVS_ABI_ERR_TRUNCATED;
    uint8_t sel[4];
    mpavs_abi_signature_selector(sel, sig);
    if (memcmp(sel, data, 4) != 0) return MPAVS_ABI_ERR_SELECTOR;
    return mpavs_abi_decode(out, sig->inputs, data + 4, len - 4);
}

int mpavs_abi_decode_log(mpavs_abi_value **out, const mpavs_abi_signature *sig, const uint8_t (*topics)[32],
                         size_t ntopics, const uint8_t *data, size_t len, bool anonymous) {
    *out = NULL;
    const mpavs_abi_type *in = sig->inputs;
    size_t first = 0;
    if (!anonymous) {
        uint8_t t0[32];
        if (ntopics < 1) return MPAVS_ABI_ERR_TRUNCATED;
        mpavs_abi_signature_topic(t0, sig);
        if (memcmp(t0, topics[0], 32) != 0) return MPAVS_ABI_ERR_SELECTOR;
        first = 1;
    }
    /* Build a tuple type of the non-indexed parameters to decode the data part. */
    mpavs_abi_type body = {.kind = MPAVS_ABI_TUPLE};
    size_t nidx = 0;
    body.fields = calloc(in->nfields ? in->nfields : 1, sizeof *body.fields);
    if (!body.fields) return MPAVS_ABI_ERR_NOMEM;
    for (size_t i = 0; i < in->nfields; i++) {
        if (in->indexed && in->indexed[i]) nidx++;
        else body.fields[body.nfields++] = in->fields[i];
    }
    int r = MPAVS_ABI_OK;
    mpavs_abi_value *dv = NULL, *v = NULL;
    if (ntopics < first + nidx) {
        r = MPAVS_ABI_ERR_TRUNCATED;
        goto out;
    }
    if ((r = mpavs_abi_decode(&dv, &body, data, len)) != MPAVS_ABI_OK) goto out;
    v = mpavs_abi_value_new(in);
    if (!v) {
        r = MPAVS_ABI_ERR_NOMEM;
        goto out;
    }
    size_t ti = first, di = 0;
    for (size_t i = 0; i < in->nfields && r == MPAVS_ABI_OK; i++) {
        mpavs_abi_value *dst = &v->items[i];
        if (in->indexed && in->indexed[i]) {
            const uint8_t *topic = topics[ti++];
            if (mpavs_abi_type_is_dynamic(in->fields[i]) || in->fields[i]->kind == MPAVS_ABI_TUPLE ||
                in->fields[i]->kind == MPAVS_ABI_FIXED_ARRAY)
                memcpy(dst->fixed, topic, 32); /* only the hash is on chain */
            else {
                dctx c = {topic, 32, 64};
                r = decode_at(&c, dst, 0, 0);
            }
        } else {
            /* move the decoded data value into place (types are the same objects) */
            mpavs_abi_value tmp = *dst;
            *dst = dv->items[di];
            dv->items[di] = tmp;
            di++;
        }
    }
out:
    mpavs_abi_value_free(dv);
    free(body.fields);
    if (r) {
        mpavs_abi_value_free(v);
        return r;
    }
    *out = v;
    return MPAVS_ABI_OK;
}

/* ---- revert data ---- */

static const char *panic_reason(uint64_t code) {
    switch (code) {
    case 0x00: return "generic panic";
    case 0x01: return "assert failed";
    case 0x11: return "arithmetic overflow or underflow";
    case 0x12: return "division or modulo by zero";
    case 0x21: return "invalid enum value";
    case 0x22: return "invalid storage byte array";
    case 0x31: return "pop on empty array";
    case 0x32: return "array index out of bounds";
    case 0x41: return "out of memory";
    case 0x51: return "call to zero-initialised function";
    default: return "unknown panic code";
    }
}

static int dup_text(char **out, const char *s) {
    *out = strdup(s);
    return *out ? MPAVS_ABI_OK : MPAVS_ABI_ERR_NOMEM;
}

/* Decode data against sig and format "Name(args...)"; returns OK and text, or an error. */
static int try_custom(char **out, const mpavs_abi_signature *sig, const uint8_t *data, size_t len) {
    mpavs_abi_value *v;
    int r = mpavs_abi_decode_call(&v, sig, data, len);
    if (r) return r;
    char *args = NULL;
    r = mpavs_abi_value_format(&args, v);
    mpavs_abi_value_free(v);
    if (r) return r;
    size_t n = strlen(sig->name) + strlen(args) + 1;
    *out = malloc(n);
    if (*out) snprintf(*out, n, "%s%s", sig->name, args);
    free(args);
    return *out ? MPAVS_ABI_OK : MPAVS_ABI_ERR_NOMEM;
}

int mpavs_abi_decode_revert(char **out, const uint8_t *data, size_t len, const char *const *errors, size_t n) {
    *out = NULL;
    if (len == 0) return dup_text(out, "reverted without data");
    if (len >= 4) {
        static const uint8_t ERROR_SEL[4] = {0x08, 0xc3, 0x79, 0xa0}; /* Error(string) */
        static const uint8_t PANIC_SEL[4] = {0x4e, 0x48, 0x7b, 0x71}; /* Panic(uint256) */
        mpavs_abi_type str = {.kind = MPAVS_ABI_STRING}, u = {.kind = MPAVS_ABI_UINT, .size = 256};
        mpavs_abi_value *v = NULL;
        if (!memcmp(data, ERROR_SEL, 4) && mpavs_abi_decode(&v, &str, data + 4, len - 4) == MPAVS_ABI_OK) {
            int r = dup_text(out, (const char *)v->data);
            mpavs_abi_value_free(v);
            return r;
        }
        if (!memcmp(data, PANIC_SEL, 4) && mpavs_abi_decode(&v, &u, data + 4, len - 4) == MPAVS_ABI_OK) {
            char buf[128];
            uint64_t code = v->word.w[0];
            bool big = v->word.w[1] | v->word.w[2] | v->word.w[3];
            snprintf(buf, sizeof buf, "panic 0x%02llx (%s)", (unsigned long long)code,
                     big ? "unknown panic code" : panic_reason(code));
            mpavs_abi_value_free(v);
            return dup_text(out, buf);
        }
        for (size_t i = 0; i < n; i++) {
            mpavs_abi_signature *sig;
            if (mpavs_abi_signature_parse(&sig, errors[i]) != MPAVS_ABI_OK) continue;
            int r = try_custom(out, sig, data, len);
            mpavs_abi_signature_free(sig);
            if (r == MPAVS_ABI_OK || r == MPAVS_ABI_ERR_NOMEM) return r;
        }
    }
    size_t cap = 2 * len + 32;
    char *s = malloc(cap);
    if (!s) return MPAVS_ABI_ERR_NOMEM;
    strcpy(s, "unknown revert ");
    if (mpavs_hex_encode(s + 15, cap - 15, data, len, true) != MPAVS_HEX_OK) {
        free(s);
        return MPAVS_ABI_ERR_NOMEM;
    }
    *out = s;
    return MPAVS_ABI_OK;
}

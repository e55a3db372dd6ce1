/* The aggregator's JSON wire format with Go encoding/json semantics. */
#include "mpavs/wire.h"

#include "mpavs/hex.h"

#include <gmp.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *FIELD_P = "21888242871839275222246405745257275088696311157297823662689037894645226208583";

const char *mpavs_wire_strerror(int r) {
    switch (r) {
    case MPAVS_WIRE_OK: return "ok";
    case MPAVS_WIRE_ERR_JSON: return "malformed JSON request";
    case MPAVS_WIRE_ERR_FIELD: return "invalid request field";
    case MPAVS_WIRE_ERR_NOMEM: return "out of memory";
    default: return "unknown wire error";
    }
}

void mpavs_wire_task_request_clear(mpavs_wire_task_request *r) {
    free(r->metadata);
    free(r->state);
    free(r->quorum_numbers);
    free(r->quorum_thresholds);
    free(r->prover_signature);
    memset(r, 0, sizeof *r);
}

typedef struct {
    char *msg;
    size_t cap;
} errbuf;

__attribute__((format(printf, 3, 4))) static int fail(errbuf *e, int code, const char *fmt, ...) {
    if (e->cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, e->cap, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Go: object keys match case-insensitively (an exact match wins). */
static json_t *get_ci(const json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (v) return v;
    const char *k;
    json_t *val;
    json_object_foreach((json_t *)obj, k, val) {
        if (!strcasecmp(k, key)) return val;
    }
    return NULL;
}

/* hexutil.Bytes: "0x" + even-length hex; null leaves it empty. */
static int get_bytes(errbuf *e, const json_t *obj, const char *key, uint8_t **out, size_t *len) {
    json_t *v = get_ci(obj, key);
    *out = NULL;
    *len = 0;
    if (!v || json_is_null(v)) return MPAVS_WIRE_OK;
    const char *s = json_string_value(v);
    size_t sl = json_string_length(v);
    if (!s || sl < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: expected a 0x-prefixed hex string", key);
    uint8_t *b = malloc(sl / 2 + 1);
    if (!b) return fail(e, MPAVS_WIRE_ERR_NOMEM, "out of memory");
    if (mpavs_hex_decode(b, sl / 2 + 1, len, s, sl) != MPAVS_HEX_OK) {
        free(b);
        return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: invalid hex (odd length or bad digit)", key);
    }
    *out = b;
    return MPAVS_WIRE_OK;
}

/* hexutil.Big limited to 64 bits: "0x" + hex digits without leading zeros. */
static int get_hexbig_u64(errbuf *e, const json_t *obj, const char *key, uint64_t *out) {
    const char *s = json_string_value(get_ci(obj, key));
    if (!s) return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: expected a 0x hex quantity string", key);
    size_t n = strlen(s);
    if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: hex quantity must start with 0x and have digits", key);
    if (n > 3 && s[2] == '0') return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: hex quantity with leading zero digits", key);
    if (n - 2 > 16) return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: value does not fit in 64 bits", key);
    uint64_t v = 0;
    for (size_t i = 2; i < n; i++) {
        int c = s[i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
        else return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: invalid hex digit", key);
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return MPAVS_WIRE_OK;
}

/* Go uint64 from a JSON number (no fractions, no negatives). */
static int get_u64(errbuf *e, const json_t *obj, const char *key, uint64_t *out, bool required) {
    json_t *v = get_ci(obj, key);
    if (!v || json_is_null(v)) {
        *out = 0;
        return required ? fail(e, MPAVS_WIRE_ERR_FIELD, "%s: missing", key) : MPAVS_WIRE_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: expected a non-negative integer", key);
    *out = (uint64_t)json_integer_value(v);
    return MPAVS_WIRE_OK;
}

/* gnark fp.Element.UnmarshalJSON: number or string, big.Int.SetString(s, 0), then mod p. */
static int get_fp(errbuf *e, const json_t *v, const char *what, uint8_t out[32]) {
    char buf[600];
    if (json_is_integer(v)) snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
    else if (json_is_string(v) && json_string_length(v) < sizeof buf) snprintf(buf, sizeof buf, "%s", json_string_value(v));
    else return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: expected an integer or a decimal/0x string", what);
    /* sign, base prefix, digits with '_' separators (allowed only after a base prefix, as in Go) */
    const char *p = buf;
    bool neg = false;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) base = 16, p += 2;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) base = 2, p += 2;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) base = 8, p += 2;
    else if (p[0] == '0' && p[1]) base = 8, p += 1;
    char digits[600];
    size_t nd = 0;
    bool prev_us = true; /* no leading underscore */
    for (; *p; p++) {
        if (*p == '_') {
            if (base == 10 || prev_us) return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: misplaced '_' in number", what);
            prev_us = true;
            continue;
        }
        digits[nd++] = *p;
        prev_us = false;
    }
    digits[nd] = 0;
    if (nd == 0 || prev_us) return fail(e, MPAVS_WIRE_ERR_FIELD, "%s: not a number", what);
    mpz_t x, m;
    mpz_init(x);
    mpz_init_set_str(m, FIELD_P, 10);
    int rc = MPAVS_WIRE_OK;
    if (mpz_set_str(x, digits, base) != 0) rc = fail(e, MPAVS_WIRE_ERR_FIELD, "%s: not a base-%d number", what, base);
    else {
        if (neg) mpz_neg(x, x);
        mpz_mod(x, x, m); /* non-negative result */
        size_t cnt = 0;
        memset(out, 0, 32);
        uint8_t tmp[32];
        mpz_export(tmp, &cnt, 1, 1, 1, 0, x);
        memcpy(out + 32 - cnt, tmp, cnt);
    }
    mpz_clear(x);
    mpz_clear(m);
    return rc;
}

static int parse_root(json_t **root, errbuf *e, const char *json, size_t len) {
    json_error_t je;
    *root = json_loadb(json, len, 0, &je);
    if (!*root) return fail(e, MPAVS_WIRE_ERR_JSON, "invalid JSON at line %d column %d: %s", je.line, je.column, je.text);
    if (!json_is_object(*root)) {
        json_decref(*root);
        *root = NULL;
        return fail(e, MPAVS_WIRE_ERR_JSON, "expected a JSON object");
    }
    return MPAVS_WIRE_OK;
}

static int parse_task(errbuf *e, mpavs_wire_task_request *r, const json_t *task) {
    int rc;
    uint64_t ref = 0;
    if (!json_is_object(task)) return fail(e, MPAVS_WIRE_ERR_FIELD, "Task: expected an object");
    if ((rc = get_hexbig_u64(e, task, "identifier", &r->identifier)) ||
        (rc = get_bytes(e, task, "metadata", &r->metadata, &r->metadata_len)) ||
        (rc = get_bytes(e, task, "state", &r->state, &r->state_len)) ||
        (rc = get_bytes(e, task, "quorum_numbers", &r->quorum_numbers, &r->quorum_numbers_len)) ||
        (rc = get_bytes(e, task, "quorum_threshold_percentages", &r->quorum_thresholds, &r->quorum_thresholds_len)) ||
        (rc = get_u64(e, task, "reference_blocknumber", &ref, true)))
        return rc;
    if (ref > UINT32_MAX) return fail(e, MPAVS_WIRE_ERR_FIELD, "reference_blocknumber: exceeds uint32");
    r->reference_block = (uint32_t)ref;
    return MPAVS_WIRE_OK;
}

static int parse_signature(errbuf *e, mpavs_wire_task_request *r, const json_t *sig) {
    json_t *g1 = json_is_object(sig) ? get_ci(sig, "g1_point") : NULL;
    if (!json_is_object(g1)) return fail(e, MPAVS_WIRE_ERR_FIELD, "Signature.g1_point: expected an object");
    json_t *x = get_ci(g1, "X"), *y = get_ci(g1, "Y");
    if (!x || !y) return fail(e, MPAVS_WIRE_ERR_FIELD, "Signature.g1_point: needs X and Y");
    int rc = get_fp(e, x, "Signature.g1_point.X", r->sig_x);
    return rc ? rc : get_fp(e, y, "Signature.g1_point.Y", r->sig_y);
}

static int parse_operator_id(errbuf *e, mpavs_wire_task_request *r, const json_t *id) {
    if (!json_is_array(id) || json_array_size(id) != 32)
        return fail(e, MPAVS_WIRE_ERR_FIELD, "OperatorId: expected an array of 32 byte values");
    for (size_t i = 0; i < 32; i++) {
        json_t *b = json_array_get(id, i);
        if (!json_is_integer(b) || json_integer_value(b) < 0 || json_integer_value(b) > 255)
            return fail(e, MPAVS_WIRE_ERR_FIELD, "OperatorId[%zu]: expected an integer 0..255", i);
        r->operator_id[i] = (uint8_t)json_integer_value(b);
    }
    return MPAVS_WIRE_OK;
}

/* The fields of a TaskRequest object (out zeroed by the caller; cleared here on error). */
static int task_request_fields(errbuf *e, mpavs_wire_task_request *out, const json_t *root) {
    int rc;
    if (!(rc = parse_task(e, out, get_ci(root, "Task"))) && !(rc = parse_signature(e, out, get_ci(root, "Signature"))) &&
        !(rc = parse_operator_id(e, out, get_ci(root, "OperatorId"))))
        rc = get_bytes(e, root, "ProverSignature", &out->prover_signature, &out->prover_signature_len);
    if (rc) mpavs_wire_task_request_clear(out);
    return rc;
}

int mpavs_wire_parse_task_request(mpavs_wire_task_request *out, char *msg, size_t msgcap, const char *json,
                                  size_t len) {
    errbuf e = {msg, msgcap};
    memset(out, 0, sizeof *out);
    if (msgcap) msg[0] = 0;
    json_t *root;
    int rc = parse_root(&root, &e, json, len);
    if (rc) return rc;
    rc = task_request_fields(&e, out, root);
    json_decref(root);
    return rc;
}

int mpavs_wire_task_request_from_json(mpavs_wire_task_request *out, char *msg, size_t msgcap,
                                      const struct json_t *tree) {
    errbuf e = {msg, msgcap};
    memset(out, 0, sizeof *out);
    if (msgcap) msg[0] = 0;
    if (!json_is_object(tree)) return fail(&e, MPAVS_WIRE_ERR_JSON, "expected a JSON object");
    return task_request_fields(&e, out, tree);
}

int mpavs_wire_parse_fetch_request(mpavs_wire_fetch_request *out, char *msg, size_t msgcap, const char *json,
                                   size_t len) {
    errbuf e = {msg, msgcap};
    memset(out, 0, sizeof *out);
    if (msgcap) msg[0] = 0;
    json_t *root;
    int rc = parse_root(&root, &e, json, len);
    if (rc) return rc;
    json_t *wc = get_ci(root, "with_context");
    if (!(rc = get_u64(&e, root, "prev_task_id", &out->prev_task_id, false)) &&
        !(rc = get_u64(&e, root, "task_type", &out->task_type, false)) &&
        !(rc = get_u64(&e, root, "max_wait_secs", &out->max_wait_secs, false))) {
        if (wc && !json_is_null(wc) && !json_is_boolean(wc)) rc = fail(&e, MPAVS_WIRE_ERR_FIELD, "with_context: expected a boolean");
        else out->with_context = json_is_true(wc);
    }
    json_decref(root);
    return rc;
}

/* ---- encoding ---- */

static char *hex_of(const uint8_t *b, size_t n) {
    char *s = malloc(2 * n + 3);
    if (s && mpavs_hex_encode(s, 2 * n + 3, b, n, true) != MPAVS_HEX_OK) {
        free(s);
        s = NULL;
    }
    return s;
}

/* gnark fp.Element.MarshalJSON: bare number for <= 15 decimal digits, else a quoted string. */
static json_t *fp_json(const uint8_t be[32]) {
    mpz_t x;
    mpz_init(x);
    mpz_import(x, 32, 1, 1, 1, 0, be);
    char *dec = mpz_get_str(NULL, 10, x);
    json_t *j = NULL;
    if (dec) {
        if (strlen(dec) <= 15) j = json_integer((json_int_t)strtoll(dec, NULL, 10));
        else j = json_string(dec);
        void (*freefn)(void *, size_t);
        mp_get_memory_functions(NULL, NULL, &freefn);
        freefn(dec, strlen(dec) + 1);
    }
    mpz_clear(x);
    return j;
}

int mpavs_wire_format_task_request(char **json, const mpavs_wire_task_request *r) {
    *json = NULL;
    char ident[24];
    snprintf(ident, sizeof ident, "0x%llx", (unsigned long long)r->identifier);
    char *meta = hex_of(r->metadata, r->metadata_len), *state = hex_of(r->state, r->state_len);
    char *qn = hex_of(r->quorum_numbers, r->quorum_numbers_len), *qt = hex_of(r->quorum_thresholds, r->quorum_thresholds_len);
    char *ps = hex_of(r->prover_signature, r->prover_signature_len);
    json_t *id = json_array();
    for (int i = 0; id && i < 32; i++) json_array_append_new(id, json_integer(r->operator_id[i]));
    json_t *root = NULL;
    if (meta && state && qn && qt && ps && id) {
        json_t *task = json_object(), *g1 = json_object(), *sig = json_object();
        root = json_object();
        if (task && g1 && sig && root) {
            json_object_set_new(task, "identifier", json_string(ident));
            json_object_set_new(task, "metadata", json_string(meta));
            json_object_set_new(task, "state", json_string(state));
            json_object_set_new(task, "quorum_numbers", json_string(qn));
            json_object_set_new(task, "quorum_threshold_percentages", json_string(qt));
            json_object_set_new(task, "reference_blocknumber", json_integer(r->reference_block));
            json_object_set_new(g1, "X", fp_json(r->sig_x));
            json_object_set_new(g1, "Y", fp_json(r->sig_y));
            json_object_set_new(sig, "g1_point", g1);
            json_object_set_new(root, "Task", task);
            json_object_set_new(root, "Signature", sig);
            json_object_set_new(root, "OperatorId", id);
            id = NULL;
            json_object_set_new(root, "ProverSignature", json_string(ps));
            *json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
        } else {
            json_decref(task);
            json_decref(g1);
            json_decref(sig);
        }
    }
    json_decref(root);
    json_decref(id);
    free(meta);
    free(state);
    free(qn);
    free(qt);
    free(ps);
    return *json ? MPAVS_WIRE_OK : MPAVS_WIRE_ERR_NOMEM;
}

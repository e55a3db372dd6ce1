/*
 * The two JSON sources: debug_executionWitness results and prestate-tracer
 * block traces (plain and diffMode).
 */
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "witness_internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

bool wit_unhex(uint8_t **out, size_t *len, const char *s, size_t max) {
    *out = NULL, *len = 0;
    if (!s) return false;
    size_t sl = strlen(s);
    if (sl >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, sl -= 2;
    if (sl % 2 || sl / 2 > max) return false;
    uint8_t *b = malloc(sl / 2 + 1);
    if (!b) return false;
    size_t n = 0;
    if (mpavs_hex_decode(b, sl / 2 + 1, &n, s, sl) || n != sl / 2) {
        free(b);
        return false;
    }
    *out = b, *len = n;
    return true;
}

/* A JSON hex string of exactly n bytes. */
static bool fixed_hex(uint8_t *out, size_t n, const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_hex_decode_exact(out, n, s) == 0;
}

/* A quantity: a hex string ("0x1f") or a JSON integer (anvil's nonce). */
static bool quantity(mpavs_u256 *v, const json_t *j) {
    if (json_is_integer(j)) {
        json_int_t i = json_integer_value(j);
        if (i < 0) return false;
        *v = mpavs_u256_from_u64((uint64_t)i);
        return true;
    }
    const char *s = json_string_value(j);
    if (!s) return false;
    size_t l = strlen(s);
    if (l < 3 || s[0] != '0' || s[1] != 'x') return false;
    return mpavs_u256_parse(v, s, l) == 0;
}

/* A storage key or value: a hex string of at most 32 bytes, left-padded. */
static bool word(uint8_t out[32], const json_t *j) {
    const char *s = json_string_value(j);
    if (!s) return false;
    mpavs_u256 v;
    size_t l = strlen(s);
    if (l < 3 || s[0] != '0' || s[1] != 'x' || l > 66) return false;
    if (mpavs_u256_parse(&v, s, l)) return false;
    mpavs_u256_to_be32(out, &v);
    return true;
}

static json_t *load(mpavs_witness *w, int *r, const char *json, size_t len) {
    json_error_t e;
    json_t *j = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);
    if (!j) *r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "not JSON: %s", e.text);
    return j;
}

/* Call add for each hex string of array arr (absent: nothing). */
static int each_hex(mpavs_witness *w, const json_t *arr, const char *what, bool optional,
                    int (*add)(mpavs_witness *, const uint8_t *, size_t)) {
    if (!arr && optional) return 0;
    if (!json_is_array(arr)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "executionWitness: %s is not an array", what);
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        uint8_t *b;
        size_t l;
        if (!wit_unhex(&b, &l, json_string_value(e), w->lim.max_bytes))
            return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "executionWitness: %s[%zu] is not hex", what, i);
        int r = add(w, b, l);
        free(b);
        if (r) return r;
    }
    return 0;
}


int mpavs_witness_parse_execution_witness(mpavs_witness *w, const char *json, size_t len) {
    MPAVS_REQUIRE(w && (json || !len));
    int r = 0;
    json_t *j = load(w, &r, json, len);
    if (!j) return r;
    if (!json_is_object(j)) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "executionWitness: not an object");
        goto out;
    }
    if ((r = each_hex(w, json_object_get(j, "state"), "state", false, mpavs_witness_add_node))) goto out;
    if ((r = each_hex(w, json_object_get(j, "codes"), "codes", true, mpavs_witness_add_code))) goto out;
    if ((r = each_hex(w, json_object_get(j, "headers"), "headers", true, mpavs_witness_add_header))) goto out;
    const json_t *keys = json_object_get(j, "keys");
    if (keys) {
        if (!json_is_array(keys)) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "executionWitness: keys is not an array");
            goto out;
        }
        bool have = false;
        mpavs_address cur;
        size_t i;
        json_t *e;
        json_array_foreach(keys, i, e) {
            uint8_t k[32];
            if (fixed_hex(k, 20, e)) {
                memcpy(cur.bytes, k, 20);
                have = true;
                if ((r = mpavs_witness_touch_account(w, &cur))) goto out;
            } else if (fixed_hex(k, 32, e) && have) {
                if ((r = mpavs_witness_touch_slot(w, &cur, k))) goto out;
            } else {
                r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "executionWitness: keys[%zu] is neither an address nor a slot of one", i);
                goto out;
            }
        }
    }
out:
    json_decref(j);
    return r;
}

/* One account object of a prestate result: touch it and its slots. */
static int touch_obj(mpavs_witness *w, const mpavs_address *a, const json_t *acct) {
    if (!json_is_object(acct)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: account is not an object");
    int r = mpavs_witness_touch_account(w, a);
    if (r) return r;
    const json_t *st = json_object_get(acct, "storage");
    if (!st) return 0;
    if (!json_is_object(st)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: storage is not an object");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)st, k, v) {
        uint8_t slot[32], val[32];
        json_t *ks = json_string(k);
        bool ok = ks && word(slot, ks) && word(val, v);
        json_decref(ks);
        if (!ok) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: malformed storage entry");
        if ((r = mpavs_witness_touch_slot(w, a, slot))) return r;
    }
    return 0;
}

static bool parse_addr(mpavs_address *a, const char *k) {
    return mpavs_hex_decode_exact(a->bytes, 20, k) == 0;
}

/* The changes one transaction's diff makes (pre, post). */
static int diff_changes(mpavs_witness *w, const json_t *pre, const json_t *post) {
    int r;
    const char *k;
    json_t *v;
    /* accounts in pre only: deleted */
    json_object_foreach((json_t *)pre, k, v) {
        mpavs_address a;
        if (!parse_addr(&a, k)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad address %.50s", k);
        if ((r = touch_obj(w, &a, v))) return r;
        if (json_object_get(post, k)) continue;
        wit_chg c = {.kind = CHG_DELETE, .address = a};
        if ((r = wit_change(w, &c))) return r;
    }
    json_object_foreach((json_t *)post, k, v) {
        mpavs_address a;
        if (!parse_addr(&a, k)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad address %.50s", k);
        if ((r = touch_obj(w, &a, v))) return r;
        wit_chg c = {.address = a};
        const json_t *f;
        if ((f = json_object_get(v, "balance"))) {
            c.kind = CHG_BALANCE;
            if (!quantity(&c.value, f)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad balance");
            if ((r = wit_change(w, &c))) return r;
        }
        if ((f = json_object_get(v, "nonce"))) {
            c.kind = CHG_NONCE;
            if (!quantity(&c.value, f) || c.value.w[1] || c.value.w[2] || c.value.w[3])
                return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad nonce");
            if ((r = wit_change(w, &c))) return r;
        }
        if ((f = json_object_get(v, "code"))) {
            uint8_t *code;
            size_t cl;
            if (!wit_unhex(&code, &cl, json_string_value(f), w->lim.max_bytes))
                return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad code");
            mpavs_keccak256(c.code_hash, code, cl);
            r = mpavs_witness_add_code(w, code, cl);
            free(code);
            if (r) return r;
            c.kind = CHG_CODE;
            if ((r = wit_change(w, &c))) return r;
        }
        const json_t *pst = json_object_get(v, "storage");
        const json_t *prst = json_object_get(json_object_get(pre, k), "storage");
        c.kind = CHG_SLOT;
        const char *sk;
        json_t *sv;
        if (json_is_object(pst)) {
            json_object_foreach((json_t *)pst, sk, sv) {
                json_t *ks = json_string(sk);
                uint8_t val[32];
                bool ok = ks && word(c.slot, ks) && word(val, sv);
                json_decref(ks);
                if (!ok) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: malformed storage entry");
                c.value = mpavs_u256_from_be32(val);
                if ((r = wit_change(w, &c))) return r;
            }
        }
        if (json_is_object(prst)) { /* slots in pre and not in post: cleared */
            json_object_foreach((json_t *)prst, sk, sv) {
                if (json_is_object(pst) && json_object_get(pst, sk)) continue;
                json_t *ks = json_string(sk);
                bool ok = ks && word(c.slot, ks);
                json_decref(ks);
                if (!ok) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: malformed storage entry");
                memset(&c.value, 0, sizeof c.value);
                if ((r = wit_change(w, &c))) return r;
            }
        }
    }
    return 0;
}

int mpavs_witness_parse_prestate(mpavs_witness *w, const char *json, size_t len, bool diff) {
    MPAVS_REQUIRE(w && (json || !len));
    int r = 0;
    json_t *j = load(w, &r, json, len);
    if (!j) return r;
    if (!json_is_array(j)) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: not an array of transaction traces");
        goto out;
    }
    size_t i;
    json_t *tx;
    json_array_foreach(j, i, tx) {
        const json_t *res = json_object_get(tx, "result");
        if (!json_is_object(res)) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: trace %zu has no result object", i);
            goto out;
        }
        if (diff) {
            const json_t *pre = json_object_get(res, "pre"), *post = json_object_get(res, "post");
            if (!json_is_object(pre) || !json_is_object(post)) {
                r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: trace %zu lacks pre/post (not diffMode)", i);
                goto out;
            }
            if ((r = diff_changes(w, pre, post))) goto out;
        } else {
            const char *k;
            json_t *v;
            json_object_foreach((json_t *)res, k, v) {
                mpavs_address a;
                if (!parse_addr(&a, k)) {
                    r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "prestate: bad address %.50s", k);
                    goto out;
                }
                if ((r = touch_obj(w, &a, v))) goto out;
            }
        }
    }
out:
    json_decref(j);
    return r;
}

/*
 * RLP against ../shared/vectors/ethtests/RLPTests: rlptest.json (every "in" encoded with
 * our writer must give "out"; "out" decoded with our validating decoder must give "in"
 * back), invalidRLPTest.json (every case refused by mpavs_rlp_decode) and
 * RandomRLPTests (every case accepted).
 */
#include "harness.h"
#include "mpavs/rlp.h"
#include "mpavs/u256.h"

#include <gmp.h>
#include <jansson.h>
#include <stdlib.h>

static json_t *load(const char *rel) {
    json_error_t e;
    json_t *j = json_load_file(harness_shared(rel), JSON_ALLOW_NUL, &e);
    if (!j) fprintf(stderr, "%s: %s\n", rel, e.text);
    return j;
}

/* "#<decimal>" (any size, 2^256 included) as minimal big-endian bytes. Returns the length or -1. */
static long big_bytes(uint8_t out[64], const char *dec) {
    mpz_t z;
    if (mpz_init_set_str(z, dec, 10) != 0 || mpz_sizeinbase(z, 256) > 64) {
        mpz_clear(z);
        return -1;
    }
    size_t n = 0;
    mpz_export(out, &n, 1, 1, 1, 0, z);
    mpz_clear(z);
    return (long)n;
}

/* Encode a fixture value: a string (its bytes; "#123" a big integer), an integer, or a list. */
static void encode(mpavs_rlp_writer *w, const json_t *v) {
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        if (n > 1 && s[0] == '#') {
            uint8_t b[64];
            long bl = big_bytes(b, s + 1);
            if (bl < 0) {
                w->err = MPAVS_RLP_ERR_SPACE; /* make the test fail visibly */
                return;
            }
            mpavs_rlp_put_bytes(w, b, (size_t)bl);
        } else {
            mpavs_rlp_put_bytes(w, (const uint8_t *)s, n);
        }
    } else if (json_is_integer(v)) {
        mpavs_rlp_put_u64(w, (uint64_t)json_integer_value(v));
    } else if (json_is_array(v)) {
        size_t mark, i;
        json_t *e;
        mpavs_rlp_list_begin(w, &mark);
        json_array_foreach(v, i, e) encode(w, e);
        mpavs_rlp_list_end(w, mark);
    } else {
        w->err = MPAVS_RLP_ERR_SPACE;
    }
}

/* Does the decoded item equal the fixture value? */
static bool same(const mpavs_rlp_item *it, const json_t *v) {
    if (json_is_array(v)) {
        mpavs_rlp_iter iter;
        if (mpavs_rlp_iter_init(&iter, it)) return false;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            mpavs_rlp_item c;
            if (mpavs_rlp_next(&iter, &c) || !same(&c, e)) return false;
        }
        return mpavs_rlp_iter_done(&iter);
    }
    if (it->is_list) return false;
    if (json_is_integer(v)) {
        uint64_t x;
        return mpavs_rlp_get_u64(&x, it) == 0 && x == (uint64_t)json_integer_value(v);
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n > 1 && s[0] == '#') {
        uint8_t b[64];
        long bl = big_bytes(b, s + 1);
        if (bl <= 32) { /* what fits is read back through the integer decoder */
            mpavs_u256 want, got;
            if (mpavs_u256_from_be(&want, b, (size_t)bl) || mpavs_rlp_get_u256(&got, it)) return false;
            if (mpavs_u256_cmp(&want, &got) != 0) return false;
        }
        return bl >= 0 && it->len == (size_t)bl && memcmp(it->p, b, it->len) == 0;
    }
    return it->len == n && memcmp(it->p, s, n) == 0;
}

static uint8_t bin[1 << 16], enc[1 << 16];

TEST(rlptest_json) {
    json_t *j = load("vectors/ethtests/RLPTests/rlptest.json");
    REQUIRE(j);
    const char *name;
    json_t *tc;
    int cases = 0;
    json_object_foreach(j, name, tc) {
        json_t *in = json_object_get(tc, "in");
        const char *out = json_string_value(json_object_get(tc, "out"));
        long n = harness_unhex(bin, sizeof bin, out);
        REQUIRE(n >= 0);
        mpavs_rlp_writer w;
        size_t len;
        mpavs_rlp_writer_init(&w, enc, sizeof enc);
        encode(&w, in);
        int r = mpavs_rlp_writer_finish(&w, &len);
        if (r || len != (size_t)n || memcmp(enc, bin, len) != 0) {
            fprintf(stderr, "  encode %s: got %s\n", name, r ? mpavs_rlp_strerror(r) : harness_hex(enc, len));
            harness_fail(__FILE__, __LINE__, name);
        }
        mpavs_rlp_item it;
        if (mpavs_rlp_decode(&it, bin, (size_t)n) || !same(&it, in)) {
            fprintf(stderr, "  decode %s\n", name);
            harness_fail(__FILE__, __LINE__, name);
        }
        cases++;
    }
    CHECK_EQ_INT(cases, 28);
    json_decref(j);
}

static int expect_all(const char *rel, bool valid) {
    json_t *j = load(rel);
    if (!j) return -1;
    const char *name;
    json_t *tc;
    int cases = 0;
    json_object_foreach(j, name, tc) {
        long n = harness_unhex(bin, sizeof bin, json_string_value(json_object_get(tc, "out")));
        mpavs_rlp_item it;
        int r = n < 0 ? -1 : mpavs_rlp_decode(&it, bin, (size_t)n);
        if ((r == 0) != valid) {
            fprintf(stderr, "  %s %s: decoder says %s\n", rel, name, r ? mpavs_rlp_strerror(r) : "valid");
            harness_fail(__FILE__, __LINE__, name);
        }
        cases++;
    }
    json_decref(j);
    return cases;
}

TEST(invalid_and_random) {
    CHECK_EQ_INT(expect_all("vectors/ethtests/RLPTests/invalidRLPTest.json", false), 26);
    CHECK_EQ_INT(expect_all("vectors/ethtests/RLPTests/RandomRLPTests/example.json", true), 1);
}

int main(void) {
    RUN(rlptest_json);
    RUN(invalid_and_random);
    return harness_summary();
}

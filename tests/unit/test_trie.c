/*
 * Merkle-Patricia trie: every file of ../shared/vectors/ethtests/TrieTests
 * (plain and secure, any order, next/prev), delete/collapse edge cases
 * checked against tries built without the deleted keys, tries over a node
 * store (exported, partial witnesses, missing nodes), proofs, hostile nodes.
 */
#include "harness.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"

#include <jansson.h>
#include <stdlib.h>

/* A fixture string: "0x…" is hex, anything else its bytes. Out: buf. Returns the length or -1. */
static long fixture_bytes(uint8_t *buf, size_t cap, const char *s) {
    if (s[0] == '0' && s[1] == 'x') return harness_unhex(buf, cap, s);
    size_t n = strlen(s);
    if (n > cap) return -1;
    memcpy(buf, s, n);
    return (long)n;
}

static json_t *load(const char *rel) {
    json_error_t e;
    json_t *j = json_load_file(harness_shared(rel), 0, &e);
    if (!j) fprintf(stderr, "%s: %s\n", rel, e.text);
    return j;
}

static const char *root_hex(mpavs_trie *t) {
    static char out[67];
    uint8_t root[32];
    if (mpavs_trie_root(t, root)) return "error";
    snprintf(out, sizeof out, "0x%s", harness_hex(root, 32));
    return out;
}

static int put_fixture(mpavs_trie *t, const char *k, const char *v) {
    static uint8_t kb[2048], vb[8192];
    long kl = fixture_bytes(kb, sizeof kb, k);
    long vl = v ? fixture_bytes(vb, sizeof vb, v) : 0;
    if (kl < 0 || vl < 0) return -1;
    return mpavs_trie_put(t, kb, (size_t)kl, vb, (size_t)vl);
}

/* trietest.json-style files: "in" is a list of [key, value|null] applied in order. */
static int run_ordered_file(const char *rel, unsigned flags) {
    json_t *j = load(rel);
    if (!j) return -1;
    const char *name;
    json_t *tc;
    int cases = 0;
    json_object_foreach(j, name, tc) {
        mpavs_trie *t = mpavs_trie_create(flags);
        json_t *in = json_object_get(tc, "in"), *pair;
        size_t i;
        json_array_foreach(in, i, pair) {
            CHECK(put_fixture(t, json_string_value(json_array_get(pair, 0)),
                              json_string_value(json_array_get(pair, 1))) == 0);
        }
        const char *want = json_string_value(json_object_get(tc, "root"));
        if (!want || strcmp(root_hex(t), want) != 0) {
            fprintf(stderr, "  %s %s: root %s, want %s\n", rel, name, root_hex(t), want ? want : "?");
            harness_fail(__FILE__, __LINE__, name);
        }
        mpavs_trie_destroy(t);
        cases++;
    }
    json_decref(j);
    return cases;
}

/* trieanyorder-style files: "in" is an object; the root must not depend on the order. */
static int run_anyorder_file(const char *rel, unsigned flags) {
    json_t *j = load(rel);
    if (!j) return -1;
    const char *name;
    json_t *tc;
    int cases = 0;
    json_object_foreach(j, name, tc) {
        json_t *in = json_object_get(tc, "in");
        const char *want = json_string_value(json_object_get(tc, "root"));
        size_t n = json_object_size(in);
        const char **keys = calloc(n, sizeof *keys);
        size_t m = 0;
        const char *k;
        json_t *v;
        json_object_foreach(in, k, v) keys[m++] = k;
        for (int order = 0; order < 3; order++) { /* as listed, reversed, rotated by one */
            mpavs_trie *t = mpavs_trie_create(flags);
            for (size_t i = 0; i < n; i++) {
                size_t at = order == 0 ? i : order == 1 ? n - 1 - i : (i + 1) % n;
                CHECK(put_fixture(t, keys[at], json_string_value(json_object_get(in, keys[at]))) == 0);
            }
            if (!want || strcmp(root_hex(t), want) != 0) {
                fprintf(stderr, "  %s %s order %d: root %s, want %s\n", rel, name, order, root_hex(t),
                        want ? want : "?");
                harness_fail(__FILE__, __LINE__, name);
            }
            /* deleting every key again gives the empty root */
            for (size_t i = 0; i < n; i++) {
                static uint8_t kb[2048];
                long kl = fixture_bytes(kb, sizeof kb, keys[i]);
                CHECK(kl >= 0 && mpavs_trie_delete(t, kb, (size_t)kl) == 0);
            }
            uint8_t root[32];
            CHECK(mpavs_trie_root(t, root) == 0 && memcmp(root, MPAVS_TRIE_EMPTY_ROOT, 32) == 0);
            mpavs_trie_destroy(t);
        }
        free(keys);
        cases++;
    }
    json_decref(j);
    return cases;
}

TEST(trietests_files) {
    CHECK_EQ_INT(run_ordered_file("vectors/ethtests/TrieTests/trietest.json", 0), 5);
    CHECK_EQ_INT(run_ordered_file("vectors/ethtests/TrieTests/trietest_secureTrie.json", MPAVS_TRIE_SECURE), 3);
    CHECK_EQ_INT(run_anyorder_file("vectors/ethtests/TrieTests/trieanyorder.json", 0), 7);
    CHECK_EQ_INT(run_anyorder_file("vectors/ethtests/TrieTests/trieanyorder_secureTrie.json", MPAVS_TRIE_SECURE), 7);
    CHECK_EQ_INT(run_anyorder_file("vectors/ethtests/TrieTests/hex_encoded_securetrie_test.json", MPAVS_TRIE_SECURE), 3);
}

/* trietestnextprev.json: for each probe key, the previous and next key present (foreach gives key order). */
typedef struct {
    char keys[64][64];
    size_t n;
} keylist;

static int collect(void *arg, const uint8_t *key, size_t key_len, const uint8_t *v, size_t vl) {
    keylist *kl = arg;
    if (kl->n == 64 || key_len >= 64) return 1;
    memcpy(kl->keys[kl->n], key, key_len);
    kl->keys[kl->n][key_len] = 0;
    kl->n++;
    return 0;
}

TEST(trietests_nextprev) {
    json_t *j = load("vectors/ethtests/TrieTests/trietestnextprev.json");
    REQUIRE(j);
    const char *name;
    json_t *tc;
    int probes = 0;
    json_object_foreach(j, name, tc) {
        mpavs_trie *t = mpavs_trie_create(0);
        json_t *in = json_object_get(tc, "in"), *e;
        size_t i;
        json_array_foreach(in, i, e) {
            const char *k = json_string_value(e);
            CHECK(mpavs_trie_put(t, (const uint8_t *)k, strlen(k), (const uint8_t *)k, strlen(k)) == 0);
        }
        keylist kl = {.n = 0};
        int stopped;
        CHECK(mpavs_trie_foreach(t, &stopped, collect, &kl) == 0 && stopped == 0);
        CHECK_EQ_INT(kl.n, json_array_size(in));
        json_array_foreach(json_object_get(tc, "tests"), i, e) {
            const char *probe = json_string_value(json_array_get(e, 0));
            const char *prev = "", *next = "";
            for (size_t x = 0; x < kl.n; x++) {
                if (strcmp(kl.keys[x], probe) < 0) prev = kl.keys[x];
                if (strcmp(kl.keys[x], probe) > 0 && !*next) next = kl.keys[x];
            }
            CHECK_STREQ(prev, json_string_value(json_array_get(e, 1)));
            CHECK_STREQ(next, json_string_value(json_array_get(e, 2)));
            probes++;
        }
        mpavs_trie_destroy(t);
    }
    CHECK_EQ_INT(probes, 12);
    json_decref(j);
}

/* ------------------------------------------------------------------------ */
/* Deletes and collapses: every root equals the root of a fresh trie of the keys left. */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void fresh_root(uint8_t root[32], uint8_t (*keys)[4], const bool *present, size_t n, size_t klen) {
    mpavs_trie *t = mpavs_trie_create(0);
    for (size_t i = 0; i < n; i++)
        if (present[i]) CHECK(mpavs_trie_put(t, keys[i], klen, keys[i], 3) == 0);
    CHECK(mpavs_trie_root(t, root) == 0);
    mpavs_trie_destroy(t);
}

TEST(delete_collapse_random) {
    /* short keys over a tiny alphabet force shared prefixes, extensions and values in branches */
    enum { N = 60 };
    uint8_t keys[N][4];
    bool present[N];
    for (int round = 0; round < 20; round++) {
        size_t klen = 1 + (size_t)(round % 3);
        mpavs_trie *t = mpavs_trie_create(0);
        for (size_t i = 0; i < N; i++) {
            for (size_t b = 0; b < 4; b++) keys[i][b] = (uint8_t)(0x10 * (rnd() % 3) + rnd() % 3);
            present[i] = false;
        }
        for (size_t step = 0; step < 3 * N; step++) {
            size_t i = rnd() % N;
            bool want = rnd() % 3 != 0;
            if (want) {
                CHECK(mpavs_trie_put(t, keys[i], klen, keys[i], 3) == 0);
            } else {
                CHECK(mpavs_trie_delete(t, keys[i], klen) == 0);
            }
            /* the same key bytes may appear twice in keys[]: keep present[] consistent */
            for (size_t x = 0; x < N; x++)
                if (memcmp(keys[x], keys[i], klen) == 0) present[x] = false;
            present[i] = want;
            uint8_t a[32], b[32];
            CHECK(mpavs_trie_root(t, a) == 0);
            fresh_root(b, keys, present, N, klen);
            if (memcmp(a, b, 32) != 0) {
                harness_fail(__FILE__, __LINE__, "root after update differs from a fresh trie");
                mpavs_trie_destroy(t);
                return;
            }
        }
        mpavs_trie_destroy(t);
    }
}

TEST(delete_edge_cases) {
    mpavs_trie *t = mpavs_trie_create(0);
    uint8_t root[32], want[32];
    /* a value in a branch (prefix key) removed: the branch collapses into a leaf */
    CHECK(mpavs_trie_put(t, (const uint8_t *)"do", 2, (const uint8_t *)"verb", 4) == 0);
    CHECK(mpavs_trie_put(t, (const uint8_t *)"dog", 3, (const uint8_t *)"puppy", 5) == 0);
    CHECK(mpavs_trie_delete(t, (const uint8_t *)"do", 2) == 0);
    mpavs_trie *u = mpavs_trie_create(0);
    CHECK(mpavs_trie_put(u, (const uint8_t *)"dog", 3, (const uint8_t *)"puppy", 5) == 0);
    CHECK(mpavs_trie_root(t, root) == 0 && mpavs_trie_root(u, want) == 0);
    CHECK_MEMEQ(root, want, 32);
    /* the longer key removed instead: the value moves from the branch to a leaf */
    CHECK(mpavs_trie_put(t, (const uint8_t *)"do", 2, (const uint8_t *)"verb", 4) == 0);
    CHECK(mpavs_trie_delete(t, (const uint8_t *)"dog", 3) == 0);
    mpavs_trie_destroy(u);
    u = mpavs_trie_create(0);
    CHECK(mpavs_trie_put(u, (const uint8_t *)"do", 2, (const uint8_t *)"verb", 4) == 0);
    CHECK(mpavs_trie_root(t, root) == 0 && mpavs_trie_root(u, want) == 0);
    CHECK_MEMEQ(root, want, 32);
    /* absent keys: no change; a prefix of a present key is absent */
    CHECK(mpavs_trie_delete(t, (const uint8_t *)"d", 1) == 0);
    CHECK(mpavs_trie_delete(t, (const uint8_t *)"dot", 3) == 0);
    CHECK(mpavs_trie_root(t, root) == 0);
    CHECK_MEMEQ(root, want, 32);
    const uint8_t *v;
    size_t vl;
    CHECK(mpavs_trie_get(t, &v, &vl, (const uint8_t *)"d", 1) == 0 && v == NULL && vl == 0);
    CHECK(mpavs_trie_get(t, &v, &vl, (const uint8_t *)"do", 2) == 0 && vl == 4 && memcmp(v, "verb", 4) == 0);
    /* an empty value deletes */
    CHECK(mpavs_trie_put(t, (const uint8_t *)"do", 2, NULL, 0) == 0);
    CHECK(mpavs_trie_root(t, root) == 0);
    CHECK_MEMEQ(root, MPAVS_TRIE_EMPTY_ROOT, 32);
    /* three keys under an extension: removing one of two in the branch merges extension and leaf */
    const uint8_t k1[] = {0xab, 0xc1}, k2[] = {0xab, 0xc2}, k3[] = {0xab, 0xd0};
    CHECK(mpavs_trie_put(t, k1, 2, (const uint8_t *)"1", 1) == 0);
    CHECK(mpavs_trie_put(t, k2, 2, (const uint8_t *)"2", 1) == 0);
    CHECK(mpavs_trie_put(t, k3, 2, (const uint8_t *)"3", 1) == 0);
    CHECK(mpavs_trie_delete(t, k3, 2) == 0);
    CHECK(mpavs_trie_delete(t, k2, 2) == 0);
    mpavs_trie_destroy(u);
    u = mpavs_trie_create(0);
    CHECK(mpavs_trie_put(u, k1, 2, (const uint8_t *)"1", 1) == 0);
    CHECK(mpavs_trie_root(t, root) == 0 && mpavs_trie_root(u, want) == 0);
    CHECK_MEMEQ(root, want, 32);
    /* the empty key is a key */
    CHECK(mpavs_trie_put(t, NULL, 0, (const uint8_t *)"e", 1) == 0);
    CHECK(mpavs_trie_get(t, &v, &vl, NULL, 0) == 0 && vl == 1 && v[0] == 'e');
    CHECK(mpavs_trie_delete(t, NULL, 0) == 0);
    CHECK(mpavs_trie_root(t, root) == 0);
    CHECK_MEMEQ(root, want, 32);
    /* keys too long */
    static uint8_t big[MPAVS_TRIE_MAX_KEY + 1];
    CHECK(mpavs_trie_put(t, big, sizeof big, (const uint8_t *)"x", 1) == MPAVS_TRIE_ERR_KEY);
    mpavs_trie_destroy(t);
    mpavs_trie_destroy(u);
}

TEST(constants) {
    uint8_t h[32];
    const uint8_t empty_string = 0x80;
    mpavs_keccak256(h, &empty_string, 1);
    CHECK_MEMEQ(h, MPAVS_TRIE_EMPTY_ROOT, 32);
    mpavs_keccak256(h, NULL, 0);
    CHECK_MEMEQ(h, MPAVS_TRIE_EMPTY_CODE_HASH, 32);
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    CHECK(mpavs_trie_root(t, h) == 0);
    CHECK_MEMEQ(h, MPAVS_TRIE_EMPTY_ROOT, 32);
    mpavs_trie_destroy(t);
}

TEST(ordered_root) {
    uint8_t root[32];
    CHECK(mpavs_trie_ordered_root(root, NULL, NULL, 0) == 0);
    CHECK_MEMEQ(root, MPAVS_TRIE_EMPTY_ROOT, 32);
    /* same as a plain trie keyed by rlp(i); 200 items cover the 0x80 boundary and 2-byte indices */
    static uint8_t items[200][40];
    const uint8_t *ptr[200];
    size_t lens[200];
    mpavs_trie *t = mpavs_trie_create(0);
    for (size_t i = 0; i < 200; i++) {
        for (size_t b = 0; b < 40; b++) items[i][b] = (uint8_t)(rnd());
        ptr[i] = items[i];
        lens[i] = 1 + i % 40;
        uint8_t key[9];
        mpavs_rlp_writer w;
        size_t kl;
        mpavs_rlp_writer_init(&w, key, sizeof key);
        mpavs_rlp_put_u64(&w, i);
        CHECK(mpavs_rlp_writer_finish(&w, &kl) == 0);
        CHECK(mpavs_trie_put(t, key, kl, items[i], lens[i]) == 0);
    }
    uint8_t want[32];
    CHECK(mpavs_trie_ordered_root(root, ptr, lens, 200) == 0);
    CHECK(mpavs_trie_root(t, want) == 0);
    CHECK_MEMEQ(root, want, 32);
    mpavs_trie_destroy(t);
    /* a known root: one item 0x01 under key 0x80: keccak(rlp([0x20 80, 01])) */
    const uint8_t one = 0x01, *p1 = &one;
    size_t l1 = 1;
    CHECK(mpavs_trie_ordered_root(root, &p1, &l1, 1) == 0);
    const uint8_t leaf[] = {0xc4, 0x82, 0x20, 0x80, 0x01};
    mpavs_keccak256(want, leaf, sizeof leaf);
    CHECK_MEMEQ(root, want, 32);
}

/* ------------------------------------------------------------------------ */
/* Stores, witnesses, missing nodes, proofs                                  */

typedef struct {
    uint8_t *nodes[MPAVS_TRIE_PROOF_MAX_NODES];
    size_t lens[MPAVS_TRIE_PROOF_MAX_NODES];
    size_t n;
} proof;

static int proof_add(void *arg, const uint8_t *rlp, size_t len) {
    proof *p = arg;
    if (p->n == MPAVS_TRIE_PROOF_MAX_NODES) return -1;
    p->nodes[p->n] = malloc(len);
    memcpy(p->nodes[p->n], rlp, len);
    p->lens[p->n++] = len;
    return 0;
}

static void proof_free(proof *p) {
    for (size_t i = 0; i < p->n; i++) free(p->nodes[i]);
    p->n = 0;
}

static void key_of(uint8_t k[32], uint32_t i) {
    uint8_t b[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
    mpavs_keccak256(k, b, 4);
}

TEST(store_backed_trie) {
    enum { N = 3000 };
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    for (uint32_t i = 0; i < N; i++) {
        uint8_t k[32];
        key_of(k, i);
        CHECK(mpavs_trie_put(t, k, 32, k, 1 + i % 32) == 0);
    }
    uint8_t root[32], r2[32];
    CHECK(mpavs_trie_root(t, root) == 0);
    mpavs_trie_store *s = mpavs_trie_store_create(0, 0);
    CHECK(mpavs_trie_export(t, s) == 0);
    size_t nodes, bytes;
    mpavs_trie_store_size(s, &nodes, &bytes);
    CHECK(nodes > N && bytes > 32 * nodes);
    /* the opened trie reads and updates like the original */
    mpavs_trie *o = mpavs_trie_open(s, root, MPAVS_TRIE_SECURE);
    CHECK(mpavs_trie_root(o, r2) == 0);
    CHECK_MEMEQ(root, r2, 32);
    for (uint32_t i = 0; i < N; i += 7) {
        uint8_t k[32];
        key_of(k, i);
        const uint8_t *v;
        size_t vl;
        CHECK(mpavs_trie_get(o, &v, &vl, k, 32) == 0 && vl == 1 + i % 32 && memcmp(v, k, vl) == 0);
    }
    for (uint32_t i = 0; i < N; i += 3) {
        uint8_t k[32];
        key_of(k, i);
        CHECK(mpavs_trie_delete(t, k, 32) == 0 && mpavs_trie_delete(o, k, 32) == 0);
        key_of(k, N + i);
        CHECK(mpavs_trie_put(t, k, 32, k, 5) == 0 && mpavs_trie_put(o, k, 32, k, 5) == 0);
        if (i % 300 == 0) {
            CHECK(mpavs_trie_root(t, root) == 0 && mpavs_trie_root(o, r2) == 0);
            CHECK_MEMEQ(root, r2, 32);
        }
    }
    CHECK(mpavs_trie_root(t, root) == 0 && mpavs_trie_root(o, r2) == 0);
    CHECK_MEMEQ(root, r2, 32);
    mpavs_trie_destroy(o);

    /* a witness with the proofs of two keys only */
    CHECK(mpavs_trie_root(t, root) == 0);
    proof p = {.n = 0};
    uint8_t ka[32], kb[32], kc[32];
    key_of(ka, 1);
    key_of(kb, 2);
    key_of(kc, 4);
    CHECK(mpavs_trie_prove(t, ka, 32, proof_add, &p) == 0);
    CHECK(mpavs_trie_prove(t, kb, 32, proof_add, &p) == 0);
    mpavs_trie_store *w = mpavs_trie_store_create(64, 64 * 600);
    for (size_t i = 0; i < p.n; i++) CHECK(mpavs_trie_store_add(w, NULL, p.nodes[i], p.lens[i]) == 0);
    proof_free(&p);
    o = mpavs_trie_open(w, root, MPAVS_TRIE_SECURE);
    const uint8_t *v;
    size_t vl;
    CHECK(mpavs_trie_get(o, &v, &vl, ka, 32) == 0 && vl == 2 && memcmp(v, ka, 2) == 0);
    /* another key: the node on its path is missing, named by hash, and that hash is a real node */
    int r = mpavs_trie_get(o, &v, &vl, kc, 32);
    CHECK_EQ_INT(r, MPAVS_TRIE_MISSING_NODE);
    CHECK(v == NULL && vl == 0);
    uint8_t miss[32];
    mpavs_trie_missing_node(o, miss);
    CHECK(mpavs_trie_export(t, s) == 0); /* the nodes of the updated full trie */
    const uint8_t *full_rlp;
    size_t full_len;
    CHECK(mpavs_trie_store_get(s, &full_rlp, &full_len, miss));
    char msg[100];
    mpavs_trie_describe(msg, sizeof msg, o, r);
    char want_msg[100];
    snprintf(want_msg, sizeof want_msg, "missing trie node 0x%s", harness_hex(miss, 32));
    CHECK_STREQ(msg, want_msg);
    /* failed updates leave the trie unchanged */
    CHECK_EQ_INT(mpavs_trie_put(o, kc, 32, (const uint8_t *)"zz", 2), MPAVS_TRIE_MISSING_NODE);
    CHECK_EQ_INT(mpavs_trie_delete(o, kc, 32), MPAVS_TRIE_MISSING_NODE);
    CHECK(mpavs_trie_root(o, r2) == 0);
    CHECK_MEMEQ(root, r2, 32);
    /* updating the witnessed keys works and agrees with the full trie */
    CHECK(mpavs_trie_put(o, ka, 32, (const uint8_t *)"new", 3) == 0 &&
          mpavs_trie_put(t, ka, 32, (const uint8_t *)"new", 3) == 0);
    CHECK(mpavs_trie_root(o, r2) == 0 && mpavs_trie_root(t, root) == 0);
    CHECK_MEMEQ(root, r2, 32);
    mpavs_trie_destroy(o);
    mpavs_trie_store_destroy(w);

    /* bounded stores */
    w = mpavs_trie_store_create(2, 0);
    p.n = 0;
    CHECK(mpavs_trie_prove(t, ka, 32, proof_add, &p) == 0);
    CHECK(p.n >= 3);
    CHECK(mpavs_trie_store_add(w, NULL, p.nodes[0], p.lens[0]) == 0);
    CHECK(mpavs_trie_store_add(w, NULL, p.nodes[0], p.lens[0]) == 0); /* duplicate: no-op */
    CHECK(mpavs_trie_store_add(w, NULL, p.nodes[1], p.lens[1]) == 0);
    CHECK_EQ_INT(mpavs_trie_store_add(w, NULL, p.nodes[2], p.lens[2]), MPAVS_TRIE_ERR_STORE_FULL);
    mpavs_trie_store_destroy(w);
    w = mpavs_trie_store_create(0, p.lens[0]);
    CHECK(mpavs_trie_store_add(w, NULL, p.nodes[0], p.lens[0]) == 0);
    CHECK_EQ_INT(mpavs_trie_store_add(w, NULL, p.nodes[1], p.lens[1]), MPAVS_TRIE_ERR_STORE_FULL);
    mpavs_trie_store_destroy(w);
    proof_free(&p);

    mpavs_trie_store_destroy(s);
    mpavs_trie_destroy(t);
}

TEST(open_missing_root) {
    uint8_t root[32];
    memset(root, 0x42, 32);
    mpavs_trie_store *s = mpavs_trie_store_create(0, 0);
    mpavs_trie *o = mpavs_trie_open(s, root, 0);
    const uint8_t *v;
    size_t vl;
    CHECK_EQ_INT(mpavs_trie_get(o, &v, &vl, (const uint8_t *)"a", 1), MPAVS_TRIE_MISSING_NODE);
    uint8_t miss[32];
    mpavs_trie_missing_node(o, miss);
    CHECK_MEMEQ(miss, root, 32);
    CHECK_EQ_INT(mpavs_trie_delete(o, (const uint8_t *)"a", 1), MPAVS_TRIE_MISSING_NODE);
    mpavs_trie_destroy(o);
    /* the empty root needs no node */
    o = mpavs_trie_open(NULL, MPAVS_TRIE_EMPTY_ROOT, 0);
    CHECK(mpavs_trie_get(o, &v, &vl, (const uint8_t *)"a", 1) == 0 && v == NULL);
    mpavs_trie_destroy(o);
    /* a root node shorter than 32 bytes is found by hash */
    mpavs_trie *t = mpavs_trie_create(0);
    CHECK(mpavs_trie_put(t, (const uint8_t *)"a", 1, (const uint8_t *)"b", 1) == 0);
    CHECK(mpavs_trie_root(t, root) == 0);
    CHECK(mpavs_trie_export(t, s) == 0);
    o = mpavs_trie_open(s, root, 0);
    CHECK(mpavs_trie_get(o, &v, &vl, (const uint8_t *)"a", 1) == 0 && vl == 1 && v[0] == 'b');
    CHECK(mpavs_trie_put(o, (const uint8_t *)"c", 1, (const uint8_t *)"d", 1) == 0);
    CHECK(mpavs_trie_put(t, (const uint8_t *)"c", 1, (const uint8_t *)"d", 1) == 0);
    uint8_t r1[32], r2[32];
    CHECK(mpavs_trie_root(o, r1) == 0 && mpavs_trie_root(t, r2) == 0);
    CHECK_MEMEQ(r1, r2, 32);
    mpavs_trie_destroy(o);
    mpavs_trie_destroy(t);
    mpavs_trie_store_destroy(s);
}

TEST(proofs_from_own_trie) {
    /* proofs of present and absent keys in a secure trie of accounts, checked by the verifier */
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    mpavs_trie_account acc[50];
    mpavs_address addr[50];
    for (int i = 0; i < 50; i++) {
        mpavs_trie_account_empty(&acc[i]);
        acc[i].nonce = (uint64_t)i;
        acc[i].balance.w[0] = 1000u * (uint64_t)i + 1;
        for (int b = 0; b < 20; b++) addr[i].bytes[b] = (uint8_t)rnd();
        uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
        size_t el = mpavs_trie_account_encode(enc, &acc[i]);
        mpavs_trie_account back;
        CHECK(mpavs_trie_account_decode(&back, enc, el) == 0 && back.nonce == acc[i].nonce);
        if (i < 40) CHECK(mpavs_trie_put(t, addr[i].bytes, 20, enc, el) == 0);
    }
    uint8_t root[32];
    CHECK(mpavs_trie_root(t, root) == 0);
    for (int i = 0; i < 50; i++) {
        proof p = {.n = 0};
        CHECK(mpavs_trie_prove(t, addr[i].bytes, 20, proof_add, &p) == 0);
        bool ok;
        mpavs_trie_account empty;
        mpavs_trie_account_empty(&empty);
        const uint8_t *const *nodes = (const uint8_t *const *)p.nodes;
        CHECK(mpavs_trie_verify_account_proof(&ok, root, &addr[i], &acc[i], nodes, p.lens, p.n) == 0);
        CHECK(ok == (i < 40));
        CHECK(mpavs_trie_verify_account_proof(&ok, root, &addr[i], &empty, nodes, p.lens, p.n) == 0);
        CHECK(ok == (i >= 40));
        /* a wrong balance is refused */
        mpavs_trie_account bad = acc[i];
        bad.balance.w[0]++;
        CHECK(mpavs_trie_verify_account_proof(&ok, root, &addr[i], &bad, nodes, p.lens, p.n) == 0 && !ok);
        /* without the last node nothing is proved */
        if (p.n > 1)
            CHECK_EQ_INT(mpavs_trie_verify_account_proof(&ok, root, &addr[i], &acc[i], nodes, p.lens, p.n - 1),
                         MPAVS_TRIE_MISSING_NODE);
        /* a flipped byte in a node: the node no longer hashes to its reference */
        if (p.n > 1) {
            p.nodes[p.n - 1][p.lens[p.n - 1] / 2] ^= 1;
            int r = mpavs_trie_verify_account_proof(&ok, root, &addr[i], &acc[i], nodes, p.lens, p.n);
            CHECK(r != 0 && !ok);
        }
        proof_free(&p);
    }
    mpavs_trie_destroy(t);
}

TEST(hostile_nodes) {
    mpavs_trie_store *s = mpavs_trie_store_create(0, 0);
    static const char *bad[] = {
        "",                   /* nothing */
        "80",                 /* a string, not a list */
        "c0",                 /* empty list */
        "c3820000",           /* one item */
        "c58220000101",       /* three items */
        "c3800101",           /* leaf/ext with an empty path */
        "c3424242",           /* flag nibble 4 */
        "c3021000",           /* even path with a non-zero pad nibble... and empty value */
        "c22080",             /* leaf with an empty value */
        "c4821234c0",         /* extension with a list child that is no node */
        "c5820012c101",       /* extension with an inline leaf... malformed */
        "c3001180",           /* extension with an empty child */
        "c40082ffff",         /* extension with a 2-byte child reference */
        "d1808080808080808080808080808080808080", /* branch with nothing in it */
        "d18080808080808080808080808080808001", /* branch with only a value */
        "d2c2200180808080808080808080808080808080", /* branch with one inline child only */
        "cc8520646f67658564756d6d79ff", /* trailing byte after the list */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t b[64];
        long n = harness_unhex(b, sizeof b, bad[i]);
        REQUIRE(n >= 0);
        int r = mpavs_trie_store_add(s, NULL, b, (size_t)n);
        if (r != MPAVS_TRIE_ERR_NODE) {
            fprintf(stderr, "  accepted bad node %s (%d)\n", bad[i], r);
            harness_fail(__FILE__, __LINE__, bad[i]);
        }
    }
    size_t nodes;
    mpavs_trie_store_size(s, &nodes, NULL);
    CHECK_EQ_INT(nodes, 0);
    /* good ones: a leaf, a branch with two inline leaves */
    const char *good[] = {"cb8520646f67658464756d79", "d5c22001c22002808080808080808080808080808080"};
    for (size_t i = 0; i < 2; i++) {
        uint8_t b[64];
        long n = harness_unhex(b, sizeof b, good[i]);
        CHECK(mpavs_trie_store_add(s, NULL, b, (size_t)n) == 0);
    }
    mpavs_trie_store_destroy(s);
}

int main(void) {
    RUN(trietests_files);
    RUN(trietests_nextprev);
    RUN(delete_edge_cases);
    RUN(delete_collapse_random);
    RUN(constants);
    RUN(ordered_root);
    RUN(store_backed_trie);
    RUN(open_missing_root);
    RUN(proofs_from_own_trie);
    RUN(hostile_nodes);
    return harness_summary();
}

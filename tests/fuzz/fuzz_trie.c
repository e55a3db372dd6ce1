/*
 * libFuzzer target for trie node decoding, lazy tries over a node store and
 * proof verification.
 *  byte 0 even: the rest is a list of nodes (2-byte big-endian length, bytes);
 *    every node the store accepts is also a proof node; the first accepted
 *    node is the root. For keys taken from the input, mpavs_trie_proof_get
 *    (walking the proof) and mpavs_trie_get (a trie opened over the store)
 *    must agree: same value, or both missing a node; updates of the opened
 *    trie must not crash and a failed one must leave the root unchanged.
 *  byte 0 odd: the rest is a list of operations (key length, key, value
 *    length, value: length 0 deletes) on a trie in memory; afterwards its
 *    root must equal the root of a fresh trie holding only the surviving
 *    pairs (inserted in reverse order), every pair must read back, and the
 *    proofs of the first 16 keys must open witness tries that read them.
 */
#include "mpavs/keccak.h"
#include "mpavs/trie.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_pairs(void *arg, const uint8_t *k, size_t kl, const uint8_t *v, size_t vl) {
    size_t *c = arg;
    if (vl == 0 || (kl && !k)) abort();
    return ++*c > 10000;
}

static void nodes_mode(const uint8_t *d, size_t n) {
    const uint8_t *nodes[MPAVS_TRIE_PROOF_MAX_NODES];
    size_t lens[MPAVS_TRIE_PROOF_MAX_NODES], count = 0;
    mpavs_trie_store *s = mpavs_trie_store_create(MPAVS_TRIE_PROOF_MAX_NODES, 1 << 20);
    if (!s) return;
    uint8_t root[32];
    bool have_root = false;
    size_t at = 0;
    while (at + 2 <= n && count < MPAVS_TRIE_PROOF_MAX_NODES) {
        size_t len = (size_t)d[at] << 8 | d[at + 1];
        at += 2;
        if (len > n - at) len = n - at;
        uint8_t h[32];
        if (mpavs_trie_store_add(s, h, d + at, len) == MPAVS_TRIE_OK) {
            nodes[count] = d + at;
            lens[count++] = len;
            if (!have_root) {
                memcpy(root, h, 32);
                have_root = true;
            }
        }
        at += len;
    }
    if (!have_root) {
        mpavs_trie_store_destroy(s);
        return;
    }
    mpavs_trie *t = mpavs_trie_open(s, root, 0);
    if (!t) abort();
    /* keys: 32-byte windows of the input and short prefixes */
    for (size_t k = 0; k + 1 < n && k < 24 * 8; k += 8) {
        size_t klen = (n - k) < 32 ? n - k : 32;
        if (k % 16 == 8) klen = klen > 3 ? 3 : klen;
        const uint8_t *pv, *tv;
        size_t pl, tl;
        int pr = mpavs_trie_proof_get(&pv, &pl, root, d + k, klen, nodes, lens, count);
        int tr = mpavs_trie_get(t, &tv, &tl, d + k, klen);
        if (pr == MPAVS_TRIE_OK && tr == MPAVS_TRIE_OK) {
            if (pl != tl || (pl && memcmp(pv, tv, pl) != 0)) abort();
        } else if ((pr == MPAVS_TRIE_MISSING_NODE) != (tr == MPAVS_TRIE_MISSING_NODE)) {
            abort();
        }
        /* an update: on failure the root stays */
        uint8_t before[32], after[32];
        if (mpavs_trie_root(t, before) != MPAVS_TRIE_OK) abort();
        int ur = (k % 24 == 0) ? mpavs_trie_delete(t, d + k, klen) : mpavs_trie_put(t, d + k, klen, d, 1);
        if (mpavs_trie_root(t, after) != MPAVS_TRIE_OK) abort();
        if (ur != MPAVS_TRIE_OK && memcmp(before, after, 32) != 0) abort();
        if (ur == MPAVS_TRIE_OK) { /* put the original back to keep comparing against the proof */
            mpavs_trie_destroy(t);
            t = mpavs_trie_open(s, root, 0);
            if (!t) abort();
        }
    }
    int stopped;
    size_t visited = 0;
    (void)!mpavs_trie_foreach(t, &stopped, count_pairs, &visited);
    mpavs_trie_destroy(t);
    mpavs_trie_store_destroy(s);
}

typedef struct {
    const uint8_t *k;
    size_t kl;
    const uint8_t *v;
    size_t vl;
} pair;

static int proof_cb(void *arg, const uint8_t *rlp, size_t len) {
    mpavs_trie_store *s = arg;
    return mpavs_trie_store_add(s, NULL, rlp, len) == MPAVS_TRIE_OK ? 0 : 1;
}

static void ops_mode(const uint8_t *d, size_t n) {
    mpavs_trie *t = mpavs_trie_create(0);
    pair *live = calloc(n + 1, sizeof *live);
    size_t nlive = 0, at = 0;
    if (!t || !live) abort();
    while (at < n) {
        size_t kl = d[at++] % 6;
        if (kl > n - at) break;
        const uint8_t *k = d + at;
        at += kl;
        if (at >= n) break;
        size_t vl = d[at++] % 40;
        if (vl > n - at) vl = n - at;
        const uint8_t *v = d + at;
        at += vl;
        if (mpavs_trie_put(t, k, kl, v, vl) != MPAVS_TRIE_OK) abort();
        size_t i = 0;
        while (i < nlive && !(live[i].kl == kl && memcmp(live[i].k, k, kl) == 0)) i++;
        if (vl == 0) {
            if (i < nlive) live[i] = live[--nlive];
        } else {
            live[i] = (pair){k, kl, v, vl};
            if (i == nlive) nlive++;
        }
    }
    mpavs_trie *f = mpavs_trie_create(0);
    if (!f) abort();
    for (size_t i = nlive; i-- > 0;)
        if (mpavs_trie_put(f, live[i].k, live[i].kl, live[i].v, live[i].vl) != MPAVS_TRIE_OK) abort();
    uint8_t a[32], b[32];
    if (mpavs_trie_root(t, a) || mpavs_trie_root(f, b) || memcmp(a, b, 32) != 0) abort();
    for (size_t i = 0; i < nlive; i++) {
        const uint8_t *v;
        size_t vl;
        if (mpavs_trie_get(t, &v, &vl, live[i].k, live[i].kl) || vl != live[i].vl || memcmp(v, live[i].v, vl))
            abort();
        if (i >= 16) continue;
        /* the proof of each of the first keys, as a store, opens a trie that reads it */
        mpavs_trie_store *s = mpavs_trie_store_create(0, 0);
        if (!s || mpavs_trie_prove(t, live[i].k, live[i].kl, proof_cb, s) != MPAVS_TRIE_OK) abort();
        mpavs_trie *o = mpavs_trie_open(s, a, 0);
        if (!o || mpavs_trie_get(o, &v, &vl, live[i].k, live[i].kl) || vl != live[i].vl) abort();
        mpavs_trie_destroy(o);
        mpavs_trie_store_destroy(s);
    }
    mpavs_trie_destroy(f);
    mpavs_trie_destroy(t);
    free(live);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    if (data[0] & 1)
        ops_mode(data + 1, size - 1);
    else
        nodes_mode(data + 1, size - 1);
    return 0;
}

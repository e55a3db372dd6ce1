/*
 * bench/bench_trie.c — Merkle-Patricia trie costs that the state tests and the block executor
 * pay: building a secure trie of N accounts (inserts + one root), then per block-like round
 * updating K random accounts and recomputing the root (only dirty nodes re-hashed), the same
 * round over a trie opened from a node store (lazy resolution), lookups, and the ordered
 * root of 200 transactions. Median of 5 runs; never fails.
 */
#include "mpavs/keccak.h"
#include "mpavs/trie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 5

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void key_of(uint8_t k[20], uint32_t i) {
    uint8_t h[32];
    mpavs_keccak256(h, &i, sizeof i);
    memcpy(k, h, 20);
}

static size_t account(uint8_t out[MPAVS_TRIE_ACCOUNT_MAX], uint32_t i, uint64_t nonce) {
    mpavs_trie_account a;
    mpavs_trie_account_empty(&a);
    a.nonce = nonce;
    a.balance = mpavs_u256_from_u64(1000000007ull * i);
    return mpavs_trie_account_encode(out, &a);
}

static int fails;

static mpavs_trie *build(uint32_t n) {
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t k[20], v[MPAVS_TRIE_ACCOUNT_MAX];
        key_of(k, i);
        fails += mpavs_trie_put(t, k, 20, v, account(v, i, 0)) != 0;
    }
    uint8_t root[32];
    fails += mpavs_trie_root(t, root) != 0;
    return t;
}

static void update_round(mpavs_trie *t, uint32_t n, uint32_t k, uint64_t round) {
    for (uint32_t j = 0; j < k; j++) {
        uint32_t i = (uint32_t)((j * 2654435761u + round * 40503u) % n);
        uint8_t key[20], v[MPAVS_TRIE_ACCOUNT_MAX];
        key_of(key, i);
        fails += mpavs_trie_put(t, key, 20, v, account(v, i, round)) != 0;
    }
    uint8_t root[32];
    fails += mpavs_trie_root(t, root) != 0;
}

int main(void) {
    const uint32_t N = 100000, K = 1000;
    double t_build[RUNS], t_upd[RUNS], t_lazy[RUNS], t_get[RUNS], t_ord[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double a = now_ms();
        mpavs_trie *t = build(N);
        t_build[r] = now_ms() - a;

        a = now_ms();
        for (int round = 1; round <= 10; round++) update_round(t, N, K, (uint64_t)round);
        t_upd[r] = (now_ms() - a) / 10;

        a = now_ms();
        for (uint32_t i = 0; i < N; i += 10) {
            uint8_t k[20];
            const uint8_t *v;
            size_t vl;
            key_of(k, i);
            fails += mpavs_trie_get(t, &v, &vl, k, 20) != 0 || !v;
        }
        t_get[r] = (now_ms() - a) * 1e3 / (N / 10); /* us per get */

        mpavs_trie_store *s = mpavs_trie_store_create(0, 0);
        uint8_t root[32];
        fails += mpavs_trie_export(t, s) != 0 || mpavs_trie_root(t, root) != 0;
        a = now_ms();
        mpavs_trie *o = mpavs_trie_open(s, root, MPAVS_TRIE_SECURE);
        update_round(o, N, K, 99);
        t_lazy[r] = now_ms() - a;
        mpavs_trie_destroy(o);
        mpavs_trie_store_destroy(s);
        mpavs_trie_destroy(t);

        static uint8_t items[200][120];
        const uint8_t *ptr[200];
        size_t lens[200];
        for (int i = 0; i < 200; i++) {
            memset(items[i], i, sizeof items[i]);
            ptr[i] = items[i];
            lens[i] = sizeof items[i];
        }
        a = now_ms();
        for (int rep = 0; rep < 10; rep++) fails += mpavs_trie_ordered_root(root, ptr, lens, 200) != 0;
        t_ord[r] = (now_ms() - a) / 10;
    }
    qsort(t_build, RUNS, sizeof(double), cmp_d);
    qsort(t_upd, RUNS, sizeof(double), cmp_d);
    qsort(t_lazy, RUNS, sizeof(double), cmp_d);
    qsort(t_get, RUNS, sizeof(double), cmp_d);
    qsort(t_ord, RUNS, sizeof(double), cmp_d);
    printf("bench_trie: secure trie of %u accounts: build + root %.1f ms (%.2f us/insert)\n", N, t_build[RUNS / 2],
           t_build[RUNS / 2] * 1e3 / N);
    printf("bench_trie: update %u accounts + root: %.2f ms in memory, %.2f ms opened from a node store (lazy)\n", K,
           t_upd[RUNS / 2], t_lazy[RUNS / 2]);
    printf("bench_trie: get %.2f us; ordered root of 200 x 120-byte items %.3f ms\n", t_get[RUNS / 2], t_ord[RUNS / 2]);
    if (fails) printf("bench_trie: %d operations failed\n", fails);
    return 0;
}

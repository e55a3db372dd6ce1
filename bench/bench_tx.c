/*
 * bench/bench_tx.c — transaction and signature throughput: EIP-1559 tx sign (signing hash +
 * RFC 6979 ECDSA), serialize, parse, sender recovery, and the bare secp256k1 sign/recover
 * underneath. Prints the median of 7 runs as ops/s and time per op; never fails.
 */
#include "mpavs/ecdsa.h"
#include "mpavs/keystore.h"
#include "mpavs/tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 7

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    mpavs_ecdsa_ctx *ctx;
    uint8_t sk[32];
    uint8_t hash[32];
    mpavs_ecdsa_sig sig;
    mpavs_tx tx;
    uint8_t data[68];
    uint8_t raw[512];
    size_t raw_len;
    int fails;
} state;

typedef void (*bench_fn)(state *s, int iters);

static void b_tx_sign(state *s, int n) {
    for (int i = 0; i < n; i++) {
        s->tx.nonce++;
        s->fails += mpavs_tx_sign(s->ctx, &s->tx, s->sk) != 0;
    }
}
static void b_tx_sign_serialize(state *s, int n) {
    for (int i = 0; i < n; i++) {
        s->tx.nonce++;
        size_t len;
        s->fails += mpavs_tx_sign(s->ctx, &s->tx, s->sk) != 0;
        s->fails += mpavs_tx_serialize(s->raw, sizeof s->raw, &len, &s->tx) != 0;
        s->raw_len = len;
    }
}
static void b_tx_parse(state *s, int n) {
    mpavs_tx t;
    for (int i = 0; i < n; i++) s->fails += mpavs_tx_parse(&t, s->raw, s->raw_len) != 0;
}
static void b_tx_parse_recover(state *s, int n) {
    mpavs_tx t;
    mpavs_address a;
    for (int i = 0; i < n; i++) {
        s->fails += mpavs_tx_parse(&t, s->raw, s->raw_len) != 0;
        s->fails += mpavs_tx_sender(s->ctx, &a, &t) != 0;
    }
}
static void b_ecdsa_sign(state *s, int n) {
    for (int i = 0; i < n; i++) {
        s->hash[0]++;
        s->fails += mpavs_ecdsa_sign(s->ctx, &s->sig, s->hash, s->sk) != 0;
    }
}
static void b_ecdsa_recover(state *s, int n) {
    mpavs_address a;
    for (int i = 0; i < n; i++) s->fails += mpavs_ecdsa_recover_address(s->ctx, &a, &s->sig, s->hash) != 0;
}
static void b_signing_hash(state *s, int n) {
    uint8_t h[32];
    for (int i = 0; i < n; i++) {
        s->tx.nonce++;
        s->fails += mpavs_tx_signing_hash(h, &s->tx) != 0;
    }
}

static void run(const char *name, bench_fn f, state *s, int iters) {
    double t[RUNS];
    f(s, iters / 4 + 1); /* warm-up */
    for (int r = 0; r < RUNS; r++) {
        double t0 = now_ns();
        f(s, iters);
        t[r] = (now_ns() - t0) / iters;
    }
    qsort(t, RUNS, sizeof t[0], cmp_d);
    double ns = t[RUNS / 2];
    printf("%-40s %12.0f ops/s %10.2f us/op\n", name, 1e9 / ns, ns / 1e3);
}

int main(void) {
    state s;
    memset(&s, 0, sizeof s);
    s.ctx = mpavs_ecdsa_ctx_create();
    if (!s.ctx) {
        fprintf(stderr, "bench_tx: no secp256k1 context\n");
        return 0;
    }
    memset(s.sk, 0x46, 32);
    /* an ERC-20 transfer-sized EIP-1559 transaction */
    mpavs_tx_init(&s.tx, MPAVS_TX_TYPE_EIP1559);
    s.tx.chain_id = 17000;
    s.tx.max_fee_per_gas = mpavs_u256_from_u64(30000000000ull);
    s.tx.max_priority_fee_per_gas = mpavs_u256_from_u64(1000000000ull);
    s.tx.gas_limit = 65000;
    s.tx.has_to = true;
    memset(s.tx.to.bytes, 0x35, 20);
    memset(s.data, 0xab, sizeof s.data);
    s.tx.data = s.data;
    s.tx.data_len = sizeof s.data;
    if (mpavs_tx_sign(s.ctx, &s.tx, s.sk) || mpavs_tx_serialize(s.raw, sizeof s.raw, &s.raw_len, &s.tx)) {
        fprintf(stderr, "bench_tx: setup failed\n");
        return 0;
    }
    if (mpavs_ecdsa_sign(s.ctx, &s.sig, s.hash, s.sk)) return 0;

    printf("bench_tx: median of %d runs (EIP-1559 tx, 68 bytes of calldata, raw %zu bytes)\n", RUNS,
           s.raw_len);
    run("tx signing hash (RLP + keccak)", b_signing_hash, &s, 200000);
    run("tx sign (hash + ECDSA)", b_tx_sign, &s, 5000);
    run("tx sign + serialize", b_tx_sign_serialize, &s, 5000);
    run("tx parse", b_tx_parse, &s, 200000);
    run("tx parse + recover sender", b_tx_parse_recover, &s, 5000);
    run("secp256k1 sign (RFC 6979, recoverable)", b_ecdsa_sign, &s, 5000);
    run("secp256k1 recover address", b_ecdsa_recover, &s, 5000);
    if (s.fails) printf("bench_tx: %d operations failed\n", s.fails);

    /* one keystore scrypt at the default parameters (what `wallet decrypt` costs) */
    uint8_t sk[32] = {1};
    char *json;
    double t0 = now_ns();
    if (mpavs_keystore_encrypt(&json, sk, 32, "pw", 2, NULL) == 0) {
        printf("%-40s %12.0f ms (single run)\n", "keystore encrypt, scrypt N=2^18 r=8 p=1", (now_ns() - t0) / 1e6);
        free(json);
    }
    mpavs_ecdsa_ctx_destroy(s.ctx);
    return 0;
}

/*
 * Benchmarks of the Ethereum primitives: keccak256 throughput (and the ratio to
 * OpenSSL's SHA3-256, which runs the same permutation), and ABI encode/decode of
 * a confirmState-sized call. Prints medians of several runs; never fails.
 */
#include "mpavs/abi.h"
#include "mpavs/keccak.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 7

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmpd);
    return v[n / 2];
}

static volatile uint8_t sink;

static double keccak_mbps(size_t len, int iters) {
    uint8_t *buf = malloc(len), out[32];
    memset(buf, 0xab, len);
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) {
            mpavs_keccak256(out, buf, len);
            buf[0] ^= out[0];
        }
        t[r] = (double)len * iters / (now() - t0) / 1e6;
    }
    sink = out[0];
    free(buf);
    return median(t, RUNS);
}

static double openssl_sha3_mbps(size_t len, int iters) {
    uint8_t *buf = malloc(len), out[32];
    memset(buf, 0xab, len);
    const EVP_MD *md = EVP_sha3_256();
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    double t[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) {
            unsigned int ol;
            EVP_DigestInit_ex(ctx, md, NULL);
            EVP_DigestUpdate(ctx, buf, len);
            EVP_DigestFinal_ex(ctx, out, &ol);
            buf[0] ^= out[0];
        }
        t[r] = (double)len * iters / (now() - t0) / 1e6;
    }
    EVP_MD_CTX_free(ctx);
    sink = out[0];
    free(buf);
    return median(t, RUNS);
}

/* confirmState(StateHeader, NonSignerStakesAndSignature) with 50 non-signers, 2 quorums */
static const char *CONFIRM_SIG =
    "confirmState((bytes32,bytes,uint32,bytes,bytes,bytes32,uint32),(uint32[],(uint256,uint256)[],"
    "(uint256,uint256)[],(uint256[2],uint256[2]),(uint256,uint256),uint32[],uint32[],uint32[][]))";

static char *confirm_args(int nonsigners, char **header) {
    size_t cap = 65536;
    char *s = malloc(cap);
    size_t n = 0;
    n += (size_t)snprintf(s + n, cap - n, "([");
    for (int i = 0; i < nonsigners; i++) n += (size_t)snprintf(s + n, cap - n, "%s%d", i ? "," : "", i * 7 + 1);
    n += (size_t)snprintf(s + n, cap - n, "],[");
    for (int i = 0; i < nonsigners; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s(%d,%d)", i ? "," : "", 1000003 * (i + 1), 777 * (i + 3));
    n += (size_t)snprintf(s + n, cap - n, "],[(11,22),(33,44)],([1,2],[3,4]),(5,6),[1,2],[3,4],[[");
    for (int i = 0; i < nonsigners; i++) n += (size_t)snprintf(s + n, cap - n, "%s%d", i ? "," : "", i);
    n += (size_t)snprintf(s + n, cap - n, "],[");
    for (int i = 0; i < nonsigners; i++) n += (size_t)snprintf(s + n, cap - n, "%s%d", i ? "," : "", i + 9);
    snprintf(s + n, cap - n, "]])");
    *header = strdup("(0x1111111111111111111111111111111111111111111111111111111111111111,0x0003,3,"
                     "0x00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000064,"
                     "0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef,"
                     "0x2222222222222222222222222222222222222222222222222222222222222222,12345)");
    return s;
}

static void bench_abi(void) {
    mpavs_abi_signature *sig;
    if (mpavs_abi_signature_parse(&sig, CONFIRM_SIG)) return;
    char *hdr, *nss = confirm_args(50, &hdr);
    mpavs_abi_value *args = mpavs_abi_value_new(sig->inputs), *v;
    if (mpavs_abi_value_parse(&v, sig->inputs->fields[0], hdr)) return;
    mpavs_abi_value_move(&args->items[0], v);
    if (mpavs_abi_value_parse(&v, sig->inputs->fields[1], nss)) return;
    mpavs_abi_value_move(&args->items[1], v);
    uint8_t *enc = NULL;
    size_t len = 0;
    int iters = 2000;
    double te[RUNS], td[RUNS];
    for (int r = 0; r < RUNS; r++) {
        double t0 = now();
        for (int i = 0; i < iters; i++) {
            free(enc);
            if (mpavs_abi_encode_call(&enc, &len, sig, args)) return;
        }
        te[r] = iters / (now() - t0);
        t0 = now();
        for (int i = 0; i < iters; i++) {
            mpavs_abi_value *d;
            if (mpavs_abi_decode_call(&d, sig, enc, len)) return;
            mpavs_abi_value_free(d);
        }
        td[r] = iters / (now() - t0);
    }
    printf("abi confirmState (50 non-signers, %zu bytes): encode %.0f ops/s, decode %.0f ops/s\n", len,
           median(te, RUNS), median(td, RUNS));
    free(enc);
    free(hdr);
    free(nss);
    mpavs_abi_value_free(args);
    mpavs_abi_signature_free(sig);
}

int main(void) {
    double k = keccak_mbps(1 << 20, 40), o = openssl_sha3_mbps(1 << 20, 40);
    printf("keccak256 1 MiB: %.1f MB/s; OpenSSL SHA3-256: %.1f MB/s; ratio %.2f\n", k, o, k / o);
    double ks = keccak_mbps(64, 200000), os = openssl_sha3_mbps(64, 200000);
    printf("keccak256 64 B: %.1f MB/s (%.0f hashes/s); OpenSSL SHA3-256 64 B: %.1f MB/s; ratio %.2f\n", ks,
           ks * 1e6 / 64, os, ks / os);
    bench_abi();
    return 0;
}

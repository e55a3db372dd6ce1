/*
 * bench/bench_devnet.c — end-to-end latency and resident memory on the devnet world
 * (tests/support/world.h: two anvils with 1-second blocks, the deployed stack, 4 onboarded
 * operators, 4 real mpavs-prover, the real mpavs-aggregator and, when usable, 4 real
 * mpavs-operator daemons; otherwise this bench plays the operators' side of the wire itself:
 * liveness proof through the prover's quote, fetchTask, prover_proveTask, BLS signature,
 * submitTask).
 *
 * Prints, over >= 5 confirmed type-3 tasks: latency from task creation (the aggregator's
 * created_ms) to the confirmState receipt (mpavs_confirmations latency_ms), and in AVS blocks
 * (confirm_block - the AVS head at creation = reference_block + 1); VmRSS of every process;
 * the aggregator's peak VmRSS while 1,000 submitTask requests arrive over HTTP from 32
 * connections (4 operators are registered on chain, so these are the operators' submissions
 * repeated: each is parsed and checked up to the duplicate check). The 1,000-operator
 * admission figure is in process: bench_aggregator. Never fails: what cannot be started is
 * reported and skipped.
 *
 * The test support sources are compiled into this translation unit (the bench link rule
 * links only libmpavs.a).
 */
#include "../tests/support/anvil.c"
#include "../tests/support/harness.c"
#include "../tests/support/proc.c"
#include "../tests/support/world.c"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"
#include "mpavs/wire.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTASKS 5
#define NHTTP 1000

static world W;

static long rss_kb_of(pid_t pid) {
    char p[64], line[256];
    snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
    FILE *f = fopen(p, "r");
    if (!f) return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static bool jhex(json_t *v, uint8_t *out, size_t n) {
    return json_is_string(v) && mpavs_hex_decode_exact(out, n, json_string_value(v)) == MPAVS_HEX_OK;
}

/* ---------- the operators' side, when mpavs-operator is not usable ---------- */

typedef struct {
    uint64_t id, block, ref;
} btask;

static bool fetch_task(btask *t, uint64_t prev, unsigned wait) {
    char params[160];
    snprintf(params, sizeof params,
             "[{\"prev_task_id\":%llu,\"task_type\":3,\"max_wait_secs\":%u,\"with_context\":false}]",
             (unsigned long long)prev, wait);
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "aggregator_fetchTask", params, &e);
    mpavs_error_clear(&e);
    json_t *j = res ? json_loads(res, 0, NULL) : NULL;
    free(res);
    bool ok = j && json_is_true(json_object_get(j, "ok"));
    if (ok) {
        json_t *ext = json_object_get(j, "ext");
        t->id = (uint64_t)json_integer_value(json_object_get(j, "task_id"));
        t->block = (uint64_t)json_integer_value(json_object_get(ext, "block_number"));
        t->ref = (uint64_t)json_integer_value(json_object_get(ext, "reference_block_number"));
    }
    json_decref(j);
    return ok;
}

/* Operator i's TaskRequest JSON for t (its own prover proves, its BLS key signs). */
static char *task_request(size_t i, const btask *t) {
    char params[128];
    snprintf(params, sizeof params, "[{\"task_type\":3,\"start\":%llu,\"end\":%llu}]", (unsigned long long)t->block,
             (unsigned long long)t->block);
    mpavs_error e = {0};
    char *res = world_call(W.ops[i].prover_url, "prover_proveTask", params, &e);
    mpavs_error_clear(&e);
    json_t *j = res ? json_loads(res, 0, NULL) : NULL;
    free(res);
    uint8_t meta[32], state[64], psig[65];
    bool ok = j && jhex(json_object_get(j, "metadata"), meta, 32) && jhex(json_object_get(j, "state"), state, 64) &&
              jhex(json_object_get(j, "poe_signature"), psig, 65);
    json_decref(j);
    if (!ok) return NULL;
    uint8_t q0[1] = {0}, th0[1] = {0};
    mpavs_avs_state_header h = {.committee_id = 3, .metadata = meta, .metadata_len = 32, .state = state,
                                .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                .quorum_thresholds = th0, .quorum_thresholds_len = 1,
                                .reference_block = (uint32_t)t->ref};
    uint8_t digest[32], enc[64];
    mpavs_bn254_g1 sig;
    if (mpavs_avs_state_digest(digest, &h) || mpavs_bls_sign(&sig, W.ops[i].bls, digest)) return NULL;
    mpavs_bn254_g1_encode(enc, &sig);
    mpavs_wire_task_request r = {.identifier = 3, .metadata = meta, .metadata_len = 32, .state = state,
                                 .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                 .quorum_thresholds = th0, .quorum_thresholds_len = 1,
                                 .reference_block = (uint32_t)t->ref, .prover_signature = psig,
                                 .prover_signature_len = 65};
    memcpy(r.sig_x, enc, 32);
    memcpy(r.sig_y, enc + 32, 32);
    memcpy(r.operator_id, W.ops[i].id, 32);
    char *json = NULL;
    return mpavs_wire_format_task_request(&json, &r) ? NULL : json;
}

static bool submit_request(const char *json) {
    size_t n = strlen(json);
    char *params = malloc(n + 3);
    if (!params) return false;
    snprintf(params, n + 3, "[%s]", json);
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "aggregator_submitTask", params, &e);
    free(params);
    mpavs_error_clear(&e);
    bool ok = res != NULL;
    free(res);
    return ok;
}

/* ---------- confirmations ---------- */

typedef struct {
    uint64_t task_id, ref, confirm_block;
    long long latency_ms;
} conf;

/* Confirmations with seq > since into out[*n..max). Returns the highest seq seen. */
static uint64_t read_confirmations(conf *out, size_t *n, size_t max, uint64_t since) {
    char params[64];
    snprintf(params, sizeof params, "[{\"since\":%llu}]", (unsigned long long)since);
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "mpavs_confirmations", params, &e);
    mpavs_error_clear(&e);
    json_t *a = res ? json_loads(res, 0, NULL) : NULL;
    free(res);
    size_t i;
    json_t *c;
    json_array_foreach(a, i, c) {
        uint64_t seq = (uint64_t)json_integer_value(json_object_get(c, "seq"));
        if (seq > since) since = seq;
        if (*n >= max) continue;
        conf *o = &out[(*n)++];
        o->task_id = (uint64_t)json_integer_value(json_object_get(c, "task_id"));
        o->ref = (uint64_t)json_integer_value(json_object_get(c, "reference_block"));
        o->confirm_block = (uint64_t)json_integer_value(json_object_get(c, "confirm_block"));
        o->latency_ms = json_integer_value(json_object_get(c, "latency_ms"));
    }
    json_decref(a);
    return since;
}

/* ---------- HTTP load and the aggregator's RSS ---------- */

static const char *load_json;
static size_t load_next;
static volatile int load_done;

static void *load_worker(void *arg) {
    (void)arg;
    for (;;) {
        size_t i = __atomic_fetch_add(&load_next, 1, __ATOMIC_RELAXED);
        if (i >= NHTTP) break;
        submit_request(load_json);
    }
    return NULL;
}

static void *rss_sampler(void *arg) {
    long *peak = arg;
    while (!load_done) {
        long kb = rss_kb_of(W.agg.pid);
        if (kb > *peak) *peak = kb;
        harness_sleep_ms(20);
    }
    return NULL;
}

static void print_rss(const char *what, harness_proc *p) {
    long kb = p->pid > 0 ? rss_kb_of(p->pid) : -1;
    if (kb < 0) printf("  %-28s (not running)\n", what);
    else printf("  %-28s %7.1f MB VmRSS\n", what, kb / 1024.0);
}

int main(void) {
    if (!getenv("MPAVS_ROOT")) {
        char cwd[1024];
        if (getcwd(cwd, sizeof cwd)) setenv("MPAVS_ROOT", cwd, 1);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("devnet end to end: 4 operators, 1-second blocks, a type-3 task every 3 L2 blocks, Threshold 67%%\n");
    world_options o = {.operators = 4};
    if (!world_up(&W, &o)) {
        printf("  cannot bring the world up (anvil, contracts: see tests/support/world.c); skipped\n");
        return 0;
    }
    printf("  world in %s\n", W.dir);
    for (size_t i = 0; i < 4; i++)
        if (!world_start_prover(&W, i, NULL, 0, NULL)) {
            printf("  prover %zu does not start (%s); skipped\n", i + 1, W.ops[i].prover.log);
            world_down(&W);
            return 0;
        }
    if (!world_start_aggregator(&W, 67, 3, NULL)) {
        printf("  the aggregator does not start (%s); skipped\n", W.agg.log);
        world_down(&W);
        return 0;
    }
    /* the real operators when they run; else this bench is the operators */
    bool real_ops = access("build/mpavs-operator", X_OK) == 0;
    for (size_t i = 0; real_ops && i < 4; i++)
        if (!world_start_operator(&W, i)) {
            printf("  mpavs-operator %zu does not start (%s): driving the operators' side here\n", i + 1,
                   W.ops[i].op.log);
            real_ops = false;
        }
    if (!real_ops) {
        for (size_t i = 0; i < 4; i++)
            if (W.ops[i].op.pid > 0) harness_proc_stop(&W.ops[i].op, SIGTERM, 3000);
        for (size_t i = 0; i < 4; i++)
            if (!world_attest(&W, i)) printf("  operator %zu: no liveness proof\n", i + 1);
    }
    printf("  operators: %s\n", real_ops ? "4 x build/mpavs-operator" : "driven by this bench (fetch, prove, sign, submit)");

    conf confs[64];
    size_t nconf = 0;
    uint64_t since = 0, prev = 0;
    long long deadline = harness_now_ms() + (real_ops ? 150000 : 120000);
    while (nconf < NTASKS && harness_now_ms() < deadline) {
        if (!real_ops) {
            btask t;
            if (fetch_task(&t, prev, 10)) {
                prev = t.id;
                for (size_t i = 0; i < 4; i++) {
                    char *j = task_request(i, &t);
                    if (j) submit_request(j);
                    free(j);
                }
            }
        } else {
            harness_sleep_ms(500);
        }
        since = read_confirmations(confs, &nconf, 64, since);
    }
    if (real_ops && nconf == 0) printf("  no confirmation from the real operators within 150 s (see %s)\n", W.dir);
    if (nconf) {
        long long lat[64], blk[64];
        printf("  %-8s %-10s %-14s %-12s %s\n", "task", "ref block", "confirm block", "latency ms", "blocks");
        for (size_t i = 0; i < nconf; i++) {
            lat[i] = confs[i].latency_ms;
            blk[i] = (long long)confs[i].confirm_block - (long long)(confs[i].ref + 1);
            printf("  %-8llu %-10llu %-14llu %-12lld %lld\n", (unsigned long long)confs[i].task_id,
                   (unsigned long long)confs[i].ref, (unsigned long long)confs[i].confirm_block, lat[i], blk[i]);
        }
        qsort(lat, nconf, sizeof lat[0], cmp_ll);
        qsort(blk, nconf, sizeof blk[0], cmp_ll);
        printf("  median over %zu tasks: %lld ms, %lld AVS blocks from creation to confirmState receipt "
               "(target <= 3 blocks)\n",
               nconf, lat[nconf / 2], blk[nconf / 2]);
    }

    printf("\nresident memory (VmRSS)\n");
    print_rss("mpavs-aggregator", &W.agg);
    for (size_t i = 0; i < 4; i++) {
        char n[40];
        snprintf(n, sizeof n, "mpavs-prover %zu", i + 1);
        print_rss(n, &W.ops[i].prover);
    }
    for (size_t i = 0; real_ops && i < 4; i++) {
        char n[40];
        snprintf(n, sizeof n, "mpavs-operator %zu", i + 1);
        print_rss(n, &W.ops[i].op);
    }
    /* the aggregator under 1,000 HTTP submissions */
    btask t;
    char *json = NULL;
    if (fetch_task(&t, 0, 10)) json = task_request(0, &t);
    if (json) {
        load_json = json;
        long before = rss_kb_of(W.agg.pid), peak = before;
        pthread_t sampler, th[32];
        pthread_create(&sampler, NULL, rss_sampler, &peak);
        long long t0 = harness_now_ms();
        for (int k = 0; k < 32; k++) pthread_create(&th[k], NULL, load_worker, NULL);
        for (int k = 0; k < 32; k++) pthread_join(th[k], NULL);
        long long dt = harness_now_ms() - t0;
        load_done = 1;
        pthread_join(sampler, NULL);
        printf("  mpavs-aggregator, %d submitTask over HTTP (32 connections, %lld ms, %.0f req/s): "
               "%.1f MB before, %.1f MB peak, %.1f MB after\n",
               NHTTP, dt, dt > 0 ? NHTTP * 1000.0 / (double)dt : 0.0, before / 1024.0, peak / 1024.0,
               rss_kb_of(W.agg.pid) / 1024.0);
        free(json);
    } else {
        printf("  no task/proof for the HTTP load; skipped\n");
    }
    printf("  targets: operator < 20 MB, aggregator < 100 MB at 1,000 operators (in process: bench_aggregator)\n");
    world_down(&W);
    return 0;
}

/*
 * bench/bench_aggregator.c — admission throughput of mpavs-aggregator with 1,000 registered
 * operators signing one type-3 task, in process (no chain, no HTTP), linked against the
 * aggregator's core (build/libmpavs-aggregator.a).
 *
 * An agg_daemon is built in memory: a store on a temporary SQLite file (WAL, synchronous FULL
 * as in production), the verifier stage started as the daemon starts it (one worker per core),
 * one attestation layer whose liveness cache is pre-filled for every operator (valid far into
 * the future, prover = the operator's enclave key address), and per run one fresh type-3 task
 * whose operator state is 1,000 synthetic operators with real BN254 keys (loaded directly:
 * load = 2). Each run admits 1,000 real TaskRequest JSON texts (BLS signed by the operator, PoE
 * signed by its enclave secp256k1 key) from 1, 2, 4, 32 and 128 threads (the HTTP server runs
 * 128): each thread parses the text once with jansson, as the JSON-RPC server does, and passes
 * the tree to agg_admit(), which waits for the verdict. Then as the server runs submitTask: one
 * thread per core parses and calls agg_admit_start(), whose verdict arrives on the verifier's
 * committer thread (the server's deferred answer; no thread waits for the BLS batch), timed until
 * the last verdict. Prints signatures/second (median of the runs, wall clock), the p50 and p99
 * admission latency (parse to verdict), the per-stage costs (CPU time, single thread), the bound
 * from the unavoidable per-signature work (JSON, PoE recovery, batched BLS, batched SQLite, on
 * every core) and the ratio against it. Never fails.
 *
 * Knobs for tuning and profiling: BENCH_AGG_ONLY_THREADS=N (only that admission figure;
 * BENCH_AGG_ASYNC=1 for agg_admit_start), BENCH_AGG_WORKERS, _WINDOW_US, _QUIET_US, _SPLIT_MIN,
 * _TARGET (the verifier's options), BENCH_AGG_DB_DIR, BENCH_AGG_TRACE=1 (per run: fed by, last
 * verdict at), BENCH_AGG_QUIET_LOG=1 (log at warn).
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include "aggregator/daemon.h"
#include "common/log.h"

#include "mpavs/keccak.h"
#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/bn254.h"
#include "mpavs/wire.h"

#include <fcntl.h>
#include <malloc.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NOPS 1000
#define RUNS 5
#define CHAIN_ID 31338u
#define REF_BLOCK 100u

typedef struct {
    uint8_t bls_sk[32], enclave_sk[32];
    mpavs_bn254_g1 pk1;
    mpavs_bn254_g2 pk2;
    uint8_t id[32];
    mpavs_address prover;
} bop;

static bop OPS[NOPS];
static size_t NCORES = 1;
static mpavs_agg_operator AOPS[NOPS];
static agg_daemon D;
static char DBDIR[256], DBPATH[300];
static int devnull_fd = -1, stderr_fd = -1;

static double wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_dbl);
    return v[n / 2];
}

static void quiet_stderr(bool on) {
    if (devnull_fd < 0) devnull_fd = open("/dev/null", O_WRONLY);
    if (stderr_fd < 0) stderr_fd = dup(STDERR_FILENO);
    if (devnull_fd < 0 || stderr_fd < 0) return;
    fflush(stderr);
    dup2(on ? devnull_fd : stderr_fd, STDERR_FILENO);
}

static void fmt_ns(char *out, size_t cap, double ns) {
    if (ns < 1e3) snprintf(out, cap, "%8.1f ns", ns);
    else if (ns < 1e6) snprintf(out, cap, "%8.2f us", ns / 1e3);
    else snprintf(out, cap, "%8.3f ms", ns / 1e6);
}

static void row_ns(const char *name, double ns) {
    char b[32];
    fmt_ns(b, sizeof b, ns);
    printf("  %-52s %s   (%9.0f /s)\n", name, b, ns > 0 ? 1e9 / ns : 0.0);
}

/* ---------- the world: operators, daemon, tasks, requests ---------- */

static bool make_operators(void) {
    for (size_t i = 0; i < NOPS; i++) {
        bop *o = &OPS[i];
        if (mpavs_bls_keygen(o->bls_sk) || mpavs_bls_pubkey_g1(&o->pk1, o->bls_sk) ||
            mpavs_bls_pubkey_g2(&o->pk2, o->bls_sk))
            return false;
        mpavs_bls_operator_id(o->id, &o->pk1);
        if (mpavs_ecdsa_seckey_generate(D.ecdsa, o->enclave_sk) ||
            mpavs_ecdsa_seckey_to_address(D.ecdsa, &o->prover, o->enclave_sk))
            return false;
        mpavs_agg_operator *a = &AOPS[i];
        memset(a, 0, sizeof *a);
        memcpy(a->operator_id, o->id, 32);
        a->pk_g1 = o->pk1;
        a->pk_g2 = o->pk2;
        a->stake[0] = mpavs_u256_from_u64(1000000000000000000ull + i);
        a->quorum_mask = 1;
    }
    return true;
}

static bool make_daemon(void) {
    memset(&D, 0, sizeof D);
    agg_core_init(&D);
    D.ecdsa = mpavs_ecdsa_ctx_create();
    if (!D.ecdsa) return false;
    D.cfg.threshold = 67;
    D.cfg.min_wait_s = 3600;
    D.cfg.nlayers = 1;
    snprintf(D.cfg.layers[0].rpc_url, sizeof D.cfg.layers[0].rpc_url, "http://127.0.0.1:1");
    snprintf(D.cfg.eth_url, sizeof D.cfg.eth_url, "http://127.0.0.1:1");
    agg_pool_init(&D.avs, D.cfg.eth_url, 200);
    agg_pool_init(&D.layers[0], D.cfg.layers[0].rpc_url, 200);
    D.committee_quorums[3][0] = 0;
    D.ncommittee_quorums[3] = 1;
    D.committee_checked_ms[3] = UINT64_MAX / 2;
    const char *base = getenv("BENCH_AGG_DB_DIR"); /* e.g. /dev/shm: the pipeline without the disk's fsync */
    snprintf(DBDIR, sizeof DBDIR, "%s/mpavs-bench-agg-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(DBDIR)) return false;
    snprintf(DBPATH, sizeof DBPATH, "%s/aggregator.db", DBDIR);
    char err[256];
    D.store = agg_store_open(DBPATH, err, sizeof err);
    if (!D.store) {
        printf("  store: %s\n", err);
        return false;
    }
    /* the verifier stage as agg_core_start makes it (tasks are loaded here: no state loader);
     * BENCH_AGG_WORKERS / _WINDOW_US / _QUIET_US / _SPLIT_MIN override its options (tuning) */
    const char *w = getenv("BENCH_AGG_WORKERS"), *win = getenv("BENCH_AGG_WINDOW_US"),
               *sm = getenv("BENCH_AGG_SPLIT_MIN"), *qu = getenv("BENCH_AGG_QUIET_US"), *tb = getenv("BENCH_AGG_TARGET");
    agg_verifier_options vo = {.workers = w ? (size_t)atoi(w) : 0, .window_us = win ? (unsigned)atoi(win) : 0,
                               .quiet_us = qu ? (unsigned)atoi(qu) : 0, .target_batch = tb ? (size_t)atoi(tb) : 0,
                               .split_min = sm ? (size_t)atoi(sm) : 0, .commit = agg_admit_commit, .user = &D};
    D.verifier = agg_verifier_create(&vo);
    if (!D.verifier) {
        printf("  cannot start the verifier stage\n");
        return false;
    }
    return true;
}

static void fill_liveness(void) {
    pthread_mutex_lock(&D.live_mu);
    free(D.live);
    D.live = calloc(NOPS, sizeof *D.live);
    D.live_cap = D.live ? NOPS : 0;
    D.nlive = D.live_cap;
    uint64_t now = agg_now_ms();
    for (size_t i = 0; i < D.nlive; i++) {
        memcpy(D.live[i].operator_id, OPS[i].id, 32);
        D.live[i].prover[0] = OPS[i].prover;
        D.live[i].valid_until[0] = 4000000000ull; /* year 2096 */
        D.live[i].checked_ms = now;
    }
    pthread_mutex_unlock(&D.live_mu);
}

/* The layer clock is re-read every 5 s (an RPC to 127.0.0.1:1 here): keep it fresh before a run. */
static void fresh_layer_clock(void) { __atomic_store_n(&D.layer_clock_checked_ms[0], agg_now_ms(), __ATOMIC_RELAXED); }

typedef struct {
    uint64_t id;
    uint8_t metadata[32], state[64], digest[32], poe[32];
    char *json[NOPS];
    size_t len[NOPS];
} btask;

/* A fresh task (created in the daemon with its 1,000-operator state) and every operator's request. */
static bool make_task(btask *bt, uint64_t id) {
    memset(bt, 0, sizeof *bt);
    bt->id = id;
    mpavs_avs_chain_task_metadata(bt->metadata, CHAIN_ID, id);
    for (int i = 0; i < 64; i++) bt->state[i] = (uint8_t)(id * 31 + (uint64_t)i * 7);
    char ext[256];
    snprintf(ext, sizeof ext,
             "{\"chain_id\":%u,\"block_number\":%llu,\"start_block\":\"0x%llx\",\"end_block\":\"0x%llx\","
             "\"reference_block_number\":%u}",
             CHAIN_ID, (unsigned long long)id, (unsigned long long)id, (unsigned long long)id, REF_BLOCK);
    if (!agg_task_create(&D, 3, id, REF_BLOCK, ext, bt->metadata, 32)) return false;
    uint8_t q[1] = {0}, th[1] = {67};
    mpavs_agg *agg = NULL;
    if (mpavs_agg_create(&agg, q, th, 1, AOPS, NOPS)) return false;
    pthread_mutex_lock(&D.mu);
    agg_task *t = agg_task_find(&D, 3, id);
    if (t) {
        t->agg = agg;
        t->noperators = NOPS;
        t->quorums[0] = 0;
        t->thresholds[0] = 67;
        t->nq = 1;
        t->load = 2;
    }
    pthread_mutex_unlock(&D.mu);
    if (!t) {
        mpavs_agg_destroy(agg);
        return false;
    }
    uint8_t q0[1] = {0}, th0[1] = {0};
    mpavs_avs_state_header h = {.committee_id = 3, .metadata = bt->metadata, .metadata_len = 32, .state = bt->state,
                                .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                .quorum_thresholds = th0, .quorum_thresholds_len = 1, .reference_block = REF_BLOCK};
    if (mpavs_avs_state_digest(bt->digest, &h)) return false;
    static const uint8_t zero[32];
    uint8_t sh[32];
    mpavs_keccak256(sh, bt->state, 64);
    mpavs_avs_poe_digest(bt->poe, bt->metadata, sh, zero, bt->state + 32, zero);
    mpavs_bn254_g1 hm;
    mpavs_bls_hash_to_g1(&hm, bt->digest);
    for (size_t i = 0; i < NOPS; i++) {
        mpavs_bn254_g1 sig;
        mpavs_ecdsa_sig es;
        uint8_t psig[65], enc[64];
        if (mpavs_bls_sign_hashed(&sig, OPS[i].bls_sk, &hm) ||
            mpavs_ecdsa_sign(D.ecdsa, &es, bt->poe, OPS[i].enclave_sk))
            return false;
        mpavs_ecdsa_sig_serialize(psig, &es);
        mpavs_bn254_g1_encode(enc, &sig);
        mpavs_wire_task_request r = {.identifier = 3, .metadata = bt->metadata, .metadata_len = 32,
                                     .state = bt->state, .state_len = 64, .quorum_numbers = q0,
                                     .quorum_numbers_len = 1, .quorum_thresholds = th0, .quorum_thresholds_len = 1,
                                     .reference_block = REF_BLOCK, .prover_signature = psig,
                                     .prover_signature_len = 65};
        memcpy(r.sig_x, enc, 32);
        memcpy(r.sig_y, enc + 32, 32);
        memcpy(r.operator_id, OPS[i].id, 32);
        if (mpavs_wire_format_task_request(&bt->json[i], &r)) return false;
        bt->len[i] = strlen(bt->json[i]);
    }
    return true;
}

static void free_task(btask *bt) {
    for (size_t i = 0; i < NOPS; i++) free(bt->json[i]);
    memset(bt->json, 0, sizeof bt->json);
}

/* ---------- throughput through agg_admit ---------- */

struct admit_run;
typedef struct {
    struct admit_run *a;
    size_t i;
} admit_slot;

typedef struct admit_run {
    btask *bt;
    bool async; /* agg_admit_start (the server's deferred answers) instead of agg_admit */
    size_t next; /* atomic */
    size_t admitted, rejected, finished; /* atomic */
    double feed_cpu_ns; /* CPU time of the admitting threads (mutex: feed_mu) */
    pthread_mutex_t feed_mu;
    sem_t all_done; /* async: posted by the last verdict */
    int first_reject;
    char first_msg[400];
    double t0_ns[NOPS];      /* async: when each request's parse began */
    admit_slot slot[NOPS];   /* async: done's user */
    double latency_ns[NOPS]; /* per request: parse + admission until its verdict, wall clock */
} admit_run;

static void count_verdict(admit_run *a, int why, const char *msg) {
    if (why == REJ_COUNT) {
        __atomic_add_fetch(&a->admitted, 1, __ATOMIC_RELAXED);
    } else if (__atomic_add_fetch(&a->rejected, 1, __ATOMIC_RELAXED) == 1) {
        a->first_reject = why;
        snprintf(a->first_msg, sizeof a->first_msg, "%s", msg);
    }
}

/* An asynchronous verdict (as the aggregator's answer_submit resumes the connection). */
static void async_done(void *user, int why, const char *msg) {
    admit_slot *sl = user;
    admit_run *a = sl->a;
    a->latency_ns[sl->i] = wall_ns() - a->t0_ns[sl->i];
    count_verdict(a, why, msg);
    if (__atomic_add_fetch(&a->finished, 1, __ATOMIC_ACQ_REL) == NOPS) sem_post(&a->all_done);
}

static void *admit_worker(void *arg) {
    admit_run *a = arg;
    pthread_setname_np(pthread_self(), "bench-admit");
    double c0 = cpu_ns();
    for (;;) {
        size_t i = __atomic_fetch_add(&a->next, 1, __ATOMIC_RELAXED);
        if (i >= NOPS) break;
        char msg[400];
        double t0 = wall_ns();
        json_t *req = json_loadb(a->bt->json[i], a->bt->len[i], 0, NULL); /* the server's one parse */
        if (a->async) {
            a->t0_ns[i] = t0;
            a->slot[i] = (admit_slot){.a = a, .i = i};
            if (req) agg_admit_start(&D, req, async_done, &a->slot[i]);
            else async_done(&a->slot[i], REJ_INVALID_PARAMS, "parse");
            json_decref(req);
            continue;
        }
        int why = req ? agg_admit(&D, req, msg, sizeof msg) : REJ_INVALID_PARAMS;
        json_decref(req);
        a->latency_ns[i] = wall_ns() - t0;
        count_verdict(a, why, msg);
    }
    double used = cpu_ns() - c0;
    pthread_mutex_lock(&a->feed_mu);
    a->feed_cpu_ns += used;
    pthread_mutex_unlock(&a->feed_mu);
    return NULL;
}

static uint64_t next_task_id = 1000;

/* Median sig/s over RUNS fresh tasks with nthreads admitting. Out: *avg_batch, the mean BLS batch size. */
static double process_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Busy and steal CPU time of the whole machine so far (/proc/stat, seconds): other agents share it. */
static void machine_cpu(double *busy_s, double *steal_s) {
    *busy_s = *steal_s = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return;
    unsigned long long v[8] = {0};
    if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
               &v[7]) == 8) {
        double hz = (double)sysconf(_SC_CLK_TCK);
        *busy_s = (double)(v[0] + v[1] + v[2] + v[5] + v[6]) / hz;
        *steal_s = (double)v[7] / hz;
    }
    fclose(f);
}

static double last_others; /* cores the rest of the machine kept busy (or stole) during the last runs */
static double last_cores;  /* CPU time / wall time of the last throughput() runs */
static double last_p99_ns; /* median over the runs of the p99 admission latency */
static double last_p50_ns; /* median over the runs of the median admission latency */
static double last_cpu_ns; /* process CPU time per admitted signature (all threads) */
static double last_feed_ns; /* of which the admitting threads' (the rest: the verifier stage's) */
static double last_commit_rows, last_commit_ms; /* per commit round: rows, wall time (transaction + fsync) */

static void verifier_stats(uint64_t *batches, uint64_t *sigs) { agg_verifier_stats(D.verifier, batches, sigs); }

static double throughput(int nthreads, bool async, double *avg_batch) {
    double rates[RUNS], p99[RUNS], p50[RUNS], cpu_sum = 0, wall_sum = 0, admitted = 0, feed_sum = 0;
    uint64_t commits = 0, commit_ns = 0;
    double mbusy = 0, msteal = 0;
    uint64_t b0 = 0, s0 = 0, b1 = 0, s1 = 0;
    int ok_runs = 0;
    for (int r = 0; r < RUNS; r++) {
        btask *bt = malloc(sizeof *bt);
        if (!bt || !make_task(bt, next_task_id++)) {
            printf("  cannot build task\n");
            free(bt);
            return 0;
        }
        static admit_run a;
        memset(&a, 0, sizeof a);
        a.bt = bt;
        a.async = async;
        sem_init(&a.all_done, 0, 0);
        pthread_mutex_init(&a.feed_mu, NULL);
        fresh_layer_clock();
        pthread_t th[128];
        verifier_stats(&b0, &s0);
        uint64_t k0, kns0;
        agg_verifier_commit_stats(D.verifier, &k0, &kns0);
        dlog_set_level(getenv("BENCH_AGG_QUIET_LOG") ? DLOG_WARN : DLOG_INFO);
        quiet_stderr(true);
        double mb0, ms0, mb1, ms1;
        machine_cpu(&mb0, &ms0);
        double t0 = wall_ns(), c0 = process_cpu_ns();
        for (int k = 0; k < nthreads; k++) pthread_create(&th[k], NULL, admit_worker, &a);
        for (int k = 0; k < nthreads; k++) pthread_join(th[k], NULL);
        double t_fed = wall_ns() - t0;
        if (async)
            while (sem_wait(&a.all_done) != 0) {
            }
        sem_destroy(&a.all_done);
        double dt = wall_ns() - t0;
        if (getenv("BENCH_AGG_TRACE")) fprintf(stdout, "    run %d: fed in %.1f ms, last verdict at %.1f ms\n", r, t_fed / 1e6, dt / 1e6);
        cpu_sum += process_cpu_ns() - c0;
        machine_cpu(&mb1, &ms1);
        mbusy += mb1 - mb0;
        msteal += ms1 - ms0;
        wall_sum += dt;
        quiet_stderr(false);
        dlog_set_level(DLOG_WARN);
        uint64_t b2, s2, k2, kns2;
        verifier_stats(&b2, &s2);
        agg_verifier_commit_stats(D.verifier, &k2, &kns2);
        commits += k2 - k0;
        commit_ns += kns2 - kns0;
        b1 += b2 - b0;
        s1 += s2 - s0;
        if (a.admitted != NOPS)
            printf("  run %d: admitted %zu of %d (first rejection %s: %s)\n", r, a.admitted, NOPS,
                   a.rejected ? agg_reject_names[a.first_reject] : "-", a.first_msg);
        qsort(a.latency_ns, NOPS, sizeof a.latency_ns[0], cmp_dbl);
        p99[ok_runs] = a.latency_ns[NOPS * 99 / 100];
        p50[ok_runs] = a.latency_ns[NOPS / 2];
        rates[ok_runs++] = (double)a.admitted * 1e9 / dt;
        admitted += (double)a.admitted;
        feed_sum += a.feed_cpu_ns;
        free_task(bt);
        free(bt);
    }
    *avg_batch = b1 ? (double)s1 / (double)b1 : 0;
    last_cores = wall_sum > 0 ? cpu_sum / wall_sum : 0;
    last_others = wall_sum > 0 ? (mbusy + msteal) / (wall_sum / 1e9) - last_cores : 0;
    if (last_others < 0) last_others = 0; /* /proc/stat counts in ticks */
    last_cpu_ns = admitted > 0 ? cpu_sum / admitted : 0;
    last_feed_ns = admitted > 0 ? feed_sum / admitted : 0;
    last_commit_rows = commits ? admitted / (double)commits : 0;
    last_commit_ms = commits ? (double)commit_ns / (double)commits / 1e6 : 0;
    last_p99_ns = median_of(p99, ok_runs);
    last_p50_ns = median_of(p50, ok_runs);
    return median_of(rates, ok_runs);
}

/* ---------- per-stage costs (single thread, CPU time, median of RUNS) ---------- */

static btask *ST; /* a task whose requests the stage benches use */

typedef double (*stage_fn)(void);

static double stage(stage_fn f) {
    double v[RUNS];
    f();
    for (int r = 0; r < RUNS; r++) v[r] = f();
    return median_of(v, RUNS);
}

static volatile uint64_t sink;

/* The request's one parse: jansson (the JSON-RPC server) + the wire decode of the tree (agg_admit). */
static double st_parse(void) {
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        mpavs_wire_task_request r;
        char m[128];
        json_t *j = json_loadb(ST->json[i], ST->len[i], 0, NULL);
        if (j && mpavs_wire_task_request_from_json(&r, m, sizeof m, j) == 0) {
            sink += r.operator_id[0];
            mpavs_wire_task_request_clear(&r);
        }
        json_decref(j);
    }
    return (cpu_ns() - t0) / NOPS;
}

/* What the server did before: jansson, then the wire parser on re-serialized text (parsed twice). */
static double st_parse_twice(void) {
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        mpavs_wire_task_request r;
        char m[128];
        json_t *j = json_loadb(ST->json[i], ST->len[i], 0, NULL);
        char *txt = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (txt && mpavs_wire_parse_task_request(&r, m, sizeof m, txt, strlen(txt)) == 0) {
            sink += r.operator_id[0];
            mpavs_wire_task_request_clear(&r);
        }
        free(txt);
        json_decref(j);
    }
    return (cpu_ns() - t0) / NOPS;
}

/* The PoE digest of a type-3 submission (as admit.c computes it). */
static void poe_digest(uint8_t out[32], const mpavs_wire_task_request *r) {
    static const uint8_t zero[32];
    uint8_t sh[32];
    mpavs_keccak256(sh, r->state, 64);
    mpavs_avs_poe_digest(out, r->metadata, sh, zero, r->state + 32, zero);
}

static double st_digest(void) {
    uint8_t q0[1] = {0}, th0[1] = {0}, dg[32];
    mpavs_avs_state_header h = {.committee_id = 3, .metadata = ST->metadata, .metadata_len = 32, .state = ST->state,
                                .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                .quorum_thresholds = th0, .quorum_thresholds_len = 1, .reference_block = REF_BLOCK};
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++)
        if (mpavs_avs_state_digest(dg, &h) == 0) sink += dg[0];
    return (cpu_ns() - t0) / NOPS;
}

static mpavs_wire_task_request PARSED[NOPS];

static double st_poe(void) {
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        uint8_t pd[32];
        mpavs_ecdsa_sig es;
        mpavs_address a;
        poe_digest(pd, &PARSED[i]);
        if (!mpavs_ecdsa_sig_parse(&es, PARSED[i].prover_signature) &&
            !mpavs_ecdsa_recover_address(D.ecdsa, &a, &es, pd))
            sink += a.bytes[0];
    }
    return (cpu_ns() - t0) / NOPS;
}

static double st_liveness(void) {
    fresh_layer_clock();
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        bool live, match;
        uint8_t z[32] = {0};
        if (agg_liveness(&D, &live, &match, OPS[i].id, z, z, &OPS[i].prover)) sink += match;
    }
    return (cpu_ns() - t0) / NOPS;
}

static mpavs_bn254_g1 SIGS[NOPS];
static mpavs_bn254_g2 PKS[NOPS];

static double st_g1_decode(void) {
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        uint8_t enc[64];
        memcpy(enc, PARSED[i].sig_x, 32);
        memcpy(enc + 32, PARSED[i].sig_y, 32);
        mpavs_bn254_g1 p;
        if (mpavs_bn254_g1_decode(&p, enc) == MPAVS_BN254_OK) sink += 1;
    }
    return (cpu_ns() - t0) / NOPS;
}

#define NVERIFY 50
static double st_bls_single(void) {
    double t0 = cpu_ns();
    for (size_t i = 0; i < NVERIFY; i++) {
        bool ok = false;
        if (mpavs_bls_verify(&ok, &PKS[i], ST->digest, &SIGS[i]) == 0) sink += ok;
    }
    return (cpu_ns() - t0) / NVERIFY;
}

static size_t batch_n;
static double st_bls_batch(void) {
    size_t reps = batch_n >= 256 ? 1 : 256 / batch_n;
    double t0 = cpu_ns();
    for (size_t k = 0; k < reps; k++) {
        bool ok = false;
        size_t off = (k * batch_n) % (NOPS - batch_n + 1);
        if (mpavs_bls_batch_verify_same_msg(&ok, ST->digest, PKS + off, SIGS + off, batch_n) == 0) sink += ok;
    }
    return (cpu_ns() - t0) / (double)(reps * batch_n);
}

static agg_sig_row ROWS[NOPS];
static uint64_t row_task = 1;

static void make_rows(void) {
    row_task++;
    for (size_t i = 0; i < NOPS; i++) {
        agg_sig_row *w = &ROWS[i];
        memset(w, 0, sizeof *w);
        w->type = 3;
        w->task_id = 900000000 + row_task;
        memcpy(w->operator_id, OPS[i].id, 32);
        memcpy(w->digest, ST->digest, 32);
        memcpy(w->sig, PARSED[i].sig_x, 32);
        memcpy(w->sig + 32, PARSED[i].sig_y, 32);
        memcpy(w->prover_sig, PARSED[i].prover_signature, 65);
        w->state = ST->state;
        w->state_len = 64;
        w->metadata = ST->metadata;
        w->metadata_len = 32;
        w->admitted_ms = agg_now_ms();
    }
}

#define NINSERT 200
static double st_insert_one(void) {
    make_rows();
    double t0 = wall_ns(); /* fsync waits: wall clock */
    for (size_t i = 0; i < NINSERT; i++)
        if (!agg_store_sigs_insert(D.store, &ROWS[i], 1)) return 0;
    return (wall_ns() - t0) / NINSERT;
}

static double st_insert_batch(void) {
    make_rows();
    double t0 = wall_ns();
    if (!agg_store_sigs_insert(D.store, ROWS, NOPS)) return 0;
    return (wall_ns() - t0) / NOPS;
}

/* 32 threads each inserting its share of the 1,000 rows one row per call (the admission pattern). */
static size_t ins_next;
static void *insert_worker(void *arg) {
    (void)arg;
    for (;;) {
        size_t i = __atomic_fetch_add(&ins_next, 1, __ATOMIC_RELAXED);
        if (i >= NOPS) break;
        if (!agg_store_sigs_insert(D.store, &ROWS[i], 1)) break;
    }
    return NULL;
}

static double st_insert_concurrent(void) {
    make_rows();
    ins_next = 0;
    pthread_t th[32];
    double t0 = wall_ns();
    for (int k = 0; k < 32; k++) pthread_create(&th[k], NULL, insert_worker, NULL);
    for (int k = 0; k < 32; k++) pthread_join(th[k], NULL);
    return (wall_ns() - t0) / NOPS;
}

static double st_agg_add(void) {
    btask *bt = ST;
    uint64_t id = next_task_id++;
    mpavs_agg *agg = NULL;
    uint8_t q[1] = {0}, th[1] = {67}, md[32];
    if (mpavs_agg_create(&agg, q, th, 1, AOPS, NOPS)) return 0;
    mpavs_avs_chain_task_metadata(md, CHAIN_ID, id);
    if (!agg_task_create(&D, 3, id, REF_BLOCK, "null", md, 32)) {
        mpavs_agg_destroy(agg);
        return 0;
    }
    pthread_mutex_lock(&D.mu);
    agg_task *t = agg_task_find(&D, 3, id);
    t->agg = agg;
    t->load = 2;
    pthread_mutex_unlock(&D.mu);
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        bool added = false;
        pthread_mutex_lock(&D.mu);
        int r = agg_task_add_signature(&D, t, &added, bt->digest, OPS[i].id, &SIGS[i], bt->metadata, 32, bt->state, 64,
                                       t->created_ms);
        pthread_mutex_unlock(&D.mu);
        sink += (uint64_t)r + added;
    }
    double ns = (cpu_ns() - t0) / NOPS;
    pthread_mutex_lock(&D.mu);
    t->status = TASK_CONFIRMED; /* finished: its state released, prunable */
    agg_task_release_state(t);
    pthread_mutex_unlock(&D.mu);
    return ns;
}

static double st_admit_checks(void) {
    /* steps 2-4 as agg_admit does them: task lookup, operator lookup, duplicate scan over the
     * signers already admitted (the whole task admitted: the worst case, 1,000 signers) */
    pthread_mutex_lock(&D.mu);
    agg_task *t = agg_task_find_metadata(&D, 3, ST->metadata, 32);
    pthread_mutex_unlock(&D.mu);
    if (!t) return 0;
    double t0 = cpu_ns();
    for (size_t i = 0; i < NOPS; i++) {
        pthread_mutex_lock(&D.mu);
        agg_task *u = agg_task_find_metadata(&D, 3, ST->metadata, 32);
        const mpavs_agg_operator *op = NULL;
        if (u && mpavs_agg_find(u->agg, &op, OPS[i].id) == MPAVS_AGG_OK) sink += op->operator_id[0];
        for (size_t k = 0; u && k < u->nsigners; k++)
            if (!memcmp(u->signers[k].operator_id, OPS[i].id, 32)) {
                sink += k;
                break;
            }
        pthread_mutex_unlock(&D.mu);
    }
    return (cpu_ns() - t0) / NOPS;
}

static long rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6)) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

int main(void) {
    printf("aggregator admission: %d operators signing one type-3 task, %d runs per figure (median)\n", NOPS, RUNS);
    long rss0 = rss_kb();
    long nc = sysconf(_SC_NPROCESSORS_ONLN);
    NCORES = nc > 0 ? (size_t)nc : 1;
    double la[3] = {0, 0, 0};
    if (getloadavg(la, 3) == 3)
        printf("  %zu cores online; load average %.2f %.2f %.2f at start (a shared machine: compare ratios)\n",
               NCORES, la[0], la[1], la[2]);
    dlog_set_level(DLOG_WARN); /* set-up is quiet; the timed runs log at info into /dev/null as production would */
    if (!make_daemon()) {
        printf("  cannot build the in-memory daemon; skipped\n");
        return 0;
    }
    double t0 = wall_ns();
    if (!make_operators()) {
        printf("  cannot make operator keys; skipped\n");
        return 0;
    }
    fill_liveness();
    printf("  setup: %d BLS + enclave keys in %.1f s; store %s (WAL, synchronous=FULL)\n", NOPS,
           (wall_ns() - t0) / 1e9, DBPATH);

    const char *only = getenv("BENCH_AGG_ONLY_THREADS"); /* profiling: just the threaded admission */
    if (only && atoi(only) > 0 && atoi(only) <= 128) {
        bool as = getenv("BENCH_AGG_ASYNC") != NULL;
        double avg = 0, r = throughput(atoi(only), as, &avg);
        printf("  %d threads: %.0f sig/s, p50 %.2f ms, p99 latency %.2f ms, mean BLS batch %.2f, %.2f cores busy (others %.2f), "
               "%.1f us CPU/sig (admitting threads %.1f), commits of %.1f rows in %.2f ms\n",
               atoi(only), r, last_p50_ns / 1e6, last_p99_ns / 1e6, avg, last_cores, last_others, last_cpu_ns / 1e3,
               last_feed_ns / 1e3, last_commit_rows, last_commit_ms);
        agg_verifier_destroy(D.verifier);
        D.verifier = NULL;
        agg_tasks_free(&D);
        agg_store_close(D.store);
        char rm[600];
        snprintf(rm, sizeof rm, "rm -rf '%s'", DBDIR);
        if (system(rm) != 0) printf("  cannot remove %s\n", DBDIR);
        return 0;
    }
    /* stage costs on one prepared task (its signatures not admitted) */
    ST = malloc(sizeof *ST);
    if (!ST || !make_task(ST, next_task_id++)) {
        printf("  cannot build a task; skipped\n");
        return 0;
    }
    for (size_t i = 0; i < NOPS; i++) {
        char m[128];
        if (mpavs_wire_parse_task_request(&PARSED[i], m, sizeof m, ST->json[i], ST->len[i])) {
            printf("  request %zu does not parse: %s\n", i, m);
            return 0;
        }
        uint8_t enc[64];
        memcpy(enc, PARSED[i].sig_x, 32);
        memcpy(enc + 32, PARSED[i].sig_y, 32);
        if (mpavs_bn254_g1_decode(&SIGS[i], enc)) return 0;
        PKS[i] = OPS[i].pk2;
    }
    printf("\nper-stage cost per signature (one thread; CPU time unless marked wall)\n");
    double c_parse = stage(st_parse), c_parse2 = stage(st_parse_twice), c_digest = stage(st_digest), c_poe = stage(st_poe),
           c_live = stage(st_liveness), c_dec = stage(st_g1_decode), c_checks = stage(st_admit_checks);
    double c_single = stage(st_bls_single);
    static const size_t BATCHES[] = {2, 4, 8, 32, 128, 1000};
    double c_batch[6];
    for (size_t k = 0; k < 6; k++) {
        batch_n = BATCHES[k];
        c_batch[k] = stage(st_bls_batch);
    }
    double c_ins1 = stage(st_insert_one), c_insb = stage(st_insert_batch), c_insc = stage(st_insert_concurrent), c_add = stage(st_agg_add);
    row_ns("JSON parse once (jansson + mpavs_wire_task_request_from_json)", c_parse);
    row_ns("  (before: jansson, re-serialize, mpavs_wire_parse_task_request)", c_parse2);
    row_ns("StateHeader digest", c_digest);
    row_ns("task/quorum/operator/duplicate checks (1,000 signers)", c_checks);
    row_ns("PoE digest + secp256k1 recover", c_poe);
    row_ns("liveness cache lookup (1,000 entries)", c_live);
    row_ns("G1 signature decode (on-curve check)", c_dec);
    row_ns("BLS verify, single (mpavs_bls_verify: 2 pairings)", c_single);
    for (size_t k = 0; k < 6; k++) {
        char name[80];
        snprintf(name, sizeof name, "BLS verify, batched same-message, n=%zu (per sig)", BATCHES[k]);
        row_ns(name, c_batch[k]);
    }
    row_ns("SQLite insert + commit (fsync), 1 row/txn [wall]", c_ins1);
    row_ns("SQLite insert, 1000 rows/txn, per row [wall]", c_insb);
    row_ns("SQLite insert, 1 row/call from 32 threads, per row [wall]", c_insc);
    row_ns("aggregation add (agg_task_add_signature)", c_add);
    double cpu_path = c_parse + c_digest + c_checks + c_poe + c_live + c_dec + c_add;
    printf("  sum of CPU stages without BLS and SQLite: %.1f us/sig\n", cpu_path / 1e3);
    printf("  modelled single-thread admission: %.0f sig/s (single BLS, 1 fsync/sig); "
           "%.0f sig/s (BLS batch n=1000, 1 fsync per 1000)\n",
           1e9 / (cpu_path + c_single + c_ins1), 1e9 / (cpu_path + c_batch[5] + c_insb));

    long rss_tasks0 = rss_kb();
    uint64_t tasks0 = next_task_id;
    /* the bound: the work no design avoids (one parse, one PoE recovery, BLS in batches of 1,000,
     * SQLite rows committed 1,000 per transaction) on every core */
    double unavoidable = c_parse + c_poe + c_batch[5] + c_insb;
    double bound = unavoidable > 0 ? (double)NCORES * 1e9 / unavoidable : 0;
    printf("  bound: %zu cores / (parse %.1f + PoE %.1f + BLS batched %.1f + SQLite batched %.1f us) = %.0f sig/s\n",
           NCORES, c_parse / 1e3, c_poe / 1e3, c_batch[5] / 1e3, c_insb / 1e3, bound);
    printf("\nadmission through agg_admit (wall clock, fresh task per run, %d signatures each)\n", NOPS);
    double ref = c_single > 0 ? 1e9 / c_single : 0, best = 0;
    static const int THREADS[] = {1, 2, 4, 32, 128};
    for (size_t k = 0; k < sizeof THREADS / sizeof THREADS[0]; k++) {
        double avg = 0;
        double r = throughput(THREADS[k], false, &avg);
        printf("  %3d thread%s %7.0f sig/s  %.2f of the bound  p50 %6.2f ms  p99 %6.2f ms  %.1f us CPU/sig  x%.1f vs one "
               "mpavs_bls_verify per signature (%.0f/s)  mean BLS batch %.1f, %.2f cores busy (others %.2f), commits of "
               "%.1f rows in %.2f ms\n",
               THREADS[k], THREADS[k] == 1 ? " " : "s", r, bound > 0 ? r / bound : 0, last_p50_ns / 1e6,
               last_p99_ns / 1e6, last_cpu_ns / 1e3, ref > 0 ? r / ref : 0, ref, avg, last_cores, last_others,
               last_commit_rows, last_commit_ms);
        if (r > best) best = r;
    }
    printf("\nadmission through agg_admit_start, as the server runs it (deferred answers: the connection waits "
           "suspended, no thread waits for the BLS batch); %zu threads parse and start admissions\n", NCORES);
    {
        double avg = 0;
        double r = throughput((int)NCORES, true, &avg);
        printf("  %3zu thread%s %7.0f sig/s  %.2f of the bound  p50 %6.2f ms  p99 %6.2f ms  %.1f us CPU/sig  mean BLS "
               "batch %.1f, %.2f cores busy (others %.2f), commits of %.1f rows in %.2f ms\n",
               NCORES, NCORES == 1 ? " " : "s", r, bound > 0 ? r / bound : 0, last_p50_ns / 1e6, last_p99_ns / 1e6,
               last_cpu_ns / 1e3, avg, last_cores, last_others, last_commit_rows, last_commit_ms);
        if (r > best) best = r;
    }
    printf("  best %.0f sig/s = %.2f of the bound %.0f sig/s (target: >= 25000 sig/s and >= 0.80 of the bound on 2 "
           "cores)\n", best, bound > 0 ? best / bound : 0, bound);
    long rss1 = rss_kb();
    size_t ntasks = D.ntasks;
    double per_task = (double)(rss1 - rss_tasks0) / (double)(next_task_id - tasks0);
    printf("\nresident memory (VmRSS of this process): %.1f MB at start, %.1f MB with the %d operators' keys and one "
           "prepared task, %.1f MB after %llu more tasks with %d signatures admitted each (%zu tasks in the table)\n",
           rss0 / 1024.0, rss_tasks0 / 1024.0, NOPS, rss1 / 1024.0, (unsigned long long)(next_task_id - tasks0), NOPS,
           ntasks);
    printf("  per open task with %d operators: %.2f MB (sizeof(mpavs_agg_operator) = %zu bytes: the operator state "
           "is copied per task); confirmed, failed and expired tasks release it, so the aggregator holds this only "
           "for open tasks (a task every 5 blocks confirmed within ~1 block: 1-2 open tasks, ~%.0f MB)\n",
           NOPS, per_task / 1024.0, sizeof(mpavs_agg_operator), 20.0 + 2 * per_task / 1024.0);
    for (agg_task *t = D.tasks; t; t = t->next) agg_task_release_state(t);
    malloc_trim(0);
    printf("  after releasing the finished tasks' state (malloc_trim): %.1f MB\n", rss_kb() / 1024.0);
    free_task(ST);
    free(ST);
    for (size_t i = 0; i < NOPS; i++) mpavs_wire_task_request_clear(&PARSED[i]);
    agg_core_stop(&D);
    agg_tasks_free(&D);
    agg_store_close(D.store);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DBDIR);
    if (system(cmd)) {
    }
    agg_core_destroy(&D);
    mpavs_ecdsa_ctx_destroy(D.ecdsa);
    return 0;
}

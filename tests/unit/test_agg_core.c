/*
 * The aggregator's core (build/libmpavs-aggregator.a) against an in-memory chain: the state
 * loader, admission in cheap-to-expensive order with every rejection reason, the verifier stage
 * (batches, bad signatures found, every job committed once, each waiter answered), persistence
 * with the batch, the threshold decision and the restore of admitted signatures. No network:
 * the chain is a struct of function pointers (agg_chain_ops) answered from memory. Real keys,
 * real BLS and secp256k1 signatures, a real SQLite file. Runs in about a second.
 */
#include "aggregator/daemon.h"
#include "common/log.h"
#include "harness.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/keccak.h"
#include "mpavs/tasksrc.h"
#include "mpavs/rpc.h"
#include "mpavs/wire.h"

#include "common/jsonrpc_server.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define NOPS 5
#define CHAIN_ID 31338u
#define REF_BLOCK 100u

typedef struct {
    uint8_t bls_sk[32], enclave_sk[32];
    mpavs_agg_operator op;
    mpavs_address prover;
} top;

static top OPS[NOPS + 1]; /* OPS[NOPS]: a key that is not registered */
static mpavs_ecdsa_ctx *ECDSA;

/* ---- the in-memory chain ---- */
static struct {
    int state_calls, layer_calls, time_calls, committee_calls;
    uint64_t state_block;
    bool state_fails;
    uint64_t not_live_mask; /* operators whose layer has no proof */
    int reattested[NOPS];   /* KEY(k): the operator's prover is now enclave key k */
} CH;

static bool f_committee(agg_daemon *d, int type, uint8_t *quorums, size_t *nq, char *err, size_t cap) {
    __atomic_add_fetch(&CH.committee_calls, 1, __ATOMIC_RELAXED);
    quorums[0] = 0;
    *nq = 1;
    return true;
}

static bool f_state(agg_daemon *d, uint64_t block, const uint8_t *quorums, size_t nq, mpavs_agg_operator **ops,
                    size_t *n, char *err, size_t cap) {
    __atomic_add_fetch(&CH.state_calls, 1, __ATOMIC_RELAXED);
    CH.state_block = block;
    if (CH.state_fails) {
        snprintf(err, cap, "test chain: state unavailable");
        return false;
    }
    *ops = calloc(NOPS, sizeof **ops);
    if (!*ops) return false;
    for (size_t i = 0; i < NOPS; i++) (*ops)[i] = OPS[i].op;
    *n = NOPS;
    return true;
}

static bool f_layer(agg_daemon *d, size_t li, const uint8_t id[32], mpavs_address *prover, uint64_t *time_s,
                    uint64_t *validity_s) {
    __atomic_add_fetch(&CH.layer_calls, 1, __ATOMIC_RELAXED);
    *time_s = 0;
    *validity_s = 3600;
    for (size_t i = 0; i < NOPS; i++)
        if (!memcmp(OPS[i].op.operator_id, id, 32)) {
            *prover = CH.reattested[i] ? OPS[CH.reattested[i] - 1].prover : OPS[i].prover;
            if (!(CH.not_live_mask >> i & 1)) *time_s = (uint64_t)time(NULL);
        }
    return true;
}

static bool f_time(agg_daemon *d, size_t li, uint64_t *unix_s) {
    __atomic_add_fetch(&CH.time_calls, 1, __ATOMIC_RELAXED);
    *unix_s = (uint64_t)time(NULL);
    return true;
}

static const agg_chain_ops FAKE = {f_committee, f_state, f_layer, f_time};

/* ---- the daemon ---- */
static char DIR_[64], DB[128];

static bool daemon_up(agg_daemon *d, bool loader) {
    memset(d, 0, sizeof *d);
    agg_core_init(d);
    d->chain = &FAKE;
    d->ecdsa = ECDSA;
    d->cfg.threshold = 67;
    d->cfg.expiry_s = 300;
    d->cfg.nlayers = 1;
    char err[256];
    d->store = agg_store_open(DB, err, sizeof err);
    if (!d->store) return false;
    return agg_core_start(d, 2, loader, err, sizeof err);
}

static void daemon_down(agg_daemon *d) {
    agg_core_stop(d);
    agg_tasks_free(d);
    agg_store_close(d->store);
    free(d->live);
    agg_core_destroy(d);
}

/* Wait (≤ 3 s) until task 3/id has its state loaded (2) or failed (3). */
static int wait_loaded(agg_daemon *d, uint64_t id) {
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&d->mu);
        agg_task *t = agg_task_find(d, 3, id);
        int l = t ? t->load : -1;
        pthread_mutex_unlock(&d->mu);
        if (l == 2 || l == 3) return l;
        usleep(10000);
    }
    return -1;
}

/* ---- requests ---- */
typedef struct {
    uint64_t block;        /* task id (type 3); 0: 7 */
    uint32_t ref;          /* reference block */
    uint8_t state_byte;    /* varies the state (and so the digest) */
    int signer;            /* KEY(k): BLS key k signs; 0: the operator's own */
    int prover;            /* KEY(k): enclave key k signs the PoE; 0: the operator's own */
    const uint8_t *quorums; /* default {0} */
    size_t nquorums;
    size_t prover_sig_len; /* default 65 */
} req_opts;

/* The JSON tree of operator i's submission. */
static json_t *request(int i, req_opts o) {
    uint8_t md[32], state[64], dg[32], poe[32], sh[32];
    static const uint8_t zero[32], q0[1] = {0}, th0[1] = {0};
    if (!o.block) o.block = 7;
    mpavs_avs_chain_task_metadata(md, CHAIN_ID, o.block);
    for (int k = 0; k < 64; k++) state[k] = (uint8_t)(o.state_byte + k);
    const uint8_t *q = o.quorums ? o.quorums : q0;
    size_t nq = o.quorums ? o.nquorums : 1;
    uint8_t th[8] = {0};
    mpavs_avs_state_header h = {.committee_id = 3, .metadata = md, .metadata_len = 32, .state = state,
                                .state_len = 64, .quorum_numbers = q, .quorum_numbers_len = nq,
                                .quorum_thresholds = nq ? th : th0, .quorum_thresholds_len = nq,
                                .reference_block = o.ref ? o.ref : REF_BLOCK};
    if (mpavs_avs_state_digest(dg, &h)) return NULL;
    mpavs_keccak256(sh, state, 64);
    mpavs_avs_poe_digest(poe, md, sh, zero, state + 32, zero);
    mpavs_bn254_g1 sig;
    mpavs_ecdsa_sig es;
    uint8_t psig[65], enc[64];
    if (mpavs_bls_sign(&sig, OPS[o.signer ? o.signer - 1 : i].bls_sk, dg) ||
        mpavs_ecdsa_sign(ECDSA, &es, poe, OPS[o.prover ? o.prover - 1 : i].enclave_sk))
        return NULL;
    mpavs_ecdsa_sig_serialize(psig, &es);
    mpavs_bn254_g1_encode(enc, &sig);
    mpavs_wire_task_request r = {.identifier = 3, .metadata = md, .metadata_len = 32, .state = state,
                                 .state_len = 64, .quorum_numbers = (uint8_t *)q, .quorum_numbers_len = nq,
                                 .quorum_thresholds = th, .quorum_thresholds_len = nq,
                                 .reference_block = h.reference_block, .prover_signature = psig,
                                 .prover_signature_len = o.prover_sig_len ? o.prover_sig_len : 65};
    memcpy(r.sig_x, enc, 32);
    memcpy(r.sig_y, enc + 32, 32);
    memcpy(r.operator_id, OPS[i].op.operator_id, 32);
    char *txt = NULL;
    if (mpavs_wire_format_task_request(&txt, &r)) return NULL;
    json_t *j = json_loads(txt, 0, NULL);
    free(txt);
    return j;
}

#define OPTS(...) ((req_opts){__VA_ARGS__})
#define KEY(k) ((k) + 1)

static int submit(agg_daemon *d, int i, req_opts o, char *msg, size_t cap) {
    json_t *j = request(i, o);
    if (!j) return -1;
    int why = agg_admit(d, j, msg, cap);
    json_decref(j);
    return why;
}

static size_t count_rows_n;
static void count_row(void *user, const agg_sig_row *r) { count_rows_n++; }
static size_t stored_rows(agg_daemon *d, uint64_t id) {
    count_rows_n = 0;
    agg_store_load_sigs(d->store, 3, id, count_row, NULL);
    return count_rows_n;
}

static bool new_task(agg_daemon *d, uint64_t block) {
    uint8_t md[32];
    mpavs_avs_chain_task_metadata(md, CHAIN_ID, block);
    return agg_task_create(d, 3, block, REF_BLOCK, "null", md, 32);
}

/* ---- tests ---- */

TEST(loader_loads_state_at_creation) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, true));
    CH.state_calls = 0;
    CH.layer_calls = 0;
    REQUIRE(new_task(&d, 7));
    CHECK_EQ_INT(wait_loaded(&d, 7), 2); /* before any submission */
    CHECK_EQ_INT(CH.state_calls, 1);
    CHECK_EQ_INT(CH.state_block, REF_BLOCK);
    for (int i = 0; i < 300 && __atomic_load_n(&CH.layer_calls, __ATOMIC_RELAXED) < NOPS; i++) usleep(10000);
    CHECK_EQ_INT(CH.layer_calls, NOPS); /* the loader read every operator's liveness proof once */
    int time_calls = CH.time_calls;
    char msg[400];
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_COUNT);
    CHECK_EQ_INT(CH.state_calls, 1); /* admission itself reads nothing from the chain */
    CHECK_EQ_INT(CH.layer_calls, NOPS);
    CHECK_EQ_INT(CH.time_calls, time_calls);
    /* operator 1's prover re-attested after the prefetch: the cached miss is re-read once, admitted */
    CH.reattested[1] = KEY(2);
    CHECK_EQ_INT(submit(&d, 1, OPTS(.block = 7, .prover = KEY(2)), msg, sizeof msg), REJ_COUNT);
    CHECK_EQ_INT(CH.layer_calls, NOPS + 1);
    CH.reattested[1] = 0;
    CHECK_EQ_INT(stored_rows(&d, 7), 2);
    daemon_down(&d);
}

/* Issue #15: a cached valid proof is re-read by a later task's prefetch once it is live_recheck_ms old,
 * so a proof voided on chain before its expiry (TEE quorum policy revocation) stops being admitted. */
TEST(prefetch_rechecks_cached_proofs) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, true));
    CHECK_EQ_INT((int)d.live_recheck_ms, AGG_LIVE_RECHECK_MS);
    CH.layer_calls = 0;
    REQUIRE(new_task(&d, 20));
    CHECK_EQ_INT(wait_loaded(&d, 20), 2);
    for (int i = 0; i < 300 && __atomic_load_n(&CH.layer_calls, __ATOMIC_RELAXED) < NOPS; i++) usleep(10000);
    CHECK_EQ_INT(CH.layer_calls, NOPS);
    /* a recent valid proof is not re-read */
    REQUIRE(new_task(&d, 21));
    CHECK_EQ_INT(wait_loaded(&d, 21), 2);
    usleep(100000);
    CHECK_EQ_INT(CH.layer_calls, NOPS);
    /* operator 0's proof is voided on chain; with the recheck due, the next task's prefetch re-reads all */
    CH.not_live_mask = 1u << 0;
    __atomic_store_n(&d.live_recheck_ms, 0, __ATOMIC_RELAXED);
    REQUIRE(new_task(&d, 22));
    CHECK_EQ_INT(wait_loaded(&d, 22), 2);
    for (int i = 0; i < 300 && __atomic_load_n(&CH.layer_calls, __ATOMIC_RELAXED) < 2 * NOPS; i++) usleep(10000);
    CHECK_EQ_INT(CH.layer_calls, 2 * NOPS);
    char msg[400];
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 22), msg, sizeof msg), REJ_NOT_LIVE);
    CHECK_EQ_INT(submit(&d, 1, OPTS(.block = 22), msg, sizeof msg), REJ_COUNT);
    CH.not_live_mask = 0;
    daemon_down(&d);
}

TEST(every_rejection_in_order) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, true));
    CH.not_live_mask = 1u << 3;
    REQUIRE(new_task(&d, 7));
    REQUIRE(wait_loaded(&d, 7) == 2);
    char msg[400];
    /* invalid params: not an object, a field missing */
    json_t *num = json_integer(5), *empty = json_object();
    CHECK_EQ_INT(agg_admit(&d, num, msg, sizeof msg), REJ_INVALID_PARAMS);
    CHECK_EQ_INT(agg_admit(&d, empty, msg, sizeof msg), REJ_INVALID_PARAMS);
    json_decref(num);
    json_decref(empty);
    /* unknown task: metadata of no task, another reference block */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 8), msg, sizeof msg), REJ_UNKNOWN_TASK);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.ref = REF_BLOCK + 1), msg, sizeof msg), REJ_UNKNOWN_TASK);
    /* quorums: empty, not increasing, not the committee's */
    static const uint8_t q_dup[2] = {0, 0}, q_5[1] = {5};
    CHECK_EQ_INT(submit(&d, 0, OPTS(.quorums = q_dup, .nquorums = 0), msg, sizeof msg), REJ_BAD_QUORUMS);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.quorums = q_dup, .nquorums = 2), msg, sizeof msg), REJ_BAD_QUORUMS);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.quorums = q_5, .nquorums = 1), msg, sizeof msg), REJ_BAD_QUORUMS);
    /* order: bad quorums are reported before a bad BLS signature */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.quorums = q_5, .nquorums = 1, .signer = KEY(1)), msg, sizeof msg), REJ_BAD_QUORUMS);
    /* an operator not in the state, even with a valid signature */
    CHECK_EQ_INT(submit(&d, NOPS, OPTS(.block = 7), msg, sizeof msg), REJ_NOT_REGISTERED);
    /* PoE: wrong length, signed by another enclave key */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.prover_sig_len = 64), msg, sizeof msg), REJ_PROVER_MISMATCH);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.prover = KEY(1)), msg, sizeof msg), REJ_PROVER_MISMATCH);
    CHECK(strstr(msg, "not by the prover attested") != NULL);
    /* no liveness proof for operator 3 */
    CHECK_EQ_INT(submit(&d, 3, OPTS(.block = 7), msg, sizeof msg), REJ_NOT_LIVE);
    /* order: a PoE mismatch is reported before a bad BLS signature */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.prover = KEY(1), .signer = KEY(1)), msg, sizeof msg), REJ_PROVER_MISMATCH);
    /* BLS signature by another key */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.signer = KEY(1)), msg, sizeof msg), REJ_INVALID_SIGNATURE);
    CHECK_EQ_INT(stored_rows(&d, 7), 0); /* nothing stored so far */
    /* admitted, then duplicate and conflict */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_COUNT);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_DUPLICATE);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.state_byte = 9), msg, sizeof msg), REJ_CONFLICT);
    /* order: a duplicate is reported before its (bad) PoE is looked at */
    CHECK_EQ_INT(submit(&d, 0, OPTS(.prover = KEY(2)), msg, sizeof msg), REJ_DUPLICATE);
    CHECK_EQ_INT(stored_rows(&d, 7), 1);
    /* late: the task is confirmed */
    pthread_mutex_lock(&d.mu);
    agg_task *t = agg_task_find(&d, 3, 7);
    REQUIRE(t != NULL);
    t->status = TASK_CONFIRMED;
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(submit(&d, 1, OPTS(.block = 7), msg, sizeof msg), REJ_LATE);
    CHECK(d.m_disagreements == 0); /* the confirmed digest: nothing to report */
    /* late junk naming operator 1 on another digest (bad BLS, bad PoE): refused, no disagreement
       counted against it (#17: a disagreement only after every check) */
    CHECK_EQ_INT(submit(&d, 1, OPTS(.state_byte = 9, .signer = KEY(2)), msg, sizeof msg), REJ_INVALID_SIGNATURE);
    CHECK_EQ_INT(submit(&d, 1, OPTS(.state_byte = 9, .prover = KEY(2)), msg, sizeof msg), REJ_PROVER_MISMATCH);
    CHECK_EQ_INT(submit(&d, NOPS, OPTS(.state_byte = 9), msg, sizeof msg), REJ_NOT_REGISTERED);
    CHECK(d.m_disagreements == 0);
    /* a late signature by operator 1 itself on another digest: refused as late, and recorded */
    CHECK_EQ_INT(submit(&d, 1, OPTS(.state_byte = 9), msg, sizeof msg), REJ_LATE);
    CHECK(d.m_disagreements == 1);
    CHECK_EQ_INT(stored_rows(&d, 7), 1); /* never added to the closed aggregate */
    /* unavailable: the operator state of a new task cannot be read */
    CH.state_fails = true;
    REQUIRE(new_task(&d, 11));
    CHECK_EQ_INT(wait_loaded(&d, 11), 3);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 11), msg, sizeof msg), REJ_UNAVAILABLE);
    CHECK(strstr(msg, "state unavailable") != NULL);
    CH.state_fails = false;
    CH.not_live_mask = 0;
    CHECK(d.m_admitted == 1);
    CHECK(d.m_rejected[REJ_NOT_LIVE] == 1 && d.m_rejected[REJ_BAD_QUORUMS] == 4);
    daemon_down(&d);
}

TEST(no_loader_no_chain_io_on_admission) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, false));
    CH.state_calls = 0;
    REQUIRE(new_task(&d, 7));
    char msg[400];
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_UNAVAILABLE);
    CHECK_EQ_INT(CH.state_calls, 0);
    daemon_down(&d);
}

typedef struct {
    agg_daemon *d;
    int i;
    req_opts o;
    int why;
} sub_arg;

static void *submit_thread(void *arg) {
    sub_arg *a = arg;
    char msg[400];
    a->why = submit(a->d, a->i, a->o, msg, sizeof msg);
    return NULL;
}

/* A daemon with the in-memory chain reset and task 3/id created and loaded. */
static bool up_with_task(agg_daemon *d, uint64_t id) {
    memset(&CH, 0, sizeof CH);
    return daemon_up(d, true) && new_task(d, id) && wait_loaded(d, id) == 2;
}

/* agg_admit_start's verdicts, as the server's deferred answers receive them. */
typedef struct {
    pthread_mutex_t mu;
    int verdicts, admitted, duplicates, other;
    bool on_caller; /* an admission or an unknown task's refusal was answered on the thread that started it (a
                       duplicate is refused there when its first submission was counted already) */
    pthread_t caller;
} async_tally;

static void async_verdict(void *user, int why, const char *msg) {
    (void)msg;
    async_tally *t = user;
    pthread_mutex_lock(&t->mu);
    t->verdicts++;
    if (why == REJ_COUNT) t->admitted++;
    else if (why == REJ_DUPLICATE) t->duplicates++;
    else t->other++;
    if (pthread_equal(pthread_self(), t->caller) && (why == REJ_COUNT || why == REJ_UNKNOWN_TASK)) t->on_caller = true;
    pthread_mutex_unlock(&t->mu);
}

TEST(async_admission_answers_each_once) {
    agg_daemon d;
    REQUIRE(up_with_task(&d, 41));
    async_tally t = {.mu = PTHREAD_MUTEX_INITIALIZER, .caller = pthread_self()};
    /* a refusal before the verifier: answered on the caller's thread, before agg_admit_start returns */
    json_t *j = request(0, OPTS(.block = 42));
    REQUIRE(j);
    agg_admit_start(&d, j, async_verdict, &t);
    json_decref(j);
    CHECK_EQ_INT(t.verdicts, 1);
    CHECK_EQ_INT(t.other, 1);
    CHECK(t.on_caller);
    /* every operator, operator 1 twice, none waited for: answered later by the committer */
    t = (async_tally){.mu = PTHREAD_MUTEX_INITIALIZER, .caller = pthread_self()};
    int n = 0;
    for (int i = 0; i < NOPS; i++) {
        for (int rep = 0; rep < (i == 1 ? 2 : 1); rep++) {
            j = request(i, OPTS(.block = 41));
            REQUIRE(j);
            agg_admit_start(&d, j, async_verdict, &t);
            json_decref(j); /* read only before agg_admit_start returned */
            n++;
        }
    }
    for (int k = 0; k < 500; k++) {
        pthread_mutex_lock(&t.mu);
        int v = t.verdicts;
        pthread_mutex_unlock(&t.mu);
        if (v == n) break;
        usleep(10000);
    }
    pthread_mutex_lock(&t.mu);
    CHECK_EQ_INT(t.verdicts, n);
    CHECK_EQ_INT(t.admitted, NOPS);
    CHECK_EQ_INT(t.duplicates, 1);
    CHECK_EQ_INT(t.other, 0);
    CHECK(!t.on_caller);
    pthread_mutex_unlock(&t.mu);
    CHECK_EQ_INT(stored_rows(&d, 41), NOPS);
    usleep(200000);
    CHECK_EQ_INT(t.verdicts, n); /* each once */
    daemon_down(&d);
}

/* One submission over HTTP (the library's JSON-RPC client). */
typedef struct {
    char url[64];
    char *params;
    int rc;
    char *result;
    long code;
} http_sub;

static void *http_submit(void *arg) {
    http_sub *h = arg;
    mpavs_rpc_options o = {.timeout_ms = 20000, .max_retries = 0};
    mpavs_rpc *c = mpavs_rpc_create(h->url, &o);
    mpavs_error e = {0};
    h->rc = c ? mpavs_rpc_call(c, &h->result, &e, "aggregator_submitTask", h->params) : -1;
    h->code = e.rpc_code;
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(c);
    return NULL;
}

TEST(http_submissions_wait_without_a_thread) {
    agg_daemon d;
    REQUIRE(up_with_task(&d, 43));
    char err[200];
    drpc_options o = {.listen = "127.0.0.1:0", .threads = 1, .handler = agg_rpc_handler, .user = &d,
                      .methods = agg_rpc_methods, .nmethods = AGG_RPC_NMETHODS};
    drpc_server *s = drpc_start(&o, err, sizeof err);
    REQUIRE(s);
    /* hold the database's write lock: every verified signature waits for its commit */
    sqlite3 *db = NULL;
    REQUIRE(sqlite3_open(DB, &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
    static http_sub h[NOPS];
    pthread_t th[NOPS];
    for (int i = 0; i < NOPS; i++) {
        h[i] = (http_sub){.rc = -2};
        snprintf(h[i].url, sizeof h[i].url, "http://127.0.0.1:%d/", drpc_port(s));
        json_t *j = request(i, OPTS(.block = 43));
        char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        REQUIRE(t);
        h[i].params = malloc(strlen(t) + 3);
        sprintf(h[i].params, "[%s]", t);
        free(t);
        pthread_create(&th[i], NULL, http_submit, &h[i]);
    }
    /* all five wait on the server's one thread, which is free for other calls meanwhile */
    for (int k = 0; k < 500 && drpc_deferred_count(s) < NOPS; k++) usleep(10000);
    CHECK_EQ_INT(drpc_deferred_count(s), NOPS);
    mpavs_rpc_options ro = {.timeout_ms = 2000, .max_retries = 0};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", drpc_port(s));
    mpavs_rpc *c = mpavs_rpc_create(url, &ro);
    char *st = NULL;
    mpavs_error e = {0};
    int src = c ? mpavs_rpc_call(c, &st, &e, "rpc_modules", "[]") : -1; /* (mpavs_status would wait for the store) */
    if (src) fprintf(stderr, "  rpc_modules: %d %s\n", src, e.message);
    CHECK(src == 0 && st && strstr(st, "\"aggregator\""));
    CHECK_EQ_INT(__atomic_load_n(&d.m_admitted, __ATOMIC_RELAXED), 0); /* none answered before its commit */
    free(st);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(c);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    int admitted = 0;
    for (int i = 0; i < NOPS; i++) {
        pthread_join(th[i], NULL);
        admitted += h[i].rc == 0 && h[i].result && !strcmp(h[i].result, "null");
        free(h[i].result);
        free(h[i].params);
    }
    CHECK_EQ_INT(admitted, NOPS);
    CHECK_EQ_INT(stored_rows(&d, 43), NOPS);
    uint64_t batches = 0, sigs = 0;
    agg_verifier_stats(d.verifier, &batches, &sigs);
    CHECK_EQ_INT(sigs, NOPS);
    drpc_stop(s);
    daemon_down(&d);
}

TEST(threshold_schedules_confirmation_and_restore_replays) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, true));
    REQUIRE(new_task(&d, 7));
    REQUIRE(wait_loaded(&d, 7) == 2);
    char msg[400];
    for (int i = 0; i < 3; i++) CHECK_EQ_INT(submit(&d, i, OPTS(.block = 7), msg, sizeof msg), REJ_COUNT);
    pthread_mutex_lock(&d.mu);
    agg_task *t = agg_task_find(&d, 3, 7);
    CHECK(t && t->confirm_at_ms == 0); /* 3 of 5 equal stakes: 60 % < 67 % */
    pthread_mutex_unlock(&d.mu);
    /* the 4th and 5th concurrently: one batch or two, both admitted */
    sub_arg a[2] = {{&d, 3, OPTS(.block = 7), -1}, {&d, 4, OPTS(.block = 7), -1}};
    pthread_t th[2];
    for (int k = 0; k < 2; k++) pthread_create(&th[k], NULL, submit_thread, &a[k]);
    for (int k = 0; k < 2; k++) pthread_join(th[k], NULL);
    CHECK_EQ_INT(a[0].why, REJ_COUNT);
    CHECK_EQ_INT(a[1].why, REJ_COUNT);
    pthread_mutex_lock(&d.mu);
    t = agg_task_find(&d, 3, 7);
    CHECK(t && t->confirm_at_ms != 0 && t->nsigners == 5);
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(stored_rows(&d, 7), 5);
    daemon_down(&d);

    /* a restart: the task is restored, its state loaded and its 5 signatures replayed */
    REQUIRE(daemon_up(&d, true));
    REQUIRE(agg_tasks_restore(&d));
    CHECK_EQ_INT(wait_loaded(&d, 7), 2);
    pthread_mutex_lock(&d.mu);
    t = agg_task_find(&d, 3, 7);
    CHECK(t && t->nsigners == 5 && t->confirm_at_ms != 0);
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_DUPLICATE);
    daemon_down(&d);
}

TEST(confirmer_decisions) {
    agg_daemon d;
    REQUIRE(daemon_up(&d, true));
    d.cfg.threshold = 40; /* 2 of 5 equal stakes meet it: two digests can */
    d.cfg.min_wait_s = 0;
    REQUIRE(new_task(&d, 7));
    REQUIRE(wait_loaded(&d, 7) == 2);
    char msg[400];
    size_t idx = 0;
    uint64_t now = agg_now_ms();
    pthread_mutex_lock(&d.mu);
    agg_task *t = agg_task_find(&d, 3, 7);
    REQUIRE(t != NULL);
    CHECK_EQ_INT(agg_confirm_decide(&d, t, now, &idx), AGG_CONFIRM_WAIT); /* nothing signed */
    char why[512];
    agg_expiry_reason(t, why, sizeof why);
    CHECK_STREQ(why, "expired before reaching the threshold: no signature admitted (0 of 5 operators)");
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(submit(&d, 0, OPTS(.block = 7), msg, sizeof msg), REJ_COUNT);
    CHECK_EQ_INT(submit(&d, 1, OPTS(.block = 7, .state_byte = 9), msg, sizeof msg), REJ_COUNT); /* a 2nd digest */
    pthread_mutex_lock(&d.mu);
    CHECK_EQ_INT(agg_confirm_decide(&d, t, agg_now_ms(), &idx), AGG_CONFIRM_WAIT); /* 20 % each */
    agg_expiry_reason(t, why, sizeof why); /* the quorum short by 20 points, with its number */
    char want[160];
    snprintf(want, sizeof want, "expired before reaching the threshold: quorum %u at 20%% of 40%% (20 points short); 1 of 5 "
             "operators signed", t->quorums[0]);
    CHECK_STREQ(why, want);
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(submit(&d, 2, OPTS(.block = 7, .state_byte = 9), msg, sizeof msg), REJ_COUNT);
    now = agg_now_ms();
    pthread_mutex_lock(&d.mu);
    CHECK(t->confirm_at_ms != 0 && t->ndigests == 2);
    CHECK_EQ_INT(agg_confirm_decide(&d, t, now, &idx), AGG_CONFIRM_SEND);
    CHECK_EQ_INT(idx, 1); /* the digest of operators 1 and 2 */
    t->retry_at_ms = now + 5000;                                  /* backing off after a failed send */
    CHECK_EQ_INT(agg_confirm_decide(&d, t, now, &idx), AGG_CONFIRM_WAIT);
    CHECK_EQ_INT(agg_confirm_decide(&d, t, now + 6000, &idx), AGG_CONFIRM_SEND);
    t->retry_at_ms = 0;
    t->sending = true;
    CHECK_EQ_INT(agg_confirm_decide(&d, t, now, &idx), AGG_CONFIRM_WAIT);
    t->sending = false;
    CHECK_EQ_INT(agg_confirm_decide(&d, t, t->created_ms + d.cfg.expiry_s * 1000 + 1, &idx), AGG_CONFIRM_EXPIRE);
    pthread_mutex_unlock(&d.mu);
    CHECK_EQ_INT(submit(&d, 3, OPTS(.block = 7), msg, sizeof msg), REJ_COUNT); /* digest 0 reaches 40 % too */
    pthread_mutex_lock(&d.mu);
    CHECK_EQ_INT(agg_confirm_decide(&d, t, agg_now_ms(), &idx), AGG_CONFIRM_AMBIGUOUS);
    t->status = TASK_CONFIRMED;
    CHECK_EQ_INT(agg_confirm_decide(&d, t, agg_now_ms(), &idx), AGG_CONFIRM_WAIT);
    /* mpavs_status lists the last AGG_RECENT_FAILURES expired or failed tasks with their reasons, oldest first */
    for (int k = 0; k < AGG_RECENT_FAILURES + 2; k++) {
        snprintf(why, sizeof why, "reason %d", k);
        agg_note_failure(&d, t, k % 2 ? TASK_FAILED : TASK_EXPIRED, why);
    }
    pthread_mutex_unlock(&d.mu);
    drpc_error err;
    memset(&err, 0, sizeof err);
    json_t *st = agg_rpc_handler(&d, "mpavs_status", NULL, &err);
    json_t *fails = json_object_get(st, "recent_failures");
    CHECK_EQ_INT(json_array_size(fails), AGG_RECENT_FAILURES);
    json_t *first = json_array_get(fails, 0), *newest = json_array_get(fails, AGG_RECENT_FAILURES - 1);
    CHECK_STREQ(json_string_value(json_object_get(first, "reason")), "reason 2");
    CHECK_STREQ(json_string_value(json_object_get(first, "status")), "expired");
    CHECK_STREQ(json_string_value(json_object_get(newest, "reason")), "reason 9");
    CHECK_STREQ(json_string_value(json_object_get(newest, "status")), "failed");
    CHECK_EQ_INT(json_integer_value(json_object_get(newest, "task_id")), 7);
    CHECK_EQ_INT(json_integer_value(json_object_get(newest, "task_type")), 3);
    json_decref(st);
    daemon_down(&d);
}

/* ---- the verifier stage alone ---- */
#define VJOBS 48
static struct {
    pthread_mutex_t mu;
    int committed[VJOBS];
    size_t commits, max_batch;
    bool ok_at_commit[VJOBS];
} VC = {.mu = PTHREAD_MUTEX_INITIALIZER};

typedef struct {
    agg_verifier *v;
    agg_vjob job;
    int idx;
} vjob_arg;

static void v_commit(void *user, agg_vjob **jobs, size_t n) {
    pthread_mutex_lock(&VC.mu);
    VC.commits++;
    if (n > VC.max_batch) VC.max_batch = n;
    for (size_t i = 0; i < n; i++) {
        vjob_arg *a = jobs[i]->user;
        VC.committed[a->idx]++;
        VC.ok_at_commit[a->idx] = jobs[i]->ok;
    }
    pthread_mutex_unlock(&VC.mu);
}

static void *v_thread(void *arg) {
    vjob_arg *a = arg;
    agg_verifier_run(a->v, &a->job);
    return NULL;
}

TEST(verifier_batches_finds_bad_and_commits_once) {
    agg_verifier_options o = {.workers = 2, .window_us = 20000, .commit = v_commit};
    agg_verifier *v = agg_verifier_create(&o);
    REQUIRE(v != NULL);
    static vjob_arg args[VJOBS];
    uint8_t dg[2][32] = {{1, 2, 3}, {9, 9, 9}};
    bool expect[VJOBS];
    for (int i = 0; i < VJOBS; i++) {
        vjob_arg *a = &args[i];
        memset(a, 0, sizeof *a);
        a->v = v;
        a->idx = i;
        a->job.user = a;
        int who = i % NOPS, digest = i % 3 == 0; /* two digests */
        memcpy(a->job.digest, dg[digest], 32);
        a->job.pk = OPS[who].op.pk_g2;
        bool bad = i == 5 || i == 17 || i == 30; /* signed by another key */
        REQUIRE(mpavs_bls_sign(&a->job.sig, OPS[bad ? (who + 1) % NOPS : who].bls_sk, dg[digest]) == 0);
        expect[i] = !bad;
    }
    pthread_t th[VJOBS];
    for (int i = 0; i < VJOBS; i++) agg_verifier_enter(v); /* all on their way: one gathered batch */
    for (int i = 0; i < VJOBS; i++) pthread_create(&th[i], NULL, v_thread, &args[i]);
    for (int i = 0; i < VJOBS; i++) pthread_join(th[i], NULL);
    for (int i = 0; i < VJOBS; i++) {
        CHECK_EQ_INT(args[i].job.ok, expect[i]);
        CHECK_EQ_INT(VC.committed[i], 1);
        CHECK_EQ_INT(VC.ok_at_commit[i], expect[i]);
    }
    uint64_t batches = 0, sigs = 0;
    agg_verifier_stats(v, &batches, &sigs);
    CHECK_EQ_INT(sigs, VJOBS);
    CHECK(batches < VJOBS / 2); /* batched, not one check per signature */
    CHECK(VC.max_batch > 1);
    agg_verifier_destroy(v);
}

/* The CPU gate: never more admissions in the recovery than the workers' cores, with 16 threads. */
static struct {
    agg_verifier *v;
    int inside, max_inside; /* atomics */
} GATE;

static void *gate_thread(void *arg) {
    (void)arg;
    for (int k = 0; k < 100; k++) {
        agg_verifier_cpu_acquire(GATE.v);
        int now = __atomic_add_fetch(&GATE.inside, 1, __ATOMIC_SEQ_CST);
        int m = __atomic_load_n(&GATE.max_inside, __ATOMIC_SEQ_CST);
        while (now > m && !__atomic_compare_exchange_n(&GATE.max_inside, &m, now, false, __ATOMIC_SEQ_CST,
                                                       __ATOMIC_SEQ_CST)) {
        }
        struct timespec ts = {0, 20000}; /* a holder off its core: ungated threads would enter meanwhile */
        nanosleep(&ts, NULL);
        __atomic_sub_fetch(&GATE.inside, 1, __ATOMIC_SEQ_CST);
        agg_verifier_cpu_release(GATE.v);
    }
    return NULL;
}

TEST(verifier_cpu_gate_bounds_admissions) {
    agg_verifier_options o = {.workers = 2};
    GATE.v = agg_verifier_create(&o);
    REQUIRE(GATE.v != NULL);
    GATE.inside = GATE.max_inside = 0;
    pthread_t th[16];
    for (int i = 0; i < 16; i++) pthread_create(&th[i], NULL, gate_thread, NULL);
    for (int i = 0; i < 16; i++) pthread_join(th[i], NULL);
    CHECK(GATE.max_inside >= 1);
    CHECK(GATE.max_inside <= 2); /* no worker checks here: the slots are the 2 workers' cores */
    CHECK_EQ_INT(GATE.inside, 0);
    agg_verifier_destroy(GATE.v);
}

TEST(wire_tree_decodes_as_text) {
    json_t *j = request(2, OPTS(.block = 7));
    REQUIRE(j != NULL);
    char *txt = json_dumps(j, JSON_COMPACT);
    REQUIRE(txt != NULL);
    mpavs_wire_task_request a, b;
    char m1[256], m2[256];
    REQUIRE(mpavs_wire_parse_task_request(&a, m1, sizeof m1, txt, strlen(txt)) == MPAVS_WIRE_OK);
    REQUIRE(mpavs_wire_task_request_from_json(&b, m2, sizeof m2, j) == MPAVS_WIRE_OK);
    CHECK(a.identifier == b.identifier && a.reference_block == b.reference_block);
    CHECK(a.state_len == b.state_len && !memcmp(a.state, b.state, a.state_len));
    CHECK(a.metadata_len == b.metadata_len && !memcmp(a.metadata, b.metadata, a.metadata_len));
    CHECK(!memcmp(a.sig_x, b.sig_x, 32) && !memcmp(a.sig_y, b.sig_y, 32) && !memcmp(a.operator_id, b.operator_id, 32));
    CHECK(a.prover_signature_len == b.prover_signature_len);
    mpavs_wire_task_request_clear(&a);
    mpavs_wire_task_request_clear(&b);
    /* the same verdict and message on malformed trees */
    const char *bad[] = {"{}", "{\"Task\":5}", "{\"Task\":{\"identifier\":\"zz\"}}", "[1]"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        json_t *t = json_loads(bad[k], JSON_DECODE_ANY, NULL);
        REQUIRE(t != NULL);
        int r1 = mpavs_wire_parse_task_request(&a, m1, sizeof m1, bad[k], strlen(bad[k]));
        int r2 = mpavs_wire_task_request_from_json(&b, m2, sizeof m2, t);
        CHECK(r1 != MPAVS_WIRE_OK && r1 == r2);
        if (json_is_object(t)) CHECK_STREQ(m1, m2);
        json_decref(t);
    }
    CHECK(mpavs_wire_task_request_from_json(&b, m2, sizeof m2, NULL) == MPAVS_WIRE_ERR_JSON);
    free(txt);
    json_decref(j);
}

int main(void) {
    dlog_set_level(DLOG_ERROR);
    ECDSA = mpavs_ecdsa_ctx_create();
    if (!ECDSA) return 1;
    for (int i = 0; i <= NOPS; i++) {
        top *o = &OPS[i];
        if (mpavs_bls_keygen(o->bls_sk) || mpavs_bls_pubkey_g1(&o->op.pk_g1, o->bls_sk) ||
            mpavs_bls_pubkey_g2(&o->op.pk_g2, o->bls_sk) || mpavs_ecdsa_seckey_generate(ECDSA, o->enclave_sk) ||
            mpavs_ecdsa_seckey_to_address(ECDSA, &o->prover, o->enclave_sk))
            return 1;
        mpavs_bls_operator_id(o->op.operator_id, &o->op.pk_g1);
        o->op.stake[0] = mpavs_u256_from_u64(10);
        o->op.quorum_mask = 1;
    }
    snprintf(DIR_, sizeof DIR_, "/tmp/mpavs-test-agg-XXXXXX");
    if (!mkdtemp(DIR_)) return 1;
    snprintf(DB, sizeof DB, "%s/agg.db", DIR_);
    static void (*const tests[])(void) = {loader_loads_state_at_creation, every_rejection_in_order,
                                          no_loader_no_chain_io_on_admission,
                                          threshold_schedules_confirmation_and_restore_replays,
                                          confirmer_decisions};
    static const char *const names[] = {"loader_loads_state_at_creation", "every_rejection_in_order",
                                        "no_loader_no_chain_io_on_admission",
                                        "threshold_schedules_confirmation_and_restore_replays",
                                        "confirmer_decisions"};
    for (size_t k = 0; k < sizeof tests / sizeof tests[0]; k++) {
        snprintf(DB, sizeof DB, "%s/agg%zu.db", DIR_, k); /* a fresh database per test */
        harness_run(names[k], tests[k]);
    }
    RUN(prefetch_rechecks_cached_proofs);
    RUN(verifier_batches_finds_bad_and_commits_once);
    RUN(verifier_cpu_gate_bounds_admissions);
    RUN(wire_tree_decodes_as_text);
    RUN(async_admission_answers_each_once);
    RUN(http_submissions_wait_without_a_thread);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", DIR_);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", DIR_);
    mpavs_ecdsa_ctx_destroy(ECDSA);
    return harness_summary();
}

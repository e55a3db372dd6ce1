/*
 * End-to-end test of the whole multi-prover AVS on real processes: two anvils with 1-second
 * blocks (the AVS chain, osaka, and the proven chain), the deployed contracts, four operators
 * onboarded on chain, four mpavs-prover, four mpavs-operator and the mpavs-aggregator. Nothing
 * is mocked: the operators attest their keys through their provers, fetch type-3 tasks, sign
 * what their prover computed and the aggregator confirms on chain.
 *
 *   confirms         ≥ 3 states confirmed; StateConfirmed events carry committee 3, metadata
 *                    keccak256(C ‖ N) and (blockHash, stateRoot) of the proven chain's block N;
 *                    signer and non-signer sets partition the four operators
 *   one_down         operator 4 stopped: still confirmed at 67 %, operator 4 a non-signer
 *   two_down         operators 3 and 4 stopped: nothing confirmed and no transaction sent
 *   wrong_state      operator 4's prover reads another chain with the same chain id (a wrong node):
 *                    it verifies that chain's blocks and signs their state, another digest; it is
 *                    reported and is a non-signer of the confirmed states
 *   forging_node     operator 4's prover reads the proven chain through a forging node (a JSON-RPC
 *                    proxy): block T's stateRoot forged with a consistent header hash, then a raw
 *                    transaction altered. Each time the prover refuses the block (15001, counted
 *                    once in mpavs_prover_refusals_total), operator 4 signs nothing and is a
 *                    non-signer of task T's confirmation, and every confirmation carries anvil's
 *                    true (blockHash, stateRoot); no StateConfirmed event carries the forged ones
 *   crash_restart    threshold 100 %: three signatures admitted, the aggregator SIGKILLed, restarted
 *                    on the same database, the fourth operator signs: the task confirms exactly
 *                    once with all four signers (the first three came from the database)
 */
#include "forgery.h"
#include "harness.h"
#include "world.h"

#include "mpavs/avs.h"
#include "mpavs/hex.h"

#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static world W;
static bool up;
static uint64_t seen_seq; /* confirmations already looked at */

typedef struct {
    uint64_t seq, task_id, latency_ms, confirm_block;
    char tx_hash[67];
    char signers[8][67], non_signers[8][67];
    size_t nsigners, nnon;
} conf;

/* A JSON-RPC call to url whose result is JSON (NULL on any error). */
static json_t *call_json(const char *url, const char *method, const char *params) {
    mpavs_error e = {0};
    char *res = world_call(url, method, params, &e);
    mpavs_error_clear(&e);
    json_error_t je;
    json_t *j = res ? json_loads(res, JSON_DECODE_ANY, &je) : NULL;
    free(res);
    return j;
}

/* Confirmations with seq > since (up to max). */
static size_t confirmations(conf *out, size_t max, uint64_t since) {
    char params[64];
    snprintf(params, sizeof params, "[{\"since\":%llu}]", (unsigned long long)since);
    json_t *a = call_json(W.agg_url, "mpavs_confirmations", params);
    size_t n = 0, i;
    json_t *c;
    json_array_foreach(a, i, c) {
        if (n == max) break;
        conf *x = &out[n++];
        memset(x, 0, sizeof *x);
        x->seq = (uint64_t)json_integer_value(json_object_get(c, "seq"));
        x->task_id = (uint64_t)json_integer_value(json_object_get(c, "task_id"));
        x->latency_ms = (uint64_t)json_integer_value(json_object_get(c, "latency_ms"));
        x->confirm_block = (uint64_t)json_integer_value(json_object_get(c, "confirm_block"));
        const char *th = json_string_value(json_object_get(c, "tx_hash"));
        snprintf(x->tx_hash, sizeof x->tx_hash, "%s", th ? th : "");
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(c, "signers"), k, s) if (k < 8) snprintf(x->signers[x->nsigners++], 67, "%s",
                                                                                     json_string_value(s));
        json_array_foreach(json_object_get(c, "non_signers"), k, s) if (k < 8)
            snprintf(x->non_signers[x->nnon++], 67, "%s", json_string_value(s));
    }
    json_decref(a);
    return n;
}

/* Wait until `want` confirmations newer than seen_seq exist (or timeout). */
static size_t wait_confirmations(conf *out, size_t want, long timeout_ms) {
    long long end = harness_now_ms() + timeout_ms;
    size_t n = 0;
    while (harness_now_ms() < end) {
        n = confirmations(out, want, seen_seq);
        if (n >= want) break;
        harness_sleep_ms(250);
    }
    if (n) seen_seq = out[n - 1].seq;
    return n;
}

static const char *id_hex(size_t i) {
    static char b[4][67];
    static int k;
    char *o = b[k++ & 3];
    if (mpavs_hex_encode(o, 67, W.ops[i].id, 32, true)) o[0] = 0;
    return o;
}

static bool in_set(const char (*set)[67], size_t n, const char *id) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(set[i], id)) return true;
    return false;
}

static uint64_t confirmer_nonce(void) {
    uint64_t n = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_get_transaction_count(W.rpc, &n, &e, W.dep.deployer.bytes, "pending")) n = UINT64_MAX;
    mpavs_error_clear(&e);
    return n;
}

static uint64_t l2_head(void) {
    uint64_t h = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_block_number(W.l2rpc, &h, &e)) h = 0;
    mpavs_error_clear(&e);
    return h;
}

/* Caps on the aggregator's confirmState transactions (below what it offers uncapped on anvil). */
#define AGG_TX_CAPS ",\"Transactions\":{\"MaxFeePerGas\":\"2.000000003gwei\",\"MaxPriorityFeePerGas\":\"1000007wei\"}"
#define CAP_FEE 2000000003ull
#define CAP_TIP 1000007ull

/* A mined transaction's fee fields (eth_getTransactionByHash). */
static bool tx_fees(const char *hash, uint64_t *max_fee, uint64_t *max_tip) {
    char params[96];
    snprintf(params, sizeof params, "[\"%s\"]", hash);
    json_t *t = call_json(W.avs.url, "eth_getTransactionByHash", params);
    const char *f = json_string_value(json_object_get(t, "maxFeePerGas"));
    const char *p = json_string_value(json_object_get(t, "maxPriorityFeePerGas"));
    bool ok = f && p;
    if (ok) {
        *max_fee = strtoull(f, NULL, 16);
        *max_tip = strtoull(p, NULL, 16);
    }
    json_decref(t);
    return ok;
}

TEST(bring_up) {
    world_options o = {.operators = 4};
    REQUIRE(world_up(&W, &o));
    fprintf(stderr, "  world in %s\n", W.dir);
    for (size_t i = 0; i < 4; i++) REQUIRE(world_start_prover(&W, i, NULL, 0, NULL));
    REQUIRE(world_start_aggregator(&W, 67, 3, AGG_TX_CAPS));
    for (size_t i = 0; i < 4; i++) REQUIRE(world_start_operator(&W, i));
    up = true;
}

TEST(confirms) {
    REQUIRE(up);
    conf c[8];
    size_t n = wait_confirmations(c, 3, 120000);
    CHECK(n >= 3);
    for (size_t i = 0; i < n; i++) {
        /* signers ∪ non-signers = the four operators, disjoint, at least 3 signers (67 %) */
        CHECK(c[i].nsigners >= 3 && c[i].nsigners + c[i].nnon == 4);
        for (size_t k = 0; k < 4; k++)
            CHECK(in_set(c[i].signers, c[i].nsigners, id_hex(k)) != in_set(c[i].non_signers, c[i].nnon, id_hex(k)));
        fprintf(stderr, "  task %llu confirmed in block %llu, latency %llu ms, %zu signers\n",
                (unsigned long long)c[i].task_id, (unsigned long long)c[i].confirm_block,
                (unsigned long long)c[i].latency_ms, c[i].nsigners);
    }
    for (size_t i = 1; i < n; i++) CHECK(c[i].task_id > c[i - 1].task_id);
    /* the configured caps hold in the mined confirmState transactions */
    for (size_t i = 0; i < n; i++) {
        uint64_t fee = 0, tip = 0;
        CHECK(tx_fees(c[i].tx_hash, &fee, &tip));
        fprintf(stderr, "  tx %.10s… maxFeePerGas %llu maxPriorityFeePerGas %llu\n", c[i].tx_hash,
                (unsigned long long)fee, (unsigned long long)tip);
        CHECK(fee <= CAP_FEE && tip <= CAP_TIP);
        CHECK(tip == CAP_TIP); /* anvil's suggested tip is larger: the cap is what bounds it */
    }
    /* on chain: the StateConfirmed events say what the proven chain says */
    mpavs_contracts_confirmation *cs = NULL;
    size_t ncs = 0;
    REQUIRE(mpavs_contracts_confirmations(&W.deployer, &W.dep, &cs, &ncs, 0) == MPAVS_DEVNET_OK);
    CHECK(ncs >= 3);
    for (size_t i = 0; i < ncs; i++) {
        CHECK_EQ_INT(cs[i].committee_id, 3);
        bool matched = false;
        for (size_t k = 0; k < n; k++) {
            uint8_t meta[32];
            mpavs_avs_chain_task_metadata(meta, 31338, c[k].task_id);
            if (cs[i].metadata_len != 32 || memcmp(cs[i].metadata, meta, 32)) continue;
            matched = true;
            mpavs_rpc_block b;
            bool found = false;
            char tag[24];
            mpavs_error e = {0};
            mpavs_rpc_tag_number(tag, c[k].task_id);
            REQUIRE(mpavs_rpc_get_block_by_number(W.l2rpc, &b, &found, &e, tag) == 0 && found);
            CHECK(cs[i].state_len == 64 && !memcmp(cs[i].state, b.hash, 32) &&
                  !memcmp(cs[i].state + 32, b.state_root, 32));
            mpavs_rpc_block_clear(&b);
        }
        CHECK(matched || i >= n);
    }
    mpavs_contracts_confirmations_free(cs, ncs);
    /* mpavs_confirmations filters: by metadata (exactly that task, with its state), the latest of a type */
    {
        uint8_t meta[32];
        mpavs_avs_chain_task_metadata(meta, 31338, c[0].task_id);
        char params[160], mh[67];
        REQUIRE(mpavs_hex_encode(mh, sizeof mh, meta, 32, true) == 0);
        snprintf(params, sizeof params, "[{\"metadata\":\"%s\"}]", mh);
        mpavs_error e = {0};
        json_t *a = call_json(W.agg_url, "mpavs_confirmations", params);
        CHECK_EQ_INT(json_array_size(a), 1);
        json_t *x = json_array_get(a, 0);
        CHECK_EQ_INT(json_integer_value(json_object_get(x, "task_id")), (long long)c[0].task_id);
        CHECK_STREQ(json_string_value(json_object_get(x, "metadata")), mh);
        const char *st = json_string_value(json_object_get(x, "state"));
        mpavs_rpc_block b;
        bool found = false;
        char tag[24], want[131];
        mpavs_rpc_tag_number(tag, c[0].task_id);
        REQUIRE(mpavs_rpc_get_block_by_number(W.l2rpc, &b, &found, &e, tag) == 0 && found);
        uint8_t both[64];
        memcpy(both, b.hash, 32);
        memcpy(both + 32, b.state_root, 32);
        REQUIRE(mpavs_hex_encode(want, sizeof want, both, 64, true) == 0);
        CHECK(st && !strcmp(st, want)); /* the state: the proven block's hash and state root */
        mpavs_rpc_block_clear(&b);
        json_decref(a);
        a = call_json(W.agg_url, "mpavs_confirmations", "[{\"type\":3,\"latest\":true}]");
        CHECK_EQ_INT(json_array_size(a), 1);
        CHECK(json_integer_value(json_object_get(json_array_get(a, 0), "task_id")) >= (long long)c[n - 1].task_id);
        json_decref(a);
        char *res = world_call(W.agg_url, "mpavs_confirmations", "[{\"type\":9}]", &e);
        CHECK(res == NULL && strstr(e.message, "type must be") != NULL);
        free(res);
        mpavs_error_clear(&e);
    }
    /* no task confirmed twice */
    conf all[64];
    size_t na = confirmations(all, 64, 0);
    for (size_t i = 0; i < na; i++)
        for (size_t k = i + 1; k < na; k++) CHECK(all[i].task_id != all[k].task_id);
}

TEST(one_down) {
    REQUIRE(up);
    harness_proc_stop(&W.ops[3].op, SIGTERM, 5000);
    conf c[8];
    wait_confirmations(c, 8, 4000); /* drain what was in flight */
    size_t n = wait_confirmations(c, 2, 60000);
    CHECK(n >= 2);
    for (size_t i = 0; i < n; i++) {
        CHECK_EQ_INT(c[i].nsigners, 3);
        CHECK(in_set(c[i].non_signers, c[i].nnon, id_hex(3)));
    }
}

TEST(two_down) {
    REQUIRE(up);
    harness_proc_stop(&W.ops[2].op, SIGTERM, 5000);
    conf c[8];
    wait_confirmations(c, 8, 5000); /* in flight before the stop */
    uint64_t nonce = confirmer_nonce(), h0 = l2_head();
    harness_sleep_ms(12000); /* 4 tasks at Interval 3 */
    CHECK(l2_head() >= h0 + 9);
    CHECK_EQ_INT(confirmations(c, 8, seen_seq), 0);
    CHECK_EQ_INT(confirmer_nonce(), nonce); /* no transaction sent */
    REQUIRE(world_start_operator(&W, 2));
}

TEST(wrong_state) {
    REQUIRE(up);
    /* another chain with the proven chain's id: operator 4's prover reads it. (Not an anvil
       --fork-url of the proven chain: a forked anvil's blocks do not re-execute, e.g. their
       difficulty is not 0, so its prover would refuse them rather than sign another state.) */
    harness_anvil other;
    const char *args[] = {"--block-time", "1", "--chain-id", "31338", NULL};
    REQUIRE(harness_anvil_start(&other, args));
    mpavs_error e = {0};
    char *r = NULL, *b1 = NULL;
    for (int i = 0; i < 50; i++) { /* block 1 (the checkpoint) comes within a second */
        b1 = world_call(other.url, "eth_getBlockByNumber", "[\"0x1\",false]", &e);
        mpavs_error_clear(&e);
        if (b1 && strcmp(b1, "null") != 0) break;
        free(b1);
        b1 = NULL;
        harness_sleep_ms(100);
    }
    json_t *bj = b1 ? json_loads(b1, 0, NULL) : NULL;
    free(b1);
    uint8_t ck[32];
    bool have_ck = json_is_object(bj) && harness_unhex(ck, 32, json_string_value(json_object_get(bj, "hash"))) == 32;
    json_decref(bj);
    REQUIRE(have_ck);
    r = world_call(other.url, "eth_sendTransaction",
                   "[{\"from\":\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"to\":\"0x00000000000000000000000000000000000000aa\","
                   "\"value\":\"0x1234\"}]", &e); /* diverge */
    free(r);
    mpavs_error_clear(&e);
    char mine[48]; /* as many blocks as the proven chain (and a few more): its tasks' blocks exist there too */
    snprintf(mine, sizeof mine, "[\"0x%llx\"]", (unsigned long long)l2_head() + 5);
    r = world_call(other.url, "anvil_mine", mine, &e);
    free(r);
    mpavs_error_clear(&e);
    harness_proc_stop(&W.ops[3].prover, SIGTERM, 5000);
    REQUIRE(world_start_prover(&W, 3, other.url, 1, ck));
    REQUIRE(world_start_operator(&W, 3)); /* re-attests: its prover has a new enclave key */
    conf c[8];
    wait_confirmations(c, 8, 3000);
    size_t n = wait_confirmations(c, 3, 90000);
    CHECK(n >= 3);
    for (size_t i = 0; i < n; i++) {
        CHECK(in_set(c[i].non_signers, c[i].nnon, id_hex(3)));
        CHECK_EQ_INT(c[i].nsigners, 3);
    }
    /* the aggregator reported the disagreement */
    size_t len = 0;
    char *log = (char *)harness_read_file(world_path(&W, "aggregator.log"), &len);
    CHECK(log && strstr(log, "event=digest_disagreement") != NULL);
    free(log);
    /* back to the real chain */
    harness_proc_stop(&W.ops[3].op, SIGTERM, 5000);
    harness_proc_stop(&W.ops[3].prover, SIGTERM, 5000);
    harness_anvil_stop(&other);
    REQUIRE(world_start_prover(&W, 3, NULL, 0, NULL));
    mpavs_error_clear(&e);
}

/* Does the aggregator's log hold "event=NAME" (after byte offset from)? */
static bool log_has(const char *event, size_t from) {
    size_t len = 0;
    char *log = (char *)harness_read_file(world_path(&W, "aggregator.log"), &len);
    char pat[96];
    snprintf(pat, sizeof pat, "event=%s ", event);
    bool yes = log && len > from && strstr(log + from, pat) != NULL;
    free(log);
    return yes;
}

static size_t log_size(void) {
    size_t len = 0;
    free(harness_read_file(world_path(&W, "aggregator.log"), &len));
    return len;
}

/* The L2's true (blockHash ‖ stateRoot) of block n, from anvil. */
static bool l2_state(uint8_t st[64], uint64_t n) {
    mpavs_rpc_block b;
    bool found = false;
    char tag[24];
    mpavs_error e = {0};
    mpavs_rpc_tag_number(tag, n);
    bool ok = mpavs_rpc_get_block_by_number(W.l2rpc, &b, &found, &e, tag) == 0 && found;
    mpavs_error_clear(&e);
    if (ok) {
        memcpy(st, b.hash, 32);
        memcpy(st + 32, b.state_root, 32);
        mpavs_rpc_block_clear(&b);
    }
    return ok;
}

/* The confirmed state of task n (mpavs_confirmations by metadata), 64 bytes. */
static bool confirmed_state(uint8_t st[64], uint64_t task) {
    uint8_t meta[32];
    char params[160], mh[67];
    mpavs_avs_chain_task_metadata(meta, 31338, task);
    if (mpavs_hex_encode(mh, sizeof mh, meta, 32, true)) return false;
    snprintf(params, sizeof params, "[{\"metadata\":\"%s\"}]", mh);
    json_t *a = call_json(W.agg_url, "mpavs_confirmations", params);
    const char *hx = json_string_value(json_object_get(json_array_get(a, 0), "state"));
    bool ok = json_array_size(a) == 1 && hx && harness_unhex(st, 64, hx) == 64;
    json_decref(a);
    return ok;
}

static bool file_has(const char *name, const char *needle) {
    size_t len = 0;
    char *t = (char *)harness_read_file(world_path(&W, name), &len);
    bool yes = t && strstr(t, needle) != NULL;
    free(t);
    return yes;
}

/*
 * Operator 4's prover reads the L2 through forger f from checkpoint block ckn; the forger lies about
 * block bad. The prover refuses block bad (reason, counted once) and signs nothing from it on; the
 * first task at or after it is confirmed by the other three with operator 4 a non-signer, and every
 * confirmation meanwhile carries the true (blockHash, stateRoot) of its block.
 */
static void behind_forger(forgery *f, uint64_t ckn, uint64_t bad, const char *reason) {
    uint8_t ck[64];
    REQUIRE(l2_state(ck, ckn));
    size_t agg_from = log_size();
    REQUIRE(world_start_prover(&W, 3, forgery_url(f), ckn, ck));
    REQUIRE(world_start_operator(&W, 3));
    uint64_t task = (bad + 2) / 3 * 3; /* tasks are every third block */
    fprintf(stderr, "  checkpoint %llu, lie at block %llu, task %llu\n", (unsigned long long)ckn,
            (unsigned long long)bad, (unsigned long long)task);
    conf all[64], got[64];
    size_t nall = 0;
    const conf *at = NULL;
    long long end = harness_now_ms() + 60000;
    while (!at && harness_now_ms() < end) {
        size_t n = confirmations(got, 64, seen_seq);
        for (size_t i = 0; i < n && nall < 64; i++) {
            all[nall] = got[i];
            seen_seq = got[i].seq;
            if (!at && got[i].task_id >= task) at = &all[nall];
            nall++;
        }
        if (!at) harness_sleep_ms(250);
    }
    REQUIRE(at);
    /* the refusal: counted once, the verified head stays below the lie */
    char sample[96];
    snprintf(sample, sizeof sample, "mpavs_prover_refusals_total{reason=\"%s\"}", reason);
    end = harness_now_ms() + 20000;
    while (harness_now_ms() < end && world_metric(W.ops[3].prover_url, sample) < 1) harness_sleep_ms(250);
    CHECK(world_metric(W.ops[3].prover_url, sample) == 1);
    CHECK(world_metric(W.ops[3].prover_url, "mpavs_prover_verified_head") == (double)bad - 1);
    char ev[128];
    snprintf(ev, sizeof ev, "event=block_refused block=%llu reason=%s", (unsigned long long)bad, reason);
    CHECK(file_has("prover4.log", ev));
    /* operator 4 asked and was refused (15001), and signed nothing for that task */
    snprintf(ev, sizeof ev, "15001 block %llu refused", (unsigned long long)at->task_id);
    end = harness_now_ms() + 15000;
    while (harness_now_ms() < end && !file_has("operator4.log", ev)) harness_sleep_ms(250);
    CHECK(file_has("operator4.log", ev));
    snprintf(ev, sizeof ev, "event=task_signed type=3 task_id=%llu ", (unsigned long long)at->task_id);
    CHECK(!file_has("operator4.log", ev));
    fprintf(stderr, "  task %llu confirmed by %zu signers, operator 4 %s\n", (unsigned long long)at->task_id,
            at->nsigners, in_set(at->non_signers, at->nnon, id_hex(3)) ? "a non-signer" : "A SIGNER");
    CHECK(in_set(at->non_signers, at->nnon, id_hex(3)));
    CHECK_EQ_INT(at->nsigners, 3);
    /* every confirmation meanwhile: the true state of its block */
    for (size_t i = 0; i < nall; i++) {
        uint8_t want[64], st[64];
        CHECK(l2_state(want, all[i].task_id) && confirmed_state(st, all[i].task_id));
        CHECK(!memcmp(st, want, 64));
        if (all[i].task_id >= task) CHECK(in_set(all[i].non_signers, all[i].nnon, id_hex(3)));
    }
    /* no signature with another state reached the aggregator */
    CHECK(!log_has("digest_disagreement", agg_from));
    harness_proc_stop(&W.ops[3].op, SIGTERM, 5000);
    harness_proc_stop(&W.ops[3].prover, SIGTERM, 5000);
}

/* No StateConfirmed event on chain carries root as its stateRoot or hash as its blockHash. */
static bool never_confirmed(const uint8_t root[32], const uint8_t hash[32]) {
    mpavs_contracts_confirmation *cs = NULL;
    size_t ncs = 0;
    if (mpavs_contracts_confirmations(&W.deployer, &W.dep, &cs, &ncs, 0) != MPAVS_DEVNET_OK) return false;
    bool never = ncs > 0;
    for (size_t i = 0; i < ncs; i++)
        if (cs[i].state_len != 64 || !memcmp(cs[i].state, hash, 32) || !memcmp(cs[i].state + 32, root, 32)) never = false;
    mpavs_contracts_confirmations_free(cs, ncs);
    return never;
}

/* Operator 4's prover behind a forging node (tests/support/forgery.h) of the proven chain itself:
   a forged stateRoot with a consistent header hash, then an altered raw transaction. */
TEST(forging_node) {
    REQUIRE(up);
    long long t0 = harness_now_ms();
    harness_proc_stop(&W.ops[3].prover, SIGTERM, 5000); /* (its operator is stopped) */
    /* 1. block T's stateRoot forged, its hash recomputed */
    uint64_t ckn = l2_head(), bad = (ckn + 6) / 3 * 3;
    forgery *f = forgery_start(W.l2.url, FORGERY_STATE_ROOT, bad, NULL);
    REQUIRE(f);
    behind_forger(f, ckn, bad, "state_root_mismatch");
    forgery_stop(f);
    uint8_t root[32], hash[32], real[64];
    CHECK(forgery_forged(f, root, hash) && forgery_lies(f) >= 1);
    CHECK(l2_state(real, bad) && memcmp(real + 32, root, 32) && memcmp(real, hash, 32));
    CHECK(never_confirmed(root, hash));
    forgery_free(f);
    /* 2. a transaction of the proven chain altered */
    ckn = l2_head();
    mpavs_error e = {0};
    char *r = world_call(W.l2.url, "eth_sendTransaction",
                         "[{\"from\":\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"to\":\"0x00000000000000000000000000000000000000aa\","
                         "\"value\":\"0x1234\"}]", &e);
    mpavs_error_clear(&e);
    json_t *hj = r ? json_loads(r, JSON_DECODE_ANY, NULL) : NULL;
    free(r);
    char tx[67];
    snprintf(tx, sizeof tx, "%s", json_string_value(hj) ? json_string_value(hj) : "");
    json_decref(hj);
    REQUIRE(tx[0]);
    uint64_t mined = 0;
    char params[96];
    snprintf(params, sizeof params, "[\"%s\"]", tx);
    for (int i = 0; i < 50 && !mined; i++) {
        json_t *rc = call_json(W.l2.url, "eth_getTransactionReceipt", params);
        const char *bn = json_string_value(json_object_get(rc, "blockNumber"));
        if (bn) mined = strtoull(bn, NULL, 16);
        json_decref(rc);
        if (!mined) harness_sleep_ms(100);
    }
    REQUIRE(mined > ckn);
    f = forgery_start(W.l2.url, FORGERY_RAW_TX, 0, tx);
    REQUIRE(f);
    behind_forger(f, ckn, mined, "malformed_witness");
    forgery_stop(f);
    CHECK(forgery_lies(f) >= 1);
    forgery_free(f);
    REQUIRE(world_start_prover(&W, 3, NULL, 0, NULL)); /* back to the real chain */
    fprintf(stderr, "  %.1f s\n", (double)(harness_now_ms() - t0) / 1000);
}

/* setStateConfirmer(who) by the owner (the deployer), with cast. */
static bool set_confirmer(const char *who) {
    char cmd[1024], sm[43];
    mpavs_address_to_checksum(sm, &W.dep.service_manager);
    snprintf(cmd, sizeof cmd, "'%s/.tools/bin/cast' send -r %s --private-key 0x%s %s 'setStateConfirmer(address)' %s "
             ">/dev/null 2>&1", getenv("MPAVS_ROOT") ? getenv("MPAVS_ROOT") : ".", W.avs.url,
             harness_hex(W.deployer_key, 32), sm, who);
    return system(cmd) == 0;
}

static json_t *status_field(const char *k) {
    json_t *s = call_json(W.agg_url, "mpavs_status", "[]");
    json_t *v = json_incref(json_object_get(s, k));
    json_decref(s);
    return v;
}

/* The owner moved the state-confirmer role away: the aggregator says so at start, sends nothing, and
   resumes when the role comes back (issue #15 item 4). The owner is the aggregator's own account
   here, so the role is moved while the aggregator is stopped (no nonce race with its sends). */
TEST(confirmer_changed) {
    REQUIRE(up);
    json_t *v = status_field("state_confirmer");
    CHECK(json_is_true(v));
    json_decref(v);
    harness_proc_stop(&W.agg, SIGTERM, 5000);
    REQUIRE(set_confirmer("0x000000000000000000000000000000000000dEaD"));
    size_t from = log_size();
    REQUIRE(world_start_aggregator(&W, 67, 3, AGG_TX_CAPS));
    long long end = harness_now_ms() + 20000;
    while (harness_now_ms() < end && !log_has("not_state_confirmer", from)) harness_sleep_ms(250);
    CHECK(log_has("not_state_confirmer", from));
    v = status_field("state_confirmer");
    CHECK(json_is_false(v));
    json_decref(v);
    uint64_t nonce = confirmer_nonce();
    harness_sleep_ms(7000); /* two tasks at Interval 3, signed by the operators: nothing sent */
    CHECK_EQ_INT(confirmer_nonce(), nonce);
    char me[43];
    mpavs_address_to_checksum(me, &W.dep.deployer);
    from = log_size();
    REQUIRE(set_confirmer(me));
    end = harness_now_ms() + 20000;
    while (harness_now_ms() < end && !log_has("state_confirmer_ok", from)) harness_sleep_ms(250);
    CHECK(log_has("state_confirmer_ok", from));
    conf c[8];
    wait_confirmations(c, 8, 500); /* anything older */
    size_t n = wait_confirmations(c, 1, 60000);
    CHECK(n >= 1);
    v = status_field("state_confirmer");
    CHECK(json_is_true(v));
    json_decref(v);
}

TEST(crash_restart) {
    REQUIRE(up);
    /* everything quiet, then threshold 100 % and a paused proven chain: one task only */
    for (size_t i = 0; i < 4; i++) harness_proc_stop(&W.ops[i].op, SIGTERM, 5000);
    /* tasks signed before the operators stopped (confirmer_changed leaves signed, unsent ones) are
       confirmed first: wait until no confirmation has come for 6 s */
    conf c[8];
    long long quiet_end = harness_now_ms() + 90000;
    while (harness_now_ms() < quiet_end && wait_confirmations(c, 8, 6000) > 0) {
    }
    harness_proc_stop(&W.agg, SIGTERM, 5000);
    REQUIRE(world_start_aggregator(&W, 100, 3, NULL));
    uint64_t h = l2_head();
    while (l2_head() < h - h % 3 + 3) harness_sleep_ms(200); /* the next multiple of 3 appears */
    harness_sleep_ms(600);
    mpavs_error e = {0};
    char *r = world_call(W.l2.url, "evm_setIntervalMining", "[0]", &e);
    free(r);
    /* the newest task */
    r = world_call(W.agg_url, "aggregator_fetchTask",
                   "[{\"prev_task_id\":0,\"task_type\":3,\"max_wait_secs\":10,\"with_context\":false}]", &e);
    REQUIRE(r);
    json_error_t je;
    json_t *j = json_loads(r, 0, &je);
    free(r);
    uint64_t task = (uint64_t)json_integer_value(json_object_get(j, "task_id"));
    json_decref(j);
    REQUIRE(task > 0);
    fprintf(stderr, "  task %llu\n", (unsigned long long)task);
    for (size_t i = 0; i < 3; i++) REQUIRE(world_start_operator(&W, i));
    /* three admitted (mpavs_status counts admissions since this start) */
    long long end = harness_now_ms() + 60000;
    long admitted = 0;
    while (harness_now_ms() < end && admitted < 3) {
        r = world_call(W.agg_url, "mpavs_status", "[]", &e);
        json_t *s = r ? json_loads(r, 0, &je) : NULL;
        admitted = (long)json_integer_value(json_object_get(s, "admitted"));
        json_decref(s);
        free(r);
        harness_sleep_ms(200);
    }
    CHECK_EQ_INT(admitted, 3);
    CHECK_EQ_INT(confirmations(c, 8, seen_seq), 0);
    /* crash */
    int st = harness_proc_stop(&W.agg, SIGKILL, 1000);
    CHECK(WIFSIGNALED(st));
    REQUIRE(world_start_aggregator(&W, 100, 3, NULL));
    REQUIRE(world_start_operator(&W, 3));
    size_t n = wait_confirmations(c, 1, 60000);
    CHECK_EQ_INT(n, 1);
    if (n) {
        CHECK_EQ_INT(c[0].task_id, task);
        CHECK_EQ_INT(c[0].nsigners, 4);
        CHECK_EQ_INT(c[0].nnon, 0);
    }
    /* exactly one StateConfirmed for that task */
    uint8_t meta[32];
    mpavs_avs_chain_task_metadata(meta, 31338, task);
    mpavs_contracts_confirmation *cs = NULL;
    size_t ncs = 0, same = 0;
    REQUIRE(mpavs_contracts_confirmations(&W.deployer, &W.dep, &cs, &ncs, 0) == MPAVS_DEVNET_OK);
    for (size_t i = 0; i < ncs; i++) same += cs[i].metadata_len == 32 && !memcmp(cs[i].metadata, meta, 32);
    CHECK_EQ_INT(same, 1);
    mpavs_contracts_confirmations_free(cs, ncs);
    harness_sleep_ms(3000);
    CHECK_EQ_INT(confirmations(c, 8, seen_seq), 0); /* nothing sent again */
    r = world_call(W.l2.url, "evm_setIntervalMining", "[1]", &e);
    free(r);
    mpavs_error_clear(&e);
}

TEST(operators_stop_quickly) {
    REQUIRE(up);
    for (size_t i = 0; i < 4; i++) {
        if (W.ops[i].op.pid <= 0) continue;
        int st = harness_proc_stop(&W.ops[i].op, SIGTERM, 5000);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* (a sanitizer report would make it non-zero) */
        CHECK(harness_proc_last_stop_ms() < 3000);
    }
}

TEST(aggregator_stops_cleanly) {
    REQUIRE(up);
    int st = harness_proc_stop(&W.agg, SIGTERM, 5000);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    for (size_t i = 0; i < 4; i++) {
        if (W.ops[i].prover.pid <= 0) continue;
        st = harness_proc_stop(&W.ops[i].prover, SIGTERM, 5000);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

int main(void) {
    RUN(bring_up);
    RUN(confirms);
    RUN(one_down);
    RUN(two_down);
    RUN(wrong_state);
    RUN(forging_node);
    RUN(confirmer_changed);
    RUN(crash_restart);
    RUN(operators_stop_quickly);
    RUN(aggregator_stops_cleanly);
    if (harness_failed_checks == 0 && !getenv("MPAVS_KEEP_LOGS")) {
        world_down(&W);
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", W.dir);
        if (system(cmd)) {
        }
    } else {
        world_down(&W);
        fprintf(stderr, "logs kept in %s\n", W.dir);
    }
    return harness_summary();
}

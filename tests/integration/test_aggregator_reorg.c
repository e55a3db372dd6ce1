/*
 * Integration test of the aggregator's finality rules (issue #17 item 2) on real processes: two
 * anvils (AVS chain, proven chain "L2"), the contract stack, three onboarded operators with real
 * mpavs-prover daemons, the real aggregator. The test plays the operators (it asks the provers
 * for proofs and signs with the operators' BLS keys), so it can hold a signature back across a
 * reorg. It checks that
 *   - type-3 tasks are made for L2 blocks final by the configured rule: anvil's `finalized`
 *     block (head − 64) with Finality "finalized", head − Confirmations with "depth";
 *   - reference blocks honour ReferenceFinality/ReferenceConfirmations, and an anvil_reorg of
 *     the AVS chain above them leaves them valid: the aggregator keeps running and confirms;
 *   - an anvil_reorg of L2 after the operators signed block N and before the confirmation
 *     (Threshold 100, the last signature held back) confirms nothing: non_canonical_state is
 *     logged with both values and counted, the late signature for the orphaned block too.
 */
#include "aggclient.h"
#include "anvil_rpc.h"
#include "harness.h"
#include "rpcproxy.h"
#include "world.h"

#include "mpavs/avs.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* anvil's dev accounts 9 and 8: the reorgs' transactions (no daemon uses them) */
#define ADDR9 "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"
#define ADDR8 "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f"

static world W;
static bool up;
static uint64_t last_task; /* the newest task id fetched */

typedef aggc_task3 task3;


/* aggregator_fetchTask for type 3 after prev (the task id is its block's number). */
static bool fetch(task3 *t, uint64_t prev, unsigned wait) {
    bool ok = aggc_fetch3(W.agg_url, t, prev, wait) && t->id == t->block;
    if (ok && t->id > last_task) last_task = t->id;
    return ok;
}

/* Operator i's submission for t as its prover proves block t->block now (JSON, malloc'd). */
static char *submission(size_t i, const task3 *t) { return aggc_submission3(&W.ops[i], W.ops[i].prover_url, t, AGGC_GOOD); }

/* aggregator_submitTask; 0 when admitted, else the JSON-RPC error code. */
static long submit_json(const char *json) {
    return aggc_submit(W.agg_url, json, NULL, 0);
}

/* Block n's hash and state root on a chain. */
static bool block_of(mpavs_rpc *rpc, const char *tag, uint64_t *number, uint8_t hash[32], uint8_t root[32]) {
    mpavs_rpc_block b;
    bool found = false;
    mpavs_error e = {0};
    bool ok = mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, tag) == 0 && found;
    mpavs_error_clear(&e);
    if (!ok) return false;
    if (number) *number = b.number;
    if (hash) memcpy(hash, b.hash, 32);
    if (root) memcpy(root, b.state_root, 32);
    mpavs_rpc_block_clear(&b);
    return true;
}

static uint64_t head_of(mpavs_rpc *rpc) {
    uint64_t h = 0;
    MUST(mpavs_rpc_block_number(rpc, &h, NULL) == 0);
    return h;
}

static uint64_t finalized_of(mpavs_rpc *rpc) {
    uint64_t n = 0;
    MUST(block_of(rpc, "finalized", &n, NULL, NULL));
    return n;
}


/* The value of an unlabelled counter in the aggregator's metrics (-1 when absent). */
static long long metric(const char *name) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", W.agg_metrics_port);
    return (long long)world_metric(url, name);
}

/* The aggregator's log from byte offset from (malloc'd). */
static char *log_since(long from) {
    return aggc_file_since(world_path(&W, "aggregator.log"), from);
}

static long log_size(void) {
    return aggc_file_size(world_path(&W, "aggregator.log"));
}

/* The aggregator's confirmations of type 3 with task id id (0: any). */
static size_t confirmations_of(uint64_t id) {
    long n = aggc_confirmations(W.agg_url, id);
    return n < 0 ? 0 : (size_t)n;
}

/* StateConfirmed events on chain for type-3 block n. */
static size_t on_chain_confirmations(uint64_t n) {
    mpavs_contracts_confirmation *cs = NULL;
    size_t k = 0, found = 0;
    if (mpavs_contracts_confirmations(&W.deployer, &W.dep, &cs, &k, 0) != MPAVS_DEVNET_OK) return SIZE_MAX;
    uint8_t meta[32];
    mpavs_avs_chain_task_metadata(meta, 31338, n);
    for (size_t i = 0; i < k; i++)
        if (cs[i].committee_id == 3 && cs[i].metadata_len == 32 && !memcmp(cs[i].metadata, meta, 32)) found++;
    mpavs_contracts_confirmations_free(cs, k);
    return found;
}

/* Restart the aggregator with these finality settings (NULL: the world's fast devnet ones). */
/* Stop the aggregator: a clean exit (a sanitizer report in the ASan/TSan builds is not one). */
static void stop_aggregator(void) {
    if (W.agg.pid <= 0) return;
    int st = harness_proc_stop(&W.agg, SIGTERM, 5000);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static bool restart(unsigned threshold, const char *chain, const char *ref) {
    stop_aggregator();
    W.agg_chain_finality = chain;
    W.agg_ref_finality = ref;
    return world_start_aggregator(&W, threshold, 3, ",\"MinWaitSecs\":0");
}

/* anvil_reorg of the last depth blocks, with one transfer of account 9 in the first new block. */
static bool reorg(mpavs_rpc *rpc, uint64_t depth) {
    char p[400];
    snprintf(p, sizeof p, "[%llu,[[{\"from\":\"%s\",\"to\":\"%s\",\"value\":\"0x%llx\",\"gas\":\"0x5208\"},0]]]",
             (unsigned long long)depth, ADDR9, ADDR8, (unsigned long long)(1000 + depth));
    char *r = anvil_call(rpc, "anvil_reorg", p);
    free(r);
    return r != NULL;
}

TEST(bring_up) {
    world_options o = {.operators = 3};
    REQUIRE(world_up(&W, &o));
    for (size_t i = 0; i < 3; i++) REQUIRE(world_start_prover(&W, i, NULL, 0, NULL));
    for (size_t i = 0; i < 3; i++) REQUIRE(world_attest(&W, i));
    up = true;
    fprintf(stderr, "  world in %s\n", W.dir);
}

/* The proxy's lie: no finalized block (a null result). */
static json_t *no_finalized(void *arg, const char *method, const json_t *params, json_t *res) {
    (void)arg;
    const char *tag = json_string_value(json_array_get(params, 0));
    if (!strcmp(method, "eth_getBlockByNumber") && tag && !strcmp(tag, "finalized")) return json_null();
    return res;
}

/* Task heights and reference blocks honour "finalized" (anvil: head − 64) and "depth". */
TEST(finality_heights) {
    REQUIRE(up);
    /* both chains past anvil's finality lag, and the AVS chain's finalized block past the registrations */
    char *r = anvil_call(W.l2rpc, "anvil_mine", "[\"0x64\"]");
    free(r);
    r = anvil_call(W.rpc, "anvil_mine", "[\"0x50\"]");
    free(r);
    uint64_t l2_head = head_of(W.l2rpc), l2_fin = finalized_of(W.l2rpc);
    uint64_t avs_head = head_of(W.rpc), avs_fin = finalized_of(W.rpc);
    fprintf(stderr, "  anvil: L2 head %llu finalized %llu; AVS head %llu finalized %llu\n",
            (unsigned long long)l2_head, (unsigned long long)l2_fin, (unsigned long long)avs_head,
            (unsigned long long)avs_fin);
    CHECK(l2_head - l2_fin == 64 && avs_head - avs_fin == 64); /* what the devnet's depth 0 avoids */
    long from = log_size();
    REQUIRE(restart(67, ",\"Finality\":\"finalized\"", ",\"ReferenceFinality\":\"finalized\""));
    task3 t;
    REQUIRE(fetch(&t, 0, 20));
    uint64_t l2_fin2 = finalized_of(W.l2rpc), avs_fin2 = finalized_of(W.rpc), l2_head2 = head_of(W.l2rpc);
    fprintf(stderr, "  finalized: task %llu ref %llu (L2 finalized %llu head %llu, AVS finalized %llu)\n",
            (unsigned long long)t.block, (unsigned long long)t.ref, (unsigned long long)l2_fin2,
            (unsigned long long)l2_head2, (unsigned long long)avs_fin2);
    CHECK(t.block % 3 == 0);
    CHECK(t.block <= l2_fin2 && t.block + 3 + 5 > l2_fin); /* the finalized block's multiple of 3, not the head's */
    CHECK(t.block + 60 <= l2_head2);
    CHECK(t.ref <= avs_fin2 && t.ref >= avs_fin); /* the AVS chain's finalized block, not its head − 1 */
    char *log = log_since(from);
    CHECK(log && strstr(log, "event=chain_source_final_block") && strstr(log, "rule=finalized"));
    CHECK(log && strstr(log, "event=reference_finality") && strstr(log, "mode=finalized"));
    free(log);

    /* depth: head − Confirmations (anvil's finalized block ignored), reference head − ReferenceConfirmations */
    uint64_t h0 = head_of(W.l2rpc), a0 = head_of(W.rpc);
    REQUIRE(restart(67, ",\"Finality\":\"depth\",\"Confirmations\":5",
                    ",\"ReferenceFinality\":\"depth\",\"ReferenceConfirmations\":4"));
    task3 d;
    REQUIRE(fetch(&d, h0 - 8, 20)); /* the "finalized" run's tasks are older (≤ head − 64) */
    uint64_t h1 = head_of(W.l2rpc), a1 = head_of(W.rpc);
    fprintf(stderr, "  depth: task %llu ref %llu (L2 head %llu..%llu, AVS head %llu..%llu)\n",
            (unsigned long long)d.block, (unsigned long long)d.ref, (unsigned long long)h0, (unsigned long long)h1,
            (unsigned long long)a0, (unsigned long long)a1);
    CHECK(d.block % 3 == 0 && d.block + 5 <= h1 && d.block + 5 + 3 > h0);
    CHECK(d.ref + 4 <= a1 && d.ref + 4 >= a0);

    /* "finalized" on a node without a finalized block (null, as a pre-merge node): head − Confirmations */
    rpcproxy *px = rpcproxy_start(W.l2.url, no_finalized, NULL);
    REQUIRE(px);
    char l2url[sizeof W.l2.url];
    memcpy(l2url, W.l2.url, sizeof l2url);
    snprintf(W.l2.url, sizeof W.l2.url, "%s", rpcproxy_url(px)); /* the aggregator's ChainTasks RpcUrl */
    from = log_size();
    h0 = head_of(W.l2rpc);
    bool started = restart(67, ",\"Finality\":\"finalized\",\"Confirmations\":7", NULL);
    memcpy(W.l2.url, l2url, sizeof l2url);
    task3 f;
    bool got = started && fetch(&f, last_task, 20); /* one this run makes */
    h1 = head_of(W.l2rpc);
    CHECK(started && got);
    if (got) {
        fprintf(stderr, "  no finalized block: task %llu (L2 head %llu..%llu)\n", (unsigned long long)f.block,
                (unsigned long long)h0, (unsigned long long)h1);
        CHECK(f.block % 3 == 0 && f.block + 7 <= h1 && f.block + 7 + 3 + 2 > h1);
    }
    log = NULL;
    for (int k = 0; k < 50; k++) {
        free(log);
        log = log_since(from);
        if (log && strstr(log, "rule=depth")) break;
        harness_sleep_ms(100);
    }
    CHECK(log && strstr(log, "event=chain_source_final_block") && strstr(log, "rule=depth"));
    free(log);
    stop_aggregator(); /* before its node goes */
    rpcproxy_stop(px);
}

/*
 * A reorg of the AVS chain above the reference block: the reference block is the same block
 * before and after, the aggregator keeps running, and the task is confirmed.
 */
TEST(avs_reorg) {
    REQUIRE(up);
    uint64_t h0 = head_of(W.l2rpc);
    REQUIRE(restart(67, NULL, ",\"ReferenceFinality\":\"depth\",\"ReferenceConfirmations\":8"));
    task3 t;
    REQUIRE(fetch(&t, h0 - 3, 20)); /* the depth-5 run's tasks are older */
    uint64_t head = head_of(W.rpc);
    CHECK(t.ref + 8 <= head);
    uint8_t ref_hash[32], ref_hash2[32], top[32], top2[32];
    REQUIRE(block_of(W.rpc, "latest", NULL, top, NULL));
    char tag[24];
    mpavs_rpc_tag_number(tag, t.ref);
    REQUIRE(block_of(W.rpc, tag, NULL, ref_hash, NULL));
    /* replace the AVS chain's last 4 blocks (above the reference block: 8 deep) */
    REQUIRE(reorg(W.rpc, 4));
    uint64_t head2 = head_of(W.rpc);
    mpavs_rpc_tag_number(tag, head);
    REQUIRE(block_of(W.rpc, tag, NULL, top2, NULL));
    CHECK(memcmp(top, top2, 32) != 0); /* the old head is orphaned */
    mpavs_rpc_tag_number(tag, t.ref);
    REQUIRE(block_of(W.rpc, tag, NULL, ref_hash2, NULL));
    CHECK(memcmp(ref_hash, ref_hash2, 32) == 0); /* the reference block is untouched */
    fprintf(stderr, "  AVS reorg of 4 blocks at head %llu (now %llu); task %llu ref %llu\n",
            (unsigned long long)head, (unsigned long long)head2, (unsigned long long)t.block,
            (unsigned long long)t.ref);
    for (size_t i = 0; i < 3; i++) {
        char *s = submission(i, &t);
        CHECK_EQ_INT(submit_json(s), 0);
        free(s);
    }
    bool done = false;
    for (int k = 0; k < 150 && !done; k++) {
        done = confirmations_of(t.id) == 1;
        if (!done) harness_sleep_ms(100);
    }
    CHECK(done);
    CHECK_EQ_INT(on_chain_confirmations(t.block), 1);
    CHECK(harness_proc_alive(&W.agg, NULL));
    /* tasks made after the reorg still get reference blocks 8 deep on the new chain */
    task3 n;
    REQUIRE(fetch(&n, t.id, 20));
    CHECK(n.ref + 8 <= head_of(W.rpc) && n.ref >= head2 - 8 - 4);
}

/*
 * Operators sign L2 block N, the last signature is held back, L2 reorganises N, the signature
 * comes: the threshold is met by a state of an orphaned block, and nothing is confirmed.
 */
TEST(l2_reorg_after_signing) {
    REQUIRE(up);
    long from = log_size();
    REQUIRE(restart(100, NULL, NULL)); /* every operator's signature is needed */
    long long m0 = -1;
    for (int k = 0; k < 50 && (m0 = metric("mpavs_aggregator_non_canonical_total")) < 0; k++)
        harness_sleep_ms(100); /* the metrics server starts after the API */
    CHECK_EQ_INT(m0, 0);
    task3 t;
    REQUIRE(fetch(&t, last_task, 20));
    char *s[3];
    for (size_t i = 0; i < 3; i++) s[i] = submission(i, &t);
    REQUIRE(s[0] && s[1] && s[2]);
    CHECK_EQ_INT(submit_json(s[0]), 0);
    CHECK_EQ_INT(submit_json(s[1]), 0);
    uint8_t old_hash[32], old_root[32], new_hash[32], new_root[32];
    char tag[24];
    mpavs_rpc_tag_number(tag, t.block);
    REQUIRE(block_of(W.l2rpc, tag, NULL, old_hash, old_root));
    uint64_t head = head_of(W.l2rpc);
    REQUIRE(reorg(W.l2rpc, head - t.block + 1)); /* block N and everything after it */
    REQUIRE(block_of(W.l2rpc, tag, NULL, new_hash, new_root));
    CHECK(memcmp(old_hash, new_hash, 32) != 0);
    CHECK(memcmp(old_root, new_root, 32) != 0); /* the reorg's transfer changed the state */
    fprintf(stderr, "  L2 reorg of %llu blocks: block %llu %s… → ", (unsigned long long)(head - t.block + 1),
            (unsigned long long)t.block, harness_hex(old_hash, 4));
    fprintf(stderr, "%s…\n", harness_hex(new_hash, 4));
    CHECK_EQ_INT(submit_json(s[2]), 0); /* the held-back signature of the orphaned block: threshold met */
    for (size_t i = 0; i < 3; i++) free(s[i]);
    char *log = NULL;
    for (int k = 0; k < 100; k++) {
        free(log);
        log = log_since(from);
        if (log && strstr(log, "event=non_canonical_state")) break;
        harness_sleep_ms(100);
    }
    REQUIRE(log);
    const char *line = strstr(log, "event=non_canonical_state");
    CHECK(line != NULL);
    if (line) { /* both values in the line */
        char want[200];
        snprintf(want, sizeof want, "signed_hash=0x%s", harness_hex(old_hash, 32));
        CHECK(strstr(line, want) != NULL);
        snprintf(want, sizeof want, "canonical_hash=0x%s", harness_hex(new_hash, 32));
        CHECK(strstr(line, want) != NULL);
        snprintf(want, sizeof want, "signed_state_root=0x%s", harness_hex(old_root, 32));
        CHECK(strstr(line, want) != NULL);
        snprintf(want, sizeof want, "canonical_state_root=0x%s", harness_hex(new_root, 32));
        CHECK(strstr(line, want) != NULL);
    }
    CHECK(strstr(log, "event=non_canonical_signature") != NULL); /* the late signature is reported */
    free(log);
    CHECK_EQ_INT(metric("mpavs_aggregator_non_canonical_total"), 1);
    CHECK(metric("mpavs_aggregator_non_canonical_signatures_total") >= 1);
    harness_sleep_ms(3000); /* a confirmation attempt would be mined within this */
    CHECK_EQ_INT(confirmations_of(t.id), 0);
    CHECK_EQ_INT(on_chain_confirmations(t.block), 0);
    CHECK(harness_proc_alive(&W.agg, NULL));
    stop_aggregator();
}

int main(void) {
    RUN(bring_up);
    RUN(finality_heights);
    RUN(avs_reorg);
    RUN(l2_reorg_after_signing);
    world_down(&W);
    return harness_summary();
}

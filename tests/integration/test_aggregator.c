/*
 * Integration test of mpavs-aggregator on real processes: two anvils (AVS chain osaka + proven
 * chain), the deployed contract stack, four onboarded operators, four real mpavs-prover
 * daemons and the real aggregator. The test plays the operators' side of the wire itself (it
 * asks the real provers for quotes and proofs and signs with the operators' BLS keys), so it can
 * also send what a faulty or hostile operator would: a bad BLS signature, a PoE signed by
 * another prover, a key without liveness, duplicates, unknown tasks, hostile JSON-RPC. Checks
 * every rejection code, the confirmation on chain (StateConfirmed, signer set), the reference
 * Go operator's JSON, restart with the same database, and metrics.
 */
#include "aggclient.h"
#include "harness.h"
#include "world.h"

#include "mpavs/avs.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static world W;
static bool up;

typedef aggc_task3 task3;


/* aggregator_fetchTask for type 3 after prev (the task id is its block's number). */
static bool fetch(task3 *t, uint64_t prev, unsigned wait) {
    return aggc_fetch3(W.agg_url, t, prev, wait) && t->id == t->block;
}

/* A submission of operator i for t, proved by prover p. Flags make it faulty. */
enum { GOOD = AGGC_GOOD, BAD_SIG = AGGC_BAD_SIG, WRONG_REF = AGGC_WRONG_REF, WRONG_META = AGGC_WRONG_META };
static char *submission(size_t i, size_t p, const task3 *t, int flags) {
    return aggc_submission3(&W.ops[i], W.ops[p].prover_url, t, flags);
}

/* aggregator_submitTask; returns 0 when admitted, else the JSON-RPC error code (and its message). */
static long submit_json(const char *json, char *msg, size_t cap) {
    return aggc_submit(W.agg_url, json, msg, cap);
}

static long submit(size_t i, size_t p, const task3 *t, int flags) {
    char *json = submission(i, p, t, flags);
    if (!json) return -999;
    long c = submit_json(json, NULL, 0);
    free(json);
    return c;
}

TEST(bring_up) {
    world_options o = {.operators = 4};
    REQUIRE(world_up(&W, &o));
    for (size_t i = 0; i < 4; i++) REQUIRE(world_start_prover(&W, i, NULL, 0, NULL));
    for (size_t i = 0; i < 3; i++) REQUIRE(world_attest(&W, i)); /* operator 4 stays unattested */
    REQUIRE(world_start_aggregator(&W, 67, 3, NULL));
    up = true;
    fprintf(stderr, "  world in %s\n", W.dir);
}

TEST(config_checks) {
    /* a template is valid JSON; a bad config lists every problem (exit 2) */
    char cmd[1024], bad[300], badout[300];
    snprintf(cmd, sizeof cmd, "%s/build/mpavs-aggregator --print-config-template > %s", getenv("MPAVS_ROOT"),
             world_path(&W, "tpl.json"));
    snprintf(bad, sizeof bad, "%s", world_path(&W, "bad.json"));
    snprintf(badout, sizeof badout, "%s", world_path(&W, "bad.out"));
    CHECK(system(cmd) == 0);
    json_error_t je;
    json_t *tpl = json_load_file(world_path(&W, "tpl.json"), 0, &je);
    CHECK(tpl && json_is_object(tpl));
    json_decref(tpl);
    FILE *f = fopen(bad, "w");
    REQUIRE(f);
    fputs("{\"listenaddr\":\"127.0.0.1:1\",\"Threshold\":0,\"AttestationLayer\":[{\"Address\":\"0x12\"}],"
          "\"ChainTasks\":[{\"ChainId\":1,\"Interval\":0}],\"TYPO\":1}",
          f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s/build/mpavs-aggregator --check-config %s > %s 2>&1", getenv("MPAVS_ROOT"), bad,
             badout);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    size_t len = 0;
    char *out = (char *)harness_read_file(badout, &len);
    REQUIRE(out);
    const char *want[] = {"EthHttpEndpoint", "EcdsaPrivateKey", "MultiProverContractAddress", "Threshold",
                          "AttestationLayer[0].Address", "ChainTasks[0].RpcUrl", "ChainTasks[0].Interval",
                          "unknown key \"TYPO\""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(out, want[i])) fprintf(stderr, "  missing in --check-config output: %s\n", want[i]);
        CHECK(strstr(out, want[i]) != NULL);
    }
    CHECK(strstr(out, "ListenAddr: required") == NULL); /* matched case-insensitively */
    free(out);
}

static task3 T1;

TEST(admission_and_confirmation) {
    REQUIRE(up);
    REQUIRE(fetch(&T1, 0, 30));
    CHECK_EQ_INT(T1.chain, 31338);
    CHECK(T1.block % 3 == 0);
    fprintf(stderr, "  task %llu (ref %llu)\n", (unsigned long long)T1.id, (unsigned long long)T1.ref);
    /* long poll: nothing newer than the current task for a while → ok=false */
    task3 none;
    CHECK(!fetch(&none, T1.id + 1000000, 1));

    CHECK_EQ_INT(submit(0, 0, &T1, GOOD), 0);
    CHECK_EQ_INT(submit(0, 0, &T1, GOOD), -32007);      /* duplicate: not counted twice */
    CHECK_EQ_INT(submit(1, 1, &T1, BAD_SIG), -32004);   /* invalid BLS signature */
    CHECK_EQ_INT(submit(1, 2, &T1, GOOD), -32006);      /* PoE signed by another (attested) prover */
    CHECK_EQ_INT(submit(3, 3, &T1, GOOD), -32005);      /* key without liveness */
    CHECK_EQ_INT(submit(1, 1, &T1, WRONG_REF), -32001); /* not the task's reference block */
    CHECK_EQ_INT(submit(1, 1, &T1, WRONG_META), -32001);
    /* nothing confirmed yet: 1 of 4 signed */
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "mpavs_confirmations", "[{\"since\":0}]", &e);
    CHECK(res && strcmp(res, "[]") == 0);
    free(res);
    CHECK_EQ_INT(submit(1, 1, &T1, GOOD), 0);
    CHECK_EQ_INT(submit(2, 2, &T1, GOOD), 0); /* 3 of 4 = 75% >= 67% */
    /* confirmed within a few blocks */
    json_t *c = NULL;
    for (int k = 0; k < 100 && !c; k++) {
        res = world_call(W.agg_url, "mpavs_confirmations", "[{\"since\":0}]", &e);
        json_error_t je;
        json_t *a = res ? json_loads(res, 0, &je) : NULL;
        free(res);
        if (a && json_array_size(a) > 0) c = json_incref(json_array_get(a, 0));
        json_decref(a);
        if (!c) harness_sleep_ms(100);
    }
    REQUIRE(c);
    CHECK_EQ_INT(json_integer_value(json_object_get(c, "task_id")), (long long)T1.id);
    CHECK_EQ_INT(json_array_size(json_object_get(c, "signers")), 3);
    json_t *ns = json_object_get(c, "non_signers");
    CHECK_EQ_INT(json_array_size(ns), 1);
    char id4[67];
    REQUIRE(mpavs_hex_encode(id4, sizeof id4, W.ops[3].id, 32, true) == 0);
    CHECK(json_is_string(json_array_get(ns, 0)) && !strcmp(json_string_value(json_array_get(ns, 0)), id4));
    fprintf(stderr, "  confirmed: latency %lld ms, gas %lld\n", json_integer_value(json_object_get(c, "latency_ms")),
            json_integer_value(json_object_get(c, "gas_used")));
    json_decref(c);
    /* on chain: one StateConfirmed with committee 3 and the type-3 metadata/state */
    mpavs_contracts_confirmation *cs = NULL;
    size_t n = 0;
    REQUIRE(mpavs_contracts_confirmations(&W.deployer, &W.dep, &cs, &n, 0) == MPAVS_DEVNET_OK);
    CHECK_EQ_INT(n, 1);
    if (n) {
        uint8_t meta[32];
        mpavs_avs_chain_task_metadata(meta, 31338, T1.block);
        CHECK_EQ_INT(cs[0].committee_id, 3);
        CHECK(cs[0].metadata_len == 32 && !memcmp(cs[0].metadata, meta, 32));
        mpavs_rpc_block b;
        bool found = false;
        char tag[24];
        mpavs_rpc_tag_number(tag, T1.block);
        REQUIRE(mpavs_rpc_get_block_by_number(W.l2rpc, &b, &found, &e, tag) == 0 && found);
        CHECK(cs[0].state_len == 64 && !memcmp(cs[0].state, b.hash, 32) && !memcmp(cs[0].state + 32, b.state_root, 32));
        mpavs_rpc_block_clear(&b);
    }
    mpavs_contracts_confirmations_free(cs, n);
    /* a late signature is not needed: the task is confirmed once */
    CHECK_EQ_INT(submit(3, 3, &T1, GOOD), -32011);
    mpavs_error_clear(&e);
}

TEST(reference_go_request) {
    /* upstream spec §2.3's request as a Go operator sends it: it decodes (not invalid params) and reaches the
     * task checks: batch 326800 is sampled out by the default ExecTaskSampling 2000, as in the reference */
    static const char req[] =
        "{\"Task\":{\"identifier\":\"0x1\",\"metadata\":\"0x7b2262617463685f6964223a3332363830302c2273746172745f626c6f636b"
        "223a393835303431342c22656e645f626c6f636b223a393835303532377d\",\"state\":\"0x7b7d\",\"quorum_numbers\":\"0x00\","
        "\"quorum_threshold_percentages\":\"0x00\",\"reference_blocknumber\":20000000},\"Signature\":{\"g1_point\":{\"X\":"
        "\"2913419960794468855316091727439276675866552670495843369669589578240607952936\",\"Y\":"
        "\"4350341927921962682168964333513657456753434734875649130652705424514559515815\"}},\"OperatorId\":[101,241,64,"
        "194,186,96,244,60,73,237,154,157,29,128,84,42,44,173,97,0,200,140,226,98,254,75,184,192,242,23,255,9],"
        "\"ProverSignature\":\"0x" "0000000000000000000000000000000000000000000000000000000000000000"
        "0000000000000000000000000000000000000000000000000000000000000000" "1b\"}";
    char msg[512];
    CHECK_EQ_INT(submit_json(req, msg, sizeof msg), -32009);
    CHECK(strstr(msg, "batch 326800 is not sampled") != NULL);
}

/* Raw HTTP POST; returns the HTTP status and the body (malloc'd). */
static long http_post(const char *body, size_t len, char **reply) {
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    char *buf = NULL;
    size_t blen = 0;
    FILE *mem = open_memstream(&buf, &blen);
    curl_easy_setopt(c, CURLOPT_URL, W.agg_url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    fclose(mem);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (reply) *reply = buf;
    else free(buf);
    return code;
}

static long rpc_error_code(const char *reply) {
    json_error_t je;
    json_t *j = reply ? json_loads(reply, 0, &je) : NULL;
    long code = (long)json_integer_value(json_object_get(json_object_get(j, "error"), "code"));
    json_decref(j);
    return code;
}

TEST(hostile_input) {
    REQUIRE(up);
    char *r = NULL;
    /* oversized body */
    size_t big = 5u << 20;
    char *b = malloc(big + 1);
    memset(b, ' ', big);
    b[big] = 0;
    memcpy(b, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[\"", 67);
    CHECK_EQ_INT(http_post(b, big, NULL), 413);
    free(b);
    /* deep nesting */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 100);
    size_t k = (size_t)sprintf(deep, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":");
    for (size_t i = 0; i < depth; i++) deep[k++] = '[';
    for (size_t i = 0; i < depth; i++) deep[k++] = ']';
    deep[k++] = '}';
    CHECK_EQ_INT(http_post(deep, k, &r), 200);
    CHECK_EQ_INT(rpc_error_code(r), -32600);
    free(r);
    free(deep);
    /* garbage, wrong types, huge arrays, wrong lengths */
    struct {
        const char *body;
        long code;
    } cases[] = {
        {"garbage{", -32700},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[42]}", -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[{\"Task\":\"x\"}]}", -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[{\"Task\":{\"identifier\":\"0x01\"}}]}",
         -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[{},{}]}", -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_fetchTask\",\"params\":[{\"task_type\":\"3\"}]}", -32602},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_nope\",\"params\":[]}", -32601},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"mpavs_confirmations\",\"params\":[{\"since\":-1}]}", -32602},
        {"[]", -32600},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long st = http_post(cases[i].body, strlen(cases[i].body), &r);
        long got = rpc_error_code(r);
        if (got != cases[i].code) fprintf(stderr, "  case %zu: HTTP %ld reply %.200s\n", i, st, r ? r : "(none)");
        CHECK_EQ_INT(got, cases[i].code);
        free(r);
    }
    /* a huge OperatorId array: more JSON values than the server's bound (100000), refused before parsing */
    size_t n = 200000;
    char *arr = malloc(n * 2 + 400);
    k = (size_t)sprintf(arr, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"aggregator_submitTask\",\"params\":[{\"OperatorId\":[");
    for (size_t i = 0; i < n; i++) {
        arr[k++] = '1';
        arr[k++] = ',';
    }
    k--;
    k += (size_t)sprintf(arr + k, "]}]}");
    CHECK_EQ_INT(http_post(arr, k, &r), 200);
    CHECK_EQ_INT(rpc_error_code(r), -32600);
    free(r);
    free(arr);
    /* a batch larger than 8 */
    char batch[4096] = "[";
    for (int i = 0; i < 9; i++)
        sprintf(batch + strlen(batch), "%s{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"mpavs_status\"}", i ? "," : "", i);
    strcat(batch, "]");
    http_post(batch, strlen(batch), &r);
    CHECK(r && strstr(r, "-32600") != NULL);
    free(r);
    /* still up */
    mpavs_error e = {0};
    char *s = world_call(W.agg_url, "mpavs_status", "[]", &e);
    CHECK(s != NULL);
    free(s);
    CHECK(harness_proc_alive(&W.agg, NULL));
}

TEST(metrics_and_restart) {
    REQUIRE(up);
    char url[64], *body = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", W.agg_metrics_port);
    CURL *c = curl_easy_init();
    size_t blen = 0;
    FILE *mem = open_memstream(&body, &blen);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, mem);
    CHECK(curl_easy_perform(c) == CURLE_OK);
    fclose(mem);
    curl_easy_cleanup(c);
    REQUIRE(body);
    CHECK(strstr(body, "mpavs_aggregator_confirmations_total 1\n") != NULL);
    CHECK(strstr(body, "mpavs_aggregator_signatures_admitted_total 3\n") != NULL);
    CHECK(strstr(body, "mpavs_aggregator_signatures_rejected_total{reason=\"duplicate\"} 1\n") != NULL);
    CHECK(strstr(body, "mpavs_aggregator_signatures_rejected_total{reason=\"prover_mismatch\"} 1\n") != NULL);
    CHECK(strstr(body, "avs_aggregator_new_task_counter{type=\"chain\"}") != NULL);
    free(body);
    /* SIGTERM: clean exit; restart on the same database keeps the confirmation */
    int st = harness_proc_stop(&W.agg, SIGTERM, 5000);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    fprintf(stderr, "  SIGTERM → exit in %ld ms\n", harness_proc_last_stop_ms());
    CHECK(harness_proc_last_stop_ms() < 3000);
    REQUIRE(world_start_aggregator(&W, 67, 3, NULL));
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "mpavs_confirmations", "[{\"since\":0}]", &e);
    json_error_t je;
    json_t *a = res ? json_loads(res, 0, &je) : NULL;
    CHECK(a && json_array_size(a) == 1);
    json_decref(a);
    free(res);
    /* the confirmed task is still known as confirmed after the restart */
    CHECK_EQ_INT(submit(0, 0, &T1, GOOD), -32011);
}

TEST(expired_liveness) {
    REQUIRE(up);
    /* jump the AVS chain's clock past attestValiditySeconds (3600): every proof expires */
    mpavs_error e = {0};
    char *r = world_call(W.avs.url, "evm_increaseTime", "[7200]", &e);
    free(r);
    r = world_call(W.avs.url, "evm_mine", "[]", &e);
    free(r);
    task3 t2;
    REQUIRE(fetch(&t2, T1.id, 30));
    harness_sleep_ms(5500); /* the aggregator re-reads the layer's clock every 5 s */
    CHECK_EQ_INT(submit(1, 1, &t2, GOOD), -32005);
    mpavs_error_clear(&e);
}

/* Run the aggregator on the world's config with extra arguments for at most secs; its output goes to out. */
static int run_agg(const char *extra, int secs, const char *out) {
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "timeout %d %s/build/mpavs-aggregator --config %s %s > %s 2>&1", secs,
             getenv("MPAVS_ROOT"), world_path(&W, "aggregator.json"), extra, out);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool copy_file(const char *from, const char *to) {
    size_t n = 0;
    unsigned char *b = harness_read_file(from, &n);
    FILE *f = b ? fopen(to, "wb") : NULL;
    bool ok = f && fwrite(b, 1, n, f) == n;
    if (f) ok = fclose(f) == 0 && ok;
    free(b);
    return ok;
}

static void rm_db(void) {
    char p[400];
    unlink(W.agg_db);
    snprintf(p, sizeof p, "%s-wal", W.agg_db);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", W.agg_db);
    unlink(p);
}

/* Issue #17.6: a corrupted database and a deleted one are refused with what to do; --init creates one. */
TEST(storage_checks) {
    REQUIRE(up);
    REQUIRE(harness_proc_stop(&W.agg, SIGTERM, 10000) == 0);
    char marker[400], bak[400], out[400];
    snprintf(marker, sizeof marker, "%s.created", W.agg_db);
    snprintf(bak, sizeof bak, "%s.bak", W.agg_db);
    snprintf(out, sizeof out, "%s", world_path(&W, "dbcheck.out"));
    CHECK(access(marker, F_OK) == 0);
    REQUIRE(copy_file(W.agg_db, bak));
    /* the intact database passes integrity_check (--check-db): the aggregator starts (stopped by timeout) */
    CHECK_EQ_INT(run_agg("--check-db", 4, out), 124);
    /* a page in the middle of the file overwritten */
    size_t n = 0;
    unsigned char *b = harness_read_file(W.agg_db, &n);
    REQUIRE(b && n >= 3 * 4096);
    size_t off = (n / 4096 / 2) * 4096;
    memset(b + off, 0x5a, 4096);
    FILE *f = fopen(W.agg_db, "wb");
    REQUIRE(f && fwrite(b, 1, n, f) == n);
    fclose(f);
    free(b);
    fprintf(stderr, "  corrupted bytes %zu..%zu of %zu\n", off, off + 4096, n);
    CHECK_EQ_INT(run_agg("", 20, out), 1);
    unsigned char *o = harness_read_file(out, &n);
    CHECK(o && strstr((char *)o, "quick_check") && strstr((char *)o, "restore the file from a backup"));
    if (o) fprintf(stderr, "  %.*s\n", (int)(n > 300 ? 300 : n), (char *)o);
    free(o);
    /* deleted: refused, since the marker says one existed */
    rm_db();
    CHECK_EQ_INT(run_agg("", 20, out), 1);
    o = harness_read_file(out, &n);
    CHECK(o && strstr((char *)o, "is missing") && strstr((char *)o, "--init"));
    free(o);
    CHECK(access(W.agg_db, F_OK) != 0); /* and nothing was created */
    /* --init creates an empty one (the aggregator then runs until the timeout stops it) */
    CHECK_EQ_INT(run_agg("--init", 6, out), 124);
    CHECK(access(W.agg_db, F_OK) == 0);
    /* the backup back in place: the world's aggregator starts again on its history */
    rm_db();
    REQUIRE(copy_file(bak, W.agg_db));
    REQUIRE(world_start_aggregator(&W, 67, 3, NULL));
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "mpavs_confirmations", "[{\"since\":0}]", &e);
    json_error_t je;
    json_t *a = res ? json_loads(res, 0, &je) : NULL;
    CHECK(a && json_array_size(a) >= 1);
    json_decref(a);
    free(res);
    mpavs_error_clear(&e);
}

int main(void) {
    RUN(bring_up);
    RUN(config_checks);
    RUN(admission_and_confirmation);
    RUN(reference_go_request);
    RUN(hostile_input);
    RUN(metrics_and_restart);
    RUN(expired_liveness);
    RUN(storage_checks);
    world_down(&W);
    return harness_summary();
}

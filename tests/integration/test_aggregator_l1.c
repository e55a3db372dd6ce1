/*
 * Integration test of mpavs-aggregator's L1 task sources (TaskFetcher: Scroll = type 1, Linea =
 * type 2) on real processes: the world's AVS chain and proven chain, one onboarded operator, the
 * real aggregator, and a third anvil ("L1") on which the test deploys
 * contracts/src/test/RollupStandIn.sol and sends commitBatch / finalize transactions.
 *
 * Checked through aggregator_fetchTask over raw HTTP (so the bytes are the server's): the
 * follower's 5-block confirmation wait, GenTaskSampling, task ids, the whole FetchTaskResp and
 * its `ext` byte for byte against strings built here from what was sent (upstream §2.2),
 * reference_block_number within the AVS heads seen around the creation, long polls (timeout
 * ok:false, early wake-up by a new commit), Linea: no task for the first or a non-sequential
 * finalization, the range starting after the previous finalization; the Scroll submission path
 * (the task named by the metadata JSON reaches the operator/liveness checks, another batch is
 * unknown_task, an ExecTaskSampling sampled-out batch is sampled_out); a SIGTERM restart with
 * PresetStartBlock 0 still creates the tasks of commits made while it was down (the scan
 * position is persisted; without it the scan would restart at head - 5, past them); and the
 * avs_aggregator_new_task_counter metric.
 */
#include "anvil_rpc.h"
#include "harness.h"
#include "world.h"

#include "mpavs/abi.h"
#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/ecdsa.h"
#include "mpavs/sender.h"
#include "mpavs/wire.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static world W;
static harness_anvil L1;
static mpavs_rpc *l1rpc;
static mpavs_sender *l1send;
static uint8_t standin[20];
static char standin_hex[43];
static uint64_t preset;
static bool up;

#define GEN_SAMPLING 2
#define EXEC_SAMPLING 2

/* ---- small helpers (written for this test) ---- */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (!s) abort();
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* "0x" + lower-case hex, malloc'd. */
static char *hex(const uint8_t *b, size_t n) {
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(2 * n + 3);
    if (!s) abort();
    size_t k = 0;
    s[k++] = '0';
    s[k++] = 'x';
    for (size_t i = 0; i < n; i++) {
        s[k++] = digits[b[i] >> 4];
        s[k++] = digits[b[i] & 15];
    }
    s[k] = 0;
    return s;
}

/* Calldata of signature with its arguments as one cast-syntax tuple "(a,b,…)". */
static uint8_t *encode_call(size_t *len, const char *signature, const char *args) {
    mpavs_abi_signature *sig = NULL;
    mpavs_abi_value *v = NULL;
    uint8_t *out = NULL;
    if (mpavs_abi_signature_parse(&sig, signature) == MPAVS_ABI_OK &&
        mpavs_abi_value_parse(&v, sig->inputs, args) == MPAVS_ABI_OK &&
        mpavs_abi_encode_call(&out, len, sig, v) != MPAVS_ABI_OK)
        out = NULL;
    if (!out) fprintf(stderr, "  cannot encode %s%s\n", signature, args);
    mpavs_abi_value_free(v);
    mpavs_abi_signature_free(sig);
    return out;
}

/* Send a transaction (to NULL: contract creation) and wait for it. Out: tx, block, contract. */
static bool transact(mpavs_sender *s, const uint8_t *to, const uint8_t *data, size_t len, uint8_t tx[32],
                     uint64_t *block, uint8_t created[20]) {
    mpavs_sender_result res;
    mpavs_error e = {0};
    bool ok = mpavs_sender_send(s, &res, &e, to, NULL, data, len, to ? 1000000 : 0, NULL, 0) == MPAVS_SENDER_OK &&
              res.success;
    if (!ok) fprintf(stderr, "  transaction failed: %s %s\n", e.message, res.revert_reason);
    if (ok && tx) memcpy(tx, res.tx_hash, 32);
    if (ok && block) *block = res.block_number;
    if (ok && created) {
        ok = res.receipt.has_contract_address;
        if (ok) memcpy(created, res.receipt.contract_address, 20);
    }
    mpavs_sender_result_clear(&res);
    mpavs_error_clear(&e);
    return ok;
}

/* A call to the stand-in on L1. */
static bool l1_tx(const char *signature, const char *args, uint8_t tx[32], uint64_t *block) {
    size_t len = 0;
    uint8_t *d = encode_call(&len, signature, args);
    bool ok = d && transact(l1send, standin, d, len, tx, block, NULL);
    free(d);
    return ok;
}

static void l1_mine(unsigned n) {
    for (unsigned i = 0; i < n; i++) free(world_call(L1.url, "evm_mine", "[]", NULL));
}

static uint64_t head_of(mpavs_rpc *rpc) {
    uint64_t h = 0;
    if (mpavs_rpc_block_number(rpc, &h, NULL) != MPAVS_RPC_OK) return 0;
    return h;
}

/* End of the JSON value starting at p (strings, objects and arrays nested; no validation). */
static const char *value_end(const char *p) {
    int depth = 0;
    bool in_str = false;
    for (; *p; p++) {
        char c = *p;
        if (in_str) {
            if (c == '\\' && p[1]) p++;
            else if (c == '"') {
                in_str = false;
                if (!depth) return p + 1;
            }
            continue;
        }
        if (c == '"') in_str = true;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
            if (--depth <= 0) return depth < 0 ? p : p + 1;
        } else if (!depth && (c == ',' || c == ' ')) return p;
    }
    return p;
}

/* The exact text of member `key` of the JSON object text obj (top level only matters here), malloc'd. */
static char *member_text(const char *obj, const char *key) {
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = obj ? strstr(obj, pat) : NULL;
    if (!p) return NULL;
    p += strlen(pat);
    const char *e = value_end(p);
    return fmt("%.*s", (int)(e - p), p);
}

typedef struct {
    char *buf;
    size_t len;
} membuf;

static size_t on_data(char *d, size_t sz, size_t n, void *user) {
    membuf *m = user;
    char *b = realloc(m->buf, m->len + sz * n + 1);
    if (!b) return 0;
    memcpy(b + m->len, d, sz * n);
    m->buf = b;
    m->len += sz * n;
    b[m->len] = 0;
    return sz * n;
}

/* HTTP POST (body NULL: GET) to url; returns the reply body (malloc'd) or NULL. */
static char *http(const char *url, const char *body) {
    CURL *c = curl_easy_init();
    if (!c) return NULL;
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    membuf m = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (body) {
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK) {
        free(m.buf);
        return NULL;
    }
    return m.buf;
}

/* aggregator_fetchTask (with_context false) over raw HTTP: the exact text of the result, malloc'd. */
static char *fetch(uint64_t type, uint64_t prev, unsigned wait, long long *ms) {
    char body[256];
    snprintf(body, sizeof body,
             "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"aggregator_fetchTask\",\"params\":[{\"prev_task_id\":%llu,"
             "\"task_type\":%llu,\"max_wait_secs\":%u,\"with_context\":false}]}",
             (unsigned long long)prev, (unsigned long long)type, wait);
    long long t0 = harness_now_ms();
    char *reply = http(W.agg_url, body);
    if (ms) *ms = harness_now_ms() - t0;
    char *res = member_text(reply, "result");
    if (!res) fprintf(stderr, "  fetchTask: no result in %.300s\n", reply ? reply : "(no reply)");
    free(reply);
    return res;
}

static const char NO_TASK[] = "{\"ok\":false,\"task_id\":0,\"task_type\":0,\"ext\":null}";

/* reference_block_number of a FetchTaskResp text (0 when absent). */
static uint64_t ext_ref(const char *res) {
    json_error_t je;
    json_t *j = res ? json_loads(res, 0, &je) : NULL;
    uint64_t r = (uint64_t)json_integer_value(json_object_get(json_object_get(j, "ext"), "reference_block_number"));
    json_decref(j);
    return r;
}

/* Fetch a task of `type` newer than prev (waiting up to 25 s) and check the whole result text:
 * {"ok":true,"task_id":id,"task_type":type,"ext":<ext_tpl with @REF@ = the reference block>}; the
 * reference block must lie in [avs_before - 1, AVS head now - 1]. Returns the reference block. */
static uint64_t expect_task(uint64_t type, uint64_t prev, uint64_t id, const char *ext_tpl, uint64_t avs_before) {
    char *res = fetch(type, prev, 25, NULL);
    uint64_t now = head_of(W.rpc);
    uint64_t ref = ext_ref(res);
    CHECK(ref + 1 >= avs_before && ref + 1 <= now);
    if (!(ref + 1 >= avs_before && ref + 1 <= now))
        fprintf(stderr, "  reference block %llu outside [%llu, %llu]\n", (unsigned long long)ref,
                (unsigned long long)avs_before - 1, (unsigned long long)now - 1);
    const char *at = strstr(ext_tpl, "@REF@");
    if (!at) abort();
    char *ext = fmt("%.*s%llu%s", (int)(at - ext_tpl), ext_tpl, (unsigned long long)ref, at + 5);
    char *want = fmt("{\"ok\":true,\"task_id\":%llu,\"task_type\":%llu,\"ext\":%s}", (unsigned long long)id,
                     (unsigned long long)type, ext);
    CHECK_STREQ(res, want);
    char *got_ext = member_text(res, "ext");
    CHECK_STREQ(got_ext, ext); /* the ext member alone, byte for byte */
    free(got_ext);
    free(ext);
    free(want);
    free(res);
    return ref;
}

/* One metric sample's value from the aggregator's Prometheus text (-1 when absent). */
static long long metric(const char *sample) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", W.agg_metrics_port);
    char *body = http(url, NULL);
    long long v = -1;
    char pat[200];
    snprintf(pat, sizeof pat, "\n%s ", sample);
    const char *p = body ? strstr(body, pat) : NULL;
    if (p) v = strtoll(p + strlen(pat), NULL, 10);
    free(body);
    return v;
}

/* ---- Scroll commits ---- */

/* A chunk holding the given L2 block numbers (60-byte contexts) and `extra` transaction bytes, as cast text. */
static char *chunk_text(const uint64_t *blocks, size_t n, size_t extra) {
    size_t len = 1 + 60 * n + extra;
    uint8_t *b = calloc(1, len);
    if (!b) abort();
    b[0] = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        uint8_t *c = b + 1 + 60 * i;
        for (int k = 0; k < 8; k++) c[k] = (uint8_t)(blocks[i] >> (8 * (7 - k)));
        for (int k = 8; k < 60; k++) c[k] = (uint8_t)(0x30 + i + k);
    }
    for (size_t i = 0; i < extra; i++) b[1 + 60 * n + i] = (uint8_t)(0xe0 ^ i);
    char *s = hex(b, len);
    free(b);
    return s;
}

typedef struct {
    uint64_t index, start, end, block;
    uint8_t tx[32];
    char *batch_data; /* 0x hex of the calldata after the selector */
} commit;

/* commitBatch with the given chunks text "[0x…,0x…]" (blob: commitBatchWithBlobProof). */
static bool scroll_commit(commit *c, uint64_t index, const char *chunks, uint64_t start, uint64_t end, bool blob) {
    memset(c, 0, sizeof *c);
    c->index = index;
    c->start = start;
    c->end = end;
    char *args = blob ? fmt("(1,0x0001020304,%s,0x,0xb10b)", chunks) : fmt("(0,0x00ff,%s,0xabcd)", chunks);
    const char *sig = blob ? "commitBatchWithBlobProof(uint8,bytes,bytes[],bytes,bytes)"
                           : "commitBatch(uint8,bytes,bytes[],bytes)";
    size_t len = 0;
    uint8_t *d = encode_call(&len, sig, args);
    free(args);
    bool ok = d && transact(l1send, standin, d, len, c->tx, &c->block, NULL);
    if (ok) c->batch_data = hex(d + 4, len - 4);
    free(d);
    return ok;
}

/* The Scroll ext with @REF@ for the reference block. */
static char *scroll_ext_tpl(const commit *c) {
    char *tx = hex(c->tx, 32);
    char *s = fmt("{\"start_block\":\"0x%llx\",\"end_block\":\"0x%llx\",\"batch_data\":\"%s\",\"commit_tx\":\"%s\","
                  "\"reference_block_number\":@REF@}",
                  (unsigned long long)c->start, (unsigned long long)c->end, c->batch_data, tx);
    free(tx);
    return s;
}

/* ---- Linea finalizations ---- */

static void root(uint8_t out[32], int k) {
    memset(out, 0x5a, 32);
    out[0] = 0x0f;
    out[31] = (uint8_t)k;
}

typedef struct {
    uint64_t last;
    int start_root, final_root;
    uint8_t tx[32];
} final;

static bool linea_finalize(final *f, uint64_t last, int start_root, int final_root) {
    f->last = last;
    f->start_root = start_root;
    f->final_root = final_root;
    uint8_t a[32], b[32];
    root(a, start_root);
    root(b, final_root);
    char *ha = hex(a, 32), *hb = hex(b, 32);
    char *args = fmt("(%llu,%s,%s)", (unsigned long long)last, ha, hb);
    bool ok = l1_tx("finalize(uint256,bytes32,bytes32)", args, f->tx, NULL);
    free(args);
    free(ha);
    free(hb);
    return ok;
}

/* The Linea ext of f after prev, @REF@ for the reference block (range clamped to the last 100 blocks). */
static char *linea_ext_tpl(const final *prev, const final *f) {
    uint64_t start = prev->last + 1, end = f->last;
    if (end - start + 1 > 100) start = end - 100 + 1;
    uint8_t a[32], b[32];
    root(a, f->start_root);
    root(b, f->final_root);
    char *tx = hex(f->tx, 32), *ptx = hex(prev->tx, 32), *ha = hex(a, 32), *hb = hex(b, 32);
    char *s = fmt("{\"start_block\":\"0x%llx\",\"end_block\":\"0x%llx\",\"commit_tx\":\"%s\",\"prev_commit_tx\":\"%s\","
                  "\"prev_batch_final_state_root\":\"%s\",\"final_state_root\":\"%s\",\"reference_block_number\":@REF@}",
                  (unsigned long long)start, (unsigned long long)end, tx, ptx, ha, hb);
    free(tx);
    free(ptx);
    free(ha);
    free(hb);
    return s;
}

/* ---- submissions ---- */

/*
 * aggregator_submitTask of a type-1/2 task naming {batch_id, start_block, end_block} at reference
 * block ref, from operator id (BLS key bls), with a PoE JSON in state signed by a throwaway
 * enclave key. Returns 0 when admitted, else the JSON-RPC error code.
 */
static long submit_l1(uint64_t type, uint64_t batch, uint64_t start, uint64_t end, uint32_t ref, const uint8_t id[32],
                      const uint8_t bls[32]) {
    char *meta = fmt("{\"batch_id\":%llu,\"start_block\":%llu,\"end_block\":%llu}", (unsigned long long)batch,
                     (unsigned long long)start, (unsigned long long)end);
    uint8_t roots[5][32];
    for (int i = 0; i < 5; i++) memset(roots[i], 0x11 * (i + 1), 32);
    uint8_t own_sig[65];
    memset(own_sig, 0x77, 65);
    char *h[6];
    for (int i = 0; i < 5; i++) h[i] = hex(roots[i], 32);
    h[5] = hex(own_sig, 65);
    char *state = fmt("{\"batch_hash\":\"%s\",\"state_hash\":\"%s\",\"prev_state_root\":\"%s\",\"new_state_root\":\"%s\","
                      "\"withdrawal_root\":\"%s\",\"signature\":\"%s\"}",
                      h[0], h[1], h[2], h[3], h[4], h[5]);
    for (int i = 0; i < 6; i++) free(h[i]);
    uint8_t pd[32], enclave[32], psig[65];
    memset(enclave, 0x42, 32);
    mpavs_avs_poe_digest(pd, roots[0], roots[1], roots[2], roots[3], roots[4]);
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    mpavs_ecdsa_sig es;
    long code = -999;
    if (!ctx || mpavs_ecdsa_sign(ctx, &es, pd, enclave) != MPAVS_ECDSA_OK) goto out;
    mpavs_ecdsa_sig_serialize(psig, &es);
    uint8_t q0[1] = {0}, th[1] = {0};
    mpavs_avs_state_header hd = {.committee_id = type, .metadata = (const uint8_t *)meta, .metadata_len = strlen(meta),
                                 .state = (const uint8_t *)state, .state_len = strlen(state), .quorum_numbers = q0,
                                 .quorum_numbers_len = 1, .quorum_thresholds = th, .quorum_thresholds_len = 1,
                                 .reference_block = ref};
    uint8_t digest[32], enc[64];
    mpavs_bn254_g1 sig;
    if (mpavs_avs_state_digest(digest, &hd) || mpavs_bls_sign(&sig, bls, digest)) goto out;
    mpavs_bn254_g1_encode(enc, &sig);
    mpavs_wire_task_request r = {.identifier = type, .metadata = (uint8_t *)meta, .metadata_len = strlen(meta),
                                 .state = (uint8_t *)state, .state_len = strlen(state), .quorum_numbers = q0,
                                 .quorum_numbers_len = 1, .quorum_thresholds = th, .quorum_thresholds_len = 1,
                                 .reference_block = ref, .prover_signature = psig, .prover_signature_len = 65};
    memcpy(r.sig_x, enc, 32);
    memcpy(r.sig_y, enc + 32, 32);
    memcpy(r.operator_id, id, 32);
    char *json = NULL;
    if (mpavs_wire_format_task_request(&json, &r)) goto out;
    char *params = fmt("[%s]", json);
    free(json);
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "aggregator_submitTask", params, &e);
    free(params);
    code = res ? 0 : (e.rpc_code ? e.rpc_code : -1);
    if (!res) fprintf(stderr, "  submit type %llu batch %llu -> %ld %s\n", (unsigned long long)type,
                      (unsigned long long)batch, code, e.message);
    free(res);
    mpavs_error_clear(&e);
out:
    mpavs_ecdsa_ctx_destroy(ctx);
    free(meta);
    free(state);
    return code;
}

/* ---- the world ---- */

/* CommitBatch(uint256,bytes32) */
static const char COMMIT_TOPIC[] = "0x2c32d4ae151744d0bf0b9464a3e897a1d17ed2f1af71f7c9a75f12ce0d28238f";

/* The TaskFetcher part of the config. Scroll lists another topic0 alternative before CommitBatch's
 * (the reference ORs them; only CommitBatch can make a task). */
static char *extra_config(uint64_t start) {
    return fmt(",\"GenTaskSampling\":%d,\"ExecTaskSampling\":%d,\"LineaMaxBlock\":100,\"TaskFetcher\":["
               "{\"Identifier\":1,\"Endpoint\":\"%s\",\"Addresses\":[\"%s\"],\"PresetStartBlock\":%llu,"
               "\"ScanIntervalSecs\":1,\"Topics\":[[\"0x%064x\",\"%s\"]]},"
               "{\"Identifier\":2,\"Endpoint\":\"%s\",\"Addresses\":[\"%s\"],\"PresetStartBlock\":%llu,"
               "\"ScanIntervalSecs\":1}]",
               GEN_SAMPLING, EXEC_SAMPLING, L1.url, standin_hex, (unsigned long long)start, 0xdead, COMMIT_TOPIC,
               L1.url, standin_hex, (unsigned long long)start);
}

TEST(bring_up) {
    world_options o = {.operators = 1};
    REQUIRE(world_up(&W, &o));
    fprintf(stderr, "  world in %s\n", W.dir);
    REQUIRE(harness_anvil_start(&L1, NULL)); /* automine: one block per transaction */
    mpavs_rpc_options ro = {.timeout_ms = 10000};
    l1rpc = mpavs_rpc_create(L1.url, &ro);
    REQUIRE(l1rpc);
    mpavs_error e = {0};
    mpavs_sender_options so = {.poll_interval_ms = 20};
    REQUIRE(mpavs_sender_create(&l1send, &e, l1rpc, W.deployer_key, &so) == MPAVS_SENDER_OK);
    size_t len = 0;
    uint8_t *code = anvil_artifact_code("contracts/out/RollupStandIn.sol/RollupStandIn.json", &len);
    REQUIRE(code);
    uint64_t block = 0;
    bool ok = transact(l1send, NULL, code, len, NULL, &block, standin);
    free(code);
    REQUIRE(ok);
    mpavs_address sa;
    memcpy(sa.bytes, standin, 20);
    mpavs_address_to_checksum(standin_hex, &sa);
    l1_mine(10);
    preset = block; /* preset + 5 <= head: the follower starts there */

    /* the devnet binds quorum 0 to committee 3; move it to committee 1 (Scroll) so that type-1
     * submissions get as far as the operator checks */
    size_t n1 = 0, n2 = 0;
    uint8_t *rm = encode_call(&n1, "removeCommittee(uint256)", "(3)");
    uint8_t *add = encode_call(&n2, "addCommittee((uint256,string,bytes,bytes))", "((1,\"scroll\",0x,0x00))");
    REQUIRE(rm && add);
    ok = transact(W.deployer.sender, W.dep.service_manager.bytes, rm, n1, NULL, NULL, NULL) &&
         transact(W.deployer.sender, W.dep.service_manager.bytes, add, n2, NULL, NULL, NULL);
    free(rm);
    free(add);
    REQUIRE(ok);

    char *extra = extra_config(preset);
    ok = world_start_aggregator(&W, 67, 100000, extra); /* ChainTasks every 100000 L2 blocks: none here */
    free(extra);
    REQUIRE(ok);
    up = true;
}

/* A fetch running in another thread. */
typedef struct {
    uint64_t type, prev;
    unsigned wait;
    char *res;
    long long ms;
} waiter;

static void *wait_fetch(void *arg) {
    waiter *w = arg;
    w->res = fetch(w->type, w->prev, w->wait, &w->ms);
    return NULL;
}

static commit C[7]; /* C[i]: batch i */

TEST(scroll_tasks) {
    REQUIRE(up);
    /* nothing yet */
    char *r = fetch(1, 0, 1, NULL);
    CHECK_STREQ(r, NO_TASK);
    free(r);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"scroll\"}"), 0);

    uint64_t avs0 = head_of(W.rpc);
    /* batch 1: sampled out at generation (1 % 2); batch 2: two chunks, trailing tx bytes, 5 blocks */
    uint64_t b1[] = {500, 501, 502}, b2a[] = {503, 504}, b2b[] = {505, 506, 507};
    char *c1 = chunk_text(b1, 3, 0), *c2a = chunk_text(b2a, 2, 33), *c2b = chunk_text(b2b, 3, 0);
    char *ch1 = fmt("[%s]", c1), *ch2 = fmt("[%s,%s]", c2a, c2b);
    REQUIRE(scroll_commit(&C[1], 1, ch1, 500, 502, false));
    REQUIRE(scroll_commit(&C[2], 2, ch2, 503, 507, false));
    free(c1), free(c2a), free(c2b), free(ch1), free(ch2);

    /* the follower waits for 5 confirmations: 4 blocks on top of batch 2's are not enough */
    l1_mine(4);
    long long ms = 0;
    r = fetch(1, 0, 3, &ms);
    CHECK_STREQ(r, NO_TASK);
    CHECK(ms >= 2800);
    free(r);
    l1_mine(1);
    char *ef = scroll_ext_tpl(&C[2]);
    uint64_t ref2 = expect_task(1, 0, 2, ef, avs0);
    free(ef);
    fprintf(stderr, "  scroll task 2 (reference block %llu)\n", (unsigned long long)ref2);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"scroll\"}"), 1); /* batch 1 made none */

    /* long poll: prev = the current task waits max_wait_secs and answers ok:false */
    r = fetch(1, 2, 2, &ms);
    CHECK_STREQ(r, NO_TASK);
    CHECK(ms >= 1900 && ms < 8000);
    free(r);
    /* a fetch waiting for a task newer than 2 is woken early by a new commit (batch 4; 3 is sampled out) */
    waiter w = {.type = 1, .prev = 2, .wait = 30};
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, wait_fetch, &w) == 0);
    harness_sleep_ms(1500);
    uint64_t avs1 = head_of(W.rpc);
    uint64_t b3[] = {508}, b4[] = {509, 510};
    char *c3 = chunk_text(b3, 1, 0), *c4 = chunk_text(b4, 2, 7);
    char *ch3 = fmt("[%s]", c3), *ch4 = fmt("[%s]", c4);
    bool ok = scroll_commit(&C[3], 3, ch3, 508, 508, true) && scroll_commit(&C[4], 4, ch4, 509, 510, true);
    free(c3), free(c4), free(ch3), free(ch4);
    l1_mine(5);
    pthread_join(th, NULL);
    CHECK(ok);
    fprintf(stderr, "  woken after %lld ms\n", w.ms);
    CHECK(w.ms < 20000);
    json_error_t je;
    json_t *j = w.res ? json_loads(w.res, 0, &je) : NULL;
    CHECK(j && json_is_true(json_object_get(j, "ok")));
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "task_id")), 4);
    json_decref(j);
    free(w.res);
    /* the same task again, byte for byte (committed with commitBatchWithBlobProof) */
    ef = scroll_ext_tpl(&C[4]);
    expect_task(1, 2, 4, ef, avs1);
    free(ef);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"scroll\"}"), 2);
    /* an older prev_task_id gets the latest task at once */
    r = fetch(1, 0, 5, &ms);
    CHECK(r && strstr(r, "\"task_id\":4,") != NULL);
    CHECK(ms < 2000);
    free(r);
}

TEST(scroll_submissions) {
    REQUIRE(up);
    char *r = fetch(1, 3, 1, NULL);
    uint64_t ref = ext_ref(r);
    free(r);
    REQUIRE(ref > 0);
    uint8_t stranger[32];
    memset(stranger, 0xab, 32);
    /* the created batch: past the task checks, to the operator checks */
    CHECK_EQ_INT(submit_l1(1, 4, 509, 510, (uint32_t)ref, stranger, W.ops[0].bls), -32003); /* not registered */
    CHECK_EQ_INT(submit_l1(1, 4, 509, 510, (uint32_t)ref, W.ops[0].id, W.ops[0].bls), -32005); /* no liveness */
    /* another batch (sampled in, never committed), or the right batch at another reference block */
    CHECK_EQ_INT(submit_l1(1, 6, 511, 512, (uint32_t)ref, W.ops[0].id, W.ops[0].bls), -32001);
    CHECK_EQ_INT(submit_l1(1, 4, 509, 510, (uint32_t)ref + 1, W.ops[0].id, W.ops[0].bls), -32001);
    /* batches not divisible by ExecTaskSampling: sampled out (whether or not a task exists) */
    CHECK_EQ_INT(submit_l1(1, 3, 508, 508, (uint32_t)ref, W.ops[0].id, W.ops[0].bls), -32009);
    CHECK_EQ_INT(submit_l1(1, 5, 1, 2, (uint32_t)ref, W.ops[0].id, W.ops[0].bls), -32009);
}

static final F[6];

TEST(linea_tasks) {
    REQUIRE(up);
    uint64_t avs0 = head_of(W.rpc);
    /* F0 has no previous finalization: no task; F1 follows it */
    REQUIRE(linea_finalize(&F[0], 1000, 0, 1));
    REQUIRE(linea_finalize(&F[1], 1050, 1, 2));
    l1_mine(5);
    char *ef = linea_ext_tpl(&F[0], &F[1]);
    uint64_t ref = expect_task(2, 0, 1050, ef, avs0);
    free(ef);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"linea\"}"), 1);
    /* F2 does not start from F1's final root: no task */
    REQUIRE(linea_finalize(&F[2], 1060, 9, 3));
    l1_mine(5);
    long long ms = 0;
    char *r = fetch(2, 1050, 3, &ms);
    CHECK_STREQ(r, NO_TASK);
    free(r);
    /* F3 continues from F2: range 1061..1100 */
    uint64_t avs1 = head_of(W.rpc);
    REQUIRE(linea_finalize(&F[3], 1100, 3, 4));
    l1_mine(5);
    ef = linea_ext_tpl(&F[2], &F[3]);
    expect_task(2, 1050, 1100, ef, avs1);
    free(ef);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"linea\"}"), 2); /* none for F0, F2 */
    /* Linea tasks are named by end_block: 1060 has none; 1100 does (committee 2 has no quorum here) */
    CHECK_EQ_INT(submit_l1(2, 0, 1051, 1060, (uint32_t)ref, W.ops[0].id, W.ops[0].bls), -32001);
    r = fetch(2, 1050, 1, NULL);
    uint64_t ref3 = ext_ref(r);
    free(r);
    long c = submit_l1(2, 0, 1061, 1100, (uint32_t)ref3, W.ops[0].id, W.ops[0].bls);
    CHECK(c != -32001 && c != 0);
}

TEST(restart_keeps_commits) {
    REQUIRE(up);
    int st = harness_proc_stop(&W.agg, SIGTERM, 10000);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* while it is down: batches 5 (sampled out) and 6, finalization F4; then enough blocks that a
     * scan restarting at head - 5 would start past them */
    uint64_t avs0 = head_of(W.rpc);
    uint64_t b5[] = {511}, b6[] = {512, 513, 514};
    char *c5 = chunk_text(b5, 1, 0), *c6 = chunk_text(b6, 3, 1);
    char *ch5 = fmt("[%s]", c5), *ch6 = fmt("[%s]", c6);
    bool ok = scroll_commit(&C[5], 5, ch5, 511, 511, false) && scroll_commit(&C[6], 6, ch6, 512, 514, false) &&
              linea_finalize(&F[4], 1250, 4, 5);
    free(c5), free(c6), free(ch5), free(ch6);
    REQUIRE(ok);
    l1_mine(12);
    char *extra = extra_config(0);
    ok = world_start_aggregator(&W, 67, 100000, extra);
    free(extra);
    REQUIRE(ok);
    /* the restored latest tasks are served at once */
    static const char served[] = "{\"ok\":true,\"task_id\":";
    char *r = fetch(1, 0, 1, NULL);
    CHECK(r && strncmp(r, served, sizeof served - 1) == 0);
    free(r);
    char *ef = scroll_ext_tpl(&C[6]);
    expect_task(1, 4, 6, ef, avs0);
    free(ef);
    /* F4 after F3, found by the look-back (the previous log is not cached across the restart) */
    ef = linea_ext_tpl(&F[3], &F[4]);
    expect_task(2, 1100, 1250, ef, avs0);
    free(ef);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"scroll\"}"), 1);
    CHECK_EQ_INT(metric("avs_aggregator_new_task_counter{type=\"linea\"}"), 1);
    /* and commits after the restart still arrive */
    uint64_t avs1 = head_of(W.rpc);
    REQUIRE(l1_tx("setLastBatchIndex(uint256)", "(7)", NULL, NULL));
    uint64_t b8[] = {600};
    char *c8 = chunk_text(b8, 1, 0), *ch8 = fmt("[%s]", c8);
    commit c;
    ok = scroll_commit(&c, 8, ch8, 600, 600, false);
    free(c8), free(ch8);
    REQUIRE(ok);
    l1_mine(5);
    ef = scroll_ext_tpl(&c);
    expect_task(1, 6, 8, ef, avs1);
    free(ef);
    free(c.batch_data);
}

int main(void) {
    RUN(bring_up);
    RUN(scroll_tasks);
    RUN(scroll_submissions);
    RUN(linea_tasks);
    RUN(restart_keeps_commits);
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) free(C[i].batch_data);
    mpavs_sender_destroy(l1send);
    mpavs_rpc_destroy(l1rpc);
    if (L1.pid) harness_anvil_stop(&L1);
    world_down(&W);
    return harness_summary();
}

/*
 * Integration test of the aggregator's L1 task sources (mpavs/tasksrc.h) on a real anvil:
 * contracts/src/test/RollupStandIn.sol emits CommitBatch (from commitBatch and
 * commitBatchWithBlobProof calldata) and DataFinalized; the follower reads them with
 * confirmations and small windows; Scroll and Linea tasks are checked field by field and
 * their ext JSON byte for byte against strings built here independently.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"

#include "mpavs/abi.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/sender.h"
#include "mpavs/tasksrc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_sender *sender;
static uint8_t key0[32];
static uint8_t standin[20], forwarder[20];

static const uint8_t COMMIT_TOPIC[32] = {0x2c, 0x32, 0xd4, 0xae, 0x15, 0x17, 0x44, 0xd0, 0xbf, 0x0b, 0x94,
                                         0x64, 0xa3, 0xe8, 0x97, 0xa1, 0xd1, 0x7e, 0xd2, 0xf1, 0xaf, 0x71,
                                         0xf7, 0xc9, 0xa7, 0x5f, 0x12, 0xce, 0x0d, 0x28, 0x23, 0x8f};
static const uint8_t FINAL_TOPIC[32] = {0x13, 0x35, 0xf1, 0xa2, 0xb3, 0xff, 0x25, 0xf0, 0x7f, 0x5f, 0xef,
                                        0x07, 0xdd, 0x35, 0xd8, 0xfb, 0x43, 0x12, 0xc3, 0xc7, 0x3b, 0x13,
                                        0x8e, 0x2f, 0xad, 0x93, 0x47, 0xb3, 0x31, 0x9a, 0xb5, 0x3c};

/* ---- helpers ---- */

static char *hex0x(const uint8_t *b, size_t n) { /* "0x…" malloc'd, written here (not the library's) */
    static const char d[] = "0123456789abcdef";
    char *s = malloc(2 * n + 3);
    s[0] = '0';
    s[1] = 'x';
    for (size_t i = 0; i < n; i++) s[2 + 2 * i] = d[b[i] >> 4], s[3 + 2 * i] = d[b[i] & 15];
    s[2 * n + 2] = 0;
    return s;
}

static bool deploy(uint8_t out[20], const char *path) {
    size_t len = 0;
    uint8_t *bc = anvil_artifact_code(path, &len);
    if (!bc) return false;
    mpavs_sender_result res;
    mpavs_error e = {0};
    bool ok = mpavs_sender_send(sender, &res, &e, NULL, NULL, bc, len, 0, NULL, 0) == MPAVS_SENDER_OK && res.success &&
              res.receipt.has_contract_address;
    if (ok) memcpy(out, res.receipt.contract_address, 20);
    mpavs_sender_result_clear(&res);
    mpavs_error_clear(&e);
    free(bc);
    return ok;
}

/* send calldata to `to`; out: tx hash, block */
static bool send_tx(uint8_t tx[32], uint64_t *block, const uint8_t to[20], const uint8_t *data, size_t len) {
    mpavs_sender_result res;
    mpavs_error e = {0};
    bool ok = mpavs_sender_send(sender, &res, &e, to, NULL, data, len, 500000, NULL, 0) == MPAVS_SENDER_OK && res.success;
    if (ok) {
        memcpy(tx, res.tx_hash, 32);
        if (block) *block = res.block_number;
    }
    mpavs_sender_result_clear(&res);
    mpavs_error_clear(&e);
    return ok;
}

static void mine(unsigned n) {
    char p[32], *res = NULL;
    snprintf(p, sizeof p, "[\"0x%x\"]", n);
    if (mpavs_rpc_call(rpc, &res, NULL, "anvil_mine", p) == MPAVS_RPC_OK) free(res);
}

static uint64_t head(void) {
    uint64_t h = 0;
    if (mpavs_rpc_block_number(rpc, &h, NULL)) return 0;
    return h;
}

/* A chunk: numBlocks byte, then the given 60-byte block contexts, then `extra` trailing bytes.
 * nblocks may differ from the number of contexts (malformed chunks). Out: "0x…" text. */
static void chunk(char *out, size_t cap, unsigned nblocks, const uint64_t *numbers, size_t nctx, size_t extra) {
    size_t len = 1 + 60 * nctx + extra;
    uint8_t *b = calloc(1, len);
    b[0] = (uint8_t)nblocks;
    for (size_t i = 0; i < nctx; i++) {
        uint8_t *c = b + 1 + 60 * i;
        for (int k = 0; k < 8; k++) c[k] = (uint8_t)(numbers[i] >> (56 - 8 * k));
        memset(c + 8, 0xa0 + (int)i, 52); /* timestamp, base fee, gas limit, tx counts */
    }
    memset(b + 1 + 60 * nctx, 0x5c, extra);
    char *h = hex0x(b, len);
    snprintf(out, cap, "%s", h);
    free(h);
    free(b);
}

/* All logs the follower can see now (polling until caught up). */
static mpavs_rpc_log *drain(mpavs_tasksrc_follower *f, size_t *n, int *polls) {
    mpavs_rpc_log *all = NULL;
    *n = 0;
    *polls = 0;
    for (;;) {
        uint64_t before = mpavs_tasksrc_follower_next(f);
        mpavs_rpc_log *logs;
        size_t k;
        mpavs_error e = {0};
        if (mpavs_tasksrc_follower_poll(f, &logs, &k, &e) != MPAVS_TASKSRC_OK) {
            fprintf(stderr, "poll: %s\n", e.message);
            mpavs_error_clear(&e);
            break;
        }
        (*polls)++;
        if (k) {
            all = realloc(all, (*n + k) * sizeof *all);
            memcpy(all + *n, logs, k * sizeof *logs);
            *n += k;
            free(logs); /* the data pointers moved into all */
        }
        if (mpavs_tasksrc_follower_next(f) == before) break;
    }
    return all;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

/* ---- Scroll ---- */

typedef struct {
    const char *name;
    bool blob;       /* commitBatchWithBlobProof */
    bool forwarded;  /* through CommitForwarder */
    char chunks[2048];
    int want;        /* expected result */
    uint64_t start, end;
    uint8_t *data;   /* calldata sent */
    size_t len;
    uint8_t tx[32];
} scroll_case;

TEST(scroll_tasks) {
    static scroll_case cs[8];
    size_t nc = 0;
    char a[600], b[600];
    uint64_t n1[] = {100, 101, 102}, n2[] = {103, 104}, n3[] = {200}, n4[] = {300, 301}, n5[] = {400, 399};
    /* multi-chunk, trailing transaction bytes after the contexts */
    chunk(a, sizeof a, 3, n1, 3, 17);
    chunk(b, sizeof b, 2, n2, 2, 0);
    cs[nc] = (scroll_case){.name = "multi-chunk", .want = MPAVS_TASKSRC_OK, .start = 100, .end = 104};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s,%s]", a, b);
    /* single block, blob proof entry point */
    chunk(a, sizeof a, 1, n3, 1, 0);
    cs[nc] = (scroll_case){.name = "single-block", .blob = true, .want = MPAVS_TASKSRC_OK, .start = 200, .end = 200};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s]", a);
    /* an empty chunk after a good one */
    chunk(a, sizeof a, 2, n4, 2, 0);
    cs[nc] = (scroll_case){.name = "empty-chunk", .want = MPAVS_TASKSRC_ERR_CHUNK};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s,0x]", a);
    /* a chunk with zero blocks */
    cs[nc] = (scroll_case){.name = "zero-blocks", .want = MPAVS_TASKSRC_ERR_CHUNK};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[0x00]");
    /* claims 3 blocks, holds 2 contexts (one byte short of a third would still be short) */
    chunk(a, sizeof a, 3, n4, 2, 59);
    cs[nc] = (scroll_case){.name = "truncated-chunk", .want = MPAVS_TASKSRC_ERR_CHUNK};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s]", a);
    /* block numbers going backwards */
    chunk(a, sizeof a, 2, n5, 2, 0);
    cs[nc] = (scroll_case){.name = "decreasing", .want = MPAVS_TASKSRC_ERR_CHUNK};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s]", a);
    /* no chunks at all */
    cs[nc] = (scroll_case){.name = "no-chunks", .blob = true, .want = MPAVS_TASKSRC_ERR_CHUNK};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[]");
    /* a good batch committed through another contract */
    chunk(a, sizeof a, 1, n3, 1, 0);
    cs[nc] = (scroll_case){.name = "forwarded", .forwarded = true, .want = MPAVS_TASKSRC_ERR_NOT_DIRECT};
    snprintf(cs[nc++].chunks, sizeof cs[0].chunks, "[%s]", a);

    uint64_t first_block = head() + 1;
    char *sa = hex0x(standin, 20);
    for (size_t i = 0; i < nc; i++) {
        scroll_case *c = &cs[i];
        if (c->forwarded) {
            const char *args[] = {sa, c->chunks};
            c->data = harness_calldata(&c->len, "forward(address,bytes[])", args, 2);
        } else if (c->blob) {
            const char *args[] = {"3", "0x00000000000000000001", c->chunks, "0x", "0xb10b"};
            c->data = harness_calldata(&c->len, "commitBatchWithBlobProof(uint8,bytes,bytes[],bytes,bytes)", args, 5);
        } else {
            const char *args[] = {"0", "0x00000000000000000001", c->chunks, "0x0102"};
            c->data = harness_calldata(&c->len, "commitBatch(uint8,bytes,bytes[],bytes)", args, 4);
        }
        REQUIRE(c->data);
        REQUIRE(send_tx(c->tx, NULL, c->forwarded ? forwarder : standin, c->data, c->len));
    }
    free(sa);
    uint64_t last_block = head();

    /* follow with 5 confirmations and windows of 3 blocks: nothing newer than head - 5 */
    mpavs_tasksrc_follower_options o;
    mpavs_tasksrc_follower_options_init(&o);
    CHECK_EQ_INT(o.confirmations, 5);
    CHECK_EQ_INT(o.max_window, 100);
    const uint8_t(*addrs)[20] = &standin;
    o.addresses = addrs;
    o.naddresses = 1;
    o.topics[0] = COMMIT_TOPIC;
    o.ntopics = 1;
    o.max_window = 3;
    o.start_block = first_block;
    mpavs_tasksrc_follower *f;
    REQUIRE(mpavs_tasksrc_follower_create(&f, rpc, &o) == MPAVS_TASKSRC_OK);
    size_t n;
    int polls;
    mpavs_rpc_log *logs = drain(f, &n, &polls);
    CHECK_EQ_INT(mpavs_tasksrc_follower_next(f), last_block - 5 + 1);
    CHECK_EQ_INT(n, last_block - 5 - first_block + 1); /* one commit per block */
    for (size_t i = 0; i < n; i++) CHECK_EQ_INT(logs[i].block_number, first_block + i);
    mpavs_rpc_logs_free(logs, n);
    /* restart from the persisted next block: the rest arrives once confirmed, none twice */
    uint64_t saved = mpavs_tasksrc_follower_next(f);
    mpavs_tasksrc_follower_destroy(f);
    REQUIRE(mpavs_tasksrc_follower_create(&f, rpc, &o) == MPAVS_TASKSRC_OK);
    mpavs_tasksrc_follower_set_next(f, saved);
    mine(4);
    logs = drain(f, &n, &polls);
    CHECK_EQ_INT(n, 4);
    mpavs_rpc_logs_free(logs, n);
    mine(1);
    logs = drain(f, &n, &polls);
    CHECK_EQ_INT(n, 1);
    mpavs_rpc_logs_free(logs, n);
    CHECK_EQ_INT(mpavs_tasksrc_follower_next(f), last_block + 1);
    mpavs_tasksrc_follower_destroy(f);

    /* everything again from the start in one pass of 100-block windows, then build the tasks */
    o.max_window = 100;
    REQUIRE(mpavs_tasksrc_follower_create(&f, rpc, &o) == MPAVS_TASKSRC_OK);
    logs = drain(f, &n, &polls);
    mpavs_tasksrc_follower_destroy(f);
    CHECK_EQ_INT(n, nc); /* the forwarded commit is emitted by standin too */
    REQUIRE(n == nc);
    uint64_t ref = head() - 1;
    for (size_t i = 0; i < nc; i++) {
        scroll_case *c = &cs[i];
        CHECK_MEMEQ(logs[i].tx_hash, c->tx, 32);
        uint64_t idx = 0;
        mpavs_error e = {0};
        CHECK_EQ_INT(mpavs_tasksrc_scroll_batch_index(&idx, &e, &logs[i]), MPAVS_TASKSRC_OK);
        CHECK_EQ_INT(idx, i + 1);
        mpavs_tasksrc_task t;
        int r = mpavs_tasksrc_scroll_task(rpc, &t, &e, &logs[i], ref);
        if (r != c->want) fprintf(stderr, "case %s: %s (%s)\n", c->name, mpavs_tasksrc_strerror(r), e.message);
        CHECK_EQ_INT(r, c->want);
        if (r == MPAVS_TASKSRC_OK) {
            CHECK_EQ_INT(t.task_type, 1);
            CHECK_EQ_INT(t.task_id, i + 1);
            CHECK_EQ_INT(t.start_block, c->start);
            CHECK_EQ_INT(t.end_block, c->end);
            CHECK_EQ_INT(t.reference_block, ref);
            CHECK(t.batch_data_len == c->len - 4 && !memcmp(t.batch_data, c->data + 4, c->len - 4));
            char *bd = hex0x(c->data + 4, c->len - 4), *txh = hex0x(c->tx, 32);
            char *want = fmt("{\"start_block\":\"0x%llx\",\"end_block\":\"0x%llx\",\"batch_data\":\"%s\","
                             "\"commit_tx\":\"%s\",\"reference_block_number\":%llu}",
                             (unsigned long long)c->start, (unsigned long long)c->end, bd, txh,
                             (unsigned long long)ref);
            CHECK_STREQ(t.ext_json, want);
            CHECK_EQ_INT(t.ext_json_len, strlen(want));
            free(bd);
            free(txh);
            free(want);
        } else {
            CHECK(t.ext_json == NULL && t.batch_data == NULL && e.message[0]);
        }
        mpavs_tasksrc_task_clear(&t);
        mpavs_error_clear(&e);
    }
    /* the single-block case in exact text: start = end = 0xc8 */
    {
        mpavs_tasksrc_task t;
        mpavs_error e = {0};
        REQUIRE(mpavs_tasksrc_scroll_task(rpc, &t, &e, &logs[1], 7) == MPAVS_TASKSRC_OK);
        static const char head_text[] = "{\"start_block\":\"0xc8\",\"end_block\":\"0xc8\",\"batch_data\":\"0x";
        CHECK(!strncmp(t.ext_json, head_text, sizeof head_text - 1));
        CHECK(strstr(t.ext_json, "\",\"reference_block_number\":7}") != NULL);
        mpavs_tasksrc_task_clear(&t);
    }
    /* a log whose transaction the node does not know */
    {
        mpavs_rpc_log fake = logs[0];
        memset(fake.tx_hash, 0xee, 32);
        mpavs_tasksrc_task t;
        mpavs_error e = {0};
        CHECK_EQ_INT(mpavs_tasksrc_scroll_task(rpc, &t, &e, &fake, 1), MPAVS_TASKSRC_ERR_TX_NOT_FOUND);
        /* a log of another event */
        fake = logs[0];
        fake.topics[0][0] ^= 1;
        CHECK_EQ_INT(mpavs_tasksrc_scroll_task(rpc, &t, &e, &fake, 1), MPAVS_TASKSRC_ERR_LOG);
        mpavs_error_clear(&e);
    }
    /* GenTaskSampling over the batch indexes */
    CHECK(mpavs_tasksrc_scroll_gen_sampling_ok(2, 2) && !mpavs_tasksrc_scroll_gen_sampling_ok(3, 2));
    mpavs_rpc_logs_free(logs, n);
    for (size_t i = 0; i < nc; i++) free(cs[i].data);
}

/* ---- Linea ---- */

static void root(uint8_t out[32], int k) {
    memset(out, 0, 32);
    out[0] = 0xf0;
    out[31] = (uint8_t)k;
}

static uint8_t *finalize_data(size_t *len, uint64_t last, int start_root, int final_root) {
    char l[24], s[80], fr[80];
    uint8_t r[32];
    snprintf(l, sizeof l, "%llu", (unsigned long long)last);
    root(r, start_root);
    char *h = hex0x(r, 32);
    snprintf(s, sizeof s, "%s", h);
    free(h);
    root(r, final_root);
    h = hex0x(r, 32);
    snprintf(fr, sizeof fr, "%s", h);
    free(h);
    const char *args[] = {l, s, fr};
    return harness_calldata(len, "finalize(uint256,bytes32,bytes32)", args, 3);
}

static char *linea_ext(uint64_t start, uint64_t end, const uint8_t tx[32], const uint8_t ptx[32], int prev_root,
                       int final_root, uint64_t ref) {
    uint8_t r1[32], r2[32];
    root(r1, prev_root);
    root(r2, final_root);
    char *a = hex0x(tx, 32), *b = hex0x(ptx, 32), *c = hex0x(r1, 32), *d = hex0x(r2, 32);
    char *s = fmt("{\"start_block\":\"0x%llx\",\"end_block\":\"0x%llx\",\"commit_tx\":\"%s\",\"prev_commit_tx\":\"%s\","
                  "\"prev_batch_final_state_root\":\"%s\",\"final_state_root\":\"%s\",\"reference_block_number\":%llu}",
                  (unsigned long long)start, (unsigned long long)end, a, b, c, d, (unsigned long long)ref);
    free(a);
    free(b);
    free(c);
    free(d);
    return s;
}

TEST(linea_tasks) {
    uint8_t tx[8][32];
    size_t len;
    uint8_t *d;
    uint64_t first_block = head() + 1;
    /* F0: first finalization (no previous log), then 250 empty blocks so the look-back needs 3 windows */
    d = finalize_data(&len, 1000, 0, 1);
    REQUIRE(send_tx(tx[0], NULL, standin, d, len));
    free(d);
    mine(250);
    d = finalize_data(&len, 1050, 1, 2); /* F1: sequential */
    REQUIRE(send_tx(tx[1], NULL, standin, d, len));
    free(d);
    d = finalize_data(&len, 1300, 2, 3); /* F2: 250 blocks, clamped to 100 */
    REQUIRE(send_tx(tx[2], NULL, standin, d, len));
    free(d);
    d = finalize_data(&len, 1310, 9, 4); /* F3: starting root 9 != 3: not sequential */
    REQUIRE(send_tx(tx[3], NULL, standin, d, len));
    free(d);
    { /* F4a, F4b in one transaction */
        char r4[80], r5[80], r6[80];
        uint8_t r[32];
        char *h;
        root(r, 4), h = hex0x(r, 32), snprintf(r4, sizeof r4, "%s", h), free(h);
        root(r, 5), h = hex0x(r, 32), snprintf(r5, sizeof r5, "%s", h), free(h);
        root(r, 6), h = hex0x(r, 32), snprintf(r6, sizeof r6, "%s", h), free(h);
        const char *args[] = {"1400", r4, r5, "1420", r6};
        d = harness_calldata(&len, "finalizeTwice(uint256,bytes32,bytes32,uint256,bytes32)", args, 5);
        REQUIRE(send_tx(tx[4], NULL, standin, d, len));
        free(d);
    }
    d = finalize_data(&len, 1420, 6, 7); /* F5: sequential roots, but does not advance */
    REQUIRE(send_tx(tx[5], NULL, standin, d, len));
    free(d);
    mine(5);

    mpavs_tasksrc_follower_options o;
    mpavs_tasksrc_follower_options_init(&o);
    const uint8_t(*addrs)[20] = &standin;
    o.addresses = addrs;
    o.naddresses = 1;
    o.topics[0] = FINAL_TOPIC;
    o.ntopics = 1;
    o.start_block = first_block;
    mpavs_tasksrc_follower *f;
    REQUIRE(mpavs_tasksrc_follower_create(&f, rpc, &o) == MPAVS_TASKSRC_OK);
    size_t n;
    int polls;
    mpavs_rpc_log *logs = drain(f, &n, &polls);
    mpavs_tasksrc_follower_destroy(f);
    CHECK(polls >= 3); /* 250+ blocks in 100-block windows */
    REQUIRE(n == 7);
    CHECK(logs[4].block_number == logs[5].block_number && logs[4].log_index < logs[5].log_index);
    const uint8_t *ltx[7] = {tx[0], tx[1], tx[2], tx[3], tx[4], tx[4], tx[5]};
    for (size_t i = 0; i < n; i++) CHECK_MEMEQ(logs[i].tx_hash, ltx[i], 32);

    uint64_t ref = head() - 1;
    mpavs_error e = {0};
    mpavs_tasksrc_task t;
    mpavs_rpc_log cached = {0};
    bool have = false;
    /* the daemon's loop: cached previous log, look-back when it does not fit */
    int want[7] = {MPAVS_TASKSRC_ERR_NO_PREVIOUS, MPAVS_TASKSRC_OK, MPAVS_TASKSRC_OK, MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL,
                   MPAVS_TASKSRC_OK, MPAVS_TASKSRC_OK, MPAVS_TASKSRC_ERR_RANGE};
    char *exp[7] = {0};
    exp[1] = linea_ext(1001, 1050, tx[1], tx[0], 1, 2, ref);
    exp[2] = linea_ext(1201, 1300, tx[2], tx[1], 2, 3, ref);
    exp[4] = linea_ext(1311, 1400, tx[4], tx[3], 4, 5, ref);
    exp[5] = linea_ext(1401, 1420, tx[4], tx[4], 5, 6, ref);
    uint64_t ids[7] = {0, 1050, 1300, 0, 1400, 1420, 0};
    for (size_t i = 0; i < n; i++) {
        int r = mpavs_tasksrc_linea_task_from_log(rpc, &t, &e, have ? &cached : NULL, &logs[i], first_block, 100, ref);
        if (r != want[i]) fprintf(stderr, "linea log %zu: %s (%s)\n", i, mpavs_tasksrc_strerror(r), e.message);
        CHECK_EQ_INT(r, want[i]);
        if (r == MPAVS_TASKSRC_OK) {
            CHECK_EQ_INT(t.task_type, 2);
            CHECK_EQ_INT(t.task_id, ids[i]);
            CHECK_EQ_INT(t.end_block, ids[i]);
            CHECK_STREQ(t.ext_json, exp[i]);
            CHECK(t.batch_data == NULL);
        } else CHECK(t.ext_json == NULL && e.message[0]);
        mpavs_tasksrc_task_clear(&t);
        mpavs_tasksrc_log_clear(&cached);
        REQUIRE(mpavs_tasksrc_log_copy(&cached, &logs[i]) == MPAVS_TASKSRC_OK);
        have = true;
    }
    mpavs_tasksrc_log_clear(&cached);

    /* without a cache: every previous log comes from the look-back (F1 needs three windows) */
    for (size_t i = 1; i < n; i++) {
        int r = mpavs_tasksrc_linea_task_from_log(rpc, &t, &e, NULL, &logs[i], first_block, 100, ref);
        CHECK_EQ_INT(r, want[i]);
        if (r == MPAVS_TASKSRC_OK) CHECK_STREQ(t.ext_json, exp[i]);
        mpavs_tasksrc_task_clear(&t);
    }
    /* look-back bounded by min_block: F0 is below it */
    mpavs_rpc_log prev;
    CHECK_EQ_INT(mpavs_tasksrc_linea_lookback(rpc, &prev, &e, &logs[1], logs[0].block_number + 1),
                 MPAVS_TASKSRC_ERR_NO_PREVIOUS);
    CHECK(strstr(e.message, "no DataFinalized log") != NULL);
    CHECK_EQ_INT(mpavs_tasksrc_linea_lookback(rpc, &prev, &e, &logs[1], logs[0].block_number), MPAVS_TASKSRC_OK);
    CHECK_MEMEQ(prev.tx_hash, tx[0], 32);
    mpavs_tasksrc_log_clear(&prev);
    /* same block: F4b's previous is F4a */
    CHECK_EQ_INT(mpavs_tasksrc_linea_lookback(rpc, &prev, &e, &logs[5], first_block), MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(prev.log_index, logs[4].log_index);
    mpavs_tasksrc_log_clear(&prev);
    /* the clamp off: the whole range */
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &logs[1], &logs[2], 0, ref), MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(t.start_block, 1051);
    mpavs_tasksrc_task_clear(&t);
    /* a Scroll log is not a DataFinalized log */
    mpavs_rpc_log other = logs[2];
    other.ntopics = 3;
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &logs[1], &other, 100, ref), MPAVS_TASKSRC_ERR_LOG);
    mpavs_error_clear(&e);
    for (int i = 0; i < 7; i++) free(exp[i]);
    mpavs_rpc_logs_free(logs, n);
}

TEST(rpc_failures_keep_next) {
    int port = harness_free_port();
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    mpavs_rpc_options ro = {.max_retries = 0, .timeout_ms = 2000};
    mpavs_rpc *dead = mpavs_rpc_create(url, &ro);
    REQUIRE(dead);
    mpavs_tasksrc_follower_options o;
    mpavs_tasksrc_follower_options_init(&o);
    o.start_block = 42;
    mpavs_tasksrc_follower *f;
    REQUIRE(mpavs_tasksrc_follower_create(&f, dead, &o) == MPAVS_TASKSRC_OK);
    mpavs_rpc_log *logs = (mpavs_rpc_log *)1;
    size_t n = 9;
    mpavs_error e = {0};
    CHECK_EQ_INT(mpavs_tasksrc_follower_poll(f, &logs, &n, &e), MPAVS_TASKSRC_ERR_RPC);
    CHECK(logs == NULL && n == 0);
    CHECK_EQ_INT(mpavs_tasksrc_follower_next(f), 42);
    CHECK_EQ_INT(e.rpc_code, 0);
    CHECK(strstr(e.message, "eth_blockNumber") != NULL);
    /* Scroll and Linea builders report the RPC failure too */
    mpavs_rpc_log l = {0};
    memcpy(l.topics[0], COMMIT_TOPIC, 32);
    l.ntopics = 3;
    mpavs_tasksrc_task t;
    CHECK_EQ_INT(mpavs_tasksrc_scroll_task(dead, &t, &e, &l, 1), MPAVS_TASKSRC_ERR_RPC);
    memcpy(l.topics[0], FINAL_TOPIC, 32);
    l.ntopics = 4;
    l.block_number = 10;
    CHECK_EQ_INT(mpavs_tasksrc_linea_task_from_log(dead, &t, &e, NULL, &l, 0, 100, 1), MPAVS_TASKSRC_ERR_RPC);
    mpavs_error_clear(&e);
    mpavs_tasksrc_follower_destroy(f);
    mpavs_rpc_destroy(dead);
    /* head below the confirmations: nothing to read, next unchanged */
    o.start_block = 0;
    o.confirmations = 1u << 30;
    REQUIRE(mpavs_tasksrc_follower_create(&f, rpc, &o) == MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(mpavs_tasksrc_follower_poll(f, &logs, &n, &e), MPAVS_TASKSRC_OK);
    CHECK(n == 0 && logs == NULL && mpavs_tasksrc_follower_next(f) == 0);
    mpavs_tasksrc_follower_destroy(f);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (system("cd \"${MPAVS_ROOT:-.}/contracts\" && ../.tools/bin/forge build --offline >/dev/null 2>&1") != 0)
        fprintf(stderr, "forge build failed\n");
    if (!harness_anvil_start(&anvil, NULL)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    mpavs_error e = {0};
    mpavs_sender_options so = {.poll_interval_ms = 20};
    if (harness_unhex(key0, 32, ANVIL_KEY0) != 32 || mpavs_sender_create(&sender, &e, rpc, key0, &so) != 0 ||
        !deploy(standin, "contracts/out/RollupStandIn.sol/RollupStandIn.json") ||
        !deploy(forwarder, "contracts/out/RollupStandIn.sol/CommitForwarder.json")) {
        fprintf(stderr, "setup failed: %s\n", e.message);
        printf("0 passed, 1 failed\n");
        harness_anvil_stop(&anvil);
        return 1;
    }
    RUN(scroll_tasks);
    RUN(linea_tasks);
    RUN(rpc_failures_keep_next);
    mpavs_sender_destroy(sender);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

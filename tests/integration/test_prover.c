/*
 * Integration test of mpavs-prover: a real anvil (the proven chain) and the real daemon
 * (build/mpavs-prover, or $MPAVS_DAEMON_BUILD/mpavs-prover, fork/exec with a generated config and a
 * devnet CA on a free port; killed at exit, on signals, and by PR_SET_PDEATHSIG if this process
 * dies). Talks to it with the library's JSON-RPC client and with raw HTTP for hostile input.
 *
 * Type-3 tasks: the prover re-executes every block from the checkpoint (block 1: anvil's genesis
 * carries the empty state root) under a workload of transfers and a contract's storage writes and
 * deletions; each answer must be anvil's state root with a valid PoE, old blocks (before the kept
 * ring of 16) are re-executed from the checkpoint, after an anvil_reorg the new canonical root is
 * answered (event=reanchor); behind a lying node (tests/support/rpcproxy: forged stateRoot with a
 * consistent hash, altered raw transaction, altered code) the block is refused with 15001 and
 * nothing is signed.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"
#include "rpcproxy.h"

#include "mpavs/avs.h"
#include "mpavs/dcap.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/witness.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pid_t pid;
    int port;
    char url[64];
} prover_proc;

static harness_anvil anvil;
static mpavs_rpc *chain;
static char tmpdir[128];
static prover_proc prover, bad_prover;
static mpavs_rpc *rpc;
static mpavs_address enclave; /* learned from the quote's REPORTDATA */
static bool have_enclave;
static uint64_t ckpt_number; /* the checkpoint: block 1 */
static uint8_t ckpt_hash[32];

static void kill_provers(void) {
    prover_proc *ps[2] = {&prover, &bad_prover};
    for (int i = 0; i < 2; i++)
        if (ps[i]->pid > 0) {
            kill(ps[i]->pid, SIGKILL);
            waitpid(ps[i]->pid, NULL, 0);
            ps[i]->pid = 0;
        }
}

static void on_signal(int sig) {
    if (prover.pid > 0) kill(prover.pid, SIGKILL);
    if (bad_prover.pid > 0) kill(bad_prover.pid, SIGKILL);
    if (anvil.pid > 0) kill(anvil.pid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void hex32(char out[67], const uint8_t b[32]) {
    if (mpavs_hex_encode(out, 67, b, 32, true)) out[0] = 0;
}

/* The daemon's binary: $MPAVS_DAEMON_BUILD/mpavs-prover (e.g. build/tsan) or build/mpavs-prover. */
static void prover_bin(char *out, size_t cap) {
    const char *root = getenv("MPAVS_ROOT"), *dbuild = getenv("MPAVS_DAEMON_BUILD");
    snprintf(out, cap, "%s/%s/mpavs-prover", root ? root : ".", dbuild && *dbuild ? dbuild : "build");
}

/* Write a config and start the daemon; wait until it answers prover_metadata. extra: more members
   of the "chain" object (",\"hardfork\":\"london\"", or NULL). */
static char attest_override[512]; /* the "attestation" object to use instead of devnet, when set */

static bool start_prover(prover_proc *pp, const char *name, const char *chain_url, uint64_t ck_number,
                         const uint8_t ck_hash[32], const char *extra) {
    char cfg[256], ch[67], logp[256], att[600];
    snprintf(att, sizeof att, "{\"provider\":\"devnet\",\"devnet_ca_dir\":\"%s/ca\"}", tmpdir);
    if (attest_override[0]) snprintf(att, sizeof att, "%s", attest_override);
    snprintf(cfg, sizeof cfg, "%s/%s.json", tmpdir, name);
    snprintf(logp, sizeof logp, "%s/%s.log", tmpdir, name);
    hex32(ch, ck_hash);
    for (int attempt = 0; attempt < 3; attempt++) {
        pp->port = harness_free_port();
        FILE *f = fopen(cfg, "w");
        if (!f) return false;
        fprintf(f,
                "{\"listen\":\"127.0.0.1:%d\",\"log_level\":\"debug\",\"server\":{\"body_limit\":1048576},"
                "\"attestation\":%s,"
                "\"chain\":{\"rpc_url\":\"%s\",\"chain_id\":31337,\"checkpoint_number\":%llu,\"checkpoint_hash\":\"%s\"%s}}\n",
                pp->port, att, chain_url, (unsigned long long)ck_number, ch, extra ? extra : "");
        fclose(f);
        char bin[4096];
        prover_bin(bin, sizeof bin);
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            FILE *lf = freopen(logp, "a", stderr);
            (void)lf;
            execl(bin, bin, "--config", cfg, (char *)NULL);
            _exit(127);
        }
        if (pid < 0) return false;
        pp->pid = pid;
        snprintf(pp->url, sizeof pp->url, "http://127.0.0.1:%d", pp->port);
        mpavs_rpc_options o = {.timeout_ms = 2000, .max_retries = 0};
        mpavs_rpc *c = mpavs_rpc_create(pp->url, &o);
        for (int i = 0; i < 100 && c; i++) {
            char *res = NULL;
            mpavs_error e = {0};
            if (mpavs_rpc_call(c, &res, &e, "prover_metadata", "[]") == MPAVS_RPC_OK) {
                free(res);
                mpavs_rpc_destroy(c);
                return true;
            }
            mpavs_error_clear(&e);
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) {
                pp->pid = 0;
                break; /* died (port taken?): retry */
            }
            sleep_ms(100);
        }
        mpavs_rpc_destroy(c);
        if (pp->pid > 0) {
            kill(pp->pid, SIGKILL);
            waitpid(pp->pid, NULL, 0);
            pp->pid = 0;
        }
    }
    return false;
}

/* JSON-RPC call; returns the parsed result (or NULL with *code / msg set). */
static json_t *call(mpavs_rpc *c, const char *method, const char *params, long *code, char *msg, size_t cap) {
    char *res = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_call(c, &res, &e, method, params);
    *code = 0;
    if (r) {
        *code = r == MPAVS_RPC_ERR_RPC ? e.rpc_code : -1;
        snprintf(msg, cap, "%s", e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    json_t *j = json_loads(res, JSON_DECODE_ANY, NULL);
    free(res);
    return j;
}

static bool jhex(json_t *v, uint8_t *out, size_t n) {
    const char *s = json_string_value(v);
    return s && strncmp(s, "0x", 2) == 0 && strlen(s) == 2 + 2 * n && mpavs_hex_decode_exact(out, n, s) == 0;
}

TEST(metadata) {
    long code;
    char msg[512];
    json_t *j = call(rpc, "prover_metadata", "[]", &code, msg, sizeof msg);
    REQUIRE(j);
    CHECK(json_is_false(json_object_get(j, "with_context")));
    CHECK(json_is_string(json_object_get(j, "version")));
    json_t *twc = json_object_get(j, "task_with_context");
    CHECK(json_is_boolean(json_object_get(twc, "1")) && json_is_boolean(json_object_get(twc, "2")));
    json_decref(j);
}

static bool fetch_quote(const char *param_hex, uint8_t **q, size_t *qlen) {
    char params[300];
    snprintf(params, sizeof params, "[\"%s\"]", param_hex);
    long code;
    char msg[512];
    json_t *j = call(rpc, "generateAttestationReport", params, &code, msg, sizeof msg);
    const char *s = json_string_value(j);
    bool ok = false;
    if (s && strncmp(s, "0x", 2) == 0) {
        size_t cap = strlen(s) / 2;
        *q = malloc(cap);
        ok = *q && mpavs_hex_decode(*q, cap, qlen, s, strlen(s)) == 0;
    }
    json_decref(j);
    return ok;
}

TEST(attestation_report) {
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t rl = 0, cl = 0;
    const uint8_t *root = mpavs_dcap_devnet_root_der(ca, &rl);
    const char *coll = mpavs_dcap_devnet_collateral(ca, &cl);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, root, rl, false) == MPAVS_DCAP_OK);

    /* as the Go operator sends it: 32 zero bytes ‖ dataHash */
    uint8_t mine[32];
    for (int i = 0; i < 32; i++) mine[i] = (uint8_t)(0xa0 + i);
    char param[140] = "0x";
    for (int i = 0; i < 32; i++) strcat(param, "00");
    if (mpavs_hex_encode(param + 66, sizeof param - 66, mine, 32, false)) param[0] = 0;
    uint8_t *q = NULL;
    size_t ql = 0;
    REQUIRE(fetch_quote(param, &q, &ql));
    bool ok = false;
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, (int64_t)time(NULL)), MPAVS_DCAP_OK);
    if (!ok) fprintf(stderr, "  verdict: %s\n", vd.detail);
    CHECK(ok);
    if (ok) {
        const uint8_t *rd = mpavs_dcap_report_data(&vd.quote);
        static const uint8_t zero[12];
        CHECK_MEMEQ(rd, zero, 12);
        CHECK_MEMEQ(rd + 32, mine, 32);
        memcpy(enclave.bytes, rd + 12, 20);
        static const uint8_t zero20[20];
        CHECK(memcmp(enclave.bytes, zero20, 20) != 0);
        have_enclave = true;
        char a[43];
        mpavs_address_to_checksum(a, &enclave);
        printf("  enclave address from REPORTDATA: %s, quote %zu bytes\n", a, ql);
    }
    free(q);

    /* short report data is right-aligned; the first 32 bytes are replaced */
    q = NULL;
    REQUIRE(fetch_quote("0x1234", &q, &ql));
    CHECK_EQ_INT(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, (int64_t)time(NULL)), MPAVS_DCAP_OK);
    CHECK(ok);
    if (ok && have_enclave) {
        const uint8_t *rd = mpavs_dcap_report_data(&vd.quote);
        CHECK_MEMEQ(rd + 12, enclave.bytes, 20);
        CHECK(rd[62] == 0x12 && rd[63] == 0x34 && rd[61] == 0 && rd[32] == 0);
    }
    free(q);

    /* 65 bytes: 14002; not hex: invalid params */
    long code;
    char msg[512];
    char big[200] = "[\"0x";
    for (int i = 0; i < 65; i++) strcat(big, "ab");
    strcat(big, "\"]");
    CHECK(call(rpc, "generateAttestationReport", big, &code, msg, sizeof msg) == NULL);
    CHECK_EQ_INT(code, 14002);
    CHECK(call(rpc, "generateAttestationReport", "[\"0xzz\"]", &code, msg, sizeof msg) == NULL);
    CHECK_EQ_INT(code, -32602);
    CHECK(call(rpc, "generateAttestationReport", "[42]", &code, msg, sizeof msg) == NULL);
    CHECK_EQ_INT(code, -32602);
    mpavs_dcap_verifier_destroy(v);
    mpavs_dcap_devnet_free(ca);
}

static void chain_rpc(const char *method, const char *params) {
    char *res = NULL;
    mpavs_error e = {0};
    if (mpavs_rpc_call(chain, &res, &e, method, params) == MPAVS_RPC_OK) free(res);
    mpavs_error_clear(&e);
}

/* Prove block n and check everything against anvil. */
static void check_prove(uint64_t n) {
    char params[128];
    snprintf(params, sizeof params, "[{\"task_type\":3,\"start\":%llu,\"end\":%llu,\"from\":\"0x00\"}]",
             (unsigned long long)n, (unsigned long long)n);
    long code;
    char msg[512];
    json_t *j = call(rpc, "prover_proveTask", params, &code, msg, sizeof msg);
    if (!j) fprintf(stderr, "  proveTask %llu: %ld %s\n", (unsigned long long)n, code, msg);
    REQUIRE(j);
    mpavs_rpc_block b = {0}, pb = {0};
    bool found = false;
    char tag[24];
    REQUIRE(mpavs_rpc_get_block_by_number(chain, &b, &found, NULL, mpavs_rpc_tag_number(tag, n)) == 0 && found);
    REQUIRE(mpavs_rpc_get_block_by_number(chain, &pb, &found, NULL, mpavs_rpc_tag_number(tag, n ? n - 1 : 0)) == 0);
    CHECK(json_is_false(json_object_get(j, "not_ready")));
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "batch_id")), n);
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "start_block")), n);
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "end_block")), n);
    uint8_t state[64], want_state[64], meta[32], want_meta[32];
    CHECK(jhex(json_object_get(j, "state"), state, 64));
    memcpy(want_state, b.hash, 32);
    memcpy(want_state + 32, b.state_root, 32);
    CHECK_MEMEQ(state, want_state, 64);
    CHECK(jhex(json_object_get(j, "metadata"), meta, 32));
    mpavs_avs_chain_task_metadata(want_meta, 31337, n);
    CHECK_MEMEQ(meta, want_meta, 32);
    /* metadata = keccak256(uint256 31337 ‖ uint256 n), computed independently */
    uint8_t packed[64] = {0};
    packed[30] = 31337 >> 8;
    packed[31] = 31337 & 0xff;
    for (int i = 0; i < 8; i++) packed[63 - i] = (uint8_t)(n >> (8 * i));
    uint8_t km[32];
    mpavs_keccak256(km, packed, 64);
    CHECK_MEMEQ(meta, km, 32);

    json_t *poe = json_object_get(j, "poe");
    uint8_t bh[32], sh[32], prev[32], nr[32], wr[32], sig[65], sig2[65], d[32];
    REQUIRE(jhex(json_object_get(poe, "batch_hash"), bh, 32) && jhex(json_object_get(poe, "state_hash"), sh, 32) &&
            jhex(json_object_get(poe, "prev_state_root"), prev, 32) &&
            jhex(json_object_get(poe, "new_state_root"), nr, 32) &&
            jhex(json_object_get(poe, "withdrawal_root"), wr, 32) && jhex(json_object_get(poe, "signature"), sig, 65) &&
            jhex(json_object_get(j, "poe_signature"), sig2, 65));
    CHECK_MEMEQ(bh, want_meta, 32);
    uint8_t ksh[32];
    mpavs_keccak256(ksh, want_state, 64);
    CHECK_MEMEQ(sh, ksh, 32);
    CHECK_MEMEQ(nr, b.state_root, 32);
    static const uint8_t zero32[32];
    CHECK_MEMEQ(prev, zero32, 32); /* type-3 PoE: prev_state_root = withdrawal_root = 0 */
    CHECK_MEMEQ(wr, zero32, 32);
    CHECK_MEMEQ(sig, sig2, 65);
    CHECK(sig[64] == 27 || sig[64] == 28);
    mpavs_avs_poe_digest(d, bh, sh, prev, nr, wr);
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    mpavs_ecdsa_sig s;
    mpavs_address who;
    CHECK(mpavs_ecdsa_sig_parse(&s, sig2) == 0 && mpavs_ecdsa_recover_address(ctx, &who, &s, d) == 0);
    CHECK(have_enclave && memcmp(who.bytes, enclave.bytes, 20) == 0);
    mpavs_ecdsa_ctx_destroy(ctx);
    mpavs_rpc_block_clear(&b);
    mpavs_rpc_block_clear(&pb);
    json_decref(j);
}

static bool file_has(const char *path, const char *needle) {
    size_t n = 0;
    unsigned char *b = harness_read_file(path, &n);
    bool ok = b && strstr((const char *)b, needle) != NULL;
    free(b);
    return ok;
}

/* Block n's field (0x-hex, 32 bytes) as anvil reports it now. */
static bool block_field(uint8_t out[32], mpavs_rpc *c, uint64_t n, const char *field) {
    char p[64];
    snprintf(p, sizeof p, "[\"0x%llx\",false]", (unsigned long long)n);
    json_t *j = anvil_call_json(c, "eth_getBlockByNumber", p);
    bool ok = jhex(json_object_get(j, field), out, 32);
    json_decref(j);
    return ok;
}

/* A task for block n that must fail with 15001; out: its message. */
static void check_refused(mpavs_rpc *c, uint64_t n, const char *needle, char *msg, size_t cap) {
    char params[96];
    snprintf(params, sizeof params, "[{\"task_type\":3,\"start\":%llu}]", (unsigned long long)n);
    long code = 0;
    json_t *j = call(c, "prover_proveTask", params, &code, msg, cap);
    CHECK(j == NULL);
    json_decref(j);
    CHECK_EQ_INT(code, 15001);
    if (needle && !strstr(msg, needle)) fprintf(stderr, "  block %llu: \"%s\" lacks \"%s\"\n", (unsigned long long)n, msg, needle);
    CHECK(!needle || strstr(msg, needle) != NULL);
}

/* The prover's metrics text (malloc'd) from url. */
static char *metrics_of(const char *url) {
    CURL *h = curl_easy_init();
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    CURLcode r = curl_easy_perform(h);
    curl_easy_cleanup(h);
    fclose(f);
    if (r != CURLE_OK) {
        free(out);
        return NULL;
    }
    return out;
}

/* The value of one sample ("name{labels}") in a metrics text, or -1. */
static double metric(const char *text, const char *sample) {
    size_t n = strlen(sample);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, sample, n) && p[n] == ' ') return strtod(p + n + 1, NULL);
    return -1;
}

static uint64_t write_block, delete_block; /* the workload's storage writes and deletions */
static char S[43];                          /* SSTORE(cd[0], cd[32]) */

static void sdata(char out[140], unsigned slot, unsigned value) { snprintf(out, 140, "0x%064x%064x", slot, value); }

/* Transfers, a contract with storage writes, then deletions of most of them, in batched blocks. */
static void workload(void) {
    json_t *j = anvil_call_json(chain, "eth_getTransactionCount", "[\"" ANVIL_ADDR0 "\",\"latest\"]");
    MUST(json_string_value(j));
    uint64_t nonce = strtoull(json_string_value(j) + 2, NULL, 16);
    json_decref(j);
    anvil_create_address(S, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", nonce);
    free(anvil_call(chain, "evm_setAutomine", "[false]"));
    anvil_deploy(chain, ANVIL_ADDR0, "6020356000355500");
    for (int i = 0; i < 3; i++) MUST(anvil_send(chain, ANVIL_ADDR0, "0x00000000000000000000000000000000000000aa", "0x5208", NULL, NULL));
    MUST(anvil_send(chain, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x00000000000000000000000000000000000a11ce", "0x5208",
                    NULL, ",\"type\":\"0x0\",\"gasPrice\":\"0x77359400\""));
    anvil_mine(chain);
    char d[140];
    for (unsigned k = 1; k <= 8; k++) {
        sdata(d, k, k * 1000 + 7);
        MUST(anvil_send(chain, ANVIL_ADDR0, S, NULL, d, NULL));
    }
    write_block = anvil_mine(chain);
    for (unsigned k = 1; k <= 6; k++) {
        sdata(d, k, 0);
        MUST(anvil_send(chain, ANVIL_ADDR0, S, NULL, d, NULL));
    }
    MUST(anvil_send(chain, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", S, NULL, NULL, NULL)); /* reads slot 0 */
    delete_block = anvil_mine(chain);
    free(anvil_call(chain, "evm_setAutomine", "[true]"));
}

TEST(prove_chain_state) {
    workload();
    for (int i = 0; i < 3; i++) { /* automine: one transaction per block */
        chain_rpc("eth_sendTransaction", "[{\"from\":\"" ANVIL_ADDR0 "\",\"to\":\"0x00000000000000000000000000000000000000aa\",\"value\":\"0x1\"}]");
    }
    for (int i = 0; i < 4; i++) chain_rpc("evm_mine", "[]");
    uint64_t head = 0;
    REQUIRE(mpavs_rpc_block_number(chain, &head, NULL) == 0);
    CHECK(head >= 10);
    check_prove(write_block);  /* storage writes */
    check_prove(delete_block); /* storage deletions */
    check_prove(2);
    check_prove(head); /* the head */
    long code;
    char msg[512];
    check_refused(rpc, 1, "not after the checkpoint", msg, sizeof msg); /* the checkpoint's state is configured */
    CHECK(strstr(msg, ": skip") != NULL);                                /* no retry changes it */
    check_refused(rpc, 0, "not after the checkpoint", msg, sizeof msg);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    check_refused(rpc, head + 100, "not mined yet", msg, sizeof msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    CHECK(t1.tv_sec - t0.tv_sec < 5); /* a block not mined waits 2 s, not task_wait_ms */
    CHECK(call(rpc, "prover_proveTask", "[{\"task_type\":3,\"start\":3,\"end\":4}]", &code, msg, sizeof msg) == NULL);
    CHECK_EQ_INT(code, -32602);

    /* old blocks: the prover keeps 16 (ring_size) and re-executes at most 40 after the checkpoint (max_headers) */
    chain_rpc("anvil_mine", "[\"0x3c\"]");
    REQUIRE(mpavs_rpc_block_number(chain, &head, NULL) == 0);
    check_prove(head); /* the follower caught up: blocks head-15..head kept */
    check_prove(delete_block); /* older than the kept ones: re-executed from the checkpoint */
    check_prove(delete_block + 3); /* continued from there */
    check_prove(write_block);      /* before it: from the checkpoint again */
    check_refused(rpc, ckpt_number + 45, "move the checkpoint forward", msg, sizeof msg);
    printf("  old block: %s\n", msg);
    char *m = metrics_of(prover.url);
    CHECK(m && metric(m, "mpavs_prover_blocks_executed_total") >= (double)(head - ckpt_number));
    CHECK(m && metric(m, "mpavs_prover_gas_executed_total") > 21000 * 5);
    CHECK(m && metric(m, "mpavs_prover_verified_head") == (double)head);
    CHECK(m && metric(m, "mpavs_prover_refusals_total{reason=\"state_root_mismatch\"}") == 0);
    CHECK(m && strstr(m, "# TYPE mpavs_prover_block_exec_seconds histogram") && strstr(m, "mpavs_prover_block_exec_seconds_count "));
    CHECK(m && strstr(m, "# HELP mpavs_prover_refusals_total "));
    if (m) printf("  %.0f blocks executed, %.0f gas, %.0f gas/s of execution\n", metric(m, "mpavs_prover_blocks_executed_total"),
                  metric(m, "mpavs_prover_gas_executed_total"), metric(m, "mpavs_prover_gas_per_second"));
    free(m);
}

/* A reorg replaces the last blocks: the prover answers the new canonical roots. */
TEST(reorg_reanchor) {
    /* anvil_reorg mines its first block with the base fee the old head's child would have had, not
       the EIP-1559 successor of its real parent's (a block the verifier refuses: baseFeePerGas); at
       the floor empty blocks reach (7 wei, after ~75 of them from the workload's fee) both agree */
    chain_rpc("anvil_mine", "[\"0x64\"]");
    uint64_t head = 0;
    REQUIRE(mpavs_rpc_block_number(chain, &head, NULL) == 0);
    check_prove(head);
    uint8_t old_hash[32], now_hash[32];
    REQUIRE(block_field(old_hash, chain, head - 1, "hash"));
    char p[512];
    snprintf(p, sizeof p, "[3,[[{\"from\":\"%s\",\"to\":\"%s\",\"value\":\"0x5\",\"input\":\"0x%064x%064x\",\"gas\":\"0x20000\"},1]]]",
             ANVIL_ADDR0, S, 40u, 77u);
    char *r = anvil_call(chain, "anvil_reorg", p);
    CHECK(r != NULL);
    free(r);
    REQUIRE(block_field(now_hash, chain, head - 1, "hash"));
    CHECK(memcmp(old_hash, now_hash, 32) != 0);
    char logp[256];
    snprintf(logp, sizeof logp, "%s/prover.log", tmpdir);
    bool seen = false;
    for (int i = 0; i < 100 && !(seen = file_has(logp, "event=reanchor")); i++) sleep_ms(100);
    CHECK(seen);
    check_prove(head - 1); /* the reorged block: its new root */
    chain_rpc("evm_mine", "[]");
    chain_rpc("evm_mine", "[]");
    check_prove(head + 2); /* a block after the reorg */
    char *m = metrics_of(prover.url);
    CHECK(m && metric(m, "mpavs_prover_reanchors_total") >= 1);
    free(m);
}

/* ---- a lying node ---- */

enum { LIE_STATE_ROOT, LIE_RAW_TX, LIE_CODE };
static int lie_mode;
static uint64_t lie_block;
static char forged_root[67], forged_hash[67], lie_tx[67];

static json_t *lie(void *arg, const char *method, const json_t *params, json_t *res) {
    (void)arg;
    const char *p0 = json_string_value(json_array_get(params, 0)), *p1 = json_string_value(json_array_get(params, 1));
    if (lie_mode == LIE_STATE_ROOT && !strcmp(method, "eth_getBlockByNumber")) {
        if (p0 && strtoull(p0 + 2, NULL, 16) == lie_block && json_is_object(res)) {
            json_object_set_new(res, "stateRoot", json_string(forged_root));
            json_object_set_new(res, "hash", json_string(forged_hash));
        }
    } else if (lie_mode == LIE_RAW_TX && !strcmp(method, "eth_getRawTransactionByHash")) {
        if (p0 && !strcasecmp(p0, lie_tx)) {
            json_t *o = rpcproxy_flip_digit(res, -1);
            if (o) return o;
        }
    } else if (lie_mode == LIE_CODE && !strcmp(method, "eth_getCode")) {
        if (p1 && strtoull(p1 + 2, NULL, 16) == lie_block - 1) {
            json_t *o = rpcproxy_flip_digit(res, 2);
            if (o) return o;
        }
    }
    return res;
}

/* The forged header of block n: anvil's with another stateRoot, its hash recomputed. */
static bool forge_header(uint64_t n) {
    mpavs_witness *w = mpavs_witness_create(NULL);
    const uint8_t *rlp;
    size_t len;
    mpavs_block b;
    bool ok = w && mpavs_witness_acquire(w, chain, n) == 0 && mpavs_witness_block(w, &rlp, &len, NULL) &&
              mpavs_block_decode(&b, rlp, len) == 0;
    if (ok) {
        mpavs_block_header fh = b.header;
        mpavs_block_clear(&b);
        memset(fh.state_root, 0x11, 32);
        uint8_t fhash[32];
        ok = mpavs_block_header_hash(fhash, &fh) == 0;
        snprintf(forged_root, sizeof forged_root, "0x%s", harness_hex(fh.state_root, 32));
        snprintf(forged_hash, sizeof forged_hash, "0x%s", harness_hex(fhash, 32));
    }
    mpavs_witness_destroy(w);
    return ok;
}

TEST(lying_node_refused) {
    /* a fresh chain: an empty block (the checkpoint), a deployment, then a block calling it */
    harness_anvil a3;
    REQUIRE(harness_anvil_start(&a3, NULL));
    mpavs_rpc *c3 = mpavs_rpc_create(a3.url, NULL);
    uint8_t ck[32];
    uint64_t ckn = anvil_mine(c3);
    REQUIRE(block_field(ck, c3, ckn, "hash"));
    char s3[43], d[140];
    anvil_create_address(s3, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", 0);
    anvil_deploy(c3, ANVIL_ADDR0, "6020356000355500");
    sdata(d, 5, 55);
    MUST(anvil_send(c3, ANVIL_ADDR0, s3, NULL, d, NULL));
    lie_block = anvil_mine(c3) - 1; /* the block of the call (automine); then one empty block */
    mpavs_rpc *save = chain;
    chain = c3;
    REQUIRE(forge_header(lie_block));
    char bp[64];
    snprintf(bp, sizeof bp, "[\"0x%llx\",false]", (unsigned long long)lie_block);
    json_t *bj = anvil_call_json(c3, "eth_getBlockByNumber", bp);
    const char *t0 = json_string_value(json_array_get(json_object_get(bj, "transactions"), 0));
    snprintf(lie_tx, sizeof lie_tx, "%s", t0 ? t0 : "");
    json_decref(bj);
    REQUIRE(lie_tx[0]);
    static const struct {
        int mode;
        const char *what, *reason;
    } cases[] = {
        {LIE_STATE_ROOT, "forged stateRoot with a consistent header hash", "state_root_mismatch"},
        {LIE_RAW_TX, "altered raw transaction", "malformed_witness"},
        {LIE_CODE, "altered code", "malformed_witness"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lie_mode = cases[i].mode; /* before the proxy thread starts */
        rpcproxy *proxy = rpcproxy_start(a3.url, lie, NULL);
        REQUIRE(proxy);
        prover_proc pl = {0};
        char name[32];
        snprintf(name, sizeof name, "liar%zu", i);
        CHECK(start_prover(&pl, name, rpcproxy_url(proxy), ckn, ck, NULL));
        if (pl.pid > 0) {
            mpavs_rpc *pc = mpavs_rpc_create(pl.url, NULL);
            char msg[600], want[64];
            snprintf(want, sizeof want, "block %llu refused: %s", (unsigned long long)lie_block, cases[i].reason);
            check_refused(pc, lie_block, want, msg, sizeof msg);
            printf("  %s: %s\n", cases[i].what, msg);
            snprintf(want, sizeof want, "block %llu refused: block %llu refused", (unsigned long long)lie_block + 1,
                     (unsigned long long)lie_block);
            check_refused(pc, lie_block + 1, want, msg, sizeof msg); /* nothing after it either */
            char *m = metrics_of(pl.url), sample[96];
            snprintf(sample, sizeof sample, "mpavs_prover_refusals_total{reason=\"%s\"}", cases[i].reason);
            CHECK(m && metric(m, sample) == 1); /* once, however often the follower retried */
            CHECK(m && metric(m, "mpavs_prover_proofs_total{type=\"3\",result=\"ok\"}") == 0); /* nothing signed */
            CHECK(m && metric(m, "mpavs_prover_verified_head") == (double)lie_block - 1);
            free(m);
            char logp[300], ev[96];
            snprintf(logp, sizeof logp, "%s/liar%zu.log", tmpdir, i);
            snprintf(ev, sizeof ev, "event=block_refused block=%llu reason=%s", (unsigned long long)lie_block, cases[i].reason);
            /* the follower logs its refusal on its own thread: the task path may have answered first */
            for (int k = 0; k < 50 && !file_has(logp, ev); k++) usleep(100000);
            CHECK(file_has(logp, ev));
            CHECK(!file_has(logp, "event=proved"));
            mpavs_rpc_destroy(pc);
            kill(pl.pid, SIGTERM);
            int st = 0;
            waitpid(pl.pid, &st, 0);
            CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
        rpcproxy_stop(proxy);
    }
    chain = save;
    mpavs_rpc_destroy(c3);
    harness_anvil_stop(&a3);
}

TEST(wrong_checkpoint_refused) {
    uint8_t wrong[32];
    memcpy(wrong, ckpt_hash, 32);
    wrong[31] ^= 1;
    REQUIRE(start_prover(&bad_prover, "bad", anvil.url, ckpt_number, wrong, NULL));
    mpavs_rpc *c = mpavs_rpc_create(bad_prover.url, NULL);
    char msg[512];
    check_refused(c, 4, "checkpoint_mismatch: checkpoint hash mismatch", msg, sizeof msg);
    printf("  wrong checkpoint: %s\n", msg);
    mpavs_rpc_destroy(c);
    kill(bad_prover.pid, SIGTERM);
    waitpid(bad_prover.pid, NULL, 0);
    bad_prover.pid = 0;
}

/* Across hardforks: anvil --hardfork X and chain.hardfork X, a block with a transaction in it is
   re-executed (Cancun on), or refused as unsupported_fork (before Cancun). */
TEST(hardforks) {
    static const char *const FORKS[] = {"london", "shanghai", "cancun", "prague", "osaka"};
    for (size_t f = 0; f < sizeof FORKS / sizeof FORKS[0]; f++) {
        bool supported = f >= 2;
        harness_anvil a2;
        const char *args[] = {"--hardfork", FORKS[f], NULL};
        REQUIRE(harness_anvil_start(&a2, args));
        mpavs_rpc *c2 = mpavs_rpc_create(a2.url, NULL);
        uint8_t ck[32], root[32];
        uint64_t ckn = anvil_mine(c2);
        bool ok = block_field(ck, c2, ckn, "hash") &&
                  anvil_send(c2, ANVIL_ADDR0, "0x00000000000000000000000000000000000000aa", "0x5208", NULL, NULL);
        free(anvil_call(c2, "anvil_mine", "[\"0x2\"]"));
        prover_proc pf = {0};
        char extra[64];
        snprintf(extra, sizeof extra, ",\"hardfork\":\"%s\"", FORKS[f]);
        ok = ok && start_prover(&pf, FORKS[f], a2.url, ckn, ck, extra);
        CHECK(ok);
        if (ok) {
            mpavs_rpc *pc = mpavs_rpc_create(pf.url, NULL);
            long code;
            char msg[512];
            char params[64];
            snprintf(params, sizeof params, "[{\"task_type\":3,\"start\":%llu}]", (unsigned long long)ckn + 1);
            json_t *j = call(pc, "prover_proveTask", params, &code, msg, sizeof msg);
            if (supported) {
                if (!j) fprintf(stderr, "  %s: %ld %s\n", FORKS[f], code, msg);
                uint8_t st[64];
                CHECK(j && jhex(json_object_get(j, "state"), st, 64));
                CHECK(block_field(root, c2, ckn + 1, "stateRoot"));
                if (j) CHECK_MEMEQ(st + 32, root, 32);
                printf("  %s: block %llu re-executed\n", FORKS[f], (unsigned long long)ckn + 1);
            } else {
                CHECK(j == NULL && code == 15001 && strstr(msg, "unsupported_fork"));
                printf("  %s: %s\n", FORKS[f], msg);
            }
            json_decref(j);
            mpavs_rpc_destroy(pc);
            kill(pf.pid, SIGTERM);
            waitpid(pf.pid, NULL, 0);
        }
        mpavs_rpc_destroy(c2);
        harness_anvil_stop(&a2);
    }
}


/* gramine / tdx: clear start-up errors without the device files; gramine's file protocol on a stand-in dir. */
TEST(tee_providers) {
    prover_proc pf = {0};
    char logp[256];
    snprintf(attest_override, sizeof attest_override, "{\"provider\":\"gramine\",\"dir\":\"%s/no-such-dir\"}", tmpdir);
    CHECK(!start_prover(&pf, "gramine_missing", anvil.url, ckpt_number, ckpt_hash, NULL));
    snprintf(logp, sizeof logp, "%s/gramine_missing.log", tmpdir);
    CHECK(file_has(logp, "gramine attestation:") && file_has(logp, "user_report_data"));
    snprintf(attest_override, sizeof attest_override, "{\"provider\":\"tdx\",\"dir\":\"%s/no-such-tsm\"}", tmpdir);
    CHECK(!start_prover(&pf, "tdx_missing", anvil.url, ckpt_number, ckpt_hash, NULL));
    snprintf(logp, sizeof logp, "%s/tdx_missing.log", tmpdir);
    CHECK(file_has(logp, "tdx attestation:") && file_has(logp, "configfs-tsm"));

    /* a stand-in /dev/attestation: the prover writes user_report_data and returns the quote file */
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/attestation", tmpdir);
    REQUIRE(mkdir(dir, 0700) == 0);
    snprintf(path, sizeof path, "%s/user_report_data", dir);
    FILE *f = fopen(path, "w");
    REQUIRE(f);
    fclose(f);
    snprintf(path, sizeof path, "%s/quote", dir);
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("QUOTE", f);
    fclose(f);
    snprintf(attest_override, sizeof attest_override, "{\"provider\":\"gramine\",\"dir\":\"%s\"}", dir);
    bool up = start_prover(&pf, "gramine_standin", anvil.url, ckpt_number, ckpt_hash, NULL);
    attest_override[0] = 0;
    REQUIRE(up);
    mpavs_rpc *c = mpavs_rpc_create(pf.url, NULL);
    long code;
    char msg[512];
    json_t *j = call(c, "generateAttestationReport", "[\"0xabcd\"]", &code, msg, sizeof msg);
    CHECK_STREQ(json_string_value(j), "0x51554f5445"); /* "QUOTE" */
    json_decref(j);
    snprintf(path, sizeof path, "%s/user_report_data", dir);
    size_t n = 0;
    unsigned char *rd = harness_read_file(path, &n);
    CHECK_EQ_INT(n, 64);
    if (rd && n == 64) {
        static const uint8_t zero[12];
        CHECK_MEMEQ(rd, zero, 12);
        CHECK(rd[62] == 0xab && rd[63] == 0xcd && rd[33] == 0);
    }
    free(rd);
    mpavs_rpc_destroy(c);
    kill(pf.pid, SIGTERM);
    waitpid(pf.pid, NULL, 0);

    /* devnet-tdx: TDX v4 quotes of the devnet CA that the C verifier accepts with its TDX collateral */
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    snprintf(attest_override, sizeof attest_override,
             "{\"provider\":\"devnet-tdx\",\"devnet_ca_dir\":\"%s\",\"mr_enclave\":\"0x%064d\"}", dir, 7);
    up = start_prover(&pf, "devnet_tdx", anvil.url, ckpt_number, ckpt_hash, NULL);
    attest_override[0] = 0;
    REQUIRE(up);
    c = mpavs_rpc_create(pf.url, NULL);
    j = call(c, "generateAttestationReport", "[\"0xabcd\"]", &code, msg, sizeof msg);
    const char *qs = json_string_value(j);
    size_t ql = 0, cap = qs ? strlen(qs) / 2 : 0;
    uint8_t *q = cap ? malloc(cap) : NULL;
    CHECK(q && mpavs_hex_decode(q, cap, &ql, qs, strlen(qs)) == 0);
    json_decref(j);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t rl = 0, cl = 0;
    const uint8_t *root = mpavs_dcap_devnet_root_der(ca, &rl);
    const char *coll = mpavs_dcap_devnet_collateral_tdx(ca, &cl);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(coll && mpavs_dcap_verifier_create(&v, root, rl, false) == MPAVS_DCAP_OK);
    bool ok = false;
    mpavs_dcap_verdict vd;
    CHECK(q && mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, (int64_t)time(NULL)) == MPAVS_DCAP_OK && ok);
    if (ok) {
        CHECK_EQ_INT(vd.quote.tee_type, MPAVS_DCAP_TEE_TDX);
        CHECK_EQ_INT(vd.quote.version, 4);
        const uint8_t *rdq = mpavs_dcap_report_data(&vd.quote);
        CHECK(rdq[62] == 0xab && rdq[63] == 0xcd);
        CHECK_EQ_INT(mpavs_dcap_tdx_mr_td(&vd.quote)[31], 7); /* MRTD = mr_enclave ‖ 0^16 */
        CHECK_EQ_INT(mpavs_dcap_tdx_mr_td(&vd.quote)[32], 0);
    }
    mpavs_dcap_verifier_destroy(v);
    mpavs_dcap_devnet_free(ca);
    free(q);
    mpavs_rpc_destroy(c);
    kill(pf.pid, SIGTERM);
    waitpid(pf.pid, NULL, 0);
}

/* Run the binary with args, stdout+stderr to a file. Returns the exit status (-1 if killed). */
static int run_cli(const char *out, const char *a1, const char *a2) {
    char bin[4096];
    const char *root = getenv("MPAVS_ROOT");
    (void)root;
    prover_bin(bin, sizeof bin);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (!freopen(out, "w", stdout) || dup2(fileno(stdout), 2) < 0) _exit(126);
        execl(bin, bin, a1, a2, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    for (int i = 0; i < 500; i++) { /* 5 s */
        if (waitpid(pid, &st, WNOHANG) == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        sleep_ms(10);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

TEST(cli_and_config_errors) {
    char out[256], cfg[256];
    snprintf(out, sizeof out, "%s/cli.out", tmpdir);
    CHECK_EQ_INT(run_cli(out, "--help", NULL), 0);
    CHECK(file_has(out, "    mpavs-prover --config FILE") && file_has(out, "EXIT STATUS"));
    CHECK_EQ_INT(run_cli(out, "--version", NULL), 0);
    CHECK(file_has(out, "mpavs-prover 0.1.0 (libmpavs 0.1.0, "));
    CHECK_EQ_INT(run_cli(out, "--print-config-template", NULL), 0);
    json_t *t = json_load_file(out, 0, NULL);
    CHECK(json_is_object(t) && json_is_object(json_object_get(t, "attestation")));
    json_decref(t);
    CHECK_EQ_INT(run_cli(out, "--bogus", NULL), 2);
    CHECK_EQ_INT(run_cli(out, NULL, NULL), 2);
    snprintf(cfg, sizeof cfg, "%s/none.json", tmpdir);
    CHECK_EQ_INT(run_cli(out, "--config", cfg), 2);
    CHECK(file_has(out, "No such file"));
    /* every problem at once */
    snprintf(cfg, sizeof cfg, "%s/bad-config.json", tmpdir);
    FILE *f = fopen(cfg, "w");
    REQUIRE(f);
    fputs("{\"listen\":\"0.0.0.0:1\",\"typo\":1,\"log_level\":\"loud\",\"server\":{\"workers\":0},"
          "\"attestation\":{\"provider\":\"sgx\"},\"chain\":{\"rpc_url\":\"ftp://x\",\"chain_id\":\"x\","
          "\"checkpoint_number\":1,\"checkpoint_hash\":\"0x12\"}}",
          f);
    fclose(f);
    CHECK_EQ_INT(run_cli(out, "--config", cfg), 2);
    /* an unknown key is a warning (daemons/common/config_table.h: one rule for the three daemons) */
    static const char *const MSGS[] = {"unknown key \"typo\" ignored", "listen: 0.0.0.0:1 is not a loopback",
                                       "log_level:", "server.workers", "attestation.provider", "chain.rpc_url",
                                       "chain.chain_id", "chain.checkpoint_hash", "7 configuration problems"};
    for (size_t i = 0; i < sizeof MSGS / sizeof MSGS[0]; i++) {
        bool has = file_has(out, MSGS[i]);
        if (!has) fprintf(stderr, "  missing: %s\n", MSGS[i]);
        CHECK(has);
    }
    /* the chain's presets and checks */
    snprintf(cfg, sizeof cfg, "%s/bad-chain.json", tmpdir);
    f = fopen(cfg, "w");
    REQUIRE(f);
    fputs("{\"attestation\":{\"provider\":\"devnet\",\"devnet_ca_dir\":\"/nonexistent\"},\"chain\":{\"rpc_url\":\"http://127.0.0.1:1\","
          "\"chain_id\":31337,\"preset\":\"mainnet\",\"hardfork\":\"cancun\",\"checkpoint_number\":0,\"checkpoint_hash\":"
          "\"0x1111111111111111111111111111111111111111111111111111111111111111\",\"ring_size\":2,"
          "\"witness\":{\"max_bytes\":5}}}",
          f);
    fclose(f);
    CHECK_EQ_INT(run_cli(out, "--check-config", cfg), 2);
    static const char *const CHAIN_MSGS[] = {"chain.preset: mainnet is chain 1, but chain.chain_id is 31337",
                                             "chain.hardfork: only with the anvil preset", "chain.ring_size",
                                             "chain.witness.max_bytes", "4 configuration problems"};
    for (size_t i = 0; i < sizeof CHAIN_MSGS / sizeof CHAIN_MSGS[0]; i++) {
        bool has = file_has(out, CHAIN_MSGS[i]);
        if (!has) fprintf(stderr, "  missing: %s\n", CHAIN_MSGS[i]);
        CHECK(has);
    }
    f = fopen(cfg, "w");
    REQUIRE(f);
    fputs("{\"attestation\":{\"provider\":\"devnet\",\"devnet_ca_dir\":\"/nonexistent\"},\"chain\":{\"rpc_url\":\"http://127.0.0.1:1\","
          "\"chain_id\":31338,\"preset\":\"anvil\",\"hardfork\":\"bogus\",\"checkpoint_number\":0,\"checkpoint_hash\":"
          "\"0x1111111111111111111111111111111111111111111111111111111111111111\"}}",
          f);
    fclose(f);
    CHECK_EQ_INT(run_cli(out, "--check-config", cfg), 2);
    CHECK(file_has(out, "chain.checkpoint_number: anvil's genesis header carries the empty state root"));
    CHECK(file_has(out, "chain.hardfork: unknown fork bogus"));
    CHECK(file_has(out, "2 configuration problems"));
    f = fopen(cfg, "w");
    REQUIRE(f);
    fputs("{\"attestation\":{\"provider\":\"devnet\",\"devnet_ca_dir\":\"/nonexistent\"},\"chain\":{\"rpc_url\":\"http://127.0.0.1:1\","
          "\"chain_id\":777,\"checkpoint_number\":5,\"checkpoint_hash\":"
          "\"0x1111111111111111111111111111111111111111111111111111111111111111\"}}",
          f);
    fclose(f);
    CHECK_EQ_INT(run_cli(out, "--check-config", cfg), 2);
    CHECK(file_has(out, "chain.preset: required for chain id 777"));
    snprintf(cfg, sizeof cfg, "%s/garbage-config.json", tmpdir);
    f = fopen(cfg, "w");
    REQUIRE(f);
    fputs("{\"listen\": [", f);
    fclose(f);
    CHECK_EQ_INT(run_cli(out, "--config", cfg), 2);
}

TEST(skip_and_wrong_params) {
    long code;
    char msg[512];
    static const char *const SKIPS[][2] = {
        {"prover_proveTask", "[{\"task_type\":1,\"start\":1,\"end\":2}]"},
        {"prover_proveTask", "[{\"batch\":\"0x00\",\"pob_hash\":\"0x00\"}]"}, /* absent type = Scroll */
        {"prover_proveTask", "[{\"task_type\":2,\"start\":1,\"end\":2}]"},
        {"prover_proveTask", "[{\"task_type\":77}]"},
        {"prover_genContext", "[1,2,1]"},
        {"prover_genContext", "[1,2,2]"},
        {"prover_genContext", "[1,2,9]"},
    };
    for (size_t i = 0; i < sizeof SKIPS / sizeof SKIPS[0]; i++) {
        CHECK(call(rpc, SKIPS[i][0], SKIPS[i][1], &code, msg, sizeof msg) == NULL);
        CHECK_EQ_INT(code, 14005);
        CHECK(strstr(msg, "skip") != NULL);
    }
    static const char *const BAD[][2] = {
        {"prover_proveTask", "[\"x\"]"},
        {"prover_proveTask", "[{\"task_type\":\"3\",\"start\":1}]"},
        {"prover_proveTask", "[{\"task_type\":3,\"start\":-1}]"},
        {"prover_proveTask", "[]"},
        {"prover_genContext", "[1,2]"},
        {"prover_genContext", "[\"1\",2,3]"},
        {"da_tryLock", "[\"0x12\"]"},
        {"da_putPob", "[{\"hash\":1}]"},
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        CHECK(call(rpc, BAD[i][0], BAD[i][1], &code, msg, sizeof msg) == NULL);
        CHECK_EQ_INT(code, -32602);
    }
    CHECK(call(rpc, "prover_nope", "[]", &code, msg, sizeof msg) == NULL);
    CHECK_EQ_INT(code, -32601);

    /* DA: lock, lock again (Failed), put, lock (Exist) */
    const char *h = "0x1111111111111111111111111111111111111111111111111111111111111111";
    char p1[128], p2[256];
    snprintf(p1, sizeof p1, "[\"%s\"]", h);
    snprintf(p2, sizeof p2, "[{\"hash\":\"%s\",\"interning\":\"0x\",\"pob\":[]}]", h);
    json_t *j = call(rpc, "da_tryLock", p1, &code, msg, sizeof msg);
    CHECK_STREQ(json_string_value(j), "Locked");
    json_decref(j);
    j = call(rpc, "da_tryLock", p1, &code, msg, sizeof msg);
    CHECK_STREQ(json_string_value(j), "Failed");
    json_decref(j);
    j = call(rpc, "da_putPob", p2, &code, msg, sizeof msg);
    CHECK(json_is_null(j));
    json_decref(j);
    j = call(rpc, "da_tryLock", p1, &code, msg, sizeof msg);
    CHECK_STREQ(json_string_value(j), "Exist");
    json_decref(j);
}

typedef struct {
    char *buf;
    size_t len;
} sink;

static size_t on_data(char *p, size_t sz, size_t n, void *u) {
    sink *s = u;
    size_t add = sz * n;
    char *nb = realloc(s->buf, s->len + add + 1);
    if (!nb) return 0;
    memcpy(nb + s->len, p, add);
    s->buf = nb;
    s->len += add;
    s->buf[s->len] = 0;
    return add;
}

/* Raw HTTP request. Returns the status (0 on transport failure); *body malloc'd or NULL. */
static bool http_chunked; /* send the body with Transfer-Encoding: chunked (no Content-Length) */

static long http(const char *verb, const char *ctype, const char *data, size_t len, char **body) {
    /* bodies above 1 MiB go with "Expect: 100-continue" so that an early 413 cannot race the upload */
    bool expect = len > (1u << 20);
    CURL *c = curl_easy_init();
    sink s = {0};
    struct curl_slist *hd = NULL;
    char h[128];
    if (ctype) {
        snprintf(h, sizeof h, "Content-Type: %s", ctype);
        hd = curl_slist_append(hd, h);
    }
    if (!expect) hd = curl_slist_append(hd, "Expect:");
    if (http_chunked) hd = curl_slist_append(hd, "Transfer-Encoding: chunked");
    curl_easy_setopt(c, CURLOPT_URL, prover.url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, verb);
    if (data) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, data);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hd);
    curl_easy_cleanup(c);
    *body = s.buf;
    return status;
}

static long err_code_of(const char *body) {
    json_t *j = body ? json_loads(body, 0, NULL) : NULL;
    long code = json_is_array(j) ? 1 : (long)json_integer_value(json_object_get(json_object_get(j, "error"), "code"));
    json_decref(j);
    return code;
}

TEST(hostile_http) {
    char *b = NULL;
    const char *J = "application/json";
    /* oversized body (2 MiB > the 1 MiB configured limit) */
    size_t big = 2u << 20;
    char *huge = malloc(big);
    REQUIRE(huge);
    memset(huge, ' ', big);
    memcpy(huge, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prover_metadata\",\"params\":[\"", 63);
    CHECK_EQ_INT(http("POST", J, huge, big, &b), 413);
    free(b);
    http_chunked = true; /* the limit also holds without a Content-Length */
    CHECK_EQ_INT(http("POST", J, huge, big, &b), 413);
    http_chunked = false;
    free(b);
    free(huge);
    /* garbage, binary, truncated */
    CHECK_EQ_INT(http("POST", J, "garbage{{", 9, &b), 200);
    CHECK_EQ_INT(err_code_of(b), -32700);
    free(b);
    CHECK_EQ_INT(http("POST", J, "\x00\xff\xfe\x01", 4, &b), 200);
    CHECK_EQ_INT(err_code_of(b), -32700);
    free(b);
    CHECK_EQ_INT(http("POST", J, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", 33, &b), 200);
    CHECK_EQ_INT(err_code_of(b), -32700);
    free(b);
    /* deep nesting (arrays and objects) */
    size_t dn = 200000;
    char *deep = malloc(dn);
    REQUIRE(deep);
    memset(deep, '[', dn);
    CHECK_EQ_INT(http("POST", J, deep, dn, &b), 200);
    CHECK_EQ_INT(err_code_of(b), -32600);
    free(b);
    char *dp = deep;
    dp += sprintf(dp, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prover_metadata\",\"params\":[");
    for (int i = 0; i < 1000; i++) dp += sprintf(dp, "{\"a\":");
    CHECK_EQ_INT(http("POST", J, deep, (size_t)(dp - deep), &b), 200);
    CHECK_EQ_INT(err_code_of(b), -32600);
    free(b);
    free(deep);
    /* wrong shapes */
    static const char *const SHAPES[][2] = {
        {"[]", "-32600"},
        {"42", "-32600"},
        {"\"x\"", "-32600"},
        {"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"prover_metadata\"}", "-32600"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", "-32600"},
        {"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"prover_metadata\"}", "-32600"},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prover_metadata\",\"params\":5}", "-32602"},
        {"[1,2,3,4,5,6,7,8,9]", "-32600"},
    };
    for (size_t i = 0; i < sizeof SHAPES / sizeof SHAPES[0]; i++) {
        CHECK_EQ_INT(http("POST", J, SHAPES[i][0], strlen(SHAPES[i][0]), &b), 200);
        CHECK_EQ_INT(err_code_of(b), atol(SHAPES[i][1]));
        free(b);
    }
    /* a batch of two good requests and one bad: an array of three replies */
    const char *batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"prover_metadata\"},"
                        "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},7]";
    CHECK_EQ_INT(http("POST", J, batch, strlen(batch), &b), 200);
    json_t *arr = b ? json_loads(b, 0, NULL) : NULL;
    CHECK_EQ_INT(json_array_size(arr), 3);
    json_decref(arr);
    free(b);
    /* a notification gets no reply */
    const char *note = "{\"jsonrpc\":\"2.0\",\"method\":\"prover_metadata\"}";
    CHECK_EQ_INT(http("POST", J, note, strlen(note), &b), 200);
    CHECK(b == NULL || b[0] == 0);
    free(b);
    /* HTTP level */
    CHECK_EQ_INT(http("POST", "text/plain", "{}", 2, &b), 415);
    free(b);
    CHECK_EQ_INT(http("PUT", J, "{}", 2, &b), 405);
    free(b);
    CHECK_EQ_INT(http("GET", NULL, NULL, 0, &b), 200);
    CHECK(b && strstr(b, "mpavs_prover_proofs_total{type=\"3\",result=\"ok\"} ") != NULL);
    CHECK(b && strstr(b, "mpavs_prover_requests_total{method=\"prover_proveTask\"} ") != NULL);
    free(b);
    /* still up and answering */
    long code;
    char msg[512];
    json_t *j = call(rpc, "prover_metadata", "[]", &code, msg, sizeof msg);
    CHECK(j != NULL);
    json_decref(j);
    int st;
    CHECK(waitpid(prover.pid, &st, WNOHANG) == 0);
}

TEST(sigterm_stops_quickly) {
    REQUIRE(prover.pid > 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kill(prover.pid, SIGTERM);
    int st = 0;
    pid_t r = 0;
    for (int i = 0; i < 300 && r == 0; i++) {
        r = waitpid(prover.pid, &st, WNOHANG);
        if (r == 0) sleep_ms(10);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    CHECK(r == prover.pid);
    if (r == prover.pid) {
        prover.pid = 0;
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    CHECK(ms < 1000.0);
    printf("  SIGTERM → exit in %.0f ms\n", ms);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mpavs-prover-test-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    if (mpavs_dcap_devnet_generate(dir, (int64_t)time(NULL), false) != MPAVS_DCAP_OK ||
        !harness_anvil_start(&anvil, NULL)) {
        fprintf(stderr, "could not create the devnet CA or start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    atexit(kill_provers);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGABRT, on_signal);
    chain = mpavs_rpc_create(anvil.url, NULL);
    ckpt_number = anvil_mine(chain); /* block 1: anvil's genesis has the empty state root */
    if (!block_field(ckpt_hash, chain, ckpt_number, "hash")) return 1;
    if (!start_prover(&prover, "prover", anvil.url, ckpt_number, ckpt_hash, ",\"ring_size\":16,\"max_headers\":40")) {
        fprintf(stderr, "could not start build/mpavs-prover (see %s/prover.log)\n", tmpdir);
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(prover.url, NULL);
    RUN(cli_and_config_errors);
    RUN(metadata);
    RUN(attestation_report);
    RUN(prove_chain_state);
    RUN(reorg_reanchor);
    RUN(lying_node_refused);
    RUN(wrong_checkpoint_refused);
    RUN(hardforks);
    RUN(tee_providers);
    RUN(skip_and_wrong_params);
    RUN(hostile_http);
    RUN(sigterm_stops_quickly);
    mpavs_rpc_destroy(rpc);
    mpavs_rpc_destroy(chain);
    kill_provers();
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    int rc = harness_summary();
    if (rc == 0) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    } else {
        fprintf(stderr, "logs kept in %s\n", tmpdir);
    }
    return rc;
}

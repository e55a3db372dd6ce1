/*
 * Stateless block verification (mpavs/stateless.h) of a real anvil chain (default hardfork,
 * Osaka on foundry 1.7, --no-mining, blocks mined by evm_mine) under the "anvil" preset.
 *
 * Workload: transactions of types 0 (legacy), 1 (EIP-2930 with an access list), 2 (EIP-1559),
 * 4 (EIP-7702 set-code, sent with cast) and 3 (EIP-4844 with a blob, sent with cast: anvil's
 * transactionsRoot commits to it in its network form, sidecar included, see MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT); deployments; 24 storage writes, then deletions of all of them;
 * a CREATE2 child self-destructed in its constructor; accesses to accounts that do not exist
 * (zero-value calls: the blob transaction, a transfer, an inner CALL; BALANCE, EXTCODESIZE and a
 * CALL in a transaction that reverts: anvil keeps them all as empty accounts,
 * MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY); transactions into the precompiles
 * ecrecover, sha256, modexp, bn254 add/mul/pairing and p256verify; a reverting transaction, an
 * out-of-gas transaction, and a call that runs a reverting and an out-of-gas inner call.
 * Every block from 2 on is re-executed from a trusted parent (block 1's hash, as anvil gives it;
 * then each verified block): each must verify with the computed root equal to anvil's
 * stateRoot. (Block 1 cannot be: anvil's genesis header carries the empty state root although
 * its dev accounts are funded, see mpavs/witness.h.)
 * A lying node (tests/support/rpcproxy) that forges a stateRoot (with a consistent header hash),
 * alters a raw transaction, a storage-proof node or a code is refused every time.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"
#include "rpcproxy.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/stateless.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_ecdsa_ctx *ecdsa;
static mpavs_stateless_config cfg;

static const char *dev[3] = {"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                             "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"};
/* anvil's dev keys 1, 3 and 4 (for the transactions cast signs) */
static const char *KEY3 = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
static const char *KEY1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
static const char *KEY4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

/* eth_sendTransaction from dev account `from` (anvil_send). */
static bool send_tx(int from, const char *to, const char *gas, const char *data, const char *extra) {
    return anvil_send(rpc, dev[from], to, gas, data, extra);
}

/* Deploy runtime code rt (hex, < 256 bytes) from dev 0. */
static void deploy(const char *rt) { anvil_deploy(rpc, dev[0], rt); }

/* cast send (signed by key, not waiting for a receipt). Returns true when cast accepted it. */
static bool cast_send(const char *key, const char *opts, const char *to, const char *sig_args) {
    char cmd[2048];
    const char *root = getenv("MPAVS_ROOT");
    snprintf(cmd, sizeof cmd, "%s/.tools/bin/cast send --async --rpc-url %s --private-key %s %s %s %s >&2 2>/tmp/stateless_cast.%d",
             root ? root : ".", anvil.url, key, opts, to, sig_args ? sig_args : "", (int)getpid());
    int rc = system(cmd);
    if (rc) {
        char path[64];
        snprintf(path, sizeof path, "/tmp/stateless_cast.%d", (int)getpid());
        size_t l;
        unsigned char *err = harness_read_file(path, &l);
        fprintf(stderr, "  cast send %s: %s\n", opts, err ? (char *)err : "");
        free(err);
    }
    return rc == 0;
}

static char S[43], F[43], R[43], L[43], N[43], P[43];
static bool blob_sent, setcode_sent;
static uint64_t head, churn_block, blob_block, inner_call_block;

static void sdata(char out[140], unsigned slot, unsigned value) { snprintf(out, 140, "0x%064x%064x", slot, value); }

static void workload(void) {
    anvil_mine(rpc); /* block 1: empty (its parent, genesis, has the empty state root) */
    /* S: SSTORE(cd[0], cd[32]); F: CREATE2(value, initcode 0x33ff, salt cd[0]) then CALL(cd[32], cd[64..128]);
       R: SSTORE(0, 1) then REVERT; L: an endless loop; N: SSTORE(0, NUMBER), CALL(R), CALL(L with 30000 gas) */
    char *addrs[] = {S, F, R, L, N, P};
    for (int i = 0; i < 6; i++) anvil_create_address(addrs[i], dev[0], (uint64_t)i);
    deploy("6020356000355500");
    deploy("6133ff600052600035600260" "1e34f5506040604060003760006000604060006000602035" "5af15000");
    deploy("600160005560006000fd");
    deploy("5b600056");
    char n_rt[400];
    snprintf(n_rt, sizeof n_rt, "436000556000600060006000600073%s5af1506000600060006000600073%s617530f15000", R + 2, L + 2);
    deploy(n_rt);
    /* P: BALANCE and EXTCODESIZE of two new accounts, a zero-value CALL to a third, then REVERT */
    deploy("7300000000000000000000000000000000c0ffee01315073" "00000000000000000000000000000000c0ffee023b50"
           "60006000600060006000" "7300000000000000000000000000000000c0ffee03" "5af15060006000fd");
    MUST(send_tx(1, "0x00000000000000000000000000000000000a11ce", "0x5208", NULL, ",\"type\":\"0x0\",\"gasPrice\":\"0x77359400\""));
    MUST(send_tx(2, "0x00000000000000000000000000000000000b0b00", "0x8000", NULL,
                 ",\"type\":\"0x1\",\"gasPrice\":\"0x77359400\",\"accessList\":[{\"address\":\"0x00000000000000000000000000000000000b0b00\","
                 "\"storageKeys\":[\"0x0000000000000000000000000000000000000000000000000000000000000001\"]}]"));
    anvil_mine(rpc);
    char d[140], al[400];
    for (unsigned s = 1; s <= 24; s++) {
        sdata(d, s, s * 1000 + 7);
        MUST(send_tx(0, S, NULL, d, NULL));
    }
    sdata(d, 30, 5);
    snprintf(al, sizeof al, ",\"type\":\"0x1\",\"gasPrice\":\"0x77359400\",\"accessList\":[{\"address\":\"%s\",\"storageKeys\":"
             "[\"0x%064x\",\"0x%064x\"]}]", S, 30u, 31u);
    MUST(send_tx(1, S, NULL, d, al));
    sdata(d, 31, 6);
    MUST(send_tx(1, S, NULL, d, ",\"type\":\"0x0\",\"gasPrice\":\"0x77359400\""));
    /* precompiles: ecrecover, sha256, modexp (2^3 mod 5), bn254 add (zero points), mul, pairing (empty: true), p256verify */
    static const struct { const char *to, *data; } pc[] = {
        {"0x0000000000000000000000000000000000000001",
         "0x456e9aea5e197a1f1af7a3e85a3212fa4049a3ba34c2289b4c860fc0b0c64ef3000000000000000000000000000000000000000000000000000000000000001c"
         "9242685bf161793cc25603c231bc2f568eb630ea16aa137d2664ac80388256084f8ae3bd7535248d0bd448298cc2e2071e56992d0774dc340c368ae950852ada"},
        {"0x0000000000000000000000000000000000000002", "0x616263"},
        {"0x0000000000000000000000000000000000000005",
         "0x000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000"
         "010000000000000000000000000000000000000000000000000000000000000001020305"},
        {"0x0000000000000000000000000000000000000006", "0x" "00"},
        {"0x0000000000000000000000000000000000000007",
         "0x000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000"
         "020000000000000000000000000000000000000000000000000000000000000003"},
        {"0x0000000000000000000000000000000000000008", NULL},
        {"0x0000000000000000000000000000000000000100", "0x0102"},
    };
    for (size_t i = 0; i < sizeof pc / sizeof pc[0]; i++) MUST(send_tx(2, pc[i].to, "0x200000", pc[i].data, NULL));
    churn_block = anvil_mine(rpc);
    for (unsigned s = 1; s <= 20; s++) {
        sdata(d, s, 0);
        MUST(send_tx(0, S, NULL, d, NULL));
    }
    char fd[400];
    snprintf(fd, sizeof fd, "0x%064x000000000000000000000000%s%064x%064x", 1u, S + 2, 100u, 77u);
    MUST(send_tx(1, F, NULL, fd, NULL));               /* CREATE2 + self-destruct, then a slot write */
    MUST(send_tx(1, N, "0x80000", NULL, NULL));        /* inner revert, inner out of gas */
    MUST(send_tx(2, R, "0x10000", NULL, NULL));        /* a reverting transaction */
    MUST(send_tx(2, L, "0x10000", NULL, NULL));        /* an out-of-gas transaction */
    anvil_mine(rpc);
    for (unsigned s = 21; s <= 24; s++) {
        sdata(d, s, 0);
        MUST(send_tx(0, S, NULL, d, NULL));
    }
    snprintf(fd, sizeof fd, "0x%064x000000000000000000000000%s%064x%064x", 2u, S + 2, 30u, 0u);
    MUST(send_tx(2, F, NULL, fd, NULL));
    /* an inner zero-value call to an account that does not exist (anvil keeps it as an empty account) */
    snprintf(fd, sizeof fd, "0x%064x000000000000000000000000%s%064x%064x", 3u, "00000000000000000000000000000000c0ffee00", 0u, 0u);
    MUST(send_tx(2, F, NULL, fd, NULL));
    MUST(send_tx(1, P, "0x80000", NULL, NULL)); /* reverts: the accounts it accessed stay on anvil */
    inner_call_block = churn_block + 2;
    /* EIP-7702: dev 3 delegates to S (signing the authorization itself) and writes a slot of its own */
    char auth[80];
    snprintf(auth, sizeof auth, "--gas-limit 200000 --auth %s", S);
    setcode_sent = cast_send(KEY3, auth, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", NULL);
    if (!setcode_sent) fprintf(stderr, "  note: anvil refused the EIP-7702 transaction\n");
    anvil_mine(rpc);
    if (setcode_sent) {
        sdata(d, 9, 99);
        MUST(send_tx(0, "0x90f79bf6eb2c4f870365e785982e1f101e93b906", NULL, d, NULL)); /* dev 3, now running S */
    }
    anvil_mine(rpc);
    anvil_mine(rpc); /* empty */
    /* EIP-4844: one blob from dev 1 */
    char path[64];
    snprintf(path, sizeof path, "/tmp/stateless_blob.%d", (int)getpid());
    FILE *f = fopen(path, "w");
    MUST(f);
    fputs("stateless verification blob", f);
    fclose(f);
    char opts[128];
    snprintf(opts, sizeof opts, "--gas-limit 100000 --blob --path %s", path);
    blob_sent = cast_send(KEY1, opts, "0x000000000000000000000000000000000000b10b", NULL); /* to a new account, no value */
    if (!blob_sent) fprintf(stderr, "  note: anvil refused the EIP-4844 transaction\n");
    MUST(cast_send(KEY4, "--gas-limit 30000", "0x00000000000000000000000000000000000f4e55", NULL)); /* zero value, new account */
    remove(path);
    blob_block = anvil_mine(rpc);
    head = anvil_mine(rpc); /* empty */
}

static bool block_json_field(uint8_t out[32], uint64_t n, const char *field) {
    char p[64];
    snprintf(p, sizeof p, "[\"0x%llx\",false]", (unsigned long long)n);
    json_t *j = anvil_call_json(rpc, "eth_getBlockByNumber", p);
    const char *s = json_string_value(json_object_get(j, field));
    bool ok = s && mpavs_hex_decode_exact(out, 32, s) == 0;
    json_decref(j);
    return ok;
}

/* The trusted anchor: block n's header (from a witness) checked against anvil's hash. */
static bool anchor(mpavs_block_header *h, uint8_t hash[32], uint64_t n) {
    mpavs_witness *w = mpavs_witness_create(NULL);
    bool ok = mpavs_witness_acquire(w, rpc, n + 1) == 0 && mpavs_witness_header(w, n);
    if (ok) *h = *mpavs_witness_header(w, n);
    mpavs_witness_destroy(w);
    uint8_t mine_[32];
    return ok && block_json_field(hash, n, "hash") && mpavs_block_header_hash(mine_, h) == 0 && !memcmp(mine_, hash, 32);
}

/* Count the block's transactions by type (types[0..4]). */
static void count_types(size_t types[5], uint64_t n) {
    char p[64];
    snprintf(p, sizeof p, "[\"0x%llx\",true]", (unsigned long long)n);
    json_t *j = anvil_call_json(rpc, "eth_getBlockByNumber", p), *tx;
    size_t i;
    json_array_foreach(json_object_get(j, "transactions"), i, tx) {
        const char *t = json_string_value(json_object_get(tx, "type"));
        unsigned long v = t ? strtoul(t, NULL, 16) : 9;
        if (v < 5) types[v]++;
    }
    json_decref(j);
}

static mpavs_block_header headers[64];
static uint8_t hashes[64][32];

TEST(every_block_verified) {
    REQUIRE(head < 64);
    REQUIRE(anchor(&headers[1], hashes[1], 1));
    size_t txs = 0, types[5] = {0};
    double ms = 0, fetch = 0;
    for (uint64_t n = 2; n <= head; n++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        mpavs_witness *w = mpavs_witness_create(NULL);
        int r = mpavs_witness_acquire(w, rpc, n);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double fms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (r) fprintf(stderr, "  block %llu: witness: %s: %s\n", (unsigned long long)n, mpavs_witness_strerror(r), mpavs_witness_message(w));
        CHECK_EQ_INT(r, 0);
        mpavs_stateless_outcome o;
        int v = r ? -1 : mpavs_stateless_verify(&o, &cfg, ecdsa, &headers[n - 1], hashes[n - 1], w);
        if (v && getenv("STATELESS_DEBUG"))
            for (size_t i = 0; i < mpavs_witness_account_count(w); i++) {
                mpavs_address a;
                const uint8_t(*sl)[32];
                size_t ns;
                mpavs_witness_account_at(w, &a, &sl, &ns, i);
                char p[200];
                snprintf(p, sizeof p, "[\"0x%s\",[],\"0x%llx\"]", harness_hex(a.bytes, 20), (unsigned long long)n);
                json_t *j = anvil_call_json(rpc, "eth_getProof", p);
                fprintf(stderr, "ANVIL %s nonce=%s bal=%s sroot=%s code=%s\n", json_string_value(json_object_get(j, "address")),
                        json_string_value(json_object_get(j, "nonce")), json_string_value(json_object_get(j, "balance")),
                        json_string_value(json_object_get(j, "storageHash")), json_string_value(json_object_get(j, "codeHash")));
                json_decref(j);
            }
        mpavs_witness_destroy(w);
        if (r) break;
        uint8_t want[32];
        REQUIRE(block_json_field(want, n, "stateRoot"));
        fprintf(stderr, "  block %llu: %s%s%s txs=%zu gas=%llu root %s (witness %.0f ms, execution %.1f ms)\n",
                (unsigned long long)n, mpavs_stateless_strerror(v), v ? ": " : "", o.message, o.stats.tx_count,
                (unsigned long long)o.stats.gas_used,
                o.state_root_computed && !memcmp(o.state_root, want, 32) ? "= anvil's" : "DIFFERS", fms, o.exec_ms);
        CHECK_EQ_INT(v, MPAVS_STATELESS_OK);
        CHECK(o.state_root_computed && !memcmp(o.state_root, want, 32));
        if (v) break;
        headers[n] = o.header;
        memcpy(hashes[n], o.block_hash, 32);
        txs += o.stats.tx_count, ms += o.exec_ms, fetch += fms;
        count_types(types, n);
    }
    fprintf(stderr, "  transactions by type: legacy %zu, 2930 %zu, 1559 %zu, 4844 %zu, 7702 %zu\n", types[0], types[1],
            types[2], types[3], types[4]);
    CHECK(types[0] && types[1] && types[2]);
    CHECK(!setcode_sent || types[4] == 1);
    /* the blob block: anvil's transactionsRoot commits to its blob transaction in the network form
       (with blobs, commitments and cell proofs), which the anvil preset accepts */
    size_t bt[5] = {0};
    count_types(bt, blob_block);
    CHECK_EQ_INT(bt[3], 1);
    CHECK_EQ_INT(types[3], 1);
    /* without the anvil flag, that block is refused for holding the network form */
    mpavs_stateless_config eth = cfg;
    eth.chain.flags &= ~MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT;
    mpavs_witness *bw = mpavs_witness_create(NULL);
    REQUIRE(mpavs_witness_acquire(bw, rpc, blob_block) == 0);
    mpavs_stateless_outcome bo;
    int bv = mpavs_stateless_verify(&bo, &eth, ecdsa, &headers[blob_block - 1], hashes[blob_block - 1], bw);
    fprintf(stderr, "  blob block %llu without MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT: %s: %s\n", (unsigned long long)blob_block,
            mpavs_stateless_strerror(bv), bo.message);
    CHECK(bv != MPAVS_STATELESS_OK && strstr(bo.message, "network form") != NULL);
    mpavs_witness_destroy(bw);
    /* without anvil's account rule, the blocks with zero-value calls to new accounts give other roots */
    eth = cfg;
    eth.chain.flags &= ~MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY;
    const uint64_t zero_value[2] = {inner_call_block, blob_block};
    for (int k = 0; k < 2; k++) {
        uint64_t n = zero_value[k];
        bw = mpavs_witness_create(NULL);
        REQUIRE(mpavs_witness_acquire(bw, rpc, n) == 0);
        bv = mpavs_stateless_verify(&bo, &eth, ecdsa, &headers[n - 1], hashes[n - 1], bw);
        fprintf(stderr, "  block %llu without MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY: %s\n", (unsigned long long)n,
                mpavs_stateless_strerror(bv));
        CHECK_EQ_INT(bv, MPAVS_STATELESS_STATE_ROOT_MISMATCH);
        mpavs_witness_destroy(bw);
    }
    fprintf(stderr, "  %llu blocks, %zu transactions verified (set-code tx %s); %.1f ms execution, %.0f ms witness per block\n",
            (unsigned long long)head - 1, txs, setcode_sent ? "included" : "refused by anvil",
            ms / (double)(head - 1), fetch / (double)(head - 1));
}

/* ---- a lying node ---- */

enum { LIE_STATE_ROOT, LIE_RAW_TX, LIE_STORAGE_PROOF, LIE_CODE };
static int lie_mode;
static uint64_t lie_block;
static char forged_root[67], forged_hash[67];


static json_t *lie(void *arg, const char *method, const json_t *params, json_t *res) {
    (void)arg;
    if (lie_mode == LIE_STATE_ROOT && !strcmp(method, "eth_getBlockByNumber")) {
        const char *n = json_string_value(json_array_get(params, 0));
        if (n && strtoull(n + 2, NULL, 16) == lie_block) {
            json_object_set_new(res, "stateRoot", json_string(forged_root));
            json_object_set_new(res, "hash", json_string(forged_hash));
        }
    } else if (lie_mode == LIE_RAW_TX && !strcmp(method, "eth_getRawTransactionByHash")) {
        json_t *o = rpcproxy_flip_digit(res, -1);
        if (o) return o;
    } else if (lie_mode == LIE_STORAGE_PROOF && !strcmp(method, "eth_getProof")) {
        json_t *sp = json_object_get(res, "storageProof"), *e;
        size_t i;
        json_array_foreach(sp, i, e) {
            json_t *pr = json_object_get(e, "proof");
            size_t np = json_array_size(pr);
            json_t *o = np ? rpcproxy_flip_digit(json_array_get(pr, np - 1), -1) : NULL;
            if (o) json_array_set_new(pr, np - 1, o);
            json_object_set_new(e, "value", json_string("0x1234"));
        }
    } else if (lie_mode == LIE_CODE && !strcmp(method, "eth_getCode")) {
        json_t *o = rpcproxy_flip_digit(res, 2);
        if (o) return o;
    }
    return res;
}

TEST(lying_node_refused) {
    uint64_t n = churn_block + 1; /* reads and deletes slots, calls deployed code */
    lie_block = n;
    REQUIRE(headers[n - 1].number == n - 1);
    /* the forged header: anvil's with another stateRoot, and its hash recomputed */
    mpavs_witness *hw = mpavs_witness_create(NULL);
    REQUIRE(mpavs_witness_acquire(hw, rpc, n) == 0);
    const uint8_t *rlp;
    size_t len;
    REQUIRE(mpavs_witness_block(hw, &rlp, &len, NULL));
    mpavs_block b;
    REQUIRE(mpavs_block_decode(&b, rlp, len) == 0);
    mpavs_block_header fh = b.header;
    mpavs_block_clear(&b);
    mpavs_witness_destroy(hw);
    memset(fh.state_root, 0x11, 32);
    uint8_t fhash[32];
    REQUIRE(mpavs_block_header_hash(fhash, &fh) == 0);
    snprintf(forged_root, sizeof forged_root, "0x%s", harness_hex(fh.state_root, 32));
    snprintf(forged_hash, sizeof forged_hash, "0x%s", harness_hex(fhash, 32));

    rpcproxy *proxy = rpcproxy_start(anvil.url, lie, NULL);
    REQUIRE(proxy);
    mpavs_rpc_options ro = {.max_retries = 0};
    mpavs_rpc *liar = mpavs_rpc_create(rpcproxy_url(proxy), &ro);
    static const struct { int mode; const char *what; } cases[] = {
        {LIE_STATE_ROOT, "forged stateRoot with a consistent header hash"},
        {LIE_RAW_TX, "altered raw transaction"},
        {LIE_STORAGE_PROOF, "altered storage-proof value and leaf"},
        {LIE_CODE, "altered code"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lie_mode = cases[i].mode;
        mpavs_witness *w = mpavs_witness_create(NULL);
        int r = mpavs_witness_acquire(w, liar, n);
        if (r) {
            fprintf(stderr, "  %s: refused at witness acquisition: %s (%s)\n", cases[i].what, mpavs_witness_strerror(r),
                    mpavs_witness_message(w));
        } else {
            mpavs_stateless_outcome o;
            int v = mpavs_stateless_verify(&o, &cfg, ecdsa, &headers[n - 1], hashes[n - 1], w);
            fprintf(stderr, "  %s: refused by the verifier: %s (%s)\n", cases[i].what, mpavs_stateless_strerror(v), o.message);
            CHECK(v != MPAVS_STATELESS_OK);
            if (cases[i].mode == LIE_STATE_ROOT) CHECK_EQ_INT(v, MPAVS_STATELESS_STATE_ROOT_MISMATCH);
        }
        mpavs_witness_destroy(w);
    }
    rpcproxy_stop(proxy);
    mpavs_rpc_destroy(liar);
}

/* Run `mpavs chain verify` against url; out: its last stdout line. Returns its exit status. */
static int chain_verify(const char *url, uint64_t from, uint64_t to, const uint8_t trusted[32], char last[256]) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s chain verify --rpc-url %s --from %llu --to %llu --trusted-hash 0x%s 2>&1", harness_path("build/mpavs"),
             url, (unsigned long long)from, (unsigned long long)to, harness_hex(trusted, 32));
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    char line[512];
    last[0] = 0;
    while (fgets(line, sizeof line, f)) {
        fprintf(stderr, "    | %s", line);
        memcpy(last, line, 255);
        last[255] = 0;
    }
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(chain_verify_cli) {
    char last[256], want[64];
    int rc = chain_verify(anvil.url, 2, head, hashes[1], last);
    snprintf(want, sizeof want, "verified %llu of %llu blocks\n", (unsigned long long)head - 1, (unsigned long long)head - 1);
    CHECK_EQ_INT(rc, 0);
    CHECK_STREQ(last, want);
    /* a wrong anchor: block 2's parent is not this hash */
    uint8_t wrong[32];
    memset(wrong, 0x22, 32);
    CHECK(chain_verify(anvil.url, 2, 3, wrong, last) != 0);
    /* the forging node: block churn_block + 1 has a forged stateRoot with a consistent hash */
    lie_mode = LIE_STATE_ROOT;
    rpcproxy *proxy = rpcproxy_start(anvil.url, lie, NULL);
    REQUIRE(proxy);
    rc = chain_verify(rpcproxy_url(proxy), 2, head, hashes[1], last);
    rpcproxy_stop(proxy);
    CHECK(rc == 1);
    snprintf(want, sizeof want, "verified %llu of %llu blocks\n", (unsigned long long)(churn_block - 1), (unsigned long long)head - 1);
    CHECK_STREQ(last, want);
}

TEST(presets) {
    mpavs_stateless_config c;
    for (const char *const *p = mpavs_stateless_preset_names(); *p; p++) CHECK_EQ_INT(mpavs_stateless_preset(&c, *p), 0);
    CHECK_EQ_INT(mpavs_stateless_preset(&c, "mainnet"), 0);
    CHECK(c.chain.chain_id == 1 && c.witness_flags == 0 && c.chain.flags == 0);
    CHECK(mpavs_stateless_preset(&c, "nope") == -1);
    CHECK_STREQ(mpavs_stateless_strerror(MPAVS_STATELESS_MISSING_NODE), "missing_witness_node");
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *args[] = {"--no-mining", NULL};
    if (!harness_anvil_start(&anvil, args)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    ecdsa = mpavs_ecdsa_ctx_create();
    MUST(mpavs_stateless_preset(&cfg, "anvil") == 0);
    workload();
    RUN(presets);
    RUN(every_block_verified);
    RUN(lying_node_refused);
    RUN(chain_verify_cli);
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

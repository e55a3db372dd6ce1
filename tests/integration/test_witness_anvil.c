/*
 * Block witnesses (mpavs/witness.h) acquired from a real anvil (--hardfork
 * prague, blocks mined by evm_mine) over a workload: value transfers to new
 * accounts, two contract deployments, 24 storage writes, deletions of 20 of
 * them and then of the rest (the storage trie collapses, then empties),
 * calls from a factory contract into the storage contract, and in the same
 * transaction a CREATE2 of a child that self-destructs in its constructor.
 * (anvil's genesis header has the empty stateRoot although eth_getProof at 0
 * shows the funded dev accounts: block 1 is mined empty and not checked.)
 * For every block: the witness is acquired (anvil has no
 * debug_executionWitness: prestate traces + eth_getProof + eth_getCode), checked
 * from the parent's state root, every touched account and slot read through
 * it equals anvil's eth_getProof / eth_getStorageAt at N-1, and the diffMode
 * changes applied through the witness tries give exactly the block's stateRoot
 * under anvil's rules (MPAVS_WITNESS_ANVIL_RULES), and the same changes under
 * Ethereum's rules (cleared slots deleted, storage tries collapsing) find every
 * node they need in the witness. WITNESS_DUMP=1 prints anvil's view of each
 * touched account after a block whose root differs.
 * A witness rebuilt as debug_executionWitness JSON from anvil's proofs parses
 * and checks; with one node altered or dropped it is refused with "missing
 * trie node 0x…"; each limit set low is refused with its own error. A lying
 * node (a JSON-RPC proxy in this test, in front of anvil) that alters an
 * account-proof node, leaves one out, alters code, a raw transaction or a
 * header, or answers a trace of 3000 made-up accounts is refused with the
 * matching error.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"
#include "rpcproxy.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/witness.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <time.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;

static const char *dev[3] = {"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                             "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"};

/* eth_sendTransaction from an unlocked dev account (no mining until evm_mine). */
static void send_tx(int from, const char *to, const char *value, const char *data) {
    char p[4096];
    snprintf(p, sizeof p, "[{\"from\":\"%s\"%s%s%s,\"value\":\"%s\",\"gas\":\"0x100000\"%s%s%s}]", dev[from],
             to ? ",\"to\":\"" : "", to ? to : "", to ? "\"" : "", value, data ? ",\"input\":\"" : "",
             data ? data : "", data ? "\"" : "");
    char *r = anvil_call(rpc, "eth_sendTransaction", p);
    REQUIRE(r);
    free(r);
}



static char store_addr[43], factory_addr[43];

/* calldata of the storage contract: slot, value */
static void sdata(char out[140], unsigned slot, unsigned value) {
    snprintf(out, 140, "0x%064x%064x", slot, value);
}

static uint64_t blocks[8];
static size_t nblocks;

static void workload(void) {
    /* anvil's genesis header carries the empty state root although the dev accounts are funded, so
       block 1 (whose parent is genesis) cannot be checked: it stays empty and the workload starts at 2 */
    anvil_mine(rpc);
    /* storage contract: SSTORE(cd[0], cd[32]); factory: CREATE2(value, initcode 0x33ff, salt cd[0]) then
       CALL(cd[32], calldata cd[64..128]) */
    const char *store_rt = "6020356000355500";
    const char *fact_rt = "6133ff600052600035600260" "1e34f5506040604060003760006000604060006000602035" "5af15000";
    char init[512];
    snprintf(init, sizeof init, "0x60%02zx600c60003960%02zx6000f3%s", strlen(store_rt) / 2, strlen(store_rt) / 2, store_rt);
    send_tx(0, NULL, "0x0", init);
    snprintf(init, sizeof init, "0x60%02zx600c60003960%02zx6000f3%s", strlen(fact_rt) / 2, strlen(fact_rt) / 2, fact_rt);
    send_tx(0, NULL, "0x0", init);
    send_tx(1, "0x00000000000000000000000000000000000a11ce", "0x1234", NULL);
    send_tx(1, "0x00000000000000000000000000000000000b0b00", "0x5678", NULL);
    anvil_create_address(store_addr, dev[0], 0);
    anvil_create_address(factory_addr, dev[0], 1);
    blocks[nblocks++] = anvil_mine(rpc);
    char d[140];
    for (unsigned s = 1; s <= 24; s++) {
        sdata(d, s, s * 1000 + 7);
        send_tx(0, store_addr, "0x0", d);
    }
    send_tx(2, "0x00000000000000000000000000000000000a11ce", "0x1", NULL);
    blocks[nblocks++] = anvil_mine(rpc);
    for (unsigned s = 1; s <= 20; s++) {
        sdata(d, s, 0);
        send_tx(0, store_addr, "0x0", d);
    }
    char fd[400];
    snprintf(fd, sizeof fd, "0x%064x000000000000000000000000%s%064x%064x", 1u, store_addr + 2, 100u, 77u);
    send_tx(1, factory_addr, "0x3039", fd);
    blocks[nblocks++] = anvil_mine(rpc);
    for (unsigned s = 21; s <= 24; s++) {
        sdata(d, s, 0);
        send_tx(0, store_addr, "0x0", d);
    }
    snprintf(fd, sizeof fd, "0x%064x000000000000000000000000%s%064x%064x", 2u, store_addr + 2, 100u, 0u);
    send_tx(2, factory_addr, "0x10", fd);
    send_tx(2, "0x00000000000000000000000000000000000b0b00", "0x0", NULL);
    blocks[nblocks++] = anvil_mine(rpc);
    blocks[nblocks++] = anvil_mine(rpc); /* empty */
}

static bool hex32(uint8_t out[32], const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_hex_decode_exact(out, 32, s) == 0;
}

static bool qty(mpavs_u256 *v, const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_u256_parse(v, s, strlen(s)) == 0;
}

/* Every touched account and slot through the witness equals anvil's answers at N-1. */
static size_t compare_state(mpavs_witness *w, const uint8_t root[32], uint64_t parent, size_t *slots_seen) {
    size_t n = mpavs_witness_account_count(w);
    for (size_t i = 0; i < n; i++) {
        mpavs_address a;
        const uint8_t(*slots)[32];
        size_t ns;
        mpavs_witness_account_at(w, &a, &slots, &ns, i);
        mpavs_trie_account acct;
        bool ex;
        CHECK_EQ_INT(mpavs_witness_read_account(w, &acct, &ex, root, &a), 0);
        char p[200];
        snprintf(p, sizeof p, "[\"0x%s\",[],\"0x%llx\"]", harness_hex(a.bytes, 20), (unsigned long long)parent);
        json_t *j = anvil_call_json(rpc, "eth_getProof", p);
        MUST(j);
        mpavs_u256 bal, nonce;
        uint8_t sh[32], ch[32];
        CHECK(qty(&bal, json_object_get(j, "balance")) && qty(&nonce, json_object_get(j, "nonce")));
        CHECK(hex32(sh, json_object_get(j, "storageHash")) && hex32(ch, json_object_get(j, "codeHash")));
        CHECK(mpavs_u256_cmp(&bal, &acct.balance) == 0 && nonce.w[0] == acct.nonce);
        if (mpavs_u256_cmp(&bal, &acct.balance) || nonce.w[0] != acct.nonce)
            fprintf(stderr, "    account %s: anvil nonce %llu balance %llx, witness nonce %llu balance %llx\n", p,
                    (unsigned long long)nonce.w[0], (unsigned long long)bal.w[0], (unsigned long long)acct.nonce,
                    (unsigned long long)acct.balance.w[0]);
        if (ex) CHECK(memcmp(sh, acct.storage_root, 32) == 0 && memcmp(ch, acct.code_hash, 32) == 0);
        json_decref(j);
        const uint8_t *code;
        size_t cl;
        CHECK(mpavs_witness_code(w, &code, &cl, acct.code_hash));
        for (size_t k = 0; k < ns; k++) {
            mpavs_u256 v, want;
            CHECK_EQ_INT(mpavs_witness_read_slot(w, &v, root, &a, slots[k]), 0);
            char ah[41];
            snprintf(ah, sizeof ah, "%s", harness_hex(a.bytes, 20));
            snprintf(p, sizeof p, "[\"0x%s\",\"0x%s\",\"0x%llx\"]", ah, harness_hex(slots[k], 32), (unsigned long long)parent);
            j = anvil_call_json(rpc, "eth_getStorageAt", p);
            CHECK(j && qty(&want, j));
            CHECK(mpavs_u256_cmp(&v, &want) == 0);
            if (mpavs_u256_cmp(&v, &want)) fprintf(stderr, "    %s: anvil %llx witness %llx\n", p, (unsigned long long)want.w[0], (unsigned long long)v.w[0]);
            json_decref(j);
            (*slots_seen)++;
        }
    }
    return n;
}

static const mpavs_block_header *parent_of(mpavs_witness *w, uint64_t n) {
    const mpavs_block_header *h = mpavs_witness_header(w, n - 1);
    MUST(h);
    return h;
}

static bool block_state_root(uint8_t out[32], uint64_t n) {
    char p[64];
    snprintf(p, sizeof p, "[\"0x%llx\",false]", (unsigned long long)n);
    json_t *j = anvil_call_json(rpc, "eth_getBlockByNumber", p);
    bool ok = j && hex32(out, json_object_get(j, "stateRoot"));
    json_decref(j);
    return ok;
}

TEST(witness_per_block) {
    size_t sib_post = 0, sib_search = 0;
    for (size_t b = 0; b < nblocks; b++) {
        uint64_t n = blocks[b];
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        mpavs_witness *w = mpavs_witness_create(NULL);
        int r = mpavs_witness_acquire(w, rpc, n);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (r) fprintf(stderr, "  block %llu: %s: %s\n", (unsigned long long)n, mpavs_witness_strerror(r), mpavs_witness_message(w));
        CHECK_EQ_INT(r, 0);
        if (r) {
            mpavs_witness_destroy(w);
            continue;
        }
        const mpavs_block_header *ph = parent_of(w, n);
        uint8_t proot[32], root[32], want[32];
        memcpy(proot, ph->state_root, 32);
        r = mpavs_witness_check(w, proot);
        if (r) fprintf(stderr, "  check: %s\n", mpavs_witness_message(w));
        CHECK_EQ_INT(r, 0);
        size_t slots = 0, accts = compare_state(w, proot, n - 1, &slots);
        /* Ethereum's rules (deleted slots collapse the storage trie): the witness suffices as well */
        uint8_t eth_root[32];
        r = mpavs_witness_post_root(w, eth_root, proot, 0);
        if (r) fprintf(stderr, "  post root (Ethereum rules): %s\n", mpavs_witness_message(w));
        CHECK_EQ_INT(r, 0);
        r = mpavs_witness_post_root(w, root, proot, MPAVS_WITNESS_ANVIL_RULES);
        if (r) fprintf(stderr, "  post root: %s\n", mpavs_witness_message(w));
        CHECK_EQ_INT(r, 0);
        REQUIRE(block_state_root(want, n));
        CHECK_MEMEQ(root, want, 32);
        if (memcmp(root, want, 32) && getenv("WITNESS_DUMP")) {
            char p[200];
            snprintf(p, sizeof p, "[\"0x%llx\",{\"tracer\":\"prestateTracer\",\"tracerConfig\":{\"diffMode\":true}}]", (unsigned long long)n);
            for (size_t i = 0; i < mpavs_witness_account_count(w); i++) {
                mpavs_address a;
                const uint8_t(*sl)[32];
                size_t ns;
                mpavs_witness_account_at(w, &a, &sl, &ns, i);
                snprintf(p, sizeof p, "[\"0x%s\",[],\"0x%llx\"]", harness_hex(a.bytes, 20), (unsigned long long)n);
                json_t *j = anvil_call_json(rpc, "eth_getProof", p);
                {
                    const uint8_t *nodes[64];
                    size_t lens[64], nn = 0, ii;
                    json_t *e;
                    json_array_foreach(json_object_get(j, "accountProof"), ii, e) {
                        uint8_t *nb = malloc(4096);
                        long l = harness_unhex(nb, 4096, json_string_value(e));
                        nodes[nn] = nb, lens[nn++] = (size_t)l;
                    }
                    uint8_t k[32];
                    const uint8_t *v;
                    size_t vl;
                    mpavs_keccak256(k, a.bytes, 20);
                    int pr = mpavs_trie_proof_get(&v, &vl, want, k, 32, nodes, lens, nn);
                    fprintf(stderr, "PRESENT? r=%d present=%d len=%zu\n", pr, v != NULL, vl);
                    for (size_t q = 0; q < nn; q++) free((void *)nodes[q]);
                }
                fprintf(stderr, "ANVIL %s nonce=%s bal=%s sroot=%s\n", json_string_value(json_object_get(j, "address")),
                        json_string_value(json_object_get(j, "nonce")), json_string_value(json_object_get(j, "balance")),
                        json_string_value(json_object_get(j, "storageHash")));
                json_decref(j);
            }
        }
        const uint8_t *blk;
        size_t bl;
        CHECK(mpavs_witness_block(w, &blk, &bl, NULL));
        mpavs_witness_stats st;
        mpavs_witness_get_stats(w, &st);
        CHECK(st.accounts == accts && st.headers == mpavs_witness_header_count(w) && !st.execution_witness);
        sib_post += st.siblings_from_post, sib_search += st.siblings_searched;
        fprintf(stderr, "  block %llu: %zu accounts, %zu slots, %zu changes, %zu nodes, %zu codes, %zu headers, %zu B, block %zu B, "
                "%zu RPC calls, siblings %zu from post-state proofs + %zu searched; post root %s, %.0f ms\n",
                (unsigned long long)n, accts, slots, st.changes, st.nodes, st.codes, st.headers, st.bytes, bl, st.rpc_calls,
                st.siblings_from_post, st.siblings_searched, memcmp(root, want, 32) ? "DIFFERS" : "= stateRoot",
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
        mpavs_witness_destroy(w);
    }
    /* the deletions of blocks 4 and 5 collapse the storage trie under Ethereum's rules */
    CHECK(sib_post + sib_search > 0);
}

/* Build a debug_executionWitness answer for block n from anvil's proofs; alter = -1 none, else
   node index to alter (alter_mode 0: flip a byte, 1: drop it). */
static char *build_exec_witness(uint64_t n, long alter, int alter_mode, size_t *nnodes) {
    mpavs_witness *w = mpavs_witness_create(NULL);
    MUST(mpavs_witness_acquire(w, rpc, n) == 0);
    json_t *state = json_array(), *codes = json_array(), *keys = json_array(), *out = json_object();
    long idx = 0;
    for (size_t i = 0; i < mpavs_witness_account_count(w); i++) {
        mpavs_address a;
        const uint8_t(*slots)[32];
        size_t ns;
        mpavs_witness_account_at(w, &a, &slots, &ns, i);
        char p[8192];
        size_t o = (size_t)snprintf(p, sizeof p, "[\"0x%s\",[", harness_hex(a.bytes, 20));
        json_array_append_new(keys, json_sprintf("0x%s", harness_hex(a.bytes, 20)));
        for (size_t k = 0; k < ns && k < 100; k++) {
            o += (size_t)snprintf(p + o, sizeof p - o, "%s\"0x%s\"", k ? "," : "", harness_hex(slots[k], 32));
            json_array_append_new(keys, json_sprintf("0x%s", harness_hex(slots[k], 32)));
        }
        snprintf(p + o, sizeof p - o, "],\"0x%llx\"]", (unsigned long long)(n - 1));
        json_t *j = anvil_call_json(rpc, "eth_getProof", p);
        MUST(j);
        json_t *lists[101];
        size_t nl = 0;
        lists[nl++] = json_object_get(j, "accountProof");
        size_t si;
        json_t *sp;
        json_array_foreach(json_object_get(j, "storageProof"), si, sp) lists[nl++] = json_object_get(sp, "proof");
        for (size_t l = 0; l < nl; l++) {
            size_t k;
            json_t *e;
            json_array_foreach(lists[l], k, e) {
                const char *s = json_string_value(e);
                if (idx++ == alter) {
                    if (alter_mode == 1) continue;
                    char *c = strdup(s);
                    c[strlen(c) - 1] = c[strlen(c) - 1] == '0' ? '1' : '0';
                    json_array_append_new(state, json_string(c));
                    free(c);
                } else {
                    json_array_append_new(state, json_string(s));
                }
            }
        }
        uint8_t ch[32];
        const uint8_t *code;
        size_t cl;
        if (hex32(ch, json_object_get(j, "codeHash")) && mpavs_witness_code(w, &code, &cl, ch) && cl) {
            char *hx = malloc(2 * cl + 3);
            snprintf(hx, 3, "0x");
            MUST(mpavs_hex_encode(hx + 2, 2 * cl + 1, code, cl, false) == 0);
            json_array_append_new(codes, json_string(hx));
            free(hx);
        }
        json_decref(j);
    }
    json_object_set_new(out, "state", state);
    json_object_set_new(out, "codes", codes);
    json_object_set_new(out, "keys", keys);
    json_object_set_new(out, "headers", json_array());
    *nnodes = (size_t)idx;
    char *s = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    mpavs_witness_destroy(w);
    return s;
}

TEST(execution_witness_parser) {
    uint64_t n = blocks[2]; /* deletions and the CREATE2 */
    uint8_t proot[32];
    REQUIRE(block_state_root(proot, n - 1));
    size_t nn;
    char *js = build_exec_witness(n, -1, 0, &nn);
    const char *seed = getenv("WITNESS_SEED_OUT"); /* a fuzz seed: mode byte 0, then the JSON */
    FILE *sf = seed ? fopen(seed, "wb") : NULL;
    if (sf) {
        fputc(0, sf);
        fputs(js, sf);
        fclose(sf);
    }
    mpavs_witness *w = mpavs_witness_create(NULL);
    CHECK_EQ_INT(mpavs_witness_parse_execution_witness(w, js, strlen(js)), 0);
    CHECK_EQ_INT(mpavs_witness_check(w, proot), 0);
    size_t slots = 0;
    CHECK(compare_state(w, proot, n - 1, &slots) >= 4 && slots >= 20);
    mpavs_witness_destroy(w);
    free(js);
    fprintf(stderr, "  executionWitness built from %zu proof nodes: parsed and checked, %zu slots equal\n", nn, slots);
    /* each node of the first few altered or dropped: refused, never crashing */
    int refused = 0, tried = 0;
    for (long k = 0; k < (long)nn && k < 12; k++) {
        for (int mode = 0; mode < 2; mode++) {
            size_t dummy;
            js = build_exec_witness(n, k, mode, &dummy);
            w = mpavs_witness_create(NULL);
            int r = mpavs_witness_parse_execution_witness(w, js, strlen(js));
            if (r == 0) r = mpavs_witness_check(w, proot);
            tried++;
            if (r == MPAVS_WITNESS_MISSING_NODE) {
                CHECK(strncmp(mpavs_witness_message(w), "missing trie node 0x", 20) == 0);
                refused++;
            } else if (r == MPAVS_WITNESS_ERR_NODE) {
                refused++;
            } else if (r == 0) {
                /* the node was a duplicate present elsewhere in the answer (same path of two proofs) */
            } else {
                fprintf(stderr, "  unexpected %s\n", mpavs_witness_strerror(r));
                CHECK(0);
            }
            mpavs_witness_destroy(w);
            free(js);
        }
    }
    fprintf(stderr, "  %d of %d altered/dropped nodes refused (the rest duplicates)\n", refused, tried);
    CHECK(refused >= tried / 2);
}

static int acquire_with(const mpavs_witness_limits *l, const mpavs_rpc_options *o, uint64_t n, char *msg, size_t cap) {
    mpavs_rpc *c = o ? mpavs_rpc_create(anvil.url, o) : rpc;
    mpavs_witness *w = mpavs_witness_create(l);
    int r = mpavs_witness_acquire(w, c, n);
    snprintf(msg, cap, "%s", mpavs_witness_message(w));
    mpavs_witness_destroy(w);
    if (o) mpavs_rpc_destroy(c);
    return r;
}

TEST(limits_refused) {
    uint64_t n = blocks[2];
    char msg[512];
    struct {
        const char *what;
        size_t off;
        size_t value;
        int want;
    } cases[] = {
        {"nodes", offsetof(mpavs_witness_limits, max_nodes), 5, MPAVS_WITNESS_ERR_LIMIT_NODES},
        {"bytes", offsetof(mpavs_witness_limits, max_bytes), 3000, MPAVS_WITNESS_ERR_LIMIT_BYTES},
        {"accounts", offsetof(mpavs_witness_limits, max_accounts), 2, MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS},
        {"slots", offsetof(mpavs_witness_limits, max_slots), 3, MPAVS_WITNESS_ERR_LIMIT_SLOTS},
        {"headers", offsetof(mpavs_witness_limits, max_headers), 1, MPAVS_WITNESS_ERR_LIMIT_HEADERS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpavs_witness_limits l;
        mpavs_witness_limits_default(&l);
        *(size_t *)((char *)&l + cases[i].off) = cases[i].value;
        int r = acquire_with(&l, NULL, n, msg, sizeof msg);
        fprintf(stderr, "  max_%s = %zu: %s (%s)\n", cases[i].what, cases[i].value, mpavs_witness_strerror(r), msg);
        CHECK_EQ_INT(r, cases[i].want);
    }
    mpavs_witness_limits l;
    mpavs_witness_limits_default(&l);
    l.max_rpc_ms = 1;
    int r = acquire_with(&l, NULL, n, msg, sizeof msg);
    fprintf(stderr, "  max_rpc_ms = 1: %s (%s)\n", mpavs_witness_strerror(r), msg);
    CHECK_EQ_INT(r, MPAVS_WITNESS_ERR_LIMIT_TIME);
    mpavs_rpc_options o = {.max_reply_bytes = 600};
    r = acquire_with(NULL, &o, n, msg, sizeof msg);
    fprintf(stderr, "  replies over 600 bytes: %s (%s)\n", mpavs_witness_strerror(r), msg);
    CHECK_EQ_INT(r, MPAVS_WITNESS_ERR_LIMIT_BYTES);
}


/* ---- a lying node: a JSON-RPC proxy to anvil that alters one kind of answer ---- */

enum { LIE_PROOF_NODE, LIE_ROOT_NODE, LIE_DROP_NODE, LIE_CODE, LIE_RAW_TX, LIE_HEADER, LIE_HUGE_TRACE };
static int lie_mode;

/* Alter the result of method per lie_mode. Returns the new result (owned by the caller) or res. */
static json_t *lie(void *arg, const char *method, const json_t *params, json_t *res) {
    (void)arg, (void)params;
    if (lie_mode == LIE_PROOF_NODE && !strcmp(method, "eth_getProof")) {
        json_t *ap = json_object_get(res, "accountProof");
        size_t n = json_array_size(ap);
        if (n) { /* flip the last hex digit of the last node: it no longer hashes to its reference */
            char *c = strdup(json_string_value(json_array_get(ap, n - 1)));
            c[strlen(c) - 1] = c[strlen(c) - 1] == '0' ? '1' : '0';
            json_array_set_new(ap, n - 1, json_string(c));
            free(c);
        }
    } else if (lie_mode == LIE_ROOT_NODE && !strcmp(method, "eth_getProof")) {
        json_t *ap = json_object_get(res, "accountProof");
        if (json_array_size(ap)) { /* a digit inside the 9th child reference of the root branch: still a valid node */
            char *c = strdup(json_string_value(json_array_get(ap, 0)));
            size_t at = 2 + 2 * (3 + 8 * 33 + 10);
            if (strlen(c) > at) c[at] = c[at] == '0' ? '1' : '0';
            json_array_set_new(ap, 0, json_string(c));
            free(c);
        }
    } else if (lie_mode == LIE_DROP_NODE && !strcmp(method, "eth_getProof")) {
        json_t *ap = json_object_get(res, "accountProof");
        if (json_array_size(ap) > 1) json_array_remove(ap, 1);
    } else if (lie_mode == LIE_CODE && !strcmp(method, "eth_getCode")) {
        json_t *o = rpcproxy_flip_digit(res, 2);
        if (o) return o;
    } else if (lie_mode == LIE_RAW_TX && !strcmp(method, "eth_getRawTransactionByHash")) {
        json_t *o = rpcproxy_flip_digit(res, -1);
        if (o) return o;
    } else if (lie_mode == LIE_HEADER && !strcmp(method, "eth_getBlockByNumber")) {
        json_object_set_new(res, "stateRoot", json_string("0x1111111111111111111111111111111111111111111111111111111111111111"));
    } else if (lie_mode == LIE_HUGE_TRACE && !strcmp(method, "debug_traceBlockByNumber")) {
        /* many made-up accounts in one trace */
        json_t *arr = json_array(), *r0 = json_object();
        for (unsigned i = 0; i < 3000; i++) {
            char a[43];
            snprintf(a, sizeof a, "0x%040x", i + 1000);
            json_object_set_new(r0, a, json_pack("{s:s}", "balance", "0x1"));
        }
        json_array_append_new(arr, json_pack("{s:s,s:o}", "txHash", "0x00", "result", r0));
        return arr;
    }
    return res;
}

TEST(lying_node_refused) {
    rpcproxy *proxy = rpcproxy_start(anvil.url, lie, NULL);
    REQUIRE(proxy);
    const char *url = rpcproxy_url(proxy);
    mpavs_rpc_options o = {.max_retries = 0};
    mpavs_rpc *liar = mpavs_rpc_create(url, &o);
    struct {
        int mode;
        const char *what;
        int want1, want2; /* from acquire, or from the check after a successful acquire */
    } cases[] = {
        {LIE_PROOF_NODE, "altered account-proof node", MPAVS_WITNESS_MISSING_NODE, MPAVS_WITNESS_ERR_NODE},
        {LIE_ROOT_NODE, "state root node with an altered child reference", MPAVS_WITNESS_MISSING_NODE, MPAVS_WITNESS_MISSING_NODE},
        {LIE_DROP_NODE, "account-proof node left out", MPAVS_WITNESS_MISSING_NODE, MPAVS_WITNESS_MISSING_NODE},
        {LIE_CODE, "altered code", MPAVS_WITNESS_ERR_HASH, MPAVS_WITNESS_ERR_HASH},
        {LIE_RAW_TX, "altered raw transaction", MPAVS_WITNESS_ERR_HASH, MPAVS_WITNESS_ERR_HASH},
        {LIE_HEADER, "forged header stateRoot", MPAVS_WITNESS_ERR_HASH, MPAVS_WITNESS_ERR_HASH},
        {LIE_HUGE_TRACE, "trace of 3000 accounts (limit 1000)", MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS, MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lie_mode = cases[i].mode;
        mpavs_witness_limits l;
        mpavs_witness_limits_default(&l);
        l.max_accounts = 1000;
        mpavs_witness *w = mpavs_witness_create(&l);
        uint64_t n = blocks[2]; /* deploy-time code is fetched in blocks after the deployment */
        int r = mpavs_witness_acquire(w, liar, n);
        const char *stage = "acquire";
        if (r == 0) {
            r = mpavs_witness_check(w, mpavs_witness_header(w, n - 1)->state_root);
            stage = "check";
        }
        fprintf(stderr, "  %s: refused at %s: %s (%s)\n", cases[i].what, stage, mpavs_witness_strerror(r), mpavs_witness_message(w));
        CHECK(r == cases[i].want1 || r == cases[i].want2);
        if (r == MPAVS_WITNESS_MISSING_NODE) CHECK(strncmp(mpavs_witness_message(w), "missing trie node 0x", 20) == 0);
        mpavs_witness_destroy(w);
    }
    rpcproxy_stop(proxy);
    mpavs_rpc_destroy(liar);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *fork = getenv("WITNESS_HARDFORK"); /* prague by default; osaka also passes */
    const char *args[] = {"--hardfork", fork ? fork : "prague", "--no-mining", NULL};
    if (!harness_anvil_start(&anvil, args)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    workload();
    RUN(witness_per_block);
    RUN(execution_witness_parser);
    RUN(limits_refused);
    RUN(lying_node_refused);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

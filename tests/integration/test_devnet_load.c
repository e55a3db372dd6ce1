/*
 * Integration test on a real anvil (--no-mining: the test mines): the devnet load generator
 * (mpavs_devnet_load_*, mpavs/devnet.h). Three setup deployments and two cycles one transaction
 * per block, then a third cycle in one block; every receipt succeeds; the counters per kind; the
 * contracts' runtimes at the addresses the generator computed; the store's slots after a
 * deletion and an overwrite and the CREATE2 child (address, code, constructor slot) as anvil
 * says; the sender's nonce; every block re-executed statelessly with the anvil preset (what
 * mpavs-prover does with them). A second generator on the same account has a stale nonce: its
 * send is refused, counted, and the next one goes through at the re-read nonce.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"

#include "mpavs/devnet.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/stateless.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_ecdsa_ctx *ecdsa;
static mpavs_devnet_load *gen;
static uint8_t sk[32];
static uint64_t head;

/* anvil dev account 9, as `mpavs devnet up` uses */
static const char KEY9[] = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
static const char ADDR9[] = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
/* the store's runtime, and the init code the workload's CREATE and CREATE2 deploy */
static const char STORE_RT[] = "0x6020356000355500";
static const char CHILD_INIT[] = "60016000556008601160003960086000f36020356000355500";

static void hexaddr(char out[43], const mpavs_address *a) { MUST(mpavs_hex_encode(out, 43, a->bytes, 20, true) == 0); }

/* eth_getCode(a) as 0x-hex text (malloc'd) */
static char *code_at(const mpavs_address *a) {
    char p[80], h[43];
    hexaddr(h, a);
    snprintf(p, sizeof p, "[\"%s\",\"latest\"]", h);
    json_t *v = anvil_call_json(rpc, "eth_getCode", p);
    char *s = strdup(json_is_string(v) ? json_string_value(v) : "?");
    json_decref(v);
    return s;
}

/* eth_getStorageAt(a, slot) as 0x-hex text of 32 bytes (malloc'd) */
static char *slot_at(const mpavs_address *a, uint64_t slot) {
    char p[120], h[43];
    hexaddr(h, a);
    snprintf(p, sizeof p, "[\"%s\",\"0x%llx\",\"latest\"]", h, (unsigned long long)slot);
    json_t *v = anvil_call_json(rpc, "eth_getStorageAt", p);
    char *s = strdup(json_is_string(v) ? json_string_value(v) : "?");
    json_decref(v);
    return s;
}

/* The workload's value of step s: keccak256('v' ‖ be64(s)) with bit 0 of byte 0 set. */
static void step_value(char out[67], uint64_t s) {
    uint8_t in[9] = {'v'}, h[32];
    for (int i = 0; i < 8; i++) in[1 + i] = (uint8_t)(s >> (8 * (7 - i)));
    mpavs_keccak256(h, in, sizeof in);
    h[0] |= 1;
    MUST(mpavs_hex_encode(out, 67, h, 32, true) == 0);
}

static void send_ok(size_t n) {
    size_t sent = 99;
    mpavs_error e = {0};
    int r = mpavs_devnet_load_send(gen, &sent, &e, n);
    if (r) fprintf(stderr, "  send: %s\n", e.message);
    CHECK_EQ_INT(r, MPAVS_DEVNET_OK);
    CHECK_EQ_INT(sent, n);
    mpavs_error_clear(&e);
}

TEST(workload_mined) {
    mpavs_error e = {0};
    REQUIRE(mpavs_devnet_load_create(&gen, &e, rpc, sk, NULL) == MPAVS_DEVNET_OK);
    mpavs_devnet_load_stats st;
    mpavs_devnet_load_get_stats(gen, &st);
    char a[43];
    mpavs_address_to_checksum(a, &st.sender);
    CHECK_STREQ(a, ADDR9);
    CHECK_EQ_INT(st.next_nonce, 0);
    CHECK_EQ_INT(st.sent, 0);
    /* setup + two cycles, one transaction per block */
    for (int i = 0; i < 3 + 16; i++) {
        send_ok(1);
        head = anvil_mine(rpc);
    }
    /* a third cycle in one block */
    send_ok(8);
    head = anvil_mine(rpc);
    CHECK_EQ_INT(head, 20);
    json_t *b = anvil_call_json(rpc, "eth_getBlockByNumber", "[\"latest\", false]");
    CHECK_EQ_INT(json_array_size(json_object_get(b, "transactions")), 8);
    json_decref(b);

    mpavs_devnet_load_get_stats(gen, &st);
    CHECK_EQ_INT(st.sent, 27);
    CHECK_EQ_INT(st.refused, 0);
    CHECK_EQ_INT(st.next_nonce, 27);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_CREATE], 3 + 3);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_TRANSFER], 6);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_CREATE2], 3);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_STORE], 6);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_DELETE], 3);
    CHECK_EQ_INT(st.by_kind[MPAVS_DEVNET_LOAD_CALL], 3);
    CHECK_STREQ(mpavs_devnet_load_kind_name(MPAVS_DEVNET_LOAD_CREATE2), "create2");
    CHECK_STREQ(mpavs_devnet_load_kind_name(MPAVS_DEVNET_LOAD_KINDS), "?");

    /* every receipt succeeded */
    size_t nrec = 0, okrec = 0;
    for (uint64_t n = 1; n <= head; n++) {
        char p[48];
        snprintf(p, sizeof p, "[\"0x%llx\"]", (unsigned long long)n);
        json_t *rs = anvil_call_json(rpc, "eth_getBlockReceipts", p);
        size_t i;
        json_t *r;
        json_array_foreach(rs, i, r) {
            nrec++;
            const char *status = json_string_value(json_object_get(r, "status"));
            okrec += status && !strcmp(status, "0x1");
        }
        json_decref(rs);
    }
    CHECK_EQ_INT(nrec, 27);
    CHECK_EQ_INT(okrec, 27);

    /* the contracts where the generator said, with their runtimes (the store's address is nonce 0's) */
    char *c = code_at(&st.store);
    CHECK_STREQ(c, STORE_RT);
    free(c);
    c = code_at(&st.forwarder);
    CHECK_STREQ(c, "0x6000600060203603806020600037600060006000355af100");
    free(c);
    c = code_at(&st.factory);
    CHECK_STREQ(c, "0x6000356020360380602060003760006000f500");
    free(c);

    /* store slots (step: what): 4: slot 1; 6: slot 2 (forwarder); 7: delete 1; 10: overwrite 2; 12: slot 3;
       14: slot 4; 15: delete 2; 18: overwrite 4; 20: slot 5; 22: slot 6; 23: delete 3; 26: overwrite 6 */
    static const char ZERO[] = "0x0000000000000000000000000000000000000000000000000000000000000000";
    static const struct { uint64_t slot, step; } LIVE[] = {{4, 18}, {5, 20}, {6, 26}};
    char want[67], *s;
    for (uint64_t k = 1; k <= 3; k++) {
        s = slot_at(&st.store, k);
        CHECK_STREQ(s, ZERO);
        free(s);
    }
    for (size_t k = 0; k < 3; k++) {
        step_value(want, LIVE[k].step);
        s = slot_at(&st.store, LIVE[k].slot);
        CHECK_STREQ(s, want);
        free(s);
    }
    s = slot_at(&st.store, 7);
    CHECK_STREQ(s, ZERO);
    free(s);

    /* the CREATE2 child of step 8: keccak256(0xff ‖ factory ‖ salt ‖ keccak256(init))[12..] */
    uint8_t init[64], buf[85], h[32];
    size_t il = 0;
    MUST(mpavs_hex_decode(init, sizeof init, &il, CHILD_INIT, strlen(CHILD_INIT)) == 0);
    buf[0] = 0xff;
    memcpy(buf + 1, st.factory.bytes, 20);
    memset(buf + 21, 0, 32);
    buf[52] = 8;
    mpavs_keccak256(buf + 53, init, il);
    mpavs_keccak256(h, buf, sizeof buf);
    mpavs_address child;
    memcpy(child.bytes, h + 12, 20);
    c = code_at(&child);
    CHECK_STREQ(c, STORE_RT);
    free(c);
    s = slot_at(&child, 0);
    CHECK_STREQ(s, "0x0000000000000000000000000000000000000000000000000000000000000001");
    free(s);

    uint64_t nonce = 0;
    CHECK(mpavs_rpc_get_transaction_count(rpc, &nonce, &e, st.sender.bytes, "latest") == 0);
    CHECK_EQ_INT(nonce, 27);
    mpavs_error_clear(&e);
}

TEST(every_block_reexecuted) {
    REQUIRE(head == 20);
    mpavs_stateless_config cfg;
    REQUIRE(mpavs_stateless_preset(&cfg, "anvil") == 0);
    mpavs_rpc_block b1 = {0};
    bool found = false;
    mpavs_error e = {0};
    REQUIRE(mpavs_rpc_get_block_by_number(rpc, &b1, &found, &e, "0x1") == 0 && found);
    mpavs_stateless_cursor *cur = mpavs_stateless_cursor_create(1, b1.hash);
    mpavs_rpc_block_clear(&b1);
    REQUIRE(cur != NULL);
    uint64_t gas = 0, txs = 0, ok = 0;
    for (uint64_t n = 2; n <= head; n++) {
        mpavs_stateless_outcome o;
        int r = mpavs_stateless_cursor_next(cur, &o, rpc, &cfg, ecdsa, NULL);
        if (r) fprintf(stderr, "  block %llu refused: %s: %s\n", (unsigned long long)n, mpavs_stateless_strerror(r), o.message);
        else ok++;
        gas += o.stats.gas_used;
        txs += o.stats.tx_count;
    }
    mpavs_stateless_cursor_destroy(cur);
    fprintf(stderr, "  blocks 2..%llu re-executed: %llu txs, %llu gas\n", (unsigned long long)head,
            (unsigned long long)txs, (unsigned long long)gas);
    CHECK_EQ_INT(ok, head - 1);
    CHECK_EQ_INT(txs, 26); /* the store's deployment is block 1 */
    CHECK(gas > 26 * 21000);
}

TEST(stale_nonce_refused_then_resynced) {
    REQUIRE(gen != NULL);
    mpavs_devnet_load *g2 = NULL;
    mpavs_error e = {0};
    REQUIRE(mpavs_devnet_load_create(&g2, &e, rpc, sk, NULL) == MPAVS_DEVNET_OK);
    send_ok(1); /* the first generator takes nonce 27 */
    size_t sent = 99;
    int r = mpavs_devnet_load_send(g2, &sent, &e, 1);
    CHECK_EQ_INT(r, MPAVS_DEVNET_ERR_RPC);
    CHECK_EQ_INT(sent, 0);
    CHECK(strstr(e.message, "nonce 27") != NULL);
    mpavs_error_clear(&e);
    mpavs_devnet_load_stats st;
    mpavs_devnet_load_get_stats(g2, &st);
    CHECK_EQ_INT(st.refused, 1);
    CHECK_EQ_INT(st.sent, 0);
    CHECK_EQ_INT(st.next_nonce, 28); /* re-read (pending) */
    r = mpavs_devnet_load_send(g2, &sent, &e, 1);
    CHECK_EQ_INT(r, MPAVS_DEVNET_OK);
    CHECK_EQ_INT(sent, 1);
    mpavs_error_clear(&e);
    anvil_mine(rpc);
    mpavs_devnet_load_get_stats(g2, &st);
    char *c = code_at(&st.store); /* its store went to nonce 28's address */
    CHECK_STREQ(c, STORE_RT);
    free(c);
    mpavs_devnet_load_destroy(g2);
    mpavs_devnet_load_destroy(NULL);
    CHECK_EQ_INT(mpavs_devnet_load_create(NULL, NULL, rpc, sk, NULL), MPAVS_DEVNET_ERR_ARG);
    uint8_t zero[32] = {0};
    CHECK_EQ_INT(mpavs_devnet_load_create(&g2, NULL, rpc, zero, NULL), MPAVS_DEVNET_ERR_ARG);
    CHECK(g2 == NULL);
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
    MUST(mpavs_hex_decode_exact(sk, 32, KEY9) == 0);
    RUN(workload_mined);
    RUN(every_block_reexecuted);
    RUN(stale_nonce_refused_then_resynced);
    mpavs_devnet_load_destroy(gen);
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

/*
 * EIP-7702 (type 4) transactions against independent implementations: cast
 * (foundry) signs an authorization and builds a set-code transaction, which
 * mpavs_tx_parse must decode with the sender and authority cast's keys have;
 * anvil (--hardfork prague) must accept it under the hash mpavs_tx_hash
 * computes and install the delegation (0xef0100 ‖ address) at the authority
 * mpavs_tx_authority recovered. Then the other way: a type-4 transaction and
 * authorization signed by libmpavs are sent to anvil, which must accept them
 * and delegate the account our authority function names. ~3 s.
 */
#include "anvil.h"
#include "harness.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/rlp.h"
#include "mpavs/rpc.h"
#include "mpavs/tx.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_ecdsa_ctx *ctx;

/* anvil's dev keys 0 and 1 */
#define KEY1 "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
#define ADDR1 "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

/* Run a shell command, return its first output line (malloc'd, newline stripped) or NULL. */
static char *run(const char *cmd) {
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, p);
    int rc = pclose(p);
    if (n <= 0 || rc != 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    return line;
}

static char *call(const char *method, const char *params) {
    char *res = NULL;
    mpavs_rpc_error e = {0};
    if (mpavs_rpc_call(rpc, &res, &e, method, params) != MPAVS_RPC_OK) {
        fprintf(stderr, "  %s: %s\n", method, e.message);
        mpavs_rpc_error_clear(&e);
        return NULL;
    }
    return res;
}

static bool code_is_delegation(const mpavs_address *who, const mpavs_address *to) {
    char params[128];
    snprintf(params, sizeof params, "[\"0x%s\",\"latest\"]", harness_hex(who->bytes, 20));
    char *res = call("eth_getCode", params);
    if (!res) return false;
    char want[64];
    snprintf(want, sizeof want, "\"0xef0100%s\"", harness_hex(to->bytes, 20));
    bool ok = strcmp(res, want) == 0;
    if (!ok) fprintf(stderr, "  code %s, want %s\n", res, want);
    free(res);
    return ok;
}

/* Send raw bytes; the hash anvil answers must be ours. */
static bool send_raw(const uint8_t *raw, size_t len, const uint8_t hash[32]) {
    char *hex = malloc(2 * len + 3);
    char *params = malloc(2 * len + 16);
    snprintf(hex, 2 * len + 3, "0x%s", harness_hex(raw, len));
    snprintf(params, 2 * len + 16, "[\"%s\"]", hex);
    char *res = call("eth_sendRawTransaction", params);
    free(hex);
    free(params);
    if (!res) return false;
    char want[80];
    snprintf(want, sizeof want, "\"0x%s\"", harness_hex(hash, 32));
    bool ok = strcmp(res, want) == 0;
    if (!ok) fprintf(stderr, "  anvil hash %s, ours %s\n", res, want);
    free(res);
    res = call("evm_mine", "[]");
    free(res);
    return ok;
}

TEST(cast_built_set_code_tx) {
    mpavs_address sender, authority, delegate;
    REQUIRE(mpavs_address_parse(&sender, ANVIL_ADDR0) == 0 && mpavs_address_parse(&authority, ADDR1) == 0);
    memset(delegate.bytes, 0x5a, 20);
    char cmd[1024], dhex[43];
    snprintf(dhex, sizeof dhex, "0x%s", harness_hex(delegate.bytes, 20));
    /* the authority's current nonce is 0 and it is not the sender: authorization nonce 0 */
    snprintf(cmd, sizeof cmd,
             "\"${MPAVS_ROOT:-.}/.tools/bin/cast\" wallet sign-auth %s --private-key %s --nonce 0 --chain 31337 2>/dev/null",
             dhex, KEY1);
    char *auth = run(cmd);
    REQUIRE(auth);
    snprintf(cmd, sizeof cmd,
             "\"${MPAVS_ROOT:-.}/.tools/bin/cast\" mktx --private-key %s --rpc-url %s --auth %s "
             "--gas-limit 100000 0x000000000000000000000000000000000000dEaD 2>/dev/null",
             ANVIL_KEY0, anvil.url, auth);
    free(auth);
    char *txhex = run(cmd);
    REQUIRE(txhex);
    size_t cap = strlen(txhex) / 2 + 1;
    uint8_t *raw = malloc(cap);
    long n = harness_unhex(raw, cap, txhex);
    free(txhex);
    REQUIRE(n > 0);
    mpavs_tx tx;
    REQUIRE(mpavs_tx_parse(&tx, raw, (size_t)n) == 0);
    CHECK_EQ_INT(tx.type, MPAVS_TX_TYPE_EIP7702);
    CHECK_EQ_INT(tx.chain_id, 31337);
    CHECK_EQ_INT(tx.authorization_count, 1);
    mpavs_address from, who;
    CHECK(mpavs_tx_sender(ctx, &from, &tx) == 0 && memcmp(from.bytes, sender.bytes, 20) == 0);
    mpavs_tx_authorization a;
    size_t cnt;
    REQUIRE(mpavs_tx_authorizations(&a, 1, &cnt, &tx) == 0 && cnt == 1);
    CHECK(memcmp(a.address.bytes, delegate.bytes, 20) == 0 && a.nonce == 0);
    CHECK(mpavs_tx_authority(ctx, &who, &a) == 0 && memcmp(who.bytes, authority.bytes, 20) == 0);
    CHECK(mpavs_tx_validate_static(&tx, 31337, 4) == 0);
    CHECK_EQ_INT(mpavs_tx_validate_static(&tx, 31337, 3), MPAVS_TX_ERR_TYPE_FORK);
    uint8_t h[32];
    CHECK(mpavs_tx_hash(h, &tx) == 0);
    /* exact re-encoding, then anvil accepts it under our hash and delegates the authority */
    uint8_t out[2048];
    size_t ol;
    CHECK(mpavs_tx_serialize(out, sizeof out, &ol, &tx) == 0 && ol == (size_t)n && memcmp(out, raw, ol) == 0);
    CHECK(send_raw(raw, (size_t)n, h));
    CHECK(code_is_delegation(&authority, &delegate));
    free(raw);
}

TEST(mpavs_built_set_code_tx) {
    uint8_t key0[32], key2[32];
    REQUIRE(harness_unhex(key0, 32, ANVIL_KEY0) == 32);
    /* a fresh authority with no account yet */
    memset(key2, 0x17, 32);
    mpavs_address sender, authority, delegate;
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &sender, key0) == 0);
    REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &authority, key2) == 0);
    memset(delegate.bytes, 0xa7, 20);
    char params[128];
    snprintf(params, sizeof params, "[\"0x%s\",\"latest\"]", harness_hex(sender.bytes, 20));
    char *res = call("eth_getTransactionCount", params);
    REQUIRE(res);
    uint64_t nonce = strtoull(res + 1, NULL, 16);
    free(res);
    res = call("eth_gasPrice", "[]");
    REQUIRE(res);
    uint64_t gp = strtoull(res + 1, NULL, 16);
    free(res);

    mpavs_tx_authorization au;
    memset(&au, 0, sizeof au);
    au.chain_id = mpavs_u256_from_u64(0); /* any chain */
    au.address = delegate;
    au.nonce = 0;
    REQUIRE(mpavs_tx_authorization_sign(ctx, &au, key2) == 0);
    uint8_t list[MPAVS_TX_AUTHORIZATION_MAX + 9], e[MPAVS_TX_AUTHORIZATION_MAX];
    mpavs_rlp_writer w;
    size_t mark, ll;
    mpavs_rlp_writer_init(&w, list, sizeof list);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_raw(&w, e, mpavs_tx_authorization_encode(e, &au));
    mpavs_rlp_list_end(&w, mark);
    REQUIRE(mpavs_rlp_writer_finish(&w, &ll) == 0);

    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP7702);
    tx.chain_id = 31337;
    tx.nonce = nonce;
    tx.max_fee_per_gas = mpavs_u256_from_u64(gp * 2 + 1000000000);
    tx.max_priority_fee_per_gas = mpavs_u256_from_u64(1000000000);
    tx.gas_limit = 100000;
    tx.has_to = true;
    memset(tx.to.bytes, 0xde, 20);
    tx.authorization_list_rlp = list;
    tx.authorization_list_rlp_len = ll;
    REQUIRE(mpavs_tx_sign(ctx, &tx, key0) == 0);
    uint8_t raw[1024], h[32];
    size_t len;
    REQUIRE(mpavs_tx_serialize(raw, sizeof raw, &len, &tx) == 0 && mpavs_tx_hash(h, &tx) == 0);
    CHECK(send_raw(raw, len, h));
    CHECK(code_is_delegation(&authority, &delegate));
    /* anvil's view of the transaction names our authorization */
    char p2[128];
    snprintf(p2, sizeof p2, "[\"0x%s\"]", harness_hex(h, 32));
    res = call("eth_getTransactionByHash", p2);
    REQUIRE(res);
    json_t *j = json_loads(res, 0, NULL);
    free(res);
    REQUIRE(j);
    json_t *al = json_object_get(j, "authorizationList");
    CHECK(json_array_size(al) == 1);
    const char *addr = json_string_value(json_object_get(json_array_get(al, 0), "address"));
    char want[43];
    snprintf(want, sizeof want, "0x%s", harness_hex(delegate.bytes, 20));
    CHECK(addr && strcasecmp(addr, want) == 0);
    json_decref(j);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *args[] = {"--hardfork", "prague", NULL};
    if (!harness_anvil_start(&anvil, args)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    ctx = mpavs_ecdsa_ctx_create();
    RUN(cast_built_set_code_tx);
    RUN(mpavs_built_set_code_tx);
    mpavs_ecdsa_ctx_destroy(ctx);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

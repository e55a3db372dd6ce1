/*
 * The transaction sender's caps and modes on a real anvil, read back from the mined
 * transactions (eth_getTransactionByHash): max fee and priority fee caps, the gas limit cap
 * (cut to it, or refused when the estimate is above it), legacy (type 0) transactions priced
 * from eth_gasPrice, simulation (nothing sent, nonce unchanged) and the observer's events.
 */
#include "anvil.h"
#include "harness.h"

#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/sender.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static uint8_t key0[32];
static mpavs_address addr0, dest;

typedef struct {
    mpavs_sender_event ev[8];
    int n;
} events;

static void observe(void *arg, const mpavs_sender_event *ev) {
    events *e = arg;
    if (e->n < 8) e->ev[e->n++] = *ev;
}

static uint64_t nonce_now(void) {
    uint64_t n = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_get_transaction_count(rpc, &n, &e, addr0.bytes, "latest") != MPAVS_RPC_OK) n = UINT64_MAX;
    mpavs_error_clear(&e);
    return n;
}

/* A field of eth_getTransactionByHash(hash) as a u256 (hex quantity); false when absent. */
static bool tx_field(mpavs_u256 *out, const uint8_t hash[32], const char *field) {
    char params[80] = "[\"0x";
    for (int i = 0; i < 32; i++) snprintf(params + 4 + 2 * i, 3, "%02x", hash[i]);
    strcat(params, "\"]");
    char *res = NULL;
    mpavs_error e = {0};
    bool ok = false;
    if (mpavs_rpc_call(rpc, &res, &e, "eth_getTransactionByHash", params) == MPAVS_RPC_OK) {
        json_error_t je;
        json_t *o = json_loads(res, 0, &je);
        const char *v = json_string_value(json_object_get(o, field));
        ok = v && mpavs_u256_parse(out, v, strlen(v)) == MPAVS_U256_OK;
        json_decref(o);
    }
    free(res);
    mpavs_error_clear(&e);
    return ok;
}

static uint64_t u64_of(const mpavs_u256 *v) { return v->w[0]; }

static mpavs_u256 base_fee(void) {
    mpavs_rpc_block b = {0};
    bool found = false;
    mpavs_error e = {0};
    mpavs_u256 z = mpavs_u256_from_u64(0);
    if (mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, "latest") == MPAVS_RPC_OK && found) z = b.base_fee;
    mpavs_rpc_block_clear(&b);
    mpavs_error_clear(&e);
    return z;
}

TEST(simulate_sends_nothing) {
    events ev = {0};
    mpavs_sender_options o = {.poll_interval_ms = 50, .simulate = true, .observer = observe, .observer_arg = &ev};
    mpavs_sender *s = NULL;
    mpavs_error e = {0};
    REQUIRE(mpavs_sender_create(&s, &e, rpc, key0, &o) == MPAVS_SENDER_OK);
    uint64_t n0 = nonce_now();
    mpavs_u256 one = mpavs_u256_from_u64(1);
    mpavs_sender_result res;
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 0, NULL, 0), MPAVS_SENDER_OK);
    CHECK(res.simulated && res.success);
    CHECK_EQ_INT(res.gas_limit, 21000 + 21000 / 4);
    mpavs_sender_result_clear(&res);
    CHECK_EQ_INT(nonce_now(), n0);
    REQUIRE(ev.n == 1);
    CHECK_EQ_INT(ev.ev[0].kind, MPAVS_SENDER_EVENT_SIMULATED);
    CHECK_EQ_INT(ev.ev[0].gas_estimate, 21000);
    /* switched off: the same sender sends, and the observer hears of it */
    mpavs_sender_set_simulate(s, false);
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 0, NULL, 0), MPAVS_SENDER_OK);
    CHECK(!res.simulated && res.success);
    CHECK_EQ_INT(nonce_now(), n0 + 1);
    REQUIRE(ev.n == 2);
    CHECK_EQ_INT(ev.ev[1].kind, MPAVS_SENDER_EVENT_SENT);
    CHECK(memcmp(ev.ev[1].tx_hash, res.tx_hash, 32) == 0);
    CHECK_EQ_INT(ev.ev[1].nonce, n0);
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(s);
    mpavs_error_clear(&e);
}

TEST(fee_and_gas_caps_in_the_mined_transaction) {
    mpavs_u256 base = base_fee(), cap, three = mpavs_u256_from_u64(3), two = mpavs_u256_from_u64(2);
    REQUIRE(!mpavs_u256_is_zero(&base));
    /* 1.5 x base: below the sender's own 2 x base + tip, above what the block needs */
    mpavs_u256_mul(&cap, &base, &three);
    REQUIRE(mpavs_u256_divmod(&cap, NULL, &cap, &two) == MPAVS_U256_OK);
    mpavs_sender_options o = {.poll_interval_ms = 50, .max_fee_cap = cap,
                              .max_priority_fee_cap = mpavs_u256_from_u64(1000), .gas_limit_cap = 22000};
    mpavs_sender *s = NULL;
    mpavs_error e = {0};
    REQUIRE(mpavs_sender_create(&s, &e, rpc, key0, &o) == MPAVS_SENDER_OK);
    mpavs_u256 one = mpavs_u256_from_u64(1), v;
    mpavs_sender_result res;
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 0, NULL, 0), MPAVS_SENDER_OK);
    CHECK(res.success);
    CHECK_EQ_INT(res.gas_limit, 22000); /* 21000 + 25 % cut to the cap */
    REQUIRE(tx_field(&v, res.tx_hash, "maxFeePerGas"));
    CHECK(mpavs_u256_cmp(&v, &cap) == 0);
    REQUIRE(tx_field(&v, res.tx_hash, "maxPriorityFeePerGas"));
    CHECK_EQ_INT(u64_of(&v), 1000);
    REQUIRE(tx_field(&v, res.tx_hash, "gas"));
    CHECK_EQ_INT(u64_of(&v), 22000);
    REQUIRE(tx_field(&v, res.tx_hash, "type"));
    CHECK_EQ_INT(u64_of(&v), 2);
    mpavs_sender_result_clear(&res);
    /* a caller-given gas limit above the cap is cut too */
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 50000, NULL, 0), MPAVS_SENDER_OK);
    REQUIRE(tx_field(&v, res.tx_hash, "gas"));
    CHECK_EQ_INT(u64_of(&v), 22000);
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(s);
    mpavs_error_clear(&e);
}

TEST(gas_cap_below_the_estimate_is_refused) {
    mpavs_sender_options o = {.poll_interval_ms = 50, .gas_limit_cap = 20000};
    mpavs_sender *s = NULL;
    mpavs_error e = {0};
    REQUIRE(mpavs_sender_create(&s, &e, rpc, key0, &o) == MPAVS_SENDER_OK);
    uint64_t n0 = nonce_now();
    mpavs_u256 one = mpavs_u256_from_u64(1);
    mpavs_sender_result res;
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 0, NULL, 0), MPAVS_SENDER_ERR_GAS_CAP);
    CHECK(strstr(e.message, "gas estimate 21000 exceeds the gas limit cap 20000") != NULL);
    CHECK_EQ_INT(nonce_now(), n0);
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(s);
    mpavs_error_clear(&e);
}

TEST(legacy_transactions) {
    mpavs_u256 gp;
    mpavs_error e = {0};
    REQUIRE(mpavs_rpc_gas_price(rpc, &gp, &e) == MPAVS_RPC_OK);
    mpavs_sender_options o = {.poll_interval_ms = 50, .legacy = true, .max_fee_cap = gp};
    mpavs_sender *s = NULL;
    REQUIRE(mpavs_sender_create(&s, &e, rpc, key0, &o) == MPAVS_SENDER_OK);
    mpavs_u256 one = mpavs_u256_from_u64(1), v;
    mpavs_sender_result res;
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, dest.bytes, &one, NULL, 0, 0, NULL, 0), MPAVS_SENDER_OK);
    CHECK(res.success);
    REQUIRE(tx_field(&v, res.tx_hash, "type"));
    CHECK_EQ_INT(u64_of(&v), 0);
    REQUIRE(tx_field(&v, res.tx_hash, "gasPrice"));
    CHECK(mpavs_u256_cmp(&v, &gp) <= 0 && !mpavs_u256_is_zero(&v));
    CHECK(!tx_field(&v, res.tx_hash, "maxFeePerGas"));
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(s);
    mpavs_error_clear(&e);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!harness_anvil_start(&anvil, NULL)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    if (!rpc || harness_unhex(key0, 32, ANVIL_KEY0) != 32 || mpavs_address_parse(&addr0, ANVIL_ADDR0) != 0 ||
        mpavs_address_parse(&dest, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8") != 0)
        return 1;
    RUN(simulate_sends_nothing);
    RUN(fee_and_gas_caps_in_the_mined_transaction);
    RUN(gas_cap_below_the_estimate_is_refused);
    RUN(legacy_transactions);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

/*
 * Integration test on a real anvil: the registry state an aggregator reads (operators and
 * stakes from OperatorStateRetriever, BLS keys from NewPubkeyRegistration logs), joined into
 * mpavs/aggregate.h, whose outcome must be accepted by MultiProverServiceManager.confirmState.
 */
#include "anvil.h"
#include "harness.h"

#include "mpavs/abi.h"
#include "mpavs/aggregate.h"
#include "mpavs/bls.h"
#include "mpavs/devnet.h"
#include "mpavs/registry.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <time.h>

#define NOPS 3
/* anvil dev accounts 1, 2 and 3 */
static const char *const KEYS[NOPS] = {"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
                                      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
                                      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"};
static const uint64_t ETH = 1000000000000000000ull;

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_contracts_ctx dep;
static mpavs_contracts_deployment D;

typedef struct {
    uint8_t key[32], bls[32], id[32];
    mpavs_contracts_ctx c;
    mpavs_bn254_g1 pk1;
} op_t;
static op_t ops[NOPS];
static bool ready;

static bool open_ctx(mpavs_contracts_ctx *c, const uint8_t key[32]) {
    if (mpavs_contracts_init(c, rpc, NULL)) return false;
    mpavs_error e = {0};
    mpavs_sender_options o = {.poll_interval_ms = 20};
    bool ok = mpavs_sender_create(&c->sender, &e, rpc, key, &o) == MPAVS_SENDER_OK;
    mpavs_error_clear(&e);
    return ok;
}

TEST(deploy_and_register) {
    uint8_t k0[32];
    REQUIRE(harness_unhex(k0, 32, ANVIL_KEY0) == 32);
    REQUIRE(open_ctx(&dep, k0));
    mpavs_devnet_deploy_options opt = {.artifacts_dir = harness_path("contracts/out")};
    int r = mpavs_devnet_deploy(&dep, &D, &opt);
    if (r) fprintf(stderr, "deploy: %s\n", dep.error.message);
    REQUIRE(r == MPAVS_DEVNET_OK);
    for (int i = 0; i < NOPS; i++) {
        op_t *op = &ops[i];
        REQUIRE(harness_unhex(op->key, 32, KEYS[i]) == 32);
        REQUIRE(mpavs_bls_keygen(op->bls) == 0 && mpavs_bls_pubkey_g1(&op->pk1, op->bls) == 0);
        mpavs_bls_operator_id(op->id, &op->pk1);
        REQUIRE(open_ctx(&op->c, op->key));
        mpavs_u256 amount = mpavs_u256_from_u64((uint64_t)(i + 2) * ETH); /* 2, 3, 4 */
        const mpavs_address *me = mpavs_sender_address(op->c.sender);
        uint8_t salt[32] = {(uint8_t)(i + 1)};
        static const uint8_t q0[1] = {0};
        REQUIRE(mpavs_devnet_token_transfer(&dep, &D, me, &amount) == 0);
        REQUIRE(mpavs_contracts_register_as_operator(&op->c, &D) == 0);
        REQUIRE(mpavs_contracts_deposit(&op->c, &D, &amount) == 0);
        r = mpavs_contracts_opt_in(&op->c, &D, op->key, op->bls, q0, 1, "op", salt, (uint64_t)time(NULL) + 3600);
        if (r) fprintf(stderr, "opt-in %d: %s\n", i, op->c.error.message);
        REQUIRE(r == MPAVS_DEVNET_OK);
    }
    ready = true;
}

static uint64_t head(void) {
    uint64_t n = 0;
    if (mpavs_rpc_block_number(rpc, &n, NULL) != MPAVS_RPC_OK) harness_fail(__FILE__, __LINE__, "eth_blockNumber");
    return n;
}

TEST(state_keys_aggregate_confirm) {
    REQUIRE(ready);
    /* mine one block so that the reference block (head - 1) includes every registration */
    char *res = NULL;
    REQUIRE(mpavs_rpc_call(rpc, &res, NULL, "evm_mine", "[]") == MPAVS_RPC_OK);
    free(res);
    uint32_t ref = (uint32_t)head() - 1;
    static const uint8_t q0[1] = {0};
    mpavs_registry_operator *st = NULL;
    size_t n = 0;
    mpavs_error e = {0};
    REQUIRE(mpavs_registry_operator_state(rpc, &st, &n, &e, D.operator_state_retriever.bytes,
                                          D.registry_coordinator.bytes, q0, 1, ref) == MPAVS_REGISTRY_OK);
    CHECK_EQ_INT(n, NOPS);
    for (int i = 0; i < NOPS; i++) {
        const mpavs_registry_operator *o = NULL;
        for (size_t j = 0; j < n; j++)
            if (!memcmp(st[j].operator_id, ops[i].id, 32)) o = &st[j];
        REQUIRE(o);
        CHECK(o->quorum_mask == 1);
        CHECK(o->stake[0].w[0] == (uint64_t)(i + 2) * ETH && o->stake[0].w[1] == 0);
        CHECK_MEMEQ(o->address, mpavs_sender_address(ops[i].c.sender)->bytes, 20);
    }
    /* at a block before the quorum existed the retriever reverts: a clean RPC error, nothing returned */
    mpavs_registry_operator *early = NULL;
    size_t ne = 9;
    CHECK_EQ_INT(mpavs_registry_operator_state(rpc, &early, &ne, &e, D.operator_state_retriever.bytes,
                                               D.registry_coordinator.bytes, q0, 1, 1),
                 MPAVS_REGISTRY_ERR_RPC);
    CHECK(early == NULL && ne == 0 && e.message[0]);

    /* keys from the logs, scanned in small windows */
    mpavs_registry_pubkey *keys = NULL;
    size_t nk = 0;
    REQUIRE(mpavs_registry_scan_pubkeys(rpc, &keys, &nk, &e, D.bls_apk_registry.bytes, 0, head(), 3) ==
            MPAVS_REGISTRY_OK);
    CHECK_EQ_INT(nk, NOPS);
    mpavs_agg_operator agg_ops[NOPS];
    size_t missing = 99;
    REQUIRE(mpavs_registry_join(agg_ops, &missing, st, n, keys, nk) == MPAVS_REGISTRY_OK);
    for (size_t j = 0; j < n; j++) {
        uint8_t id[32];
        mpavs_bls_operator_id(id, &agg_ops[j].pk_g1);
        CHECK_MEMEQ(id, agg_ops[j].operator_id, 32); /* the logged key is the registered one */
    }
    CHECK_EQ_INT(mpavs_registry_join(agg_ops, &missing, st, n, keys, nk - 1), MPAVS_REGISTRY_ERR_MISSING_KEY);

    /* aggregate: stakes 2, 3, 4 of 9 ETH; threshold 60%: ops 0+1 (55%) fall short, ops 1+2 (77%) reach it */
    static const uint8_t meta[] = "chain 31337 block 1", state[64] = {7};
    uint8_t thr = 60;
    mpavs_contracts_state_header h = {.committee_id = 3, .metadata = meta, .metadata_len = sizeof meta - 1,
                                   .state = state, .state_len = 64, .quorum_numbers = q0, .thresholds = &thr,
                                   .nquorums = 1, .reference_block_number = ref};
    uint8_t digest[32];
    REQUIRE(mpavs_contracts_state_digest(digest, &h) == MPAVS_DEVNET_OK);
    mpavs_agg *a;
    REQUIRE(mpavs_agg_create(&a, q0, &thr, 1, agg_ops, n) == MPAVS_AGG_OK);
    bool added, met;
    for (int i = 0; i < 2; i++) {
        mpavs_bn254_g1 sig;
        REQUIRE(mpavs_bls_sign(&sig, ops[i].bls, digest) == 0);
        CHECK_EQ_INT(mpavs_agg_add(a, &added, digest, ops[i].id, &sig), MPAVS_AGG_OK);
    }
    REQUIRE(mpavs_agg_status(a, &met, NULL, NULL, NULL, digest) == MPAVS_AGG_OK);
    CHECK(!met);
    mpavs_agg_destroy(a);
    REQUIRE(mpavs_agg_create(&a, q0, &thr, 1, agg_ops, n) == MPAVS_AGG_OK);
    for (int i = 1; i < 3; i++) {
        mpavs_bn254_g1 sig;
        REQUIRE(mpavs_bls_sign(&sig, ops[i].bls, digest) == 0);
        CHECK_EQ_INT(mpavs_agg_add(a, &added, digest, ops[i].id, &sig), MPAVS_AGG_OK);
    }
    REQUIRE(mpavs_agg_status(a, &met, NULL, NULL, NULL, digest) == MPAVS_AGG_OK);
    CHECK(met);
    mpavs_agg_outcome o;
    REQUIRE(mpavs_agg_outcome_build(a, &o, digest) == MPAVS_AGG_OK);
    CHECK_EQ_INT(o.n_non_signers, 1);
    uint32_t before = 0, after = 0;
    REQUIRE(mpavs_contracts_task_id(&dep, &D, &before) == MPAVS_DEVNET_OK);
    int r = mpavs_contracts_confirm_state(&dep, &D, &h, o.non_signer_pks, o.n_non_signers, &o.apk_g2, &o.sigma, NULL);
    if (r) fprintf(stderr, "confirmState: %s\n", dep.error.message);
    CHECK_EQ_INT(r, MPAVS_DEVNET_OK);
    REQUIRE(mpavs_contracts_task_id(&dep, &D, &after) == MPAVS_DEVNET_OK);
    CHECK_EQ_INT(after, before + 1);
    mpavs_agg_outcome_clear(&o);
    mpavs_agg_destroy(a);
    free(keys);
    free(st);
    mpavs_error_clear(&e);
}

static void word_hex(char *out, const uint8_t *w) {
    static const char d[] = "0123456789abcdef";
    out[0] = '0', out[1] = 'x';
    for (int i = 0; i < 32; i++) out[2 + 2 * i] = d[w[i] >> 4], out[3 + 2 * i] = d[w[i] & 15];
    out[66] = 0;
}

/* The contract's trySignatureAndApkVerification (eth_call) against the off-chain computation. */
static bool onchain_try(bool *pairing_ok, bool *valid, const uint8_t msg[32], const mpavs_bn254_g1 *apk,
                        const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma) {
    uint8_t g1a[64], g2[128], g1s[64];
    mpavs_bn254_g1_encode(g1a, apk);
    mpavs_bn254_g2_encode(g2, apk_g2); /* EVM order: x.im, x.re, y.im, y.re = Solidity X[0], X[1], Y[0], Y[1] */
    mpavs_bn254_g1_encode(g1s, sigma);
    char w[10][67], args[4][300];
    word_hex(w[0], msg);
    for (int i = 0; i < 2; i++) word_hex(w[1 + i], g1a + 32 * i);
    for (int i = 0; i < 4; i++) word_hex(w[3 + i], g2 + 32 * i);
    for (int i = 0; i < 2; i++) word_hex(w[7 + i], g1s + 32 * i);
    snprintf(args[0], sizeof args[0], "%s", w[0]);
    snprintf(args[1], sizeof args[1], "(%s,%s)", w[1], w[2]);
    snprintf(args[2], sizeof args[2], "([%s,%s],[%s,%s])", w[3], w[4], w[5], w[6]);
    snprintf(args[3], sizeof args[3], "(%s,%s)", w[7], w[8]);
    mpavs_abi_signature *sig;
    if (mpavs_abi_signature_parse(&sig, "trySignatureAndApkVerification(bytes32,(uint256,uint256),"
                                        "(uint256[2],uint256[2]),(uint256,uint256))(bool,bool)"))
        return false;
    mpavs_abi_value *in = mpavs_abi_value_new(sig->inputs), *out = NULL;
    bool ok = in != NULL;
    for (int i = 0; ok && i < 4; i++) {
        mpavs_abi_value *v;
        ok = mpavs_abi_value_parse(&v, sig->inputs->fields[i], args[i]) == MPAVS_ABI_OK;
        if (ok) mpavs_abi_value_move(&in->items[i], v);
    }
    uint8_t *data = NULL, *ret = NULL;
    size_t len = 0, rl = 0;
    ok = ok && mpavs_abi_encode_call(&data, &len, sig, in) == MPAVS_ABI_OK;
    mpavs_rpc_callmsg m = {.to = D.service_manager.bytes, .data = data, .data_len = len};
    ok = ok && mpavs_rpc_eth_call(rpc, &ret, &rl, NULL, &m, "latest") == MPAVS_RPC_OK &&
         mpavs_abi_decode(&out, sig->outputs, ret, rl) == MPAVS_ABI_OK;
    if (ok) {
        *pairing_ok = !mpavs_u256_is_zero(&out->items[0].word);
        *valid = !mpavs_u256_is_zero(&out->items[1].word);
    }
    mpavs_abi_value_free(out);
    mpavs_abi_value_free(in);
    mpavs_abi_signature_free(sig);
    free(data);
    free(ret);
    return ok;
}

/* The γ check (issue: "matches what the Solidity check returns on anvil for the same inputs"). */
TEST(gamma_check_matches_contract) {
    REQUIRE(ready);
    for (int i = 0; i < 12; i++) {
        uint8_t sk[32], msg[32];
        REQUIRE(mpavs_bls_keygen(sk) == 0 && mpavs_random_bytes(msg, 32) == 0);
        mpavs_bn254_g1 apk, sigma;
        mpavs_bn254_g2 apk_g2;
        REQUIRE(mpavs_bls_pubkey_g1(&apk, sk) == 0 && mpavs_bls_pubkey_g2(&apk_g2, sk) == 0);
        REQUIRE(mpavs_bls_sign(&sigma, sk, msg) == 0);
        if (i % 3 == 1) { /* a wrong signature */
            mpavs_bn254_g1 g;
            mpavs_bn254_g1_generator(&g);
            mpavs_bn254_g1_add(&sigma, &sigma, &g);
        }
        if (i % 3 == 2) msg[0] ^= 1; /* signed another message */
        bool p_off = false, v_off = false, p_on = false, v_on = false;
        CHECK_EQ_INT(mpavs_bls_try_signature_and_apk_verification(&p_off, &v_off, msg, &apk, &apk_g2, &sigma), 0);
        REQUIRE(onchain_try(&p_on, &v_on, msg, &apk, &apk_g2, &sigma));
        CHECK(p_off == p_on && v_off == v_on);
        CHECK(v_on == (i % 3 == 0));
        mpavs_wipe(sk, sizeof sk);
    }
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (system("cd \"${MPAVS_ROOT:-.}/contracts\" && ../.tools/bin/forge build --offline >/dev/null 2>&1") != 0)
        fprintf(stderr, "forge build failed\n");
    const char *args[] = {"--hardfork", "osaka", NULL};
    if (!harness_anvil_start(&anvil, args)) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    RUN(deploy_and_register);
    RUN(state_keys_aggregate_confirm);
    RUN(gamma_check_matches_contract);
    for (int i = 0; i < NOPS; i++) {
        mpavs_sender_destroy(ops[i].c.sender);
        mpavs_contracts_clear(&ops[i].c);
    }
    mpavs_sender_destroy(dep.sender);
    mpavs_contracts_clear(&dep);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}

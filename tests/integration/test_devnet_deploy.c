/*
 * Integration test on a real anvil (--hardfork osaka for the P-256 precompile): deploy the
 * devnet stack with the devnet library, check every address and deployment.json; onboard two
 * operators with fresh BLS keys (PoP + AVSDirectory signature) and check their ids and stakes;
 * submit liveness proofs with devnet quotes through SgxQuoteVerifier/AttestationVerifier; sign
 * states with the BLS keys and confirm them on-chain (all signers, one non-signer, and the
 * revert paths: threshold not met, bad signature, replayed report, report data mismatch).
 * Liveness re-binding (issue #17 item 1): V2 refused, V3 only with the key's BLS authorization of
 * the quote's prover; an attacker's re-binding attempts with another operator's key revert.
 */
#include "anvil.h"
#include "harness.h"

#include "contracts/contracts_internal.h"

#include "mpavs/bls.h"
#include "mpavs/dcap.h"
#include "mpavs/devnet.h"
#include "mpavs/keccak.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static mpavs_contracts_ctx dep; /* deployer context */
static mpavs_contracts_deployment D;
static bool deployed;
static char tmpdir[128];

/* anvil dev accounts 1 and 2: the operators */
static const char *const OP_KEYS[2] = {"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
                                       "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"};
typedef struct {
    uint8_t key[32], bls[32];
    mpavs_contracts_ctx c;
    mpavs_bn254_g1 pk1;
    mpavs_bn254_g2 pk2;
    uint8_t id[32];
    bool registered;
} operator_t;
static operator_t ops[2];
static const uint64_t DEPOSIT[2] = {2000000000000000000ull, 3000000000000000000ull};

/* Check a devnet call; print the context's error line when it fails. */
#define OKC(ctx, expr)                                                                                                 \
    do {                                                                                                               \
        int _r = (expr);                                                                                               \
        if (_r) fprintf(stderr, "  %s -> %s: %s\n", #expr, mpavs_devnet_strerror(_r), (ctx)->error.message);                 \
        CHECK_EQ_INT(_r, MPAVS_DEVNET_OK);                                                                             \
    } while (0)

static bool open_ctx(mpavs_contracts_ctx *c, const uint8_t key[32]) {
    if (mpavs_contracts_init(c, rpc, NULL)) return false;
    mpavs_error e = {0};
    mpavs_sender_options o = {.poll_interval_ms = 20};
    bool ok = mpavs_sender_create(&c->sender, &e, rpc, key, &o) == MPAVS_SENDER_OK;
    mpavs_error_clear(&e);
    return ok;
}

static bool has_code(const mpavs_address *a) {
    uint8_t *code = NULL;
    size_t len = 0;
    mpavs_error e = {0};
    bool ok = mpavs_rpc_get_code(rpc, &code, &len, &e, a->bytes, "latest") == MPAVS_RPC_OK && len > 0;
    free(code);
    mpavs_error_clear(&e);
    return ok;
}

/* Pure functions against the spec's vectors (upstream.md §3.11, computed with ethers/noble). */
TEST(spec_vectors) {
    static const char poe[] =
        "{\"batch_hash\":\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\","
        "\"state_hash\":\"0xc0eff2fa84b7e0591d49994fed63d0ca9e69f77f9658caec93c7f452a18c0808\","
        "\"prev_state_root\":\"0x02b0659557cbef26689ca30067bd17658b55db5555aeffeb60025ede53e7fefb\","
        "\"new_state_root\":\"0x15277dcb70eabc3703a816f470f9b9f05aa4272d232ca6c7ced84d4874f5bb0e\","
        "\"withdrawal_root\":\"0x0aaa5af01432a5037adc40237e9f88c1059de1c207fe1b5287a595cd94c729d3\","
        "\"signature\":\"0x0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000000000000000000000\"}";
    static const char meta[] = "{\"batch_id\":326800,\"start_block\":9850414,\"end_block\":9850527}";
    static const uint8_t q0[1] = {0}, thr[1] = {0x42};
    mpavs_contracts_state_header h = {.committee_id = 1, .metadata = (const uint8_t *)meta,
                                   .metadata_len = sizeof meta - 1, .state = (const uint8_t *)poe,
                                   .state_len = sizeof poe - 1, .quorum_numbers = q0, .thresholds = thr,
                                   .nquorums = 1, .reference_block_number = 20000000};
    uint8_t dg[32];
    CHECK_EQ_INT(mpavs_contracts_state_digest(dg, &h), MPAVS_DEVNET_OK);
    CHECK_STREQ(harness_hex(dg, 32), "3d35f95ee736d5b1a8e2208dc1d92519e469515038d64573fbd7a53adab940d5");

    mpavs_contracts_report_data rd;
    memset(&rd, 0, sizeof rd);
    REQUIRE(harness_unhex(rd.pubkey_g1, 64, "118c7a14188755cb285f38c9a3416340925c49b322fecd8ac879256bfd25d4f8"
                                            "1c4f00185ffac2a999df2683fa5a886a964d908c95488b3f76f574f7fb3b77ed") == 64);
    rd.reference_block_number = 123456;
    memset(rd.reference_block_hash, 0x11, 32);
    static const char url[] = "https://avs-prover-mainnet1.ata.network:18232";
    char buf[128];
    int n = snprintf(buf, sizeof buf, "MultiProverAVS%s", url);
    mpavs_keccak256(rd.prover_address_hash, buf, (size_t)n);
    CHECK_STREQ(harness_hex(rd.prover_address_hash, 32),
                "95dea5790936621cadc692ee87fa14f7f125b9fce6e4cf641c9c948f8b4f3540");
    mpavs_address prover;
    memset(prover.bytes, 0xAB, 20);
    uint8_t out[64], zero[12] = {0};
    mpavs_contracts_liveness_report_data(out, &prover, &rd);
    CHECK_MEMEQ(out, zero, 12);
    CHECK_MEMEQ(out + 12, prover.bytes, 20);
    CHECK_STREQ(harness_hex(out + 32, 32), "babd973905dc8317d416835b2bbe11e177fdba0039258843af08a2a1dc352d47");
}

TEST(deploy_stack) {
    /* minimum threshold 30 %: confirm_state shows a 30 % confirmation passing and 29 % refused */
    mpavs_devnet_deploy_options opt = {.artifacts_dir = harness_path("contracts/out"), .min_threshold = 30};
    int r = mpavs_devnet_deploy(&dep, &D, &opt);
    if (r) fprintf(stderr, "  deploy: %s\n", dep.error.message);
    REQUIRE(r == MPAVS_DEVNET_OK);
    deployed = true;
    CHECK_EQ_INT(D.chain_id, 31337);
    const mpavs_address *all[] = {&D.pauser_registry, &D.delegation_manager, &D.strategy_manager, &D.avs_directory,
                                  &D.strategy, &D.token, &D.registry_coordinator, &D.bls_apk_registry,
                                  &D.stake_registry, &D.index_registry, &D.operator_state_retriever,
                                  &D.service_manager, &D.tee_liveness_verifier, &D.attestation_verifier,
                                  &D.quote_verifier};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) CHECK(has_code(all[i]));

    /* deployment.json: one JSON object with every required key, and it round-trips */
    char path[256];
    snprintf(path, sizeof path, "%s/deployment.json", tmpdir);
    CHECK_EQ_INT(mpavs_devnet_deployment_save(&D, path), MPAVS_DEVNET_OK);
    json_error_t je;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    REQUIRE(o && json_is_object(o));
    static const char *const keys[] = {"chainId", "delegationManager", "strategyManager", "avsDirectory", "strategy",
                                       "token", "registryCoordinator", "blsApkRegistry", "stakeRegistry",
                                       "indexRegistry", "operatorStateRetriever", "serviceManager",
                                       "teeLivenessVerifier", "attestationVerifier", "quoteVerifier"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(o, keys[i]);
        CHECK(v != NULL);
        if (i && v) CHECK(json_is_string(v) && strlen(json_string_value(v)) == 42);
    }
    CHECK(json_integer_value(json_object_get(o, "chainId")) == 31337);
    json_decref(o);
    mpavs_contracts_deployment back;
    mpavs_error err = {0};
    CHECK_EQ_INT(mpavs_devnet_deployment_load(&back, &err, path), MPAVS_DEVNET_OK);
    CHECK(memcmp(&back, &D, sizeof D) == 0);
    /* a file missing a key is refused with its name */
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\"chainId\": 31337}", f);
        fclose(f);
    }
    CHECK_EQ_INT(mpavs_devnet_deployment_load(&back, &err, path), MPAVS_DEVNET_ERR_DECODE);
    CHECK(strstr(err.message, "\"deployer\"") != NULL);
    CHECK_EQ_INT(err.code, MPAVS_DEVNET_ERR_DECODE);

    /* a second initialisation is refused with a readable reason */
    mpavs_devnet_deploy_options bad = {.artifacts_dir = "/nonexistent"};
    mpavs_contracts_deployment tmp;
    CHECK_EQ_INT(mpavs_devnet_deploy(&dep, &tmp, &bad), MPAVS_DEVNET_ERR_ARTIFACT);
    CHECK(strstr(dep.error.message, "PauserRegistry") != NULL);
}

TEST(register_operators) {
    REQUIRE(deployed);
    for (int i = 0; i < 2; i++) {
        operator_t *op = &ops[i];
        REQUIRE(harness_unhex(op->key, 32, OP_KEYS[i]) == 32);
        REQUIRE(mpavs_bls_keygen(op->bls) == MPAVS_BLS_OK);
        REQUIRE(mpavs_bls_pubkey_g1(&op->pk1, op->bls) == MPAVS_BLS_OK);
        REQUIRE(mpavs_bls_pubkey_g2(&op->pk2, op->bls) == MPAVS_BLS_OK);
        REQUIRE(open_ctx(&op->c, op->key));
        const mpavs_address *me = mpavs_sender_address(op->c.sender);
        mpavs_u256 amount = mpavs_u256_from_u64(DEPOSIT[i]);
        OKC(&dep, mpavs_devnet_token_transfer(&dep, &D, me, &amount));
        OKC(&op->c, mpavs_contracts_register_as_operator(&op->c, &D));
        OKC(&op->c, mpavs_contracts_deposit(&op->c, &D, &amount));
        uint8_t salt[32] = {0};
        salt[0] = (uint8_t)(i + 1);
        static const uint8_t q0[1] = {0};
        int r = mpavs_contracts_opt_in(&op->c, &D, op->key, op->bls, q0, 1, "devnet-operator", salt,
                                    (uint64_t)time(NULL) + 3600);
        if (r) fprintf(stderr, "  opt-in %d: %s\n", i, op->c.error.message);
        CHECK_EQ_INT(r, MPAVS_DEVNET_OK);
        uint8_t want[32], id[32];
        mpavs_bls_operator_id(want, &op->pk1);
        OKC(&op->c, mpavs_contracts_operator_id(&op->c, &D, me, id));
        CHECK_MEMEQ(id, want, 32);
        memcpy(op->id, want, 32);
        mpavs_u256 stake;
        OKC(&op->c, mpavs_contracts_current_stake(&op->c, &D, want, 0, &stake));
        CHECK(mpavs_u256_cmp(&stake, &amount) == 0);
        op->registered = r == MPAVS_DEVNET_OK && memcmp(id, want, 32) == 0;
        if (r == MPAVS_DEVNET_OK) fprintf(stderr, "  registerOperator: %llu gas\n", (unsigned long long)op->c.gas_used);
        /* registering again is refused with the contract's reason */
        salt[1] = 1;
        r = mpavs_contracts_opt_in(&op->c, &D, op->key, op->bls, q0, 1, "devnet-operator", salt,
                                (uint64_t)time(NULL) + 3600);
        CHECK_EQ_INT(r, MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(op->c.error.message, "registerOperator") != NULL);
    }
    /* the ECDSA key must be the sender's */
    static const uint8_t q0[1] = {0};
    uint8_t salt[32] = {9};
    CHECK_EQ_INT(mpavs_contracts_opt_in(&ops[0].c, &D, ops[1].key, ops[0].bls, q0, 1, "x", salt, 1),
                 MPAVS_DEVNET_ERR_ARG);
}

/* keccak256("MultiProverAVS" || url) */
static void prover_addr_hash(uint8_t out[32], const char *url) {
    char buf[256];
    int n = snprintf(buf, sizeof buf, "MultiProverAVS%s", url);
    mpavs_keccak256(out, buf, (size_t)n);
}

/* submitLivenessProofV3 with a chosen G2 key and signature: anything anyone can send. */
static int submit_v3_raw(mpavs_contracts_ctx *c, const mpavs_contracts_report_data *data, const uint8_t *quote,
                         size_t qlen, const mpavs_bn254_g2 *pk2, const mpavs_bn254_g1 *sig) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_liveness_args(&a, data, quote, qlen);
    ctr_printf(&a, ",");
    ctr_g2(&a, pk2);
    ctr_printf(&a, ",");
    ctr_g1(&a, sig);
    ctr_printf(&a, ")");
    int r = ctr_tx(c, &D.tee_liveness_verifier, CTR_SUBMIT_LIVENESS_V3, a.s, "submitLivenessProofV3");
    ctr_str_free(&a);
    return r;
}

/* sk * hashToG1(authorization digest for chain_id, D's verifier, prover, data). */
static void sign_auth(mpavs_bn254_g1 *sig, const uint8_t sk[32], uint64_t chain_id, const mpavs_address *prover,
                      const mpavs_contracts_report_data *data) {
    uint8_t dg[32];
    mpavs_contracts_liveness_auth_digest(dg, chain_id, &D.tee_liveness_verifier, prover, data);
    REQUIRE(mpavs_bls_sign(sig, sk, dg) == MPAVS_BLS_OK);
}

/* ReportDataV2 for key pk on the head's parent, and a devnet quote whose REPORTDATA names prover. */
static void fresh_report(mpavs_contracts_ctx *c, mpavs_dcap_devnet *ca, mpavs_contracts_report_data *data,
                         const mpavs_bn254_g1 *pk, const mpavs_address *prover, uint8_t *quote, size_t cap,
                         size_t *qlen, const uint8_t *mr_signer) {
    uint8_t rd[64];
    memset(data, 0, sizeof *data);
    mpavs_bn254_g1_encode(data->pubkey_g1, pk);
    prover_addr_hash(data->prover_address_hash, "http://127.0.0.1:18232");
    OKC(c, mpavs_contracts_reference_block(c, data));
    mpavs_contracts_liveness_report_data(rd, prover, data);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, qlen, rd, NULL, mr_signer, false) == MPAVS_DCAP_OK);
}

TEST(liveness_proofs) {
    REQUIRE(deployed && ops[0].registered && ops[1].registered);
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    REQUIRE(mpavs_dcap_devnet_generate(dir, (int64_t)time(NULL), false) == MPAVS_DCAP_OK);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t cap = 16384, qlen = 0;
    uint8_t *quote = malloc(cap), rd[64];
    REQUIRE(quote);
    /* detection: this project's verifier has the authorized form; a contract without the function
     * (the AttestationVerifier: revert) and an account without code (empty return) read as 0 */
    uint64_t v = 99;
    OKC(&dep, mpavs_contracts_liveness_auth_version(&dep, &D, &v));
    CHECK_EQ_INT((int)v, MPAVS_CONTRACTS_LIVENESS_AUTH_V2);
    mpavs_contracts_deployment ref = D;
    ref.tee_liveness_verifier = D.attestation_verifier;
    v = 99;
    OKC(&dep, mpavs_contracts_liveness_auth_version(&dep, &ref, &v));
    CHECK_EQ_INT((int)v, 0);
    ref.tee_liveness_verifier = D.deployer;
    v = 99;
    OKC(&dep, mpavs_contracts_liveness_auth_version(&dep, &ref, &v));
    CHECK_EQ_INT((int)v, 0);
    for (int i = 0; i < 2; i++) {
        operator_t *op = &ops[i];
        const mpavs_address *me = mpavs_sender_address(op->c.sender);
        mpavs_contracts_report_data data;
        fresh_report(&op->c, ca, &data, &op->pk1, me, quote, cap, &qlen, NULL);
        if (i == 0) {
            /* before the PCK key is registered, the on-chain verifier refuses the quote */
            CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &D, &data, quote, qlen, me, op->bls),
                         MPAVS_DEVNET_ERR_REVERTED);
            CHECK(strstr(op->c.error.message, "INVALID_REPORT") != NULL);
            OKC(&dep, mpavs_devnet_add_pck_key_from_quote(&dep, &D, quote, qlen));
            fresh_report(&op->c, ca, &data, &op->pk1, me, quote, cap, &qlen, NULL);
            /* the digest the library signs is the contract's (livenessAuthorizationDigest) */
            uint8_t local[32];
            mpavs_contracts_liveness_auth_digest(local, D.chain_id, &D.tee_liveness_verifier, me, &data);
            ctr_str a = {0};
            ctr_printf(&a, "(((");
            ctr_hex(&a, data.pubkey_g1, 32);
            ctr_printf(&a, ",");
            ctr_hex(&a, data.pubkey_g1 + 32, 32);
            ctr_printf(&a, "),%llu,", (unsigned long long)data.reference_block_number);
            ctr_hex(&a, data.reference_block_hash, 32);
            ctr_printf(&a, ",");
            ctr_hex(&a, data.prover_address_hash, 32);
            ctr_printf(&a, "),");
            ctr_addr(&a, me);
            ctr_printf(&a, ")");
            mpavs_abi_value *ret = NULL;
            OKC(&dep, ctr_call(&dep, &D.tee_liveness_verifier, CTR_LIVENESS_AUTH_DIGEST, a.s, NULL, &ret, "digest"));
            if (ret) CHECK_MEMEQ(ret->items[0].fixed, local, 32);
            mpavs_abi_value_free(ret);
            ctr_str_free(&a);
        }
        bool ok = true;
        OKC(&op->c, mpavs_contracts_liveness_valid(&op->c, &D, &ok, data.pubkey_g1, me));
        CHECK(!ok);
        /* the unauthorized V2 submission is refused, even for a key never bound */
        CHECK_EQ_INT(mpavs_contracts_submit_liveness(&op->c, &D, &data, quote, qlen), MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(op->c.error.message, "LivenessAuthorizationRequired()") != NULL);
        /* signing with another key than the report data's is refused locally */
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &D, &data, quote, qlen, me, ops[1 - i].bls),
                     MPAVS_DEVNET_ERR_ARG);
        OKC(&op->c, mpavs_contracts_submit_liveness_auto(&op->c, &D, MPAVS_CONTRACTS_LIVENESS_AUTH_V1, &data, quote,
                                                         qlen, me, op->bls));
        fprintf(stderr, "  submitLivenessProofV3 (devnet SgxQuoteVerifier): %llu gas\n",
                (unsigned long long)op->c.gas_used);
        OKC(&op->c, mpavs_contracts_liveness_valid(&op->c, &D, &ok, data.pubkey_g1, me));
        CHECK(ok);
        /* bound to the prover address */
        OKC(&op->c, mpavs_contracts_liveness_valid(&op->c, &D, &ok, data.pubkey_g1, &D.deployer));
        CHECK(!ok);
        /* the same report again: replay refused */
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &D, &data, quote, qlen, me, op->bls),
                     MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(op->c.error.message, "ReportAlreadyUsed()") != NULL);
        /* report data bound to other data: mismatch */
        mpavs_contracts_report_data other = data;
        other.prover_address_hash[0] ^= 1;
        mpavs_contracts_liveness_report_data(rd, me, &data);
        REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, NULL, NULL, false) == MPAVS_DCAP_OK);
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &D, &other, quote, qlen, me, op->bls),
                     MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(op->c.error.message, "REPORT_DATA_MISMATCH") != NULL);
        /* a debug enclave is refused by the AttestationVerifier */
        REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, NULL, NULL, true) == MPAVS_DCAP_OK);
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &D, &data, quote, qlen, me, op->bls),
                     MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(op->c.error.message, "DEBUG_ENCLAVE_NOT_ALLOWED") != NULL);
    }
    free(quote);
    mpavs_dcap_devnet_free(ca);
}

/* Issue #17 item 1 on a real chain: ops[1] (the attacker, its own account as its "enclave") tries to
 * bind ops[0]'s key to itself; every attempt reverts and ops[0] stays live with its own prover. */
TEST(liveness_rebinding_attack) {
    REQUIRE(deployed && ops[0].registered && ops[1].registered);
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t cap = 16384, qlen = 0;
    uint8_t *quote = malloc(cap);
    REQUIRE(quote);
    operator_t *victim = &ops[0], *att = &ops[1];
    const mpavs_address *vprover = mpavs_sender_address(victim->c.sender);
    const mpavs_address *aprover = mpavs_sender_address(att->c.sender);
    uint8_t vpk[64];
    mpavs_bn254_g1_encode(vpk, &victim->pk1);
    bool ok = false;
    OKC(&dep, mpavs_contracts_liveness_valid(&dep, &D, &ok, vpk, vprover));
    CHECK(ok); /* bound by liveness_proofs */
    mpavs_contracts_report_data data;
    fresh_report(&att->c, ca, &data, &victim->pk1, aprover, quote, cap, &qlen, NULL);
    mpavs_bn254_g1 sig;
    /* 1. today's attack: submitLivenessProofV2 with the victim's key and the attacker's quote */
    CHECK_EQ_INT(mpavs_contracts_submit_liveness(&att->c, &D, &data, quote, qlen), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "LivenessAuthorizationRequired()") != NULL);
    /* 2. V3 signed by the attacker's key with the attacker's G2 key */
    sign_auth(&sig, att->bls, D.chain_id, aprover, &data);
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &att->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "InvalidLivenessAuthorization()") != NULL);
    /* 3. the attacker's signature with the victim's G2 key */
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &victim->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "InvalidLivenessAuthorization()") != NULL);
    /* 4. a victim signature for the victim's own prover (as the victim publishes) with the attacker's quote */
    sign_auth(&sig, victim->bls, D.chain_id, vprover, &data);
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &victim->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "InvalidLivenessAuthorization()") != NULL);
    /* 5. a victim signature for the attacker's prover made for another chain */
    sign_auth(&sig, victim->bls, D.chain_id + 1, aprover, &data);
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &victim->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "InvalidLivenessAuthorization()") != NULL);
    /* 6. G1 and G2 keys of different secrets, with a valid G1 signature */
    sign_auth(&sig, victim->bls, D.chain_id, aprover, &data);
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &att->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "InvalidLivenessAuthorization()") != NULL);
    /* the victim is still live with its own prover, never with the attacker's */
    OKC(&dep, mpavs_contracts_liveness_valid(&dep, &D, &ok, vpk, vprover));
    CHECK(ok);
    OKC(&dep, mpavs_contracts_liveness_valid(&dep, &D, &ok, vpk, aprover));
    CHECK(!ok);
    /* 7. an accepted authorization is not accepted twice, even with another quote over the same data */
    fresh_report(&victim->c, ca, &data, &victim->pk1, vprover, quote, cap, &qlen, NULL);
    sign_auth(&sig, victim->bls, D.chain_id, vprover, &data);
    OKC(&victim->c, submit_v3_raw(&victim->c, &data, quote, qlen, &victim->pk2, &sig));
    uint8_t rd[64], mrs[32];
    memset(mrs, 0x42, 32);
    mpavs_contracts_liveness_report_data(rd, vprover, &data);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, NULL, mrs, false) == MPAVS_DCAP_OK);
    CHECK_EQ_INT(submit_v3_raw(&att->c, &data, quote, qlen, &victim->pk2, &sig), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(att->c.error.message, "LivenessAuthorizationAlreadyUsed()") != NULL);
    OKC(&dep, mpavs_contracts_liveness_valid(&dep, &D, &ok, vpk, vprover));
    CHECK(ok);
    free(quote);
    mpavs_dcap_devnet_free(ca);
}

/* Sign h's digest with the operators in mask; aggregate. */
static void sign_state(const mpavs_contracts_state_header *h, unsigned mask, mpavs_bn254_g2 *apk, mpavs_bn254_g1 *sigma) {
    uint8_t msg[32];
    REQUIRE(mpavs_contracts_state_digest(msg, h) == MPAVS_DEVNET_OK);
    mpavs_bn254_g1 sigs[2];
    mpavs_bn254_g2 pks[2];
    size_t n = 0;
    for (int i = 0; i < 2; i++) {
        if (!(mask & (1u << i))) continue;
        REQUIRE(mpavs_bls_sign(&sigs[n], ops[i].bls, msg) == MPAVS_BLS_OK);
        pks[n++] = ops[i].pk2;
    }
    mpavs_bls_aggregate_g1(sigma, sigs, n);
    mpavs_bls_aggregate_g2(apk, pks, n);
}

static uint32_t ref_block(void) {
    uint64_t bn = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_block_number(rpc, &bn, &e) != MPAVS_RPC_OK) bn = 1;
    mpavs_error_clear(&e);
    return (uint32_t)bn; /* the head: confirmState is mined in the next block (automine) */
}

TEST(confirm_state) {
    REQUIRE(deployed && ops[0].registered && ops[1].registered);
    /* a (committee, metadata) is confirmed once: each confirmation below gets its own batch id */
    uint8_t meta[] = "{\"batch_id\":1,\"start_block\":10,\"end_block\":20}";
    static const uint8_t state[] = "{\"new_state_root\":\"0x01\"}";
    static const uint8_t q0[1] = {0};
    uint8_t thr[1] = {66};
    mpavs_contracts_state_header h = {.committee_id = 3, .metadata = meta, .metadata_len = sizeof meta - 1,
                                   .state = state, .state_len = sizeof state - 1, .quorum_numbers = q0,
                                   .thresholds = thr, .nquorums = 1, .reference_block_number = ref_block()};
    /* the local digest equals the contract's _hashReducedStateHeader */
    uint8_t local[32];
    REQUIRE(mpavs_contracts_state_digest(local, &h) == MPAVS_DEVNET_OK);
    char cmd[1024], addr[43];
    mpavs_address_to_checksum(addr, &D.service_manager);
    {
        char mh[200], sh_[100], lh[65];
        snprintf(mh, sizeof mh, "%s", harness_hex(meta, sizeof meta - 1));
        snprintf(sh_, sizeof sh_, "%s", harness_hex(state, sizeof state - 1));
        snprintf(lh, sizeof lh, "%s", harness_hex(local, 32));
        snprintf(cmd, sizeof cmd, "'%s/.tools/bin/cast' call -r %s %s '_hashReducedStateHeader((uint256,bytes,bytes,"
                 "uint32))(bytes32)' '(3,0x%s,0x%s,%u)' 2>/dev/null | grep -qx 0x%s",
                 getenv("MPAVS_ROOT") ? getenv("MPAVS_ROOT") : ".", anvil.url, addr, mh, sh_,
                 h.reference_block_number, lh);
        CHECK_EQ_INT(system(cmd), 0);
    }
    uint32_t task0 = 99, task = 99;
    OKC(&dep, mpavs_contracts_task_id(&dep, &D, &task0));
    mpavs_bn254_g2 apk;
    mpavs_bn254_g1 sigma;
    uint64_t gas = 0;

    /* all signers */
    sign_state(&h, 3, &apk, &sigma);
    OKC(&dep, mpavs_contracts_confirm_state(&dep, &D, &h, NULL, 0, &apk, &sigma, &gas));
    OKC(&dep, mpavs_contracts_task_id(&dep, &D, &task));
    CHECK_EQ_INT(task, task0 + 1);
    fprintf(stderr, "  confirmState, 2 signers: %llu gas\n", (unsigned long long)gas);

    /* the same (committee, metadata) again is refused, and the contract keeps the state it confirmed */
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, NULL, 0, &apk, &sigma, NULL), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(dep.error.message, "StateAlreadyConfirmed") != NULL);
    {
        char mh[200];
        snprintf(mh, sizeof mh, "%s", harness_hex(meta, sizeof meta - 1));
        snprintf(cmd, sizeof cmd, "'%s/.tools/bin/cast' call -r %s %s 'getConfirmedState(uint256,bytes)((bytes,uint32,"
                 "uint32,uint32,uint256))' 3 0x%s 2>/dev/null | grep -q 0x%s",
                 getenv("MPAVS_ROOT") ? getenv("MPAVS_ROOT") : ".", anvil.url, addr, mh,
                 harness_hex(state, sizeof state - 1));
        CHECK_EQ_INT(system(cmd), 0);
    }

    /* attack 6 of issue #17: everybody a non-signer, threshold 0 (the empty aggregate verifies) */
    meta[12] = '2';
    h.reference_block_number = ref_block();
    thr[0] = 0;
    {
        mpavs_bn254_g1 both[2] = {ops[0].pk1, ops[1].pk1};
        sign_state(&h, 0, &apk, &sigma);
        CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, both, 2, &apk, &sigma, NULL), MPAVS_DEVNET_ERR_REVERTED);
        if (!strstr(dep.error.message, "ThresholdBelowMinimum")) fprintf(stderr, "  error: %s\n", dep.error.message);
        CHECK(strstr(dep.error.message, "ThresholdBelowMinimum") != NULL);
        thr[0] = 30; /* at the minimum: nobody signed, so no stake */
        CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, both, 2, &apk, &sigma, NULL), MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(dep.error.message, "InsufficientThreshold") != NULL);
    }
    thr[0] = 66;

    /* operator 1 (3/5 of the stake) does not sign: 40% signed passes 30%, fails 66%; 29% is below the minimum */
    sign_state(&h, 1, &apk, &sigma);
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, &ops[1].pk1, 1, &apk, &sigma, NULL),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(dep.error.message, "InsufficientThreshold") != NULL);
    thr[0] = 29;
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, &ops[1].pk1, 1, &apk, &sigma, NULL),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(dep.error.message, "ThresholdBelowMinimum") != NULL);
    thr[0] = 30;
    sign_state(&h, 1, &apk, &sigma); /* thresholds are not part of the signed digest */
    OKC(&dep, mpavs_contracts_confirm_state(&dep, &D, &h, &ops[1].pk1, 1, &apk, &sigma, &gas));
    OKC(&dep, mpavs_contracts_task_id(&dep, &D, &task));
    CHECK_EQ_INT(task, task0 + 2);
    fprintf(stderr, "  confirmState, 1 signer + 1 non-signer: %llu gas\n", (unsigned long long)gas);

    /* operator 0 does not sign, both listed non-signers in either order is sorted by the library */
    meta[12] = '3';
    sign_state(&h, 2, &apk, &sigma);
    OKC(&dep, mpavs_contracts_confirm_state(&dep, &D, &h, &ops[0].pk1, 1, &apk, &sigma, NULL));

    /* a signature by the wrong set is refused */
    meta[12] = '4';
    sign_state(&h, 1, &apk, &sigma);
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, NULL, 0, &apk, &sigma, NULL), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(dep.error.message, "InvalidBLSSignature()") != NULL);
    /* an unknown committee */
    h.committee_id = 4;
    sign_state(&h, 3, &apk, &sigma);
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&dep, &D, &h, NULL, 0, &apk, &sigma, NULL), MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(dep.error.message, "CommitteeNotExist") != NULL);
    /* only the state confirmer may confirm */
    h.committee_id = 3;
    sign_state(&h, 3, &apk, &sigma);
    CHECK_EQ_INT(mpavs_contracts_confirm_state(&ops[0].c, &D, &h, NULL, 0, &apk, &sigma, NULL),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(ops[0].c.error.message, "NoPermission") != NULL);
}

/* The CLI path of the build under test (BUILD=build/asan for the sanitizer run). */
static void cli_bin(char *bin, size_t cap) {
    const char *b = getenv("BUILD");
    snprintf(bin, cap, "%s", harness_path(b && *b ? b : "build"));
    strncat(bin, "/mpavs", cap - strlen(bin) - 1);
    if (access(bin, X_OK) != 0) snprintf(bin, cap, "%s", harness_path("build/mpavs"));
}

/* Run cmd, its stdout into out (cap bytes, trailing newline kept). Returns the exit status (-1: not run). */
static int run_out(const char *cmd, char *out, size_t cap) {
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* mpavs state get / watch read what confirm_state confirmed; cast reads the same views (the oracle). */
TEST(state_cli) {
    REQUIRE(deployed);
    char bin[300], net[400], cmd[2048], out[8192], ref[4096], rc_addr[43], sm[43];
    cli_bin(bin, sizeof bin);
    REQUIRE(access(bin, X_OK) == 0);
    mpavs_address_to_checksum(rc_addr, &D.registry_coordinator);
    mpavs_address_to_checksum(sm, &D.service_manager);
    snprintf(net, sizeof net, "--network custom --registry-coordinator %s --rpc-url %s", rc_addr, anvil.url);
    const char *root = getenv("MPAVS_ROOT") ? getenv("MPAVS_ROOT") : ".";
    static const char meta1[] = "{\"batch_id\":1,\"start_block\":10,\"end_block\":20}";
    static const char meta3[] = "{\"batch_id\":3,\"start_block\":10,\"end_block\":20}";
    static const char state[] = "{\"new_state_root\":\"0x01\"}";
    char m1[200], m3[200], st[100];
    snprintf(m1, sizeof m1, "%s", harness_hex((const unsigned char *)meta1, sizeof meta1 - 1));
    snprintf(m3, sizeof m3, "%s", harness_hex((const unsigned char *)meta3, sizeof meta3 - 1));
    snprintf(st, sizeof st, "%s", harness_hex((const unsigned char *)state, sizeof state - 1));

    /* by metadata: every field equals what cast decodes from getConfirmedState */
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --metadata 0x%s --json", bin, net, m1);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 0);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    REQUIRE(j != NULL);
    CHECK(json_is_true(json_object_get(j, "found")));
    char want_state[120];
    snprintf(want_state, sizeof want_state, "0x%s", st);
    CHECK_STREQ(json_string_value(json_object_get(j, "state")), want_state);
    char expect[4096];
    snprintf(expect, sizeof expect, "(0x%s, %lld, %lld, %lld, %s)\n", st,
             (long long)json_integer_value(json_object_get(j, "confirmed_block")),
             (long long)json_integer_value(json_object_get(j, "task_id")),
             (long long)json_integer_value(json_object_get(j, "reference_block")),
             json_string_value(json_object_get(j, "sequence")));
    json_decref(j);
    snprintf(cmd, sizeof cmd, "'%s/.tools/bin/cast' call -r %s %s 'getConfirmedState(uint256,bytes)((bytes,uint32,"
             "uint32,uint32,uint256))' 3 0x%s 2>/dev/null", root, anvil.url, sm, m1);
    CHECK_EQ_INT(run_out(cmd, ref, sizeof ref), 0);
    CHECK_STREQ(ref, expect);

    /* the latest: batch 3, the last one confirmed (committee 3 is unordered here) */
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --latest --json", bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 0);
    j = json_loads(out, 0, &je);
    REQUIRE(j != NULL);
    uint8_t h3[32];
    mpavs_keccak256(h3, (const uint8_t *)meta3, sizeof meta3 - 1);
    char want_hash[67];
    snprintf(want_hash, sizeof want_hash, "0x%s", harness_hex(h3, 32));
    CHECK_STREQ(json_string_value(json_object_get(j, "metadata_hash")), want_hash);
    json_decref(j);
    snprintf(cmd, sizeof cmd, "'%s/.tools/bin/cast' call -r %s %s 'latestConfirmedState(uint256)(bytes32,(bytes,"
             "uint32,uint32,uint32,uint256))' 3 2>/dev/null | head -1", root, anvil.url, sm);
    CHECK_EQ_INT(run_out(cmd, ref, sizeof ref), 0);
    snprintf(expect, sizeof expect, "%s\n", want_hash);
    CHECK_STREQ(ref, expect);

    /* the plain text form names the fields */
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --metadata 0x%s", bin, net, m3);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 0);
    CHECK(strstr(out, "committee 3\n") && strstr(out, "metadata_hash ") && strstr(out, "task_id ") &&
          strstr(out, "confirmed_block "));

    /* nothing confirmed: exit 1; a chain-state metadata nobody confirmed likewise */
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --metadata 0x00 2>/dev/null", bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 1);
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --chain-block 31338 5 --json 2>/dev/null", bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 1);
    CHECK(strstr(out, "\"found\":false") != NULL);
    /* usage errors: exit 2 */
    snprintf(cmd, sizeof cmd, "'%s' state get %s --committee 3 --latest --metadata 0x00 2>/dev/null", bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 2);
    snprintf(cmd, sizeof cmd, "'%s' state get %s 2>/dev/null", bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 2);

    /* watch from block 0: the three confirmations of committee 3, in chain order, then stop */
    snprintf(cmd, sizeof cmd, "timeout 30 '%s' state watch %s --committee 3 --from-block 0 --count 3 --json --interval 1",
             bin, net);
    CHECK_EQ_INT(run_out(cmd, out, sizeof out), 0);
    const char *want_meta[3] = {"1", "2", "3"};
    const char *line = out;
    uint64_t last_block = 0;
    for (int i = 0; i < 3; i++) {
        const char *nl = strchr(line, '\n');
        REQUIRE(nl != NULL);
        char buf[4096];
        size_t len = (size_t)(nl - line) < sizeof buf - 1 ? (size_t)(nl - line) : sizeof buf - 1;
        memcpy(buf, line, len);
        buf[len] = 0;
        json_t *e = json_loads(buf, 0, &je);
        REQUIRE(e != NULL);
        char mm[sizeof meta1];
        memcpy(mm, meta1, sizeof meta1);
        mm[12] = want_meta[i][0];
        char wm[200];
        snprintf(wm, sizeof wm, "0x%s", harness_hex((const unsigned char *)mm, sizeof mm - 1));
        CHECK_STREQ(json_string_value(json_object_get(e, "metadata")), wm);
        CHECK_EQ_INT(json_integer_value(json_object_get(e, "committee")), 3);
        uint64_t blk = (uint64_t)json_integer_value(json_object_get(e, "block"));
        CHECK(blk > last_block);
        last_block = blk;
        json_decref(e);
        line = nl + 1;
    }
    CHECK(*line == 0);
}

/* A stack with an MRENCLAVE allow-list: only that enclave's quotes are accepted. */
TEST(enclave_allow_list) {
    REQUIRE(deployed && ops[0].registered);
    uint8_t good[32], bad[32];
    memset(good, 0xA5, 32);
    memset(bad, 0x5A, 32);
    mpavs_devnet_deploy_options opt = {.artifacts_dir = harness_path("contracts/out"), .mr_enclave = good,
                                       .max_block_number_diff = 5};
    mpavs_contracts_deployment d3;
    OKC(&dep, mpavs_devnet_deploy(&dep, &d3, &opt));
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t cap = 16384, qlen = 0;
    uint8_t *quote = malloc(cap), rd[64];
    REQUIRE(quote);
    operator_t *op = &ops[0];
    const mpavs_address *me = mpavs_sender_address(op->c.sender);
    mpavs_contracts_report_data data;
    memset(&data, 0, sizeof data);
    mpavs_bn254_g1_encode(data.pubkey_g1, &op->pk1);
    OKC(&op->c, mpavs_contracts_reference_block(&op->c, &data));
    mpavs_contracts_liveness_report_data(rd, me, &data);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, bad, NULL, false) == MPAVS_DCAP_OK);
    OKC(&dep, mpavs_devnet_add_pck_key_from_quote(&dep, &d3, quote, qlen));
    CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &d3, &data, quote, qlen, me, op->bls),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(op->c.error.message, "ENCLAVE_NOT_ALLOWED") != NULL);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, good, NULL, false) == MPAVS_DCAP_OK);
    OKC(&op->c, mpavs_contracts_submit_liveness_authorized(&op->c, &d3, &data, quote, qlen, me, op->bls));
    /* a reference block older than maxBlockNumberDiff (5) is refused */
    mpavs_contracts_report_data old = data;
    for (int i = 0; i < 6; i++) {
        mpavs_u256 one = mpavs_u256_from_u64(1);
        OKC(&dep, mpavs_devnet_token_transfer(&dep, &d3, &D.deployer, &one));
    }
    mpavs_contracts_liveness_report_data(rd, me, &old);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, good, NULL, false) == MPAVS_DCAP_OK);
    CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &d3, &old, quote, qlen, me, op->bls),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(op->c.error.message, "BlockNumberOutOfDate()") != NULL);
    free(quote);
    mpavs_dcap_devnet_free(ca);
}

/* setQuorumMrEnclave(quorum, mre, allowed) on verifier tlv, by the deployer. */
static int set_quorum_mrenclave(const mpavs_address *tlv, int quorum, const uint8_t mre[32], bool allowed) {
    ctr_str a = {0};
    ctr_printf(&a, "(%d,", quorum);
    ctr_hex(&a, mre, 32);
    ctr_printf(&a, ",%s)", allowed ? "true" : "false");
    int r = a.oom ? -1 : ctr_tx_text(&dep, tlv, "setQuorumMrEnclave(uint8,bytes32,bool)", a.s, "setQuorumMrEnclave");
    ctr_str_free(&a);
    return r;
}

/* Issue #15 items 1 and 6 on a real chain (fresh stack): submitLivenessProofV4 under quorum 0's SGX
 * policy (the C digest must be the contract's, or the BLS check fails), an SGX quote refused by the TDX
 * quorum 1, revocation seen at once through attestedProvers(id).time (what the aggregator and operator
 * read) and verifyLivenessProofV2, and V3 refused once a quorum policy is required. */
TEST(quorum_policy) {
    REQUIRE(deployed && ops[0].registered);
    /* the two-quorum deployment (SGX quorum 0, TDX quorum 1) with the TD identity of the devnet TDX
       quotes below: MRTD 0x5a.., RTMR0..3 and MRCONFIGID zero */
    uint8_t mrtd[48], idbuf[288] = {0}, td_id[32];
    memset(mrtd, 0x5a, 48);
    memcpy(idbuf, mrtd, 48);
    mpavs_keccak256(td_id, idbuf, sizeof idbuf);
    mpavs_devnet_deploy_options opt = {.artifacts_dir = harness_path("contracts/out"), .tdx_quorum = true,
                                       .td_identity = td_id};
    mpavs_contracts_deployment d4;
    OKC(&dep, mpavs_devnet_deploy(&dep, &d4, &opt));
    uint64_t v = 0;
    OKC(&dep, mpavs_contracts_liveness_auth_version(&dep, &d4, &v));
    CHECK_EQ_INT((int)v, MPAVS_CONTRACTS_LIVENESS_AUTH_V2);
    char dir[200];
    snprintf(dir, sizeof dir, "%s/ca", tmpdir);
    mpavs_dcap_devnet *ca = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&ca, dir) == MPAVS_DCAP_OK);
    size_t cap = 16384, qlen = 0;
    uint8_t *quote = malloc(cap), rd[64], mre[32];
    REQUIRE(quote);
    memset(mre, 0xC3, 32);
    operator_t *op = &ops[0];
    const mpavs_address *me = mpavs_sender_address(op->c.sender);
    mpavs_contracts_report_data data;
    memset(&data, 0, sizeof data);
    mpavs_bn254_g1_encode(data.pubkey_g1, &op->pk1);
    prover_addr_hash(data.prover_address_hash, "http://127.0.0.1:18232");
    OKC(&op->c, mpavs_contracts_reference_block(&op->c, &data));
    mpavs_contracts_liveness_report_data(rd, me, &data);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, mre, NULL, false) == MPAVS_DCAP_OK);
    OKC(&dep, mpavs_devnet_add_pck_key_from_quote(&dep, &d4, quote, qlen));
    const mpavs_address *tlv = &d4.tee_liveness_verifier;
    OKC(&dep, ctr_tx_text(&dep, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(0,1,1)", "setQuorumPolicy"));
    OKC(&dep, ctr_tx_text(&dep, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(1,5,1)", "setQuorumPolicy"));
    OKC(&dep, set_quorum_mrenclave(tlv, 0, mre, true));
    /* the same MRENCLAVE listed for the TDX quorum does not admit an SGX quote there */
    OKC(&dep, set_quorum_mrenclave(tlv, 1, mre, true));
    CHECK_EQ_INT(mpavs_contracts_submit_liveness_quorum(&op->c, &d4, &data, quote, qlen, me, op->bls, 1),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(op->c.error.message, "TeeTypeMismatch(") != NULL);
    CHECK_EQ_INT(mpavs_contracts_submit_liveness_quorum(&op->c, &d4, &data, quote, qlen, me, op->bls, 2),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(op->c.error.message, "QuorumPolicyNotSet(") != NULL);
    OKC(&op->c, mpavs_contracts_submit_liveness_quorum(&op->c, &d4, &data, quote, qlen, me, op->bls, 0));
    fprintf(stderr, "  submitLivenessProofV4 (devnet SgxQuoteVerifier): %llu gas\n", (unsigned long long)op->c.gas_used);
    /* a devnet TDX v4 quote verified on chain (SgxQuoteVerifier's TDX path, the deployment's TD QE
       identity, the same devnet PCK key): refused by the SGX quorum, live in the TDX quorum, for
       ops[1]'s key (one policy record per key) */
    {
        operator_t *o1 = &ops[1];
        const mpavs_address *me1 = mpavs_sender_address(o1->c.sender);
        mpavs_contracts_report_data d1;
        memset(&d1, 0, sizeof d1);
        mpavs_bn254_g1_encode(d1.pubkey_g1, &o1->pk1);
        prover_addr_hash(d1.prover_address_hash, "http://127.0.0.1:18233");
        OKC(&o1->c, mpavs_contracts_reference_block(&o1->c, &d1));
        uint8_t rd1[64];
        mpavs_contracts_liveness_report_data(rd1, me1, &d1);
        size_t tl = 0;
        uint8_t *tq = malloc(cap);
        REQUIRE(tq && mpavs_dcap_devnet_tdx_quote(ca, tq, cap, &tl, rd1, mrtd, false) == MPAVS_DCAP_OK);
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_quorum(&o1->c, &d4, &d1, tq, tl, me1, o1->bls, 0),
                     MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(o1->c.error.message, "TeeTypeMismatch(") != NULL);
        OKC(&o1->c, mpavs_contracts_submit_liveness_quorum(&o1->c, &d4, &d1, tq, tl, me1, o1->bls, 1));
        fprintf(stderr, "  submitLivenessProofV4 (devnet TDX v4 quote, SgxQuoteVerifier): %llu gas\n",
                (unsigned long long)o1->c.gas_used);
        mpavs_contracts_liveness l1;
        OKC(&o1->c, mpavs_contracts_liveness_status(&o1->c, &l1, tlv, o1->id));
        CHECK(l1.attested_at != 0 && l1.live);
        /* a TD with another MRTD is not in quorum 1's policy */
        mrtd[0] ^= 1;
        OKC(&o1->c, mpavs_contracts_reference_block(&o1->c, &d1));
        mpavs_contracts_liveness_report_data(rd1, me1, &d1);
        REQUIRE(mpavs_dcap_devnet_tdx_quote(ca, tq, cap, &tl, rd1, mrtd, false) == MPAVS_DCAP_OK);
        CHECK_EQ_INT(mpavs_contracts_submit_liveness_quorum(&o1->c, &d4, &d1, tq, tl, me1, o1->bls, 1),
                     MPAVS_DEVNET_ERR_REVERTED);
        CHECK(strstr(o1->c.error.message, "MeasurementNotAllowed(") != NULL);
        free(tq);
    }
    bool ok = false;
    OKC(&op->c, mpavs_contracts_liveness_valid(&op->c, &d4, &ok, data.pubkey_g1, me));
    CHECK(ok);
    mpavs_contracts_liveness lv;
    OKC(&op->c, mpavs_contracts_liveness_status(&op->c, &lv, tlv, op->id));
    CHECK(lv.attested_at != 0 && lv.live);
    /* revocation: the MRENCLAVE leaves quorum 0's policy */
    OKC(&dep, set_quorum_mrenclave(tlv, 0, mre, false));
    OKC(&op->c, mpavs_contracts_liveness_valid(&op->c, &d4, &ok, data.pubkey_g1, me));
    CHECK(!ok);
    OKC(&op->c, mpavs_contracts_liveness_status(&op->c, &lv, tlv, op->id));
    CHECK(lv.attested_at == 0 && !lv.live);
    /* V3 (no quorum) refused once a quorum policy is required */
    OKC(&dep, ctr_tx_text(&dep, tlv, "setQuorumPolicyRequired(bool)", "(true)", "setQuorumPolicyRequired"));
    OKC(&op->c, mpavs_contracts_reference_block(&op->c, &data));
    mpavs_contracts_liveness_report_data(rd, me, &data);
    REQUIRE(mpavs_dcap_devnet_quote(ca, quote, cap, &qlen, rd, mre, NULL, false) == MPAVS_DCAP_OK);
    CHECK_EQ_INT(mpavs_contracts_submit_liveness_authorized(&op->c, &d4, &data, quote, qlen, me, op->bls),
                 MPAVS_DEVNET_ERR_REVERTED);
    CHECK(strstr(op->c.error.message, "QuorumPolicyRequired()") != NULL);
    free(quote);
    mpavs_dcap_devnet_free(ca);
}

/* Gas of confirmState with 1, 10 and 50 operators (0 and 10% non-signers) on a fresh stack.
 * Run with MPAVS_DEVNET_GAS=1 (not part of the default run: ~300 transactions). */
#define GAS_OPS 50
TEST(gas_table) {
    REQUIRE(deployed);
    mpavs_devnet_deploy_options opt = {.artifacts_dir = harness_path("contracts/out")};
    mpavs_contracts_deployment g;
    OKC(&dep, mpavs_devnet_deploy(&dep, &g, &opt));
    operator_t *go = calloc(GAS_OPS, sizeof *go);
    mpavs_bn254_g1 *sigs = calloc(GAS_OPS, sizeof *sigs), *nonsigners = calloc(GAS_OPS, sizeof *nonsigners);
    mpavs_bn254_g2 *pks = calloc(GAS_OPS, sizeof *pks);
    REQUIRE(go && sigs && nonsigners && pks);
    uint8_t meta[] = "{\"batch_id\":0,\"start_block\":1,\"end_block\":2}"; /* batch id per confirmation */
    static const uint8_t state[] = "{\"new_state_root\":\"0x02\"}";
    static const uint8_t q0[1] = {0};
    uint8_t thr[1] = {50};
    mpavs_u256 eth = mpavs_u256_from_u64(1000000000000000000ull), amount = eth;
    int registered = 0;
    for (int i = 0; i < GAS_OPS; i++) {
        operator_t *op = &go[i];
        char seed[64];
        int n = snprintf(seed, sizeof seed, "mpavs devnet gas operator %d", i);
        mpavs_keccak256(op->key, seed, (size_t)n);
        REQUIRE(mpavs_bls_keygen(op->bls) == MPAVS_BLS_OK);
        REQUIRE(mpavs_bls_pubkey_g1(&op->pk1, op->bls) == MPAVS_BLS_OK);
        REQUIRE(mpavs_bls_pubkey_g2(&op->pk2, op->bls) == MPAVS_BLS_OK);
        REQUIRE(open_ctx(&op->c, op->key));
        const mpavs_address *me = mpavs_sender_address(op->c.sender);
        mpavs_sender_result res;
        mpavs_error e = {0};
        int r = mpavs_sender_send(dep.sender, &res, &e, me->bytes, &eth, NULL, 0, 21000, NULL, 0);
        CHECK(r == MPAVS_SENDER_OK && res.success);
        mpavs_sender_result_clear(&res);
        mpavs_error_clear(&e);
        uint8_t salt[32] = {0};
        salt[31] = (uint8_t)i;
        OKC(&dep, mpavs_devnet_token_transfer(&dep, &g, me, &amount));
        OKC(&op->c, mpavs_contracts_register_as_operator(&op->c, &g));
        OKC(&op->c, mpavs_contracts_deposit(&op->c, &g, &amount));
        r = mpavs_contracts_opt_in(&op->c, &g, op->key, op->bls, q0, 1, "gas", salt, (uint64_t)time(NULL) + 3600);
        if (r) fprintf(stderr, "  opt-in %d: %s\n", i, op->c.error.message);
        REQUIRE(r == MPAVS_DEVNET_OK);
        registered = i + 1;
        if (registered != 1 && registered != 10 && registered != 50) continue;
        for (int pass = 0; pass < 2; pass++) {
            int nn = pass ? registered / 10 : 0; /* non-signers: the first nn operators */
            if (pass && nn == 0) continue;
            meta[12]++;
            mpavs_contracts_state_header h = {.committee_id = 3, .metadata = meta, .metadata_len = sizeof meta - 1,
                                           .state = state, .state_len = sizeof state - 1, .quorum_numbers = q0,
                                           .thresholds = thr, .nquorums = 1, .reference_block_number = ref_block()};
            uint8_t msg[32];
            REQUIRE(mpavs_contracts_state_digest(msg, &h) == MPAVS_DEVNET_OK);
            size_t ns = 0, nsig = 0;
            for (int k = 0; k < registered; k++) {
                if (k < nn) {
                    nonsigners[ns++] = go[k].pk1;
                    continue;
                }
                REQUIRE(mpavs_bls_sign(&sigs[nsig], go[k].bls, msg) == MPAVS_BLS_OK);
                pks[nsig++] = go[k].pk2;
            }
            mpavs_bn254_g1 sigma;
            mpavs_bn254_g2 apk;
            mpavs_bls_aggregate_g1(&sigma, sigs, nsig);
            mpavs_bls_aggregate_g2(&apk, pks, nsig);
            uint64_t gas = 0;
            OKC(&dep, mpavs_contracts_confirm_state(&dep, &g, &h, nonsigners, ns, &apk, &sigma, &gas));
            fprintf(stderr, "  gas: confirmState %2d operators, %d non-signers: %llu\n", registered, nn,
                    (unsigned long long)gas);
        }
    }
    CHECK_EQ_INT(registered, GAS_OPS);
    for (int i = 0; i < GAS_OPS; i++) {
        mpavs_sender_destroy(go[i].c.sender);
        mpavs_contracts_clear(&go[i].c);
        mpavs_wipe(go[i].bls, 32);
    }
    free(go);
    free(sigs);
    free(nonsigners);
    free(pks);
}

/* Run a shell command; returns its exit status (or -1). */
static int sh(const char *cmd) {
    int st = system(cmd);
    return st == -1 ? -1 : WEXITSTATUS(st);
}

TEST(cli_deploy_and_register) {
    REQUIRE(deployed);
    char bin[300], cmd[2048], out[256], log[256];
    const char *b = getenv("BUILD");
    snprintf(bin, sizeof bin, "%s", harness_path(b && *b ? b : "build"));
    strncat(bin, "/mpavs", sizeof bin - strlen(bin) - 1);
    if (access(bin, X_OK) != 0) snprintf(bin, sizeof bin, "%s", harness_path("build/mpavs"));
    REQUIRE(access(bin, X_OK) == 0);
    snprintf(out, sizeof out, "%s/cli.json", tmpdir);
    snprintf(log, sizeof log, "%s/cli.log", tmpdir);
    char art[256];
    snprintf(art, sizeof art, "%s", harness_path("contracts/out"));
    snprintf(cmd, sizeof cmd, "'%s' devnet deploy --rpc-url %s --private-key %s --out '%s' --artifacts '%s' "
             "--devnet-ca '%s/ca' >'%s' 2>&1", bin, anvil.url, ANVIL_KEY0, out, art, tmpdir, log);
    CHECK_EQ_INT(sh(cmd), 0);
    mpavs_contracts_deployment d2;
    mpavs_error err = {0};
    REQUIRE(mpavs_devnet_deployment_load(&d2, &err, out) == MPAVS_DEVNET_OK);
    CHECK(has_code(&d2.service_manager) && has_code(&d2.tee_liveness_verifier) && has_code(&d2.quote_verifier));
    CHECK(memcmp(d2.service_manager.bytes, D.service_manager.bytes, 20) != 0);
    /* the devnet CA's PCK key was registered */
    char addr[43];
    mpavs_address_to_checksum(addr, &d2.quote_verifier);
    snprintf(cmd, sizeof cmd, "'%s' call --rpc-url %s %s 'pckKeyCount()(uint256)' 2>/dev/null | grep -qx 1", bin,
             anvil.url, addr);
    CHECK_EQ_INT(sh(cmd), 0);

    /* add-pck: the same key again is refused with the contract's reason; a second CA's key is added */
    snprintf(cmd, sizeof cmd, "'%s' devnet add-pck --rpc-url %s --private-key %s --deployment '%s' --devnet-ca '%s/ca' "
             ">'%s' 2>&1", bin, anvil.url, ANVIL_KEY0, out, tmpdir, log);
    CHECK_EQ_INT(sh(cmd), 1);
    unsigned char *lt = harness_read_file(log, NULL);
    CHECK(lt && strstr((char *)lt, "PckKeyAlreadyRegistered()") != NULL);
    free(lt);
    char ca2[200];
    snprintf(ca2, sizeof ca2, "%s/ca2", tmpdir);
    REQUIRE(mpavs_dcap_devnet_generate(ca2, (int64_t)time(NULL), false) == MPAVS_DCAP_OK);
    snprintf(cmd, sizeof cmd, "'%s' devnet add-pck --rpc-url %s --private-key %s --deployment '%s' --devnet-ca '%s' "
             ">'%s' 2>&1", bin, anvil.url, ANVIL_KEY0, out, ca2, log);
    CHECK_EQ_INT(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "'%s' call --rpc-url %s %s 'pckKeyCount()(uint256)' 2>/dev/null | grep -qx 2", bin,
             anvil.url, addr);
    CHECK_EQ_INT(sh(cmd), 0);

    /* register-operator for anvil account 3 with a fresh BLS key, funded by the deployer */
    uint8_t bls[32], want[32];
    mpavs_bn254_g1 pk;
    REQUIRE(mpavs_bls_keygen(bls) == MPAVS_BLS_OK && mpavs_bls_pubkey_g1(&pk, bls) == MPAVS_BLS_OK);
    mpavs_bls_operator_id(want, &pk);
    char blshex[65];
    snprintf(blshex, sizeof blshex, "%s", harness_hex(bls, 32));
    snprintf(cmd, sizeof cmd, "'%s' devnet register-operator --rpc-url %s --deployment '%s' --private-key "
             "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6 --bls-key 0x%s --funder-key %s "
             "--deposit 5000000000000000000 >'%s' 2>&1", bin, anvil.url, out, blshex, ANVIL_KEY0, log);
    CHECK_EQ_INT(sh(cmd), 0);
    size_t n = 0;
    unsigned char *txt = harness_read_file(log, &n);
    REQUIRE(txt);
    char wanthex[80];
    snprintf(wanthex, sizeof wanthex, "0x%s", harness_hex(want, 32));
    CHECK(strstr((char *)txt, wanthex) != NULL);
    free(txt);
    mpavs_wipe(bls, sizeof bls);
    mpavs_wipe(blshex, sizeof blshex);

    /* bad arguments: exit 2 with one line; an unreachable node: exit 1 */
    snprintf(cmd, sizeof cmd, "'%s' devnet deploy --rpc-url %s --out /dev/null >/dev/null 2>&1", bin, anvil.url);
    CHECK_EQ_INT(sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "'%s' devnet deploy --rpc-url %s --private-key 0x12 --out /dev/null >/dev/null 2>&1",
             bin, anvil.url);
    CHECK_EQ_INT(sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "'%s' devnet deploy --rpc-url http://127.0.0.1:%d --private-key %s --out /dev/null "
             ">/dev/null 2>&1", bin, harness_free_port(), ANVIL_KEY0);
    CHECK_EQ_INT(sh(cmd), 1);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (system("cd \"${MPAVS_ROOT:-.}/contracts\" && ../.tools/bin/forge build --offline >/dev/null 2>&1") != 0)
        fprintf(stderr, "forge build failed\n");
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mpavs-devnet-XXXXXX");
    if (!mkdtemp(tmpdir)) return 1;
    static const char *const args[] = {"--hardfork", "osaka", NULL};
    if (!harness_anvil_start(&anvil, args)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    uint8_t key0[32];
    if (!rpc || harness_unhex(key0, 32, ANVIL_KEY0) != 32 || !open_ctx(&dep, key0)) return 1;
    RUN(spec_vectors);
    RUN(deploy_stack);
    RUN(register_operators);
    RUN(liveness_proofs);
    RUN(liveness_rebinding_attack);
    RUN(confirm_state);
    RUN(state_cli);
    RUN(enclave_allow_list);
    RUN(quorum_policy);
    RUN(cli_deploy_and_register);
    if (getenv("MPAVS_DEVNET_GAS")) RUN(gas_table); /* ~45 s: 300 transactions */
    for (int i = 0; i < 2; i++) {
        mpavs_sender_destroy(ops[i].c.sender);
        mpavs_contracts_clear(&ops[i].c);
        mpavs_wipe(ops[i].bls, 32);
    }
    mpavs_sender_destroy(dep.sender);
    mpavs_contracts_clear(&dep);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    curl_global_cleanup();
    return harness_summary();
}

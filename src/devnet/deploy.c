/*
 * src/devnet/deploy.c — deploy and configure the devnet stack (order of
 * contracts/test/Fixture.sol) and read/write deployment.json.
 */
#include "devnet_internal.h"
#include "util/error.h"
#include "mpavs/dcap.h"

#include <jansson.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One deployment step: a contract with constructor arguments built in a ctr_str. */
typedef struct {
    mpavs_contracts_ctx *c;
    const char *dir;
    mpavs_address me, empty;
    ctr_str a;       /* scratch for argument text */
    char ah[8][43]; /* AH(): formatted addresses for one argument list */
    unsigned nah;
} dv_deployer;

/* An address as 0x hex in one of x's eight slots (enough for one argument list). */
static const char *AH(dv_deployer *x, const mpavs_address *a) {
    static const char d[] = "0123456789abcdef";
    char *b = x->ah[x->nah++ % 8];
    b[0] = '0', b[1] = 'x';
    for (int i = 0; i < 20; i++) b[2 + 2 * i] = d[a->bytes[i] >> 4], b[3 + 2 * i] = d[a->bytes[i] & 15];
    b[42] = 0;
    return b;
}

static void args_reset(dv_deployer *x) {
    x->a.len = 0;
    if (x->a.s) x->a.s[0] = 0;
}

/* A Proxy(EmptyContract, deployer). */
static int new_proxy(dv_deployer *x, mpavs_address *out) {
    args_reset(x);
    ctr_printf(&x->a, "(");
    ctr_addr(&x->a, &x->empty);
    ctr_printf(&x->a, ",");
    ctr_addr(&x->a, &x->me);
    ctr_printf(&x->a, ")");
    if (x->a.oom) return ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, "proxy", "out of memory");
    return dv_deploy(x->c, x->dir, "Proxy", "Proxy", "(address,address)", x->a.s, out);
}

/* proxy.upgradeToAndCall(impl, calldata of init_sig(init_args)) or upgradeTo(impl) when init_sig is NULL. */
static int upgrade(dv_deployer *x, const mpavs_address *proxy, const mpavs_address *impl, const char *init_sig,
                   const char *init_args, const char *step) {
    ctr_str t = {0};
    int r = MPAVS_DEVNET_OK;
    ctr_printf(&t, "(");
    ctr_addr(&t, impl);
    if (init_sig) {
        uint8_t *data = NULL;
        size_t len = 0;
        r = ctr_calldata_text(x->c, &data, &len, init_sig, init_args, step);
        if (r) {
            ctr_str_free(&t);
            return r;
        }
        ctr_printf(&t, ",");
        ctr_hex(&t, data, len);
        free(data);
    }
    ctr_printf(&t, ")");
    if (t.oom) r = ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, step, "out of memory");
    else r = ctr_tx_text(x->c, proxy, init_sig ? "upgradeToAndCall(address,bytes)" : "upgradeTo(address)", t.s, step);
    ctr_str_free(&t);
    return r;
}

/* The devnet QE's MRSIGNER: sha256("mpavs devnet QE signer - DEVNET ONLY") (src/dcap/devnet.c). */
static void devnet_qe_mrsigner(uint8_t out[32]) {
    static const char s[] = "mpavs devnet QE signer - DEVNET ONLY";
    SHA256((const unsigned char *)s, sizeof s - 1, out);
}

#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        if (x.a.oom) {                                                                                                 \
            r = ctr_fail(c, MPAVS_DEVNET_ERR_NOMEM, "deploy", "out of memory");                                         \
            goto done;                                                                                                 \
        }                                                                                                              \
        r = (expr);                                                                                                    \
        if (r) goto done;                                                                                              \
    } while (0)

int mpavs_devnet_deploy(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out, const mpavs_devnet_deploy_options *opt) {
    static const mpavs_devnet_deploy_options none = {0};
    if (!opt) opt = &none;
    memset(out, 0, sizeof *out);
    mpavs_error_clear(&c->error);
    dv_deployer x = {.c = c, .dir = opt->artifacts_dir ? opt->artifacts_dir : "contracts/out"};
    x.me = *mpavs_sender_address(c->sender);
    out->deployer = x.me;
    mpavs_error err = {0};
    int r;
    if ((r = mpavs_rpc_chain_id(c->rpc, &out->chain_id, &err)) != MPAVS_RPC_OK) {
        r = ctr_fail(c, MPAVS_DEVNET_ERR_RPC, "chain id", "%s (%s)", mpavs_rpc_strerror(r), err.message);
        mpavs_error_clear(&err);
        return r;
    }
    mpavs_u256 min_stake = opt->min_stake;
    if (mpavs_u256_is_zero(&min_stake)) min_stake = mpavs_u256_from_u64(10000000000000000ull); /* 0.01 ether */
    uint64_t max_diff = opt->max_block_number_diff ? opt->max_block_number_diff : 100;
    uint64_t validity = opt->attest_validity_seconds ? opt->attest_validity_seconds : 3600;
    unsigned min_threshold = opt->min_threshold ? opt->min_threshold : 50;
    if (min_threshold > 100)
        return ctr_fail(c, MPAVS_DEVNET_ERR_ARG, "options", "min_threshold %u: expected a percentage in 1..100", min_threshold);
    mpavs_address impl;

    /* PauserRegistry([me], me), EmptyContract */
    args_reset(&x);
    ctr_printf(&x.a, "([%s],%s)", AH(&x, &x.me), AH(&x, &x.me));
    TRY(dv_deploy(c, x.dir, "PauserRegistry", "PauserRegistry", "(address[],address)", x.a.s, &out->pauser_registry));
    TRY(dv_deploy(c, x.dir, "Proxy", "EmptyContract", NULL, NULL, &x.empty));

    /* core: DelegationManager, StrategyManager, AVSDirectory behind proxies */
    TRY(new_proxy(&x, &out->delegation_manager));
    TRY(new_proxy(&x, &out->strategy_manager));
    TRY(new_proxy(&x, &out->avs_directory));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,%s)", AH(&x, &out->strategy_manager), AH(&x, &x.empty), AH(&x, &x.empty));
    TRY(dv_deploy(c, x.dir, "DelegationManager", "DelegationManager", "(address,address,address)", x.a.s, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,0,50400,[],[])", AH(&x, &x.me), AH(&x, &out->pauser_registry));
    TRY(upgrade(&x, &out->delegation_manager, &impl,
                "initialize(address,address,uint256,uint256,address[],uint256[])", x.a.s, "init DelegationManager"));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,%s)", AH(&x, &out->delegation_manager), AH(&x, &x.empty), AH(&x, &x.empty));
    TRY(dv_deploy(c, x.dir, "StrategyManager", "StrategyManager", "(address,address,address)", x.a.s, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,%s,0)", AH(&x, &x.me), AH(&x, &x.me), AH(&x, &out->pauser_registry));
    TRY(upgrade(&x, &out->strategy_manager, &impl, "initialize(address,address,address,uint256)", x.a.s,
                "init StrategyManager"));
    args_reset(&x);
    ctr_printf(&x.a, "(%s)", AH(&x, &out->delegation_manager));
    TRY(dv_deploy(c, x.dir, "AVSDirectory", "AVSDirectory", "(address)", x.a.s, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,0)", AH(&x, &x.me), AH(&x, &out->pauser_registry));
    TRY(upgrade(&x, &out->avs_directory, &impl, "initialize(address,address,uint256)", x.a.s, "init AVSDirectory"));

    /* TestToken and its StrategyBase (whitelisted for deposits) */
    args_reset(&x);
    ctr_printf(&x.a, "(Token1,TOK1,1000000000000000000000000000,%s)", AH(&x, &x.me));
    TRY(dv_deploy(c, x.dir, "TestToken", "TestToken", "(string,string,uint256,address)", x.a.s, &out->token));
    TRY(new_proxy(&x, &out->strategy));
    args_reset(&x);
    ctr_printf(&x.a, "(%s)", AH(&x, &out->strategy_manager));
    TRY(dv_deploy(c, x.dir, "StrategyBase", "StrategyBase", "(address)", x.a.s, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s)", AH(&x, &out->token), AH(&x, &out->pauser_registry));
    TRY(upgrade(&x, &out->strategy, &impl, "initialize(address,address)", x.a.s, "init StrategyBase"));
    args_reset(&x);
    ctr_printf(&x.a, "([%s],[false])", AH(&x, &out->strategy));
    TRY(ctr_tx_text(c, &out->strategy_manager, "addStrategiesToDepositWhitelist(address[],bool[])", x.a.s,
              "whitelist strategy"));

    /* middleware registries behind proxies */
    TRY(new_proxy(&x, &out->index_registry));
    TRY(new_proxy(&x, &out->bls_apk_registry));
    TRY(new_proxy(&x, &out->stake_registry));
    TRY(new_proxy(&x, &out->registry_coordinator));
    args_reset(&x);
    ctr_printf(&x.a, "(%s)", AH(&x, &out->registry_coordinator));
    TRY(dv_deploy(c, x.dir, "IndexRegistry", "IndexRegistry", "(address)", x.a.s, &impl));
    TRY(upgrade(&x, &out->index_registry, &impl, NULL, NULL, "init IndexRegistry"));
    TRY(dv_deploy(c, x.dir, "BLSApkRegistry", "BLSApkRegistry", "(address)", x.a.s, &impl));
    TRY(upgrade(&x, &out->bls_apk_registry, &impl, NULL, NULL, "init BLSApkRegistry"));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s)", AH(&x, &out->registry_coordinator), AH(&x, &out->delegation_manager));
    TRY(dv_deploy(c, x.dir, "StakeRegistry", "StakeRegistry", "(address,address)", x.a.s, &impl));
    TRY(upgrade(&x, &out->stake_registry, &impl, NULL, NULL, "init StakeRegistry"));

    /* RegistryCoordinator (quorum 0 created by initialize) and the service manager */
    TRY(new_proxy(&x, &out->service_manager));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,%s,%s)",
              AH(&x, &out->service_manager), AH(&x, &out->stake_registry), AH(&x, &out->bls_apk_registry),
              AH(&x, &out->index_registry));
    TRY(dv_deploy(c, x.dir, "RegistryCoordinator", "RegistryCoordinator", "(address,address,address,address)", x.a.s,
                  &impl));
    args_reset(&x);
    /* quorum 0, and with tdx_quorum quorum 1 with the same parameters */
    ctr_printf(&x.a, "(%s,%s,%s,%s,0,[(50,11000,200)%s],[",
              AH(&x, &x.me), AH(&x, &x.me), AH(&x, &x.me), AH(&x, &out->pauser_registry),
              opt->tdx_quorum ? ",(50,11000,200)" : "");
    ctr_u256(&x.a, &min_stake);
    if (opt->tdx_quorum) {
        ctr_printf(&x.a, ",");
        ctr_u256(&x.a, &min_stake);
    }
    ctr_printf(&x.a, "],[[(%s,1000000000000000000)]", AH(&x, &out->strategy));
    if (opt->tdx_quorum) ctr_printf(&x.a, ",[(%s,1000000000000000000)]", AH(&x, &out->strategy));
    ctr_printf(&x.a, "])");
    TRY(upgrade(&x, &out->registry_coordinator, &impl,
                "initialize(address,address,address,address,uint256,(uint32,uint16,uint16)[],uint96[],"
                "(address,uint96)[][])",
                x.a.s, "init RegistryCoordinator"));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s,%s)",
              AH(&x, &out->avs_directory), AH(&x, &out->registry_coordinator), AH(&x, &out->stake_registry));
    TRY(dv_deploy(c, x.dir, "MultiProverServiceManager", "MultiProverServiceManager", "(address,address,address)",
                  x.a.s, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,0,%s,%s,%s,%s",
              AH(&x, &out->pauser_registry), AH(&x, &x.me), AH(&x, &x.me), AH(&x, &x.me), AH(&x, &x.me));
    ctr_printf(&x.a, ",%s)", opt->poa_enabled ? "true" : "false");
    TRY(upgrade(&x, &out->service_manager, &impl,
                "initialize(address,uint256,address,address,address,address,bool)", x.a.s,
                "init MultiProverServiceManager"));
    TRY(dv_deploy(c, x.dir, "OperatorStateRetriever", "OperatorStateRetriever", NULL, NULL,
                  &out->operator_state_retriever));

    /* TEE quorum {INTEL_SGX, 0} (and {INTEL_TDX, 1}) and committee 3 (chain-state task) on them */
    TRY(ctr_tx_text(c, &out->service_manager, "addTEEQuorum((uint8,uint8))", "((1,0))", "addTEEQuorum"));
    if (opt->tdx_quorum)
        TRY(ctr_tx_text(c, &out->service_manager, "addTEEQuorum((uint8,uint8))", "((5,1))", "addTEEQuorum TDX"));
    TRY(ctr_tx_text(c, &out->service_manager, "addCommittee((uint256,string,bytes,bytes))",
              opt->tdx_quorum ? "((3,\"devnet chain-state committee\",0x,0x0001))"
                              : "((3,\"devnet chain-state committee\",0x,0x00))",
              "addCommittee"));
    /* confirmState refuses thresholds below the committee's stored minimum (addCommittee set the
       contract's default, 50); stated explicitly so the deployment says what it accepts */
    for (unsigned q = 0; q < (opt->tdx_quorum ? 2u : 1u); q++) {
        char th[32];
        snprintf(th, sizeof th, "(3,%u,%u)", q, min_threshold);
        TRY(ctr_tx_text(c, &out->service_manager, "setMinimumThreshold(uint256,uint8,uint8)", th, "setMinimumThreshold"));
    }

    /* attestation: SgxQuoteVerifier -> AttestationVerifier -> TEELivenessVerifier proxy */
    uint8_t mrs[32];
    uint16_t prodid = 1;
    if (opt->qe_mr_signer) {
        memcpy(mrs, opt->qe_mr_signer, 32);
        prodid = opt->qe_isv_prod_id;
    } else {
        devnet_qe_mrsigner(mrs);
    }
    args_reset(&x);
    ctr_printf(&x.a, "(");
    ctr_hex(&x.a, mrs, 32);
    ctr_printf(&x.a, ",%u)", prodid);
    TRY(dv_deploy(c, x.dir, "SgxQuoteVerifier", "SgxQuoteVerifier", "(bytes32,uint16)", x.a.s, &out->quote_verifier));
    args_reset(&x);
    ctr_printf(&x.a, "(%s)", AH(&x, &out->quote_verifier));
    TRY(dv_deploy(c, x.dir, "AttestationVerifier", "AttestationVerifier", "(address)", x.a.s,
                  &out->attestation_verifier));
    if (opt->mr_enclave) {
        args_reset(&x);
        ctr_printf(&x.a, "(");
        ctr_hex(&x.a, opt->mr_enclave, 32);
        ctr_printf(&x.a, ",true)");
        TRY(ctr_tx_text(c, &out->attestation_verifier, "setMrEnclave(bytes32,bool)", x.a.s, "setMrEnclave"));
    } else {
        TRY(ctr_tx_text(c, &out->attestation_verifier, "setAllowListEnforced(bool)", "(false)", "setAllowListEnforced"));
    }
    TRY(new_proxy(&x, &out->tee_liveness_verifier));
    TRY(dv_deploy(c, x.dir, "TEELivenessVerifier", "TEELivenessVerifier", NULL, NULL, &impl));
    args_reset(&x);
    ctr_printf(&x.a, "(%s,%s", AH(&x, &x.me), AH(&x, &out->attestation_verifier));
    ctr_printf(&x.a, ",%llu,%llu)", (unsigned long long)max_diff, (unsigned long long)validity);
    TRY(upgrade(&x, &out->tee_liveness_verifier, &impl, "initialize(address,address,uint256,uint256)", x.a.s,
                "init TEELivenessVerifier"));
    /* the TD QE that signs TDX quotes (after every contract: the devnet addresses stay as they were) */
    if (opt->td_qe_mr_signer) {
        memcpy(mrs, opt->td_qe_mr_signer, 32);
        prodid = opt->td_qe_isv_prod_id;
    } else {
        mpavs_dcap_devnet_td_qe_identity(mrs, &prodid);
    }
    args_reset(&x);
    ctr_printf(&x.a, "(");
    ctr_hex(&x.a, mrs, 32);
    ctr_printf(&x.a, ",%u)", prodid);
    TRY(ctr_tx_text(c, &out->quote_verifier, "setTdQeIdentity(bytes32,uint16)", x.a.s, "setTdQeIdentity"));
    if (opt->tdx_quorum) {
        /* per-quorum policies: SGX in quorum 0, TDX in quorum 1 (OK | SW_HARDENING_NEEDED) */
        const mpavs_address *tlv = &out->tee_liveness_verifier;
        TRY(ctr_tx_text(c, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(0,1,3)", "setQuorumPolicy SGX"));
        TRY(ctr_tx_text(c, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(1,5,3)", "setQuorumPolicy TDX"));
        if (opt->mr_enclave) {
            args_reset(&x);
            ctr_printf(&x.a, "(0,");
            ctr_hex(&x.a, opt->mr_enclave, 32);
            ctr_printf(&x.a, ",true)");
            TRY(ctr_tx_text(c, tlv, "setQuorumMrEnclave(uint8,bytes32,bool)", x.a.s, "setQuorumMrEnclave"));
        }
        if (opt->td_identity) {
            args_reset(&x);
            ctr_printf(&x.a, "(1,");
            ctr_hex(&x.a, opt->td_identity, 32);
            ctr_printf(&x.a, ",true)");
            TRY(ctr_tx_text(c, tlv, "setQuorumTdIdentity(uint8,bytes32,bool)", x.a.s, "setQuorumTdIdentity"));
        }
    }
    r = MPAVS_DEVNET_OK;
done:
    ctr_str_free(&x.a);
    return r;
}

/* ---- deployment.json ---- */

typedef struct {
    const char *key;
    size_t off;
} dv_key;

#define K(k, f) {k, offsetof(mpavs_contracts_deployment, f)}
static const dv_key KEYS[] = {
    K("deployer", deployer),
    K("pauserRegistry", pauser_registry),
    K("delegationManager", delegation_manager),
    K("strategyManager", strategy_manager),
    K("avsDirectory", avs_directory),
    K("strategy", strategy),
    K("token", token),
    K("registryCoordinator", registry_coordinator),
    K("blsApkRegistry", bls_apk_registry),
    K("stakeRegistry", stake_registry),
    K("indexRegistry", index_registry),
    K("operatorStateRetriever", operator_state_retriever),
    K("serviceManager", service_manager),
    K("teeLivenessVerifier", tee_liveness_verifier),
    K("attestationVerifier", attestation_verifier),
    K("quoteVerifier", quote_verifier),
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

int mpavs_devnet_deployment_to_json(char **json, const mpavs_contracts_deployment *d) {
    ctr_str b = {0};
    ctr_printf(&b, "{\n  \"chainId\": %llu", (unsigned long long)d->chain_id);
    for (size_t i = 0; i < NKEYS; i++) {
        char cs[43];
        mpavs_address_to_checksum(cs, (const mpavs_address *)((const char *)d + KEYS[i].off));
        ctr_printf(&b, ",\n  \"%s\": \"%s\"", KEYS[i].key, cs);
    }
    ctr_printf(&b, "\n}\n");
    if (b.oom) {
        ctr_str_free(&b);
        return MPAVS_DEVNET_ERR_NOMEM;
    }
    *json = b.s;
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_deployment_save(const mpavs_contracts_deployment *d, const char *path) {
    char *j = NULL;
    int r = mpavs_devnet_deployment_to_json(&j, d);
    if (r) return r;
    FILE *f = fopen(path, "w");
    if (!f) {
        free(j);
        return MPAVS_DEVNET_ERR_IO;
    }
    size_t n = strlen(j);
    bool ok = fwrite(j, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    free(j);
    return ok ? MPAVS_DEVNET_OK : MPAVS_DEVNET_ERR_IO;
}

int mpavs_devnet_deployment_load(mpavs_contracts_deployment *d, mpavs_error *err, const char *path) {
    memset(d, 0, sizeof *d);
    json_error_t je;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_IO, "%s: %s", path, je.text);
    }
    int r = MPAVS_DEVNET_OK;
    json_t *cid = json_object_get(o, "chainId");
    if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
        r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_DECODE, "%s: chainId missing or not a positive integer",
                            path);
        goto out;
    }
    d->chain_id = (uint64_t)json_integer_value(cid);
    for (size_t i = 0; i < NKEYS; i++) {
        const char *s = json_string_value(json_object_get(o, KEYS[i].key));
        if (!s || mpavs_address_parse((mpavs_address *)((char *)d + KEYS[i].off), s) != 0) {
            r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_DECODE, "%s: \"%s\" missing or not an address", path,
                                KEYS[i].key);
            goto out;
        }
    }
out:
    json_decref(o);
    return r;
}

int mpavs_devnet_deployment_string(char *out, size_t cap, const char *path, const char *key) {
    if (cap) out[0] = 0;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return MPAVS_DEVNET_ERR_IO;
    const char *v = json_string_value(json_object_get(o, key));
    int r = MPAVS_DEVNET_OK;
    if (!v) r = MPAVS_DEVNET_ERR_DECODE;
    else if (strlen(v) >= cap) r = MPAVS_DEVNET_ERR_ARG;
    else memcpy(out, v, strlen(v) + 1);
    json_decref(o);
    return r;
}


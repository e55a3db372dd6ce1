/*
 * src/devnet/deploy_avs.c — the AVS's deployment steps on an EigenLayer core (the devnet's
 * stand-in or a network's): middleware behind proxies, RegistryCoordinator with its quorums,
 * MultiProverServiceManager, OperatorStateRetriever, TEE quorums and committee 3, the attestation
 * contracts, the TEELivenessVerifier with its per-quorum policies, then the hand-over of every
 * role (mpavs_devnet_roles). The devnet's order and addresses are those of the whole stack
 * before the split (contracts/test/Fixture.sol).
 */
#include "deploy_internal.h"

#include "mpavs/dcap.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

/* The devnet QE's MRSIGNER: sha256("mpavs devnet QE signer - DEVNET ONLY") (src/dcap/devnet.c). */
static void devnet_qe_mrsigner(uint8_t out[32]) {
    static const char s[] = "mpavs devnet QE signer - DEVNET ONLY";
    SHA256((const unsigned char *)s, sizeof s - 1, out);
}

static bool same(const mpavs_address *a, const mpavs_address *b) {
    return memcmp(a->bytes, b->bytes, 20) == 0;
}

/* Quorum q's OperatorSetParam, minimum stake and strategy list appended to x->a (RC initialize). */
static void quorum_params(dv_deployer *x, unsigned nq, const mpavs_u256 *min_stake) {
    unsigned maxop = x->opt->max_operators ? x->opt->max_operators : 50;
    ctr_printf(&x->a, "[");
    for (unsigned q = 0; q < nq; q++) ctr_printf(&x->a, "%s(%u,11000,200)", q ? "," : "", maxop);
    ctr_printf(&x->a, "],[");
    for (unsigned q = 0; q < nq; q++) {
        if (q) ctr_printf(&x->a, ",");
        ctr_u256(&x->a, min_stake);
    }
    ctr_printf(&x->a, "],[");
    for (unsigned q = 0; q < nq; q++) ctr_printf(&x->a, "%s[(%s,1000000000000000000)]", q ? "," : "", AH(x, &x->out->strategy));
    ctr_printf(&x->a, "]");
}

/* Step: contract.transferOwnership(to) unless to is the deployer. */
static int hand_over(dv_deployer *x, const mpavs_address *contract, const mpavs_address *to, const char *what) {
    if (same(to, &x->me)) return MPAVS_DEVNET_OK;
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, to));
    return dv_call(x, contract, "transferOwnership(address)", x->a.s, what);
}

/* Step: proxy.changeAdmin(to) unless to is the deployer. */
static int change_admin(dv_deployer *x, const mpavs_address *proxy, const mpavs_address *to, const char *what) {
    if (same(to, &x->me)) return MPAVS_DEVNET_OK;
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, to));
    return dv_call(x, proxy, "changeAdmin(address)", x->a.s, what);
}

/* Step: contract.f(quorum, 32-byte value, true) (a per-quorum allow-list entry). */
static int allow32(dv_deployer *x, const mpavs_address *contract, const char *sig, int quorum, const uint8_t v[32],
                   const char *what) {
    args_reset(x);
    if (quorum >= 0) ctr_printf(&x->a, "(%d,", quorum);
    else ctr_printf(&x->a, "(");
    ctr_hex(&x->a, v, 32);
    ctr_printf(&x->a, ",true)");
    return dv_call(x, contract, sig, x->a.s, what);
}

/* Step: verifier.f(mrsigner, prodid) (a QE identity). */
static int qe_identity(dv_deployer *x, const char *sig, const uint8_t mrs[32], uint16_t prodid, const char *what) {
    args_reset(x);
    ctr_printf(&x->a, "(");
    ctr_hex(&x->a, mrs, 32);
    ctr_printf(&x->a, ",%u)", prodid);
    return dv_call(x, &x->out->quote_verifier, sig, x->a.s, what);
}

int dv_deploy_avs_steps(dv_deployer *x) {
    const mpavs_devnet_deploy_options *opt = x->opt;
    const mpavs_devnet_roles *ro = &opt->roles;
    mpavs_contracts_deployment *out = x->out;
    mpavs_address impl;
    int r;
    mpavs_u256 min_stake = opt->min_stake;
    if (mpavs_u256_is_zero(&min_stake)) min_stake = mpavs_u256_from_u64(10000000000000000ull); /* 0.01 ether */
    uint64_t max_diff = opt->max_block_number_diff ? opt->max_block_number_diff : 100;
    uint64_t validity = opt->attest_validity_seconds ? opt->attest_validity_seconds : 3600;
    unsigned min_threshold = opt->min_threshold ? opt->min_threshold : 50;
    unsigned nq = opt->tdx_quorum ? 2u : 1u;
    if (min_threshold > 100)
        return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, "options", "min_threshold %u: expected a percentage in 1..100",
                        min_threshold);
    if (opt->max_operators > 0 && opt->max_operators > 2000)
        return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, "options", "max_operators %u: expected 1..2000",
                        (unsigned)opt->max_operators);

    /* middleware registries behind proxies */
    TRY(dv_new_proxy(x, &out->index_registry));
    TRY(dv_new_proxy(x, &out->bls_apk_registry));
    TRY(dv_new_proxy(x, &out->stake_registry));
    TRY(dv_new_proxy(x, &out->registry_coordinator));
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, &out->registry_coordinator));
    TRY(dv_create(x, "IndexRegistry", "IndexRegistry", "(address)", x->a.s, &impl));
    TRY(dv_upgrade(x, &out->index_registry, &impl, NULL, NULL, "init IndexRegistry"));
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, &out->registry_coordinator));
    TRY(dv_create(x, "BLSApkRegistry", "BLSApkRegistry", "(address)", x->a.s, &impl));
    TRY(dv_upgrade(x, &out->bls_apk_registry, &impl, NULL, NULL, "init BLSApkRegistry"));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s)", AH(x, &out->registry_coordinator), AH(x, &out->delegation_manager));
    TRY(dv_create(x, "StakeRegistry", "StakeRegistry", "(address,address)", x->a.s, &impl));
    TRY(dv_upgrade(x, &out->stake_registry, &impl, NULL, NULL, "init StakeRegistry"));

    /* RegistryCoordinator (quorum 0, and with tdx_quorum quorum 1, created by initialize) */
    TRY(dv_new_proxy(x, &out->service_manager));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s,%s)", AH(x, &out->service_manager), AH(x, &out->stake_registry),
               AH(x, &out->bls_apk_registry), AH(x, &out->index_registry));
    TRY(dv_create(x, "RegistryCoordinator", "RegistryCoordinator", "(address,address,address,address)", x->a.s,
                  &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s,%s,0,", AH(x, &x->me), AH(x, dv_role(x, &ro->churn_approver)),
               AH(x, dv_role(x, &ro->ejector)), AH(x, &out->pauser_registry));
    quorum_params(x, nq, &min_stake);
    ctr_printf(&x->a, ")");
    TRY(dv_upgrade(x, &out->registry_coordinator, &impl,
                   "initialize(address,address,address,address,uint256,(uint32,uint16,uint16)[],uint96[],"
                   "(address,uint96)[][])",
                   x->a.s, "init RegistryCoordinator"));

    /* the service manager: owner and committee manager the deployer until the hand-over */
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s)", AH(x, &out->avs_directory), AH(x, &out->registry_coordinator),
               AH(x, &out->stake_registry));
    TRY(dv_create(x, "MultiProverServiceManager", "MultiProverServiceManager", "(address,address,address)", x->a.s,
                  &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,0,%s,%s,%s,%s,%s)", AH(x, &out->pauser_registry), AH(x, &x->me),
               AH(x, dv_role(x, &ro->state_confirmer)), AH(x, dv_role(x, &ro->poa_manager)), AH(x, &x->me),
               opt->poa_enabled ? "true" : "false");
    TRY(dv_upgrade(x, &out->service_manager, &impl, "initialize(address,uint256,address,address,address,address,bool)",
                   x->a.s, "init MultiProverServiceManager"));
    TRY(dv_create(x, "OperatorStateRetriever", "OperatorStateRetriever", NULL, NULL, &out->operator_state_retriever));

    /* TEE quorum {INTEL_SGX, 0} (and {INTEL_TDX, 1}) and committee 3 (chain-state task) on them */
    TRY(dv_call(x, &out->service_manager, "addTEEQuorum((uint8,uint8))", "((1,0))", "addTEEQuorum"));
    if (opt->tdx_quorum)
        TRY(dv_call(x, &out->service_manager, "addTEEQuorum((uint8,uint8))", "((5,1))", "addTEEQuorum TDX"));
    TRY(dv_call(x, &out->service_manager, "addCommittee((uint256,string,bytes,bytes))",
                opt->tdx_quorum ? "((3,\"devnet chain-state committee\",0x,0x0001))"
                                : "((3,\"devnet chain-state committee\",0x,0x00))",
                "addCommittee"));
    /* confirmState refuses thresholds below the committee's stored minimum (addCommittee set the
       contract's default, 50); stated explicitly so the deployment says what it accepts */
    for (unsigned q = 0; q < nq; q++) {
        char th[32];
        snprintf(th, sizeof th, "(3,%u,%u)", q, min_threshold);
        TRY(dv_call(x, &out->service_manager, "setMinimumThreshold(uint256,uint8,uint8)", th, "setMinimumThreshold"));
    }

    /* attestation: our SgxQuoteVerifier (or Automata's DCAP entrypoint) -> AttestationVerifier */
    uint8_t mrs[32];
    uint16_t prodid = 1;
    if (opt->dcap_attestation) {
        out->quote_verifier = *opt->dcap_attestation;
    } else {
        if (opt->qe_mr_signer) {
            memcpy(mrs, opt->qe_mr_signer, 32);
            prodid = opt->qe_isv_prod_id;
        } else {
            devnet_qe_mrsigner(mrs);
        }
        args_reset(x);
        ctr_printf(&x->a, "(");
        ctr_hex(&x->a, mrs, 32);
        ctr_printf(&x->a, ",%u)", prodid);
        TRY(dv_create(x, "SgxQuoteVerifier", "SgxQuoteVerifier", "(bytes32,uint16)", x->a.s, &out->quote_verifier));
    }
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, &out->quote_verifier));
    TRY(dv_create(x, "AttestationVerifier", "AttestationVerifier", "(address)", x->a.s, &out->attestation_verifier));
    if (opt->mr_enclave)
        TRY(allow32(x, &out->attestation_verifier, "setMrEnclave(bytes32,bool)", -1, opt->mr_enclave, "setMrEnclave"));
    else
        TRY(dv_call(x, &out->attestation_verifier, "setAllowListEnforced(bool)", "(false)", "setAllowListEnforced"));
    TRY(dv_new_proxy(x, &out->tee_liveness_verifier));
    TRY(dv_create(x, "TEELivenessVerifier", "TEELivenessVerifier", NULL, NULL, &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%llu,%llu)", AH(x, &x->me), AH(x, &out->attestation_verifier),
               (unsigned long long)max_diff, (unsigned long long)validity);
    TRY(dv_upgrade(x, &out->tee_liveness_verifier, &impl, "initialize(address,address,uint256,uint256)", x->a.s,
                   "init TEELivenessVerifier"));
    /* the TD QE that signs TDX quotes (after every contract: the devnet addresses stay as they were) */
    if (!opt->dcap_attestation) {
        if (opt->td_qe_mr_signer) {
            memcpy(mrs, opt->td_qe_mr_signer, 32);
            prodid = opt->td_qe_isv_prod_id;
        } else {
            mpavs_dcap_devnet_td_qe_identity(mrs, &prodid);
        }
        TRY(qe_identity(x, "setTdQeIdentity(bytes32,uint16)", mrs, prodid, "setTdQeIdentity"));
    }
    if (opt->tdx_quorum) {
        /* per-quorum policies: SGX in quorum 0, TDX in quorum 1 (OK | SW_HARDENING_NEEDED) */
        const mpavs_address *tlv = &out->tee_liveness_verifier;
        TRY(dv_call(x, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(0,1,3)", "setQuorumPolicy SGX"));
        TRY(dv_call(x, tlv, "setQuorumPolicy(uint8,uint8,uint16)", "(1,5,3)", "setQuorumPolicy TDX"));
        if (opt->mr_enclave)
            TRY(allow32(x, tlv, "setQuorumMrEnclave(uint8,bytes32,bool)", 0, opt->mr_enclave, "setQuorumMrEnclave"));
        if (opt->td_identity)
            TRY(allow32(x, tlv, "setQuorumTdIdentity(uint8,bytes32,bool)", 1, opt->td_identity, "setQuorumTdIdentity"));
    }

    /* the hand-over: committee manager, owners, proxy admins (none when every role is the deployer) */
    const mpavs_address *cm = dv_role(x, &ro->committee_manager), *owner = dv_role(x, &ro->owner),
                        *admin = dv_role(x, &ro->proxy_admin);
    if (!same(cm, &x->me)) {
        args_reset(x);
        ctr_printf(&x->a, "(%s)", AH(x, cm));
        TRY(dv_call(x, &out->service_manager, "setCommitteeManager(address)", x->a.s, "setCommitteeManager"));
    }
    TRY(hand_over(x, &out->service_manager, owner, "transferOwnership MultiProverServiceManager"));
    TRY(hand_over(x, &out->registry_coordinator, owner, "transferOwnership RegistryCoordinator"));
    TRY(hand_over(x, &out->tee_liveness_verifier, owner, "transferOwnership TEELivenessVerifier"));
    TRY(hand_over(x, &out->attestation_verifier, owner, "transferOwnership AttestationVerifier"));
    if (!opt->dcap_attestation) TRY(hand_over(x, &out->quote_verifier, owner, "transferOwnership SgxQuoteVerifier"));
    TRY(change_admin(x, &out->index_registry, admin, "changeAdmin IndexRegistry"));
    TRY(change_admin(x, &out->bls_apk_registry, admin, "changeAdmin BLSApkRegistry"));
    TRY(change_admin(x, &out->stake_registry, admin, "changeAdmin StakeRegistry"));
    TRY(change_admin(x, &out->registry_coordinator, admin, "changeAdmin RegistryCoordinator"));
    TRY(change_admin(x, &out->service_manager, admin, "changeAdmin MultiProverServiceManager"));
    TRY(change_admin(x, &out->tee_liveness_verifier, admin, "changeAdmin TEELivenessVerifier"));
    r = MPAVS_DEVNET_OK;
done:
    return r;
}

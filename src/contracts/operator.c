/*
 * src/contracts/operator.c — operator onboarding (EigenLayer operator, deposit, AVS opt-in with
 * BLS proof of possession and AVSDirectory signature) and simple registry reads.
 */
#include "contracts_internal.h"

#include "mpavs/bls.h"

#include <stdlib.h>
#include <string.h>

/* Append "(earningsReceiver,delegationApprover,window)" of od. */
static void details_tuple(ctr_str *a, const mpavs_contracts_operator_details *od) {
    ctr_printf(a, "(");
    ctr_addr(a, &od->earnings_receiver);
    ctr_printf(a, ",");
    ctr_addr(a, &od->delegation_approver);
    ctr_printf(a, ",%u)", (unsigned)od->staker_opt_out_window_blocks);
}

int ctr_uri_check(mpavs_contracts_ctx *c, const char *uri, const char *step) {
    if (uri && strlen(uri) <= 1024 && !strchr(uri, '"') && !strchr(uri, '\\')) return MPAVS_CONTRACTS_OK;
    return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "metadata URI: at most 1024 bytes, without '\"' or '\\'");
}

int mpavs_contracts_register_operator_details(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                              const mpavs_contracts_operator_details *od) {
    const char *uri = od->metadata_uri ? od->metadata_uri : "";
    int r = ctr_uri_check(c, uri, "registerAsOperator");
    if (r) return r;
    ctr_str a = {0};
    ctr_printf(&a, "(");
    details_tuple(&a, od);
    ctr_printf(&a, ",\"%s\")", uri);
    return ctr_tx_args(c, &d->delegation_manager, CTR_REGISTER_AS_OPERATOR, &a, "registerAsOperator");
}

int mpavs_contracts_get_operator_details(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                         const mpavs_address *operator_addr, mpavs_contracts_operator_details *od) {
    memset(od, 0, sizeof *od);
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, operator_addr);
    ctr_printf(&a, ")");
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "operatorDetails", "out of memory")
                  : ctr_call(c, &d->delegation_manager, CTR_OPERATOR_DETAILS, a.s, NULL, &ret, "operatorDetails");
    ctr_str_free(&a);
    if (r) return r;
    const mpavs_abi_value *t = ret->n == 1 ? &ret->items[0] : NULL;
    if (!t || t->n != 3 || mpavs_u256_bits(&t->items[2].word) > 32) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "operatorDetails", "unexpected output");
    } else {
        memcpy(od->earnings_receiver.bytes, t->items[0].fixed, 20);
        memcpy(od->delegation_approver.bytes, t->items[1].fixed, 20);
        od->staker_opt_out_window_blocks = (uint32_t)t->items[2].word.w[0];
    }
    mpavs_abi_value_free(ret);
    return r;
}

int mpavs_contracts_modify_operator_details(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                            const mpavs_contracts_operator_details *od) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    details_tuple(&a, od);
    ctr_printf(&a, ")");
    return ctr_tx_args(c, &d->delegation_manager, CTR_MODIFY_OPERATOR_DETAILS, &a, "modifyOperatorDetails");
}

int mpavs_contracts_update_operator_metadata_uri(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                 const char *uri) {
    int r = ctr_uri_check(c, uri, "updateOperatorMetadataURI");
    if (r) return r;
    ctr_str a = {0};
    ctr_printf(&a, "(\"%s\")", uri);
    return ctr_tx_args(c, &d->delegation_manager, CTR_UPDATE_OPERATOR_METADATA_URI, &a, "updateOperatorMetadataURI");
}

int mpavs_contracts_register_as_operator(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d) {
    ctr_str a = {0};
    ctr_printf(&a, "((");
    ctr_addr(&a, mpavs_sender_address(c->sender));
    ctr_printf(&a, ",0x0000000000000000000000000000000000000000,0),\"\")");
    return ctr_tx_args(c, &d->delegation_manager, CTR_REGISTER_AS_OPERATOR, &a, "registerAsOperator");
}

int mpavs_contracts_deposit(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_u256 *amount) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, &d->strategy_manager);
    ctr_printf(&a, ",");
    ctr_u256(&a, amount);
    ctr_printf(&a, ")");
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "deposit", "out of memory")
                  : ctr_tx(c, &d->token, CTR_APPROVE, a.s, "approve");
    if (!r) {
        a.len = 0;
        ctr_printf(&a, "(");
        ctr_addr(&a, &d->strategy);
        ctr_printf(&a, ",");
        ctr_addr(&a, &d->token);
        ctr_printf(&a, ",");
        ctr_u256(&a, amount);
        ctr_printf(&a, ")");
        r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "deposit", "out of memory")
                  : ctr_tx(c, &d->strategy_manager, CTR_DEPOSIT_INTO_STRATEGY, a.s,
                          "depositIntoStrategy");
    }
    ctr_str_free(&a);
    return r;
}

/* Read a G1 point returned as (uint256,uint256) in ret->items[0]. */
static int g1_from_value(mpavs_bn254_g1 *p, const mpavs_abi_value *t) {
    if (!t || t->n != 2) return -1;
    uint8_t e[64];
    mpavs_u256_to_be32(e, &t->items[0].word);
    mpavs_u256_to_be32(e + 32, &t->items[1].word);
    return mpavs_bn254_g1_decode(p, e) == 0 ? 0 : -1;
}

int mpavs_contracts_opt_in(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const uint8_t ecdsa_sk[32],
                           const uint8_t bls_sk[32], const uint8_t *quorums, size_t nquorums, const char *socket,
                           const uint8_t salt[32], uint64_t expiry) {
    const char *step = "opt-in";
    if (!nquorums || !socket || strchr(socket, '"') || strchr(socket, '\\'))
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "need quorums and a socket without quotes or backslashes");
    const mpavs_address *me = mpavs_sender_address(c->sender);
    mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
    if (!ec) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "no ECDSA context");
    mpavs_address who;
    int r = MPAVS_CONTRACTS_OK;
    mpavs_abi_value *ret = NULL;
    ctr_str a = {0};
    mpavs_bn254_g1 h, local, pop, pk1;
    mpavs_bn254_g2 pk2;
    if (mpavs_ecdsa_seckey_to_address(ec, &who, ecdsa_sk) || memcmp(who.bytes, me->bytes, 20) != 0) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "the ECDSA key is not the sender's");
        goto out;
    }
    if (mpavs_bls_pubkey_g1(&pk1, bls_sk) || mpavs_bls_pubkey_g2(&pk2, bls_sk)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_CRYPTO, step, "invalid BLS secret key");
        goto out;
    }
    /* proof of possession over the on-chain registration message */
    ctr_printf(&a, "(");
    ctr_addr(&a, me);
    ctr_printf(&a, ")");
    if ((r = ctr_call(c, &d->registry_coordinator, CTR_PUBKEY_REGISTRATION_HASH, a.s,
                     NULL, &ret, "pubkeyRegistrationMessageHash")))
        goto out;
    if (g1_from_value(&h, &ret->items[0])) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "pubkeyRegistrationMessageHash is not a G1 point");
        goto out;
    }
    mpavs_bls_registration_message(&local, d->chain_id, d->registry_coordinator.bytes, me->bytes);
    if (!mpavs_bn254_g1_eq(&h, &local)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "on-chain registration message differs from the local one");
        goto out;
    }
    if (mpavs_bls_sign_hashed(&pop, bls_sk, &h)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_CRYPTO, step, "BLS signing failed");
        goto out;
    }
    mpavs_abi_value_free(ret);
    ret = NULL;
    /* AVSDirectory registration digest signed with the operator's ECDSA key */
    a.len = 0;
    ctr_printf(&a, "(");
    ctr_addr(&a, me);
    ctr_printf(&a, ",");
    ctr_addr(&a, &d->service_manager);
    ctr_printf(&a, ",");
    ctr_hex(&a, salt, 32);
    ctr_printf(&a, ",%llu)", (unsigned long long)expiry);
    if ((r = ctr_call(c, &d->avs_directory,
                     CTR_OPERATOR_AVS_DIGEST, a.s,
                     NULL, &ret, "calculateOperatorAVSRegistrationDigestHash")))
        goto out;
    mpavs_ecdsa_sig es;
    uint8_t es65[65];
    if (mpavs_ecdsa_sign(ec, &es, ret->items[0].fixed, ecdsa_sk)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_CRYPTO, step, "ECDSA signing failed");
        goto out;
    }
    mpavs_ecdsa_sig_serialize(es65, &es);
    /* registerOperator(quorums, socket, (pop, pk1, pk2), (sig, salt, expiry)) */
    a.len = 0;
    ctr_printf(&a, "(");
    ctr_hex(&a, quorums, nquorums);
    ctr_printf(&a, ",\"%s\",(", socket);
    ctr_g1(&a, &pop);
    ctr_printf(&a, ",");
    ctr_g1(&a, &pk1);
    ctr_printf(&a, ",");
    ctr_g2(&a, &pk2);
    ctr_printf(&a, "),(");
    ctr_hex(&a, es65, 65);
    ctr_printf(&a, ",");
    ctr_hex(&a, salt, 32);
    ctr_printf(&a, ",%llu))", (unsigned long long)expiry);
    r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory")
              : ctr_tx(c, &d->registry_coordinator,
                      CTR_REGISTER_OPERATOR,
                      a.s, "registerOperator");
out:
    mpavs_wipe(&pop, sizeof pop);
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    mpavs_ecdsa_ctx_destroy(ec);
    return r;
}

int mpavs_contracts_operator_id(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                const mpavs_address *operator_addr, uint8_t id[32]) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, operator_addr);
    ctr_printf(&a, ")");
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? MPAVS_CONTRACTS_ERR_NOMEM
                  : ctr_call(c, &d->registry_coordinator, CTR_GET_OPERATOR_ID, a.s, NULL, &ret, "getOperatorId");
    if (!r) memcpy(id, ret->items[0].fixed, 32);
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_current_stake(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const uint8_t id[32],
                                  uint8_t quorum, mpavs_u256 *stake) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_hex(&a, id, 32);
    ctr_printf(&a, ",%u)", quorum);
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? MPAVS_CONTRACTS_ERR_NOMEM
                  : ctr_call(c, &d->stake_registry, CTR_GET_CURRENT_STAKE, a.s, NULL, &ret, "getCurrentStake");
    if (!r) *stake = ret->items[0].word;
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    return r;
}

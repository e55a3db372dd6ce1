/*
 * src/contracts/tools.c — operator tooling on any deployment of the reference contracts: address
 * resolution from the RegistryCoordinator, deposits into any strategy, opt-out, an operator's
 * standing and liveness record, registration and confirmation events, eigensdk BLS key files.
 */
#include "contracts_internal.h"

#include "mpavs/bls.h"
#include "mpavs/keystore.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool addr_is_zero(const mpavs_address *a) {
    static const uint8_t z[20];
    return memcmp(a->bytes, z, 20) == 0;
}

/* One output of a getter "f(in)(T)": its word (uints, bool) and fixed bytes (address, bytesN). */
typedef struct {
    mpavs_u256 word;
    uint8_t fixed[32];
} ctr_word;

/* eth_call sig on `to` with args (NULL: none) and keep its first output. */
static int call_word(mpavs_contracts_ctx *c, ctr_word *w, const mpavs_address *to, ctr_sig sig, const char *args,
                     const char *step) {
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, to, sig, args, NULL, &ret, step);
    if (!r) {
        if (ret->n < 1) {
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "%s returned nothing", ctr_signature(c, sig)->canonical);
        } else {
            w->word = ret->items[0].word;
            memcpy(w->fixed, ret->items[0].fixed, 32);
        }
    }
    mpavs_abi_value_free(ret);
    return r;
}

/* "(0x<address>)" into b (reset first). */
static void one_addr_arg(ctr_str *b, const mpavs_address *a) {
    b->len = 0;
    ctr_printf(b, "(");
    ctr_addr(b, a);
    ctr_printf(b, ")");
}

/* "(0x<32 bytes>)" into b (reset first). */
static void one_b32_arg(ctr_str *b, const uint8_t v[32]) {
    b->len = 0;
    ctr_printf(b, "(");
    ctr_hex(b, v, 32);
    ctr_printf(b, ")");
}

int mpavs_contracts_resolve_addresses(mpavs_contracts_ctx *c, mpavs_contracts_deployment *d) {
    if (addr_is_zero(&d->registry_coordinator))
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, "resolve", "no RegistryCoordinator address");
    if (!d->chain_id) {
        mpavs_error e = {0};
        int rr = mpavs_rpc_chain_id(c->rpc, &d->chain_id, &e);
        if (rr) {
            int code = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, "resolve", "eth_chainId: %s (%s)", mpavs_rpc_strerror(rr),
                               e.message);
            mpavs_error_clear(&e);
            return code;
        }
    }
    /* each step reads from an address an earlier step may have filled */
    const struct {
        mpavs_address *field;
        const mpavs_address *from;
        ctr_sig sig;
    } steps[] = {
        {&d->service_manager, &d->registry_coordinator, CTR_SERVICE_MANAGER},
        {&d->stake_registry, &d->registry_coordinator, CTR_STAKE_REGISTRY},
        {&d->bls_apk_registry, &d->registry_coordinator, CTR_BLS_APK_REGISTRY},
        {&d->index_registry, &d->registry_coordinator, CTR_INDEX_REGISTRY},
        {&d->delegation_manager, &d->stake_registry, CTR_DELEGATION},
        {&d->strategy_manager, &d->delegation_manager, CTR_STRATEGY_MANAGER},
        {&d->avs_directory, &d->service_manager, CTR_AVS_DIRECTORY},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (!addr_is_zero(steps[i].field)) continue;
        ctr_word w;
        int r = call_word(c, &w, steps[i].from, steps[i].sig, NULL, "resolve");
        if (r) return r;
        memcpy(steps[i].field->bytes, w.fixed, 20);
        if (addr_is_zero(steps[i].field))
            return ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "resolve", "%s returned the zero address", ctr_signature(c, steps[i].sig)->canonical);
    }
    return MPAVS_CONTRACTS_OK;
}

int mpavs_contracts_strategy_token(mpavs_contracts_ctx *c, mpavs_address *token, uint8_t *decimals,
                                   const mpavs_address *strategy) {
    ctr_word w;
    int r = call_word(c, &w, strategy, CTR_UNDERLYING_TOKEN, NULL, "underlyingToken");
    if (r) return r;
    memcpy(token->bytes, w.fixed, 20);
    if ((r = call_word(c, &w, token, CTR_DECIMALS, NULL, "decimals"))) return r;
    *decimals = (uint8_t)w.word.w[0];
    return MPAVS_CONTRACTS_OK;
}

int mpavs_contracts_token_funds(mpavs_contracts_ctx *c, mpavs_u256 *balance, mpavs_u256 *allowance,
                                const mpavs_address *token, const mpavs_address *owner, const mpavs_address *spender) {
    ctr_str a = {0};
    ctr_word w;
    one_addr_arg(&a, owner);
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "balanceOf", "out of memory")
                  : call_word(c, &w, token, CTR_BALANCE_OF, a.s, "balanceOf");
    if (!r) {
        *balance = w.word;
        a.len = 0;
        ctr_printf(&a, "(");
        ctr_addr(&a, owner);
        ctr_printf(&a, ",");
        ctr_addr(&a, spender);
        ctr_printf(&a, ")");
        r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "allowance", "out of memory")
                  : call_word(c, &w, token, CTR_ALLOWANCE, a.s, "allowance");
        if (!r) *allowance = w.word;
    }
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_approve(mpavs_contracts_ctx *c, const mpavs_address *token, const mpavs_address *spender,
                            const mpavs_u256 *amount) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, spender);
    ctr_printf(&a, ",");
    ctr_u256(&a, amount);
    ctr_printf(&a, ")");
    return ctr_tx_args(c, token, CTR_APPROVE, &a, "approve");
}

int mpavs_contracts_deposit_approved(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                     const mpavs_address *strategy, const mpavs_address *token,
                                     const mpavs_u256 *amount) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, strategy);
    ctr_printf(&a, ",");
    ctr_addr(&a, token);
    ctr_printf(&a, ",");
    ctr_u256(&a, amount);
    ctr_printf(&a, ")");
    return ctr_tx_args(c, &d->strategy_manager, CTR_DEPOSIT_INTO_STRATEGY, &a, "depositIntoStrategy");
}

int mpavs_contracts_deposit_into(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_address *strategy,
                                 const mpavs_u256 *amount) {
    mpavs_contracts_deployment e = *d;
    if (strategy) {
        uint8_t dec;
        e.strategy = *strategy;
        int r = mpavs_contracts_strategy_token(c, &e.token, &dec, strategy);
        if (r) return r;
    }
    return mpavs_contracts_deposit(c, &e, amount);
}

int mpavs_contracts_operator_shares(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, mpavs_u256 *shares,
                                    const mpavs_address *operator_addr, const mpavs_address *strategy) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, operator_addr);
    ctr_printf(&a, ",");
    ctr_addr(&a, strategy);
    ctr_printf(&a, ")");
    ctr_word w;
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "operatorShares", "out of memory")
                  : call_word(c, &w, &d->delegation_manager, CTR_OPERATOR_SHARES, a.s,
                              "operatorShares");
    if (!r) *shares = w.word;
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_opt_out(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const uint8_t *quorums,
                            size_t nquorums) {
    if (!nquorums) return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, "opt-out", "no quorums");
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_hex(&a, quorums, nquorums);
    ctr_printf(&a, ")");
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "opt-out", "out of memory")
                  : ctr_tx(c, &d->registry_coordinator, CTR_DEREGISTER_OPERATOR, a.s, "deregisterOperator");
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_operator_status(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                    mpavs_contracts_standing *st, const mpavs_address *operator_addr) {
    memset(st, 0, sizeof *st);
    ctr_str a = {0};
    ctr_word w;
    one_addr_arg(&a, operator_addr);
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "status", "out of memory") : MPAVS_CONTRACTS_OK;
    if (!r && !(r = call_word(c, &w, &d->delegation_manager, CTR_IS_OPERATOR, a.s, "isOperator")))
        st->is_operator = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->registry_coordinator, CTR_GET_OPERATOR_STATUS, a.s,
                              "getOperatorStatus")))
        st->avs_status = (uint8_t)w.word.w[0];
    if (!r && !(r = call_word(c, &w, &d->service_manager, CTR_IS_POA_ENABLED, NULL, "isPoAEnabled")))
        st->poa_enabled = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->service_manager, CTR_IS_WHITELISTED, a.s,
                              "isOperatorWhitelisted")))
        st->whitelisted = !mpavs_u256_is_zero(&w.word);
    if (!r && !(r = call_word(c, &w, &d->registry_coordinator, CTR_QUORUM_COUNT, NULL, "quorumCount")))
        st->quorum_count = (uint8_t)w.word.w[0];
    if (!r) r = mpavs_contracts_operator_id(c, d, operator_addr, st->operator_id);
    static const uint8_t zero[32];
    if (!r && memcmp(st->operator_id, zero, 32) != 0) {
        one_b32_arg(&a, st->operator_id);
        if (!(r = call_word(c, &w, &d->registry_coordinator, CTR_QUORUM_BITMAP, a.s,
                            "getCurrentQuorumBitmap")))
            st->quorum_bitmap = w.word;
        for (unsigned q = 0; !r && q < st->quorum_count && q < MPAVS_CONTRACTS_MAX_QUORUMS; q++)
            if (mpavs_u256_bit(&st->quorum_bitmap, q))
                r = mpavs_contracts_current_stake(c, d, st->operator_id, (uint8_t)q, &st->stake[q]);
    }
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_liveness_status(mpavs_contracts_ctx *c, mpavs_contracts_liveness *lv, const mpavs_address *verifier,
                                    const uint8_t operator_id[32]) {
    memset(lv, 0, sizeof *lv);
    ctr_str a = {0};
    one_b32_arg(&a, operator_id);
    if (a.oom) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "liveness", "out of memory");
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, verifier, CTR_ATTESTED_PROVERS, a.s, NULL, &ret, "attestedProvers");
    if (!r) {
        if (ret->n != 2 || mpavs_u256_bits(&ret->items[1].word) > 63)
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "attestedProvers", "unexpected output");
        else
            lv->attested_at = ret->items[1].word.w[0];
    }
    mpavs_abi_value_free(ret);
    ctr_word w;
    if (!r && !(r = call_word(c, &w, verifier, CTR_ATTEST_VALIDITY, NULL, "attestValiditySeconds"))) {
        if (mpavs_u256_bits(&w.word) > 62)
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "attestValiditySeconds", "value out of range");
        else
            lv->validity_seconds = w.word.w[0];
    }
    if (!r && !(r = call_word(c, &w, verifier, CTR_ATTESTED_PROVER_ADDR, a.s, "attestedProverAddr")))
        memcpy(lv->prover.bytes, w.fixed, 20);
    if (!r) {
        mpavs_rpc_block b = {0};
        mpavs_error e = {0};
        bool found = false;
        int rr = mpavs_rpc_get_block_by_number(c->rpc, &b, &found, &e, "latest");
        if (rr || !found)
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, "liveness", "latest block: %s (%s)",
                        rr ? mpavs_rpc_strerror(rr) : "not found", e.message);
        else
            lv->now = b.timestamp;
        mpavs_rpc_block_clear(&b);
        mpavs_error_clear(&e);
    }
    if (!r && lv->attested_at) {
        lv->valid_until = lv->attested_at + lv->validity_seconds;
        lv->live = lv->valid_until > lv->now;
    }
    ctr_str_free(&a);
    return r;
}

/* eth_getLogs of one contract and event from from_block to latest. */
static int get_logs_to(mpavs_contracts_ctx *c, mpavs_rpc_log **logs, size_t *n, const mpavs_address *addr,
                       const char *event, uint64_t from_block, uint64_t to_block, const char *step) {
    uint8_t topic[32];
    if (mpavs_abi_event_topic(topic, event)) return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "bad event %s", event);
    char tag[24], tag2[24];
    mpavs_rpc_filter f = {.from_block = mpavs_rpc_tag_number(tag, from_block),
                          .to_block = to_block == UINT64_MAX ? "latest" : mpavs_rpc_tag_number(tag2, to_block),
                          .addresses = (const uint8_t (*)[20])addr->bytes, .naddresses = 1, .ntopics = 1};
    f.topics[0] = topic;
    mpavs_error e = {0};
    int rr = mpavs_rpc_get_logs(c->rpc, logs, n, &e, &f);
    int r = MPAVS_CONTRACTS_OK;
    if (rr) r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, step, "eth_getLogs %s: %s (%s)", event, mpavs_rpc_strerror(rr), e.message);
    mpavs_error_clear(&e);
    return r;
}

static int get_logs(mpavs_contracts_ctx *c, mpavs_rpc_log **logs, size_t *n, const mpavs_address *addr,
                    const char *event, uint64_t from_block, const char *step) {
    return get_logs_to(c, logs, n, addr, event, from_block, UINT64_MAX, step);
}

int mpavs_contracts_registrations(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                  mpavs_contracts_registration **regs, size_t *n, uint64_t from_block) {
    *regs = NULL;
    *n = 0;
    mpavs_rpc_log *logs = NULL;
    size_t nl = 0;
    int r = get_logs(c, &logs, &nl, &d->registry_coordinator, "OperatorRegistered(address,bytes32)", from_block,
                     "registrations");
    if (r) return r;
    mpavs_contracts_registration *out = nl ? calloc(nl, sizeof *out) : NULL;
    if (nl && !out) r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "registrations", "out of memory");
    for (size_t i = 0; !r && i < nl; i++) {
        if (logs[i].ntopics != 3) {
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "registrations", "OperatorRegistered log with %zu topics",
                        logs[i].ntopics);
            break;
        }
        memcpy(out[i].operator_addr.bytes, logs[i].topics[1] + 12, 20);
        memcpy(out[i].operator_id, logs[i].topics[2], 32);
        out[i].block_number = logs[i].block_number;
        memcpy(out[i].tx_hash, logs[i].tx_hash, 32);
    }
    mpavs_rpc_logs_free(logs, nl);
    if (r) {
        free(out);
        return r;
    }
    *regs = out;
    *n = nl;
    return MPAVS_CONTRACTS_OK;
}

void mpavs_contracts_confirmations_free(mpavs_contracts_confirmation *cs, size_t n) {
    if (!cs) return;
    for (size_t i = 0; i < n; i++) {
        free(cs[i].metadata);
        free(cs[i].state);
    }
    free(cs);
}

/* A malloc'd copy of n bytes (at least one byte allocated); NULL when out of memory. */
static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *q = malloc(n ? n : 1);
    if (q && n) memcpy(q, p, n);
    return q;
}

int mpavs_contracts_confirmations(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                  mpavs_contracts_confirmation **out, size_t *n, uint64_t from_block) {
    return mpavs_contracts_confirmations_between(c, d, out, n, from_block, UINT64_MAX);
}

int mpavs_contracts_confirmations_between(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                          mpavs_contracts_confirmation **out, size_t *n, uint64_t from_block,
                                          uint64_t to_block) {
    *out = NULL;
    *n = 0;
    mpavs_rpc_log *logs = NULL;
    size_t nl = 0;
    int r = get_logs_to(c, &logs, &nl, &d->service_manager, "StateConfirmed(uint256,bytes,bytes)", from_block,
                        to_block, "confirmations");
    if (r) return r;
    mpavs_abi_type *t = NULL;
    mpavs_contracts_confirmation *cs = nl ? calloc(nl, sizeof *cs) : NULL;
    if ((nl && !cs) || mpavs_abi_type_parse(&t, "(bytes,bytes)"))
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "confirmations", "out of memory");
    for (size_t i = 0; !r && i < nl; i++) {
        mpavs_abi_value *v = NULL;
        mpavs_u256 id = mpavs_u256_from_be32(logs[i].topics[1]);
        if (logs[i].ntopics != 2 || mpavs_abi_decode(&v, t, logs[i].data, logs[i].data_len) ||
            mpavs_u256_bits(&id) > 64) {
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "confirmations", "StateConfirmed log %zu does not decode", i);
            mpavs_abi_value_free(v);
            break;
        }
        cs[i].committee_id = id.w[0];
        cs[i].metadata = dup_bytes(v->items[0].data, v->items[0].len);
        cs[i].metadata_len = v->items[0].len;
        cs[i].state = dup_bytes(v->items[1].data, v->items[1].len);
        cs[i].state_len = v->items[1].len;
        cs[i].block_number = logs[i].block_number;
        memcpy(cs[i].tx_hash, logs[i].tx_hash, 32);
        mpavs_abi_value_free(v);
        if (!cs[i].metadata || !cs[i].state) r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "confirmations", "out of memory");
    }
    mpavs_abi_type_free(t);
    mpavs_rpc_logs_free(logs, nl);
    if (r) {
        mpavs_contracts_confirmations_free(cs, nl);
        return r;
    }
    *out = cs;
    *n = nl;
    return MPAVS_CONTRACTS_OK;
}

/*
 * daemons/operator/liveness.c — keeps the operator's BLS key attested on the attestation chain.
 *
 * One cycle: learn the prover's enclave address from a fresh quote (REPORTDATA [12..32)) when it
 * is unknown or a re-check was requested; read verifyLivenessProofV2(x, y, enclave),
 * attestedProvers(operatorId).time and attestValiditySeconds; when not live or within the
 * renewal margin of expiry, build ReportDataV2 on the parent of the attestation chain's head,
 * get a quote over 0^32 ‖ dataHash, check that its REPORTDATA carries dataHash, and send it with
 * the attestation key (library sender: nonce, fees, receipt): submitLivenessProofV3, signed by the
 * operator's BLS key for the quote's enclave address, where the verifier has it (this project's;
 * detected once per verifier with livenessAuthorizationVersion(), a revert meaning Automata's
 * deployed verifiers), else submitLivenessProofV2; with LivenessTeeQuorum set and a verifier
 * reporting version 2, submitLivenessProofV4 under that TEE quorum's policy (signed for the quorum).
 * Renewal margin = max(validity/10, 300 s), at most validity/3 (short devnet validities).
 * Errors back off exponentially (1 s … 5 min, jittered); between cycles the proof is
 * re-verified every 30 s (one eth_call).
 */
#include "operator/operator.h"

#include "mpavs/avs.h"
#include "mpavs/common.h"
#include "mpavs/dcap.h"
#include "mpavs/contracts.h"
#include "mpavs/hex.h"
#include "mpavs/sender.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECHECK_S 30

typedef struct {
    op *o;
    mpavs_rpc *rpc;
    mpavs_sender *sender;
    mpavs_contracts_ctx ctx;
    mpavs_contracts_deployment dep; /* only tee_liveness_verifier and chain_id are used */
    int64_t last_low_warn;
    bool auth_known;       /* auth_version was read from this verifier */
    uint64_t auth_version; /* 0: V2 only (reference verifier); >= 1: submitLivenessProofV3 */
    bool fee_unsupported_logged; /* the verifier has no fee estimate: said once */
} live;

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double wei_to_eth(const mpavs_u256 *w) {
    return ((double)w->w[0] + (double)w->w[1] * 18446744073709551616.0 +
            (double)w->w[2] * 18446744073709551616.0 * 18446744073709551616.0) / 1e18;
}

int64_t op_renew_margin(uint64_t validity);
int64_t op_renew_margin(uint64_t validity) {
    int64_t m = (int64_t)(validity / 10);
    if (m < 300) m = 300;
    if (m > (int64_t)(validity / 3)) m = (int64_t)(validity / 3);
    return m < 1 ? 1 : m;
}

void op_liveness_poke(op *o) {
    pthread_mutex_lock(&o->lock);
    o->poke_liveness = true;
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->lock);
}

bool op_wait_live(op *o, const mpavs_address *enclave, long ms) {
    struct timespec dl;
    drt_deadline(&dl, ms);
    pthread_mutex_lock(&o->lock);
    for (;;) {
        bool ok = o->live && (!enclave || (o->has_enclave && memcmp(&o->enclave, enclave, sizeof *enclave) == 0));
        if (ok || drt_stopped(o->stop) || drt_cond_wait_until(&o->cond, &o->lock, &dl) != 0) {
            ok = o->live && (!enclave || (o->has_enclave && memcmp(&o->enclave, enclave, sizeof *enclave) == 0));
            pthread_mutex_unlock(&o->lock);
            return ok;
        }
    }
}

static void set_live(op *o, bool v) {
    pthread_mutex_lock(&o->lock);
    o->live = v;
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->lock);
    op_svc_set(o, SVC_LIVENESS, v ? SVC_UP : SVC_DOWN);
}

static bool balance(live *L, mpavs_u256 *wei) {
    mpavs_error e = {0};
    double t0 = mono_ms();
    int r = mpavs_rpc_get_balance(L->rpc, wei, &e, L->o->att_addr.bytes, "latest");
    op_rpc_observe(L->o, "eth_getBalance", 1, (mono_ms() - t0) / 1e3, r == 0);
    mpavs_error_clear(&e);
    if (r) return false;
    op *o = L->o;
    pthread_mutex_lock(&o->lock);
    o->att_balance = wei_to_eth(wei);
    pthread_mutex_unlock(&o->lock);
    int64_t now = (int64_t)time(NULL);
    if (mpavs_u256_cmp(wei, &o->cfg.low_balance_wei) < 0 && now - L->last_low_warn >= 600) {
        char cs[43];
        mpavs_address_to_checksum(cs, &o->att_addr);
        dlog(DLOG_WARN, "low_balance", "account=%s balance_eth=%.6f threshold_eth=%.6f chain_id=%" PRIu64
             " action=\"fund the attestation account or liveness proofs will fail\"", cs, wei_to_eth(wei),
             wei_to_eth(&o->cfg.low_balance_wei), o->att_chain_id);
        L->last_low_warn = now;
    }
    return true;
}

/* Ask the prover for a quote over 0^32 ‖ data_hash; check it; learn the enclave address. */
static bool get_quote(live *L, const uint8_t data_hash[32], uint8_t **quote, size_t *qlen, char *msg, size_t cap) {
    op *o = L->o;
    char hex[2 + 128 + 1] = "0x";
    memset(hex + 2, '0', 64);
    if (mpavs_hex_encode(hex + 66, sizeof hex - 66, data_hash, 32, false)) return false;
    json_t *params = json_pack("[s]", hex), *res = NULL;
    op_rpc_err e;
    double t0 = mono_ms();
    bool ok = op_jsonrpc(o, o->cfg.prover_url, "generateAttestationReport", params, 60000, &res, &e);
    json_decref(params);
    if (!ok) {
        if (e.transport) op_svc_set(o, SVC_PROVER, SVC_DOWN);
        snprintf(msg, cap, "prover generateAttestationReport: %s%s", e.message,
                 e.transport ? " (is mpavs-prover running at ProverURL?)" : "");
        return false;
    }
    op_svc_set(o, SVC_PROVER, SVC_UP);
    pthread_mutex_lock(&o->lock);
    o->gen_report_ms = (uint64_t)(mono_ms() - t0);
    pthread_mutex_unlock(&o->lock);
    const char *s = json_string_value(res);
    size_t sl = s ? strlen(s) : 0;
    *quote = sl > 2 ? malloc(sl / 2) : NULL;
    ok = *quote && strncmp(s, "0x", 2) == 0 && mpavs_hex_decode(*quote, sl / 2, qlen, s, sl) == MPAVS_HEX_OK;
    json_decref(res);
    if (!ok) {
        free(*quote);
        *quote = NULL;
        snprintf(msg, cap, "prover generateAttestationReport: the result is not 0x-prefixed hex");
        return false;
    }
    mpavs_dcap_quote q;
    int r = mpavs_dcap_quote_parse(&q, *quote, *qlen);
    static const uint8_t zero[12];
    const uint8_t *rd = r == MPAVS_DCAP_OK ? mpavs_dcap_report_data(&q) : NULL;
    if (!rd || memcmp(rd, zero, 12) != 0 || memcmp(rd + 32, data_hash, 32) != 0) {
        snprintf(msg, cap, "prover quote refused: %s", !rd ? mpavs_dcap_strerror(r)
                 : "its REPORTDATA does not carry 0^12 ‖ enclave ‖ our ReportDataV2 hash");
        free(*quote);
        *quote = NULL;
        return false;
    }
    mpavs_address enclave;
    memcpy(enclave.bytes, rd + 12, 20);
    pthread_mutex_lock(&o->lock);
    bool changed = !o->has_enclave || memcmp(&o->enclave, &enclave, sizeof enclave) != 0;
    if (changed && o->has_enclave) o->live = false;
    o->enclave = enclave;
    o->has_enclave = true;
    pthread_mutex_unlock(&o->lock);
    if (changed) {
        char cs[43];
        mpavs_address_to_checksum(cs, &enclave);
        dlog(DLOG_INFO, "prover_enclave", "address=%s quote_bytes=%zu", cs, *qlen);
    }
    return true;
}

/* Report data for the parent of the head; quote over it. */
static bool fresh_quote(live *L, mpavs_contracts_report_data *data, uint8_t **quote, size_t *qlen, char *msg,
                        size_t cap) {
    op *o = L->o;
    memset(data, 0, sizeof *data);
    memcpy(data->pubkey_g1, o->pk_xy, 64);
    mpavs_avs_prover_addr_hash(data->prover_address_hash, o->cfg.prover_url);
    double t0 = mono_ms();
    int r = mpavs_contracts_reference_block(&L->ctx, data);
    op_rpc_observe(o, "eth_getBlockByNumber", 1, (mono_ms() - t0) / 1e3, r == 0);
    if (r) {
        snprintf(msg, cap, "attestation chain: %s", L->ctx.error.message);
        return false;
    }
    uint8_t dh[32];
    mpavs_avs_report_data_hash(dh, data->pubkey_g1, data->pubkey_g1 + 32, data->reference_block_number,
                               data->reference_block_hash, data->prover_address_hash);
    return get_quote(L, dh, quote, qlen, msg, cap);
}

/* The on-chain view: valid for (pk, enclave), attested time, validity. */
static bool read_chain(live *L, bool *valid, uint64_t *t, uint64_t *validity, char *msg, size_t cap) {
    op *o = L->o;
    char idhex[67], x[67], y[67], en[43], args[220];
    mpavs_address enclave;
    pthread_mutex_lock(&o->lock);
    enclave = o->enclave;
    pthread_mutex_unlock(&o->lock);
    if (mpavs_hex_encode(idhex, sizeof idhex, o->operator_id, 32, true) ||
        mpavs_hex_encode(x, sizeof x, o->pk_xy, 32, true) || mpavs_hex_encode(y, sizeof y, o->pk_xy + 32, 32, true) ||
        mpavs_hex_encode(en, sizeof en, enclave.bytes, 20, true))
        return false;
    mpavs_abi_value *r = NULL;
    snprintf(args, sizeof args, "(%s,%s,%s)", x, y, en);
    if (!op_call(o, L->rpc, 1, &o->cfg.liveness_verifier, OP_SIG_VERIFY_LIVENESS,
                 args, &r, msg, cap))
        return false;
    *valid = !mpavs_u256_is_zero(&r->items[0].word);
    mpavs_abi_value_free(r);
    snprintf(args, sizeof args, "(%s)", idhex);
    if (!op_call(o, L->rpc, 1, &o->cfg.liveness_verifier, OP_SIG_ATTESTED_PROVERS, args,
                 &r, msg, cap))
        return false;
    *t = r->items[1].word.w[0];
    mpavs_abi_value_free(r);
    if (!op_call(o, L->rpc, 1, &o->cfg.liveness_verifier, OP_SIG_ATTEST_VALIDITY, NULL, &r, msg, cap))
        return false;
    *validity = r->items[0].word.w[0];
    mpavs_abi_value_free(r);
    pthread_mutex_lock(&o->lock);
    o->liveness_ts = *t;
    o->next_attestation_ts = *t + *validity;
    pthread_mutex_unlock(&o->lock);
    return true;
}

/* The function the verifier's form and LivenessTeeQuorum select. */
static const char *submit_fn(const live *L) {
    if (L->o->cfg.tee_quorum >= 0 && L->auth_version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V2) return "submitLivenessProofV4";
    return L->auth_version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V1 ? "submitLivenessProofV3" : "submitLivenessProofV2";
}

/* The submission form of the verifier, read once (livenessAuthorizationVersion). */
static bool detect_form(live *L, char *msg, size_t cap) {
    if (L->auth_known) return true;
    op *o = L->o;
    double t0 = mono_ms();
    int r = mpavs_contracts_liveness_auth_version(&L->ctx, &L->dep, &L->auth_version);
    op_rpc_observe(o, "eth_call", 1, (mono_ms() - t0) / 1e3, r == 0);
    if (r) {
        snprintf(msg, cap, "attestation chain: %s", L->ctx.error.message);
        return false;
    }
    L->auth_known = true;
    char cs[43];
    mpavs_address_to_checksum(cs, &o->cfg.liveness_verifier);
    dlog(DLOG_INFO, "liveness_form", "verifier=%s authorization_version=%" PRIu64 " submit=%s tee_quorum=%d", cs,
         L->auth_version, submit_fn(L), o->cfg.tee_quorum);
    return true;
}

/*
 * The attestation fee to send with quote: the verifier's estimateBaseFeeVerifyOnChain at the
 * node's gas price × AttestationFeeMarginPercent / 100 (0 when the verifier has no estimate).
 * false (msg set, nothing to send) when the node cannot answer or the fee is above MaxAttestationFee.
 */
static bool attestation_fee(live *L, const uint8_t *quote, size_t qlen, mpavs_u256 *value, mpavs_u256 *estimate,
                            char *msg, size_t cap) {
    op *o = L->o;
    mpavs_u256 gp = {{0}}, est = {{0}};
    mpavs_error e = {0};
    double t0 = mono_ms();
    int r = mpavs_rpc_gas_price(L->rpc, &gp, &e);
    op_rpc_observe(o, "eth_gasPrice", 1, (mono_ms() - t0) / 1e3, r == 0);
    mpavs_error_clear(&e);
    bool supported = false;
    t0 = mono_ms();
    /* without value first (Automata's estimate charges nothing); a DCAP contract charging inside the
       estimate reverts with Insufficient_Funds(): again with the cap as value (the simulation refunds) */
    int c = mpavs_contracts_liveness_fee_estimate(&L->ctx, &L->dep, quote, qlen, r ? NULL : &gp, NULL, &est,
                                                  &supported);
    op_rpc_observe(o, "eth_call", 1, (mono_ms() - t0) / 1e3, c != MPAVS_CONTRACTS_ERR_RPC);
    if (c == MPAVS_CONTRACTS_ERR_REVERTED) {
        t0 = mono_ms();
        c = mpavs_contracts_liveness_fee_estimate(&L->ctx, &L->dep, quote, qlen, r ? NULL : &gp, &o->cfg.max_fee_wei,
                                                  &est, &supported);
        op_rpc_observe(o, "eth_call", 1, (mono_ms() - t0) / 1e3, c != MPAVS_CONTRACTS_ERR_RPC);
    }
    if (c == MPAVS_CONTRACTS_ERR_REVERTED) { /* the DCAP contract charged more than the cap in the simulation */
        char cd[80] = "?";
        (void)mpavs_u256_to_dec(cd, sizeof cd, &o->cfg.max_fee_wei);
        dlog(DLOG_WARN, "attestation_fee_too_high", "max_attestation_fee_wei=%s reason=\"the fee charged in the simulation exceeds it\" "
             "action=\"raise MaxAttestationFee (ETH) in the operator config, or wait for lower gas prices\"", cd);
        snprintf(msg, cap, "attestation fee above MaxAttestationFee (%s wei): nothing sent", cd);
        return false;
    }
    if (c) {
        snprintf(msg, cap, "attestation fee estimate: %s", L->ctx.error.message);
        return false;
    }
    if (!supported && !L->fee_unsupported_logged) {
        dlog(DLOG_INFO, "attestation_fee_unknown", "reason=\"estimateBaseFeeVerifyOnChain reverts or is absent\" "
             "attestation_fee_wei=0");
        L->fee_unsupported_logged = true;
    }
    mpavs_u256 pct = mpavs_u256_from_u64(o->cfg.fee_margin_percent), hundred = mpavs_u256_from_u64(100), prod;
    bool over = mpavs_u256_mul(&prod, &est, &pct);
    if (!over && mpavs_u256_divmod(value, NULL, &prod, &hundred) != MPAVS_U256_OK) over = true;
    if (over || mpavs_u256_cmp(value, &o->cfg.max_fee_wei) > 0) {
        char ed[80] = "?", vd[80] = "?", cd[80] = "?";
        (void)mpavs_u256_to_dec(ed, sizeof ed, &est);
        if (!over) (void)mpavs_u256_to_dec(vd, sizeof vd, value);
        (void)mpavs_u256_to_dec(cd, sizeof cd, &o->cfg.max_fee_wei);
        dlog(DLOG_WARN, "attestation_fee_too_high", "estimate_wei=%s attestation_fee_wei=%s max_attestation_fee_wei=%s "
             "action=\"raise MaxAttestationFee (ETH) in the operator config, or wait for lower gas prices\"", ed, vd, cd);
        snprintf(msg, cap, "attestation fee %s wei above MaxAttestationFee (%s wei): nothing sent", vd, cd);
        return false;
    }
    *estimate = est;
    pthread_mutex_lock(&o->lock);
    o->last_attestation_fee_wei = *value;
    pthread_mutex_unlock(&o->lock);
    return true;
}

static bool submit(live *L, const mpavs_contracts_report_data *data, const uint8_t *quote, size_t qlen, char *msg,
                   size_t cap) {
    op *o = L->o;
    if (!detect_form(L, msg, cap)) return false;
    mpavs_address enclave;
    pthread_mutex_lock(&o->lock);
    enclave = o->enclave; /* learned from this quote's REPORTDATA by get_quote */
    pthread_mutex_unlock(&o->lock);
    const char *fn = submit_fn(L);
    mpavs_u256 before = {{0}}, after = {{0}}, fee = {{0}}, est = {{0}};
    if (!attestation_fee(L, quote, qlen, &fee, &est, msg, cap)) return false;
    bool have_before = balance(L, &before);
    if (have_before && mpavs_u256_cmp(&before, &fee) < 0) {
        char cs[43];
        mpavs_address_to_checksum(cs, &o->att_addr);
        snprintf(msg, cap, "account %s holds %.6f ETH, less than the attestation fee %.6f ETH (and gas): nothing sent",
                 cs, wei_to_eth(&before), wei_to_eth(&fee));
        return false;
    }
    char fee_dec[80] = "0", est_dec[80] = "0";
    (void)mpavs_u256_to_dec(fee_dec, sizeof fee_dec, &fee);
    (void)mpavs_u256_to_dec(est_dec, sizeof est_dec, &est);
    double t0 = mono_ms();
    int r = mpavs_contracts_submit_liveness_quorum_fee(&L->ctx, &L->dep, L->auth_version, o->cfg.tee_quorum, data, quote,
                                                       qlen, &enclave, o->bls_sk, mpavs_u256_is_zero(&fee) ? NULL : &fee);
    op_rpc_observe(o, "eth_sendRawTransaction", 1, (mono_ms() - t0) / 1e3, r != MPAVS_CONTRACTS_ERR_RPC);
    if (r) {
        char cs[43];
        mpavs_address_to_checksum(cs, &o->att_addr);
        snprintf(msg, cap, "%s failed: %s (account %s, balance %.6f ETH)", fn, L->ctx.error.message, cs,
                 have_before ? wei_to_eth(&before) : -1.0);
        /* the verifier was upgraded to the authorized form since it was read: read it again */
        if (strstr(L->ctx.error.message, "LivenessAuthorizationRequired")) L->auth_known = false;
        return false;
    }
    if (have_before && balance(L, &after)) {
        mpavs_u256 cost;
        if (mpavs_u256_sub(&cost, &before, &after) == 0) {
            pthread_mutex_lock(&o->lock);
            o->last_attestation_cost = wei_to_eth(&cost);
            pthread_mutex_unlock(&o->lock);
        }
    }
    pthread_mutex_lock(&o->lock);
    o->liveness_submits++;
    pthread_mutex_unlock(&o->lock);
    char txh[67];
    if (mpavs_hex_encode(txh, sizeof txh, L->ctx.tx_hash, 32, true)) txh[0] = 0;
    dlog(DLOG_INFO, "liveness_submitted", "call=%s reference_block=%" PRIu64 " gas_used=%" PRIu64 " quote_bytes=%zu "
         "attestation_fee_wei=%s attestation_fee_estimate_wei=%s tx=%s", fn, data->reference_block_number,
         L->ctx.gas_used, qlen, fee_dec, est_dec, txh);
    return true;
}

/* One cycle. Out: *wake_at (unix s) of the next renewal. */
static bool cycle(live *L, int64_t *wake_at, char *msg, size_t cap) {
    op *o = L->o;
    mpavs_contracts_report_data data;
    uint8_t *quote = NULL;
    size_t qlen = 0;
    bool ok = false;
    pthread_mutex_lock(&o->lock);
    bool need_quote = !o->has_enclave || o->poke_liveness;
    o->poke_liveness = false;
    pthread_mutex_unlock(&o->lock);
    if (need_quote && !fresh_quote(L, &data, &quote, &qlen, msg, cap)) goto out;
    bool valid = false;
    uint64_t t = 0, validity = 0;
    if (!read_chain(L, &valid, &t, &validity, msg, cap)) goto out;
    int64_t margin = op_renew_margin(validity), now = (int64_t)time(NULL);
    int64_t expiry = (int64_t)(t + validity);
    if (!valid || now + margin >= expiry) {
        dlog(DLOG_INFO, "liveness_renew", "valid=%d attested_at=%" PRIu64 " validity_s=%" PRIu64 " margin_s=%" PRId64,
             valid, t, validity, margin);
        if (!quote && !fresh_quote(L, &data, &quote, &qlen, msg, cap)) goto out;
        if (!submit(L, &data, quote, qlen, msg, cap) || !read_chain(L, &valid, &t, &validity, msg, cap)) goto out;
        if (!valid) {
            snprintf(msg, cap, "the liveness proof was mined but verifyLivenessProofV2 still says false");
            goto out;
        }
        expiry = (int64_t)(t + validity);
    } else {
        mpavs_u256 w;
        balance(L, &w);
    }
    set_live(o, true);
    *wake_at = expiry - margin;
    ok = true;
out:
    free(quote);
    if (!ok) set_live(o, false);
    return ok;
}

/* Wait until unix time until_s (at most RECHECK_S), a poke, or stop. */
static void wait_until(op *o, int64_t until_s) {
    int64_t step = until_s - (int64_t)time(NULL); /* a unix time (the chain's), waited for on the monotonic clock */
    if (step > RECHECK_S) step = RECHECK_S;
    if (step < 0) step = 0;
    struct timespec dl;
    drt_deadline(&dl, (long)step * 1000);
    pthread_mutex_lock(&o->lock);
    while (!drt_stopped(o->stop) && !o->poke_liveness && drt_cond_wait_until(&o->cond, &o->lock, &dl) == 0) {
    }
    pthread_mutex_unlock(&o->lock);
}

static void wait_ms(op *o, long ms) {
    struct timespec dl;
    drt_deadline(&dl, ms);
    pthread_mutex_lock(&o->lock);
    while (!drt_stopped(o->stop) && !o->poke_liveness && drt_cond_wait_until(&o->cond, &o->lock, &dl) == 0) {
    }
    pthread_mutex_unlock(&o->lock);
}

void *op_liveness_thread(void *arg) {
    op *o = arg;
    static live L;
    memset(&L, 0, sizeof L);
    L.o = o;
    L.rpc = op_chain_client(o->cfg.att_rpc_url);
    L.dep.tee_liveness_verifier = o->cfg.liveness_verifier;
    L.dep.chain_id = o->att_chain_id; /* the authorization digest binds the attestation chain */
    unsigned attempt = 0;
    char msg[900];
    while (!drt_stopped(o->stop) && L.rpc) {
        if (!L.sender) {
            mpavs_error e = {0};
            mpavs_sender_options so = {.chain_id = o->att_chain_id, .poll_interval_ms = 500, .cancel = drt_stop_flag(o->stop)};
            dtx_caps_apply(&o->cfg.tx, &so);
            int r = mpavs_sender_create(&L.sender, &e, L.rpc, o->cfg.att_key, &so);
            if (r) {
                op_url_scrub(e.message, sizeof e.message, o->cfg.att_rpc_url);
                dlog(DLOG_WARN, "liveness_error", "attempt=%u error=\"transaction sender: %s %s\"", attempt + 1,
                     mpavs_sender_strerror(r), e.message);
                mpavs_error_clear(&e);
                set_live(o, false);
                wait_ms(o, op_backoff_ms(attempt++, 1000, 300000));
                continue;
            }
            mpavs_contracts_clear(&L.ctx);
            if (mpavs_contracts_init(&L.ctx, L.rpc, L.sender) != MPAVS_CONTRACTS_OK) {
                dlog(DLOG_WARN, "liveness_error", "attempt=%u error=%s", attempt + 1, DLOG_Q(L.ctx.error.message));
                mpavs_sender_destroy(L.sender);
                L.sender = NULL;
                wait_ms(o, op_backoff_ms(attempt++, 1000, 300000));
                continue;
            }
        }
        int64_t wake = 0;
        if (cycle(&L, &wake, msg, sizeof msg)) {
            attempt = 0;
            wait_until(o, wake);
            continue;
        }
        char q[1000];
        long delay = op_backoff_ms(attempt++, 1000, 300000);
        op_url_scrub(msg, sizeof msg, o->cfg.att_rpc_url);
        op_url_scrub(msg, sizeof msg, o->cfg.prover_url);
        dlog(DLOG_WARN, "liveness_error", "attempt=%u retry_in_ms=%ld error=%s action=\"no task is signed without a "
             "valid liveness proof: fix what the error names (prover, AttestationLayerRpcURL, the attestation "
             "account's balance, TEELivenessVerifierAddress)\"", attempt, delay, dlog_quote(q, sizeof q, msg));
        wait_ms(o, delay);
    }
    mpavs_contracts_clear(&L.ctx);
    mpavs_sender_destroy(L.sender);
    mpavs_rpc_destroy(L.rpc);
    return NULL;
}

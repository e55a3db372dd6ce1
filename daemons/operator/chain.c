/*
 * daemons/operator/chain.c — contract reads on the AVS and attestation chains (with RPC
 * metrics), the start-up checks (key, registration, ids, quorums, contracts, prover) and the
 * periodic stake refresh.
 */
#include "operator/operator.h"

#include "common/endpoint.h"

#include "mpavs/bls.h"
#include "mpavs/common.h"
#include "mpavs/hex.h"
#include "mpavs/keystore.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double BUCKETS[OP_RPC_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void op_rpc_observe(op *o, const char *method, int chain, double seconds, bool ok) {
    pthread_mutex_lock(&o->lock);
    op_rpc_stat *s = NULL;
    for (size_t i = 0; i < o->nrpc && !s; i++)
        if (o->rpc[i].chain == chain && strcmp(o->rpc[i].method, method) == 0) s = &o->rpc[i];
    if (!s && o->nrpc < OP_RPC_METHODS) {
        s = &o->rpc[o->nrpc++];
        s->method = method;
        s->chain = chain;
    }
    if (s) {
        s->count++;
        if (!ok) s->errors++;
        s->sum += seconds;
        for (size_t b = 0; b < OP_RPC_BUCKETS; b++)
            if (seconds <= BUCKETS[b]) s->buckets[b]++;
    }
    pthread_mutex_unlock(&o->lock);
    op_svc_set(o, chain ? SVC_ATT_RPC : SVC_AVS_RPC, ok ? SVC_UP : SVC_DOWN);
}

mpavs_rpc *op_chain_client(const char *url) {
    mpavs_rpc_options opt = {.timeout_ms = 8000, .connect_timeout_ms = 2000, .max_retries = 1, .backoff_ms = 200};
    return mpavs_rpc_create(url, &opt);
}

void op_url_redacted(char *out, size_t cap, const char *url) {
    durl_redacted(out, cap, url);
}

void op_url_scrub(char *text, size_t cap, const char *url) {
    durl_scrub(text, cap, url);
}

static const char *const CALL_SIG_TEXT[OP_NSIGS] = {
    [OP_SIG_BLS_APK_REGISTRY] = "blsApkRegistry()(address)",
    [OP_SIG_STAKE_REGISTRY] = "stakeRegistry()(address)",
    [OP_SIG_OPERATOR_FROM_PUBKEY] = "getOperatorFromPubkeyHash(bytes32)(address)",
    [OP_SIG_OPERATOR_STATUS] = "getOperatorStatus(address)(uint8)",
    [OP_SIG_OPERATOR_ID] = "getOperatorId(address)(bytes32)",
    [OP_SIG_QUORUM_BITMAP] = "getCurrentQuorumBitmap(bytes32)(uint192)",
    [OP_SIG_CURRENT_STAKE] = "getCurrentStake(bytes32,uint8)(uint96)",
    [OP_SIG_ATTEST_VALIDITY] = "attestValiditySeconds()(uint256)",
    [OP_SIG_VERIFY_LIVENESS] = "verifyLivenessProofV2(bytes32,bytes32,address)(bool)",
    [OP_SIG_ATTESTED_PROVERS] = "attestedProvers(bytes32)((bytes32,bytes32),uint256)",
};

/* Parsed once (pthread_once) and kept for the life of the process; read-only afterwards. */
static mpavs_abi_signature *call_sigs[OP_NSIGS];
static bool call_sigs_ok;
static pthread_once_t call_sigs_once = PTHREAD_ONCE_INIT;

static void parse_call_sigs(void) {
    for (size_t i = 0; i < OP_NSIGS; i++)
        if (mpavs_abi_signature_parse(&call_sigs[i], CALL_SIG_TEXT[i]) || !call_sigs[i]->outputs) return;
    call_sigs_ok = true;
}

bool op_call(op *o, mpavs_rpc *rpc, int chain, const mpavs_address *to, op_sig sig, const char *args,
             mpavs_abi_value **ret, char *msg, size_t cap) {
    *ret = NULL;
    pthread_once(&call_sigs_once, parse_call_sigs);
    if (!call_sigs_ok || (unsigned)sig >= OP_NSIGS) {
        snprintf(msg, cap, "cannot parse the call signatures (out of memory?)");
        return false;
    }
    const mpavs_abi_signature *s = call_sigs[sig];
    mpavs_abi_value *v = NULL;
    uint8_t *data = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    bool ok = false;
    if (mpavs_abi_value_parse(&v, s->inputs, args ? args : "()") || mpavs_abi_encode_call(&data, &len, s, v)) {
        snprintf(msg, cap, "%s: cannot encode the call", s->canonical);
        goto out;
    }
    mpavs_rpc_callmsg m = {.to = to->bytes, .data = data, .data_len = len};
    mpavs_error e = {0};
    double t0 = now_s();
    int r = mpavs_rpc_eth_call(rpc, &out, &olen, &e, &m, "latest");
    op_rpc_observe(o, "eth_call", chain, now_s() - t0, r == MPAVS_RPC_OK || r == MPAVS_RPC_ERR_RPC);
    if (r) {
        snprintf(msg, cap, "%s: %s%s%s", s->canonical, mpavs_rpc_strerror(r), e.message[0] ? ": " : "", e.message);
        mpavs_error_clear(&e);
        goto out;
    }
    if (olen == 0) {
        snprintf(msg, cap, "%s: empty result (no contract at that address?)", s->canonical);
        goto out;
    }
    if (mpavs_abi_decode(ret, s->outputs, out, olen)) {
        snprintf(msg, cap, "%s: the result does not decode (wrong contract at that address?)", s->canonical);
        goto out;
    }
    ok = true;
out:
    mpavs_abi_value_free(v);
    free(data);
    free(out);
    return ok;
}

static void addr_arg(char out[44], const mpavs_address *a) {
    if (mpavs_hex_encode(out, 44, a->bytes, 20, true)) out[0] = 0;
}

/* One-output call returning an address / a word / 32 bytes. */
static bool call_addr(op *o, mpavs_rpc *rpc, int chain, const mpavs_address *to, op_sig sig, const char *args,
                      mpavs_address *out, char *msg, size_t cap) {
    mpavs_abi_value *r;
    if (!op_call(o, rpc, chain, to, sig, args, &r, msg, cap)) return false;
    memcpy(out->bytes, r->items[0].fixed, 20);
    mpavs_abi_value_free(r);
    return true;
}

static bool call_word(op *o, mpavs_rpc *rpc, int chain, const mpavs_address *to, op_sig sig, const char *args,
                      mpavs_u256 *out, uint8_t fixed[32], char *msg, size_t cap) {
    mpavs_abi_value *r;
    if (!op_call(o, rpc, chain, to, sig, args, &r, msg, cap)) return false;
    if (out) *out = r->items[0].word;
    if (fixed) memcpy(fixed, r->items[0].fixed, 32);
    mpavs_abi_value_free(r);
    return true;
}

bool op_load_key(op *o, char *msg, size_t cap) {
    mpavs_error why = {0}; /* keystore errors hold no data: nothing to clear */
    bool pub_matches = false;
    int r = mpavs_keystore_bls_load(o->bls_sk, &pub_matches, &why, o->cfg.bls_key_file,
                                    o->cfg.bls_password, strlen(o->cfg.bls_password));
    mpavs_wipe(o->cfg.bls_password, sizeof o->cfg.bls_password);
    if (r == MPAVS_KEYSTORE_ERR_IO) {
        snprintf(msg, cap, "BlsKeyFile %s: cannot read it", o->cfg.bls_key_file);
        return false;
    }
    if (r == MPAVS_KEYSTORE_ERR_MAC) {
        snprintf(msg, cap, "BlsKeyFile %s: wrong password (set BlsKeyPassword, BlsKeyPasswordFile or "
                           "MPAVS_BLS_KEY_PASSWORD)", o->cfg.bls_key_file);
        return false;
    }
    if (r || mpavs_bls_pubkey_g1(&o->pk, o->bls_sk) != MPAVS_BLS_OK) {
        snprintf(msg, cap, "BlsKeyFile %s: not a usable eigensdk BLS key file (%s)", o->cfg.bls_key_file,
                 r ? why.message : "invalid secret key");
        mpavs_wipe(o->bls_sk, sizeof o->bls_sk);
        return false;
    }
    if (!pub_matches)
        dlog(DLOG_WARN, "bls_key_pubkey_mismatch", "file=%s note=\"the pubKey field does not name the key (ignored, "
             "as eigensdk)\"", o->cfg.bls_key_file);
    mpavs_bn254_g1_encode(o->pk_xy, &o->pk);
    mpavs_bls_operator_id(o->operator_id, &o->pk);
    return true;
}

static bool chain_info(op *o, mpavs_rpc *rpc, int chain, const char *url, uint64_t *id, char *msg, size_t cap) {
    mpavs_error e = {0};
    int r = MPAVS_RPC_ERR_TRANSPORT;
    const char *field = chain ? "AttestationLayerRpcURL" : "EthRpcUrl";
    char where[200], q[600];
    op_url_redacted(where, sizeof where, url);
    for (int attempt = 0; attempt < OP_STARTUP_RPC_ATTEMPTS && !drt_stopped(o->stop); attempt++) {
        double t0 = now_s();
        r = mpavs_rpc_chain_id(rpc, id, &e);
        op_rpc_observe(o, "eth_chainId", chain, now_s() - t0, r == 0);
        if (r != MPAVS_RPC_ERR_TRANSPORT) break;
        op_url_scrub(e.message, sizeof e.message, url);
        if (attempt + 1 < OP_STARTUP_RPC_ATTEMPTS) {
            long wait = 1000L << attempt;
            dlog(DLOG_WARN, "rpc_unreachable", "field=%s url=%s attempt=%d attempts=%d retry_in_ms=%ld error=%s "
                 "action=\"start the node or fix %s; the operator exits after the last attempt\"", field, where,
                 attempt + 1, OP_STARTUP_RPC_ATTEMPTS, wait, dlog_quote(q, sizeof q, e.message), field);
            mpavs_error_clear(&e);
            op_sleep(o, wait);
        }
    }
    if (r) {
        op_url_scrub(e.message, sizeof e.message, url);
        snprintf(msg, cap, "%s %s: eth_chainId failed after %d attempts (%s: %s): check the URL and that the node "
                 "is running", field, where, OP_STARTUP_RPC_ATTEMPTS, mpavs_rpc_strerror(r), e.message);
        mpavs_error_clear(&e);
        return false;
    }
    char *res = NULL;
    if (mpavs_rpc_call(rpc, &res, &e, "web3_clientVersion", "[]") == MPAVS_RPC_OK) {
        json_t *j = json_loads(res, JSON_DECODE_ANY, NULL);
        if (json_is_string(j))
            snprintf(o->client_version[chain], sizeof o->client_version[chain], "%s", json_string_value(j));
        json_decref(j);
        free(res);
    }
    mpavs_error_clear(&e);
    return true;
}

static bool check_registration(op *o, mpavs_rpc *avs, char *msg, size_t cap) {
    char rc[44], idhex[67], a[44], m[600];
    addr_arg(rc, &o->cfg.registry_coordinator);
    if (mpavs_hex_encode(idhex, sizeof idhex, o->operator_id, 32, true)) return false;
    const mpavs_address *RC = &o->cfg.registry_coordinator;
    if (!call_addr(o, avs, 0, RC, OP_SIG_BLS_APK_REGISTRY, NULL, &o->bls_apk_registry, m, sizeof m) ||
        !call_addr(o, avs, 0, RC, OP_SIG_STAKE_REGISTRY, NULL, &o->stake_registry, m, sizeof m)) {
        snprintf(msg, cap, "RegistryCoordinatorAddress %s is not a RegistryCoordinator on chain %" PRIu64 " (%s): "
                 "check the address and EthRpcUrl", rc, o->avs_chain_id, m);
        return false;
    }
    char args[80];
    snprintf(args, sizeof args, "(%s)", idhex);
    if (!call_addr(o, avs, 0, &o->bls_apk_registry, OP_SIG_OPERATOR_FROM_PUBKEY, args,
                   &o->operator_addr, m, sizeof m)) {
        snprintf(msg, cap, "BLSApkRegistry.getOperatorFromPubkeyHash: %s", m);
        return false;
    }
    static const mpavs_address zero;
    if (memcmp(&o->operator_addr, &zero, sizeof zero) == 0) {
        snprintf(msg, cap, "operator with BLS key %s (operatorId %s) is not registered with the AVS at %s: run "
                 "`mpavs operator opt-in` (register the BLS key and join the quorums) first",
                 o->cfg.bls_key_file, idhex, rc);
        return false;
    }
    char cs[43];
    mpavs_address_to_checksum(cs, &o->operator_addr);
    addr_arg(a, &o->operator_addr);
    snprintf(args, sizeof args, "(%s)", a);
    mpavs_u256 st;
    uint8_t id[32];
    if (!call_word(o, avs, 0, RC, OP_SIG_OPERATOR_STATUS, args, &st, NULL, m, sizeof m) ||
        !call_word(o, avs, 0, RC, OP_SIG_OPERATOR_ID, args, NULL, id, m, sizeof m)) {
        snprintf(msg, cap, "RegistryCoordinator: %s", m);
        return false;
    }
    if (st.w[0] != 1) {
        snprintf(msg, cap, "operator %s (operatorId %s) is not registered (status %s): run `mpavs operator opt-in` "
                 "to register again", cs, idhex, st.w[0] == 2 ? "DEREGISTERED" : "NEVER_REGISTERED");
        return false;
    }
    if (memcmp(id, o->operator_id, 32) != 0) {
        char theirs[67];
        if (mpavs_hex_encode(theirs, sizeof theirs, id, 32, true)) theirs[0] = 0;
        snprintf(msg, cap, "operator %s is registered with another BLS key (operatorId %s, ours %s): use the key "
                 "file it registered with", cs, theirs, idhex);
        return false;
    }
    snprintf(args, sizeof args, "(%s)", idhex);
    mpavs_u256 bm;
    if (!call_word(o, avs, 0, RC, OP_SIG_QUORUM_BITMAP, args, &bm, NULL, m, sizeof m)) {
        snprintf(msg, cap, "RegistryCoordinator: %s", m);
        return false;
    }
    o->quorum_bitmap = bm.w[0];
    return true;
}

/* Which configured quorums the operator is in; warn about the others. */
static bool check_quorums(op *o, char *msg, size_t cap) {
    size_t served = 0;
    for (size_t i = 0; i < o->cfg.nqt; i++) {
        const op_quorum_task *q = &o->cfg.qt[i];
        if (o->quorum_bitmap >> q->quorum & 1) {
            served++;
            dlog(DLOG_INFO, "quorum", "quorum=%u task_type=%" PRIu64 " (%s) action=serving", q->quorum, q->task_type,
                 op_type_name(q->task_type));
        } else {
            dlog(DLOG_WARN, "quorum", "quorum=%u task_type=%" PRIu64 " action=skipped reason=\"the operator is not "
                 "registered in this quorum (run mpavs operator opt-in with it to serve it)\"", q->quorum,
                 q->task_type);
        }
    }
    for (unsigned qn = 0; qn < 64; qn++) {
        if (!(o->quorum_bitmap >> qn & 1)) continue;
        bool mapped = false;
        for (size_t i = 0; i < o->cfg.nqt; i++) mapped |= o->cfg.qt[i].quorum == qn;
        if (!mapped)
            dlog(DLOG_WARN, "quorum", "quorum=%u action=skipped reason=\"registered but QuorumTaskTypes maps it to no "
                 "task type\"", qn);
    }
    if (!served) {
        snprintf(msg, cap, "the operator is registered in quorums 0x%" PRIx64 " but QuorumTaskTypes maps none of "
                 "them to a task type: fix QuorumTaskTypes or opt in to a configured quorum", o->quorum_bitmap);
        return false;
    }
    return true;
}

bool op_prover_metadata(op *o) {
    json_t *md = NULL;
    op_rpc_err e;
    bool ok = op_jsonrpc(o, o->cfg.prover_url, "prover_metadata", NULL, 5000, &md, &e) && json_is_object(md);
    if (ok) {
        pthread_mutex_lock(&o->lock);
        o->prover_with_context = json_is_true(json_object_get(md, "with_context"));
        const char *v = json_string_value(json_object_get(md, "version"));
        snprintf(o->prover_version, sizeof o->prover_version, "%s", v ? v : "");
        json_t *twc = json_object_get(md, "task_with_context");
        for (int t = 1; t <= OP_TYPES; t++) {
            char k[4];
            snprintf(k, sizeof k, "%d", t);
            json_t *b = json_object_get(twc, k);
            o->prover_twc_set[t - 1] = json_is_boolean(b);
            o->prover_twc[t - 1] = json_is_true(b);
        }
        pthread_mutex_unlock(&o->lock);
    } else if (!md) {
        dlog(DLOG_DEBUG, "prover_unreachable", "error=%s", DLOG_Q(e.message));
    }
    json_decref(md);
    op_svc_set(o, SVC_PROVER, ok ? SVC_UP : SVC_DOWN);
    return ok;
}

bool op_startup_checks(op *o, char *msg, size_t cap) {
    char idhex[67];
    if (mpavs_hex_encode(idhex, sizeof idhex, o->operator_id, 32, true)) return false;
    dlog(DLOG_INFO, "bls_key", "file=%s operator_id=%s", o->cfg.bls_key_file, idhex);
    mpavs_rpc *avs = op_chain_client(o->cfg.eth_rpc_url), *att = op_chain_client(o->cfg.att_rpc_url);
    bool ok = false;
    char m[600];
    if (!avs || !att) {
        snprintf(msg, cap, "EthRpcUrl/AttestationLayerRpcURL: unusable URL");
        goto out;
    }
    if (!chain_info(o, avs, 0, o->cfg.eth_rpc_url, &o->avs_chain_id, msg, cap) ||
        !chain_info(o, att, 1, o->cfg.att_rpc_url, &o->att_chain_id, msg, cap))
        goto out;
    if (o->avs_chain_id == 1) snprintf(o->avs_name, sizeof o->avs_name, "MultiProverAVS_Mainnet");
    else if (o->avs_chain_id == 17000) snprintf(o->avs_name, sizeof o->avs_name, "MultiProverAVS_Holesky");
    else snprintf(o->avs_name, sizeof o->avs_name, "MultiProverAVS_%" PRIu64, o->avs_chain_id);
    dlog(DLOG_INFO, "chains", "avs_chain_id=%" PRIu64 " attestation_chain_id=%" PRIu64 " avs_name=%s",
         o->avs_chain_id, o->att_chain_id, o->avs_name);
    if (!check_registration(o, avs, msg, cap) || !check_quorums(o, msg, cap)) goto out;
    char cs[43];
    mpavs_address_to_checksum(cs, &o->operator_addr);
    dlog(DLOG_INFO, "registered", "operator=%s quorum_bitmap=0x%" PRIx64, cs, o->quorum_bitmap);
    mpavs_u256 validity;
    bool tlv_ok = call_word(o, att, 1, &o->cfg.liveness_verifier, OP_SIG_ATTEST_VALIDITY, NULL, &validity,
                            NULL, m, sizeof m);
    mpavs_address preset_tlv;
    if (!tlv_ok && o->cfg.preset_tlv[0] && mpavs_address_parse(&preset_tlv, o->cfg.preset_tlv) == MPAVS_ECDSA_OK &&
        call_word(o, att, 1, &preset_tlv, OP_SIG_ATTEST_VALIDITY, NULL, &validity, NULL, m, sizeof m)) {
        /* The configured address is not a verifier there, the preset profile's is: use it, as the reference does
         * (upstream's own example operator.json relies on it), but say so instead of replacing it silently. */
        char tv[43];
        mpavs_address_to_checksum(tv, &o->cfg.liveness_verifier);
        dlog(DLOG_WARN, "config_preset_applied",
             "field=TEELivenessVerifierAddress configured=%s used=%s reason=\"the configured address is not a "
             "TEELivenessVerifier on the attestation chain; the preset profile's is\"", tv, o->cfg.preset_tlv);
        o->cfg.liveness_verifier = preset_tlv;
        tlv_ok = true;
    }
    if (!tlv_ok) {
        char tv[43];
        mpavs_address_to_checksum(tv, &o->cfg.liveness_verifier);
        snprintf(msg, cap, "TEELivenessVerifierAddress %s is not a TEELivenessVerifier on the attestation chain %"
                 PRIu64 " (%s): check it and AttestationLayerRpcURL%s%s%s", tv, o->att_chain_id, m,
                 o->cfg.preset_tlv[0] ? " (the preset profile's verifier is " : "", o->cfg.preset_tlv,
                 o->cfg.preset_tlv[0] ? ")" : "");
        goto out;
    }
    static const mpavs_address zero;
    if (memcmp(&o->cfg.state_retriever, &zero, sizeof zero) != 0) {
        uint8_t *code = NULL;
        size_t clen = 0;
        if (mpavs_rpc_get_code(avs, &code, &clen, NULL, o->cfg.state_retriever.bytes, "latest") == MPAVS_RPC_OK &&
            clen == 0)
            dlog(DLOG_WARN, "config", "field=OperatorStateRetrieverAddress problem=\"no contract at that address\"");
        free(code);
    }
    op_refresh_stakes(o, avs);
    if (!op_prover_metadata(o))
        dlog(DLOG_WARN, "prover_unreachable", "url=%s action=\"will retry; start mpavs-prover or fix ProverURL\"",
             o->cfg.prover_url);
    ok = true;
out:
    mpavs_rpc_destroy(avs);
    mpavs_rpc_destroy(att);
    return ok;
}

void op_refresh_stakes(op *o, mpavs_rpc *avs) {
    char idhex[67], args[100], m[300];
    if (mpavs_hex_encode(idhex, sizeof idhex, o->operator_id, 32, true)) return;
    mpavs_u256 stakes[OP_MAX_QUORUMS];
    memset(stakes, 0, sizeof stakes);
    bool ok = true;
    for (size_t i = 0; i < o->cfg.nqt && ok; i++) {
        if (!(o->quorum_bitmap >> o->cfg.qt[i].quorum & 1)) continue;
        snprintf(args, sizeof args, "(%s,%u)", idhex, o->cfg.qt[i].quorum);
        ok = call_word(o, avs, 0, &o->stake_registry, OP_SIG_CURRENT_STAKE, args, &stakes[i],
                       NULL, m, sizeof m);
    }
    if (!ok) {
        dlog(DLOG_DEBUG, "stakes_failed", "error=%s", DLOG_Q(m));
        return;
    }
    pthread_mutex_lock(&o->lock);
    memcpy(o->stakes, stakes, sizeof stakes);
    o->stakes_known = true;
    pthread_mutex_unlock(&o->lock);
}

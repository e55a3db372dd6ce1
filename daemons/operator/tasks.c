/*
 * daemons/operator/tasks.c — one task loop per configured quorum → task type.
 *
 * aggregator_fetchTask long poll (prev_task_id = the last task seen or signed, `ok` honoured,
 * task ids must increase) → prove: type 3 natively through prover_proveTask (metadata
 * recomputed and compared, state 64 bytes, PoE checked against the StateHeader fields and its
 * signer against the attested enclave), types 1/2 through tasks_ext.c → StateHeader → digest →
 * record the task id in the state file (never sign an id ≤ the recorded one) → BLS sign →
 * aggregator_submitTask, whose answer (null or a JSON-RPC error with data.reason) is logged.
 * Failures back off exponentially; an empty long poll that returns early waits 1 s.
 *
 * Nothing the aggregator answers can stop the loop (issue #17.5): an answer is taken as the
 * next task only if it is plausible (task_fits): its id is at most OP_TASK_ID_MAX (2^48; ids
 * are block numbers or batch indexes) and at most OP_TASK_ID_AHEAD past the last task taken
 * once one was, and a type-3 task's ext names block task_id with a uint32 reference block. An
 * answer that is not (a task id far ahead, one that contradicts itself, one not after the last
 * one) is ignored with a warning and the cursor (prev_task_id) stays where it was, so a single
 * hostile answer cannot move it past every real task. A task that fits but is not signed (its
 * proof failed) moves the cursor only if it is at most OP_TASK_ID_UNPROVED_JUMP past the last
 * one taken (and one was); else the cursor stays and the next fetch comes after a back-off.
 */
#include "operator/operator.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/common.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/wire.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROVE_DEADLINE_MS 120000
#define OP_TASK_ID_MAX (1ull << 48)
#define OP_TASK_ID_AHEAD 10000000ull /* type 3 at one block a second: 115 days; batches: far more */
#define OP_TASK_ID_UNPROVED_JUMP 4096u
#define SUBMIT_ATTEMPTS 4

static double mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool jhex(json_t *v, uint8_t *out, size_t n) {
    const char *s = json_string_value(v);
    return s && strlen(s) == 2 + 2 * n && strncmp(s, "0x", 2) == 0 && mpavs_hex_decode_exact(out, n, s) == 0;
}

static bool get_u64(json_t *v, uint64_t *out) {
    if (!json_is_integer(v) || json_integer_value(v) < 0) return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

static bool with_context(op *o, const mpavs_taskkind *k) {
    pthread_mutex_lock(&o->lock);
    bool wc = op_with_context_locked(o, k);
    pthread_mutex_unlock(&o->lock);
    return wc;
}

/* prover_proveTask with retries until a deadline. Returns the PoeResponse or NULL (msg set). */
json_t *op_prove_retry(op *o, json_t *params, long deadline_ms, char *msg, size_t cap);
json_t *op_prove_retry(op *o, json_t *params, long deadline_ms, char *msg, size_t cap) {
    double t_end = mono_ms() + (double)deadline_ms;
    for (unsigned attempt = 0; !drt_stopped(o->stop); attempt++) {
        json_t *res = NULL;
        op_rpc_err e;
        if (op_jsonrpc(o, o->cfg.prover_url, "prover_proveTask", params, 60000, &res, &e)) {
            op_svc_set(o, SVC_PROVER, SVC_UP);
            if (json_is_object(res) && !json_is_true(json_object_get(res, "not_ready"))) return res;
            snprintf(msg, cap, "prover: not ready");
            json_decref(res);
        } else {
            if (e.transport) op_svc_set(o, SVC_PROVER, SVC_DOWN);
            snprintf(msg, cap, "prover_proveTask: %ld %s", e.code, e.message);
            if (strstr(e.message, "skip")) return NULL; /* the reference's "skip this task" */
        }
        long d = op_backoff_ms(attempt, 1000, 10000);
        if (mono_ms() + (double)d > t_end) break;
        dlog(DLOG_DEBUG, "prove_retry", "attempt=%u retry_in_ms=%ld error=%s", attempt + 1, d, DLOG_Q(msg));
        op_sleep(o, d);
    }
    return NULL;
}

/* A natively proved kind (chain_state): prove block N of chain C. Out: metadata (32), state (64), the PoE signature. */
static bool prove_chain(op *o, const mpavs_taskkind *k, json_t *task, uint64_t task_id, uint8_t meta[32],
                        uint8_t state[64], uint8_t sig[65], char *msg, size_t cap) {
    json_t *ext = json_object_get(task, "ext");
    uint64_t c = 0, n = 0;
    if (!get_u64(json_object_get(ext, "chain_id"), &c) || !get_u64(json_object_get(ext, "block_number"), &n)) {
        snprintf(msg, cap, "task ext lacks chain_id/block_number");
        return false;
    }
    if (n != task_id) {
        snprintf(msg, cap, "task ext block_number %" PRIu64 " differs from task_id", n);
        return false;
    }
    char from[43];
    if (mpavs_hex_encode(from, sizeof from, o->operator_addr.bytes, 20, true)) return false;
    json_t *params = json_pack("[{s:I,s:I,s:I,s:s}]", "task_type", (json_int_t)k->id, "start", (json_int_t)n, "end",
                               (json_int_t)n, "from", from);
    json_t *res = op_prove_retry(o, params, PROVE_DEADLINE_MS, msg, cap);
    json_decref(params);
    if (!res) return false;
    bool ok = false;
    uint8_t want[32], poe[5][32], sh[32];
    mpavs_avs_chain_task_metadata(want, c, n);
    json_t *p = json_object_get(res, "poe");
    static const char *const F[5] = {"batch_hash", "state_hash", "prev_state_root", "new_state_root",
                                     "withdrawal_root"};
    if (!jhex(json_object_get(res, "metadata"), meta, 32) || !jhex(json_object_get(res, "state"), state, 64) ||
        !jhex(json_object_get(res, "poe_signature"), sig, 65)) {
        snprintf(msg, cap, "prover answer lacks metadata (32 B), state (64 B) or poe_signature (65 B)");
    } else if (memcmp(meta, want, 32) != 0) {
        snprintf(msg, cap, "prover metadata differs from keccak256(chainId %" PRIu64 ", block %" PRIu64 "): refused",
                 c, n);
    } else {
        ok = true;
        for (int i = 0; i < 5 && ok; i++) ok = jhex(json_object_get(p, F[i]), poe[i], 32);
        mpavs_keccak256(sh, state, 64);
        if (!ok) snprintf(msg, cap, "prover answer: poe fields missing");
        else if (memcmp(poe[0], meta, 32) || memcmp(poe[1], sh, 32) || memcmp(poe[3], state + 32, 32)) {
            snprintf(msg, cap, "prover PoE does not match its metadata/state: refused");
            ok = false;
        }
    }
    json_decref(res);
    if (!ok) return false;
    /* the PoE must be signed by the enclave we attested */
    uint8_t d[32];
    mpavs_avs_poe_digest(d, poe[0], poe[1], poe[2], poe[3], poe[4]);
    mpavs_ecdsa_sig s;
    mpavs_address who;
    if (mpavs_ecdsa_sig_parse(&s, sig) || mpavs_ecdsa_recover_address(o->ecdsa, &who, &s, d)) {
        snprintf(msg, cap, "prover poe_signature does not recover");
        return false;
    }
    pthread_mutex_lock(&o->lock);
    bool same = o->has_enclave && memcmp(&who, &o->enclave, sizeof who) == 0;
    pthread_mutex_unlock(&o->lock);
    if (!same) {
        char cs[43];
        mpavs_address_to_checksum(cs, &who);
        dlog(DLOG_WARN, "prover_changed", "poe_signer=%s action=\"re-attesting before submitting\"", cs);
        op_liveness_poke(o);
        if (!op_wait_live(o, &who, 60000))
            dlog(DLOG_WARN, "prover_changed", "poe_signer=%s problem=\"not attested yet; submitting anyway\"", cs);
    }
    return true;
}

static void submit(op *o, uint64_t type, uint64_t id, const mpavs_wire_task_request *req, op_type_metrics *tm) {
    char *json = NULL;
    if (mpavs_wire_format_task_request(&json, req) != MPAVS_WIRE_OK) return;
    json_t *tr = json_loads(json, 0, NULL);
    free(json);
    json_t *params = tr ? json_pack("[o]", tr) : NULL;
    for (unsigned attempt = 0; params && attempt < SUBMIT_ATTEMPTS && !drt_stopped(o->stop); attempt++) {
        json_t *res = NULL;
        op_rpc_err e;
        double t0 = mono_ms();
        bool ok = op_jsonrpc(o, o->cfg.aggregator_url, "aggregator_submitTask", params, 30000, &res, &e);
        json_decref(res);
        pthread_mutex_lock(&o->lock);
        tm->submit_ms = (uint64_t)(mono_ms() - t0);
        if (ok) tm->submit++;
        else if (!e.transport && strcmp(e.reason, "unavailable") != 0) tm->rejected++;
        pthread_mutex_unlock(&o->lock);
        if (ok) {
            op_svc_set(o, SVC_AGGREGATOR, SVC_UP);
            dlog(DLOG_INFO, "task_submitted", "type=%" PRIu64 " task_id=%" PRIu64 " answer=null", type, id);
            break;
        }
        char q[600];
        if (!e.transport && strcmp(e.reason, "unavailable") != 0) {
            op_svc_set(o, SVC_AGGREGATOR, SVC_UP);
            dlog(DLOG_WARN, "task_rejected", "type=%" PRIu64 " task_id=%" PRIu64 " code=%ld reason=%s message=%s",
                 type, id, e.code, e.reason[0] ? e.reason : "-", dlog_quote(q, sizeof q, e.message));
            break;
        }
        if (e.transport) op_svc_set(o, SVC_AGGREGATOR, SVC_DOWN);
        long d = op_backoff_ms(attempt, 1000, 8000);
        dlog(DLOG_WARN, "submit_retry", "type=%" PRIu64 " task_id=%" PRIu64 " attempt=%u retry_in_ms=%ld error=%s",
             type, id, attempt + 1, d, dlog_quote(q, sizeof q, e.message));
        op_sleep(o, d);
    }
    json_decref(params);
}

/* Prove, sign and submit one task. Returns whether it was signed (its id recorded). */
static bool process(op *o, uint8_t quorum, const mpavs_taskkind *k, uint64_t id, json_t *task) {
    uint64_t type = k->id;
    bool native = k->input == MPAVS_TASKKIND_INPUT_BLOCK;
    bool signed_ = false;
    op_type_metrics *tm = &o->tm[type - 1];
    double t0 = mono_ms();
    uint8_t meta3[32], state3[64], sig[65];
    uint8_t *meta = meta3, *state = state3;
    size_t mlen = 32, slen = 64;
    char msg[600], q[700];
    bool ok;
    if (native) {
        ok = prove_chain(o, k, task, id, meta3, state3, sig, msg, sizeof msg);
    } else {
        meta = state = NULL;
        ok = op_task_prove_ext(o, k, task, &meta, &mlen, &state, &slen, sig, msg, sizeof msg);
    }
    pthread_mutex_lock(&o->lock);
    tm->gen_poe_ms = (uint64_t)(mono_ms() - t0);
    pthread_mutex_unlock(&o->lock);
    uint64_t ref = 0;
    if (ok && (!get_u64(json_object_get(json_object_get(task, "ext"), "reference_block_number"), &ref) ||
               ref > UINT32_MAX)) {
        snprintf(msg, sizeof msg, "task ext lacks a uint32 reference_block_number");
        ok = false;
    }
    if (!ok) {
        dlog(DLOG_WARN, "task_failed", "type=%" PRIu64 " task_id=%" PRIu64 " error=%s", type, id,
             dlog_quote(q, sizeof q, msg));
        goto out;
    }
    uint8_t qn[1] = {quorum}, thr[1] = {0}, digest[32];
    mpavs_avs_state_header h = {.committee_id = type, .metadata = meta, .metadata_len = mlen, .state = state,
                                .state_len = slen, .quorum_numbers = qn, .quorum_numbers_len = 1,
                                .quorum_thresholds = thr, .quorum_thresholds_len = 1,
                                .reference_block = (uint32_t)ref};
    if (mpavs_avs_state_digest(digest, &h)) goto out;
    if (!op_state_record(o, type, id)) goto out; /* logged there; never sign what we cannot remember */
    signed_ = true;
    mpavs_bn254_g1 s;
    if (mpavs_bls_sign(&s, o->bls_sk, digest) != MPAVS_BLS_OK) goto out;
    uint8_t sxy[64];
    mpavs_bn254_g1_encode(sxy, &s);
    mpavs_wire_task_request req;
    memset(&req, 0, sizeof req);
    req.identifier = type;
    req.metadata = meta;
    req.metadata_len = mlen;
    req.state = state;
    req.state_len = slen;
    req.quorum_numbers = qn;
    req.quorum_numbers_len = 1;
    req.quorum_thresholds = thr;
    req.quorum_thresholds_len = 1;
    req.reference_block = (uint32_t)ref;
    memcpy(req.sig_x, sxy, 32);
    memcpy(req.sig_y, sxy + 32, 32);
    memcpy(req.operator_id, o->operator_id, 32);
    req.prover_signature = sig;
    req.prover_signature_len = 65;
    char dh[67];
    if (mpavs_hex_encode(dh, sizeof dh, digest, 32, true)) dh[0] = 0;
    dlog(DLOG_INFO, "task_signed", "type=%" PRIu64 " task_id=%" PRIu64 " quorum=%u reference_block=%" PRIu64
         " digest=%s", type, id, quorum, ref, dh);
    submit(o, type, id, &req, tm);
out:
    if (!native) {
        free(meta);
        free(state);
    }
    pthread_mutex_lock(&o->lock);
    tm->process_ms = (uint64_t)(mono_ms() - t0);
    pthread_mutex_unlock(&o->lock);
    return signed_;
}

/* Whether a fetch answer's task id can be real (see the file comment). Out: why (when not). */
static bool task_fits(const mpavs_taskkind *k, uint64_t id, uint64_t prev, json_t *res, char *why, size_t cap) {
    if (id > OP_TASK_ID_MAX) {
        snprintf(why, cap, "task id above %llu: no aggregator can have created it", (unsigned long long)OP_TASK_ID_MAX);
        return false;
    }
    if (prev && id - prev > OP_TASK_ID_AHEAD) {
        snprintf(why, cap, "task id %llu past the last one (%" PRIu64 "): not plausible",
                 (unsigned long long)(id - prev), prev);
        return false;
    }
    json_t *ext = json_object_get(res, "ext");
    uint64_t bn = 0, ref = 0;
    if (k->input == MPAVS_TASKKIND_INPUT_BLOCK && (!get_u64(json_object_get(ext, "block_number"), &bn) || bn != id)) {
        snprintf(why, cap, "ext.block_number contradicts task_id");
        return false;
    }
    if (!get_u64(json_object_get(ext, "reference_block_number"), &ref) || ref > UINT32_MAX) {
        snprintf(why, cap, "ext lacks a uint32 reference_block_number");
        return false;
    }
    return true;
}

void *op_task_thread(void *arg) {
    op_task_arg *a = arg;
    op *o = a->o;
    op_type_metrics *tm = &o->tm[a->type - 1];
    const mpavs_taskkind *kind = mpavs_taskkind_get(a->type); /* configured types are in the table (config.c) */
    pthread_mutex_lock(&o->lock);
    uint64_t prev = o->last_signed[a->type];
    pthread_mutex_unlock(&o->lock);
    unsigned fails = 0, unsigned_fails = 0;
    bool said_waiting = false;
    dlog(DLOG_INFO, "task_loop", "type=%" PRIu64 " (%s) quorum=%u prev_task_id=%" PRIu64, a->type,
         op_type_name(a->type), a->quorum, prev);
    while (!drt_stopped(o->stop)) {
        if (!op_wait_live(o, NULL, 1000)) {
            if (!said_waiting) dlog(DLOG_INFO, "task_loop_waiting", "type=%" PRIu64 " reason=\"no valid liveness "
                                    "proof yet\"", a->type);
            said_waiting = true;
            continue;
        }
        said_waiting = false;
        bool wc = with_context(o, kind);
        json_t *params = json_pack("[{s:I,s:I,s:I,s:b}]", "prev_task_id", (json_int_t)prev, "task_type",
                                   (json_int_t)a->type, "max_wait_secs", (json_int_t)o->cfg.fetch_wait_secs,
                                   "with_context", wc);
        json_t *res = NULL;
        op_rpc_err e;
        double t0 = mono_ms();
        bool ok = op_jsonrpc(o, o->cfg.aggregator_url, "aggregator_fetchTask", params,
                             (long)(o->cfg.fetch_wait_secs + 15) * 1000, &res, &e);
        json_decref(params);
        if (!ok) {
            if (drt_stopped(o->stop)) break;
            if (e.transport) op_svc_set(o, SVC_AGGREGATOR, SVC_DOWN);
            long d = op_backoff_ms(fails++, 1000, 60000);
            char q[600];
            dlog(DLOG_WARN, "fetch_task_failed", "type=%" PRIu64 " attempt=%u retry_in_ms=%ld error=%s", a->type,
                 fails, d, dlog_quote(q, sizeof q, e.message));
            op_sleep(o, d);
            continue;
        }
        fails = 0;
        op_svc_set(o, SVC_AGGREGATOR, SVC_UP);
        uint64_t id = 0, tt = 0;
        bool have = json_is_true(json_object_get(res, "ok")) && get_u64(json_object_get(res, "task_id"), &id) &&
                    get_u64(json_object_get(res, "task_type"), &tt) && id != 0;
        if (have && tt != a->type) {
            dlog(DLOG_WARN, "task_ignored", "type=%" PRIu64 " task_id=%" PRIu64 " reason=\"aggregator sent task type %"
                 PRIu64 "\"", a->type, id, tt);
            have = false;
        } else if (have && id <= prev) {
            dlog(DLOG_WARN, "task_ignored", "type=%" PRIu64 " task_id=%" PRIu64 " reason=\"not after %" PRIu64
                 " (already seen or signed)\"", a->type, id, prev);
            have = false;
        } else if (have) {
            char why[160];
            if (!task_fits(kind, id, prev, res, why, sizeof why)) {
                dlog(DLOG_WARN, "task_ignored", "type=%" PRIu64 " task_id=%" PRIu64 " reason=%s", a->type, id, DLOG_Q(why));
                have = false;
            }
        }
        if (!have) {
            json_decref(res);
            double el = mono_ms() - t0;
            if (el < 1000) op_sleep(o, (long)(1000 - el)); /* no busy loop on an impatient server */
            continue;
        }
        uint64_t before = prev;
        prev = id;
        pthread_mutex_lock(&o->lock);
        tm->fetch[wc ? 1 : 0]++;
        tm->latest_task = id;
        pthread_mutex_unlock(&o->lock);
        dlog(DLOG_INFO, "task_received", "type=%" PRIu64 " task_id=%" PRIu64, a->type, id);
        bool done = process(o, a->quorum, kind, id, res);
        json_decref(res);
        if (done) {
            unsigned_fails = 0;
        } else if (before == 0 || id - before > OP_TASK_ID_UNPROVED_JUMP) {
            /* a task that could not be proved moves the cursor only a short way: a made-up id far
               ahead (or any, before the first signed task) would otherwise hide every real task */
            prev = before;
            long d = op_backoff_ms(unsigned_fails++, 1000, 30000);
            dlog(DLOG_WARN, "task_cursor_kept", "type=%" PRIu64 " task_id=%" PRIu64 " prev_task_id=%" PRIu64
                 " retry_in_ms=%ld reason=\"not signed, and too far past the last task to skip to\"",
                 a->type, id, before, d);
            op_sleep(o, d);
        }
    }
    return NULL;
}

/*
 * daemons/aggregator/admit.c — admission of one aggregator_submitTask request.
 *
 * Order (cheap checks first, nothing changes before everything passed):
 *   1. decode (mpavs/wire.h: the reference Go operator's JSON)
 *   2. the task: type known, metadata names a task we created, reference block = the task's,
 *      quorums bound to the task's committee
 *   3. the operator: in the task's quorums at the reference block (operator state + key index)
 *   4. duplicate / conflicting digest of this operator for this task
 *   5. PoE: ProverSignature recovers, over the PoE digest, to the prover attested for this
 *      BLS key on a configured attestation layer whose liveness proof is valid
 *   6. BLS signature on the StateHeader digest against the operator's G2 key, in the verifier
 *      stage (verify.h: batched across concurrent admissions)
 *   7. agg_admit_commit, on the verifier's thread for the whole batch: persist its valid rows in
 *      one transaction (one fsync), then count them in their tasks' aggregations in the same order
 *      (so the stored row and the counted signature of an operator are the same one)
 */
#include "aggregator/daemon.h"

#include "common/log.h"
#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/taskkind.h"
#include "mpavs/tasksrc.h"
#include "mpavs/wire.h"

#include <inttypes.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const agg_reject_names[REJ_COUNT] = {
    "invalid_params", "unknown_task",   "bad_quorums", "not_registered", "invalid_signature", "not_live",
    "prover_mismatch", "duplicate",     "conflict",    "sampled_out",    "unavailable",       "late"};
const long agg_reject_codes[REJ_COUNT] = {-32602, -32001, -32002, -32003, -32004, -32005,
                                          -32006, -32007, -32008, -32009, -32010, -32011};

static int reject(char *msg, size_t cap, int why, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int reject(char *msg, size_t cap, int why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return why;
}

/* The PoE digest of a submission of kind k (docs/protocol.md). Returns false when its state carries no PoE. */
static bool poe_digest(uint8_t out[32], const mpavs_taskkind *k, const mpavs_wire_task_request *r) {
    if (k->metadata == MPAVS_TASKKIND_META_CHAIN_BLOCK) { /* state = abi.encode(blockHash, stateRoot) */
        if (r->metadata_len != 32 || r->state_len != 64) return false;
        static const uint8_t zero[32];
        uint8_t sh[32];
        mpavs_keccak256(sh, r->state, 64);
        mpavs_avs_poe_digest(out, r->metadata, sh, zero, r->state + 32, zero);
        return true;
    }
    mpavs_tasksrc_poe poe;
    mpavs_error e = {0};
    int pr = mpavs_tasksrc_poe_parse(&poe, &e, r->state, r->state_len);
    mpavs_error_clear(&e);
    if (pr != MPAVS_TASKSRC_OK) return false;
    mpavs_avs_poe_digest(out, poe.batch_hash, poe.state_hash, poe.prev_state_root, poe.new_state_root,
                         poe.withdrawal_root);
    return true;
}

/* The task a submission of kind k (NULL: no kind has its type) names (d->mu held). */
static agg_task *find_task(agg_daemon *d, const mpavs_taskkind *k, const mpavs_wire_task_request *r, int *why,
                           char *msg, size_t cap) {
    int type = (int)r->identifier;
    if (k && k->metadata == MPAVS_TASKKIND_META_CHAIN_BLOCK) { /* found by its metadata bytes */
        agg_task *t = agg_task_find_metadata(d, type, r->metadata, r->metadata_len);
        if (!t) *why = reject(msg, cap, REJ_UNKNOWN_TASK, "no type-%d task has this metadata", type);
        return t;
    }
    if (k) { /* batch JSON metadata */
        mpavs_tasksrc_scroll_metadata m;
        mpavs_error e = {0};
        int pr = mpavs_tasksrc_scroll_metadata_parse(&m, &e, r->metadata, r->metadata_len);
        mpavs_error_clear(&e);
        if (pr != MPAVS_TASKSRC_OK) {
            *why = reject(msg, cap, REJ_UNKNOWN_TASK, "metadata is not the {batch_id,start_block,end_block} JSON");
            return NULL;
        }
        if (k->sampling == MPAVS_TASKKIND_SAMPLING_BATCH &&
            !mpavs_tasksrc_scroll_exec_sampling_ok(&m, d->cfg.exec_sampling)) {
            *why = reject(msg, cap, REJ_SAMPLED_OUT, "batch %" PRIu64 " is not sampled (ExecTaskSampling %" PRIu64 ")",
                          m.batch_id, d->cfg.exec_sampling);
            return NULL;
        }
        uint64_t id = 0;
        if (!mpavs_taskkind_batch_task_id(&id, k, m.batch_id, m.end_block)) {
            *why = reject(msg, cap, REJ_UNKNOWN_TASK, "task type %d has no batch metadata", type);
            return NULL;
        }
        agg_task *t = agg_task_find(d, type, id);
        if (!t) *why = reject(msg, cap, REJ_UNKNOWN_TASK, "no task %d/%" PRIu64, type, id);
        return t;
    }
    *why = reject(msg, cap, REJ_UNKNOWN_TASK, "unknown task type %" PRIu64, r->identifier);
    return NULL;
}

static bool has_quorum(const agg_task *t, uint8_t q) {
    for (size_t i = 0; i < t->nq; i++)
        if (t->quorums[i] == q) return true;
    return false;
}

/* One admission in flight: what the commit callback needs and what it answers (heap: it outlives
 * agg_admit_start when its BLS check is queued). */
typedef struct {
    agg_daemon *d;
    agg_admit_done done;
    void *done_user;
    agg_vjob job;
    char msg[400];
    mpavs_wire_task_request r;
    int type;
    uint64_t task_id;
    uint8_t digest[32], sig_enc[64];
    mpavs_bn254_g1 sig;
    /* set by agg_admit_commit */
    int why;         /* REJ_COUNT: admitted */
    int add_rc;      /* MPAVS_AGG_* of the aggregation add */
    bool stored;
} admission;

void agg_admit_commit(void *user, agg_vjob **jobs, size_t n) {
    agg_daemon *d = user;
    agg_sig_row *rows = malloc(n * sizeof *rows);
    size_t k = 0;
    uint64_t now = agg_now_ms();
    for (size_t i = 0; i < n; i++) {
        admission *a = jobs[i]->user;
        a->why = jobs[i]->ok ? REJ_COUNT : REJ_INVALID_SIGNATURE;
        a->stored = false;
        if (!jobs[i]->ok || !rows) continue;
        agg_sig_row *row = &rows[k++];
        *row = (agg_sig_row){.type = a->type, .task_id = a->task_id, .state = a->r.state, .state_len = a->r.state_len,
                             .metadata = a->r.metadata, .metadata_len = a->r.metadata_len, .admitted_ms = now};
        memcpy(row->operator_id, a->r.operator_id, 32);
        memcpy(row->digest, a->digest, 32);
        memcpy(row->sig, a->sig_enc, 64);
        memcpy(row->prover_sig, a->r.prover_signature, 65);
    }
    bool stored = rows && (k == 0 || agg_store_sigs_insert(d->store, rows, k));
    free(rows);
    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < n; i++) {
        admission *a = jobs[i]->user;
        if (a->why != REJ_COUNT) continue;
        if (!stored) {
            a->why = REJ_UNAVAILABLE;
            continue;
        }
        a->stored = true;
        agg_task *t = agg_task_find(d, a->type, a->task_id);
        bool added = false;
        a->add_rc = t && t->agg ? agg_task_add_signature(d, t, &added, a->digest, a->r.operator_id, &a->sig,
                                                         a->r.metadata, a->r.metadata_len, a->r.state, a->r.state_len,
                                                         now)
                                : MPAVS_AGG_ERR_UNKNOWN_DIGEST;
        if (a->add_rc == MPAVS_AGG_OK && !added) a->why = REJ_DUPLICATE;
        else if (a->add_rc == MPAVS_AGG_ERR_CONFLICT) a->why = REJ_CONFLICT;
        else if (a->add_rc) a->why = REJ_UNAVAILABLE;
    }
    pthread_mutex_unlock(&d->mu);
}

/* The verdict: metrics, the log line, done; frees a. */
static void finish(admission *a, int why) {
    agg_daemon *d = a->d;
    char *msg = a->msg;
    char op[67] = "", dg[67] = "";
    if (mpavs_hex_encode(op, sizeof op, a->r.operator_id, 32, true)) op[0] = 0;
    if (mpavs_hex_encode(dg, sizeof dg, a->digest, 32, true)) dg[0] = 0;
    if (why == REJ_COUNT) {
        agg_bump(&d->m_admitted, 1);
        dlog(DLOG_INFO, "admitted", "type=%d task=%" PRIu64 " operator=%s digest=%s", a->type, a->task_id, op, dg);
    } else {
        agg_bump(&d->m_rejected[why], 1);
        char q[300];
        /* a flood costs at most 10 lines per reason per 10 s, then one rejected_summary line */
        dlog(dratelog_admit(&d->rejlog, (size_t)why, msg) ? DLOG_INFO : DLOG_DEBUG, "rejected",
             "reason=%s type=%d operator=%s message=%s", agg_reject_names[why], a->type, op,
             dlog_quote(q, sizeof q, msg));
    }
    a->done(a->done_user, why, why == REJ_COUNT ? "" : msg);
    mpavs_wire_task_request_clear(&a->r);
    free(a);
}

/* The verifier committed a's batch (agg_admit_commit set a->why): its verdict. */
static void bls_done(agg_vjob *job) {
    admission *a = job->user;
    int why = a->why;
    char *msg = a->msg;
    size_t cap = sizeof a->msg;
    if (why == REJ_INVALID_SIGNATURE) reject(msg, cap, why, "BLS signature invalid for the operator's key");
    else if (why == REJ_UNAVAILABLE && !a->stored) reject(msg, cap, why, "database write failed");
    else if (why == REJ_CONFLICT) reject(msg, cap, why, "this operator already signed another digest");
    else if (why == REJ_DUPLICATE) reject(msg, cap, why, "already admitted");
    else if (why == REJ_UNAVAILABLE) reject(msg, cap, why, "aggregation: %s", mpavs_agg_strerror(a->add_rc));
    finish(a, why);
}

void agg_admit_start(agg_daemon *d, const json_t *req, agg_admit_done done, void *user) {
    admission *adm = calloc(1, sizeof *adm);
    if (!adm) {
        agg_bump(&d->m_rejected[REJ_UNAVAILABLE], 1);
        done(user, REJ_UNAVAILABLE, "out of memory");
        return;
    }
    adm->d = d;
    adm->done = done;
    adm->done_user = user;
    char *msg = adm->msg;
    size_t cap = sizeof adm->msg;
    bool left = true; /* no agg_verifier_enter pending (or the job submitted) */
    mpavs_wire_task_request *r = &adm->r;
    char wmsg[256];
    int why = REJ_COUNT;
    bool late = false;      /* the task is confirmed (or being confirmed) and the digest is not its */
    int late_type = 0;      /* its identity, to find it again for the disagreement report */
    uint64_t late_id = 0;
    char late_msg[160] = "";
    uint8_t *digest = adm->digest, pd[32];
    mpavs_bn254_g1 pk_g1;
    mpavs_bn254_g2 pk_g2;
    if (mpavs_wire_task_request_from_json(r, wmsg, sizeof wmsg, req)) { /* not counted in the log, as before */
        reject(msg, cap, REJ_INVALID_PARAMS, "invalid params: %s", wmsg);
        done(user, REJ_INVALID_PARAMS, msg);
        mpavs_wire_task_request_clear(r);
        free(adm);
        return;
    }
    memcpy(adm->sig_enc, r->sig_x, 32);
    memcpy(adm->sig_enc + 32, r->sig_y, 32);
    adm->type = (int)r->identifier;
    mpavs_avs_state_header h = {.committee_id = r->identifier, .metadata = r->metadata, .metadata_len = r->metadata_len,
                                .state = r->state, .state_len = r->state_len, .quorum_numbers = r->quorum_numbers,
                                .quorum_numbers_len = r->quorum_numbers_len, .quorum_thresholds = r->quorum_thresholds,
                                .quorum_thresholds_len = r->quorum_thresholds_len,
                                .reference_block = r->reference_block};
    if (mpavs_avs_state_digest(digest, &h)) {
        why = reject(msg, cap, REJ_UNAVAILABLE, "out of memory");
        goto out;
    }

    /* 2–4 under the table lock */
    pthread_mutex_lock(&d->mu);
    const mpavs_taskkind *kind = mpavs_taskkind_get(r->identifier);
    agg_task *t = find_task(d, kind, r, &why, msg, cap);
    const char *load_why = NULL;
    if (t && r->reference_block != t->ref_block)
        why = reject(msg, cap, REJ_UNKNOWN_TASK, "reference block %" PRIu32 " is not the task's (%" PRIu64 ")",
                     r->reference_block, t->ref_block);
    else if (t && (t->status == TASK_EXPIRED || t->status == TASK_FAILED))
        why = reject(msg, cap, REJ_UNKNOWN_TASK, "task %d/%" PRIu64 " %s", t->type, t->id,
                     t->status == TASK_EXPIRED ? "expired" : "failed");
    else if (t && (t->status == TASK_CONFIRMED || t->sending)) {
        bool known = false;
        for (size_t i = 0; i < t->ndigests && !known; i++) known = !memcmp(t->digests[i].digest, digest, 32);
        late = true;
        snprintf(late_msg, sizeof late_msg, "task %d/%" PRIu64 " is already %s: the signature is not needed",
                 t->type, t->id, t->status == TASK_CONFIRMED ? "confirmed" : "being confirmed");
        /* a late signature on another digest is worth knowing, but only once it has passed every
           check below (registration, PoE, liveness, BLS): anyone can name an honest operator */
        if (known || t->load != 2 || !t->agg) /* nothing to report, or no operator state to check it with */
            why = reject(msg, cap, REJ_LATE, "%s", late_msg);
        late_type = t->type;
        late_id = t->id;
    }
    else if (t && !agg_task_ready(d, t, &load_why))
        why = reject(msg, cap, REJ_UNAVAILABLE, "cannot load the operator state: %s", load_why);
    if (why == REJ_COUNT && t) {
        adm->task_id = t->id;
        if (!r->quorum_numbers_len) why = reject(msg, cap, REJ_BAD_QUORUMS, "quorum_numbers is empty");
        for (size_t i = 0; why == REJ_COUNT && i < r->quorum_numbers_len; i++) {
            if (i && r->quorum_numbers[i] <= r->quorum_numbers[i - 1])
                why = reject(msg, cap, REJ_BAD_QUORUMS, "quorum_numbers must be strictly increasing");
            else if (!has_quorum(t, r->quorum_numbers[i]))
                why = reject(msg, cap, REJ_BAD_QUORUMS, "quorum %u is not bound to committee %d", r->quorum_numbers[i],
                             t->type);
        }
    }
    if (why == REJ_COUNT && t) {
        const mpavs_agg_operator *op = NULL;
        if (mpavs_agg_find(t->agg, &op, r->operator_id) != MPAVS_AGG_OK) {
            why = reject(msg, cap, REJ_NOT_REGISTERED, "operator is not in the task's quorums at block %" PRIu64,
                         t->ref_block);
        } else {
            pk_g1 = op->pk_g1;
            pk_g2 = op->pk_g2;
            bool counted = false; /* its signature is in the aggregation (= in t->signers) */
            uint8_t signed_digest[32];
            if (mpavs_agg_signed(t->agg, &counted, signed_digest, r->operator_id) == MPAVS_AGG_OK && counted) {
                if (!memcmp(signed_digest, digest, 32))
                    why = reject(msg, cap, REJ_DUPLICATE, "this operator's signature on this digest was already "
                                                          "admitted");
                else
                    why = reject(msg, cap, REJ_CONFLICT, "this operator already signed another digest for task "
                                                         "%d/%" PRIu64, t->type, t->id);
            }
        }
    }
    pthread_mutex_unlock(&d->mu);
    if (why != REJ_COUNT) goto out;
    if (!late) {
        agg_verifier_enter(d->verifier); /* on its way to the verifier: a gathering worker waits for it */
        left = false;
    }

    /* 5. PoE signer = attested prover, liveness valid */
    if (r->prover_signature_len != 65) {
        why = reject(msg, cap, REJ_PROVER_MISMATCH, "ProverSignature must be 65 bytes, got %zu",
                     r->prover_signature_len);
        goto out;
    }
    if (!poe_digest(pd, kind, r)) { /* kind is set: find_task found a task */
        why = reject(msg, cap, REJ_PROVER_MISMATCH, "the state carries no proof of execution");
        goto out;
    }
    mpavs_ecdsa_sig es;
    mpavs_address prover;
    bool recovered = false;
    if (!mpavs_ecdsa_sig_parse(&es, r->prover_signature)) {
        agg_verifier_cpu_acquire(d->verifier); /* the stage's batches have the cores first (verify.h) */
        recovered = !mpavs_ecdsa_recover_address(d->ecdsa, &prover, &es, pd);
        agg_verifier_cpu_release(d->verifier);
    }
    if (!recovered) {
        why = reject(msg, cap, REJ_PROVER_MISMATCH, "ProverSignature does not recover");
        goto out;
    }
    uint8_t pk_enc[64];
    mpavs_bn254_g1_encode(pk_enc, &pk_g1);
    bool live = false, match = false;
    if (!agg_liveness(d, &live, &match, r->operator_id, pk_enc, pk_enc + 32, &prover)) {
        why = reject(msg, cap, REJ_UNAVAILABLE, "no attestation layer answered");
        goto out;
    }
    if (!live) {
        why = reject(msg, cap, REJ_NOT_LIVE, "no valid liveness proof for this key on any attestation layer");
        goto out;
    }
    if (!match) {
        char ad[43];
        mpavs_address_to_checksum(ad, &prover);
        why = reject(msg, cap, REJ_PROVER_MISMATCH, "the PoE was signed by %s, not by the prover attested for this key",
                     ad);
        goto out;
    }

    /* 6. BLS in the verifier stage; 7. persisted and counted with its batch (agg_admit_commit) */
    if (mpavs_bn254_g1_decode(&adm->sig, adm->sig_enc) != MPAVS_BN254_OK) {
        why = reject(msg, cap, REJ_INVALID_SIGNATURE, "signature is not a point of G1");
        goto out;
    }
    if (late) { /* every check passed but the aggregate is closed: verify alone, record, refuse */
        bool ok = false;
        if (mpavs_bls_verify(&ok, &pk_g2, digest, &adm->sig) != MPAVS_BLS_OK || !ok) {
            why = reject(msg, cap, REJ_INVALID_SIGNATURE, "BLS signature invalid for the operator's key");
            goto out;
        }
        pthread_mutex_lock(&d->mu);
        const agg_task *lt = agg_task_find(d, late_type, late_id);
        if (lt) agg_report_disagreement(d, lt, r->operator_id, digest, true);
        pthread_mutex_unlock(&d->mu);
        why = reject(msg, cap, REJ_LATE, "%s", late_msg);
        goto out;
    }
    agg_vjob *job = &adm->job;
    memcpy(job->digest, digest, 32);
    job->pk = pk_g2;
    job->sig = adm->sig;
    job->user = adm;
    job->done = bls_done;
    agg_verifier_submit(d->verifier, job); /* bls_done finishes adm */
    return;
out:
    if (!left) agg_verifier_leave(d->verifier);
    finish(adm, why);
}

/* agg_admit's wait for its verdict. */
typedef struct {
    sem_t sem;
    int why;
    char *msg;
    size_t cap;
} sync_wait;

static void sync_done(void *user, int why, const char *msg) {
    sync_wait *w = user;
    w->why = why;
    snprintf(w->msg, w->cap, "%s", msg);
    sem_post(&w->sem);
}

int agg_admit(agg_daemon *d, const json_t *req, char *msg, size_t cap) {
    sync_wait w = {.msg = msg, .cap = cap};
    (void)sem_init(&w.sem, 0, 0);
    agg_admit_start(d, req, sync_done, &w);
    while (sem_wait(&w.sem) != 0) {
    } /* EINTR: wait again */
    sem_destroy(&w.sem);
    return w.why;
}

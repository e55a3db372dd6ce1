/*
 * daemons/aggregator/confirm.c — the confirmation thread.
 *
 * Picks tasks whose digest meets every quorum's threshold (and whose MinWaitSecs passed),
 * builds NonSignerStakesAndSignature (getCheckSignaturesIndices, quorum APKs at the reference
 * block) and sends confirmState with the transaction sender (nonce tracking, fee bumps,
 * receipt wait). A task is confirmed at most once: its status is CONFIRMING in the database
 * before anything is sent, and a task that may have been sent before (a retry, or a restart
 * found it CONFIRMING) is first looked up on chain: once our account has no pending
 * transaction, a StateConfirmed event with the same committee, metadata and state since the
 * reference block means it is done. Transient failures are retried with backoff until the
 * task expires; a revert fails the task (the reason is logged and stored). Before every attempt
 * at a type-3 state, the proven chain's block N is read again (canon.c): when its hash or state
 * root is no longer the signed one, nothing is sent and the task fails (non_canonical_state).
 */
#include "aggregator/daemon.h"

#include "common/log.h"
#include "mpavs/abi.h"
#include "mpavs/avs.h"
#include "mpavs/contracts.h"
#include "mpavs/hex.h"
#include "mpavs/sender.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the thread copies out of a task to work on it without the lock. */
typedef struct {
    int type;
    uint64_t id, ref_block, created_ms;
    uint8_t digest[32];
    uint8_t *metadata, *state;
    size_t metadata_len, state_len;
    uint8_t quorums[MPAVS_AGG_MAX_QUORUMS], thresholds[MPAVS_AGG_MAX_QUORUMS];
    size_t nq;
    mpavs_agg_outcome out;
    char *signers, *non_signers;
    int attempts;
} job;

static void job_clear(job *j) {
    free(j->metadata);
    free(j->state);
    free(j->signers);
    free(j->non_signers);
    mpavs_agg_outcome_clear(&j->out);
    memset(j, 0, sizeof *j);
}

/* JSON array of 0x operator ids. */
static char *ids_json(const uint8_t (*ids)[32], size_t n) {
    char *s = malloc(n * 69 + 3);
    if (!s) return NULL;
    size_t k = 0;
    s[k++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (i) s[k++] = ',';
        s[k++] = '"';
        if (mpavs_hex_encode(s + k, 67, ids[i], 32, true)) {
            free(s);
            return NULL;
        }
        k += 66;
        s[k++] = '"';
    }
    s[k++] = ']';
    s[k] = 0;
    return s;
}

int agg_confirm_decide(const agg_daemon *d, const agg_task *t, uint64_t now, size_t *digest_idx) {
    *digest_idx = SIZE_MAX;
    if (t->status != TASK_OPEN || t->sending) return AGG_CONFIRM_WAIT;
    if (now > t->created_ms + d->cfg.expiry_s * 1000) return AGG_CONFIRM_EXPIRE;
    if (!t->confirm_at_ms || t->confirm_at_ms > now || t->retry_at_ms > now || !t->agg) return AGG_CONFIRM_WAIT;
    size_t nmet = 0;
    for (size_t i = 0; i < t->ndigests; i++) {
        bool met = false;
        size_t ns = 0;
        if (mpavs_agg_status(t->agg, &met, &ns, NULL, NULL, t->digests[i].digest) == MPAVS_AGG_OK && met) {
            nmet++;
            *digest_idx = i;
        }
    }
    if (nmet > 1) return AGG_CONFIRM_AMBIGUOUS;
    return nmet == 1 ? AGG_CONFIRM_SEND : AGG_CONFIRM_WAIT;
}

/* floor(100 * part / whole) for stakes (uint96 on chain: no overflow); 0 when whole is 0. */
static unsigned pct_of(const mpavs_u256 *part, const mpavs_u256 *whole) {
    mpavs_u256 hundred = mpavs_u256_from_u64(100), x, q;
    uint8_t be[32];
    if (mpavs_u256_mul(&x, part, &hundred) || mpavs_u256_divmod(&q, NULL, &x, whole) != MPAVS_U256_OK) return 0;
    mpavs_u256_to_be32(be, &q);
    unsigned v = 0;
    for (int i = 24; i < 32; i++) v = v << 8 | be[i];
    return v > 100 ? 100 : v;
}

void agg_expiry_reason(const agg_task *t, char *out, size_t cap) {
    size_t best = SIZE_MAX, most = 0, k = 0;
    for (size_t i = 0; t->agg && i < t->ndigests; i++) {
        bool met = false;
        size_t ns = 0;
        if (mpavs_agg_status(t->agg, &met, &ns, NULL, NULL, t->digests[i].digest) == MPAVS_AGG_OK &&
            (best == SIZE_MAX || ns > most)) {
            best = i;
            most = ns;
        }
    }
    int n = snprintf(out, cap, "expired before reaching the threshold:");
    k = n > 0 && (size_t)n < cap ? (size_t)n : 0;
    mpavs_u256 sgn[MPAVS_AGG_MAX_QUORUMS], tot[MPAVS_AGG_MAX_QUORUMS];
    bool met = false;
    size_t ns = 0;
    if (best == SIZE_MAX || mpavs_agg_status(t->agg, &met, &ns, sgn, tot, t->digests[best].digest) != MPAVS_AGG_OK) {
        snprintf(out + k, cap - k, " no signature admitted (0 of %zu operators)", t->noperators);
        return;
    }
    for (size_t q = 0; q < t->nq && q < MPAVS_AGG_MAX_QUORUMS && k + 1 < cap; q++) {
        unsigned p = pct_of(&sgn[q], &tot[q]);
        mpavs_u256 need, have, thr = mpavs_u256_from_u64(t->thresholds[q]), h = mpavs_u256_from_u64(100);
        bool o1 = mpavs_u256_mul(&need, &tot[q], &thr), o2 = mpavs_u256_mul(&have, &sgn[q], &h);
        if (o1 || o2 || mpavs_u256_cmp(&have, &need) >= 0) continue; /* this quorum is not short */
        n = snprintf(out + k, cap - k, " quorum %u at %u%% of %u%% (%u points short);", t->quorums[q], p,
                     t->thresholds[q], t->thresholds[q] > p ? t->thresholds[q] - p : 0);
        k += n > 0 ? (size_t)n : 0;
        if (k >= cap) k = cap - 1;
    }
    snprintf(out + k, cap - k, " %zu of %zu operators signed", ns, t->noperators);
}

void agg_note_failure(agg_daemon *d, const agg_task *t, int status, const char *reason) {
    size_t i = d->nfailures++ % AGG_RECENT_FAILURES;
    d->failures[i].type = t->type;
    d->failures[i].id = t->id;
    d->failures[i].status = status;
    snprintf(d->failures[i].reason, sizeof d->failures[i].reason, "%s", reason);
}

/* Pick the next task to confirm and copy it into *j (d->mu held). Returns the task or NULL. */
static agg_task *pick(agg_daemon *d, job *j, uint64_t now) {
    for (agg_task *t = d->tasks; t; t = t->next) {
        if (t->status == TASK_CONFIRMED && t->agg && now >= t->late_until_ms) agg_task_release_state(t);
        size_t met_idx = SIZE_MAX;
        int what = agg_confirm_decide(d, t, now, &met_idx);
        if (what == AGG_CONFIRM_EXPIRE) {
            char why[512];
            agg_expiry_reason(t, why, sizeof why);
            t->status = TASK_EXPIRED;
            agg_task_release_state(t);
            agg_store_task_status(d->store, t->type, t->id, TASK_EXPIRED, why);
            agg_note_failure(d, t, TASK_EXPIRED, why);
            dlog(DLOG_WARN, "task_expired",
                 "type=%d id=%" PRIu64 " signers=%zu operators=%zu reason=%s action=\"check that the operators "
                 "of the short quorums run and are attested (their logs, mpavs_status rejected counts)\"",
                 t->type, t->id, t->nsigners, t->noperators, DLOG_Q(why));
            continue;
        }
        if (what == AGG_CONFIRM_AMBIGUOUS) {
            t->status = TASK_FAILED;
            agg_task_release_state(t);
            agg_store_task_status(d->store, t->type, t->id, TASK_FAILED,
                                  "several digests meet the threshold: none is confirmed");
            agg_note_failure(d, t, TASK_FAILED, "several digests meet the threshold: none is confirmed");
            dlog(DLOG_ERROR, "task_ambiguous", "type=%d id=%" PRIu64 " digests=%zu", t->type, t->id, t->ndigests);
            continue;
        }
        if (what != AGG_CONFIRM_SEND) continue;
        memset(j, 0, sizeof *j);
        agg_digest *g = &t->digests[met_idx];
        if (mpavs_agg_outcome_build(t->agg, &j->out, g->digest) != MPAVS_AGG_OK) continue;
        j->type = t->type;
        j->id = t->id;
        j->ref_block = t->ref_block;
        j->created_ms = t->created_ms;
        memcpy(j->digest, g->digest, 32);
        j->state = malloc(g->state_len ? g->state_len : 1);
        j->metadata = malloc(g->metadata_len ? g->metadata_len : 1);
        j->state_len = g->state_len;
        j->nq = t->nq;
        memcpy(j->quorums, t->quorums, t->nq);
        memcpy(j->thresholds, t->thresholds, t->nq);
        j->attempts = t->attempts;
        size_t ns = 0;
        uint8_t(*sid)[32] = malloc((t->nsigners ? t->nsigners : 1) * 32);
        for (size_t i = 0; sid && i < t->nsigners; i++)
            if (t->signers[i].digest_idx == met_idx) memcpy(sid[ns++], t->signers[i].operator_id, 32);
        j->signers = sid ? ids_json((const uint8_t(*)[32])sid, ns) : NULL;
        free(sid);
        j->non_signers = ids_json((const uint8_t(*)[32])j->out.non_signer_ids, j->out.n_non_signers);
        if (!j->state || !j->metadata || !j->signers || !j->non_signers) {
            job_clear(j);
            continue;
        }
        memcpy(j->state, g->state, g->state_len);
        memcpy(j->metadata, g->metadata, g->metadata_len);
        j->metadata_len = g->metadata_len;
        return t;
    }
    return NULL;
}

/* Was this state confirmed on chain since the reference block? Out: *found, tx/block. */
static bool find_confirmation(mpavs_rpc *rpc, agg_daemon *d, const job *j, bool *found, uint8_t tx[32],
                              uint64_t *block) {
    *found = false;
    uint8_t topic0[32], topic1[32] = {0};
    if (mpavs_abi_event_topic(topic0, "StateConfirmed(uint256,bytes,bytes)")) return false;
    for (int i = 0; i < 8; i++) topic1[31 - i] = (uint8_t)((uint64_t)j->type >> (8 * i));
    char from[24];
    mpavs_rpc_tag_number(from, j->ref_block);
    const uint8_t(*addr)[20] = (const uint8_t(*)[20])d->cfg.service_manager.bytes;
    mpavs_rpc_filter f = {.from_block = from, .to_block = "latest", .addresses = addr, .naddresses = 1,
                          .topics = {topic0, topic1}, .ntopics = 2};
    mpavs_rpc_log *logs = NULL;
    size_t n = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_get_logs(rpc, &logs, &n, &e, &f)) {
        dlog(DLOG_WARN, "confirm_lookup_failed", "error=%s", DLOG_Q(e.message));
        mpavs_error_clear(&e);
        return false;
    }
    mpavs_abi_type *ty = NULL;
    if (mpavs_abi_type_parse(&ty, "(bytes,bytes)")) {
        mpavs_rpc_logs_free(logs, n);
        return false;
    }
    for (size_t i = 0; i < n && !*found; i++) {
        mpavs_abi_value *v = NULL;
        if (mpavs_abi_decode(&v, ty, logs[i].data, logs[i].data_len)) continue;
        if (v->items[0].len == j->metadata_len && !memcmp(v->items[0].data, j->metadata, j->metadata_len) &&
            v->items[1].len == j->state_len && !memcmp(v->items[1].data, j->state, j->state_len)) {
            *found = true;
            memcpy(tx, logs[i].tx_hash, 32);
            *block = logs[i].block_number;
        }
        mpavs_abi_value_free(v);
    }
    mpavs_abi_type_free(ty);
    mpavs_rpc_logs_free(logs, n);
    return true;
}

/* Wait (bounded) until the confirmer account has no pending transaction. */
static bool wait_no_pending(mpavs_rpc *rpc, agg_daemon *d, const mpavs_address *me) {
    for (int i = 0; i < 120 && !drt_stopped(&d->stop); i++) {
        uint64_t latest = 0, pending = 0;
        mpavs_error e = {0};
        bool ok = !mpavs_rpc_get_transaction_count(rpc, &latest, &e, me->bytes, "latest") &&
                  !mpavs_rpc_get_transaction_count(rpc, &pending, &e, me->bytes, "pending");
        mpavs_error_clear(&e);
        if (ok && pending <= latest) return true;
        struct timespec ts = {0, 500000000L};
        nanosleep(&ts, NULL);
    }
    return false;
}

static void finish(agg_daemon *d, job *j, const uint8_t tx[32], uint64_t block, uint64_t gas) {
    agg_task_row row = {.type = j->type, .id = j->id, .confirm_block = block, .gas_used = gas,
                        .confirmed_ms = agg_now_ms(), .signers = j->signers, .non_signers = j->non_signers};
    memcpy(row.digest, j->digest, 32);
    memcpy(row.tx_hash, tx, 32);
    bool stored = agg_store_task_confirmed(d->store, &row);
    uint64_t lat = row.confirmed_ms - j->created_ms;
    pthread_mutex_lock(&d->mu);
    agg_task *t = agg_task_find(d, j->type, j->id);
    if (t) { /* the operator state stays a while: a late signature on another digest is checked with it */
        t->status = TASK_CONFIRMED;
        t->sending = false;
        t->late_until_ms = agg_now_ms() + AGG_LATE_CHECK_MS;
    }
    pthread_mutex_unlock(&d->mu);
    agg_bump(&d->m_confirmed, 1);
    agg_metrics_confirm_latency(d, lat);
    char th[67], dg[67];
    if (mpavs_hex_encode(th, sizeof th, tx, 32, true)) th[0] = 0;
    if (mpavs_hex_encode(dg, sizeof dg, j->digest, 32, true)) dg[0] = 0;
    dlog(DLOG_INFO, "state_confirmed",
         "type=%d id=%" PRIu64 " digest=%s tx=%s block=%" PRIu64 " gas=%" PRIu64 " non_signers=%zu latency_ms=%" PRIu64
         "%s",
         j->type, j->id, dg, th, block, gas, j->out.n_non_signers, lat, stored ? "" : " stored=false");
}

static void retry_later(agg_daemon *d, job *j, const char *why, bool fatal) {
    pthread_mutex_lock(&d->mu);
    agg_task *t = agg_task_find(d, j->type, j->id);
    if (t) {
        t->sending = false;
        t->attempts++;
        if (fatal) {
            t->status = TASK_FAILED;
            agg_task_release_state(t);
        } else {
            uint64_t back = 1000ull << (t->attempts < 5 ? t->attempts : 5);
            t->retry_at_ms = agg_now_ms() + back;
        }
    }
    pthread_mutex_unlock(&d->mu);
    if (fatal) agg_store_task_status(d->store, j->type, j->id, TASK_FAILED, why);
    agg_bump(&d->m_confirm_failures, 1);
    char q[600];
    dlog(fatal ? DLOG_ERROR : DLOG_WARN, fatal ? "confirm_failed" : "confirm_retry", "type=%d id=%" PRIu64 " error=%s",
         j->type, j->id, dlog_quote(q, sizeof q, why));
}

/* A type-3 state whose block is no longer canonical: never sent, the task fails (its height gets no new task). */
static void fail_non_canonical(agg_daemon *d, job *j, const uint8_t hash[32], const uint8_t root[32]) {
    agg_canon_report_state(d, j->id, j->state, j->state_len, hash, root);
    pthread_mutex_lock(&d->mu);
    agg_task *t = agg_task_find(d, j->type, j->id);
    if (t) {
        t->sending = false;
        t->status = TASK_FAILED;
        agg_task_release_state(t);
    }
    pthread_mutex_unlock(&d->mu);
    agg_store_task_status(d->store, j->type, j->id, TASK_FAILED,
                          "non_canonical_state: the proven chain's block is no longer the one signed (reorg)");
}

/*
 * Confirm j's state (proven: a client of the type-3 chain, NULL without one). Returns true when
 * confirmState reverted NoPermission (the task is retried, not failed).
 */
static bool confirm_one(agg_daemon *d, mpavs_contracts_ctx *ctx, const mpavs_contracts_deployment *dep,
                        mpavs_rpc *proven, job *j) {
    uint8_t tx[32];
    uint64_t block = 0;
    if (j->attempts > 0) {
        bool found = false;
        if (!wait_no_pending(ctx->rpc, d, mpavs_sender_address(ctx->sender)) ||
            !find_confirmation(ctx->rpc, d, j, &found, tx, &block)) {
            retry_later(d, j, "cannot tell whether an earlier attempt was mined", false);
            return false;
        }
        if (found) {
            dlog(DLOG_INFO, "confirm_found_on_chain", "type=%d id=%" PRIu64, j->type, j->id);
            finish(d, j, tx, block, 0);
            return false;
        }
    }
    const mpavs_taskkind *kind = mpavs_taskkind_get((uint64_t)j->type);
    if (kind && kind->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) { /* right before each send: is block N still the one signed? */
        uint8_t ch[32], cr[32];
        char why[300];
        int c = agg_canon_check(proven, j->id, j->state, j->state_len, ch, cr, why, sizeof why);
        if (c == AGG_CANON_NO) {
            fail_non_canonical(d, j, ch, cr);
            return false;
        }
        if (c != AGG_CANON_YES) {
            retry_later(d, j, why, false);
            return false;
        }
    }
    agg_store_task_status(d->store, j->type, j->id, TASK_CONFIRMING, NULL);
    mpavs_contracts_state_header h = {.committee_id = (uint64_t)j->type, .metadata = j->metadata,
                                   .metadata_len = j->metadata_len, .state = j->state, .state_len = j->state_len,
                                   .quorum_numbers = j->quorums, .thresholds = j->thresholds, .nquorums = j->nq,
                                   .reference_block_number = (uint32_t)j->ref_block};
    uint64_t gas = 0;
    mpavs_error_clear(&ctx->error);
    int r = mpavs_contracts_confirm_state(ctx, dep, &h, j->out.non_signer_pks, j->out.n_non_signers, &j->out.apk_g2,
                                       &j->out.sigma, &gas);
    if (r == MPAVS_CONTRACTS_OK) {
        finish(d, j, ctx->tx_hash, ctx->block_number, gas);
        return false;
    }
    if (r == MPAVS_CONTRACTS_ERR_REVERTED && strstr(ctx->error.message, "StateAlreadyConfirmed")) {
        /* the contract confirms a (committee, metadata) once: by an earlier attempt of ours (e.g. before a
           restart) or another confirmer; the same state found on chain counts as this task's confirmation */
        bool found = false;
        if (find_confirmation(ctx->rpc, d, j, &found, tx, &block) && found) {
            dlog(DLOG_INFO, "confirm_found_on_chain", "type=%d id=%" PRIu64 " reason=already_confirmed", j->type, j->id);
            finish(d, j, tx, block, 0);
            return false;
        }
        retry_later(d, j, "another state is confirmed on chain for this metadata (StateAlreadyConfirmed)", true);
        return false;
    }
    if (r == MPAVS_CONTRACTS_ERR_REVERTED && strstr(ctx->error.message, "NoPermission")) {
        /* our key is not (or no longer) the state confirmer: not this task's fault */
        __atomic_store_n(&d->confirmer_state, -1, __ATOMIC_RELEASE);
        retry_later(d, j, "confirmState reverted NoPermission: this key is not the state confirmer", false);
        return true;
    }
    retry_later(d, j, ctx->error.message, r == MPAVS_CONTRACTS_ERR_REVERTED || r == MPAVS_CONTRACTS_ERR_ARG);
    return false;
}

#define CONFIRMER_RECHECK_MS 60000   /* while it is the confirmer */
#define CONFIRMER_RETRY_MS 10000     /* while it is not, or the read failed */

/*
 * Read stateConfirmer() and compare it with our account; log a change (an error saying what to
 * do when it is not ours). Sets d->confirmer_state. Returns the state (-1: could not read).
 */
static int check_confirmer(agg_daemon *d, mpavs_contracts_ctx *ctx, const mpavs_contracts_deployment *dep) {
    mpavs_address on_chain;
    const mpavs_address *me = mpavs_sender_address(ctx->sender);
    int before = __atomic_load_n(&d->confirmer_state, __ATOMIC_RELAXED);
    if (mpavs_contracts_state_confirmer(ctx, dep, &on_chain)) {
        dlog(DLOG_WARN, "state_confirmer_unknown", "error=%s", DLOG_Q(ctx->error.message));
        return -1;
    }
    int now = memcmp(on_chain.bytes, me->bytes, 20) == 0;
    char a[43], b[43];
    mpavs_address_to_checksum(a, me);
    mpavs_address_to_checksum(b, &on_chain);
    __atomic_store_n(&d->confirmer_state, now, __ATOMIC_RELEASE);
    if (now && before != 1) dlog(DLOG_INFO, "state_confirmer_ok", "account=%s", a);
    if (!now && before != 0)
        dlog(DLOG_ERROR, "not_state_confirmer",
             "account=%s state_confirmer=%s what=\"confirmState would revert NoPermission: nothing is sent until the "
             "contract's owner calls setStateConfirmer(%s) or this aggregator gets the confirmer's key\"",
             a, b, a);
    return now;
}

void *agg_confirm_thread(void *arg) {
    agg_daemon *d = arg;
    mpavs_rpc_options ro = {.timeout_ms = 10000};
    mpavs_rpc *rpc = mpavs_rpc_create(d->cfg.eth_url, &ro);
    mpavs_rpc_options po = {.timeout_ms = 5000, .max_retries = 1};
    const agg_chain_source *pc = agg_config_chain_source(&d->cfg, MPAVS_TASK_CHAIN_STATE); /* its proven chain */
    mpavs_rpc *proven = pc ? mpavs_rpc_create(pc->rpc_url, &po) : NULL;
    mpavs_sender *sender = NULL;
    mpavs_contracts_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    mpavs_contracts_deployment dep;
    memset(&dep, 0, sizeof dep);
    dep.chain_id = d->avs_chain_id;
    dep.registry_coordinator = d->cfg.registry_coordinator;
    dep.operator_state_retriever = d->cfg.operator_state_retriever;
    dep.service_manager = d->cfg.service_manager;
    dep.bls_apk_registry = d->bls_apk_registry;
    dep.stake_registry = d->stake_registry;
    uint64_t confirmer_next_ms = 0; /* when stateConfirmer() is read next */
    mpavs_sender_options so = {.chain_id = d->avs_chain_id, .attempt_timeout_ms = 12000, .deadline_ms = 60000,
                               .poll_interval_ms = 100, .cancel = drt_stop_flag(&d->stop)};
    dtx_caps_apply(&d->cfg.tx, &so);
    while (!drt_stopped(&d->stop)) {
        if (!sender) {
            mpavs_error e = {0};
            if (rpc && mpavs_sender_create(&sender, &e, rpc, d->cfg.ecdsa_key, &so) != MPAVS_SENDER_OK) {
                dlog(DLOG_WARN, "sender_unavailable", "error=%s", DLOG_Q(e.message));
                sender = NULL;
            }
            mpavs_error_clear(&e);
            if (!sender) {
                struct timespec ts = {1, 0};
                nanosleep(&ts, NULL);
                continue;
            }
            mpavs_contracts_clear(&ctx);
            if (mpavs_contracts_init(&ctx, rpc, sender) != MPAVS_CONTRACTS_OK) {
                dlog(DLOG_WARN, "sender_unavailable", "error=%s", DLOG_Q(ctx.error.message));
                mpavs_sender_destroy(sender);
                sender = NULL;
                continue;
            }
        }
        uint64_t now_ms = agg_now_ms();
        if (now_ms >= confirmer_next_ms) {
            int st = check_confirmer(d, &ctx, &dep);
            confirmer_next_ms = now_ms + (st == 1 ? CONFIRMER_RECHECK_MS : CONFIRMER_RETRY_MS);
        }
        if (__atomic_load_n(&d->confirmer_state, __ATOMIC_ACQUIRE) == 0) { /* would revert: wait (tasks may expire) */
            struct timespec ts = {0, 200000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        agg_tasks_reload(d);
        agg_canon_scan(d, proven); /* signatures for blocks that are not canonical: reported */
        job j;
        pthread_mutex_lock(&d->mu);
        agg_task *t = pick(d, &j, agg_now_ms());
        if (t) t->sending = true;
        else {
            struct timespec ts = agg_deadline(100);
            pthread_cond_timedwait(&d->confirm_cv, &d->mu, &ts);
        }
        pthread_mutex_unlock(&d->mu);
        if (!t) continue;
        if (confirm_one(d, &ctx, &dep, proven, &j)) confirmer_next_ms = 0; /* NoPermission: read the confirmer again now */
        job_clear(&j);
    }
    mpavs_contracts_clear(&ctx);
    mpavs_sender_destroy(sender);
    mpavs_rpc_destroy(proven);
    mpavs_rpc_destroy(rpc);
    return NULL;
}

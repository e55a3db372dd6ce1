/* daemons/aggregator/tasks.c — the task table: creation, restore, long polls, the state loader. */
#include "aggregator/daemon.h"

#include "common/log.h"
#include "mpavs/hex.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

agg_task *agg_task_find(agg_daemon *d, int type, uint64_t id) {
    for (agg_task *t = d->tasks; t; t = t->next)
        if (t->type == type && t->id == id) return t;
    return NULL;
}

agg_task *agg_task_find_metadata(agg_daemon *d, int type, const uint8_t *metadata, size_t len) {
    for (agg_task *t = d->tasks; t; t = t->next)
        if (t->type == type && t->metadata && t->metadata_len == len && !memcmp(t->metadata, metadata, len)) return t;
    return NULL;
}

static void task_free(agg_task *t) {
    if (!t) return;
    mpavs_agg_destroy(t->agg);
    for (size_t i = 0; i < t->ndigests; i++) {
        free(t->digests[i].state);
        free(t->digests[i].metadata);
    }
    free(t->digests);
    free(t->signers);
    free(t->ext);
    free(t->metadata);
    free(t);
}

/* Insert t into the table (d->mu held). */
static void task_link(agg_daemon *d, agg_task *t) {
    t->next = d->tasks;
    d->tasks = t;
    d->ntasks++;
    if (t->type >= 1 && t->type < AGG_MAX_TYPES && (!d->latest[t->type] || d->latest[t->type]->id < t->id))
        d->latest[t->type] = t;
}

static agg_task *task_new(int type, uint64_t id, uint64_t ref_block, uint64_t created_ms, const char *ext,
                          const uint8_t *metadata, size_t metadata_len) {
    agg_task *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->type = type;
    t->id = id;
    t->ref_block = ref_block;
    t->created_ms = created_ms;
    t->ext = strdup(ext ? ext : "null");
    if (metadata_len) {
        t->metadata = malloc(metadata_len);
        if (t->metadata) memcpy(t->metadata, metadata, metadata_len);
        t->metadata_len = metadata_len;
    }
    if (!t->ext || (metadata_len && !t->metadata)) {
        task_free(t);
        return NULL;
    }
    return t;
}

bool agg_task_create(agg_daemon *d, int type, uint64_t id, uint64_t ref_block, const char *ext,
                     const uint8_t *metadata, size_t metadata_len) {
    pthread_mutex_lock(&d->mu);
    bool exists = agg_task_find(d, type, id) != NULL;
    pthread_mutex_unlock(&d->mu);
    if (exists) return true;
    uint64_t now = agg_now_ms();
    agg_task_row row = {.type = type, .id = id, .ref_block = ref_block, .created_ms = now, .ext = (char *)ext,
                        .metadata = (uint8_t *)metadata, .metadata_len = metadata_len, .status = TASK_OPEN};
    bool inserted = false;
    if (!agg_store_task_insert(d->store, &row, &inserted)) return false;
    if (!inserted) return true; /* created before (e.g. a re-delivered log of an old, finished task) */
    agg_task *t = task_new(type, id, ref_block, now, ext, metadata, metadata_len);
    if (!t) return false;
    agg_bump(&d->m_tasks_created[type < AGG_MAX_TYPES ? type : 0], 1); /* counted before anyone can fetch it */
    pthread_mutex_lock(&d->mu);
    task_link(d, t);
    agg_tasks_prune(d, 256);
    pthread_cond_broadcast(&d->task_cv);
    pthread_mutex_unlock(&d->mu);
    drpc_wake(d->server); /* parked long polls (longpoll.c) */
    dlog(DLOG_INFO, "task_created", "type=%d id=%" PRIu64 " reference_block=%" PRIu64, type, id, ref_block);
    return true;
}

static void restore_one(void *user, const agg_task_row *r) {
    agg_daemon *d = user;
    if (agg_task_find(d, r->type, r->id)) return;
    agg_task *t = task_new(r->type, r->id, r->ref_block, r->created_ms, r->ext, r->metadata, r->metadata_len);
    if (!t) return;
    t->status = r->status == TASK_CONFIRMING ? TASK_OPEN : r->status; /* re-checked on chain before any send */
    if (r->status == TASK_CONFIRMING) t->attempts = 1;                /* marks "a send may have happened" */
    t->restored = t->status == TASK_OPEN; /* its stored signatures are replayed by agg_tasks_reload */
    task_link(d, t);
}

bool agg_tasks_restore(agg_daemon *d) {
    pthread_mutex_lock(&d->mu);
    bool ok = agg_store_load_tasks(d->store, restore_one, d, agg_now_ms() - 3600 * 1000);
    size_t open = 0;
    for (agg_task *t = d->tasks; t; t = t->next) open += t->status == TASK_OPEN;
    pthread_mutex_unlock(&d->mu);
    dlog(DLOG_INFO, "tasks_restored", "tasks=%zu open=%zu", d->ntasks, open);
    return ok;
}

void agg_task_release_state(agg_task *t) {
    mpavs_agg_destroy(t->agg);
    t->agg = NULL;
    t->load = 0;
}

void agg_tasks_reload(agg_daemon *d) {
    pthread_mutex_lock(&d->mu);
    if (d->loader_running) {
        pthread_cond_broadcast(&d->task_cv); /* the loader picks restored tasks up */
        pthread_mutex_unlock(&d->mu);
        return;
    }
    for (agg_task *t = d->tasks; t && !drt_stopped(&d->stop); t = t->next)
        if (t->restored && t->status == TASK_OPEN && t->load == 0) {
            t->restored = false;
            if (!agg_task_load(d, t)) break; /* chain not ready: later */
            t = d->tasks;                    /* the table may have changed while unlocked */
        }
    pthread_mutex_unlock(&d->mu);
}

void agg_tasks_prune(agg_daemon *d, size_t keep) {
    if (d->ntasks <= keep) return;
    /* tasks are linked newest first: drop finished ones after the first `keep` */
    size_t i = 0;
    for (agg_task **pp = &d->tasks; *pp;) {
        agg_task *t = *pp;
        bool latest = t->type >= 1 && t->type < AGG_MAX_TYPES && d->latest[t->type] == t;
        if (i++ >= keep && !latest && (t->status == TASK_CONFIRMED || t->status == TASK_FAILED ||
                                       t->status == TASK_EXPIRED) && !t->sending && t->load != 1) {
            *pp = t->next;
            task_free(t);
            d->ntasks--;
        } else {
            pp = &t->next;
        }
    }
}

void agg_tasks_free(agg_daemon *d) {
    while (d->tasks) {
        agg_task *t = d->tasks;
        d->tasks = t->next;
        task_free(t);
    }
    memset(d->latest, 0, sizeof d->latest);
    d->ntasks = 0;
}

/* Digest index in t, appending it (with a copy of its state) when new. Returns -1 on OOM. */
static long digest_index(agg_task *t, const uint8_t digest[32], const uint8_t *metadata, size_t metadata_len,
                         const uint8_t *state, size_t state_len, uint64_t now_ms, bool *created) {
    *created = false;
    for (size_t i = 0; i < t->ndigests; i++)
        if (!memcmp(t->digests[i].digest, digest, 32)) return (long)i;
    agg_digest *g = realloc(t->digests, (t->ndigests + 1) * sizeof *g);
    if (!g) return -1;
    t->digests = g;
    agg_digest *e = &g[t->ndigests];
    memset(e, 0, sizeof *e);
    memcpy(e->digest, digest, 32);
    e->state = malloc(state_len ? state_len : 1);
    e->metadata = malloc(metadata_len ? metadata_len : 1);
    if (!e->state || !e->metadata) {
        free(e->state);
        free(e->metadata);
        return -1;
    }
    if (state_len) memcpy(e->state, state, state_len);
    if (metadata_len) memcpy(e->metadata, metadata, metadata_len);
    e->state_len = state_len;
    e->metadata_len = metadata_len;
    e->first_ms = now_ms;
    *created = true;
    return (long)t->ndigests++;
}

int agg_task_add_signature(agg_daemon *d, agg_task *t, bool *added, const uint8_t digest[32],
                           const uint8_t operator_id[32], const mpavs_bn254_g1 *sig, const uint8_t *metadata,
                           size_t metadata_len, const uint8_t *state, size_t state_len, uint64_t now_ms) {
    *added = false;
    bool created;
    long di = digest_index(t, digest, metadata, metadata_len, state, state_len, now_ms, &created);
    if (di < 0) return MPAVS_AGG_ERR_NOMEM;
    int r = mpavs_agg_add(t->agg, added, digest, operator_id, sig);
    if (r || !*added) return r;
    if (t->nsigners == t->signers_cap) {
        size_t cap = t->signers_cap ? 2 * t->signers_cap : 16;
        agg_signer *s = realloc(t->signers, cap * sizeof *s);
        if (!s) return MPAVS_AGG_ERR_NOMEM;
        t->signers = s;
        t->signers_cap = cap;
    }
    memcpy(t->signers[t->nsigners].operator_id, operator_id, 32);
    t->signers[t->nsigners++].digest_idx = (uint32_t)di;
    if (created && t->ndigests > 1) agg_report_disagreement(d, t, operator_id, digest, false);
    bool met = false;
    size_t nsig = 0;
    if (mpavs_agg_status(t->agg, &met, &nsig, NULL, NULL, digest) == MPAVS_AGG_OK && met && t->status == TASK_OPEN &&
        !t->confirm_at_ms) {
        uint64_t at = t->created_ms + d->cfg.min_wait_s * 1000;
        t->confirm_at_ms = at > now_ms ? at : now_ms;
        pthread_cond_broadcast(&d->confirm_cv);
    }
    return MPAVS_AGG_OK;
}

void agg_report_disagreement(agg_daemon *d, const agg_task *t, const uint8_t operator_id[32],
                             const uint8_t digest[32], bool late) {
    char a[67] = "", b[67], op[67];
    if (t->ndigests && mpavs_hex_encode(a, sizeof a, t->digests[0].digest, 32, true)) a[0] = 0;
    if (mpavs_hex_encode(b, sizeof b, digest, 32, true)) b[0] = 0;
    if (mpavs_hex_encode(op, sizeof op, operator_id, 32, true)) op[0] = 0;
    agg_bump(&d->m_disagreements, 1);
    dlog(DLOG_WARN, "digest_disagreement", "type=%d id=%" PRIu64 " operator=%s digest=%s first_digest=%s late=%s",
         t->type, t->id, op, b, a, late ? "true" : "false");
}

/* Replay the stored signatures of t into its fresh aggregation (d->mu held). */
typedef struct {
    agg_daemon *d;
    agg_task *t;
    size_t n;
} replay_ctx;

static void replay_one(void *user, const agg_sig_row *r) {
    replay_ctx *c = user;
    mpavs_bn254_g1 sig;
    if (mpavs_bn254_g1_decode(&sig, r->sig)) return;
    bool added;
    if (agg_task_add_signature(c->d, c->t, &added, r->digest, r->operator_id, &sig, r->metadata, r->metadata_len,
                               r->state, r->state_len, r->admitted_ms) == MPAVS_AGG_OK && added)
        c->n++;
}

/* Load the operator state of t through d->chain (d->mu NOT held). Out: *agg, *nops, quorums, *ids (the
 * operator ids, malloc'd; may be NULL); err. */
static bool load_state(agg_daemon *d, const agg_task *t, mpavs_agg **agg, size_t *nops, uint8_t *quorums, size_t *nq,
                       uint8_t (**ids)[32], char *err, size_t cap) {
    *ids = NULL;
    if (!agg_committee_quorums(d, t->type, quorums, nq)) {
        snprintf(err, cap, "committee %d has no quorums on chain", t->type);
        return false;
    }
    const agg_chain_ops *ch = d->chain ? d->chain : &agg_chain_rpc;
    mpavs_agg_operator *ops = NULL;
    size_t n = 0;
    if (!ch->operator_state(d, t->ref_block, quorums, *nq, &ops, &n, err, cap)) {
        free(ops);
        return false;
    }
    bool ok = true;
    uint8_t th[MPAVS_AGG_MAX_QUORUMS];
    for (size_t i = 0; i < *nq; i++) th[i] = (uint8_t)d->cfg.threshold;
    int r;
    if (n == 0) {
        snprintf(err, cap, "no operator in quorums at block %" PRIu64, t->ref_block);
        ok = false;
    } else if ((r = mpavs_agg_create(agg, quorums, th, *nq, ops, n))) {
        snprintf(err, cap, "aggregation: %s", mpavs_agg_strerror(r));
        ok = false;
    }
    if (ok && (*ids = malloc(n * sizeof **ids)))
        for (size_t i = 0; i < n; i++) memcpy((*ids)[i], ops[i].operator_id, 32);
    *nops = n;
    free(ops);
    return ok;
}

/* agg_task_load; out: the operator ids of a loaded state (*ids malloc'd, or NULL). */
static bool load_task(agg_daemon *d, agg_task *t, uint8_t (**ids)[32], size_t *nids) {
    t->load = 1;
    uint64_t type = (uint64_t)t->type, id = t->id;
    pthread_mutex_unlock(&d->mu);
    mpavs_agg *agg = NULL;
    size_t nops = 0, nq = 0;
    uint8_t quorums[MPAVS_AGG_MAX_QUORUMS];
    char err[256] = "";
    bool ok = load_state(d, t, &agg, &nops, quorums, &nq, ids, err, sizeof err);
    *nids = *ids ? nops : 0;
    pthread_mutex_lock(&d->mu);
    /* t stays linked while load == 1 (agg_tasks_prune skips it) */
    if (ok && t->status != TASK_OPEN) { /* finished meanwhile: it admits nothing */
        mpavs_agg_destroy(agg);
        t->load = 0;
    } else if (ok) {
        t->agg = agg;
        t->noperators = nops;
        memcpy(t->quorums, quorums, nq);
        for (size_t i = 0; i < nq; i++) t->thresholds[i] = (uint8_t)d->cfg.threshold;
        t->nq = nq;
        t->load = 2;
        t->load_failures = 0;
        replay_ctx rc = {d, t, 0};
        agg_store_load_sigs(d->store, t->type, t->id, replay_one, &rc);
        dlog(DLOG_INFO, "task_state_loaded", "type=%d id=%" PRIu64 " operators=%zu quorums=%zu replayed=%zu", t->type,
             t->id, nops, nq, rc.n);
    } else {
        t->load = 3;
        t->load_failed_ms = agg_mono_ms();
        t->load_retry_ms = agg_mono_ms() + (2000u << (t->load_failures < 5 ? t->load_failures : 5));
        t->load_failures++;
        snprintf(t->load_error, sizeof t->load_error, "%s", err);
        dlog(DLOG_WARN, "task_state_failed", "type=%" PRIu64 " id=%" PRIu64 " error=%s", type, id, DLOG_Q(err));
    }
    pthread_cond_broadcast(&d->task_cv);
    return ok;
}

bool agg_task_load(agg_daemon *d, agg_task *t) {
    uint8_t(*ids)[32] = NULL;
    size_t n = 0;
    bool ok = load_task(d, t, &ids, &n);
    free(ids);
    return ok;
}

bool agg_task_ready(agg_daemon *d, agg_task *t, const char **why) {
    struct timespec end = agg_deadline(AGG_STATE_WAIT_MS);
    bool woke = false;
    for (;;) {
        if (t->load == 2) return true;
        if (t->load == 3 && (woke || agg_mono_ms() < t->load_failed_ms + 2000)) {
            *why = t->load_error; /* failed less than 2 s ago: not retried for every submission */
            return false;
        }
        if (drt_stopped(&d->stop)) {
            *why = "shutting down";
            return false;
        }
        if (!d->loader_running) {
            *why = "the state loader is not running";
            return false;
        }
        if (!woke) {
            if (t->load == 3) t->load_retry_ms = 0; /* a submission wants it: the loader retries now */
            pthread_cond_broadcast(&d->task_cv);
            woke = true;
        }
        if (pthread_cond_timedwait(&d->task_cv, &d->mu, &end) == ETIMEDOUT && t->load != 2) {
            *why = t->load == 3 ? t->load_error : "the operator state is still loading";
            return false;
        }
    }
}

/* The next open task whose state should be loaded now (d->mu held), or NULL. */
static agg_task *to_load(agg_daemon *d, uint64_t now) {
    for (agg_task *t = d->tasks; t; t = t->next)
        if (t->status == TASK_OPEN && !t->sending && (t->load == 0 || (t->load == 3 && now >= t->load_retry_ms)))
            return t;
    return NULL;
}

void *agg_loader_thread(void *arg) {
    agg_daemon *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!drt_stopped(&d->stop)) {
        pthread_mutex_unlock(&d->mu);
        agg_layer_clocks_refresh(d); /* admission finds the layer clocks fresh */
        pthread_mutex_lock(&d->mu);
        agg_task *t = to_load(d, agg_mono_ms());
        if (t) {
            t->restored = false;
            uint8_t(*ids)[32] = NULL;
            size_t n = 0;
            bool ok = load_task(d, t, &ids, &n);
            if (ok && n) { /* then the task's operators' liveness proofs, so admission finds them cached */
                pthread_mutex_unlock(&d->mu);
                size_t read = agg_liveness_prefetch(d, (const uint8_t(*)[32])ids, n);
                if (read) dlog(DLOG_DEBUG, "liveness_prefetched", "operators=%zu read=%zu", n, read);
                pthread_mutex_lock(&d->mu);
            }
            free(ids);
            continue;
        }
        struct timespec ts = agg_deadline(500);
        pthread_cond_timedwait(&d->task_cv, &d->mu, &ts);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

json_t *agg_task_fetch(agg_daemon *d, uint64_t prev_id, uint64_t type, uint64_t wait_s, bool with_context) {
    if (wait_s > 30) wait_s = 30;
    if (type >= 1 && type < AGG_MAX_TYPES) agg_bump(&d->m_fetch[type][with_context ? 1 : 0], 1);
    struct timespec end = agg_deadline((long)wait_s * 1000);
    pthread_mutex_lock(&d->mu);
    json_t *res = NULL;
    for (;;) {
        agg_task *t = type >= 1 && type < AGG_MAX_TYPES ? d->latest[type] : NULL;
        if (t && t->id > prev_id) {
            json_error_t je;
            json_t *ext = json_loads(t->ext, JSON_DECODE_ANY, &je);
            res = json_pack("{s:b,s:I,s:I,s:o}", "ok", 1, "task_id", (json_int_t)t->id, "task_type",
                            (json_int_t)t->type, "ext", ext ? ext : json_null());
            break;
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (drt_stopped(&d->stop) || now.tv_sec > end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec >= end.tv_nsec)) break;
        struct timespec step = now;
        step.tv_nsec += 500000000L;
        if (step.tv_nsec >= 1000000000L) {
            step.tv_sec++;
            step.tv_nsec -= 1000000000L;
        }
        if (step.tv_sec > end.tv_sec || (step.tv_sec == end.tv_sec && step.tv_nsec > end.tv_nsec)) step = end;
        pthread_cond_timedwait(&d->task_cv, &d->mu, &step);
    }
    pthread_mutex_unlock(&d->mu);
    if (!res) res = json_pack("{s:b,s:i,s:i,s:n}", "ok", 0, "task_id", 0, "task_type", 0, "ext");
    return res;
}

/*
 * daemons/aggregator/verify.c — batched BLS verification.
 *
 * Leader/follower: a thread that wants a signature checked queues it; if no thread is
 * verifying, it becomes the leader, takes every queued job, checks them per digest with one
 * same-message batch (2 pairings for the whole group; bisection finds the bad ones when a batch
 * fails) and wakes the waiters. Threads that arrive meanwhile queue up for the next round, so
 * the batch grows with the load and a lone request costs one ordinary check. Admissions in
 * progress announce themselves (agg_verify_enter/leave); a leader lingers, up to LINGER_MS, until
 * every admission in progress has queued its job or left: the two pairings of a batch cost as
 * much as ~60 multi-scalar terms, so waiting for the signatures that are on their way (JSON and
 * PoE checks take ~65 us) makes the batch as large as the load allows.
 */
#include "aggregator/daemon.h"

#include "mpavs/bls.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BATCH 1024
#define LINGER_MS 2

typedef struct job {
    uint8_t digest[32];
    mpavs_bn254_g2 pk;
    mpavs_bn254_g1 sig;
    bool ok, done;
    struct job *next;
} job;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER; /* a job was queued or an admission left */
static job *queue;
static size_t queued, inflight;
static bool busy;

void agg_verify_enter(void) {
    pthread_mutex_lock(&mu);
    inflight++;
    pthread_mutex_unlock(&mu);
}

void agg_verify_leave(void) {
    pthread_mutex_lock(&mu);
    if (inflight) inflight--;
    pthread_cond_signal(&arrived);
    pthread_mutex_unlock(&mu);
}

/* Wait (mu held) until every admission in progress queued its job, or LINGER_MS passed. */
static void linger(void) {
    if (queued >= inflight) return;
    struct timespec end;
    clock_gettime(CLOCK_REALTIME, &end);
    end.tv_nsec += LINGER_MS * 1000000L;
    if (end.tv_nsec >= 1000000000L) {
        end.tv_sec++;
        end.tv_nsec -= 1000000000L;
    }
    while (queued < inflight && queued < MAX_BATCH)
        if (pthread_cond_timedwait(&arrived, &mu, &end) != 0) break;
}

/* Check jobs[0..n) that share one digest. */
static void check_group(job **jobs, size_t n) {
    if (n == 1) {
        bool ok = false;
        if (mpavs_bls_verify(&ok, &jobs[0]->pk, jobs[0]->digest, &jobs[0]->sig) != MPAVS_BLS_OK) ok = false;
        jobs[0]->ok = ok;
        return;
    }
    mpavs_bn254_g2 *pks = malloc(n * sizeof *pks);
    mpavs_bn254_g1 *sigs = malloc(n * sizeof *sigs);
    size_t *bad = malloc(n * sizeof *bad);
    bool ok = false;
    if (pks && sigs && bad) {
        for (size_t i = 0; i < n; i++) {
            pks[i] = jobs[i]->pk;
            sigs[i] = jobs[i]->sig;
        }
        if (mpavs_bls_batch_verify_same_msg(&ok, jobs[0]->digest, pks, sigs, n) != MPAVS_BLS_OK) ok = false;
        if (ok) {
            for (size_t i = 0; i < n; i++) jobs[i]->ok = true;
        } else {
            size_t nbad = 0;
            if (mpavs_bls_batch_find_invalid(bad, &nbad, jobs[0]->digest, NULL, pks, sigs, n) == MPAVS_BLS_OK) {
                for (size_t i = 0; i < n; i++) jobs[i]->ok = true;
                for (size_t i = 0; i < nbad; i++) jobs[bad[i]]->ok = false;
            } else {
                for (size_t i = 0; i < n; i++) {
                    bool one = false;
                    jobs[i]->ok = mpavs_bls_verify(&one, &jobs[i]->pk, jobs[i]->digest, &jobs[i]->sig) ==
                                      MPAVS_BLS_OK && one;
                }
            }
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            bool one = false;
            jobs[i]->ok = mpavs_bls_verify(&one, &jobs[i]->pk, jobs[i]->digest, &jobs[i]->sig) == MPAVS_BLS_OK && one;
        }
    }
    free(pks);
    free(sigs);
    free(bad);
}

static void run_batch(job *list) {
    job *jobs[MAX_BATCH];
    size_t n = 0;
    for (job *j = list; j && n < MAX_BATCH; j = j->next) jobs[n++] = j;
    /* group by digest: selection of equal digests into a prefix, repeatedly */
    size_t start = 0;
    while (start < n) {
        size_t end = start + 1;
        for (size_t i = start + 1; i < n; i++)
            if (!memcmp(jobs[i]->digest, jobs[start]->digest, 32)) {
                job *t = jobs[end];
                jobs[end] = jobs[i];
                jobs[i] = t;
                end++;
            }
        check_group(jobs + start, end - start);
        start = end;
    }
}

void agg_verify(bool *ok, const uint8_t digest[32], const mpavs_bn254_g2 *pk, const mpavs_bn254_g1 *sig) {
    job me;
    memset(&me, 0, sizeof me);
    memcpy(me.digest, digest, 32);
    me.pk = *pk;
    me.sig = *sig;
    pthread_mutex_lock(&mu);
    me.next = queue;
    queue = &me;
    queued++;
    pthread_cond_signal(&arrived);
    while (!me.done) {
        if (!busy) {
            busy = true;
            linger();
            /* take up to MAX_BATCH jobs; the rest stay queued for the next leader */
            job *take = queue, *cut = queue;
            for (size_t i = 1; cut && i < MAX_BATCH; i++) cut = cut->next;
            queue = cut ? cut->next : NULL;
            if (cut) cut->next = NULL;
            for (job *j = take; j; j = j->next) queued--;
            pthread_mutex_unlock(&mu);
            run_batch(take);
            pthread_mutex_lock(&mu);
            for (job *j = take; j;) {
                job *nx = j->next;
                j->done = true;
                j = nx;
            }
            busy = false;
            pthread_cond_broadcast(&cv);
        } else {
            pthread_cond_wait(&cv, &mu);
        }
    }
    pthread_mutex_unlock(&mu);
    *ok = me.ok;
}

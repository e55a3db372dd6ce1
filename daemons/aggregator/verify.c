/*
 * daemons/aggregator/verify.c — the verifier stage (verify.h).
 *
 * One mutex guards the FIFO queue and the counters. Work goes in rounds: a round starts when no
 * batch is being checked; its one gatherer waits on gather_cv until no admission is on its way
 * (pending == 0; after a round of several jobs, also none entered or queued for quiet_us: the
 * admissions woken by the last commit come back after the server's parse), target_batch jobs are
 * queued or the window since the round began passed,
 * then takes its share — all of it, or 1/(idle+1) of a batch of at least split_min when other
 * workers are idle, who take the rest at once. Jobs that arrive while a batch is checked wait for
 * the next round, so concurrent admissions merge into few large batches instead of many small
 * ones. The two pairings of a batch cost as much as ~60
 * multi-scalar terms, so waiting for the signatures on their way (JSON and PoE checks take
 * ~60 us) makes the batch as large as the load allows; splitting it keeps both cores busy when
 * every admission waits for the stage.
 *
 * A checked batch goes to the committer thread, and the worker gathers the next one at once: the
 * committer hands everything checked since its last commit to the commit callback (one
 * transaction, one fsync, for one or more batches) and then wakes each job's waiter. So a worker
 * never waits on the disk, and a slow fsync makes the next commit larger instead of queuing
 * commits.
 *
 * The CPU gate (agg_verifier_cpu_acquire): the HTTP server runs ~128 threads and the scheduler is
 * fair per thread, so a worker checking a batch while a hundred admissions recover their PoE
 * signatures gets a few percent of its core, the admissions waiting for that batch pile up and
 * the cores idle once the PoE work runs out. Admissions take a slot for the recovery; the slots
 * are the workers' count less the workers checking, so a checking worker competes with at most
 * one core's worth of admissions.
 */
#define _GNU_SOURCE /* pthread_setname_np */
#include "aggregator/verify.h"

#include "mpavs/bls.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS 8

struct agg_verifier {
    agg_verifier_options o;
    pthread_mutex_t mu;
    pthread_cond_t gather_cv; /* the gathering worker: a job queued, an admission left (CLOCK_MONOTONIC) */
    pthread_cond_t work_cv;   /* idle workers: work to take */
    agg_vjob *head, *tail;
    agg_vjob *chead, *ctail; /* checked, waiting for the committer */
    pthread_cond_t commit_cv;
    pthread_t committer;
    bool committer_started, committer_stop;
    size_t queued, pending, idle;
    /* the CPU gate: its own lock, taken only by admissions that must wait and by whoever frees a
     * slot while one waits; the counters are atomics (seq_cst: a freer that sees no waiter freed
     * the slot before the waiter's re-check) */
    pthread_mutex_t gate_mu;
    pthread_cond_t gate_cv;
    size_t cpu_busy, gate_waiting, checking; /* admissions holding / waiting for a slot; workers checking */
    bool gate_stop;
    uint64_t last_activity_ns; /* the latest job queued or admission entered */
    size_t last_round;         /* jobs the last round's gatherer took */
    size_t verifying;               /* workers checking a batch: a new round starts when none is */
    size_t split_rest, split_share; /* jobs of the round's batch left to helpers, and each one's share */
    bool gathering, stop;
    uint64_t batches, sigs, commits, commit_ns;
    pthread_t threads[MAX_WORKERS];
    size_t nthreads;
};

static uint64_t mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec ts_of(uint64_t ns) {
    struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
    return ts;
}

/* Verify jobs[0..n) that share one digest. */
static void check_group(agg_vjob **jobs, size_t n) {
    if (n == 1) {
        bool ok = false;
        jobs[0]->ok = mpavs_bls_verify(&ok, &jobs[0]->pk, jobs[0]->digest, &jobs[0]->sig) == MPAVS_BLS_OK && ok;
        return;
    }
    mpavs_bn254_g2 *pks = malloc(n * sizeof *pks);
    mpavs_bn254_g1 *sigs = malloc(n * sizeof *sigs);
    size_t *bad = malloc(n * sizeof *bad);
    bool ok = false, decided = false;
    if (pks && sigs && bad) {
        for (size_t i = 0; i < n; i++) {
            pks[i] = jobs[i]->pk;
            sigs[i] = jobs[i]->sig;
        }
        if (mpavs_bls_batch_verify_same_msg(&ok, jobs[0]->digest, pks, sigs, n) == MPAVS_BLS_OK && ok) {
            for (size_t i = 0; i < n; i++) jobs[i]->ok = true;
            decided = true;
        } else {
            size_t nbad = 0;
            if (mpavs_bls_batch_find_invalid(bad, &nbad, jobs[0]->digest, NULL, pks, sigs, n) == MPAVS_BLS_OK) {
                for (size_t i = 0; i < n; i++) jobs[i]->ok = true;
                for (size_t i = 0; i < nbad; i++) jobs[bad[i]]->ok = false;
                decided = true;
            }
        }
    }
    for (size_t i = 0; !decided && i < n; i++) { /* out of memory: one by one */
        bool one = false;
        jobs[i]->ok = mpavs_bls_verify(&one, &jobs[i]->pk, jobs[i]->digest, &jobs[i]->sig) == MPAVS_BLS_OK && one;
    }
    free(pks);
    free(sigs);
    free(bad);
}

/* Check jobs[0..n) grouped by digest (reorders jobs). Returns the number of batch checks. */
static size_t check_all(agg_vjob **jobs, size_t n) {
    size_t start = 0, groups = 0;
    while (start < n) {
        size_t end = start + 1;
        for (size_t i = start + 1; i < n; i++)
            if (!memcmp(jobs[i]->digest, jobs[start]->digest, 32)) {
                agg_vjob *t = jobs[end];
                jobs[end] = jobs[i];
                jobs[i] = t;
                end++;
            }
        check_group(jobs + start, end - start);
        groups++;
        start = end;
    }
    return groups;
}

/* Move n jobs from the queue's head into jobs (mu held). */
static void pop(agg_verifier *v, agg_vjob **jobs, size_t n) {
    for (size_t i = 0; i < n; i++) {
        jobs[i] = v->head;
        v->head = v->head->next;
    }
    if (!v->head) v->tail = NULL;
    v->queued -= n;
}

/* The gatherer takes the round's batch (mu held): all of it, or its share of a batch of at least
 * split_min when workers are idle (they take the rest: split_rest). Returns its count. */
static size_t take_round(agg_verifier *v, agg_vjob **jobs) {
    size_t n = v->queued < v->o.max_batch ? v->queued : v->o.max_batch;
    size_t mine = n;
    if (n >= v->o.split_min && v->idle && !v->pending) { /* nothing else to run meanwhile: use every core */
        mine = (n + v->idle) / (v->idle + 1);
        v->split_rest = n - mine;
        v->split_share = mine;
    }
    pop(v, jobs, mine);
    return mine;
}

static void *worker(void *arg) {
    agg_verifier *v = arg;
    pthread_setname_np(pthread_self(), "agg-verify"); /* as top -H and perf show it */
    agg_vjob **jobs = malloc(v->o.max_batch * sizeof *jobs);
    pthread_mutex_lock(&v->mu);
    for (;;) {
        size_t n = 0;
        if (jobs && v->split_rest && v->head) { /* help with the round's batch */
            n = v->split_rest < v->split_share ? v->split_rest : v->split_share;
            if (n > v->queued) n = v->queued;
            pop(v, jobs, n);
            v->split_rest -= n;
            if (v->split_rest && v->head) pthread_cond_signal(&v->work_cv);
        } else if (jobs && v->head && !v->gathering && !v->verifying) { /* a new round */
            v->gathering = true;
            uint64_t deadline = mono_ns() + (uint64_t)v->o.window_us * 1000u;
            for (;;) {
                uint64_t now = mono_ns(), until = deadline;
                if (v->stop || v->queued >= v->o.target_batch || now >= deadline) break;
                if (!v->pending) { /* none on its way: after a round of several, wait for a quiet gap (admissions
                                    * between two requests: the server's parse comes before agg_verifier_enter) */
                    if (v->last_round < 2) break;
                    uint64_t quiet = v->last_activity_ns + (uint64_t)v->o.quiet_us * 1000u;
                    if (now >= quiet) break;
                    if (quiet < until) until = quiet;
                }
                struct timespec ts = ts_of(until);
                pthread_cond_timedwait(&v->gather_cv, &v->mu, &ts);
            }
            n = take_round(v, jobs);
            v->last_round = n;
            v->gathering = false;
            if (v->split_rest) pthread_cond_broadcast(&v->work_cv);
        } else {
            if (v->stop && (!v->head || !jobs) && !v->verifying) break;
            v->idle++;
            pthread_cond_wait(&v->work_cv, &v->mu);
            v->idle--;
            continue;
        }
        v->verifying++;
        __atomic_add_fetch(&v->checking, 1, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&v->mu);
        size_t groups = check_all(jobs, n);
        pthread_mutex_lock(&v->mu);
        v->verifying--;
        __atomic_sub_fetch(&v->checking, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&v->gate_waiting, __ATOMIC_SEQ_CST)) { /* its core is free for an admission */
            pthread_mutex_lock(&v->gate_mu);
            pthread_cond_signal(&v->gate_cv);
            pthread_mutex_unlock(&v->gate_mu);
        }
        v->batches += groups;
        v->sigs += n;
        for (size_t i = 0; i < n; i++) { /* to the committer, in the batch's order */
            jobs[i]->next = NULL;
            if (v->ctail) v->ctail->next = jobs[i];
            else v->chead = jobs[i];
            v->ctail = jobs[i];
        }
        pthread_cond_signal(&v->commit_cv);
        if (!v->verifying) pthread_cond_broadcast(&v->work_cv); /* the next round may start (or stop) */
    }
    pthread_mutex_unlock(&v->mu);
    free(jobs);
    return NULL;
}

/* Commit everything checked (one callback per round), then wake each waiter. */
static void *committer(void *arg) {
    agg_verifier *v = arg;
    pthread_setname_np(pthread_self(), "agg-commit");
    size_t cap = 0;
    agg_vjob **jobs = NULL;
    pthread_mutex_lock(&v->mu);
    for (;;) {
        if (!v->chead) {
            if (v->committer_stop) break;
            pthread_cond_wait(&v->commit_cv, &v->mu);
            continue;
        }
        agg_vjob *list = v->chead;
        v->chead = v->ctail = NULL;
        size_t n = 0;
        for (agg_vjob *j = list; j; j = j->next) n++;
        if (n > cap) {
            agg_vjob **nj = realloc(jobs, n * sizeof *nj);
            if (nj) {
                jobs = nj;
                cap = n;
            }
        }
        pthread_mutex_unlock(&v->mu);
        uint64_t t0 = mono_ns();
        if (n <= cap) {
            size_t k = 0;
            for (agg_vjob *j = list; j; j = j->next) jobs[k++] = j;
            if (v->o.commit) v->o.commit(v->o.user, jobs, n);
        } else { /* out of memory: one job per callback */
            for (agg_vjob *j = list; j; j = j->next)
                if (v->o.commit) v->o.commit(v->o.user, &j, 1);
        }
        uint64_t took = mono_ns() - t0;
        for (agg_vjob *j = list; j;) { /* the waiter (or done) may free j */
            agg_vjob *nx = j->next;
            if (j->done) j->done(j);
            else sem_post(&j->sem);
            j = nx;
        }
        pthread_mutex_lock(&v->mu);
        v->commits++;
        v->commit_ns += took;
    }
    pthread_mutex_unlock(&v->mu);
    free(jobs);
    return NULL;
}

agg_verifier *agg_verifier_create(const agg_verifier_options *o) {
    agg_verifier *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->o = *o;
    if (!v->o.workers) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        v->o.workers = n < 1 ? 1 : (size_t)n;
    }
    if (v->o.workers > MAX_WORKERS) v->o.workers = MAX_WORKERS;
    if (!v->o.window_us) v->o.window_us = 20000;
    if (!v->o.max_batch) v->o.max_batch = 1024;
    if (!v->o.target_batch) v->o.target_batch = 256;
    if (v->o.target_batch > v->o.max_batch) v->o.target_batch = v->o.max_batch;
    if (!v->o.split_min) v->o.split_min = 64;
    if (!v->o.quiet_us) v->o.quiet_us = 100;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->gather_cv, &ca);
    pthread_cond_init(&v->work_cv, NULL);
    pthread_cond_init(&v->commit_cv, NULL);
    pthread_cond_init(&v->gate_cv, NULL);
    pthread_mutex_init(&v->gate_mu, NULL);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&v->committer, NULL, committer, v) != 0) {
        agg_verifier_destroy(v);
        return NULL;
    }
    v->committer_started = true;
    for (size_t i = 0; i < v->o.workers; i++) {
        if (pthread_create(&v->threads[i], NULL, worker, v) != 0) break;
        v->nthreads++;
    }
    if (!v->nthreads) {
        agg_verifier_destroy(v);
        return NULL;
    }
    return v;
}

void agg_verifier_destroy(agg_verifier *v) {
    if (!v) return;
    pthread_mutex_lock(&v->mu);
    v->stop = true;
    pthread_cond_broadcast(&v->work_cv);
    pthread_cond_broadcast(&v->gather_cv);
    pthread_mutex_unlock(&v->mu);
    pthread_mutex_lock(&v->gate_mu);
    __atomic_store_n(&v->gate_stop, true, __ATOMIC_SEQ_CST);
    pthread_cond_broadcast(&v->gate_cv);
    pthread_mutex_unlock(&v->gate_mu);
    for (size_t i = 0; i < v->nthreads; i++) pthread_join(v->threads[i], NULL);
    pthread_mutex_lock(&v->mu);
    v->committer_stop = true; /* after the workers: everything they checked is committed */
    pthread_cond_signal(&v->commit_cv);
    pthread_mutex_unlock(&v->mu);
    if (v->committer_started) pthread_join(v->committer, NULL);
    pthread_cond_destroy(&v->commit_cv);
    pthread_mutex_destroy(&v->mu);
    pthread_cond_destroy(&v->gather_cv);
    pthread_cond_destroy(&v->work_cv);
    pthread_cond_destroy(&v->gate_cv);
    pthread_mutex_destroy(&v->gate_mu);
    free(v);
}

void agg_verifier_enter(agg_verifier *v) {
    uint64_t now = mono_ns();
    pthread_mutex_lock(&v->mu);
    v->pending++;
    v->last_activity_ns = now;
    pthread_mutex_unlock(&v->mu);
}

/* One admission on its way fewer (mu held). */
static void arrived(agg_verifier *v) {
    if (v->pending) v->pending--;
    if (v->gathering) {
        if (!v->pending || v->queued >= v->o.target_batch) pthread_cond_signal(&v->gather_cv);
    } else if (v->head && !v->verifying) {
        pthread_cond_signal(&v->work_cv);
    }
}

void agg_verifier_leave(agg_verifier *v) {
    pthread_mutex_lock(&v->mu);
    arrived(v);
    pthread_mutex_unlock(&v->mu);
}

/* Take a CPU slot if one is free: the slots are the workers' cores less those checking a batch
 * (with every core checking, admissions wait for the batch); one admission always may while no
 * worker checks. Lock-free. */
static bool take_slot(agg_verifier *v) {
    size_t cores = v->o.workers;
    for (;;) {
        size_t busy = __atomic_load_n(&v->cpu_busy, __ATOMIC_SEQ_CST);
        size_t checking = __atomic_load_n(&v->checking, __ATOMIC_SEQ_CST);
        bool free_slot = busy + checking < cores || (!busy && !checking) ||
                         __atomic_load_n(&v->gate_stop, __ATOMIC_SEQ_CST);
        if (!free_slot) return false;
        if (__atomic_compare_exchange_n(&v->cpu_busy, &busy, busy + 1, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return true;
    }
}

void agg_verifier_cpu_acquire(agg_verifier *v) {
    if (take_slot(v)) return;
    pthread_mutex_lock(&v->gate_mu);
    __atomic_add_fetch(&v->gate_waiting, 1, __ATOMIC_SEQ_CST);
    while (!take_slot(v)) pthread_cond_wait(&v->gate_cv, &v->gate_mu);
    __atomic_sub_fetch(&v->gate_waiting, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&v->gate_mu);
}

void agg_verifier_cpu_release(agg_verifier *v) {
    __atomic_sub_fetch(&v->cpu_busy, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&v->gate_waiting, __ATOMIC_SEQ_CST)) {
        pthread_mutex_lock(&v->gate_mu);
        pthread_cond_signal(&v->gate_cv);
        pthread_mutex_unlock(&v->gate_mu);
    }
}

/* Put job at the queue's tail and count its admission as arrived. */
static void enqueue(agg_verifier *v, agg_vjob *job) {
    job->ok = false;
    job->next = NULL;
    pthread_mutex_lock(&v->mu);
    if (v->tail) v->tail->next = job;
    else v->head = job;
    v->last_activity_ns = mono_ns();
    v->tail = job;
    v->queued++;
    arrived(v);
    pthread_mutex_unlock(&v->mu);
}

void agg_verifier_run(agg_verifier *v, agg_vjob *job) {
    job->done = NULL;
    (void)sem_init(&job->sem, 0, 0); /* fails only for a value above SEM_VALUE_MAX */
    enqueue(v, job);
    while (sem_wait(&job->sem) != 0) {
    } /* EINTR: wait again */
    sem_destroy(&job->sem);
}

void agg_verifier_submit(agg_verifier *v, agg_vjob *job) { enqueue(v, job); }

void agg_verifier_stats(agg_verifier *v, uint64_t *batches, uint64_t *sigs) {
    pthread_mutex_lock(&v->mu);
    *batches = v->batches;
    *sigs = v->sigs;
    pthread_mutex_unlock(&v->mu);
}

void agg_verifier_commit_stats(agg_verifier *v, uint64_t *commits, uint64_t *commit_ns) {
    pthread_mutex_lock(&v->mu);
    *commits = v->commits;
    *commit_ns = v->commit_ns;
    pthread_mutex_unlock(&v->mu);
}

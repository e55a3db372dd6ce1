/*
 * daemons/aggregator/verify.h — the verifier stage: batched BLS verification on its own threads.
 *
 * Admissions hand a job (digest, key, signature) to the stage and wait for its verdict. A worker
 * gathers the queued jobs for a short window (until every admission in progress has queued its
 * job and, after a round of several, none came for quiet_us; the window passed; or target_batch jobs
 * are queued), checks them per
 * digest with one same-message batch (2 pairings for the whole group; bisection finds bad ones)
 * and passes the batch to the stage's committer thread, which hands everything checked since its
 * last commit to the commit callback (the aggregator persists every valid row in one transaction,
 * one fsync, and counts them) while the workers check the next batches. A batch of at least split_min jobs is
 * shared with the idle workers, so a large batch runs on every core. Each waiter is woken alone,
 * for its own result (a semaphore per job, posted outside the stage's lock). The CPU-bound part of
 * an admission runs under the stage's CPU gate (agg_verifier_cpu_acquire), which gives the
 * workers' batches priority over new admissions on the cores.
 *
 * The stage owns its threads and state (no process globals): create it, use it from any number
 * of threads, destroy it after the last admission returned.
 */
#ifndef MPAVS_AGG_VERIFY_H
#define MPAVS_AGG_VERIFY_H

#include "mpavs/bn254.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct agg_verifier agg_verifier;

/** One signature to check. The caller fills the inputs; the stage fills ok and calls commit. */
typedef struct agg_vjob {
    uint8_t digest[32];
    mpavs_bn254_g2 pk;
    mpavs_bn254_g1 sig;
    void *user;      /* the caller's (for the commit callback) */
    /* agg_verifier_submit: called on the committer thread once the job is committed (after the
       commit callback); the job is the callee's from then on (it may free it) */
    void (*done)(struct agg_vjob *job);
    bool ok;         /* out: the BLS verdict */
    /* private to the stage */
    sem_t sem; /* posted once, when the job is committed: its waiter is woken alone, without the stage's lock */
    struct agg_vjob *next;
} agg_vjob;

/**
 * Called on the committer thread with the jobs of one or more checked batches, in the order they
 * were checked (jobs[i]->ok set), before any of their waiters is woken. n ≥ 1. Must not call back
 * into the stage.
 */
typedef void (*agg_verifier_commit)(void *user, agg_vjob **jobs, size_t n);

typedef struct {
    size_t workers;       /* worker threads; 0: the online CPUs (1..8) */
    unsigned window_us;   /* longest gather of a round; 0: 20000 */
    unsigned quiet_us;    /* with no admission on its way, after a round of several jobs, gather until none
                             came for this long; 0: 100 */
    size_t max_batch;     /* the most jobs one round takes; 0: 1024 */
    size_t target_batch;  /* a round stops gathering once this many jobs are queued; 0: 256 (at most max_batch) */
    size_t split_min;     /* a batch of at least this many jobs is shared with idle workers; 0: 64 */
    agg_verifier_commit commit; /* may be NULL */
    void *user;           /* passed to commit */
} agg_verifier_options;

/** Start a stage. Returns NULL when threads or memory are unavailable. */
agg_verifier *agg_verifier_create(const agg_verifier_options *o);
/** Stop the workers (queued jobs are finished first) and free the stage (NULL is a no-op). */
void agg_verifier_destroy(agg_verifier *v);

/**
 * An admission starts (enter) or ends without a job (leave): lets a gathering worker wait for
 * the jobs on their way instead of the whole window. agg_verifier_run counts as a leave.
 */
void agg_verifier_enter(agg_verifier *v);
void agg_verifier_leave(agg_verifier *v);

/**
 * The CPU gate: an admission holds a slot while it does its CPU-bound checks (the PoE recovery).
 * There are as many slots as workers, less the workers checking a batch, so the stage's batches
 * get the cores first and at most one core's worth of admissions competes with each of them:
 * with hundreds of HTTP threads, a worker would otherwise get a small share of its core (the
 * scheduler is fair per thread) and the admissions waiting for its batch would idle the cores.
 * acquire blocks until a slot is free (at least one admission proceeds while no worker checks;
 * never blocks after destroy began); every acquire is paired with one release.
 */
void agg_verifier_cpu_acquire(agg_verifier *v);
void agg_verifier_cpu_release(agg_verifier *v);

/**
 * Queue job (inputs filled; the stage initializes the rest) and wait until it is checked and
 * committed. On return job->ok holds the verdict; the job may be reused or freed.
 */
void agg_verifier_run(agg_verifier *v, agg_vjob *job);

/**
 * Queue job (inputs and done filled) without waiting: job->done(job) is called on the committer
 * thread once it is checked and committed (job->ok holds the verdict). Counts as a leave, as
 * agg_verifier_run does. The job must stay valid until done is called.
 */
void agg_verifier_submit(agg_verifier *v, agg_vjob *job);

/** Counters since creation. Out: *batches (BLS batch checks, one per digest group), *sigs. */
void agg_verifier_stats(agg_verifier *v, uint64_t *batches, uint64_t *sigs);
/** Commit rounds since creation. Out: *commits (callbacks), *commit_ns (their total wall time). */
void agg_verifier_commit_stats(agg_verifier *v, uint64_t *commits, uint64_t *commit_ns);

#endif

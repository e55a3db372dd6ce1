/*
 * daemons/common/runtime.h — the one runtime of the three daemons: a stop token, threads joined
 * with a deadline, monotonic waits.
 *
 * Stop token. One per process (main() owns it). drt_stop_request() sets an atomic flag and
 * makes an eventfd readable; it is async-signal-safe, so the signal handlers (signals.h) call
 * it and do nothing else. Threads read the flag with drt_stopped() (an atomic load), sleep with
 * drt_stop_sleep() (poll(2) on the eventfd: a stop wakes every sleeper at once), or put
 * drt_stop_fd() into their own poll set. There is no other stop flag in the daemons.
 *
 * Threads. drt_spawn() starts a thread of a group and counts it; drt_join() waits until every
 * thread of the group returned or a deadline passed (CLOCK_MONOTONIC), joins the ones that
 * returned and says how many are still running (blocked in a chain RPC, say): the caller then
 * wipes its secrets and _exit()s rather than wait.
 *
 * Monotonic waits. Condition variables that wait with a deadline are created with
 * drt_cond_init() (pthread_condattr_setclock(CLOCK_MONOTONIC)) and wait with
 * drt_cond_wait_ms(); deadlines come from drt_deadline(): a change of the wall clock (NTP,
 * an operator's date) never shortens or stretches a wait. CLOCK_REALTIME is only for
 * timestamps (logs, block times).
 */
#ifndef MPAVS_DAEMON_RUNTIME_H
#define MPAVS_DAEMON_RUNTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---------------- stop token ---------------- */

typedef struct {
    int stopped; /* read and written with __atomic builtins only */
    int fd; /* eventfd, readable once stopped (-1 before drt_stop_init) */
} drt_stop;

/** Initialise an unset token. Returns false (errno set) when no eventfd can be made. */
bool drt_stop_init(drt_stop *s);
/** Close the token's eventfd (no thread may use it any more). */
void drt_stop_destroy(drt_stop *s);
/** Set the token and wake every drt_stop_sleep. Idempotent; thread- and async-signal-safe. */
void drt_stop_request(drt_stop *s);
/** True once the token is set (atomic load; s may be NULL: false). */
bool drt_stopped(const drt_stop *s);
/**
 * The token's flag for APIs that take a cancel flag (mpavs_sender_options.cancel), which must
 * read it with an atomic load.
 */
const volatile int *drt_stop_flag(const drt_stop *s);
/** A descriptor that polls readable (POLLIN) once the token is set. */
int drt_stop_fd(const drt_stop *s);
/** Sleep up to ms milliseconds (monotonic), returning early when the token is set (s NULL: just sleep). Returns drt_stopped(s). */
bool drt_stop_sleep(const drt_stop *s, long ms);

/* ---------------- threads ---------------- */

#define DRT_MAX_THREADS 64

typedef struct drt_thread drt_thread;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a thread returned (monotonic) */
    size_t n, running;
    struct drt_thread {
        pthread_t tid;
        void *(*fn)(void *);
        void *arg;
        const char *name;
        bool done, joined;
        void *group;
    } t[DRT_MAX_THREADS];
} drt_threads;

/** Initialise an empty thread group. */
void drt_threads_init(drt_threads *g);
/** Start fn(arg) as a thread of g named name (a static string, for logs). Returns false when it could not. */
bool drt_spawn(drt_threads *g, const char *name, void *(*fn)(void *), void *arg);
/**
 * Wait up to timeout_ms for every thread of g to return and join those that did. Returns how
 * many are still running (0: all joined, g may be destroyed); their names are logged.
 */
size_t drt_join(drt_threads *g, long timeout_ms);
/** Release g (only after drt_join returned 0). */
void drt_threads_destroy(drt_threads *g);

/* ---------------- monotonic time and waits ---------------- */

/** Milliseconds of CLOCK_MONOTONIC. */
uint64_t drt_now_ms(void);
/** Out: *ts = now (CLOCK_MONOTONIC) + ms, the deadline form drt_cond_wait_until takes. */
void drt_deadline(struct timespec *ts, long ms);
/** True when the monotonic deadline ts has passed. */
bool drt_deadline_passed(const struct timespec *ts);
/** Initialise cv to wait on CLOCK_MONOTONIC. Returns pthread_cond_init's result. */
int drt_cond_init(pthread_cond_t *cv);
/** Wait on cv (mu held) until signalled or the monotonic deadline. Returns 0 or ETIMEDOUT. */
int drt_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, const struct timespec *deadline);
/** As drt_cond_wait_until with a deadline ms from now. */
int drt_cond_wait_ms(pthread_cond_t *cv, pthread_mutex_t *mu, long ms);

#endif

/* daemons/common/runtime.c — see runtime.h. */
#include "common/runtime.h"

#include "common/log.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* ---------------- stop token ---------------- */

bool drt_stop_init(drt_stop *s) {
    __atomic_store_n(&s->stopped, 0, __ATOMIC_RELEASE);
    s->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return s->fd >= 0;
}

void drt_stop_destroy(drt_stop *s) {
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
}

void drt_stop_request(drt_stop *s) {
    /* only async-signal-safe operations: a lock-free atomic store and write(2) */
    if (__atomic_exchange_n(&s->stopped, 1, __ATOMIC_ACQ_REL)) return;
    uint64_t one = 1;
    ssize_t r = write(s->fd, &one, sizeof one); /* never read: the fd stays readable */
    (void)r;
}

bool drt_stopped(const drt_stop *s) {
    return s && __atomic_load_n(&s->stopped, __ATOMIC_ACQUIRE) != 0;
}

const volatile int *drt_stop_flag(const drt_stop *s) { return &s->stopped; }

int drt_stop_fd(const drt_stop *s) { return s->fd; }

bool drt_stop_sleep(const drt_stop *s, long ms) {
    uint64_t end = drt_now_ms() + (uint64_t)(ms > 0 ? ms : 0);
    while (!drt_stopped(s)) {
        uint64_t now = drt_now_ms();
        if (now >= end) break;
        uint64_t left = end - now;
        struct pollfd p = {.fd = s ? s->fd : -1, .events = POLLIN}; /* fd -1: a plain sleep */
        int r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r < 0 && errno != EINTR) break;
    }
    return drt_stopped(s);
}

/* ---------------- monotonic time and waits ---------------- */

uint64_t drt_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void drt_deadline(struct timespec *ts, long ms) {
    clock_gettime(CLOCK_MONOTONIC, ts);
    if (ms < 0) ms = 0;
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

bool drt_deadline_passed(const struct timespec *ts) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > ts->tv_sec || (now.tv_sec == ts->tv_sec && now.tv_nsec >= ts->tv_nsec);
}

int drt_cond_init(pthread_cond_t *cond) {
    pthread_condattr_t a;
    int r = pthread_condattr_init(&a);
    if (r) return r;
    r = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    if (!r) r = pthread_cond_init(cond, &a);
    pthread_condattr_destroy(&a);
    return r;
}

int drt_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *lock, const struct timespec *deadline) {
    int r = pthread_cond_timedwait(cond, lock, deadline);
    return r == ETIMEDOUT ? ETIMEDOUT : 0;
}

int drt_cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *lock, long ms) {
    struct timespec d;
    drt_deadline(&d, ms);
    return drt_cond_wait_until(cond, lock, &d);
}

/* ---------------- threads ---------------- */

void drt_threads_init(drt_threads *g) {
    memset(g, 0, sizeof *g);
    pthread_mutex_init(&g->mu, NULL);
    drt_cond_init(&g->cv);
}

static void *thread_main(void *p) {
    struct drt_thread *t = p;
    drt_threads *g = t->group;
    t->fn(t->arg);
    pthread_mutex_lock(&g->mu);
    t->done = true;
    g->running--;
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

bool drt_spawn(drt_threads *g, const char *name, void *(*fn)(void *), void *arg) {
    pthread_mutex_lock(&g->mu);
    if (g->n == DRT_MAX_THREADS) {
        pthread_mutex_unlock(&g->mu);
        dlog(DLOG_ERROR, "thread_failed", "thread=%s error=\"more than %d threads\"", name, DRT_MAX_THREADS);
        return false;
    }
    struct drt_thread *t = &g->t[g->n];
    *t = (struct drt_thread){.fn = fn, .arg = arg, .name = name, .group = g};
    int r = pthread_create(&t->tid, NULL, thread_main, t);
    if (r == 0) {
        g->n++;
        g->running++;
    }
    pthread_mutex_unlock(&g->mu);
    if (r) dlog(DLOG_ERROR, "thread_failed", "thread=%s error=%s", name, DLOG_Q(strerror(r)));
    return r == 0;
}

size_t drt_join(drt_threads *g, long timeout_ms) {
    struct timespec end;
    drt_deadline(&end, timeout_ms);
    pthread_mutex_lock(&g->mu);
    while (g->running > 0 && drt_cond_wait_until(&g->cv, &g->mu, &end) == 0) {
    }
    size_t left = g->running;
    for (size_t i = 0; i < g->n; i++) {
        struct drt_thread *t = &g->t[i];
        if (t->joined) continue;
        if (t->done) {
            pthread_join(t->tid, NULL);
            t->joined = true;
        } else {
            dlog(DLOG_WARN, "thread_still_running", "thread=%s waited_ms=%ld", t->name, timeout_ms);
        }
    }
    pthread_mutex_unlock(&g->mu);
    return left;
}

void drt_threads_destroy(drt_threads *g) {
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

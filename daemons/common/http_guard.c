/* daemons/common/http_guard.c — see http_guard.h. */
#include "http_guard.h"

#include "runtime.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef struct rec {
    struct rec *prev, *next;
    int fd;
    int phase;
    uint64_t since_ms;
} rec;

struct dguard {
    pthread_mutex_t mu; /* the connection list */
    rec *head;
    pthread_mutex_t wmu; /* the wake flag; held only around the wait */
    pthread_cond_t wcv;
    bool wake, stop;
    pthread_t thr;
    uint64_t header_ms, body_ms;
    unsigned tick_ms;
    void (*tick)(void *);
    void *tick_user;
    uint64_t reaped;
};

uint64_t dguard_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void reap(dguard *g) {
    uint64_t now = dguard_now_ms();
    pthread_mutex_lock(&g->mu);
    for (rec *r = g->head; r; r = r->next) {
        uint64_t lim = r->phase == DGUARD_HEADERS ? g->header_ms : r->phase == DGUARD_BODY ? g->body_ms : 0;
        if (lim && r->fd >= 0 && now - r->since_ms > lim) {
            shutdown(r->fd, SHUT_RDWR); /* libmicrohttpd sees the end and closes it (CLOSED takes g->mu) */
            r->fd = -1;
            __atomic_add_fetch(&g->reaped, 1, __ATOMIC_RELAXED);
        }
    }
    pthread_mutex_unlock(&g->mu);
}

static void *run(void *arg) {
    dguard *g = arg;
    for (;;) {
        pthread_mutex_lock(&g->wmu);
        if (!g->wake && !g->stop) drt_cond_wait_ms(&g->wcv, &g->wmu, (long)g->tick_ms);
        bool stop = g->stop;
        g->wake = false;
        pthread_mutex_unlock(&g->wmu);
        if (g->tick) g->tick(g->tick_user);
        if (stop) break;
        reap(g);
    }
    return NULL;
}

dguard *dguard_create(unsigned header_s, unsigned body_s, void (*tick)(void *user), void *tick_user,
                      unsigned tick_ms) {
    dguard *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    pthread_mutex_init(&g->mu, NULL);
    pthread_mutex_init(&g->wmu, NULL);
    drt_cond_init(&g->wcv);
    g->header_ms = (uint64_t)(header_s ? header_s : 10) * 1000u;
    g->body_ms = (uint64_t)(body_s ? body_s : 30) * 1000u;
    g->tick_ms = tick_ms ? tick_ms : 250;
    g->tick = tick;
    g->tick_user = tick_user;
    if (pthread_create(&g->thr, NULL, run, g) != 0) {
        pthread_cond_destroy(&g->wcv);
        pthread_mutex_destroy(&g->wmu);
        pthread_mutex_destroy(&g->mu);
        free(g);
        return NULL;
    }
    return g;
}

void dguard_destroy(dguard *g) {
    if (!g) return;
    pthread_mutex_lock(&g->wmu);
    g->stop = true;
    pthread_cond_signal(&g->wcv);
    pthread_mutex_unlock(&g->wmu);
    pthread_join(g->thr, NULL);
    for (rec *r = g->head, *n; r; r = n) {
        n = r->next;
        free(r);
    }
    pthread_cond_destroy(&g->wcv);
    pthread_mutex_destroy(&g->wmu);
    pthread_mutex_destroy(&g->mu);
    free(g);
}

void dguard_notify(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code) {
    dguard *g = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        rec *r = calloc(1, sizeof *r);
        if (!r) return;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        r->fd = ci ? ci->connect_fd : -1;
        r->phase = DGUARD_HEADERS;
        r->since_ms = dguard_now_ms();
        pthread_mutex_lock(&g->mu);
        r->next = g->head;
        if (g->head) g->head->prev = r;
        g->head = r;
        pthread_mutex_unlock(&g->mu);
        *socket_context = r;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        rec *r = *socket_context;
        if (!r) return;
        pthread_mutex_lock(&g->mu);
        if (r->prev) r->prev->next = r->next;
        else g->head = r->next;
        if (r->next) r->next->prev = r->prev;
        pthread_mutex_unlock(&g->mu);
        free(r);
        *socket_context = NULL;
    }
}

void dguard_phase(dguard *g, struct MHD_Connection *c, int phase) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    rec *r = ci ? ci->socket_context : NULL;
    if (!r) return;
    pthread_mutex_lock(&g->mu);
    r->phase = phase;
    r->since_ms = dguard_now_ms();
    pthread_mutex_unlock(&g->mu);
}

void dguard_wake(dguard *g) {
    pthread_mutex_lock(&g->wmu);
    g->wake = true;
    pthread_cond_signal(&g->wcv);
    pthread_mutex_unlock(&g->wmu);
}

uint64_t dguard_reaped(const dguard *g) { return __atomic_load_n(&g->reaped, __ATOMIC_RELAXED); }

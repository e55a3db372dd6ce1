/* tests/support/loadgen.c — see loadgen.h. */
#include "loadgen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    int fd;
    bool slow;
    size_t sent;
    uint32_t src; /* source address, host order */
} lconn;

struct loadgen {
    loadgen_options o;
    lconn *c;
    size_t n;
    char *long_req, *slow_req;
    size_t long_len, slow_len;
    pthread_t thr;
    int stop; /* __atomic */
    pthread_mutex_t mu;
    size_t open;
    unsigned long closed;
};

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int dial(const loadgen *g, uint32_t src) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(src);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    struct sockaddr_in d = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g->o.port)};
    d.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&d, sizeof d) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* (Re)open connection c and send what it sends at once. */
static void reopen(loadgen *g, lconn *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = dial(g, c->src);
    c->sent = 0;
    if (c->fd >= 0 && !c->slow) {
        ssize_t w = send(c->fd, g->long_req, g->long_len, MSG_NOSIGNAL);
        c->sent = w > 0 ? (size_t)w : 0;
    }
}

static void *run(void *arg) {
    loadgen *g = arg;
    struct pollfd *p = calloc(g->n, sizeof *p);
    long long next_byte = now_ms() + 1000;
    char buf[4096];
    while (!__atomic_load_n(&g->stop, __ATOMIC_RELAXED)) {
        for (size_t i = 0; i < g->n; i++) p[i] = (struct pollfd){.fd = g->c[i].fd, .events = POLLIN};
        poll(p, g->n, 100);
        unsigned long closed = 0;
        for (size_t i = 0; i < g->n; i++) {
            if (g->c[i].fd < 0) {
                reopen(g, &g->c[i]);
                continue;
            }
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t r = recv(g->c[i].fd, buf, sizeof buf, 0);
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                closed++;
                reopen(g, &g->c[i]);
            }
        }
        bool tick = now_ms() >= next_byte;
        if (tick) next_byte += 1000;
        size_t open = 0;
        for (size_t i = 0; i < g->n; i++) {
            lconn *c = &g->c[i];
            if (c->fd < 0) continue;
            if (tick && c->slow && c->sent < g->slow_len) {
                ssize_t w = send(c->fd, g->slow_req + c->sent, 1, MSG_NOSIGNAL);
                if (w == 1) c->sent++;
            }
            open++;
        }
        pthread_mutex_lock(&g->mu);
        g->open = open;
        g->closed += closed;
        pthread_mutex_unlock(&g->mu);
    }
    free(p);
    return NULL;
}

loadgen *loadgen_start(const loadgen_options *o) {
    loadgen *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->o = *o;
    if (!g->o.per_ip) g->o.per_ip = 50;
    if (!g->o.net) g->o.net = 9;
    g->n = o->longpolls + o->slow;
    g->c = calloc(g->n ? g->n : 1, sizeof *g->c);
    const char *body = o->long_body ? o->long_body : "{}";
    size_t bl = strlen(body);
    g->long_req = malloc(bl + 256);
    g->long_len = (size_t)sprintf(g->long_req,
                                  "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                  "Connection: close\r\nContent-Length: %zu\r\n\r\n%s",
                                  bl, body);
    const char *head = o->slow_head ? o->slow_head : "GET / HTTP/1.1\r\n";
    g->slow_len = strlen(head) + 8000;
    g->slow_req = malloc(g->slow_len + 1);
    size_t k = (size_t)sprintf(g->slow_req, "%sX-Slow: ", head);
    memset(g->slow_req + k, 'a', g->slow_len - k);
    pthread_mutex_init(&g->mu, NULL);
    for (size_t i = 0; i < g->n; i++) {
        lconn *c = &g->c[i];
        c->fd = -1;
        c->slow = i >= o->longpolls;
        size_t ip = i / g->o.per_ip; /* 127.net.(ip/250).(ip%250+1) */
        c->src = (127u << 24) | ((g->o.net & 255u) << 16) | ((uint32_t)(ip / 250) << 8) | (uint32_t)(ip % 250 + 1);
        reopen(g, c);
    }
    g->open = g->n;
    if (pthread_create(&g->thr, NULL, run, g) != 0) {
        g->thr = 0;
        loadgen_stop(g);
        return NULL;
    }
    return g;
}

size_t loadgen_open(loadgen *g) {
    pthread_mutex_lock(&g->mu);
    size_t n = g->open;
    pthread_mutex_unlock(&g->mu);
    return n;
}

unsigned long loadgen_closed(loadgen *g) {
    pthread_mutex_lock(&g->mu);
    unsigned long n = g->closed;
    pthread_mutex_unlock(&g->mu);
    return n;
}

void loadgen_stop(loadgen *g) {
    if (!g) return;
    if (g->thr) {
        __atomic_store_n(&g->stop, 1, __ATOMIC_RELAXED);
        pthread_join(g->thr, NULL);
    }
    for (size_t i = 0; i < g->n; i++)
        if (g->c[i].fd >= 0) close(g->c[i].fd);
    pthread_mutex_destroy(&g->mu);
    free(g->c);
    free(g->long_req);
    free(g->slow_req);
    free(g);
}

static long status_field(pid_t pid, const char *key) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl)) {
            v = strtol(line + kl, NULL, 10);
            break;
        }
    fclose(f);
    return v;
}

long loadgen_rss_kb(pid_t pid) { return status_field(pid, "VmRSS:"); }
long loadgen_threads(pid_t pid) { return status_field(pid, "Threads:"); }

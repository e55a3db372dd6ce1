/* A lying JSON-RPC node for tests (rpcproxy.h). */
#include "rpcproxy.h"

#include "mpavs/rpc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct rpcproxy {
    char upstream[128];
    char url[64];
    rpcproxy_lie_fn lie;
    void *arg;
    int fd;
    int stop; /* __atomic builtins */
    pthread_t th;
};

static void serve(rpcproxy *p, mpavs_rpc *up, int c) {
    char *buf = malloc(1 << 20);
    if (!buf) return;
    size_t got = 0;
    long clen = -1;
    char *body = NULL;
    while (got < (1 << 20) - 1) {
        ssize_t k = read(c, buf + got, (1 << 20) - 1 - got);
        if (k <= 0) break;
        got += (size_t)k;
        buf[got] = 0;
        char *e = strstr(buf, "\r\n\r\n");
        if (e && clen < 0) {
            char *cl = strstr(buf, "Content-Length:");
            if (!cl) cl = strstr(buf, "content-length:");
            clen = cl ? atol(cl + 15) : 0;
            body = e + 4;
        }
        if (body && (long)(got - (size_t)(body - buf)) >= clen) break;
    }
    json_t *req = body ? json_loadb(body, (size_t)clen, 0, NULL) : NULL;
    const char *method = json_string_value(json_object_get(req, "method"));
    char *params = json_dumps(json_object_get(req, "params"), JSON_COMPACT | JSON_ENCODE_ANY);
    char *res = NULL;
    mpavs_error e = {0};
    json_t *reply;
    if (method && mpavs_rpc_call(up, &res, &e, method, params) == MPAVS_RPC_OK) {
        json_t *rj = json_loads(res, JSON_DECODE_ANY, NULL);
        json_t *l = p->lie ? p->lie(p->arg, method, json_object_get(req, "params"), rj) : rj;
        if (l != rj) json_decref(rj);
        reply = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", json_object_get(req, "id"), "result", l);
    } else {
        reply = json_pack("{s:s,s:O,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", json_object_get(req, "id"), "error", "code",
                          (int)e.rpc_code, "message", e.message);
    }
    mpavs_error_clear(&e);
    free(res);
    free(params);
    char *out = json_dumps(reply, JSON_COMPACT);
    char hdr[128];
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                      out ? strlen(out) : 0);
    if (write(c, hdr, (size_t)hl) < 0 || (out && write(c, out, strlen(out)) < 0)) { /* the client went away */ }
    free(out);
    json_decref(reply);
    json_decref(req);
    free(buf);
}

static void *proxy_main(void *arg) {
    rpcproxy *p = arg;
    mpavs_rpc *up = mpavs_rpc_create(p->upstream, NULL);
    while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
        int c = accept(p->fd, NULL, NULL);
        if (c < 0) continue;
        serve(p, up, c);
        close(c);
    }
    mpavs_rpc_destroy(up);
    return NULL;
}

rpcproxy *rpcproxy_start(const char *upstream_url, rpcproxy_lie_fn lie, void *arg) {
    rpcproxy *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    snprintf(p->upstream, sizeof p->upstream, "%s", upstream_url);
    p->lie = lie, p->arg = arg;
    p->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    socklen_t sl = sizeof sa;
    struct timeval tv = {0, 200000};
    if (p->fd < 0 || setsockopt(p->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(p->fd, (struct sockaddr *)&sa, sizeof sa) || listen(p->fd, 16) ||
        getsockname(p->fd, (struct sockaddr *)&sa, &sl) || setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) ||
        pthread_create(&p->th, NULL, proxy_main, p)) {
        if (p->fd >= 0) close(p->fd);
        free(p);
        return NULL;
    }
    snprintf(p->url, sizeof p->url, "http://127.0.0.1:%d", ntohs(sa.sin_port));
    return p;
}

const char *rpcproxy_url(const rpcproxy *p) { return p->url; }

json_t *rpcproxy_flip_digit(const json_t *s, long at) {
    const char *c = json_string_value(s);
    size_t l = c ? strlen(c) : 0;
    if (l <= 4) return NULL;
    size_t i = at < 0 ? l - (size_t)(-at) : (size_t)at;
    if (i >= l) return NULL;
    char *d = strdup(c);
    if (!d) return NULL;
    d[i] = d[i] == '0' ? '1' : '0';
    json_t *o = json_string(d);
    free(d);
    return o;
}

void rpcproxy_stop(rpcproxy *p) {
    if (!p) return;
    __atomic_store_n(&p->stop, 1, __ATOMIC_RELEASE);
    pthread_join(p->th, NULL);
    close(p->fd);
    free(p);
}

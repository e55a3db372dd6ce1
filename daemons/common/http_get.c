/* daemons/common/http_get.c — see http_get.h. */
#include "http_get.h"

#include "http_guard.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dhttp_server {
    struct MHD_Daemon *mhd;
    dguard *guard;
    dhttp_options opt;
    int port;
};

bool dhttp_parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t errcap) {
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    if (!colon) {
        snprintf(err, errcap, "listen address %s: expected host:port", listen ? listen : "(none)");
        return false;
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == 0 || *end || port < 0 || port > 65535) {
        snprintf(err, errcap, "listen address %s: bad port", listen);
        return false;
    }
    sa->sin_port = htons((uint16_t)port);
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) {
        snprintf(err, errcap, "listen address %s: host too long", listen);
        return false;
    }
    memcpy(host, listen, hl);
    host[hl] = 0;
    if (hl == 0 || strcmp(host, "0.0.0.0") == 0) {
        sa->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (strcmp(host, "localhost") == 0) {
        sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    } else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        snprintf(err, errcap, "listen address %s: host must be empty, localhost or an IPv4 address", listen);
        return false;
    }
    return true;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, dhttp_reply *r) {
    size_t len = r->body ? (r->len ? r->len : strlen(r->body)) : 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, r->body ? (void *)r->body : (void *)"", r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
    enum MHD_Result ret = MHD_queue_response(c, r->status ? r->status : 200, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    dhttp_server *s = cls;
    *con_cls = NULL;
    dguard_phase(s->guard, c, DGUARD_HEADERS); /* the next request's headers, if any */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    dhttp_server *s = cls;
    static int first;
    if (*con_cls == NULL) { /* headers only so far */
        *con_cls = &first;
        dguard_phase(s->guard, c, DGUARD_BODY);
        return MHD_YES;
    }
    dhttp_reply r = {.status = 200};
    if (*upload_size) { /* GET with a body, or any upload */
        *upload_size = 0;
        return MHD_NO;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        r.status = 405;
        struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!resp) return MHD_NO;
        MHD_add_response_header(resp, "Allow", "GET, HEAD");
        enum MHD_Result ret = MHD_queue_response(c, 405, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    s->opt.handler(s->opt.user, url, &r);
    return send_reply(c, &r);
}

dhttp_server *dhttp_start(const dhttp_options *opt, char *err, size_t errcap) {
    struct sockaddr_in sa;
    if (!opt->handler) {
        snprintf(err, errcap, "no handler");
        return NULL;
    }
    if (!dhttp_parse_listen(opt->listen, &sa, err, errcap)) return NULL;
    dhttp_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    s->opt = *opt;
    unsigned threads = opt->threads ? opt->threads : 2;
    unsigned maxc = opt->max_conns ? opt->max_conns : 1024;
    unsigned perip = opt->max_conns_per_ip ? opt->max_conns_per_ip : 16;
    if (!(s->guard = dguard_create(opt->header_timeout_s, 10, NULL, NULL, 250))) {
        snprintf(err, errcap, "out of memory");
        free(s);
        return NULL;
    }
    s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                              on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                              MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, maxc,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, perip, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
                              dguard_notify, s->guard, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(err, errcap, "cannot listen on %s (address in use or not available)", opt->listen);
        dguard_destroy(s->guard);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? (int)info->port : (int)ntohs(sa.sin_port);
    return s;
}

int dhttp_port(const dhttp_server *s) { return s->port; }

unsigned long dhttp_reaped(const dhttp_server *s) { return (unsigned long)dguard_reaped(s->guard); }

void dhttp_stop(dhttp_server *s) {
    if (!s) return;
    MHD_stop_daemon(s->mhd);
    dguard_destroy(s->guard);
    free(s);
}

/*
 * daemons/common/http_get.h — a small read-only HTTP server (libmicrohttpd) that routes GET
 * requests by path to one handler: metrics endpoints, the EigenLayer node API.
 *
 * GET and HEAD go to the handler with the path (query string removed); every other method gets
 * 405 with an Allow header; request bodies are refused (413). The handler runs on one of the
 * server's threads and must be thread-safe.
 *
 * Limits (issue #17): at most max_conns connections (default 1024) and max_conns_per_ip from one
 * IPv4 address (default 16); headers complete within header_timeout_s (default 10 s) of the
 * connection's start or its previous request's end, whatever the client's pace (http_guard.h);
 * idle keep-alive connections close after 10 s.
 *
 * Listen addresses are Go-style "host:port": an empty host or 0.0.0.0 means every IPv4
 * interface (":15692"), "localhost" means 127.0.0.1, otherwise an IPv4 literal; port 0 picks a
 * free port (see dhttp_port).
 */
#ifndef MPAVS_DAEMON_HTTP_GET_H
#define MPAVS_DAEMON_HTTP_GET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

/** What the handler answers. body is malloc'd (the server frees it) or NULL for an empty body. */
typedef struct {
    unsigned status;          /* default 200 */
    const char *content_type; /* static string, or NULL */
    char *body;
    size_t len; /* 0: strlen(body) */
} dhttp_reply;

/** A route handler. In: path ("/eigen/node"). Out: *out (pre-set to status 200, no body). */
typedef void (*dhttp_handler)(void *user, const char *path, dhttp_reply *out);

typedef struct {
    const char *listen; /* "host:port" as above */
    unsigned threads;   /* default 2 */
    unsigned max_conns;        /* default 1024 */
    unsigned max_conns_per_ip; /* default 16 */
    unsigned header_timeout_s; /* default 10 */
    dhttp_handler handler;
    void *user;
} dhttp_options;

typedef struct dhttp_server dhttp_server;

/** Parse a listen address. Out: *sa; err (why not). Returns false if unusable. */
bool dhttp_parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t errcap);
/** Start serving. Out: err (why it failed). Returns the server or NULL. */
dhttp_server *dhttp_start(const dhttp_options *opt, char *err, size_t errcap);
/** Connections shut down by the header deadline so far. */
unsigned long dhttp_reaped(const dhttp_server *s);
/** The bound TCP port. */
int dhttp_port(const dhttp_server *s);
/** Stop and free (NULL allowed). */
void dhttp_stop(dhttp_server *s);

#endif

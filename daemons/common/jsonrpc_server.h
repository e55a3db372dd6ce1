/*
 * daemons/common/jsonrpc_server.h — JSON-RPC 2.0 over HTTP (libmicrohttpd), shared by the daemons.
 *
 * HTTP rules (modelled on go-ethereum's rpc server, upstream spec §2.1):
 *   POST with Content-Type application/json, application/json-rpc or application/jsonrequest
 *     (else 415); body larger than max_body → 413 (checked on Content-Length and while reading);
 *   GET → 200 with the text of the optional get handler (e.g. Prometheus metrics), else empty;
 *   OPTIONS → 200; other methods → 405.
 * JSON-RPC rules: invalid JSON → -32700; nesting deeper than max_depth → -32600 (checked on the
 * raw text before parsing); a request that is not an object with "jsonrpc":"2.0" and a string
 * "method" → -32600; params must be an array or object when present (else -32602);
 * batches of 1..max_batch requests (empty or larger → one -32600 error); a notification (no
 * "id") gets no reply; a batch of notifications gets an empty 200 reply.
 * The handler runs on one of the server's threads (threads ≥ 1): it must be thread-safe.
 */
#ifndef MPAVS_DAEMON_JSONRPC_SERVER_H
#define MPAVS_DAEMON_JSONRPC_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define DRPC_PARSE_ERROR -32700
#define DRPC_INVALID_REQUEST -32600
#define DRPC_METHOD_NOT_FOUND -32601
#define DRPC_INVALID_PARAMS -32602
#define DRPC_INTERNAL_ERROR -32603
#define DRPC_SERVER_ERROR -32000

/** An error reply filled in by a handler. */
typedef struct {
    long code;          /* JSON-RPC error code */
    char message[512];  /* human-readable reason */
    json_t *data;       /* optional "data" member (the server takes the reference), or NULL */
} drpc_error;

/** Fill err (printf format). Returns NULL so handlers can `return drpc_fail(...)`. */
json_t *drpc_fail(drpc_error *err, long code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * A method handler. In: method (NUL-terminated), params (array or object; an empty array when
 * absent; borrowed). Returns a new reference to the result (json_null() for null), or NULL
 * with *err filled. An unknown method should return drpc_fail(err, DRPC_METHOD_NOT_FOUND, ...).
 */
typedef json_t *(*drpc_handler)(void *user, const char *method, json_t *params, drpc_error *err);

/** GET handler: returns malloc'd text (the server frees it) and its content type, or NULL for an empty reply. */
typedef char *(*drpc_get_handler)(void *user, const char **content_type);

typedef struct {
    const char *listen;      /* "host:port" (IPv4 literal or "localhost"; port 0 = any free port) */
    size_t max_body;         /* default 4 MiB */
    size_t max_batch;        /* default 8 */
    int max_depth;           /* default 64 */
    unsigned threads;        /* worker threads, default 4 */
    unsigned conn_timeout_s; /* idle connection timeout, default 30 */
    drpc_handler handler;
    drpc_get_handler get_handler; /* may be NULL */
    void *user;
} drpc_options;

typedef struct drpc_server drpc_server;

/**
 * Start serving. Out: errbuf (why it failed). Returns the server, or NULL (bad listen address,
 * port in use, out of memory).
 */
drpc_server *drpc_start(const drpc_options *opt, char *errbuf, size_t errcap);
/** The bound TCP port. */
int drpc_port(const drpc_server *s);
/** Stop (waits for running handlers) and free. NULL allowed. */
void drpc_stop(drpc_server *s);

/**
 * Handle one request body (the JSON part, exposed for fuzzing and tests). Out: *reply
 * (malloc'd JSON text, or NULL when nothing is to be sent). Returns the HTTP status.
 */
int drpc_handle_body(const drpc_options *opt, const char *body, size_t len, char **reply);

/** Maximum nesting depth of JSON text (outside strings). Stops counting past limit+1. */
int drpc_json_depth(const char *s, size_t len, int limit);

#endif

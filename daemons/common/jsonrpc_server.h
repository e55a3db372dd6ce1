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
 *
 * Limits (issue #17): at most max_conns connections (default 1024) and max_conns_per_ip from one
 * IPv4 address (default 64; libmicrohttpd refuses more); headers must be complete header_timeout_s
 * after a connection opens or its previous request ends (default 10 s) and the body
 * body_timeout_s after the headers (default 30 s), whatever the client's pace (http_guard.h);
 * the parsed tree is bounded by max_depth and max_nodes (counted on the raw text before
 * parsing, default 100000 values). After a body larger than 32 KiB (its parsed tree takes about
 * 20 times that, in the arena of whichever worker thread ran it) the server returns free heap to
 * the system (malloc_trim).
 *
 * Unknown methods before parsing: a daemon that lists its methods (drpc_options.methods) has a
 * single request whose top-level "method" is not among them answered -32601 with
 * DRPC_METHOD_NOT_FOUND_FMT (as its handler would answer) without parsing the body
 * (jsonrpc_prescan.h: one bounded pass, no tree). Only when the scan is sure: the body is one
 * object, "jsonrpc" is "2.0", "id" (if any) a valid id, "params" (if any) an array, object or
 * null, no top-level key escaped or repeated; anything else goes to the parser as before. For
 * valid JSON the reply is the parser's; a body whose nested values are not valid JSON gets
 * -32601 instead of -32700 when its method is unknown.
 *
 * Long polls hold no thread: a handler called with err->may_park set (a single request, not in
 * a batch) that has nothing to answer yet returns drpc_park(err, ms). The server then suspends
 * the connection (MHD_suspend_connection) and calls the handler again, with err->parked_ms
 * saying how long it has waited, from its one guard thread every 250 ms or at once after
 * drpc_wake(); when the handler answers, or when ms have passed (the last call has may_park
 * false and must answer), the connection is resumed with the answer. Idle long polls thus cost
 * a list entry, not a thread.
 *
 * Deferred answers hold no thread either: a handler called with err->may_defer set (a single
 * request with an id, not in a batch, served over HTTP) may take the call over with drpc_defer()
 * and return NULL; whoever finishes the work (any thread, at any time, even before the handler
 * has returned) answers it once with drpc_deferred_answer(). Until then the connection is
 * suspended. drpc_stop waits for every deferred call's answer, so the work behind them must be
 * stopped after the server.
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

/** The -32601 message for an unknown method (one %s: the method); listing handlers use it. */
#define DRPC_METHOD_NOT_FOUND_FMT "the method %s does not exist/is not available"

/** An error reply filled in by a handler. */
typedef struct {
    long code;          /* JSON-RPC error code */
    char message[512];  /* human-readable reason */
    json_t *data;       /* optional "data" member (the server takes the reference), or NULL */
    bool may_park;          /* in: the handler may return drpc_park() */
    unsigned long parked_ms; /* in: how long this call has been parked (0 on the first call) */
    unsigned long park_ms;   /* out: set by drpc_park() */
    bool may_defer;          /* in: the handler may call drpc_defer() */
    struct drpc_deferred *deferred; /* out: set by drpc_defer() */
    void *call_;             /* private to the server */
} drpc_error;

/** A call answered later (drpc_defer). */
typedef struct drpc_deferred drpc_deferred;

/**
 * Take the call over (only when err->may_defer): the handler then returns NULL and the call is
 * answered by exactly one drpc_deferred_answer() on the handle returned. Never NULL when
 * err->may_defer is set.
 */
drpc_deferred *drpc_defer(drpc_error *err);

/**
 * Answer a deferred call, from any thread: result (a new reference, taken; json_null() for null),
 * or NULL with code, message and data (a new reference, taken; may be NULL) for an error reply.
 * The handle is gone once this returns.
 */
void drpc_deferred_answer(drpc_deferred *d, json_t *result, long code, const char *message, json_t *data);

/** Park the call for at most ms milliseconds (only when err->may_park). Returns NULL. */
json_t *drpc_park(drpc_error *err, unsigned long ms);

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
    unsigned max_conns;        /* default 1024 */
    unsigned max_conns_per_ip; /* default 64 */
    unsigned header_timeout_s; /* default 10 */
    unsigned body_timeout_s;   /* default 30 */
    size_t max_nodes;          /* default 100000 */
    drpc_handler handler;
    /* the handler's methods (nmethods of them; NULL: not listed). When listed, the handler must
       answer every other method drpc_fail(err, DRPC_METHOD_NOT_FOUND, DRPC_METHOD_NOT_FOUND_FMT, method)
       with no side effect: single requests naming one are answered so before parsing */
    const char *const *methods;
    size_t nmethods;
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
/** Re-run parked calls now (a long poll may have its answer). Thread-safe, takes no handler lock. NULL allowed. */
void drpc_wake(drpc_server *s);
/** Connections shut down by the read deadlines so far. */
unsigned long drpc_reaped(const drpc_server *s);
/** Parked calls right now. */
size_t drpc_parked(drpc_server *s);
/** Deferred calls not answered yet right now. */
size_t drpc_deferred_count(drpc_server *s);
/** Stop (answers parked calls, waits for running handlers and deferred answers) and free. NULL allowed. */
void drpc_stop(drpc_server *s);

/**
 * Handle one request body (the JSON part, exposed for fuzzing and tests). Out: *reply
 * (malloc'd JSON text, or NULL when nothing is to be sent). Returns the HTTP status.
 */
int drpc_handle_body(const drpc_options *opt, const char *body, size_t len, char **reply);

/** Maximum nesting depth of JSON text (outside strings). Stops counting past limit+1. */
int drpc_json_depth(const char *s, size_t len, int limit);
/**
 * An upper bound of the number of values in JSON text: 1 + the commas, colons and opening
 * brackets outside strings. Stops counting past limit.
 */
size_t drpc_json_nodes(const char *s, size_t len, size_t limit);

#endif

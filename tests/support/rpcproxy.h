/*
 * A lying JSON-RPC node for tests: a loopback HTTP proxy in front of an upstream node (anvil)
 * that hands every successful answer to a callback, which may alter it.
 */
#ifndef MPAVS_TEST_RPCPROXY_H
#define MPAVS_TEST_RPCPROXY_H

#include <jansson.h>

/* Alter res, the upstream's result of method(params). Return res (changed in place or not) or a
   new result (res is then freed by the proxy). */
typedef json_t *(*rpcproxy_lie_fn)(void *arg, const char *method, const json_t *params, json_t *res);

typedef struct rpcproxy rpcproxy;

/* Start a proxy to upstream_url on a free loopback port. Returns NULL on failure. */
rpcproxy *rpcproxy_start(const char *upstream_url, rpcproxy_lie_fn lie, void *arg);
/* Its URL ("http://127.0.0.1:PORT"). */
const char *rpcproxy_url(const rpcproxy *p);
/* A lie: a copy of the hex string s with the digit at index at (from the end when at < 0) changed.
   Returns a new JSON string, or NULL when s is not a string of more than 4 characters. */
json_t *rpcproxy_flip_digit(const json_t *s, long at);
/* Stop the proxy thread and free it (NULL allowed). */
void rpcproxy_stop(rpcproxy *p);

#endif

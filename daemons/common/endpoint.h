/*
 * daemons/common/endpoint.h — the endpoints a daemon talks to: their URLs redacted for logs and
 * output (no user:password, path or query: API keys live there), and the reachability checks of
 * `--check-config` (skipped with --offline).
 */
#ifndef MPAVS_DAEMON_ENDPOINT_H
#define MPAVS_DAEMON_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>

/** url as scheme://host:port, with "/..." when it had a path, query or fragment (cap bytes). */
void durl_redacted(char *out, size_t cap, const char *url);

/** Replace every occurrence of url in text (cap bytes) with durl_redacted's form. */
void durl_scrub(char *text, size_t cap, const char *url);

/**
 * --check-config: eth_chainId on url (5 s). Prints "  ok           FIELD URL (chain id N)" or
 * "  unreachable  FIELD URL: why" on stdout (URL redacted) and returns whether it answered; when
 * want_chain_id is not 0, a different chain id is a failure too ("chain id N, expected M").
 */
bool dep_check_chain(const char *field, const char *url, unsigned long long want_chain_id);

/**
 * --check-config: a JSON-RPC server at url answers method (a JSON-RPC error still proves it is
 * there). Prints as dep_check_chain and returns whether it answered.
 */
bool dep_check_jsonrpc(const char *field, const char *url, const char *method);

#endif

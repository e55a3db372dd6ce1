/*
 * daemons/common/jsonrpc_prescan.h — a bounded scan of a JSON-RPC request body for its top-level
 * "jsonrpc", "method", "id" and "params" members, without building a tree (jsonrpc_server.c uses
 * it to refuse an unknown method before parsing the body). One pass over the text, no
 * allocation, nesting skipped with a counter. It does not validate the JSON: nested values are
 * skipped by their brackets and strings, so the caller decodes the members it uses (small
 * tokens) and leaves every doubtful body to the full parser.
 */
#ifndef MPAVS_DAEMON_JSONRPC_PRESCAN_H
#define MPAVS_DAEMON_JSONRPC_PRESCAN_H

#include <stdbool.h>
#include <stddef.h>

/** A member's value as raw text (not decoded): text/len, or NULL/0 when the member is absent. */
typedef struct {
    const char *text;
    size_t len;
} drpc_token;

/** The top-level members of one request object. */
typedef struct {
    drpc_token jsonrpc, method, id, params;
} drpc_prescan;

/**
 * Scan body/len (need not be NUL-terminated) as one JSON object: optional white space, "{",
 * members "key": value separated by ",", "}", optional white space, nothing else. Out: *out, the
 * raw value text of the members named jsonrpc, method, id and params. Returns false (out
 * undefined) when the body is not shaped so (a batch, a truncated or unbalanced text, a control
 * character in a string, a scalar that is not true/false/null or made of number characters) or
 * when a top-level key is escaped or one of the four appears twice (the parser would decide
 * otherwise: the last duplicate wins).
 */
bool drpc_prescan_request(drpc_prescan *out, const char *body, size_t len);

#endif

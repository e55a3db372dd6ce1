/* daemons/common/endpoint.c — see endpoint.h. */
#include "common/endpoint.h"

#include "mpavs/common.h"
#include "mpavs/rpc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void durl_redacted(char *out, size_t cap, const char *url) {
    const char *p = url ? url : "";
    const char *sep = strstr(p, "://");
    int scheme = sep ? (int)(sep - p) + 3 : 0;
    const char *host = p + scheme;
    size_t n = strcspn(host, "/?#");
    const char *at = memchr(host, '@', n); /* user:password@host */
    if (at) {
        n -= (size_t)(at + 1 - host);
        host = at + 1;
    }
    snprintf(out, cap, "%.*s%.*s%s", scheme, p, (int)n, host, host[n] && strcmp(host + n, "/") ? "/..." : "");
}

void durl_scrub(char *text, size_t cap, const char *url) {
    if (!url || !*url) return;
    char where[200], out[1024];
    durl_redacted(where, sizeof where, url);
    size_t ul = strlen(url), o = 0;
    for (const char *p = text; *p && o + 1 < sizeof out;) {
        if (strncmp(p, url, ul) == 0) {
            int n = snprintf(out + o, sizeof out - o, "%s", where);
            o += n > 0 ? (size_t)n : 0;
            if (o >= sizeof out) o = sizeof out - 1;
            p += ul;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
    snprintf(text, cap, "%s", out);
}

bool dep_check_chain(const char *field, const char *url, unsigned long long want_chain_id) {
    char where[200];
    durl_redacted(where, sizeof where, url);
    mpavs_rpc_options o = {.timeout_ms = 5000, .connect_timeout_ms = 3000, .max_retries = 0};
    mpavs_rpc *rpc = url && *url ? mpavs_rpc_create(url, &o) : NULL;
    uint64_t id = 0;
    mpavs_error e = {0};
    int r = rpc ? mpavs_rpc_chain_id(rpc, &id, &e) : MPAVS_RPC_ERR_ARG;
    durl_scrub(e.message, sizeof e.message, url);
    bool ok = r == 0 && (!want_chain_id || id == want_chain_id);
    if (ok) printf("  ok           %-24s %s (chain id %" PRIu64 ")\n", field, where, id);
    else if (r == 0)
        printf("  wrong chain  %-24s %s: chain id %" PRIu64 ", expected %llu\n", field, where, id, want_chain_id);
    else
        printf("  unreachable  %-24s %s: %s%s%s\n", field, where, mpavs_rpc_strerror(r), e.message[0] ? ": " : "",
               e.message);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(rpc);
    return ok;
}

bool dep_check_jsonrpc(const char *field, const char *url, const char *method) {
    char where[200], params[8] = "[]";
    durl_redacted(where, sizeof where, url);
    mpavs_rpc_options o = {.timeout_ms = 5000, .connect_timeout_ms = 3000, .max_retries = 0};
    mpavs_rpc *rpc = url && *url ? mpavs_rpc_create(url, &o) : NULL;
    char *res = NULL;
    mpavs_error e = {0};
    int r = rpc ? mpavs_rpc_call(rpc, &res, &e, method, params) : MPAVS_RPC_ERR_ARG;
    durl_scrub(e.message, sizeof e.message, url);
    bool ok = r == 0 || r == MPAVS_RPC_ERR_RPC; /* a JSON-RPC error answer: the server is there */
    if (ok) printf("  ok           %-24s %s\n", field, where);
    else
        printf("  unreachable  %-24s %s: %s%s%s\n", field, where, mpavs_rpc_strerror(r), e.message[0] ? ": " : "",
               e.message);
    free(res);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(rpc);
    return ok;
}

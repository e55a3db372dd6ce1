/*
 * daemons/operator/client.c — JSON-RPC 2.0 calls to the prover and the aggregator over libcurl,
 * cancellable: a progress callback (called about once a second while idle) aborts the transfer
 * when a stop is requested, so a 30 s long poll never delays shutdown by more than ~1 s. Error objects keep their code, message and
 * data.reason (the mpavs aggregator's rejection reason).
 */
#include "operator/operator.h"


#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPLY (64u << 20)

typedef struct {
    char *buf;
    size_t len, cap;
    bool too_large;
} body;

static size_t on_data(char *p, size_t sz, size_t n, void *u) {
    body *b = u;
    size_t k = sz * n;
    if (b->len + k > MAX_REPLY) {
        b->too_large = true;
        return 0;
    }
    if (b->len + k + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + k + 1) cap *= 2;
        char *nb = realloc(b->buf, cap);
        if (!nb) return 0;
        b->buf = nb;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, p, k);
    b->len += k;
    b->buf[b->len] = 0;
    return k;
}

static int on_progress(void *u, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
    op *o = u;
    return drt_stopped(o->stop) ? 1 : 0;
}

static bool fail(op_rpc_err *e, bool transport, long code, const char *msg) {
    e->transport = transport;
    e->code = code;
    snprintf(e->message, sizeof e->message, "%s", msg);
    return false;
}

bool op_jsonrpc(op *o, const char *url, const char *method, json_t *params, long timeout_ms, json_t **result,
                op_rpc_err *err) {
    static uint64_t next_id; /* request ids (atomic) */
    memset(err, 0, sizeof *err);
    *result = NULL;
    uint64_t id = __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
    json_t *p = params ? json_incref(params) : json_array();
    json_t *req = json_pack("{s:s,s:I,s:s,s:o}", "jsonrpc", "2.0", "id", (json_int_t)id, "method", method, "params", p);
    char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!text) return fail(err, false, 0, "out of memory");
    CURL *h = curl_easy_init();
    if (!h) {
        free(text);
        return fail(err, true, 0, "cannot create an HTTP handle");
    }
    body b = {0};
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 3000 ? timeout_ms : 3000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, o);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode cr = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    free(text);
    bool ok = false;
    if (cr != CURLE_OK) {
        fail(err, true, 0, cr == CURLE_ABORTED_BY_CALLBACK ? "cancelled (stopping)"
                           : b.too_large                  ? "reply larger than 64 MiB"
                                                          : curl_easy_strerror(cr));
        goto out;
    }
    if (status != 200) {
        char m[128];
        snprintf(m, sizeof m, "HTTP status %ld", status);
        fail(err, status >= 500 || status == 429, status, m);
        goto out;
    }
    json_error_t je;
    json_t *rep = b.buf ? json_loadb(b.buf, b.len, JSON_DECODE_ANY, &je) : NULL;
    json_t *jid = json_object_get(rep, "id");
    if (!json_is_object(rep) || !json_is_integer(jid) || (uint64_t)json_integer_value(jid) != id) {
        fail(err, false, 0, "the reply is not a JSON-RPC response to our request");
    } else if (json_is_object(json_object_get(rep, "error"))) {
        json_t *e = json_object_get(rep, "error");
        fail(err, false, (long)json_integer_value(json_object_get(e, "code")),
             json_string_value(json_object_get(e, "message")) ? json_string_value(json_object_get(e, "message"))
                                                              : "(no message)");
        const char *reason = json_string_value(json_object_get(json_object_get(e, "data"), "reason"));
        if (reason) snprintf(err->reason, sizeof err->reason, "%s", reason);
    } else if (!json_object_get(rep, "result")) {
        fail(err, false, 0, "the reply has neither result nor error");
    } else {
        *result = json_incref(json_object_get(rep, "result"));
        ok = true;
    }
    json_decref(rep);
out:
    free(b.buf);
    return ok;
}

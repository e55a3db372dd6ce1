/* JSON-RPC 2.0 over HTTP(S): transport with timeouts and retries, reply parsing. */
#include "rpc_internal.h"

#include "mpavs/hex.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct mpavs_rpc {
    CURL *curl;
    struct curl_slist *headers;
    char *url;
    mpavs_rpc_options opt;
    uint64_t next_id;
};

const char *mpavs_rpc_strerror(int r) {
    switch (r) {
    case MPAVS_RPC_OK: return "ok";
    case MPAVS_RPC_ERR_TRANSPORT: return "JSON-RPC transport error";
    case MPAVS_RPC_ERR_HTTP: return "JSON-RPC endpoint answered with an HTTP error";
    case MPAVS_RPC_ERR_PARSE: return "malformed JSON-RPC reply";
    case MPAVS_RPC_ERR_RPC: return "JSON-RPC error";
    case MPAVS_RPC_ERR_RESULT: return "unexpected JSON-RPC result";
    case MPAVS_RPC_ERR_TOO_LARGE: return "JSON-RPC reply too large";
    case MPAVS_RPC_ERR_ARG: return "bad JSON-RPC argument";
    case MPAVS_RPC_ERR_NOMEM: return "out of memory";
    default: return "unknown JSON-RPC error";
    }
}

int rpc_fail(mpavs_error *err, int code, long num, const char *fmt, ...) {
    if (err) {
        mpavs_error_clear(err);
        err->code = code;
        err->module = "rpc";
        err->rpc_code = num;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

mpavs_rpc *mpavs_rpc_create(const char *url, const mpavs_rpc_options *opt) {
    if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) return NULL;
    mpavs_rpc *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    if (opt) c->opt = *opt;
    if (c->opt.timeout_ms <= 0) c->opt.timeout_ms = 10000;
    if (c->opt.connect_timeout_ms <= 0) c->opt.connect_timeout_ms = 3000;
    if (c->opt.max_retries < 0) c->opt.max_retries = 0;
    else if (!opt) c->opt.max_retries = 3;
    if (c->opt.backoff_ms <= 0) c->opt.backoff_ms = 200;
    if (c->opt.max_reply_bytes == 0) c->opt.max_reply_bytes = 64u << 20;
    c->next_id = 1;
    c->url = strdup(url);
    c->curl = curl_easy_init();
    c->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!c->url || !c->curl || !c->headers) {
        mpavs_rpc_destroy(c);
        return NULL;
    }
    return c;
}

void mpavs_rpc_destroy(mpavs_rpc *c) {
    if (!c) return;
    if (c->curl) curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->headers);
    free(c->url);
    free(c);
}

void mpavs_rpc_set_timeout(mpavs_rpc *c, long timeout_ms) {
    MPAVS_REQUIRE(timeout_ms > 0);
    c->opt.timeout_ms = timeout_ms;
}

typedef struct {
    char *b;
    size_t len, cap, limit;
    bool too_large;
} reply_buf;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ud) {
    reply_buf *r = ud;
    size_t n = size * nmemb;
    if (r->len + n > r->limit) {
        r->too_large = true;
        return 0; /* aborts the transfer */
    }
    if (r->len + n + 1 > r->cap) {
        size_t nc = r->cap ? r->cap : 4096;
        while (nc < r->len + n + 1) nc *= 2;
        char *nb = realloc(r->b, nc);
        if (!nb) return 0;
        r->b = nb;
        r->cap = nc;
    }
    memcpy(r->b + r->len, ptr, n);
    r->len += n;
    r->b[r->len] = 0;
    return n;
}

static bool retryable(CURLcode cc) {
    switch (cc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_COULDNT_RESOLVE_HOST: return true;
    default: return false;
    }
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* POST body and return the HTTP reply body; retries transport errors. */
static int post(mpavs_rpc *c, reply_buf *reply, mpavs_error *err, const char *body, size_t len) {
    long backoff = c->opt.backoff_ms;
    for (int attempt = 0;; attempt++) {
        reply->len = 0;
        reply->too_large = false;
        CURL *h = c->curl;
        curl_easy_reset(h);
        curl_easy_setopt(h, CURLOPT_URL, c->url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->opt.timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->opt.connect_timeout_ms);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, reply);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        CURLcode cc = curl_easy_perform(h);
        if (reply->too_large)
            return rpc_fail(err, MPAVS_RPC_ERR_TOO_LARGE, 0, "reply larger than %zu bytes", c->opt.max_reply_bytes);
        if (cc == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (status != 200)
                return rpc_fail(err, MPAVS_RPC_ERR_HTTP, status, "HTTP status %ld from %s", status, c->url);
            return MPAVS_RPC_OK;
        }
        if (!retryable(cc) || attempt >= c->opt.max_retries)
            return rpc_fail(err, MPAVS_RPC_ERR_TRANSPORT, 0, "%s: %s (after %d attempts)", c->url,
                            curl_easy_strerror(cc), attempt + 1);
        sleep_ms(backoff);
        backoff *= 2;
    }
}

/* Pull hex revert data out of error.data (a string, or an object with a data string). */
static void take_error_data(mpavs_error *err, json_t *data) {
    if (json_is_object(data)) data = json_object_get(data, "data");
    if (!json_is_string(data)) return;
    const char *s = json_string_value(data);
    size_t sl = json_string_length(data);
    if (sl < 2 || s[0] != '0' || (s[1] | 0x20) != 'x') return;
    uint8_t *b = malloc(sl / 2 + 1);
    size_t n;
    if (b && mpavs_hex_decode(b, sl / 2 + 1, &n, s, sl) == MPAVS_HEX_OK) {
        err->data = b;
        err->data_len = n;
    } else
        free(b);
}

/* Parse a reply body; on success *result holds a new reference to the result. */
static int parse_reply(json_t **result, mpavs_error *err, uint64_t expect_id, const char *body, size_t len) {
    *result = NULL;
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je); /* anvil quotes revert data with NULs in messages */
    if (!root) return rpc_fail(err, MPAVS_RPC_ERR_PARSE, 0, "reply is not JSON: %s", je.text);
    int r;
    json_t *ver = json_object_get(root, "jsonrpc"), *id = json_object_get(root, "id");
    json_t *res = json_object_get(root, "result"), *e = json_object_get(root, "error");
    if (!json_is_object(root) || !json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0) {
        r = rpc_fail(err, MPAVS_RPC_ERR_PARSE, 0, "reply is not a JSON-RPC 2.0 object");
    } else if (e && !json_is_null(e)) {
        json_t *code = json_object_get(e, "code"), *msg = json_object_get(e, "message");
        r = rpc_fail(err, MPAVS_RPC_ERR_RPC, json_is_integer(code) ? (long)json_integer_value(code) : 0, "%s",
                     json_is_string(msg) && json_string_length(msg) ? json_string_value(msg) : "(no message)");
        if (err) take_error_data(err, json_object_get(e, "data"));
    } else if (!json_is_integer(id) || (uint64_t)json_integer_value(id) != expect_id) {
        r = rpc_fail(err, MPAVS_RPC_ERR_PARSE, 0, "reply id does not match request id %llu",
                     (unsigned long long)expect_id);
    } else if (!res) {
        r = rpc_fail(err, MPAVS_RPC_ERR_PARSE, 0, "reply has neither result nor error");
    } else {
        *result = json_incref(res);
        r = MPAVS_RPC_OK;
        if (err) mpavs_error_clear(err);
    }
    json_decref(root);
    return r;
}

int mpavs_rpc_parse_reply(char **result_json, mpavs_error *err, uint64_t expect_id, const char *body, size_t len) {
    *result_json = NULL;
    json_t *res;
    int r = parse_reply(&res, err, expect_id, body, len);
    if (r) return r;
    *result_json = json_dumps(res, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(res);
    return *result_json ? MPAVS_RPC_OK : rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
}

int mpavs_rpc_call(mpavs_rpc *c, char **result_json, mpavs_error *err, const char *method,
                   const char *params_json) {
    *result_json = NULL;
    json_error_t je;
    json_t *params = json_loads(params_json ? params_json : "[]", 0, &je);
    if (!json_is_array(params)) {
        json_decref(params);
        return rpc_fail(err, MPAVS_RPC_ERR_ARG, 0, "params must be a JSON array");
    }
    json_t *result = NULL;
    int r = rpc_call_json(c, &result, err, method, params); /* steals params */
    if (r) return r;
    *result_json = json_dumps(result, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(result);
    return *result_json ? MPAVS_RPC_OK : rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
}

int rpc_call_json(mpavs_rpc *c, json_t **result, mpavs_error *err, const char *method, json_t *params) {
    *result = NULL;
    if (!params) return rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
    uint64_t id = c->next_id++;
    json_t *req = json_pack("{s:s, s:I, s:s, s:o}", "jsonrpc", "2.0", "id", (json_int_t)id, "method", method,
                            "params", params);
    char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (!body) return rpc_fail(err, MPAVS_RPC_ERR_NOMEM, 0, "out of memory");
    reply_buf reply = {.limit = c->opt.max_reply_bytes};
    int r = post(c, &reply, err, body, strlen(body));
    free(body);
    if (r == MPAVS_RPC_OK) r = parse_reply(result, err, id, reply.b ? reply.b : "", reply.len);
    free(reply.b);
    return r;
}

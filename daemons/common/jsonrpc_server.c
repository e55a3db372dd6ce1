/* daemons/common/jsonrpc_server.c — see jsonrpc_server.h. */
#include "jsonrpc_server.h"

#include "http_guard.h"
#include "jsonrpc_prescan.h"
#include "log.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <pthread.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct drpc_server;
struct upload;

/* A deferred call's handle (drpc_defer): lives in its upload. */
struct drpc_deferred {
    struct drpc_server *s;
    struct upload *u;
    json_t *id; /* the request's id (a reference once taken) */
};

/* Where a deferred call is (under the server's pmu). */
enum { DFR_NONE, DFR_TAKEN /* the handler took it; on_request has not suspended yet */,
       DFR_EARLY /* answered before on_request suspended */, DFR_SUSPENDED };

/* Per-request state (MHD's con_cls). */
typedef struct upload {
    char *buf;
    size_t len, cap;
    size_t discarded; /* bytes read and dropped after the limit was passed */
    size_t peak;      /* largest body seen (malloc_trim after a large one) */
    bool too_large;
    /* a parked long poll */
    struct upload *pnext;
    struct MHD_Connection *conn;
    json_t *req;                  /* the parsed request, re-run by the parker */
    uint64_t parked_at, deadline; /* monotonic ms */
    bool answered;                /* reply/status hold the answer; the next call sends it */
    char *reply;
    int status;
    /* a deferred call */
    struct drpc_deferred dfr;
    int dstate; /* DFR_* (under pmu once taken: the answer may come from another thread) */
    bool took;  /* the handler deferred this call (written and read by the connection's thread only) */
} upload;

struct drpc_server {
    struct MHD_Daemon *mhd;
    dguard *guard;
    drpc_options opt;
    int port;
    pthread_mutex_t pmu; /* the parked list */
    upload *parked;
    size_t nparked;
    size_t sending; /* answered by the parker or a deferred answer, reply not yet sent (on_completed) */
    size_t ndeferred; /* deferred calls not answered yet */
    bool closed;    /* stopping: nothing is parked or deferred any more */
};

json_t *drpc_park(drpc_error *err, unsigned long ms) {
    err->park_ms = ms ? ms : 1;
    return NULL;
}

drpc_deferred *drpc_defer(drpc_error *err) {
    upload *u = err->may_defer ? err->call_ : NULL;
    if (!u || err->deferred) return err->deferred;
    struct drpc_server *s = u->dfr.s;
    pthread_mutex_lock(&s->pmu);
    bool closed = s->closed;
    if (!closed) s->ndeferred++;
    pthread_mutex_unlock(&s->pmu);
    if (closed) return NULL; /* stopping: answer now */
    u->dfr.id = json_incref(u->dfr.id);
    u->dstate = DFR_TAKEN; /* before the handler hands the handle to another thread */
    u->took = true;
    err->deferred = &u->dfr;
    return err->deferred;
}

size_t drpc_json_nodes(const char *s, size_t len, size_t limit) {
    size_t n = 1;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < len && n <= limit; i++) {
        char ch = s[i];
        if (in_str) {
            if (esc) esc = false;
            else if (ch == '\\') esc = true;
            else if (ch == '"') in_str = false;
            continue;
        }
        if (ch == '"') in_str = true;
        else if (ch == ',' || ch == ':' || ch == '[' || ch == '{') n++;
    }
    return n;
}

json_t *drpc_fail(drpc_error *err, long code, const char *fmt, ...) {
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return NULL;
}

int drpc_json_depth(const char *s, size_t len, int limit) {
    int depth = 0, max = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (esc) esc = false;
            else if (ch == '\\') esc = true;
            else if (ch == '"') in_str = false;
            continue;
        }
        if (ch == '"') in_str = true;
        else if (ch == '[' || ch == '{') {
            if (++depth > max) max = depth;
            if (max > limit) return max;
        } else if (ch == ']' || ch == '}') {
            if (depth > 0) depth--;
        }
    }
    return max;
}

static json_t *error_obj(json_t *id, long code, const char *msg, json_t *data) {
    json_t *e = json_pack("{s:I,s:s}", "code", (json_int_t)code, "message", msg);
    if (e && data) json_object_set_new(e, "data", data);
    else if (data) json_decref(data);
    return json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", e);
}

/*
 * One request object → reply object (new ref) or NULL for a notification. park: NULL when the
 * call may not park; else in: *park_ms how long it has been parked (ULONG_MAX: may not park any
 * more), out: *park_ms > 0 when the handler parked it (NULL returned).
 */
static json_t *handle_one(const drpc_options *opt, json_t *req, unsigned long *park, upload *dfr) {
    if (!json_is_object(req)) return error_obj(NULL, DRPC_INVALID_REQUEST, "invalid request: not an object", NULL);
    json_t *id = json_object_get(req, "id");
    if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id) && !json_is_real(id))
        return error_obj(NULL, DRPC_INVALID_REQUEST, "invalid request: bad id", NULL);
    json_t *ver = json_object_get(req, "jsonrpc");
    json_t *m = json_object_get(req, "method");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0)
        return error_obj(id, DRPC_INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\"", NULL);
    if (!json_is_string(m) || json_string_length(m) == 0 || json_string_length(m) > 128 ||
        strlen(json_string_value(m)) != json_string_length(m))
        return error_obj(id, DRPC_INVALID_REQUEST, "invalid request: method must be a non-empty string", NULL);
    json_t *params = json_object_get(req, "params");
    json_t *owned = NULL;
    if (!params || json_is_null(params)) params = owned = json_array();
    else if (!json_is_array(params) && !json_is_object(params))
        return id ? error_obj(id, DRPC_INVALID_PARAMS, "invalid params: expected an array or object", NULL) : NULL;
    drpc_error err;
    memset(&err, 0, sizeof err);
    if (park && id) { /* a notification has nobody waiting for it: never parked */
        err.may_park = *park != (unsigned long)-1;
        err.parked_ms = err.may_park ? *park : 0;
    }
    if (dfr && id) { /* a single request over HTTP: may be answered later */
        err.may_defer = true;
        err.call_ = dfr;
        dfr->dfr.id = id;
    }
    json_t *res = opt->handler(opt->user, json_string_value(m), params, &err);
    json_decref(owned);
    if (park) *park = 0;
    if (err.deferred) { /* drpc_deferred_answer replies */
        json_decref(res);
        json_decref(err.data);
        return NULL;
    }
    if (dfr) dfr->dfr.id = NULL;
    if (!res && err.may_park && err.park_ms) {
        json_decref(err.data);
        *park = err.park_ms;
        return NULL;
    }
    if (!id) {
        json_decref(res);
        json_decref(err.data);
        return NULL;
    }
    if (!res) {
        if (err.code == 0) {
            err.code = DRPC_INTERNAL_ERROR;
            snprintf(err.message, sizeof err.message, "internal error");
        }
        char q[160];
        dlog(DLOG_DEBUG, "rpc_error", "method=%s code=%ld message=%s", json_string_value(m), err.code,
             dlog_quote(q, sizeof q, err.message));
        return error_obj(id, err.code, err.message, err.data);
    }
    return json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id, "result", res);
}

static char *dump(json_t *j) {
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(j);
    return s;
}

/* A decoded small token (a member's value text), or NULL. */
static json_t *token(const drpc_token *t) {
    return t->text ? json_loadb(t->text, t->len, JSON_DECODE_ANY, NULL) : NULL;
}

/*
 * A single request naming a method the daemon did not list, answered as handle_one and the
 * handler would answer it, without parsing the body. Returns the HTTP status when answered (*reply
 * set, NULL for a notification), 0 whenever the scan cannot be sure: the parser then decides.
 */
static int refuse_unknown(const drpc_options *opt, const char *body, size_t len, char **reply) {
    drpc_prescan p;
    if (!drpc_prescan_request(&p, body, len) || !p.method.text || !p.jsonrpc.text) return false;
    json_t *m = token(&p.method), *ver = NULL, *id = NULL;
    const char *ms = json_string_value(m);
    bool answer = ms && json_string_length(m) > 0 && json_string_length(m) <= 128 && strlen(ms) == json_string_length(m);
    for (size_t k = 0; answer && k < opt->nmethods; k++)
        if (!strcmp(ms, opt->methods[k])) answer = false;
    if (answer) {
        ver = token(&p.jsonrpc);
        answer = json_is_string(ver) && !strcmp(json_string_value(ver), "2.0");
    }
    if (answer && p.id.text) {
        id = token(&p.id);
        answer = json_is_string(id) || json_is_integer(id) || json_is_null(id) || json_is_real(id);
    }
    if (answer && p.params.text) {
        char c = p.params.text[0];
        answer = c == '[' || c == '{' || (p.params.len == 4 && !memcmp(p.params.text, "null", 4));
    }
    if (answer) {
        *reply = NULL; /* a notification: no reply */
        if (id) {
            char msg[512], q[160];
            snprintf(msg, sizeof msg, DRPC_METHOD_NOT_FOUND_FMT, ms);
            dlog(DLOG_DEBUG, "rpc_error", "method=%s code=%d message=%s", ms, DRPC_METHOD_NOT_FOUND,
                 dlog_quote(q, sizeof q, msg));
            *reply = dump(error_obj(id, DRPC_METHOD_NOT_FOUND, msg, NULL));
        }
    }
    int status = !answer ? 0 : id && !*reply ? 500 : 200;
    json_decref(m);
    json_decref(ver);
    json_decref(id);
    return status;
}

/* As drpc_handle_body; parked: NULL (never park) or out: the parked request (new ref) and *park_ms;
 * dfr: the call's upload when a single request may be deferred (dfr->took says whether it was), else NULL. */
static int handle_body(const drpc_options *opt, const char *body, size_t len, char **reply, json_t **parked,
                       unsigned long *park_ms, upload *dfr) {
    *reply = NULL;
    int maxd = opt->max_depth > 0 ? opt->max_depth : 64;
    size_t maxb = opt->max_batch ? opt->max_batch : 8;
    size_t maxn = opt->max_nodes ? opt->max_nodes : 100000;
    if (drpc_json_depth(body, len, maxd) > maxd) {
        *reply = dump(error_obj(NULL, DRPC_INVALID_REQUEST, "invalid request: JSON nested too deeply", NULL));
        return 200;
    }
    if (drpc_json_nodes(body, len, maxn) > maxn) {
        char msg[128];
        snprintf(msg, sizeof msg, "invalid request: more than %zu JSON values", maxn);
        *reply = dump(error_obj(NULL, DRPC_INVALID_REQUEST, msg, NULL));
        return 200;
    }
    int early = opt->methods ? refuse_unknown(opt, body, len, reply) : 0; /* no tree for an unknown method */
    if (early) return early;
    json_error_t je;
    json_t *doc = json_loadb(body, len, JSON_DECODE_ANY, &je);
    if (!doc) {
        char msg[256];
        snprintf(msg, sizeof msg, "parse error: %s", je.text);
        *reply = dump(error_obj(NULL, DRPC_PARSE_ERROR, msg, NULL));
        return 200;
    }
    if (json_is_array(doc)) {
        size_t n = json_array_size(doc);
        if (n == 0 || n > maxb) {
            char msg[128];
            snprintf(msg, sizeof msg, "invalid request: batch must hold 1..%zu requests (got %zu)", maxb, n);
            *reply = dump(error_obj(NULL, DRPC_INVALID_REQUEST, msg, NULL));
            json_decref(doc);
            return 200;
        }
        json_t *out = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *r = handle_one(opt, json_array_get(doc, i), NULL, NULL);
            if (r) json_array_append_new(out, r);
        }
        json_decref(doc);
        if (json_array_size(out) == 0) {
            json_decref(out);
            return 200;
        }
        *reply = dump(out);
        return *reply ? 200 : 500;
    }
    unsigned long pk = 0;
    json_t *r = handle_one(opt, doc, parked ? &pk : NULL, dfr);
    if (!r && pk) {
        *parked = doc;
        *park_ms = pk;
        return 0;
    }
    json_decref(doc);
    if (!r) return 200;
    *reply = dump(r);
    return *reply ? 200 : 500;
}

int drpc_handle_body(const drpc_options *opt, const char *body, size_t len, char **reply) {
    return handle_body(opt, body, len, reply, NULL, NULL, NULL);
}

/* The guard thread's tick: re-run every parked call; resume those that answered. */
static void park_tick(void *user) {
    drpc_server *s = user;
    pthread_mutex_lock(&s->pmu);
    upload *list = s->parked;
    s->parked = NULL;
    bool closing = s->closed;
    pthread_mutex_unlock(&s->pmu);
    upload *keep = NULL;
    size_t nans = 0;
    uint64_t now = dguard_now_ms();
    for (upload *u = list, *n; u; u = n) {
        n = u->pnext;
        unsigned long pk = closing || now >= u->deadline ? (unsigned long)-1 : (unsigned long)(now - u->parked_at);
        if (pk == 0) pk = 1;
        json_t *r = handle_one(&s->opt, u->req, &pk, NULL);
        if (!r && pk) { /* still nothing to say */
            u->pnext = keep;
            keep = u;
            continue;
        }
        json_decref(u->req);
        u->req = NULL;
        u->reply = r ? dump(r) : NULL;
        u->status = r && !u->reply ? 500 : 200;
        u->answered = true;
        nans++;
        MHD_resume_connection(u->conn);
    }
    pthread_mutex_lock(&s->pmu);
    for (upload *u = keep, *n; u; u = n) {
        n = u->pnext;
        u->pnext = s->parked;
        s->parked = u;
    }
    s->nparked -= nans;
    s->sending += nans;
    pthread_mutex_unlock(&s->pmu);
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, char *body, const char *ctype) {
    size_t len = body ? strlen(body) : 0;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    if (ctype) MHD_add_response_header(r, "Content-Type", ctype);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result respond_text(struct MHD_Connection *c, unsigned status, const char *text) {
    char *b = strdup(text);
    return respond(c, status, b, "text/plain");
}

static bool ctype_ok(const char *ct) {
    if (!ct) return false;
    static const char *const OK[] = {"application/json", "application/json-rpc", "application/jsonrequest"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(OK[i]);
        if (strncasecmp(ct, OK[i], n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ')) return true;
    }
    return false;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **con_cls) {
    drpc_server *s = cls;
    size_t max_body = s->opt.max_body ? s->opt.max_body : (size_t)4 << 20;
    if (*con_cls == NULL) dguard_phase(s->guard, c, DGUARD_BODY); /* headers complete */
    if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
        if (*con_cls == NULL) {
            *con_cls = (void *)1;
            return MHD_YES;
        }
        const char *ct = "text/plain; version=0.0.4";
        char *text = s->opt.get_handler ? s->opt.get_handler(s->opt.user, &ct) : NULL;
        return respond(c, 200, text, ct);
    }
    if (strcmp(method, "OPTIONS") == 0) return respond(c, 200, NULL, NULL);
    if (strcmp(method, "POST") != 0) return respond_text(c, 405, "method not allowed\n");

    upload *u = *con_cls;
    if (!u) {
        if (!ctype_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type")))
            return respond_text(c, 415, "invalid content type, only application/json is supported\n");
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > max_body) return respond_text(c, 413, "content length too large\n");
        u = calloc(1, sizeof *u);
        if (!u) return MHD_NO;
        u->dfr.s = s;
        u->dfr.u = u;
        *con_cls = u;
        return MHD_YES;
    }
    if (*data_size) {
        if (!u->too_large) {
            if (u->len + *data_size > max_body) {
                /* keep reading (discarding) so the client gets a clean 413 at the end */
                u->too_large = true;
                u->discarded = u->len;
                free(u->buf);
                u->buf = NULL;
                u->len = u->cap = 0;
            } else {
                if (u->len + *data_size + 1 > u->cap) {
                    size_t nc = u->cap ? u->cap : 4096;
                    while (nc < u->len + *data_size + 1) nc *= 2;
                    if (nc > max_body + 1) nc = max_body + 1;
                    char *nb = realloc(u->buf, nc);
                    if (!nb) return MHD_NO;
                    u->buf = nb;
                    u->cap = nc;
                }
                memcpy(u->buf + u->len, data, *data_size);
                u->len += *data_size;
            }
        }
        if (u->too_large) {
            u->discarded += *data_size;
            /* an endless (chunked) stream: drop the connection after max_body + 16 MiB */
            if (u->discarded > max_body + ((size_t)16 << 20)) return MHD_NO;
        }
        *data_size = 0;
        return MHD_YES;
    }
    if (u->too_large) return respond_text(c, 413, "content length too large\n");
    if (u->answered) { /* resumed: the parker's or the deferred answer */
        char *reply = u->reply;
        u->reply = NULL;
        pthread_mutex_lock(&s->pmu);
        u->dstate = DFR_NONE;
        pthread_mutex_unlock(&s->pmu);
        return respond(c, (unsigned)u->status, reply, "application/json");
    }
    char *reply = NULL;
    json_t *preq = NULL;
    unsigned long pms = 0;
    int status = handle_body(&s->opt, u->buf ? u->buf : "", u->len, &reply, &preq, &pms, u);
    if (u->len > u->peak) u->peak = u->len;
    free(u->buf); /* the body is not kept while the call is parked or the reply is sent */
    u->buf = NULL;
    u->len = u->cap = 0;
    if (u->took) { /* deferred: answered already, or suspend until it is */
        u->took = false;
        pthread_mutex_lock(&s->pmu);
        if (u->dstate == DFR_EARLY) {
            u->dstate = DFR_NONE;
            char *early = u->reply;
            u->reply = NULL;
            pthread_mutex_unlock(&s->pmu);
            return respond(c, (unsigned)u->status, early, "application/json");
        }
        u->dstate = DFR_SUSPENDED;
        u->conn = c;
        dguard_phase(s->guard, c, DGUARD_PARKED);
        MHD_suspend_connection(c);
        pthread_mutex_unlock(&s->pmu);
        return MHD_YES;
    }
    if (preq) {
        u->req = preq;
        u->conn = c;
        u->parked_at = dguard_now_ms();
        u->deadline = u->parked_at + pms;
        pthread_mutex_lock(&s->pmu);
        if (s->closed) {
            pthread_mutex_unlock(&s->pmu);
            json_decref(u->req);
            u->req = NULL;
            return respond_text(c, 503, "shutting down\n");
        }
        dguard_phase(s->guard, c, DGUARD_PARKED);
        MHD_suspend_connection(c);
        u->pnext = s->parked;
        s->parked = u;
        s->nparked++;
        pthread_mutex_unlock(&s->pmu);
        return MHD_YES;
    }
    return respond(c, (unsigned)status, reply, "application/json");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    drpc_server *s = cls;
    upload *u = *con_cls;
    if (u && u != (void *)1) {
        if (u->answered) {
            pthread_mutex_lock(&s->pmu);
            s->sending--;
            pthread_mutex_unlock(&s->pmu);
        }
        size_t peak = u->peak > u->len ? u->peak : u->len;
        json_decref(u->req);
        free(u->reply);
        free(u->buf);
        free(u);
        if (peak > ((size_t)32 << 10)) malloc_trim(0); /* give a large body's heap (its tree: ~20x) back */
    }
    *con_cls = NULL;
    dguard_phase(s->guard, c, DGUARD_HEADERS); /* the next request's headers, if any */
}

static bool parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t cap) {
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    if (!colon) {
        snprintf(err, cap, "listen address %s: expected host:port", listen ? listen : "(null)");
        return false;
    }
    char host[64];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) {
        snprintf(err, cap, "listen address %s: host too long", listen);
        return false;
    }
    memcpy(host, listen, hl);
    host[hl] = 0;
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || port > 65535) {
        snprintf(err, cap, "listen address %s: bad port", listen);
        return false;
    }
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (hl == 0 || strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        snprintf(err, cap, "listen address %s: host must be an IPv4 address", listen);
        return false;
    }
    return true;
}

drpc_server *drpc_start(const drpc_options *opt, char *errbuf, size_t errcap) {
    struct sockaddr_in sa;
    if (!opt->handler) {
        snprintf(errbuf, errcap, "no handler");
        return NULL;
    }
    if (!parse_listen(opt->listen, &sa, errbuf, errcap)) return NULL;
    drpc_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(errbuf, errcap, "out of memory");
        return NULL;
    }
    s->opt = *opt;
    pthread_mutex_init(&s->pmu, NULL);
    unsigned threads = opt->threads ? opt->threads : 4;
    unsigned timeout = opt->conn_timeout_s ? opt->conn_timeout_s : 30;
    unsigned maxc = opt->max_conns ? opt->max_conns : 1024;
    unsigned perip = opt->max_conns_per_ip ? opt->max_conns_per_ip : 64;
    if (maxc < threads) maxc = threads; /* libmicrohttpd splits the limit over its pool threads */
    s->guard = dguard_create(opt->header_timeout_s, opt->body_timeout_s, park_tick, s, 250);
    if (!s->guard) {
        snprintf(errbuf, errcap, "out of memory");
        pthread_mutex_destroy(&s->pmu);
        free(s);
        return NULL;
    }
    s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                                  MHD_ALLOW_SUSPEND_RESUME,
                              0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                              /* one thread: no pool (the option would be ignored with a warning) */
                              threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_CONNECTION_LIMIT,
                              threads > 1 ? threads : maxc, MHD_OPTION_CONNECTION_LIMIT, maxc,
                              MHD_OPTION_PER_IP_CONNECTION_LIMIT, perip, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                              MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
                              dguard_notify, s->guard, MHD_OPTION_END);
    if (!s->mhd) {
        snprintf(errbuf, errcap, "cannot listen on %s (address in use or not available)", opt->listen);
        dguard_destroy(s->guard);
        pthread_mutex_destroy(&s->pmu);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? (int)info->port : (int)ntohs(sa.sin_port);
    return s;
}

int drpc_port(const drpc_server *s) { return s->port; }

void drpc_wake(drpc_server *s) {
    if (s) dguard_wake(s->guard);
}

unsigned long drpc_reaped(const drpc_server *s) { return (unsigned long)dguard_reaped(s->guard); }

void drpc_deferred_answer(drpc_deferred *d, json_t *result, long code, const char *message, json_t *data) {
    upload *u = d->u;
    drpc_server *s = d->s;
    json_t *obj = result ? json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", d->id, "result", result)
                         : error_obj(d->id, code, message ? message : "internal error", data);
    json_decref(d->id);
    d->id = NULL;
    char *text = dump(obj);
    pthread_mutex_lock(&s->pmu);
    u->reply = text;
    u->status = text ? 200 : 500;
    s->ndeferred--;
    bool resume = u->dstate == DFR_SUSPENDED;
    if (resume) {
        u->answered = true;
        s->sending++;
    } else {
        u->dstate = DFR_EARLY; /* on_request replies when the handler has returned */
    }
    pthread_mutex_unlock(&s->pmu);
    if (resume) MHD_resume_connection(u->conn); /* nobody else touches a suspended connection */
}

size_t drpc_deferred_count(drpc_server *s) {
    pthread_mutex_lock(&s->pmu);
    size_t n = s->ndeferred;
    pthread_mutex_unlock(&s->pmu);
    return n;
}

size_t drpc_parked(drpc_server *s) {
    pthread_mutex_lock(&s->pmu);
    size_t n = s->nparked;
    pthread_mutex_unlock(&s->pmu);
    return n;
}

void drpc_stop(drpc_server *s) {
    if (!s) return;
    pthread_mutex_lock(&s->pmu);
    s->closed = true; /* nothing is parked or deferred from now on */
    pthread_mutex_unlock(&s->pmu);
    park_tick(s); /* answers and resumes every parked call (they may not park again) */
    for (int i = 0;; i++) { /* give the answers up to 2 s to go out; deferred calls are always waited for */
        pthread_mutex_lock(&s->pmu);
        size_t parked = s->nparked, left = s->sending + parked, deferred = s->ndeferred;
        pthread_mutex_unlock(&s->pmu);
        if (deferred) {
            if (i % 500 == 499) dlog(DLOG_WARN, "rpc_stop_waiting", "deferred=%zu", deferred);
        } else if (!left || i >= 200) {
            break;
        }
        if (parked) park_tick(s);
        struct timespec ts = {0, 10000000L};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->mhd);
    dguard_destroy(s->guard); /* its last tick finds nothing parked */
    pthread_mutex_destroy(&s->pmu);
    free(s);
}

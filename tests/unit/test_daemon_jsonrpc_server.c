/*
 * Unit tests of daemons/common/jsonrpc_server.c's hardening (issue #17): the JSON value bound,
 * parked long polls (a pool of one thread serves 40 parked calls and still answers others; a
 * wake answers them at once; a deadline answers them without the handler's help; a stop answers
 * the rest), the header deadline (a connection that never completes its headers is closed) and
 * the unknown-method pre-scan (the same replies as the parser for valid JSON, the handler not
 * called, no tree built) and deferred answers (40 calls deferred on a pool of one thread that
 * still answers others; answered later from another thread, with results and errors, or before
 * the handler returned; never in a batch; a stop waits for them).
 */
#include "harness.h"

#include "common/jsonrpc_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int released; /* __atomic */

static json_t *handler(void *user, const char *method, json_t *params, drpc_error *err) {
    if (!strcmp(method, "ping")) return json_string("pong");
    if (!strcmp(method, "wait")) {
        if (__atomic_load_n(&released, __ATOMIC_RELAXED)) return json_string("released");
        if (err->may_park) return drpc_park(err, 3000);
        return json_string("timeout");
    }
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, "no %s", method);
}

/* deferred calls waiting for the test's answer */
static pthread_mutex_t dmu = PTHREAD_MUTEX_INITIALIZER;
static drpc_deferred *dq[64];
static size_t ndq;

static json_t *deferring(void *user, const char *method, json_t *params, drpc_error *err) {
    (void)user;
    (void)params;
    drpc_deferred *p = err->may_defer ? drpc_defer(err) : NULL;
    if (!p) return json_string("not deferred");
    if (!strcmp(method, "now")) { /* answered before the handler returns */
        drpc_deferred_answer(p, json_string("answered at once"), 0, NULL, NULL);
        return NULL;
    }
    pthread_mutex_lock(&dmu);
    dq[ndq++] = p;
    pthread_mutex_unlock(&dmu);
    return NULL;
}

/* Answer every queued call: even ones with a result, odd ones with an error. */
static size_t answer_all(void) {
    pthread_mutex_lock(&dmu);
    size_t n = ndq;
    for (size_t i = 0; i < n; i++) {
        if (i % 2 == 0) drpc_deferred_answer(dq[i], json_string("answered later"), 0, NULL, NULL);
        else drpc_deferred_answer(dq[i], NULL, -32005, "refused later", json_pack("{s:s}", "reason", "later"));
    }
    ndq = 0;
    pthread_mutex_unlock(&dmu);
    return n;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
    int port;
    const char *method;
    char reply[256];
    long long ms;
    long timeout_ms; /* 0: 20 s */
} call;

static size_t sink(char *p, size_t sz, size_t n, void *u) {
    call *c = u;
    size_t l = strlen(c->reply), k = sz * n;
    if (l + k < sizeof c->reply) {
        memcpy(c->reply + l, p, k);
        c->reply[l + k] = 0;
    }
    return sz * n;
}

static void *do_call(void *arg) {
    call *c = arg;
    char url[64], body[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", c->port);
    snprintf(body, sizeof body, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":[]}", c->method);
    CURL *h = curl_easy_init();
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms ? c->timeout_ms : 20000L);
    long long t0 = now_ms();
    curl_easy_perform(h);
    c->ms = now_ms() - t0;
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    return NULL;
}

TEST(json_nodes) {
    CHECK_EQ_INT(drpc_json_nodes("1", 1, 100), 1);
    CHECK_EQ_INT(drpc_json_nodes("[1,2,3]", 7, 100), 4);
    CHECK_EQ_INT(drpc_json_nodes("{\"a\":1}", 7, 100), 3);
    CHECK_EQ_INT(drpc_json_nodes("\"a,b:[{\"", 9, 100), 1); /* inside a string */
    CHECK_EQ_INT(drpc_json_nodes("\"\\\",\"", 5, 100), 1);   /* an escaped quote */
    CHECK(drpc_json_nodes("[1,1,1,1,1,1,1,1,1,1,1]", 23, 5) > 5);
    drpc_options o = {.handler = handler, .max_nodes = 10};
    char *reply = NULL;
    const char *big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[1,2,3,4,5,6,7,8]}";
    CHECK_EQ_INT(drpc_handle_body(&o, big, strlen(big), &reply), 200);
    CHECK(reply && strstr(reply, "-32600") && strstr(reply, "more than 10 JSON values"));
    free(reply);
}

#define N 40

TEST(parked_long_polls) {
    char err[200];
    drpc_options o = {.listen = "127.0.0.1:0", .threads = 1, .handler = handler};
    drpc_server *s = drpc_start(&o, err, sizeof err);
    REQUIRE(s);
    int port = drpc_port(s);
    static call c[N + 2];
    pthread_t t[N + 2];
    __atomic_store_n(&released, 0, __ATOMIC_RELAXED);
    for (int i = 0; i < N; i++) {
        c[i] = (call){.port = port, .method = "wait"};
        pthread_create(&t[i], NULL, do_call, &c[i]);
    }
    for (int k = 0; k < 100 && drpc_parked(s) < N; k++) usleep(20000);
    CHECK_EQ_INT(drpc_parked(s), N);
    /* the one worker thread is free: another call answers at once */
    c[N] = (call){.port = port, .method = "ping"};
    do_call(&c[N]);
    CHECK(strstr(c[N].reply, "pong") != NULL);
    CHECK(c[N].ms < 500);
    /* a wake answers them all */
    long long t0 = now_ms();
    __atomic_store_n(&released, 1, __ATOMIC_RELAXED);
    drpc_wake(s);
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    long long woke = now_ms() - t0;
    int ok = 0;
    for (int i = 0; i < N; i++) ok += strstr(c[i].reply, "\"released\"") != NULL;
    CHECK_EQ_INT(ok, N);
    CHECK(woke < 1000);
    CHECK_EQ_INT(drpc_parked(s), 0);
    /* the deadline: answered by the handler's last call (may_park false) after ~3 s */
    __atomic_store_n(&released, 0, __ATOMIC_RELAXED);
    c[N + 1] = (call){.port = port, .method = "wait"};
    do_call(&c[N + 1]);
    CHECK(strstr(c[N + 1].reply, "\"timeout\"") != NULL);
    CHECK(c[N + 1].ms >= 2900 && c[N + 1].ms < 4500);
    /* a stop answers what is parked */
    for (int i = 0; i < 4; i++) {
        c[i] = (call){.port = port, .method = "wait"};
        pthread_create(&t[i], NULL, do_call, &c[i]);
    }
    for (int k = 0; k < 100 && drpc_parked(s) < 4; k++) usleep(20000);
    CHECK_EQ_INT(drpc_parked(s), 4);
    drpc_stop(s);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(strstr(c[i].reply, "\"timeout\"") != NULL);
    }
}

TEST(header_deadline) {
    char err[200];
    drpc_options o = {.listen = "127.0.0.1:0", .threads = 1, .header_timeout_s = 1, .handler = handler};
    drpc_server *s = drpc_start(&o, err, sizeof err);
    REQUIRE(s);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)drpc_port(s))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    long long t0 = now_ms();
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\n";
    bool closed = false;
    for (size_t i = 0; !closed && now_ms() - t0 < 4000; i++) { /* one byte every 100 ms: never idle */
        if (send(fd, req + i % strlen(req), 1, MSG_NOSIGNAL) != 1) closed = true;
        char b[64];
        if (recv(fd, b, sizeof b, MSG_DONTWAIT) == 0) closed = true;
        usleep(100000);
    }
    long long ms = now_ms() - t0;
    close(fd);
    CHECK(closed);
    CHECK(ms >= 900 && ms < 2500);
    CHECK(drpc_reaped(s) >= 1);
    drpc_stop(s);
}

static int listed_calls; /* __atomic */

static json_t *listed(void *user, const char *method, json_t *params, drpc_error *err) {
    __atomic_add_fetch(&listed_calls, 1, __ATOMIC_RELAXED);
    if (!strcmp(method, "ping")) return json_string("pong");
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, DRPC_METHOD_NOT_FOUND_FMT, method);
}

TEST(unknown_method_before_parse) {
    static const char *const M[] = {"ping"};
    drpc_options a = {.handler = listed, .methods = M, .nmethods = 1}, b = {.handler = listed};
    static const struct {
        const char *body;
        bool scanned; /* answered by the pre-scan: the handler is not called */
    } C[] = {
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\",\"params\":[]}", true},
        {"{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nope\"}", true},
        {"{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"params\":[1]}", true}, /* a notification: no reply */
        {"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"nope\",\"params\":{\"a\":[1,{\"b\":\"}\\\"]\"}]}}", true},
        {"{\"id\":1.5,\"method\":\"nope\",\"jsonrpc\":\"2.0\"}", true},
        {" \n{ \"jsonrpc\" : \"2.0\" , \"id\" : -3e2 , \"method\" : \"n\\u006fpe\" , \"params\" : null } \r\n", true},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[]}", false},   /* listed */
        {"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"nope\"}", false},                 /* -32600 */
        {"{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"nope\"}", false},               /* bad id */
        {"{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"nope\"}", false},              /* bad id */
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\",\"params\":5}", false},    /* -32602 */
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\",\"method\":\"ping\"}", false}, /* the last one wins */
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"m\\u0065thod\":\"nope\"}", false},            /* an escaped key */
        {"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}]", false},               /* a batch */
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", false},                     /* -32600 */
        {"{\"jsonrpc\":\"2.0\",\"id\":1}", false},
        {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"} x", false},               /* -32700 */
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        char *ra = NULL, *rb = NULL;
        int before = __atomic_load_n(&listed_calls, __ATOMIC_RELAXED);
        int sa = drpc_handle_body(&a, C[i].body, strlen(C[i].body), &ra);
        int mid = __atomic_load_n(&listed_calls, __ATOMIC_RELAXED);
        int sb = drpc_handle_body(&b, C[i].body, strlen(C[i].body), &rb);
        CHECK_EQ_INT(sa, sb);
        CHECK_STREQ(ra ? ra : "(none)", rb ? rb : "(none)");
        if (C[i].scanned) CHECK_EQ_INT(mid - before, 0);
        if (i == 0) CHECK_STREQ(ra, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"the method nope does "
                                    "not exist/is not available\"}}");
        free(ra);
        free(rb);
    }
    /* the body is not parsed: invalid JSON inside params is not seen (the parser says -32700) */
    const char *bad = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"nope\",\"params\":[tru, {\"a\"}]}";
    char *ra = NULL, *rb = NULL;
    drpc_handle_body(&a, bad, strlen(bad), &ra);
    drpc_handle_body(&b, bad, strlen(bad), &rb);
    CHECK(ra && strstr(ra, "\"code\":-32601") && strstr(ra, "\"id\":7"));
    CHECK(rb && strstr(rb, "\"code\":-32700"));
    free(ra);
    free(rb);
}

static void *answer_after(void *arg) {
    usleep(300000);
    *(size_t *)arg = answer_all();
    return NULL;
}

static void *stop_server(void *arg) {
    drpc_stop(arg);
    return NULL;
}

TEST(deferred_answers) {
    char err[200];
    drpc_options o = {.listen = "127.0.0.1:0", .threads = 1, .handler = deferring};
    drpc_server *s = drpc_start(&o, err, sizeof err);
    REQUIRE(s);
    int port = drpc_port(s);
    static call c[N + 1];
    pthread_t t[N];
    for (int i = 0; i < N; i++) {
        c[i] = (call){.port = port, .method = "later"};
        pthread_create(&t[i], NULL, do_call, &c[i]);
    }
    for (int k = 0; k < 200 && drpc_deferred_count(s) < N; k++) usleep(20000);
    CHECK_EQ_INT(drpc_deferred_count(s), N);
    /* the one worker thread holds none of them: a call answered before its handler returned */
    c[N] = (call){.port = port, .method = "now"};
    do_call(&c[N]);
    CHECK(strstr(c[N].reply, "\"answered at once\"") != NULL);
    CHECK(c[N].ms < 500);
    /* answered from another thread */
    size_t answered = 0;
    pthread_t at;
    pthread_create(&at, NULL, answer_after, &answered);
    for (int i = 0; i < N; i++) pthread_join(t[i], NULL);
    pthread_join(at, NULL);
    CHECK_EQ_INT(answered, N);
    int results = 0, errors = 0;
    for (int i = 0; i < N; i++) {
        results += strstr(c[i].reply, "\"result\":\"answered later\"") != NULL;
        errors += strstr(c[i].reply, "-32005") && strstr(c[i].reply, "refused later") &&
                  strstr(c[i].reply, "\"reason\":\"later\"") && strstr(c[i].reply, "\"id\":1");
    }
    CHECK_EQ_INT(results, N / 2);
    CHECK_EQ_INT(errors, N / 2);
    CHECK_EQ_INT(drpc_deferred_count(s), 0);
    /* never deferred in a batch */
    char *reply = NULL;
    const char *batch = "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"later\"}]";
    CHECK_EQ_INT(drpc_handle_body(&o, batch, strlen(batch), &reply), 200);
    CHECK(reply && strstr(reply, "not deferred"));
    free(reply);
    /* a client that gives up while its call waits: answered into a closed connection, no harm */
    c[0] = (call){.port = port, .method = "later", .timeout_ms = 300};
    do_call(&c[0]);
    CHECK(c[0].reply[0] == 0);
    CHECK_EQ_INT(drpc_deferred_count(s), 1);
    CHECK_EQ_INT(answer_all(), 1);
    for (int k = 0; k < 100 && drpc_deferred_count(s); k++) usleep(10000);
    CHECK_EQ_INT(drpc_deferred_count(s), 0);
    c[0] = (call){.port = port, .method = "now"};
    do_call(&c[0]);
    CHECK(strstr(c[0].reply, "answered at once") != NULL);
    /* a stop waits for the deferred answers */
    for (int i = 0; i < 3; i++) {
        c[i] = (call){.port = port, .method = "later"};
        pthread_create(&t[i], NULL, do_call, &c[i]);
    }
    for (int k = 0; k < 200 && drpc_deferred_count(s) < 3; k++) usleep(20000);
    CHECK_EQ_INT(drpc_deferred_count(s), 3);
    pthread_t st;
    long long t0 = now_ms();
    pthread_create(&st, NULL, stop_server, s);
    pthread_create(&at, NULL, answer_after, &answered);
    pthread_join(st, NULL);
    CHECK(now_ms() - t0 >= 250); /* not before the answers */
    pthread_join(at, NULL);
    CHECK_EQ_INT(answered, 3);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        CHECK(strstr(c[i].reply, "answered later") || strstr(c[i].reply, "refused later"));
    }
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    RUN(json_nodes);
    RUN(unknown_method_before_parse);
    RUN(parked_long_polls);
    RUN(header_deadline);
    RUN(deferred_answers);
    curl_global_cleanup();
    return harness_summary();
}

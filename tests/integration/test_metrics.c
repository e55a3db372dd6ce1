/*
 * Prometheus conformance of every daemon's /metrics, on real processes: two anvils, the
 * deployed contracts, two onboarded operators with their mpavs-prover and mpavs-operator, and
 * mpavs-aggregator (as test_e2e starts them). Once a state is confirmed, every exposition (each
 * prover's port, each operator's /metrics and /proverMetrics, the aggregator's metrics port
 * with the families the operators pushed) is parsed by prometheus_client's text parser
 * (tests/support/prom_check.py, Debian python3-prometheus-client), which fails on a parse
 * error, a family without # TYPE/# HELP or split into groups, a duplicate series, a histogram
 * whose buckets do not add up.
 *
 *   checker_rejects  the checker fails the faults the daemons used to have (so this test can fail)
 *   daemons_conform  every exposition passes; the operator's two chain clients are distinct
 *                    series (chain="avs"/"attestation"), the pushed families are merged (one
 *                    # TYPE each, a sample per operator), the confirmation latency is a histogram
 *                    in seconds
 *   hostile_push     aggregator_submitMetrics with colliding names, bad labels, duplicate
 *                    samples, negative counters and conflicting types: the exposition stays valid
 *   sighup_then_sigterm  SIGHUP is logged and ignored by the prover, the operator and the
 *                    aggregator (daemons/common/signals.h); SIGTERM then stops each with status 0
 *
 * About 60 s (deployment, attestation and one confirmation on 1-second blocks).
 */
#include "harness.h"
#include "world.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static world W;
static bool up;

typedef struct {
    char *buf;
    size_t len;
} membuf;

static size_t on_data(char *p, size_t sz, size_t n, void *u) {
    membuf *m = u;
    char *b = realloc(m->buf, m->len + sz * n + 1);
    if (!b) return 0;
    memcpy(b + m->len, p, sz * n);
    m->len += sz * n;
    b[m->len] = 0;
    m->buf = b;
    return sz * n;
}

/* GET url: the body (malloc'd) when the status is 200, else NULL. */
static char *http_get(const char *url) {
    CURL *c = curl_easy_init();
    if (!c) return NULL;
    membuf m = {0};
    long status = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &m);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || status != 200) {
        free(m.buf);
        return NULL;
    }
    return m.buf ? m.buf : strdup("");
}

/* Save text as file name in the world's directory; returns the path (static, 4 in rotation). */
static const char *save(const char *name, const char *text) {
    static char paths[4][400];
    static int k;
    char *p = paths[k++ & 3];
    if (W.dir[0]) {
        snprintf(p, 400, "%s/%s", W.dir, name);
    } else {
        char d[64];
        snprintf(d, sizeof d, "/tmp/mpavs-test-metrics-%d", (int)getpid());
        mkdir(d, 0700);
        snprintf(p, 400, "%s/%s", d, name);
    }
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text ? text : "", f);
        fclose(f);
    }
    return p;
}

/* Run the checker on the files (space-separated paths); its exit code (-1 if it could not run). */
static int prom_check(const char *files) {
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s %s 1>&2", py, harness_path("tests/support/prom_check.py"), files);
    int st = system(cmd);
    return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

static size_t count(const char *hay, const char *needle) {
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

static char *agg_metrics(void) {
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", W.agg_metrics_port);
    return http_get(url);
}

TEST(checker_rejects) {
    /* the checker and its parser are there (python3-prometheus-client, scripts/setup) */
    CHECK_EQ_INT(prom_check(save("good.prom", "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n")), 0);
    /* two series with one label set (the operator's two RPC clients did this) */
    CHECK_EQ_INT(prom_check(save("dup.prom", "# HELP a_total A.\n# TYPE a_total counter\n"
                                             "a_total{method=\"eth_call\"} 1\na_total{method=\"eth_call\"} 2\n")),
                 1);
    /* samples without # TYPE/# HELP (the aggregator's old re-export) */
    CHECK_EQ_INT(prom_check(save("untyped.prom", "# HELP g G.\n# TYPE g gauge\ng 1\navs_x{operator=\"o\"} 1\n")), 1);
    /* a family split into groups, and a latency _sum exported as its own counter */
    CHECK_EQ_INT(prom_check(save("split.prom", "# HELP g G.\n# TYPE g gauge\ng{a=\"1\"} 1\n# HELP h H.\n# TYPE h "
                                               "gauge\nh 1\ng{a=\"2\"} 1\n")),
                 1);
    CHECK_EQ_INT(prom_check(save("sum.prom", "# HELP l_ms_sum L.\n# TYPE l_ms_sum counter\nl_ms_sum 5\n")), 1);
    /* a histogram whose +Inf bucket is not its count */
    CHECK_EQ_INT(prom_check(save("hist.prom", "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
                                              "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n")),
                 1);
    char cmd[100]; /* the files went to a directory of this process (the world is not up yet) */
    snprintf(cmd, sizeof cmd, "rm -rf /tmp/mpavs-test-metrics-%d", (int)getpid());
    CHECK(system(cmd) == 0);
}

static bool confirmed(void) {
    mpavs_error e = {0};
    char *res = world_call(W.agg_url, "mpavs_confirmations", "[{\"since\":0}]", &e);
    mpavs_error_clear(&e);
    json_error_t je;
    json_t *a = res ? json_loads(res, 0, &je) : NULL;
    bool ok = json_array_size(a) >= 1;
    json_decref(a);
    free(res);
    return ok;
}

TEST(bring_up) {
    world_options o = {.operators = 2};
    REQUIRE(world_up(&W, &o));
    fprintf(stderr, "  world in %s\n", W.dir);
    for (size_t i = 0; i < 2; i++) REQUIRE(world_start_prover(&W, i, NULL, 0, NULL));
    REQUIRE(world_start_aggregator(&W, 100, 3, NULL));
    for (size_t i = 0; i < 2; i++) REQUIRE(world_start_operator(&W, i));
    long long end = harness_now_ms() + 150000;
    while (!confirmed() && harness_now_ms() < end) harness_sleep_ms(500);
    REQUIRE(confirmed());
    up = true;
}

TEST(daemons_conform) {
    REQUIRE(up);
    char files[3000] = "", url[128], name[64];
    char *opm[2] = {NULL, NULL};
    for (size_t i = 0; i < 2; i++) {
        char *t = http_get(W.ops[i].prover_url);
        CHECK(t && strstr(t, "# TYPE mpavs_prover_requests_total counter\n"));
        snprintf(name, sizeof name, "prover%zu.prom", i + 1);
        strcat(strcat(files, " "), save(name, t));
        free(t);
        snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", W.ops[i].metrics_port);
        opm[i] = http_get(url);
        REQUIRE(opm[i]);
        snprintf(name, sizeof name, "operator%zu.prom", i + 1);
        strcat(strcat(files, " "), save(name, opm[i]));
        snprintf(url, sizeof url, "http://127.0.0.1:%d/proverMetrics", W.ops[i].metrics_port);
        t = http_get(url);
        CHECK(t != NULL);
        snprintf(name, sizeof name, "operator%zu-prover.prom", i + 1);
        strcat(strcat(files, " "), save(name, t));
        free(t);
    }
    /* both chain clients of the operator (here on one anvil) call eth_blockNumber: two series */
    CHECK(strstr(opm[0], "eigen_rpc_request_total{avs_name=") != NULL);
    CHECK(strstr(opm[0], "method=\"eth_blockNumber\"") != NULL);
    CHECK(strstr(opm[0], "chain=\"avs\"} ") != NULL);
    CHECK(strstr(opm[0], "chain=\"attestation\"} ") != NULL);
    CHECK(strstr(opm[0], "# TYPE eigen_rpc_request_duration_seconds histogram\n") != NULL);
    free(opm[0]);
    free(opm[1]);

    char *a = NULL;
    /* the operators push on start; wait until both pushes are re-exported */
    long long end = harness_now_ms() + 30000;
    for (;;) {
        free(a);
        a = agg_metrics();
        if ((a && count(a, "avs_operator_metadata_counter{") == 2) || harness_now_ms() > end) break;
        harness_sleep_ms(500);
    }
    REQUIRE(a);
    CHECK_EQ_INT(count(a, "avs_operator_metadata_counter{"), 2);
    CHECK_EQ_INT(count(a, "# TYPE avs_operator_metadata_counter counter\n"), 1);
    CHECK_EQ_INT(count(a, "# TYPE eigen_rpc_request_total counter\n"), 1);
    CHECK_EQ_INT(count(a, "# HELP avs_operator_fetch_task_counter Tasks received from the aggregator.\n"), 1);
    CHECK(strstr(a, "# TYPE mpavs_aggregator_confirm_latency_seconds histogram\n") != NULL);
    CHECK(strstr(a, "mpavs_aggregator_confirm_latency_seconds_count 0\n") == NULL);
    CHECK(strstr(a, "_ms_sum") == NULL);
    strcat(strcat(files, " "), save("aggregator.prom", a));
    free(a);
    CHECK_EQ_INT(prom_check(files), 0);
}

TEST(hostile_push) {
    REQUIRE(up);
    static const char *const pushes[] = {
        /* a name the aggregator uses itself, a histogram type, bad names and labels, duplicates,
           a negative counter, an "le" label, too many labels, a help with a newline */
        "[{\"name\":\"evil\",\"metrics\":["
        "{\"name\":\"avs_aggregator_new_task_counter\",\"type\":0,\"metric\":[{\"label\":[],\"counter\":{\"value\":9}}]},"
        "{\"name\":\"avs_hist\",\"type\":4,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1}}]},"
        "{\"name\":\"avs bad\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1}}]},"
        "{\"name\":\"avs_dup\",\"type\":1,\"help\":\"two\\nlines\",\"metric\":["
        "{\"label\":[{\"name\":\"a\",\"value\":\"1\"}],\"gauge\":{\"value\":1}},"
        "{\"label\":[{\"name\":\"a\",\"value\":\"1\"}],\"gauge\":{\"value\":2}},"
        "{\"label\":[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"a\",\"value\":\"2\"}],\"gauge\":{\"value\":3}},"
        "{\"label\":[{\"name\":\"__a\",\"value\":\"1\"}],\"gauge\":{\"value\":3}},"
        "{\"label\":[{\"name\":\"a-b\",\"value\":\"1\"}],\"gauge\":{\"value\":3}},"
        "{\"label\":[{\"name\":\"q\",\"value\":\"x\\\"y\\\\z\\n\"}],\"gauge\":{\"value\":4}}]},"
        "{\"name\":\"avs_neg\",\"type\":0,\"metric\":[{\"label\":[],\"counter\":{\"value\":-1}},"
        "{\"label\":[{\"name\":\"le\",\"value\":\"1\"}],\"counter\":{\"value\":1}}]},"
        "{\"name\":\"avs_many\",\"type\":1,\"metric\":[{\"label\":[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"b\","
        "\"value\":\"1\"},{\"name\":\"c\",\"value\":\"1\"},{\"name\":\"d\",\"value\":\"1\"},{\"name\":\"e\",\"value\":"
        "\"1\"},{\"name\":\"f\",\"value\":\"1\"},{\"name\":\"g\",\"value\":\"1\"},{\"name\":\"h\",\"value\":\"1\"},"
        "{\"name\":\"i\",\"value\":\"1\"},{\"name\":\"j\",\"value\":\"1\"},{\"name\":\"k\",\"value\":\"1\"},{\"name\":"
        "\"l\",\"value\":\"1\"},{\"name\":\"m\",\"value\":\"1\"},{\"name\":\"n\",\"value\":\"1\"},{\"name\":\"o\","
        "\"value\":\"1\"},{\"name\":\"p\",\"value\":\"1\"},{\"name\":\"r\",\"value\":\"1\"}],\"gauge\":{\"value\":1}}]},"
        "{\"name\":\"avs_conflict\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1}}]},"
        "{\"name\":\"avs_x_bucket\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1}}]}]}]",
        /* the same family name with another type from a second operator, and a label "operator" */
        "[{\"name\":\"evil2\",\"metrics\":["
        "{\"name\":\"avs_conflict\",\"type\":0,\"metric\":[{\"label\":[],\"counter\":{\"value\":1}}]},"
        "{\"name\":\"avs_dup\",\"type\":1,\"metric\":[{\"label\":[{\"name\":\"a\",\"value\":\"1\"},"
        "{\"name\":\"operator\",\"value\":\"evil\"}],\"gauge\":{\"value\":5}}]}]}]",
    };
    for (size_t i = 0; i < 2; i++) {
        mpavs_error e = {0};
        char *r = world_call(W.agg_url, "aggregator_submitMetrics", pushes[i], &e);
        CHECK(r != NULL);
        if (!r) fprintf(stderr, "  push %zu: %s\n", i, e.message);
        free(r);
        mpavs_error_clear(&e);
    }
    char *a = agg_metrics();
    REQUIRE(a);
    CHECK_EQ_INT(count(a, "# TYPE avs_aggregator_new_task_counter counter\n"), 1);
    CHECK(strstr(a, "avs_aggregator_new_task_counter{operator=") == NULL);
    CHECK(strstr(a, "avs_dup{a=\"1\",operator=\"evil\"} 1\n") != NULL);
    CHECK(strstr(a, "avs_dup{a=\"1\",operator=\"evil2\"} 5\n") != NULL); /* the pushed "operator" label is replaced */
    CHECK(strstr(a, "avs_dup{q=\"x\\\"y\\\\z\\n\",operator=\"evil\"} 4\n") != NULL);
    CHECK(strstr(a, "# HELP avs_dup two\\nlines\n") != NULL);
    CHECK(strstr(a, "# TYPE avs_conflict gauge\n") != NULL);
    CHECK(strstr(a, "avs_hist") == NULL); /* a histogram push is not re-exported */
    CHECK(strstr(a, "\navs_many") == NULL);                 /* more labels than the writer takes */
    CHECK(strstr(a, "\navs_neg{operator=\"evil\"}") == NULL); /* a negative counter */
    CHECK(strstr(a, "\navs_neg{le=\"1\",operator=\"evil\"} 1\n") != NULL); /* "le" is only reserved in histograms */
    CHECK(strstr(a, "avs_x_bucket") == NULL);                /* named like a histogram's part */
    CHECK(strstr(a, "avs_conflict{operator=\"evil2\"}") == NULL);
    CHECK_EQ_INT(prom_check(save("aggregator-hostile.prom", a)), 0);
    free(a);
    CHECK(harness_proc_alive(&W.agg, NULL));
}

/* Lines of a log file that contain needle. */
static size_t log_count(const char *path, const char *needle) {
    size_t len = 0;
    unsigned char *b = harness_read_file(path, &len);
    size_t n = b ? count((const char *)b, needle) : 0;
    free(b);
    return n;
}

TEST(sighup_then_sigterm) {
    REQUIRE(up);
    /* SIGHUP: every daemon logs it and keeps serving (it used to kill the operator and the aggregator) */
    harness_proc *procs[3] = {&W.ops[0].prover, &W.ops[0].op, &W.agg};
    for (size_t i = 0; i < 3; i++) {
        REQUIRE(procs[i]->pid > 0);
        CHECK(kill(procs[i]->pid, SIGHUP) == 0);
    }
    harness_sleep_ms(1500);
    for (size_t i = 0; i < 3; i++) {
        CHECK(harness_proc_alive(procs[i], NULL));
        CHECK_EQ_INT(log_count(procs[i]->log, "event=sighup_ignored"), 1);
    }
    char *a = agg_metrics();
    CHECK(a != NULL);
    free(a);
    /* SIGTERM: a clean exit (status 0) well within the daemons' join deadlines */
    for (size_t i = 0; i < 3; i++) {
        int st = harness_proc_stop(procs[i], SIGTERM, 8000);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        fprintf(stderr, "  %s: SIGTERM → exit %d in %ld ms\n", i == 0 ? "prover" : i == 1 ? "operator" : "aggregator",
                WIFEXITED(st) ? WEXITSTATUS(st) : -1, harness_proc_last_stop_ms());
        CHECK(harness_proc_last_stop_ms() < 6000);
        CHECK_EQ_INT(log_count(procs[i]->log, "event=thread_still_running"), 0);
    }
}

int main(void) {
    RUN(checker_rejects);
    RUN(bring_up);
    RUN(daemons_conform);
    RUN(hostile_push);
    RUN(sighup_then_sigterm);
    world_down(&W);
    return harness_summary();
}

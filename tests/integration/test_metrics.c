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
 *   hostile_push     aggregator_submitMetrics (signed by the operators' keys) with colliding
 *                    names, bad labels, duplicate samples, negative counters and conflicting
 *                    types: the exposition stays valid
 *   push_authentication  only pushes signed by a registered operator's BLS key are kept: an
 *                    unsigned, a wrongly signed, a replayed and an oversized push are refused and
 *                    change nothing exported; a flood under many names keeps VmRSS bounded
 *   sighup_then_sigterm  SIGHUP is logged and ignored by the prover, the operator and the
 *                    aggregator (daemons/common/signals.h); SIGTERM then stops each with status 0
 *
 * About 60 s (deployment, attestation and one confirmation on 1-second blocks).
 */
#include "harness.h"
#include "loadgen.h"
#include "world.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"

#include <curl/curl.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
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

/* "<checksummed address of operator i>_v0.1.0", the name mpavs-operator pushes under. */
static void op_name(char *out, size_t cap, size_t i) {
    char cs[43];
    mpavs_address_to_checksum(cs, &W.ops[i].addr);
    snprintf(out, cap, "%s_v0.1.0", cs);
}

/* Strictly increasing unix seconds (each signed push of an operator must be newer than its last). */
static uint64_t next_ts(void) {
    static uint64_t last;
    uint64_t t = (uint64_t)time(NULL) + 2; /* after the operators' own pushes of this second */
    return last = t > last ? t : last + 1;
}

/*
 * The params text [{name, metrics, timestamp, signature}] of a push of metrics (JSON text of the
 * families) signed with the BLS key sk as mpavs-operator signs (docs/aggregator.md §4); sk NULL:
 * the reference's unsigned [{name, metrics}]. malloc'd.
 */
static char *push_params(const char *name, const char *metrics, uint64_t ts, const uint8_t *sk) {
    json_t *fams = json_loads(metrics, 0, NULL);
    if (!fams) return NULL;
    json_t *p = json_pack("{s:s,s:o}", "name", name, "metrics", fams);
    if (sk) {
        char *text = json_dumps(fams, JSON_COMPACT), hex[131] = "";
        uint8_t digest[32], sb[64];
        mpavs_avs_metrics_push_digest(digest, W.dep.chain_id, W.dep.registry_coordinator.bytes, name, strlen(name), ts,
                                      (const uint8_t *)text, text ? strlen(text) : 0);
        free(text);
        mpavs_bn254_g1 sig;
        if (mpavs_bls_sign(&sig, sk, digest) == MPAVS_BLS_OK) {
            mpavs_bn254_g1_encode(sb, &sig);
            if (mpavs_hex_encode(hex, sizeof hex, sb, 64, true)) hex[0] = 0;
        }
        json_object_set_new(p, "timestamp", json_integer((json_int_t)ts));
        json_object_set_new(p, "signature", json_string(hex));
    }
    json_t *arr = json_pack("[o]", p);
    char *out = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    return out;
}

/* Does hay contain the text of fmt, ...? */
static bool has(const char *hay, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool has(const char *hay, const char *fmt, ...) {
    char needle[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(needle, sizeof needle, fmt, ap);
    va_end(ap);
    return hay && strstr(hay, needle) != NULL;
}

/* The lines of an exposition with an operator label (the re-exported pushes), malloc'd. */
static char *pushed_lines(const char *text) {
    size_t n = text ? strlen(text) : 0, k = 0;
    char *out = malloc(n + 1);
    if (!out) return NULL;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        const char *op = strstr(p, "operator=\"");
        if (op && op < p + len) memcpy(out + k, p, len), k += len;
        p += len;
    }
    out[k] = 0;
    return out;
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
        "["
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
        "{\"name\":\"avs_x_bucket\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1}}]}]",
        /* the same family name with another type from a second operator, and a label "operator" */
        "["
        "{\"name\":\"avs_conflict\",\"type\":0,\"metric\":[{\"label\":[],\"counter\":{\"value\":1}}]},"
        "{\"name\":\"avs_dup\",\"type\":1,\"metric\":[{\"label\":[{\"name\":\"a\",\"value\":\"1\"},"
        "{\"name\":\"operator\",\"value\":\"evil\"}],\"gauge\":{\"value\":5}}]}]",
    };
    /* signed by the two operators' registered keys (an unsigned push is refused: push_authentication) */
    char ev[80], ev2[80];
    op_name(ev, sizeof ev, 0);
    op_name(ev2, sizeof ev2, 1);
    for (size_t i = 0; i < 2; i++) {
        mpavs_error e = {0};
        char *params = push_params(i ? ev2 : ev, pushes[i], (uint64_t)time(NULL) + 1, W.ops[i].bls);
        char *r = params ? world_call(W.agg_url, "aggregator_submitMetrics", params, &e) : NULL;
        CHECK(r != NULL);
        if (!r) fprintf(stderr, "  push %zu: %s\n", i, e.message);
        free(r);
        free(params);
        mpavs_error_clear(&e);
    }
    char *a = agg_metrics();
    REQUIRE(a);
    CHECK_EQ_INT(count(a, "# TYPE avs_aggregator_new_task_counter counter\n"), 1);
    CHECK(strstr(a, "avs_aggregator_new_task_counter{operator=") == NULL);
    CHECK(has(a, "avs_dup{a=\"1\",operator=\"%s\"} 1\n", ev));
    CHECK(has(a, "avs_dup{a=\"1\",operator=\"%s\"} 5\n", ev2)); /* the pushed "operator" label is replaced */
    CHECK(has(a, "avs_dup{q=\"x\\\"y\\\\z\\n\",operator=\"%s\"} 4\n", ev));
    CHECK(strstr(a, "# HELP avs_dup two\\nlines\n") != NULL);
    CHECK(strstr(a, "# TYPE avs_conflict gauge\n") != NULL);
    CHECK(strstr(a, "avs_hist") == NULL); /* a histogram push is not re-exported */
    CHECK(strstr(a, "\navs_many") == NULL);                 /* more labels than the writer takes */
    CHECK(!has(a, "\navs_neg{operator=\"%s\"}", ev)); /* a negative counter */
    CHECK(has(a, "\navs_neg{le=\"1\",operator=\"%s\"} 1\n", ev)); /* "le" is only reserved in histograms */
    CHECK(strstr(a, "avs_x_bucket") == NULL);                /* named like a histogram's part */
    CHECK(!has(a, "avs_conflict{operator=\"%s\"}", ev2));
    CHECK_EQ_INT(prom_check(save("aggregator-hostile.prom", a)), 0);
    free(a);
    CHECK(harness_proc_alive(&W.agg, NULL));
}

/* Families of n gauge samples, each label value pad characters long (JSON text, malloc'd). */
static char *families_text(const char *family, size_t n, size_t pad) {
    size_t cap = 200 + n * (pad + 80), k = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    k += (size_t)snprintf(s + k, cap - k, "[{\"name\":\"%s\",\"help\":\"h\",\"type\":1,\"metric\":[", family);
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(s + k, cap - k, "%s{\"label\":[{\"name\":\"l\",\"value\":\"%0*zu\"}],\"gauge\":{\"value\":1}}",
                              i ? "," : "", (int)pad, i);
    snprintf(s + k, cap - k, "]}]");
    return s;
}

/* Push params; returns 0 when accepted, else the JSON-RPC error code (message into msg). */
static long push_code(const char *params, char *msg, size_t cap) {
    mpavs_error e = {0};
    char *r = params ? world_call(W.agg_url, "aggregator_submitMetrics", params, &e) : NULL;
    long code = r ? 0 : e.rpc_code ? e.rpc_code : -1;
    if (msg) snprintf(msg, cap, "%s", r ? "" : e.message);
    free(r);
    mpavs_error_clear(&e);
    return code;
}

/*
 * Item 3 of issue #17: only a push signed by a registered operator's BLS key is kept. Unsigned,
 * signed by the other operator's key, signed by an unregistered key, replayed and oversized
 * pushes are refused (-32020 / -32602) and change nothing exported; a flood of pushes under many
 * names (unregistered addresses) and of pushes naming a registered operator with a stranger's key
 * leaves the aggregator's resident memory bounded.
 */
TEST(push_authentication) {
    REQUIRE(up);
    char n0[80], msg[600];
    op_name(n0, sizeof n0, 0);
    const char *probe = "[{\"name\":\"avs_auth_probe\",\"help\":\"P.\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":7}}]}]";
    const char *probe2 = "[{\"name\":\"avs_auth_probe\",\"help\":\"P.\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":8}}]}]";
    char *good = push_params(n0, probe, next_ts(), W.ops[0].bls);
    CHECK_EQ_INT(push_code(good, msg, sizeof msg), 0);
    char *a = agg_metrics();
    REQUIRE(a);
    CHECK(has(a, "avs_auth_probe{operator=\"%s\"} 7\n", n0));
    char *before = pushed_lines(a);
    free(a);

    uint8_t stranger[32];
    REQUIRE(mpavs_bls_keygen(stranger) == MPAVS_BLS_OK);
    char *big = families_text("avs_auth_probe", 1000, 60); /* ~90 KiB, ≤ 1024 samples */
    struct {
        const char *what;
        char *params;
        long code;
        const char *word;
    } bad[] = {
        {"unsigned (a reference operator)", push_params(n0, probe2, 0, NULL), -32020, "unsigned"},
        {"signed by the other operator's key", push_params(n0, probe2, next_ts(), W.ops[1].bls), -32020, "bad_signature"},
        {"signed by an unregistered key", push_params(n0, probe2, next_ts(), stranger), -32020, "bad_signature"},
        {"replayed", strdup(good), -32020, "replay"},
        {"oversized", push_params(n0, big, next_ts(), W.ops[0].bls), -32602, "metrics larger than 65536 bytes"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long code = push_code(bad[i].params, msg, sizeof msg);
        fprintf(stderr, "  %s: %ld %s\n", bad[i].what, code, msg);
        CHECK_EQ_INT(code, bad[i].code);
        CHECK(strstr(msg, bad[i].word) != NULL);
        free(bad[i].params);
    }
    free(big);
    a = agg_metrics();
    REQUIRE(a);
    char *after = pushed_lines(a);
    CHECK_STREQ(after, before); /* nothing refused changed the export */
    CHECK(strstr(a, "mpavs_aggregator_metrics_push_refused_total{reason=\"unsigned\"} 1\n") != NULL);
    CHECK(strstr(a, "mpavs_aggregator_metrics_push_refused_total{reason=\"bad_signature\"} 2\n") != NULL);
    CHECK(strstr(a, "mpavs_aggregator_metrics_push_refused_total{reason=\"replay\"} 1\n") != NULL);
    CHECK(strstr(a, "mpavs_aggregator_metrics_push_refused_total{reason=\"too_large\"} 1\n") != NULL);
    free(a);
    free(after);

    /* the flood: 300 names (fresh addresses, each push signed by its own fresh key) with ~51 KB
       of families, then 100 pushes naming operator 0 signed by a stranger (a pairing each) */
    pid_t pid = W.agg.pid;
    char *fam = families_text("avs_load", 900, 4);
    REQUIRE(fam);
    long rss0 = loadgen_rss_kb(pid);
    long long t0 = harness_now_ms();
    size_t unreg = 0, badsig = 0;
    for (int i = 0; i < 300; i++) {
        uint8_t sk[32], addr[20];
        char hex[43], name[80];
        REQUIRE(mpavs_bls_keygen(sk) == MPAVS_BLS_OK);
        for (int b = 0; b < 20; b++) addr[b] = sk[b]; /* an address nobody registered */
        if (mpavs_hex_encode(hex, sizeof hex, addr, 20, true)) hex[0] = 0;
        snprintf(name, sizeof name, "%s_v0.1.0", hex);
        char *p = push_params(name, fam, (uint64_t)time(NULL), sk);
        unreg += push_code(p, msg, sizeof msg) == -32020 && strstr(msg, "not_registered");
        free(p);
    }
    long long t1 = harness_now_ms();
    uint64_t ts = next_ts(); /* newer than operator 0's last push: refused for the signature, not as a replay */
    for (int i = 0; i < 100; i++) {
        char *p = push_params(n0, fam, ts, stranger);
        badsig += push_code(p, msg, sizeof msg) == -32020 && strstr(msg, "bad_signature");
        free(p);
    }
    long long t2 = harness_now_ms();
    long rss1 = loadgen_rss_kb(pid);
    free(fam);
    fprintf(stderr, "  flood: 300 unregistered names refused %zu (%lld ms), 100 bad signatures refused %zu (%lld ms); "
                    "VmRSS %ld -> %ld KiB\n",
            unreg, t1 - t0, badsig, t2 - t1, rss0, rss1);
    CHECK_EQ_INT(unreg, 300);
    CHECK_EQ_INT(badsig, 100);
    const char *b = getenv("MPAVS_DAEMON_BUILD");
    if (!(b && *b)) CHECK(rss1 - rss0 < 16 * 1024); /* sanitizer daemons keep freed memory in quarantine */
    a = agg_metrics();
    REQUIRE(a);
    after = pushed_lines(a);
    CHECK_STREQ(after, before);
    CHECK(strstr(a, "mpavs_aggregator_metrics_push_operators 2\n") != NULL);
    free(a);
    free(after);
    free(before);
    free(good);
    mpavs_wipe(stranger, 32);
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
    RUN(push_authentication);
    RUN(sighup_then_sigterm);
    world_down(&W);
    return harness_summary();
}

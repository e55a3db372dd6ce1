/*
 * Unit tests of the daemons' Prometheus exposition writer (daemons/common/metrics.c): the text
 * format 0.0.4 as https://prometheus.io/docs/instrumenting/exposition_formats/ specifies it
 * (HELP/TYPE, label escaping, histogram series), and the refusals that keep an exposition
 * valid (duplicate series and families, colliding sample names, bad names and counts). The
 * daemons' real /metrics are parsed by prometheus_client in tests/integration/test_metrics.c.
 */
#include "harness.h"

#include "common/metrics.h"

#include <math.h>
#include <stdlib.h>

TEST(counter_gauge_escaping) {
    dmet w;
    dmet_init(&w);
    CHECK(dmet_family(&w, "x_requests_total", DMET_COUNTER, "Requests\nby \\method."));
    CHECK(dmet_u64(&w, (dmet_label[]){{"method", "a\"b\\c\nd"}, {"code", "200"}}, 2, 7));
    CHECK(dmet_u64(&w, NULL, 0, 1));
    CHECK(dmet_family(&w, "x_temp", DMET_GAUGE, "T."));
    CHECK(dmet_value(&w, NULL, 0, -0.5));
    CHECK(dmet_value(&w, (dmet_label[]){{"k", "v"}}, 1, 1e300));
    CHECK(dmet_value(&w, (dmet_label[]){{"k", "i"}}, 1, INFINITY));
    CHECK(dmet_decimal(&w, (dmet_label[]){{"k", "big"}}, 1, "115792089237316195423570985008687907853269984665640564039457584007913129639935"));
    CHECK_EQ_INT(w.dropped, 0);
    char *t = dmet_finish(&w);
    const char *want = "# HELP x_requests_total Requests\\nby \\\\method.\n"
                   "# TYPE x_requests_total counter\n"
                   "x_requests_total{method=\"a\\\"b\\\\c\\nd\",code=\"200\"} 7\n"
                   "x_requests_total 1\n"
                   "# HELP x_temp T.\n"
                   "# TYPE x_temp gauge\n"
                   "x_temp -0.5\n"
                   "x_temp{k=\"v\"} 1e+300\n"
                   "x_temp{k=\"i\"} +Inf\n"
                   "x_temp{k=\"big\"} "
                   "115792089237316195423570985008687907853269984665640564039457584007913129639935\n";
    CHECK_STREQ(t, want);
    free(t);
}

TEST(histogram) {
    dmet w;
    dmet_init(&w);
    static const double b[3] = {0.005, 0.1, 2.5};
    CHECK(dmet_family(&w, "x_duration_seconds", DMET_HISTOGRAM, "Duration."));
    CHECK(dmet_histogram(&w, (dmet_label[]){{"m", "eth_call"}}, 1, b, (uint64_t[]){1, 3, 3}, 3, 4, 7.25));
    CHECK(dmet_histogram(&w, NULL, 0, b, (uint64_t[]){0, 0, 0}, 3, 0, 0));
    /* an "le" label, counts not cumulative, a count above the total, a sample without buckets */
    CHECK(!dmet_histogram(&w, (dmet_label[]){{"le", "1"}}, 1, b, (uint64_t[]){0, 0, 0}, 3, 0, 0));
    CHECK(!dmet_histogram(&w, (dmet_label[]){{"m", "a"}}, 1, b, (uint64_t[]){2, 1, 3}, 3, 3, 0));
    CHECK(!dmet_histogram(&w, (dmet_label[]){{"m", "b"}}, 1, b, (uint64_t[]){0, 0, 5}, 3, 4, 0));
    CHECK(!dmet_u64(&w, NULL, 0, 1));
    CHECK_EQ_INT(w.dropped, 4);
    char *t = dmet_finish(&w);
    const char *want = "# HELP x_duration_seconds Duration.\n"
                   "# TYPE x_duration_seconds histogram\n"
                   "x_duration_seconds_bucket{m=\"eth_call\",le=\"0.005\"} 1\n"
                   "x_duration_seconds_bucket{m=\"eth_call\",le=\"0.1\"} 3\n"
                   "x_duration_seconds_bucket{m=\"eth_call\",le=\"2.5\"} 3\n"
                   "x_duration_seconds_bucket{m=\"eth_call\",le=\"+Inf\"} 4\n"
                   "x_duration_seconds_sum{m=\"eth_call\"} 7.25\n"
                   "x_duration_seconds_count{m=\"eth_call\"} 4\n"
                   "x_duration_seconds_bucket{le=\"0.005\"} 0\n"
                   "x_duration_seconds_bucket{le=\"0.1\"} 0\n"
                   "x_duration_seconds_bucket{le=\"2.5\"} 0\n"
                   "x_duration_seconds_bucket{le=\"+Inf\"} 0\n"
                   "x_duration_seconds_sum 0\n"
                   "x_duration_seconds_count 0\n";
    CHECK_STREQ(t, want);
    free(t);
}

TEST(no_duplicates) {
    dmet w;
    dmet_init(&w);
    CHECK(dmet_family(&w, "rpc_total", DMET_COUNTER, "h"));
    CHECK(dmet_u64(&w, (dmet_label[]){{"a", "1"}, {"b", "2"}}, 2, 1));
    CHECK(!dmet_u64(&w, (dmet_label[]){{"b", "2"}, {"a", "1"}}, 2, 2)); /* same set, other order */
    CHECK(dmet_u64(&w, (dmet_label[]){{"a", "1"}, {"b", "3"}}, 2, 3));
    CHECK(!dmet_u64(&w, (dmet_label[]){{"a", "1"}, {"a", "2"}}, 2, 3)); /* a label twice */
    CHECK(!dmet_value(&w, (dmet_label[]){{"a", "9"}}, 1, -1));          /* a negative counter */
    /* the same family again, and names whose samples collide with it */
    CHECK(!dmet_family(&w, "rpc_total", DMET_COUNTER, "h"));
    CHECK(!dmet_u64(&w, NULL, 0, 1));
    CHECK(!dmet_family(&w, "rpc", DMET_GAUGE, "h"));
    CHECK(dmet_family(&w, "lat", DMET_HISTOGRAM, "h"));
    CHECK(!dmet_family(&w, "lat_sum", DMET_GAUGE, "h"));
    CHECK(!dmet_family(&w, "lat_bucket", DMET_COUNTER, "h"));
    CHECK(!dmet_family(&w, "confirm_latency_ms_sum", DMET_COUNTER, "h")); /* a sum is a histogram's part */
    CHECK(!dmet_family(&w, "x_bucket", DMET_GAUGE, "h"));
    CHECK(dmet_family(&w, "peer_count", DMET_GAUGE, "h"));
    CHECK(dmet_family(&w, "up", DMET_GAUGE, "h"));
    CHECK(dmet_family(&w, "up_total", DMET_GAUGE, "h")); /* a gauge may end in _total */
    /* the series set is per family: the same labels in another family are fine */
    CHECK(dmet_family(&w, "other", DMET_GAUGE, "h"));
    CHECK(dmet_u64(&w, (dmet_label[]){{"a", "1"}, {"b", "2"}}, 2, 1));
    CHECK_EQ_INT(w.dropped, 10);
    char *t = dmet_finish(&w);
    CHECK(strstr(t, "rpc_total{a=\"1\",b=\"2\"} 1\nrpc_total{a=\"1\",b=\"3\"} 3\n# HELP lat h\n") != NULL);
    CHECK(strstr(t, "rpc_total{a=\"1\",b=\"2\"} 2") == NULL);
    free(t);
}

TEST(bad_names) {
    dmet w;
    dmet_init(&w);
    CHECK(!dmet_family(&w, "", DMET_GAUGE, "h"));
    CHECK(!dmet_family(&w, "9x", DMET_GAUGE, "h"));
    CHECK(!dmet_family(&w, "a-b", DMET_GAUGE, "h"));
    CHECK(!dmet_family(&w, "a b", DMET_GAUGE, "h"));
    CHECK(!dmet_family(&w, NULL, DMET_GAUGE, "h"));
    CHECK(dmet_family(&w, "ns:x_1", DMET_GAUGE, NULL)); /* no help: the name stands in */
    CHECK(!dmet_u64(&w, (dmet_label[]){{"__name", "v"}}, 1, 1));
    CHECK(!dmet_u64(&w, (dmet_label[]){{"a:b", "v"}}, 1, 1));
    CHECK(!dmet_u64(&w, (dmet_label[]){{"a", NULL}}, 1, 1));
    CHECK(!dmet_decimal(&w, NULL, 0, "12a"));
    CHECK(!dmet_decimal(&w, NULL, 0, ""));
    dmet_label many[DMET_MAX_LABELS + 1];
    char names[DMET_MAX_LABELS + 1][8];
    for (int i = 0; i <= DMET_MAX_LABELS; i++) {
        snprintf(names[i], sizeof names[i], "l%d", i);
        many[i] = (dmet_label){names[i], "v"};
    }
    CHECK(!dmet_u64(&w, many, DMET_MAX_LABELS + 1, 1));
    CHECK(dmet_u64(&w, many, DMET_MAX_LABELS, 1));
    CHECK(dmet_value(&w, NULL, 0, NAN)); /* a gauge may be NaN */
    char *t = dmet_finish(&w);
    CHECK(strstr(t, "# HELP ns:x_1 ns:x_1\n# TYPE ns:x_1 gauge\nns:x_1{l0=\"v\",l1=\"v\",l2=\"v\"") == t);
    CHECK(strstr(t, "ns:x_1 NaN\n") != NULL);
    free(t);
}

TEST(many_series) {
    /* the sets grow: 20,000 series in one family, each once; every second one repeated */
    dmet w;
    dmet_init(&w);
    CHECK(dmet_family(&w, "g", DMET_GAUGE, "h"));
    size_t ok = 0;
    for (int i = 0; i < 20000; i++) {
        char v[16];
        snprintf(v, sizeof v, "%d", i);
        ok += dmet_u64(&w, (dmet_label[]){{"operator", v}}, 1, (uint64_t)i);
        if (i % 2 == 0) ok += dmet_u64(&w, (dmet_label[]){{"operator", v}}, 1, 0);
    }
    CHECK_EQ_INT(ok, 20000);
    CHECK_EQ_INT(w.dropped, 10000);
    free(dmet_finish(&w));
    char *empty = dmet_finish(&w);
    CHECK_STREQ(empty, "");
    free(empty);
}

int main(void) {
    RUN(counter_gauge_escaping);
    RUN(histogram);
    RUN(no_duplicates);
    RUN(bad_names);
    RUN(many_series);
    return harness_summary();
}

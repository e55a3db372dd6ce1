/*
 * daemons/operator/metrics.c — Prometheus text on EigenMetricsIpPortAddress: the reference
 * operator's avs_operator_* families and labels (upstream §1.6) with observed values, the
 * eigen_* families (performance score, registered stakes, RPC requests of our chain calls),
 * /proverMetrics (proxy of GET <ProverURL>/metrics, 502 when it fails), and the periodic
 * aggregator_submitMetrics push (families avs*, eigen_* as client_model JSON, §2.4).
 */
#include "operator/operator.h"

#include "common/textbuf.h"

#include "mpavs/avs.h"
#include "mpavs/hex.h"

#include <curl/curl.h>
#include <stddef.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef dbuf buf;

static const double BUCKETS[OP_RPC_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

static void head(buf *b, const char *name, const char *type, const char *help) {
    dbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

char *op_metrics_text(op *o) {
    buf b = {0};
    pthread_mutex_lock(&o->lock);
    const char *an = o->avs_name;
    char opaddr[43], att[43], ph[67] = "";
    mpavs_address_to_checksum(opaddr, &o->operator_addr);
    mpavs_address_to_checksum(att, &o->att_addr);
    uint8_t h[32];
    mpavs_avs_prover_addr_hash(h, o->cfg.prover_url);
    if (mpavs_hex_encode(ph, sizeof ph, h, 32, true)) ph[0] = 0;
    head(&b, "avs_operator_metadata_counter", "counter", "Operator metadata, incremented every 60 s.");
    dbuf_printf(&b, "avs_operator_metadata_counter{avs_name=\"%s\",operator_addr=\"%s\",version=\"%s\",attestation_addr=\"%s\","
        "prover_url_hash=\"%s\",prover_version=\"%s\",task_fetch_with_context=\"%s\",scroll_with_context=\"%s\","
        "linea_with_context=\"%s\"} %" PRIu64 "\n", an, opaddr, OP_VERSION, att, ph, o->prover_version,
        o->prover_with_context ? "true" : "false",
        (o->prover_twc_set[0] ? o->prover_twc[0] : o->prover_with_context) ? "true" : "false",
        (o->prover_twc_set[1] ? o->prover_twc[1] : true) ? "true" : "false", o->metadata_counter);
    static const struct {
        const char *name, *type, *help;
        size_t off;
    } F[] = {
        {"avs_operator_submit_task_counter", "counter", "Tasks submitted to the aggregator.",
         offsetof(op_type_metrics, submit)},
        {"avs_operator_latest_task_gauge", "gauge", "Latest task id received.", offsetof(op_type_metrics, latest_task)},
        {"avs_operator_process_task_ms_gauge", "gauge", "Time to process the latest task (ms).",
         offsetof(op_type_metrics, process_ms)},
        {"avs_operator_gen_poe_ms_gauge", "gauge", "Time the prover took for the latest task (ms).",
         offsetof(op_type_metrics, gen_poe_ms)},
        {"avs_operator_submit_task_ms_gauge", "gauge", "Time of the latest aggregator_submitTask (ms).",
         offsetof(op_type_metrics, submit_ms)},
        {"mpavs_operator_submit_rejected_total", "counter", "Submissions the aggregator rejected.",
         offsetof(op_type_metrics, rejected)},
    };
    head(&b, "avs_operator_fetch_task_counter", "counter", "Tasks received from the aggregator.");
    for (size_t q = 0; q < o->cfg.nqt; q++) {
        uint64_t t = o->cfg.qt[q].task_type;
        for (int wc = 0; wc < 2; wc++)
            dbuf_printf(&b, "avs_operator_fetch_task_counter{avs_name=\"%s\",type=\"%s\",with_context=\"%s\"} %" PRIu64 "\n",
                an, op_type_name(t), wc ? "true" : "false", o->tm[t - 1].fetch[wc]);
    }
    for (size_t f = 0; f < sizeof F / sizeof F[0]; f++) {
        head(&b, F[f].name, F[f].type, F[f].help);
        for (size_t q = 0; q < o->cfg.nqt; q++) {
            uint64_t t = o->cfg.qt[q].task_type;
            uint64_t v = *(const uint64_t *)((const char *)&o->tm[t - 1] + F[f].off);
            dbuf_printf(&b, "%s{avs_name=\"%s\",type=\"%s\"} %" PRIu64 "\n", F[f].name, an, op_type_name(t), v);
        }
    }
    head(&b, "avs_operator_gen_report_ms_gauge", "gauge", "Time of the latest attestation quote (ms).");
    dbuf_printf(&b, "avs_operator_gen_report_ms_gauge{avs_name=\"%s\"} %" PRIu64 "\n", an, o->gen_report_ms);
    head(&b, "avs_operator_liveness_ts_gauge", "gauge", "attestedProvers(operatorId).time.");
    dbuf_printf(&b, "avs_operator_liveness_ts_gauge{avs_name=\"%s\"} %" PRIu64 "\n", an, o->liveness_ts);
    head(&b, "avs_operator_next_attestation_ts_gauge", "gauge", "When the liveness proof expires (unix s).");
    dbuf_printf(&b, "avs_operator_next_attestation_ts_gauge{avs_name=\"%s\"} %" PRIu64 "\n", an, o->next_attestation_ts);
    head(&b, "avs_operator_last_attestation_cost_gauge", "gauge", "ETH cost of the latest liveness transaction.");
    dbuf_printf(&b, "avs_operator_last_attestation_cost_gauge{avs_name=\"%s\"} %.9g\n", an, o->last_attestation_cost);
    head(&b, "avs_operator_attestation_acc_balance_gauge", "gauge", "Attestation account balance (ETH).");
    dbuf_printf(&b, "avs_operator_attestation_acc_balance_gauge{avs_name=\"%s\"} %.9g\n", an, o->att_balance);
    head(&b, "mpavs_operator_liveness_submissions_total", "counter", "Liveness proofs submitted.");
    dbuf_printf(&b, "mpavs_operator_liveness_submissions_total %" PRIu64 "\n", o->liveness_submits);
    head(&b, "mpavs_operator_live", "gauge", "1 when the liveness proof is valid for the current prover.");
    dbuf_printf(&b, "mpavs_operator_live %d\n", o->live ? 1 : 0);
    head(&b, "eigen_performance_score", "gauge", "The performance metric is a score between 0 and 100.");
    dbuf_printf(&b, "eigen_performance_score{avs_name=\"%s\"} 100\n", an);
    head(&b, "eigen_registered_stakes", "gauge", "Operator stake in each quorum (StakeRegistry.getCurrentStake).");
    for (size_t q = 0; q < o->cfg.nqt && o->stakes_known; q++) {
        if (!(o->quorum_bitmap >> o->cfg.qt[q].quorum & 1)) continue;
        char dec[80];
        mpavs_u256_to_dec(dec, sizeof dec, &o->stakes[q]);
        dbuf_printf(&b, "eigen_registered_stakes{avs_name=\"%s\",quorum_number=\"%u\",quorum_name=\"%s\"} %s\n", an,
            o->cfg.qt[q].quorum, op_type_name(o->cfg.qt[q].task_type), dec);
    }
    head(&b, "eigen_rpc_request_total", "counter", "Chain RPC requests made by the operator.");
    for (size_t i = 0; i < o->nrpc; i++)
        dbuf_printf(&b, "eigen_rpc_request_total{avs_name=\"%s\",method=\"%s\",client_version=\"%s\"} %" PRIu64 "\n", an,
            o->rpc[i].method, o->client_version[o->rpc[i].chain], o->rpc[i].count);
    head(&b, "eigen_rpc_request_duration_seconds", "histogram", "Duration of chain RPC requests.");
    for (size_t i = 0; i < o->nrpc; i++) {
        const op_rpc_stat *s = &o->rpc[i];
        const char *cv = o->client_version[s->chain];
        for (size_t k = 0; k < OP_RPC_BUCKETS; k++)
            dbuf_printf(&b, "eigen_rpc_request_duration_seconds_bucket{avs_name=\"%s\",method=\"%s\",client_version=\"%s\","
                "le=\"%g\"} %" PRIu64 "\n", an, s->method, cv, BUCKETS[k], s->buckets[k]);
        dbuf_printf(&b, "eigen_rpc_request_duration_seconds_bucket{avs_name=\"%s\",method=\"%s\",client_version=\"%s\","
            "le=\"+Inf\"} %" PRIu64 "\n", an, s->method, cv, s->count);
        dbuf_printf(&b, "eigen_rpc_request_duration_seconds_sum{avs_name=\"%s\",method=\"%s\",client_version=\"%s\"} %.6f\n",
            an, s->method, cv, s->sum);
        dbuf_printf(&b, "eigen_rpc_request_duration_seconds_count{avs_name=\"%s\",method=\"%s\",client_version=\"%s\"} %"
            PRIu64 "\n", an, s->method, cv, s->count);
    }
    pthread_mutex_unlock(&o->lock);
    return b.s;
}

typedef struct {
    buf b;
    bool too_large;
} fetched;

static size_t on_data(char *p, size_t sz, size_t n, void *u) {
    fetched *f = u;
    if (f->b.len + sz * n > (8u << 20)) {
        f->too_large = true;
        return 0;
    }
    dbuf_printf(&f->b, "%.*s", (int)(sz * n), p);
    return sz * n;
}

static void prover_metrics(op *o, dhttp_reply *r) {
    char url[600];
    size_t ul = strlen(o->cfg.prover_url);
    snprintf(url, sizeof url, "%s%smetrics", o->cfg.prover_url, ul && o->cfg.prover_url[ul - 1] == '/' ? "" : "/");
    fetched f = {0};
    CURL *h = curl_easy_init();
    long status = 0;
    CURLcode cr = CURLE_FAILED_INIT;
    if (h) {
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &f);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        cr = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(h);
    }
    if (cr != CURLE_OK || status != 200) {
        free(f.b.s);
        r->status = 502;
        r->content_type = "text/plain; charset=utf-8";
        r->body = strdup("prover metrics unavailable\n");
        return;
    }
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    r->body = f.b.s ? f.b.s : strdup("");
}

void op_metrics_http(void *user, const char *path, dhttp_reply *r) {
    op *o = user;
    if (strcmp(path, "/metrics") == 0) {
        r->content_type = "text/plain; version=0.0.4; charset=utf-8";
        r->body = op_metrics_text(o);
    } else if (strcmp(path, "/proverMetrics") == 0) {
        prover_metrics(o, r);
    } else {
        r->status = 404;
        r->content_type = "text/plain; charset=utf-8";
        r->body = strdup("404 page not found\n");
    }
}

/* Parse our own exposition into client_model JSON families (avs*, eigen_*), §2.4. */
static json_t *families(const char *text) {
    json_t *fams = json_array(), *cur = NULL;
    int type = 3;
    const char *p = text;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[1024];
        if (n >= sizeof line) n = sizeof line - 1;
        memcpy(line, p, n);
        line[n] = 0;
        p = nl ? nl + 1 : NULL;
        char name[200], t[32];
        if (sscanf(line, "# TYPE %199s %31s", name, t) == 2) {
            cur = NULL;
            type = strcmp(t, "counter") == 0 ? 0 : strcmp(t, "gauge") == 0 ? 1 : 3;
            if ((strncmp(name, "avs", 3) == 0 || strncmp(name, "eigen_", 6) == 0) && strcmp(t, "histogram") != 0) {
                cur = json_pack("{s:s,s:i,s:[]}", "name", name, "type", type, "metric");
                json_array_append_new(fams, cur);
            }
            continue;
        }
        if (!cur || line[0] == '#' || !line[0]) continue;
        char *sp = strrchr(line, ' ');
        if (!sp) continue;
        double v = strtod(sp + 1, NULL);
        *sp = 0;
        json_t *labels = json_array();
        char *lb = strchr(line, '{');
        if (lb) {
            char *q = lb + 1;
            while (*q && *q != '}') {
                char *eq = strchr(q, '=');
                if (!eq || eq[1] != '"') break;
                char *end = strchr(eq + 2, '"');
                if (!end) break;
                *eq = 0;
                *end = 0;
                json_array_append_new(labels, json_pack("{s:s,s:s}", "name", q, "value", eq + 2));
                q = end + 1;
                if (*q == ',') q++;
            }
        }
        json_t *m = json_pack("{s:o,s:{s:f}}", "label", labels, type == 0 ? "counter" : type == 1 ? "gauge" : "untyped",
                              "value", v);
        json_array_append_new(json_object_get(cur, "metric"), m);
    }
    return fams;
}

void op_submit_metrics(op *o) {
    char *text = op_metrics_text(o);
    if (!text) return;
    json_t *fams = families(text);
    free(text);
    char name[80], cs[43];
    mpavs_address_to_checksum(cs, &o->operator_addr);
    snprintf(name, sizeof name, "%s_v%s", cs, OP_VERSION);
    json_t *params = json_pack("[{s:s,s:o}]", "name", name, "metrics", fams), *res = NULL;
    op_rpc_err e;
    if (!op_jsonrpc(o, o->cfg.aggregator_url, "aggregator_submitMetrics", params, 10000, &res, &e))
        dlog(DLOG_DEBUG, "submit_metrics_failed", "error=\"%s\"", e.message);
    json_decref(res);
    json_decref(params);
}

/*
 * daemons/operator/metrics.c — Prometheus text on EigenMetricsIpPortAddress: the reference
 * operator's avs_operator_* families and labels (upstream §1.6) with observed values, the
 * eigen_* families (performance score, registered stakes, RPC requests of our chain calls),
 * /proverMetrics (proxy of GET <ProverURL>/metrics, 502 when it fails), and the periodic
 * aggregator_submitMetrics push (families avs*, eigen_* as client_model JSON, §2.4).
 */
#include "operator/operator.h"

#include "common/metrics.h"
#include "common/textbuf.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"

#include <curl/curl.h>
#include <stddef.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef dbuf buf;

static const double BUCKETS[OP_RPC_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
static const char *const CHAIN_LABEL[2] = {"avs", "attestation"};

#define L(...) ((const dmet_label[]){__VA_ARGS__}), (sizeof((const dmet_label[]){__VA_ARGS__}) / sizeof(dmet_label))

char *op_metrics_text(op *o) {
    dmet w;
    dmet_init(&w);
    pthread_mutex_lock(&o->lock);
    const char *an = o->avs_name;
    char opaddr[43], att[43], ph[67] = "";
    mpavs_address_to_checksum(opaddr, &o->operator_addr);
    mpavs_address_to_checksum(att, &o->att_addr);
    uint8_t h[32];
    mpavs_avs_prover_addr_hash(h, o->cfg.prover_url);
    if (mpavs_hex_encode(ph, sizeof ph, h, 32, true)) ph[0] = 0;
    dmet_family(&w, "avs_operator_metadata_counter", DMET_COUNTER, "Operator metadata, incremented every 60 s.");
    /* the reference's labels, then <kind>_with_context for every kind that takes a context */
    dmet_label ml[7 + OP_TYPES] = {{"avs_name", an}, {"operator_addr", opaddr}, {"version", OP_VERSION},
                                   {"attestation_addr", att}, {"prover_url_hash", ph},
                                   {"prover_version", o->prover_version},
                                   {"task_fetch_with_context", o->prover_with_context ? "true" : "false"}};
    char wcname[OP_TYPES][48];
    size_t nml = 7;
    for (size_t i = 0; i < mpavs_taskkind_count() && nml < sizeof ml / sizeof ml[0]; i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        if (!k->needs_context) continue;
        char *nm = wcname[nml - 7];
        snprintf(nm, sizeof wcname[0], "%s_with_context", k->name);
        ml[nml].name = nm;
        ml[nml].value = op_with_context_locked(o, k) ? "true" : "false";
        nml++;
    }
    dmet_u64(&w, ml, nml, o->metadata_counter);
    static const struct {
        const char *name;
        dmet_type type;
        const char *help;
        size_t off;
    } F[] = {
        {"avs_operator_submit_task_counter", DMET_COUNTER, "Tasks submitted to the aggregator.",
         offsetof(op_type_metrics, submit)},
        {"avs_operator_latest_task_gauge", DMET_GAUGE, "Latest task id received.", offsetof(op_type_metrics, latest_task)},
        {"avs_operator_process_task_ms_gauge", DMET_GAUGE, "Time to process the latest task (ms).",
         offsetof(op_type_metrics, process_ms)},
        {"avs_operator_gen_poe_ms_gauge", DMET_GAUGE, "Time the prover took for the latest task (ms).",
         offsetof(op_type_metrics, gen_poe_ms)},
        {"avs_operator_submit_task_ms_gauge", DMET_GAUGE, "Time of the latest aggregator_submitTask (ms).",
         offsetof(op_type_metrics, submit_ms)},
        {"mpavs_operator_submit_rejected_total", DMET_COUNTER, "Submissions the aggregator rejected.",
         offsetof(op_type_metrics, rejected)},
    };
    dmet_family(&w, "avs_operator_fetch_task_counter", DMET_COUNTER, "Tasks received from the aggregator.");
    for (size_t q = 0; q < o->cfg.nqt; q++) {
        uint64_t t = o->cfg.qt[q].task_type;
        for (int wc = 0; wc < 2; wc++)
            dmet_u64(&w, L({"avs_name", an}, {"type", op_type_name(t)}, {"with_context", wc ? "true" : "false"}),
                     o->tm[t - 1].fetch[wc]);
    }
    for (size_t f = 0; f < sizeof F / sizeof F[0]; f++) {
        dmet_family(&w, F[f].name, F[f].type, F[f].help);
        for (size_t q = 0; q < o->cfg.nqt; q++) {
            uint64_t t = o->cfg.qt[q].task_type;
            uint64_t v = *(const uint64_t *)((const char *)&o->tm[t - 1] + F[f].off);
            dmet_u64(&w, L({"avs_name", an}, {"type", op_type_name(t)}), v);
        }
    }
    dmet_family(&w, "avs_operator_gen_report_ms_gauge", DMET_GAUGE, "Time of the latest attestation quote (ms).");
    dmet_u64(&w, L({"avs_name", an}), o->gen_report_ms);
    dmet_family(&w, "avs_operator_liveness_ts_gauge", DMET_GAUGE, "attestedProvers(operatorId).time.");
    dmet_u64(&w, L({"avs_name", an}), o->liveness_ts);
    dmet_family(&w, "avs_operator_next_attestation_ts_gauge", DMET_GAUGE, "When the liveness proof expires (unix s).");
    dmet_u64(&w, L({"avs_name", an}), o->next_attestation_ts);
    dmet_family(&w, "avs_operator_last_attestation_cost_gauge", DMET_GAUGE, "ETH cost of the latest liveness transaction.");
    dmet_value(&w, L({"avs_name", an}), o->last_attestation_cost);
    dmet_family(&w, "avs_operator_attestation_acc_balance_gauge", DMET_GAUGE, "Attestation account balance (ETH).");
    dmet_value(&w, L({"avs_name", an}), o->att_balance);
    dmet_family(&w, "mpavs_operator_attestation_fee_wei", DMET_GAUGE,
                "Attestation fee (wei) sent with the latest liveness proof (estimate x AttestationFeeMarginPercent).");
    char feed[80] = "0";
    (void)mpavs_u256_to_dec(feed, sizeof feed, &o->last_attestation_fee_wei);
    dmet_decimal(&w, NULL, 0, feed);
    dmet_family(&w, "mpavs_operator_liveness_submissions_total", DMET_COUNTER, "Liveness proofs submitted.");
    dmet_u64(&w, NULL, 0, o->liveness_submits);
    dmet_family(&w, "mpavs_operator_live", DMET_GAUGE, "1 when the liveness proof is valid for the current prover.");
    dmet_u64(&w, NULL, 0, o->live ? 1 : 0);
    dmet_family(&w, "eigen_performance_score", DMET_GAUGE, "The performance metric is a score between 0 and 100.");
    dmet_u64(&w, L({"avs_name", an}), 100);
    dmet_family(&w, "eigen_registered_stakes", DMET_GAUGE, "Operator stake in each quorum (StakeRegistry.getCurrentStake).");
    for (size_t q = 0; q < o->cfg.nqt && o->stakes_known; q++) {
        if (!(o->quorum_bitmap >> o->cfg.qt[q].quorum & 1)) continue;
        char dec[80], qn[8];
        mpavs_u256_to_dec(dec, sizeof dec, &o->stakes[q]);
        snprintf(qn, sizeof qn, "%u", o->cfg.qt[q].quorum);
        dmet_decimal(&w, L({"avs_name", an}, {"quorum_number", qn}, {"quorum_name", op_type_name(o->cfg.qt[q].task_type)}),
                     dec);
    }
    /* the operator has two chain clients (the AVS chain and the attestation chain): `chain` tells them apart */
    dmet_family(&w, "eigen_rpc_request_total", DMET_COUNTER, "Chain RPC requests made by the operator.");
    for (size_t i = 0; i < o->nrpc; i++)
        dmet_u64(&w, L({"avs_name", an}, {"method", o->rpc[i].method}, {"client_version", o->client_version[o->rpc[i].chain]},
                       {"chain", CHAIN_LABEL[o->rpc[i].chain & 1]}),
                 o->rpc[i].count);
    dmet_family(&w, "eigen_rpc_request_duration_seconds", DMET_HISTOGRAM, "Duration of chain RPC requests.");
    for (size_t i = 0; i < o->nrpc; i++) {
        const op_rpc_stat *s = &o->rpc[i];
        dmet_histogram(&w, L({"avs_name", an}, {"method", s->method}, {"client_version", o->client_version[s->chain]},
                             {"chain", CHAIN_LABEL[s->chain & 1]}),
                       BUCKETS, s->buckets, OP_RPC_BUCKETS, s->count, s->sum);
    }
    pthread_mutex_unlock(&o->lock);
    if (w.dropped) dlog(DLOG_WARN, "metrics_dropped", "series=%zu", w.dropped);
    return dmet_finish(&w);
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

/* A label value of the text format, unescaped in place (\\, \", \n); returns the character after its closing quote. */
static char *unescape_value(char *v) {
    char *out = v;
    for (char *p = v; *p; p++) {
        if (*p == '"') {
            *out = 0;
            return p + 1;
        }
        if (*p == '\\' && p[1]) {
            p++;
            *out++ = *p == 'n' ? '\n' : *p;
        } else {
            *out++ = *p;
        }
    }
    return NULL;
}

/* Parse our own exposition into client_model JSON families (avs*, eigen_*; counters and gauges), §2.4. */
static json_t *families(const char *text) {
    json_t *fams = json_array(), *cur = NULL;
    int type = 3;
    char help[512] = "";
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
        int hl = 0;
        if (sscanf(line, "# HELP %199s %n", name, &hl) == 1 && hl > 0) {
            size_t k = 0; /* unescape \\ and \n */
            for (const char *c = line + hl; *c && k + 1 < sizeof help; c++) {
                if (*c == '\\' && c[1]) c++, help[k++] = *c == 'n' ? '\n' : *c;
                else help[k++] = *c;
            }
            help[k] = 0;
            continue;
        }
        if (sscanf(line, "# TYPE %199s %31s", name, t) == 2) {
            cur = NULL;
            type = strcmp(t, "counter") == 0 ? 0 : strcmp(t, "gauge") == 0 ? 1 : 3;
            if ((strncmp(name, "avs", 3) == 0 || strncmp(name, "eigen_", 6) == 0) && type != 3) {
                cur = json_pack("{s:s,s:s,s:i,s:[]}", "name", name, "help", help, "type", type, "metric");
                json_array_append_new(fams, cur);
            }
            help[0] = 0;
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
            while (q && *q && *q != '}') {
                char *eq = strchr(q, '=');
                if (!eq || eq[1] != '"') break;
                *eq = 0;
                char *val = eq + 2, *next = unescape_value(val);
                if (!next) break;
                json_array_append_new(labels, json_pack("{s:s,s:s}", "name", q, "value", val));
                q = next;
                if (*q == ',') q++;
            }
        }
        json_t *m = json_pack("{s:o,s:{s:f}}", "label", labels, type == 0 ? "counter" : "gauge", "value", v);
        json_array_append_new(json_object_get(cur, "metric"), m);
    }
    return fams;
}

/*
 * The signed push (docs/aggregator.md §4): the BLS key registered for operator_addr signs
 * mpavs_avs_metrics_push_digest over the compact JSON text of the families, which is what the
 * aggregator re-serialises with the same jansson call and stores.
 */
void op_submit_metrics(op *o) {
    char *text = op_metrics_text(o);
    if (!text) return;
    json_t *fams = families(text);
    free(text);
    char name[80], cs[43], sighex[131] = "";
    mpavs_address_to_checksum(cs, &o->operator_addr);
    snprintf(name, sizeof name, "%s_v%s", cs, OP_VERSION);
    char *compact = fams ? json_dumps(fams, JSON_COMPACT) : NULL;
    uint64_t ts = (uint64_t)time(NULL);
    uint8_t digest[32], sb[64];
    mpavs_bn254_g1 sig;
    if (!compact) {
        json_decref(fams);
        return;
    }
    mpavs_avs_metrics_push_digest(digest, o->avs_chain_id, o->cfg.registry_coordinator.bytes, name, strlen(name), ts,
                                  (const uint8_t *)compact, strlen(compact));
    free(compact);
    if (mpavs_bls_sign(&sig, o->bls_sk, digest) != MPAVS_BLS_OK) {
        json_decref(fams);
        return;
    }
    mpavs_bn254_g1_encode(sb, &sig);
    if (mpavs_hex_encode(sighex, sizeof sighex, sb, 64, true)) sighex[0] = 0;
    json_t *params = json_pack("[{s:s,s:o,s:I,s:s}]", "name", name, "metrics", fams, "timestamp", (json_int_t)ts,
                               "signature", sighex),
           *res = NULL;
    op_rpc_err e;
    if (params && !op_jsonrpc(o, o->cfg.aggregator_url, "aggregator_submitMetrics", params, 10000, &res, &e))
        dlog(DLOG_WARN, "submit_metrics_failed", "error=%s", DLOG_Q(e.message));
    json_decref(res);
    json_decref(params);
}

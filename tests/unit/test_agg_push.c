/*
 * aggregator_submitMetrics authentication and bounds (daemons/aggregator/push.c, pushstore.c)
 * on the aggregator's core with real BLS keys in its key index: a push signed by the BLS key
 * registered for the address in its name is re-exported with operator="<name>"; an unsigned
 * push, one signed by another operator's or an unregistered key, one naming an unregistered
 * address, a replay, a stale or future timestamp, tampered metrics, a bad name and oversized
 * pushes are refused with their reason, counted in
 * mpavs_aggregator_metrics_push_refused_total{reason}, and leave the exposition unchanged; the
 * store's total bounds (bytes, operators) hold. No network. About a second.
 */
#include "aggregator/daemon.h"
#include "aggregator/pushstore.h"
#include "common/log.h"
#include "harness.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHAIN_ID 31337u
#define NKEYS 3 /* KEYS[0], KEYS[1] registered; KEYS[2] not */

static uint8_t SK[NKEYS][32];
static mpavs_bn254_g1 PK1[NKEYS];
static mpavs_bn254_g2 PK2[NKEYS];
static const uint8_t RC[20] = {0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67,
                               0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3};

static void addr_of(uint8_t a[20], unsigned i) {
    memset(a, 0, 20);
    a[0] = 0xa0;
    a[18] = (uint8_t)(i >> 8);
    a[19] = (uint8_t)i;
}

static void name_of(char *out, size_t cap, unsigned i) {
    uint8_t a[20];
    char h[43];
    addr_of(a, i);
    if (mpavs_hex_encode(h, sizeof h, a, 20, true)) h[0] = 0;
    snprintf(out, cap, "%s_v0.1.0", h);
}

static agg_daemon D;

/* The daemon's core with n registered addresses: address i has key i % 2 (KEYS[0] or KEYS[1]). */
static void up(size_t n) {
    memset(&D, 0, sizeof D);
    agg_core_init(&D);
    D.avs_chain_id = CHAIN_ID;
    memcpy(D.cfg.registry_coordinator.bytes, RC, 20);
    D.keys = calloc(n, sizeof *D.keys);
    for (size_t i = 0; i < n && D.keys; i++) {
        addr_of(D.keys[i].address, (unsigned)i);
        D.keys[i].g1 = PK1[i % 2];
        D.keys[i].g2 = PK2[i % 2];
        D.keys[i].block_number = 1;
    }
    D.nkeys = D.keys ? n : 0;
}

static void down(void) {
    free(D.keys);
    agg_core_destroy(&D);
}

/* A push request {name, metrics, timestamp, signature}: metrics signed by key (-1: unsigned),
   signed_metrics (NULL: the metrics) is what the signature covers. */
static json_t *push(const char *name, const char *metrics, uint64_t ts, int key, const char *signed_metrics) {
    json_t *fams = json_loads(metrics, 0, NULL);
    if (!fams) return NULL;
    json_t *req = json_pack("{s:s,s:o}", "name", name, "metrics", fams);
    if (key < 0 || !req) return req;
    json_t *sf = signed_metrics ? json_loads(signed_metrics, 0, NULL) : json_incref(fams);
    char *text = sf ? json_dumps(sf, JSON_COMPACT) : NULL;
    json_decref(sf);
    uint8_t digest[32], sb[64];
    char hex[131];
    mpavs_avs_metrics_push_digest(digest, CHAIN_ID, RC, name, strlen(name), ts, (const uint8_t *)text,
                                  text ? strlen(text) : 0);
    free(text);
    mpavs_bn254_g1 sig;
    if (mpavs_bls_sign(&sig, SK[key], digest) != MPAVS_BLS_OK) return req;
    mpavs_bn254_g1_encode(sb, &sig);
    if (mpavs_hex_encode(hex, sizeof hex, sb, 64, true)) hex[0] = 0;
    json_object_set_new(req, "timestamp", json_integer((json_int_t)ts));
    json_object_set_new(req, "signature", json_string(hex));
    return req;
}

static int submit(json_t *req) {
    char msg[400];
    int r = agg_metrics_submit(&D, req, msg, sizeof msg);
    json_decref(req);
    return r;
}

/* The pushed part of the exposition (the tests push one family, avs_x, last in the text). */
static char *pushed_text(void) {
    const char *ct;
    char *t = agg_metrics_text(&D, &ct);
    char *p = t ? strstr(t, "# HELP avs_x ") : NULL;
    char *r = strdup(p ? p : "");
    free(t);
    return r;
}

static uint64_t refused(const char *reason) {
    const char *ct;
    char *t = agg_metrics_text(&D, &ct), needle[128];
    snprintf(needle, sizeof needle, "mpavs_aggregator_metrics_push_refused_total{reason=\"%s\"} ", reason);
    char *p = t ? strstr(t, needle) : NULL;
    uint64_t v = p ? strtoull(p + strlen(needle), NULL, 10) : UINT64_MAX;
    free(t);
    return v;
}

static const char *GAUGE1 = "[{\"name\":\"avs_x\",\"help\":\"X.\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":1.5}}]}]";
static const char *GAUGE2 = "[{\"name\":\"avs_x\",\"help\":\"X.\",\"type\":1,\"metric\":[{\"label\":[],\"gauge\":{\"value\":2}}]}]";

TEST(signed_push_kept_others_refused) {
    up(2);
    char n0[80], n1[80], n2[80];
    name_of(n0, sizeof n0, 0);
    name_of(n1, sizeof n1, 1);
    name_of(n2, sizeof n2, 2); /* not registered */
    uint64_t now = (uint64_t)time(NULL);
    CHECK_EQ_INT(submit(push(n0, GAUGE1, now, 0, NULL)), PUSH_REFUSED_COUNT);
    char *before = pushed_text(), want[300];
    snprintf(want, sizeof want, "# HELP avs_x X.\n# TYPE avs_x gauge\navs_x{operator=\"%s\"} 1.5\n", n0);
    CHECK_STREQ(before, want);

    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + 1, -1, NULL)), PUSH_UNSIGNED);       /* a reference operator */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + 1, 1, NULL)), PUSH_BAD_SIGNATURE);   /* another operator's key */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + 1, 2, NULL)), PUSH_BAD_SIGNATURE);   /* an unregistered key */
    CHECK_EQ_INT(submit(push(n2, GAUGE2, now + 1, 2, NULL)), PUSH_NOT_REGISTERED);  /* an unregistered address */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + 1, 0, GAUGE1)), PUSH_BAD_SIGNATURE); /* metrics not the signed ones */
    CHECK_EQ_INT(submit(push(n0, GAUGE1, now, 0, NULL)), PUSH_REPLAY);              /* the same push again */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now - 1, 0, NULL)), PUSH_REPLAY);          /* an older one */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now - AGG_PUSH_WINDOW_S - 5, 0, NULL)), PUSH_STALE);
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + AGG_PUSH_WINDOW_S + 5, 0, NULL)), PUSH_STALE);
    CHECK_EQ_INT(submit(push("operator-0", GAUGE2, now + 1, 0, NULL)), PUSH_BAD_NAME);
    CHECK_EQ_INT(submit(push("0xa0000000000000000000000000000000000000000", GAUGE2, now + 1, 0, NULL)), PUSH_BAD_NAME);
    /* the name is signed: the same signature under another suffix fails */
    json_t *r = push(n0, GAUGE2, now + 1, 0, NULL);
    json_object_set_new(r, "name", json_string("0xa000000000000000000000000000000000000000_v9"));
    CHECK_EQ_INT(submit(r), PUSH_BAD_SIGNATURE);
    /* a signature that is no G1 point, one of the wrong length */
    r = push(n0, GAUGE2, now + 1, 0, NULL);
    char bad[131] = "0x";
    memset(bad + 2, '1', 128);
    bad[130] = 0;
    json_object_set_new(r, "signature", json_string(bad));
    CHECK_EQ_INT(submit(r), PUSH_BAD_SIGNATURE);
    r = push(n0, GAUGE2, now + 1, 0, NULL);
    json_object_set_new(r, "signature", json_string("0x1234"));
    CHECK_EQ_INT(submit(r), PUSH_BAD_SIGNATURE);
    r = push(n0, GAUGE2, now + 1, 0, NULL);
    json_object_set_new(r, "timestamp", json_string("now"));
    CHECK_EQ_INT(submit(r), PUSH_INVALID_PARAMS);
    CHECK_EQ_INT(agg_metrics_submit(&D, NULL, (char[64]){0}, 64), PUSH_INVALID_PARAMS);

    char *after = pushed_text();
    CHECK_STREQ(after, before); /* nothing refused changed what is exported */
    free(after);
    CHECK_EQ_INT(refused("unsigned"), 1);
    CHECK_EQ_INT(refused("bad_signature"), 6);
    CHECK_EQ_INT(refused("not_registered"), 1);
    CHECK_EQ_INT(refused("replay"), 2);
    CHECK_EQ_INT(refused("stale"), 2);
    CHECK_EQ_INT(refused("bad_name"), 2);
    CHECK_EQ_INT(refused("invalid_params"), 2);

    /* a newer push replaces the operator's; a second operator's is merged into the family */
    CHECK_EQ_INT(submit(push(n0, GAUGE2, now + 1, 0, NULL)), PUSH_REFUSED_COUNT);
    CHECK_EQ_INT(submit(push(n1, GAUGE1, now, 1, NULL)), PUSH_REFUSED_COUNT);
    after = pushed_text();
    snprintf(want, sizeof want, "# HELP avs_x X.\n# TYPE avs_x gauge\navs_x{operator=\"%s\"} 2\navs_x{operator=\"%s\"} 1.5\n",
             n0, n1);
    CHECK_STREQ(after, want);
    free(after);
    free(before);
    down();
}

/* Families of n gauge samples with labels of about pad bytes each. */
static char *big(size_t n, size_t pad) {
    size_t cap = 200 + n * (pad + 80), k = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    k += (size_t)snprintf(s + k, cap - k, "[{\"name\":\"avs_big\",\"help\":\"B.\",\"type\":1,\"metric\":[");
    for (size_t i = 0; i < n; i++)
        k += (size_t)snprintf(s + k, cap - k, "%s{\"label\":[{\"name\":\"l\",\"value\":\"%0*zu\"}],\"gauge\":{\"value\":1}}",
                              i ? "," : "", (int)pad, i);
    snprintf(s + k, cap - k, "]}]");
    return s;
}

TEST(bounds_per_operator_and_in_total) {
    up(AGG_METRICS_MAX_OPERATORS + 1);
    uint64_t now = (uint64_t)time(NULL);
    char n0[80];
    name_of(n0, sizeof n0, 0);
    char *m = big(AGG_METRICS_MAX_SERIES + 1, 1); /* too many samples */
    CHECK_EQ_INT(submit(push(n0, m, now, 0, NULL)), PUSH_TOO_LARGE);
    free(m);
    m = big(800, 40); /* about 80 KiB */
    CHECK_EQ_INT(submit(push(n0, m, now, 0, NULL)), PUSH_TOO_LARGE);
    free(m);
    /* about 60 KiB each: the 2 MiB in all are reached after 34 operators */
    m = big(600, 40);
    size_t kept = 0, full = 0, names = 0, bytes = 0;
    for (unsigned i = 0; i < 40; i++) {
        char n[80];
        name_of(n, sizeof n, i);
        int r = submit(push(n, m, now, (int)(i % 2), NULL));
        kept += r == PUSH_REFUSED_COUNT;
        full += r == PUSH_FULL;
    }
    free(m);
    agg_pushstore_usage(D.pushes, &names, &bytes);
    fprintf(stderr, "  60 KiB pushes: %zu kept (%zu bytes), %zu refused full\n", kept, bytes, full);
    CHECK(kept >= 30 && kept < 40 && kept + full == 40);
    CHECK(bytes <= AGG_METRICS_MAX_TOTAL && names == kept);
    down();

    /* the number of operators: small pushes from AGG_METRICS_MAX_OPERATORS + 1 registered addresses */
    up(AGG_METRICS_MAX_OPERATORS + 1);
    kept = full = 0;
    for (unsigned i = 0; i <= AGG_METRICS_MAX_OPERATORS; i++) {
        char n[80];
        name_of(n, sizeof n, i);
        int r = submit(push(n, GAUGE1, now, (int)(i % 2), NULL));
        kept += r == PUSH_REFUSED_COUNT;
        full += r == PUSH_FULL;
    }
    CHECK_EQ_INT(kept, AGG_METRICS_MAX_OPERATORS);
    CHECK_EQ_INT(full, 1);
    CHECK_EQ_INT(refused("full"), 1);
    down();
}

int main(void) {
    dlog_set_level(DLOG_ERROR);
    for (int i = 0; i < NKEYS; i++)
        if (mpavs_bls_keygen(SK[i]) || mpavs_bls_pubkey_g1(&PK1[i], SK[i]) || mpavs_bls_pubkey_g2(&PK2[i], SK[i]))
            return 1;
    RUN(signed_push_kept_others_refused);
    RUN(bounds_per_operator_and_in_total);
    return harness_summary();
}

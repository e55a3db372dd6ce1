/*
 * daemons/aggregator/push.c — aggregator_submitMetrics (docs/aggregator.md §4). The reference
 * accepts any push under any name; here a push is kept only when it carries the envelope
 *   {"name":"0x<operator address>_<version>","metrics":[…],"timestamp":<unix s>,"signature":"0x<G1, 64 bytes>"}
 * and the signature is the BLS signature, by the key the BLSApkRegistry holds for that address
 * (the aggregator's key index), of mpavs_avs_metrics_push_digest(AVS chain id, RegistryCoordinator,
 * name, timestamp, json_dumps(metrics, JSON_COMPACT)): exactly the text that is stored. The checks
 * run cheap to expensive (shape, envelope, name, clock, replay, key index, size, pairing), each
 * refusal counted and logged rate-limited; the store (pushstore.h) re-checks the replay under its
 * lock.
 */
#include "aggregator/daemon.h"
#include "aggregator/pushstore.h"

#include "common/log.h"
#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const agg_push_refused_names[PUSH_REFUSED_COUNT] = {
    "invalid_params", "unsigned", "bad_name", "stale", "replay", "not_registered", "bad_signature",
    "too_large",      "full",     "unavailable"};
/* -32602 for what the reference refuses too (shape, size); -32020 for a push that is not authenticated */
const long agg_push_refused_codes[PUSH_REFUSED_COUNT] = {-32602, -32020, -32020, -32020, -32020,
                                                         -32020, -32020, -32602, -32602, -32000};

static int refuse(char *msg, size_t cap, int why, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int refuse(char *msg, size_t cap, int why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, cap, fmt, ap);
    va_end(ap);
    return why;
}

/* The registered G2 key of address (the latest registration in the key index). */
static bool registered_key(agg_daemon *d, mpavs_bn254_g2 *pk, const uint8_t address[20]) {
    bool found = false;
    uint64_t block = 0;
    pthread_mutex_lock(&d->keys_mu);
    for (size_t i = 0; i < d->nkeys; i++)
        if (!memcmp(d->keys[i].address, address, 20) && (!found || d->keys[i].block_number >= block)) {
            *pk = d->keys[i].g2;
            block = d->keys[i].block_number;
            found = true;
        }
    pthread_mutex_unlock(&d->keys_mu);
    return found;
}

static int check(agg_daemon *d, const json_t *req, char *msg, size_t cap) {
    json_t *name = json_object_get(req, "name"), *fams = json_object_get(req, "metrics");
    json_t *ts = json_object_get(req, "timestamp"), *sig = json_object_get(req, "signature");
    if (!json_is_string(name) || !json_is_array(fams))
        return refuse(msg, cap, PUSH_INVALID_PARAMS, "expected [{\"name\":…,\"metrics\":[…],\"timestamp\":…,\"signature\":…}]");
    size_t nl = json_string_length(name);
    if (nl == 0 || nl > 128) return refuse(msg, cap, PUSH_INVALID_PARAMS, "name must have 1..128 characters");
    if (json_array_size(fams) > AGG_METRICS_MAX_FAMILIES)
        return refuse(msg, cap, PUSH_TOO_LARGE, "at most %d metric families (got %zu)", AGG_METRICS_MAX_FAMILIES,
                      json_array_size(fams));
    if (!ts && !sig)
        return refuse(msg, cap, PUSH_UNSIGNED, "unsigned push refused: sign it with the operator's BLS key "
                      "(\"timestamp\" and \"signature\", docs/aggregator.md §4)");
    if (!json_is_integer(ts) || json_integer_value(ts) <= 0 || !json_is_string(sig))
        return refuse(msg, cap, PUSH_INVALID_PARAMS, "timestamp must be a positive integer (unix seconds) and "
                      "signature a hex string");
    const char *n = json_string_value(name);
    uint8_t addr[20];
    size_t alen = 0;
    if (nl < 42 || strlen(n) != nl || n[0] != '0' || (n[1] != 'x' && n[1] != 'X') || (nl > 42 && n[42] != '_') ||
        mpavs_hex_decode(addr, sizeof addr, &alen, n + 2, 40) != MPAVS_HEX_OK || alen != 20)
        return refuse(msg, cap, PUSH_BAD_NAME, "name must be \"0x<operator address>_<version>\"");
    uint64_t t = (uint64_t)json_integer_value(ts), now = (uint64_t)time(NULL);
    if (t + AGG_PUSH_WINDOW_S < now || t > now + AGG_PUSH_WINDOW_S)
        return refuse(msg, cap, PUSH_STALE, "timestamp %" PRIu64 " is more than %d s from the aggregator's clock (%" PRIu64 ")",
                      t, AGG_PUSH_WINDOW_S, now);
    uint64_t last = agg_pushstore_last(d->pushes, addr);
    if (t <= last)
        return refuse(msg, cap, PUSH_REPLAY, "timestamp %" PRIu64 " is not newer than the last accepted push (%" PRIu64 ")",
                      t, last);
    mpavs_bn254_g2 pk;
    if (!registered_key(d, &pk, addr))
        return refuse(msg, cap, PUSH_NOT_REGISTERED, "no BLS key is registered for %.42s", n);
    uint8_t sb[64];
    size_t sl = 0;
    mpavs_bn254_g1 s;
    const char *sh = json_string_value(sig);
    if (json_string_length(sig) != 130 || mpavs_hex_decode(sb, sizeof sb, &sl, sh, 130) != MPAVS_HEX_OK || sl != 64 ||
        mpavs_bn254_g1_decode(&s, sb) != MPAVS_BN254_OK)
        return refuse(msg, cap, PUSH_BAD_SIGNATURE, "signature must be \"0x\" and a G1 point (x ‖ y, 64 bytes)");
    size_t series = 0, k;
    json_t *f;
    json_array_foreach(fams, k, f) series += json_array_size(json_object_get(f, "metric"));
    if (series > AGG_METRICS_MAX_SERIES)
        return refuse(msg, cap, PUSH_TOO_LARGE, "at most %d samples per push (got %zu)", AGG_METRICS_MAX_SERIES, series);
    char *text = json_dumps(fams, JSON_COMPACT); /* what is signed is what is stored */
    if (!text) return refuse(msg, cap, PUSH_UNAVAILABLE, "out of memory");
    size_t len = strlen(text);
    if (len > AGG_METRICS_MAX_BYTES) {
        free(text);
        return refuse(msg, cap, PUSH_TOO_LARGE, "metrics larger than %u bytes (got %zu)", AGG_METRICS_MAX_BYTES, len);
    }
    uint8_t digest[32];
    mpavs_avs_metrics_push_digest(digest, d->avs_chain_id, d->cfg.registry_coordinator.bytes, n, nl, t,
                                  (const uint8_t *)text, len);
    bool ok = false;
    if (mpavs_bls_verify(&ok, &pk, digest, &s) != MPAVS_BLS_OK || !ok) {
        free(text);
        return refuse(msg, cap, PUSH_BAD_SIGNATURE, "not signed by the BLS key registered for %.42s", n);
    }
    agg_pushstore_result r = agg_pushstore_put(d->pushes, addr, n, text, len, t);
    free(text);
    switch (r) {
    case AGG_PUSHSTORE_OK: return PUSH_REFUSED_COUNT;
    case AGG_PUSHSTORE_REPLAY: return refuse(msg, cap, PUSH_REPLAY, "timestamp %" PRIu64 " is not newer than the last accepted push", t);
    case AGG_PUSHSTORE_TOO_LARGE: return refuse(msg, cap, PUSH_TOO_LARGE, "metrics larger than %u bytes", AGG_METRICS_MAX_BYTES);
    case AGG_PUSHSTORE_FULL:
        return refuse(msg, cap, PUSH_FULL, "the pushed metrics would pass %d operators or %u bytes in all",
                      AGG_METRICS_MAX_OPERATORS, AGG_METRICS_MAX_TOTAL);
    default: return refuse(msg, cap, PUSH_UNAVAILABLE, "out of memory");
    }
}

int agg_metrics_submit(agg_daemon *d, const json_t *req, char *msg, size_t cap) {
    int why = !d->pushes ? refuse(msg, cap, PUSH_UNAVAILABLE, "out of memory")
              : json_is_object(req) ? check(d, req, msg, cap)
                                    : refuse(msg, cap, PUSH_INVALID_PARAMS, "expected [{\"name\":…,\"metrics\":[…],…}]");
    const char *name = json_string_value(json_object_get(req, "name"));
    char q1[200], q2[500];
    if (why == PUSH_REFUSED_COUNT) {
        agg_bump(&d->m_push_accepted, 1);
        dlog(DLOG_DEBUG, "metrics_pushed", "name=%s", dlog_quote(q1, sizeof q1, name));
        return why;
    }
    agg_bump(&d->m_push_refused[why], 1);
    if (dratelog_admit(&d->pushlog, (size_t)why, msg))
        dlog(DLOG_INFO, "metrics_push_refused", "reason=%s name=%s message=%s", agg_push_refused_names[why],
             dlog_quote(q1, sizeof q1, name ? name : ""), dlog_quote(q2, sizeof q2, msg));
    return why;
}

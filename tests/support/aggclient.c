/* tests/support/aggclient.c — see aggclient.h. */
#include "aggclient.h"

#include "harness.h"
#include "world.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"
#include "mpavs/wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool aggc_jhex(json_t *v, uint8_t *out, size_t n) {
    return json_is_string(v) && mpavs_hex_decode_exact(out, n, json_string_value(v)) == MPAVS_HEX_OK;
}

/* method(params) on url: the result parsed, or NULL (a failed call printed on stderr as "  what: message"). */
static json_t *call_result(const char *url, const char *method, const char *params, const char *what) {
    mpavs_error e = {0};
    char *res = world_call(url, method, params, &e);
    if (!res) fprintf(stderr, "  %s: %s\n", what, e.message);
    mpavs_error_clear(&e);
    if (!res) return NULL;
    json_error_t je;
    json_t *j = json_loads(res, 0, &je);
    free(res);
    return j;
}

bool aggc_fetch3(const char *url, aggc_task3 *t, uint64_t prev, unsigned wait) {
    char params[160];
    snprintf(params, sizeof params, "[{\"prev_task_id\":%llu,\"task_type\":3,\"max_wait_secs\":%u,\"with_context\":false}]",
             (unsigned long long)prev, wait);
    json_t *j = call_result(url, "aggregator_fetchTask", params, "fetchTask");
    bool ok = j && json_is_true(json_object_get(j, "ok"));
    if (ok) {
        json_t *ext = json_object_get(j, "ext");
        t->id = (uint64_t)json_integer_value(json_object_get(j, "task_id"));
        t->block = (uint64_t)json_integer_value(json_object_get(ext, "block_number"));
        t->ref = (uint64_t)json_integer_value(json_object_get(ext, "reference_block_number"));
        t->chain = (uint64_t)json_integer_value(json_object_get(ext, "chain_id"));
        ok = json_integer_value(json_object_get(j, "task_type")) == 3;
    }
    json_decref(j);
    return ok;
}

char *aggc_submission3(const world_op *op, const char *prover_url, const aggc_task3 *t, int flags) {
    char params[128];
    snprintf(params, sizeof params, "[{\"task_type\":3,\"start\":%llu,\"end\":%llu}]", (unsigned long long)t->block,
             (unsigned long long)t->block);
    json_t *j = call_result(prover_url, "prover_proveTask", params, "prover_proveTask");
    uint8_t meta[32], state[64], psig[65];
    bool ok = j && aggc_jhex(json_object_get(j, "metadata"), meta, 32) && aggc_jhex(json_object_get(j, "state"), state, 64) &&
              aggc_jhex(json_object_get(j, "poe_signature"), psig, 65);
    json_decref(j);
    if (!ok) return NULL;
    if (flags & AGGC_WRONG_META) meta[0] ^= 1;
    uint8_t q0[1] = {0}, th[1] = {0};
    mpavs_wire_task_request r = {.identifier = 3, .metadata = meta, .metadata_len = 32, .state = state,
                                 .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                 .quorum_thresholds = th, .quorum_thresholds_len = 1,
                                 .reference_block = (uint32_t)(t->ref + ((flags & AGGC_WRONG_REF) ? 1 : 0)),
                                 .prover_signature = psig, .prover_signature_len = 65};
    mpavs_avs_state_header h = {.committee_id = 3, .metadata = meta, .metadata_len = 32, .state = state,
                                .state_len = 64, .quorum_numbers = q0, .quorum_numbers_len = 1,
                                .quorum_thresholds = th, .quorum_thresholds_len = 1,
                                .reference_block = r.reference_block};
    uint8_t digest[32];
    if (mpavs_avs_state_digest(digest, &h)) return NULL;
    /* not the last bit: hashToG1 tries x, x+1, ... so digests differing only there can share a point */
    if (flags & AGGC_BAD_SIG) digest[5] ^= 1;
    mpavs_bn254_g1 sig;
    if (mpavs_bls_sign(&sig, op->bls, digest)) return NULL;
    uint8_t enc[64];
    mpavs_bn254_g1_encode(enc, &sig);
    memcpy(r.sig_x, enc, 32);
    memcpy(r.sig_y, enc + 32, 32);
    memcpy(r.operator_id, op->id, 32);
    char *json = NULL;
    if (mpavs_wire_format_task_request(&json, &r)) return NULL;
    return json;
}

long aggc_submit(const char *url, const char *json, char *msg, size_t cap) {
    if (!json) return -999;
    size_t n = strlen(json);
    char *params = malloc(n + 3);
    if (!params) return -1;
    snprintf(params, n + 3, "[%s]", json);
    mpavs_error e = {0};
    char *res = world_call(url, "aggregator_submitTask", params, &e);
    free(params);
    long code = res ? 0 : (e.rpc_code ? e.rpc_code : -1);
    if (msg) snprintf(msg, cap, "%s", res ? res : e.message);
    if (!res) fprintf(stderr, "  submitTask -> %ld %s\n", code, e.message);
    free(res);
    mpavs_error_clear(&e);
    return code;
}

long aggc_confirmations(const char *url, uint64_t id) {
    mpavs_error e = {0};
    char *res = world_call(url, "mpavs_confirmations", "[{\"since\":0}]", &e);
    mpavs_error_clear(&e);
    json_error_t je;
    json_t *a = res ? json_loads(res, 0, &je) : NULL;
    free(res);
    if (!json_is_array(a)) {
        json_decref(a);
        return -1;
    }
    long n = 0;
    size_t i;
    json_t *c;
    json_array_foreach(a, i, c) if (!id || (uint64_t)json_integer_value(json_object_get(c, "task_id")) == id) n++;
    json_decref(a);
    return n;
}

char *aggc_file_since(const char *path, long from) {
    size_t len = 0;
    char *all = (char *)harness_read_file(path, &len);
    if (!all) return NULL;
    size_t off = from > 0 && (size_t)from < len ? (size_t)from : 0;
    memmove(all, all + off, len - off + 1);
    return all;
}

long aggc_file_size(const char *path) {
    struct stat st;
    return stat(path, &st) ? 0 : (long)st.st_size;
}

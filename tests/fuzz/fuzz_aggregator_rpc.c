/*
 * Fuzz mpavs-aggregator's JSON-RPC handling without a chain: any bytes as an HTTP request body
 * through daemons/common/jsonrpc_server.c's drpc_handle_body with the aggregator's handler
 * (daemons/aggregator/api.c: fetchTask, submitTask → agg_admit, submitMetrics,
 * mpavs_confirmations, mpavs_status) on an agg_daemon with an in-memory SQLite store, no
 * tasks and RPC URLs on 127.0.0.1:1 (nothing is reached: with no task, admission stops at the
 * task lookup). Every reply must be valid JSON; every error reply carries an integer code.
 *
 * aggregator_fetchTask long-polls up to 30 s: a request that would wait is answered here as
 * the daemon would after its wait (agg_task_fetch with max_wait_secs 0); the others go to the
 * real handler unchanged. Production code is unchanged: the target links the aggregator's core
 * (build/fuzz/libmpavs-aggregator.a) and the daemons' common code.
 */
#include "aggregator/daemon.h"
#include "common/jsonrpc_server.h"
#include "common/log.h"

#include "mpavs/wire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static agg_daemon D;

static bool daemon_init(void) {
    dlog_set_level(DLOG_ERROR);
    agg_core_init(&D);
    D.ecdsa = mpavs_ecdsa_ctx_create();
    D.cfg.threshold = 67;
    D.cfg.expiry_s = 300;
    D.cfg.exec_sampling = 2000;
    D.cfg.gen_sampling = 1;
    D.cfg.nlayers = 1;
    snprintf(D.cfg.eth_url, sizeof D.cfg.eth_url, "http://127.0.0.1:1");
    snprintf(D.cfg.layers[0].rpc_url, sizeof D.cfg.layers[0].rpc_url, "http://127.0.0.1:1");
    agg_pool_init(&D.avs, D.cfg.eth_url, 100);
    agg_pool_init(&D.layers[0], D.cfg.layers[0].rpc_url, 100);
    char err[256];
    D.store = agg_store_open(":memory:", err, sizeof err);
    if (!D.store || !D.ecdsa) {
        fprintf(stderr, "fuzz_aggregator_rpc: cannot build the daemon: %s\n", D.store ? "ecdsa context" : err);
        return false;
    }
    if (!agg_core_start(&D, 1, false, err, sizeof err)) { /* the verifier stage admission hands jobs to */
        fprintf(stderr, "fuzz_aggregator_rpc: %s\n", err);
        return false;
    }
    return true;
}

/* aggregator_fetchTask that would wait: answered without the wait (m_fetch's parse, wait 0). */
static json_t *fuzz_handler(void *user, const char *method, json_t *params, drpc_error *err) {
    agg_daemon *d = user;
    if (!strcmp(method, "aggregator_fetchTask")) {
        json_t *p = json_is_array(params) ? json_array_get(params, 0) : NULL;
        char *txt = p ? json_dumps(p, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        mpavs_wire_fetch_request fr;
        char msg[256];
        bool waits = txt && mpavs_wire_parse_fetch_request(&fr, msg, sizeof msg, txt, strlen(txt)) == 0 &&
                     fr.max_wait_secs > 0;
        free(txt);
        if (waits) return agg_task_fetch(d, fr.prev_task_id, fr.task_type, 0, fr.with_context);
    }
    return agg_rpc_handler(user, method, params, err);
}

/* A reply object: a result or an error with an integer code and a string message. */
static void check_reply(json_t *r) {
    if (!json_is_object(r)) __builtin_trap();
    json_t *e = json_object_get(r, "error");
    if (e && (!json_is_integer(json_object_get(e, "code")) || !json_is_string(json_object_get(e, "message"))))
        __builtin_trap();
    if (!e && !json_object_get(r, "result")) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) ready = daemon_init() ? 1 : -1;
    if (ready < 0) return 0;
    drpc_options o;
    memset(&o, 0, sizeof o);
    o.handler = fuzz_handler;
    o.user = &D;
    o.max_body = 4u << 20;
    o.max_batch = 8;
    o.max_depth = 64;
    char *reply = NULL;
    int status = drpc_handle_body(&o, (const char *)data, size, &reply);
    if (status != 200 && status != 500) __builtin_trap();
    if (reply) {
        json_t *j = json_loads(reply, JSON_DECODE_ANY, NULL);
        if (!j) __builtin_trap();
        if (json_is_array(j)) {
            size_t i;
            json_t *r;
            json_array_foreach(j, i, r) check_reply(r);
        } else {
            check_reply(j);
        }
        json_decref(j);
        free(reply);
    }
    return 0;
}


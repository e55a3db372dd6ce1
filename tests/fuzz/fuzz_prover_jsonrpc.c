/*
 * Fuzz the daemons' JSON-RPC 2.0 request handling (daemons/common/jsonrpc_server.c,
 * drpc_handle_body): depth pre-scan, parse, batch and request-shape checks, error replies.
 * Every reply must be valid JSON; the handler echoes params or fails depending on the method.
 */
#include "common/jsonrpc_server.h"
#include "common/log.h"

#include <stdint.h>
#include <string.h>

static json_t *echo(void *user, const char *method, json_t *params, drpc_error *err) {
    (void)user;
    if (method[0] == 'e') return json_deep_copy(params);
    if (method[0] == 'n') return json_null();
    if (method[0] == 'x') return NULL; /* handler forgot to fill err: internal error */
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, "no method %.40s", method);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool quiet;
    if (!quiet) {
        dlog_set_level(DLOG_ERROR);
        quiet = true;
    }
    drpc_options o;
    memset(&o, 0, sizeof o);
    o.handler = echo;
    o.max_batch = 8;
    o.max_depth = 32;
    char *reply = NULL;
    int status = drpc_handle_body(&o, (const char *)data, size, &reply);
    if (status != 200 && status != 500) __builtin_trap();
    if (reply) {
        json_t *j = json_loads(reply, JSON_DECODE_ANY, NULL);
        if (!j) __builtin_trap();
        json_decref(j);
        free(reply);
    }
    return 0;
}

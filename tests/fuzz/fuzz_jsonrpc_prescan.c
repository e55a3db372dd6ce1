/*
 * Fuzz the unknown-method pre-scan (daemons/common/jsonrpc_prescan.c, its use in
 * jsonrpc_server.c): drpc_prescan_request must stay inside the input and return member tokens
 * that lie in it; and for every input that is valid JSON, drpc_handle_body with the method list
 * ("ping") must give the same status and the same reply bytes as without it (the parser's
 * answer) — the pre-scan may only skip the parse, never change an answer.
 */
#include "common/jsonrpc_prescan.h"
#include "common/jsonrpc_server.h"
#include "common/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static json_t *listed(void *user, const char *method, json_t *params, drpc_error *err) {
    (void)user;
    (void)params;
    if (!strcmp(method, "ping")) return json_string("pong");
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, DRPC_METHOD_NOT_FOUND_FMT, method);
}

static void inside(const drpc_token *t, const char *b, size_t n) {
    if (t->text && (t->text < b || t->len == 0 || t->text + t->len > b + n)) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static bool quiet;
    if (!quiet) {
        dlog_set_level(DLOG_ERROR);
        quiet = true;
    }
    const char *body = (const char *)data;
    drpc_prescan p;
    if (drpc_prescan_request(&p, body, size)) {
        inside(&p.jsonrpc, body, size);
        inside(&p.method, body, size);
        inside(&p.id, body, size);
        inside(&p.params, body, size);
    }
    json_t *doc = json_loadb(body, size, JSON_DECODE_ANY, NULL);
    if (!doc) return 0; /* not JSON: the pre-scan may answer -32601 where the parser says -32700 */
    json_decref(doc);
    static const char *const M[] = {"ping"};
    drpc_options a, b;
    memset(&a, 0, sizeof a);
    a.handler = listed;
    a.methods = M;
    a.nmethods = 1;
    b = a;
    b.methods = NULL;
    b.nmethods = 0;
    char *ra = NULL, *rb = NULL;
    int sa = drpc_handle_body(&a, body, size, &ra), sb = drpc_handle_body(&b, body, size, &rb);
    if (sa != sb || (!ra) != (!rb) || (ra && strcmp(ra, rb))) __builtin_trap();
    free(ra);
    free(rb);
    return 0;
}

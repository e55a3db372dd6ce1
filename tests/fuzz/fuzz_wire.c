/*
 * libFuzzer target for the aggregator's request parsers (submitTask TaskRequest and
 * fetchTask FetchTaskReq). Property: no crash or leak; an accepted TaskRequest
 * re-encodes and parses back to the same fields.
 */
#include "mpavs/wire.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char msg[256];
    mpavs_wire_task_request r;
    if (mpavs_wire_parse_task_request(&r, msg, sizeof msg, (const char *)data, size) == MPAVS_WIRE_OK) {
        char *j;
        if (mpavs_wire_format_task_request(&j, &r) != MPAVS_WIRE_OK) abort();
        mpavs_wire_task_request r2;
        if (mpavs_wire_parse_task_request(&r2, msg, sizeof msg, j, strlen(j)) != MPAVS_WIRE_OK) abort();
        if (r2.identifier != r.identifier || r2.reference_block != r.reference_block ||
            memcmp(r2.sig_x, r.sig_x, 32) || memcmp(r2.sig_y, r.sig_y, 32) || memcmp(r2.operator_id, r.operator_id, 32) ||
            r2.state_len != r.state_len || (r.state_len && memcmp(r2.state, r.state, r.state_len)))
            abort();
        mpavs_wire_task_request_clear(&r2);
        free(j);
        mpavs_wire_task_request_clear(&r);
    }
    mpavs_wire_fetch_request f;
    (void)mpavs_wire_parse_fetch_request(&f, msg, sizeof msg, (const char *)data, size);
    return 0;
}

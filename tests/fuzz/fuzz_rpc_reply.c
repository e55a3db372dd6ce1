/*
 * libFuzzer target for the JSON-RPC reply parser (what a hostile node can send).
 * Property: no crash, no leak; success yields a result text, failure an error message.
 */
#include "mpavs/rpc.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *res = NULL;
    mpavs_error err = {0};
    int r = mpavs_rpc_parse_reply(&res, &err, 1, (const char *)data, size);
    if (r == MPAVS_RPC_OK && !res) abort();
    if (r != MPAVS_RPC_OK && (res || !err.message[0])) abort();
    free(res);
    mpavs_error_clear(&err);
    return 0;
}

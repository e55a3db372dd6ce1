/*
 * Fuzz mpavs-prover's block-header check (daemons/prover/chain.c, chain_header_from_json):
 * JSON block objects → field decoding, RLP re-encoding, keccak comparison. Must never crash;
 * an accepted header must re-encode to RLP that hashes to its "hash".
 */
#include "prover/chain.h"

#include "mpavs/keccak.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_t *j = json_loadb((const char *)data, size, 0, NULL);
    if (!j) return 0;
    chain_header h;
    uint8_t rlp[1024], k[32];
    size_t len = 0;
    char err[256];
    if (chain_header_from_json(&h, j, rlp, sizeof rlp, &len, err, sizeof err)) {
        mpavs_keccak256(k, rlp, len);
        if (memcmp(k, h.hash, 32) != 0) __builtin_trap();
    }
    json_decref(j);
    return 0;
}

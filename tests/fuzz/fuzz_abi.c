/*
 * libFuzzer target for the ABI decoder. The first byte picks one of a set of
 * types (including the AVS's confirmState parameters); the rest is decoded.
 * Property: whatever decodes re-encodes, and the re-encoding decodes to the
 * same value (the decoder is strict, so re-encoding is canonical and stable),
 * and formatting never fails.
 */
#include "mpavs/abi.h"

#include <stdlib.h>
#include <string.h>

static const char *const TYPES[] = {
    "(uint256)",
    "(bytes)",
    "(string,uint8,int16,bool,address)",
    "(uint256[],bytes32[2],string[])",
    "((uint256,address,bytes)[],int256)",
    "(uint256[][],string[])",
    "((bytes32,bytes,uint32,bytes,bytes,bytes32,uint32),(uint32[],(uint256,uint256)[],(uint256,uint256)[],"
    "(uint256[2],uint256[2]),(uint256,uint256),uint32[],uint32[],uint32[][]))",
    "(bytes3[2],(bool,(string)[])[3])",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    mpavs_abi_type *t;
    if (mpavs_abi_type_parse(&t, TYPES[data[0] % (sizeof TYPES / sizeof TYPES[0])]) != MPAVS_ABI_OK) abort();
    mpavs_abi_value *v;
    if (mpavs_abi_decode(&v, t, data + 1, size - 1) == MPAVS_ABI_OK) {
        uint8_t *enc;
        size_t len;
        if (mpavs_abi_encode(&enc, &len, v) != MPAVS_ABI_OK) abort();
        mpavs_abi_value *v2;
        if (mpavs_abi_decode(&v2, t, enc, len) != MPAVS_ABI_OK) abort();
        uint8_t *enc2;
        size_t len2;
        if (mpavs_abi_encode(&enc2, &len2, v2) != MPAVS_ABI_OK || len2 != len || memcmp(enc, enc2, len)) abort();
        char *s;
        if (mpavs_abi_value_format(&s, v) != MPAVS_ABI_OK) abort();
        free(s);
        free(enc);
        free(enc2);
        mpavs_abi_value_free(v2);
        mpavs_abi_value_free(v);
    }
    mpavs_abi_type_free(t);
    return 0;
}

/*
 * libFuzzer target for the ABI signature and argument parsers (cast syntax):
 * input = "SIGNATURE\nARG\nARG...". Property: no crash; a parsed signature has
 * a canonical form that parses to the same canonical form; parsed arguments encode.
 */
#include "mpavs/abi.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    char *save = NULL, *line = strtok_r(s, "\n", &save);
    mpavs_abi_signature *sig;
    if (line && mpavs_abi_signature_parse(&sig, line) == MPAVS_ABI_OK) {
        mpavs_abi_signature *again;
        if (mpavs_abi_signature_parse(&again, sig->canonical) != MPAVS_ABI_OK) abort();
        if (strcmp(again->canonical, sig->canonical)) abort();
        mpavs_abi_signature_free(again);
        mpavs_abi_value *args = mpavs_abi_value_new(sig->inputs);
        size_t i = 0;
        for (char *a = strtok_r(NULL, "\n", &save); a && args && i < sig->inputs->nfields; a = strtok_r(NULL, "\n", &save), i++) {
            mpavs_abi_value *v;
            if (mpavs_abi_value_parse(&v, sig->inputs->fields[i], a) == MPAVS_ABI_OK) mpavs_abi_value_move(&args->items[i], v);
        }
        uint8_t *enc;
        size_t len;
        if (args && mpavs_abi_encode_call(&enc, &len, sig, args) == MPAVS_ABI_OK) free(enc);
        mpavs_abi_value_free(args);
        mpavs_abi_signature_free(sig);
    }
    free(s);
    return 0;
}

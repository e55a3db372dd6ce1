/*
 * src/devnet/artifact.c — forge artifacts and contract creation, the devnet result names.
 */
#include "devnet_internal.h"

#include "mpavs/hex.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mpavs_devnet_strerror(int r) {
    switch (r) {
    case MPAVS_DEVNET_ERR_ARTIFACT: return "bad or missing forge artifact";
    case MPAVS_DEVNET_ERR_IO: return "i/o error";
    default: return mpavs_contracts_strerror(r);
    }
}

/* Read the creation bytecode of <dir>/<file>.sol/<name>.json. */
static int dv_artifact(mpavs_contracts_ctx *c, const char *dir, const char *file, const char *name, uint8_t **code,
                       size_t *len) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s.sol/%s.json", dir, file, name) >= (int)sizeof path)
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, name, "artifact path too long");
    json_error_t je;
    json_t *art = json_load_file(path, 0, &je);
    if (!art)
        return ctr_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "cannot read %s (%s; run forge build in contracts/)", path,
                       je.text);
    const char *hex = json_string_value(json_object_get(json_object_get(art, "bytecode"), "object"));
    int r = MPAVS_CONTRACTS_OK;
    if (!hex || strlen(hex) < 4) {
        r = ctr_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s has no bytecode.object", path);
    } else if (strstr(hex, "__$")) {
        r = ctr_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s needs library linking (unsupported)", path);
    } else {
        size_t cap = strlen(hex) / 2 + 1;
        *code = malloc(cap);
        if (!*code) {
            r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, name, "out of memory");
        } else if (mpavs_hex_decode(*code, cap, len, hex, strlen(hex)) != MPAVS_HEX_OK || *len == 0) {
            free(*code);
            *code = NULL;
            r = ctr_fail(c, MPAVS_DEVNET_ERR_ARTIFACT, name, "%s: bytecode.object is not hex", path);
        }
    }
    json_decref(art);
    return r;
}

int dv_deploy(mpavs_contracts_ctx *c, const char *dir, const char *file, const char *name, const char *ctor_types,
              const char *args, mpavs_address *addr) {
    uint8_t *code = NULL, *enc = NULL;
    size_t clen = 0, elen = 0;
    int r = dv_artifact(c, dir, file, name, &code, &clen);
    if (r) return r;
    if (ctor_types) {
        mpavs_abi_type *t = NULL;
        mpavs_abi_value *v = NULL;
        int a = mpavs_abi_type_parse(&t, ctor_types);
        if (!a) a = mpavs_abi_value_parse(&v, t, args);
        if (!a) a = mpavs_abi_encode(&enc, &elen, v);
        mpavs_abi_value_free(v);
        mpavs_abi_type_free(t);
        if (a) {
            free(code);
            return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, name, "constructor arguments %s: %s", ctor_types,
                           mpavs_abi_strerror(a));
        }
    }
    uint8_t *init = malloc(clen + elen);
    if (!init) {
        free(code);
        free(enc);
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, name, "out of memory");
    }
    memcpy(init, code, clen);
    if (elen) memcpy(init + clen, enc, elen);
    char step[128];
    snprintf(step, sizeof step, "deploy %s", name);
    r = ctr_send_raw(c, NULL, init, clen + elen, step, addr, NULL);
    free(init);
    free(code);
    free(enc);
    return r;
}

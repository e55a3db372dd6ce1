/* JSON-RPC helpers for tests against anvil (anvil_rpc.h). */
#include "anvil_rpc.h"

#include "harness.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"

char *anvil_call(mpavs_rpc *rpc, const char *method, const char *params) {
    char *res = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_call(rpc, &res, &e, method, params);
    if (r != MPAVS_RPC_OK) {
        fprintf(stderr, "  %s %.200s: %s\n", method, params, e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    return res;
}

json_t *anvil_call_json(mpavs_rpc *rpc, const char *method, const char *params) {
    char *r = anvil_call(rpc, method, params);
    if (!r) return NULL;
    json_t *j = json_loads(r, JSON_DECODE_ANY, NULL);
    free(r);
    return j;
}

uint64_t anvil_mine(mpavs_rpc *rpc) {
    free(anvil_call(rpc, "evm_mine", "[]"));
    json_t *j = anvil_call_json(rpc, "eth_blockNumber", "[]");
    MUST(j && json_string_value(j));
    uint64_t n = strtoull(json_string_value(j) + 2, NULL, 16);
    json_decref(j);
    return n;
}

bool anvil_send(mpavs_rpc *rpc, const char *from, const char *to, const char *gas, const char *data, const char *extra) {
    char p[8192];
    snprintf(p, sizeof p, "[{\"from\":\"%s\"%s%s%s,\"value\":\"0x1\",\"gas\":\"%s\"%s%s%s%s}]", from,
             to ? ",\"to\":\"" : "", to ? to : "", to ? "\"" : "", gas ? gas : "0x100000", data ? ",\"input\":\"" : "",
             data ? data : "", data ? "\"" : "", extra ? extra : "");
    char *r = anvil_call(rpc, "eth_sendTransaction", p);
    free(r);
    return r != NULL;
}

void anvil_deploy(mpavs_rpc *rpc, const char *from, const char *rt) {
    char init[1024];
    size_t n = strlen(rt) / 2;
    MUST(n < 256);
    snprintf(init, sizeof init, "0x60%02zx600c60003960%02zx6000f3%s", n, n, rt);
    MUST(anvil_send(rpc, from, NULL, NULL, init, NULL));
}

void anvil_create_address(char out[43], const char *sender, uint64_t nonce) {
    /* rlp([sender, nonce]) for nonce < 128 */
    uint8_t buf[32], h[32];
    size_t o = 0;
    buf[o++] = 0xd6, buf[o++] = 0x94;
    MUST(nonce < 128 && mpavs_hex_decode_exact(buf + o, 20, sender) == 0);
    o += 20;
    buf[o++] = nonce == 0 ? 0x80 : (uint8_t)nonce;
    mpavs_keccak256(h, buf, o);
    snprintf(out, 43, "0x%s", harness_hex(h + 12, 20));
}

uint8_t *anvil_artifact_code(const char *rel, size_t *len) {
    json_error_t je;
    json_t *art = json_load_file(harness_path(rel), 0, &je);
    if (!art) return NULL;
    const char *hex = json_string_value(json_object_get(json_object_get(art, "bytecode"), "object"));
    uint8_t *b = NULL;
    if (hex) {
        size_t cap = strlen(hex) / 2 + 1;
        b = malloc(cap);
        if (b && mpavs_hex_decode(b, cap, len, hex, strlen(hex)) != MPAVS_HEX_OK) {
            free(b);
            b = NULL;
        }
    }
    json_decref(art);
    return b;
}

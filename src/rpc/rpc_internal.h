/* Internal declarations of the JSON-RPC client (not exported). */
#ifndef MPAVS_RPC_INTERNAL_H
#define MPAVS_RPC_INTERNAL_H

#include "mpavs/rpc.h"

#include <jansson.h>

/* Fill err (if not NULL) with num and a formatted message; returns code. */
int rpc_fail(mpavs_error *err, int code, long num, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Call method with params (a JSON array; the reference is stolen). *result: new reference. */
int rpc_call_json(mpavs_rpc *c, json_t **result, mpavs_error *err, const char *method, json_t *params);

/* JSON helpers for Ethereum quantities and data. Each returns true on success. */
bool rpc_json_u64(const json_t *v, uint64_t *out);
bool rpc_json_u256(const json_t *v, mpavs_u256 *out);
bool rpc_json_fixed(const json_t *v, uint8_t *out, size_t n);
bool rpc_json_bytes(const json_t *v, uint8_t **out, size_t *len);
json_t *rpc_json_hex(const uint8_t *b, size_t n);
json_t *rpc_json_quantity_u256(const mpavs_u256 *v);

#endif

/*
 * JSON-RPC helpers for tests against anvil: calls that print what failed, mining, the address a
 * CREATE from a dev account makes, and the creation code of a forge artifact.
 */
#ifndef MPAVS_TEST_ANVIL_RPC_H
#define MPAVS_TEST_ANVIL_RPC_H

#include "mpavs/rpc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* For helpers that return values: a failed precondition ends the test binary (anvil is stopped at exit). */
#define MUST(cond)                                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond);                            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* method(params): the result text (malloc'd), or NULL after a line on stderr. */
char *anvil_call(mpavs_rpc *rpc, const char *method, const char *params);
/* The same, parsed (any JSON value), or NULL. */
json_t *anvil_call_json(mpavs_rpc *rpc, const char *method, const char *params);
/* evm_mine, then the new head's number (aborts when anvil does not answer). */
uint64_t anvil_mine(mpavs_rpc *rpc);
/*
 * eth_sendTransaction from an unlocked account (0x-hex) with value 1 wei: to (NULL: a creation), gas
 * (NULL: 0x100000), input data (0x-hex, NULL: none) and extra JSON members (",\"type\":\"0x0\"…", or
 * NULL). Returns true when anvil accepted it (with automine: mined).
 */
bool anvil_send(mpavs_rpc *rpc, const char *from, const char *to, const char *gas, const char *data, const char *extra);
/* Deploy runtime code rt (hex without 0x, < 256 bytes) from account from (0x-hex); aborts when refused. */
void anvil_deploy(mpavs_rpc *rpc, const char *from, const char *rt);
/* The address (0x-hex, lowercase) of the contract sender (0x-hex) creates at nonce (< 128). */
void anvil_create_address(char out[43], const char *sender, uint64_t nonce);
/* The creation code (bytecode.object) of the forge artifact at rel (harness_path, e.g.
 * "contracts/out/Probe.sol/Probe.json"), malloc'd, with its length in *len; NULL when missing. */
uint8_t *anvil_artifact_code(const char *rel, size_t *len);

#endif

/*
 * mpavs/wire.h — the aggregator's JSON wire format, compatible with the
 * reference Go operator and aggregator (go-ethereum rpc + encoding/json).
 *
 * Decoding follows Go's rules where the reference peers rely on them: object
 * keys match case-insensitively and unknown keys are ignored; hexutil.Big is
 * "0x" + hex without leading zeros; hexutil.Bytes is "0x" + even-length hex;
 * integers are JSON numbers; OperatorId ([32]byte) is an array of 32 numbers;
 * BLS G1 coordinates (gnark fp.Element) are a JSON number or a string parsed
 * like big.Int.SetString(s, 0) and reduced modulo p. Where Go is lax in ways
 * that only hide bugs (an OperatorId array of the wrong length), we refuse
 * with a clear message instead.
 *
 * Encoding is what a Go peer emits: compact, fields in declaration order,
 * lower-case hex, G1 coordinates as a bare number when they have at most 15
 * decimal digits and as a quoted decimal string otherwise.
 */
#ifndef MPAVS_WIRE_H
#define MPAVS_WIRE_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_WIRE_OK = 0,
    MPAVS_WIRE_ERR_JSON,  /* not JSON, or not the expected JSON shape (see the message) */
    MPAVS_WIRE_ERR_FIELD, /* a field is missing or has a bad value (see the message) */
    MPAVS_WIRE_ERR_NOMEM,
} mpavs_wire_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_wire_strerror(int r);

/** aggregator_submitTask's TaskRequest. Byte fields are malloc'd by the parser. */
typedef struct {
    uint64_t identifier; /* Task.identifier (committee id = task type) */
    uint8_t *metadata;
    size_t metadata_len;
    uint8_t *state;
    size_t state_len;
    uint8_t *quorum_numbers;
    size_t quorum_numbers_len;
    uint8_t *quorum_thresholds;
    size_t quorum_thresholds_len;
    uint32_t reference_block;      /* Task.reference_blocknumber */
    uint8_t sig_x[32], sig_y[32];  /* Signature.g1_point, big-endian, reduced mod p */
    uint8_t operator_id[32];
    uint8_t *prover_signature;     /* ProverSignature bytes (65 expected; length not enforced here) */
    size_t prover_signature_len;
} mpavs_wire_task_request;

/** Release the byte fields of a request (safe on a zeroed request). */
MPAVS_API void mpavs_wire_task_request_clear(mpavs_wire_task_request *r);

/**
 * Parse one TaskRequest object (params[0] of aggregator_submitTask) from JSON
 * text. Out: *out (clear with mpavs_wire_task_request_clear; zeroed on error),
 * msg (msgcap bytes): what was wrong, naming the field.
 * Returns MPAVS_WIRE_OK, _ERR_JSON, _ERR_FIELD or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_wire_parse_task_request(mpavs_wire_task_request *out, char *msg, size_t msgcap,
                                                              const char *json, size_t len);

struct json_t; /* jansson's tree type (<jansson.h>); only a pointer crosses this API */

/**
 * Decode one TaskRequest object from an already parsed jansson tree, so a JSON-RPC server that
 * parsed the request body passes params[0] down instead of re-serializing and re-parsing it.
 * Same checks, fields and result codes as mpavs_wire_parse_task_request (a tree that is not an
 * object is _ERR_JSON). In: tree (not modified, not retained; NULL is _ERR_JSON).
 * Out: *out (clear with mpavs_wire_task_request_clear; zeroed on error), msg.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_wire_task_request_from_json(mpavs_wire_task_request *out, char *msg,
                                                                  size_t msgcap, const struct json_t *tree);

/**
 * Encode a TaskRequest exactly as the reference Go operator does.
 * Out: *json (malloc'd, NUL-terminated). Returns MPAVS_WIRE_OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_wire_format_task_request(char **json, const mpavs_wire_task_request *r);

/** aggregator_fetchTask's FetchTaskReq. */
typedef struct {
    uint64_t prev_task_id, task_type, max_wait_secs;
    bool with_context;
} mpavs_wire_fetch_request;

/** Parse a FetchTaskReq object. Out: *out, msg. Returns as mpavs_wire_parse_task_request. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_wire_parse_fetch_request(mpavs_wire_fetch_request *out, char *msg, size_t msgcap,
                                                               const char *json, size_t len);

#ifdef __cplusplus
}
#endif
#endif

/*
 * mpavs/rpc.h — Ethereum JSON-RPC client over HTTP(S) (libcurl + jansson).
 *
 * A client (mpavs_rpc) holds one connection handle and must be used by one
 * thread at a time; create one per thread. Every call has a timeout; calls
 * that fail in transport (connection refused or reset, timeout, empty reply)
 * are retried with exponential backoff; HTTP errors, malformed replies and
 * JSON-RPC error objects are not retried. A JSON-RPC error is returned as
 * MPAVS_RPC_ERR_RPC with its code, message and revert data in mpavs_error.
 *
 * Applications should call curl_global_init() once at start-up (libcurl
 * initialises itself lazily otherwise, which is not thread-safe).
 */
#ifndef MPAVS_RPC_H
#define MPAVS_RPC_H

#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_RPC_OK = 0,
    MPAVS_RPC_ERR_TRANSPORT, /* no usable HTTP reply after all retries (see err->transport) */
    MPAVS_RPC_ERR_HTTP,      /* HTTP status other than 200 (err->code holds it) */
    MPAVS_RPC_ERR_PARSE,     /* the reply is not a JSON-RPC 2.0 response for our request */
    MPAVS_RPC_ERR_RPC,       /* the node answered with a JSON-RPC error object */
    MPAVS_RPC_ERR_RESULT,    /* the result has an unexpected type or shape */
    MPAVS_RPC_ERR_TOO_LARGE, /* the reply exceeds the configured size limit */
    MPAVS_RPC_ERR_ARG,       /* an argument is unusable (e.g. params not a JSON array) */
    MPAVS_RPC_ERR_NOMEM,     /* allocation failed */
} mpavs_rpc_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_rpc_strerror(int r);

/*
 * Failed calls fill the caller's mpavs_error (mpavs/common.h): code = the mpavs_rpc_result,
 * module "rpc", message, rpc_code = the JSON-RPC error code (or the HTTP status for _ERR_HTTP),
 * data = the revert data of error.data. It is zeroed on success.
 */

/** Client options; zero fields take the defaults shown. */
typedef struct {
    long timeout_ms;         /* whole-call timeout: 10000 */
    long connect_timeout_ms; /* 3000 */
    int max_retries;         /* transport retries after the first try: 3 */
    long backoff_ms;         /* first backoff, doubled each retry: 200 */
    size_t max_reply_bytes;  /* 64 MiB */
} mpavs_rpc_options;

typedef struct mpavs_rpc mpavs_rpc;

/**
 * Create a client for url (http:// or https://). opt may be NULL for defaults.
 * Returns NULL on allocation failure or an unusable URL.
 */
MPAVS_API mpavs_rpc *mpavs_rpc_create(const char *url, const mpavs_rpc_options *opt);
/** Destroy a client (NULL allowed). */
MPAVS_API void mpavs_rpc_destroy(mpavs_rpc *c);
/** Set the timeout of the following calls (ms, > 0). */
MPAVS_API void mpavs_rpc_set_timeout(mpavs_rpc *c, long timeout_ms);

/**
 * Generic call. params_json must be a JSON array text ("[]" when NULL).
 * Out: *result_json, the JSON text of the result (malloc'd; "null" for a null
 * result); err (may be NULL) on failure.
 * Returns MPAVS_RPC_OK or an error code.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_call(mpavs_rpc *c, char **result_json, mpavs_error *err,
                                               const char *method, const char *params_json);

/**
 * Parse one JSON-RPC 2.0 reply body (the pure part of mpavs_rpc_call, exposed
 * for tests and fuzzing): checks jsonrpc "2.0", the id (expect_id), and
 * either result or error. Out: *result_json (malloc'd) or err.
 * Returns MPAVS_RPC_OK, _ERR_PARSE, _ERR_RPC or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_parse_reply(char **result_json, mpavs_error *err, uint64_t expect_id,
                                                      const char *body, size_t len);

/* ---- typed helpers (block tags are "latest", "pending", "safe", "finalized",
 *      "earliest" or a 0x quantity; use mpavs_rpc_tag_number) ---- */

/** Write the 0x-quantity tag of block n into out (24 bytes). Returns out. */
MPAVS_API char *mpavs_rpc_tag_number(char out[24], uint64_t n);

/** eth_chainId. Out: *chain_id. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_chain_id(mpavs_rpc *c, uint64_t *chain_id, mpavs_error *err);
/** eth_blockNumber. Out: *number. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_block_number(mpavs_rpc *c, uint64_t *number, mpavs_error *err);
/** eth_getBalance(addr, tag). Out: *wei. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_balance(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err,
                                                      const uint8_t addr[20], const char *tag);
/** eth_getTransactionCount(addr, tag). Out: *nonce. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_transaction_count(mpavs_rpc *c, uint64_t *nonce, mpavs_error *err,
                                                                const uint8_t addr[20], const char *tag);
/** eth_getCode(addr, tag). Out: *code (malloc'd, may be empty), *len. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_code(mpavs_rpc *c, uint8_t **code, size_t *len, mpavs_error *err,
                                                   const uint8_t addr[20], const char *tag);
/** eth_gasPrice. Out: *wei. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_gas_price(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err);
/** eth_maxPriorityFeePerGas. Out: *wei. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_max_priority_fee(mpavs_rpc *c, mpavs_u256 *wei, mpavs_error *err);

/** A message for eth_call / eth_estimateGas. Unset fields are omitted. */
typedef struct {
    const uint8_t *from; /* 20 bytes or NULL */
    const uint8_t *to;   /* 20 bytes or NULL (contract creation) */
    const uint8_t *data;
    size_t data_len;
    const mpavs_u256 *value; /* or NULL */
    uint64_t gas;            /* 0: omitted */
    const mpavs_u256 *gas_price; /* or NULL (omitted: the node's tx.gasprice is then usually 0) */
} mpavs_rpc_callmsg;

/**
 * eth_call(msg, tag). Out: *ret (malloc'd), *len. A revert is
 * MPAVS_RPC_ERR_RPC with the revert data in err->data.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_eth_call(mpavs_rpc *c, uint8_t **ret, size_t *len, mpavs_error *err,
                                                   const mpavs_rpc_callmsg *msg, const char *tag);
/** eth_estimateGas(msg). Out: *gas. A revert is _ERR_RPC with data as for eth_call. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_estimate_gas(mpavs_rpc *c, uint64_t *gas, mpavs_error *err,
                                                       const mpavs_rpc_callmsg *msg);
/** eth_sendRawTransaction(raw). Out: hash (32 bytes). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_send_raw_transaction(mpavs_rpc *c, uint8_t hash[32], mpavs_error *err,
                                                               const uint8_t *raw, size_t len);

/** A block header as returned by eth_getBlockBy* (transactions as hashes). */
typedef struct {
    uint64_t number, timestamp, gas_limit, gas_used;
    uint8_t hash[32], parent_hash[32], state_root[32];
    mpavs_u256 base_fee; /* zero before London */
    bool has_base_fee;
    char *json; /* the whole block object as JSON text (malloc'd) */
} mpavs_rpc_block;

/** Release block->json. */
MPAVS_API void mpavs_rpc_block_clear(mpavs_rpc_block *b);
/** eth_getBlockByNumber(tag, false). Out: *b, *found (false: null result, b untouched). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_block_by_number(mpavs_rpc *c, mpavs_rpc_block *b, bool *found,
                                                              mpavs_error *err, const char *tag);
/** eth_getBlockByHash(hash, false). Out: *b, *found. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_block_by_hash(mpavs_rpc *c, mpavs_rpc_block *b, bool *found,
                                                            mpavs_error *err, const uint8_t hash[32]);

/** One event log. */
typedef struct {
    uint8_t address[20];
    uint8_t topics[4][32];
    size_t ntopics;
    uint8_t *data; /* malloc'd */
    size_t data_len;
    uint64_t block_number, log_index;
    uint8_t block_hash[32], tx_hash[32];
    bool removed;
} mpavs_rpc_log;

/** Release an array of n logs (their data and the array). */
MPAVS_API void mpavs_rpc_logs_free(mpavs_rpc_log *logs, size_t n);

/** A transaction receipt. */
typedef struct {
    uint8_t tx_hash[32], block_hash[32];
    uint64_t block_number, gas_used, cumulative_gas_used;
    mpavs_u256 effective_gas_price;
    bool status;                 /* true: success */
    bool has_contract_address;
    uint8_t contract_address[20];
    mpavs_rpc_log *logs;         /* malloc'd array */
    size_t nlogs;
} mpavs_rpc_receipt;

/** Release the receipt's logs. */
MPAVS_API void mpavs_rpc_receipt_clear(mpavs_rpc_receipt *r);
/** eth_getTransactionReceipt(hash). Out: *r and *found (false while pending/unknown). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_transaction_receipt(mpavs_rpc *c, mpavs_rpc_receipt *r, bool *found,
                                                                  mpavs_error *err, const uint8_t hash[32]);

/** A transaction as returned by eth_getTransactionByHash (the fields the library needs). */
typedef struct {
    uint8_t hash[32], from[20];
    bool has_to; /* false: contract creation */
    uint8_t to[20];
    uint64_t nonce;
    mpavs_u256 value;
    bool pending;          /* true: not yet in a block (block_number, block_hash zero) */
    uint64_t block_number;
    uint8_t block_hash[32];
    uint8_t *input; /* calldata (malloc'd, may be empty) */
    size_t input_len;
} mpavs_rpc_transaction;

/** Release tx->input (safe on a zeroed transaction). */
MPAVS_API void mpavs_rpc_transaction_clear(mpavs_rpc_transaction *tx);
/**
 * eth_getTransactionByHash(hash). Out: *tx (clear with mpavs_rpc_transaction_clear)
 * and *found (false: null result, tx zeroed).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_transaction_by_hash(mpavs_rpc *c, mpavs_rpc_transaction *tx, bool *found,
                                                                  mpavs_error *err, const uint8_t hash[32]);

/** A log filter for eth_getLogs: topic slots may be NULL (wildcard). */
typedef struct {
    const char *from_block, *to_block; /* tags; NULL = omitted */
    const uint8_t (*addresses)[20];
    size_t naddresses;
    const uint8_t *topics[4]; /* 32 bytes each or NULL */
    size_t ntopics;
} mpavs_rpc_filter;

/** eth_getLogs(filter). Out: *logs (release with mpavs_rpc_logs_free), *n. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_get_logs(mpavs_rpc *c, mpavs_rpc_log **logs, size_t *n, mpavs_error *err,
                                                   const mpavs_rpc_filter *f);

/**
 * eth_feeHistory(blocks, "latest", [percentile]). Out: *base_fee_next (the
 * base fee of the next block) and *priority_fee (the median over the blocks
 * of the given reward percentile; zero when the node reports no rewards).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_rpc_fee_history(mpavs_rpc *c, mpavs_u256 *base_fee_next, mpavs_u256 *priority_fee,
                                                      mpavs_error *err, unsigned blocks, double percentile);

#ifdef __cplusplus
}
#endif
#endif

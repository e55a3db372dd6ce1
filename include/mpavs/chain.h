/*
 * mpavs/chain.h — block validation: a header against its parent (Cancun, Prague and Osaka rules),
 * the logs bloom, receipt encoding and the receipts root, and the comparison of executed receipts
 * with the header.
 *
 * Everything here is a pure function of its arguments (no I/O, no allocation except
 * mpavs_chain_receipts_root). A check that finds a difference reports it as a refusal naming
 * the header field (its JSON-RPC name, e.g. "gasLimit") with the expected and the actual value.
 *
 * Headers are mpavs_block_header (include/mpavs/block.h, decoded by mpavs_block_header_decode;
 * a field a fork does not have is flagged absent); mpavs_chain_header is the same type.
 */
#ifndef MPAVS_CHAIN_H
#define MPAVS_CHAIN_H

#include "mpavs/block.h"
#include "mpavs/common.h"
#include "mpavs/evm.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_CHAIN_OK = 0,
    MPAVS_CHAIN_ERR_PARENT,   /* the parent cannot be a parent (gas limit below 2: no gas target) */
    MPAVS_CHAIN_ERR_OVERFLOW, /* a derived value exceeds its type (a hostile parent's blob gas) */
    MPAVS_CHAIN_ERR_RECEIPT,  /* a receipt that cannot be encoded (type above 0x7f) */
    MPAVS_CHAIN_ERR_SPACE,    /* output buffer too small */
    MPAVS_CHAIN_ERR_NOMEM,    /* allocation failed */
} mpavs_chain_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_chain_strerror(int r);

/** The header fields a refusal can name. */
typedef enum {
    MPAVS_CHAIN_FIELD_NONE = 0,
    MPAVS_CHAIN_FIELD_PARENT_HASH,
    MPAVS_CHAIN_FIELD_OMMERS_HASH,
    MPAVS_CHAIN_FIELD_NUMBER,
    MPAVS_CHAIN_FIELD_GAS_LIMIT,
    MPAVS_CHAIN_FIELD_GAS_USED,
    MPAVS_CHAIN_FIELD_TIMESTAMP,
    MPAVS_CHAIN_FIELD_EXTRA_DATA,
    MPAVS_CHAIN_FIELD_DIFFICULTY,
    MPAVS_CHAIN_FIELD_NONCE,
    MPAVS_CHAIN_FIELD_BASE_FEE,
    MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT,
    MPAVS_CHAIN_FIELD_BLOB_GAS_USED,
    MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS,
    MPAVS_CHAIN_FIELD_PARENT_BEACON_ROOT,
    MPAVS_CHAIN_FIELD_REQUESTS_HASH,
    MPAVS_CHAIN_FIELD_LOGS_BLOOM,
    MPAVS_CHAIN_FIELD_RECEIPTS_ROOT,
    MPAVS_CHAIN_FIELD_TRANSACTIONS_ROOT,
} mpavs_chain_field;

/** The JSON-RPC name of a field ("gasLimit", "excessBlobGas", ...). Never NULL. */
MPAVS_API const char *mpavs_chain_field_name(mpavs_chain_field f);

/**
 * Why a header (or the receipts of its block) was refused: the field, the value the rules
 * expect (a number, a hash, or a rule such as "> 1438269988") and the value the header has.
 */
typedef struct {
    mpavs_chain_field field;
    char expected[96];
    char actual[96];
} mpavs_chain_refusal;

/**
 * Format a refusal as "gasLimit: expected …, got …" into buf (cap bytes, NUL-terminated,
 * truncated if needed). Returns buf.
 */
MPAVS_API char *mpavs_chain_refusal_format(char *buf, size_t cap, const mpavs_chain_refusal *why);

/** Headers are evm-trie's mpavs_block_header (include/mpavs/block.h). */
typedef mpavs_block_header mpavs_chain_header;

/** Gas per blob (EIP-4844) and the blob base cost of EIP-7918 (Osaka). */
#define MPAVS_CHAIN_GAS_PER_BLOB 131072u
#define MPAVS_CHAIN_BLOB_BASE_COST 8192u

/** A blob schedule entry (EIP-7892: the chain config's "blobSchedule" per fork). */
typedef struct {
    uint64_t target;          /**< target blobs per block */
    uint64_t max;             /**< maximum blobs per block */
    uint64_t update_fraction; /**< baseFeeUpdateFraction */
} mpavs_chain_blob_params;

/**
 * Out: *p = the mainnet blob schedule of fork: Cancun 3/6/3338477 (EIP-4844), Prague
 * 6/9/5007716 (EIP-7691), Osaka 6/9/5007716 (EIP-7892 keeps Prague's until a BPO fork; the BPO
 * forks of a chain are applied by mpavs_blockexec_blob_params).
 */
MPAVS_API void mpavs_chain_blob_params_default(mpavs_chain_blob_params *p, mpavs_evm_fork fork);

/** The rules a header is validated under: its fork and that fork's blob schedule. */
typedef struct {
    mpavs_evm_fork fork;
    mpavs_chain_blob_params blob;
    bool equal_timestamp; /**< a child may have its parent's timestamp (anvil mines several blocks a second) */
} mpavs_chain_rules;

/**
 * Validate header h against its parent (whose block hash, mpavs_block_header_hash, is parent_hash):
 * parentHash, number = parent + 1, timestamp > parent's, gasLimit within
 * (parent - parent/1024, parent + parent/1024), >= 5000 and <= 2^63 - 1, gasUsed <= gasLimit,
 * extraData <= 32 bytes, ommersHash = keccak(rlp([])), difficulty 0, nonce 0, baseFee as EIP-1559
 * derives it from the parent, the fields the fork requires present and those it lacks absent,
 * blobGasUsed a multiple of the blob gas and at most max blobs, excessBlobGas as EIP-4844 /
 * EIP-7918 (Osaka) derive it from the parent. A parent without blob fields counts as zeros.
 * Out: *ok, the verdict; *why (may be NULL) the first difference found when !*ok (else its field
 * is NONE). Returns MPAVS_CHAIN_OK when the check was made, MPAVS_CHAIN_ERR_PARENT when the parent
 * cannot have children (gas limit below 2) or _ERR_OVERFLOW (its blob gas overflows).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_validate_header(bool *ok, mpavs_chain_refusal *why,
                                                            const mpavs_chain_rules *rules,
                                                            const mpavs_chain_header *h,
                                                            const mpavs_chain_header *parent,
                                                            const uint8_t parent_hash[32]);

/**
 * As mpavs_chain_validate_header, with the parent's hash computed from parent
 * (mpavs_block_header_hash). Returns as mpavs_chain_validate_header, or _ERR_PARENT when the
 * parent cannot be encoded (a field a fork needs is missing).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_validate_child(bool *ok, mpavs_chain_refusal *why,
                                                           const mpavs_chain_rules *rules,
                                                           const mpavs_chain_header *h,
                                                           const mpavs_chain_header *parent);

/**
 * The base fee of a child of parent (EIP-1559; a parent without base fee is taken as 0).
 * Out: *fee. Returns OK, _ERR_PARENT (gas limit below 2) or _ERR_OVERFLOW (above 2^256 - 1).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_expected_base_fee(mpavs_u256 *fee, const mpavs_chain_header *parent);

/**
 * The excess blob gas of a child of parent under rules (EIP-4844, EIP-7691 schedules; from
 * Osaka EIP-7918's reserve price). Out: *excess. Returns OK or _ERR_OVERFLOW.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_expected_excess_blob_gas(uint64_t *excess,
                                                                     const mpavs_chain_rules *rules,
                                                                     const mpavs_chain_header *parent);

/**
 * The blob base fee fake_exponential(1, excess_blob_gas, update_fraction) of EIP-4844.
 * Out: *fee. Returns OK or _ERR_OVERFLOW (the fee exceeds 2^256 - 1; *fee is then all ones).
 * Runs in bounded time whatever the inputs. update_fraction must be non-zero.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_blob_base_fee(mpavs_u256 *fee, uint64_t excess_blob_gas,
                                                          uint64_t update_fraction);

/* ---- logs, blooms and receipts ---- */

/** A log (LOG0..LOG4): the emitting address, up to 4 topics, the data. */
typedef struct {
    uint8_t address[20];
    uint8_t topics[4][32];
    size_t n_topics; /**< 0..4 */
    const uint8_t *data;
    size_t data_len;
} mpavs_chain_log;

/** In/out: bloom |= the 2048-bit bloom of log (its address and each topic, 3 bits each). */
MPAVS_API void mpavs_chain_bloom_add_log(uint8_t bloom[256], const mpavs_chain_log *log);
/** Out: bloom = the logs bloom of logs[0..n) (all zero for none). */
MPAVS_API void mpavs_chain_logs_bloom(uint8_t bloom[256], const mpavs_chain_log *logs, size_t n);

/** A transaction receipt (post-Byzantium: a status, not an intermediate state root). */
typedef struct {
    uint8_t type; /**< transaction type: 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702 */
    bool status;  /**< true: success */
    uint64_t cumulative_gas_used;
    uint8_t bloom[256];
    const mpavs_chain_log *logs;
    size_t n_logs;
} mpavs_chain_receipt;

/** Bytes mpavs_chain_receipt_encode needs for r (an upper bound is never smaller). */
MPAVS_API size_t mpavs_chain_receipt_size(const mpavs_chain_receipt *r);

/**
 * Encode r as in the receipts trie: rlp([status, cumulativeGasUsed, bloom, logs]), prefixed by
 * the type byte for a typed (type > 0) receipt (EIP-2718). Out: out[0..*len).
 * Returns OK, _ERR_SPACE (cap too small), _ERR_RECEIPT (type > 0x7f or a log with > 4 topics).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_receipt_encode(uint8_t *out, size_t cap, size_t *len,
                                                           const mpavs_chain_receipt *r);

/**
 * The receipts root of a block's receipts r[0..n). Out: root.
 * Returns OK, _ERR_RECEIPT or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_receipts_root(uint8_t root[32], const mpavs_chain_receipt *r,
                                                          size_t n);

/**
 * Compare the receipts of executing h's block with h: gasUsed (the last cumulative gas, 0 for
 * none), logsBloom (the OR of the receipts' blooms) and receiptsRoot. Each receipt's own bloom
 * must be the bloom of its logs, or the logs bloom is refused.
 * Out: *ok and *why (may be NULL) as for mpavs_chain_validate_header.
 * Returns OK, _ERR_RECEIPT or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_check_receipts(bool *ok, mpavs_chain_refusal *why,
                                                           const mpavs_chain_header *h,
                                                           const mpavs_chain_receipt *r, size_t n);

/* ---- block body commitments ---- */

/** An EIP-7685 execution-layer request: its type byte and its data (may be empty). */
typedef struct {
    uint8_t type;
    const uint8_t *data;
    size_t data_len;
} mpavs_chain_request;

/**
 * The requests hash of EIP-7685: sha256 of the concatenated sha256(type || data) of the requests
 * whose data is not empty, in order (types ascending, as the block builds them).
 * Out: hash (sha256 of the empty string for none). Returns OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_requests_hash(uint8_t hash[32], const mpavs_chain_request *r,
                                                          size_t n);

/**
 * Compare the commitments of block b's header with its body and the requests its execution
 * produced: transactionsRoot, sha3Uncles (the ommers list), withdrawalsRoot (a header with a
 * withdrawals root needs the withdrawals list, and one without must have none) and, when the
 * header has a requests hash, requestsHash over r[0..nr).
 * Out: *ok and *why (may be NULL) as for mpavs_chain_validate_header.
 * Returns OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_chain_check_body(bool *ok, mpavs_chain_refusal *why, const mpavs_block *b,
                                                       const mpavs_chain_request *r, size_t nr);

#ifdef __cplusplus
}
#endif
#endif

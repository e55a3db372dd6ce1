/*
 * mpavs/block.h — Ethereum block data: the header with every field through
 * Prague, its RLP codec and hash, withdrawals (EIP-4895) and the block
 * (header, transactions, ommers, withdrawals) decoder, with the roots and
 * hashes a header commits to. Validation of a block against its parent and
 * its execution live elsewhere; this module only decodes, encodes and hashes.
 *
 * Header encoding: rlp([parentHash, ommersHash, coinbase, stateRoot,
 *   transactionsRoot, receiptsRoot, logsBloom, difficulty, number, gasLimit,
 *   gasUsed, timestamp, extraData, mixHash (prevRandao), nonce,
 *   baseFeePerGas (London), withdrawalsRoot (Shanghai), blobGasUsed,
 *   excessBlobGas, parentBeaconBlockRoot (Cancun), requestsHash (Prague)])
 * The trailing fields are optional, in that order: a header has 15 to 21
 * fields, and each optional field present implies every one before it.
 * The block hash is keccak256 of the header encoding.
 *
 * Block encoding: rlp([header, [tx, ...], [ommerHeader, ...], [withdrawal, ...]])
 * (the withdrawals list from Shanghai on: present exactly when the header has
 * a withdrawals root). A legacy transaction is an RLP list
 * in the transactions list; a typed one (EIP-2718) an RLP string holding
 * type ‖ payload.
 */
#ifndef MPAVS_BLOCK_H
#define MPAVS_BLOCK_H

#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_BLOCK_OK = 0,
    MPAVS_BLOCK_ERR_RLP,        /* malformed RLP (truncated, non-canonical, trailing bytes) */
    MPAVS_BLOCK_ERR_FIELDS,     /* a header with fewer than 15 or more than 21 fields; a block not of 3 or 4 parts,
                                   or with a withdrawals list iff its header has no withdrawals root */
    MPAVS_BLOCK_ERR_FIELD,      /* a field of the wrong shape (hash not 32 bytes, integer with leading zero, too wide, list for string) */
    MPAVS_BLOCK_ERR_EXTRA_DATA, /* extraData longer than MPAVS_BLOCK_EXTRA_MAX bytes */
    MPAVS_BLOCK_ERR_OPTIONAL,   /* encode: an optional field set without every one before it */
    MPAVS_BLOCK_ERR_TX,         /* a transactions-list entry that is neither a list nor a typed string */
    MPAVS_BLOCK_ERR_OMMER,      /* an ommer header that does not decode */
    MPAVS_BLOCK_ERR_WITHDRAWAL, /* a malformed withdrawal */
    MPAVS_BLOCK_ERR_SPACE,      /* output buffer too small */
    MPAVS_BLOCK_ERR_NOMEM,      /* out of memory */
} mpavs_block_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_block_strerror(int r);

/** Longest extraData (the yellow paper's bound, 32 bytes). */
#define MPAVS_BLOCK_EXTRA_MAX 32
/** Largest header encoding. */
#define MPAVS_BLOCK_HEADER_MAX 800

/** A block header. The has_* flags say which optional fields are present. */
typedef struct {
    uint8_t parent_hash[32];
    uint8_t ommers_hash[32];
    mpavs_address coinbase;
    uint8_t state_root[32];
    uint8_t transactions_root[32];
    uint8_t receipts_root[32];
    uint8_t logs_bloom[256];
    mpavs_u256 difficulty;
    uint64_t number;
    uint64_t gas_limit;
    uint64_t gas_used;
    uint64_t timestamp;
    uint8_t extra_data[MPAVS_BLOCK_EXTRA_MAX];
    size_t extra_data_len;
    uint8_t mix_hash[32];        /* prevRandao after the merge */
    uint8_t nonce[8];
    bool has_base_fee;           /* London */
    mpavs_u256 base_fee_per_gas;
    bool has_withdrawals_root;   /* Shanghai */
    uint8_t withdrawals_root[32];
    bool has_blob_gas;           /* Cancun: blobGasUsed, excessBlobGas and parentBeaconBlockRoot */
    uint64_t blob_gas_used;
    uint64_t excess_blob_gas;
    uint8_t parent_beacon_block_root[32];
    bool has_requests_hash;      /* Prague */
    uint8_t requests_hash[32];
} mpavs_block_header;

/**
 * Decode a header: rlp[0..len) must be exactly one header encoding.
 * Out: h. Returns MPAVS_BLOCK_OK or an error naming what is wrong.
 * Cancun's three fields come together: a header with 18 or 19 fields is
 * refused as MPAVS_BLOCK_ERR_FIELDS.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_header_decode(mpavs_block_header *h, const uint8_t *rlp,
                                                          size_t len);

/**
 * Encode a header. Out: out (cap bytes; MPAVS_BLOCK_HEADER_MAX always
 * suffices), *len. Returns MPAVS_BLOCK_OK, _ERR_OPTIONAL, _ERR_EXTRA_DATA or _ERR_SPACE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_header_encode(uint8_t *out, size_t cap, size_t *len,
                                                          const mpavs_block_header *h);

/** The block hash: keccak256 of the header encoding. Out: hash. Returns as mpavs_block_header_encode. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_header_hash(uint8_t hash[32], const mpavs_block_header *h);

/** A withdrawal (EIP-4895): rlp([index, validatorIndex, address, amount]), amount in gwei. */
typedef struct {
    uint64_t index;
    uint64_t validator_index;
    mpavs_address address;
    uint64_t amount_gwei;
} mpavs_withdrawal;

/** Largest withdrawal encoding. */
#define MPAVS_WITHDRAWAL_MAX 52

/** Decode one withdrawal encoding. Out: w. Returns MPAVS_BLOCK_OK or MPAVS_BLOCK_ERR_WITHDRAWAL. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_withdrawal_decode(mpavs_withdrawal *w, const uint8_t *rlp,
                                                        size_t len);
/** Encode a withdrawal. Out: out. Returns the length (<= MPAVS_WITHDRAWAL_MAX). */
MPAVS_API size_t mpavs_withdrawal_encode(uint8_t out[MPAVS_WITHDRAWAL_MAX], const mpavs_withdrawal *w);

/** One transaction of a block: the bytes mpavs_tx_parse takes (legacy: the RLP list; typed: type ‖ payload). */
typedef struct {
    const uint8_t *raw;
    size_t len;
} mpavs_block_tx;

/**
 * A decoded block. Pointers point into the bytes given to mpavs_block_decode
 * (which must outlive it); the arrays are owned by the block (mpavs_block_clear).
 */
typedef struct {
    mpavs_block_header header;
    const uint8_t *header_rlp;   /* the header's encoding inside the block */
    size_t header_rlp_len;
    mpavs_block_tx *txs;
    size_t tx_count;
    mpavs_block_header *ommers;
    size_t ommer_count;
    const uint8_t *ommers_rlp;   /* the encoding of the ommers list (for the ommers hash) */
    size_t ommers_rlp_len;
    bool has_withdrawals;
    mpavs_withdrawal *withdrawals;
    size_t withdrawal_count;
} mpavs_block;

/**
 * Decode a block: rlp[0..len) must be exactly one block encoding. Checks the
 * header, the shape of each transaction entry (a list, or a string whose
 * first byte is a type in 0x01..0x7f; its contents are parsed by
 * mpavs_tx_parse), each ommer header and each withdrawal. Allocation is
 * bounded by len.
 * Out: b (cleared on failure). Returns MPAVS_BLOCK_OK or an error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_decode(mpavs_block *b, const uint8_t *rlp, size_t len);

/** Free the arrays of a decoded block and zero it (a zeroed block is also allowed). */
MPAVS_API void mpavs_block_clear(mpavs_block *b);

/**
 * The roots a header commits to, computed from the body: transactions root
 * (ordered trie of the transaction encodings), withdrawals root (ordered
 * trie of the withdrawal encodings; the empty root without withdrawals) and
 * ommers hash (keccak256 of the ommers list encoding).
 * Out: the hash. Returns MPAVS_BLOCK_OK or MPAVS_BLOCK_ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_transactions_root(uint8_t root[32], const mpavs_block *b);
MPAVS_API MPAVS_WARN_UNUSED int mpavs_block_withdrawals_root(uint8_t root[32], const mpavs_block *b);
MPAVS_API void mpavs_block_ommers_hash(uint8_t hash[32], const mpavs_block *b);

#ifdef __cplusplus
}
#endif
#endif

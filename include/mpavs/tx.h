/*
 * mpavs/tx.h — Ethereum transactions: legacy (with EIP-155 replay
 * protection) and EIP-1559 (type 2): build, signing hash, sign, serialize,
 * parse, transaction hash and sender recovery.
 *
 * An mpavs_tx never owns memory: its data and access-list fields point into
 * caller buffers (for a parsed transaction, into the raw bytes given to
 * mpavs_tx_parse, which must outlive it).
 *
 * Encodings:
 *   legacy, signing:  rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])
 *                     (without the last three fields when chain_id is 0, pre-EIP-155)
 *   legacy, signed:   rlp([nonce, gasPrice, gas, to, value, data, v, r, s]),
 *                     v = 35 + 2*chainId + yParity (27 + yParity without chain id)
 *   type 2, signing:  0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas,
 *                                 gas, to, value, data, accessList])
 *   type 2, signed:   0x02 ‖ rlp([... same 9 fields ..., yParity, r, s])
 * The transaction hash is keccak256 of the signed encoding.
 */
#ifndef MPAVS_TX_H
#define MPAVS_TX_H

#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_TX_OK = 0,
    MPAVS_TX_ERR_RLP,          /* malformed RLP (truncated, non-canonical, trailing bytes) */
    MPAVS_TX_ERR_TYPE,         /* an unsupported transaction type byte */
    MPAVS_TX_ERR_FIELDS,       /* wrong number of fields in the transaction list */
    MPAVS_TX_ERR_FIELD,        /* a field of the wrong shape (list for integer, bad address length, leading zero, too wide) */
    MPAVS_TX_ERR_ACCESS_LIST,  /* a malformed access list */
    MPAVS_TX_ERR_V,            /* legacy v not 27/28 or 35 + 2*chainId + {0,1}; yParity not 0/1 */
    MPAVS_TX_ERR_SIGNATURE,    /* r/s out of range, high s, or no key recovers */
    MPAVS_TX_ERR_UNSIGNED,     /* the operation needs a signed transaction */
    MPAVS_TX_ERR_SECKEY,       /* invalid secret key */
    MPAVS_TX_ERR_SPACE,        /* output buffer too small */
} mpavs_tx_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_tx_strerror(int r);

/** Transaction types. */
#define MPAVS_TX_TYPE_LEGACY 0
#define MPAVS_TX_TYPE_EIP1559 2

/** A transaction (see the header comment for the field meanings). */
typedef struct {
    int type;                          /* MPAVS_TX_TYPE_LEGACY or MPAVS_TX_TYPE_EIP1559 */
    uint64_t chain_id;                 /* legacy: 0 = no EIP-155 (parse only; signs as pre-155) */
    uint64_t nonce;
    mpavs_u256 gas_price;              /* legacy only */
    mpavs_u256 max_priority_fee_per_gas; /* type 2 only */
    mpavs_u256 max_fee_per_gas;        /* type 2 only */
    uint64_t gas_limit;
    bool has_to;                       /* false: contract creation */
    mpavs_address to;
    mpavs_u256 value;
    const uint8_t *data;               /* calldata / init code (NULL when data_len is 0) */
    size_t data_len;
    /* type 2: the RLP-encoded access list ([[address, [storageKey, ...]], ...]);
     * NULL/0 means the empty list 0xc0. Set by mpavs_tx_parse (pointing into raw). */
    const uint8_t *access_list_rlp;
    size_t access_list_rlp_len;
    size_t access_list_addresses;      /* set by mpavs_tx_parse: entries in the access list */
    size_t access_list_keys;           /* set by mpavs_tx_parse: storage keys in total */
    bool is_signed;
    mpavs_ecdsa_sig sig;               /* valid when is_signed (recid = y parity) */
} mpavs_tx;

/** Zero a transaction (type legacy, no to, no data, unsigned). Out: tx. */
MPAVS_API void mpavs_tx_init(mpavs_tx *tx, int type);

/**
 * The hash that is signed (see header comment). Out: out. In: tx.
 * Returns MPAVS_TX_OK or MPAVS_TX_ERR_TYPE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_signing_hash(uint8_t out[32], const mpavs_tx *tx);

/**
 * Sign tx with seckey (RFC 6979, low-s): sets tx->sig and tx->is_signed.
 * In/out: tx. Returns MPAVS_TX_OK, _ERR_TYPE or _ERR_SECKEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_sign(const mpavs_ecdsa_ctx *ctx, mpavs_tx *tx,
                                              const uint8_t seckey[32]);

/** An upper bound on the size of the signed encoding of tx. */
MPAVS_API size_t mpavs_tx_encoded_size_max(const mpavs_tx *tx);

/**
 * Serialize a signed transaction (the raw bytes of eth_sendRawTransaction).
 * Out: out (cap bytes), *len. Returns MPAVS_TX_OK, _ERR_UNSIGNED, _ERR_TYPE
 * or _ERR_SPACE (use mpavs_tx_encoded_size_max for cap).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_serialize(uint8_t *out, size_t cap, size_t *len,
                                                   const mpavs_tx *tx);

/**
 * The transaction hash: keccak256 of the signed encoding (no allocation).
 * Out: out. Returns MPAVS_TX_OK, _ERR_UNSIGNED or _ERR_TYPE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_hash(uint8_t out[32], const mpavs_tx *tx);

/**
 * Parse a signed raw transaction (legacy or type 2; type 1 and others give
 * MPAVS_TX_ERR_TYPE). Every field is checked (canonical integers, 20-byte
 * or empty to, access list shape, v consistent with the chain id, r and s
 * at most 32 bytes). The signature itself (range of r and s, low s, recovery)
 * is checked by mpavs_tx_sender.
 * Out: tx (its pointers point into raw). In: raw, len.
 * Returns MPAVS_TX_OK or an error naming what is wrong.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_parse(mpavs_tx *tx, const uint8_t *raw, size_t len);

/**
 * Recover the sender of a signed transaction. Out: from.
 * Returns MPAVS_TX_OK, _ERR_UNSIGNED, _ERR_TYPE or _ERR_SIGNATURE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_sender(const mpavs_ecdsa_ctx *ctx, mpavs_address *from,
                                                const mpavs_tx *tx);

#ifdef __cplusplus
}
#endif
#endif

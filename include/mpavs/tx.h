/*
 * mpavs/tx.h — Ethereum transactions: legacy (with EIP-155 replay
 * protection), EIP-2930 (type 1), EIP-1559 (type 2), EIP-4844 blob
 * transactions (type 3, the form inside blocks, without the network
 * wrapper) and EIP-7702 set-code transactions (type 4): build, signing hash,
 * sign, serialize, parse, transaction hash, sender recovery, the
 * authorizations of type 4 and their signers, and the validity rules that
 * need neither state nor gas schedule (mpavs_tx_validate_static).
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
 *   type 1:           0x01 ‖ rlp([chainId, nonce, gasPrice, gas, to, value, data,
 *                                 accessList(, yParity, r, s)])
 *   type 3:           0x03 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas,
 *                                 to, value, data, accessList, maxFeePerBlobGas,
 *                                 blobVersionedHashes(, yParity, r, s)])
 *   type 4:           0x04 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gas,
 *                                 to, value, data, accessList, authorizationList(, yParity, r, s)])
 *   authorization:    rlp([chainId, address, nonce, yParity, r, s]), signed over
 *                     keccak256(0x05 ‖ rlp([chainId, address, nonce])) (EIP-7702)
 * The signing encoding omits (yParity, r, s). Types 3 and 4 cannot create
 * contracts (to is required). The transaction hash is keccak256 of the
 * signed encoding.
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
    MPAVS_TX_ERR_CREATE,       /* a type 3 or 4 transaction without a to address */
    MPAVS_TX_ERR_BLOB_HASHES,  /* malformed blobVersionedHashes; or (validate) none, or a version byte not 0x01 */
    MPAVS_TX_ERR_AUTH_LIST,    /* malformed authorizationList; or (validate) an empty one */
    MPAVS_TX_ERR_CHAIN_ID,     /* validate: a chain id other than the chain's */
    MPAVS_TX_ERR_NONCE_MAX,    /* validate: nonce 2^64-1 (EIP-2681) */
    MPAVS_TX_ERR_FEE_ORDER,    /* validate: maxPriorityFeePerGas above maxFeePerGas */
    MPAVS_TX_ERR_FEE_OVERFLOW, /* validate: gas * (gasPrice or maxFeePerGas) does not fit 256 bits */
    MPAVS_TX_ERR_INITCODE,     /* validate: contract creation with more than 49152 bytes of init code (EIP-3860) */
    MPAVS_TX_ERR_TYPE_FORK,    /* validate: a transaction type the fork does not accept */
} mpavs_tx_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_tx_strerror(int r);

/** Transaction types. */
#define MPAVS_TX_TYPE_LEGACY 0
#define MPAVS_TX_TYPE_EIP2930 1
#define MPAVS_TX_TYPE_EIP1559 2
#define MPAVS_TX_TYPE_EIP4844 3
#define MPAVS_TX_TYPE_EIP7702 4

/** A transaction (see the header comment for the field meanings). */
typedef struct {
    int type;                          /* MPAVS_TX_TYPE_* (0 to 4) */
    uint64_t chain_id;                 /* legacy: 0 = no EIP-155 (parse only; signs as pre-155) */
    uint64_t nonce;
    mpavs_u256 gas_price;              /* legacy and type 1 */
    mpavs_u256 max_priority_fee_per_gas; /* types 2, 3, 4 */
    mpavs_u256 max_fee_per_gas;        /* types 2, 3, 4 */
    uint64_t gas_limit;
    bool has_to;                       /* false: contract creation */
    mpavs_address to;
    mpavs_u256 value;
    const uint8_t *data;               /* calldata / init code (NULL when data_len is 0) */
    size_t data_len;
    /* types 1-4: the RLP-encoded access list ([[address, [storageKey, ...]], ...]);
     * NULL/0 means the empty list 0xc0. Set by mpavs_tx_parse (pointing into raw). */
    const uint8_t *access_list_rlp;
    size_t access_list_rlp_len;
    size_t access_list_addresses;      /* set by mpavs_tx_parse: entries in the access list */
    size_t access_list_keys;           /* set by mpavs_tx_parse: storage keys in total */
    mpavs_u256 max_fee_per_blob_gas;   /* type 3 */
    /* type 3: the RLP-encoded list of 32-byte blob versioned hashes (NULL/0: empty list) */
    const uint8_t *blob_hashes_rlp;
    size_t blob_hashes_rlp_len;
    size_t blob_hash_count;            /* set by mpavs_tx_parse */
    /* type 4: the RLP-encoded authorization list (NULL/0: empty list) */
    const uint8_t *authorization_list_rlp;
    size_t authorization_list_rlp_len;
    size_t authorization_count;        /* set by mpavs_tx_parse */
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
 * Parse a signed raw transaction of type 0 to 4 (other type bytes give
 * MPAVS_TX_ERR_TYPE). Every field is checked (canonical integers of their
 * width, 20-byte or (types 0-2) empty to, access list, blob hash list and
 * authorization list shapes, v consistent with the chain id, r and s at
 * most 32 bytes). The signature itself (range of r and s, low s, recovery)
 * is checked by mpavs_tx_sender; the rules of mpavs_tx_validate_static are
 * not applied.
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

/**
 * Blob versioned hash i (i < tx->blob_hash_count) of a parsed type-3
 * transaction. Out: out. Returns MPAVS_TX_OK or MPAVS_TX_ERR_BLOB_HASHES
 * (i out of range or a list that does not parse).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_blob_hash(uint8_t out[32], const mpavs_tx *tx, size_t i);

/**
 * Is raw a blob transaction in its network form (the form a node's pool gossips and
 * eth_getRawTransactionByHash may serve): 0x03 ‖ rlp([tx_payload_body, blobs, commitments,
 * proofs]) (EIP-4844) or 0x03 ‖ rlp([tx_payload_body, wrapper_version, blobs, commitments,
 * cell_proofs]) (EIP-7594, Osaka)? Only the shape is checked: an outer list of 4 or 5 items
 * whose first item is a list (the canonical form's first item, the chain id, is a string).
 * The canonical form, the one a block holds and the transaction hash covers, is 0x03 ‖ body.
 * Out: *body, *body_len (tx_payload_body's RLP, inside raw), when true. In: raw, len.
 */
MPAVS_API bool mpavs_tx_blob_network_body(const uint8_t **body, size_t *body_len, const uint8_t *raw, size_t len);

/** An EIP-7702 authorization tuple. */
typedef struct {
    mpavs_u256 chain_id;  /* 0: valid on every chain */
    mpavs_address address; /* the code to delegate to */
    uint64_t nonce;
    uint8_t y_parity;     /* as encoded (a value other than 0/1 makes the tuple invalid, not the transaction) */
    uint8_t r[32];
    uint8_t s[32];
} mpavs_tx_authorization;

/**
 * The authorizations of a parsed type-4 transaction, in order.
 * Out: out[0..*count) (cap entries; tx->authorization_count suffice).
 * Returns MPAVS_TX_OK, MPAVS_TX_ERR_AUTH_LIST or MPAVS_TX_ERR_SPACE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_authorizations(mpavs_tx_authorization *out, size_t cap,
                                                        size_t *count, const mpavs_tx *tx);

/**
 * The signer (authority) of an authorization: ecrecover of
 * keccak256(0x05 ‖ rlp([chainId, address, nonce])). Out: authority (zero on failure).
 * Returns MPAVS_TX_OK or MPAVS_TX_ERR_SIGNATURE (y parity not 0/1, r or s
 * zero or out of range, s above n/2, no key recovers): EIP-7702 then skips
 * the tuple; the transaction stays valid.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_authority(const mpavs_ecdsa_ctx *ctx,
                                                   mpavs_address *authority,
                                                   const mpavs_tx_authorization *auth);

/**
 * Sign an authorization for a (chain_id, address, nonce): sets y_parity, r, s.
 * In/out: auth. Returns MPAVS_TX_OK or MPAVS_TX_ERR_SECKEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_authorization_sign(const mpavs_ecdsa_ctx *ctx,
                                                            mpavs_tx_authorization *auth,
                                                            const uint8_t seckey[32]);

/** Largest encoding of one authorization tuple. */
#define MPAVS_TX_AUTHORIZATION_MAX 128

/** Encode an authorization tuple. Out: out. Returns its length. */
MPAVS_API size_t mpavs_tx_authorization_encode(uint8_t out[MPAVS_TX_AUTHORIZATION_MAX],
                                               const mpavs_tx_authorization *auth);

/**
 * The validity rules of a transaction that need neither state nor gas
 * schedule (execution-specs validate_transaction without intrinsic gas):
 * type at most max_type (2 London/Shanghai, 3 Cancun, 4 Prague and later);
 * chain id equal to chain_id (legacy transactions without EIP-155 pass);
 * nonce below 2^64-1; maxPriorityFeePerGas <= maxFeePerGas; gas * fee
 * cap fits 256 bits; init code at most 49152 bytes; type 3: at least one
 * blob hash, each with version byte 0x01; type 4: at least one authorization.
 * In: tx (parsed), chain_id, max_type.
 * Returns MPAVS_TX_OK or the MPAVS_TX_ERR_* naming the first rule broken.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tx_validate_static(const mpavs_tx *tx, uint64_t chain_id,
                                                         int max_type);

#ifdef __cplusplus
}
#endif
#endif

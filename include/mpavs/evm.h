/*
 * mpavs/evm.h — the Ethereum Virtual Machine of libmpavs (Cancun, Prague and Osaka rules).
 *
 * Pieces, in the order a block executor uses them:
 *   - the fork schedule (mpavs_evm_schedule, mpavs_evm_fork_at): which rules apply to a block;
 *   - a state source (mpavs_evm_source): where accounts, storage slots and code come from (an
 *     in-memory pre-state, a witness trie); the engine only reads through it;
 *   - the world state of one block (mpavs_evm_state): a cache over the source with the journal,
 *     original storage values, transient storage and access sets;
 *   - the transaction (mpavs_evm_tx), the block environment (mpavs_evm_block) and
 *     mpavs_evm_execute_tx, the state transition of one transaction;
 *   - mpavs_evm_state_commit, which hands every changed account and slot to a sink;
 *   - an in-memory state (mpavs_evm_memstate) that is both a source and a sink and computes the
 *     state root (the secure account trie over RLP([nonce, balance, storageRoot, codeHash])).
 *
 * Conventions: addresses are 20 bytes, hashes and storage keys/values 32 bytes big-endian.
 * Results are mpavs_evm_result values (0 = OK). A transaction that calls a precompile libmpavs has
 * no engine for (BLS12-381, KZG point evaluation) ends with MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE:
 * its outcome is unknown here, and the state must be discarded.
 */
#ifndef MPAVS_EVM_H
#define MPAVS_EVM_H

#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The upgrades whose execution rules the engine implements, in activation order. */
typedef enum {
    MPAVS_EVM_CANCUN = 0, /**< Dencun execution layer: EIP-1153, 4844, 5656, 6780, 7516. */
    MPAVS_EVM_PRAGUE = 1, /**< Pectra: EIP-2537, 2935, 6110, 7002, 7251, 7623, 7685, 7691, 7702. */
    MPAVS_EVM_OSAKA = 2,  /**< Fusaka: EIP-7823, 7825, 7883, 7918, 7934, 7939, 7951. */
} mpavs_evm_fork;

/** Number of forks in mpavs_evm_fork. */
#define MPAVS_EVM_FORK_COUNT 3

/** Results of the EVM module. */
typedef enum {
    MPAVS_EVM_OK = 0,
    MPAVS_EVM_ERR_NOMEM,                 /**< allocation failed */
    MPAVS_EVM_ERR_SOURCE,                /**< the state source failed (e.g. missing trie node) */
    MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE,/**< a precompile without engine was called */
    MPAVS_EVM_ERR_FORK,                  /**< unknown fork name / no fork active */
    /* transaction validity (the transaction is rejected; the state is unchanged) */
    MPAVS_EVM_ERR_TX_TYPE,               /**< type not allowed in this fork, or malformed for its type */
    MPAVS_EVM_ERR_TX_NONCE,              /**< nonce differs from the sender's, or is 2^64-1 */
    MPAVS_EVM_ERR_TX_INTRINSIC_GAS,      /**< gas limit below the intrinsic gas or the EIP-7623 floor */
    MPAVS_EVM_ERR_TX_GAS_LIMIT,          /**< above the block gas limit or the EIP-7825 cap */
    MPAVS_EVM_ERR_TX_FEE_CAP,            /**< max fee below base fee, priority above max fee */
    MPAVS_EVM_ERR_TX_BALANCE,            /**< sender cannot pay gas limit * max fee + value + blob gas */
    MPAVS_EVM_ERR_TX_SENDER_CODE,        /**< EIP-3607: sender has code that is not a delegation */
    MPAVS_EVM_ERR_TX_INITCODE_SIZE,      /**< EIP-3860: initcode above 49152 bytes */
    MPAVS_EVM_ERR_TX_BLOB,               /**< blob transaction: count, version byte or blob fee */
    MPAVS_EVM_ERR_TX_AUTH_LIST,          /**< EIP-7702: empty authorization list or no target */
} mpavs_evm_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_evm_strerror(int r);

/** Name of a fork ("Cancun", "Prague", "Osaka"). Never NULL. */
MPAVS_API const char *mpavs_evm_fork_name(mpavs_evm_fork fork);
/** Fork by name (case-insensitive). Returns MPAVS_EVM_OK or MPAVS_EVM_ERR_FORK. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_fork_parse(mpavs_evm_fork *fork, const char *name);

/* ------------------------------------------------------------------------------------------ */
/* Fork schedule                                                                               */

/**
 * When each fork activates, as a genesis `config` says it: Cancun, Prague and Osaka activate by
 * timestamp (cancunTime, pragueTime, osakaTime). `active[f]` false means the fork never activates.
 */
typedef struct {
    bool active[MPAVS_EVM_FORK_COUNT];
    uint64_t time[MPAVS_EVM_FORK_COUNT]; /**< activation timestamp of each active fork */
    uint64_t block[MPAVS_EVM_FORK_COUNT];/**< and activation block number (0 when by time only) */
} mpavs_evm_schedule;

/**
 * The fork of the block with number and timestamp under schedule: the latest fork whose block
 * number and timestamp have both been reached. Out: *fork. Returns MPAVS_EVM_OK, or
 * MPAVS_EVM_ERR_FORK when not even Cancun is active (pre-Cancun rules are not implemented).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_fork_at(mpavs_evm_fork *fork, const mpavs_evm_schedule *schedule,
                                                  uint64_t number, uint64_t timestamp);

/* ------------------------------------------------------------------------------------------ */
/* State source and sink                                                                       */

/** An account as stored: what the account trie holds plus the code length. */
typedef struct {
    uint64_t nonce;
    mpavs_u256 balance;
    uint8_t storage_root[32]; /**< root of the storage trie (the empty-trie hash when none) */
    uint8_t code_hash[32];    /**< keccak256 of the code (keccak256("") when none) */
} mpavs_evm_account;

/**
 * Where the state reads from. Every callback returns 0 on success or nonzero on failure (the
 * engine then fails with MPAVS_EVM_ERR_SOURCE). Callbacks must not call back into the engine.
 *   account: *exists false when the address has no account (acct is then ignored).
 *   storage: the value of slot key (zero when absent).
 *   code:    the code whose hash is code_hash; *code stays valid until the state is destroyed.
 */
typedef struct {
    void *ctx;
    int (*account)(void *ctx, mpavs_evm_account *acct, bool *exists, const uint8_t addr[20]);
    int (*storage)(void *ctx, uint8_t value[32], const uint8_t addr[20], const uint8_t key[32]);
    int (*code)(void *ctx, const uint8_t **code, size_t *len, const uint8_t code_hash[32]);
} mpavs_evm_source;

/**
 * Where mpavs_evm_state_commit writes the changes. Return 0 to continue, nonzero to stop.
 *   account: acct NULL means the account is deleted (with its storage); otherwise code/code_len
 *            is its code (acct->storage_root is not meaningful: the sink recomputes it).
 *   storage: a slot's new value (zero deletes it); only for accounts not deleted.
 *   clear_storage is set on the account call when its old storage must be dropped first.
 */
typedef struct {
    void *ctx;
    int (*account)(void *ctx, const uint8_t addr[20], const mpavs_evm_account *acct,
                   const uint8_t *code, size_t code_len, bool clear_storage);
    int (*storage)(void *ctx, const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]);
} mpavs_evm_sink;

/* ------------------------------------------------------------------------------------------ */
/* Block environment and transactions                                                          */

/** Returns in hash the hash of block number (an ancestor within 256 blocks); 0 on success. */
typedef int (*mpavs_evm_blockhash_fn)(void *ctx, uint8_t hash[32], uint64_t number);

/** What a block tells the transactions it contains. */
typedef struct {
    mpavs_evm_fork fork;
    uint8_t coinbase[20];
    uint64_t number;
    uint64_t timestamp;
    uint64_t gas_limit;
    mpavs_u256 base_fee;
    uint8_t prevrandao[32];
    mpavs_u256 blob_base_fee; /**< from the excess blob gas (mpavs_evm_blob_base_fee) */
    uint64_t chain_id;
    mpavs_evm_blockhash_fn blockhash; /**< NULL: BLOCKHASH answers zero */
    void *blockhash_ctx;
    bool no_tx_gas_cap;       /**< skip Osaka's EIP-7825 per-transaction gas cap (anvil's default) */
    bool keep_touched_empty;  /**< anvil: no EIP-161 clearing; an absent account the execution accessed (a call
                                   or transfer target, BALANCE / EXTCODE* operand, the coinbase; also in a
                                   reverted frame) becomes an empty account at the end of the transaction */
} mpavs_evm_block;

/** One access list entry (EIP-2930). */
typedef struct {
    uint8_t address[20];
    const uint8_t (*keys)[32];
    size_t n_keys;
} mpavs_evm_access;

/** One EIP-7702 authorization with its authority already recovered from the signature. */
typedef struct {
    mpavs_u256 chain_id;
    uint8_t address[20];
    uint64_t nonce;
    bool nonce_overflow;   /**< the signed nonce did not fit in 64 bits (the tuple is skipped) */
    bool authority_valid;  /**< false when the signature was invalid (y>1, high s, no key) */
    uint8_t authority[20];
} mpavs_evm_authorization;

/** A transaction (types 0–4) with its sender known. Pointers are borrowed. */
typedef struct {
    uint8_t type; /**< 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844 blob, 4 EIP-7702 set-code */
    uint8_t sender[20];
    uint64_t nonce;
    uint64_t gas_limit;
    mpavs_u256 gas_price;        /**< types 0 and 1 */
    mpavs_u256 max_fee;          /**< types 2–4 (max_fee_per_gas) */
    mpavs_u256 max_priority_fee; /**< types 2–4 */
    bool is_create;              /**< no `to` */
    uint8_t to[20];
    mpavs_u256 value;
    const uint8_t *data;
    size_t data_len;
    const mpavs_evm_access *access_list;
    size_t n_access;
    const uint8_t (*blob_hashes)[32]; /**< type 3 */
    size_t n_blob_hashes;
    mpavs_u256 max_fee_per_blob_gas;  /**< type 3 */
    const mpavs_evm_authorization *auths; /**< type 4 */
    size_t n_auths;
} mpavs_evm_tx;

/** A log entry. Memory belongs to the result that holds it. */
typedef struct {
    uint8_t address[20];
    uint8_t topics[4][32];
    uint8_t n_topics;
    uint8_t *data;
    size_t data_len;
} mpavs_evm_log;

/** How an executed transaction ended. */
typedef enum {
    MPAVS_EVM_STATUS_SUCCESS = 0,
    MPAVS_EVM_STATUS_REVERT = 1,  /**< REVERT at the top frame */
    MPAVS_EVM_STATUS_FAILURE = 2, /**< exceptional halt (out of gas, invalid opcode, …) */
} mpavs_evm_status;

/** The outcome of mpavs_evm_execute_tx. Free with mpavs_evm_tx_result_clear. */
typedef struct {
    mpavs_evm_status status;
    uint64_t gas_used;       /**< what the sender paid for (after refund and floor) */
    uint64_t gas_refunded;   /**< the refund applied */
    mpavs_evm_log *logs;
    size_t n_logs;
    bool created;            /**< a create transaction that succeeded */
    uint8_t created_address[20];
    uint8_t *output;         /**< return or revert data of the top frame */
    size_t output_len;
    uint8_t unsupported_precompile[20]; /**< the precompile when ERR_UNSUPPORTED_PRECOMPILE */
} mpavs_evm_tx_result;

/** Free the logs and output of res and zero it. */
MPAVS_API void mpavs_evm_tx_result_clear(mpavs_evm_tx_result *res);

/**
 * Intrinsic gas of tx under fork: 21000, +32000 and the EIP-3860 word cost for creates, 4/16 per
 * zero/nonzero data byte, 2400 per access list address and 1900 per key, 25000 per EIP-7702
 * authorization. Out: *gas and *floor (the EIP-7623 calldata floor 21000 + 10 per token from
 * Prague on; 0 in Cancun). The minimum gas limit is max(*gas, *floor). Saturates at UINT64_MAX.
 */
MPAVS_API void mpavs_evm_intrinsic_gas(uint64_t *gas, uint64_t *floor, mpavs_evm_fork fork,
                                       const mpavs_evm_tx *tx);

/**
 * Blob base fee for excess_blob_gas under fork (EIP-4844 fake exponential; update fraction
 * 3338477 in Cancun, 5007716 from Prague on). Out: *fee.
 */
MPAVS_API void mpavs_evm_blob_base_fee(mpavs_u256 *fee, mpavs_evm_fork fork, uint64_t excess_blob_gas);

/**
 * Blob base fee for excess_blob_gas with an explicit update fraction (> 0; a BPO fork's
 * baseFeeUpdateFraction, EIP-7892). Out: *fee (saturates at 2^256 - 1).
 */
MPAVS_API void mpavs_evm_blob_base_fee_fraction(mpavs_u256 *fee, uint64_t update_fraction, uint64_t excess_blob_gas);

/** Largest number of blobs one transaction may carry under fork. */
MPAVS_API size_t mpavs_evm_max_blobs_per_tx(mpavs_evm_fork fork);

/* ------------------------------------------------------------------------------------------ */
/* World state and execution                                                                   */

/** The world state of one block over a source (opaque). */
typedef struct mpavs_evm_state mpavs_evm_state;

/** A new state reading from *src (copied; src->ctx must outlive the state). NULL on no memory. */
MPAVS_API mpavs_evm_state *mpavs_evm_state_create(const mpavs_evm_source *src);
/** Free a state (NULL is fine). */
MPAVS_API void mpavs_evm_state_destroy(mpavs_evm_state *st);

/**
 * Execute tx in block on st: validity checks, fee purchase, authorizations, the message call or
 * creation, refunds, the coinbase tip, deletion of destroyed and touched-empty accounts.
 * Out: *res (always initialised; free with mpavs_evm_tx_result_clear).
 * Returns MPAVS_EVM_OK when the transaction was included (res->status says how it ended), a
 * MPAVS_EVM_ERR_TX_* value when it is invalid (st unchanged), MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE
 * (st must be discarded), MPAVS_EVM_ERR_SOURCE or MPAVS_EVM_ERR_NOMEM (st must be discarded).
 * Nested calls recurse in C: the 1024 call depth levels need about 1.5 MiB of stack. Memory is
 * bounded by the gas (EVM memory is paid quadratically) and the journal by the state changes.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_execute_tx(mpavs_evm_state *st, mpavs_evm_tx_result *res,
                                                     const mpavs_evm_block *block, const mpavs_evm_tx *tx);

/**
 * Credit amount wei to addr (block rewards, withdrawals); creates the account if needed.
 * Returns MPAVS_EVM_OK, _ERR_SOURCE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_state_add_balance(mpavs_evm_state *st, const uint8_t addr[20],
                                                            const mpavs_u256 *amount);

/**
 * Hand every account and storage slot changed since the state was created to sink (accounts in
 * no particular order; each account before its slots). Returns MPAVS_EVM_OK or
 * MPAVS_EVM_ERR_SOURCE when the sink stopped.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_state_commit(const mpavs_evm_state *st, const mpavs_evm_sink *sink);

/* ------------------------------------------------------------------------------------------ */
/* In-memory state                                                                             */

/** A whole state in memory: a source for mpavs_evm_state and a sink for its commit (opaque). */
typedef struct mpavs_evm_memstate mpavs_evm_memstate;

/** An empty in-memory state, or NULL on no memory. */
MPAVS_API mpavs_evm_memstate *mpavs_evm_memstate_create(void);
/** Free it (NULL is fine). */
MPAVS_API void mpavs_evm_memstate_destroy(mpavs_evm_memstate *ms);
/**
 * Set an account (replacing any; its storage is kept). code is copied.
 * Returns MPAVS_EVM_OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_memstate_set_account(mpavs_evm_memstate *ms, const uint8_t addr[20],
                                                               uint64_t nonce, const mpavs_u256 *balance,
                                                               const uint8_t *code, size_t code_len);
/** Set a slot of an existing account (zero deletes it). Returns OK, _ERR_NOMEM or _ERR_SOURCE (no account). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_memstate_set_storage(mpavs_evm_memstate *ms, const uint8_t addr[20],
                                                               const uint8_t key[32], const uint8_t value[32]);
/** The source that reads ms. Out: *src. */
MPAVS_API void mpavs_evm_memstate_source(mpavs_evm_source *src, mpavs_evm_memstate *ms);
/** The sink that writes into ms. Out: *sink. */
MPAVS_API void mpavs_evm_memstate_sink(mpavs_evm_sink *sink, mpavs_evm_memstate *ms);
/** The state root of ms. Out: root. Returns MPAVS_EVM_OK or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_memstate_root(uint8_t root[32], const mpavs_evm_memstate *ms);

/** keccak256(rlp(logs)) as in the state tests' "logs" field. Out: hash. Returns OK or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_evm_logs_hash(uint8_t hash[32], const mpavs_evm_log *logs, size_t n);

#ifdef __cplusplus
}
#endif
#endif

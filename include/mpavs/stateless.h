/*
 * mpavs/stateless.h — stateless block verification: a block re-executed with the EVM engine on a
 * witness (mpavs/witness.h) from a trusted parent header, so that a node can make verification
 * fail but never make it accept a wrong state.
 *
 * What mpavs_stateless_verify trusts: the parent header and its hash (an anchor: a configured
 * checkpoint, or the last block this process verified). Everything else comes from the witness
 * and is checked:
 *   - the block's parentHash and number against the trusted parent;
 *   - the witness's ancestor headers (for BLOCKHASH) link by hash to the trusted parent;
 *   - every account, slot and code the execution reads is reached by hash from the parent's
 *     state root through the witness store (mpavs/trie.h); a node or code that is not there is a
 *     refusal, never a guessed value;
 *   - the block is executed by mpavs_blockexec_execute (header rules, transactions, withdrawals,
 *     system calls, receipts, requests, body roots), its changes are written into the witness
 *     tries and the resulting state root must equal the header's.
 *
 * The fork schedule and the chain's state rules come from a configuration, with presets for
 * Ethereum mainnet, Sepolia, Hoodi and anvil (a development chain whose state rules differ, see
 * MPAVS_WITNESS_ANVIL_RULES in mpavs/witness.h).
 *
 * mpavs_stateless_cursor drives the verification along a chain (mpavs chain verify, mpavs-prover):
 * a trusted block, then each block fetched from a node and verified from the one before.
 *
 * No process-global state; a verification uses one witness and one thread.
 */
#ifndef MPAVS_STATELESS_H
#define MPAVS_STATELESS_H

#include "mpavs/blockexec.h"
#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/witness.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Outcomes of a verification. Every value but _OK is a refusal: nothing about the block is known. */
typedef enum {
    MPAVS_STATELESS_OK = 0,
    MPAVS_STATELESS_MALFORMED_WITNESS,      /**< no block in the witness, or it does not decode */
    MPAVS_STATELESS_PARENT_MISMATCH,        /**< block's parentHash/number is not the trusted parent's */
    MPAVS_STATELESS_CHAIN_MISMATCH,         /**< ancestor headers do not link to the trusted parent */
    MPAVS_STATELESS_MISSING_NODE,           /**< a trie node the execution needs is not in the witness */
    MPAVS_STATELESS_MISSING_CODE,           /**< a code the execution needs is not in the witness */
    MPAVS_STATELESS_BAD_ACCOUNT,            /**< a malformed account or storage value in the trie */
    MPAVS_STATELESS_UNSUPPORTED_FORK,       /**< the block's fork is not implemented (pre-Cancun) */
    MPAVS_STATELESS_UNSUPPORTED_PRECOMPILE, /**< the block calls a precompile libmpavs has no engine for */
    MPAVS_STATELESS_INVALID_BLOCK,          /**< a header, transaction or body rule fails (see why) */
    MPAVS_STATELESS_STATE_ROOT_MISMATCH,    /**< executed fine, but the computed root is not the header's */
    MPAVS_STATELESS_NOMEM,                  /**< out of memory */
    MPAVS_STATELESS_WITNESS_UNAVAILABLE,    /**< the node did not serve the witness (RPC failure, method
                                                 missing, time budget spent): try again, nothing is wrong with the block */
    MPAVS_STATELESS_WITNESS_TOO_LARGE,      /**< the witness exceeds a bound of mpavs_witness_limits */
} mpavs_stateless_result;

/**
 * The reason name of a result, usable as a metrics label: "ok", "malformed_witness",
 * "parent_mismatch", "chain_mismatch", "missing_witness_node", "missing_code", "bad_account",
 * "unsupported_fork", "unsupported_precompile", "invalid_block", "state_root_mismatch",
 * "out_of_memory", "witness_unavailable", "witness_too_large". Never NULL.
 */
MPAVS_API const char *mpavs_stateless_strerror(int r);

/** Number of result values (every r with 0 <= r < MPAVS_STATELESS_RESULT_COUNT has a name above). */
#define MPAVS_STATELESS_RESULT_COUNT (MPAVS_STATELESS_WITNESS_TOO_LARGE + 1)

/** Chain configuration: the chain and its fork schedule, and its state rules. */
typedef struct {
    mpavs_blockexec_chain chain;
    unsigned witness_flags; /**< 0 (Ethereum's rules) or MPAVS_WITNESS_ANVIL_RULES */
} mpavs_stateless_config;

/**
 * A preset by name: "mainnet" (chain 1), "sepolia" (11155111), "hoodi" (560048) with their
 * Cancun, Prague and Osaka activation times, and "anvil" (31337, every fork from genesis,
 * anvil's state rules). Out: cfg. Returns 0, or -1 for another name (cfg untouched).
 * An anvil chain started with --chain-id X takes the anvil preset with cfg->chain.chain_id = X.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_stateless_preset(mpavs_stateless_config *cfg, const char *name);

/** The preset names, NULL-terminated. */
MPAVS_API const char *const *mpavs_stateless_preset_names(void);

/**
 * The preset of a chain id: "mainnet" (1), "sepolia" (11155111), "hoodi" (560048), "anvil"
 * (31337, anvil's default chain id); NULL for any other id.
 */
MPAVS_API const char *mpavs_stateless_preset_for_chain(uint64_t chain_id);

/** What one verification found. */
typedef struct {
    uint64_t number;
    uint8_t block_hash[32];        /**< the hash of the verified header (valid on OK) */
    mpavs_block_header header;     /**< the block's header (valid from the decoding on) */
    uint8_t state_root[32];        /**< the computed post-state root (valid when computed) */
    bool state_root_computed;
    mpavs_blockexec_stats stats;   /**< gas, transactions, roots (mpavs/blockexec.h) */
    mpavs_blockexec_refusal why;   /**< field, expected and actual of a refusal */
    char message[256];             /**< one line saying why ("" on OK) */
    double exec_ms;                /**< wall time of the execution */
    /* filled by mpavs_stateless_cursor_next only (zero after mpavs_stateless_verify) */
    double fetch_ms;               /**< wall time of the witness acquisition */
    int witness_error;             /**< the mpavs_witness_result of a failed acquisition (0: it succeeded) */
    mpavs_witness_stats witness;   /**< what the witness held and its acquisition cost */
} mpavs_stateless_outcome;

/**
 * Verify the block held by witness w (acquired by mpavs_witness_acquire or built by the caller),
 * trusting only parent (the header of block number-1) and parent_hash (its hash). In: ecdsa
 * (sender recovery), cfg. In/out: w (its tries are written during execution; the witness is
 * spent afterwards). Out: *out (always written). Returns MPAVS_STATELESS_OK when the block is
 * valid and its stateRoot is the one computed, else the refusal.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_stateless_verify(mpavs_stateless_outcome *out,
                                                       const mpavs_stateless_config *cfg,
                                                       const mpavs_ecdsa_ctx *ecdsa,
                                                       const mpavs_block_header *parent,
                                                       const uint8_t parent_hash[32], mpavs_witness *w);

/* ---- following a chain ---- */

/**
 * A cursor: verifies a chain forward one block at a time from a trusted block, each verified block
 * becoming the trusted parent of the next. It remembers the headers it verified (the last 256), so
 * that the witness of the next block does not fetch them again (mpavs_witness_acquire). Opaque;
 * used by one thread at a time; about 200 KB.
 */
typedef struct mpavs_stateless_cursor mpavs_stateless_cursor;

/**
 * A cursor at the trusted block (number, hash): its next block is number + 1. The trusted block's
 * header comes from the first witness, which must hold a header number that hashes to hash.
 * Returns NULL when out of memory.
 */
MPAVS_API mpavs_stateless_cursor *mpavs_stateless_cursor_create(uint64_t number, const uint8_t hash[32]);
/** Destroy a cursor (NULL allowed). */
MPAVS_API void mpavs_stateless_cursor_destroy(mpavs_stateless_cursor *c);
/**
 * The cursor's block: the trusted one until a block is verified, then the last verified one.
 * Out: *number, hash (either may be NULL).
 */
MPAVS_API void mpavs_stateless_cursor_head(const mpavs_stateless_cursor *c, uint64_t *number, uint8_t hash[32]);

/**
 * Verify the cursor's next block (head + 1) from the node at rpc: acquire its witness
 * (mpavs_witness_acquire, bounded by lim; NULL: mpavs_witness_limits_default) with the headers the
 * cursor holds, take the parent header from the witness while the cursor has none (it must hash to
 * the trusted hash, else MPAVS_STATELESS_PARENT_MISMATCH), then mpavs_stateless_verify. A failed
 * acquisition is a refusal too: _ERR_RPC, _ERR_UNSUPPORTED and _ERR_LIMIT_TIME are
 * MPAVS_STATELESS_WITNESS_UNAVAILABLE; _ERR_PARSE, _ERR_NODE and _ERR_HASH (the node's answers do not
 * match their hashes) MALFORMED_WITNESS; _ERR_CHAIN CHAIN_MISMATCH; _MISSING_NODE, _MISSING_CODE and
 * _ERR_ACCOUNT MISSING_NODE, MISSING_CODE and BAD_ACCOUNT; the other limits WITNESS_TOO_LARGE; the
 * witness's message is then out->message and its result out->witness_error.
 * A schedule without any supported fork refuses every block as UNSUPPORTED_FORK without fetching.
 * In/out: c (moves to the verified block on OK, unchanged otherwise), rpc. In: cfg, ecdsa, lim.
 * Out: *out (always written; out->number is the block tried). Returns MPAVS_STATELESS_OK or the refusal.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_stateless_cursor_next(mpavs_stateless_cursor *c, mpavs_stateless_outcome *out,
                                                            mpavs_rpc *rpc, const mpavs_stateless_config *cfg,
                                                            const mpavs_ecdsa_ctx *ecdsa,
                                                            const mpavs_witness_limits *lim);

#ifdef __cplusplus
}
#endif
#endif

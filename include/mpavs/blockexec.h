/*
 * mpavs/blockexec.h — block execution: a decoded block (mpavs/block.h) applied to the state of its
 * parent, checked against its header field by field.
 *
 * mpavs_blockexec_execute does, in the execution-specs' order:
 *   1. from Osaka the encoding at most 8 MiB (EIP-7934, refused as "size"); the header against
 *      its parent (mpavs_chain_validate_header under the fork the schedule
 *      gives the block), the ommers hash and the empty ommers list;
 *   2. the pre-block system calls: EIP-4788 (the parent beacon block root into
 *      0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02) and, from Prague, EIP-2935 (the parent hash
 *      into 0x0000F90827F1C53a10cb7A02335B175320002935): a call from the system address
 *      0xff…fe with 30,000,000 gas, not counted in the block's gas, skipped when the contract has
 *      no code;
 *   3. each transaction (types 0–4): decoding, the static rules, sender recovery (and the
 *      EIP-7702 authorities), the block gas still available, blob gas per block, execution;
 *   4. the withdrawals (gwei credited as wei);
 *   5. from Prague the EIP-7685 requests: EIP-6110 deposit logs of the deposit contract, the
 *      EIP-7002 and EIP-7251 system calls (whose contracts must have code and must not fail);
 *   6. the comparison with the header: gasUsed, logsBloom, receiptsRoot, transactionsRoot,
 *      withdrawalsRoot, blobGasUsed, requestsHash, then (after handing the changes to the state's
 *      sink) stateRoot. (The body's roots are compared after execution, as in the
 *      execution-specs, so a block with an invalid transaction is refused for that transaction.)
 *
 * A refused block is reported as MPAVS_BLOCKEXEC_INVALID with an mpavs_blockexec_refusal that
 * names the field (JSON-RPC name: "gasUsed", "stateRoot", "transactions[3]", …) with the expected
 * and the actual value. A block that calls a precompile libmpavs has no engine for (BLS12-381,
 * KZG point evaluation) is MPAVS_BLOCKEXEC_UNPROVABLE: its outcome is unknown, not invalid.
 *
 * The header type is mpavs_block_header (mpavs/block.h), which is also mpavs/chain.h's
 * mpavs_chain_header.
 */
#ifndef MPAVS_BLOCKEXEC_H
#define MPAVS_BLOCKEXEC_H

#include "mpavs/block.h"
#include "mpavs/chain.h"
#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/evm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_BLOCKEXEC_OK = 0,
    MPAVS_BLOCKEXEC_INVALID,    /**< the block is refused; the refusal says why */
    MPAVS_BLOCKEXEC_UNPROVABLE, /**< it calls a precompile without engine (the refusal names it) */
    MPAVS_BLOCKEXEC_ERR_FORK,   /**< no fork of the schedule is active at the block (pre-Cancun) */
    MPAVS_BLOCKEXEC_ERR_SOURCE, /**< the state source or sink failed (e.g. a missing trie node) */
    MPAVS_BLOCKEXEC_ERR_NOMEM,  /**< out of memory */
} mpavs_blockexec_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_blockexec_strerror(int r);

/** Why a block was refused (or is unprovable). */
typedef struct {
    char field[64];    /**< "stateRoot", "gasUsed", "transactions[2]", "parentHash", … */
    char expected[96]; /**< what the rules or the execution give */
    char actual[96];   /**< what the block says */
} mpavs_blockexec_refusal;

/** Format a refusal as "FIELD: expected …, got …" into buf (cap bytes, NUL-terminated). Returns buf. */
MPAVS_API char *mpavs_blockexec_refusal_format(char *buf, size_t cap, const mpavs_blockexec_refusal *why);

/** Most blob-parameter-only (EIP-7892) forks a chain carries. */
#define MPAVS_BLOCKEXEC_MAX_BPO 8

/** A blob-parameter-only fork (EIP-7892): from timestamp `time` on, blocks use `blob`. */
typedef struct {
    uint64_t time;
    mpavs_chain_blob_params blob;
} mpavs_blockexec_bpo;

/** The chain a block belongs to. */
typedef struct {
    uint64_t chain_id;
    mpavs_evm_schedule schedule;
    uint8_t deposit_contract[20]; /**< EIP-6110 deposit contract (mainnet 0x00000000219ab540356cBB839Cbe05303d7705Fa) */
    unsigned flags;               /**< 0 (Ethereum's rules) or MPAVS_BLOCKEXEC_* below (development chains) */
    /** BPO forks in increasing time order (after Osaka); nbpo = 0 keeps each fork's default schedule */
    mpavs_blockexec_bpo bpo[MPAVS_BLOCKEXEC_MAX_BPO];
    size_t nbpo;
} mpavs_blockexec_chain;

/**
 * The blob schedule of a block of fork with the given timestamp on chain: the last BPO entry whose
 * time has come when fork is Osaka or later, else the fork's default (mpavs_chain_blob_params_default).
 * Out: *p.
 */
MPAVS_API void mpavs_blockexec_blob_params(mpavs_chain_blob_params *p, const mpavs_blockexec_chain *chain,
                                           mpavs_evm_fork fork, uint64_t timestamp);

/** Flag: Osaka's EIP-7825 transaction gas cap is off (anvil without --enable-tx-gas-limit). */
#define MPAVS_BLOCKEXEC_NO_TX_GAS_CAP 1u
/**
 * Flag: an EIP-7002/7251 request contract without code yields no requests instead of refusing the
 * block (anvil deploys neither contract).
 */
#define MPAVS_BLOCKEXEC_OPTIONAL_REQUEST_CONTRACTS 2u
/** Flag: a block may have its parent's timestamp (anvil mines several blocks in one second). */
#define MPAVS_BLOCKEXEC_EQUAL_TIMESTAMP 4u
/**
 * Flag: a blob transaction may be held in the block in its network form (with its blobs,
 * commitments and proofs, mpavs_tx_blob_network_body): anvil (foundry 1.7) computes its
 * transactionsRoot over those encodings instead of the canonical ones, so a block whose header
 * commits to them is executed from the canonical forms and its transactionsRoot checked over the
 * forms it holds. Without the flag such a block is refused (transactions[i]).
 */
#define MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT 8u
/**
 * Flag: anvil's account rule (foundry 1.7, whose state commit has no EIP-161 clearing): an empty
 * account a transaction touched is kept, and an absent one it accessed (the target of a zero-value
 * call or transfer, the operand of BALANCE or EXTCODE*, also inside a reverted frame; not the
 * accounts a transaction only warms: access list, precompiles) becomes an empty account
 * (mpavs_evm_block.keep_touched_empty).
 */
#define MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY 16u

/** Set chain to mainnet's deposit contract with the given id and schedule. Out: chain. */
MPAVS_API void mpavs_blockexec_chain_init(mpavs_blockexec_chain *chain, uint64_t chain_id,
                                          const mpavs_evm_schedule *schedule);

/**
 * The state a block runs on: the parent's post-state read through source; the block's changes
 * are handed to sink (only after every check but the state root passed), then root returns the
 * state root with those changes applied.
 */
typedef struct {
    mpavs_evm_source source;
    mpavs_evm_sink sink;
    int (*root)(void *ctx, uint8_t root[32]); /**< 0 on success */
    void *root_ctx;
} mpavs_blockexec_state;

/** What executing a block produced (for reports): gas and blob gas used, transactions run, the roots. */
typedef struct {
    uint64_t gas_used;
    uint64_t blob_gas_used;
    size_t tx_count;
    size_t rlp_size;        /**< the length of the block's encoding */
    bool has_receipts;      /**< every transaction ran: the next three fields are valid */
    uint8_t logs_bloom[256];
    uint8_t receipts_root[32];
    uint8_t requests_hash[32]; /**< Prague: the EIP-7685 requests hash of the block's requests */
    uint8_t state_root[32]; /**< valid when the sink was written (OK, or INVALID on stateRoot) */
    bool sink_written;      /**< the changes were handed to the sink (the state then holds them) */
} mpavs_blockexec_stats;

/**
 * Execute block b on the state of its parent and check it against its header (steps above).
 * In: ecdsa (sender recovery), chain, parent (the parent's header), state, blockhash/ctx (the hash
 * of an ancestor by number, for BLOCKHASH; NULL answers zero).
 * Out: *why (always written; its field is empty on OK), *stats (may be NULL).
 * Returns MPAVS_BLOCKEXEC_OK (valid; the sink holds the post-state), _INVALID, _UNPROVABLE,
 * _ERR_FORK, _ERR_SOURCE or _ERR_NOMEM. Unless stats->sink_written, the sink was not called.
 * When it was and the result is not OK (a stateRoot difference), the state holds the refused
 * block's changes and must be discarded.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_blockexec_execute(mpavs_blockexec_refusal *why, mpavs_blockexec_stats *stats,
                                                        const mpavs_ecdsa_ctx *ecdsa,
                                                        const mpavs_blockexec_chain *chain,
                                                        const mpavs_block_header *parent, const mpavs_block *b,
                                                        const mpavs_blockexec_state *state,
                                                        mpavs_evm_blockhash_fn blockhash, void *blockhash_ctx);

#ifdef __cplusplus
}
#endif
#endif

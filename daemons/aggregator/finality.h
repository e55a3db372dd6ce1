/*
 * daemons/aggregator/finality.h — which blocks the aggregator treats as final (issue #17 item 2).
 *
 * Type-3 tasks prove only blocks final by the proven chain's rule, and the reference block of
 * every task (the stake lookups) is final on the AVS chain: the node's `finalized` block where it
 * answers with one (mode FINALIZED), else head − depth (mode DEPTH, or FINALIZED on a node that
 * has no such block). The depth defaults by chain: 64 on Ethereum mainnet, Sepolia and Hoodi,
 * 12 on any other chain; 0 only when configured (a devnet). Before a type-3 state is confirmed,
 * the proven chain's canonical block N is compared with the signed abi.encode(blockHash, stateRoot).
 */
#ifndef MPAVS_AGG_FINALITY_H
#define MPAVS_AGG_FINALITY_H

#include "mpavs/rpc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** How a chain's final block is found. */
typedef enum { AGG_FINALITY_FINALIZED = 0, AGG_FINALITY_DEPTH = 1 } agg_finality_mode;

/** "finalized" or "depth". */
const char *agg_finality_name(int mode);
/** Parse "finalized" / "depth" (case-insensitive). Out: *mode. Returns false for anything else. */
bool agg_finality_parse(int *mode, const char *s);
/** The default depth of a chain: 64 on Ethereum mainnet (1), Sepolia (11155111), Hoodi (560048); 12 otherwise. */
uint64_t agg_finality_preset_depth(uint64_t chain_id);

/**
 * The newest final block from what the node said. In: mode, depth (blocks below the head in
 * mode DEPTH and as the fallback), min_depth (the result is at most head − min_depth: 1 for a
 * reference block, which must be older than the block confirming it), head, have_finalized and
 * finalized (the node's `finalized` block, when it has one). Out: *out. Returns false when no
 * block qualifies yet (head < depth or head < min_depth); *out is then 0.
 */
bool agg_finality_target(uint64_t *out, int mode, uint64_t depth, uint64_t min_depth, uint64_t head,
                         bool have_finalized, uint64_t finalized);

/** What agg_finality_read found. */
typedef struct {
    uint64_t head, final_block;
    bool used_finalized; /* the node's `finalized` block (false: head − depth) */
    bool ready;          /* a block qualifies (see agg_finality_target) */
} agg_finality_read_result;

/**
 * Ask the node: eth_blockNumber and, in mode FINALIZED, eth_getBlockByNumber("finalized") (a
 * JSON-RPC error or null result there means the node has no finalized block: the depth is used).
 * Out: *r, err. Returns MPAVS_RPC_OK or the code of the call that failed.
 */
int agg_finality_read(mpavs_rpc *rpc, agg_finality_read_result *r, mpavs_error *err, int mode, uint64_t depth,
                      uint64_t min_depth);

/**
 * Is a type-3 state (abi.encode(bytes32 blockHash, bytes32 stateRoot): 64 bytes) the state of the
 * block with this hash and state root? A state of another length never matches.
 */
bool agg_canon_state_matches(const uint8_t *state, size_t len, const uint8_t hash[32], const uint8_t state_root[32]);

#endif

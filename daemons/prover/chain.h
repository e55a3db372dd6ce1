/*
 * daemons/prover/chain.h — verified block headers for chain-state tasks (type 3).
 *
 * A header is re-encoded as RLP from its JSON-RPC fields (parentHash … nonce, then the optional
 * post-London fields in fork order: baseFeePerGas, withdrawalsRoot, blobGasUsed, excessBlobGas,
 * parentBeaconBlockRoot, requestsHash) and accepted only if keccak256(RLP) equals its "hash".
 * A header chain is accepted from a trusted anchor (number, hash) when every header's
 * parentHash is the hash of the header before it.
 */
#ifndef MPAVS_PROVER_CHAIN_H
#define MPAVS_PROVER_CHAIN_H

#include "mpavs/rpc.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t number;
    uint8_t hash[32], parent_hash[32], state_root[32], withdrawals_root[32];
    bool has_withdrawals_root;
} chain_header;

/**
 * RLP-encode the header in block (an eth_getBlockBy* JSON object) and check its hash.
 * Out: h (fields), rlp/rlp_len (optional, may be NULL; cap bytes), err.
 * Returns false with err set on a malformed block or a hash mismatch.
 */
bool chain_header_from_json(chain_header *h, const json_t *block, uint8_t *rlp, size_t cap, size_t *rlp_len,
                            char *err, size_t errcap);

/** Fetch block number n (or by hash when by_hash != NULL) and verify it as above. */
bool chain_fetch_header(mpavs_rpc *rpc, chain_header *h, uint64_t n, const uint8_t *by_hash, char *err,
                        size_t errcap);

/**
 * Verify the chain from a trusted anchor (anchor_number, anchor_hash) to block target
 * (target ≥ anchor_number; at most max_headers headers fetched). Out: *out (block target's
 * verified header), *parent (its parent, verified through out->parent_hash; zero for block 0).
 * Returns false with err set (e.g. "checkpoint hash mismatch ...", "parent hash mismatch ...").
 */
bool chain_verify_range(mpavs_rpc *rpc, uint64_t anchor_number, const uint8_t anchor_hash[32], uint64_t target,
                        uint64_t max_headers, chain_header *out, chain_header *parent, char *err, size_t errcap);

#endif

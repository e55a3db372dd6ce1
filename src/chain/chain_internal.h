/* src/chain/chain_internal.h — internal: decoders from already-validated RLP items, shared by the header and block codecs. */
#ifndef MPAVS_CHAIN_INTERNAL_H
#define MPAVS_CHAIN_INTERNAL_H

#include "mpavs/block.h"
#include "mpavs/rlp.h"
#include "mpavs/tx.h"

/** A header from a validated RLP item. Out: h. Returns MPAVS_BLOCK_OK or an error. */
int chain_header_from_item(mpavs_block_header *h, const mpavs_rlp_item *top);
/** A withdrawal from a validated RLP item. Out: w. Returns MPAVS_BLOCK_OK or MPAVS_BLOCK_ERR_WITHDRAWAL. */
int chain_withdrawal_from_item(mpavs_withdrawal *w, const mpavs_rlp_item *top);
/**
 * The block with each blob transaction held in its network form (with the sidecar) replaced by its
 * canonical form (mpavs_tx_blob_network_body). Returns 0 when there is none (view untouched), 1
 * with *view a shallow copy of b whose txs (malloc'd, *txs) point into *buf (malloc'd) or b's
 * bytes, and *first the index of the first such transaction; -1 when out of memory.
 */
int chain_block_canonical_view(mpavs_block *view, mpavs_block_tx **txs, uint8_t **buf, size_t *first,
                               const mpavs_block *b);

#endif

/* src/chain/chain_internal.h — internal: decoders from already-validated RLP items, shared by the header and block codecs. */
#ifndef MPAVS_CHAIN_INTERNAL_H
#define MPAVS_CHAIN_INTERNAL_H

#include "mpavs/block.h"
#include "mpavs/rlp.h"

/** A header from a validated RLP item. Out: h. Returns MPAVS_BLOCK_OK or an error. */
int chain_header_from_item(mpavs_block_header *h, const mpavs_rlp_item *top);
/** A withdrawal from a validated RLP item. Out: w. Returns MPAVS_BLOCK_OK or MPAVS_BLOCK_ERR_WITHDRAWAL. */
int chain_withdrawal_from_item(mpavs_withdrawal *w, const mpavs_rlp_item *top);

#endif

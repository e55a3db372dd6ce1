/*
 * libFuzzer target for the block and header decoders.
 * Properties: an accepted header re-encodes to exactly its bytes; an
 * accepted block's header re-encodes to the header bytes inside it, its
 * ommers re-encode, its roots compute, its withdrawals re-encode, and each
 * transaction entry is something mpavs_tx_parse can be given.
 */
#include "mpavs/block.h"
#include "mpavs/tx.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same_header(const mpavs_block_header *h, const uint8_t *raw, size_t len) {
    uint8_t out[MPAVS_BLOCK_HEADER_MAX];
    size_t ol;
    if (mpavs_block_header_encode(out, sizeof out, &ol, h) != MPAVS_BLOCK_OK) abort();
    if (ol != len || memcmp(out, raw, len) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mpavs_block_header h;
    if (mpavs_block_header_decode(&h, data, size) == MPAVS_BLOCK_OK) same_header(&h, data, size);
    mpavs_withdrawal w;
    if (mpavs_withdrawal_decode(&w, data, size) == MPAVS_BLOCK_OK) {
        uint8_t e[MPAVS_WITHDRAWAL_MAX];
        if (mpavs_withdrawal_encode(e, &w) != size || memcmp(e, data, size) != 0) abort();
    }
    mpavs_block b;
    if (mpavs_block_decode(&b, data, size) != MPAVS_BLOCK_OK) {
        if (b.txs || b.ommers || b.withdrawals || b.tx_count) abort(); /* cleared on failure */
        return 0;
    }
    same_header(&b.header, b.header_rlp, b.header_rlp_len);
    for (size_t i = 0; i < b.ommer_count; i++) {
        uint8_t hash[32];
        if (mpavs_block_header_hash(hash, &b.ommers[i]) != MPAVS_BLOCK_OK) abort();
    }
    uint8_t root[32];
    if (mpavs_block_transactions_root(root, &b) || mpavs_block_withdrawals_root(root, &b)) abort();
    mpavs_block_ommers_hash(root, &b);
    for (size_t i = 0; i < b.tx_count; i++) {
        if (b.txs[i].raw < data || b.txs[i].raw + b.txs[i].len > data + size) abort();
        mpavs_tx tx;
        (void)!mpavs_tx_parse(&tx, b.txs[i].raw, b.txs[i].len);
    }
    mpavs_block_clear(&b);
    return 0;
}

/* Block decoding and the roots a header commits to (mpavs/block.h). */
#include "mpavs/block.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"
#include "chain/chain_internal.h"

#include <stdlib.h>
#include <string.h>

void mpavs_block_clear(mpavs_block *b) {
    if (!b) return;
    free(b->txs);
    free(b->ommers);
    free(b->withdrawals);
    memset(b, 0, sizeof *b);
}

static int decode_body(mpavs_block *b, const uint8_t *rlp, size_t len) {
    mpavs_rlp_item top, part[4], it;
    mpavs_rlp_iter iter, li;
    size_t n = 0, count;
    if (mpavs_rlp_decode(&top, rlp, len) || mpavs_rlp_iter_init(&iter, &top)) return MPAVS_BLOCK_ERR_RLP;
    while (!mpavs_rlp_iter_done(&iter)) {
        if (n == 4) return MPAVS_BLOCK_ERR_FIELDS;
        if (mpavs_rlp_next(&iter, &part[n])) return MPAVS_BLOCK_ERR_RLP;
        n++;
    }
    if (n < 3) return MPAVS_BLOCK_ERR_FIELDS;
    int r = chain_header_from_item(&b->header, &part[0]);
    if (r) return r;
    /* a withdrawals list exactly when the header has a withdrawals root (Shanghai on) */
    if (b->header.has_withdrawals_root != (n == 4)) return MPAVS_BLOCK_ERR_FIELDS;
    b->header_rlp = part[0].raw;
    b->header_rlp_len = part[0].raw_len;

    /* transactions */
    if (!part[1].is_list || mpavs_rlp_list_count(&count, &part[1])) return MPAVS_BLOCK_ERR_TX;
    if (count && !(b->txs = calloc(count, sizeof *b->txs))) return MPAVS_BLOCK_ERR_NOMEM;
    if (mpavs_rlp_iter_init(&li, &part[1])) return MPAVS_BLOCK_ERR_TX;
    for (size_t i = 0; i < count; i++) {
        if (mpavs_rlp_next(&li, &it)) return MPAVS_BLOCK_ERR_TX;
        if (it.is_list) {
            b->txs[i].raw = it.raw;
            b->txs[i].len = it.raw_len;
        } else {
            if (it.len == 0 || it.p[0] == 0 || it.p[0] > 0x7f) return MPAVS_BLOCK_ERR_TX;
            b->txs[i].raw = it.p;
            b->txs[i].len = it.len;
        }
    }
    b->tx_count = count;

    /* ommers */
    if (!part[2].is_list || mpavs_rlp_list_count(&count, &part[2])) return MPAVS_BLOCK_ERR_OMMER;
    if (count && !(b->ommers = calloc(count, sizeof *b->ommers))) return MPAVS_BLOCK_ERR_NOMEM;
    if (mpavs_rlp_iter_init(&li, &part[2])) return MPAVS_BLOCK_ERR_OMMER;
    for (size_t i = 0; i < count; i++)
        if (mpavs_rlp_next(&li, &it) || chain_header_from_item(&b->ommers[i], &it)) return MPAVS_BLOCK_ERR_OMMER;
    b->ommer_count = count;
    b->ommers_rlp = part[2].raw;
    b->ommers_rlp_len = part[2].raw_len;

    /* withdrawals */
    if (n == 4) {
        if (!part[3].is_list || mpavs_rlp_list_count(&count, &part[3])) return MPAVS_BLOCK_ERR_WITHDRAWAL;
        if (count && !(b->withdrawals = calloc(count, sizeof *b->withdrawals))) return MPAVS_BLOCK_ERR_NOMEM;
        if (mpavs_rlp_iter_init(&li, &part[3])) return MPAVS_BLOCK_ERR_WITHDRAWAL;
        for (size_t i = 0; i < count; i++)
            if (mpavs_rlp_next(&li, &it) || chain_withdrawal_from_item(&b->withdrawals[i], &it))
                return MPAVS_BLOCK_ERR_WITHDRAWAL;
        b->withdrawal_count = count;
        b->has_withdrawals = true;
    }
    return MPAVS_BLOCK_OK;
}

int mpavs_block_decode(mpavs_block *b, const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(b && (rlp || len == 0));
    memset(b, 0, sizeof *b);
    int r = decode_body(b, rlp, len);
    if (r) mpavs_block_clear(b);
    return r;
}

int mpavs_block_transactions_root(uint8_t root[32], const mpavs_block *b) {
    MPAVS_REQUIRE(root && b);
    const uint8_t **items = NULL;
    size_t *lens = NULL;
    if (b->tx_count) {
        items = malloc(b->tx_count * sizeof *items);
        lens = malloc(b->tx_count * sizeof *lens);
    }
    int r = MPAVS_BLOCK_ERR_NOMEM;
    if (b->tx_count == 0 || (items && lens)) {
        for (size_t i = 0; i < b->tx_count; i++) {
            items[i] = b->txs[i].raw;
            lens[i] = b->txs[i].len;
        }
        r = mpavs_trie_ordered_root(root, (const uint8_t *const *)items, lens, b->tx_count)
                ? MPAVS_BLOCK_ERR_NOMEM
                : MPAVS_BLOCK_OK;
    }
    free(items);
    free(lens);
    return r;
}

int mpavs_block_withdrawals_root(uint8_t root[32], const mpavs_block *b) {
    MPAVS_REQUIRE(root && b);
    size_t n = b->withdrawal_count;
    uint8_t *enc = n ? malloc(n * MPAVS_WITHDRAWAL_MAX) : NULL;
    const uint8_t **items = n ? malloc(n * sizeof *items) : NULL;
    size_t *lens = n ? malloc(n * sizeof *lens) : NULL;
    int r = MPAVS_BLOCK_ERR_NOMEM;
    if (n == 0 || (enc && items && lens)) {
        for (size_t i = 0; i < n; i++) {
            items[i] = enc + i * MPAVS_WITHDRAWAL_MAX;
            lens[i] = mpavs_withdrawal_encode(enc + i * MPAVS_WITHDRAWAL_MAX, &b->withdrawals[i]);
        }
        r = mpavs_trie_ordered_root(root, (const uint8_t *const *)items, lens, n) ? MPAVS_BLOCK_ERR_NOMEM
                                                                                 : MPAVS_BLOCK_OK;
    }
    free(enc);
    free(items);
    free(lens);
    return r;
}

void mpavs_block_ommers_hash(uint8_t hash[32], const mpavs_block *b) {
    MPAVS_REQUIRE(hash && b);
    static const uint8_t empty_list = 0xc0;
    if (b->ommers_rlp)
        mpavs_keccak256(hash, b->ommers_rlp, b->ommers_rlp_len);
    else
        mpavs_keccak256(hash, &empty_list, 1);
}

int chain_block_canonical_view(mpavs_block *view, mpavs_block_tx **txs, uint8_t **buf, size_t *first,
                               const mpavs_block *b) {
    const uint8_t *body;
    size_t bl, total = 0, n = 0;
    for (size_t i = 0; i < b->tx_count; i++)
        if (mpavs_tx_blob_network_body(&body, &bl, b->txs[i].raw, b->txs[i].len)) {
            if (!n++) *first = i;
            total += bl + 1;
        }
    if (!n) return 0;
    *txs = malloc(b->tx_count * sizeof **txs);
    *buf = malloc(total);
    if (!*txs || !*buf) {
        free(*txs), free(*buf);
        *txs = NULL, *buf = NULL;
        return -1;
    }
    uint8_t *p = *buf;
    for (size_t i = 0; i < b->tx_count; i++) {
        (*txs)[i] = b->txs[i];
        if (!mpavs_tx_blob_network_body(&body, &bl, b->txs[i].raw, b->txs[i].len)) continue;
        p[0] = MPAVS_TX_TYPE_EIP4844;
        memcpy(p + 1, body, bl);
        (*txs)[i].raw = p, (*txs)[i].len = bl + 1;
        p += bl + 1;
    }
    *view = *b;
    view->txs = *txs;
    return 1;
}

/*
 * Logs blooms (the 2048-bit filter of the yellow paper, section 4.3.1), receipt encoding as stored
 * in the receipts trie (EIP-2718 typed receipts), the receipts root, and the comparison of a
 * block's receipts with its header.
 */
#include "mpavs/chain.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sets the 3 bits of one bloom entry: the low 11 bits of byte pairs 0-1, 2-3 and 4-5 of keccak(x). */
static void bloom_add(uint8_t bloom[256], const uint8_t *x, size_t n) {
    uint8_t h[32];
    mpavs_keccak256(h, x, n);
    for (int i = 0; i < 6; i += 2) {
        unsigned bit = (((unsigned)h[i] << 8) | h[i + 1]) & 2047u;
        bloom[255 - bit / 8] |= (uint8_t)(1u << (bit % 8));
    }
}

void mpavs_chain_bloom_add_log(uint8_t bloom[256], const mpavs_chain_log *log) {
    MPAVS_REQUIRE(bloom != NULL && log != NULL && log->n_topics <= 4);
    bloom_add(bloom, log->address, 20);
    for (size_t t = 0; t < log->n_topics; t++) bloom_add(bloom, log->topics[t], 32);
}

void mpavs_chain_logs_bloom(uint8_t bloom[256], const mpavs_chain_log *logs, size_t n) {
    MPAVS_REQUIRE(bloom != NULL && (logs != NULL || n == 0));
    memset(bloom, 0, 256);
    for (size_t i = 0; i < n; i++) mpavs_chain_bloom_add_log(bloom, &logs[i]);
}

/* An upper bound of an RLP string or list of payload p: a 9-byte header at most. */
static size_t bound(size_t p) { return p > SIZE_MAX - 9 ? SIZE_MAX : p + 9; }
static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

size_t mpavs_chain_receipt_size(const mpavs_chain_receipt *r) {
    MPAVS_REQUIRE(r != NULL && (r->logs != NULL || r->n_logs == 0));
    size_t logs = 0;
    for (size_t i = 0; i < r->n_logs; i++) {
        size_t one = 21 + bound(33 * 4) + bound(r->logs[i].data_len);
        logs = add_sat(logs, bound(one));
    }
    /* type byte, list header, status (1), gas (9), bloom (3 + 256), logs */
    return add_sat(1 + 9 + 1 + 9 + 259, bound(logs));
}

int mpavs_chain_receipt_encode(uint8_t *out, size_t cap, size_t *len, const mpavs_chain_receipt *r) {
    MPAVS_REQUIRE(len != NULL && r != NULL && (out != NULL || cap == 0));
    MPAVS_REQUIRE(r->logs != NULL || r->n_logs == 0);
    *len = 0;
    if (r->type > 0x7f) return MPAVS_CHAIN_ERR_RECEIPT;
    for (size_t i = 0; i < r->n_logs; i++)
        if (r->logs[i].n_topics > 4) return MPAVS_CHAIN_ERR_RECEIPT;
    size_t off = 0;
    if (r->type != 0) {
        if (cap < 1) return MPAVS_CHAIN_ERR_SPACE;
        out[0] = r->type;
        off = 1;
    }
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, out ? out + off : NULL, cap - off);
    size_t m_all, m_logs, m_log, m_topics;
    mpavs_rlp_list_begin(&w, &m_all);
    mpavs_rlp_put_u64(&w, r->status ? 1 : 0); /* 0x01 or the empty string */
    mpavs_rlp_put_u64(&w, r->cumulative_gas_used);
    mpavs_rlp_put_bytes(&w, r->bloom, 256);
    mpavs_rlp_list_begin(&w, &m_logs);
    for (size_t i = 0; i < r->n_logs; i++) {
        const mpavs_chain_log *l = &r->logs[i];
        mpavs_rlp_list_begin(&w, &m_log);
        mpavs_rlp_put_bytes(&w, l->address, 20);
        mpavs_rlp_list_begin(&w, &m_topics);
        for (size_t t = 0; t < l->n_topics; t++) mpavs_rlp_put_bytes(&w, l->topics[t], 32);
        mpavs_rlp_list_end(&w, m_topics);
        mpavs_rlp_put_bytes(&w, l->data, l->data_len);
        mpavs_rlp_list_end(&w, m_log);
    }
    mpavs_rlp_list_end(&w, m_logs);
    mpavs_rlp_list_end(&w, m_all);
    size_t n = 0;
    if (mpavs_rlp_writer_finish(&w, &n) != MPAVS_RLP_OK) return MPAVS_CHAIN_ERR_SPACE;
    *len = off + n;
    return MPAVS_CHAIN_OK;
}

int mpavs_chain_receipts_root(uint8_t root[32], const mpavs_chain_receipt *r, size_t n) {
    MPAVS_REQUIRE(root != NULL && (r != NULL || n == 0));
    int ret = MPAVS_CHAIN_ERR_NOMEM;
    uint8_t **items = calloc(n ? n : 1, sizeof *items);
    size_t *lens = calloc(n ? n : 1, sizeof *lens);
    if (!items || !lens) goto out;
    for (size_t i = 0; i < n; i++) {
        size_t cap = mpavs_chain_receipt_size(&r[i]);
        if (cap == SIZE_MAX || !(items[i] = malloc(cap))) goto out;
        if ((ret = mpavs_chain_receipt_encode(items[i], cap, &lens[i], &r[i])) != MPAVS_CHAIN_OK) goto out;
    }
    ret = mpavs_trie_ordered_root(root, (const uint8_t *const *)items, lens, n) == MPAVS_TRIE_OK
              ? MPAVS_CHAIN_OK
              : MPAVS_CHAIN_ERR_NOMEM;
out:
    if (items)
        for (size_t i = 0; i < n; i++) free(items[i]);
    free(items);
    free(lens);
    return ret;
}

static void hex_into(char *buf, size_t cap, const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(buf, cap, b, n, true) != MPAVS_HEX_OK) snprintf(buf, cap, "?");
}

/* A 256-byte bloom shown as its first 8 bytes, an ellipsis and its keccak (fits the refusal). */
static void bloom_text(char *buf, size_t cap, const uint8_t bloom[256]) {
    uint8_t h[32];
    char hh[67], head[19];
    mpavs_keccak256(h, bloom, 256);
    hex_into(hh, sizeof hh, h, 32);
    hex_into(head, sizeof head, bloom, 8);
    snprintf(buf, cap, "%s… (keccak %.18s…)", head, hh);
}

int mpavs_chain_check_receipts(bool *ok, mpavs_chain_refusal *why, const mpavs_chain_header *h,
                               const mpavs_chain_receipt *r, size_t n) {
    MPAVS_REQUIRE(ok != NULL && h != NULL && (r != NULL || n == 0));
    mpavs_chain_refusal scratch;
    if (!why) why = &scratch;
    memset(why, 0, sizeof *why);
    *ok = false;

    uint64_t used = n ? r[n - 1].cumulative_gas_used : 0;
    if (used != h->gas_used) {
        why->field = MPAVS_CHAIN_FIELD_GAS_USED;
        snprintf(why->expected, sizeof why->expected, "%" PRIu64, used);
        snprintf(why->actual, sizeof why->actual, "%" PRIu64, h->gas_used);
        return MPAVS_CHAIN_OK;
    }
    uint8_t bloom[256] = {0}, own[256];
    bool own_ok = true;
    for (size_t i = 0; i < n; i++) {
        for (size_t t = 0; t < r[i].n_logs; t++)
            if (r[i].logs[t].n_topics > 4) return MPAVS_CHAIN_ERR_RECEIPT;
        mpavs_chain_logs_bloom(own, r[i].logs, r[i].n_logs);
        own_ok &= memcmp(own, r[i].bloom, 256) == 0;
        for (int b = 0; b < 256; b++) bloom[b] |= own[b];
    }
    if (!own_ok || memcmp(bloom, h->logs_bloom, 256) != 0) {
        why->field = MPAVS_CHAIN_FIELD_LOGS_BLOOM;
        bloom_text(why->expected, sizeof why->expected, bloom);
        bloom_text(why->actual, sizeof why->actual, h->logs_bloom);
        if (!own_ok) snprintf(why->actual, sizeof why->actual, "a receipt whose bloom is not that of its logs");
        return MPAVS_CHAIN_OK;
    }
    uint8_t root[32];
    int ret = mpavs_chain_receipts_root(root, r, n);
    if (ret != MPAVS_CHAIN_OK) return ret;
    if (memcmp(root, h->receipts_root, 32) != 0) {
        why->field = MPAVS_CHAIN_FIELD_RECEIPTS_ROOT;
        hex_into(why->expected, sizeof why->expected, root, 32);
        hex_into(why->actual, sizeof why->actual, h->receipts_root, 32);
        return MPAVS_CHAIN_OK;
    }
    *ok = true;
    return MPAVS_CHAIN_OK;
}

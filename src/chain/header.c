/* Block headers and withdrawals: RLP codec and hash (mpavs/block.h). */
#include "mpavs/block.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "chain/chain_internal.h"

#include <string.h>

const char *mpavs_block_strerror(int r) {
    switch (r) {
    case MPAVS_BLOCK_OK: return "ok";
    case MPAVS_BLOCK_ERR_RLP: return "block: malformed RLP";
    case MPAVS_BLOCK_ERR_FIELDS: return "block: wrong number of fields";
    case MPAVS_BLOCK_ERR_FIELD: return "block: a field of the wrong shape";
    case MPAVS_BLOCK_ERR_EXTRA_DATA: return "block: extraData longer than 32 bytes";
    case MPAVS_BLOCK_ERR_OPTIONAL: return "block: an optional header field without the ones before it";
    case MPAVS_BLOCK_ERR_TX: return "block: a transaction entry that is neither a list nor a typed transaction";
    case MPAVS_BLOCK_ERR_OMMER: return "block: a malformed ommer header";
    case MPAVS_BLOCK_ERR_WITHDRAWAL: return "block: a malformed withdrawal";
    case MPAVS_BLOCK_ERR_SPACE: return "block: output buffer too small";
    case MPAVS_BLOCK_ERR_NOMEM: return "block: out of memory";
    default: return "block: unknown result";
    }
}

static int get_fixed(uint8_t *out, size_t n, const mpavs_rlp_item *it) {
    if (it->is_list || it->len != n) return MPAVS_BLOCK_ERR_FIELD;
    memcpy(out, it->p, n);
    return MPAVS_BLOCK_OK;
}

static int get_u64(uint64_t *v, const mpavs_rlp_item *it) {
    return mpavs_rlp_get_u64(v, it) ? MPAVS_BLOCK_ERR_FIELD : MPAVS_BLOCK_OK;
}

static int get_u256(mpavs_u256 *v, const mpavs_rlp_item *it) {
    return mpavs_rlp_get_u256(v, it) ? MPAVS_BLOCK_ERR_FIELD : MPAVS_BLOCK_OK;
}

/* Decode a header from an item already validated as RLP (by the caller's mpavs_rlp_decode). */
int chain_header_from_item(mpavs_block_header *h, const mpavs_rlp_item *top) {
    memset(h, 0, sizeof *h);
    if (!top->is_list) return MPAVS_BLOCK_ERR_RLP;
    mpavs_rlp_item f[21];
    size_t n = 0;
    mpavs_rlp_iter it;
    if (mpavs_rlp_iter_init(&it, top)) return MPAVS_BLOCK_ERR_RLP;
    while (!mpavs_rlp_iter_done(&it)) {
        if (n == 21) return MPAVS_BLOCK_ERR_FIELDS;
        if (mpavs_rlp_next(&it, &f[n])) return MPAVS_BLOCK_ERR_RLP;
        n++;
    }
    if (n < 15 || n == 18 || n == 19) return MPAVS_BLOCK_ERR_FIELDS;
    int r;
    if ((r = get_fixed(h->parent_hash, 32, &f[0])) || (r = get_fixed(h->ommers_hash, 32, &f[1])) ||
        (r = get_fixed(h->coinbase.bytes, 20, &f[2])) || (r = get_fixed(h->state_root, 32, &f[3])) ||
        (r = get_fixed(h->transactions_root, 32, &f[4])) ||
        (r = get_fixed(h->receipts_root, 32, &f[5])) || (r = get_fixed(h->logs_bloom, 256, &f[6])) ||
        (r = get_u256(&h->difficulty, &f[7])) || (r = get_u64(&h->number, &f[8])) ||
        (r = get_u64(&h->gas_limit, &f[9])) || (r = get_u64(&h->gas_used, &f[10])) ||
        (r = get_u64(&h->timestamp, &f[11])))
        return r;
    if (f[12].is_list) return MPAVS_BLOCK_ERR_FIELD;
    if (f[12].len > MPAVS_BLOCK_EXTRA_MAX) return MPAVS_BLOCK_ERR_EXTRA_DATA;
    memcpy(h->extra_data, f[12].p, f[12].len);
    h->extra_data_len = f[12].len;
    if ((r = get_fixed(h->mix_hash, 32, &f[13])) || (r = get_fixed(h->nonce, 8, &f[14]))) return r;
    if (n > 15) {
        if ((r = get_u256(&h->base_fee_per_gas, &f[15]))) return r;
        h->has_base_fee = true;
    }
    if (n > 16) {
        if ((r = get_fixed(h->withdrawals_root, 32, &f[16]))) return r;
        h->has_withdrawals_root = true;
    }
    if (n > 17) {
        if ((r = get_u64(&h->blob_gas_used, &f[17])) || (r = get_u64(&h->excess_blob_gas, &f[18])) ||
            (r = get_fixed(h->parent_beacon_block_root, 32, &f[19])))
            return r;
        h->has_blob_gas = true;
    }
    if (n > 20) {
        if ((r = get_fixed(h->requests_hash, 32, &f[20]))) return r;
        h->has_requests_hash = true;
    }
    return MPAVS_BLOCK_OK;
}

int mpavs_block_header_decode(mpavs_block_header *h, const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(h && (rlp || len == 0));
    mpavs_rlp_item top;
    if (mpavs_rlp_decode(&top, rlp, len)) {
        memset(h, 0, sizeof *h);
        return MPAVS_BLOCK_ERR_RLP;
    }
    int r = chain_header_from_item(h, &top);
    if (r) memset(h, 0, sizeof *h);
    return r;
}

int mpavs_block_header_encode(uint8_t *out, size_t cap, size_t *len, const mpavs_block_header *h) {
    MPAVS_REQUIRE(len && h && (out || cap == 0));
    *len = 0;
    if ((h->has_withdrawals_root && !h->has_base_fee) || (h->has_blob_gas && !h->has_withdrawals_root) ||
        (h->has_requests_hash && !h->has_blob_gas))
        return MPAVS_BLOCK_ERR_OPTIONAL;
    if (h->extra_data_len > MPAVS_BLOCK_EXTRA_MAX) return MPAVS_BLOCK_ERR_EXTRA_DATA;
    mpavs_rlp_writer w;
    size_t mark;
    mpavs_rlp_writer_init(&w, out, cap);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_bytes(&w, h->parent_hash, 32);
    mpavs_rlp_put_bytes(&w, h->ommers_hash, 32);
    mpavs_rlp_put_bytes(&w, h->coinbase.bytes, 20);
    mpavs_rlp_put_bytes(&w, h->state_root, 32);
    mpavs_rlp_put_bytes(&w, h->transactions_root, 32);
    mpavs_rlp_put_bytes(&w, h->receipts_root, 32);
    mpavs_rlp_put_bytes(&w, h->logs_bloom, 256);
    mpavs_rlp_put_u256(&w, &h->difficulty);
    mpavs_rlp_put_u64(&w, h->number);
    mpavs_rlp_put_u64(&w, h->gas_limit);
    mpavs_rlp_put_u64(&w, h->gas_used);
    mpavs_rlp_put_u64(&w, h->timestamp);
    mpavs_rlp_put_bytes(&w, h->extra_data, h->extra_data_len);
    mpavs_rlp_put_bytes(&w, h->mix_hash, 32);
    mpavs_rlp_put_bytes(&w, h->nonce, 8);
    if (h->has_base_fee) mpavs_rlp_put_u256(&w, &h->base_fee_per_gas);
    if (h->has_withdrawals_root) mpavs_rlp_put_bytes(&w, h->withdrawals_root, 32);
    if (h->has_blob_gas) {
        mpavs_rlp_put_u64(&w, h->blob_gas_used);
        mpavs_rlp_put_u64(&w, h->excess_blob_gas);
        mpavs_rlp_put_bytes(&w, h->parent_beacon_block_root, 32);
    }
    if (h->has_requests_hash) mpavs_rlp_put_bytes(&w, h->requests_hash, 32);
    mpavs_rlp_list_end(&w, mark);
    return mpavs_rlp_writer_finish(&w, len) ? MPAVS_BLOCK_ERR_SPACE : MPAVS_BLOCK_OK;
}

int mpavs_block_header_hash(uint8_t hash[32], const mpavs_block_header *h) {
    MPAVS_REQUIRE(hash && h);
    uint8_t buf[MPAVS_BLOCK_HEADER_MAX];
    size_t len;
    int r = mpavs_block_header_encode(buf, sizeof buf, &len, h);
    if (r) return r;
    mpavs_keccak256(hash, buf, len);
    return MPAVS_BLOCK_OK;
}

/* ------------------------------------------------------------------------ */
/* Withdrawals                                                               */

int chain_withdrawal_from_item(mpavs_withdrawal *w, const mpavs_rlp_item *top) {
    memset(w, 0, sizeof *w);
    mpavs_rlp_iter it;
    mpavs_rlp_item f;
    if (mpavs_rlp_iter_init(&it, top)) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    if (mpavs_rlp_next(&it, &f) || mpavs_rlp_get_u64(&w->index, &f)) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    if (mpavs_rlp_next(&it, &f) || mpavs_rlp_get_u64(&w->validator_index, &f)) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    if (mpavs_rlp_next(&it, &f) || f.is_list || f.len != 20) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    memcpy(w->address.bytes, f.p, 20);
    if (mpavs_rlp_next(&it, &f) || mpavs_rlp_get_u64(&w->amount_gwei, &f)) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    if (!mpavs_rlp_iter_done(&it)) return MPAVS_BLOCK_ERR_WITHDRAWAL;
    return MPAVS_BLOCK_OK;
}

int mpavs_withdrawal_decode(mpavs_withdrawal *w, const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(w && (rlp || len == 0));
    mpavs_rlp_item top;
    if (mpavs_rlp_decode(&top, rlp, len)) {
        memset(w, 0, sizeof *w);
        return MPAVS_BLOCK_ERR_WITHDRAWAL;
    }
    int r = chain_withdrawal_from_item(w, &top);
    if (r) memset(w, 0, sizeof *w);
    return r;
}

size_t mpavs_withdrawal_encode(uint8_t out[MPAVS_WITHDRAWAL_MAX], const mpavs_withdrawal *w) {
    MPAVS_REQUIRE(out && w);
    mpavs_rlp_writer wr;
    size_t mark, len;
    mpavs_rlp_writer_init(&wr, out, MPAVS_WITHDRAWAL_MAX);
    mpavs_rlp_list_begin(&wr, &mark);
    mpavs_rlp_put_u64(&wr, w->index);
    mpavs_rlp_put_u64(&wr, w->validator_index);
    mpavs_rlp_put_bytes(&wr, w->address.bytes, 20);
    mpavs_rlp_put_u64(&wr, w->amount_gwei);
    mpavs_rlp_list_end(&wr, mark);
    MPAVS_REQUIRE(mpavs_rlp_writer_finish(&wr, &len) == MPAVS_RLP_OK);
    return len;
}

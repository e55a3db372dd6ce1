/*
 * libFuzzer target for the RLP decoder and the transaction parser built on it.
 * Properties: any input the validating decoder accepts is canonical, so walking
 * it and re-encoding it with the writer must reproduce the input byte for byte;
 * likewise any raw transaction mpavs_tx_parse accepts must serialize back to
 * exactly the same bytes.
 */
#include "mpavs/rlp.h"
#include "mpavs/tx.h"

#include <stdlib.h>
#include <string.h>

static void reencode(mpavs_rlp_writer *w, const mpavs_rlp_item *item) {
    if (!item->is_list) {
        mpavs_rlp_put_bytes(w, item->p, item->len);
        return;
    }
    size_t mark;
    mpavs_rlp_list_begin(w, &mark);
    mpavs_rlp_iter it;
    if (mpavs_rlp_iter_init(&it, item) != MPAVS_RLP_OK) abort();
    mpavs_rlp_item child;
    int r;
    while ((r = mpavs_rlp_next(&it, &child)) == MPAVS_RLP_OK) reencode(w, &child);
    if (r != MPAVS_RLP_ERR_END) abort(); /* validated input must iterate cleanly */
    mpavs_rlp_list_end(w, mark);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
static void check_tx(const uint8_t *data, size_t size) {
    mpavs_tx tx;
    if (mpavs_tx_parse(&tx, data, size) != MPAVS_TX_OK) return;
    size_t cap = mpavs_tx_encoded_size_max(&tx), len;
    uint8_t *out = malloc(cap);
    if (!out) return;
    if (mpavs_tx_serialize(out, cap, &len, &tx) != MPAVS_TX_OK) abort();
    if (len != size || memcmp(out, data, size) != 0) abort();
    uint8_t h[32];
    if (mpavs_tx_signing_hash(h, &tx) != MPAVS_TX_OK) abort();
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_tx(data, size);
    mpavs_rlp_item top;
    if (mpavs_rlp_decode(&top, data, size) != MPAVS_RLP_OK) {
        /* the header decoder alone must also stay in bounds */
        mpavs_rlp_item h;
        if (mpavs_rlp_decode_item(&h, data, size) == MPAVS_RLP_OK && h.raw_len > size) abort();
        return 0;
    }
    uint8_t *out = malloc(size ? size : 1);
    if (!out) return 0;
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, out, size);
    reencode(&w, &top);
    size_t len;
    if (mpavs_rlp_writer_finish(&w, &len) != MPAVS_RLP_OK) abort();
    if (len != size || memcmp(out, data, size) != 0) abort();
    uint64_t u;
    mpavs_u256 v;
    (void)!mpavs_rlp_get_u64(&u, &top);
    (void)!mpavs_rlp_get_u256(&v, &top);
    free(out);
    return 0;
}

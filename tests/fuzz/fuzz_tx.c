/*
 * libFuzzer target for the transaction decoder, every type (0-4).
 * Properties: an accepted transaction re-serializes to exactly its bytes and
 * hashes to keccak256 of them; sender recovery, the static validity rules,
 * blob hashes and authorizations (with their authorities) never crash and
 * agree with the counts the parser reported; authorizations re-encode to
 * the tuples of the list. mpavs_tx_blob_network_body finds, when it accepts, a list inside the input.
 */
#include "mpavs/keccak.h"
#include "mpavs/tx.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool contains(const uint8_t *hay, size_t hl, const uint8_t *needle, size_t nl) {
    for (size_t i = 0; i + nl <= hl; i++)
        if (memcmp(hay + i, needle, nl) == 0) return true;
    return false;
}

static mpavs_ecdsa_ctx *ctx;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!ctx && !(ctx = mpavs_ecdsa_ctx_create())) abort();
    const uint8_t *body;
    size_t bl;
    if (mpavs_tx_blob_network_body(&body, &bl, data, size) && (body < data + 1 || bl == 0 || body + bl > data + size || body[0] < 0xc0))
        abort(); /* the body is a list inside the input */
    mpavs_tx tx;
    if (mpavs_tx_parse(&tx, data, size) != MPAVS_TX_OK) return 0;
    size_t cap = mpavs_tx_encoded_size_max(&tx), len;
    uint8_t *out = malloc(cap);
    if (!out) abort();
    if (mpavs_tx_serialize(out, cap, &len, &tx) != MPAVS_TX_OK) abort();
    if (len != size || memcmp(out, data, size) != 0) abort();
    free(out);
    uint8_t h[32], k[32];
    if (mpavs_tx_hash(h, &tx) != MPAVS_TX_OK) abort();
    mpavs_keccak256(k, data, size);
    if (memcmp(h, k, 32) != 0) abort();
    mpavs_address from;
    int r = mpavs_tx_sender(ctx, &from, &tx);
    if (r != MPAVS_TX_OK && r != MPAVS_TX_ERR_SIGNATURE) abort();
    (void)!mpavs_tx_validate_static(&tx, 1, 4);
    for (size_t i = 0; i < tx.blob_hash_count; i++)
        if (mpavs_tx_blob_hash(h, &tx, i) != MPAVS_TX_OK) abort();
    if (mpavs_tx_blob_hash(h, &tx, tx.blob_hash_count) == MPAVS_TX_OK) abort();
    if (tx.authorization_count) {
        mpavs_tx_authorization *a = calloc(tx.authorization_count, sizeof *a);
        size_t n;
        if (!a || mpavs_tx_authorizations(a, tx.authorization_count, &n, &tx) != MPAVS_TX_OK ||
            n != tx.authorization_count)
            abort();
        for (size_t i = 0; i < n; i++) {
            mpavs_address who;
            (void)!mpavs_tx_authority(ctx, &who, &a[i]);
            uint8_t e[MPAVS_TX_AUTHORIZATION_MAX];
            size_t el = mpavs_tx_authorization_encode(e, &a[i]);
            if (!contains(tx.authorization_list_rlp, tx.authorization_list_rlp_len, e, el)) abort();
        }
        free(a);
    }
    return 0;
}

/* Body commitments of a header: the EIP-4895 withdrawals root and the EIP-7685 requests hash. */
#include "mpavs/chain.h"
#include "mpavs/hex.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* rlp([index, validatorIndex, address, amount]) is at most 3 + 9 + 9 + 21 + 9 bytes. */
#define WITHDRAWAL_RLP_MAX 64

int mpavs_chain_withdrawals_root(uint8_t root[32], const mpavs_chain_withdrawal *w, size_t n) {
    MPAVS_REQUIRE(root != NULL && (w != NULL || n == 0));
    int ret = MPAVS_CHAIN_ERR_NOMEM;
    uint8_t *buf = malloc((n ? n : 1) * WITHDRAWAL_RLP_MAX);
    const uint8_t **items = calloc(n ? n : 1, sizeof *items);
    size_t *lens = calloc(n ? n : 1, sizeof *lens);
    if (!buf || !items || !lens) goto out;
    for (size_t i = 0; i < n; i++) {
        mpavs_rlp_writer wr;
        size_t mark;
        mpavs_rlp_writer_init(&wr, buf + i * WITHDRAWAL_RLP_MAX, WITHDRAWAL_RLP_MAX);
        mpavs_rlp_list_begin(&wr, &mark);
        mpavs_rlp_put_u64(&wr, w[i].index);
        mpavs_rlp_put_u64(&wr, w[i].validator_index);
        mpavs_rlp_put_bytes(&wr, w[i].address, 20);
        mpavs_rlp_put_u64(&wr, w[i].amount_gwei);
        mpavs_rlp_list_end(&wr, mark);
        if (mpavs_rlp_writer_finish(&wr, &lens[i]) != MPAVS_RLP_OK) goto out; /* cannot happen: bounded */
        items[i] = buf + i * WITHDRAWAL_RLP_MAX;
    }
    if (mpavs_trie_ordered_root(root, items, lens, n) == MPAVS_TRIE_OK) ret = MPAVS_CHAIN_OK;
out:
    free(buf);
    free(items);
    free(lens);
    return ret;
}

int mpavs_chain_requests_hash(uint8_t hash[32], const mpavs_chain_request *r, size_t n) {
    MPAVS_REQUIRE(hash != NULL && (r != NULL || n == 0));
    int ret = MPAVS_CHAIN_ERR_NOMEM;
    EVP_MD_CTX *outer = EVP_MD_CTX_new(), *inner = EVP_MD_CTX_new();
    if (!outer || !inner || !EVP_DigestInit_ex(outer, EVP_sha256(), NULL)) goto out;
    for (size_t i = 0; i < n; i++) {
        if (r[i].data_len == 0) continue;
        MPAVS_REQUIRE(r[i].data != NULL);
        uint8_t h[32];
        unsigned hl = 0;
        if (!EVP_DigestInit_ex(inner, EVP_sha256(), NULL) || !EVP_DigestUpdate(inner, &r[i].type, 1) ||
            !EVP_DigestUpdate(inner, r[i].data, r[i].data_len) || !EVP_DigestFinal_ex(inner, h, &hl) ||
            !EVP_DigestUpdate(outer, h, 32))
            goto out;
    }
    unsigned len = 0;
    if (EVP_DigestFinal_ex(outer, hash, &len) && len == 32) ret = MPAVS_CHAIN_OK;
out:
    EVP_MD_CTX_free(outer);
    EVP_MD_CTX_free(inner);
    return ret;
}

static void refuse_hash(mpavs_chain_refusal *why, mpavs_chain_field f, const uint8_t want[32],
                        const uint8_t got[32]) {
    why->field = f;
    if (mpavs_hex_encode(why->expected, sizeof why->expected, want, 32, true) != MPAVS_HEX_OK ||
        mpavs_hex_encode(why->actual, sizeof why->actual, got, 32, true) != MPAVS_HEX_OK)
        snprintf(why->actual, sizeof why->actual, "?");
}

int mpavs_chain_check_body(bool *ok, mpavs_chain_refusal *why, const mpavs_chain_header *h,
                           const mpavs_chain_withdrawal *w, size_t nw, const mpavs_chain_request *r, size_t nr) {
    MPAVS_REQUIRE(ok != NULL && h != NULL && (w != NULL || nw == 0) && (r != NULL || nr == 0));
    mpavs_chain_refusal scratch;
    if (!why) why = &scratch;
    memset(why, 0, sizeof *why);
    *ok = false;
    uint8_t x[32];
    if (h->has_withdrawals_root) {
        int ret = mpavs_chain_withdrawals_root(x, w, nw);
        if (ret != MPAVS_CHAIN_OK) return ret;
        if (memcmp(x, h->withdrawals_root, 32) != 0) {
            refuse_hash(why, MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT, x, h->withdrawals_root);
            return MPAVS_CHAIN_OK;
        }
    } else if (nw > 0) {
        why->field = MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT;
        snprintf(why->expected, sizeof why->expected, "present (the block has withdrawals)");
        snprintf(why->actual, sizeof why->actual, "absent");
        return MPAVS_CHAIN_OK;
    }
    if (h->has_requests_hash) {
        int ret = mpavs_chain_requests_hash(x, r, nr);
        if (ret != MPAVS_CHAIN_OK) return ret;
        if (memcmp(x, h->requests_hash, 32) != 0) {
            refuse_hash(why, MPAVS_CHAIN_FIELD_REQUESTS_HASH, x, h->requests_hash);
            return MPAVS_CHAIN_OK;
        }
    }
    *ok = true;
    return MPAVS_CHAIN_OK;
}

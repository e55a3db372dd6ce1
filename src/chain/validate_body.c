/*
 * Body commitments of a header: transactions root, ommers hash and EIP-4895 withdrawals root
 * (computed by src/chain/block.c from the decoded body) and the EIP-7685 requests hash.
 */
#include "mpavs/chain.h"
#include "mpavs/hex.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int mpavs_chain_check_body(bool *ok, mpavs_chain_refusal *why, const mpavs_block *b, const mpavs_chain_request *r,
                           size_t nr) {
    MPAVS_REQUIRE(ok != NULL && b != NULL && (r != NULL || nr == 0));
    mpavs_chain_refusal scratch;
    if (!why) why = &scratch;
    memset(why, 0, sizeof *why);
    *ok = false;
    const mpavs_block_header *h = &b->header;
    uint8_t x[32];
    if (mpavs_block_transactions_root(x, b) != MPAVS_BLOCK_OK) return MPAVS_CHAIN_ERR_NOMEM;
    if (memcmp(x, h->transactions_root, 32) != 0) {
        refuse_hash(why, MPAVS_CHAIN_FIELD_TRANSACTIONS_ROOT, x, h->transactions_root);
        return MPAVS_CHAIN_OK;
    }
    mpavs_block_ommers_hash(x, b);
    if (memcmp(x, h->ommers_hash, 32) != 0) {
        refuse_hash(why, MPAVS_CHAIN_FIELD_OMMERS_HASH, x, h->ommers_hash);
        return MPAVS_CHAIN_OK;
    }
    if (h->has_withdrawals_root != b->has_withdrawals) {
        why->field = MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT;
        snprintf(why->expected, sizeof why->expected, "%s", b->has_withdrawals ? "present (the body has withdrawals)"
                                                                                : "absent (the body has none)");
        snprintf(why->actual, sizeof why->actual, "%s", h->has_withdrawals_root ? "present" : "absent");
        return MPAVS_CHAIN_OK;
    }
    if (h->has_withdrawals_root) {
        if (mpavs_block_withdrawals_root(x, b) != MPAVS_BLOCK_OK) return MPAVS_CHAIN_ERR_NOMEM;
        if (memcmp(x, h->withdrawals_root, 32) != 0) {
            refuse_hash(why, MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT, x, h->withdrawals_root);
            return MPAVS_CHAIN_OK;
        }
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

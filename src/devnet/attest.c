/*
 * src/devnet/attest.c — PCK key registration on the devnet SgxQuoteVerifier (owner only).
 */
#include "devnet_internal.h"

#include "mpavs/dcap.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* Raw x || y of the PCK leaf certificate in a type-5 quote. Returns 0 or -1. */
static int pck_pubkey(uint8_t xy[64], const uint8_t *quote, size_t len) {
    mpavs_dcap_quote q;
    if (mpavs_dcap_quote_parse(&q, quote, len) != MPAVS_DCAP_OK || !q.pem[0] || q.pem_len[0] > 0x7fffffff) return -1;
    BIO *bio = BIO_new_mem_buf(q.pem[0], (int)q.pem_len[0]);
    X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    EVP_PKEY *pk = cert ? X509_get0_pubkey(cert) : NULL;
    uint8_t pub[65];
    size_t pl = 0;
    int r = -1;
    if (pk && EVP_PKEY_get_octet_string_param(pk, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &pl) && pl == 65 &&
        pub[0] == 0x04) {
        memcpy(xy, pub + 1, 64);
        r = 0;
    }
    X509_free(cert);
    BIO_free(bio);
    return r;
}

int mpavs_devnet_add_pck_key_from_quote(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                        const uint8_t *quote, size_t len) {
    uint8_t xy[64];
    if (pck_pubkey(xy, quote, len))
        return ctr_fail(c, MPAVS_DEVNET_ERR_ARG, "addPckKey", "the quote carries no usable PCK certificate");
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_hex(&a, xy, 32);
    ctr_printf(&a, ",");
    ctr_hex(&a, xy + 32, 32);
    ctr_printf(&a, ",0x000000000000,0)");
    int r = a.oom ? ctr_fail(c, MPAVS_DEVNET_ERR_NOMEM, "addPckKey", "out of memory")
                  : ctr_tx_text(c, &d->quote_verifier, "addPckKey(bytes32,bytes32,bytes6,uint8)", a.s, "addPckKey");
    ctr_str_free(&a);
    return r;
}

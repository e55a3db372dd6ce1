/*
 * src/devnet/attest.c — on-chain attestation: PCK key registration on the SgxQuoteVerifier,
 * ReportDataV2 / REPORTDATA binding, submitLivenessProofV2 and verifyLivenessProofV2.
 */
#include "devnet_internal.h"

#include "mpavs/dcap.h"
#include "mpavs/keccak.h"

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

int mpavs_devnet_add_pck_key_from_quote(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                        const uint8_t *quote, size_t len) {
    uint8_t xy[64];
    if (pck_pubkey(xy, quote, len))
        return dv_fail(c, MPAVS_DEVNET_ERR_ARG, "addPckKey", "the quote carries no usable PCK certificate");
    dv_str a = {0};
    dv_printf(&a, "(");
    dv_hex(&a, xy, 32);
    dv_printf(&a, ",");
    dv_hex(&a, xy + 32, 32);
    dv_printf(&a, ",0x000000000000,0)");
    int r = a.oom ? dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "addPckKey", "out of memory")
                  : dv_tx(c, &d->quote_verifier, "addPckKey(bytes32,bytes32,bytes6,uint8)", a.s, "addPckKey");
    dv_str_free(&a);
    return r;
}

void mpavs_devnet_liveness_report_data(uint8_t out[64], const mpavs_address *prover,
                                       const mpavs_devnet_report_data *data) {
    uint8_t enc[160] = {0};
    memcpy(enc, data->pubkey_g1, 64);
    for (int i = 0; i < 8; i++) enc[95 - i] = (uint8_t)(data->reference_block_number >> (8 * i));
    memcpy(enc + 96, data->reference_block_hash, 32);
    memcpy(enc + 128, data->prover_address_hash, 32);
    memset(out, 0, 12);
    memcpy(out + 12, prover->bytes, 20);
    mpavs_keccak256(out + 32, enc, sizeof enc);
}

int mpavs_devnet_reference_block(mpavs_devnet_ctx *c, mpavs_devnet_report_data *data) {
    mpavs_rpc_block head, parent;
    bool found = false;
    mpavs_rpc_error err = {0};
    int r = mpavs_rpc_get_block_by_number(c->rpc, &head, &found, &err, "latest");
    if (r || !found) {
        r = dv_fail(c, MPAVS_DEVNET_ERR_RPC, "reference block", "latest block: %s", r ? err.message : "not found");
        mpavs_rpc_error_clear(&err);
        return r;
    }
    r = mpavs_rpc_get_block_by_hash(c->rpc, &parent, &found, &err, head.parent_hash);
    mpavs_rpc_block_clear(&head);
    if (r || !found) {
        r = dv_fail(c, MPAVS_DEVNET_ERR_RPC, "reference block", "parent block: %s", r ? err.message : "not found");
        mpavs_rpc_error_clear(&err);
        return r;
    }
    data->reference_block_number = parent.number;
    memcpy(data->reference_block_hash, parent.hash, 32);
    mpavs_rpc_block_clear(&parent);
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_submit_liveness(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d,
                                 const mpavs_devnet_report_data *data, const uint8_t *quote, size_t len) {
    dv_str a = {0};
    dv_printf(&a, "(((");
    dv_hex(&a, data->pubkey_g1, 32);
    dv_printf(&a, ",");
    dv_hex(&a, data->pubkey_g1 + 32, 32);
    dv_printf(&a, "),%llu,", (unsigned long long)data->reference_block_number);
    dv_hex(&a, data->reference_block_hash, 32);
    dv_printf(&a, ",");
    dv_hex(&a, data->prover_address_hash, 32);
    dv_printf(&a, "),");
    dv_hex(&a, quote, len);
    dv_printf(&a, ")");
    int r = a.oom ? dv_fail(c, MPAVS_DEVNET_ERR_NOMEM, "submitLivenessProofV2", "out of memory")
                  : dv_tx(c, &d->tee_liveness_verifier,
                          "submitLivenessProofV2(((bytes32,bytes32),uint256,bytes32,bytes32),bytes)", a.s,
                          "submitLivenessProofV2");
    dv_str_free(&a);
    return r;
}

int mpavs_devnet_liveness_valid(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d, bool *ok,
                                const uint8_t pubkey_g1[64], const mpavs_address *prover) {
    dv_str a = {0};
    dv_printf(&a, "(");
    dv_hex(&a, pubkey_g1, 32);
    dv_printf(&a, ",");
    dv_hex(&a, pubkey_g1 + 32, 32);
    dv_printf(&a, ",");
    dv_addr(&a, prover);
    dv_printf(&a, ")");
    mpavs_abi_value *ret = NULL;
    mpavs_abi_signature *sig = NULL;
    int r = a.oom ? MPAVS_DEVNET_ERR_NOMEM
                  : dv_call(c, &d->tee_liveness_verifier, "verifyLivenessProofV2(bytes32,bytes32,address)(bool)", a.s,
                            NULL, &ret, &sig, "verifyLivenessProofV2");
    if (!r) *ok = !mpavs_u256_is_zero(&ret->items[0].word);
    mpavs_abi_value_free(ret);
    mpavs_abi_signature_free(sig);
    dv_str_free(&a);
    return r;
}

/*
 * src/contracts/liveness_auth.c — TEELivenessVerifier's authorized liveness submission
 * (submitLivenessProofV3, and submitLivenessProofV4 for a TEE quorum): the authorization digests,
 * the BLS signature by the operator's key, and the detection of the form a deployed verifier has
 * (livenessAuthorizationVersion).
 */
#include "contracts_internal.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/keccak.h"

#include <strings.h>
#include <stdlib.h>
#include <string.h>

#define AUTH_TYPE "MpavsLivenessAuthorization(uint256 chainId,address verifier,address prover,bytes32 reportDataHash)"

void mpavs_contracts_liveness_auth_digest(uint8_t out[32], uint64_t chain_id, const mpavs_address *verifier,
                                          const mpavs_address *prover, const mpavs_contracts_report_data *data) {
    MPAVS_REQUIRE(out && verifier && prover && data);
    uint8_t enc[5 * 32];
    memset(enc, 0, sizeof enc);
    mpavs_keccak256(enc, AUTH_TYPE, sizeof AUTH_TYPE - 1);
    for (int i = 0; i < 8; i++) enc[63 - i] = (uint8_t)(chain_id >> (8 * i));
    memcpy(enc + 64 + 12, verifier->bytes, 20);
    memcpy(enc + 96 + 12, prover->bytes, 20);
    mpavs_avs_report_data_hash(enc + 128, data->pubkey_g1, data->pubkey_g1 + 32, data->reference_block_number,
                               data->reference_block_hash, data->prover_address_hash);
    mpavs_keccak256(out, enc, sizeof enc);
}

#define AUTH_TYPE_V4                                                                                                   \
    "MpavsLivenessAuthorizationV4(uint256 chainId,address verifier,address prover,bytes32 reportDataHash,"           \
    "uint8 quorumNumber)"

void mpavs_contracts_liveness_auth_digest_v4(uint8_t out[32], uint64_t chain_id, const mpavs_address *verifier,
                                             const mpavs_address *prover, const mpavs_contracts_report_data *data,
                                             uint8_t quorum) {
    MPAVS_REQUIRE(out && verifier && prover && data);
    uint8_t enc[6 * 32];
    memset(enc, 0, sizeof enc);
    mpavs_keccak256(enc, AUTH_TYPE_V4, sizeof AUTH_TYPE_V4 - 1);
    for (int i = 0; i < 8; i++) enc[63 - i] = (uint8_t)(chain_id >> (8 * i));
    memcpy(enc + 64 + 12, verifier->bytes, 20);
    memcpy(enc + 96 + 12, prover->bytes, 20);
    mpavs_avs_report_data_hash(enc + 128, data->pubkey_g1, data->pubkey_g1 + 32, data->reference_block_number,
                               data->reference_block_hash, data->prover_address_hash);
    enc[191] = quorum;
    mpavs_keccak256(out, enc, sizeof enc);
}

/* Whether a JSON-RPC error of eth_call is a revert (revert data, or geth's -32000 "execution reverted"). */
static bool is_revert(const mpavs_error *e) {
    if (e->data) return true;
    for (const char *m = e->message; *m; m++)
        if (strncasecmp(m, "revert", 6) == 0) return true;
    return false;
}

int mpavs_contracts_liveness_auth_version(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                          uint64_t *version) {
    MPAVS_REQUIRE(c && d && version);
    const char *step = "livenessAuthorizationVersion";
    uint8_t *data = NULL, *out = NULL;
    size_t len = 0, olen = 0;
    int r = ctr_calldata(c, &data, &len, CTR_LIVENESS_AUTH_VERSION, NULL, step);
    if (r) return r;
    mpavs_rpc_callmsg m = {.to = d->tee_liveness_verifier.bytes, .data = data, .data_len = len};
    mpavs_error err = {0};
    r = mpavs_rpc_eth_call(c->rpc, &out, &olen, &err, &m, "latest");
    if (r == MPAVS_RPC_ERR_RPC && is_revert(&err)) {
        *version = 0; /* a reference verifier: no such function */
        r = MPAVS_CONTRACTS_OK;
    } else if (r) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, step, "eth_call: %s (%s)", mpavs_rpc_strerror(r), err.message);
    } else if (olen < 32) {
        *version = 0; /* no code at the address, or a fallback returning nothing */
    } else {
        bool big = false;
        for (size_t i = 0; i < 24; i++) big |= out[i] != 0;
        uint64_t v = 0;
        for (size_t i = 24; i < 32; i++) v = v << 8 | out[i];
        *version = big ? UINT64_MAX : v;
    }
    free(data);
    free(out);
    mpavs_error_clear(&err);
    return r;
}

/* The secrets and signature scratch of one authorized submission (wiped at the end). */
typedef struct {
    mpavs_bn254_g1 pk1, h, sig;
    mpavs_bn254_g2 pk2;
    uint8_t pk1_enc[64];
} auth_scratch;

/* submitLivenessProofV3 (quorum < 0) or submitLivenessProofV4 for quorum 0..255. */
static int submit_authorized(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                             const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len,
                             const mpavs_address *prover, const uint8_t bls_sk[32], int quorum,
                             const mpavs_u256 *value) {
    MPAVS_REQUIRE(c && d && data && (quote || !len) && prover && bls_sk && quorum <= 255);
    const char *step = quorum < 0 ? "submitLivenessProofV3" : "submitLivenessProofV4";
    auth_scratch s;
    memset(&s, 0, sizeof s);
    ctr_str a = {0};
    int r = MPAVS_CONTRACTS_OK;
    if (d->chain_id == 0) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "the deployment's chain id is 0 (the digest binds the chain)");
        goto out;
    }
    if (mpavs_bls_pubkey_g1(&s.pk1, bls_sk) || mpavs_bls_pubkey_g2(&s.pk2, bls_sk)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_CRYPTO, step, "invalid BLS secret key");
        goto out;
    }
    mpavs_bn254_g1_encode(s.pk1_enc, &s.pk1);
    if (memcmp(s.pk1_enc, data->pubkey_g1, 64) != 0) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "the BLS key is not the key of the report data");
        goto out;
    }
    uint8_t digest[32];
    if (quorum < 0)
        mpavs_contracts_liveness_auth_digest(digest, d->chain_id, &d->tee_liveness_verifier, prover, data);
    else
        mpavs_contracts_liveness_auth_digest_v4(digest, d->chain_id, &d->tee_liveness_verifier, prover, data,
                                                (uint8_t)quorum);
    mpavs_bls_hash_to_g1(&s.h, digest);
    bool ok = false;
    if (mpavs_bls_sign_hashed(&s.sig, bls_sk, &s.h) || mpavs_bls_pop_verify(&ok, &s.sig, &s.pk1, &s.pk2, &s.h) ||
        !ok) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_CRYPTO, step, "BLS signing failed");
        goto out;
    }
    ctr_printf(&a, "(");
    ctr_liveness_args(&a, data, quote, len);
    ctr_printf(&a, ",");
    ctr_g2(&a, &s.pk2);
    ctr_printf(&a, ",");
    ctr_g1(&a, &s.sig);
    if (quorum >= 0) ctr_printf(&a, ",%d", quorum);
    ctr_printf(&a, ")");
    r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory")
              : ctr_tx_value(c, &d->tee_liveness_verifier, value,
                             quorum < 0 ? CTR_SUBMIT_LIVENESS_V3 : CTR_SUBMIT_LIVENESS_V4, a.s, step);
out:
    mpavs_wipe(&s, sizeof s);
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_submit_liveness_authorized(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                               const mpavs_contracts_report_data *data, const uint8_t *quote,
                                               size_t len, const mpavs_address *prover, const uint8_t bls_sk[32]) {
    return submit_authorized(c, d, data, quote, len, prover, bls_sk, -1, NULL);
}

int mpavs_contracts_submit_liveness_quorum(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                           const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len,
                                           const mpavs_address *prover, const uint8_t bls_sk[32], uint8_t quorum) {
    return submit_authorized(c, d, data, quote, len, prover, bls_sk, quorum, NULL);
}

int mpavs_contracts_submit_liveness_quorum_fee(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                               uint64_t version, int quorum, const mpavs_contracts_report_data *data,
                                               const uint8_t *quote, size_t len, const mpavs_address *prover,
                                               const uint8_t bls_sk[32], const mpavs_u256 *value) {
    MPAVS_REQUIRE(quorum >= -1 && quorum <= 255);
    if (quorum >= 0 && version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V2)
        return submit_authorized(c, d, data, quote, len, prover, bls_sk, quorum, value);
    return mpavs_contracts_submit_liveness_auto_fee(c, d, version, data, quote, len, prover, bls_sk, value);
}

int mpavs_contracts_submit_liveness_auto(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                         uint64_t version, const mpavs_contracts_report_data *data,
                                         const uint8_t *quote, size_t len, const mpavs_address *prover,
                                         const uint8_t bls_sk[32]) {
    if (version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V1)
        return mpavs_contracts_submit_liveness_authorized(c, d, data, quote, len, prover, bls_sk);
    return mpavs_contracts_submit_liveness(c, d, data, quote, len);
}

int mpavs_contracts_submit_liveness_auto_fee(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                             uint64_t version, const mpavs_contracts_report_data *data,
                                             const uint8_t *quote, size_t len, const mpavs_address *prover,
                                             const uint8_t bls_sk[32], const mpavs_u256 *value) {
    if (version >= MPAVS_CONTRACTS_LIVENESS_AUTH_V1)
        return submit_authorized(c, d, data, quote, len, prover, bls_sk, -1, value);
    return ctr_submit_liveness_value(c, d, data, quote, len, value);
}

int mpavs_contracts_liveness_fee_estimate(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                          const uint8_t *quote, size_t len, const mpavs_u256 *gas_price,
                                          const mpavs_u256 *value, mpavs_u256 *fee, bool *supported) {
    MPAVS_REQUIRE(c && d && (quote || !len) && fee && supported);
    const char *step = "estimateBaseFeeVerifyOnChain";
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_hex(&a, quote, len);
    ctr_printf(&a, ")");
    uint8_t *data = NULL, *out = NULL;
    size_t dlen = 0, olen = 0;
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory")
                  : ctr_calldata(c, &data, &dlen, CTR_ESTIMATE_FEE, a.s, step);
    ctr_str_free(&a);
    if (r) return r;
    mpavs_rpc_callmsg m = {.from = c->sender ? mpavs_sender_address(c->sender)->bytes : NULL,
                           .to = d->tee_liveness_verifier.bytes,
                           .data = data,
                           .data_len = dlen,
                           .value = value,
                           .gas_price = gas_price};
    mpavs_error err = {0};
    r = mpavs_rpc_eth_call(c->rpc, &out, &olen, &err, &m, "latest");
    char *why = NULL;
    if (r == MPAVS_RPC_ERR_RPC && err.data &&
        mpavs_abi_decode_revert(&why, err.data, err.data_len, ctr_errors, ctr_nerrors) == MPAVS_ABI_OK &&
        strstr(why, "Insufficient_Funds")) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_REVERTED, step, "reverts: %s (the fee is above the value sent along)", why);
    } else if (r == MPAVS_RPC_ERR_RPC && is_revert(&err)) {
        memset(fee, 0, sizeof *fee); /* no such function (or it reverts): no fee known */
        *supported = false;
        r = MPAVS_CONTRACTS_OK;
    } else if (r) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, step, "eth_call: %s (%s)", mpavs_rpc_strerror(r), err.message);
    } else if (olen < 32) {
        memset(fee, 0, sizeof *fee); /* no code at the address */
        *supported = false;
    } else {
        *fee = mpavs_u256_from_be32(out);
        *supported = true;
    }
    free(why);
    free(data);
    free(out);
    mpavs_error_clear(&err);
    return r;
}

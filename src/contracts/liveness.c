/*
 * src/contracts/liveness.c — TEELivenessVerifier: the ReportDataV2 / REPORTDATA binding, the
 * reference block, submitLivenessProofV2 and verifyLivenessProofV2.
 */
#include "contracts_internal.h"

#include "mpavs/keccak.h"

#include <stdlib.h>
#include <string.h>

void mpavs_contracts_liveness_report_data(uint8_t out[64], const mpavs_address *prover,
                                          const mpavs_contracts_report_data *data) {
    uint8_t enc[160] = {0};
    memcpy(enc, data->pubkey_g1, 64);
    for (int i = 0; i < 8; i++) enc[95 - i] = (uint8_t)(data->reference_block_number >> (8 * i));
    memcpy(enc + 96, data->reference_block_hash, 32);
    memcpy(enc + 128, data->prover_address_hash, 32);
    memset(out, 0, 12);
    memcpy(out + 12, prover->bytes, 20);
    mpavs_keccak256(out + 32, enc, sizeof enc);
}

int mpavs_contracts_reference_block(mpavs_contracts_ctx *c, mpavs_contracts_report_data *data) {
    mpavs_rpc_block head, parent;
    bool found = false;
    mpavs_error err = {0};
    int r = mpavs_rpc_get_block_by_number(c->rpc, &head, &found, &err, "latest");
    if (r || !found) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, "reference block", "latest block: %s", r ? err.message : "not found");
        mpavs_error_clear(&err);
        return r;
    }
    r = mpavs_rpc_get_block_by_hash(c->rpc, &parent, &found, &err, head.parent_hash);
    mpavs_rpc_block_clear(&head);
    if (r || !found) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_RPC, "reference block", "parent block: %s", r ? err.message : "not found");
        mpavs_error_clear(&err);
        return r;
    }
    data->reference_block_number = parent.number;
    memcpy(data->reference_block_hash, parent.hash, 32);
    mpavs_rpc_block_clear(&parent);
    return MPAVS_CONTRACTS_OK;
}

void ctr_liveness_args(ctr_str *b, const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len) {
    ctr_printf(b, "((");
    ctr_hex(b, data->pubkey_g1, 32);
    ctr_printf(b, ",");
    ctr_hex(b, data->pubkey_g1 + 32, 32);
    ctr_printf(b, "),%llu,", (unsigned long long)data->reference_block_number);
    ctr_hex(b, data->reference_block_hash, 32);
    ctr_printf(b, ",");
    ctr_hex(b, data->prover_address_hash, 32);
    ctr_printf(b, "),");
    ctr_hex(b, quote, len);
}

int mpavs_contracts_submit_liveness(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                    const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len) {
    return ctr_submit_liveness_value(c, d, data, quote, len, NULL);
}

int ctr_submit_liveness_value(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                              const mpavs_contracts_report_data *data, const uint8_t *quote, size_t len,
                              const mpavs_u256 *value) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_liveness_args(&a, data, quote, len);
    ctr_printf(&a, ")");
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "submitLivenessProofV2", "out of memory")
                  : ctr_tx_value(c, &d->tee_liveness_verifier, value, CTR_SUBMIT_LIVENESS, a.s,
                                 "submitLivenessProofV2");
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_liveness_valid(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, bool *ok,
                                   const uint8_t pubkey_g1[64], const mpavs_address *prover) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_hex(&a, pubkey_g1, 32);
    ctr_printf(&a, ",");
    ctr_hex(&a, pubkey_g1 + 32, 32);
    ctr_printf(&a, ",");
    ctr_addr(&a, prover);
    ctr_printf(&a, ")");
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? MPAVS_CONTRACTS_ERR_NOMEM
                  : ctr_call(c, &d->tee_liveness_verifier, CTR_VERIFY_LIVENESS, a.s,
                            NULL, &ret, "verifyLivenessProofV2");
    if (!r) *ok = !mpavs_u256_is_zero(&ret->items[0].word);
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    return r;
}

/*
 * src/contracts/confirm.c — state digest and confirmState with NonSignerStakesAndSignature built
 * from OperatorStateRetriever.getCheckSignaturesIndices and the BLSApkRegistry APK history.
 */
#include "contracts_internal.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"

#include <stdlib.h>
#include <string.h>

/* The StateHeader as a cast-syntax tuple for the confirmState calldata. */
static void header_text(ctr_str *b, const mpavs_contracts_state_header *h) {
    ctr_printf(b, "(%llu,", (unsigned long long)h->committee_id);
    ctr_hex(b, h->metadata, h->metadata_len);
    ctr_printf(b, ",");
    ctr_hex(b, h->state, h->state_len);
    ctr_printf(b, ",");
    ctr_hex(b, h->quorum_numbers, h->nquorums);
    ctr_printf(b, ",");
    ctr_hex(b, h->thresholds, h->nquorums);
    ctr_printf(b, ",%u)", (unsigned)h->reference_block_number);
}

int mpavs_contracts_state_digest(uint8_t out[32], const mpavs_contracts_state_header *h) {
    mpavs_avs_state_header a = {.committee_id = h->committee_id, .metadata = h->metadata,
                                .metadata_len = h->metadata_len, .state = h->state, .state_len = h->state_len,
                                .quorum_numbers = h->quorum_numbers, .quorum_numbers_len = h->nquorums,
                                .quorum_thresholds = h->thresholds, .quorum_thresholds_len = h->nquorums,
                                .reference_block = h->reference_block_number};
    return mpavs_avs_state_digest(out, &a) == 0 ? MPAVS_CONTRACTS_OK : MPAVS_CONTRACTS_ERR_NOMEM;
}

typedef struct {
    uint8_t id[32];
    const mpavs_bn254_g1 *pk;
} ctr_nonsigner;

static int by_id(const void *a, const void *b) {
    return memcmp(((const ctr_nonsigner *)a)->id, ((const ctr_nonsigner *)b)->id, 32);
}

/* Append the formatted value v (arrays of uint32 etc.). */
static int value_text(ctr_str *b, const mpavs_abi_value *v) {
    char *t = NULL;
    if (mpavs_abi_value_format(&t, v)) return -1;
    ctr_printf(b, "%s", t);
    free(t);
    return 0;
}

int mpavs_contracts_confirm_state(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                  const mpavs_contracts_state_header *h, const mpavs_bn254_g1 *nonsigners,
                                  size_t nnonsigners, const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma,
                                  uint64_t *gas_used) {
    const char *step = "confirmState";
    if (!h->nquorums || !h->quorum_numbers || !h->thresholds || (nnonsigners && !nonsigners))
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_ARG, step, "need quorums and thresholds");
    ctr_nonsigner *ns = calloc(nnonsigners ? nnonsigners : 1, sizeof *ns);
    if (!ns) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
    for (size_t i = 0; i < nnonsigners; i++) {
        mpavs_bls_operator_id(ns[i].id, &nonsigners[i]);
        ns[i].pk = &nonsigners[i];
    }
    qsort(ns, nnonsigners, sizeof *ns, by_id);
    ctr_str a = {0}, p = {0};
    mpavs_abi_value *idx = NULL, *apk = NULL;
    int r;
    /* indices at the reference block */
    ctr_printf(&a, "(");
    ctr_addr(&a, &d->registry_coordinator);
    ctr_printf(&a, ",%u,", (unsigned)h->reference_block_number);
    ctr_hex(&a, h->quorum_numbers, h->nquorums);
    ctr_printf(&a, ",[");
    for (size_t i = 0; i < nnonsigners; i++) {
        if (i) ctr_printf(&a, ",");
        ctr_hex(&a, ns[i].id, 32);
    }
    ctr_printf(&a, "])");
    if (a.oom) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
        goto out;
    }
    if ((r = ctr_call(c, &d->operator_state_retriever,
                     CTR_CHECK_SIGNATURES_INDICES,
                     a.s, NULL, &idx, "getCheckSignaturesIndices")))
        goto out;
    const mpavs_abi_value *ix = &idx->items[0]; /* (bitmapIdx, apkIdx, totalIdx, stakeIdx[][]) */
    /* NonSignerStakesAndSignature */
    ctr_printf(&p, "(");
    if (value_text(&p, &ix->items[0])) goto nomem;
    ctr_printf(&p, ",[");
    for (size_t i = 0; i < nnonsigners; i++) {
        uint8_t e[64];
        mpavs_bn254_g1_encode(e, ns[i].pk);
        ctr_printf(&p, "%s(", i ? "," : "");
        ctr_hex(&p, e, 32);
        ctr_printf(&p, ",");
        ctr_hex(&p, e + 32, 32);
        ctr_printf(&p, ")");
    }
    ctr_printf(&p, "],[");
    char tag[24];
    mpavs_rpc_tag_number(tag, h->reference_block_number);
    for (size_t q = 0; q < h->nquorums; q++) {
        a.len = 0;
        ctr_printf(&a, "(%u)", h->quorum_numbers[q]);
        if (a.oom) goto nomem;
        if ((r = ctr_call(c, &d->bls_apk_registry, CTR_GET_APK, a.s, tag, &apk, "getApk")))
            goto out;
        char dec[80];
        mpavs_u256_to_hex(dec, sizeof dec, &apk->items[0].items[0].word);
        ctr_printf(&p, "%s(%s,", q ? "," : "", dec);
        mpavs_u256_to_hex(dec, sizeof dec, &apk->items[0].items[1].word);
        ctr_printf(&p, "%s)", dec);
        mpavs_abi_value_free(apk);
        apk = NULL;
    }
    ctr_printf(&p, "],");
    {
        uint8_t e[128];
        mpavs_bn254_g2_encode(e, apk_g2);
        ctr_printf(&p, "([");
        ctr_hex(&p, e, 32);
        ctr_printf(&p, ",");
        ctr_hex(&p, e + 32, 32);
        ctr_printf(&p, "],[");
        ctr_hex(&p, e + 64, 32);
        ctr_printf(&p, ",");
        ctr_hex(&p, e + 96, 32);
        ctr_printf(&p, "]),(");
        mpavs_bn254_g1_encode(e, sigma);
        ctr_hex(&p, e, 32);
        ctr_printf(&p, ",");
        ctr_hex(&p, e + 32, 32);
        ctr_printf(&p, "),");
    }
    if (value_text(&p, &ix->items[1])) goto nomem;
    ctr_printf(&p, ",");
    if (value_text(&p, &ix->items[2])) goto nomem;
    ctr_printf(&p, ",");
    if (value_text(&p, &ix->items[3])) goto nomem;
    ctr_printf(&p, ")");
    /* confirmState(header, params) */
    a.len = 0;
    ctr_printf(&a, "(");
    header_text(&a, h);
    ctr_printf(&a, ",%s)", p.s ? p.s : "");
    if (a.oom || p.oom) goto nomem;
    {
        uint8_t *data = NULL;
        size_t len = 0;
        r = ctr_calldata(c, &data, &len,
                        CTR_CONFIRM_STATE,
                        a.s, step);
        if (!r) r = ctr_send_raw(c, &d->service_manager, data, len, step, NULL, gas_used);
        free(data);
    }
    goto out;
nomem:
    r = ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
out:
    mpavs_abi_value_free(idx);
    mpavs_abi_value_free(apk);
    ctr_str_free(&a);
    ctr_str_free(&p);
    free(ns);
    return r;
}

int mpavs_contracts_state_confirmer(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                    mpavs_address *confirmer) {
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, &d->service_manager, CTR_STATE_CONFIRMER, NULL, NULL, &ret, "stateConfirmer");
    if (!r) memcpy(confirmer->bytes, ret->items[0].fixed, 20);
    mpavs_abi_value_free(ret);
    return r;
}

int mpavs_contracts_task_id(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint32_t *task_id) {
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, &d->service_manager, CTR_TASK_ID, NULL, NULL, &ret, "taskId");
    if (!r) *task_id = (uint32_t)ret->items[0].word.w[0];
    mpavs_abi_value_free(ret);
    return r;
}

/*
 * src/contracts/states.c — the consumer API of the MultiProverServiceManager: the confirmed
 * state kept per (committee, metadata) and the committee's latest (see mpavs/contracts.h).
 */
#include "contracts_internal.h"

#include "mpavs/keccak.h"

#include <stdlib.h>
#include <string.h>

void mpavs_contracts_confirmed_state_clear(mpavs_contracts_confirmed_state *s) {
    if (!s) return;
    free(s->state);
    memset(s, 0, sizeof *s);
}

/* Fill s from a decoded ConfirmedState tuple (bytes state, uint32 block, uint32 task, uint32 ref, uint256 seq). */
static int from_tuple(mpavs_contracts_ctx *c, mpavs_contracts_confirmed_state *s, const mpavs_abi_value *t,
                      const char *step) {
    if (!t || t->n != 5) return ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, step, "ConfirmedState has an unexpected shape");
    s->state = malloc(t->items[0].len ? t->items[0].len : 1);
    if (!s->state) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, step, "out of memory");
    if (t->items[0].len) memcpy(s->state, t->items[0].data, t->items[0].len);
    s->state_len = t->items[0].len;
    s->block_number = (uint32_t)t->items[1].word.w[0];
    s->task_id = (uint32_t)t->items[2].word.w[0];
    s->reference_block = (uint32_t)t->items[3].word.w[0];
    s->sequence = t->items[4].word;
    s->found = s->block_number != 0; /* confirmState always records the block it was mined in */
    return MPAVS_CONTRACTS_OK;
}

int mpavs_contracts_get_confirmed_state(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                        uint64_t committee, const uint8_t *metadata, size_t metadata_len,
                                        const char *tag, mpavs_contracts_confirmed_state *s) {
    MPAVS_REQUIRE(c && d && s && (metadata || !metadata_len));
    memset(s, 0, sizeof *s);
    mpavs_keccak256(s->metadata_hash, metadata, metadata_len);
    ctr_str a = {0};
    ctr_printf(&a, "(%llu,", (unsigned long long)committee);
    ctr_hex(&a, metadata, metadata_len);
    ctr_printf(&a, ")");
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "getConfirmedState", "out of memory")
                  : ctr_call(c, &d->service_manager, CTR_GET_CONFIRMED_STATE, a.s, tag, &ret, "getConfirmedState");
    if (!r) r = from_tuple(c, s, ret && ret->n == 1 ? &ret->items[0] : NULL, "getConfirmedState");
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    if (r) mpavs_contracts_confirmed_state_clear(s);
    return r;
}

int mpavs_contracts_latest_confirmed_state(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                           uint64_t committee, const char *tag, mpavs_contracts_confirmed_state *s) {
    MPAVS_REQUIRE(c && d && s);
    memset(s, 0, sizeof *s);
    ctr_str a = {0};
    ctr_printf(&a, "(%llu)", (unsigned long long)committee);
    mpavs_abi_value *ret = NULL;
    int r = a.oom ? ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "latestConfirmedState", "out of memory")
                  : ctr_call(c, &d->service_manager, CTR_LATEST_CONFIRMED_STATE, a.s, tag, &ret,
                             "latestConfirmedState");
    if (!r && (!ret || ret->n != 2))
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "latestConfirmedState", "unexpected return shape");
    if (!r) {
        memcpy(s->metadata_hash, ret->items[0].fixed, 32);
        r = from_tuple(c, s, &ret->items[1], "latestConfirmedState");
    }
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    if (r) mpavs_contracts_confirmed_state_clear(s);
    return r;
}

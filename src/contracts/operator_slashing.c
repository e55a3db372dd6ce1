/*
 * src/contracts/operator_slashing.c — EigenLayer operator registration on the slashing release's
 * DelegationManager (mainnet, Hoodi and Sepolia since 2025): which form a DelegationManager speaks,
 * registerAsOperator(approver, allocationDelay, uri), modifyOperatorDetails(operator, approver),
 * updateOperatorMetadataURI(operator, uri), and the read-back through delegationApprover and the
 * AllocationManager's getAllocationDelay. The M2 form is in operator.c.
 */
#include "contracts_internal.h"

#include <string.h>

static bool zero_addr(const mpavs_address *a) {
    static const uint8_t z[20];
    return memcmp(a->bytes, z, 20) == 0;
}

/* "(0x<address>)" */
static void addr_arg(ctr_str *a, const mpavs_address *x) {
    ctr_printf(a, "(");
    ctr_addr(a, x);
    ctr_printf(a, ")");
}

int mpavs_contracts_delegation_form(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                    mpavs_contracts_dm_form *form, mpavs_address *allocation_manager) {
    memset(allocation_manager, 0, sizeof *allocation_manager);
    *form = 0;
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, &d->delegation_manager, CTR_DM_ALLOCATION_MANAGER, NULL, NULL, &ret, "allocationManager");
    /*
     * A revert is the M2 answer (no such function, no fallback). Nodes report a revert without
     * data as a plain JSON-RPC error whose message says so; transport failures carry no such text.
     */
    if (r == MPAVS_CONTRACTS_ERR_REVERTED ||
        (r == MPAVS_CONTRACTS_ERR_RPC && c->error.rpc_code != 0 && strstr(c->error.message, "revert"))) {
        mpavs_error_clear(&c->error);
        *form = MPAVS_CONTRACTS_DM_M2;
        return MPAVS_CONTRACTS_OK;
    }
    if (r == MPAVS_CONTRACTS_ERR_DECODE) {
        char a[43];
        mpavs_address_to_checksum(a, &d->delegation_manager);
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "DelegationManager",
                     "%s answers allocationManager() with neither an address nor a revert: not a DelegationManager "
                     "(no code there?)", a);
    }
    if (r) return r;
    memcpy(allocation_manager->bytes, ret->items[0].fixed, 20);
    mpavs_abi_value_free(ret);
    if (zero_addr(allocation_manager))
        return ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "DelegationManager", "allocationManager() is the zero address");
    *form = MPAVS_CONTRACTS_DM_SLASHING;
    return MPAVS_CONTRACTS_OK;
}

int mpavs_contracts_register_operator_slashing(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                               const mpavs_contracts_operator_details *od) {
    const char *uri = od->metadata_uri ? od->metadata_uri : "";
    int r = ctr_uri_check(c, uri, "registerAsOperator");
    if (r) return r;
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, &od->delegation_approver);
    ctr_printf(&a, ",%u,\"%s\")", (unsigned)od->allocation_delay, uri);
    return ctr_tx_args(c, &d->delegation_manager, CTR_REGISTER_AS_OPERATOR_SL, &a, "registerAsOperator");
}

int mpavs_contracts_get_operator_details_slashing(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                  const mpavs_address *allocation_manager,
                                                  const mpavs_address *operator_addr,
                                                  mpavs_contracts_operator_details *od) {
    memset(od, 0, sizeof *od);
    ctr_str a = {0};
    addr_arg(&a, operator_addr);
    if (a.oom) return ctr_fail(c, MPAVS_CONTRACTS_ERR_NOMEM, "delegationApprover", "out of memory");
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, &d->delegation_manager, CTR_DELEGATION_APPROVER, a.s, NULL, &ret, "delegationApprover");
    if (!r) memcpy(od->delegation_approver.bytes, ret->items[0].fixed, 20);
    mpavs_abi_value_free(ret);
    ret = NULL;
    if (!r) r = ctr_call(c, allocation_manager, CTR_GET_ALLOCATION_DELAY, a.s, NULL, &ret, "getAllocationDelay");
    if (!r && (ret->n != 2 || mpavs_u256_bits(&ret->items[0].word) > 1 || mpavs_u256_bits(&ret->items[1].word) > 32)) {
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "getAllocationDelay", "unexpected output");
    } else if (!r) {
        od->allocation_delay_set = !mpavs_u256_is_zero(&ret->items[0].word);
        od->allocation_delay = (uint32_t)ret->items[1].word.w[0];
    }
    mpavs_abi_value_free(ret);
    ctr_str_free(&a);
    return r;
}

int mpavs_contracts_set_delegation_approver(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                            const mpavs_address *approver) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, mpavs_sender_address(c->sender));
    ctr_printf(&a, ",");
    ctr_addr(&a, approver);
    ctr_printf(&a, ")");
    return ctr_tx_args(c, &d->delegation_manager, CTR_MODIFY_OPERATOR_DETAILS_SL, &a, "modifyOperatorDetails");
}

int mpavs_contracts_update_operator_metadata_uri_slashing(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d,
                                                         const char *uri) {
    int r = ctr_uri_check(c, uri, "updateOperatorMetadataURI");
    if (r) return r;
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, mpavs_sender_address(c->sender));
    ctr_printf(&a, ",\"%s\")", uri);
    return ctr_tx_args(c, &d->delegation_manager, CTR_UPDATE_OPERATOR_METADATA_URI_SL, &a, "updateOperatorMetadataURI");
}

int mpavs_contracts_allocation_configuration_delay(mpavs_contracts_ctx *c, const mpavs_address *allocation_manager,
                                                   uint32_t *blocks) {
    *blocks = 0;
    mpavs_abi_value *ret = NULL;
    int r = ctr_call(c, allocation_manager, CTR_ALLOCATION_CONFIGURATION_DELAY, NULL, NULL, &ret,
                     "ALLOCATION_CONFIGURATION_DELAY");
    if (!r && mpavs_u256_bits(&ret->items[0].word) > 32)
        r = ctr_fail(c, MPAVS_CONTRACTS_ERR_DECODE, "ALLOCATION_CONFIGURATION_DELAY", "value out of range");
    else if (!r)
        *blocks = (uint32_t)ret->items[0].word.w[0];
    mpavs_abi_value_free(ret);
    return r;
}

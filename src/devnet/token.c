/*
 * src/devnet/token.c — the devnet TestToken (the deployer holds the supply).
 */
#include "devnet_internal.h"

int mpavs_devnet_token_transfer(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_address *to,
                                const mpavs_u256 *amount) {
    ctr_str a = {0};
    ctr_printf(&a, "(");
    ctr_addr(&a, to);
    ctr_printf(&a, ",");
    ctr_u256(&a, amount);
    ctr_printf(&a, ")");
    int r = a.oom ? ctr_fail(c, MPAVS_DEVNET_ERR_NOMEM, "transfer", "out of memory")
                  : ctr_tx_text(c, &d->token, "transfer(address,uint256)", a.s, "token transfer");
    ctr_str_free(&a);
    return r;
}

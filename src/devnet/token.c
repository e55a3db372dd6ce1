/*
 * src/devnet/token.c — the devnet TestToken (the deployer holds the supply).
 */
#include "devnet_internal.h"

int mpavs_devnet_token_transfer(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const mpavs_address *to,
                                const mpavs_u256 *amount) {
    ct_str a = {0};
    ct_printf(&a, "(");
    ct_addr(&a, to);
    ct_printf(&a, ",");
    ct_u256(&a, amount);
    ct_printf(&a, ")");
    int r = a.oom ? ct_fail(c, MPAVS_DEVNET_ERR_NOMEM, "transfer", "out of memory")
                  : ct_tx_text(c, &d->token, "transfer(address,uint256)", a.s, "token transfer");
    ct_str_free(&a);
    return r;
}

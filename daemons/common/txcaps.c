/* daemons/common/txcaps.c — see txcaps.h. */
#include "common/txcaps.h"

#include <string.h>

static void fee_field(dconf *c, const char *path, mpavs_u256 *out) {
    memset(out, 0, sizeof *out);
    const char *s = dconf_str(c, path, "", false);
    if (!s || !*s) return;
    int r = mpavs_u256_parse_fee(out, s);
    if (r == MPAVS_U256_ERR_SYNTAX)
        dconf_error(c, "%s: expected wei, or a number with a unit (\"50gwei\", \"1.5gwei\"), got \"%s\"", path, s);
    else if (r)
        dconf_error(c, "%s: does not fit 256 bits", path);
    else if (mpavs_u256_is_zero(out))
        dconf_error(c, "%s: a cap of zero can never be met (leave it empty for no cap)", path);
}

void dtx_caps_load(dtx_caps *caps, dconf *c) {
    memset(caps, 0, sizeof *caps);
    fee_field(c, "Transactions.MaxFeePerGas", &caps->max_fee);
    fee_field(c, "Transactions.MaxPriorityFeePerGas", &caps->max_tip);
    if (!mpavs_u256_is_zero(&caps->max_fee) && !mpavs_u256_is_zero(&caps->max_tip) &&
        mpavs_u256_cmp(&caps->max_tip, &caps->max_fee) > 0)
        dconf_error(c, "Transactions.MaxPriorityFeePerGas: above MaxFeePerGas");
    dconf_u64(c, "Transactions.GasLimit", &caps->gas_limit, 0, false);
    if (caps->gas_limit && caps->gas_limit < 21000) dconf_error(c, "Transactions.GasLimit: 0 (no cap) or at least 21000");
    dconf_bool(c, "Transactions.Legacy", &caps->legacy, false);
}

void dtx_caps_apply(const dtx_caps *caps, mpavs_sender_options *so) {
    so->max_fee_cap = caps->max_fee;
    so->max_priority_fee_cap = caps->max_tip;
    so->gas_limit_cap = caps->gas_limit;
    so->legacy = caps->legacy;
}

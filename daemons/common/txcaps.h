/*
 * daemons/common/txcaps.h — the `Transactions` section the operator and the aggregator share:
 * caps on what their transaction sender may offer (fee per gas, tip, gas limit) and legacy
 * (type-0) pricing. The sender never exceeds a cap, fee bumps included (mpavs/sender.h); a
 * transaction whose estimate is above GasLimit is refused rather than sent.
 *
 *   "Transactions": {"MaxFeePerGas": "50gwei", "MaxPriorityFeePerGas": "2gwei",
 *                    "GasLimit": 2000000, "Legacy": false}
 */
#ifndef MPAVS_DAEMON_TXCAPS_H
#define MPAVS_DAEMON_TXCAPS_H

#include "common/config.h"
#include "common/config_table.h"
#include "mpavs/sender.h"
#include "mpavs/u256.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    mpavs_u256 max_fee;  /* zero: no cap */
    mpavs_u256 max_tip;  /* zero: no cap */
    uint64_t gas_limit;  /* 0: no cap */
    bool legacy;
} dtx_caps;

/* The table rows of the section (config_table.h), for a daemon's FIELDS array. */
#define DTX_CAPS_FIELDS                                                                                              \
    {"Transactions", DCF_OBJECT, false, NULL, "{\"MaxFeePerGas\": \"\", \"MaxPriorityFeePerGas\": \"\"}", NULL,      \
     "mpavs: caps on the transactions this daemon sends (none by default)."},                                        \
    {"Transactions.MaxFeePerGas", DCF_STRING, false, "\"\" (no cap)", NULL, "wei, or with a unit (\"50gwei\")",         \
     "Never offer more per gas, fee bumps included (legacy: the gas price)."},                                       \
    {"Transactions.MaxPriorityFeePerGas", DCF_STRING, false, "\"\" (no cap)", NULL, "wei, or with a unit (\"2gwei\")", \
     "Never offer a larger tip (EIP-1559)."},                                                                        \
    {"Transactions.GasLimit", DCF_UINT, false, "0 (no cap)", NULL, "0 or ≥ 21000",                                   \
     "Never use a larger gas limit; a transaction estimated above it is not sent."},                                 \
    {"Transactions.Legacy", DCF_BOOL, false, "false", NULL, NULL, "Send type-0 transactions priced from eth_gasPrice."}

/** Read the section from c into *caps (zero caps when absent); problems are recorded in c. */
void dtx_caps_load(dtx_caps *caps, dconf *c);

/** Copy the caps into sender options (the other fields of *so are left as they are). */
void dtx_caps_apply(const dtx_caps *caps, mpavs_sender_options *so);

#endif

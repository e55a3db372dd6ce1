/*
 * mpavs/sender.h — a transaction sender for daemons.
 *
 * A sender owns one account (secret key) on one chain and sends its
 * transactions one at a time: it tracks the nonce (and recovers from "nonce
 * too low" by re-reading it), estimates gas with headroom, prices EIP-1559
 * fees from eth_feeHistory, waits for the receipt with a deadline, re-sends
 * the same nonce with bumped fees when a transaction is stuck, and reports
 * the outcome with the decoded revert reason when it failed.
 *
 * One sender must be used by one thread at a time (as its mpavs_rpc).
 */
#ifndef MPAVS_SENDER_H
#define MPAVS_SENDER_H

#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_SENDER_OK = 0,        /* mined: see result->success */
    MPAVS_SENDER_ERR_RPC,       /* the node could not be used (see err) */
    MPAVS_SENDER_ERR_REVERTS,   /* gas estimation reverted: not sent (result->revert_reason) */
    MPAVS_SENDER_ERR_TIMEOUT,   /* not mined before the deadline (result->tx_hash: last sent) */
    MPAVS_SENDER_ERR_REJECTED,  /* the node refused the transaction (see err) */
    MPAVS_SENDER_ERR_CANCELLED, /* *options.cancel became non-zero */
    MPAVS_SENDER_ERR_SIGN,      /* the transaction could not be signed or encoded */
    MPAVS_SENDER_ERR_NOMEM,
} mpavs_sender_result_code;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_sender_strerror(int r);

/** Options; zero fields take the defaults shown. */
typedef struct {
    uint64_t chain_id;           /* 0: read with eth_chainId at creation */
    unsigned gas_headroom_pct;   /* added to the estimate: 25 */
    long attempt_timeout_ms;     /* wait per attempt before bumping fees: 24000 */
    long deadline_ms;            /* total wait for one send: 120000 */
    long poll_interval_ms;       /* receipt polling: 250 */
    unsigned bump_pct;           /* fee increase per re-send (>= 10 for replacement): 25 */
    int max_bumps;               /* re-sends with higher fees: 3 */
    mpavs_u256 max_fee_cap;      /* never offer more than this per gas (zero: no cap) */
    const volatile int *cancel;  /* optional: stop waiting when it becomes non-zero */
} mpavs_sender_options;

typedef struct mpavs_sender mpavs_sender;

/**
 * Create a sender for the account of seckey (copied; wiped on destroy) using
 * rpc (borrowed: must outlive the sender). opt may be NULL.
 * Out: *out. err (may be NULL) explains an RPC failure.
 * Returns MPAVS_SENDER_OK, _ERR_SIGN (bad key), _ERR_RPC or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_sender_create(mpavs_sender **out, mpavs_error *err, mpavs_rpc *rpc,
                                                    const uint8_t seckey[32], const mpavs_sender_options *opt);
/** Destroy a sender (NULL allowed); its key is wiped. */
MPAVS_API void mpavs_sender_destroy(mpavs_sender *s);
/** The sender's account address. */
MPAVS_API const mpavs_address *mpavs_sender_address(const mpavs_sender *s);

/** What happened to one send. */
typedef struct {
    uint8_t tx_hash[32];      /* the mined transaction (or the last one sent) */
    bool success;             /* receipt status 1 */
    uint64_t nonce, block_number, gas_used, gas_limit;
    int bumps;                /* fee bumps needed */
    mpavs_rpc_receipt receipt; /* when mined: release with mpavs_sender_result_clear */
    char revert_reason[512];  /* decoded revert reason (estimate or failed receipt), else "" */
} mpavs_sender_result;

/** Release what a result holds. */
MPAVS_API void mpavs_sender_result_clear(mpavs_sender_result *res);

/**
 * Send a transaction and wait until it is mined.
 * In: to (20 bytes, or NULL to create a contract), value (NULL for 0),
 * data/len, gas_limit (0: estimate with headroom), errors/nerrors: custom
 * error signatures used to decode revert data (see mpavs_abi_decode_revert).
 * Out: *res (always initialised), err (may be NULL).
 * Returns MPAVS_SENDER_OK when mined (then res->success tells the status)
 * or an error code.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_sender_send(mpavs_sender *s, mpavs_sender_result *res, mpavs_error *err,
                                                  const uint8_t *to, const mpavs_u256 *value, const uint8_t *data,
                                                  size_t len, uint64_t gas_limit, const char *const *errors,
                                                  size_t nerrors);

#ifdef __cplusplus
}
#endif
#endif

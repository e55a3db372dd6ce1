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
    MPAVS_SENDER_ERR_GAS_CAP,   /* the gas estimate exceeds options.gas_limit_cap: not sent */
} mpavs_sender_result_code;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_sender_strerror(int r);

/** What a sender reports to options.observer (one event per simulation or broadcast). */
typedef enum {
    MPAVS_SENDER_EVENT_SIMULATED = 1, /* options.simulate: estimated and eth_call'd, nothing sent */
    MPAVS_SENDER_EVENT_SENT = 2,      /* a signed transaction was accepted by the node (also each re-send) */
} mpavs_sender_event_kind;

typedef struct {
    mpavs_sender_event_kind kind;
    const uint8_t *to;            /* 20 bytes, or NULL (contract creation) */
    uint8_t tx_hash[32];          /* SENT only */
    uint64_t nonce;               /* SENT only */
    uint64_t gas_estimate;        /* eth_estimateGas (0 when the caller gave the gas limit) */
    uint64_t gas_limit;           /* the limit used (estimate + headroom, capped) */
    bool legacy;                  /* type 0 (gas_price) rather than EIP-1559 */
    mpavs_u256 max_fee_per_gas;   /* legacy: the gas price */
    mpavs_u256 max_priority_fee_per_gas; /* legacy: the gas price */
    int bump;                     /* SENT: 0 for the first broadcast, n for the n-th fee bump */
} mpavs_sender_event;

/** Options; zero fields take the defaults shown. */
typedef struct {
    uint64_t chain_id;           /* 0: read with eth_chainId at creation */
    unsigned gas_headroom_pct;   /* added to the estimate: 25 */
    long attempt_timeout_ms;     /* wait per attempt before bumping fees: 24000 */
    long deadline_ms;            /* total wait for one send: 120000 */
    long poll_interval_ms;       /* receipt polling: 250 */
    unsigned bump_pct;           /* fee increase per re-send (>= 10 for replacement): 25 */
    int max_bumps;               /* re-sends with higher fees: 3 */
    mpavs_u256 max_fee_cap;      /* never offer more than this per gas, bumps included (zero: no cap);
                                    legacy: the gas price cap */
    mpavs_u256 max_priority_fee_cap; /* never offer a larger tip (zero: no cap; EIP-1559 only) */
    uint64_t gas_limit_cap;      /* never use a larger gas limit: estimate + headroom is cut to it, an
                                    estimate above it is refused (ERR_GAS_CAP); 0: no cap */
    bool legacy;                 /* send type-0 transactions priced from eth_gasPrice (default EIP-1559) */
    bool simulate;               /* dry run: estimate, price and eth_call each transaction, report it to
                                    the observer, send nothing (result->simulated; the nonce is untouched) */
    void (*observer)(void *arg, const mpavs_sender_event *ev); /* optional: told of every simulation/broadcast */
    void *observer_arg;
    const volatile int *cancel;  /* optional: stop waiting when it becomes non-zero (read with an atomic load:
                                    set it with __atomic_store_n or an atomic exchange from another thread) */
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
/**
 * Switch simulation (options.simulate) on or off for the following sends, e.g. to preview a
 * command's transactions and then send them with the same sender.
 */
MPAVS_API void mpavs_sender_set_simulate(mpavs_sender *s, bool simulate);

/** The sender's account address. */
MPAVS_API const mpavs_address *mpavs_sender_address(const mpavs_sender *s);

/** What happened to one send. */
typedef struct {
    uint8_t tx_hash[32];      /* the mined transaction (or the last one sent) */
    bool success;             /* receipt status 1 */
    uint64_t nonce, block_number, gas_used, gas_limit;
    bool simulated;           /* options.simulate: nothing was sent; success = the eth_call succeeded */
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
 * or, with options.simulate, when simulated (res->simulated, res->success true, nothing sent),
 * or an error code (ERR_REVERTS when the estimate or the simulation reverts, ERR_GAS_CAP).
 * Fees: EIP-1559 max fee = 2 x base fee + tip, tip from eth_feeHistory; legacy: eth_gasPrice;
 * each capped by options (a caller-given gas_limit above gas_limit_cap is cut to the cap).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_sender_send(mpavs_sender *s, mpavs_sender_result *res, mpavs_error *err,
                                                  const uint8_t *to, const mpavs_u256 *value, const uint8_t *data,
                                                  size_t len, uint64_t gas_limit, const char *const *errors,
                                                  size_t nerrors);

#ifdef __cplusplus
}
#endif
#endif

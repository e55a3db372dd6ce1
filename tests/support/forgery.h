/*
 * tests/support/forgery.h — a forging L2 node for end-to-end tests: a rpcproxy (rpcproxy.h) in
 * front of a real node that lies about one block, for a prover to read the chain through.
 *
 *   FORGERY_STATE_ROOT  block N (eth_getBlockByNumber, by number or tag, matched on the result's
 *                       number) with another stateRoot (0x11…11) and its hash recomputed, so the
 *                       header is consistent: only re-execution can tell
 *   FORGERY_RAW_TX      eth_getRawTransactionByHash of one transaction with its last digit changed
 *
 * The forged header is built when block N is first asked for (it must exist upstream): block N is
 * taken from a witness of the real node (mpavs_witness_acquire) and re-hashed.
 */
#ifndef MPAVS_TEST_FORGERY_H
#define MPAVS_TEST_FORGERY_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { FORGERY_STATE_ROOT, FORGERY_RAW_TX } forgery_mode;

typedef struct forgery forgery;

/** Start lying about block (FORGERY_STATE_ROOT) or transaction tx_hash (0x…, FORGERY_RAW_TX). NULL on failure. */
forgery *forgery_start(const char *upstream_url, forgery_mode mode, uint64_t block, const char *tx_hash);
/** The lying node's URL. */
const char *forgery_url(const forgery *f);
/** Times the lie was told so far (read after forgery_stop, or racy). */
unsigned forgery_lies(const forgery *f);
/** The forged stateRoot and header hash (FORGERY_STATE_ROOT, once block N was asked for). */
bool forgery_forged(const forgery *f, uint8_t root[32], uint8_t hash[32]);
/** Stop the proxy (the forged values stay readable) — then forgery_free. */
void forgery_stop(forgery *f);
/** Stop if running and free (NULL allowed). */
void forgery_free(forgery *f);

#endif

/*
 * mpavs/registry.h — the EigenLayer registry state an aggregator works from, read
 * from the chain: the operators of given quorums at a block with their stakes
 * (OperatorStateRetriever.getOperatorState), their BLS public keys (the
 * BLSApkRegistry's NewPubkeyRegistration events, the only place the G2 key is
 * published), and the join of both into the input of mpavs/aggregate.h.
 */
#ifndef MPAVS_REGISTRY_H
#define MPAVS_REGISTRY_H

#include "mpavs/aggregate.h"
#include "mpavs/bn254.h"
#include "mpavs/common.h"
#include "mpavs/rpc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_REGISTRY_OK = 0,
    MPAVS_REGISTRY_ERR_RPC,         /* the node failed (see err) */
    MPAVS_REGISTRY_ERR_DECODE,      /* a reply or log did not decode as expected */
    MPAVS_REGISTRY_ERR_ARG,         /* bad arguments (no quorums, too many) */
    MPAVS_REGISTRY_ERR_MISSING_KEY, /* an operator of the state has no registered public key */
    MPAVS_REGISTRY_ERR_NOMEM,
} mpavs_registry_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_registry_strerror(int r);

/** One operator of the state: its address, id and stake in each requested quorum. */
typedef struct {
    uint8_t address[20];
    uint8_t operator_id[32];
    mpavs_u256 stake[MPAVS_AGG_MAX_QUORUMS]; /* in the i-th requested quorum */
    uint64_t quorum_mask;                    /* bit i: in the i-th requested quorum */
} mpavs_registry_operator;

/**
 * OperatorStateRetriever.getOperatorState(registryCoordinator, quorums, block),
 * merged by operator id. In: retriever, coordinator (20 bytes each), quorums/nq
 * (1..MPAVS_AGG_MAX_QUORUMS), block. Out: *ops (malloc'd; free()), *n.
 * Returns MPAVS_REGISTRY_OK, _ERR_RPC, _ERR_DECODE, _ERR_ARG or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_registry_operator_state(mpavs_rpc *rpc, mpavs_registry_operator **ops, size_t *n,
                                                              mpavs_error *err, const uint8_t retriever[20],
                                                              const uint8_t coordinator[20], const uint8_t *quorums,
                                                              size_t nq, uint32_t block);

/** A registered BLS public key. */
typedef struct {
    uint8_t address[20];
    mpavs_bn254_g1 g1;
    mpavs_bn254_g2 g2;
    uint64_t block_number;
} mpavs_registry_pubkey;

/**
 * Read NewPubkeyRegistration(address indexed operator, G1 pubkeyG1, G2 pubkeyG2)
 * logs of the BLSApkRegistry in [from_block, to_block], in windows of at most
 * `window` blocks (0: 5000). Keys that fail the curve/subgroup checks are an error.
 * Out: *keys (malloc'd, appended to the *n already there: pass *keys = NULL,
 * *n = 0 to start), *n. Returns OK, _ERR_RPC, _ERR_DECODE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_registry_scan_pubkeys(mpavs_rpc *rpc, mpavs_registry_pubkey **keys, size_t *n,
                                                            mpavs_error *err, const uint8_t bls_apk_registry[20],
                                                            uint64_t from_block, uint64_t to_block, uint64_t window);

/**
 * Join an operator state with the known keys (by address; the latest
 * registration wins) into aggregation inputs. Out: out (n entries).
 * In: missing (may be NULL): set to the index of the first operator without a
 * key. Returns OK or _ERR_MISSING_KEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_registry_join(mpavs_agg_operator *out, size_t *missing,
                                                    const mpavs_registry_operator *ops, size_t n,
                                                    const mpavs_registry_pubkey *keys, size_t nkeys);

#ifdef __cplusplus
}
#endif
#endif

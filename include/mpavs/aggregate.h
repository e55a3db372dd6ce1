/*
 * mpavs/aggregate.h — BLS signature aggregation for one task, as the
 * aggregator needs it and exactly as BLSSignatureChecker.checkSignatures and
 * MultiProverServiceManager.confirmState will judge it on chain.
 *
 * A task is fixed to the operator state at its reference block (the operators
 * with their BN254 keys and their stake in each of the task's quorums, read
 * from OperatorStateRetriever.getOperatorState). Signatures are added per
 * digest (the StateHeader digest each operator signed); the caller verifies
 * each signature first (mpavs_bls_verify or a batch). Per digest the module
 * keeps the aggregate signature, the aggregate G2 key and the signed stake
 * per quorum, counting an operator in several quorums once in each, and never
 * twice for the same digest. An operator that signs two different digests for
 * the same task is reported (MPAVS_AGG_ERR_CONFLICT) and only its first
 * signature counts.
 *
 * The aggregate signature and G2 key count each signer once per task quorum
 * it belongs to, because checkSignatures builds the G1 apk from the quorum
 * apks, where such a signer appears once per quorum: summing each signer
 * once, as the reference aggregator does, a task whose quorums share an
 * operator could never verify on chain.
 *
 * Threshold, per quorum q: signed[q] * 100 >= total[q] * threshold[q]% and
 * signed[q] > 0 (the contract's THRESHOLD_DENOMINATOR is 100).
 *
 * No I/O and no locking: one task belongs to one thread at a time.
 */
#ifndef MPAVS_AGGREGATE_H
#define MPAVS_AGGREGATE_H

#include "mpavs/bn254.h"
#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most quorums one task can span (quorum numbers are bytes; 192 exist on chain). */
#define MPAVS_AGG_MAX_QUORUMS 32

typedef enum {
    MPAVS_AGG_OK = 0,
    MPAVS_AGG_ERR_ARG,              /* inconsistent task description (see the function) */
    MPAVS_AGG_ERR_UNKNOWN_OPERATOR, /* operator not in the task's quorums at the reference block */
    MPAVS_AGG_ERR_CONFLICT,         /* the operator already signed another digest for this task */
    MPAVS_AGG_ERR_UNKNOWN_DIGEST,   /* nobody signed this digest */
    MPAVS_AGG_ERR_THRESHOLD,        /* the digest does not meet every quorum's threshold */
    MPAVS_AGG_ERR_NOMEM,
} mpavs_agg_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_agg_strerror(int r);

/** One operator of the task's state at the reference block. */
typedef struct {
    uint8_t operator_id[32];
    mpavs_bn254_g1 pk_g1;
    mpavs_bn254_g2 pk_g2;
    mpavs_u256 stake[MPAVS_AGG_MAX_QUORUMS]; /* stake in the task's i-th quorum (uint96 on chain) */
    uint64_t quorum_mask;                    /* bit i: the operator is in the task's i-th quorum */
} mpavs_agg_operator;

typedef struct mpavs_agg mpavs_agg;

/**
 * Create a task over nq quorums (quorum_numbers[i], threshold percent
 * thresholds[i] in 1..100) and the n operators of its state (copied;
 * operator ids must be distinct, each operator in at least one quorum).
 * Quorum totals and aggregate G1 keys are computed from the operators.
 * Out: *out. Returns MPAVS_AGG_OK, _ERR_ARG or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_create(mpavs_agg **out, const uint8_t *quorum_numbers,
                                                 const uint8_t *thresholds, size_t nq, const mpavs_agg_operator *ops,
                                                 size_t n);
/** Destroy a task (NULL allowed). */
MPAVS_API void mpavs_agg_destroy(mpavs_agg *a);

/**
 * Look an operator up by id. Out: *op (borrowed, valid until destroy).
 * Returns MPAVS_AGG_OK or _ERR_UNKNOWN_OPERATOR.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_find(const mpavs_agg *a, const mpavs_agg_operator **op,
                                               const uint8_t operator_id[32]);

/**
 * Whether operator_id's signature is counted, and on which digest: O(log n). Out: *counted;
 * digest (only when *counted) the digest it signed. Returns MPAVS_AGG_OK or _ERR_UNKNOWN_OPERATOR.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_signed(const mpavs_agg *a, bool *counted, uint8_t digest[32],
                                                 const uint8_t operator_id[32]);

/**
 * Count a verified signature of operator_id on digest.
 * Out: *added = false when this operator's signature on this digest was
 * already counted (a duplicate: ignored).
 * Returns MPAVS_AGG_OK, _ERR_UNKNOWN_OPERATOR, _ERR_CONFLICT (it signed
 * another digest before; nothing counted) or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_add(mpavs_agg *a, bool *added, const uint8_t digest[32],
                                              const uint8_t operator_id[32], const mpavs_bn254_g1 *sig);

/**
 * Stake status of a digest. Out: signed_stake[i], total_stake[i] for each
 * quorum (arrays of nq, either may be NULL), *met = every quorum meets its
 * threshold, *signers = how many operators signed it.
 * Returns MPAVS_AGG_OK or _ERR_UNKNOWN_DIGEST.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_status(const mpavs_agg *a, bool *met, size_t *signers, mpavs_u256 *signed_stake,
                                                 mpavs_u256 *total_stake, const uint8_t digest[32]);

/** What confirmState needs from the aggregation (besides the indices read from chain). */
typedef struct {
    mpavs_bn254_g1 sigma;              /* aggregate signature (each signer once per quorum) */
    mpavs_bn254_g2 apk_g2;             /* aggregate G2 key of the signers (once per quorum each) */
    mpavs_bn254_g1 quorum_apks[MPAVS_AGG_MAX_QUORUMS]; /* aggregate G1 key of each quorum, in task order */
    size_t nquorums;
    uint8_t (*non_signer_ids)[32];     /* sorted ascending as 256-bit integers (malloc'd) */
    mpavs_bn254_g1 *non_signer_pks;    /* their G1 keys in that order (malloc'd) */
    size_t n_non_signers;
} mpavs_agg_outcome;

/** Release the outcome's arrays. */
MPAVS_API void mpavs_agg_outcome_clear(mpavs_agg_outcome *o);

/**
 * Build the outcome of a digest that meets its thresholds.
 * Out: *o. Returns MPAVS_AGG_OK, _ERR_UNKNOWN_DIGEST, _ERR_THRESHOLD or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_outcome_build(const mpavs_agg *a, mpavs_agg_outcome *o,
                                                        const uint8_t digest[32]);

/**
 * The digest with the most support (highest minimum over quorums of
 * signed/total), for reporting disagreement. Out: digest. Returns
 * MPAVS_AGG_OK or _ERR_UNKNOWN_DIGEST when nothing was signed.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_agg_leading_digest(const mpavs_agg *a, uint8_t digest[32]);

#ifdef __cplusplus
}
#endif
#endif

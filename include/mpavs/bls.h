/*
 * mpavs/bls.h — EigenLayer's BLS signatures on BN254 (BN254.sol, BLSSignatureChecker.sol,
 * BLSApkRegistry.sol, eigensdk-go crypto/bls), aggregation and batch verification.
 *
 * Scheme: secret key sk in [1, r); pk_G1 = sk*G1, pk_G2 = sk*G2;
 * operatorId = keccak256(pk_G1.x || pk_G1.y); a message is a 32-byte hash m;
 * H(m) = BN254.hashToG1(m) (try-and-increment); signature sigma = sk*H(m) in G1;
 * valid iff e(H(m), pk_G2) == e(sigma, G2).
 *
 * Secret keys are 32-byte big-endian numbers. Every function taking one runs in time
 * independent of it. Points are mpavs_bn254_g1/g2 values: they come from
 * mpavs_bn254_g1_decode/g2_decode (which reject coordinates >= p, points off the curve
 * and G2 points outside the subgroup with distinct errors) or from this module, so the
 * functions here never see an invalid point.
 */
#ifndef MPAVS_BLS_H
#define MPAVS_BLS_H

#include "mpavs/bn254.h"
#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_BLS_OK = 0,
    MPAVS_BLS_ERR_SECRET_KEY, /* secret key is 0 or >= r */
    MPAVS_BLS_ERR_RANDOM,     /* the OS CSPRNG failed */
    MPAVS_BLS_ERR_INFINITY,   /* a public key or signature is the point at infinity */
    MPAVS_BLS_ERR_NOMEM,      /* out of memory (batch functions) */
} mpavs_bls_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_bls_strerror(int r);

/**
 * Generate a secret key uniformly in [1, r) from the OS CSPRNG.
 * Out: sk (32 bytes big-endian). Returns OK or ERR_RANDOM (sk wiped).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_keygen(uint8_t sk[32]);

/** Returns OK if sk (32 bytes BE) is in [1, r), else ERR_SECRET_KEY. Constant time. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_sk_check(const uint8_t sk[32]);

/** Out: *pk = sk*G1. Returns OK or ERR_SECRET_KEY (pk then infinity). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_pubkey_g1(mpavs_bn254_g1 *pk, const uint8_t sk[32]);
/** Out: *pk = sk*G2. Returns OK or ERR_SECRET_KEY. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_pubkey_g2(mpavs_bn254_g2 *pk, const uint8_t sk[32]);

/** Out: id = keccak256(x || y) of the G1 public key (BN254.hashG1Point). */
MPAVS_API void mpavs_bls_operator_id(uint8_t id[32], const mpavs_bn254_g1 *pk);

/**
 * BN254.hashToG1(msg): x = msg mod p, then the first x' = x, x+1, ... with
 * beta = x'^3 + 3 a square; y = beta^((p+1)/4) (no sign normalisation).
 * Out: *out. Variable time (the message is public).
 */
MPAVS_API void mpavs_bls_hash_to_g1(mpavs_bn254_g1 *out, const uint8_t msg[32]);

/** Out: *sig = sk*hashToG1(msg). Returns OK or ERR_SECRET_KEY. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_sign(mpavs_bn254_g1 *sig, const uint8_t sk[32], const uint8_t msg[32]);
/** Out: *sig = sk*h for an already hashed point h (key-registration proof of possession). */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_sign_hashed(mpavs_bn254_g1 *sig, const uint8_t sk[32],
                                                      const mpavs_bn254_g1 *h);

/**
 * Verify one signature: *ok = e(H(msg), pk) == e(sig, G2), computed as one 2-pairing
 * product. Returns OK, or ERR_INFINITY when pk or sig is infinity (*ok = false).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_verify(bool *ok, const mpavs_bn254_g2 *pk, const uint8_t msg[32],
                                                 const mpavs_bn254_g1 *sig);
/** As mpavs_bls_verify with an already hashed message point h. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_verify_hashed(bool *ok, const mpavs_bn254_g2 *pk,
                                                        const mpavs_bn254_g1 *h, const mpavs_bn254_g1 *sig);

/** Out: *out = sum of the n points (infinity for n = 0). Variable time: public points only. */
MPAVS_API void mpavs_bls_aggregate_g1(mpavs_bn254_g1 *out, const mpavs_bn254_g1 *pts, size_t n);
/** Out: *out = sum of the n G2 points. Variable time: public points only. */
MPAVS_API void mpavs_bls_aggregate_g2(mpavs_bn254_g2 *out, const mpavs_bn254_g2 *pts, size_t n);

/**
 * gamma of BLSSignatureChecker.trySignatureAndApkVerification:
 * keccak256(msgHash, apk.X, apk.Y, apkG2.X[0], X[1], Y[0], Y[1], sigma.X, sigma.Y) mod r
 * (9 words, G2 in EVM order im, re). Out: gamma (32 bytes BE).
 */
MPAVS_API void mpavs_bls_apk_gamma(uint8_t gamma[32], const uint8_t msg[32], const mpavs_bn254_g1 *apk,
                                   const mpavs_bn254_g2 *apk_g2, const mpavs_bn254_g1 *sigma);

/**
 * The contract's trySignatureAndApkVerification(msgHash, apk, apkG2, sigma), off-chain:
 * *pairing_ok = whether the pairing precompile call succeeds (always true for decoded
 * points), *valid = e(sigma + gamma*apk, -G2) * e(H(msg) + gamma*G1, apkG2) == 1.
 * Returns OK.
 */
MPAVS_API int mpavs_bls_try_signature_and_apk_verification(bool *pairing_ok, bool *valid, const uint8_t msg[32],
                                                           const mpavs_bn254_g1 *apk,
                                                           const mpavs_bn254_g2 *apk_g2,
                                                           const mpavs_bn254_g1 *sigma);

/**
 * RegistryCoordinator.pubkeyRegistrationMessageHash(operator): hashToG1 of the EIP-712
 * digest with domain ("AVSRegistryCoordinator", "v0.0.1", chain_id, coordinator) of
 * BN254PubkeyRegistration(address operator). Out: *out.
 */
MPAVS_API void mpavs_bls_registration_message(mpavs_bn254_g1 *out, uint64_t chain_id,
                                              const uint8_t coordinator[20], const uint8_t operator_addr[20]);

/**
 * gamma of BLSApkRegistry.registerBLSPublicKey: keccak256 of the 10 words
 * (sig.X, sig.Y, pkG1.X, pkG1.Y, pkG2.X[0], X[1], Y[0], Y[1], H.X, H.Y) mod r. Out: gamma.
 */
MPAVS_API void mpavs_bls_pop_gamma(uint8_t gamma[32], const mpavs_bn254_g1 *sig, const mpavs_bn254_g1 *pk_g1,
                                   const mpavs_bn254_g2 *pk_g2, const mpavs_bn254_g1 *h);

/**
 * The proof-of-possession check of registerBLSPublicKey:
 * *ok = e(sig + gamma*pkG1, -G2) * e(H + gamma*G1, pkG2) == 1 and pkG1 is not infinity.
 * Returns OK.
 */
MPAVS_API int mpavs_bls_pop_verify(bool *ok, const mpavs_bn254_g1 *sig, const mpavs_bn254_g1 *pk_g1,
                                   const mpavs_bn254_g2 *pk_g2, const mpavs_bn254_g1 *h);

/**
 * Batch verification of n signatures on the same message: with random 64-bit
 * coefficients c_i (OS CSPRNG), *ok = e(H(msg), sum c_i pk_i) == e(sum c_i sig_i, G2)
 * (2 pairings in total; multi-scalar multiplications for the sums). n = 0 gives true.
 * Returns OK, ERR_INFINITY (a pk or sig is infinity; *ok = false), ERR_RANDOM or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_batch_verify_same_msg(bool *ok, const uint8_t msg[32],
                                                                const mpavs_bn254_g2 *pks,
                                                                const mpavs_bn254_g1 *sigs, size_t n);

/**
 * Batch verification of n signatures on different messages msgs[i] (32 bytes each):
 * *ok = e(-sum c_i sig_i, G2) * prod e(c_i H(msg_i), pk_i) == 1: n+1 Miller loops and one
 * final exponentiation. Same results as mpavs_bls_batch_verify_same_msg.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_batch_verify(bool *ok, const uint8_t (*msgs)[32],
                                                       const mpavs_bn254_g2 *pks, const mpavs_bn254_g1 *sigs,
                                                       size_t n);

/**
 * Find the invalid signatures of a batch by bisection (a batch check on each half of a
 * failing range). msgs: n messages, or NULL with msg set for a same-message batch.
 * Out: bad (capacity n) receives the indexes of invalid signatures in increasing order,
 * *nbad their count. Infinity pks/sigs count as invalid. Returns OK, ERR_RANDOM or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_bls_batch_find_invalid(size_t *bad, size_t *nbad, const uint8_t msg[32],
                                                             const uint8_t (*msgs)[32], const mpavs_bn254_g2 *pks,
                                                             const mpavs_bn254_g1 *sigs, size_t n);

#ifdef __cplusplus
}
#endif
#endif

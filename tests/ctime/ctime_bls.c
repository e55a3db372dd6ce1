/*
 * tests/ctime/ctime_bls.c — secret-taint check of the BLS secret-key paths under valgrind
 * (in the style of libsecp256k1's ctime test): the secret key is marked undefined, so any
 * branch or memory index that depends on it is reported by memcheck, and the run exits 42
 * under `valgrind --error-exitcode=42`. Outputs are declassified before they are used.
 * Outside valgrind the binary refuses to pass (ctime_support.h).
 */
#include <string.h>

#include "ctime_support.h"

#include "mpavs/bls.h"
#include "mpavs/bn254.h"

int main(void) {
    if (ctime_require_valgrind("ctime_bls")) return 1;
    uint8_t sk[32], msg[32], k[32];
    int failures = 0;
    memset(msg, 0x5a, sizeof msg);
    for (int round = 0; round < 3; round++) {
        if (mpavs_bls_keygen(sk) != MPAVS_BLS_OK) return 1;
        if (round == 2) memset(sk, 0, sizeof sk); /* an invalid key takes the same path */

        mpavs_bn254_g1 p1, sig, h;
        mpavs_bn254_g2 p2;
        SECRET(sk, sizeof sk);
        int r1 = mpavs_bls_sk_check(sk);
        int r2 = mpavs_bls_pubkey_g1(&p1, sk);
        int r3 = mpavs_bls_pubkey_g2(&p2, sk);
        int r4 = mpavs_bls_sign(&sig, sk, msg);
        mpavs_bls_hash_to_g1(&h, msg);
        int r5 = mpavs_bls_sign_hashed(&h, sk, &h);
        /* raw constant-time scalar multiplications */
        memcpy(k, sk, sizeof k);
        mpavs_bn254_g1 g;
        mpavs_bn254_g1_generator(&g);
        mpavs_bn254_g1_mul(&g, &g, k);
        /* G2 (4-dimensional GLS): on the generator, then on a point that is itself secret */
        mpavs_bn254_g2 q2, q2b;
        mpavs_bn254_g2_generator(&q2);
        mpavs_bn254_g2_mul(&q2, &q2, k);
        mpavs_bn254_g2_mul(&q2b, &q2, k);
        mpavs_bn254_scalar_reduce(k, k);
        PUBLIC(sk, sizeof sk);
        PUBLIC(k, sizeof k);
        PUBLIC(&r1, sizeof r1);
        PUBLIC(&r2, sizeof r2);
        PUBLIC(&r3, sizeof r3);
        PUBLIC(&r4, sizeof r4);
        PUBLIC(&r5, sizeof r5);
        PUBLIC(&p1, sizeof p1);
        PUBLIC(&p2, sizeof p2);
        PUBLIC(&sig, sizeof sig);
        PUBLIC(&h, sizeof h);
        PUBLIC(&g, sizeof g);
        PUBLIC(&q2, sizeof q2);
        PUBLIC(&q2b, sizeof q2b);
        {
            mpavs_bn254_g2 w;
            mpavs_bn254_g2_mul_var(&w, &q2, k);
            if (!mpavs_bn254_g2_eq(&w, &q2b)) failures++;
        }
        int want = round == 2 ? MPAVS_BLS_ERR_SECRET_KEY : MPAVS_BLS_OK;
        if (r1 != want || r2 != want || r3 != want || r4 != want || r5 != want) failures++;
        if (round == 2 && !(p1.infinity && p2.infinity && sig.infinity)) failures++;
        if (round < 2) {
            bool ok = false;
            if (mpavs_bls_verify(&ok, &p2, msg, &sig) != MPAVS_BLS_OK || !ok) failures++;
        }
    }
    printf("ctime_bls: %d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
    return failures ? 1 : 0;
}

/*
 * libFuzzer target for the BN254 decoders and precompiles. The first byte selects:
 * 0 ecAdd (commutative; a result always re-decodes), 1 ecMul (variable-time and
 * constant-time multiplication agree), 2 ecPairing (at most 3 pairs; result is 0 or 1),
 * 3 G1/G2 decode (an accepted encoding re-encodes to the same bytes).
 */
#include "mpavs/bn254.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t op = data[0] & 3;
    data++;
    size--;
    uint8_t out[64], out2[64], buf[192];
    mpavs_bn254_g1 p, q;
    mpavs_bn254_g2 g;
    switch (op) {
    case 0: {
        int r = mpavs_bn254_ecadd(out, data, size);
        memset(buf, 0, 128);
        memcpy(buf, data, size < 128 ? size : 128);
        uint8_t sw[128];
        memcpy(sw, buf + 64, 64);
        memcpy(sw + 64, buf, 64);
        int r2 = mpavs_bn254_ecadd(out2, sw, 128);
        if ((r == MPAVS_BN254_OK) != (r2 == MPAVS_BN254_OK)) abort();
        if (r == MPAVS_BN254_OK) {
            if (memcmp(out, out2, 64) != 0) abort();
            if (mpavs_bn254_g1_decode(&p, out) != MPAVS_BN254_OK) abort();
        }
        break;
    }
    case 1: {
        int r = mpavs_bn254_ecmul(out, data, size);
        if (r != MPAVS_BN254_OK) break;
        memset(buf, 0, 96);
        memcpy(buf, data, size < 96 ? size : 96);
        if (mpavs_bn254_g1_decode(&p, buf) != MPAVS_BN254_OK) abort();
        mpavs_bn254_g1_mul(&q, &p, buf + 64);
        mpavs_bn254_g1_encode(out2, &q);
        if (memcmp(out, out2, 64) != 0) abort();
        if (mpavs_bn254_g1_decode(&q, out) != MPAVS_BN254_OK) abort();
        break;
    }
    case 2: {
        if (size > 3 * 192) size = 3 * 192;
        uint8_t res[32];
        int r = mpavs_bn254_ecpairing(res, data, size);
        if (r == MPAVS_BN254_OK) {
            for (int i = 0; i < 31; i++)
                if (res[i]) abort();
            if (res[31] > 1) abort();
        } else if (r != MPAVS_BN254_ERR_LENGTH && r != MPAVS_BN254_ERR_NOT_CANONICAL &&
                   r != MPAVS_BN254_ERR_NOT_ON_CURVE && r != MPAVS_BN254_ERR_NOT_IN_SUBGROUP) {
            abort();
        }
        break;
    }
    default: {
        if (size >= 64 && mpavs_bn254_g1_decode(&p, data) == MPAVS_BN254_OK) {
            mpavs_bn254_g1_encode(out, &p);
            if (memcmp(out, data, 64) != 0) abort();
        }
        if (size >= 128 && mpavs_bn254_g2_decode(&g, data) == MPAVS_BN254_OK) {
            uint8_t e[128];
            mpavs_bn254_g2_encode(e, &g);
            if (memcmp(e, data, 128) != 0) abort();
        }
        break;
    }
    }
    return 0;
}

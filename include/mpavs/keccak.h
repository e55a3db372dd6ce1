/*
 * mpavs/keccak.h — Keccak-f[1600] sponge: Ethereum's keccak256 and FIPS 202 SHA3-256.
 *
 * keccak256 is the original Keccak padding (0x01) used by Ethereum; SHA3-256
 * is the FIPS 202 padding (0x06). Both share one permutation.
 */
#ifndef MPAVS_KECCAK_H
#define MPAVS_KECCAK_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Incremental sponge state. Initialise with mpavs_keccak256_init or mpavs_sha3_256_init. */
typedef struct {
    uint64_t a[25];
    size_t pos;    /* bytes absorbed into the current block */
    uint8_t pad;   /* domain padding byte: 0x01 keccak, 0x06 SHA3 */
} mpavs_keccak_ctx;

/** Start a keccak256 computation. Out: ctx. */
MPAVS_API void mpavs_keccak256_init(mpavs_keccak_ctx *ctx);
/** Start a SHA3-256 computation. Out: ctx. */
MPAVS_API void mpavs_sha3_256_init(mpavs_keccak_ctx *ctx);
/** Absorb len bytes at data (data may be NULL when len is 0). In/out: ctx. */
MPAVS_API void mpavs_keccak_update(mpavs_keccak_ctx *ctx, const void *data, size_t len);
/** Finish and write the 32-byte digest to out; the ctx is wiped. */
MPAVS_API void mpavs_keccak_final(mpavs_keccak_ctx *ctx, uint8_t out[32]);

/** One-shot keccak256. Out: out (32 bytes). In: data, len. */
MPAVS_API void mpavs_keccak256(uint8_t out[32], const void *data, size_t len);
/** One-shot SHA3-256. Out: out (32 bytes). In: data, len. */
MPAVS_API void mpavs_sha3_256(uint8_t out[32], const void *data, size_t len);

/** The Keccak-f[1600] permutation on 25 lanes (little-endian lane order). In/out: a. */
MPAVS_API void mpavs_keccak_f1600(uint64_t a[25]);

#ifdef __cplusplus
}
#endif
#endif

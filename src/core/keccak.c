/* Keccak-f[1600] and the keccak256 / SHA3-256 sponges (rate 136 bytes). */
#include "mpavs/keccak.h"

#include <string.h>

#define RATE 136

static const uint64_t RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL(x, n) (((x) << (n)) | ((x) >> (64 - (n))))

void mpavs_keccak_f1600(uint64_t s[25]) {
    uint64_t a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
    uint64_t a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
    uint64_t a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
    uint64_t a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
    uint64_t a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
    for (int r = 0; r < 24; r++) {
        /* theta */
        uint64_t c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
        uint64_t c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
        uint64_t c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
        uint64_t c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
        uint64_t c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
        uint64_t d0 = c4 ^ ROL(c1, 1), d1 = c0 ^ ROL(c2, 1), d2 = c1 ^ ROL(c3, 1);
        uint64_t d3 = c2 ^ ROL(c4, 1), d4 = c3 ^ ROL(c0, 1);
        a00 ^= d0; a05 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0;
        a01 ^= d1; a06 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1;
        a02 ^= d2; a07 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2;
        a03 ^= d3; a08 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3;
        a04 ^= d4; a09 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4;
        /* rho + pi: b[y][2x+3y] = rot(a[x][y]) with lane index x + 5y */
        uint64_t b00 = a00;
        uint64_t b10 = ROL(a01, 1);
        uint64_t b20 = ROL(a02, 62);
        uint64_t b05 = ROL(a03, 28);
        uint64_t b15 = ROL(a04, 27);
        uint64_t b16 = ROL(a05, 36);
        uint64_t b01 = ROL(a06, 44);
        uint64_t b11 = ROL(a07, 6);
        uint64_t b21 = ROL(a08, 55);
        uint64_t b06 = ROL(a09, 20);
        uint64_t b07 = ROL(a10, 3);
        uint64_t b17 = ROL(a11, 10);
        uint64_t b02 = ROL(a12, 43);
        uint64_t b12 = ROL(a13, 25);
        uint64_t b22 = ROL(a14, 39);
        uint64_t b23 = ROL(a15, 41);
        uint64_t b08 = ROL(a16, 45);
        uint64_t b18 = ROL(a17, 15);
        uint64_t b03 = ROL(a18, 21);
        uint64_t b13 = ROL(a19, 8);
        uint64_t b14 = ROL(a20, 18);
        uint64_t b24 = ROL(a21, 2);
        uint64_t b09 = ROL(a22, 61);
        uint64_t b19 = ROL(a23, 56);
        uint64_t b04 = ROL(a24, 14);
        /* chi */
        a00 = b00 ^ (~b01 & b02); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04);
        a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01);
        a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09);
        a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06);
        a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14);
        a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
        a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19);
        a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
        a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24);
        a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);
        /* iota */
        a00 ^= RC[r];
    }
    s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
    s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
    s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
    s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
    s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
}

static void init(mpavs_keccak_ctx *ctx, uint8_t pad) {
    memset(ctx, 0, sizeof *ctx);
    ctx->pad = pad;
}

void mpavs_keccak256_init(mpavs_keccak_ctx *ctx) { init(ctx, 0x01); }
void mpavs_sha3_256_init(mpavs_keccak_ctx *ctx) { init(ctx, 0x06); }

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8); /* x86-64 and every target we build for are little-endian */
    return v;
}

static inline void xor_byte(mpavs_keccak_ctx *ctx, size_t i, uint8_t b) {
    ctx->a[i / 8] ^= (uint64_t)b << (8 * (i % 8));
}

void mpavs_keccak_update(mpavs_keccak_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = data;
    while (len > 0 && ctx->pos != 0) {
        xor_byte(ctx, ctx->pos++, *p++);
        len--;
        if (ctx->pos == RATE) {
            mpavs_keccak_f1600(ctx->a);
            ctx->pos = 0;
        }
    }
    while (len >= RATE) {
        for (int i = 0; i < RATE / 8; i++) ctx->a[i] ^= load64(p + 8 * i);
        mpavs_keccak_f1600(ctx->a);
        p += RATE;
        len -= RATE;
    }
    while (len > 0) {
        xor_byte(ctx, ctx->pos++, *p++);
        len--;
    }
}

void mpavs_keccak_final(mpavs_keccak_ctx *ctx, uint8_t out[32]) {
    xor_byte(ctx, ctx->pos, ctx->pad);
    xor_byte(ctx, RATE - 1, 0x80);
    mpavs_keccak_f1600(ctx->a);
    memcpy(out, ctx->a, 32);
    mpavs_wipe(ctx, sizeof *ctx);
}

void mpavs_keccak256(uint8_t out[32], const void *data, size_t len) {
    mpavs_keccak_ctx c;
    mpavs_keccak256_init(&c);
    mpavs_keccak_update(&c, data, len);
    mpavs_keccak_final(&c, out);
}

void mpavs_sha3_256(uint8_t out[32], const void *data, size_t len) {
    mpavs_keccak_ctx c;
    mpavs_sha3_256_init(&c);
    mpavs_keccak_update(&c, data, len);
    mpavs_keccak_final(&c, out);
}

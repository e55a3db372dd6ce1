/* 256-bit unsigned arithmetic (variable time; public data only). */
#include "mpavs/u256.h"

#include <string.h>
#include <strings.h>

typedef unsigned __int128 u128;

const char *mpavs_u256_strerror(int r) {
    switch (r) {
    case MPAVS_U256_OK: return "ok";
    case MPAVS_U256_ERR_SYNTAX: return "not a decimal or 0x-hex integer";
    case MPAVS_U256_ERR_OVERFLOW: return "integer does not fit in 256 bits";
    case MPAVS_U256_ERR_DIV_ZERO: return "division by zero";
    case MPAVS_U256_ERR_SPACE: return "output buffer too small";
    default: return "unknown u256 error";
    }
}

mpavs_u256 mpavs_u256_from_u64(uint64_t v) {
    mpavs_u256 r = {{v, 0, 0, 0}};
    return r;
}

mpavs_u256 mpavs_u256_from_be32(const uint8_t in[32]) {
    mpavs_u256 r;
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++) v = v << 8 | in[(3 - i) * 8 + j];
        r.w[i] = v;
    }
    return r;
}

void mpavs_u256_to_be32(uint8_t out[32], const mpavs_u256 *a) {
    for (int i = 0; i < 4; i++) {
        uint64_t v = a->w[i];
        for (int j = 7; j >= 0; j--) {
            out[(3 - i) * 8 + j] = (uint8_t)v;
            v >>= 8;
        }
    }
}

int mpavs_u256_from_be(mpavs_u256 *out, const uint8_t *in, size_t len) {
    if (len > 32) return MPAVS_U256_ERR_OVERFLOW;
    uint8_t buf[32] = {0};
    if (len) memcpy(buf + 32 - len, in, len);
    *out = mpavs_u256_from_be32(buf);
    return MPAVS_U256_OK;
}

void mpavs_u256_to_be_min(uint8_t out[32], size_t *len, const mpavs_u256 *a) {
    uint8_t buf[32];
    mpavs_u256_to_be32(buf, a);
    size_t z = 0;
    while (z < 32 && buf[z] == 0) z++;
    memcpy(out, buf + z, 32 - z);
    *len = 32 - z;
}

bool mpavs_u256_is_zero(const mpavs_u256 *a) { return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]); }

int mpavs_u256_cmp(const mpavs_u256 *a, const mpavs_u256 *b) {
    for (int i = 3; i >= 0; i--) {
        if (a->w[i] < b->w[i]) return -1;
        if (a->w[i] > b->w[i]) return 1;
    }
    return 0;
}

unsigned mpavs_u256_bits(const mpavs_u256 *a) {
    for (int i = 3; i >= 0; i--)
        if (a->w[i]) return (unsigned)(64 * i + 64 - __builtin_clzll(a->w[i]));
    return 0;
}

int mpavs_u256_bit(const mpavs_u256 *a, unsigned i) { return i < 256 ? (int)(a->w[i / 64] >> (i % 64) & 1) : 0; }

uint64_t mpavs_u256_add(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128)a->w[i] + b->w[i];
        r->w[i] = (uint64_t)c;
        c >>= 64;
    }
    return (uint64_t)c;
}

uint64_t mpavs_u256_sub(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a->w[i] - b->w[i] - borrow;
        r->w[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 127);
    }
    return borrow;
}

bool mpavs_u256_mul(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b) {
    uint64_t t[8] = {0};
    for (int i = 0; i < 4; i++) {
        u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (u128)a->w[i] * b->w[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + 4] = (uint64_t)c;
    }
    memcpy(r->w, t, 32);
    return (t[4] | t[5] | t[6] | t[7]) != 0;
}

void mpavs_u256_shl(mpavs_u256 *r, const mpavs_u256 *a, unsigned n) {
    mpavs_u256 t = {{0}};
    unsigned limbs = n / 64, bits = n % 64;
    for (int i = 3; i >= (int)limbs; i--) {
        uint64_t v = a->w[i - limbs] << bits;
        if (bits && i - (int)limbs - 1 >= 0) v |= a->w[i - limbs - 1] >> (64 - bits);
        t.w[i] = v;
    }
    *r = t;
}

void mpavs_u256_shr(mpavs_u256 *r, const mpavs_u256 *a, unsigned n) {
    mpavs_u256 t = {{0}};
    unsigned limbs = n / 64, bits = n % 64;
    for (unsigned i = 0; i + limbs < 4; i++) {
        uint64_t v = a->w[i + limbs] >> bits;
        if (bits && i + limbs + 1 < 4) v |= a->w[i + limbs + 1] << (64 - bits);
        t.w[i] = v;
    }
    *r = t;
}

void mpavs_u256_neg(mpavs_u256 *r, const mpavs_u256 *a) {
    mpavs_u256 z = {{0}};
    mpavs_u256_sub(r, &z, a);
}

int mpavs_u256_divmod(mpavs_u256 *q, mpavs_u256 *m, const mpavs_u256 *a, const mpavs_u256 *b) {
    if (mpavs_u256_is_zero(b)) return MPAVS_U256_ERR_DIV_ZERO;
    mpavs_u256 quo = {{0}}, rem = {{0}};
    for (int i = (int)mpavs_u256_bits(a) - 1; i >= 0; i--) {
        mpavs_u256_shl(&rem, &rem, 1);
        rem.w[0] |= (uint64_t)mpavs_u256_bit(a, (unsigned)i);
        if (mpavs_u256_cmp(&rem, b) >= 0) {
            mpavs_u256_sub(&rem, &rem, b);
            quo.w[i / 64] |= 1ULL << (i % 64);
        }
    }
    if (q) *q = quo;
    if (m) *m = rem;
    return MPAVS_U256_OK;
}

/* r = r * mul + add; returns false on overflow */
static bool muladd_small(mpavs_u256 *r, uint64_t mul, uint64_t add) {
    u128 c = add;
    for (int i = 0; i < 4; i++) {
        c += (u128)r->w[i] * mul;
        r->w[i] = (uint64_t)c;
        c >>= 64;
    }
    return c == 0;
}

int mpavs_u256_parse(mpavs_u256 *out, const char *s, size_t len) {
    mpavs_u256 r = {{0}};
    if (len == 0) return MPAVS_U256_ERR_SYNTAX;
    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (len == 2) return MPAVS_U256_ERR_SYNTAX;
        for (size_t i = 2; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = (c | 0x20) - 'a' + 10;
            else return MPAVS_U256_ERR_SYNTAX;
            if (r.w[3] >> 60) return MPAVS_U256_ERR_OVERFLOW;
            mpavs_u256_shl(&r, &r, 4);
            r.w[0] |= (uint64_t)d;
        }
    } else {
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c < '0' || c > '9') return MPAVS_U256_ERR_SYNTAX;
            if (!muladd_small(&r, 10, (uint64_t)(c - '0'))) return MPAVS_U256_ERR_OVERFLOW;
        }
    }
    *out = r;
    return MPAVS_U256_OK;
}

int mpavs_u256_parse_units(mpavs_u256 *out, const char *s, unsigned decimals) {
    MPAVS_REQUIRE(out != NULL && s != NULL && decimals <= 77);
    mpavs_u256 r = {{0}};
    size_t nd = 0, nfrac = 0;
    bool dot = false;
    for (const char *p = s; *p; p++) {
        if (*p == '.' && !dot && decimals > 0) {
            dot = true;
            continue;
        }
        if (*p < '0' || *p > '9') return MPAVS_U256_ERR_SYNTAX;
        if (dot && ++nfrac > decimals) return MPAVS_U256_ERR_SYNTAX;
        if (!muladd_small(&r, 10, (uint64_t)(*p - '0'))) return MPAVS_U256_ERR_OVERFLOW;
        nd++;
    }
    if (!nd) return MPAVS_U256_ERR_SYNTAX;
    for (size_t i = nfrac; i < decimals; i++)
        if (!muladd_small(&r, 10, 0)) return MPAVS_U256_ERR_OVERFLOW;
    *out = r;
    return MPAVS_U256_OK;
}

int mpavs_u256_parse_fee(mpavs_u256 *out, const char *s) {
    MPAVS_REQUIRE(out != NULL && s != NULL);
    size_t n = strlen(s);
    unsigned dec = 0;
    if (n > 4 && !strncasecmp(s + n - 4, "gwei", 4)) n -= 4, dec = 9;
    else if (n > 3 && !strncasecmp(s + n - 3, "wei", 3)) n -= 3;
    char t[100];
    if (n >= sizeof t) return MPAVS_U256_ERR_SYNTAX;
    memcpy(t, s, n);
    t[n] = 0;
    return mpavs_u256_parse_units(out, t, dec);
}

int mpavs_u256_to_dec(char *out, size_t cap, const mpavs_u256 *a) {
    char buf[80];
    size_t n = 0;
    mpavs_u256 t = *a;
    do {
        /* divide t by 10 in place, limb by limb */
        u128 rem = 0;
        for (int i = 3; i >= 0; i--) {
            u128 cur = rem << 64 | t.w[i];
            t.w[i] = (uint64_t)(cur / 10);
            rem = cur % 10;
        }
        buf[n++] = (char)('0' + (int)rem);
    } while (!mpavs_u256_is_zero(&t));
    if (cap < n + 1) {
        if (cap) out[0] = 0;
        return MPAVS_U256_ERR_SPACE;
    }
    for (size_t i = 0; i < n; i++) out[i] = buf[n - 1 - i];
    out[n] = 0;
    return MPAVS_U256_OK;
}

int mpavs_u256_to_hex(char *out, size_t cap, const mpavs_u256 *a) {
    static const char d[] = "0123456789abcdef";
    char buf[70];
    size_t n = 0;
    unsigned bits = mpavs_u256_bits(a);
    unsigned digits = bits ? (bits + 3) / 4 : 1;
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int i = (int)digits - 1; i >= 0; i--) buf[n++] = d[a->w[i / 16] >> (4 * (i % 16)) & 15];
    if (cap < n + 1) {
        if (cap) out[0] = 0;
        return MPAVS_U256_ERR_SPACE;
    }
    memcpy(out, buf, n);
    out[n] = 0;
    return MPAVS_U256_OK;
}

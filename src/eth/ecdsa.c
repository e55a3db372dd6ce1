/* secp256k1 signatures, addresses, EIP-55, EIP-191 and EIP-712 helpers over libsecp256k1. */
#include "mpavs/ecdsa.h"
#include "mpavs/keccak.h"

#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mpavs_ecdsa_ctx {
    secp256k1_context *ctx;
};

/* The group order n and n/2, big-endian. */
static const uint8_t ORDER[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                  0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
static const uint8_t HALF_ORDER[32] = {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d,
                                       0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

const char *mpavs_ecdsa_strerror(int r) {
    switch (r) {
    case MPAVS_ECDSA_OK: return "ok";
    case MPAVS_ECDSA_ERR_SECKEY: return "ecdsa: invalid secret key (zero or not below the group order)";
    case MPAVS_ECDSA_ERR_SIG: return "ecdsa: invalid signature (r or s zero or not below the group order)";
    case MPAVS_ECDSA_ERR_HIGH_S: return "ecdsa: signature has high s (above n/2)";
    case MPAVS_ECDSA_ERR_RECID: return "ecdsa: invalid recovery id / v";
    case MPAVS_ECDSA_ERR_RECOVER: return "ecdsa: no public key recovers from this signature";
    case MPAVS_ECDSA_ERR_PUBKEY: return "ecdsa: invalid public key";
    case MPAVS_ECDSA_ERR_ADDRESS: return "ecdsa: address must be 0x followed by 40 hex digits";
    case MPAVS_ECDSA_ERR_CHECKSUM: return "ecdsa: bad EIP-55 address checksum";
    case MPAVS_ECDSA_ERR_RANDOM: return "ecdsa: no randomness from the OS";
    case MPAVS_ECDSA_ERR_INTERNAL: return "ecdsa: internal error";
    default: return "ecdsa: unknown error";
    }
}

mpavs_ecdsa_ctx *mpavs_ecdsa_ctx_create(void) {
    mpavs_ecdsa_ctx *c = malloc(sizeof *c);
    if (!c) return NULL;
    c->ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    uint8_t seed[32];
    if (!c->ctx || mpavs_random_bytes(seed, sizeof seed) != 0 ||
        !secp256k1_context_randomize(c->ctx, seed)) {
        mpavs_wipe(seed, sizeof seed);
        if (c->ctx) secp256k1_context_destroy(c->ctx);
        free(c);
        return NULL;
    }
    mpavs_wipe(seed, sizeof seed);
    return c;
}

void mpavs_ecdsa_ctx_destroy(mpavs_ecdsa_ctx *ctx) {
    if (!ctx) return;
    secp256k1_context_destroy(ctx->ctx);
    free(ctx);
}

int mpavs_ecdsa_seckey_verify(const mpavs_ecdsa_ctx *ctx, bool *ok, const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && ok != NULL && seckey != NULL);
    *ok = secp256k1_ec_seckey_verify(ctx->ctx, seckey) == 1;
    return MPAVS_ECDSA_OK;
}

int mpavs_ecdsa_seckey_generate(const mpavs_ecdsa_ctx *ctx, uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && seckey != NULL);
    for (int tries = 0; tries < 64; tries++) {
        if (mpavs_random_bytes(seckey, 32) != 0) return MPAVS_ECDSA_ERR_RANDOM;
        if (secp256k1_ec_seckey_verify(ctx->ctx, seckey)) return MPAVS_ECDSA_OK;
    }
    mpavs_wipe(seckey, 32);
    return MPAVS_ECDSA_ERR_RANDOM; /* 64 keys >= n in a row: the RNG is broken */
}

int mpavs_ecdsa_pubkey_from_seckey(const mpavs_ecdsa_ctx *ctx, mpavs_ecdsa_pubkey *pub,
                              const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && pub != NULL && seckey != NULL);
    memset(pub, 0, sizeof *pub);
    secp256k1_pubkey pk;
    if (!secp256k1_ec_pubkey_create(ctx->ctx, &pk, seckey)) return MPAVS_ECDSA_ERR_SECKEY;
    uint8_t out[65];
    size_t len = sizeof out;
    if (!secp256k1_ec_pubkey_serialize(ctx->ctx, out, &len, &pk, SECP256K1_EC_UNCOMPRESSED) ||
        len != 65)
        return MPAVS_ECDSA_ERR_INTERNAL;
    memcpy(pub->bytes, out + 1, 64);
    return MPAVS_ECDSA_OK;
}

void mpavs_ecdsa_pubkey_to_address(mpavs_address *addr, const mpavs_ecdsa_pubkey *pub) {
    MPAVS_REQUIRE(addr != NULL && pub != NULL);
    uint8_t h[32];
    mpavs_keccak256(h, pub->bytes, 64);
    memcpy(addr->bytes, h + 12, 20);
}

int mpavs_ecdsa_seckey_to_address(const mpavs_ecdsa_ctx *ctx, mpavs_address *addr,
                                  const uint8_t seckey[32]) {
    MPAVS_REQUIRE(addr != NULL);
    mpavs_ecdsa_pubkey pub;
    int r = mpavs_ecdsa_pubkey_from_seckey(ctx, &pub, seckey);
    if (r) {
        memset(addr, 0, sizeof *addr);
        return r;
    }
    mpavs_ecdsa_pubkey_to_address(addr, &pub);
    return MPAVS_ECDSA_OK;
}

int mpavs_ecdsa_sign(const mpavs_ecdsa_ctx *ctx, mpavs_ecdsa_sig *sig, const uint8_t hash[32],
                     const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && sig != NULL && hash != NULL && seckey != NULL);
    memset(sig, 0, sizeof *sig);
    secp256k1_ecdsa_recoverable_signature rs;
    /* NULL nonce function = RFC 6979 with HMAC-SHA256; the result is always low-s. */
    if (!secp256k1_ecdsa_sign_recoverable(ctx->ctx, &rs, hash, seckey, NULL, NULL))
        return MPAVS_ECDSA_ERR_SECKEY;
    uint8_t compact[64];
    int recid = 0;
    if (!secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx->ctx, compact, &recid, &rs) ||
        recid < 0 || recid > 1) /* recid 2/3 (r >= p - n) has negligible probability */
        return MPAVS_ECDSA_ERR_INTERNAL;
    memcpy(sig->r, compact, 32);
    memcpy(sig->s, compact + 32, 32);
    sig->recid = (uint8_t)recid;
    return MPAVS_ECDSA_OK;
}

static bool is_zero32(const uint8_t *a) {
    uint8_t d = 0;
    for (int i = 0; i < 32; i++) d |= a[i];
    return d == 0;
}

int mpavs_ecdsa_recover(const mpavs_ecdsa_ctx *ctx, mpavs_ecdsa_pubkey *pub,
                        const mpavs_ecdsa_sig *sig, const uint8_t hash[32]) {
    MPAVS_REQUIRE(ctx != NULL && pub != NULL && sig != NULL && hash != NULL);
    memset(pub, 0, sizeof *pub);
    if (sig->recid > 1) return MPAVS_ECDSA_ERR_RECID;
    if (is_zero32(sig->r) || is_zero32(sig->s) || memcmp(sig->r, ORDER, 32) >= 0 ||
        memcmp(sig->s, ORDER, 32) >= 0)
        return MPAVS_ECDSA_ERR_SIG;
    if (memcmp(sig->s, HALF_ORDER, 32) > 0) return MPAVS_ECDSA_ERR_HIGH_S;
    uint8_t compact[64];
    memcpy(compact, sig->r, 32);
    memcpy(compact + 32, sig->s, 32);
    secp256k1_ecdsa_recoverable_signature rs;
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx->ctx, &rs, compact, sig->recid))
        return MPAVS_ECDSA_ERR_SIG;
    secp256k1_pubkey pk;
    if (!secp256k1_ecdsa_recover(ctx->ctx, &pk, &rs, hash)) return MPAVS_ECDSA_ERR_RECOVER;
    uint8_t out[65];
    size_t len = sizeof out;
    if (!secp256k1_ec_pubkey_serialize(ctx->ctx, out, &len, &pk, SECP256K1_EC_UNCOMPRESSED) ||
        len != 65)
        return MPAVS_ECDSA_ERR_INTERNAL;
    memcpy(pub->bytes, out + 1, 64);
    return MPAVS_ECDSA_OK;
}

int mpavs_ecdsa_recover_address(const mpavs_ecdsa_ctx *ctx, mpavs_address *addr,
                                const mpavs_ecdsa_sig *sig, const uint8_t hash[32]) {
    MPAVS_REQUIRE(addr != NULL);
    mpavs_ecdsa_pubkey pub;
    int r = mpavs_ecdsa_recover(ctx, &pub, sig, hash);
    if (r) {
        memset(addr, 0, sizeof *addr);
        return r;
    }
    mpavs_ecdsa_pubkey_to_address(addr, &pub);
    return MPAVS_ECDSA_OK;
}

int mpavs_ecdsa_verify_address(const mpavs_ecdsa_ctx *ctx, bool *ok, const mpavs_ecdsa_sig *sig,
                               const uint8_t hash[32], const mpavs_address *expected) {
    MPAVS_REQUIRE(ok != NULL && expected != NULL);
    *ok = false;
    mpavs_address a;
    int r = mpavs_ecdsa_recover_address(ctx, &a, sig, hash);
    if (r == MPAVS_ECDSA_ERR_RECOVER || r == MPAVS_ECDSA_ERR_HIGH_S) return MPAVS_ECDSA_OK;
    if (r) return r;
    *ok = memcmp(a.bytes, expected->bytes, 20) == 0;
    return MPAVS_ECDSA_OK;
}

void mpavs_ecdsa_sig_serialize(uint8_t out[65], const mpavs_ecdsa_sig *sig) {
    MPAVS_REQUIRE(out != NULL && sig != NULL && sig->recid <= 1);
    memcpy(out, sig->r, 32);
    memcpy(out + 32, sig->s, 32);
    out[64] = (uint8_t)(27 + sig->recid);
}

int mpavs_ecdsa_sig_parse(mpavs_ecdsa_sig *sig, const uint8_t in[65]) {
    MPAVS_REQUIRE(sig != NULL && in != NULL);
    memset(sig, 0, sizeof *sig);
    uint8_t v = in[64];
    if (v >= 27) v = (uint8_t)(v - 27);
    if (v > 1) return MPAVS_ECDSA_ERR_RECID;
    memcpy(sig->r, in, 32);
    memcpy(sig->s, in + 32, 32);
    sig->recid = v;
    return MPAVS_ECDSA_OK;
}

/* ------------------------------------------------------------ addresses */

static const char HEXL[] = "0123456789abcdef";

void mpavs_address_to_checksum(char out[43], const mpavs_address *addr) {
    MPAVS_REQUIRE(out != NULL && addr != NULL);
    char low[40];
    for (int i = 0; i < 20; i++) {
        low[2 * i] = HEXL[addr->bytes[i] >> 4];
        low[2 * i + 1] = HEXL[addr->bytes[i] & 15];
    }
    uint8_t h[32];
    mpavs_keccak256(h, low, 40);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 40; i++) {
        int nib = (i & 1) ? (h[i / 2] & 15) : (h[i / 2] >> 4);
        char c = low[i];
        if (c >= 'a' && nib >= 8) c = (char)(c - 'a' + 'A');
        out[2 + i] = c;
    }
    out[42] = 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode; lower and upper tell whether lower/upper-case letters occur. */
static int parse_raw(mpavs_address *addr, const char *s, bool *lower, bool *upper,
                     const char **digits) {
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    if (strlen(s) != 40) return MPAVS_ECDSA_ERR_ADDRESS;
    *lower = *upper = false;
    for (int i = 0; i < 40; i++) {
        int v = hexval(s[i]);
        if (v < 0) return MPAVS_ECDSA_ERR_ADDRESS;
        if (s[i] >= 'a' && s[i] <= 'f') *lower = true;
        if (s[i] >= 'A' && s[i] <= 'F') *upper = true;
        if (i & 1)
            addr->bytes[i / 2] |= (uint8_t)v;
        else
            addr->bytes[i / 2] = (uint8_t)(v << 4);
    }
    *digits = s;
    return MPAVS_ECDSA_OK;
}

int mpavs_address_parse(mpavs_address *addr, const char *s) {
    MPAVS_REQUIRE(addr != NULL && s != NULL);
    bool lower, upper;
    const char *d;
    int r = parse_raw(addr, s, &lower, &upper, &d);
    if (r) {
        memset(addr, 0, sizeof *addr);
        return r;
    }
    if (lower && upper) {
        char cs[43];
        mpavs_address_to_checksum(cs, addr);
        if (memcmp(cs + 2, d, 40) != 0) {
            memset(addr, 0, sizeof *addr);
            return MPAVS_ECDSA_ERR_CHECKSUM;
        }
    }
    return MPAVS_ECDSA_OK;
}

int mpavs_address_checksum_verify(bool *ok, const char *s) {
    MPAVS_REQUIRE(ok != NULL && s != NULL);
    *ok = false;
    mpavs_address a;
    bool lower, upper;
    const char *d;
    int r = parse_raw(&a, s, &lower, &upper, &d);
    if (r) return r;
    char cs[43];
    mpavs_address_to_checksum(cs, &a);
    *ok = memcmp(cs + 2, d, 40) == 0;
    return MPAVS_ECDSA_OK;
}

/* ------------------------------------------------------------ EIP-191 / EIP-712 */

void mpavs_eip191_hash(uint8_t out[32], const void *msg, size_t len) {
    MPAVS_REQUIRE(out != NULL && (msg != NULL || len == 0));
    static const char prefix[] = "\x19" "Ethereum Signed Message:\n";
    char num[24];
    int n = snprintf(num, sizeof num, "%zu", len);
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    mpavs_keccak_update(&k, prefix, sizeof prefix - 1);
    mpavs_keccak_update(&k, num, (size_t)n);
    mpavs_keccak_update(&k, msg, len);
    mpavs_keccak_final(&k, out);
}

void mpavs_eip712_domain_separator(uint8_t out[32], const char *name, const char *version,
                                   const mpavs_u256 *chain_id,
                                   const mpavs_address *verifying_contract) {
    MPAVS_REQUIRE(out != NULL && name != NULL && version != NULL && chain_id != NULL &&
                  verifying_contract != NULL);
    static const char type[] =
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    uint8_t words[5][32];
    mpavs_keccak256(words[0], type, sizeof type - 1);
    mpavs_keccak256(words[1], name, strlen(name));
    mpavs_keccak256(words[2], version, strlen(version));
    mpavs_u256_to_be32(words[3], chain_id);
    memset(words[4], 0, 12);
    memcpy(words[4] + 12, verifying_contract->bytes, 20);
    mpavs_keccak256(out, words, sizeof words);
}

void mpavs_eip712_digest(uint8_t out[32], const uint8_t domain_separator[32],
                         const uint8_t struct_hash[32]) {
    MPAVS_REQUIRE(out != NULL && domain_separator != NULL && struct_hash != NULL);
    uint8_t buf[66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    memcpy(buf + 2, domain_separator, 32);
    memcpy(buf + 34, struct_hash, 32);
    mpavs_keccak256(out, buf, sizeof buf);
}

/*
 * mpavs/ecdsa.h — Ethereum's secp256k1 signatures through libsecp256k1:
 * recoverable low-s signatures (RFC 6979 deterministic nonces), public key
 * recovery, addresses and their EIP-55 checksums, EIP-191 personal-message
 * hashing and EIP-712 typed-data digests.
 *
 * A context (mpavs_ecdsa_ctx) wraps a libsecp256k1 context randomized with
 * OS randomness (side-channel blinding). Create one per thread (or guard it):
 * signing does not modify it, but mpavs_ecdsa_ctx_create/_destroy must not
 * race with its use.
 *
 * Secret keys are 32 big-endian bytes; the caller owns and wipes them. This
 * module wipes every copy it makes. Signing is constant-time (libsecp256k1).
 */
#ifndef MPAVS_ECDSA_H
#define MPAVS_ECDSA_H

#include "mpavs/common.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_ECDSA_OK = 0,
    MPAVS_ECDSA_ERR_SECKEY,   /* secret key is zero or not below the group order */
    MPAVS_ECDSA_ERR_SIG,      /* r or s is zero or not below the group order */
    MPAVS_ECDSA_ERR_HIGH_S,   /* s is above n/2 (Ethereum accepts only low-s) */
    MPAVS_ECDSA_ERR_RECID,    /* recovery id / v value out of range */
    MPAVS_ECDSA_ERR_RECOVER,  /* no public key recovers from this signature and hash */
    MPAVS_ECDSA_ERR_PUBKEY,   /* bytes are not a point on the curve */
    MPAVS_ECDSA_ERR_ADDRESS,  /* not "0x" + 40 hex digits */
    MPAVS_ECDSA_ERR_CHECKSUM, /* a mixed-case address whose EIP-55 checksum is wrong */
    MPAVS_ECDSA_ERR_RANDOM,   /* the OS gave no randomness */
    MPAVS_ECDSA_ERR_INTERNAL, /* libsecp256k1 refused an operation it should not */
} mpavs_ecdsa_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_ecdsa_strerror(int r);

/** A 20-byte Ethereum address. */
typedef struct {
    uint8_t bytes[20];
} mpavs_address;

/** An uncompressed public key without its 0x04 prefix: X ‖ Y, 32 bytes each, big-endian. */
typedef struct {
    uint8_t bytes[64];
} mpavs_ecdsa_pubkey;

/** A recoverable signature: r, s (big-endian) and the recovery id (y parity) 0 or 1. */
typedef struct {
    uint8_t r[32];
    uint8_t s[32];
    uint8_t recid;
} mpavs_ecdsa_sig;

/** Opaque context (a randomized libsecp256k1 context). */
typedef struct mpavs_ecdsa_ctx mpavs_ecdsa_ctx;

/** Create a context randomized with OS randomness. Returns NULL if out of memory or randomness. */
MPAVS_API mpavs_ecdsa_ctx *mpavs_ecdsa_ctx_create(void);
/** Destroy a context (NULL is allowed). */
MPAVS_API void mpavs_ecdsa_ctx_destroy(mpavs_ecdsa_ctx *ctx);

/**
 * Check a secret key. Out: *ok = true iff 0 < seckey < n.
 * Returns MPAVS_ECDSA_OK (the check was made).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_seckey_verify(const mpavs_ecdsa_ctx *ctx, bool *ok,
                                                          const uint8_t seckey[32]);

/**
 * Generate a fresh secret key from the OS CSPRNG. Out: seckey (wipe it after use).
 * Returns MPAVS_ECDSA_OK or MPAVS_ECDSA_ERR_RANDOM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_seckey_generate(const mpavs_ecdsa_ctx *ctx,
                                                            uint8_t seckey[32]);

/**
 * Public key of a secret key. Out: pub. In: seckey.
 * Returns MPAVS_ECDSA_OK or MPAVS_ECDSA_ERR_SECKEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_pubkey_from_seckey(const mpavs_ecdsa_ctx *ctx,
                                                          mpavs_ecdsa_pubkey *pub,
                                                          const uint8_t seckey[32]);

/** Address of a public key: the last 20 bytes of keccak256(X ‖ Y). Out: addr. */
MPAVS_API void mpavs_ecdsa_pubkey_to_address(mpavs_address *addr, const mpavs_ecdsa_pubkey *pub);

/**
 * Address of a secret key. Out: addr. In: seckey.
 * Returns MPAVS_ECDSA_OK or MPAVS_ECDSA_ERR_SECKEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_seckey_to_address(const mpavs_ecdsa_ctx *ctx,
                                                              mpavs_address *addr,
                                                              const uint8_t seckey[32]);

/**
 * Sign a 32-byte hash: RFC 6979 nonce, low-s, with recovery id (the same
 * signature geth, cast and ethers produce). Out: sig. In: hash, seckey.
 * Returns MPAVS_ECDSA_OK or MPAVS_ECDSA_ERR_SECKEY (sig is then zeroed).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_sign(const mpavs_ecdsa_ctx *ctx, mpavs_ecdsa_sig *sig,
                                                 const uint8_t hash[32], const uint8_t seckey[32]);

/**
 * Recover the public key that signed hash. Out: pub. In: sig, hash.
 * High-s signatures are rejected (MPAVS_ECDSA_ERR_HIGH_S), as Ethereum does
 * for transactions and ecrecover-based checks built on OpenZeppelin.
 * Returns MPAVS_ECDSA_OK, _ERR_SIG, _ERR_HIGH_S, _ERR_RECID or _ERR_RECOVER.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_recover(const mpavs_ecdsa_ctx *ctx,
                                                    mpavs_ecdsa_pubkey *pub,
                                                    const mpavs_ecdsa_sig *sig,
                                                    const uint8_t hash[32]);

/** As mpavs_ecdsa_recover, giving the signer's address. Out: addr. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_recover_address(const mpavs_ecdsa_ctx *ctx,
                                                            mpavs_address *addr,
                                                            const mpavs_ecdsa_sig *sig,
                                                            const uint8_t hash[32]);

/**
 * Verify that sig over hash was made by the key of address expected.
 * Out: *ok (true iff the recovered address equals expected).
 * Returns MPAVS_ECDSA_OK when the check was made (ok false for a signature
 * that recovers to another address or to none, or has a high s) or
 * _ERR_SIG/_ERR_RECID for a malformed signature (r or s out of range, bad recid).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_verify_address(const mpavs_ecdsa_ctx *ctx, bool *ok,
                                                           const mpavs_ecdsa_sig *sig,
                                                           const uint8_t hash[32],
                                                           const mpavs_address *expected);

/** The 65-byte r ‖ s ‖ v form with v = 27 + recid (eth_sign, personal_sign, EIP-712). */
MPAVS_API void mpavs_ecdsa_sig_serialize(uint8_t out[65], const mpavs_ecdsa_sig *sig);
/**
 * Parse r ‖ s ‖ v where v is 0, 1, 27 or 28. Out: sig. Range of r and s is
 * checked at recovery. Returns MPAVS_ECDSA_OK or MPAVS_ECDSA_ERR_RECID.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_ecdsa_sig_parse(mpavs_ecdsa_sig *sig, const uint8_t in[65]);

/**
 * EIP-55 checksummed text of an address: "0x" + 40 hex digits, NUL-terminated.
 * Out: out (43 bytes).
 */
MPAVS_API void mpavs_address_to_checksum(char out[43], const mpavs_address *addr);

/**
 * Parse an address: optional "0x", then exactly 40 hex digits. All-lowercase
 * and all-uppercase text is accepted as is; mixed case must carry a correct
 * EIP-55 checksum. Out: addr. In: s (NUL-terminated).
 * Returns MPAVS_ECDSA_OK, _ERR_ADDRESS or _ERR_CHECKSUM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_address_parse(mpavs_address *addr, const char *s);

/**
 * Check the EIP-55 checksum of text. Out: *ok = true iff s is "0x" + 40
 * hex digits whose letter case is exactly the checksum's.
 * Returns MPAVS_ECDSA_OK, or _ERR_ADDRESS if s is not an address at all.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_address_checksum_verify(bool *ok, const char *s);

/**
 * EIP-191 personal-message hash:
 * keccak256("\x19Ethereum Signed Message:\n" ‖ decimal(len) ‖ msg).
 * Out: out. In: msg, len (msg may be NULL when len is 0).
 */
MPAVS_API void mpavs_eip191_hash(uint8_t out[32], const void *msg, size_t len);

/**
 * EIP-712 domain separator for
 * EIP712Domain(string name,string version,uint256 chainId,address verifyingContract):
 * keccak256(typeHash ‖ keccak256(name) ‖ keccak256(version) ‖ chainId ‖ verifyingContract),
 * each field a 32-byte ABI word. Out: out. In: name, version (NUL-terminated UTF-8),
 * chain_id, verifying_contract.
 */
MPAVS_API void mpavs_eip712_domain_separator(uint8_t out[32], const char *name, const char *version,
                                             const mpavs_u256 *chain_id,
                                             const mpavs_address *verifying_contract);

/**
 * EIP-712 digest: keccak256(0x19 0x01 ‖ domain_separator ‖ struct_hash).
 * Out: out. In: domain_separator, struct_hash.
 */
MPAVS_API void mpavs_eip712_digest(uint8_t out[32], const uint8_t domain_separator[32],
                                   const uint8_t struct_hash[32]);

#ifdef __cplusplus
}
#endif
#endif

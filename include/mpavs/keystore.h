/*
 * mpavs/keystore.h — Web3 Secret Storage v3 key files (the format of geth,
 * cast and eigenlayer-cli) and the eigensdk BLS key file (the same "crypto"
 * container with a "pubKey" string instead of address/id/version).
 *
 *   derivedKey = scrypt(password, salt, n, r, p, 32)       (kdf "scrypt")
 *              | PBKDF2-HMAC-SHA256(password, salt, c, 32)   (kdf "pbkdf2", read only)
 *   ciphertext = AES-128-CTR(key = derivedKey[0:16], iv, secret)
 *   mac        = keccak256(derivedKey[16:32] ‖ ciphertext)  (checked in constant time)
 *
 * Files are written with mode 0600 and never overwrite an existing file.
 * JSON is produced and parsed with jansson. Secrets and derived keys are
 * wiped after use.
 */
#ifndef MPAVS_KEYSTORE_H
#define MPAVS_KEYSTORE_H

#include "mpavs/bn254.h"
#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_KEYSTORE_OK = 0,
    MPAVS_KEYSTORE_ERR_JSON,        /* not JSON, or not a JSON object */
    MPAVS_KEYSTORE_ERR_FORMAT,      /* a required field is missing or of the wrong type / hex / length */
    MPAVS_KEYSTORE_ERR_UNSUPPORTED, /* cipher, kdf, prf or version not supported */
    MPAVS_KEYSTORE_ERR_PARAMS,      /* kdf parameters out of the accepted range */
    MPAVS_KEYSTORE_ERR_MAC,         /* MAC mismatch: wrong password or corrupted file */
    MPAVS_KEYSTORE_ERR_CRYPTO,      /* OpenSSL failed (e.g. out of memory for scrypt) */
    MPAVS_KEYSTORE_ERR_RANDOM,      /* no randomness from the OS */
    MPAVS_KEYSTORE_ERR_IO,          /* cannot read or write the file */
    MPAVS_KEYSTORE_ERR_EXISTS,      /* the output file already exists */
    MPAVS_KEYSTORE_ERR_SPACE,       /* the secret does not fit the output buffer */
    MPAVS_KEYSTORE_ERR_NOT_BLS,     /* not an eigensdk BLS key file (no pubKey, secret over 32 bytes) */
    MPAVS_KEYSTORE_ERR_BAD_KEY,     /* the BLS secret key is zero mod r, or a pubKey text is not a G1 point */
} mpavs_keystore_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_keystore_strerror(int r);

/** Default scrypt parameters (geth's StandardScryptN/P). */
#define MPAVS_KEYSTORE_SCRYPT_N 262144u
#define MPAVS_KEYSTORE_SCRYPT_R 8u
#define MPAVS_KEYSTORE_SCRYPT_P 1u
/** Largest scrypt memory (128 * n * r * p bytes) accepted when reading a file: 1 GiB. */
#define MPAVS_KEYSTORE_SCRYPT_MAXMEM (1ull << 30)
/** Largest secret a key file may hold. */
#define MPAVS_KEYSTORE_MAX_SECRET 64

/** How to write a key file. Zeroed fields take their defaults. */
typedef struct {
    uint32_t scrypt_n; /* power of two >= 2; 0 = MPAVS_KEYSTORE_SCRYPT_N */
    uint32_t scrypt_r; /* 0 = 8 */
    uint32_t scrypt_p; /* 0 = 1 */
    /* Layout. pubkey non-NULL: eigensdk BLS file {"pubKey": pubkey, "crypto": ...}.
     * Otherwise the ECDSA layout {"address": ..., "crypto": ..., "id": uuid4, "version": 3},
     * with "address" (40 hex digits, no 0x) only when has_address. */
    const char *pubkey;
    bool has_address;
    uint8_t address[20];
} mpavs_keystore_options;

/**
 * Encrypt a secret into key-file JSON (random salt, IV and id).
 * Out: *json (malloc'd NUL-terminated text; free() it).
 * In:  secret, secret_len (1..MPAVS_KEYSTORE_MAX_SECRET), password, password_len,
 *      opts (NULL = defaults, ECDSA layout without address).
 * Returns MPAVS_KEYSTORE_OK, _ERR_PARAMS (bad scrypt parameters), _ERR_RANDOM
 * or _ERR_CRYPTO (*json is then NULL).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_encrypt(char **json, const uint8_t *secret,
                                                       size_t secret_len, const char *password,
                                                       size_t password_len,
                                                       const mpavs_keystore_options *opts);

/** What a key file says besides its secret (filled by mpavs_keystore_decrypt). */
typedef struct {
    char *pubkey;        /* the "pubKey" string (malloc'd) or NULL when absent */
    bool has_address;    /* an "address" field of 40 hex digits was present */
    uint8_t address[20];
    bool is_pbkdf2;      /* kdf was pbkdf2 rather than scrypt */
} mpavs_keystore_info;

/** Free what mpavs_keystore_info holds (the struct itself is the caller's). */
MPAVS_API void mpavs_keystore_info_clear(mpavs_keystore_info *info);

/**
 * Decrypt key-file JSON. Accepts "version": 3 or no version field (the
 * eigensdk BLS layout), cipher aes-128-ctr, kdf scrypt (n a power of two,
 * 128*n*r*p <= MPAVS_KEYSTORE_SCRYPT_MAXMEM, dklen 32) or pbkdf2 (prf
 * hmac-sha256, 1 <= c <= 10^8, dklen 32). Numbers may be integers or
 * integral floats.
 * Out: secret (cap bytes), *secret_len, info (may be NULL; clear it after).
 * In:  json, json_len, password, password_len.
 * Returns MPAVS_KEYSTORE_OK, _ERR_MAC for a wrong password, or another
 * error naming what is wrong; on error secret is wiped and info is empty.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_decrypt(uint8_t *secret, size_t cap,
                                                       size_t *secret_len,
                                                       mpavs_keystore_info *info,
                                                       const char *json, size_t json_len,
                                                       const char *password, size_t password_len);

/**
 * Write text to a new file with mode 0600 (O_CREAT|O_EXCL: never overwrites).
 * In: path, text. Returns MPAVS_KEYSTORE_OK, _ERR_EXISTS or _ERR_IO.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_write_file(const char *path, const char *text);

/**
 * Read a key file (at most 1 MiB). Out: *text (malloc'd, NUL-terminated;
 * free() it), *len. Returns MPAVS_KEYSTORE_OK or _ERR_IO.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_read_file(char **text, size_t *len, const char *path);

/**
 * Geth-style file name for an address at time t (UTC):
 * "UTC--2006-01-02T15-04-05.000000000Z--<40 hex>". Out: out (cap >= 80).
 * Returns MPAVS_KEYSTORE_OK or _ERR_SPACE.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_filename(char *out, size_t cap,
                                                        const uint8_t address[20], int64_t t);

/* ---------------- eigensdk BLS key files (src/keystore/bls_keyfile.c) ----------------
 *
 * An eigensdk BLS key file is a v3 keystore whose secret is the BN254 scalar (big-endian, at
 * most 32 bytes, reduced mod r as gnark's fr.Element.SetBytes does) with a "pubKey" member
 * holding the G1 public key as gnark prints it. These functions are the one loader every caller
 * (the CLI, the operator daemon, the tests) uses, so a file gets one verdict everywhere.
 */

/**
 * The eigensdk "pubKey" text of a G1 point: "E([x,y])" with x and y in decimal as gnark's
 * fp.Element.Text(10) prints them (a value v with p - v <= 65535 prints as "-(p - v)").
 * Out: out (cap >= 200). Returns OK or ERR_SPACE (cap too small).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_bls_pubkey_text(char *out, size_t cap, const mpavs_bn254_g1 *pk);

/**
 * Parse an eigensdk "pubKey" text ("E([x,y])", decimal, "-k" meaning p - k) into a point on
 * the curve. Out: *pk. Returns OK or ERR_BAD_KEY.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_bls_pubkey_parse(mpavs_bn254_g1 *pk, const char *text);

/**
 * Encrypt a BLS secret key into eigensdk key-file JSON ({"pubKey": ..., "crypto": ...}, scrypt
 * with n = scrypt_n or the default when 0, r = 8, p = 1). Out: *json (malloc'd; free()).
 * Returns OK, ERR_BAD_KEY (zero or invalid key), ERR_PARAMS (bad scrypt n), ERR_RANDOM or
 * ERR_CRYPTO.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_bls_encrypt(char **json, const uint8_t sk[32], const char *password,
                                                           size_t password_len, uint32_t scrypt_n);

/**
 * Decrypt eigensdk key-file JSON into the BLS secret key (big-endian plaintext reduced mod r,
 * as eigensdk). The file's pubKey member must be present; *pub_matches tells whether it names
 * the key's G1 point (eigensdk ignores it: the keys are recomputed from sk).
 * Out: sk (zero on failure), *pub_matches (may be NULL); *err (may be NULL; module "keystore")
 * gets the code and a one-line reason on failure. Returns OK, ERR_MAC (wrong password or corrupted file), ERR_NOT_BLS,
 * ERR_BAD_KEY (zero key), or an mpavs_keystore_decrypt error (ERR_JSON, ERR_FORMAT, ...).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_bls_decrypt(uint8_t sk[32], bool *pub_matches, mpavs_error *err,
                                                           const char *json, size_t len, const char *password,
                                                           size_t password_len);

/**
 * Read the key file at path (mpavs_keystore_read_file) and decrypt it (mpavs_keystore_bls_decrypt).
 * Out: sk (zero on failure), *pub_matches (may be NULL), err (may be NULL) as there.
 * Returns ERR_IO (unreadable) or what mpavs_keystore_bls_decrypt returns.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_keystore_bls_load(uint8_t sk[32], bool *pub_matches, mpavs_error *err,
                                                        const char *path, const char *password, size_t password_len);

#ifdef __cplusplus
}
#endif
#endif

/* Web3 Secret Storage v3 and eigensdk BLS key files: scrypt/PBKDF2, AES-128-CTR, keccak MAC. */
#include "mpavs/keystore.h"
#include "keystore/scrypt.h"
#include "util/ct.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *mpavs_keystore_strerror(int r) {
    switch (r) {
    case MPAVS_KEYSTORE_OK: return "ok";
    case MPAVS_KEYSTORE_ERR_JSON: return "keystore: not a JSON object";
    case MPAVS_KEYSTORE_ERR_FORMAT: return "keystore: missing or malformed field";
    case MPAVS_KEYSTORE_ERR_UNSUPPORTED: return "keystore: unsupported cipher, kdf, prf or version";
    case MPAVS_KEYSTORE_ERR_PARAMS: return "keystore: kdf parameters out of range";
    case MPAVS_KEYSTORE_ERR_MAC: return "keystore: MAC mismatch (wrong password or corrupted file)";
    case MPAVS_KEYSTORE_ERR_CRYPTO: return "keystore: OpenSSL failure (out of memory?)";
    case MPAVS_KEYSTORE_ERR_RANDOM: return "keystore: no randomness from the OS";
    case MPAVS_KEYSTORE_ERR_IO: return "keystore: cannot read or write the file";
    case MPAVS_KEYSTORE_ERR_EXISTS: return "keystore: file already exists";
    case MPAVS_KEYSTORE_ERR_SPACE: return "keystore: secret larger than the output buffer";
    case MPAVS_KEYSTORE_ERR_NOT_BLS: return "keystore: not an eigensdk BLS key file";
    case MPAVS_KEYSTORE_ERR_BAD_KEY: return "keystore: invalid BLS key";
    default: return "keystore: unknown error";
    }
}

/* ------------------------------------------------------------ primitives */

/* MPAVS_KEYSTORE_OK or _ERR_PARAMS (out of range, or more memory than we allow). */
static int scrypt_params_check(uint64_t n, uint64_t r, uint64_t p) {
    if (n < 2 || (n & (n - 1)) != 0 || r == 0 || p == 0) return MPAVS_KEYSTORE_ERR_PARAMS;
    if (r > (1u << 20) || p > (1u << 20) || n > (1ull << 40)) return MPAVS_KEYSTORE_ERR_PARAMS;
    unsigned __int128 mem = (unsigned __int128)128 * n * r * p;
    if (mem > MPAVS_KEYSTORE_SCRYPT_MAXMEM) return MPAVS_KEYSTORE_ERR_PARAMS;
    return MPAVS_KEYSTORE_OK;
}

static int derive_scrypt(uint8_t dk[32], const char *pw, size_t pwlen, const uint8_t *salt,
                         size_t saltlen, uint64_t n, uint64_t r, uint64_t p) {
    /* OpenSSL enforces RFC 7914's n < 2^(16 r); geth does not, and the Web3 Secret Storage
     * test vector uses r = 1, n = 2^18: those parameters go through our own scrypt. */
    if (r < 4 && n >= (1ull << (16 * r))) {
        if (ks_scrypt(dk, 32, pw, pwlen, salt, saltlen, n, (uint32_t)r, (uint32_t)p) != 0)
            return MPAVS_KEYSTORE_ERR_CRYPTO;
        return MPAVS_KEYSTORE_OK;
    }
    /* OpenSSL needs 128*r*(n+2) bytes for V plus 128*r*p for B; its default cap is 32 MiB. */
    uint64_t maxmem = 128 * r * (n + 2) + 128 * r * p + (1u << 20);
    if (EVP_PBE_scrypt(pw ? pw : "", pwlen, salt, saltlen, n, r, p, maxmem, dk, 32) != 1)
        return MPAVS_KEYSTORE_ERR_CRYPTO;
    return MPAVS_KEYSTORE_OK;
}

static int aes128ctr(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[16],
                     const uint8_t iv[16]) {
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int ok = 0, outl = 0, fin = 0;
    if (c && EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, key, iv) == 1 &&
        EVP_EncryptUpdate(c, out, &outl, in, (int)len) == 1 &&
        EVP_EncryptFinal_ex(c, out + outl, &fin) == 1 && (size_t)(outl + fin) == len)
        ok = 1;
    EVP_CIPHER_CTX_free(c); /* frees and cleanses the key schedule */
    return ok ? MPAVS_KEYSTORE_OK : MPAVS_KEYSTORE_ERR_CRYPTO;
}

static void mac_of(uint8_t mac[32], const uint8_t dk[32], const uint8_t *ct, size_t len) {
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    mpavs_keccak_update(&k, dk + 16, 16);
    mpavs_keccak_update(&k, ct, len);
    mpavs_keccak_final(&k, mac);
}

static char *hex_of(const uint8_t *b, size_t n, char *buf, size_t cap) {
    if (mpavs_hex_encode(buf, cap, b, n, false) != MPAVS_HEX_OK) buf[0] = 0;
    return buf;
}

/* ------------------------------------------------------------ encrypt */

int mpavs_keystore_encrypt(char **json, const uint8_t *secret, size_t secret_len,
                           const char *password, size_t password_len,
                           const mpavs_keystore_options *opts) {
    MPAVS_REQUIRE(json != NULL && secret != NULL && (password != NULL || password_len == 0));
    MPAVS_REQUIRE(secret_len >= 1 && secret_len <= MPAVS_KEYSTORE_MAX_SECRET);
    *json = NULL;
    mpavs_keystore_options o = {0};
    if (opts) o = *opts;
    uint64_t n = o.scrypt_n ? o.scrypt_n : MPAVS_KEYSTORE_SCRYPT_N;
    uint64_t r = o.scrypt_r ? o.scrypt_r : MPAVS_KEYSTORE_SCRYPT_R;
    uint64_t p = o.scrypt_p ? o.scrypt_p : MPAVS_KEYSTORE_SCRYPT_P;
    int pr = scrypt_params_check(n, r, p);
    if (pr) return pr;

    int ret = MPAVS_KEYSTORE_ERR_CRYPTO;
    uint8_t salt[32], iv[16], uuid[16], dk[32], ct[MPAVS_KEYSTORE_MAX_SECRET], mac[32];
    char hex[2 * MPAVS_KEYSTORE_MAX_SECRET + 1], idtxt[40];
    json_t *root = NULL, *crypto = NULL;
    if (mpavs_random_bytes(salt, sizeof salt) || mpavs_random_bytes(iv, sizeof iv) ||
        mpavs_random_bytes(uuid, sizeof uuid)) {
        ret = MPAVS_KEYSTORE_ERR_RANDOM;
        goto out;
    }
    if ((ret = derive_scrypt(dk, password, password_len, salt, sizeof salt, n, r, p))) goto out;
    if ((ret = aes128ctr(ct, secret, secret_len, dk, iv))) goto out;
    mac_of(mac, dk, ct, secret_len);

    ret = MPAVS_KEYSTORE_ERR_CRYPTO; /* jansson allocation failures */
    crypto = json_object();
    root = json_object();
    if (!crypto || !root) goto out;
    json_t *cp = json_object(), *kp = json_object();
    if (!cp || !kp) {
        json_decref(cp);
        json_decref(kp);
        goto out;
    }
    int e = 0;
    e |= json_object_set_new(crypto, "cipher", json_string("aes-128-ctr"));
    e |= json_object_set_new(crypto, "ciphertext", json_string(hex_of(ct, secret_len, hex, sizeof hex)));
    e |= json_object_set_new(cp, "iv", json_string(hex_of(iv, 16, hex, sizeof hex)));
    e |= json_object_set_new(crypto, "cipherparams", cp);
    e |= json_object_set_new(crypto, "kdf", json_string("scrypt"));
    e |= json_object_set_new(kp, "dklen", json_integer(32));
    e |= json_object_set_new(kp, "n", json_integer((json_int_t)n));
    e |= json_object_set_new(kp, "p", json_integer((json_int_t)p));
    e |= json_object_set_new(kp, "r", json_integer((json_int_t)r));
    e |= json_object_set_new(kp, "salt", json_string(hex_of(salt, sizeof salt, hex, sizeof hex)));
    e |= json_object_set_new(crypto, "kdfparams", kp);
    e |= json_object_set_new(crypto, "mac", json_string(hex_of(mac, 32, hex, sizeof hex)));
    if (o.pubkey) {
        e |= json_object_set_new(root, "pubKey", json_string(o.pubkey));
        e |= json_object_set(root, "crypto", crypto);
    } else {
        if (o.has_address)
            e |= json_object_set_new(root, "address", json_string(hex_of(o.address, 20, hex, sizeof hex)));
        e |= json_object_set(root, "crypto", crypto);
        uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40); /* version 4 */
        uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80); /* RFC 4122 variant */
        hex_of(uuid, 16, hex, sizeof hex);
        snprintf(idtxt, sizeof idtxt, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
        e |= json_object_set_new(root, "id", json_string(idtxt));
        e |= json_object_set_new(root, "version", json_integer(3));
    }
    if (e) goto out;
    *json = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ret = *json ? MPAVS_KEYSTORE_OK : MPAVS_KEYSTORE_ERR_CRYPTO;
out:
    json_decref(crypto);
    json_decref(root);
    mpavs_wipe(dk, sizeof dk);
    mpavs_wipe(hex, sizeof hex);
    return ret;
}

/* ------------------------------------------------------------ decrypt */

void mpavs_keystore_info_clear(mpavs_keystore_info *info) {
    if (!info) return;
    free(info->pubkey);
    memset(info, 0, sizeof *info);
}

/* A JSON number that is a non-negative integer (integers or integral floats, as geth's ensureInt). */
static int get_uint(uint64_t *v, json_t *obj, const char *key) {
    json_t *x = json_object_get(obj, key);
    if (json_is_integer(x)) {
        json_int_t i = json_integer_value(x);
        if (i < 0) return MPAVS_KEYSTORE_ERR_PARAMS;
        *v = (uint64_t)i;
        return MPAVS_KEYSTORE_OK;
    }
    if (json_is_real(x)) {
        double d = json_real_value(x);
        if (!(d >= 0 && d < 1.8e19) || floor(d) != d) return MPAVS_KEYSTORE_ERR_PARAMS;
        *v = (uint64_t)d;
        return MPAVS_KEYSTORE_OK;
    }
    return MPAVS_KEYSTORE_ERR_FORMAT;
}

/* A hex string field of min..max bytes. */
static int get_hex(uint8_t *out, size_t *len, size_t min, size_t max, json_t *obj, const char *key) {
    const char *s = json_string_value(json_object_get(obj, key));
    if (!s) return MPAVS_KEYSTORE_ERR_FORMAT;
    size_t n;
    if (mpavs_hex_decode(out, max, &n, s, strlen(s)) != MPAVS_HEX_OK || n < min)
        return MPAVS_KEYSTORE_ERR_FORMAT;
    *len = n;
    return MPAVS_KEYSTORE_OK;
}

static bool str_is(json_t *obj, const char *key, const char *want) {
    const char *s = json_string_value(json_object_get(obj, key));
    return s && strcmp(s, want) == 0;
}

int mpavs_keystore_decrypt(uint8_t *secret, size_t cap, size_t *secret_len,
                           mpavs_keystore_info *info, const char *json, size_t json_len,
                           const char *password, size_t password_len) {
    MPAVS_REQUIRE(secret != NULL && secret_len != NULL && json != NULL);
    MPAVS_REQUIRE(password != NULL || password_len == 0);
    *secret_len = 0;
    if (info) memset(info, 0, sizeof *info);
    int ret;
    uint8_t dk[32], ct[MPAVS_KEYSTORE_MAX_SECRET], iv[16], mac[32], want[32], salt[1024];
    size_t ctlen = 0, ivlen, maclen, saltlen;
    json_error_t jerr;
    json_t *root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(root)) {
        ret = MPAVS_KEYSTORE_ERR_JSON;
        goto out;
    }
    json_t *ver = json_object_get(root, "version");
    if (ver) {
        uint64_t v;
        if (get_uint(&v, root, "version") || v != 3) {
            ret = MPAVS_KEYSTORE_ERR_UNSUPPORTED;
            goto out;
        }
    }
    json_t *crypto = json_object_get(root, "crypto");
    if (!crypto) crypto = json_object_get(root, "Crypto"); /* geth accepts both */
    if (!json_is_object(crypto)) {
        ret = MPAVS_KEYSTORE_ERR_FORMAT;
        goto out;
    }
    if (!str_is(crypto, "cipher", "aes-128-ctr")) {
        ret = json_is_string(json_object_get(crypto, "cipher")) ? MPAVS_KEYSTORE_ERR_UNSUPPORTED
                                                                 : MPAVS_KEYSTORE_ERR_FORMAT;
        goto out;
    }
    json_t *cp = json_object_get(crypto, "cipherparams");
    json_t *kp = json_object_get(crypto, "kdfparams");
    if (!json_is_object(cp) || !json_is_object(kp)) {
        ret = MPAVS_KEYSTORE_ERR_FORMAT;
        goto out;
    }
    if ((ret = get_hex(ct, &ctlen, 1, sizeof ct, crypto, "ciphertext")) ||
        (ret = get_hex(iv, &ivlen, 16, 16, cp, "iv")) ||
        (ret = get_hex(want, &maclen, 32, 32, crypto, "mac")) ||
        (ret = get_hex(salt, &saltlen, 1, sizeof salt, kp, "salt")))
        goto out;
    uint64_t dklen;
    if ((ret = get_uint(&dklen, kp, "dklen"))) goto out;
    if (dklen != 32) {
        ret = MPAVS_KEYSTORE_ERR_PARAMS;
        goto out;
    }
    if (str_is(crypto, "kdf", "scrypt")) {
        uint64_t n, r, p;
        if ((ret = get_uint(&n, kp, "n")) || (ret = get_uint(&r, kp, "r")) ||
            (ret = get_uint(&p, kp, "p")))
            goto out;
        if ((ret = scrypt_params_check(n, r, p))) goto out;
        if ((ret = derive_scrypt(dk, password, password_len, salt, saltlen, n, r, p))) goto out;
    } else if (str_is(crypto, "kdf", "pbkdf2")) {
        uint64_t c;
        if (!str_is(kp, "prf", "hmac-sha256")) {
            ret = json_is_string(json_object_get(kp, "prf")) ? MPAVS_KEYSTORE_ERR_UNSUPPORTED
                                                             : MPAVS_KEYSTORE_ERR_FORMAT;
            goto out;
        }
        if ((ret = get_uint(&c, kp, "c"))) goto out;
        if (c < 1 || c > 100000000) {
            ret = MPAVS_KEYSTORE_ERR_PARAMS;
            goto out;
        }
        if (PKCS5_PBKDF2_HMAC(password_len ? password : "", (int)password_len, salt, (int)saltlen,
                              (int)c, EVP_sha256(), 32, dk) != 1) {
            ret = MPAVS_KEYSTORE_ERR_CRYPTO;
            goto out;
        }
        if (info) info->is_pbkdf2 = true;
    } else {
        ret = json_is_string(json_object_get(crypto, "kdf")) ? MPAVS_KEYSTORE_ERR_UNSUPPORTED
                                                             : MPAVS_KEYSTORE_ERR_FORMAT;
        goto out;
    }
    mac_of(mac, dk, ct, ctlen);
    int mac_ok = mpavs_ct_memeq(mac, want, 32);
    ct_declassify(&mac_ok, sizeof mac_ok); /* the password check's verdict is public */
    if (!mac_ok) {
        ret = MPAVS_KEYSTORE_ERR_MAC;
        goto out;
    }
    if (ctlen > cap) {
        ret = MPAVS_KEYSTORE_ERR_SPACE;
        goto out;
    }
    if ((ret = aes128ctr(secret, ct, ctlen, dk, iv))) goto out;
    *secret_len = ctlen;
    if (info) {
        const char *pk = json_string_value(json_object_get(root, "pubKey"));
        if (pk && !(info->pubkey = strdup(pk))) {
            ret = MPAVS_KEYSTORE_ERR_CRYPTO;
            goto out;
        }
        json_t *a = json_object_get(root, "address");
        if (a) {
            size_t alen;
            if (get_hex(info->address, &alen, 20, 20, root, "address")) {
                ret = MPAVS_KEYSTORE_ERR_FORMAT;
                goto out;
            }
            info->has_address = true;
        }
    }
    ret = MPAVS_KEYSTORE_OK;
out:
    if (ret) {
        mpavs_wipe(secret, cap);
        *secret_len = 0;
        mpavs_keystore_info_clear(info);
    }
    mpavs_wipe(dk, sizeof dk);
    json_decref(root);
    return ret;
}

/* ------------------------------------------------------------ files */

int mpavs_keystore_write_file(const char *path, const char *text) {
    MPAVS_REQUIRE(path != NULL && text != NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return errno == EEXIST ? MPAVS_KEYSTORE_ERR_EXISTS : MPAVS_KEYSTORE_ERR_IO;
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            close(fd);
            unlink(path);
            return MPAVS_KEYSTORE_ERR_IO;
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        unlink(path);
        return MPAVS_KEYSTORE_ERR_IO;
    }
    return MPAVS_KEYSTORE_OK;
}

int mpavs_keystore_read_file(char **text, size_t *len, const char *path) {
    MPAVS_REQUIRE(text != NULL && len != NULL && path != NULL);
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return MPAVS_KEYSTORE_ERR_IO;
    size_t cap = 1u << 20;
    char *b = malloc(cap + 1);
    if (!b) {
        fclose(f);
        return MPAVS_KEYSTORE_ERR_IO;
    }
    size_t n = fread(b, 1, cap + 1, f);
    bool bad = ferror(f) || n > cap;
    fclose(f);
    if (bad) {
        free(b);
        return MPAVS_KEYSTORE_ERR_IO;
    }
    b[n] = 0;
    *text = b;
    *len = n;
    return MPAVS_KEYSTORE_OK;
}

int mpavs_keystore_filename(char *out, size_t cap, const uint8_t address[20], int64_t t) {
    MPAVS_REQUIRE(out != NULL && address != NULL);
    time_t tt = (time_t)t;
    struct tm tm;
    char hex[41];
    if (!gmtime_r(&tt, &tm) || mpavs_hex_encode(hex, sizeof hex, address, 20, false)) {
        if (cap) out[0] = 0;
        return MPAVS_KEYSTORE_ERR_SPACE;
    }
    int n = snprintf(out, cap, "UTC--%04d-%02d-%02dT%02d-%02d-%02d.000000000Z--%s", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, hex);
    if (n < 0 || (size_t)n >= cap) {
        if (cap) out[0] = 0;
        return MPAVS_KEYSTORE_ERR_SPACE;
    }
    return MPAVS_KEYSTORE_OK;
}

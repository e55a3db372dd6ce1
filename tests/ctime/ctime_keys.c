/*
 * tests/ctime/ctime_keys.c — secret-taint check of the key-file and hex paths under valgrind:
 * keystore decryption (mpavs_keystore_decrypt: PBKDF2-HMAC-SHA256, the keccak MAC and its
 * comparison, AES-128-CTR) with the password secret, BLS key loading (mpavs_keystore_bls_decrypt
 * and mpavs_keystore_bls_load: reduction mod r, the zero-key check, the public key) and secret
 * hex parsing and printing (mpavs_hex_decode, mpavs_hex_encode) with the digits secret.
 * The key files are built here with OpenSSL (PBKDF2 files: scrypt's memory accesses depend on
 * the password by design, RFC 7914's ROMix, so an scrypt file cannot pass this check).
 * Every verdict the library branches on is declassified inside it (src/util/ct.h); anything else
 * that branches or indexes memory on a secret makes valgrind exit 42.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctime_support.h"
#include "mpavs/bls.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/keystore.h"

static int failures, checks;

static void check(int cond, const char *what) {
    checks++;
    if (!cond) {
        failures++;
        fprintf(stderr, "FAIL %s\n", what);
    }
}

/* A version-3 PBKDF2 key file (c = 2) holding secret[0..n) under password; pubkey: eigensdk layout. */
static char *pbkdf2_file(const uint8_t *secret, size_t n, const char *password, const char *pubkey) {
    uint8_t salt[32], iv[16], dk[32], ct[64], mac[32];
    memset(salt, 0x11, sizeof salt);
    memset(iv, 0x22, sizeof iv);
    int outl = 0, fin = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    if (!c || n > sizeof ct ||
        PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, sizeof salt, 2, EVP_sha256(), 32, dk) != 1 ||
        EVP_EncryptInit_ex(c, EVP_aes_128_ctr(), NULL, dk, iv) != 1 || EVP_EncryptUpdate(c, ct, &outl, secret, (int)n) != 1 ||
        EVP_EncryptFinal_ex(c, ct + outl, &fin) != 1) {
        EVP_CIPHER_CTX_free(c);
        return NULL;
    }
    EVP_CIPHER_CTX_free(c);
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    mpavs_keccak_update(&k, dk + 16, 16);
    mpavs_keccak_update(&k, ct, n);
    mpavs_keccak_final(&k, mac);
    char hs[65], hi[33], hc[129], hm[65];
    if (mpavs_hex_encode(hs, sizeof hs, salt, sizeof salt, false) || mpavs_hex_encode(hi, sizeof hi, iv, sizeof iv, false) ||
        mpavs_hex_encode(hc, sizeof hc, ct, n, false) || mpavs_hex_encode(hm, sizeof hm, mac, sizeof mac, false))
        return NULL;
    char *json = malloc(1024);
    if (json)
        snprintf(json, 1024,
                 "{%s%s%s\"crypto\":{\"cipher\":\"aes-128-ctr\",\"ciphertext\":\"%s\",\"cipherparams\":{\"iv\":\"%s\"},"
                 "\"kdf\":\"pbkdf2\",\"kdfparams\":{\"c\":2,\"dklen\":32,\"prf\":\"hmac-sha256\",\"salt\":\"%s\"},"
                 "\"mac\":\"%s\"},\"version\":3}",
                 pubkey ? "\"pubKey\":\"" : "", pubkey ? pubkey : "", pubkey ? "\"," : "", hc, hi, hs, hm);
    return json;
}

static void keystore_decryption(void) {
    uint8_t secret[32], out[MPAVS_KEYSTORE_MAX_SECRET];
    for (int i = 0; i < 32; i++) secret[i] = (uint8_t)(0xa0 + i);
    char pw[] = "correct horse battery staple", wrong[] = "correct horse battery stapla";
    char *json = pbkdf2_file(secret, sizeof secret, pw, NULL);
    check(json != NULL, "build the key file");
    if (!json) return;
    size_t len = 0;
    SECRET(pw, sizeof pw - 1);
    int r = mpavs_keystore_decrypt(out, sizeof out, &len, NULL, json, strlen(json), pw, sizeof pw - 1);
    PUBLIC(&r, sizeof r);
    PUBLIC(&len, sizeof len);
    PUBLIC(out, sizeof out);
    PUBLIC(pw, sizeof pw);
    check(r == MPAVS_KEYSTORE_OK && len == 32 && memcmp(out, secret, 32) == 0, "keystore: decrypts");
    SECRET(wrong, sizeof wrong - 1);
    r = mpavs_keystore_decrypt(out, sizeof out, &len, NULL, json, strlen(json), wrong, sizeof wrong - 1);
    PUBLIC(&r, sizeof r);
    PUBLIC(wrong, sizeof wrong);
    check(r == MPAVS_KEYSTORE_ERR_MAC, "keystore: wrong password refused");
    free(json);
}

static void bls_key_loading(void) {
    uint8_t sk[32], got[32];
    if (mpavs_bls_keygen(sk) != MPAVS_BLS_OK) {
        check(0, "bls keygen");
        return;
    }
    mpavs_bn254_g1 pk;
    char pub[200];
    check(mpavs_bls_pubkey_g1(&pk, sk) == MPAVS_BLS_OK && mpavs_keystore_bls_pubkey_text(pub, sizeof pub, &pk) == 0,
          "bls pubkey text");
    char pw[] = "bls password";
    char *json = pbkdf2_file(sk, sizeof sk, pw, pub);
    uint8_t zero[32] = {0};
    char *zjson = pbkdf2_file(zero, sizeof zero, pw, "E([1,2])");
    check(json && zjson, "build the BLS key files");
    if (!json || !zjson) goto out;
    bool match = false;
    SECRET(pw, sizeof pw - 1);
    int r = mpavs_keystore_bls_decrypt(got, &match, NULL, json, strlen(json), pw, sizeof pw - 1);
    PUBLIC(&r, sizeof r);
    PUBLIC(&match, sizeof match);
    PUBLIC(got, sizeof got);
    check(r == MPAVS_KEYSTORE_OK && match && memcmp(got, sk, 32) == 0, "bls: decrypts, pubKey matches");
    r = mpavs_keystore_bls_decrypt(got, NULL, NULL, zjson, strlen(zjson), pw, sizeof pw - 1);
    PUBLIC(&r, sizeof r);
    check(r == MPAVS_KEYSTORE_ERR_BAD_KEY, "bls: zero key refused");
    /* the loader every caller uses, through a file */
    char path[] = "/tmp/mpavs-ctime-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        size_t n = strlen(json);
        check(write(fd, json, n) == (ssize_t)n, "write the key file");
        close(fd);
        r = mpavs_keystore_bls_load(got, NULL, NULL, path, pw, sizeof pw - 1);
        PUBLIC(&r, sizeof r);
        PUBLIC(got, sizeof got);
        check(r == MPAVS_KEYSTORE_OK && memcmp(got, sk, 32) == 0, "bls: mpavs_keystore_bls_load");
        unlink(path);
    } else {
        check(0, "mkstemp");
    }
    PUBLIC(pw, sizeof pw);
out:
    free(json);
    free(zjson);
}

static void secret_hex(void) {
    static const char text[] = "0x00fF1e2D3c4B5a69788796a5b4c3d2e1f0ABCDEF0123456789abcdef01234567";
    uint8_t want[32], got[32];
    size_t n = 0;
    char buf[sizeof text];
    memcpy(buf, text, sizeof text);
    int r = mpavs_hex_decode(want, sizeof want, &n, text, sizeof text - 1); /* public reference */
    check(r == MPAVS_HEX_OK && n == 32, "hex: reference decode");
    SECRET(buf, sizeof buf - 1);
    r = mpavs_hex_decode(got, sizeof got, &n, buf, sizeof buf - 1);
    PUBLIC(&r, sizeof r);
    PUBLIC(&n, sizeof n);
    PUBLIC(got, sizeof got);
    check(r == MPAVS_HEX_OK && n == 32 && memcmp(got, want, 32) == 0, "hex: secret digits decode");
    /* without prefix, and a bad digit */
    SECRET(buf + 2, sizeof buf - 3);
    r = mpavs_hex_decode(got, sizeof got, &n, buf + 2, sizeof buf - 3);
    PUBLIC(&r, sizeof r);
    PUBLIC(got, sizeof got);
    check(r == MPAVS_HEX_OK && memcmp(got, want, 32) == 0, "hex: no prefix");
    PUBLIC(buf, sizeof buf);
    buf[40] = 'g';
    SECRET(buf, sizeof buf - 1);
    r = mpavs_hex_decode(got, sizeof got, &n, buf, sizeof buf - 1);
    PUBLIC(&r, sizeof r);
    PUBLIC(got, sizeof got);
    check(r == MPAVS_HEX_ERR_CHAR, "hex: bad digit refused");
    /* printing a secret */
    char out[67];
    uint8_t sk[32];
    memcpy(sk, want, 32);
    SECRET(sk, sizeof sk);
    r = mpavs_hex_encode(out, sizeof out, sk, sizeof sk, true);
    PUBLIC(&r, sizeof r);
    PUBLIC(out, sizeof out);
    char lower[sizeof text];
    for (size_t i = 0; i < sizeof text; i++) lower[i] = (char)(text[i] >= 'A' && text[i] <= 'F' ? text[i] + 32 : text[i]);
    check(r == MPAVS_HEX_OK && strcmp(out, lower) == 0, "hex: encode");
}

int main(void) {
    if (ctime_require_valgrind("ctime_keys")) return 1;
    keystore_decryption();
    bls_key_loading();
    secret_hex();
    printf("ctime_keys: %d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}

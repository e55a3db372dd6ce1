/* mpavs wallet address | new | import | decrypt — secp256k1 keys and Web3 Secret Storage files. */
#include "cli.h"
#include "commands.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keystore.h"
#include "mpavs/u256.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Parse "0x" + 64 hex digits (surrounding whitespace allowed) into a valid secret key. */
static int parse_seckey(const mpavs_ecdsa_ctx *ctx, uint8_t sk[32], const char *text) {
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r') text++;
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' || text[n - 1] == '\r')) n--;
    size_t got;
    if (mpavs_hex_decode(sk, 32, &got, text, n) != MPAVS_HEX_OK || got != 32) {
        mpavs_wipe(sk, 32);
        return cli_usage_error("private key must be 32 bytes of hex (0x + 64 digits)");
    }
    bool ok;
    if (mpavs_ecdsa_seckey_verify(ctx, &ok, sk) != MPAVS_ECDSA_OK || !ok) {
        mpavs_wipe(sk, 32);
        return cli_usage_error("private key is zero or not below the secp256k1 group order");
    }
    return 0;
}

static int wallet_address(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs wallet address --private-key 0xKEY\n\n"
                       "Prints the EIP-55 checksummed address of a secp256k1 private key.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *key = cli_opt(&a, "private-key");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    if (!key || n != 0) return cli_usage_error("wallet address: expected --private-key 0xKEY");
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    if (!ctx) return cli_error("wallet address: cannot create a secp256k1 context");
    uint8_t sk[32];
    int rc = parse_seckey(ctx, sk, key);
    if (rc == 0) {
        mpavs_address addr;
        if (mpavs_ecdsa_seckey_to_address(ctx, &addr, sk) != MPAVS_ECDSA_OK) {
            rc = cli_error("wallet address: invalid private key");
        } else {
            char s[43];
            mpavs_address_to_checksum(s, &addr);
            puts(s);
        }
    }
    mpavs_wipe(sk, sizeof sk);
    mpavs_ecdsa_ctx_destroy(ctx);
    return rc;
}

/* Encrypt sk into a new geth-named file in dir; prints the address and the path. */
static int write_keystore(const mpavs_ecdsa_ctx *ctx, const uint8_t sk[32], const char *dir,
                          const char *pwfile, uint32_t scrypt_n) {
    char *pw = cli_read_secret_file(pwfile);
    if (!pw) return 1;
    int rc = 0;
    char *json = NULL;
    mpavs_keystore_options o = {.scrypt_n = scrypt_n, .has_address = true};
    mpavs_address addr;
    if (mpavs_ecdsa_seckey_to_address(ctx, &addr, sk) != MPAVS_ECDSA_OK) {
        rc = cli_error("wallet: invalid private key");
        goto out;
    }
    memcpy(o.address, addr.bytes, 20);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        rc = cli_error("wallet: cannot create %s: %s", dir, strerror(errno));
        goto out;
    }
    int r = mpavs_keystore_encrypt(&json, sk, 32, pw, strlen(pw), &o);
    if (r) {
        rc = cli_error("wallet: %s", mpavs_keystore_strerror(r));
        goto out;
    }
    char name[100], path[4096];
    if (mpavs_keystore_filename(name, sizeof name, addr.bytes, (int64_t)time(NULL)) ||
        (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
        rc = cli_error("wallet: keystore path too long");
        goto out;
    }
    r = mpavs_keystore_write_file(path, json);
    if (r) {
        rc = cli_error("wallet: %s: %s", path, mpavs_keystore_strerror(r));
        goto out;
    }
    char s[43];
    mpavs_address_to_checksum(s, &addr);
    printf("%s\n%s\n", s, path);
out:
    free(json);
    mpavs_wipe(pw, strlen(pw));
    free(pw);
    return rc;
}

static int parse_scrypt_n(uint32_t *n, const char *s) {
    *n = 0;
    if (!s) return 0;
    mpavs_u256 v;
    if (mpavs_u256_parse(&v, s, strlen(s)) || mpavs_u256_bits(&v) > 31 || v.w[0] < 2 ||
        (v.w[0] & (v.w[0] - 1)))
        return cli_usage_error("--scrypt-n must be a power of two >= 2");
    *n = (uint32_t)v.w[0];
    return 0;
}

static const char NEW_HELP[] =
    "usage: mpavs wallet new --keystore-dir DIR --password-file F [--scrypt-n N]\n\n"
    "Generates a secp256k1 key, writes it to DIR as a Web3 Secret Storage v3 file (scrypt,\n"
    "N = 262144 unless --scrypt-n, r = 8, p = 1; mode 0600; geth's UTC--... file name)\n"
    "and prints two lines: the EIP-55 address and the file's path.";

static int wallet_new(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("%s", NEW_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *dir = cli_opt(&a, "keystore-dir"), *pwf = cli_opt(&a, "password-file");
    const char *ns = cli_opt(&a, "scrypt-n");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    if (!dir || !pwf || n != 0) return cli_usage_error("wallet new: expected --keystore-dir DIR --password-file F");
    uint32_t sn;
    if (parse_scrypt_n(&sn, ns)) return 2;
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    if (!ctx) return cli_error("wallet new: cannot create a secp256k1 context");
    uint8_t sk[32];
    int rc;
    if (mpavs_ecdsa_seckey_generate(ctx, sk) != MPAVS_ECDSA_OK)
        rc = cli_error("wallet new: no randomness from the OS");
    else
        rc = write_keystore(ctx, sk, dir, pwf, sn);
    mpavs_wipe(sk, sizeof sk);
    mpavs_ecdsa_ctx_destroy(ctx);
    return rc;
}

static int wallet_import(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs wallet import --private-key-file F --keystore-dir DIR --password-file F "
                       "[--scrypt-n N]\n\n"
                       "Encrypts the private key in F (0x + 64 hex digits) into a new key file in DIR\n"
                       "and prints two lines: the EIP-55 address and the file's path.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *kf = cli_opt(&a, "private-key-file"), *dir = cli_opt(&a, "keystore-dir");
    const char *pwf = cli_opt(&a, "password-file"), *ns = cli_opt(&a, "scrypt-n");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    if (!kf || !dir || !pwf || n != 0)
        return cli_usage_error("wallet import: expected --private-key-file F --keystore-dir DIR --password-file F");
    uint32_t sn;
    if (parse_scrypt_n(&sn, ns)) return 2;
    char *text = cli_read_secret_file(kf);
    if (!text) return 1;
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    int rc;
    uint8_t sk[32];
    if (!ctx) {
        rc = cli_error("wallet import: cannot create a secp256k1 context");
    } else if ((rc = parse_seckey(ctx, sk, text)) == 0) {
        rc = write_keystore(ctx, sk, dir, pwf, sn);
        mpavs_wipe(sk, sizeof sk);
    }
    mpavs_wipe(text, strlen(text));
    free(text);
    mpavs_ecdsa_ctx_destroy(ctx);
    return rc;
}

static int wallet_decrypt(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs wallet decrypt --keystore FILE --password-file F\n\n"
                       "Decrypts a Web3 Secret Storage v3 file (scrypt or pbkdf2; also eigensdk BLS key\n"
                       "files) and prints the secret as 0x + hex.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *ks = cli_opt(&a, "keystore"), *pwf = cli_opt(&a, "password-file");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    if (!ks || !pwf || n != 0) return cli_usage_error("wallet decrypt: expected --keystore FILE --password-file F");
    char *json;
    size_t jl;
    int r = mpavs_keystore_read_file(&json, &jl, ks);
    if (r) return cli_error("wallet decrypt: cannot read %s", ks);
    char *pw = cli_read_secret_file(pwf);
    if (!pw) {
        free(json);
        return 1;
    }
    uint8_t secret[MPAVS_KEYSTORE_MAX_SECRET];
    size_t len;
    r = mpavs_keystore_decrypt(secret, sizeof secret, &len, NULL, json, jl, pw, strlen(pw));
    int rc = 0;
    if (r)
        rc = cli_error("wallet decrypt: %s: %s", ks, mpavs_keystore_strerror(r));
    else
        cli_print_hex(secret, len);
    mpavs_wipe(secret, sizeof secret);
    mpavs_wipe(pw, strlen(pw));
    free(pw);
    free(json);
    return rc;
}

static const cli_command WALLET[] = {
    {"address", "EIP-55 address of a private key", wallet_address},
    {"new", "generate a key into a new keystore file", wallet_new},
    {"import", "encrypt a private key into a new keystore file", wallet_import},
    {"decrypt", "print the private key of a keystore file", wallet_decrypt},
};

int cmd_wallet(int argc, char **argv) {
    return cli_dispatch("mpavs wallet", WALLET, sizeof WALLET / sizeof WALLET[0], argc, argv);
}

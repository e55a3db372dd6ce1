/* mpavs bls — BN254 BLS keys, signatures and the EVM precompiles 0x06/0x07/0x08. */
#include "cli.h"
#include "commands.h"

#include "mpavs/bls.h"
#include "mpavs/bn254.h"
#include "mpavs/hex.h"
#if defined(__has_include)
#if __has_include("mpavs/keystore.h")
#define HAVE_KEYSTORE 1
#include "mpavs/keystore.h"
#endif
#endif
#include "mpavs/u256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_word(const uint8_t w[32]) { cli_print_hex(w, 32); }

/* Parse a decimal or 0x-hex number < 2^256 into 32 bytes BE. */
static bool parse_num(uint8_t out[32], const char *s, size_t len) {
    mpavs_u256 v;
    if (len == 0 || mpavs_u256_parse(&v, s, len) != MPAVS_U256_OK) return false;
    mpavs_u256_to_be32(out, &v);
    mpavs_wipe(&v, sizeof v);
    return true;
}

/* Parse --sk: decimal or 0x hex, in [1, r). Returns 0 or an exit code (message printed). */
static int parse_sk(uint8_t sk[32], const char *cmd, const char *text) {
    if (!text) return cli_usage_error("%s: --sk SK is required", cmd);
    if (!parse_num(sk, text, strlen(text)))
        return cli_usage_error("%s: --sk must be a decimal or 0x-hex number below 2^256", cmd);
    if (mpavs_bls_sk_check(sk) != MPAVS_BLS_OK) {
        mpavs_wipe(sk, 32);
        return cli_usage_error("%s: secret key must be in [1, r)", cmd);
    }
    return 0;
}

/* Parse a comma-separated list of exactly n numbers into n 32-byte words. */
static bool parse_list(uint8_t *out, size_t n, const char *s) {
    for (size_t i = 0; i < n; i++) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        if ((i + 1 < n) != (e != NULL)) return false;
        if (!parse_num(out + 32 * i, s, len)) return false;
        s = e ? e + 1 : s + len;
    }
    return true;
}

static int parse_msg(uint8_t msg[32], const char *cmd, const char *text) {
    if (mpavs_hex_decode_exact(msg, 32, text) != MPAVS_HEX_OK)
        return cli_usage_error("%s: message must be 0x + 64 hex digits (a 32-byte hash), got '%.80s'", cmd, text);
    return 0;
}

/* Common: parse options/positionals; returns count or -1. */
static int one_positional(cli_args *a, char **pos, const char *cmd, const char *what) {
    int n = cli_positionals(a, pos, 1);
    if (n < 0) return -1;
    if (n != 1) {
        cli_usage_error("%s: expected one %s argument", cmd, what);
        return -1;
    }
    return 1;
}

static void print_pubkey(const uint8_t sk[32]) {
    mpavs_bn254_g1 p1;
    mpavs_bn254_g2 p2;
    uint8_t e1[64], e2[128], id[32];
    if (mpavs_bls_pubkey_g1(&p1, sk) != MPAVS_BLS_OK || mpavs_bls_pubkey_g2(&p2, sk) != MPAVS_BLS_OK) {
        cli_error("invalid secret key");
        return;
    }
    mpavs_bn254_g1_encode(e1, &p1);
    mpavs_bn254_g2_encode(e2, &p2);
    mpavs_bls_operator_id(id, &p1);
    print_word(e1);
    print_word(e1 + 32);
    for (int i = 0; i < 4; i++) print_word(e2 + 32 * i);
    print_word(id);
}

static int bls_pubkey(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls pubkey --sk SK\n\n"
                       "SK: decimal or 0x hex in [1, r). Prints 7 lines (0x + 64 hex each): G1.x, G1.y,\n"
                       "G2.x.im, G2.x.re, G2.y.im, G2.y.re, operatorId = keccak256(G1.x || G1.y).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *skt = cli_opt(&a, "sk");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("pubkey: unexpected argument");
    uint8_t sk[32];
    int rc = parse_sk(sk, "pubkey", skt);
    if (rc) return rc;
    print_pubkey(sk);
    mpavs_wipe(sk, sizeof sk);
    return 0;
}

static int bls_hash(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls hash-to-g1 0xMSG32\n\n"
                       "BN254.hashToG1 (try-and-increment) of a 32-byte message; prints x and y.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char *pos[1];
    if (one_positional(&a, pos, "hash-to-g1", "0xMSG32") < 0) return 2;
    uint8_t msg[32], e[64];
    int rc = parse_msg(msg, "hash-to-g1", pos[0]);
    if (rc) return rc;
    mpavs_bn254_g1 h;
    mpavs_bls_hash_to_g1(&h, msg);
    mpavs_bn254_g1_encode(e, &h);
    print_word(e);
    print_word(e + 32);
    return 0;
}

static int bls_sign(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls sign --sk SK 0xMSG32\n\n"
                       "Signature sk * hashToG1(msg); prints sigma.x and sigma.y.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *skt = cli_opt(&a, "sk");
    char *pos[1];
    if (one_positional(&a, pos, "sign", "0xMSG32") < 0) return 2;
    uint8_t msg[32], sk[32], e[64];
    int rc = parse_msg(msg, "sign", pos[0]);
    if (rc) return rc;
    if ((rc = parse_sk(sk, "sign", skt))) return rc;
    mpavs_bn254_g1 s;
    rc = mpavs_bls_sign(&s, sk, msg);
    mpavs_wipe(sk, sizeof sk);
    if (rc != MPAVS_BLS_OK) return cli_error("sign: %s", mpavs_bls_strerror(rc));
    mpavs_bn254_g1_encode(e, &s);
    print_word(e);
    print_word(e + 32);
    return 0;
}

static int bls_verify(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls verify --pubkey-g2 XIM,XRE,YIM,YRE --sig X,Y 0xMSG32\n\n"
                       "Checks e(hashToG1(msg), pk) == e(sig, G2). Numbers decimal or 0x hex.\n"
                       "Prints 'valid' (exit 0) or 'invalid' (exit 1); malformed points exit 2.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *pkt = cli_opt(&a, "pubkey-g2"), *sigt = cli_opt(&a, "sig");
    char *pos[1];
    if (one_positional(&a, pos, "verify", "0xMSG32") < 0) return 2;
    if (!pkt || !sigt) return cli_usage_error("verify: --pubkey-g2 and --sig are required");
    uint8_t msg[32], pke[128], se[64];
    int rc = parse_msg(msg, "verify", pos[0]);
    if (rc) return rc;
    if (!parse_list(pke, 4, pkt)) return cli_usage_error("verify: --pubkey-g2 needs 4 comma-separated numbers");
    if (!parse_list(se, 2, sigt)) return cli_usage_error("verify: --sig needs 2 comma-separated numbers");
    mpavs_bn254_g2 pk;
    mpavs_bn254_g1 sig;
    if ((rc = mpavs_bn254_g2_decode(&pk, pke)) != MPAVS_BN254_OK)
        return cli_usage_error("verify: public key: %s", mpavs_bn254_strerror(rc));
    if ((rc = mpavs_bn254_g1_decode(&sig, se)) != MPAVS_BN254_OK)
        return cli_usage_error("verify: signature: %s", mpavs_bn254_strerror(rc));
    bool ok = false;
    rc = mpavs_bls_verify(&ok, &pk, msg, &sig);
    puts(ok ? "valid" : "invalid");
    return ok ? 0 : 1;
}

typedef int (*precompile_fn)(uint8_t *out, const uint8_t *in, size_t len);

static int run_precompile(int argc, char **argv, const char *cmd, const char *help, precompile_fn fn,
                          size_t outlen) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("%s", help);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char *pos[1];
    if (one_positional(&a, pos, cmd, "0xINPUT") < 0) return 2;
    size_t len;
    uint8_t *in = cli_parse_hex(cmd, pos[0], &len);
    if (!in) return 2;
    uint8_t out[64];
    int rc = fn(out, in, len);
    free(in);
    if (rc != MPAVS_BN254_OK) return cli_error("%s: precompile fails: %s", cmd, mpavs_bn254_strerror(rc));
    cli_print_hex(out, outlen);
    return 0;
}

static int ecadd_fn(uint8_t *o, const uint8_t *i, size_t l) { return mpavs_bn254_ecadd(o, i, l); }
static int ecmul_fn(uint8_t *o, const uint8_t *i, size_t l) { return mpavs_bn254_ecmul(o, i, l); }
static int pairing_fn(uint8_t *o, const uint8_t *i, size_t l) { return mpavs_bn254_ecpairing(o, i, l); }

static int bls_ecadd(int argc, char **argv) {
    return run_precompile(argc, argv, "ecadd",
                          "usage: mpavs bls ecadd 0xINPUT\n\nPrecompile 0x06: prints the 64 output bytes as one "
                          "0x-hex line; exit 1 where the precompile fails.",
                          ecadd_fn, 64);
}
static int bls_ecmul(int argc, char **argv) {
    return run_precompile(argc, argv, "ecmul",
                          "usage: mpavs bls ecmul 0xINPUT\n\nPrecompile 0x07 (x, y, scalar): prints the 64 output "
                          "bytes as one 0x-hex line; exit 1 where the precompile fails.",
                          ecmul_fn, 64);
}
static int bls_pairing(int argc, char **argv) {
    return run_precompile(argc, argv, "pairing",
                          "usage: mpavs bls pairing 0xINPUT\n\nPrecompile 0x08 (k * 192 bytes): prints the 32 "
                          "output bytes (1 or 0) as one 0x-hex line; exit 1 where the precompile fails.",
                          pairing_fn, 32);
}

#ifdef HAVE_KEYSTORE
/* gnark's fp.Element.Text(10): values v with p - v <= 65535 print as "-(p - v)". */
static void gnark_dec(char *out, size_t cap, const uint8_t v[32]) {
    uint8_t pb[32];
    mpavs_bn254_modulus_p(pb);
    mpavs_u256 x = mpavs_u256_from_be32(v), p = mpavs_u256_from_be32(pb), d;
    /* d = p - x (x < p) */
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 t = (unsigned __int128)p.w[i] - x.w[i] - borrow;
        d.w[i] = (uint64_t)t;
        borrow = (uint64_t)(t >> 64) & 1;
    }
    if (!d.w[3] && !d.w[2] && !d.w[1] && d.w[0] <= 65535 && !mpavs_u256_is_zero(&x)) {
        snprintf(out, cap, "-%llu", (unsigned long long)d.w[0]);
        return;
    }
    (void)mpavs_u256_to_dec(out, cap, &x);
}

static int bls_keygen(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls keygen --out FILE --password-file F [--insecure-scrypt]\n\n"
                       "Writes a new eigensdk-format BLS key file (mode 0600, never overwrites) and prints what\n"
                       "'mpavs bls pubkey' prints. --insecure-scrypt uses n = 2^12 (tests only).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *outp = cli_opt(&a, "out"), *pwf = cli_opt(&a, "password-file");
    bool weak = cli_flag(&a, "insecure-scrypt");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("keygen: unexpected argument");
    if (!outp || !pwf) return cli_usage_error("keygen: --out FILE and --password-file F are required");
    char *pw = cli_read_secret_file(pwf);
    if (!pw) return 2;
    uint8_t sk[32], e[64];
    int rc = mpavs_bls_keygen(sk);
    if (rc != MPAVS_BLS_OK) {
        mpavs_wipe(pw, strlen(pw));
        free(pw);
        return cli_error("keygen: %s", mpavs_bls_strerror(rc));
    }
    mpavs_bn254_g1 p1;
    if (mpavs_bls_pubkey_g1(&p1, sk) != MPAVS_BLS_OK) {
        mpavs_wipe(sk, sizeof sk);
        return cli_error("keygen: invalid secret key");
    }
    mpavs_bn254_g1_encode(e, &p1);
    char xs[90], ys[90], pub[200];
    gnark_dec(xs, sizeof xs, e);
    gnark_dec(ys, sizeof ys, e + 32);
    snprintf(pub, sizeof pub, "E([%s,%s])", xs, ys);
    mpavs_keystore_options o;
    memset(&o, 0, sizeof o);
    o.pubkey = pub;
    if (weak) o.scrypt_n = 4096;
    char *json = NULL;
    rc = mpavs_keystore_encrypt(&json, sk, 32, pw, strlen(pw), &o);
    mpavs_wipe(pw, strlen(pw));
    free(pw);
    if (rc != MPAVS_KEYSTORE_OK) {
        mpavs_wipe(sk, sizeof sk);
        return cli_error("keygen: %s", mpavs_keystore_strerror(rc));
    }
    rc = mpavs_keystore_write_file(outp, json);
    free(json);
    if (rc != MPAVS_KEYSTORE_OK) {
        mpavs_wipe(sk, sizeof sk);
        return cli_error("keygen: %s: %s", outp, mpavs_keystore_strerror(rc));
    }
    print_pubkey(sk);
    mpavs_wipe(sk, sizeof sk);
    return 0;
}

static int bls_show(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs bls show --key FILE --password-file F\n\n"
                       "Decrypts an eigensdk BLS key file and prints what 'mpavs bls pubkey' prints.\n"
                       "As eigensdk-go, the pubKey field is not trusted: the keys are recomputed from sk.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *kp = cli_opt(&a, "key"), *pwf = cli_opt(&a, "password-file");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("show: unexpected argument");
    if (!kp || !pwf) return cli_usage_error("show: --key FILE and --password-file F are required");
    char *pw = cli_read_secret_file(pwf);
    if (!pw) return 2;
    uint8_t sk[32];
    mpavs_error why = {0};
    int rc = mpavs_keystore_bls_load(sk, NULL, &why, kp, pw, strlen(pw));
    mpavs_wipe(pw, strlen(pw));
    free(pw);
    if (rc) return cli_error("show: %s: %s", kp, why.message); /* keystore errors hold no data */
    print_pubkey(sk);
    mpavs_wipe(sk, sizeof sk);
    return 0;
}

#endif /* HAVE_KEYSTORE */

static const cli_command BLS_COMMANDS[] = {
    {"pubkey", "G1/G2 public keys and operatorId of a secret key", bls_pubkey},
    {"hash-to-g1", "BN254.hashToG1 of a 32-byte message", bls_hash},
    {"sign", "sign a 32-byte message", bls_sign},
    {"verify", "verify a signature against a G2 public key", bls_verify},
    {"ecadd", "EVM precompile 0x06 (BN254 point addition)", bls_ecadd},
    {"ecmul", "EVM precompile 0x07 (BN254 scalar multiplication)", bls_ecmul},
    {"pairing", "EVM precompile 0x08 (BN254 pairing check)", bls_pairing},
#ifdef HAVE_KEYSTORE
    {"keygen", "write a new eigensdk BLS key file", bls_keygen},
    {"show", "decrypt an eigensdk BLS key file and print its keys", bls_show},
#endif
};

int cmd_bls(int argc, char **argv) {
    return cli_dispatch("mpavs bls", BLS_COMMANDS, sizeof BLS_COMMANDS / sizeof BLS_COMMANDS[0], argc, argv);
}

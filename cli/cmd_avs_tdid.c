/*
 * cli/cmd_avs_tdid.c — `mpavs avs td-identity`: the TDX workload identity a TEE quorum's policy
 * lists (`mpavs avs policy td-identity`), keccak256(MRTD || RTMR0..3 || MRCONFIGID) as
 * TEEQuorumPolicy.tdIdentityHash computes it, from a TD quote or from the measurements.
 */
#include "avs_cmds.h"
#include "cli.h"

#include "mpavs/dcap.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TDID_HELP                                                                                                      \
    "NAME\n    mpavs avs td-identity - the TDX workload identity a TEE quorum's policy allows\n\n"                      \
    "SYNOPSIS\n    mpavs avs td-identity --quote FILE [--json]\n"                                                      \
    "    mpavs avs td-identity --mrtd HEX --rtmr0 HEX --rtmr1 HEX --rtmr2 HEX --rtmr3 HEX [--mrconfigid HEX] [--json]\n\n" \
    "DESCRIPTION\n"                                                                                                    \
    "    Prints keccak256(MRTD || RTMR0 || RTMR1 || RTMR2 || RTMR3 || MRCONFIGID), 48 bytes each, as the\n"            \
    "    TEELivenessVerifier's tdIdentityHash computes it: the value to allow with `mpavs avs policy\n"                \
    "    td-identity QUORUM IDENTITY true`. From a TDX v4/v5 quote (binary or hex; parsed, not verified:\n"            \
    "    run `mpavs quote verify` for that) or from the measurements (48-byte hex values; MRCONFIGID\n"                \
    "    defaults to zeros). The TD's debug attribute is shown: the policy refuses debug TDs anyway.\n\n"              \
    "OPTIONS\n"                                                                                                        \
    "  --quote FILE          a TDX quote (the TD's own, e.g. from configfs-tsm)\n"                                     \
    "  --mrtd, --rtmr0..--rtmr3, --mrconfigid HEX   the measurements (0x optional)\n"                                  \
    "  --json                one JSON object {identity, mr_td, rtmr0..3, mr_config_id, debug}\n\n"                      \
    "EXIT STATUS\n    0 printed, 1 the quote is unreadable or not a TDX quote, 2 usage error\n"

/* A 48-byte measurement from hex (0x optional). */
static int measurement(uint8_t out[48], const char *flag, const char *v) {
    if (!v) return cli_usage_error("avs td-identity: --%s HEX is required (48 bytes)", flag);
    if (mpavs_hex_decode_exact(out, 48, v) != MPAVS_HEX_OK)
        return cli_usage_error("avs td-identity: --%s: expected 48 bytes of hex (96 digits)", flag);
    return 0;
}

static void print_hex(FILE *f, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
}

int cmd_avs_td_identity(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        fputs(TDID_HELP, stdout);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *qf = cli_opt(&a, "quote");
    static const char *const FLAGS[6] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "mrconfigid"};
    const char *v[6];
    for (int i = 0; i < 6; i++) v[i] = cli_opt(&a, FLAGS[i]);
    bool json = cli_flag(&a, "json");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("avs td-identity: unexpected argument '%s'", pos[0]);
    uint8_t m[6 * 48] = {0}; /* MRTD, RTMR0..3, MRCONFIGID: the hashed bytes in order */
    bool debug = false, have_debug = false;
    if (qf) {
        for (int i = 0; i < 6; i++)
            if (v[i]) return cli_usage_error("avs td-identity: give --quote or the measurements, not both");
        size_t len = 0;
        unsigned char *raw = cli_read_file(qf, &len);
        if (!raw) return 1;
        /* binary, or hex text */
        uint8_t *bin = raw;
        size_t blen = len;
        uint8_t *dec = NULL;
        if (len >= 2 && raw[0] == '0' && (raw[1] == 'x' || raw[1] == 'X')) {
            size_t n = len;
            while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r' || raw[n - 1] == ' ')) n--;
            raw[n] = 0;
            dec = malloc(n / 2 + 1);
            if (!dec || mpavs_hex_decode(dec, n / 2 + 1, &blen, (const char *)raw, n) != MPAVS_HEX_OK) {
                free(dec);
                free(raw);
                return cli_error("avs td-identity: %s: not a quote (binary or 0x hex)", qf);
            }
            bin = dec;
        }
        mpavs_dcap_quote q;
        int r = mpavs_dcap_quote_parse(&q, bin, blen);
        int rc = 0;
        if (r != MPAVS_DCAP_OK) rc = cli_error("avs td-identity: %s: %s", qf, mpavs_dcap_strerror(r));
        else if (q.body_type == MPAVS_DCAP_BODY_SGX) rc = cli_error("avs td-identity: %s is an SGX quote, not a TD's", qf);
        else {
            const uint8_t *b = q.body; /* TD report body: MRTD at 136, MRCONFIGID at 184, RTMR0..3 at 328 */
            memcpy(m, b + 136, 48);
            memcpy(m + 48, b + 328, 4 * 48);
            memcpy(m + 5 * 48, b + 184, 48);
            debug = mpavs_dcap_is_debug(&q);
            have_debug = true;
        }
        free(dec);
        free(raw);
        if (rc) return rc;
    } else {
        int order[6] = {0, 1, 2, 3, 4, 5}; /* FLAGS order = hashed order */
        for (int i = 0; i < 5; i++) {
            int rc = measurement(m + 48 * order[i], FLAGS[i], v[i]);
            if (rc) return rc;
        }
        if (v[5]) {
            int rc = measurement(m + 5 * 48, FLAGS[5], v[5]);
            if (rc) return rc;
        }
    }
    uint8_t id[32];
    mpavs_keccak256(id, m, sizeof m);
    if (!json) {
        printf("0x");
        print_hex(stdout, id, 32);
        printf("\n");
        if (have_debug && debug) fprintf(stderr, "avs td-identity: warning: this TD is in debug mode: every policy refuses it\n");
        return 0;
    }
    static const char *const KEYS[6] = {"mr_td", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "mr_config_id"};
    printf("{\"identity\":\"0x");
    print_hex(stdout, id, 32);
    printf("\"");
    for (int i = 0; i < 6; i++) {
        printf(",\"%s\":\"0x", KEYS[i]);
        print_hex(stdout, m + 48 * i, 48);
        printf("\"");
    }
    if (have_debug) printf(",\"debug\":%s", debug ? "true" : "false");
    printf("}\n");
    return 0;
}

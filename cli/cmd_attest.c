/* mpavs attest devnet-ca | sim-quote — DEVNET ONLY attestation hierarchy (no SGX hardware). */
#include "cli.h"
#include "commands.h"

#include "mpavs/dcap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int devnet_ca(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs attest devnet-ca --out DIR [--now UNIX_SECONDS] [--revoke-pck]\n\n"
                       "DEVNET ONLY. Creates a test attestation hierarchy in DIR: root CA (root.der/.pem), PCK\n"
                       "Platform CA with root and PCK CRLs, TCB signing certificate, signed TCB info v3 and QE\n"
                       "identity v2 (Intel PCS formats), a PCK leaf with SGX extensions, private keys, and\n"
                       "collateral.dcapqvl.json; for TDX quotes (sim-quote --tdx) a TDX TCB info and the TD QE\n"
                       "identity in collateral_tdx.dcapqvl.json. Validity starts one day before --now (default: now).\n"
                       "--revoke-pck lists the PCK leaf in the PCK CRL (for negative tests).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *out = cli_opt(&a, "out"), *ns = cli_opt(&a, "now");
    bool revoke = cli_flag(&a, "revoke-pck");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!out) return cli_usage_error("attest devnet-ca: --out DIR is required");
    int64_t now = (int64_t)time(NULL);
    if (ns) {
        char *end;
        long long v = strtoll(ns, &end, 10);
        if (!*ns || *end || v < 0) return cli_usage_error("attest devnet-ca: --now: expected unix seconds");
        now = v;
    }
    int r = mpavs_dcap_devnet_generate(out, now, revoke);
    if (r) return cli_error("attest devnet-ca: %s: %s", out, mpavs_dcap_strerror(r));
    fprintf(stderr, "DEVNET ONLY attestation hierarchy written to %s (not Intel; not for production)\n", out);
    return 0;
}

static int hex_arg(const char *what, const char *s, uint8_t *out, size_t n) {
    size_t len;
    uint8_t *b = cli_parse_hex(what, s, &len);
    if (!b) return 2;
    if (len != n) {
        free(b);
        return cli_usage_error("attest sim-quote: %s must be %zu bytes, got %zu", what, n, len);
    }
    memcpy(out, b, n);
    free(b);
    return 0;
}

static int sim_quote(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs attest sim-quote --ca DIR --report-data 0xHEX64 [--mr-enclave 0xHEX32]\n"
                       "                              [--mr-signer 0xHEX32] [--debug] [--hex] --out FILE\n"
                       "       mpavs attest sim-quote --tdx --ca DIR --report-data 0xHEX64 [--mr-td 0xHEX48]\n"
                       "                              [--debug] [--hex] --out FILE\n\n"
                       "DEVNET ONLY. Makes an SGX v3 quote (with --tdx: a TDX v4 quote, TD 1.0 body) signed\n"
                       "through the devnet hierarchy in DIR exactly as a QE (the TD QE) signs (QE report by the\n"
                       "PCK key, attestation key bound by the QE report data, ISV or TD report by the\n"
                       "attestation key). Verify it with\n"
                       "  mpavs quote verify --quote FILE --collateral DIR/collateral.dcapqvl.json --root-ca DIR/root.der\n"
                       "(TDX: --collateral DIR/collateral_tdx.dcapqvl.json).\n"
                       "--report-data takes up to 64 bytes (zero-padded on the right); --hex writes hex text.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *ca = cli_opt(&a, "ca"), *rd = cli_opt(&a, "report-data"), *me = cli_opt(&a, "mr-enclave"),
               *ms = cli_opt(&a, "mr-signer"), *out = cli_opt(&a, "out"), *mt = cli_opt(&a, "mr-td");
    bool debug = cli_flag(&a, "debug"), hex = cli_flag(&a, "hex"), tdx = cli_flag(&a, "tdx");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!ca || !rd || !out) return cli_usage_error("attest sim-quote: --ca, --report-data and --out are required");
    if (tdx && (me || ms)) return cli_usage_error("attest sim-quote: --mr-enclave/--mr-signer are SGX fields (--tdx: --mr-td)");
    if (!tdx && mt) return cli_usage_error("attest sim-quote: --mr-td needs --tdx");
    uint8_t rdata[64] = {0}, mre[32], mrs[32], mrtd[48];
    size_t rl;
    uint8_t *rb = cli_parse_hex("report-data", rd, &rl);
    if (!rb) return 2;
    if (rl > 64) {
        free(rb);
        return cli_usage_error("attest sim-quote: --report-data is at most 64 bytes, got %zu", rl);
    }
    memcpy(rdata, rb, rl);
    free(rb);
    if (me && hex_arg("mr-enclave", me, mre, 32)) return 2;
    if (ms && hex_arg("mr-signer", ms, mrs, 32)) return 2;
    if (mt && hex_arg("mr-td", mt, mrtd, 48)) return 2;
    mpavs_dcap_devnet *d = NULL;
    int r = mpavs_dcap_devnet_load(&d, ca);
    if (r) return cli_usage_error("attest sim-quote: --ca %s: %s", ca, mpavs_dcap_strerror(r));
    size_t need = 0;
    r = tdx ? mpavs_dcap_devnet_tdx_quote(d, NULL, 0, &need, rdata, NULL, false)
            : mpavs_dcap_devnet_quote(d, NULL, 0, &need, rdata, NULL, NULL, false);
    if (r != MPAVS_DCAP_ERR_BUFFER_TOO_SMALL) {
        mpavs_dcap_devnet_free(d);
        return cli_error("attest sim-quote: cannot size the quote");
    }
    uint8_t *q = malloc(need);
    int rc = 1;
    if (!q) {
        rc = cli_error("out of memory");
        goto done;
    }
    r = tdx ? mpavs_dcap_devnet_tdx_quote(d, q, need, &need, rdata, mt ? mrtd : NULL, debug)
            : mpavs_dcap_devnet_quote(d, q, need, &need, rdata, me ? mre : NULL, ms ? mrs : NULL, debug);
    if (r) {
        rc = cli_error("attest sim-quote: %s", mpavs_dcap_strerror(r));
        goto done;
    }
    FILE *f = fopen(out, "wb");
    bool ok = f != NULL;
    if (ok && hex) {
        for (size_t i = 0; i < need && ok; i++) ok = fprintf(f, "%02x", q[i]) == 2;
        ok = ok && fputc('\n', f) != EOF;
    } else if (ok) {
        ok = fwrite(q, 1, need, f) == need;
    }
    if (f && fclose(f) != 0) ok = false;
    rc = ok ? 0 : cli_error("attest sim-quote: cannot write %s", out);
done:
    free(q);
    mpavs_dcap_devnet_free(d);
    return rc;
}

int cmd_attest(int argc, char **argv) {
    static const cli_command T[] = {
        {"devnet-ca", "DEVNET ONLY: create a test SGX attestation hierarchy", devnet_ca},
        {"sim-quote", "DEVNET ONLY: make an SGX v3 or TDX v4 quote signed through a devnet hierarchy", sim_quote},
    };
    return cli_dispatch("mpavs attest", T, sizeof T / sizeof T[0], argc, argv);
}

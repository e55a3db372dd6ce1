/* mpavs quote verify | show | collateral — DCAP quote verification (Intel QVL semantics). */
#include "cli.h"
#include "commands.h"

#include "mpavs/dcap.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int hexv(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* A quote file holds binary bytes or hex text (optional 0x; whitespace and line breaks allowed). */
static bool is_ws(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

static uint8_t *read_quote(const char *path, size_t *len) {
    size_t n;
    unsigned char *b = cli_read_file(path, &n);
    if (!b) return NULL;
    size_t s = 0;
    while (s < n && is_ws(b[s])) s++;
    if (n - s >= 2 && b[s] == '0' && (b[s + 1] == 'x' || b[s + 1] == 'X')) s += 2;
    size_t digits = 0;
    bool hex = true;
    for (size_t i = s; hex && i < n; i++) {
        if (is_ws(b[i])) continue;
        if (hexv(b[i]) < 0) hex = false;
        digits++;
    }
    if (hex && digits > 0 && digits % 2 == 0) {
        size_t o = 0;
        int hi = -1;
        for (size_t i = s; i < n; i++) {
            if (is_ws(b[i])) continue;
            if (hi < 0) {
                hi = hexv(b[i]);
            } else {
                b[o++] = (unsigned char)(hi << 4 | hexv(b[i]));
                hi = -1;
            }
        }
        *len = o;
    } else {
        *len = n;
    }
    return b;
}

static json_t *jhex(const uint8_t *b, size_t n) {
    char buf[2 * 648 + 1];
    if (n > 648) n = 648;
    for (size_t i = 0; i < n; i++) snprintf(buf + 2 * i, 3, "%02x", b[i]);
    buf[2 * n] = 0;
    return json_string(buf);
}

static void put(json_t *o, const char *k, json_t *v) { json_object_set_new(o, k, v); }

static void add_body(json_t *o, const mpavs_dcap_quote *q) {
    const uint8_t *b = q->body;
    if (q->body_type == MPAVS_DCAP_BODY_SGX) {
        put(o, "cpu_svn", jhex(b, 16));
        put(o, "misc_select", json_integer(b[16] | b[17] << 8 | b[18] << 16 | (json_int_t)b[19] << 24));
        put(o, "attributes", jhex(b + 48, 16));
        put(o, "mr_enclave", jhex(b + 64, 32));
        put(o, "mr_signer", jhex(b + 128, 32));
        put(o, "isv_prod_id", json_integer(b[256] | b[257] << 8));
        put(o, "isv_svn", json_integer(b[258] | b[259] << 8));
        put(o, "report_data", jhex(b + 320, 64));
    } else {
        put(o, "tee_tcb_svn", jhex(b, 16));
        put(o, "mr_seam", jhex(b + 16, 48));
        put(o, "mr_signer_seam", jhex(b + 64, 48));
        put(o, "seam_attributes", jhex(b + 112, 8));
        put(o, "td_attributes", jhex(b + 120, 8));
        put(o, "xfam", jhex(b + 128, 8));
        put(o, "mr_td", jhex(b + 136, 48));
        put(o, "mr_config_id", jhex(b + 184, 48));
        put(o, "mr_owner", jhex(b + 232, 48));
        put(o, "mr_owner_config", jhex(b + 280, 48));
        put(o, "rtmr0", jhex(b + 328, 48));
        put(o, "rtmr1", jhex(b + 376, 48));
        put(o, "rtmr2", jhex(b + 424, 48));
        put(o, "rtmr3", jhex(b + 472, 48));
        put(o, "report_data", jhex(b + 520, 64));
        if (q->body_type == MPAVS_DCAP_BODY_TD15) {
            put(o, "tee_tcb_svn2", jhex(b + 584, 16));
            put(o, "mr_service_td", jhex(b + 600, 48));
        }
    }
}

static int print_json(json_t *o) {
    char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    if (!s) return cli_error("out of memory");
    puts(s);
    free(s);
    return 0;
}

/* Policy file: {"reject_debug":bool, "accepted_statuses":[names], "mr_enclave":[hex],
 * "mr_signer":[hex], "mr_td":[hex]} — every key optional. */
typedef struct {
    mpavs_dcap_policy p;
    uint8_t (*enc)[32], (*sig)[32], (*td)[48];
} policy_buf;

static bool hexlist(json_t *a, size_t n, uint8_t *out, size_t *count) {
    size_t i;
    json_t *e;
    *count = 0;
    if (!a) return true;
    if (!json_is_array(a)) return false;
    json_array_foreach(a, i, e) {
        const char *s = json_string_value(e);
        if (!s) return false;
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
        if (strlen(s) != 2 * n) return false;
        for (size_t k = 0; k < n; k++) {
            int h = hexv(s[2 * k]), l = hexv(s[2 * k + 1]);
            if (h < 0 || l < 0) return false;
            out[i * n + k] = (uint8_t)(h << 4 | l);
        }
        (*count)++;
    }
    return true;
}

static int load_policy(policy_buf *pb, const char *path) {
    memset(pb, 0, sizeof *pb);
    size_t n;
    unsigned char *b = cli_read_file(path, &n);
    if (!b) return 2;
    json_error_t je;
    json_t *o = json_loadb((const char *)b, n, 0, &je);
    free(b);
    if (!json_is_object(o)) {
        json_decref(o);
        return cli_usage_error("quote verify: --policy %s: not a JSON object (%s)", path, je.text);
    }
    const char *bad = NULL;
    json_t *rd = json_object_get(o, "reject_debug"), *st = json_object_get(o, "accepted_statuses");
    json_t *me = json_object_get(o, "mr_enclave"), *ms = json_object_get(o, "mr_signer"),
           *mt = json_object_get(o, "mr_td");
    if (rd && !json_is_boolean(rd)) bad = "reject_debug must be true/false";
    pb->p.reject_debug = rd ? json_is_true(rd) : true;
    if (!bad && st) {
        size_t i;
        json_t *e;
        if (!json_is_array(st)) bad = "accepted_statuses must be an array";
        else {
            pb->p.use_status_set = true;
            json_array_foreach(st, i, e) {
                int s = mpavs_dcap_tcb_status_parse(json_string_value(e));
                if (s < 0) bad = "accepted_statuses: unknown status name";
                else pb->p.accept_status[s] = true;
            }
        }
    }
    size_t c1 = json_array_size(me), c2 = json_array_size(ms), c3 = json_array_size(mt);
    pb->enc = calloc(c1 + 1, 32);
    pb->sig = calloc(c2 + 1, 32);
    pb->td = calloc(c3 + 1, 48);
    if (!bad && (!hexlist(me, 32, pb->enc[0], &pb->p.n_mr_enclave) ||
                 !hexlist(ms, 32, pb->sig[0], &pb->p.n_mr_signer) || !hexlist(mt, 48, pb->td[0], &pb->p.n_mr_td)))
        bad = "mr_enclave/mr_signer must be arrays of 32-byte hex, mr_td of 48-byte hex";
    pb->p.mr_enclave = (const uint8_t(*)[32])pb->enc;
    pb->p.mr_signer = (const uint8_t(*)[32])pb->sig;
    pb->p.mr_td = (const uint8_t(*)[48])pb->td;
    json_decref(o);
    if (bad) return cli_usage_error("quote verify: --policy %s: %s", path, bad);
    return 0;
}

static void free_policy(policy_buf *pb) {
    free(pb->enc);
    free(pb->sig);
    free(pb->td);
}

static int parse_now(const char *s, int64_t *now) {
    if (!s) {
        *now = (int64_t)time(NULL);
        return 0;
    }
    char *end;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || v < 0) return cli_usage_error("--now: expected unix seconds, got '%s'", s);
    *now = v;
    return 0;
}

static int quote_verify(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs quote verify --quote FILE --collateral FILE [--now UNIX_SECONDS]\n"
                       "                          [--root-ca FILE] [--policy FILE] [--automata-output]\n\n"
                       "Verifies an SGX/TDX DCAP quote (binary or hex text) against QuoteCollateralV3 JSON as\n"
                       "Intel's QVL does, at --now (default: the current time). --root-ca replaces the pinned\n"
                       "Intel SGX Root CA (DER or PEM; e.g. a devnet root). Without --policy every status but\n"
                       "Revoked is accepted and debug is allowed; a policy file is JSON with optional keys\n"
                       "reject_debug (default true), accepted_statuses, mr_enclave, mr_signer, mr_td.\n"
                       "--automata-output adds the bytes Automata's on-chain verifier v1.0 returns (hex).\n"
                       "Prints one JSON object; exit 0 verified, 1 not verified, 2 bad arguments.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *qf = cli_opt(&a, "quote"), *cf = cli_opt(&a, "collateral"), *nf = cli_opt(&a, "now"),
               *rf = cli_opt(&a, "root-ca"), *pf = cli_opt(&a, "policy");
    bool automata = cli_flag(&a, "automata-output");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!qf || !cf) return cli_usage_error("quote verify: --quote FILE and --collateral FILE are required");
    int64_t now = 0;
    if (parse_now(nf, &now)) return 2;
    policy_buf pb;
    memset(&pb, 0, sizeof pb);
    if (pf && load_policy(&pb, pf)) {
        free_policy(&pb);
        return 2;
    }
    int rc = 2;
    size_t ql = 0, cl = 0, rl = 0;
    uint8_t *q = read_quote(qf, &ql);
    unsigned char *c = q ? cli_read_file(cf, &cl) : NULL;
    unsigned char *root = (c && rf) ? cli_read_file(rf, &rl) : NULL;
    mpavs_dcap_verifier *v = NULL;
    mpavs_dcap_verdict *vd = calloc(1, sizeof *vd);
    if (!q || !c || (rf && !root) || !vd) goto out;
    int r = mpavs_dcap_verifier_create(&v, root, rl, false);
    if (r) {
        cli_usage_error("quote verify: %s: %s", rf ? rf : "Intel root", mpavs_dcap_strerror(r));
        goto out;
    }
    bool ok = false;
    r = mpavs_dcap_verify_json(v, &ok, vd, q, ql, (const char *)c, cl, now);
    if (r) {
        rc = cli_error("quote verify: %s", mpavs_dcap_strerror(r));
        goto out;
    }
    if (ok) {
        mpavs_dcap_policy def;
        memset(&def, 0, sizeof def);
        if (mpavs_dcap_policy_check(&ok, vd, pf ? &pb.p : &def) != 0) ok = false;
    }
    json_t *o = json_object();
    if (!ok) {
        put(o, "verified", json_false());
        put(o, "error", json_string(mpavs_dcap_strerror(vd->error)));
        put(o, "detail", json_string(vd->detail));
        if (vd->tcb_status >= 0) put(o, "tcb_status", json_string(mpavs_dcap_tcb_status_name(vd->tcb_status)));
        print_json(o);
        rc = 1;
        goto out;
    }
    const mpavs_dcap_quote *qq = &vd->quote;
    put(o, "verified", json_true());
    put(o, "tee", json_string(qq->tee_type == MPAVS_DCAP_TEE_TDX ? "tdx" : "sgx"));
    put(o, "version", json_integer(qq->version));
    put(o, "tcb_status", json_string(mpavs_dcap_tcb_status_name(vd->tcb_status)));
    json_t *adv = json_array();
    for (size_t i = 0; i < vd->n_advisories; i++) json_array_append_new(adv, json_string(vd->advisory_ids[i]));
    put(o, "advisory_ids", adv);
    put(o, "fmspc", jhex(vd->fmspc, 6));
    put(o, "debug", json_boolean(mpavs_dcap_is_debug(qq)));
    put(o, "platform_status", json_string(mpavs_dcap_tcb_status_name(vd->platform_status)));
    put(o, "qe_status", json_string(mpavs_dcap_tcb_status_name(vd->qe_status)));
    if (qq->tee_type == MPAVS_DCAP_TEE_TDX)
        put(o, "module_status", json_string(mpavs_dcap_tcb_status_name(vd->module_status)));
    add_body(o, qq);
    if (automata) {
        uint8_t out[13 + 648];
        size_t n = 0;
        if (mpavs_dcap_automata_output(out, sizeof out, &n, vd) == 0) {
            char hexs[2 * sizeof out + 3] = "0x";
            for (size_t i = 0; i < n; i++) snprintf(hexs + 2 + 2 * i, 3, "%02x", out[i]);
            put(o, "automata_output", json_string(hexs));
        }
    }
    print_json(o);
    rc = 0;
out:
    mpavs_dcap_verifier_destroy(v);
    free(vd);
    free(q);
    free(c);
    free(root);
    free_policy(&pb);
    return rc;
}

static int quote_show(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs quote show --quote FILE\n\n"
                       "Prints the parsed quote (binary or hex text) as JSON, without verifying anything.\n"
                       "Exit 1 with {\"error\":...} if the quote does not parse.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *qf = cli_opt(&a, "quote");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!qf) return cli_usage_error("quote show: --quote FILE is required");
    size_t ql;
    uint8_t *b = read_quote(qf, &ql);
    if (!b) return 2;
    mpavs_dcap_quote q;
    int r = mpavs_dcap_quote_parse(&q, b, ql);
    json_t *o = json_object();
    if (r) {
        put(o, "error", json_string(mpavs_dcap_strerror(r)));
        put(o, "bytes", json_integer((json_int_t)ql));
        print_json(o);
        free(b);
        return 1;
    }
    put(o, "version", json_integer(q.version));
    put(o, "tee", json_string(q.tee_type == MPAVS_DCAP_TEE_TDX ? "tdx" : "sgx"));
    put(o, "body_type", json_string(q.body_type == MPAVS_DCAP_BODY_SGX    ? "sgx"
                                    : q.body_type == MPAVS_DCAP_BODY_TD10 ? "td10"
                                                                          : "td15"));
    put(o, "att_key_type", json_integer(q.att_key_type));
    put(o, "qe_svn", json_integer(q.qe_svn));
    put(o, "pce_svn", json_integer(q.pce_svn));
    put(o, "qe_vendor_id", jhex(q.qe_vendor, 16));
    put(o, "user_data", jhex(q.user_data, 20));
    put(o, "debug", json_boolean(mpavs_dcap_is_debug(&q)));
    add_body(o, &q);
    put(o, "signature", jhex(q.signature, 64));
    put(o, "attestation_key", jhex(q.att_key, 64));
    json_t *qe = json_object();
    put(qe, "mr_enclave", jhex(q.qe_report + 64, 32));
    put(qe, "mr_signer", jhex(q.qe_report + 128, 32));
    put(qe, "isv_prod_id", json_integer(q.qe_report[256] | q.qe_report[257] << 8));
    put(qe, "isv_svn", json_integer(q.qe_report[258] | q.qe_report[259] << 8));
    put(qe, "report_data", jhex(q.qe_report + 320, 64));
    put(qe, "signature", jhex(q.qe_report_sig, 64));
    put(o, "qe_report", qe);
    put(o, "qe_auth_data", jhex(q.qe_auth, q.qe_auth_len));
    put(o, "cert_data_type", json_integer(q.cert_type));
    put(o, "pck_cert_data_type", json_integer(q.pck_cert_type));
    put(o, "cert_data_size", json_integer(q.cert_data_len));
    if (q.pem[0]) {
        json_t *pems = json_array();
        for (int i = 0; i < 3; i++) json_array_append_new(pems, json_stringn((const char *)q.pem[i], q.pem_len[i]));
        put(o, "pck_chain", pems);
    }
    put(o, "quote_size", json_integer((json_int_t)q.quote_len));
    put(o, "trailing_bytes", json_integer((json_int_t)q.trailing));
    print_json(o);
    free(b);
    return 0;
}

static int quote_collateral(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs quote collateral --tcb-info FILE --qe-identity FILE --pck-crl FILE\n"
                       "                              --root-ca-crl FILE [--tcb-signing-chain FILE]\n"
                       "                              [--pck-crl-issuer-chain FILE] --out FILE\n\n"
                       "Assembles dcap-qvl QuoteCollateralV3 JSON from Intel PCS files: TCB info\n"
                       "{\"tcbInfo\":…,\"signature\":…} and QE identity {\"enclaveIdentity\":…} (signed substrings\n"
                       "kept byte-exact), CRLs in DER or PEM, PEM issuer chains (default: Intel's production\n"
                       "TCB Signing + Root, and the PCK Platform/Processor CA named by the PCK CRL).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *tf = cli_opt(&a, "tcb-info"), *qf = cli_opt(&a, "qe-identity"), *pf = cli_opt(&a, "pck-crl"),
               *rf = cli_opt(&a, "root-ca-crl"), *sf = cli_opt(&a, "tcb-signing-chain"),
               *cf = cli_opt(&a, "pck-crl-issuer-chain"), *of = cli_opt(&a, "out");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!tf || !qf || !pf || !rf || !of)
        return cli_usage_error("quote collateral: --tcb-info, --qe-identity, --pck-crl, --root-ca-crl and --out are required");
    size_t tl, ql, pl, rl, sl, cl;
    unsigned char *t = cli_read_file(tf, &tl), *q = t ? cli_read_file(qf, &ql) : NULL;
    unsigned char *p = q ? cli_read_file(pf, &pl) : NULL, *r = p ? cli_read_file(rf, &rl) : NULL;
    unsigned char *s = (r && sf) ? cli_read_file(sf, &sl) : NULL, *c = (r && cf) ? cli_read_file(cf, &cl) : NULL;
    int rc = 2;
    char *json = NULL;
    mpavs_error detail = {0}; /* dcap errors hold no data */
    if (!t || !q || !p || !r || (sf && !s) || (cf && !c)) goto out;
    int e = mpavs_dcap_collateral_assemble(&json, &detail, (const char *)t, tl, (const char *)q, ql,
                                           p, pl, r, rl, (const char *)s, (const char *)c);
    if (e) {
        rc = cli_error("quote collateral: %s: %s", mpavs_dcap_strerror(e), detail.message);
        goto out;
    }
    FILE *f = fopen(of, "wb");
    if (!f || fputs(json, f) < 0 || fputc('\n', f) == EOF) {
        if (f) fclose(f);
        rc = cli_error("quote collateral: cannot write %s", of);
        goto out;
    }
    rc = fclose(f) == 0 ? 0 : cli_error("quote collateral: cannot write %s", of);
out:
    free(t), free(q), free(p), free(r), free(s), free(c), free(json);
    return rc;
}

int cmd_quote(int argc, char **argv) {
    static const cli_command T[] = {
        {"verify", "verify a DCAP quote with collateral at a given time", quote_verify},
        {"show", "print a parsed quote as JSON (no verification)", quote_show},
        {"collateral", "assemble QuoteCollateralV3 JSON from Intel PCS files", quote_collateral},
    };
    return cli_dispatch("mpavs quote", T, sizeof T / sizeof T[0], argc, argv);
}

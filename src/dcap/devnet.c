/*
 * DEVNET ONLY attestation hierarchy: a test root CA, PCK Platform CA, TCB signing key, TCB info
 * and QE identity in Intel's formats (SGX, and TDX with the TD QE), a PCK leaf with SGX
 * extensions, and SGX v3 / TDX v4 quotes signed as a real QE signs them. Nothing here chains to
 * Intel: quotes verify only with the devnet root.
 */
#include "dcap_internal.h"

#include <errno.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Fixed devnet platform/QE parameters (the PCK leaf and the QE identity carry the same). */
static const uint8_t DEV_FMSPC[6] = {0x00, 0xDE, 0x7E, 0x00, 0x00, 0x00};
static const uint8_t DEV_COMPS[16] = {4, 4, 3, 3, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
static const uint16_t DEV_PCESVN = 13;
static const uint16_t DEV_QE_ISVSVN = 8;
static const uint16_t DEV_QE_PRODID = 1;
static const uint16_t DEV_TD_QE_PRODID = 2; /* as Intel's TD QE */
/* TEE_TCB_SVN of devnet TDs (byte 1, the module version, 0: the tdxModule identity applies). */
static const uint8_t DEV_TDX_COMPS[16] = {5, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
/* MRSIGNER of the devnet QE: sha256("mpavs devnet QE signer - DEVNET ONLY") computed at use;
 * of the devnet TD QE: sha256("mpavs devnet TD QE signer - DEVNET ONLY"). */
static void dev_qe_mrsigner(uint8_t out[32], bool td) {
    static const char s[] = "mpavs devnet QE signer - DEVNET ONLY";
    static const char t[] = "mpavs devnet TD QE signer - DEVNET ONLY";
    if (td)
        dcap_sha256(out, t, sizeof t - 1);
    else
        dcap_sha256(out, s, sizeof s - 1);
}

struct mpavs_dcap_devnet {
    EVP_PKEY *pck_key;
    char *chain_pem; /* leaf + CA + root PEM */
    size_t chain_len;
    uint8_t *root_der;
    size_t root_der_len;
    char *collateral;
    size_t collateral_len;
    char *collateral_tdx; /* NULL for a directory made before TDX support */
    size_t collateral_tdx_len;
};

/* ---------------- file helpers ---------------- */

static int write_file(const char *dir, const char *name, const void *data, size_t len, bool secret) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return MPAVS_DCAP_ERR_IO;
    /* private keys are created 0600 from the start */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, secret ? 0600 : 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0) close(fd);
        return MPAVS_DCAP_ERR_IO;
    }
    if (secret && fchmod(fd, 0600) != 0) {
        fclose(f);
        return MPAVS_DCAP_ERR_IO;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    if (fclose(f) != 0) ok = false;
    return ok ? MPAVS_DCAP_OK : MPAVS_DCAP_ERR_IO;
}

static char *read_file(const char *dir, const char *name, size_t *len) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *b = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
    if (n >= 0 && n < (1L << 26) && fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL) {
        if (fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        } else {
            b[n] = 0;
            *len = (size_t)n;
        }
    }
    fclose(f);
    return b;
}

static char *bio_text(BIO *b, size_t *len) {
    char *data;
    long n = BIO_get_mem_data(b, &data);
    char *out = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (out) {
        memcpy(out, data, (size_t)n);
        out[n] = 0;
        if (len) *len = (size_t)n;
    }
    return out;
}

static char *cert_pem(X509 *x) {
    BIO *b = BIO_new(BIO_s_mem());
    char *s = (b && PEM_write_bio_X509(b, x)) ? bio_text(b, NULL) : NULL;
    BIO_free(b);
    return s;
}

static int write_key(const char *dir, const char *name, EVP_PKEY *k) {
    BIO *b = BIO_new(BIO_s_mem());
    size_t n = 0;
    char *s = (b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL)) ? bio_text(b, &n) : NULL;
    BIO_free(b);
    if (!s) return MPAVS_DCAP_ERR_DEVNET;
    int r = write_file(dir, name, s, n, true);
    OPENSSL_cleanse(s, n);
    free(s);
    return r;
}

/* ---------------- certificate building ---------------- */

static X509_NAME *dev_name(const char *cn) {
    X509_NAME *n = X509_NAME_new();
    if (n && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0) &&
        X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"mpavs DEVNET ONLY - not Intel",
                                   -1, -1, 0) &&
        X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"XX", -1, -1, 0))
        return n;
    X509_NAME_free(n);
    return NULL;
}

static bool add_ext(X509 *x, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, &ctx, nid, value);
    bool ok = e && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

static bool rand_serial(ASN1_INTEGER *s) {
    uint8_t b[16];
    if (RAND_bytes(b, sizeof b) != 1) return false;
    b[0] &= 0x7f;
    b[0] |= 0x01;
    BIGNUM *bn = BN_bin2bn(b, sizeof b, NULL);
    bool ok = bn && BN_to_ASN1_INTEGER(bn, s);
    BN_free(bn);
    return ok;
}

/* Build the DER of the SGX extension value (SEQUENCE of {OID, value}). */
static size_t der_hdr(uint8_t *o, uint8_t tag, size_t len) {
    o[0] = tag;
    if (len < 128) {
        o[1] = (uint8_t)len;
        return 2;
    }
    o[1] = 0x82;
    o[2] = (uint8_t)(len >> 8);
    o[3] = (uint8_t)len;
    return 4;
}

static size_t sgx_entry(uint8_t *o, const uint8_t *arcs, size_t narcs, uint8_t vtag, const uint8_t *v,
                        size_t vl) {
    static const uint8_t base[9] = {0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01};
    uint8_t body[600];
    size_t n = der_hdr(body, 0x06, 9 + narcs);
    memcpy(body + n, base, 9);
    memcpy(body + n + 9, arcs, narcs);
    n += 9 + narcs;
    n += der_hdr(body + n, vtag, vl);
    memcpy(body + n, v, vl);
    n += vl;
    size_t h = der_hdr(o, 0x30, n);
    memcpy(o + h, body, n);
    return h + n;
}

static size_t sgx_ext_der(uint8_t *out, const uint8_t ppid[16]) {
    uint8_t items[1200], tcb[700];
    size_t n = 0, t = 0;
    n += sgx_entry(items + n, (const uint8_t[]){1}, 1, 0x04, ppid, 16);
    for (uint8_t i = 1; i <= 16; i++) {
        uint8_t v[2] = {0, DEV_COMPS[i - 1]};
        bool pad = DEV_COMPS[i - 1] & 0x80;
        t += sgx_entry(tcb + t, (const uint8_t[]){2, i}, 2, 0x02, pad ? v : v + 1, pad ? 2 : 1);
    }
    uint8_t pv[1] = {(uint8_t)DEV_PCESVN};
    t += sgx_entry(tcb + t, (const uint8_t[]){2, 17}, 2, 0x02, pv, 1);
    t += sgx_entry(tcb + t, (const uint8_t[]){2, 18}, 2, 0x04, DEV_COMPS, 16);
    uint8_t tseq[704];
    size_t th = der_hdr(tseq, 0x30, t);
    memcpy(tseq + th, tcb, t);
    /* the TCB entry value is the SEQUENCE itself: write OID then the sequence */
    {
        static const uint8_t base[9] = {0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01};
        uint8_t body[800];
        size_t b = der_hdr(body, 0x06, 10);
        memcpy(body + b, base, 9);
        body[b + 9] = 2;
        b += 10;
        memcpy(body + b, tseq, th + t);
        b += th + t;
        size_t h = der_hdr(items + n, 0x30, b);
        memcpy(items + n + h, body, b);
        n += h + b;
    }
    static const uint8_t pceid[2] = {0, 0};
    n += sgx_entry(items + n, (const uint8_t[]){3}, 1, 0x04, pceid, 2);
    n += sgx_entry(items + n, (const uint8_t[]){4}, 1, 0x04, DEV_FMSPC, 6);
    static const uint8_t type0[1] = {0};
    n += sgx_entry(items + n, (const uint8_t[]){5}, 1, 0x0A, type0, 1);
    size_t h = der_hdr(out, 0x30, n);
    memcpy(out + h, items, n);
    return h + n;
}

static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key, int64_t nb,
                       int64_t na, int kind /* 0 root, 1 CA, 2 TCB signing, 3 PCK leaf */) {
    X509 *x = X509_new();
    X509_NAME *name = dev_name(cn);
    bool ok = x && name && X509_set_version(x, 2) && rand_serial(X509_get_serialNumber(x)) &&
              X509_set_subject_name(x, name) &&
              X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) &&
              ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb) && ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na) &&
              X509_set_pubkey(x, key);
    if (ok) ok = add_ext(x, issuer, NID_subject_key_identifier, "hash") &&
                 add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
    if (ok && kind == 0) ok = add_ext(x, NULL, NID_basic_constraints, "critical,CA:TRUE,pathlen:1") &&
                              add_ext(x, NULL, NID_key_usage, "critical,keyCertSign,cRLSign");
    if (ok && kind == 1) ok = add_ext(x, issuer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
                              add_ext(x, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    if (ok && kind >= 2) ok = add_ext(x, issuer, NID_basic_constraints, "critical,CA:FALSE") &&
                              add_ext(x, issuer, NID_key_usage, "critical,digitalSignature,nonRepudiation");
    if (ok && kind == 3) {
        uint8_t ppid[16], der[1400];
        ok = RAND_bytes(ppid, 16) == 1;
        size_t n = ok ? sgx_ext_der(der, ppid) : 0;
        ASN1_OBJECT *obj = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);
        ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
        X509_EXTENSION *e = NULL;
        if (ok && obj && os && ASN1_OCTET_STRING_set(os, der, (int)n))
            e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
        ok = e && X509_add_ext(x, e, -1);
        X509_EXTENSION_free(e);
        ASN1_OCTET_STRING_free(os);
        ASN1_OBJECT_free(obj);
    }
    if (ok) ok = X509_sign(x, issuer_key ? issuer_key : key, EVP_sha256()) > 0;
    X509_NAME_free(name);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static X509_CRL *make_crl(X509 *issuer, EVP_PKEY *key, int64_t tu, int64_t nu, X509 *revoke) {
    X509_CRL *c = X509_CRL_new();
    ASN1_TIME *t1 = ASN1_TIME_set(NULL, (time_t)tu), *t2 = ASN1_TIME_set(NULL, (time_t)nu);
    ASN1_INTEGER *num = ASN1_INTEGER_new();
    bool ok = c && t1 && t2 && num && X509_CRL_set_version(c, 1) &&
              X509_CRL_set_issuer_name(c, X509_get_subject_name(issuer)) && X509_CRL_set1_lastUpdate(c, t1) &&
              X509_CRL_set1_nextUpdate(c, t2) && ASN1_INTEGER_set(num, 1);
    if (ok && revoke) {
        X509_REVOKED *r = X509_REVOKED_new();
        ok = r && X509_REVOKED_set_serialNumber(r, (ASN1_INTEGER *)X509_get0_serialNumber(revoke)) &&
             X509_REVOKED_set_revocationDate(r, t1) && X509_CRL_add0_revoked(c, r);
        if (!ok) X509_REVOKED_free(r);
    }
    if (ok) ok = X509_CRL_add1_ext_i2d(c, NID_crl_number, num, 0, 0) == 1;
    if (ok) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, issuer, NULL, NULL, c, 0);
        X509_EXTENSION *e = X509V3_EXT_nconf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
        ok = e && X509_CRL_add_ext(c, e, -1);
        X509_EXTENSION_free(e);
    }
    if (ok) ok = X509_CRL_sort(c) && X509_CRL_sign(c, key, EVP_sha256()) > 0;
    ASN1_TIME_free(t1);
    ASN1_TIME_free(t2);
    ASN1_INTEGER_free(num);
    if (!ok) {
        X509_CRL_free(c);
        return NULL;
    }
    return c;
}

static void hexs(char *out, const uint8_t *b, size_t n, bool upper) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", b[i]);
}

/* Signed TCB info v3 (SGX, or TDX with tdxModule and tdxtcbcomponents) text. Levels are written
 * lowest first on purpose: a verifier must not rely on JSON order. */
static char *tcb_info_text(int64_t issue, int64_t next, bool tdx) {
    char a[32], b[32], d[32], fm[13], comps_hi[512], comps_lo[512], td_hi[700] = "", td_lo[700] = "";
    dcap_format_time(a, issue);
    dcap_format_time(b, next);
    dcap_format_time(d, issue - 86400);
    hexs(fm, DEV_FMSPC, 6, true);
    size_t o1 = 0, o2 = 0;
    for (int i = 0; i < 16; i++) {
        o1 += (size_t)snprintf(comps_hi + o1, sizeof comps_hi - o1, "%s{\"svn\":%u}", i ? "," : "", DEV_COMPS[i]);
        o2 += (size_t)snprintf(comps_lo + o2, sizeof comps_lo - o2, "%s{\"svn\":%u}", i ? "," : "",
                               DEV_COMPS[i] ? DEV_COMPS[i] - 1u : 0u);
    }
    if (tdx) {
        size_t t1 = (size_t)snprintf(td_hi, sizeof td_hi, ",\"tdxtcbcomponents\":[");
        size_t t2 = (size_t)snprintf(td_lo, sizeof td_lo, ",\"tdxtcbcomponents\":[");
        for (int i = 0; i < 16; i++) {
            t1 += (size_t)snprintf(td_hi + t1, sizeof td_hi - t1, "%s{\"svn\":%u}", i ? "," : "", DEV_TDX_COMPS[i]);
            t2 += (size_t)snprintf(td_lo + t2, sizeof td_lo - t2, "%s{\"svn\":%u}", i ? "," : "",
                                   DEV_TDX_COMPS[i] ? DEV_TDX_COMPS[i] - 1u : 0u);
        }
        snprintf(td_hi + t1, sizeof td_hi - t1, "]");
        snprintf(td_lo + t2, sizeof td_lo - t2, "]");
    }
    static const char MODULE[] =
        "\"tdxModule\":{\"mrsigner\":\"000000000000000000000000000000000000000000000000000000000000000000000000"
        "000000000000000000000000\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},";
    char *s = malloc(6144);
    if (!s) return NULL;
    snprintf(s, 6144,
             "{\"id\":\"%s\",\"version\":3,\"issueDate\":\"%s\",\"nextUpdate\":\"%s\",\"fmspc\":\"%s\","
             "\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,%s\"tcbLevels\":["
             "{\"tcb\":{\"sgxtcbcomponents\":[%s],\"pcesvn\":%u%s},\"tcbDate\":\"2018-01-04T00:00:00Z\","
             "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"DEVNET-SA-00001\"]},"
             "{\"tcb\":{\"sgxtcbcomponents\":[%s],\"pcesvn\":%u%s},\"tcbDate\":\"%s\",\"tcbStatus\":\"UpToDate\"}]}",
             tdx ? "TDX" : "SGX", a, b, fm, tdx ? MODULE : "", comps_lo, DEV_PCESVN - 1u, td_lo, comps_hi, DEV_PCESVN,
             td_hi, d);
    return s;
}

/* Signed QE identity v2 text: the SGX QE ("QE") or the TD QE ("TD_QE"). */
static char *qe_identity_text(int64_t issue, int64_t next, bool td) {
    char a[32], b[32], d[32], ms[65];
    uint8_t mr[32];
    dev_qe_mrsigner(mr, td);
    hexs(ms, mr, 32, true);
    dcap_format_time(a, issue);
    dcap_format_time(b, next);
    dcap_format_time(d, issue - 86400);
    char *s = malloc(2048);
    if (!s) return NULL;
    snprintf(s, 2048,
             "{\"id\":\"%s\",\"version\":2,\"issueDate\":\"%s\",\"nextUpdate\":\"%s\",\"tcbEvaluationDataNumber\":1,"
             "\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\","
             "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"%s\",\"isvprodid\":%u,"
             "\"tcbLevels\":[{\"tcb\":{\"isvsvn\":%u},\"tcbDate\":\"%s\",\"tcbStatus\":\"UpToDate\"},"
             "{\"tcb\":{\"isvsvn\":1},\"tcbDate\":\"2018-01-04T00:00:00Z\",\"tcbStatus\":\"OutOfDate\"}]}",
             td ? "TD_QE" : "QE", a, b, ms, td ? DEV_TD_QE_PRODID : DEV_QE_PRODID, DEV_QE_ISVSVN, d);
    return s;
}

static char *pcs_file(const char *key, const char *raw, const uint8_t sig[64]) {
    char sh[129];
    hexs(sh, sig, 64, false);
    size_t n = strlen(raw) + strlen(key) + 160;
    char *s = malloc(n);
    if (s) snprintf(s, n, "{\"%s\":%s,\"signature\":\"%s\"}", key, raw, sh);
    return s;
}

static char *crl_hex(X509_CRL *c, unsigned char **der_out, int *der_len) {
    unsigned char *der = NULL;
    int n = i2d_X509_CRL(c, &der);
    char *h = n > 0 ? malloc((size_t)n * 2 + 1) : NULL;
    if (h) hexs(h, der, (size_t)n, false);
    *der_out = der;
    *der_len = n;
    return h;
}

/* collateral.dcapqvl.json text (dcap-qvl's QuoteCollateralV3 fields) for one TCB info / QE identity. */
static char *collateral_json(const char *chain1, const char *rh, const char *ph, const char *chain2, const char *ti,
                             const uint8_t tsig[64], const char *qi, const uint8_t qsig[64]) {
    char ts[129], qs[129];
    hexs(ts, tsig, 64, false);
    hexs(qs, qsig, 64, false);
    json_t *o = json_object();
    char *coll = NULL;
    if (o && !json_object_set_new(o, "devnet_only", json_string("DEVNET ONLY - not Intel, not for production")) &&
        !json_object_set_new(o, "pck_crl_issuer_chain", json_string(chain1)) &&
        !json_object_set_new(o, "root_ca_crl", json_string(rh)) && !json_object_set_new(o, "pck_crl", json_string(ph)) &&
        !json_object_set_new(o, "tcb_info_issuer_chain", json_string(chain2)) &&
        !json_object_set_new(o, "tcb_info", json_string(ti)) &&
        !json_object_set_new(o, "tcb_info_signature", json_string(ts)) &&
        !json_object_set_new(o, "qe_identity_issuer_chain", json_string(chain2)) &&
        !json_object_set_new(o, "qe_identity", json_string(qi)) &&
        !json_object_set_new(o, "qe_identity_signature", json_string(qs)))
        coll = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return coll;
}

static const char README[] =
    "DEVNET ONLY -- NOT INTEL, NOT SECURE, NOT FOR PRODUCTION.\n\n"
    "This directory is a test attestation hierarchy made by `mpavs attest devnet-ca`:\n"
    "a devnet root CA, PCK Platform CA with CRLs, TCB signing certificate, signed TCB info (v3)\n"
    "and QE identity (v2) in Intel's formats, and a PCK leaf certificate with SGX extensions;\n"
    "for TDX quotes a TDX TCB info and the TD QE identity (collateral_tdx.dcapqvl.json).\n"
    "Quotes made with `mpavs attest sim-quote` verify only with --root-ca root.der of this\n"
    "directory; they are rejected with Intel's SGX Root CA. Private keys are stored in clear.\n";

int mpavs_dcap_devnet_generate(const char *dir, int64_t now, bool revoke_pck) {
    MPAVS_REQUIRE(dir != NULL);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) return MPAVS_DCAP_ERR_IO;
    int r = MPAVS_DCAP_ERR_DEVNET;
    EVP_PKEY *kroot = EVP_EC_gen("P-256"), *kca = EVP_EC_gen("P-256"), *ktcb = EVP_EC_gen("P-256"),
             *kpck = EVP_EC_gen("P-256");
    X509 *root = NULL, *ca = NULL, *tcb = NULL, *pck = NULL;
    X509_CRL *rcrl = NULL, *pcrl = NULL;
    char *p_root = NULL, *p_ca = NULL, *p_tcb = NULL, *p_pck = NULL, *ti = NULL, *qi = NULL;
    char *ti_file = NULL, *qi_file = NULL, *rh = NULL, *ph = NULL, *coll = NULL, *chain1 = NULL, *chain2 = NULL;
    char *tti = NULL, *tqi = NULL, *tti_file = NULL, *tqi_file = NULL, *coll_t = NULL;
    unsigned char *rder = NULL, *pder = NULL, *root_der = NULL;
    int rn = 0, pn = 0;
    int64_t nb = now - 86400, na = now + 10LL * 365 * 86400, nu = now + 365LL * 86400;
    if (!kroot || !kca || !ktcb || !kpck) goto out;
    root = make_cert("Devnet SGX Root CA (DEVNET ONLY)", kroot, NULL, NULL, nb, na, 0);
    ca = root ? make_cert("Devnet SGX PCK Platform CA (DEVNET ONLY)", kca, root, kroot, nb, na, 1) : NULL;
    tcb = root ? make_cert("Devnet SGX TCB Signing (DEVNET ONLY)", ktcb, root, kroot, nb, na, 2) : NULL;
    pck = ca ? make_cert("Devnet SGX PCK Certificate (DEVNET ONLY)", kpck, ca, kca, nb, na, 3) : NULL;
    if (!root || !ca || !tcb || !pck) goto out;
    rcrl = make_crl(root, kroot, nb, nu, NULL);
    pcrl = make_crl(ca, kca, nb, nu, revoke_pck ? pck : NULL);
    if (!rcrl || !pcrl) goto out;
    p_root = cert_pem(root), p_ca = cert_pem(ca), p_tcb = cert_pem(tcb), p_pck = cert_pem(pck);
    ti = tcb_info_text(nb, nu, false), qi = qe_identity_text(nb, nu, false);
    tti = tcb_info_text(nb, nu, true), tqi = qe_identity_text(nb, nu, true);
    if (!p_root || !p_ca || !p_tcb || !p_pck || !ti || !qi || !tti || !tqi) goto out;
    uint8_t tsig[64], qsig[64], ttsig[64], tqsig[64];
    if (!dcap_sign_raw(tsig, ktcb, (const uint8_t *)ti, strlen(ti)) ||
        !dcap_sign_raw(qsig, ktcb, (const uint8_t *)qi, strlen(qi)) ||
        !dcap_sign_raw(ttsig, ktcb, (const uint8_t *)tti, strlen(tti)) ||
        !dcap_sign_raw(tqsig, ktcb, (const uint8_t *)tqi, strlen(tqi)))
        goto out;
    ti_file = pcs_file("tcbInfo", ti, tsig);
    qi_file = pcs_file("enclaveIdentity", qi, qsig);
    tti_file = pcs_file("tcbInfo", tti, ttsig);
    tqi_file = pcs_file("enclaveIdentity", tqi, tqsig);
    rh = crl_hex(rcrl, &rder, &rn);
    ph = crl_hex(pcrl, &pder, &pn);
    int root_n = i2d_X509(root, &root_der);
    size_t l1 = strlen(p_ca), l2 = strlen(p_root), l3 = strlen(p_tcb);
    chain1 = malloc(l1 + l2 + 1);
    chain2 = malloc(l3 + l2 + 1);
    if (!ti_file || !qi_file || !tti_file || !tqi_file || !rh || !ph || root_n <= 0 || !chain1 || !chain2) goto out;
    memcpy(chain1, p_ca, l1), memcpy(chain1 + l1, p_root, l2 + 1);
    memcpy(chain2, p_tcb, l3), memcpy(chain2 + l3, p_root, l2 + 1);
    coll = collateral_json(chain1, rh, ph, chain2, ti, tsig, qi, qsig);
    coll_t = collateral_json(chain1, rh, ph, chain2, tti, ttsig, tqi, tqsig);
    if (!coll || !coll_t) goto out;
    r = MPAVS_DCAP_ERR_IO;
    if (write_file(dir, "README-DEVNET-ONLY.txt", README, sizeof README - 1, false) ||
        write_file(dir, "root.der", root_der, (size_t)root_n, false) ||
        write_file(dir, "root.pem", p_root, l2, false) || write_file(dir, "pck_ca.pem", p_ca, l1, false) ||
        write_file(dir, "tcb_signing.pem", p_tcb, l3, false) ||
        write_file(dir, "pck.pem", p_pck, strlen(p_pck), false) ||
        write_file(dir, "root_ca_crl.der", rder, (size_t)rn, false) ||
        write_file(dir, "pck_crl.der", pder, (size_t)pn, false) ||
        write_file(dir, "tcbinfo.json", ti_file, strlen(ti_file), false) ||
        write_file(dir, "qeidentity.json", qi_file, strlen(qi_file), false) ||
        write_file(dir, "collateral.dcapqvl.json", coll, strlen(coll), false) ||
        write_file(dir, "tdx_tcbinfo.json", tti_file, strlen(tti_file), false) ||
        write_file(dir, "td_qeidentity.json", tqi_file, strlen(tqi_file), false) ||
        write_file(dir, "collateral_tdx.dcapqvl.json", coll_t, strlen(coll_t), false) ||
        write_key(dir, "root.key.pem", kroot) || write_key(dir, "pck_ca.key.pem", kca) ||
        write_key(dir, "tcb_signing.key.pem", ktcb) || write_key(dir, "pck.key.pem", kpck))
        goto out;
    r = MPAVS_DCAP_OK;
out:
    ERR_clear_error();
    EVP_PKEY_free(kroot), EVP_PKEY_free(kca), EVP_PKEY_free(ktcb), EVP_PKEY_free(kpck);
    X509_free(root), X509_free(ca), X509_free(tcb), X509_free(pck);
    X509_CRL_free(rcrl), X509_CRL_free(pcrl);
    free(p_root), free(p_ca), free(p_tcb), free(p_pck), free(ti), free(qi), free(ti_file), free(qi_file);
    free(rh), free(ph), free(chain1), free(chain2);
    free(coll), free(tti), free(tqi), free(tti_file), free(tqi_file), free(coll_t);
    OPENSSL_free(rder), OPENSSL_free(pder), OPENSSL_free(root_der);
    return r;
}

void mpavs_dcap_devnet_free(mpavs_dcap_devnet *d) {
    if (!d) return;
    EVP_PKEY_free(d->pck_key);
    free(d->chain_pem);
    free(d->root_der);
    free(d->collateral);
    free(d->collateral_tdx);
    free(d);
}

int mpavs_dcap_devnet_load(mpavs_dcap_devnet **out, const char *dir) {
    MPAVS_REQUIRE(out && dir);
    *out = NULL;
    mpavs_dcap_devnet *d = calloc(1, sizeof *d);
    if (!d) return MPAVS_DCAP_ERR_NOMEM;
    size_t l1 = 0, l2 = 0, l3 = 0, lk = 0;
    char *leaf = read_file(dir, "pck.pem", &l1), *ca = read_file(dir, "pck_ca.pem", &l2);
    char *root = read_file(dir, "root.pem", &l3), *key = read_file(dir, "pck.key.pem", &lk);
    d->root_der = (uint8_t *)read_file(dir, "root.der", &d->root_der_len);
    d->collateral = read_file(dir, "collateral.dcapqvl.json", &d->collateral_len);
    d->collateral_tdx = read_file(dir, "collateral_tdx.dcapqvl.json", &d->collateral_tdx_len); /* optional */
    int r = MPAVS_DCAP_ERR_IO;
    if (!leaf || !ca || !root || !key || !d->root_der || !d->collateral) goto out;
    r = MPAVS_DCAP_ERR_DEVNET;
    BIO *b = BIO_new_mem_buf(key, (int)lk);
    if (b) d->pck_key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
    BIO_free(b);
    if (!d->pck_key) goto out;
    d->chain_len = l1 + l2 + l3 + 1; /* with the trailing NUL real QEs emit */
    d->chain_pem = malloc(d->chain_len);
    if (!d->chain_pem) {
        r = MPAVS_DCAP_ERR_NOMEM;
        goto out;
    }
    memcpy(d->chain_pem, leaf, l1);
    memcpy(d->chain_pem + l1, ca, l2);
    memcpy(d->chain_pem + l1 + l2, root, l3);
    d->chain_pem[l1 + l2 + l3] = 0;
    r = MPAVS_DCAP_OK;
out:
    ERR_clear_error();
    free(leaf), free(ca), free(root);
    if (key) OPENSSL_cleanse(key, lk);
    free(key);
    if (r)
        mpavs_dcap_devnet_free(d);
    else
        *out = d;
    return r;
}

const uint8_t *mpavs_dcap_devnet_root_der(const mpavs_dcap_devnet *d, size_t *len) {
    MPAVS_REQUIRE(d && len);
    *len = d->root_der_len;
    return d->root_der;
}

const char *mpavs_dcap_devnet_collateral(const mpavs_dcap_devnet *d, size_t *len) {
    MPAVS_REQUIRE(d);
    if (len) *len = d->collateral_len;
    return d->collateral;
}

const char *mpavs_dcap_devnet_collateral_tdx(const mpavs_dcap_devnet *d, size_t *len) {
    MPAVS_REQUIRE(d);
    if (len) *len = d->collateral_tdx ? d->collateral_tdx_len : 0;
    return d->collateral_tdx;
}

void mpavs_dcap_devnet_td_qe_identity(uint8_t mr_signer[32], uint16_t *isv_prod_id) {
    MPAVS_REQUIRE(mr_signer && isv_prod_id);
    dev_qe_mrsigner(mr_signer, true);
    *isv_prod_id = DEV_TD_QE_PRODID;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

/* The QE report (384 bytes at qe) of the SGX QE or the TD QE binding the attestation key
 * att_key (64) and 32 bytes of QE auth data (written at qauth), signed by the PCK key into sig. */
static bool qe_report(const mpavs_dcap_devnet *d, uint8_t *qe, uint8_t sig[64], uint8_t *qauth,
                      const uint8_t att_key[64], bool td) {
    memcpy(qe, DEV_COMPS, 16);
    qe[48] = 0x11; /* INIT | PROVISIONKEY, not debug */
    qe[56] = 0x03;
    static const char qe_mr[] = "mpavs devnet QE enclave - DEVNET ONLY";
    static const char td_qe_mr[] = "mpavs devnet TD QE enclave - DEVNET ONLY";
    if (td)
        dcap_sha256(qe + 64, td_qe_mr, sizeof td_qe_mr - 1);
    else
        dcap_sha256(qe + 64, qe_mr, sizeof qe_mr - 1);
    dev_qe_mrsigner(qe + 128, td);
    put16(qe + 256, td ? DEV_TD_QE_PRODID : DEV_QE_PRODID);
    put16(qe + 258, DEV_QE_ISVSVN);
    for (int i = 0; i < 32; i++) qauth[i] = (uint8_t)(i + (td ? 0x40 : 0));
    uint8_t bind[96];
    memcpy(bind, att_key, 64);
    memcpy(bind + 64, qauth, 32);
    dcap_sha256(qe + 320, bind, sizeof bind);
    return dcap_sign_raw(sig, d->pck_key, qe, 384);
}

/* Bytes of the QE report certification data: QE report, its signature, QE auth data with its
 * length, type-5 PCK chain with its type and length. */
static size_t qe_cert_len(const mpavs_dcap_devnet *d) { return 384 + 64 + 2 + 32 + 2 + 4 + d->chain_len; }

/* Bytes of the signature data: report signature, attestation key, then the QE report
 * certification data (for TDX inside type-6 certification data: type and length first). */
static size_t auth_len(const mpavs_dcap_devnet *d, bool td) { return 64 + 64 + (td ? 2 + 4 : 0) + qe_cert_len(d); }

/* Bytes of a quote with a report body of body_len bytes (SGX 384, TDX 584). */
static size_t quote_len(const mpavs_dcap_devnet *d, size_t body_len, bool td) {
    return 48 + body_len + 4 + auth_len(d, td);
}

/*
 * The start of an SGX (version 3) or TDX (td: version 4) quote with a report body of body_len
 * bytes: its length in *out_len and, when it fits in cap, out zeroed and the 48-byte header
 * written (attestation key type 2: ECDSA P-256, the devnet QE and PCE SVNs, Intel's QE vendor
 * id, a devnet marker). Returns MPAVS_DCAP_OK or MPAVS_DCAP_ERR_BUFFER_TOO_SMALL.
 */
static int quote_begin(const mpavs_dcap_devnet *d, uint8_t *out, size_t cap, size_t *out_len, size_t body_len,
                       bool td) {
    static const uint8_t VENDOR[16] = {0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                       0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07};
    size_t total = quote_len(d, body_len, td);
    *out_len = total;
    if (cap < total) return MPAVS_DCAP_ERR_BUFFER_TOO_SMALL;
    memset(out, 0, total);
    put16(out, td ? 4 : 3);
    put16(out + 2, 2);
    put32(out + 4, td ? MPAVS_DCAP_TEE_TDX : MPAVS_DCAP_TEE_SGX);
    put16(out + 8, DEV_QE_ISVSVN);
    put16(out + 10, DEV_PCESVN);
    memcpy(out + 12, VENDOR, 16);
    memcpy(out + 28, "mpavs-devnet-only", 16);
    return MPAVS_DCAP_OK;
}

/*
 * The end of a quote begun by quote_begin whose report body is written: the signature data
 * length, the signature over header || body by a fresh attestation key (as a QE generates one
 * per attestation session), that key, and the certification data of the SGX QE or (td) the TD
 * QE. Returns MPAVS_DCAP_OK, or MPAVS_DCAP_ERR_DEVNET with the quote zeroed.
 */
static int quote_end(const mpavs_dcap_devnet *d, uint8_t *out, size_t body_len, bool td) {
    size_t signed_len = 48 + body_len;
    put32(out + signed_len, (uint32_t)auth_len(d, td));
    uint8_t *a = out + signed_len + 4;
    EVP_PKEY *ak = EVP_EC_gen("P-256");
    uint8_t pub[65];
    size_t pl = 0;
    int r = MPAVS_DCAP_ERR_DEVNET;
    if (!ak || !EVP_PKEY_get_octet_string_param(ak, OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub, &pl) || pl != 65 ||
        pub[0] != 0x04)
        goto out;
    memcpy(a + 64, pub + 1, 64);
    uint8_t *qe = a + 128;
    if (td) {
        put16(qe, 6);
        put32(qe + 2, (uint32_t)qe_cert_len(d));
        qe += 6;
    }
    uint8_t *qauth = qe + 384 + 64 + 2;
    put16(qe + 448, 32);
    if (!qe_report(d, qe, qe + 384, qauth, a + 64, td)) goto out;
    put16(qauth + 32, 5);
    put32(qauth + 34, (uint32_t)d->chain_len);
    memcpy(qauth + 38, d->chain_pem, d->chain_len);
    if (!dcap_sign_raw(a, ak, out, signed_len)) goto out;
    r = MPAVS_DCAP_OK;
out:
    EVP_PKEY_free(ak);
    ERR_clear_error();
    if (r) memset(out, 0, quote_len(d, body_len, td));
    return r;
}

int mpavs_dcap_devnet_quote(const mpavs_dcap_devnet *d, uint8_t *out, size_t cap, size_t *out_len,
                            const uint8_t report_data[64], const uint8_t mr_enclave[32],
                            const uint8_t mr_signer[32], bool debug) {
    MPAVS_REQUIRE(d && out_len && report_data && (out || cap == 0));
    int r = quote_begin(d, out, cap, out_len, 384, false);
    if (r) return r;
    /* ISV enclave report */
    uint8_t *isv = out + 48;
    memcpy(isv, DEV_COMPS, 16);
    isv[48] = debug ? 0x07 : 0x05; /* INIT | MODE64BIT (| DEBUG) */
    isv[56] = 0x03;               /* XFRM: x87 | SSE */
    if (mr_enclave) memcpy(isv + 64, mr_enclave, 32);
    if (mr_signer) memcpy(isv + 128, mr_signer, 32);
    memcpy(isv + 320, report_data, 64);
    return quote_end(d, out, 384, false);
}

int mpavs_dcap_devnet_tdx_quote(const mpavs_dcap_devnet *d, uint8_t *out, size_t cap, size_t *out_len,
                                const uint8_t report_data[64], const uint8_t mr_td[48], bool debug) {
    MPAVS_REQUIRE(d && out_len && report_data && (out || cap == 0));
    int r = quote_begin(d, out, cap, out_len, 584, true);
    if (r) return r;
    /* TD report body (TD 1.0): TEE_TCB_SVN, MRSEAM, MRSIGNERSEAM (0: Intel's module),
     * SEAMATTRIBUTES (0), TDATTRIBUTES (SEPT_VE_DISABLE, | DEBUG), XFAM, MRTD, ..., REPORTDATA */
    uint8_t *td = out + 48;
    memcpy(td, DEV_TDX_COMPS, 16);
    static const char seam[] = "mpavs devnet TDX module - DEVNET ONLY";
    dcap_sha256(td + 16, seam, sizeof seam - 1); /* MRSEAM: 32 of its 48 bytes */
    td[120] = debug ? 0x01 : 0x00;
    td[123] = 0x10; /* bit 28: SEPT_VE_DISABLE */
    td[128] = 0xe7, td[129] = 0x02, td[130] = 0x06; /* XFAM as on common TDX hosts */
    if (mr_td) memcpy(td + 136, mr_td, 48);
    memcpy(td + 520, report_data, 64);
    return quote_end(d, out, 584, true);
}

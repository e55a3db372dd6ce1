/* DCAP: every vector of ../shared/vectors/dcap at its pinned now, windows, flipped bytes, parser edges. */
#include "harness.h"
#include "mpavs/dcap.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *dir;
    int64_t now;
    int64_t lo; /* first second of the validity window (README: intersection of all windows) */
    int64_t hi; /* last second */
    const char *status;
    const char *advisories; /* comma-separated, in order */
    const char *tee;
    int version;
} vec;

static const vec VECS[] = {
    {"v01_dcapqvl_sgx_v3", 1752919277, 1750330571, 1752919278, "ConfigurationAndSWHardeningNeeded",
     "INTEL-SA-00289,INTEL-SA-00615", "sgx", 3},
    {"v02_dcapqvl_tdx_v4", 1752919234, 1750329147, 1752919235, "UpToDate", "", "tdx", 4},
    {"v04_automata_sgx_v3_aug2025", 1755236700, 1755236486, 1757824606, "SWHardeningNeeded",
     "INTEL-SA-00615", "sgx", 3},
    {"v06_automata_tdx_v4_jun2025", 1749095100, 1749030698, 1751620771, "OutOfDate",
     "INTEL-SA-00960,INTEL-SA-00982,INTEL-SA-00986", "tdx", 4},
    {"v08_automata_tdx_v5_td15_alibaba_jun2025", 1749945600, 1749917066, 1751620771, "UpToDate", "",
     "tdx", 5},
    {"v10_dcaprs_sgx_v3_feb2025_tcbinfo_v2", 1739419232, 1739418028, 1742009382, "OutOfDate", NULL,
     "sgx", 3},
};

static unsigned char *rd(const char *dir, const char *file, size_t *len) {
    char rel[256];
    snprintf(rel, sizeof rel, "vectors/dcap/%s/%s", dir, file);
    return harness_read_file(harness_shared(rel), len);
}

static int run_vec(const vec *t, int64_t now, mpavs_dcap_verdict *vd, bool *ok, const uint8_t *patch_quote,
                   size_t patch_len) {
    size_t ql, cl;
    unsigned char *q = rd(t->dir, "quote.bin", &ql), *c = rd(t->dir, "collateral.dcapqvl.json", &cl);
    mpavs_dcap_verifier *v = NULL;
    int r = -1;
    if (!q || !c || mpavs_dcap_verifier_create(&v, NULL, 0, false) != 0) goto out;
    if (patch_quote) {
        free(q);
        q = malloc(patch_len);
        memcpy(q, patch_quote, patch_len);
        ql = patch_len;
    }
    r = mpavs_dcap_verify_json(v, ok, vd, q, ql, (const char *)c, cl, now);
out:
    mpavs_dcap_verifier_destroy(v);
    free(q);
    free(c);
    return r;
}

static void join_adv(char *out, size_t cap, const mpavs_dcap_verdict *vd) {
    out[0] = 0;
    for (size_t i = 0; i < vd->n_advisories; i++) {
        if (i) strncat(out, ",", cap - strlen(out) - 1);
        strncat(out, vd->advisory_ids[i], cap - strlen(out) - 1);
    }
}

TEST(vectors_at_pinned_now) {
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        const vec *t = &VECS[i];
        mpavs_dcap_verdict vd;
        bool ok = false;
        REQUIRE(run_vec(t, t->now, &vd, &ok, NULL, 0) == 0);
        if (!ok) printf("  %s: %s (%s)\n", t->dir, mpavs_dcap_strerror(vd.error), vd.detail);
        CHECK(ok);
        CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), t->status);
        if (t->advisories) {
            char adv[1024];
            join_adv(adv, sizeof adv, &vd);
            CHECK_STREQ(adv, t->advisories);
        }
        CHECK_EQ_INT(vd.quote.version, t->version);
        CHECK_EQ_INT(vd.quote.tee_type == MPAVS_DCAP_TEE_TDX, strcmp(t->tee, "tdx") == 0);
        printf("  %-44s %s\n", t->dir, ok ? mpavs_dcap_tcb_status_name(vd.tcb_status) : mpavs_dcap_strerror(vd.error));
    }
}


/* Verify a vector with a patched quote and/or collateral text; returns the reason code. */
static int verdict_of(const char *dir, int64_t now, const uint8_t *q, size_t ql, const char *c, size_t cl,
                      mpavs_dcap_verdict *vd) {
    mpavs_dcap_verifier *v = NULL;
    bool ok = false;
    if (mpavs_dcap_verifier_create(&v, NULL, 0, false) != 0) return -1;
    int r = mpavs_dcap_verify_json(v, &ok, vd, q, ql, c, cl, now);
    mpavs_dcap_verifier_destroy(v);
    if (r != 0) return -1;
    return ok ? 0 : vd->error;
}

TEST(validity_windows_exact) {
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        const vec *t = &VECS[i];
        size_t ql, cl;
        unsigned char *q = rd(t->dir, "quote.bin", &ql), *c = rd(t->dir, "collateral.dcapqvl.json", &cl);
        REQUIRE(q && c);
        mpavs_dcap_verdict vd;
        CHECK_EQ_INT(verdict_of(t->dir, t->lo, q, ql, (char *)c, cl, &vd), 0);
        CHECK_EQ_INT(verdict_of(t->dir, t->hi, q, ql, (char *)c, cl, &vd), 0);
        int before = verdict_of(t->dir, t->lo - 1, q, ql, (char *)c, cl, &vd);
        int after = verdict_of(t->dir, t->hi + 1, q, ql, (char *)c, cl, &vd);
        if (!(before == MPAVS_DCAP_ERR_CRL_EXPIRED || before == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED || before == MPAVS_DCAP_ERR_QE_IDENTITY_EXPIRED)) printf("  %s: before=%s after=%s\n", t->dir, mpavs_dcap_strerror(before), mpavs_dcap_strerror(after));
        CHECK(before == MPAVS_DCAP_ERR_CRL_EXPIRED || before == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED ||
              before == MPAVS_DCAP_ERR_QE_IDENTITY_EXPIRED || before == MPAVS_DCAP_ERR_PCK_CHAIN_EXPIRED);
        CHECK(after == MPAVS_DCAP_ERR_CRL_EXPIRED || after == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED ||
              after == MPAVS_DCAP_ERR_QE_IDENTITY_EXPIRED);
        /* far outside: years later the PCK CRL has long expired; before 2018 the chain is not valid */
        CHECK_EQ_INT(verdict_of(t->dir, 1500000000, q, ql, (char *)c, cl, &vd), MPAVS_DCAP_ERR_PCK_CHAIN_EXPIRED);
        free(q);
        free(c);
    }
    /* README: v04 at 2025-09-15 "TCBInfo expired"-class, at 2025-08-15T05:00Z not yet valid */
    size_t ql, cl;
    unsigned char *q = rd("v04_automata_sgx_v3_aug2025", "quote.bin", &ql);
    unsigned char *c = rd("v04_automata_sgx_v3_aug2025", "collateral.dcapqvl.json", &cl);
    REQUIRE(q && c);
    mpavs_dcap_verdict vd;
    int r = verdict_of("v04", 1757894400, q, ql, (char *)c, cl, &vd);
    CHECK(r == MPAVS_DCAP_ERR_CRL_EXPIRED || r == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED);
    r = verdict_of("v04", 1755234000, q, ql, (char *)c, cl, &vd);
    CHECK(r == MPAVS_DCAP_ERR_CRL_EXPIRED || r == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED);
    free(q);
    free(c);
}

static int flip_quote(const char *dir, int64_t now, size_t off, uint8_t mask) {
    size_t ql, cl;
    unsigned char *q = rd(dir, "quote.bin", &ql), *c = rd(dir, "collateral.dcapqvl.json", &cl);
    if (!q || !c || off >= ql) return -2;
    q[off] ^= mask;
    mpavs_dcap_verdict vd;
    int r = verdict_of(dir, now, q, ql, (char *)c, cl, &vd);
    free(q);
    free(c);
    return r;
}

/* Replace the first occurrence of `from` in the collateral text by `to` (same length). */
static int patch_collateral(const char *dir, int64_t now, const char *from, const char *to) {
    size_t ql, cl;
    unsigned char *q = rd(dir, "quote.bin", &ql), *c = rd(dir, "collateral.dcapqvl.json", &cl);
    if (!q || !c) return -2;
    char *p = strstr((char *)c, from);
    if (!p || strlen(from) != strlen(to)) return -3;
    memcpy(p, to, strlen(to));
    mpavs_dcap_verdict vd;
    int r = verdict_of(dir, now, q, ql, (char *)c, cl, &vd);
    free(q);
    free(c);
    return r;
}

TEST(flipped_bytes_sgx_v3) {
    const char *d = VECS[0].dir;
    int64_t now = VECS[0].now;
    CHECK_EQ_INT(flip_quote(d, now, 0, 0), 0);
    CHECK_EQ_INT(flip_quote(d, now, 8, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);   /* header: QE SVN */
    CHECK_EQ_INT(flip_quote(d, now, 30, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);  /* header: user data */
    CHECK_EQ_INT(flip_quote(d, now, 48 + 64, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);  /* MRENCLAVE */
    CHECK_EQ_INT(flip_quote(d, now, 48 + 320, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE); /* REPORTDATA */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 5, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);  /* ISV signature */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 64 + 3, 1), MPAVS_DCAP_ERR_QE_REPORT_DATA); /* attestation key */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 128 + 10, 1), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE); /* QE report */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 128 + 320, 1), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE); /* QE data */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 512 + 7, 1), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE); /* QE sig */
    CHECK_EQ_INT(flip_quote(d, now, 436 + 578 + 4, 1), MPAVS_DCAP_ERR_QE_REPORT_DATA); /* QE auth data */
    {
        int r = flip_quote(d, now, 436 + 576, 1); /* QE auth length: everything after shifts */
        CHECK(r == MPAVS_DCAP_ERR_AUTH_DATA_SIZE || r == MPAVS_DCAP_ERR_CERT_DATA_TYPE);
    }
    CHECK_EQ_INT(flip_quote(d, now, 0, 0x04), MPAVS_DCAP_ERR_QUOTE_VERSION);
    CHECK_EQ_INT(flip_quote(d, now, 2, 0x01), MPAVS_DCAP_ERR_ATT_KEY_TYPE);
    CHECK_EQ_INT(flip_quote(d, now, 12, 0x01), MPAVS_DCAP_ERR_QE_VENDOR);
    CHECK_EQ_INT(flip_quote(d, now, 4, 0x81), MPAVS_DCAP_ERR_TEE_TYPE);
    CHECK_EQ_INT(flip_quote(d, now, 435, 0x80), MPAVS_DCAP_ERR_AUTH_DATA_SIZE);
    /* certificates inside the quote: a changed base64 digit in the leaf's body */
    {
        size_t ql;
        unsigned char *q = rd(d, "quote.bin", &ql);
        REQUIRE(q);
        mpavs_dcap_quote pq;
        REQUIRE(mpavs_dcap_quote_parse(&pq, q, ql) == 0);
        size_t leaf_off = (size_t)(pq.pem[0] - q), root_off = (size_t)(pq.pem[2] - q);
        free(q);
        int r = flip_quote(d, now, leaf_off + 28 + 64 * 6 + 10, 0x01);
        CHECK(r == MPAVS_DCAP_ERR_PCK_CHAIN_SIGNATURE || r == MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT);
        r = flip_quote(d, now, root_off + 28 + 64 * 3 + 10, 0x01);
        CHECK(r == MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED || r == MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT);
    }
    /* signed JSON and signatures in the collateral */
    CHECK_EQ_INT(patch_collateral(d, now, "\\\"tcbEvaluationDataNumber\\\":17", "\\\"tcbEvaluationDataNumber\\\":18"),
                 MPAVS_DCAP_ERR_TCB_INFO_SIGNATURE);
    CHECK_EQ_INT(patch_collateral(d, now, "\\\"isvprodid\\\":1", "\\\"isvprodid\\\":3"),
                 MPAVS_DCAP_ERR_QE_IDENTITY_SIGNATURE);
    CHECK_EQ_INT(patch_collateral(d, now, "\"tcb_info_signature\": \"9a", "\"tcb_info_signature\": \"9b"),
                 MPAVS_DCAP_ERR_TCB_INFO_SIGNATURE);
    CHECK_EQ_INT(patch_collateral(d, now, "\"qe_identity_signature\": \"f1", "\"qe_identity_signature\": \"f2"),
                 MPAVS_DCAP_ERR_QE_IDENTITY_SIGNATURE);
    CHECK_EQ_INT(patch_collateral(d, now, "\"tcb_info\": \"{\\\"id\\\":\\\"SGX\\\"", "\"tcb_info\": \"{\\\"id\\\":\\\"TDX\\\""),
                 MPAVS_DCAP_ERR_TCB_INFO_FORMAT); /* a TDX TCB info needs tdxtcbcomponents */
    CHECK_EQ_INT(patch_collateral(d, now, "\"pck_crl\": \"3082", "\"pck_crl\": \"3182"), MPAVS_DCAP_ERR_CRL_INVALID);
    CHECK_EQ_INT(patch_collateral(d, now, "\"tcb_info\": \"{", "\"tcb_info\": \"["), MPAVS_DCAP_ERR_TCB_INFO_FORMAT);
}

TEST(flipped_bytes_tdx_v4) {
    const char *d = VECS[1].dir;
    int64_t now = VECS[1].now;
    CHECK_EQ_INT(flip_quote(d, now, 0, 0), 0);
    CHECK_EQ_INT(flip_quote(d, now, 48 + 136, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE); /* MRTD */
    CHECK_EQ_INT(flip_quote(d, now, 48 + 520, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE); /* REPORTDATA */
    size_t a = 48 + 584 + 4; /* auth data */
    CHECK_EQ_INT(flip_quote(d, now, a + 1, 1), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);
    CHECK_EQ_INT(flip_quote(d, now, a + 64 + 1, 1), MPAVS_DCAP_ERR_QE_REPORT_DATA);
    CHECK_EQ_INT(flip_quote(d, now, a + 128, 1), MPAVS_DCAP_ERR_CERT_DATA_TYPE); /* outer type 6 */
    CHECK_EQ_INT(flip_quote(d, now, a + 134 + 100, 1), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE);
    CHECK_EQ_INT(flip_quote(d, now, a + 134 + 384 + 3, 1), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE);
    CHECK_EQ_INT(flip_quote(d, now, a + 134 + 450, 1), MPAVS_DCAP_ERR_QE_REPORT_DATA);
    /* trailing bytes (70 in this vector) are not covered by anything */
    CHECK_EQ_INT(flip_quote(d, now, 5006 - 3, 0xff), 0);
}

/* Every byte of each signed region, flipped one at a time (warm verifier, so this is quick). */
static void flip_region(const vec *t, size_t from, size_t to, int want_a, int want_b) {
    size_t ql, cl;
    unsigned char *q = rd(t->dir, "quote.bin", &ql), *c = rd(t->dir, "collateral.dcapqvl.json", &cl);
    REQUIRE(q && c && to <= ql);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, NULL, 0, true) == 0);
    int bad = 0;
    for (size_t off = from; off < to; off++) {
        q[off] ^= 0x01;
        mpavs_dcap_verdict vd;
        bool ok = true;
        if (mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, t->now) != 0 || ok ||
            (vd.error != want_a && vd.error != want_b)) {
            if (bad++ < 3) printf("  %s offset %zu: %s\n", t->dir, off, ok ? "ok" : mpavs_dcap_strerror(vd.error));
        }
        q[off] ^= 0x01;
    }
    CHECK_EQ_INT(bad, 0);
    mpavs_dcap_verifier_destroy(v);
    free(q);
    free(c);
}

TEST(flip_every_signed_byte) {
    const int QS = MPAVS_DCAP_ERR_QUOTE_SIGNATURE, QR = MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE,
              QD = MPAVS_DCAP_ERR_QE_REPORT_DATA;
    /* SGX v3: header and ISV report, ISV signature, attestation key, QE report, QE report signature, QE auth data */
    flip_region(&VECS[0], 0, 2, MPAVS_DCAP_ERR_QUOTE_VERSION, MPAVS_DCAP_ERR_QUOTE_VERSION);
    flip_region(&VECS[0], 8, 12, QS, QS);
    flip_region(&VECS[0], 28, 432, QS, QS);
    flip_region(&VECS[0], 436, 436 + 64, QS, QS);
    flip_region(&VECS[0], 436 + 64, 436 + 128, QD, QD);
    flip_region(&VECS[0], 436 + 128, 436 + 512 + 64, QR, QR);
    flip_region(&VECS[0], 436 + 578, 436 + 578 + 32, QD, QD);
    /* TDX v4: TD report body, signature, attestation key, QE report + signature */
    flip_region(&VECS[1], 48, 632, QS, QS);
    flip_region(&VECS[1], 636, 636 + 64, QS, QS);
    flip_region(&VECS[1], 636 + 64, 636 + 128, QD, QD);
    flip_region(&VECS[1], 636 + 134, 636 + 134 + 448, QR, QR);
    /* TDX v5 TD 1.5: the 6-byte body descriptor and the 648-byte body are signed */
    flip_region(&VECS[4], 54, 54 + 648, QS, QS);
}

TEST(wrong_root_and_policy) {
    size_t ql, cl, rl;
    unsigned char *q = rd(VECS[0].dir, "quote.bin", &ql), *c = rd(VECS[0].dir, "collateral.dcapqvl.json", &cl);
    unsigned char *root = harness_read_file(harness_shared("vectors/dcap/v16_intelqvl_sample_sgx_synthetic/trustedRootCaCert.pem"), &rl);
    REQUIRE(q && c && root);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, root, rl, false) == 0);
    mpavs_dcap_verdict vd;
    bool ok = true;
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, VECS[0].now) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED);
    mpavs_dcap_verifier_destroy(v);
    /* policy on a good verdict */
    REQUIRE(mpavs_dcap_verifier_create(&v, NULL, 0, false) == 0);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, VECS[0].now) == 0);
    REQUIRE(ok);
    mpavs_dcap_policy p;
    mpavs_dcap_policy_production(&p);
    mpavs_dcap_verdict vd2 = vd;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd2, &p) == 0);
    CHECK(ok);
    p.accept_status[MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED] = false;
    vd2 = vd;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd2, &p) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd2.error, MPAVS_DCAP_ERR_POLICY_STATUS);
    mpavs_dcap_policy_production(&p);
    uint8_t good[1][32], bad[1][32];
    memcpy(good[0], mpavs_dcap_sgx_mr_enclave(&vd.quote), 32);
    memset(bad[0], 0x11, 32);
    p.mr_enclave = (const uint8_t(*)[32])good;
    p.n_mr_enclave = 1;
    vd2 = vd;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd2, &p) == 0);
    CHECK(ok);
    p.mr_signer = (const uint8_t(*)[32])bad;
    p.n_mr_signer = 1;
    vd2 = vd;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd2, &p) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd2.error, MPAVS_DCAP_ERR_POLICY_MEASUREMENT);
    mpavs_dcap_verifier_destroy(v);
    free(q);
    free(c);
    free(root);
}

TEST(debug_quote_fails_production_policy) {
    size_t ql;
    unsigned char *q = harness_read_file(harness_shared("vectors/dcap/quotes_only/oe_sgx_v3_fmspc00906ed50000.bin"), &ql);
    REQUIRE(q);
    mpavs_dcap_verdict vd;
    memset(&vd, 0, sizeof vd);
    REQUIRE(mpavs_dcap_quote_parse(&vd.quote, q, ql) == 0);
    CHECK(mpavs_dcap_is_debug(&vd.quote));
    vd.error = MPAVS_DCAP_OK; /* as if every collateral check had passed */
    vd.tcb_status = MPAVS_DCAP_TCB_UP_TO_DATE;
    mpavs_dcap_policy p;
    mpavs_dcap_policy_production(&p);
    bool ok = true;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd, &p) == 0);
    CHECK(!ok);
    CHECK_STREQ(mpavs_dcap_strerror(vd.error), "policy_debug_rejected");
    free(q);
}

static uint64_t xs(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

TEST(parser_truncated_oversized_random) {
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        size_t ql;
        unsigned char *q = rd(VECS[i].dir, "quote.bin", &ql);
        REQUIRE(q);
        mpavs_dcap_quote pq;
        REQUIRE(mpavs_dcap_quote_parse(&pq, q, ql) == 0);
        size_t end = pq.quote_len;
        CHECK_EQ_INT(pq.quote_len + pq.trailing, ql);
        for (size_t n = 0; n < end; n++) {
            int r = mpavs_dcap_quote_parse(&pq, q, n);
            if (r == 0) {
                printf("  %s parses at %zu < %zu\n", VECS[i].dir, n, end);
                CHECK(r != 0);
                break;
            }
        }
        CHECK_EQ_INT(mpavs_dcap_quote_parse(&pq, q, 10), MPAVS_DCAP_ERR_QUOTE_TRUNCATED);
        /* oversized: one MiB of trailing bytes */
        unsigned char *big = calloc(1, ql + (1u << 20));
        REQUIRE(big);
        memcpy(big, q, ql);
        CHECK_EQ_INT(mpavs_dcap_quote_parse(&pq, big, ql + (1u << 20)), 0);
        CHECK_EQ_INT(pq.quote_len, end);
        free(big);
        free(q);
    }
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    uint8_t buf[6000];
    int accepted = 0;
    for (int it = 0; it < 3000; it++) {
        size_t n = xs(&seed) % sizeof buf;
        for (size_t k = 0; k < n; k++) buf[k] = (uint8_t)xs(&seed);
        if (it % 2 && n >= 48) { /* plausible header so the parser goes deeper */
            static const uint8_t hdr[28] = {3, 0, 2, 0, 0, 0, 0, 0, 9, 0, 14, 0, 0x93, 0x9A, 0x72, 0x33,
                                            0xF7, 0x9C, 0x4C, 0xA9, 0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07};
            memcpy(buf, hdr, 28);
            if (n > 436) {
                uint32_t al = (uint32_t)(xs(&seed) % (n - 435));
                memcpy(buf + 432, &al, 4);
            }
        }
        mpavs_dcap_quote pq;
        if (mpavs_dcap_quote_parse(&pq, buf, n) == 0) accepted++;
    }
    CHECK_EQ_INT(accepted, 0);
    mpavs_dcap_quote pq;
    CHECK_EQ_INT(mpavs_dcap_quote_parse(&pq, NULL, 0), MPAVS_DCAP_ERR_QUOTE_TRUNCATED);
}

TEST(cert_type_1_quote) {
    size_t ql;
    unsigned char *q = harness_read_file(harness_shared("vectors/dcap/v16_intelqvl_sample_sgx_synthetic/quote.dat"), &ql);
    REQUIRE(q);
    mpavs_dcap_quote pq;
    REQUIRE(mpavs_dcap_quote_parse(&pq, q, ql) == 0);
    CHECK_EQ_INT(pq.version, 3);
    CHECK_EQ_INT(pq.pck_cert_type, 1);
    CHECK(pq.pem[0] == NULL);
    size_t cl;
    unsigned char *c = rd(VECS[0].dir, "collateral.dcapqvl.json", &cl);
    REQUIRE(c);
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(verdict_of("v16", VECS[0].now, q, ql, (char *)c, cl, &vd), MPAVS_DCAP_ERR_CERT_DATA_TYPE);
    free(q);
    free(c);
}

/* Intel's synthetic sample (cert type 1) with the PCK chain given in the collateral and its test root. */
TEST(v16_with_separate_pck_chain) {
    size_t ql, cl, rl;
    unsigned char *q = harness_read_file(harness_shared("vectors/dcap/v16_intelqvl_sample_sgx_synthetic/quote.dat"), &ql);
    unsigned char *c = harness_read_file(harness_path("tests/vectors/dcap/v16_collateral.dcapqvl.json"), &cl);
    unsigned char *root = harness_read_file(harness_shared("vectors/dcap/v16_intelqvl_sample_sgx_synthetic/trustedRootCaCert.pem"), &rl);
    REQUIRE(q && c && root);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, root, rl, true) == 0);
    mpavs_dcap_verdict vd;
    bool ok = false;
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1700000000) == 0);
    CHECK(ok);
    CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), "UpToDate");
    CHECK_EQ_INT(vd.quote.pck_cert_type, 1);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1787917015) == 0); /* signing cert notAfter */
    CHECK(ok);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1787917016) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_SIGNING_CHAIN_EXPIRED);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1567669625) == 0); /* before PCK notBefore */
    CHECK(!ok);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_PCK_CHAIN_EXPIRED);
    q[48 + 100] ^= 1;
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1700000000) == 0);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_QUOTE_SIGNATURE);
    q[48 + 100] ^= 1;
    mpavs_dcap_verifier_destroy(v);
    REQUIRE(mpavs_dcap_verifier_create(&v, NULL, 0, false) == 0);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, 1700000000) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED);
    mpavs_dcap_verifier_destroy(v);
    free(q);
    free(c);
    free(root);
}

/* Automata v1.0 output: the AVS reads tee at [2:6] and REPORTDATA at [333:397] (SGX) / [533:597] (TDX). */
TEST(automata_output_layout) {
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, NULL, 0, true) == 0);
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        size_t ql, cl;
        unsigned char *q = rd(VECS[i].dir, "quote.bin", &ql), *c = rd(VECS[i].dir, "collateral.dcapqvl.json", &cl);
        REQUIRE(q && c);
        mpavs_dcap_verdict vd;
        bool ok = false;
        REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, (char *)c, cl, VECS[i].now) == 0 && ok);
        uint8_t out[13 + 648];
        size_t n = 0;
        CHECK_EQ_INT(mpavs_dcap_automata_output(out, 10, &n, &vd), MPAVS_DCAP_ERR_BUFFER_TOO_SMALL);
        REQUIRE(mpavs_dcap_automata_output(out, sizeof out, &n, &vd) == 0);
        CHECK_EQ_INT(n, 13 + vd.quote.body_len);
        CHECK_EQ_INT(out[0] << 8 | out[1], vd.quote.version);
        CHECK_MEMEQ(out + 2, q + 4, 4); /* raw tee_type bytes of the header */
        CHECK_MEMEQ(out + 7, vd.fmspc, 6);
        bool sgx = vd.quote.tee_type == MPAVS_DCAP_TEE_SGX;
        CHECK_MEMEQ(out + (sgx ? 333 : 533), mpavs_dcap_report_data(&vd.quote), 64);
        /* status numbering: ConfigurationAndSWHardeningNeeded = 2, OutOfDate = 4, UpToDate = 0 */
        int want = vd.tcb_status == MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED ? 2
                   : vd.tcb_status == MPAVS_DCAP_TCB_OUT_OF_DATE                         ? 4
                   : vd.tcb_status == MPAVS_DCAP_TCB_SW_HARDENING_NEEDED                 ? 1
                                                                                           : 0;
        CHECK_EQ_INT(out[6], want);
        vd.error = MPAVS_DCAP_ERR_QUOTE_SIGNATURE;
        CHECK_EQ_INT(mpavs_dcap_automata_output(out, sizeof out, &n, &vd), MPAVS_DCAP_ERR_INTERNAL);
        free(q);
        free(c);
    }
    mpavs_dcap_verifier_destroy(v);
}

TEST(strerror_names_stable) {
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_OK), "ok");
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_ERR_QUOTE_TRUNCATED), "quote_truncated");
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_ERR_PCK_REVOKED), "pck_revoked");
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_ERR_TCB_INFO_SIGNATURE), "tcb_info_invalid_signature");
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_ERR_INTERNAL), "internal_error");
    CHECK_STREQ(mpavs_dcap_strerror(-1), "unknown");
    CHECK_STREQ(mpavs_dcap_strerror(MPAVS_DCAP_ERR_COUNT_), "unknown");
    for (int i = 0; i < MPAVS_DCAP_ERR_COUNT_; i++) {
        const char *n = mpavs_dcap_strerror(i);
        CHECK(strcmp(n, "unknown") != 0);
        for (const char *p = n; *p; p++) CHECK((*p >= 'a' && *p <= 'z') || *p == '_');
        for (int k = 0; k < i; k++) CHECK(strcmp(n, mpavs_dcap_strerror(k)) != 0);
    }
    for (int s = 0; s < MPAVS_DCAP_TCB_COUNT_; s++)
        CHECK_EQ_INT(mpavs_dcap_tcb_status_parse(mpavs_dcap_tcb_status_name(s)), s);
}

/* The unlabelled acceptance set: verdicts derived from the spec's rules (see the report). */
TEST(dcap_more_regression) {
    static const struct {
        const char *m;
        int64_t now;
        const char *want; /* status name or error name */
    } M[] = {
        {"m1", 1751620771, "SWHardeningNeeded"}, {"m2", 1720866066, "SWHardeningNeeded"},
        {"m3", 1760896131, "OutOfDate"},         {"m4", 1742009939, "OutOfDate"},
        {"m5", 1771412332, "UpToDate"},
        /* m6: OE's "moduleupdate" TD 1.5 quote: launched on module ISVSVN 4 (OutOfDate), TEE_TCB_SVN2 has
         * ISVSVN 7 (UpToDate) => QVL/OE TD_RELAUNCH_ADVISED (spec 2.7, 2.9) */
        {"m6", 1742643097, "TDRelaunchAdvised"},
        {"m7", 1771412332, "tcb_not_supported"}, {"m8", 1749095026, "tcb_not_supported"},
        {"m9", 1687077779, "tcb_not_supported"},
    };
    for (size_t i = 0; i < sizeof M / sizeof M[0]; i++) {
        char a[128], b[128];
        snprintf(a, sizeof a, "vectors/dcap-more/%s/quote.bin", M[i].m);
        size_t ql, cl;
        unsigned char *q = harness_read_file(harness_shared(a), &ql);
        snprintf(b, sizeof b, "vectors/dcap-more/%s/collateral.dcapqvl.json", M[i].m);
        unsigned char *c = harness_read_file(harness_shared(b), &cl);
        REQUIRE(q && c);
        mpavs_dcap_verdict vd;
        int r = verdict_of(M[i].m, M[i].now, q, ql, (char *)c, cl, &vd);
        const char *got = r == 0 ? mpavs_dcap_tcb_status_name(vd.tcb_status) : mpavs_dcap_strerror(r);
        CHECK_STREQ(got, M[i].want);
        free(q);
        free(c);
    }
}

TEST(collateral_store_by_fmspc_and_ca) {
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, NULL, 0, true) == 0);
    /* v10 (older TCB evaluation) first, then v04 for the same FMSPC/CA: v04 must win */
    static const int order[] = {5, 0, 1, 2, 4};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        size_t cl;
        unsigned char *c = rd(VECS[order[k]].dir, "collateral.dcapqvl.json", &cl);
        REQUIRE(c);
        mpavs_error detail = {0};
        CHECK_EQ_INT(mpavs_dcap_verifier_add_collateral(v, &detail, (char *)c, cl), 0);
        CHECK(detail.code == 0 && detail.message[0] == 0);
        free(c);
    }
    for (size_t i = 0; i < sizeof VECS / sizeof VECS[0]; i++) {
        size_t ql;
        unsigned char *q = rd(VECS[i].dir, "quote.bin", &ql);
        REQUIRE(q);
        mpavs_dcap_verdict vd;
        bool ok = false;
        for (int rep = 0; rep < 2; rep++) { /* cold, then warm */
            REQUIRE(mpavs_dcap_verify_stored(v, &ok, &vd, q, ql, VECS[i].now) == 0);
            if (i == 3) { /* v06: TDX FMSPC 00806F050000 has no stored collateral */
                CHECK(!ok);
                CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_COLLATERAL_FORMAT);
            } else if (i == 5) { /* v10 shares FMSPC/CA with v04, whose newer collateral replaced it */
                CHECK(!ok);
            } else {
                CHECK(ok);
                CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), VECS[i].status);
            }
        }
        free(q);
    }
    mpavs_dcap_verifier_destroy(v);
}

/* The vectors used here are the ones MANIFEST.json describes (sha256 and size of every file). */
TEST(manifest_hashes) {
    size_t ml;
    unsigned char *m = harness_read_file(harness_shared("vectors/dcap/MANIFEST.json"), &ml);
    REQUIRE(m);
    json_error_t je;
    json_t *a = json_loadb((const char *)m, ml, 0, &je);
    free(m);
    REQUIRE(json_is_array(a));
    size_t i, checked = 0;
    json_t *e;
    json_array_foreach(a, i, e) {
        const char *vname = json_string_value(json_object_get(e, "vector"));
        const char *file = json_string_value(json_object_get(e, "file"));
        const char *sha = json_string_value(json_object_get(e, "sha256"));
        json_int_t bytes = json_integer_value(json_object_get(e, "bytes"));
        REQUIRE(vname && file && sha);
        size_t fl;
        unsigned char *f = rd(vname, file, &fl);
        CHECK(f != NULL);
        if (!f) continue;
        uint8_t h[32];
        unsigned int hl = 32;
        CHECK(EVP_Digest(f, fl, h, &hl, EVP_sha256(), NULL) == 1);
        CHECK_STREQ(harness_hex(h, 32), sha);
        if (bytes) CHECK_EQ_INT(fl, bytes);
        free(f);
        checked++;
    }
    CHECK(checked >= 30);
    json_decref(a);
}

int main(void) {
    RUN(manifest_hashes);
    RUN(vectors_at_pinned_now);
    RUN(validity_windows_exact);
    RUN(flipped_bytes_sgx_v3);
    RUN(flipped_bytes_tdx_v4);
    RUN(flip_every_signed_byte);
    RUN(wrong_root_and_policy);
    RUN(debug_quote_fails_production_policy);
    RUN(parser_truncated_oversized_random);
    RUN(cert_type_1_quote);
    RUN(v16_with_separate_pck_chain);
    RUN(automata_output_layout);
    RUN(strerror_names_stable);
    RUN(dcap_more_regression);
    RUN(collateral_store_by_fmspc_and_ca);
    return harness_summary();
}

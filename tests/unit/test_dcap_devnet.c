/* DCAP devnet hierarchy: round trip through the real verifier (SGX v3 and TDX v4 quotes), Intel
 * root rejection, revoked PCK, debug policy, JSON-order independence, cache time invalidation.
 * DEVNET ONLY material. */
#include "harness.h"
#include "mpavs/dcap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char g_dir[64], g_rev[64];
static const int64_t NOW = 1760000000; /* 2025-10-09 */

static void rm_dir(const char *d) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    if (system(cmd) != 0) fprintf(stderr, "cleanup of %s failed\n", d);
}

static int verify_with(const char *dir, const uint8_t *q, size_t ql, bool intel_root, int64_t now,
                       mpavs_dcap_verdict *vd, bool tdx_collateral) {
    mpavs_dcap_devnet *d = NULL;
    if (mpavs_dcap_devnet_load(&d, dir) != 0) return -1;
    size_t rl, cl;
    const uint8_t *root = mpavs_dcap_devnet_root_der(d, &rl);
    const char *coll = tdx_collateral ? mpavs_dcap_devnet_collateral_tdx(d, &cl) : mpavs_dcap_devnet_collateral(d, &cl);
    if (!coll) {
        mpavs_dcap_devnet_free(d);
        return -1;
    }
    mpavs_dcap_verifier *v = NULL;
    int r = -1;
    bool ok = false;
    if (mpavs_dcap_verifier_create(&v, intel_root ? NULL : root, intel_root ? 0 : rl, false) == 0 &&
        mpavs_dcap_verify_json(v, &ok, vd, q, ql, coll, cl, now) == 0)
        r = ok ? 0 : vd->error;
    mpavs_dcap_verifier_destroy(v);
    mpavs_dcap_devnet_free(d);
    return r;
}

static int verify(const char *dir, const uint8_t *q, size_t ql, bool intel_root, int64_t now, mpavs_dcap_verdict *vd) {
    return verify_with(dir, q, ql, intel_root, now, vd, false);
}

static uint8_t *make_tdx_quote(const char *dir, size_t *ql, const uint8_t rd[64], bool debug) {
    mpavs_dcap_devnet *d = NULL;
    if (mpavs_dcap_devnet_load(&d, dir) != 0) return NULL;
    uint8_t mrtd[48];
    memset(mrtd, 0xCD, 48);
    size_t need = 0;
    uint8_t *q = NULL;
    if (mpavs_dcap_devnet_tdx_quote(d, NULL, 0, &need, rd, mrtd, debug) == MPAVS_DCAP_ERR_BUFFER_TOO_SMALL &&
        (q = malloc(need)) != NULL && mpavs_dcap_devnet_tdx_quote(d, q, need, ql, rd, mrtd, debug) != 0) {
        free(q);
        q = NULL;
    }
    mpavs_dcap_devnet_free(d);
    return q;
}

static uint8_t *make_quote(const char *dir, size_t *ql, const uint8_t rd[64], bool debug) {
    mpavs_dcap_devnet *d = NULL;
    if (mpavs_dcap_devnet_load(&d, dir) != 0) return NULL;
    uint8_t mre[32], mrs[32];
    memset(mre, 0xAA, 32);
    memset(mrs, 0xBB, 32);
    size_t need = 0;
    uint8_t *q = NULL;
    if (mpavs_dcap_devnet_quote(d, NULL, 0, &need, rd, mre, mrs, debug) == MPAVS_DCAP_ERR_BUFFER_TOO_SMALL &&
        (q = malloc(need)) != NULL && mpavs_dcap_devnet_quote(d, q, need, ql, rd, mre, mrs, debug) != 0) {
        free(q);
        q = NULL;
    }
    mpavs_dcap_devnet_free(d);
    return q;
}

TEST(round_trip) {
    uint8_t rd[64];
    for (int i = 0; i < 64; i++) rd[i] = (uint8_t)(i * 7);
    size_t ql;
    uint8_t *q = make_quote(g_dir, &ql, rd, false);
    REQUIRE(q);
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), 0);
    /* the devnet TCB info lists its lower (OutOfDate) level first: order must not matter */
    CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), "UpToDate");
    CHECK_EQ_INT(vd.n_advisories, 0);
    CHECK_MEMEQ(mpavs_dcap_report_data(&vd.quote), rd, 64);
    uint8_t aa[32];
    memset(aa, 0xAA, 32);
    CHECK_MEMEQ(mpavs_dcap_sgx_mr_enclave(&vd.quote), aa, 32);
    CHECK(!mpavs_dcap_is_debug(&vd.quote));
    CHECK_EQ_INT(vd.quote.version, 3);
    CHECK_EQ_INT(vd.quote.pck_cert_type, 5);
    /* Intel's root must reject it */
    CHECK_EQ_INT(verify(g_dir, q, ql, true, NOW, &vd), MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED);
    /* outside the devnet windows */
    CHECK(verify(g_dir, q, ql, false, NOW + 2 * 365 * 86400LL, &vd) != 0);
    CHECK(verify(g_dir, q, ql, false, NOW - 2 * 86400LL, &vd) != 0);
    /* tampering */
    q[48 + 320] ^= 1;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);
    q[48 + 320] ^= 1;
    q[436 + 128 + 5] ^= 1;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE);
    q[436 + 128 + 5] ^= 1;
    q[436 + 578 + 1] ^= 1;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), MPAVS_DCAP_ERR_QE_REPORT_DATA);
    q[436 + 578 + 1] ^= 1;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), 0);
    /* a quote from another devnet CA does not verify with this one's root */
    size_t ql2;
    uint8_t *q2 = make_quote(g_rev, &ql2, rd, false);
    REQUIRE(q2);
    CHECK_EQ_INT(verify(g_dir, q2, ql2, false, NOW, &vd), MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED);
    free(q2);
    free(q);
}

/* vd is a debug enclave or TD's verdict, which the production policy refuses. */
static void check_debug_refused(mpavs_dcap_verdict *vd) {
    CHECK(mpavs_dcap_is_debug(&vd->quote));
    mpavs_dcap_policy p;
    mpavs_dcap_policy_production(&p);
    bool ok = true;
    REQUIRE(mpavs_dcap_policy_check(&ok, vd, &p) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd->error, MPAVS_DCAP_ERR_POLICY_DEBUG);
}

TEST(tdx_round_trip) {
    uint8_t rd[64];
    for (int i = 0; i < 64; i++) rd[i] = (uint8_t)(i * 5 + 1);
    size_t ql;
    uint8_t *q = make_tdx_quote(g_dir, &ql, rd, false);
    REQUIRE(q);
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), 0);
    CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), "UpToDate");
    CHECK_EQ_INT(vd.quote.version, 4);
    CHECK_EQ_INT(vd.quote.tee_type, MPAVS_DCAP_TEE_TDX);
    CHECK_EQ_INT(vd.quote.body_type, MPAVS_DCAP_BODY_TD10);
    CHECK_EQ_INT(vd.quote.cert_type, 6);
    CHECK_EQ_INT(vd.quote.pck_cert_type, 5);
    CHECK_MEMEQ(mpavs_dcap_report_data(&vd.quote), rd, 64);
    uint8_t cd[48];
    memset(cd, 0xCD, 48);
    CHECK_MEMEQ(mpavs_dcap_tdx_mr_td(&vd.quote), cd, 48);
    CHECK(!mpavs_dcap_is_debug(&vd.quote));
    CHECK_EQ_INT(vd.quote.body[123], 0x10); /* SEPT_VE_DISABLE */
    /* the SGX collateral (TCB info "SGX", QE identity "QE") does not fit a TDX quote */
    CHECK(verify_with(g_dir, q, ql, false, NOW, &vd, false) != 0);
    CHECK_EQ_INT(verify_with(g_dir, q, ql, true, NOW, &vd, true), MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED);
    /* tampering: TD report, QE report, QE auth data */
    q[48 + 520] ^= 1;
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), MPAVS_DCAP_ERR_QUOTE_SIGNATURE);
    q[48 + 520] ^= 1;
    q[636 + 134 + 5] ^= 1;
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE);
    q[636 + 134 + 5] ^= 1;
    q[636 + 134 + 450 + 1] ^= 1;
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), MPAVS_DCAP_ERR_QE_REPORT_DATA);
    q[636 + 134 + 450 + 1] ^= 1;
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), 0);
    /* the TD QE identity the on-chain verifier is given is the one in the quote */
    uint8_t ms[32];
    uint16_t pid = 0;
    mpavs_dcap_devnet_td_qe_identity(ms, &pid);
    CHECK_EQ_INT(pid, 2);
    CHECK_MEMEQ(q + 636 + 134 + 128, ms, 32);
    free(q);
    /* a debug TD verifies (QVL has no debug rule) and the production policy refuses it */
    q = make_tdx_quote(g_dir, &ql, rd, true);
    REQUIRE(q);
    CHECK_EQ_INT(verify_with(g_dir, q, ql, false, NOW, &vd, true), 0);
    check_debug_refused(&vd);
    free(q);
}

TEST(revoked_pck) {
    uint8_t rd[64] = {1};
    size_t ql;
    uint8_t *q = make_quote(g_rev, &ql, rd, false);
    REQUIRE(q);
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(verify(g_rev, q, ql, false, NOW, &vd), MPAVS_DCAP_ERR_PCK_REVOKED);
    CHECK_STREQ(mpavs_dcap_tcb_status_name(vd.tcb_status), "Revoked");
    free(q);
}

TEST(debug_rejected_by_production_policy) {
    uint8_t rd[64] = {2};
    size_t ql;
    uint8_t *q = make_quote(g_dir, &ql, rd, true);
    REQUIRE(q);
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(verify(g_dir, q, ql, false, NOW, &vd), 0); /* QVL itself has no debug check */
    check_debug_refused(&vd);
    free(q);
}

TEST(cache_time_invalidation) {
    mpavs_dcap_devnet *d = NULL;
    REQUIRE(mpavs_dcap_devnet_load(&d, g_dir) == 0);
    size_t rl, cl;
    const uint8_t *root = mpavs_dcap_devnet_root_der(d, &rl);
    const char *coll = mpavs_dcap_devnet_collateral(d, &cl);
    mpavs_dcap_verifier *v = NULL;
    REQUIRE(mpavs_dcap_verifier_create(&v, root, rl, true) == 0);
    uint8_t rd[64] = {3};
    size_t need, ql;
    CHECK_EQ_INT(mpavs_dcap_devnet_quote(d, NULL, 0, &need, rd, NULL, NULL, false), MPAVS_DCAP_ERR_BUFFER_TOO_SMALL);
    uint8_t *q = malloc(need);
    REQUIRE(q && mpavs_dcap_devnet_quote(d, q, need, &ql, rd, NULL, NULL, false) == 0);
    mpavs_dcap_verdict vd;
    bool ok = false;
    for (int i = 0; i < 3; i++) {
        REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, NOW + i) == 0);
        CHECK(ok);
    }
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, NOW + 400 * 86400LL) == 0);
    CHECK(!ok); /* cached entries must not outlive their window */
    CHECK(vd.error == MPAVS_DCAP_ERR_CRL_EXPIRED || vd.error == MPAVS_DCAP_ERR_TCB_INFO_EXPIRED);
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, NOW) == 0);
    CHECK(ok);
    /* a tampered quote is still caught on a warm cache */
    q[100] ^= 1;
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, NOW) == 0);
    CHECK(!ok);
    CHECK_EQ_INT(vd.error, MPAVS_DCAP_ERR_QUOTE_SIGNATURE);
    mpavs_dcap_verifier_flush(v);
    q[100] ^= 1;
    REQUIRE(mpavs_dcap_verify_json(v, &ok, &vd, q, ql, coll, cl, NOW) == 0);
    CHECK(ok);
    mpavs_dcap_verifier_destroy(v);
    mpavs_dcap_devnet_free(d);
    free(q);
}

TEST(pcs_signed_span) {
    const char *t = "{ \"tcbInfo\" : {\"a\":\"}\\\"{\",\"b\":[1,{\"c\":2}]} , \"signature\":\""
                    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
                    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}";
    size_t s, l;
    uint8_t sig[64];
    REQUIRE(mpavs_dcap_pcs_signed_span(&s, &l, sig, t, strlen(t), "tcbInfo") == 0);
    CHECK_EQ_INT(l, strlen("{\"a\":\"}\\\"{\",\"b\":[1,{\"c\":2}]}"));
    CHECK(memcmp(t + s, "{\"a\":\"}\\\"{\",\"b\":[1,{\"c\":2}]}", l) == 0);
    CHECK_EQ_INT(sig[1], 0x11);
    CHECK(mpavs_dcap_pcs_signed_span(&s, &l, sig, t, strlen(t), "enclaveIdentity") != 0);
    CHECK(mpavs_dcap_pcs_signed_span(&s, &l, NULL, t, 20, "tcbInfo") != 0);
}

int main(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/mpavs-devnet-XXXXXX");
    snprintf(g_rev, sizeof g_rev, "/tmp/mpavs-devnet-rev-XXXXXX");
    if (!mkdtemp(g_dir) || !mkdtemp(g_rev)) return 1;
    if (mpavs_dcap_devnet_generate(g_dir, NOW, false) != 0 || mpavs_dcap_devnet_generate(g_rev, NOW, true) != 0) {
        fprintf(stderr, "devnet create failed\n");
        rm_dir(g_dir);
        rm_dir(g_rev);
        return 1;
    }
    RUN(round_trip);
    RUN(tdx_round_trip);
    RUN(revoked_pck);
    RUN(debug_rejected_by_production_policy);
    RUN(cache_time_invalidation);
    RUN(pcs_signed_span);
    rm_dir(g_dir);
    rm_dir(g_rev);
    return harness_summary();
}

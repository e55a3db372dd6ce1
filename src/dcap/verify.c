/* DCAP verification with Intel QVL semantics at an explicit time, plus the verifier caches. */
#include "dcap_internal.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const uint8_t mpavs_dcap_intel_root_sha256[32] = {
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3};

#define CACHE_N 32

/* SGX extensions of a PCK certificate. */
typedef struct {
    uint8_t comps[16];
    uint16_t pcesvn;
    uint8_t cpusvn[16];
    uint8_t pceid[2];
    uint8_t fmspc[6];
} pck_ext;

/* A verified PCK chain from a quote: leaf and CA DER (owned, one buffer) and their views. */
typedef struct {
    bool used;
    uint8_t key[32]; /* sha256 of the certification data */
    uint8_t *buf;
    dcap_cert leaf, ca;
    EVP_PKEY *leaf_key;
    pck_ext ext;
    int64_t lo, hi;
} chain_entry;

typedef struct {
    bool used;
    uint8_t digest[32];
    uint8_t fmspc[6];
    bool processor;
    int64_t lo, hi;
} coll_entry;

typedef struct {
    bool used;
    uint8_t digest[32];
    mpavs_dcap_collateral *coll;
} json_entry;

typedef struct {
    bool used;
    bool tdx, processor;
    uint8_t fmspc[6];
    mpavs_dcap_collateral *coll;
} store_entry;

#define STORE_N 64

struct mpavs_dcap_verifier {
    uint8_t *root_der;
    size_t root_der_len;
    dcap_cert root;
    EVP_PKEY *root_key;
    EVP_PKEY_CTX *kctx; /* reused for building P-256 keys from points */
    bool cache;
    chain_entry chains[CACHE_N];
    coll_entry colls[CACHE_N];
    json_entry jsons[CACHE_N];
    size_t chain_next, coll_next, json_next;
    store_entry store[STORE_N];
};

/* Per-call key ring: P-256 keys by point, and certificates already verified in this call. */
typedef struct {
    mpavs_dcap_verifier *v;
    struct {
        uint8_t pub[65];
        EVP_PKEY *k;
    } keys[8];
    int nkeys;
    dcap_span verified[8];
    int nverified;
} ring;

static EVP_PKEY *ring_key(ring *r, const uint8_t pub[65]) {
    if (memcmp(pub, r->v->root.pub, 65) == 0) return r->v->root_key;
    for (int i = 0; i < r->nkeys; i++)
        if (memcmp(r->keys[i].pub, pub, 65) == 0) return r->keys[i].k;
    EVP_PKEY *k = dcap_key_from_point(r->v->kctx, pub);
    ERR_clear_error();
    if (!k) return NULL;
    if (r->nkeys == 8) return k == NULL ? NULL : (EVP_PKEY_free(k), NULL);
    memcpy(r->keys[r->nkeys].pub, pub, 65);
    r->keys[r->nkeys++].k = k;
    return k;
}

static void ring_free(ring *r) {
    for (int i = 0; i < r->nkeys; i++) EVP_PKEY_free(r->keys[i].k);
    r->nkeys = 0;
}

/* child's issuer == parent's subject and parent's key verifies child's signature. Identical
 * certificates already verified in this call are not verified twice. */
static bool issued_by(ring *r, const dcap_cert *child, const dcap_cert *parent) {
    if (child->issuer.len != parent->subject.len ||
        memcmp(child->issuer.p, parent->subject.p, child->issuer.len) != 0)
        return false;
    for (int i = 0; i < r->nverified; i++)
        if (r->verified[i].len == child->der.len && memcmp(r->verified[i].p, child->der.p, child->der.len) == 0)
            return true;
    EVP_PKEY *k = ring_key(r, parent->pub);
    bool ok = k && dcap_verify_der_sig(k, child->tbs.p, child->tbs.len, child->sig);
    ERR_clear_error();
    if (ok && r->nverified < 8) r->verified[r->nverified++] = child->der;
    return ok;
}

/* ---------------- verifier lifecycle ---------------- */

int mpavs_dcap_verifier_create(mpavs_dcap_verifier **out, const uint8_t *root, size_t root_len,
                               bool cache) {
    MPAVS_REQUIRE(out != NULL);
    *out = NULL;
    X509 *x = NULL;
    if (!root) {
        uint8_t h[32];
        dcap_sha256(h, dcap_intel_root_der, sizeof dcap_intel_root_der);
        if (memcmp(h, mpavs_dcap_intel_root_sha256, 32) != 0) return MPAVS_DCAP_ERR_ROOT_CA;
        root = dcap_intel_root_der;
        root_len = sizeof dcap_intel_root_der;
    }
    if (root_len > 10 && memcmp(root, "-----BEGIN", 10) == 0) {
        BIO *b = BIO_new_mem_buf(root, (int)root_len);
        if (b) x = PEM_read_bio_X509(b, NULL, NULL, NULL);
        BIO_free(b);
    } else {
        const unsigned char *p = root;
        x = d2i_X509(NULL, &p, (long)root_len);
    }
    ERR_clear_error();
    if (!x) return MPAVS_DCAP_ERR_ROOT_CA;
    EVP_PKEY *k = X509_get0_pubkey(x);
    /* the trusted root must be self-signed (checked once, here) */
    bool self = k && X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 && X509_verify(x, k) == 1;
    ERR_clear_error();
    mpavs_dcap_verifier *v = self ? calloc(1, sizeof *v) : NULL;
    unsigned char *der = NULL;
    int n = v ? i2d_X509(x, &der) : -1;
    X509_free(x);
    if (!v || n <= 0) {
        OPENSSL_free(der);
        free(v);
        return self ? MPAVS_DCAP_ERR_NOMEM : MPAVS_DCAP_ERR_ROOT_CA;
    }
    v->root_der = malloc((size_t)n);
    if (v->root_der) memcpy(v->root_der, der, (size_t)n);
    OPENSSL_free(der);
    v->root_der_len = (size_t)n;
    v->cache = cache;
    v->kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    int r = MPAVS_DCAP_ERR_NOMEM;
    if (v->root_der && v->kctx) {
        r = MPAVS_DCAP_ERR_ROOT_CA; /* must be an ECDSA P-256 certificate */
        if (dcap_cert_parse(&v->root, v->root_der, v->root_der_len) && v->root.is_ca &&
            (v->root_key = dcap_key_from_point(v->kctx, v->root.pub)) != NULL)
            r = MPAVS_DCAP_OK;
    }
    ERR_clear_error();
    if (r) {
        mpavs_dcap_verifier_destroy(v);
        return r;
    }
    *out = v;
    return MPAVS_DCAP_OK;
}

static void chain_entry_free(chain_entry *e) {
    if (!e->used) return;
    EVP_PKEY_free(e->leaf_key);
    free(e->buf);
    memset(e, 0, sizeof *e);
}

void mpavs_dcap_verifier_flush(mpavs_dcap_verifier *v) {
    MPAVS_REQUIRE(v != NULL);
    for (size_t i = 0; i < CACHE_N; i++) {
        chain_entry_free(&v->chains[i]);
        if (v->jsons[i].used) mpavs_dcap_collateral_free(v->jsons[i].coll);
    }
    memset(v->chains, 0, sizeof v->chains);
    memset(v->colls, 0, sizeof v->colls);
    memset(v->jsons, 0, sizeof v->jsons);
}

void mpavs_dcap_verifier_destroy(mpavs_dcap_verifier *v) {
    if (!v) return;
    mpavs_dcap_verifier_flush(v);
    for (size_t i = 0; i < STORE_N; i++)
        if (v->store[i].used) mpavs_dcap_collateral_free(v->store[i].coll);
    EVP_PKEY_free(v->root_key);
    EVP_PKEY_CTX_free(v->kctx);
    free(v->root_der);
    free(v);
}

/* ---------------- the SGX extension ---------------- */

static bool tlv(dcap_span *s, uint8_t *tag, dcap_span *val) { return dcap_tlv(s, tag, val, NULL); }

static const uint8_t SGX_OID[9] = {0x2A, 0x86, 0x48, 0x86, 0xF8, 0x4D, 0x01, 0x0D, 0x01};

/* Arcs after 1.2.840.113741.1.13.1 (each < 128); returns count or -1. */
static int sgx_arcs(dcap_span oid, uint8_t arcs[2]) {
    if (oid.len < 10 || oid.len > 11 || memcmp(oid.p, SGX_OID, 9) != 0) return -1;
    for (size_t i = 9; i < oid.len; i++) {
        if (oid.p[i] & 0x80) return -1;
        arcs[i - 9] = oid.p[i];
    }
    return (int)oid.len - 9;
}

static bool der_uint(dcap_span v, uint32_t max, uint32_t *out) {
    if (v.len == 0 || v.len > 3 || (v.p[0] & 0x80)) return false;
    uint32_t x = 0;
    for (size_t i = 0; i < v.len; i++) x = (x << 8) | v.p[i];
    if (x > max) return false;
    *out = x;
    return true;
}

static bool parse_pck_ext(pck_ext *e, dcap_span ext) {
    dcap_span s = ext, seq;
    uint8_t tag;
    if (!ext.p || !tlv(&s, &tag, &seq) || tag != 0x30 || s.len != 0) return false;
    bool have_tcb = false, have_pceid = false, have_fmspc = false, have_ppid = false;
    memset(e, 0, sizeof *e);
    while (seq.len) {
        dcap_span ent, oid, val;
        uint8_t t1, t2, a[2];
        if (!tlv(&seq, &t1, &ent) || t1 != 0x30 || !tlv(&ent, &t2, &oid) || t2 != 0x06) return false;
        int na = sgx_arcs(oid, a);
        if (!tlv(&ent, &t2, &val)) return false;
        if (na != 1) continue; /* unknown entries tolerated */
        switch (a[0]) {
        case 1:
            if (t2 != 0x04 || val.len != 16) return false;
            have_ppid = true;
            break;
        case 2: {
            if (t2 != 0x30) return false;
            int count = 0;
            uint32_t seen = 0;
            while (val.len) {
                dcap_span ce, coid, cv;
                uint8_t c1, c2, ca[2];
                if (!tlv(&val, &c1, &ce) || c1 != 0x30 || !tlv(&ce, &c2, &coid) || c2 != 0x06 ||
                    sgx_arcs(coid, ca) != 2 || ca[0] != 2 || !tlv(&ce, &c2, &cv))
                    return false;
                uint32_t x;
                if (ca[1] >= 1 && ca[1] <= 16) {
                    if (c2 != 0x02 || !der_uint(cv, 255, &x)) return false;
                    e->comps[ca[1] - 1] = (uint8_t)x;
                } else if (ca[1] == 17) {
                    if (c2 != 0x02 || !der_uint(cv, 65535, &x)) return false;
                    e->pcesvn = (uint16_t)x;
                } else if (ca[1] == 18) {
                    if (c2 != 0x04 || cv.len != 16) return false;
                    memcpy(e->cpusvn, cv.p, 16);
                } else {
                    return false;
                }
                if (seen & (1u << ca[1])) return false;
                seen |= 1u << ca[1];
                count++;
            }
            if (count != 18) return false;
            have_tcb = true;
            break;
        }
        case 3:
            if (t2 != 0x04 || val.len != 2) return false;
            memcpy(e->pceid, val.p, 2);
            have_pceid = true;
            break;
        case 4:
            if (t2 != 0x04 || val.len != 6) return false;
            memcpy(e->fmspc, val.p, 6);
            have_fmspc = true;
            break;
        default:
            break;
        }
    }
    return have_tcb && have_pceid && have_fmspc && have_ppid;
}

/* ---------------- certificate / CRL checks ---------------- */

static void narrow(int64_t *lo, int64_t *hi, int64_t a, int64_t b) {
    if (a > *lo) *lo = a;
    if (b < *hi) *hi = b;
}

static bool same_root(mpavs_dcap_verifier *v, const dcap_cert *c) {
    return c->der.len == v->root_der_len && memcmp(c->der.p, v->root_der, v->root_der_len) == 0;
}

static bool name_eq(dcap_span a, dcap_span b) { return a.len == b.len && memcmp(a.p, b.p, a.len) == 0; }

/* Authenticate a CRL against its issuer; window into lo/hi. */
static int check_crl(ring *rg, const dcap_crl *crl, const dcap_cert *issuer, int64_t *lo, int64_t *hi, char *d,
                     size_t dc, const char *what) {
    if (!name_eq(crl->issuer, issuer->subject)) {
        dcap_detail(d, dc, "%s: issuer does not match the CA certificate", what);
        return MPAVS_DCAP_ERR_CRL_INVALID;
    }
    if (!crl->has_number || !crl->has_aki) {
        dcap_detail(d, dc, "%s: CRL Number or Authority Key Identifier extension missing", what);
        return MPAVS_DCAP_ERR_CRL_INVALID;
    }
    EVP_PKEY *k = ring_key(rg, issuer->pub);
    if (!k || !dcap_verify_der_sig(k, crl->tbs.p, crl->tbs.len, crl->sig)) {
        ERR_clear_error();
        dcap_detail(d, dc, "%s: signature does not verify with the issuer key", what);
        return MPAVS_DCAP_ERR_CRL_INVALID;
    }
    narrow(lo, hi, crl->this_update, crl->next_update);
    return MPAVS_DCAP_OK;
}

static int check_window(int64_t now, int64_t lo, int64_t hi, int err, char *d, size_t dc,
                        const char *what) {
    if (now >= lo && now <= hi) return MPAVS_DCAP_OK;
    char a[32], b[32], n[32];
    dcap_format_time(a, lo);
    dcap_format_time(b, hi);
    dcap_format_time(n, now);
    dcap_detail(d, dc, "%s %s: valid %s..%s, now %s", what, now < lo ? "not yet valid" : "expired", a,
                b, n);
    return err;
}

/* TCB signing chain: exactly [signing cert, root]. */
static int check_signing_chain(ring *rg, const dcap_chain *ch, const dcap_crl *root_crl, int64_t now,
                               int64_t *lo, int64_t *hi, char *d, size_t dc, const char *what) {
    mpavs_dcap_verifier *v = rg->v;
    if (ch->n != 2) {
        dcap_detail(d, dc, "%s issuer chain: expected 2 certificates, got %d", what, ch->n);
        return MPAVS_DCAP_ERR_SIGNING_CHAIN_INVALID;
    }
    const dcap_cert *s = &ch->cert[0].c, *r = &ch->cert[1].c;
    if (!same_root(v, r)) {
        dcap_detail(d, dc, "%s issuer chain: root is not the trusted root", what);
        return MPAVS_DCAP_ERR_SIGNING_CHAIN_INVALID;
    }
    if (!dcap_name_cn_contains(s->subject, "TCB Signing") || s->is_ca || !issued_by(rg, s, &v->root)) {
        dcap_detail(d, dc, "%s signing certificate: not a TCB Signing certificate issued by the root", what);
        return MPAVS_DCAP_ERR_SIGNING_CHAIN_INVALID;
    }
    if (dcap_crl_contains(root_crl, s->serial)) {
        dcap_detail(d, dc, "%s signing certificate is revoked by the root CA CRL", what);
        return MPAVS_DCAP_ERR_SIGNING_CHAIN_INVALID;
    }
    int64_t l = INT64_MIN, h = INT64_MAX;
    narrow(&l, &h, s->not_before, s->not_after);
    narrow(&l, &h, v->root.not_before, v->root.not_after);
    int rc = check_window(now, l, h, MPAVS_DCAP_ERR_SIGNING_CHAIN_EXPIRED, d, dc, "TCB signing chain");
    narrow(lo, hi, l, h);
    return rc;
}

/* Every time-independent and time-dependent check of the collateral alone. */
static int verify_collateral(ring *rg, const mpavs_dcap_collateral *c, int64_t now, int64_t *wlo, int64_t *whi,
                             char *d, size_t dc) {
    mpavs_dcap_verifier *v = rg->v;
    int64_t lo = INT64_MIN, hi = INT64_MAX, l, h;
    int r;
    /* Root CA CRL */
    l = INT64_MIN, h = INT64_MAX;
    if ((r = check_crl(rg, &c->root_crl, &v->root, &l, &h, d, dc, "root CA CRL")) != 0) return r;
    if ((r = check_window(now, l, h, MPAVS_DCAP_ERR_CRL_EXPIRED, d, dc, "root CA CRL")) != 0) return r;
    narrow(&lo, &hi, l, h);
    /* PCK CRL and its issuer chain [CA, root] */
    if (c->pck_crl_chain.n != 2 || !same_root(v, &c->pck_crl_chain.cert[1].c)) {
        dcap_detail(d, dc, "pck_crl_issuer_chain: expected [PCK CA, trusted root]");
        return MPAVS_DCAP_ERR_CRL_INVALID;
    }
    const dcap_cert *ca = &c->pck_crl_chain.cert[0].c;
    if (!ca->is_ca || !issued_by(rg, ca, &v->root)) {
        dcap_detail(d, dc, "pck_crl_issuer_chain: CA not issued by the root");
        return MPAVS_DCAP_ERR_CRL_INVALID;
    }
    if (dcap_crl_contains(&c->root_crl, ca->serial)) {
        dcap_detail(d, dc, "PCK CA is revoked by the root CA CRL");
        return MPAVS_DCAP_ERR_CA_REVOKED;
    }
    l = INT64_MIN, h = INT64_MAX;
    if ((r = check_crl(rg, &c->pck_crl, ca, &l, &h, d, dc, "PCK CRL")) != 0) return r;
    if ((r = check_window(now, l, h, MPAVS_DCAP_ERR_CRL_EXPIRED, d, dc, "PCK CRL")) != 0) return r;
    narrow(&lo, &hi, l, h);
    /* TCB info */
    if ((r = check_signing_chain(rg, &c->tcb_chain, &c->root_crl, now, &lo, &hi, d, dc, "tcb_info")) != 0) return r;
    EVP_PKEY *tk = ring_key(rg, c->tcb_chain.cert[0].c.pub);
    if (!tk || !dcap_verify_raw(tk, (const uint8_t *)c->tcb_raw, c->tcb_len, c->tcb_sig)) {
        ERR_clear_error();
        dcap_detail(d, dc, "tcb_info signature does not verify over the raw signed JSON");
        return MPAVS_DCAP_ERR_TCB_INFO_SIGNATURE;
    }
    if ((r = check_window(now, c->tcb.issue, c->tcb.next, MPAVS_DCAP_ERR_TCB_INFO_EXPIRED, d, dc, "tcb_info")) != 0)
        return r;
    narrow(&lo, &hi, c->tcb.issue, c->tcb.next);
    /* QE identity */
    if ((r = check_signing_chain(rg, &c->qe_chain, &c->root_crl, now, &lo, &hi, d, dc, "qe_identity")) != 0)
        return r;
    EVP_PKEY *qk = ring_key(rg, c->qe_chain.cert[0].c.pub);
    if (!qk || !dcap_verify_raw(qk, (const uint8_t *)c->qe_raw, c->qe_len, c->qe_sig)) {
        ERR_clear_error();
        dcap_detail(d, dc, "qe_identity signature does not verify over the raw signed JSON");
        return MPAVS_DCAP_ERR_QE_IDENTITY_SIGNATURE;
    }
    if ((r = check_window(now, c->qe.issue, c->qe.next, MPAVS_DCAP_ERR_QE_IDENTITY_EXPIRED, d, dc,
                          "qe_identity")) != 0)
        return r;
    narrow(&lo, &hi, c->qe.issue, c->qe.next);
    *wlo = lo;
    *whi = hi;
    return MPAVS_DCAP_OK;
}

static int collateral_checked(ring *rg, const mpavs_dcap_collateral *c, int64_t now, char *d, size_t dc) {
    mpavs_dcap_verifier *v = rg->v;
    if (v->cache)
        for (size_t i = 0; i < CACHE_N; i++)
            if (v->colls[i].used && memcmp(v->colls[i].digest, c->digest, 32) == 0 && now >= v->colls[i].lo &&
                now <= v->colls[i].hi)
                return MPAVS_DCAP_OK;
    int64_t lo, hi;
    int r = verify_collateral(rg, c, now, &lo, &hi, d, dc);
    if (r == MPAVS_DCAP_OK && v->cache) {
        coll_entry *e = &v->colls[v->coll_next++ % CACHE_N];
        e->used = true;
        memcpy(e->digest, c->digest, 32);
        memcpy(e->fmspc, c->tcb.fmspc, 6);
        e->processor = dcap_name_cn_contains(c->pck_crl.issuer, "Processor");
        e->lo = lo;
        e->hi = hi;
    }
    return r;
}

/* The PCK chain carried in the quote, verified to the trusted root (cached by its bytes). */
typedef struct {
    const uint8_t *pem[3];
    size_t pem_len[3];
    const uint8_t *id; /* bytes identifying the chain (cache key) */
    size_t id_len;
} pck_source;

/* The quote's type-5 chain, or the collateral's pck_certificate_chain for other types. */
static bool pck_source_of(pck_source *src, const mpavs_dcap_quote *q, const mpavs_dcap_collateral *c) {
    if (q->pck_cert_type == 5) {
        for (int i = 0; i < 3; i++) src->pem[i] = q->pem[i], src->pem_len[i] = q->pem_len[i];
        src->id = q->cert_data, src->id_len = q->cert_data_len;
        return true;
    }
    if (!c || !c->pck_chain_text) return false;
    for (int i = 0; i < 3; i++) src->pem[i] = c->pck_pem[i], src->pem_len[i] = c->pck_pem_len[i];
    src->id = (const uint8_t *)c->pck_chain_text, src->id_len = c->pck_chain_len;
    return true;
}

static int pck_chain(ring *rg, const chain_entry **out, chain_entry *tmp, const pck_source *q, int64_t now,
                     char *d, size_t dc) {
    mpavs_dcap_verifier *v = rg->v;
    uint8_t key[32];
    dcap_sha256(key, q->id, q->id_len);
    const chain_entry *hit = NULL;
    if (v->cache)
        for (size_t i = 0; i < CACHE_N && !hit; i++)
            if (v->chains[i].used && memcmp(v->chains[i].key, key, 32) == 0) hit = &v->chains[i];
    if (!hit) {
        int r = MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT;
        memset(tmp, 0, sizeof *tmp);
        size_t cap = q->pem_len[0] + q->pem_len[1] + q->pem_len[2];
        tmp->buf = malloc(cap);
        if (!tmp->buf) return MPAVS_DCAP_ERR_NOMEM;
        size_t n0 = dcap_pem_decode(tmp->buf, cap, q->pem[0], q->pem_len[0]);
        size_t n1 = n0 ? dcap_pem_decode(tmp->buf + n0, cap - n0, q->pem[1], q->pem_len[1]) : 0;
        size_t n2 = n1 ? dcap_pem_decode(tmp->buf + n0 + n1, cap - n0 - n1, q->pem[2], q->pem_len[2]) : 0;
        dcap_cert root;
        if (!n2 || !dcap_cert_parse(&tmp->leaf, tmp->buf, n0) || !dcap_cert_parse(&tmp->ca, tmp->buf + n0, n1) ||
            !dcap_cert_parse(&root, tmp->buf + n0 + n1, n2)) {
            dcap_detail(d, dc, "PCK chain: a certificate is not valid PEM/DER ECDSA P-256");
            goto fail;
        }
        if (!same_root(v, &root)) {
            dcap_detail(d, dc, "PCK chain: root is not the trusted root CA");
            r = MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED;
            goto fail;
        }
        if (!dcap_name_cn_contains(tmp->ca.subject, "CA") || !tmp->ca.is_ca || tmp->leaf.is_ca ||
            !dcap_name_cn_contains(tmp->leaf.subject, "SGX PCK Certificate")) {
            dcap_detail(d, dc, "PCK chain: unexpected certificate names");
            goto fail;
        }
        if (!issued_by(rg, &tmp->ca, &v->root) || !issued_by(rg, &tmp->leaf, &tmp->ca)) {
            dcap_detail(d, dc, "PCK chain: a certificate signature does not verify");
            r = MPAVS_DCAP_ERR_PCK_CHAIN_SIGNATURE;
            goto fail;
        }
        if (!parse_pck_ext(&tmp->ext, tmp->leaf.sgx_ext)) {
            dcap_detail(d, dc, "PCK certificate: SGX extensions missing or malformed");
            r = MPAVS_DCAP_ERR_PCK_EXTENSIONS;
            goto fail;
        }
        tmp->leaf_key = dcap_key_from_point(v->kctx, tmp->leaf.pub);
        ERR_clear_error();
        if (!tmp->leaf_key) {
            dcap_detail(d, dc, "PCK certificate: public key is not a P-256 point");
            r = MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT;
            goto fail;
        }
        tmp->lo = INT64_MIN, tmp->hi = INT64_MAX;
        narrow(&tmp->lo, &tmp->hi, tmp->leaf.not_before, tmp->leaf.not_after);
        narrow(&tmp->lo, &tmp->hi, tmp->ca.not_before, tmp->ca.not_after);
        narrow(&tmp->lo, &tmp->hi, root.not_before, root.not_after);
        memcpy(tmp->key, key, 32);
        tmp->used = true;
        if (v->cache) {
            chain_entry *e = &v->chains[v->chain_next++ % CACHE_N];
            chain_entry_free(e);
            *e = *tmp;
            memset(tmp, 0, sizeof *tmp); /* owned by the cache now */
            hit = e;
        } else {
            hit = tmp;
        }
        goto found;
    fail:
        free(tmp->buf);
        memset(tmp, 0, sizeof *tmp);
        return r;
    }
found:
    *out = hit;
    return check_window(now, hit->lo, hit->hi, MPAVS_DCAP_ERR_PCK_CHAIN_EXPIRED, d, dc, "PCK chain");
}

/* ---------------- TCB evaluation ---------------- */

static int converge(int s, int other) {
    if (other == MPAVS_DCAP_TCB_OUT_OF_DATE) {
        if (s == MPAVS_DCAP_TCB_UP_TO_DATE || s == MPAVS_DCAP_TCB_SW_HARDENING_NEEDED)
            return MPAVS_DCAP_TCB_OUT_OF_DATE;
        if (s == MPAVS_DCAP_TCB_CONFIGURATION_NEEDED ||
            s == MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED)
            return MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
        return s;
    }
    if (other == MPAVS_DCAP_TCB_REVOKED) return MPAVS_DCAP_TCB_REVOKED;
    return s;
}

static void add_adv(mpavs_dcap_verdict *vd, json_t *adv) {
    size_t i;
    json_t *e;
    if (!adv) return;
    json_array_foreach(adv, i, e) {
        const char *s = json_string_value(e);
        if (!s || strlen(s) >= sizeof vd->advisory_ids[0]) continue;
        bool dup = false;
        for (size_t k = 0; k < vd->n_advisories; k++)
            if (strcmp(vd->advisory_ids[k], s) == 0) dup = true;
        if (!dup && vd->n_advisories < MPAVS_DCAP_MAX_ADVISORIES)
            strcpy(vd->advisory_ids[vd->n_advisories++], s);
    }
}

static const dcap_module_id *find_module(const dcap_tcb_info *t, uint8_t version) {
    char want[16];
    snprintf(want, sizeof want, "TDX_%02X", version);
    for (size_t i = 0; i < t->nmods; i++)
        if (strcasecmp(t->mods[i].id, want) == 0) return &t->mods[i];
    return NULL;
}

static bool sgx_match(const dcap_tcb_level *l, const pck_ext *e) {
    for (int i = 0; i < 16; i++)
        if (e->comps[i] < l->sgx[i]) return false;
    return e->pcesvn >= l->pcesvn;
}

static bool needs_config(int s) {
    return s == MPAVS_DCAP_TCB_CONFIGURATION_NEEDED ||
           s == MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED ||
           s == MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
}

/* TDX part of the evaluation for one TEE_TCB_SVN (the launch one, or TEE_TCB_SVN2 of a TD 1.5):
 * the first level matching the SGX TCB and the TDX SVNs (bytes 0/1 skipped when the module
 * version svn[1] is non-zero), and the module identity TDX_%02X(svn[1]) status by svn[0]. */
static int tdx_eval(const dcap_tcb_info *t, const pck_ext *e, const uint8_t svn[16], const dcap_tcb_level **lvl,
                    const dcap_module_id **mid, const dcap_isv_level **mod_level, char *d, size_t dc) {
    int start = svn[1] > 0 ? 2 : 0;
    *lvl = NULL, *mid = NULL, *mod_level = NULL;
    for (size_t i = 0; i < t->n && !*lvl; i++) {
        const dcap_tcb_level *l = &t->levels[i];
        if (!sgx_match(l, e)) continue;
        bool ok = true;
        for (int k = start; k < 16; k++)
            if (svn[k] < l->tdx[k]) ok = false;
        if (ok) *lvl = l;
    }
    if (!*lvl) {
        dcap_detail(d, dc, "no TCB level matches the TD's TEE_TCB_SVN");
        return MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED;
    }
    if (svn[1] > 0 && t->nmods > 0) {
        *mid = find_module(t, svn[1]);
        if (!*mid) {
            dcap_detail(d, dc, "no TDX module identity TDX_%02X in tcb_info", svn[1]);
            return MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH;
        }
        for (size_t i = 0; i < (*mid)->n && !*mod_level; i++)
            if (svn[0] >= (*mid)->levels[i].isvsvn) *mod_level = &(*mid)->levels[i];
        if (!*mod_level) {
            dcap_detail(d, dc, "TDX module ISVSVN %u below every level of %s", svn[0], (*mid)->id);
            return MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED;
        }
    }
    return MPAVS_DCAP_OK;
}

static int eval_tcb(mpavs_dcap_verdict *vd, const dcap_tcb_info *t, const pck_ext *e,
                    const mpavs_dcap_quote *q, const dcap_isv_level *qe_level, char *d, size_t dc) {
    const dcap_tcb_level *sgx = NULL, *lvl = NULL;
    for (size_t i = 0; i < t->n && !sgx; i++)
        if (sgx_match(&t->levels[i], e)) sgx = &t->levels[i];
    if (!sgx) {
        dcap_detail(d, dc, "no TCB level matches the PCK certificate's SGX TCB");
        return MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED;
    }
    int module_status = MPAVS_DCAP_TCB_UP_TO_DATE;
    const dcap_isv_level *mod_level = NULL;
    bool tdx = q->tee_type == MPAVS_DCAP_TEE_TDX;
    if (tdx) {
        const dcap_module_id *mid = NULL;
        int r = tdx_eval(t, e, q->body, &lvl, &mid, &mod_level, d, dc);
        if (r) return r;
        /* MRSIGNERSEAM / SEAMATTRIBUTES against the module identity (or tdxModule) */
        const uint8_t *want_signer = t->mod_mrsigner, *want_attr = t->mod_attr;
        if (mid) {
            want_signer = mid->mrsigner;
            want_attr = mid->attributes;
        } else if (!t->has_module) {
            dcap_detail(d, dc, "tcb_info has no tdxModule");
            return MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH;
        }
        static const uint8_t zero8[8] = {0};
        if (memcmp(q->body + 64, want_signer, 48) != 0 || memcmp(q->body + 112, zero8, 8) != 0 ||
            memcmp(q->body + 112, want_attr, 8) != 0) {
            dcap_detail(d, dc, "MRSIGNERSEAM/SEAMATTRIBUTES differ from the TDX module identity");
            return MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH;
        }
        if (mod_level) module_status = mod_level->status;
    } else {
        lvl = sgx;
    }
    vd->platform_status = lvl->status;
    vd->module_status = module_status;
    vd->tcb_date = lvl->date;
    int s = lvl->status;
    if (tdx) {
        s = converge(s, module_status);
        /* TD 1.5 relaunch advice (QVL TDRelaunchCheck): the TD launched on an out-of-date TCB
         * but its current TCB (TEE_TCB_SVN2) is up to date apart from configuration. */
        int qs = qe_level->status;
        if (q->body_type == MPAVS_DCAP_BODY_TD15 && qs != MPAVS_DCAP_TCB_OUT_OF_DATE &&
            qs != MPAVS_DCAP_TCB_REVOKED &&
            (s == MPAVS_DCAP_TCB_OUT_OF_DATE || s == MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED)) {
            const dcap_tcb_level *l2;
            const dcap_module_id *m2;
            const dcap_isv_level *ml2;
            char scratch[8];
            if (tdx_eval(t, e, q->body + 584, &l2, &m2, &ml2, scratch, sizeof scratch) == MPAVS_DCAP_OK) {
                int cur = converge(l2->status, ml2 ? ml2->status : MPAVS_DCAP_TCB_UP_TO_DATE);
                if (cur <= MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED)
                    s = needs_config(cur) || needs_config(s) ? MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED
                                                              : MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED;
            }
        }
    }
    s = converge(s, qe_level->status);
    vd->tcb_status = s;
    add_adv(vd, lvl->adv);
    add_adv(vd, qe_level->adv);
    if (mod_level) add_adv(vd, mod_level->adv);
    return MPAVS_DCAP_OK;
}

/* ---------------- the quote step ---------------- */

static bool masked_eq(const uint8_t *v, const uint8_t *mask, const uint8_t *want, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((v[i] & mask[i]) != want[i]) return false;
    return true;
}

static int verify_impl(mpavs_dcap_verifier *v, mpavs_dcap_verdict *vd, const uint8_t *quote,
                       size_t len, const mpavs_dcap_collateral *c, int64_t now) {
    char *d = vd->detail;
    size_t dc = sizeof vd->detail;
    mpavs_dcap_quote *q = &vd->quote;
    int r = mpavs_dcap_quote_parse(q, quote, len);
    if (r != MPAVS_DCAP_OK) {
        dcap_detail(d, dc, "quote parse failed (%zu bytes)", len);
        return r;
    }
    pck_source src;
    if (!pck_source_of(&src, q, c)) {
        dcap_detail(d, dc, "certification data type %u: a PCK chain (type 5, or pck_certificate_chain in the collateral) is needed",
                    q->pck_cert_type);
        return MPAVS_DCAP_ERR_CERT_DATA_TYPE;
    }
    chain_entry tmp = {0};
    const chain_entry *ch = NULL;
    ring rg = {.v = v};
    r = pck_chain(&rg, &ch, &tmp, &src, now, d, dc);
    if (r != MPAVS_DCAP_OK) goto out;
    memcpy(vd->fmspc, ch->ext.fmspc, 6);
    memcpy(vd->pceid, ch->ext.pceid, 2);
    if ((r = collateral_checked(&rg, c, now, d, dc)) != MPAVS_DCAP_OK) goto out;
    /* revocation of the quote's PCK chain */
    if (!name_eq(c->pck_crl.issuer, ch->leaf.issuer)) {
        dcap_detail(d, dc, "PCK CRL is issued by a different CA than the PCK certificate");
        r = MPAVS_DCAP_ERR_CRL_INVALID;
        goto out;
    }
    if (dcap_crl_contains(&c->root_crl, ch->ca.serial)) {
        dcap_detail(d, dc, "the PCK CA certificate is revoked by the root CA CRL");
        r = MPAVS_DCAP_ERR_CA_REVOKED;
        vd->tcb_status = MPAVS_DCAP_TCB_REVOKED;
        goto out;
    }
    if (dcap_crl_contains(&c->pck_crl, ch->leaf.serial)) {
        dcap_detail(d, dc, "the PCK certificate serial is listed in the PCK CRL");
        r = MPAVS_DCAP_ERR_PCK_REVOKED;
        vd->tcb_status = MPAVS_DCAP_TCB_REVOKED;
        goto out;
    }
    /* TCB info must fit the quote and the platform */
    const dcap_tcb_info *t = &c->tcb;
    bool tdx = q->tee_type == MPAVS_DCAP_TEE_TDX;
    if (t->tdx != tdx || (tdx && t->version < 3)) {
        dcap_detail(d, dc, "tcb_info is for %s, the quote is %s", t->tdx ? "TDX" : "SGX", tdx ? "TDX" : "SGX");
        r = MPAVS_DCAP_ERR_TCB_INFO_MISMATCH;
        goto out;
    }
    if (memcmp(t->fmspc, ch->ext.fmspc, 6) != 0 || memcmp(t->pceid, ch->ext.pceid, 2) != 0) {
        dcap_detail(d, dc, "tcb_info FMSPC/PCEID differ from the PCK certificate's");
        r = MPAVS_DCAP_ERR_TCB_INFO_MISMATCH;
        goto out;
    }
    /* QE report */
    if (!dcap_verify_raw(ch->leaf_key, q->qe_report, 384, q->qe_report_sig)) {
        dcap_detail(d, dc, "QE report signature does not verify with the PCK key");
        r = MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE;
        goto out;
    }
    {
        uint8_t h[32];
        EVP_MD_CTX *mc = EVP_MD_CTX_new();
        unsigned int hl = 32;
        bool ok = mc && EVP_DigestInit_ex(mc, EVP_sha256(), NULL) && EVP_DigestUpdate(mc, q->att_key, 64) &&
                  EVP_DigestUpdate(mc, q->qe_auth, q->qe_auth_len) && EVP_DigestFinal_ex(mc, h, &hl);
        EVP_MD_CTX_free(mc);
        if (!ok) {
            r = MPAVS_DCAP_ERR_NOMEM;
            goto out;
        }
        if (memcmp(h, q->qe_report + 320, 32) != 0) {
            dcap_detail(d, dc, "QE report data is not sha256(attestation key || QE auth data)");
            r = MPAVS_DCAP_ERR_QE_REPORT_DATA;
            goto out;
        }
    }
    /* QE identity */
    const dcap_qe_identity *qi = &c->qe;
    const char *want_id = tdx ? "TD_QE" : "QE";
    if (strcmp(qi->id, want_id) != 0 || (tdx && qi->version < 2)) {
        dcap_detail(d, dc, "qe_identity id %s does not fit a %s quote", qi->id, tdx ? "TDX" : "SGX");
        r = MPAVS_DCAP_ERR_QE_IDENTITY_MISMATCH;
        goto out;
    }
    const uint8_t *qr = q->qe_report;
    uint16_t qe_prodid = (uint16_t)(qr[256] | qr[257] << 8), qe_isvsvn = (uint16_t)(qr[258] | qr[259] << 8);
    if (!masked_eq(qr + 16, qi->miscmask, qi->miscselect, 4) ||
        !masked_eq(qr + 48, qi->attrmask, qi->attr, 16) || memcmp(qr + 128, qi->mrsigner, 32) != 0 ||
        qe_prodid != qi->isvprodid) {
        dcap_detail(d, dc, "QE report does not match the QE identity (MISCSELECT/ATTRIBUTES/MRSIGNER/ISVPRODID)");
        r = MPAVS_DCAP_ERR_QE_IDENTITY_MISMATCH;
        goto out;
    }
    const dcap_isv_level *qel = NULL;
    for (size_t i = 0; i < qi->n && !qel; i++)
        if (qi->levels[i].isvsvn <= qe_isvsvn) qel = &qi->levels[i];
    if (!qel) {
        dcap_detail(d, dc, "QE ISVSVN %u below every QE identity level", qe_isvsvn);
        r = MPAVS_DCAP_ERR_QE_ISVSVN_NOT_SUPPORTED;
        goto out;
    }
    vd->qe_status = qel->status;
    /* quote signature by the attestation key */
    {
        uint8_t pt[65] = {0x04};
        memcpy(pt + 1, q->att_key, 64);
        EVP_PKEY *ak = dcap_key_from_point(v->kctx, pt);
        ERR_clear_error();
        if (!ak) {
            dcap_detail(d, dc, "attestation key is not a P-256 point");
            r = MPAVS_DCAP_ERR_ATT_KEY;
            goto out;
        }
        bool ok = dcap_verify_raw(ak, quote, q->signed_len, q->signature);
        EVP_PKEY_free(ak);
        if (!ok) {
            dcap_detail(d, dc, "quote signature does not verify with the attestation key");
            r = MPAVS_DCAP_ERR_QUOTE_SIGNATURE;
            goto out;
        }
    }
    r = eval_tcb(vd, t, &ch->ext, q, qel, d, dc);
out:
    if (tmp.used) {
        EVP_PKEY_free(tmp.leaf_key);
        free(tmp.buf);
    }
    ring_free(&rg);
    ERR_clear_error();
    return r;
}

static void verdict_init(mpavs_dcap_verdict *vd) {
    memset(vd, 0, sizeof *vd);
    vd->tcb_status = vd->platform_status = vd->qe_status = vd->module_status = -1;
}

static int finish(bool *ok, mpavs_dcap_verdict *vd, int r) {
    vd->error = r;
    *ok = r == MPAVS_DCAP_OK;
    if (r == MPAVS_DCAP_OK) vd->detail[0] = 0;
    if (r == MPAVS_DCAP_ERR_NOMEM || r == MPAVS_DCAP_ERR_INTERNAL) return r;
    return MPAVS_DCAP_OK;
}

int mpavs_dcap_verify(mpavs_dcap_verifier *v, bool *ok, mpavs_dcap_verdict *vd, const uint8_t *quote,
                      size_t len, const mpavs_dcap_collateral *coll, int64_t now) {
    MPAVS_REQUIRE(v && ok && vd && coll && (quote || len == 0));
    verdict_init(vd);
    *ok = false;
    return finish(ok, vd, verify_impl(v, vd, quote, len, coll, now));
}

int mpavs_dcap_verify_json(mpavs_dcap_verifier *v, bool *ok, mpavs_dcap_verdict *vd,
                           const uint8_t *quote, size_t len, const char *coll_json, size_t coll_len,
                           int64_t now) {
    MPAVS_REQUIRE(v && ok && vd && (coll_json || coll_len == 0) && (quote || len == 0));
    verdict_init(vd);
    *ok = false;
    mpavs_dcap_collateral *c = NULL;
    bool owned = true;
    if (v->cache) {
        uint8_t dg[32];
        dcap_sha256(dg, coll_json, coll_len);
        for (size_t i = 0; i < CACHE_N && !c; i++)
            if (v->jsons[i].used && memcmp(v->jsons[i].digest, dg, 32) == 0) {
                c = v->jsons[i].coll;
                owned = false;
            }
    }
    if (!c) {
        int r = dcap_collateral_parse(&c, vd->detail, sizeof vd->detail, coll_json, coll_len);
        if (r != MPAVS_DCAP_OK) return finish(ok, vd, r);
        if (v->cache) {
            json_entry *e = &v->jsons[v->json_next++ % CACHE_N];
            if (e->used) mpavs_dcap_collateral_free(e->coll);
            e->used = true;
            memcpy(e->digest, c->digest, 32);
            e->coll = c;
            owned = false;
        }
    }
    int r = verify_impl(v, vd, quote, len, c, now);
    if (owned) mpavs_dcap_collateral_free(c);
    return finish(ok, vd, r);
}

/* ---------------- policy ---------------- */

void mpavs_dcap_policy_production(mpavs_dcap_policy *p) {
    MPAVS_REQUIRE(p != NULL);
    memset(p, 0, sizeof *p);
    p->reject_debug = true;
    p->use_status_set = true;
    for (int s = 0; s < MPAVS_DCAP_TCB_COUNT_; s++) p->accept_status[s] = s != MPAVS_DCAP_TCB_REVOKED;
}

int mpavs_dcap_policy_check(bool *ok, mpavs_dcap_verdict *vd, const mpavs_dcap_policy *p) {
    MPAVS_REQUIRE(ok && vd && p);
    *ok = false;
    if (vd->error != MPAVS_DCAP_OK || !vd->quote.body) return MPAVS_DCAP_OK;
    const mpavs_dcap_quote *q = &vd->quote;
    int err = MPAVS_DCAP_OK;
    bool sgx = q->body_type == MPAVS_DCAP_BODY_SGX;
    if (p->reject_debug && mpavs_dcap_is_debug(q)) {
        err = MPAVS_DCAP_ERR_POLICY_DEBUG;
        dcap_detail(vd->detail, sizeof vd->detail, "%s is in debug mode", sgx ? "enclave" : "TD");
    } else if (p->use_status_set ? (vd->tcb_status < 0 || vd->tcb_status >= MPAVS_DCAP_TCB_COUNT_ ||
                                    !p->accept_status[vd->tcb_status])
                                 : vd->tcb_status == MPAVS_DCAP_TCB_REVOKED) {
        err = MPAVS_DCAP_ERR_POLICY_STATUS;
        dcap_detail(vd->detail, sizeof vd->detail, "TCB status %s is not accepted",
                    mpavs_dcap_tcb_status_name(vd->tcb_status));
    } else {
        bool found;
        if (sgx && p->n_mr_enclave) {
            found = false;
            for (size_t i = 0; i < p->n_mr_enclave; i++)
                if (memcmp(p->mr_enclave[i], mpavs_dcap_sgx_mr_enclave(q), 32) == 0) found = true;
            if (!found) err = MPAVS_DCAP_ERR_POLICY_MEASUREMENT;
        }
        if (!err && sgx && p->n_mr_signer) {
            found = false;
            for (size_t i = 0; i < p->n_mr_signer; i++)
                if (memcmp(p->mr_signer[i], mpavs_dcap_sgx_mr_signer(q), 32) == 0) found = true;
            if (!found) err = MPAVS_DCAP_ERR_POLICY_MEASUREMENT;
        }
        if (!err && !sgx && p->n_mr_td) {
            found = false;
            for (size_t i = 0; i < p->n_mr_td; i++)
                if (memcmp(p->mr_td[i], mpavs_dcap_tdx_mr_td(q), 48) == 0) found = true;
            if (!found) err = MPAVS_DCAP_ERR_POLICY_MEASUREMENT;
        }
        /* an allow-list for the other TEE kind cannot be satisfied */
        if (!err && sgx && p->n_mr_td && !p->n_mr_enclave && !p->n_mr_signer) err = MPAVS_DCAP_ERR_POLICY_MEASUREMENT;
        if (!err && !sgx && !p->n_mr_td && (p->n_mr_enclave || p->n_mr_signer)) err = MPAVS_DCAP_ERR_POLICY_MEASUREMENT;
        if (err) dcap_detail(vd->detail, sizeof vd->detail, "measurement is not in the allow-list");
    }
    vd->error = err;
    *ok = err == MPAVS_DCAP_OK;
    return MPAVS_DCAP_OK;
}

/* ---------------- collateral store keyed by TEE / FMSPC / CA ---------------- */

int mpavs_dcap_verifier_add_collateral(mpavs_dcap_verifier *v, mpavs_error *err, const char *json, size_t len) {
    MPAVS_REQUIRE(v && (json || len == 0));
    mpavs_dcap_collateral *c = NULL;
    int r = mpavs_dcap_collateral_parse(&c, err, json, len);
    if (r) return r;
    bool processor = dcap_name_cn_contains(c->pck_crl.issuer, "Processor");
    store_entry *slot = NULL, *free_slot = NULL;
    for (size_t i = 0; i < STORE_N; i++) {
        store_entry *e = &v->store[i];
        if (!e->used) {
            if (!free_slot) free_slot = e;
            continue;
        }
        if (e->tdx == c->tcb.tdx && e->processor == processor && memcmp(e->fmspc, c->tcb.fmspc, 6) == 0) slot = e;
    }
    if (slot) {
        const dcap_tcb_info *old = &slot->coll->tcb;
        if (old->eval_num > c->tcb.eval_num || (old->eval_num == c->tcb.eval_num && old->issue > c->tcb.issue)) {
            mpavs_dcap_collateral_free(c); /* keep the newer one already stored */
            return MPAVS_DCAP_OK;
        }
        mpavs_dcap_collateral_free(slot->coll);
    } else {
        slot = free_slot ? free_slot : &v->store[0]; /* full: evict the first */
        if (slot->used) mpavs_dcap_collateral_free(slot->coll);
    }
    slot->used = true;
    slot->tdx = c->tcb.tdx;
    slot->processor = processor;
    memcpy(slot->fmspc, c->tcb.fmspc, 6);
    slot->coll = c;
    return MPAVS_DCAP_OK;
}

int mpavs_dcap_verify_stored(mpavs_dcap_verifier *v, bool *ok, mpavs_dcap_verdict *vd, const uint8_t *quote,
                             size_t len, int64_t now) {
    MPAVS_REQUIRE(v && ok && vd && (quote || len == 0));
    verdict_init(vd);
    *ok = false;
    mpavs_dcap_quote *q = &vd->quote;
    int r = mpavs_dcap_quote_parse(q, quote, len);
    if (r) {
        dcap_detail(vd->detail, sizeof vd->detail, "quote parse failed (%zu bytes)", len);
        return finish(ok, vd, r);
    }
    pck_source src;
    if (!pck_source_of(&src, q, NULL)) {
        dcap_detail(vd->detail, sizeof vd->detail, "certification data type %u: a PCK chain (type 5) is needed",
                    q->pck_cert_type);
        return finish(ok, vd, MPAVS_DCAP_ERR_CERT_DATA_TYPE);
    }
    /* the platform's FMSPC and CA from the (cached) PCK chain */
    chain_entry tmp = {0};
    const chain_entry *ch = NULL;
    ring rg = {.v = v};
    r = pck_chain(&rg, &ch, &tmp, &src, now, vd->detail, sizeof vd->detail);
    const mpavs_dcap_collateral *c = NULL;
    if (r == MPAVS_DCAP_OK) {
        bool tdx = q->tee_type == MPAVS_DCAP_TEE_TDX;
        for (size_t i = 0; i < STORE_N && !c; i++) {
            store_entry *e = &v->store[i];
            if (e->used && e->tdx == tdx && memcmp(e->fmspc, ch->ext.fmspc, 6) == 0 &&
                name_eq(e->coll->pck_crl.issuer, ch->leaf.issuer))
                c = e->coll;
        }
        if (!c) {
            dcap_detail(vd->detail, sizeof vd->detail,
                        "no collateral stored for FMSPC %02X%02X%02X%02X%02X%02X and this PCK CA", ch->ext.fmspc[0],
                        ch->ext.fmspc[1], ch->ext.fmspc[2], ch->ext.fmspc[3], ch->ext.fmspc[4], ch->ext.fmspc[5]);
            r = MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
        }
    }
    if (tmp.used) {
        EVP_PKEY_free(tmp.leaf_key);
        free(tmp.buf);
    }
    ring_free(&rg);
    ERR_clear_error();
    if (r) return finish(ok, vd, r);
    return mpavs_dcap_verify(v, ok, vd, quote, len, c, now);
}

/* ---------------- Automata v1.0 output layout ---------------- */

int mpavs_dcap_automata_output(uint8_t *out, size_t cap, size_t *out_len, const mpavs_dcap_verdict *vd) {
    MPAVS_REQUIRE(out_len && vd && (out || cap == 0));
    static const uint8_t STATUS[MPAVS_DCAP_TCB_COUNT_] = {0, 1, 3, 2, 4, 5, 6, 8, 9};
    const mpavs_dcap_quote *q = &vd->quote;
    *out_len = 0;
    if (vd->error != MPAVS_DCAP_OK || !q->body || vd->tcb_status < 0 || vd->tcb_status >= MPAVS_DCAP_TCB_COUNT_)
        return MPAVS_DCAP_ERR_INTERNAL;
    size_t need = 13 + q->body_len;
    *out_len = need;
    if (cap < need) return MPAVS_DCAP_ERR_BUFFER_TOO_SMALL;
    out[0] = (uint8_t)(q->version >> 8);
    out[1] = (uint8_t)q->version;
    out[2] = (uint8_t)q->tee_type; /* the header's raw little-endian bytes */
    out[3] = (uint8_t)(q->tee_type >> 8);
    out[4] = (uint8_t)(q->tee_type >> 16);
    out[5] = (uint8_t)(q->tee_type >> 24);
    out[6] = STATUS[vd->tcb_status];
    memcpy(out + 7, vd->fmspc, 6);
    memcpy(out + 13, q->body, q->body_len);
    return MPAVS_DCAP_OK;
}

/* DCAP collateral: QuoteCollateralV3 JSON, TCB info v2/v3, QE identity v2, PCS signed spans. */
#include "dcap_internal.h"
#include "util/error.h"

#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const STATUS_NAMES[MPAVS_DCAP_TCB_COUNT_] = {
    "UpToDate",         "SWHardeningNeeded",
    "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded",
    "OutOfDate",        "OutOfDateConfigurationNeeded",
    "Revoked",          "TDRelaunchAdvised",
    "TDRelaunchAdvisedConfigurationNeeded"};

const char *mpavs_dcap_tcb_status_name(int s) {
    return s >= 0 && s < MPAVS_DCAP_TCB_COUNT_ ? STATUS_NAMES[s] : "Unknown";
}

int mpavs_dcap_tcb_status_parse(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < MPAVS_DCAP_TCB_COUNT_; i++)
        if (strcmp(name, STATUS_NAMES[i]) == 0) return i;
    return -1;
}

static const char *const ERR_NAMES[MPAVS_DCAP_ERR_COUNT_] = {
    "ok",
    "quote_truncated",
    "unsupported_quote_version",
    "unsupported_attestation_key_type",
    "unsupported_tee_type",
    "unsupported_qe_vendor",
    "invalid_body_type",
    "invalid_auth_data_size",
    "unsupported_cert_data_type",
    "invalid_cert_data_size",
    "pck_chain_malformed",
    "pck_chain_untrusted",
    "pck_chain_invalid_signature",
    "pck_chain_expired",
    "pck_extensions_invalid",
    "pck_revoked",
    "intermediate_ca_revoked",
    "crl_invalid",
    "crl_expired",
    "collateral_malformed",
    "tcb_signing_chain_invalid",
    "tcb_signing_chain_expired",
    "tcb_info_malformed",
    "tcb_info_invalid_signature",
    "tcb_info_expired",
    "tcb_info_mismatch",
    "qe_identity_malformed",
    "qe_identity_invalid_signature",
    "qe_identity_expired",
    "qe_identity_mismatch",
    "invalid_qe_report_signature",
    "invalid_qe_report_data",
    "invalid_attestation_key",
    "invalid_quote_signature",
    "tdx_module_mismatch",
    "tcb_not_supported",
    "qe_isvsvn_not_supported",
    "policy_debug_rejected",
    "policy_measurement_rejected",
    "policy_tcb_status_rejected",
    "policy_malformed",
    "root_ca_invalid",
    "io_error",
    "devnet_error",
    "buffer_too_small",
    "out_of_memory",
    "internal_error",
};

const char *mpavs_dcap_strerror(int r) {
    return r >= 0 && r < MPAVS_DCAP_ERR_COUNT_ && ERR_NAMES[r] ? ERR_NAMES[r] : "unknown";
}

/* ---------------- JSON field helpers ---------------- */

static bool jhex(uint8_t *out, size_t n, json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) && dcap_unhex(out, n, json_string_value(v), json_string_length(v));
}

static bool jtime(int64_t *out, json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) && dcap_iso_time(out, json_string_value(v));
}

static bool jint(int64_t *out, json_t *o, const char *key, int64_t lo, int64_t hi) {
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) return false;
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi) return false;
    *out = (int64_t)x;
    return true;
}

static bool jstatus(int *out, json_t *o, bool (*allowed)(int)) {
    json_t *v = json_object_get(o, "tcbStatus");
    if (!json_is_string(v)) return false;
    int s = mpavs_dcap_tcb_status_parse(json_string_value(v));
    if (s < 0 || !allowed(s)) return false;
    *out = s;
    return true;
}

static bool platform_status_ok(int s) { return s <= MPAVS_DCAP_TCB_REVOKED; }
static bool module_status_ok(int s) {
    return s == MPAVS_DCAP_TCB_UP_TO_DATE || s == MPAVS_DCAP_TCB_OUT_OF_DATE || s == MPAVS_DCAP_TCB_REVOKED;
}
static bool qe_status_ok(int s) {
    return s == MPAVS_DCAP_TCB_UP_TO_DATE || s == MPAVS_DCAP_TCB_OUT_OF_DATE ||
           s == MPAVS_DCAP_TCB_REVOKED || s == MPAVS_DCAP_TCB_CONFIGURATION_NEEDED ||
           s == MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
}

static json_t *jadv(json_t *level) {
    json_t *a = json_object_get(level, "advisoryIDs");
    if (!a) return NULL;
    return json_is_array(a) ? a : (json_t *)-1;
}

static bool adv_ok(json_t *a) {
    if (a == (json_t *)-1) return false;
    size_t i;
    json_t *e;
    json_array_foreach(a, i, e) if (!json_is_string(e)) return false;
    return true;
}

/* ISV levels ({tcb:{isvsvn}, tcbDate, tcbStatus, advisoryIDs?}), sorted highest isvsvn first. */
static int cmp_isv(const void *a, const void *b) {
    const dcap_isv_level *x = a, *y = b;
    return (int)y->isvsvn - (int)x->isvsvn;
}

static bool parse_isv_levels(dcap_isv_level **out, size_t *n, json_t *arr, bool (*allowed)(int)) {
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 4096) return false;
    size_t cnt = json_array_size(arr);
    dcap_isv_level *l = calloc(cnt, sizeof *l);
    if (!l) return false;
    for (size_t i = 0; i < cnt; i++) {
        json_t *e = json_array_get(arr, i);
        int64_t svn;
        if (!json_is_object(e) || !jint(&svn, json_object_get(e, "tcb"), "isvsvn", 0, 65535) ||
            !jstatus(&l[i].status, e, allowed) || !jtime(&l[i].date, e, "tcbDate"))
            goto bad;
        l[i].isvsvn = (uint16_t)svn;
        l[i].adv = jadv(e);
        if (l[i].adv && !adv_ok(l[i].adv)) goto bad;
    }
    qsort(l, cnt, sizeof *l, cmp_isv);
    for (size_t i = 1; i < cnt; i++)
        if (l[i].isvsvn == l[i - 1].isvsvn) goto bad; /* duplicate level */
    *out = l;
    *n = cnt;
    return true;
bad:
    free(l);
    return false;
}

/* QVL order: SGX SVNs lexicographic, then PCESVN, then TDX SVNs; highest first. */
static int cmp_level(const void *a, const void *b) {
    const dcap_tcb_level *x = a, *y = b;
    int c = memcmp(y->sgx, x->sgx, 16);
    if (c) return c;
    if (x->pcesvn != y->pcesvn) return (int)y->pcesvn - (int)x->pcesvn;
    return memcmp(y->tdx, x->tdx, 16);
}

static bool parse_components(uint8_t out[16], json_t *arr) {
    if (!json_is_array(arr) || json_array_size(arr) != 16) return false;
    for (size_t i = 0; i < 16; i++) {
        int64_t v;
        if (!jint(&v, json_array_get(arr, i), "svn", 0, 255)) return false;
        out[i] = (uint8_t)v;
    }
    return true;
}

static void free_tcb(dcap_tcb_info *t) {
    free(t->levels);
    for (size_t i = 0; i < t->nmods; i++) free(t->mods[i].levels);
    free(t->mods);
    if (t->root) json_decref(t->root);
    memset(t, 0, sizeof *t);
}

static int parse_tcb_info(dcap_tcb_info *t, const char *raw, size_t len, char *detail, size_t dcap) {
    json_error_t je;
    memset(t, 0, sizeof *t);
    t->root = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
    json_t *o = t->root;
    int64_t v;
    if (!json_is_object(o)) {
        dcap_detail(detail, dcap, "tcb_info is not a JSON object: %s", je.text);
        goto bad;
    }
    if (!jint(&v, o, "version", 2, 3)) {
        dcap_detail(detail, dcap, "tcb_info version must be 2 or 3");
        goto bad;
    }
    t->version = (int)v;
    if (t->version == 3) {
        json_t *id = json_object_get(o, "id");
        if (!json_is_string(id)) goto bad_field;
        if (strcmp(json_string_value(id), "TDX") == 0)
            t->tdx = true;
        else if (strcmp(json_string_value(id), "SGX") != 0)
            goto bad_field;
    }
    if (!jtime(&t->issue, o, "issueDate") || !jtime(&t->next, o, "nextUpdate") ||
        !jhex(t->fmspc, 6, o, "fmspc") || !jhex(t->pceid, 2, o, "pceId") ||
        !jint(&t->eval_num, o, "tcbEvaluationDataNumber", 0, INT64_MAX))
        goto bad_field;
    json_t *levels = json_object_get(o, "tcbLevels");
    if (!json_is_array(levels) || json_array_size(levels) == 0 || json_array_size(levels) > 4096)
        goto bad_field;
    t->n = json_array_size(levels);
    t->levels = calloc(t->n, sizeof *t->levels);
    if (!t->levels) goto bad;
    for (size_t i = 0; i < t->n; i++) {
        json_t *e = json_array_get(levels, i), *tcb = json_object_get(e, "tcb");
        dcap_tcb_level *l = &t->levels[i];
        if (!json_is_object(tcb)) goto bad_field;
        if (t->version == 2) {
            for (int k = 0; k < 16; k++) {
                char key[24];
                snprintf(key, sizeof key, "sgxtcbcomp%02dsvn", k + 1);
                if (!jint(&v, tcb, key, 0, 255)) goto bad_field;
                l->sgx[k] = (uint8_t)v;
            }
        } else {
            if (!parse_components(l->sgx, json_object_get(tcb, "sgxtcbcomponents"))) goto bad_field;
            if (t->tdx && !parse_components(l->tdx, json_object_get(tcb, "tdxtcbcomponents")))
                goto bad_field;
        }
        if (!jint(&v, tcb, "pcesvn", 0, 65535)) goto bad_field;
        l->pcesvn = (uint16_t)v;
        if (!jstatus(&l->status, e, platform_status_ok) || !jtime(&l->date, e, "tcbDate"))
            goto bad_field;
        l->adv = jadv(e);
        if (l->adv && !adv_ok(l->adv)) goto bad_field;
    }
    qsort(t->levels, t->n, sizeof *t->levels, cmp_level);
    for (size_t i = 1; i < t->n; i++)
        if (cmp_level(&t->levels[i - 1], &t->levels[i]) == 0) {
            dcap_detail(detail, dcap, "tcb_info has duplicate TCB levels");
            goto bad;
        }
    if (t->tdx) {
        json_t *m = json_object_get(o, "tdxModule");
        if (m) {
            if (!jhex(t->mod_mrsigner, 48, m, "mrsigner") || !jhex(t->mod_attr, 8, m, "attributes") ||
                !jhex(t->mod_mask, 8, m, "attributesMask"))
                goto bad_field;
            t->has_module = true;
        }
        json_t *ids = json_object_get(o, "tdxModuleIdentities");
        if (ids) {
            if (!json_is_array(ids) || json_array_size(ids) > 256) goto bad_field;
            t->nmods = json_array_size(ids);
            t->mods = calloc(t->nmods ? t->nmods : 1, sizeof *t->mods);
            if (!t->mods) goto bad;
            for (size_t i = 0; i < t->nmods; i++) {
                json_t *e = json_array_get(ids, i), *id = json_object_get(e, "id");
                dcap_module_id *mi = &t->mods[i];
                if (!json_is_string(id) || json_string_length(id) >= sizeof mi->id) goto bad_field;
                strcpy(mi->id, json_string_value(id));
                if (!jhex(mi->mrsigner, 48, e, "mrsigner") || !jhex(mi->attributes, 8, e, "attributes") ||
                    !jhex(mi->mask, 8, e, "attributesMask") ||
                    !parse_isv_levels(&mi->levels, &mi->n, json_object_get(e, "tcbLevels"),
                                      module_status_ok))
                    goto bad_field;
            }
        }
    }
    return MPAVS_DCAP_OK;
bad_field:
    dcap_detail(detail, dcap, "tcb_info: missing or invalid field");
bad:
    free_tcb(t);
    return MPAVS_DCAP_ERR_TCB_INFO_FORMAT;
}

static void free_qe(dcap_qe_identity *q) {
    free(q->levels);
    if (q->root) json_decref(q->root);
    memset(q, 0, sizeof *q);
}

static int parse_qe_identity(dcap_qe_identity *q, const char *raw, size_t len, char *detail,
                             size_t dcap) {
    json_error_t je;
    memset(q, 0, sizeof *q);
    q->root = json_loadb(raw, len, JSON_REJECT_DUPLICATES, &je);
    json_t *o = q->root, *id = json_object_get(o, "id");
    int64_t v;
    if (!json_is_object(o) || !json_is_string(id) || json_string_length(id) >= sizeof q->id ||
        !jint(&v, o, "version", 1, 2) || !jtime(&q->issue, o, "issueDate") ||
        !jtime(&q->next, o, "nextUpdate") || !jhex(q->miscselect, 4, o, "miscselect") ||
        !jhex(q->miscmask, 4, o, "miscselectMask") || !jhex(q->attr, 16, o, "attributes") ||
        !jhex(q->attrmask, 16, o, "attributesMask") || !jhex(q->mrsigner, 32, o, "mrsigner")) {
        dcap_detail(detail, dcap, "qe_identity: missing or invalid field");
        goto bad;
    }
    q->version = (int)v;
    strcpy(q->id, json_string_value(id));
    if (!jint(&v, o, "isvprodid", 0, 65535)) goto bad;
    q->isvprodid = (uint16_t)v;
    if (!parse_isv_levels(&q->levels, &q->n, json_object_get(o, "tcbLevels"), qe_status_ok)) {
        dcap_detail(detail, dcap, "qe_identity: invalid tcbLevels");
        goto bad;
    }
    return MPAVS_DCAP_OK;
bad:
    if (detail && !detail[0]) dcap_detail(detail, dcap, "qe_identity malformed");
    free_qe(q);
    return MPAVS_DCAP_ERR_QE_IDENTITY_FORMAT;
}

bool dcap_chain_parse(dcap_chain *ch, const char *text, size_t len) {
    static const char B[] = "-----BEGIN CERTIFICATE-----", E[] = "-----END CERTIFICATE-----";
    memset(ch, 0, sizeof *ch);
    size_t i = 0;
    while (i < len) {
        const char *b = NULL;
        for (; i + sizeof B - 1 <= len; i++)
            if (memcmp(text + i, B, sizeof B - 1) == 0) {
                b = text + i;
                break;
            }
        if (!b) break;
        size_t j = i + sizeof B - 1;
        for (; j + sizeof E - 1 <= len; j++)
            if (memcmp(text + j, E, sizeof E - 1) == 0) break;
        if (j + sizeof E - 1 > len) return false;
        size_t end = j + sizeof E - 1;
        if (ch->n == DCAP_MAX_CHAIN) {
            ch->n++;
            return true;
        }
        dcap_owned_cert *oc = &ch->cert[ch->n];
        oc->der = malloc(end - i);
        if (!oc->der) return false;
        oc->len = dcap_pem_decode(oc->der, end - i, (const uint8_t *)b, end - i);
        ch->n++;
        if (!oc->len || !dcap_cert_parse(&oc->c, oc->der, oc->len)) return false;
        i = end;
    }
    return ch->n > 0;
}

void dcap_chain_free(dcap_chain *ch) {
    for (int i = 0; i < DCAP_MAX_CHAIN; i++) free(ch->cert[i].der);
    memset(ch, 0, sizeof *ch);
}

void mpavs_dcap_collateral_free(mpavs_dcap_collateral *c) {
    if (!c) return;
    dcap_chain_free(&c->pck_crl_chain);
    dcap_chain_free(&c->tcb_chain);
    dcap_chain_free(&c->qe_chain);
    free(c->root_crl_der);
    free(c->pck_crl_der);
    free(c->tcb_raw);
    free(c->qe_raw);
    free(c->pck_chain_text);
    free_tcb(&c->tcb);
    free_qe(&c->qe);
    free(c);
}

/* A CRL given as hex-of-DER (QuoteCollateralV3), DER or PEM: owned DER + parsed view. */
static bool crl_load(uint8_t **der, size_t *dl, dcap_crl *v, const char *s, size_t len) {
    *der = NULL;
    if (len >= 2 && len % 2 == 0 && s[0] != '-') {
        *der = malloc(len / 2);
        if (*der && dcap_unhex(*der, len / 2, s, len)) *dl = len / 2;
        else {
            free(*der);
            *der = NULL;
        }
    }
    if (!*der) {
        X509_CRL *c = dcap_crl_any((const uint8_t *)s, len);
        unsigned char *d = NULL;
        int n = c ? i2d_X509_CRL(c, &d) : -1;
        X509_CRL_free(c);
        if (n <= 0) return false;
        *der = malloc((size_t)n);
        if (*der) memcpy(*der, d, (size_t)n);
        OPENSSL_free(d);
        *dl = (size_t)n;
    }
    return *der && dcap_crl_parse(v, *der, *dl);
}

static const char *jstr(json_t *o, const char *key, size_t *len) {
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v)) return NULL;
    *len = json_string_length(v);
    return json_string_value(v);
}

int dcap_collateral_parse(mpavs_dcap_collateral **out, char *detail, size_t detail_cap, const char *json,
                          size_t len) {
    MPAVS_REQUIRE(out != NULL);
    MPAVS_REQUIRE(json != NULL || len == 0);
    *out = NULL;
    if (detail && detail_cap) detail[0] = 0;
    json_error_t je;
    json_t *root = json ? json_loadb(json, len, 0, &je) : NULL;
    if (!json_is_object(root)) {
        dcap_detail(detail, detail_cap, "collateral is not a JSON object");
        json_decref(root);
        return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    }
    int r = MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    mpavs_dcap_collateral *c = calloc(1, sizeof *c);
    if (!c) {
        json_decref(root);
        return MPAVS_DCAP_ERR_NOMEM;
    }
    dcap_sha256(c->digest, json, len);
    size_t l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0, l6 = 0, l7 = 0, l8 = 0, l9 = 0;
    const char *pck_chain = jstr(root, "pck_crl_issuer_chain", &l1);
    const char *root_crl = jstr(root, "root_ca_crl", &l2);
    const char *pck_crl = jstr(root, "pck_crl", &l3);
    const char *tcb_chain = jstr(root, "tcb_info_issuer_chain", &l4);
    const char *tcb = jstr(root, "tcb_info", &l5);
    const char *tcb_sig = jstr(root, "tcb_info_signature", &l6);
    const char *qe_chain = jstr(root, "qe_identity_issuer_chain", &l7);
    const char *qe = jstr(root, "qe_identity", &l8);
    const char *qe_sig = jstr(root, "qe_identity_signature", &l9);
    if (!pck_chain || !root_crl || !pck_crl || !tcb_chain || !tcb || !tcb_sig || !qe_chain || !qe ||
        !qe_sig) {
        dcap_detail(detail, detail_cap, "collateral: a QuoteCollateralV3 field is missing or not a string");
        goto out;
    }
    if (!dcap_unhex(c->tcb_sig, 64, tcb_sig, l6) || !dcap_unhex(c->qe_sig, 64, qe_sig, l9)) {
        dcap_detail(detail, detail_cap, "collateral: signatures must be 128 hex digits (r||s)");
        goto out;
    }
    if (!dcap_chain_parse(&c->pck_crl_chain, pck_chain, l1) || !dcap_chain_parse(&c->tcb_chain, tcb_chain, l4) ||
        !dcap_chain_parse(&c->qe_chain, qe_chain, l7)) {
        dcap_detail(detail, detail_cap, "collateral: an issuer chain is not a list of valid PEM P-256 certificates");
        goto out;
    }
    if (!crl_load(&c->root_crl_der, &c->root_crl_len, &c->root_crl, root_crl, l2) ||
        !crl_load(&c->pck_crl_der, &c->pck_crl_len, &c->pck_crl, pck_crl, l3)) {
        dcap_detail(detail, detail_cap, "collateral: a CRL is not valid DER/PEM/hex-DER (ECDSA P-256)");
        r = MPAVS_DCAP_ERR_CRL_INVALID;
        goto out;
    }
    c->tcb_raw = malloc(l5 + 1);
    c->qe_raw = malloc(l8 + 1);
    if (!c->tcb_raw || !c->qe_raw) {
        r = MPAVS_DCAP_ERR_NOMEM;
        goto out;
    }
    memcpy(c->tcb_raw, tcb, l5);
    c->tcb_raw[l5] = 0;
    c->tcb_len = l5;
    memcpy(c->qe_raw, qe, l8);
    c->qe_raw[l8] = 0;
    c->qe_len = l8;
    if ((r = parse_tcb_info(&c->tcb, c->tcb_raw, l5, detail, detail_cap)) != MPAVS_DCAP_OK) goto out;
    if ((r = parse_qe_identity(&c->qe, c->qe_raw, l8, detail, detail_cap)) != MPAVS_DCAP_OK) goto out;
    size_t l10 = 0;
    const char *pck_cc = jstr(root, "pck_certificate_chain", &l10);
    if (pck_cc && l10) { /* optional: leaf, CA, root PEM */
        r = MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
        if (!(c->pck_chain_text = malloc(l10))) {
            r = MPAVS_DCAP_ERR_NOMEM;
            goto out;
        }
        memcpy(c->pck_chain_text, pck_cc, l10);
        c->pck_chain_len = l10;
        static const char E[] = "-----END CERTIFICATE-----";
        size_t pos = 0;
        for (int k = 0; k < 3; k++) {
            const char *b = NULL, *e = NULL;
            for (size_t i = pos; i + 27 <= l10 && !b; i++)
                if (memcmp(c->pck_chain_text + i, "-----BEGIN CERTIFICATE-----", 27) == 0) b = c->pck_chain_text + i;
            for (size_t i = b ? (size_t)(b - c->pck_chain_text) : l10; i + sizeof E - 1 <= l10 && !e; i++)
                if (memcmp(c->pck_chain_text + i, E, sizeof E - 1) == 0) e = c->pck_chain_text + i + sizeof E - 1;
            if (!b || !e) {
                dcap_detail(detail, detail_cap, "collateral: pck_certificate_chain must hold 3 PEM certificates");
                goto out;
            }
            c->pck_pem[k] = (const uint8_t *)b;
            c->pck_pem_len[k] = (size_t)(e - b);
            pos = (size_t)(e - c->pck_chain_text);
        }
    }
    r = MPAVS_DCAP_OK;
out:
    json_decref(root);
    if (r != MPAVS_DCAP_OK)
        mpavs_dcap_collateral_free(c);
    else
        *out = c;
    return r;
}

/* ---------------- PCS files ---------------- */

/* Skip a JSON string starting at s[i] == '"'; returns index after the closing quote or 0. */
static size_t skip_string(const char *s, size_t len, size_t i) {
    for (i++; i < len; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] == '"') return i + 1;
    }
    return 0;
}

static size_t skip_ws(const char *s, size_t len, size_t i) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* Find the value start of top-level key in object text; returns index or 0. */
static size_t find_top_key(const char *s, size_t len, const char *key) {
    size_t kl = strlen(key);
    int depth = 0;
    for (size_t i = 0; i < len;) {
        char ch = s[i];
        if (ch == '"') {
            size_t e = skip_string(s, len, i);
            if (!e) return 0;
            if (depth == 1 && e - i - 2 == kl && memcmp(s + i + 1, key, kl) == 0) {
                size_t j = skip_ws(s, len, e);
                if (j < len && s[j] == ':') return skip_ws(s, len, j + 1);
            }
            i = e;
            continue;
        }
        if (ch == '{' || ch == '[') depth++;
        if (ch == '}' || ch == ']') depth--;
        i++;
    }
    return 0;
}

int mpavs_dcap_pcs_signed_span(size_t *start, size_t *vlen, uint8_t sig[64], const char *text,
                               size_t len, const char *key) {
    MPAVS_REQUIRE(start && vlen && key && (text || len == 0));
    size_t i = find_top_key(text, len, key);
    if (!i || i >= len || text[i] != '{') return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    int depth = 0;
    size_t j = i;
    for (; j < len; j++) {
        if (text[j] == '"') {
            size_t e = skip_string(text, len, j);
            if (!e) return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
            j = e - 1;
            continue;
        }
        if (text[j] == '{' || text[j] == '[') depth++;
        if (text[j] == '}' || text[j] == ']') {
            if (--depth == 0) {
                if (text[j] != '}') return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
                break;
            }
        }
    }
    if (j >= len) return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    *start = i;
    *vlen = j + 1 - i;
    if (sig) {
        size_t s = find_top_key(text, len, "signature");
        if (!s || text[s] != '"') return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
        size_t e = skip_string(text, len, s);
        if (!e || !dcap_unhex(sig, 64, text + s + 1, e - s - 2)) return MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    }
    return MPAVS_DCAP_OK;
}

static char *der_to_pem(const uint8_t *der, size_t len) {
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    BIO *b = BIO_new(BIO_s_mem());
    char *out = NULL;
    if (x && b && PEM_write_bio_X509(b, x)) {
        char *data;
        long n = BIO_get_mem_data(b, &data);
        out = malloc((size_t)n + 1);
        if (out) {
            memcpy(out, data, (size_t)n);
            out[n] = 0;
        }
    }
    X509_free(x);
    BIO_free(b);
    return out;
}

static char *crl_hex(const uint8_t *data, size_t len) {
    X509_CRL *c = dcap_crl_any(data, len);
    if (!c) return NULL;
    unsigned char *der = NULL;
    int n = i2d_X509_CRL(c, &der);
    char *hex = n > 0 ? malloc((size_t)n * 2 + 1) : NULL;
    if (hex) {
        for (int i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", der[i]);
        hex[2 * n] = 0;
    }
    OPENSSL_free(der);
    X509_CRL_free(c);
    return hex;
}

static char *concat2(const char *a, const char *b) {
    if (!a || !b) return NULL;
    size_t la = strlen(a), lb = strlen(b);
    char *r = malloc(la + lb + 1);
    if (!r) return NULL;
    memcpy(r, a, la);
    memcpy(r + la, b, lb + 1);
    return r;
}

static int collateral_assemble(char **json, char *detail, size_t detail_cap,
                                   const char *tcb_info_file, size_t tcb_info_len,
                                   const char *qe_identity_file, size_t qe_identity_len,
                                   const uint8_t *pck_crl, size_t pck_crl_len,
                                   const uint8_t *root_ca_crl, size_t root_ca_crl_len,
                                   const char *tcb_signing_chain, const char *pck_crl_issuer_chain) {
    MPAVS_REQUIRE(json && tcb_info_file && qe_identity_file && pck_crl && root_ca_crl);
    *json = NULL;
    if (detail && detail_cap) detail[0] = 0;
    int r = MPAVS_DCAP_ERR_COLLATERAL_FORMAT;
    size_t ts, tl, qs, ql;
    uint8_t tsig[64], qsig[64];
    char *root_pem = NULL, *sign_pem = NULL, *ca_pem = NULL, *tchain = NULL, *pchain = NULL;
    char *tstr = NULL, *qstr = NULL, *pck_hex = NULL, *root_hex = NULL;
    json_t *o = NULL;
    if (mpavs_dcap_pcs_signed_span(&ts, &tl, tsig, tcb_info_file, tcb_info_len, "tcbInfo") != 0) {
        dcap_detail(detail, detail_cap, "tcb info file: no {\"tcbInfo\":{...},\"signature\":\"...\"}");
        goto out;
    }
    if (mpavs_dcap_pcs_signed_span(&qs, &ql, qsig, qe_identity_file, qe_identity_len,
                                   "enclaveIdentity") != 0) {
        dcap_detail(detail, detail_cap,
                    "qe identity file: no {\"enclaveIdentity\":{...},\"signature\":\"...\"}");
        goto out;
    }
    pck_hex = crl_hex(pck_crl, pck_crl_len);
    root_hex = crl_hex(root_ca_crl, root_ca_crl_len);
    if (!pck_hex || !root_hex) {
        dcap_detail(detail, detail_cap, "a CRL file is not DER or PEM");
        r = MPAVS_DCAP_ERR_CRL_INVALID;
        goto out;
    }
    root_pem = der_to_pem(dcap_intel_root_der, sizeof dcap_intel_root_der);
    if (!root_pem) goto nomem;
    if (tcb_signing_chain) {
        tchain = strdup(tcb_signing_chain);
    } else {
        sign_pem = der_to_pem(dcap_intel_tcb_signing_der, sizeof dcap_intel_tcb_signing_der);
        tchain = concat2(sign_pem, root_pem);
    }
    if (pck_crl_issuer_chain) {
        pchain = strdup(pck_crl_issuer_chain);
    } else {
        X509_CRL *c = dcap_crl_any(pck_crl, pck_crl_len);
        bool processor = c && dcap_cn_contains(X509_CRL_get_issuer(c), "Processor");
        X509_CRL_free(c);
        ca_pem = processor ? der_to_pem(dcap_intel_processor_ca_der, sizeof dcap_intel_processor_ca_der)
                           : der_to_pem(dcap_intel_platform_ca_der, sizeof dcap_intel_platform_ca_der);
        pchain = concat2(ca_pem, root_pem);
    }
    tstr = strndup(tcb_info_file + ts, tl);
    qstr = strndup(qe_identity_file + qs, ql);
    if (!tchain || !pchain || !tstr || !qstr) goto nomem;
    char tsh[129], qsh[129];
    for (int i = 0; i < 64; i++) {
        snprintf(tsh + 2 * i, 3, "%02x", tsig[i]);
        snprintf(qsh + 2 * i, 3, "%02x", qsig[i]);
    }
    o = json_object();
    if (!o || json_object_set_new(o, "pck_crl_issuer_chain", json_string(pchain)) ||
        json_object_set_new(o, "root_ca_crl", json_string(root_hex)) ||
        json_object_set_new(o, "pck_crl", json_string(pck_hex)) ||
        json_object_set_new(o, "tcb_info_issuer_chain", json_string(tchain)) ||
        json_object_set_new(o, "tcb_info", json_stringn(tstr, tl)) ||
        json_object_set_new(o, "tcb_info_signature", json_string(tsh)) ||
        json_object_set_new(o, "qe_identity_issuer_chain", json_string(tchain)) ||
        json_object_set_new(o, "qe_identity", json_stringn(qstr, ql)) ||
        json_object_set_new(o, "qe_identity_signature", json_string(qsh))) {
        dcap_detail(detail, detail_cap, "could not build JSON (invalid UTF-8 in an input?)");
        goto out;
    }
    *json = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    r = *json ? MPAVS_DCAP_OK : MPAVS_DCAP_ERR_NOMEM;
    goto out;
nomem:
    r = MPAVS_DCAP_ERR_NOMEM;
out:
    json_decref(o);
    free(root_pem);
    free(sign_pem);
    free(ca_pem);
    free(tchain);
    free(pchain);
    free(tstr);
    free(qstr);
    free(pck_hex);
    free(root_hex);
    return r;
}

/* The public form of a failure: err gets code, module "dcap" and the detail (or the code's name). */
static int fail_detail(mpavs_error *err, int r, const char *detail) {
    if (r == MPAVS_DCAP_OK) return r;
    return mpavs_error_set(err, "dcap", r, "%s", detail[0] ? detail : mpavs_dcap_strerror(r));
}

int mpavs_dcap_collateral_parse(mpavs_dcap_collateral **out, mpavs_error *err, const char *json, size_t len) {
    char detail[sizeof err->message] = "";
    return fail_detail(err, dcap_collateral_parse(out, detail, sizeof detail, json, len), detail);
}

int mpavs_dcap_collateral_assemble(char **json, mpavs_error *err, const char *tcb_info_file, size_t tcb_info_len,
                                   const char *qe_identity_file, size_t qe_identity_len, const uint8_t *pck_crl,
                                   size_t pck_crl_len, const uint8_t *root_ca_crl, size_t root_ca_crl_len,
                                   const char *tcb_signing_chain, const char *pck_crl_issuer_chain) {
    char detail[sizeof err->message] = "";
    int r = collateral_assemble(json, detail, sizeof detail, tcb_info_file, tcb_info_len, qe_identity_file,
                                qe_identity_len, pck_crl, pck_crl_len, root_ca_crl, root_ca_crl_len, tcb_signing_chain,
                                pck_crl_issuer_chain);
    return fail_detail(err, r, detail);
}

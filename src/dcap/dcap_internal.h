/* src/dcap/dcap_internal.h — internals shared by the DCAP sources (not exported). */
#ifndef MPAVS_DCAP_INTERNAL_H
#define MPAVS_DCAP_INTERNAL_H

#include "mpavs/dcap.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

extern const uint8_t dcap_intel_root_der[659];
extern const uint8_t dcap_intel_platform_ca_der[666];
extern const uint8_t dcap_intel_processor_ca_der[668];
extern const uint8_t dcap_intel_tcb_signing_der[657];

/* ---- helpers (util.c) ---- */
void dcap_sha256(uint8_t out[32], const void *data, size_t len);
/* Days-from-civil based conversions; false on malformed input. */
bool dcap_iso_time(int64_t *out, const char *s);
bool dcap_asn1_time(int64_t *out, const ASN1_TIME *t);
void dcap_format_time(char out[32], int64_t t);
/* Strict hex: exactly 2n digits. */
bool dcap_unhex(uint8_t *out, size_t n, const char *s, size_t slen);
/* P-256 public key from raw x||y (NULL if not a valid point). */
EVP_PKEY *dcap_pubkey_raw(const uint8_t xy[64]);
/* ECDSA-P256-SHA256 verify of a raw r||s signature over msg. */
bool dcap_verify_raw(EVP_PKEY *key, const uint8_t *msg, size_t len, const uint8_t sig[64]);
/* Same with a precomputed SHA-256 digest. */
bool dcap_verify_digest(EVP_PKEY *key, const uint8_t dgst[32], const uint8_t sig[64]);
/* Sign msg (SHA-256) with a P-256 key, output raw r||s. */
bool dcap_sign_raw(uint8_t sig[64], EVP_PKEY *key, const uint8_t *msg, size_t len);
/* Parse every PEM certificate of text (NUL-terminated or len bytes). NULL if none/invalid. */
STACK_OF(X509) *dcap_pem_chain(const char *text, size_t len);
/* Parse a CRL given as DER, PEM or hex-of-DER text. */
X509_CRL *dcap_crl_any(const uint8_t *data, size_t len);
/* Certificate CN contains needle. */
bool dcap_cn_contains(X509_NAME *n, const char *needle);
void dcap_detail(char *d, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* mpavs_dcap_collateral_parse with the detail in a caller buffer (d may be NULL). */
int dcap_collateral_parse(mpavs_dcap_collateral **out, char *detail, size_t detail_cap, const char *json, size_t len);


/* ---- DER views (der.c) ---- */
typedef struct {
    const uint8_t *p;
    size_t len;
} dcap_span;

typedef struct {
    dcap_span der, tbs, sig; /* sig: DER ECDSA-Sig-Value */
    dcap_span serial;        /* INTEGER contents */
    dcap_span issuer, subject; /* whole Name TLVs */
    int64_t not_before, not_after;
    uint8_t pub[65];         /* 04 || x || y */
    dcap_span sgx_ext;       /* OCTET STRING contents of 1.2.840.113741.1.13.1, or empty */
    bool is_ca;              /* BasicConstraints cA */
} dcap_cert;

typedef struct {
    dcap_span tbs, sig, issuer, revoked; /* revoked: contents of revokedCertificates */
    int64_t this_update, next_update;
    bool has_number, has_aki;
} dcap_crl;

bool dcap_tlv(dcap_span *s, uint8_t *tag, dcap_span *val, dcap_span *whole);
bool dcap_cert_parse(dcap_cert *c, const uint8_t *der, size_t len);
bool dcap_crl_parse(dcap_crl *c, const uint8_t *der, size_t len);
bool dcap_crl_contains(const dcap_crl *c, dcap_span serial);
bool dcap_name_cn_contains(dcap_span name, const char *needle);
/* Base64 body of the first CERTIFICATE block of pem; returns DER length or 0. */
size_t dcap_pem_decode(uint8_t *out, size_t cap, const uint8_t *pem, size_t len);
EVP_PKEY *dcap_key_from_point(EVP_PKEY_CTX *ctx, const uint8_t pub[65]);
bool dcap_verify_der_sig(EVP_PKEY *key, const uint8_t *msg, size_t len, dcap_span sig);

/* ---- collateral (collateral.c) ---- */
typedef struct {
    uint8_t sgx[16];
    uint16_t pcesvn;
    uint8_t tdx[16];
    int status;
    int64_t date;
    json_t *adv; /* borrowed advisoryIDs array or NULL */
} dcap_tcb_level;

typedef struct {
    uint16_t isvsvn;
    int status;
    int64_t date;
    json_t *adv;
} dcap_isv_level;

typedef struct {
    char id[16];
    uint8_t mrsigner[48];
    uint8_t attributes[8], mask[8];
    dcap_isv_level *levels; /* sorted by isvsvn, highest first */
    size_t n;
} dcap_module_id;

typedef struct {
    json_t *root;
    int version;
    bool tdx;
    int64_t issue, next;
    uint8_t fmspc[6], pceid[2];
    int64_t eval_num;
    dcap_tcb_level *levels; /* sorted highest first (QVL order), independent of JSON order */
    size_t n;
    bool has_module;
    uint8_t mod_mrsigner[48], mod_attr[8], mod_mask[8];
    dcap_module_id *mods;
    size_t nmods;
} dcap_tcb_info;

typedef struct {
    json_t *root;
    char id[8];
    int version;
    int64_t issue, next;
    uint8_t miscselect[4], miscmask[4], attr[16], attrmask[16], mrsigner[32];
    uint16_t isvprodid;
    dcap_isv_level *levels;
    size_t n;
} dcap_qe_identity;

typedef struct {
    uint8_t *der;
    size_t len;
    dcap_cert c;
} dcap_owned_cert;

#define DCAP_MAX_CHAIN 3

typedef struct {
    dcap_owned_cert cert[DCAP_MAX_CHAIN];
    int n; /* certificates found (DCAP_MAX_CHAIN + 1 means "too many") */
} dcap_chain;

struct mpavs_dcap_collateral {
    uint8_t digest[32]; /* sha256 of the JSON text it was parsed from */
    dcap_chain pck_crl_chain, tcb_chain, qe_chain;
    uint8_t *root_crl_der, *pck_crl_der;
    size_t root_crl_len, pck_crl_len;
    dcap_crl root_crl, pck_crl;
    char *tcb_raw;
    size_t tcb_len;
    uint8_t tcb_sig[64];
    char *qe_raw;
    size_t qe_len;
    uint8_t qe_sig[64];
    dcap_tcb_info tcb;
    dcap_qe_identity qe;
    /* optional pck_certificate_chain (for quotes whose certification data is not a chain) */
    char *pck_chain_text;
    size_t pck_chain_len;
    const uint8_t *pck_pem[3];
    size_t pck_pem_len[3];
};

/* Parse every PEM certificate of text into chain (DER owned). false if one is malformed. */
bool dcap_chain_parse(dcap_chain *ch, const char *text, size_t len);
void dcap_chain_free(dcap_chain *ch);

#endif

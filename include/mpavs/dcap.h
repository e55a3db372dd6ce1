/*
 * mpavs/dcap.h — Intel SGX / TDX DCAP quote parsing and verification (Intel QVL semantics).
 *
 * Three steps, each explicit:
 *   1. mpavs_dcap_quote_parse(): bounds-checked parse of an SGX v3/v4/v5 or TDX v4/v5 quote
 *      into a view (pointers into the caller's buffer; nothing is allocated).
 *   2. mpavs_dcap_verify(): the checks Intel's QVL makes, at an explicit `now` (unix seconds):
 *      PCK chain to a pinned root, CRLs, PCK SGX extensions, QE report signature, attestation
 *      key binding, quote signature, QE identity, TCB info (signatures over the raw signed
 *      JSON bytes, issue/next-update windows), TCB level selection and status convergence.
 *      The verdict carries the TCB status (which may be OutOfDate, Revoked, ...) — it is NOT a
 *      policy decision.
 *   3. mpavs_dcap_policy_check(): the caller's acceptance policy (debug, measurements, the set
 *      of acceptable TCB statuses).
 *
 * A verifier context (mpavs_dcap_verifier) pins the trusted root and caches verified
 * collateral and PCK chains keyed by FMSPC/CA, each entry valid only inside the time window
 * in which every check it stands for holds. Contexts are not thread-safe; use one per thread.
 *
 * Devnet-only hierarchy (mpavs_dcap_devnet_*): a test root CA, PCK CA, TCB signing key, signed
 * TCB info and QE identity, and SGX v3 quotes signed the way a real QE signs them. Devnet only:
 * nothing produced there is trusted by the Intel root.
 */
#ifndef MPAVS_DCAP_H
#define MPAVS_DCAP_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Result / reason codes. mpavs_dcap_strerror() gives a stable snake_case name for each. */
typedef enum {
    MPAVS_DCAP_OK = 0,
    /* quote format */
    MPAVS_DCAP_ERR_QUOTE_TRUNCATED,        /* quote_truncated */
    MPAVS_DCAP_ERR_QUOTE_VERSION,          /* unsupported_quote_version */
    MPAVS_DCAP_ERR_ATT_KEY_TYPE,           /* unsupported_attestation_key_type */
    MPAVS_DCAP_ERR_TEE_TYPE,               /* unsupported_tee_type */
    MPAVS_DCAP_ERR_QE_VENDOR,              /* unsupported_qe_vendor */
    MPAVS_DCAP_ERR_BODY_TYPE,              /* invalid_body_type */
    MPAVS_DCAP_ERR_AUTH_DATA_SIZE,         /* invalid_auth_data_size */
    MPAVS_DCAP_ERR_CERT_DATA_TYPE,         /* unsupported_cert_data_type */
    MPAVS_DCAP_ERR_CERT_DATA_SIZE,         /* invalid_cert_data_size */
    MPAVS_DCAP_ERR_PCK_CHAIN_FORMAT,       /* pck_chain_malformed */
    /* PCK chain and CRLs */
    MPAVS_DCAP_ERR_PCK_CHAIN_UNTRUSTED,    /* pck_chain_untrusted */
    MPAVS_DCAP_ERR_PCK_CHAIN_SIGNATURE,    /* pck_chain_invalid_signature */
    MPAVS_DCAP_ERR_PCK_CHAIN_EXPIRED,      /* pck_chain_expired */
    MPAVS_DCAP_ERR_PCK_EXTENSIONS,         /* pck_extensions_invalid */
    MPAVS_DCAP_ERR_PCK_REVOKED,            /* pck_revoked */
    MPAVS_DCAP_ERR_CA_REVOKED,             /* intermediate_ca_revoked */
    MPAVS_DCAP_ERR_CRL_INVALID,            /* crl_invalid */
    MPAVS_DCAP_ERR_CRL_EXPIRED,            /* crl_expired */
    /* collateral */
    MPAVS_DCAP_ERR_COLLATERAL_FORMAT,      /* collateral_malformed */
    MPAVS_DCAP_ERR_SIGNING_CHAIN_INVALID,  /* tcb_signing_chain_invalid */
    MPAVS_DCAP_ERR_SIGNING_CHAIN_EXPIRED,  /* tcb_signing_chain_expired */
    MPAVS_DCAP_ERR_TCB_INFO_FORMAT,        /* tcb_info_malformed */
    MPAVS_DCAP_ERR_TCB_INFO_SIGNATURE,     /* tcb_info_invalid_signature */
    MPAVS_DCAP_ERR_TCB_INFO_EXPIRED,       /* tcb_info_expired */
    MPAVS_DCAP_ERR_TCB_INFO_MISMATCH,      /* tcb_info_mismatch */
    MPAVS_DCAP_ERR_QE_IDENTITY_FORMAT,     /* qe_identity_malformed */
    MPAVS_DCAP_ERR_QE_IDENTITY_SIGNATURE,  /* qe_identity_invalid_signature */
    MPAVS_DCAP_ERR_QE_IDENTITY_EXPIRED,    /* qe_identity_expired */
    MPAVS_DCAP_ERR_QE_IDENTITY_MISMATCH,   /* qe_identity_mismatch */
    /* quote step */
    MPAVS_DCAP_ERR_QE_REPORT_SIGNATURE,    /* invalid_qe_report_signature */
    MPAVS_DCAP_ERR_QE_REPORT_DATA,         /* invalid_qe_report_data */
    MPAVS_DCAP_ERR_ATT_KEY,                /* invalid_attestation_key */
    MPAVS_DCAP_ERR_QUOTE_SIGNATURE,        /* invalid_quote_signature */
    MPAVS_DCAP_ERR_TDX_MODULE_MISMATCH,    /* tdx_module_mismatch */
    MPAVS_DCAP_ERR_TCB_NOT_SUPPORTED,      /* tcb_not_supported */
    MPAVS_DCAP_ERR_QE_ISVSVN_NOT_SUPPORTED,/* qe_isvsvn_not_supported */
    /* policy */
    MPAVS_DCAP_ERR_POLICY_DEBUG,           /* policy_debug_rejected */
    MPAVS_DCAP_ERR_POLICY_MEASUREMENT,     /* policy_measurement_rejected */
    MPAVS_DCAP_ERR_POLICY_STATUS,          /* policy_tcb_status_rejected */
    MPAVS_DCAP_ERR_POLICY_FORMAT,          /* policy_malformed */
    /* environment */
    MPAVS_DCAP_ERR_ROOT_CA,                /* root_ca_invalid */
    MPAVS_DCAP_ERR_IO,                     /* io_error */
    MPAVS_DCAP_ERR_DEVNET,                 /* devnet_error */
    MPAVS_DCAP_ERR_BUFFER_TOO_SMALL,       /* buffer_too_small */
    MPAVS_DCAP_ERR_NOMEM,                  /* out_of_memory */
    MPAVS_DCAP_ERR_INTERNAL,               /* internal_error */
    MPAVS_DCAP_ERR_COUNT_
} mpavs_dcap_result;

/** Stable snake_case name of a result code ("ok", "quote_truncated", ...); "unknown" otherwise. */
MPAVS_API const char *mpavs_dcap_strerror(int r);

/** TCB statuses (Intel names). */
typedef enum {
    MPAVS_DCAP_TCB_UP_TO_DATE = 0,
    MPAVS_DCAP_TCB_SW_HARDENING_NEEDED,
    MPAVS_DCAP_TCB_CONFIGURATION_NEEDED,
    MPAVS_DCAP_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
    MPAVS_DCAP_TCB_OUT_OF_DATE,
    MPAVS_DCAP_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
    MPAVS_DCAP_TCB_REVOKED,
    MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED,
    MPAVS_DCAP_TCB_TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED,
    MPAVS_DCAP_TCB_COUNT_
} mpavs_dcap_tcb_status;

/** Intel's name of a status ("UpToDate", "OutOfDate", ...); "Unknown" if out of range. */
MPAVS_API const char *mpavs_dcap_tcb_status_name(int s);
/** Parse an Intel status name. Returns the status or -1 if unknown. */
MPAVS_API int mpavs_dcap_tcb_status_parse(const char *name);

#define MPAVS_DCAP_TEE_SGX 0x00000000u
#define MPAVS_DCAP_TEE_TDX 0x00000081u

/** Body kinds (v5 body type numbering). */
#define MPAVS_DCAP_BODY_SGX 1
#define MPAVS_DCAP_BODY_TD10 2
#define MPAVS_DCAP_BODY_TD15 3

/**
 * A parsed quote: a view into the caller's buffer (valid while it lives). All pointers are
 * non-NULL after a successful parse except pem[] (NULL when the certification data is not
 * a type-5 PEM chain) and user_data fields noted.
 */
typedef struct {
    uint16_t version;          /* 3, 4 or 5 */
    uint16_t att_key_type;     /* 2 */
    uint32_t tee_type;         /* MPAVS_DCAP_TEE_SGX / _TDX */
    uint16_t qe_svn, pce_svn;
    const uint8_t *qe_vendor;  /* 16 bytes */
    const uint8_t *user_data;  /* 20 bytes */
    uint16_t body_type;        /* MPAVS_DCAP_BODY_* */
    const uint8_t *body;       /* report body */
    size_t body_len;           /* 384, 584 or 648 */
    size_t signed_len;         /* bytes [0, signed_len) are signed by the attestation key */
    uint32_t auth_data_len;
    const uint8_t *signature;  /* 64: r||s */
    const uint8_t *att_key;    /* 64: x||y */
    const uint8_t *qe_report;  /* 384 */
    const uint8_t *qe_report_sig; /* 64 */
    const uint8_t *qe_auth;    /* qe_auth_len bytes (may be empty) */
    uint16_t qe_auth_len;
    uint16_t cert_type;        /* outer certification data type (v3: 1..5, v4/v5: 6) */
    uint16_t pck_cert_type;    /* the type of the data carrying the PCK (inner type for 6) */
    const uint8_t *cert_data;  /* the PCK certification data (inner data for type 6) */
    uint32_t cert_data_len;
    const uint8_t *pem[3];     /* type 5: leaf, intermediate, root PEM blocks */
    size_t pem_len[3];
    size_t quote_len;          /* end of the declared auth data */
    size_t trailing;           /* bytes after it (tolerated) */
} mpavs_dcap_quote;

/**
 * Parse a quote. Out: q (zeroed on failure). In: buf, len.
 * Returns MPAVS_DCAP_OK or a quote-format code (quote_truncated, unsupported_*, ...).
 * Every length field is bounds-checked; trailing bytes after the auth data are tolerated.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_quote_parse(mpavs_dcap_quote *q, const uint8_t *buf,
                                                       size_t len);

/*
 * Report body field accessors: pointers into q->body of a successfully parsed quote. The SGX
 * ones require body_type SGX and the TDX one TD10/TD15; they abort (caller bug) otherwise.
 */
/** MRENCLAVE of the SGX enclave (32 bytes). */
MPAVS_API const uint8_t *mpavs_dcap_sgx_mr_enclave(const mpavs_dcap_quote *q);
/** MRSIGNER of the SGX enclave (32 bytes). */
MPAVS_API const uint8_t *mpavs_dcap_sgx_mr_signer(const mpavs_dcap_quote *q);
/** REPORTDATA (64 bytes) of the SGX enclave or the TD. */
MPAVS_API const uint8_t *mpavs_dcap_report_data(const mpavs_dcap_quote *q);
/** True if the SGX enclave (ATTRIBUTES bit 1) or the TD (TDATTRIBUTES bit 0) is in debug mode. */
MPAVS_API bool mpavs_dcap_is_debug(const mpavs_dcap_quote *q);
/** MRTD of the TD (48 bytes). */
MPAVS_API const uint8_t *mpavs_dcap_tdx_mr_td(const mpavs_dcap_quote *q);

/** Opaque collateral (QuoteCollateralV3 content, parsed). */
typedef struct mpavs_dcap_collateral mpavs_dcap_collateral;

/**
 * Parse collateral in dcap-qvl QuoteCollateralV3 JSON layout (pck_crl_issuer_chain,
 * root_ca_crl (hex DER), pck_crl (hex DER), tcb_info_issuer_chain, tcb_info (raw signed JSON
 * text), tcb_info_signature (hex r||s), qe_identity_issuer_chain, qe_identity,
 * qe_identity_signature; optional pck_certificate_chain: leaf, CA, root PEM, used for quotes
 * whose certification data is not a PEM chain, e.g. type 1 PPID). Certificates, CRLs, TCB info
 * and QE identity are parsed (not verified). Out: *out (NULL on failure; free with mpavs_dcap_collateral_free).
 * In: json, len. Returns MPAVS_DCAP_OK, ERR_COLLATERAL_FORMAT, ERR_CRL_INVALID,
 * ERR_TCB_INFO_FORMAT, ERR_QE_IDENTITY_FORMAT or ERR_NOMEM. *err (may be NULL; module "dcap")
 * receives the code and a one-line explanation on failure.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_collateral_parse(mpavs_dcap_collateral **out, mpavs_error *err,
                                                            const char *json, size_t len);
/** Free collateral (NULL allowed). */
MPAVS_API void mpavs_dcap_collateral_free(mpavs_dcap_collateral *c);

/**
 * Find the raw signed JSON value of `key` ("tcbInfo" / "enclaveIdentity") in an Intel PCS
 * response {"tcbInfo":{...},"signature":"..."}: the exact bytes of the object value, located
 * string-aware, never re-serialised. Out: *start, *vlen (span inside text); sig (64 bytes from
 * the sibling "signature" hex, may be NULL). In: text, len, key.
 * Returns MPAVS_DCAP_OK or MPAVS_DCAP_ERR_COLLATERAL_FORMAT.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_pcs_signed_span(size_t *start, size_t *vlen,
                                                           uint8_t sig[64], const char *text,
                                                           size_t len, const char *key);

/**
 * Assemble QuoteCollateralV3 JSON from Intel PCS files' contents. Each CRL may be DER or PEM;
 * chains are PEM. tcb_signing_chain / pck_crl_issuer_chain may be NULL: then the Intel
 * production ones embedded in the library are used (TCB signing 2025 + root; PCK Platform
 * or Processor CA chosen by the CRL issuer). Out: *json (malloc'd NUL-terminated; free()).
 * Returns MPAVS_DCAP_OK or an error code; *err (may be NULL; module "dcap") gets the code and a message.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_collateral_assemble(
    char **json, mpavs_error *err, const char *tcb_info_file, size_t tcb_info_len,
    const char *qe_identity_file, size_t qe_identity_len, const uint8_t *pck_crl, size_t pck_crl_len,
    const uint8_t *root_ca_crl, size_t root_ca_crl_len, const char *tcb_signing_chain,
    const char *pck_crl_issuer_chain);

/** Opaque verifier: trusted root and caches. */
typedef struct mpavs_dcap_verifier mpavs_dcap_verifier;

/** SHA-256 of the DER of Intel's production SGX Root CA (44a0196b…74d3). */
MPAVS_API extern const uint8_t mpavs_dcap_intel_root_sha256[32];

/**
 * Create a verifier. In: root_der/root_len: the trusted root CA certificate (DER or PEM);
 * NULL means Intel's production root (embedded, checked against mpavs_dcap_intel_root_sha256).
 * cache: enable the collateral / PCK-chain cache. Out: *out. Returns OK, ERR_ROOT_CA, ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_verifier_create(mpavs_dcap_verifier **out,
                                                           const uint8_t *root, size_t root_len,
                                                           bool cache);
/** Destroy a verifier (NULL allowed). */
MPAVS_API void mpavs_dcap_verifier_destroy(mpavs_dcap_verifier *v);
/** Drop every cache entry. */
MPAVS_API void mpavs_dcap_verifier_flush(mpavs_dcap_verifier *v);

#define MPAVS_DCAP_MAX_ADVISORIES 64

/** The outcome of mpavs_dcap_verify. */
typedef struct {
    int error;                    /* reason code, MPAVS_DCAP_OK when verified */
    char detail[192];             /* one-line explanation when error != OK */
    int tcb_status;               /* final status (valid when verified, or REVOKED for PCK revocation) */
    int platform_status;          /* TCB-level status before convergence */
    int qe_status;                /* QE identity level status */
    int module_status;            /* TDX module status (UpToDate for SGX) */
    size_t n_advisories;
    char advisory_ids[MPAVS_DCAP_MAX_ADVISORIES][32];
    uint8_t fmspc[6];
    uint8_t pceid[2];
    int64_t tcb_date;             /* tcbDate of the matched platform level */
    mpavs_dcap_quote quote;       /* the parsed quote (view into the caller's buffer) */
} mpavs_dcap_verdict;

/**
 * Verify a quote with collateral at time `now` (unix seconds).
 * Out: *ok (true when verified), verdict (always filled; verdict->error says why on failure).
 * In: quote, len, coll, now.
 * Returns MPAVS_DCAP_OK when a verdict was reached (positive or negative); ERR_NOMEM or
 * ERR_INTERNAL when the check could not be made.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_verify(mpavs_dcap_verifier *v, bool *ok,
                                                  mpavs_dcap_verdict *verdict, const uint8_t *quote,
                                                  size_t len, const mpavs_dcap_collateral *coll,
                                                  int64_t now);

/**
 * As mpavs_dcap_verify, with the collateral given as QuoteCollateralV3 JSON text. With a
 * caching verifier the parsed collateral is kept (keyed by the SHA-256 of the text, which
 * identifies one FMSPC/CA/TCB-evaluation issue) and reused by later calls; otherwise it is
 * parsed and freed on each call. A collateral parse failure is a negative verdict.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_verify_json(mpavs_dcap_verifier *v, bool *ok,
                                                       mpavs_dcap_verdict *verdict,
                                                       const uint8_t *quote, size_t len,
                                                       const char *coll_json, size_t coll_len,
                                                       int64_t now);

/**
 * Keep collateral in the verifier's store, keyed by (TEE, FMSPC, PCK CA kind) as read from its
 * TCB info and PCK CRL issuer; a newer issue for the same key (higher tcbEvaluationDataNumber,
 * then later issueDate) replaces the older one. The collateral's signatures are checked on the
 * next verification that uses it (and cached for its validity window). In: json, len.
 * *err (may be NULL) gets the code and a message on failure. Returns OK, a collateral_* / crl_* / tcb_info_* /
 * qe_identity_* parse code, or ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_verifier_add_collateral(mpavs_dcap_verifier *v, mpavs_error *err,
                                                                   const char *json, size_t len);

/**
 * Verify a quote with the stored collateral of its platform: the FMSPC comes from the quote's
 * PCK certificate, the CA kind from its issuer, the TEE from the header. No stored collateral
 * for the platform is a negative verdict with reason collateral_malformed ("no collateral").
 * Same outputs and return values as mpavs_dcap_verify.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_verify_stored(mpavs_dcap_verifier *v, bool *ok,
                                                         mpavs_dcap_verdict *verdict, const uint8_t *quote,
                                                         size_t len, int64_t now);

/** Caller policy. Zero-initialised = accept everything except the Revoked status. */
typedef struct {
    bool reject_debug;
    bool use_status_set;           /* if true, only statuses with accept_status[s] pass */
    bool accept_status[MPAVS_DCAP_TCB_COUNT_];
    const uint8_t (*mr_enclave)[32]; size_t n_mr_enclave; /* SGX allow-list (empty = any) */
    const uint8_t (*mr_signer)[32];  size_t n_mr_signer;  /* SGX allow-list (empty = any) */
    const uint8_t (*mr_td)[48];      size_t n_mr_td;      /* TDX allow-list (empty = any) */
} mpavs_dcap_policy;

/** Production preset: reject debug, accept every status except Revoked. Out: p. */
MPAVS_API void mpavs_dcap_policy_production(mpavs_dcap_policy *p);

/**
 * Apply a policy to a positive verdict. Out: *ok. In: p, verdict. Returns MPAVS_DCAP_OK
 * (verdict in *ok; when false the reason code is written to verdict->error and detail).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_policy_check(bool *ok, mpavs_dcap_verdict *verdict,
                                                        const mpavs_dcap_policy *p);

/**
 * The output prefix and body Automata's on-chain DCAP verifier v1.0 returns for a verified quote
 * (what the AVS AttestationVerifier reads): u16 quote version (big-endian) || 4 raw tee_type
 * bytes || u8 status (Automata enum: 0 UpToDate, 1 SWHardeningNeeded, 2 ConfigurationAndSW-
 * HardeningNeeded, 3 ConfigurationNeeded, 4 OutOfDate, 5 OutOfDateConfigurationNeeded,
 * 6 Revoked, 8 TDRelaunchAdvised, 9 TDRelaunchAdvisedConfigurationNeeded) || FMSPC (6) || report
 * body (384 / 584 / 648 bytes). The ABI-encoded advisory-ID suffix is not appended.
 * Out: out (cap bytes), *out_len (needed size, also on ERR_BUFFER_TOO_SMALL). In: a verdict with
 * error == OK. Returns OK, ERR_BUFFER_TOO_SMALL, or ERR_INTERNAL for a negative verdict.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_automata_output(uint8_t *out, size_t cap, size_t *out_len,
                                                           const mpavs_dcap_verdict *verdict);

/* ---------------- devnet-only attestation hierarchy ---------------- */

/** A loaded devnet CA (opaque; keys in memory). DEVNET ONLY. */
typedef struct mpavs_dcap_devnet mpavs_dcap_devnet;

/**
 * Create a devnet hierarchy in directory dir (created if missing): root CA, PCK Platform CA
 * + CRLs, TCB signing certificate, TCB info v3 and QE identity v2 signed in Intel's format,
 * a PCK leaf with SGX extensions, collateral.dcapqvl.json and a DEVNET-ONLY README.
 * Windows start at now - 1 day; certificates last 10 years, TCB info/QE identity 1 year.
 * revoke_pck: put the PCK leaf's serial in the PCK CRL (for negative tests).
 * Returns OK, ERR_IO, ERR_DEVNET, ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_devnet_generate(const char *dir, int64_t now,
                                                         bool revoke_pck);
/** Load a devnet CA directory. Out: *out. Returns OK, ERR_IO, ERR_DEVNET, ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_devnet_load(mpavs_dcap_devnet **out, const char *dir);
/** Free a loaded devnet CA (NULL allowed; keys are freed by OpenSSL's clearing free). */
MPAVS_API void mpavs_dcap_devnet_free(mpavs_dcap_devnet *d);
/** The root CA certificate DER of a loaded devnet (for mpavs_dcap_verifier_create). */
MPAVS_API const uint8_t *mpavs_dcap_devnet_root_der(const mpavs_dcap_devnet *d, size_t *len);
/** The collateral JSON text of a loaded devnet (NUL-terminated). */
MPAVS_API const char *mpavs_dcap_devnet_collateral(const mpavs_dcap_devnet *d, size_t *len);

/**
 * Make an SGX v3 quote for 64 bytes of report data, signed as a real QE signs: a fresh
 * attestation key, QE report (QE identity's MRSIGNER/ISVPRODID/ATTRIBUTES) whose REPORTDATA is
 * sha256(attestation key || QE auth data) || 0^32 signed by the PCK key, and the ISV report
 * signed by the attestation key. mr_enclave / mr_signer may be NULL (zeros); debug sets the
 * enclave DEBUG attribute. Out: out (cap bytes), *out_len. Thread-compatible: d is read-only.
 * Returns OK, ERR_BUFFER_TOO_SMALL (with *out_len = needed), ERR_DEVNET.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_devnet_quote(const mpavs_dcap_devnet *d, uint8_t *out,
                                                        size_t cap, size_t *out_len,
                                                        const uint8_t report_data[64],
                                                        const uint8_t mr_enclave[32],
                                                        const uint8_t mr_signer[32], bool debug);

/**
 * The TDX collateral of a loaded devnet (NUL-terminated collateral_tdx.dcapqvl.json text: a TDX
 * TCB info v3 for the devnet FMSPC and the TD QE identity), or NULL for a directory made before
 * TDX support (then *len = 0). len may be NULL.
 */
MPAVS_API const char *mpavs_dcap_devnet_collateral_tdx(const mpavs_dcap_devnet *d, size_t *len);

/**
 * The identity of the devnet TD QE (what an on-chain verifier's TD QE identity must be set to).
 * Out: mr_signer (32 bytes), *isv_prod_id.
 */
MPAVS_API void mpavs_dcap_devnet_td_qe_identity(uint8_t mr_signer[32], uint16_t *isv_prod_id);

/**
 * Make a TDX v4 quote (TD 1.0 report body) for 64 bytes of report data, signed as the TD QE
 * signs: a fresh attestation key, the TD QE's report (binding it, signed by the PCK key) inside
 * type-6 certification data with the type-5 PCK chain, and the TD report signed by the
 * attestation key over header || body. The body has TEE_TCB_SVN of the devnet TDX TCB info,
 * MRSIGNERSEAM = 0, TDATTRIBUTES with SEPT_VE_DISABLE (bit 28) and, with debug, DEBUG (bit 0);
 * mr_td may be NULL (zeros). Verifies with mpavs_dcap_devnet_collateral_tdx. Out: out (cap
 * bytes), *out_len. Returns OK, ERR_BUFFER_TOO_SMALL (with *out_len = needed), ERR_DEVNET.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_dcap_devnet_tdx_quote(const mpavs_dcap_devnet *d, uint8_t *out,
                                                            size_t cap, size_t *out_len,
                                                            const uint8_t report_data[64],
                                                            const uint8_t mr_td[48], bool debug);

#ifdef __cplusplus
}
#endif
#endif

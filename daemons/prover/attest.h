/*
 * daemons/prover/attest.h — the quote providers of mpavs-prover behind one interface.
 *
 * A provider is one attest_provider (name, TEE type, check, init, quote, destroy) in its own file
 * (attest_<name>.c) and one row of the registry in attest.c:
 *   devnet  : quotes made in-process by the DEVNET-ONLY hierarchy of a directory created with
 *             `mpavs attest devnet-ca` (mpavs_dcap_devnet_quote); optional MRENCLAVE/MRSIGNER.
 *   devnet-tdx : TDX v4 quotes made in-process by the same DEVNET-ONLY hierarchy
 *             (mpavs_dcap_devnet_tdx_quote, a simulated TD): MRTD = the configured MRENCLAVE
 *             followed by 16 zero bytes (all zero without one), RTMRs and MRCONFIGID zero.
 *   gramine : real SGX under Gramine: write the 64 bytes to <dir>/user_report_data, then read
 *             <dir>/quote (dir defaults to /dev/attestation).
 *   tdx     : Linux configfs-tsm: mkdir <dir>/<entry>, write 64 bytes to <entry>/inblob, read
 *             <entry>/outblob, rmdir the entry (dir defaults to /sys/kernel/config/tsm/report).
 * Adding a TEE type: a file attest_<name>.c defining `const attest_provider attest_<name>` and a
 * row in PROVIDERS (attest.c); the configuration key attestation.provider then accepts <name>.
 * Calls on one attester are serialised by the caller (one quote at a time).
 */
#ifndef MPAVS_PROVER_ATTEST_H
#define MPAVS_PROVER_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Largest quote a provider returns (bytes). */
#define ATTEST_MAX_QUOTE (1u << 20)

/** The attestation.* configuration values a provider may use (strings and bytes borrowed). */
typedef struct {
    const char *dir;           /* attestation.dir, NULL = the provider's default */
    const char *devnet_ca_dir; /* attestation.devnet_ca_dir, NULL when unset */
    const uint8_t *mr_enclave; /* attestation.mr_enclave (32 bytes), NULL when unset */
    const uint8_t *mr_signer;  /* attestation.mr_signer (32 bytes), NULL when unset */
    bool debug;                /* attestation.debug */
} attest_config;

/** One quote provider. Every function pointer but check is set. */
typedef struct attest_provider {
    const char *name;  /* attestation.provider value, e.g. "gramine" */
    uint32_t tee_type; /* the quotes' TEE type: MPAVS_DCAP_TEE_SGX or MPAVS_DCAP_TEE_TDX (mpavs/dcap.h) */
    /** Configuration check (may be NULL): false with err filled ("attestation.KEY: …") when cfg lacks what the provider needs. */
    bool (*check)(const attest_config *cfg, char *err, size_t errcap);
    /** Open the provider's state. Returns it (non-NULL) or NULL with err filled. */
    void *(*init)(const attest_config *cfg, char *err, size_t errcap);
    /** A quote over 64 bytes of report data. Out: *quote (malloc'd, ≤ ATTEST_MAX_QUOTE), *len; err on failure. */
    bool (*quote)(void *state, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                  size_t errcap);
    /** Release the state (NULL-safe). */
    void (*destroy)(void *state);
} attest_provider;

/** The provider named name (exact match), or NULL. */
const attest_provider *attest_provider_find(const char *name);

/** The registered providers' names as "a, b or c" into buf (for messages and the config docs). */
void attest_provider_names(char *buf, size_t cap);

typedef struct attester attester;

/** Open provider p with cfg. Out: err on failure. Returns the attester or NULL. */
attester *attest_open(const attest_provider *p, const attest_config *cfg, char *err, size_t errcap);

/** The attester's provider. */
const attest_provider *attest_provider_of(const attester *a);

/** Close (NULL-safe). */
void attest_close(attester *a);

/** Produce a quote over 64 bytes of report data. Out: *quote (malloc'd), *len; err on failure. */
bool attest_quote(attester *a, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                  size_t errcap);

/* ---- helpers for providers (attest_io.c) ---- */

/** Write len bytes to an existing file path. Returns false with err filled. */
bool attest_write_file(const char *path, const uint8_t *data, size_t len, char *err, size_t errcap);

/** Read a whole non-empty file of at most ATTEST_MAX_QUOTE bytes. Out: *out (malloc'd), *len. */
bool attest_read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errcap);

#endif

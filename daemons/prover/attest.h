/*
 * daemons/prover/attest.h — quote providers of mpavs-prover.
 *
 *   devnet  : quotes made in-process by the DEVNET-ONLY hierarchy of a directory created with
 *             `mpavs attest devnet-ca` (mpavs_dcap_devnet_quote); optional MRENCLAVE/MRSIGNER.
 *   devnet-tdx : TDX v4 quotes made in-process by the same DEVNET-ONLY hierarchy
 *             (mpavs_dcap_devnet_tdx_quote, a simulated TD): MRTD = the configured MRENCLAVE
 *             followed by 16 zero bytes (all zero without one), RTMRs and MRCONFIGID zero.
 *   gramine : real SGX under Gramine: write the 64 bytes to <dir>/user_report_data, then read
 *             <dir>/quote (dir defaults to /dev/attestation).
 *   tdx     : Linux configfs-tsm: mkdir <dir>/<entry>, write 64 bytes to <entry>/inblob, read
 *             <entry>/outblob, rmdir the entry (dir defaults to /sys/kernel/config/tsm/report).
 * Calls are serialised by the caller (one quote at a time).
 */
#ifndef MPAVS_PROVER_ATTEST_H
#define MPAVS_PROVER_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { ATTEST_DEVNET, ATTEST_GRAMINE, ATTEST_TDX, ATTEST_DEVNET_TDX } attest_kind;

typedef struct attester attester;

/** Parse a provider name. Returns false if unknown. */
bool attest_kind_parse(const char *name, attest_kind *kind);

/**
 * Open a provider. dir: devnet CA directory (devnet, required), the attestation directory
 * (gramine/tdx; NULL = default). mr_enclave/mr_signer (devnet only, may be NULL), debug (devnet).
 * Out: err on failure. Returns the provider or NULL.
 */
attester *attest_open(attest_kind kind, const char *dir, const uint8_t *mr_enclave, const uint8_t *mr_signer,
                      bool debug, char *err, size_t errcap);
void attest_close(attester *a);

/** Produce a quote over 64 bytes of report data. Out: *quote (malloc'd), *len; err on failure. */
bool attest_quote(attester *a, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                  size_t errcap);

#endif

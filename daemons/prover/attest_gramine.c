/*
 * daemons/prover/attest_gramine.c — the gramine provider (attest.h): real SGX under Gramine; the 64
 * bytes are written to <dir>/user_report_data and the quote read from <dir>/quote.
 */
#include "attest.h"

#include "mpavs/dcap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GRAMINE_DIR "/dev/attestation"

typedef struct {
    char dir[512];
} gramine_state;

static void *gramine_init(const attest_config *cfg, char *err, size_t errcap) {
    gramine_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(s->dir, sizeof s->dir, "%s", cfg->dir ? cfg->dir : GRAMINE_DIR);
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/user_report_data", s->dir);
    if (stat(p, &st) != 0) {
        snprintf(err, errcap, "gramine attestation: %s: %s (not running inside a Gramine SGX enclave?)", p,
                 strerror(errno));
        free(s);
        return NULL;
    }
    snprintf(p, sizeof p, "%s/quote", s->dir);
    if (stat(p, &st) != 0) {
        snprintf(err, errcap, "gramine attestation: %s: %s (is sgx.remote_attestation = \"dcap\" set?)", p,
                 strerror(errno));
        free(s);
        return NULL;
    }
    return s;
}

static bool gramine_quote(void *state, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                          size_t errcap) {
    gramine_state *s = state;
    char p[700];
    snprintf(p, sizeof p, "%s/user_report_data", s->dir);
    if (!attest_write_file(p, report_data, 64, err, errcap)) return false;
    snprintf(p, sizeof p, "%s/quote", s->dir);
    return attest_read_file(p, quote, len, err, errcap);
}

static void gramine_destroy(void *state) { free(state); }

const attest_provider attest_gramine = {"gramine", MPAVS_DCAP_TEE_SGX, NULL, gramine_init, gramine_quote,
                                        gramine_destroy};

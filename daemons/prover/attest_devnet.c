/*
 * daemons/prover/attest_devnet.c — the devnet providers (attest.h): quotes made in-process by the
 * DEVNET-ONLY hierarchy of `mpavs attest devnet-ca`. Two rows over one state:
 *   devnet     : SGX v3 quotes (mpavs_dcap_devnet_quote), optional MRENCLAVE/MRSIGNER;
 *   devnet-tdx : TDX v4 quotes of a simulated TD (mpavs_dcap_devnet_tdx_quote): MRTD = the
 *                configured MRENCLAVE followed by 16 zero bytes (all zero without one), RTMRs and
 *                MRCONFIGID zero.
 */
#include "attest.h"

#include "mpavs/dcap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mpavs_dcap_devnet *devnet;
    uint8_t mr_enclave[32], mr_signer[32];
    bool has_mre, has_mrs, debug;
    bool tdx; /* devnet-tdx */
} devnet_state;

static bool devnet_check(const attest_config *cfg, char *err, size_t errcap) {
    if (cfg->devnet_ca_dir) return true;
    snprintf(err, errcap, "attestation.devnet_ca_dir: required for the devnet provider");
    return false;
}

static void *devnet_open(const attest_config *cfg, bool tdx, char *err, size_t errcap) {
    devnet_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    s->debug = cfg->debug;
    s->tdx = tdx;
    if (cfg->mr_enclave) {
        memcpy(s->mr_enclave, cfg->mr_enclave, 32);
        s->has_mre = true;
    }
    if (cfg->mr_signer) {
        memcpy(s->mr_signer, cfg->mr_signer, 32);
        s->has_mrs = true;
    }
    int r = mpavs_dcap_devnet_load(&s->devnet, cfg->devnet_ca_dir);
    if (r) {
        snprintf(err, errcap, "cannot load devnet CA %s: %s", cfg->devnet_ca_dir, mpavs_dcap_strerror(r));
        free(s);
        return NULL;
    }
    return s;
}

static void *devnet_init(const attest_config *cfg, char *err, size_t errcap) {
    return devnet_open(cfg, false, err, errcap);
}

static void *devnet_tdx_init(const attest_config *cfg, char *err, size_t errcap) {
    return devnet_open(cfg, true, err, errcap);
}

static bool devnet_quote(void *state, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                         size_t errcap) {
    devnet_state *s = state;
    size_t cap = 16384, n = 0;
    for (int tries = 0; tries < 2; tries++) {
        uint8_t *buf = malloc(cap);
        if (!buf) {
            snprintf(err, errcap, "out of memory");
            return false;
        }
        int r;
        if (s->tdx) {
            uint8_t mrtd[48] = {0};
            if (s->has_mre) memcpy(mrtd, s->mr_enclave, 32);
            r = mpavs_dcap_devnet_tdx_quote(s->devnet, buf, cap, &n, report_data, mrtd, s->debug);
        } else {
            r = mpavs_dcap_devnet_quote(s->devnet, buf, cap, &n, report_data, s->has_mre ? s->mr_enclave : NULL,
                                        s->has_mrs ? s->mr_signer : NULL, s->debug);
        }
        if (r == MPAVS_DCAP_OK) {
            *quote = buf;
            *len = n;
            return true;
        }
        free(buf);
        if (r != MPAVS_DCAP_ERR_BUFFER_TOO_SMALL || n <= cap || n > ATTEST_MAX_QUOTE) {
            snprintf(err, errcap, "devnet quote: %s", mpavs_dcap_strerror(r));
            return false;
        }
        cap = n;
    }
    snprintf(err, errcap, "devnet quote: buffer sizing failed");
    return false;
}

static void devnet_destroy(void *state) {
    devnet_state *s = state;
    if (!s) return;
    mpavs_dcap_devnet_free(s->devnet);
    free(s);
}

const attest_provider attest_devnet = {"devnet", MPAVS_DCAP_TEE_SGX, devnet_check, devnet_init, devnet_quote,
                                       devnet_destroy};
const attest_provider attest_devnet_tdx = {"devnet-tdx", MPAVS_DCAP_TEE_TDX, devnet_check, devnet_tdx_init,
                                           devnet_quote, devnet_destroy};

/*
 * daemons/prover/attest_tdx.c — the tdx provider (attest.h): Linux configfs-tsm in a TDX guest; per
 * quote mkdir <dir>/<entry>, write 64 bytes to <entry>/inblob, read <entry>/outblob, rmdir <entry>.
 */
#include "attest.h"

#include "mpavs/dcap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TSM_DIR "/sys/kernel/config/tsm/report"

typedef struct {
    char dir[512];
    unsigned long seq;
} tdx_state;

static void *tdx_init(const attest_config *cfg, char *err, size_t errcap) {
    tdx_state *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    snprintf(s->dir, sizeof s->dir, "%s", cfg->dir ? cfg->dir : TSM_DIR);
    struct stat st;
    errno = 0;
    if (stat(s->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errcap,
                 "tdx attestation: %s: %s (needs a TDX guest with configfs-tsm: mount -t configfs none "
                 "/sys/kernel/config)",
                 s->dir, errno ? strerror(errno) : "not a directory");
        free(s);
        return NULL;
    }
    return s;
}

static bool tdx_quote(void *state, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                      size_t errcap) {
    tdx_state *s = state;
    char entry[600], p[700];
    snprintf(entry, sizeof entry, "%s/mpavs-%ld-%lu", s->dir, (long)getpid(), s->seq++);
    if (mkdir(entry, 0700) != 0) {
        snprintf(err, errcap, "tdx: mkdir %s: %s", entry, strerror(errno));
        return false;
    }
    snprintf(p, sizeof p, "%s/inblob", entry);
    bool ok = attest_write_file(p, report_data, 64, err, errcap);
    if (ok) {
        snprintf(p, sizeof p, "%s/outblob", entry);
        ok = attest_read_file(p, quote, len, err, errcap);
    }
    (void)rmdir(entry); /* a leftover entry is harmless; the quote is good */
    return ok;
}

static void tdx_destroy(void *state) { free(state); }

const attest_provider attest_tdx = {"tdx", MPAVS_DCAP_TEE_TDX, NULL, tdx_init, tdx_quote, tdx_destroy};

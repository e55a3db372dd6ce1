/* daemons/prover/attest.c — see attest.h. */
#include "attest.h"

#include "mpavs/dcap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_QUOTE (1u << 20)

struct attester {
    attest_kind kind;
    char dir[512];
    mpavs_dcap_devnet *devnet;
    uint8_t mr_enclave[32], mr_signer[32];
    bool has_mre, has_mrs, debug;
    unsigned long seq;
};

bool attest_kind_parse(const char *name, attest_kind *kind) {
    if (!name) return false;
    if (strcmp(name, "devnet") == 0) *kind = ATTEST_DEVNET;
    else if (strcmp(name, "gramine") == 0) *kind = ATTEST_GRAMINE;
    else if (strcmp(name, "tdx") == 0) *kind = ATTEST_TDX;
    else if (strcmp(name, "devnet-tdx") == 0) *kind = ATTEST_DEVNET_TDX;
    else return false;
    return true;
}

attester *attest_open(attest_kind kind, const char *dir, const uint8_t *mr_enclave, const uint8_t *mr_signer,
                      bool debug, char *err, size_t errcap) {
    attester *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    a->kind = kind;
    a->debug = debug;
    if (mr_enclave) {
        memcpy(a->mr_enclave, mr_enclave, 32);
        a->has_mre = true;
    }
    if (mr_signer) {
        memcpy(a->mr_signer, mr_signer, 32);
        a->has_mrs = true;
    }
    const char *def = kind == ATTEST_GRAMINE ? "/dev/attestation" : "/sys/kernel/config/tsm/report";
    if (!dir && (kind == ATTEST_DEVNET || kind == ATTEST_DEVNET_TDX)) {
        snprintf(err, errcap, "devnet attestation needs attestation.devnet_ca_dir");
        free(a);
        return NULL;
    }
    snprintf(a->dir, sizeof a->dir, "%s", dir ? dir : def);
    struct stat st;
    switch (kind) {
    case ATTEST_DEVNET:
    case ATTEST_DEVNET_TDX: {
        int r = mpavs_dcap_devnet_load(&a->devnet, a->dir);
        if (r) {
            snprintf(err, errcap, "cannot load devnet CA %s: %s", a->dir, mpavs_dcap_strerror(r));
            free(a);
            return NULL;
        }
        break;
    }
    case ATTEST_GRAMINE: {
        char p[600];
        snprintf(p, sizeof p, "%s/user_report_data", a->dir);
        if (stat(p, &st) != 0) {
            snprintf(err, errcap, "gramine attestation: %s: %s (not running inside a Gramine SGX enclave?)", p,
                     strerror(errno));
            free(a);
            return NULL;
        }
        snprintf(p, sizeof p, "%s/quote", a->dir);
        if (stat(p, &st) != 0) {
            snprintf(err, errcap, "gramine attestation: %s: %s (is sgx.remote_attestation = \"dcap\" set?)", p,
                     strerror(errno));
            free(a);
            return NULL;
        }
        break;
    }
    case ATTEST_TDX:
        if (stat(a->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, errcap,
                     "tdx attestation: %s: %s (needs a TDX guest with configfs-tsm: mount -t configfs none "
                     "/sys/kernel/config)",
                     a->dir, errno ? strerror(errno) : "not a directory");
            free(a);
            return NULL;
        }
        break;
    }
    return a;
}

void attest_close(attester *a) {
    if (!a) return;
    mpavs_dcap_devnet_free(a->devnet);
    free(a);
}

static bool write_file(const char *path, const uint8_t *data, size_t len, char *err, size_t errcap) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            snprintf(err, errcap, "write %s: %s", path, w < 0 ? strerror(errno) : "short write");
            close(fd);
            return false;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        snprintf(err, errcap, "close %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

static bool read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errcap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 8192, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            close(fd);
            snprintf(err, errcap, "out of memory");
            return false;
        }
        if (n == cap) {
            if (cap >= MAX_QUOTE) {
                free(buf);
                close(fd);
                snprintf(err, errcap, "%s: larger than %u bytes", path, MAX_QUOTE);
                return false;
            }
            uint8_t *nb = realloc(buf, cap * 2);
            if (!nb) free(buf);
            buf = nb;
            cap *= 2;
            continue;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            snprintf(err, errcap, "read %s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return false;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (n == 0) {
        free(buf);
        snprintf(err, errcap, "%s: empty quote", path);
        return false;
    }
    *out = buf;
    *len = n;
    return true;
}

bool attest_quote(attester *a, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                  size_t errcap) {
    char p[700];
    switch (a->kind) {
    case ATTEST_DEVNET:
    case ATTEST_DEVNET_TDX: {
        size_t cap = 16384, n = 0;
        for (int tries = 0; tries < 2; tries++) {
            uint8_t *buf = malloc(cap);
            if (!buf) {
                snprintf(err, errcap, "out of memory");
                return false;
            }
            int r;
            if (a->kind == ATTEST_DEVNET_TDX) {
                uint8_t mrtd[48] = {0};
                if (a->has_mre) memcpy(mrtd, a->mr_enclave, 32);
                r = mpavs_dcap_devnet_tdx_quote(a->devnet, buf, cap, &n, report_data, mrtd, a->debug);
            } else {
                r = mpavs_dcap_devnet_quote(a->devnet, buf, cap, &n, report_data, a->has_mre ? a->mr_enclave : NULL,
                                            a->has_mrs ? a->mr_signer : NULL, a->debug);
            }
            if (r == MPAVS_DCAP_OK) {
                *quote = buf;
                *len = n;
                return true;
            }
            free(buf);
            if (r != MPAVS_DCAP_ERR_BUFFER_TOO_SMALL || n <= cap || n > MAX_QUOTE) {
                snprintf(err, errcap, "devnet quote: %s", mpavs_dcap_strerror(r));
                return false;
            }
            cap = n;
        }
        snprintf(err, errcap, "devnet quote: buffer sizing failed");
        return false;
    }
    case ATTEST_GRAMINE:
        snprintf(p, sizeof p, "%s/user_report_data", a->dir);
        if (!write_file(p, report_data, 64, err, errcap)) return false;
        snprintf(p, sizeof p, "%s/quote", a->dir);
        return read_file(p, quote, len, err, errcap);
    case ATTEST_TDX: {
        char entry[600];
        snprintf(entry, sizeof entry, "%s/mpavs-%ld-%lu", a->dir, (long)getpid(), a->seq++);
        if (mkdir(entry, 0700) != 0) {
            snprintf(err, errcap, "tdx: mkdir %s: %s", entry, strerror(errno));
            return false;
        }
        snprintf(p, sizeof p, "%s/inblob", entry);
        bool ok = write_file(p, report_data, 64, err, errcap);
        if (ok) {
            snprintf(p, sizeof p, "%s/outblob", entry);
            ok = read_file(p, quote, len, err, errcap);
        }
        if (rmdir(entry) != 0 && ok) {
            /* a leftover entry is harmless; the quote is good */
        }
        return ok;
    }
    }
    snprintf(err, errcap, "unknown provider");
    return false;
}

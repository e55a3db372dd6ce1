/* daemons/prover/attest_io.c — file helpers shared by the device-file providers (attest.h). */
#include "attest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool attest_write_file(const char *path, const uint8_t *data, size_t len, char *err, size_t errcap) {
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

bool attest_read_file(const char *path, uint8_t **out, size_t *len, char *err, size_t errcap) {
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
            if (cap >= ATTEST_MAX_QUOTE) {
                free(buf);
                close(fd);
                snprintf(err, errcap, "%s: larger than %u bytes", path, ATTEST_MAX_QUOTE);
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

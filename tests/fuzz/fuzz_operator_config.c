/*
 * Fuzz mpavs-operator's configuration reader (daemons/operator/config.c over
 * daemons/common/config.c with case-insensitive keys): any bytes as operator.json. It must
 * never crash, must report problems or produce a configuration whose invariants hold (every
 * mapped task type 1..3, listen addresses parse, at most OP_MAX_QUORUMS entries).
 * Inputs naming secret files (…PasswordFile, …EcdsaKeyFile) are skipped: reading a path such as
 * /dev/stdin would block.
 */
#include "common/http_get.h"
#include "common/log.h"
#include "operator/operator.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static char path[64];
static void cleanup(void) { unlink(path); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!path[0]) {
        atexit(cleanup);
        dlog_set_level(DLOG_ERROR);
        setenv("HOME", "/nonexistent", 1);
        unsetenv("MPAVS_BLS_KEY_PASSWORD");
        unsetenv("MPAVS_ATTESTATION_ECDSA_KEY");
        snprintf(path, sizeof path, "/tmp/fuzz_operator_config.%d.json", (int)getpid());
    }
    for (size_t i = 0; i < size; i++)
        if ((i + 12 <= size && strncasecmp((const char *)data + i, "passwordfile", 12) == 0) ||
            (i + 12 <= size && strncasecmp((const char *)data + i, "ecdsakeyfile", 12) == 0))
            return 0;
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    static op_config cfg;
    static char errs[4096];
    size_t nerr = 0;
    bool ok = op_config_load(&cfg, path, NULL, errs, sizeof errs, &nerr);
    if (ok != (nerr == 0)) abort();
    if (ok) {
        struct sockaddr_in sa;
        char e[200];
        if (cfg.nqt == 0 || cfg.nqt > OP_MAX_QUORUMS) abort();
        for (size_t i = 0; i < cfg.nqt; i++)
            if (cfg.qt[i].task_type < 1 || cfg.qt[i].task_type > 3) abort();
        if (!dhttp_parse_listen(cfg.metrics_addr, &sa, e, sizeof e) ||
            !dhttp_parse_listen(cfg.nodeapi_addr, &sa, e, sizeof e))
            abort();
        op_config_wipe(&cfg);
    }
    return 0;
}

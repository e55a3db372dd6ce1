/* daemons/prover/attest.c — the provider registry and the attester around one provider (attest.h). */
#include "attest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const attest_provider attest_devnet, attest_devnet_tdx, attest_gramine, attest_tdx;

/* The registry: one row per provider (a new TEE type is a file attest_<name>.c and a row here). */
static const attest_provider *const PROVIDERS[] = {&attest_devnet, &attest_devnet_tdx, &attest_gramine, &attest_tdx};
#define NPROVIDERS (sizeof PROVIDERS / sizeof PROVIDERS[0])

struct attester {
    const attest_provider *p;
    void *state;
};

const attest_provider *attest_provider_find(const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < NPROVIDERS; i++)
        if (strcmp(name, PROVIDERS[i]->name) == 0) return PROVIDERS[i];
    return NULL;
}

void attest_provider_names(char *buf, size_t cap) {
    size_t n = 0;
    if (!cap) return;
    buf[0] = 0;
    for (size_t i = 0; i < NPROVIDERS && n < cap; i++) {
        const char *sep = i == 0 ? "" : i + 1 == NPROVIDERS ? " or " : ", ";
        int w = snprintf(buf + n, cap - n, "%s%s", sep, PROVIDERS[i]->name);
        if (w < 0) break;
        n += (size_t)w;
    }
}

attester *attest_open(const attest_provider *p, const attest_config *cfg, char *err, size_t errcap) {
    if (p->check && !p->check(cfg, err, errcap)) return NULL;
    attester *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    a->p = p;
    a->state = p->init(cfg, err, errcap);
    if (!a->state) {
        free(a);
        return NULL;
    }
    return a;
}

const attest_provider *attest_provider_of(const attester *a) { return a->p; }

void attest_close(attester *a) {
    if (!a) return;
    a->p->destroy(a->state);
    free(a);
}

bool attest_quote(attester *a, const uint8_t report_data[64], uint8_t **quote, size_t *len, char *err,
                  size_t errcap) {
    return a->p->quote(a->state, report_data, quote, len, err, errcap);
}

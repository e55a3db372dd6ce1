/*
 * Every call signature the contracts module parses once (src/contracts/contracts_internal.h,
 * CTR_SIGNATURES) against the compiled contracts (forge artifacts in contracts/out, built by
 * `cd contracts && forge build`): the function exists in some artifact with that 4-byte selector
 * (methodIdentifiers, computed by solc) and, for eth_call signatures, the same return types (the
 * artifact's ABI outputs). A typo in a signature would otherwise only show up as a revert on chain.
 * Takes well under a second.
 */
#include "harness.h"

#include "contracts/contracts_internal.h"
#include "mpavs/abi.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const TEXT[] = {
#define TEXT_OF(id, text) text,
    CTR_SIGNATURES(TEXT_OF)
#undef TEXT_OF
};
#define NTEXT (sizeof TEXT / sizeof TEXT[0])

/* Every artifact's JSON (contracts/out/<File>.sol/<Name>.json), test files excluded. */
static json_t **artifacts;
static size_t nartifacts;

static void load_artifacts(const char *out) {
    DIR *d = opendir(out);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".sol") != 0 || strstr(e->d_name, ".t.sol")) continue;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", out, e->d_name);
        DIR *d2 = opendir(dir);
        if (!d2) continue;
        struct dirent *f;
        while ((f = readdir(d2))) {
            if (!strstr(f->d_name, ".json")) continue;
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
            json_t *j = json_load_file(path, 0, NULL);
            json_t **na = j ? realloc(artifacts, (nartifacts + 1) * sizeof *na) : NULL;
            if (!na) {
                json_decref(j);
                continue;
            }
            artifacts = na;
            artifacts[nartifacts++] = j;
        }
        closedir(d2);
    }
    closedir(d);
}

/* The canonical type of one ABI JSON parameter ("uint256", "(uint256,bytes)[]"). */
static void param_type(char *out, size_t cap, json_t *p) {
    const char *t = json_string_value(json_object_get(p, "type"));
    if (!t) t = "?";
    if (strncmp(t, "tuple", 5) != 0) {
        snprintf(out, cap, "%s", t);
        return;
    }
    size_t len = 0;
    out[len++] = '(';
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(p, "components"), i, c) {
        char sub[1024];
        param_type(sub, sizeof sub, c);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? "," : "", sub);
        if (len >= cap) break;
    }
    if (len < cap) snprintf(out + len, cap - len, ")%s", t + 5); /* "[]", "[2]" suffixes */
}

/* The outputs of function `name` with this selector in an artifact's ABI as "(t1,t2)", or NULL. */
static int abi_outputs(char *out, size_t cap, json_t *art, const mpavs_abi_signature *s) {
    json_t *f;
    size_t i;
    json_array_foreach(json_object_get(art, "abi"), i, f) {
        const char *type = json_string_value(json_object_get(f, "type"));
        const char *name = json_string_value(json_object_get(f, "name"));
        if (!type || strcmp(type, "function") || !name || strcmp(name, s->name)) continue;
        /* the same inputs: rebuild the canonical signature of this overload */
        char in[2048], o[2048];
        size_t n = 0, m = 0;
        json_t *p;
        size_t k;
        n += (size_t)snprintf(in + n, sizeof in - n, "%s(", name);
        json_array_foreach(json_object_get(f, "inputs"), k, p) {
            char t[1024];
            param_type(t, sizeof t, p);
            n += (size_t)snprintf(in + n, sizeof in - n, "%s%s", k ? "," : "", t);
        }
        snprintf(in + n, sizeof in - n, ")");
        if (strcmp(in, s->canonical) != 0) continue;
        m += (size_t)snprintf(o + m, sizeof o - m, "(");
        json_array_foreach(json_object_get(f, "outputs"), k, p) {
            char t[1024];
            param_type(t, sizeof t, p);
            m += (size_t)snprintf(o + m, sizeof o - m, "%s%s", k ? "," : "", t);
        }
        snprintf(o + m, sizeof o - m, ")");
        snprintf(out, cap, "%s", o);
        return 1;
    }
    return 0;
}

TEST(signatures_match_the_compiled_contracts) {
    load_artifacts(harness_path("contracts/out"));
    if (!nartifacts) fprintf(stderr, "  no artifacts in %s: run `cd contracts && forge build`\n", harness_path("contracts/out"));
    REQUIRE(nartifacts > 10);
    size_t with_outputs = 0;
    for (size_t i = 0; i < NTEXT; i++) {
        mpavs_abi_signature *s = NULL;
        REQUIRE(mpavs_abi_signature_parse(&s, TEXT[i]) == MPAVS_ABI_OK);
        uint8_t sel[4];
        mpavs_abi_signature_selector(sel, s);
        char want[9];
        snprintf(want, sizeof want, "%02x%02x%02x%02x", sel[0], sel[1], sel[2], sel[3]);
        bool found = false, outputs_ok = s->outputs == NULL;
        for (size_t a = 0; a < nartifacts; a++) {
            const char *id = json_string_value(json_object_get(json_object_get(artifacts[a], "methodIdentifiers"), s->canonical));
            if (!id || strcmp(id, want) != 0) continue;
            found = true;
            char outs[2048], ours[2048];
            if (s->outputs && abi_outputs(outs, sizeof outs, artifacts[a], s)) {
                mpavs_abi_type_canonical(ours, sizeof ours, s->outputs);
                if (strcmp(outs, ours) == 0) outputs_ok = true;
                else fprintf(stderr, "  %s: outputs %s, the contract returns %s\n", TEXT[i], ours, outs);
            }
        }
        if (!found) fprintf(stderr, "  %s (0x%s): in no compiled contract\n", TEXT[i], want);
        CHECK(found);
        CHECK(outputs_ok);
        if (s->outputs && outputs_ok) with_outputs++;
        mpavs_abi_signature_free(s);
    }
    fprintf(stderr, "  %zu signatures, %zu with their return types, checked against %zu artifacts\n", NTEXT,
            with_outputs, nartifacts);
    for (size_t a = 0; a < nartifacts; a++) json_decref(artifacts[a]);
    free(artifacts);
}

int main(void) {
    RUN(signatures_match_the_compiled_contracts);
    return harness_summary();
}

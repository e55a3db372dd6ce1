/* cli/evm_fixture.c — fixture JSON fields, fixture accounts and the walk over fixture files,
 * shared by the state test and blockchain test runners. */
#include "evm_fixture.h"

#include "mpavs/hex.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool fixture_hex(json_t *j, uint8_t **out, size_t *len) {
    const char *s = json_string_value(j);
    if (!s) return false;
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2, n -= 2;
    if (n % 2) return false;
    *out = malloc(n / 2 + 1);
    if (!*out) return false;
    if (mpavs_hex_decode(*out, n / 2 + 1, len, s, n) != MPAVS_HEX_OK) {
        free(*out);
        *out = NULL;
        return false;
    }
    return true;
}

bool fixture_bytes(json_t *j, uint8_t *out, size_t n) {
    const char *s = json_string_value(j);
    return s && mpavs_hex_decode_exact(out, n, s) == MPAVS_HEX_OK;
}

bool fixture_u256(json_t *j, mpavs_u256 *v) {
    const char *s = json_string_value(j);
    return s && mpavs_u256_parse(v, s, strlen(s)) == MPAVS_U256_OK;
}

bool fixture_u64(json_t *j, uint64_t *v) {
    mpavs_u256 u;
    if (!fixture_u256(j, &u) || u.w[1] || u.w[2] || u.w[3]) return false;
    *v = u.w[0];
    return true;
}

bool fixture_load_state(mpavs_evm_memstate *ms, json_t *state) {
    if (!json_is_object(state)) return false;
    const char *key;
    json_t *acct;
    json_object_foreach(state, key, acct) {
        uint8_t addr[20];
        mpavs_u256 bal;
        uint64_t nonce;
        uint8_t *code = NULL;
        size_t code_len = 0;
        if (!json_is_object(acct) || mpavs_hex_decode_exact(addr, 20, key) != MPAVS_HEX_OK ||
            !fixture_u256(json_object_get(acct, "balance"), &bal) || !fixture_u64(json_object_get(acct, "nonce"), &nonce) ||
            !fixture_hex(json_object_get(acct, "code"), &code, &code_len))
            return false;
        int r = mpavs_evm_memstate_set_account(ms, addr, nonce, &bal, code, code_len);
        free(code);
        if (r) return false;
        json_t *storage = json_object_get(acct, "storage");
        if (storage && !json_is_object(storage)) return false;
        const char *sk;
        json_t *sv;
        json_object_foreach(storage, sk, sv) {
            uint8_t k[32], v[32];
            mpavs_u256 ku, vu;
            if (mpavs_u256_parse(&ku, sk, strlen(sk)) != MPAVS_U256_OK || !fixture_u256(sv, &vu)) return false;
            mpavs_u256_to_be32(k, &ku);
            mpavs_u256_to_be32(v, &vu);
            if (mpavs_evm_memstate_set_storage(ms, addr, k, v)) return false;
        }
    }
    return true;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool fixture_walk(const char *path, void (*file)(void *arg, const char *path), void *arg) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "mpavs: %s: cannot read\n", path);
        return false;
    }
    if (!S_ISDIR(sb.st_mode)) {
        file(arg, path);
        return true;
    }
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "mpavs: %s: cannot open directory\n", path);
        return false;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    bool ok = true;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                ok = false;
                break;
            }
            names = nn;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            ok = false;
            break;
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(dir);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat cs;
        size_t len = strlen(names[i]);
        if (stat(names[i], &cs) == 0 && (S_ISDIR(cs.st_mode) || (len > 5 && !strcmp(names[i] + len - 5, ".json"))))
            ok &= fixture_walk(names[i], file, arg);
        free(names[i]);
    }
    free(names);
    return ok;
}

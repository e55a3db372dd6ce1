/* src/evm/map.c — open-addressing hash map with inline fixed-size keys and values. */
#include "evm/map.h"

#include <stdlib.h>
#include <string.h>

void evm_map_init(evm_map *m, size_t key_len, size_t val_len) {
    memset(m, 0, sizeof *m);
    m->key_len = key_len;
    m->val_len = val_len;
    m->val_off = (1 + key_len + 7) & ~(size_t)7;
    m->entry_len = (m->val_off + val_len + 7) & ~(size_t)7;
}

void evm_map_free(evm_map *m) {
    free(m->slots);
    m->slots = NULL;
    m->cap = 0;
    m->count = 0;
}

static uint64_t hash_key(const uint8_t *k, size_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, k + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    for (; i < n; i++) h = (h ^ k[i]) * 0x100000001b3ULL;
    h ^= h >> 29;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 32);
}

static uint8_t *find(const evm_map *m, const void *key, bool *found) {
    size_t mask = m->cap - 1, i = (size_t)hash_key(key, m->key_len) & mask;
    for (;;) {
        uint8_t *e = m->slots + i * m->entry_len;
        if (!e[0]) {
            *found = false;
            return e;
        }
        if (!memcmp(e + 1, key, m->key_len)) {
            *found = true;
            return e;
        }
        i = (i + 1) & mask;
    }
}

void *evm_map_get(const evm_map *m, const void *key) {
    if (!m->cap) return NULL;
    bool found;
    uint8_t *e = find(m, key, &found);
    return found ? e + m->val_off : NULL;
}

static bool grow(evm_map *m) {
    size_t ncap = m->cap ? m->cap * 2 : 16;
    if (ncap > SIZE_MAX / m->entry_len) return false;
    uint8_t *ns = calloc(ncap, m->entry_len);
    if (!ns) return false;
    evm_map old = *m;
    m->slots = ns;
    m->cap = ncap;
    for (size_t i = 0; i < old.cap; i++) {
        uint8_t *e = old.slots + i * old.entry_len;
        if (!e[0]) continue;
        bool found;
        uint8_t *d = find(m, e + 1, &found);
        memcpy(d, e, m->entry_len);
    }
    free(old.slots);
    return true;
}

void *evm_map_put(evm_map *m, const void *key, bool *inserted) {
    if ((m->count + 1) * 4 > m->cap * 3 && !grow(m)) return NULL;
    bool found;
    uint8_t *e = find(m, key, &found);
    if (inserted) *inserted = !found;
    if (!found) {
        e[0] = 1;
        memcpy(e + 1, key, m->key_len);
        memset(e + m->val_off, 0, m->val_len);
        m->count++;
    }
    return e + m->val_off;
}

bool evm_map_next(const evm_map *m, size_t *pos, const uint8_t **key, void **val) {
    while (*pos < m->cap) {
        uint8_t *e = m->slots + (*pos)++ * m->entry_len;
        if (e[0]) {
            *key = e + 1;
            *val = e + m->val_off;
            return true;
        }
    }
    return false;
}

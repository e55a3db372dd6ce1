/*
 * The hash-addressed node store (mpavs/trie.h): an open-addressing table
 * keyed by keccak256(rlp), bounded in node count and bytes.
 */
#include "mpavs/keccak.h"
#include "trie/node.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t hash[32];
    uint8_t *rlp; /* NULL: free slot */
    size_t len;
} store_slot;

struct mpavs_trie_store {
    store_slot *slots;
    size_t cap; /* power of two */
    size_t count, bytes;
    size_t max_nodes, max_bytes;
};

mpavs_trie_store *mpavs_trie_store_create(size_t max_nodes, size_t max_bytes) {
    mpavs_trie_store *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->cap = 64;
    s->slots = calloc(s->cap, sizeof *s->slots);
    if (!s->slots) {
        free(s);
        return NULL;
    }
    s->max_nodes = max_nodes;
    s->max_bytes = max_bytes;
    return s;
}

void mpavs_trie_store_destroy(mpavs_trie_store *s) {
    if (!s) return;
    for (size_t i = 0; i < s->cap; i++) free(s->slots[i].rlp);
    free(s->slots);
    free(s);
}

static size_t slot_of(const store_slot *slots, size_t cap, const uint8_t hash[32]) {
    uint64_t h;
    memcpy(&h, hash, 8); /* keccak output: any 8 bytes are uniform */
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].rlp && memcmp(slots[i].hash, hash, 32) != 0) i = (i + 1) & (cap - 1);
    return i;
}

static bool grow(mpavs_trie_store *s) {
    size_t cap = s->cap * 2;
    store_slot *n = calloc(cap, sizeof *n);
    if (!n) return false;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].rlp) n[slot_of(n, cap, s->slots[i].hash)] = s->slots[i];
    free(s->slots);
    s->slots = n;
    s->cap = cap;
    return true;
}

int mpavs_trie_store_add(mpavs_trie_store *s, uint8_t hash[32], const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(s && (rlp || len == 0));
    trie_node_view v;
    if (trie_node_parse(&v, rlp, len)) return MPAVS_TRIE_ERR_NODE;
    uint8_t h[32];
    mpavs_keccak256(h, rlp, len);
    if (hash) memcpy(hash, h, 32);
    size_t i = slot_of(s->slots, s->cap, h);
    if (s->slots[i].rlp) return MPAVS_TRIE_OK;
    if ((s->max_nodes && s->count >= s->max_nodes) || (s->max_bytes && len > s->max_bytes - s->bytes))
        return MPAVS_TRIE_ERR_STORE_FULL;
    if (2 * (s->count + 1) > s->cap) {
        if (!grow(s)) return MPAVS_TRIE_ERR_NOMEM;
        i = slot_of(s->slots, s->cap, h);
    }
    uint8_t *copy = malloc(len);
    if (!copy) return MPAVS_TRIE_ERR_NOMEM;
    memcpy(copy, rlp, len);
    memcpy(s->slots[i].hash, h, 32);
    s->slots[i].rlp = copy;
    s->slots[i].len = len;
    s->count++;
    s->bytes += len;
    return MPAVS_TRIE_OK;
}

bool mpavs_trie_store_get(const mpavs_trie_store *s, const uint8_t **rlp, size_t *len,
                          const uint8_t hash[32]) {
    MPAVS_REQUIRE(s && rlp && len && hash);
    size_t i = slot_of(s->slots, s->cap, hash);
    *rlp = s->slots[i].rlp;
    *len = s->slots[i].rlp ? s->slots[i].len : 0;
    return *rlp != NULL;
}

void mpavs_trie_store_size(const mpavs_trie_store *s, size_t *nodes, size_t *bytes) {
    MPAVS_REQUIRE(s != NULL);
    if (nodes) *nodes = s->count;
    if (bytes) *bytes = s->bytes;
}

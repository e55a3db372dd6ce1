/*
 * src/trie/node.h — internal: the strict decoder of one trie node's encoding
 * (a view into the bytes, no copies) and the hex-prefix path helpers shared
 * by the trie, the store and the proof walker.
 */
#ifndef MPAVS_TRIE_NODE_H
#define MPAVS_TRIE_NODE_H

#include "mpavs/rlp.h"
#include "mpavs/trie.h"

enum { TRIE_LEAF = 1, TRIE_EXT = 2, TRIE_BRANCH = 3 };

/** A decoded node; every pointer points into the bytes given to trie_node_parse. */
typedef struct {
    int kind;                /* TRIE_LEAF, TRIE_EXT or TRIE_BRANCH */
    const uint8_t *hp;       /* leaf/ext: the hex-prefix encoded path */
    size_t path_len;         /* leaf/ext: nibbles in the path */
    unsigned path_start;     /* leaf/ext: nibble offset of the path in hp (1 odd, 2 even) */
    mpavs_rlp_item child[16]; /* ext: child[0]; branch: 16 references (len 0 string = none) */
    mpavs_rlp_item value;    /* leaf: the value; branch: the value (len 0 = none) */
} trie_node_view;

/**
 * Decode and validate one node encoding (see mpavs/trie.h for the rules;
 * inline children are validated recursively). Out: v. In: rlp, len.
 * Returns MPAVS_TRIE_OK or MPAVS_TRIE_ERR_NODE.
 */
int trie_node_parse(trie_node_view *v, const uint8_t *rlp, size_t len);

/** Nibble i of the path of a leaf or extension view. */
static inline uint8_t trie_view_nibble(const trie_node_view *v, size_t i) {
    size_t k = v->path_start + i;
    return (k & 1) ? (v->hp[k >> 1] & 0x0f) : (v->hp[k >> 1] >> 4);
}

/** True if a child reference item is empty (no child). */
static inline bool trie_ref_empty(const mpavs_rlp_item *ref) {
    return !ref->is_list && ref->len == 0;
}

/** Key bytes to nibbles: out[2*i], out[2*i+1] = high, low nibble of key[i]. */
void trie_key_nibbles(uint8_t *out, const uint8_t *key, size_t key_len);

#endif

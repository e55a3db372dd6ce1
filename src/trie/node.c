/* Strict decoding of one trie node (see node.h). */
#include "trie/node.h"

static int parse_ref(const mpavs_rlp_item *ref, bool allow_empty, int depth);

/* Decode a hex-prefix path item: flag nibble 0..3, even paths padded with a zero nibble. */
static int parse_hp(trie_node_view *v, const mpavs_rlp_item *it, bool *leaf) {
    if (it->is_list || it->len == 0) return MPAVS_TRIE_ERR_NODE;
    uint8_t flag = it->p[0] >> 4;
    if (flag > 3) return MPAVS_TRIE_ERR_NODE;
    bool odd = flag & 1;
    if (!odd && (it->p[0] & 0x0f) != 0) return MPAVS_TRIE_ERR_NODE;
    *leaf = flag >= 2;
    v->hp = it->p;
    v->path_start = odd ? 1 : 2;
    v->path_len = it->len * 2 - v->path_start;
    return MPAVS_TRIE_OK;
}

static int parse_inner(trie_node_view *v, const mpavs_rlp_item *node, int depth) {
    if (!node->is_list) return MPAVS_TRIE_ERR_NODE;
    if (depth > 8) return MPAVS_TRIE_ERR_NODE; /* inline nodes shrink: 31 bytes nest a few levels at most */
    mpavs_rlp_iter it;
    mpavs_rlp_item items[17];
    size_t n = 0;
    if (mpavs_rlp_iter_init(&it, node)) return MPAVS_TRIE_ERR_NODE;
    while (!mpavs_rlp_iter_done(&it)) {
        if (n == 17) return MPAVS_TRIE_ERR_NODE;
        if (mpavs_rlp_next(&it, &items[n])) return MPAVS_TRIE_ERR_NODE;
        n++;
    }
    if (n == 2) {
        bool leaf;
        if (parse_hp(v, &items[0], &leaf)) return MPAVS_TRIE_ERR_NODE;
        if (leaf) {
            v->kind = TRIE_LEAF;
            if (items[1].is_list || items[1].len == 0) return MPAVS_TRIE_ERR_NODE;
            v->value = items[1];
        } else {
            v->kind = TRIE_EXT;
            if (v->path_len == 0) return MPAVS_TRIE_ERR_NODE;
            if (parse_ref(&items[1], false, depth)) return MPAVS_TRIE_ERR_NODE;
            if (items[1].is_list) { /* an inline child of an extension must be a branch */
                trie_node_view c;
                if (parse_inner(&c, &items[1], depth + 1) || c.kind != TRIE_BRANCH)
                    return MPAVS_TRIE_ERR_NODE;
            }
            v->child[0] = items[1];
        }
        return MPAVS_TRIE_OK;
    }
    if (n != 17) return MPAVS_TRIE_ERR_NODE;
    v->kind = TRIE_BRANCH;
    v->hp = NULL;
    v->path_len = 0;
    v->path_start = 0;
    unsigned used = 0;
    for (int i = 0; i < 16; i++) {
        if (parse_ref(&items[i], true, depth)) return MPAVS_TRIE_ERR_NODE;
        v->child[i] = items[i];
        if (!trie_ref_empty(&items[i])) used++;
    }
    if (items[16].is_list) return MPAVS_TRIE_ERR_NODE;
    v->value = items[16];
    if (items[16].len) used++;
    if (used < 2) return MPAVS_TRIE_ERR_NODE; /* a branch with one slot would have collapsed */
    return MPAVS_TRIE_OK;
}

/* A reference: empty (if allowed), a 32-byte hash, or an inline node under 32 bytes. */
static int parse_ref(const mpavs_rlp_item *ref, bool allow_empty, int depth) {
    if (!ref->is_list) {
        if (ref->len == 32) return MPAVS_TRIE_OK;
        return (ref->len == 0 && allow_empty) ? MPAVS_TRIE_OK : MPAVS_TRIE_ERR_NODE;
    }
    if (ref->raw_len >= 32) return MPAVS_TRIE_ERR_NODE;
    trie_node_view c;
    return parse_inner(&c, ref, depth + 1);
}

int trie_node_parse(trie_node_view *v, const uint8_t *rlp, size_t len) {
    mpavs_rlp_item top;
    if (mpavs_rlp_decode(&top, rlp, len)) return MPAVS_TRIE_ERR_NODE;
    return parse_inner(v, &top, 0);
}

void trie_key_nibbles(uint8_t *out, const uint8_t *key, size_t key_len) {
    for (size_t i = 0; i < key_len; i++) {
        out[2 * i] = key[i] >> 4;
        out[2 * i + 1] = key[i] & 0x0f;
    }
}

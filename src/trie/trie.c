/*
 * The mutable Merkle-Patricia trie (mpavs/trie.h).
 *
 * Nodes live on the heap; each caches its reference (the inline encoding
 * when shorter than 32 bytes, else its keccak256) in ref/ref_len, and
 * ref_len == 0 marks a node changed since the last root computation
 * ("dirty"). A node of kind HASH stands for a node still in the store; it is
 * resolved in place (same pointer) when an operation reaches it.
 *
 * Updates that reach a missing node fail before changing anything: insert
 * and get only change nodes on the way back up, after the descent has
 * resolved every node on the path; delete first runs a probe that resolves
 * every node the deletion will touch, including the sibling a collapsing
 * branch merges with.
 */
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "trie/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N_LEAF = TRIE_LEAF, N_EXT = TRIE_EXT, N_BRANCH = TRIE_BRANCH, N_HASH = 4 };

typedef struct tnode tnode;
struct tnode {
    uint8_t kind;
    uint8_t ref_len; /* 0: dirty; 1..31: ref is the inline encoding; 32: ref is the hash */
    uint8_t ref[32];
    uint8_t *path;   /* leaf/ext: nibbles */
    size_t path_len;
    uint8_t *val;    /* leaf/branch value (branch: NULL = none) */
    size_t val_len;
    tnode *child[16]; /* ext: child[0] */
};

struct mpavs_trie {
    tnode *root;
    const mpavs_trie_store *store;
    unsigned flags;
    bool broken;        /* an allocation failed in the middle of a change */
    bool lazy;          /* opened over a root hash: nodes may still be unresolved */
    uint8_t missing[32];
    uint8_t *scratch;   /* encoding buffer */
    size_t scratch_cap;
};

const uint8_t mpavs_trie_empty_root[32] = {
    0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e,
    0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};

const char *mpavs_trie_strerror(int r) {
    switch (r) {
    case MPAVS_TRIE_OK: return "ok";
    case MPAVS_TRIE_MISSING_NODE: return "missing trie node";
    case MPAVS_TRIE_ERR_NODE: return "malformed trie node";
    case MPAVS_TRIE_ERR_NOMEM: return "out of memory";
    case MPAVS_TRIE_ERR_KEY: return "trie key too long or of the wrong length";
    case MPAVS_TRIE_ERR_STORE_FULL: return "trie node store full";
    case MPAVS_TRIE_ERR_PROOF: return "proof has too many nodes";
    case MPAVS_TRIE_ERR_ACCOUNT: return "malformed account record";
    case MPAVS_TRIE_ERR_VALUE: return "malformed storage value";
    default: return "unknown trie result";
    }
}

/* ------------------------------------------------------------------------ */
/* Nodes                                                                     */

static void node_free(tnode *n) {
    if (!n) return;
    for (int i = 0; i < 16; i++) node_free(n->child[i]);
    free(n->path);
    free(n->val);
    free(n);
}

static tnode *node_new(uint8_t kind) {
    tnode *n = calloc(1, sizeof *n);
    if (n) n->kind = kind;
    return n;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n) {
    uint8_t *d = malloc(n ? n : 1);
    if (d && n) memcpy(d, p, n);
    return d;
}

/* A leaf with path[0..plen) and a copy of val. */
static tnode *leaf_new(const uint8_t *path, size_t plen, const uint8_t *val, size_t vlen) {
    tnode *n = node_new(N_LEAF);
    if (!n) return NULL;
    n->path = dup_bytes(path, plen);
    n->val = dup_bytes(val, vlen);
    if (!n->path || !n->val) {
        node_free(n);
        return NULL;
    }
    n->path_len = plen;
    n->val_len = vlen;
    return n;
}

/* Replace n->path by prefix ‖ n->path (prefix of plen nibbles). */
static bool path_prepend(tnode *n, const uint8_t *prefix, size_t plen) {
    uint8_t *p = malloc(plen + n->path_len + 1);
    if (!p) return false;
    memcpy(p, prefix, plen);
    if (n->path_len) memcpy(p + plen, n->path, n->path_len);
    free(n->path);
    n->path = p;
    n->path_len += plen;
    n->ref_len = 0;
    return true;
}

/* Drop the first k nibbles of n->path. */
static void path_drop(tnode *n, size_t k) {
    memmove(n->path, n->path + k, n->path_len - k);
    n->path_len -= k;
    n->ref_len = 0;
}

static size_t common_prefix(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
    size_t i = 0;
    while (i < an && i < bn && a[i] == b[i]) i++;
    return i;
}

/* ------------------------------------------------------------------------ */
/* Resolution from the store                                                 */

static int from_view(tnode **out, const trie_node_view *v);

/* A node for reference item ref (NULL for an empty one). */
static int from_ref(tnode **out, const mpavs_rlp_item *ref) {
    *out = NULL;
    if (trie_ref_empty(ref)) return MPAVS_TRIE_OK;
    if (!ref->is_list) { /* a hash reference, resolved later */
        tnode *h = node_new(N_HASH);
        if (!h) return MPAVS_TRIE_ERR_NOMEM;
        memcpy(h->ref, ref->p, 32);
        h->ref_len = 32;
        *out = h;
        return MPAVS_TRIE_OK;
    }
    trie_node_view cv;
    int r = trie_node_parse(&cv, ref->raw, ref->raw_len);
    if (r) return r;
    tnode *c;
    if ((r = from_view(&c, &cv))) return r;
    memcpy(c->ref, ref->raw, ref->raw_len);
    c->ref_len = (uint8_t)ref->raw_len;
    *out = c;
    return MPAVS_TRIE_OK;
}

/* Build a node (children as HASH nodes or decoded inline nodes) from a view. ref is left 0. */
static int from_view(tnode **out, const trie_node_view *v) {
    *out = NULL;
    tnode *n = node_new((uint8_t)v->kind);
    if (!n) return MPAVS_TRIE_ERR_NOMEM;
    int r = MPAVS_TRIE_OK;
    if (v->kind != TRIE_BRANCH) {
        n->path = malloc(v->path_len + 1);
        if (!n->path) { r = MPAVS_TRIE_ERR_NOMEM; goto fail; }
        for (size_t i = 0; i < v->path_len; i++) n->path[i] = trie_view_nibble(v, i);
        n->path_len = v->path_len;
    }
    if (v->kind == TRIE_EXT) {
        if ((r = from_ref(&n->child[0], &v->child[0]))) goto fail;
    } else {
        if (v->value.len) {
            if (!(n->val = dup_bytes(v->value.p, v->value.len))) { r = MPAVS_TRIE_ERR_NOMEM; goto fail; }
            n->val_len = v->value.len;
        }
        if (v->kind == TRIE_BRANCH)
            for (int i = 0; i < 16; i++)
                if ((r = from_ref(&n->child[i], &v->child[i]))) goto fail;
    }
    *out = n;
    return MPAVS_TRIE_OK;
fail:
    node_free(n);
    return r;
}

/*
 * Resolve a HASH node in place. is_root: the root node may be shorter than
 * 32 bytes (every other node referenced by hash must not be); ext_child: the
 * node is an extension's child and must be a branch.
 */
static int resolve(mpavs_trie *t, tnode *n, bool is_root, bool ext_child) {
    if (n->kind != N_HASH) return MPAVS_TRIE_OK;
    const uint8_t *rlp;
    size_t len;
    if (!t->store || !mpavs_trie_store_get(t->store, &rlp, &len, n->ref)) {
        memcpy(t->missing, n->ref, 32);
        return MPAVS_TRIE_MISSING_NODE;
    }
    if (!is_root && len < 32) return MPAVS_TRIE_ERR_NODE;
    trie_node_view v;
    int r = trie_node_parse(&v, rlp, len);
    if (r) return r;
    if (ext_child && v.kind != TRIE_BRANCH) return MPAVS_TRIE_ERR_NODE;
    tnode *d;
    if ((r = from_view(&d, &v))) return r;
    if (len < 32) { /* a small root: keep the inline form so it re-encodes as a child correctly */
        memcpy(d->ref, rlp, len);
        d->ref_len = (uint8_t)len;
    } else {
        memcpy(d->ref, n->ref, 32);
        d->ref_len = 32;
    }
    *n = *d; /* same address: parents keep pointing at it */
    free(d);
    return MPAVS_TRIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Create, destroy                                                           */

mpavs_trie *mpavs_trie_create(unsigned flags) {
    mpavs_trie *t = calloc(1, sizeof *t);
    if (t) t->flags = flags;
    return t;
}

mpavs_trie *mpavs_trie_open(const mpavs_trie_store *store, const uint8_t root[32], unsigned flags) {
    MPAVS_REQUIRE(root != NULL);
    mpavs_trie *t = mpavs_trie_create(flags);
    if (!t) return NULL;
    t->store = store;
    if (memcmp(root, MPAVS_TRIE_EMPTY_ROOT, 32) != 0) {
        if (!(t->root = node_new(N_HASH))) {
            free(t);
            return NULL;
        }
        memcpy(t->root->ref, root, 32);
        t->root->ref_len = 32;
        t->lazy = true;
    }
    return t;
}

void mpavs_trie_destroy(mpavs_trie *t) {
    if (!t) return;
    node_free(t->root);
    free(t->scratch);
    free(t);
}

void mpavs_trie_missing_node(const mpavs_trie *t, uint8_t hash[32]) {
    MPAVS_REQUIRE(t && hash);
    memcpy(hash, t->missing, 32);
}

char *mpavs_trie_describe(char *buf, size_t cap, const mpavs_trie *t, int r) {
    if (cap == 0) return buf;
    if (r == MPAVS_TRIE_MISSING_NODE && t) {
        char hex[65];
        for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", t->missing[i]);
        snprintf(buf, cap, "missing trie node 0x%s", hex);
    } else {
        snprintf(buf, cap, "%s", mpavs_trie_strerror(r));
    }
    return buf;
}

/* The key as nibbles (hashed first for a secure trie). out holds 2 * MPAVS_TRIE_MAX_KEY. */
static int key_path(const mpavs_trie *t, uint8_t *out, size_t *n, const uint8_t *key, size_t key_len) {
    if (t->flags & MPAVS_TRIE_SECURE) {
        uint8_t h[32];
        mpavs_keccak256(h, key, key_len);
        trie_key_nibbles(out, h, 32);
        *n = 64;
        return MPAVS_TRIE_OK;
    }
    if (key_len > MPAVS_TRIE_MAX_KEY) return MPAVS_TRIE_ERR_KEY;
    MPAVS_REQUIRE(key || key_len == 0);
    trie_key_nibbles(out, key, key_len);
    *n = 2 * key_len;
    return MPAVS_TRIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Get                                                                       */

int mpavs_trie_get(mpavs_trie *t, const uint8_t **value, size_t *value_len, const uint8_t *key,
                   size_t key_len) {
    MPAVS_REQUIRE(t && value && value_len);
    *value = NULL;
    *value_len = 0;
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY];
    size_t plen;
    int r = key_path(t, path, &plen, key, key_len);
    if (r) return r;
    tnode *n = t->root;
    const uint8_t *k = path;
    bool is_root = true, ext_child = false;
    while (n) {
        if ((r = resolve(t, n, is_root, ext_child))) return r;
        is_root = ext_child = false;
        switch (n->kind) {
        case N_LEAF:
            if (n->path_len == plen && memcmp(n->path, k, plen) == 0) {
                *value = n->val;
                *value_len = n->val_len;
            }
            return MPAVS_TRIE_OK;
        case N_EXT:
            if (plen < n->path_len || memcmp(n->path, k, n->path_len) != 0) return MPAVS_TRIE_OK;
            k += n->path_len;
            plen -= n->path_len;
            n = n->child[0];
            ext_child = true;
            break;
        default: /* branch */
            if (plen == 0) {
                *value = n->val;
                *value_len = n->val ? n->val_len : 0;
                return MPAVS_TRIE_OK;
            }
            n = n->child[k[0]];
            k++;
            plen--;
            break;
        }
    }
    return MPAVS_TRIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Insert                                                                    */

/*
 * Insert below *np (key k[0..klen) relative to it). Nothing above is changed
 * when an error is returned before any allocation of the new nodes, which is
 * where every MISSING_NODE arises.
 */
static int ins(mpavs_trie *t, tnode **np, const uint8_t *k, size_t klen, const uint8_t *val,
               size_t vlen, bool is_root, bool ext_child) {
    tnode *n = *np;
    if (!n) {
        if (!(*np = leaf_new(k, klen, val, vlen))) return MPAVS_TRIE_ERR_NOMEM;
        return MPAVS_TRIE_OK;
    }
    int r = resolve(t, n, is_root, ext_child);
    if (r) return r;
    if (n->kind == N_BRANCH) {
        if (klen == 0) {
            if (n->val && n->val_len == vlen && memcmp(n->val, val, vlen) == 0) return MPAVS_TRIE_OK;
            uint8_t *v = dup_bytes(val, vlen);
            if (!v) return MPAVS_TRIE_ERR_NOMEM;
            free(n->val);
            n->val = v;
            n->val_len = vlen;
            n->ref_len = 0;
            return MPAVS_TRIE_OK;
        }
        uint8_t old_ref_len = n->child[k[0]] ? n->child[k[0]]->ref_len : 0;
        tnode *old = n->child[k[0]];
        if ((r = ins(t, &n->child[k[0]], k + 1, klen - 1, val, vlen, false, false))) return r;
        if (n->child[k[0]] != old || old_ref_len == 0 || n->child[k[0]]->ref_len == 0) n->ref_len = 0;
        return MPAVS_TRIE_OK;
    }
    size_t c = common_prefix(n->path, n->path_len, k, klen);
    if (n->kind == N_LEAF && c == n->path_len && c == klen) { /* same key: new value */
        if (n->val_len == vlen && memcmp(n->val, val, vlen) == 0) return MPAVS_TRIE_OK;
        uint8_t *v = dup_bytes(val, vlen);
        if (!v) return MPAVS_TRIE_ERR_NOMEM;
        free(n->val);
        n->val = v;
        n->val_len = vlen;
        n->ref_len = 0;
        return MPAVS_TRIE_OK;
    }
    if (n->kind == N_EXT && c == n->path_len) { /* the key runs through the extension */
        tnode *child = n->child[0];
        if ((r = ins(t, &n->child[0], k + c, klen - c, val, vlen, false, true))) return r;
        if (n->child[0] != child || n->child[0]->ref_len == 0) n->ref_len = 0;
        return MPAVS_TRIE_OK;
    }
    /* Split at nibble c: a branch (under an extension of c nibbles when c > 0). */
    tnode *b = node_new(N_BRANCH), *e = NULL, *nl = NULL;
    uint8_t *bval = NULL;
    if (!b) return MPAVS_TRIE_ERR_NOMEM;
    if (c > 0) {
        e = node_new(N_EXT);
        if (!e || !(e->path = dup_bytes(n->path, c))) goto nomem;
        e->path_len = c;
    }
    if (klen > c) {
        if (!(nl = leaf_new(k + c + 1, klen - c - 1, val, vlen))) goto nomem;
    } else if (!(bval = dup_bytes(val, vlen))) {
        goto nomem;
    }
    /* the existing node goes below the branch: from here on nothing can fail */
    if (n->kind == N_LEAF && n->path_len == c) { /* its key ends at the branch */
        b->val = n->val;
        b->val_len = n->val_len;
        n->val = NULL;
        node_free(n);
    } else if (n->kind == N_EXT && n->path_len == c + 1) { /* the extension disappears */
        b->child[n->path[c]] = n->child[0];
        n->child[0] = NULL;
        node_free(n);
    } else {
        uint8_t nib = n->path[c];
        path_drop(n, c + 1);
        b->child[nib] = n;
    }
    if (nl) {
        b->child[k[c]] = nl;
    } else {
        b->val = bval;
        b->val_len = vlen;
    }
    if (e) {
        e->child[0] = b;
        *np = e;
    } else {
        *np = b;
    }
    return MPAVS_TRIE_OK;
nomem:
    node_free(b);
    node_free(e);
    node_free(nl);
    free(bval);
    return MPAVS_TRIE_ERR_NOMEM;
}

/* ------------------------------------------------------------------------ */
/* Delete                                                                    */

enum { DEL_ABSENT = 0, DEL_EMPTIED = 1, DEL_CHANGED = 2 };

static unsigned branch_slots(const tnode *n, int *only_child) {
    unsigned used = n->val ? 1 : 0;
    *only_child = -1;
    for (int i = 0; i < 16; i++)
        if (n->child[i]) {
            used++;
            *only_child = i;
        }
    return used;
}

/* Resolve every node deleting k will touch, without changing the trie. Out: *outcome. */
static int probe_del(mpavs_trie *t, tnode *n, const uint8_t *k, size_t klen, bool is_root,
                     bool ext_child, int *outcome) {
    *outcome = DEL_ABSENT;
    if (!n) return MPAVS_TRIE_OK;
    int r = resolve(t, n, is_root, ext_child);
    if (r) return r;
    switch (n->kind) {
    case N_LEAF:
        if (n->path_len == klen && memcmp(n->path, k, klen) == 0) *outcome = DEL_EMPTIED;
        return MPAVS_TRIE_OK;
    case N_EXT:
        if (klen < n->path_len || memcmp(n->path, k, n->path_len) != 0) return MPAVS_TRIE_OK;
        return probe_del(t, n->child[0], k + n->path_len, klen - n->path_len, false, true, outcome);
    default: {
        int sub;
        if (klen == 0) {
            if (!n->val) return MPAVS_TRIE_OK;
            sub = DEL_EMPTIED;
        } else {
            if ((r = probe_del(t, n->child[k[0]], k + 1, klen - 1, false, false, &sub))) return r;
            if (sub != DEL_EMPTIED) {
                *outcome = sub;
                return MPAVS_TRIE_OK;
            }
        }
        /* one slot empties: the slot left, if it is the only one and a child, gets merged */
        unsigned used = 0;
        int left = -1;
        bool val_left = klen != 0 && n->val;
        if (val_left) used++;
        for (int i = 0; i < 16; i++)
            if (n->child[i] && !(klen && i == k[0])) {
                used++;
                left = i;
            }
        if (used == 1 && !val_left)
            if ((r = resolve(t, n->child[left], false, false))) return r;
        *outcome = used == 0 ? DEL_EMPTIED : DEL_CHANGED;
        return MPAVS_TRIE_OK;
    }
    }
}

/* Merge node *np, now the single slot of a former branch at nibble nib, into its new form. */
static int collapse_branch(tnode **np) {
    tnode *n = *np;
    int only;
    (void)branch_slots(n, &only);
    if (only < 0) { /* only the value is left: a leaf with an empty path */
        tnode *l = node_new(N_LEAF);
        if (!l || !(l->path = malloc(1))) {
            free(l);
            return MPAVS_TRIE_ERR_NOMEM;
        }
        l->val = n->val;
        l->val_len = n->val_len;
        n->val = NULL;
        node_free(n);
        *np = l;
        return MPAVS_TRIE_OK;
    }
    tnode *c = n->child[only];
    uint8_t nib = (uint8_t)only;
    if (c->kind == N_LEAF || c->kind == N_EXT) { /* prefix the nibble to the child's path */
        if (!path_prepend(c, &nib, 1)) return MPAVS_TRIE_ERR_NOMEM;
        n->child[only] = NULL;
        node_free(n);
        *np = c;
        return MPAVS_TRIE_OK;
    }
    /* a branch (probe_del resolved it): an extension of one nibble to it */
    tnode *e = node_new(N_EXT);
    if (!e || !(e->path = malloc(1))) {
        free(e);
        return MPAVS_TRIE_ERR_NOMEM;
    }
    e->path[0] = nib;
    e->path_len = 1;
    e->child[0] = c;
    n->child[only] = NULL;
    node_free(n);
    *np = e;
    return MPAVS_TRIE_OK;
}

static int del(mpavs_trie *t, tnode **np, const uint8_t *k, size_t klen, bool is_root,
               bool ext_child, bool *changed) {
    *changed = false;
    tnode *n = *np;
    if (!n) return MPAVS_TRIE_OK;
    int r = resolve(t, n, is_root, ext_child);
    if (r) return r;
    switch (n->kind) {
    case N_LEAF:
        if (n->path_len == klen && memcmp(n->path, k, klen) == 0) {
            node_free(n);
            *np = NULL;
            *changed = true;
        }
        return MPAVS_TRIE_OK;
    case N_EXT: {
        if (klen < n->path_len || memcmp(n->path, k, n->path_len) != 0) return MPAVS_TRIE_OK;
        if ((r = del(t, &n->child[0], k + n->path_len, klen - n->path_len, false, true, changed)))
            return r;
        if (!*changed) return MPAVS_TRIE_OK;
        n->ref_len = 0;
        tnode *c = n->child[0];
        if (!c) { /* cannot happen in a canonical trie: a branch never empties at once */
            node_free(n);
            *np = NULL;
            return MPAVS_TRIE_OK;
        }
        if (c->kind == N_LEAF || c->kind == N_EXT) { /* the branch collapsed: merge paths */
            if (!path_prepend(c, n->path, n->path_len)) return MPAVS_TRIE_ERR_NOMEM;
            n->child[0] = NULL;
            node_free(n);
            *np = c;
        }
        return MPAVS_TRIE_OK;
    }
    default:
        if (klen == 0) {
            if (!n->val) return MPAVS_TRIE_OK;
            free(n->val);
            n->val = NULL;
            n->val_len = 0;
        } else {
            if ((r = del(t, &n->child[k[0]], k + 1, klen - 1, false, false, changed))) return r;
            if (!*changed) return MPAVS_TRIE_OK;
        }
        *changed = true;
        n->ref_len = 0;
        int only;
        unsigned used = branch_slots(n, &only);
        if (used >= 2) return MPAVS_TRIE_OK;
        if (used == 0) { /* not canonical, but be total */
            node_free(n);
            *np = NULL;
            return MPAVS_TRIE_OK;
        }
        if (only >= 0 && (r = resolve(t, n->child[only], false, false))) return r;
        return collapse_branch(np);
    }
}

int mpavs_trie_delete(mpavs_trie *t, const uint8_t *key, size_t key_len) {
    MPAVS_REQUIRE(t != NULL);
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY];
    size_t plen;
    int r = key_path(t, path, &plen, key, key_len);
    if (r) return r;
    int outcome = DEL_CHANGED;
    if (t->lazy) { /* make sure no node the deletion touches is missing before changing anything */
        if ((r = probe_del(t, t->root, path, plen, true, false, &outcome))) return r;
        if (outcome == DEL_ABSENT) return MPAVS_TRIE_OK;
    }
    bool changed;
    r = del(t, &t->root, path, plen, true, false, &changed);
    if (r == MPAVS_TRIE_ERR_NOMEM) t->broken = true;
    return r;
}

int mpavs_trie_put(mpavs_trie *t, const uint8_t *key, size_t key_len, const uint8_t *value,
                   size_t value_len) {
    MPAVS_REQUIRE(t != NULL && (value || value_len == 0));
    if (value_len == 0) return mpavs_trie_delete(t, key, key_len);
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY];
    size_t plen;
    int r = key_path(t, path, &plen, key, key_len);
    if (r) return r;
    return ins(t, &t->root, path, plen, value, value_len, true, false);
}

/* ------------------------------------------------------------------------ */
/* Root                                                                      */

static size_t ref_size(const tnode *c) {
    if (!c) return 1;
    return c->ref_len == 32 ? 33 : c->ref_len;
}

static void put_ref(mpavs_rlp_writer *w, const tnode *c) {
    if (!c)
        mpavs_rlp_put_bytes(w, NULL, 0);
    else if (c->ref_len == 32)
        mpavs_rlp_put_bytes(w, c->ref, 32);
    else
        mpavs_rlp_put_raw(w, c->ref, c->ref_len);
}

/* Hex-prefix encode path into out (path_len / 2 + 1 bytes). Returns the length. */
static size_t hex_prefix(uint8_t *out, const uint8_t *path, size_t plen, bool leaf) {
    bool odd = plen & 1;
    size_t o = 0, i = 0;
    uint8_t flag = (uint8_t)((leaf ? 2 : 0) | (odd ? 1 : 0));
    if (odd) {
        out[o++] = (uint8_t)(flag << 4 | path[0]);
        i = 1;
    } else {
        out[o++] = (uint8_t)(flag << 4);
    }
    for (; i < plen; i += 2) out[o++] = (uint8_t)(path[i] << 4 | path[i + 1]);
    return o;
}

static bool scratch_reserve(mpavs_trie *t, size_t n) {
    if (t->scratch_cap >= n) return true;
    size_t cap = t->scratch_cap ? t->scratch_cap : 1024;
    while (cap < n) cap *= 2;
    uint8_t *p = realloc(t->scratch, cap);
    if (!p) return false;
    t->scratch = p;
    t->scratch_cap = cap;
    return true;
}

/* Encode n into t->scratch (its children's references must be computed). Out: *len. */
static int node_encode(mpavs_trie *t, const tnode *n, size_t *len) {
    size_t need = 16;
    if (n->kind == N_BRANCH) {
        for (int i = 0; i < 16; i++) need += ref_size(n->child[i]);
        need += n->val_len + 9;
    } else {
        need += n->path_len / 2 + 1 + 9;
        need += n->kind == N_EXT ? ref_size(n->child[0]) : n->val_len + 9;
    }
    size_t hp_max = n->path_len / 2 + 1; /* the hex prefix is built after the encoding area */
    if (!scratch_reserve(t, need + hp_max)) return MPAVS_TRIE_ERR_NOMEM;
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, t->scratch, need);
    size_t mark;
    mpavs_rlp_list_begin(&w, &mark);
    if (n->kind == N_BRANCH) {
        for (int i = 0; i < 16; i++) put_ref(&w, n->child[i]);
        mpavs_rlp_put_bytes(&w, n->val, n->val ? n->val_len : 0);
    } else {
        uint8_t *hp = t->scratch + need;
        size_t hl = hex_prefix(hp, n->path, n->path_len, n->kind == N_LEAF);
        mpavs_rlp_put_bytes(&w, hp, hl);
        if (n->kind == N_EXT)
            put_ref(&w, n->child[0]);
        else
            mpavs_rlp_put_bytes(&w, n->val, n->val_len);
    }
    mpavs_rlp_list_end(&w, mark);
    MPAVS_REQUIRE(mpavs_rlp_writer_finish(&w, len) == MPAVS_RLP_OK);
    return MPAVS_TRIE_OK;
}

/* Compute the reference of n and of every dirty node below it. */
static int node_ref(mpavs_trie *t, tnode *n) {
    if (n->ref_len) return MPAVS_TRIE_OK;
    int r;
    for (int i = 0; i < 16; i++)
        if (n->child[i] && (r = node_ref(t, n->child[i]))) return r;
    size_t len;
    if ((r = node_encode(t, n, &len))) return r;
    if (len < 32) {
        memcpy(n->ref, t->scratch, len);
        n->ref_len = (uint8_t)len;
    } else {
        mpavs_keccak256(n->ref, t->scratch, len);
        n->ref_len = 32;
    }
    return MPAVS_TRIE_OK;
}

int mpavs_trie_root(mpavs_trie *t, uint8_t root[32]) {
    MPAVS_REQUIRE(t && root);
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    if (!t->root) {
        memcpy(root, MPAVS_TRIE_EMPTY_ROOT, 32);
        return MPAVS_TRIE_OK;
    }
    int r = node_ref(t, t->root);
    if (r) return r;
    if (t->root->ref_len == 32)
        memcpy(root, t->root->ref, 32);
    else
        mpavs_keccak256(root, t->root->ref, t->root->ref_len);
    return MPAVS_TRIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Node export and proofs                                                    */

typedef int (*node_fn)(void *arg, const uint8_t *rlp, size_t len);

/*
 * Emit the encoding of every node below n that is referenced by hash (and
 * of n itself when it is the root); with path != NULL only the nodes on the
 * way to path[0..plen). Unresolved nodes are resolved (prove) or skipped (export).
 */
static int visit(mpavs_trie *t, tnode *n, const uint8_t *path, size_t plen, bool is_root,
                 bool ext_child, node_fn fn, void *arg) {
    if (!n) return MPAVS_TRIE_OK;
    int r;
    if (n->kind == N_HASH) {
        if (!path) return MPAVS_TRIE_OK;
        if ((r = resolve(t, n, is_root, ext_child))) return r;
    }
    if (is_root || n->ref_len == 32) {
        size_t len;
        if ((r = node_encode(t, n, &len))) return r;
        if ((r = fn(arg, t->scratch, len))) return r;
    }
    if (n->kind == N_LEAF) return MPAVS_TRIE_OK;
    if (n->kind == N_EXT) {
        if (path) {
            if (plen < n->path_len || memcmp(n->path, path, n->path_len) != 0) return MPAVS_TRIE_OK;
            path += n->path_len;
            plen -= n->path_len;
        }
        return visit(t, n->child[0], path, plen, false, true, fn, arg);
    }
    if (path) {
        if (plen == 0) return MPAVS_TRIE_OK;
        return visit(t, n->child[path[0]], path + 1, plen - 1, false, false, fn, arg);
    }
    for (int i = 0; i < 16; i++)
        if ((r = visit(t, n->child[i], NULL, 0, false, false, fn, arg))) return r;
    return MPAVS_TRIE_OK;
}

static int add_to_store(void *arg, const uint8_t *rlp, size_t len) {
    return mpavs_trie_store_add(arg, NULL, rlp, len);
}

int mpavs_trie_export(mpavs_trie *t, mpavs_trie_store *store) {
    MPAVS_REQUIRE(t && store);
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    uint8_t root[32];
    int r = mpavs_trie_root(t, root);
    if (r) return r;
    return visit(t, t->root, NULL, 0, true, false, add_to_store, store);
}

int mpavs_trie_prove(mpavs_trie *t, const uint8_t *key, size_t key_len,
                     int (*fn)(void *arg, const uint8_t *rlp, size_t len), void *arg) {
    MPAVS_REQUIRE(t && fn);
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY];
    size_t plen;
    int r = key_path(t, path, &plen, key, key_len);
    if (r) return r;
    uint8_t root[32];
    if ((r = mpavs_trie_root(t, root))) return r;
    return visit(t, t->root, path, plen, true, false, fn, arg);
}

/* ------------------------------------------------------------------------ */
/* Iteration                                                                 */

typedef struct {
    mpavs_trie *t;
    int (*fn)(void *, const uint8_t *, size_t, const uint8_t *, size_t);
    void *arg;
    int stopped;
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY + 130];
} walk_ctx;

static int emit(walk_ctx *w, size_t plen, const uint8_t *val, size_t vlen) {
    if (plen & 1) return MPAVS_TRIE_ERR_NODE; /* a key of half a byte */
    uint8_t key[MPAVS_TRIE_MAX_KEY + 65];
    for (size_t i = 0; i < plen / 2; i++) key[i] = (uint8_t)(w->path[2 * i] << 4 | w->path[2 * i + 1]);
    w->stopped = w->fn(w->arg, key, plen / 2, val, vlen);
    return MPAVS_TRIE_OK;
}

static int walk(walk_ctx *w, tnode *n, size_t plen, bool is_root, bool ext_child) {
    if (!n || w->stopped) return MPAVS_TRIE_OK;
    int r = resolve(w->t, n, is_root, ext_child);
    if (r) return r;
    if (n->kind != N_BRANCH) {
        if (plen + n->path_len > sizeof w->path) return MPAVS_TRIE_ERR_NODE;
        memcpy(w->path + plen, n->path, n->path_len);
        if (n->kind == N_LEAF) return emit(w, plen + n->path_len, n->val, n->val_len);
        return walk(w, n->child[0], plen + n->path_len, false, true);
    }
    if (n->val && (r = emit(w, plen, n->val, n->val_len))) return r;
    if (plen + 1 > sizeof w->path) return MPAVS_TRIE_ERR_NODE;
    for (int i = 0; i < 16 && !w->stopped; i++) {
        w->path[plen] = (uint8_t)i;
        if ((r = walk(w, n->child[i], plen + 1, false, false))) return r;
    }
    return MPAVS_TRIE_OK;
}

int mpavs_trie_foreach(mpavs_trie *t, int *stopped,
                       int (*fn)(void *arg, const uint8_t *key, size_t key_len,
                                 const uint8_t *value, size_t value_len),
                       void *arg) {
    MPAVS_REQUIRE(t && fn);
    if (stopped) *stopped = 0;
    if (t->broken) return MPAVS_TRIE_ERR_NOMEM;
    walk_ctx *w = malloc(sizeof *w);
    if (!w) return MPAVS_TRIE_ERR_NOMEM;
    w->t = t;
    w->fn = fn;
    w->arg = arg;
    w->stopped = 0;
    int r = walk(w, t->root, 0, true, false);
    if (stopped) *stopped = w->stopped;
    free(w);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Ordered tries                                                             */

int mpavs_trie_ordered_root(uint8_t root[32], const uint8_t *const *items, const size_t *lens,
                            size_t n) {
    MPAVS_REQUIRE(root && (n == 0 || (items && lens)));
    mpavs_trie *t = mpavs_trie_create(0);
    if (!t) return MPAVS_TRIE_ERR_NOMEM;
    int r = MPAVS_TRIE_OK;
    for (size_t i = 0; i < n && !r; i++) {
        uint8_t key[9];
        mpavs_rlp_writer w;
        size_t klen;
        mpavs_rlp_writer_init(&w, key, sizeof key);
        mpavs_rlp_put_u64(&w, (uint64_t)i);
        MPAVS_REQUIRE(mpavs_rlp_writer_finish(&w, &klen) == MPAVS_RLP_OK);
        r = mpavs_trie_put(t, key, klen, items[i], lens[i]);
    }
    if (!r) r = mpavs_trie_root(t, root);
    mpavs_trie_destroy(t);
    return r;
}

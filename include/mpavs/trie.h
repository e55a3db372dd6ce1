/*
 * mpavs/trie.h — Ethereum's Merkle-Patricia trie (yellow paper, appendix D).
 *
 * Three things live here:
 *
 *  1. mpavs_trie: a mutable trie in memory with get/put/delete and root
 *     computation. Node references are cached and only nodes changed since
 *     the last mpavs_trie_root() are re-encoded and re-hashed, so updating k
 *     keys of a big trie costs O(k * depth) hashes. With MPAVS_TRIE_SECURE the
 *     trie hashes every key with keccak256 first (the account and storage
 *     tries of the state). A trie may be opened over a root hash and a node
 *     store (mpavs_trie_store, e.g. the nodes of a witness): nodes are then
 *     resolved from the store as lookups reach them, and a lookup or update
 *     that needs a node the store lacks fails with MPAVS_TRIE_MISSING_NODE
 *     (the hash is kept: mpavs_trie_missing_node / mpavs_trie_describe),
 *     never with a guessed value; such a failure leaves the trie unchanged.
 *
 *  2. mpavs_trie_store: nodes addressed by keccak256(rlp), bounded in count
 *     and bytes, every node strictly validated when it is added.
 *
 *  3. Proof verification (eth_getProof): a proof is the list of nodes on the
 *     path from the root; mpavs_trie_proof_get proves a value or its
 *     absence, and the account / storage helpers apply that to the state.
 *
 * Keys and values are byte strings. As in Ethereum, an empty value means
 * "absent": putting an empty value deletes the key. Keys are at most
 * MPAVS_TRIE_MAX_KEY bytes.
 *
 * Node encodings (canonical; the decoder accepts nothing else):
 *   leaf      rlp([hexprefix(path, leaf), value])          value non-empty
 *   extension rlp([hexprefix(path, ext), childref])        path non-empty, child a branch
 *   branch    rlp([childref x 16, value])                  at least two of the 17 slots used
 *   childref  0x80 (no child), rlp(keccak(node)) when the node's encoding is
 *             >= 32 bytes, else the node's encoding itself (inline)
 * The root hash is keccak256 of the root node's encoding; the empty trie's
 * root is keccak256(0x80) = MPAVS_TRIE_EMPTY_ROOT.
 *
 * Thread safety: a trie is used by one thread at a time (lookups resolve and
 * cache nodes, so even get modifies it). A store is read-only once filled and
 * may then back any number of tries in any threads.
 */
#ifndef MPAVS_TRIE_H
#define MPAVS_TRIE_H

#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_TRIE_OK = 0,
    MPAVS_TRIE_MISSING_NODE,     /* a node needed is not in the store (see mpavs_trie_missing_node) */
    MPAVS_TRIE_ERR_NODE,         /* a malformed or non-canonical node */
    MPAVS_TRIE_ERR_NOMEM,        /* out of memory (the trie must then be destroyed) */
    MPAVS_TRIE_ERR_KEY,          /* a key longer than MPAVS_TRIE_MAX_KEY (or of the wrong length) */
    MPAVS_TRIE_ERR_STORE_FULL,   /* the store's node count or byte bound is reached */
    MPAVS_TRIE_ERR_PROOF,        /* a proof with too many or oversized nodes */
    MPAVS_TRIE_ERR_ACCOUNT,      /* a malformed account record */
    MPAVS_TRIE_ERR_VALUE,        /* a malformed value (a storage slot value that is not an RLP integer) */
} mpavs_trie_result;

/** Name of a result value ("missing trie node", ...). Never NULL. */
MPAVS_API const char *mpavs_trie_strerror(int r);

/** Longest key in bytes (before hashing, for a plain trie). */
#define MPAVS_TRIE_MAX_KEY 1024

/** Flag for mpavs_trie_create/_open: keys are hashed with keccak256 (secure trie). */
#define MPAVS_TRIE_SECURE 1u

/** keccak256(rlp("")): the root of the empty trie (0x56e81f…b421). */
MPAVS_API extern const uint8_t mpavs_trie_empty_root[32];
#define MPAVS_TRIE_EMPTY_ROOT mpavs_trie_empty_root

/* ------------------------------------------------------------------------ */
/* Node store                                                                */

/** Nodes addressed by their hash. Opaque. */
typedef struct mpavs_trie_store mpavs_trie_store;

/**
 * Create an empty store that holds at most max_nodes nodes and max_bytes
 * bytes of node encodings (0 for either: no bound). Returns NULL when out of memory.
 */
MPAVS_API mpavs_trie_store *mpavs_trie_store_create(size_t max_nodes, size_t max_bytes);

/** Destroy a store (NULL is allowed). No trie opened over it may be used afterwards. */
MPAVS_API void mpavs_trie_store_destroy(mpavs_trie_store *s);

/**
 * Add a node (its RLP encoding; copied). Its key is keccak256(rlp). Adding a
 * node already present is a no-op. The node is decoded and validated first
 * (see the encodings above).
 * Out: hash (may be NULL): the node's key. In/out: s. In: rlp, len.
 * Returns MPAVS_TRIE_OK, _ERR_NODE (not a valid node; nothing added),
 * _ERR_STORE_FULL or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_store_add(mpavs_trie_store *s, uint8_t hash[32],
                                                     const uint8_t *rlp, size_t len);

/**
 * Look a node up. Out: *rlp, *len (pointing into the store, valid until it is
 * destroyed). Returns true if the store holds the node, false otherwise
 * (outputs then NULL/0).
 */
MPAVS_API bool mpavs_trie_store_get(const mpavs_trie_store *s, const uint8_t **rlp, size_t *len,
                                    const uint8_t hash[32]);

/** Number of nodes and total encoding bytes held. Out: *nodes, *bytes (either may be NULL). */
MPAVS_API void mpavs_trie_store_size(const mpavs_trie_store *s, size_t *nodes, size_t *bytes);

/* ------------------------------------------------------------------------ */
/* Tries                                                                     */

/** A mutable trie. Opaque. */
typedef struct mpavs_trie mpavs_trie;

/** Create an empty trie in memory (flags: 0 or MPAVS_TRIE_SECURE). Returns NULL when out of memory. */
MPAVS_API mpavs_trie *mpavs_trie_create(unsigned flags);

/**
 * Open the trie whose root hash is root over the nodes of store (which must
 * outlive the trie and is never modified by it). Nothing is read yet: the
 * root node itself is resolved by the first operation, so a missing root is
 * reported there. root = MPAVS_TRIE_EMPTY_ROOT opens an empty trie (store may
 * then be NULL). Changes live in the trie's memory only.
 * Returns NULL when out of memory.
 */
MPAVS_API mpavs_trie *mpavs_trie_open(const mpavs_trie_store *store, const uint8_t root[32],
                                      unsigned flags);

/** Destroy a trie and free every node (NULL is allowed). */
MPAVS_API void mpavs_trie_destroy(mpavs_trie *t);

/**
 * Look key[0..key_len) up. Out: *value, *value_len: the value, pointing into
 * the trie (valid until the next put/delete or destroy), or NULL/0 when the
 * key is absent. In/out: t (nodes resolved from the store are cached).
 * Returns MPAVS_TRIE_OK (present or absent), _MISSING_NODE, _ERR_NODE (a
 * malformed node in the store), _ERR_KEY or _ERR_NOMEM. On failure the
 * outputs are NULL/0.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_get(mpavs_trie *t, const uint8_t **value,
                                               size_t *value_len, const uint8_t *key,
                                               size_t key_len);

/**
 * Set key to value[0..value_len) (copied); an empty value deletes the key.
 * In/out: t. Returns MPAVS_TRIE_OK, _MISSING_NODE or _ERR_NODE (the trie is
 * then unchanged), _ERR_KEY or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_put(mpavs_trie *t, const uint8_t *key, size_t key_len,
                                               const uint8_t *value, size_t value_len);

/**
 * Remove key (absent keys are not an error). Branches left with one child
 * collapse and extensions merge, so the root equals that of a trie built
 * without the key. In/out: t. Returns as mpavs_trie_put.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_delete(mpavs_trie *t, const uint8_t *key,
                                                  size_t key_len);

/**
 * The root hash. Only nodes changed since the last call are re-encoded.
 * Out: root. In/out: t. Returns MPAVS_TRIE_OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_root(mpavs_trie *t, uint8_t root[32]);

/**
 * After MPAVS_TRIE_MISSING_NODE: the hash of the node that was needed.
 * Out: hash (all zero if no node has been missing). In: t.
 */
MPAVS_API void mpavs_trie_missing_node(const mpavs_trie *t, uint8_t hash[32]);

/**
 * Describe result r of the last operation on t: "missing trie node 0x<hash>"
 * for MPAVS_TRIE_MISSING_NODE, mpavs_trie_strerror(r) otherwise.
 * Out: buf (cap bytes, always NUL-terminated when cap > 0). Returns buf.
 */
MPAVS_API char *mpavs_trie_describe(char *buf, size_t cap, const mpavs_trie *t, int r);

/**
 * Visit every (key, value) pair in key order (for a secure trie the keys are
 * the hashed keys). fn returns 0 to go on, anything else to stop (that value
 * is then returned through *stopped). Out: *stopped (may be NULL). In/out: t.
 * Returns MPAVS_TRIE_OK, _MISSING_NODE, _ERR_NODE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_foreach(mpavs_trie *t, int *stopped,
                                                   int (*fn)(void *arg, const uint8_t *key,
                                                             size_t key_len, const uint8_t *value,
                                                             size_t value_len),
                                                   void *arg);

/**
 * Add the encoding of every node of t referenced by hash (and of the root
 * node) to store: afterwards mpavs_trie_open(store, root) reads the same
 * trie. Nodes of an opened trie not resolved yet are skipped (they are in
 * its own store). In/out: t, store.
 * Returns MPAVS_TRIE_OK, _ERR_STORE_FULL or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_export(mpavs_trie *t, mpavs_trie_store *store);

/**
 * Produce the proof of key (present or absent), as eth_getProof does: fn
 * gets the encoding of each node on the path from the root that is
 * referenced by hash (the root first; inline nodes are inside their parent).
 * fn returns 0 to go on; anything else stops and is returned. In/out: t.
 * Returns MPAVS_TRIE_OK, fn's value, _MISSING_NODE, _ERR_NODE, _ERR_KEY or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_prove(mpavs_trie *t, const uint8_t *key, size_t key_len,
                                                 int (*fn)(void *arg, const uint8_t *rlp,
                                                           size_t len),
                                                 void *arg);

/**
 * The root of the trie mapping rlp(i) to items[i] for i in [0, n): the
 * transactions, receipts and withdrawals roots of a block header (items are
 * the encoded transactions / receipts / withdrawals; an empty item is
 * stored as absent). Out: root. Returns MPAVS_TRIE_OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_ordered_root(uint8_t root[32],
                                                        const uint8_t *const *items,
                                                        const size_t *lens, size_t n);

/* ------------------------------------------------------------------------ */
/* Proofs (eth_getProof)                                                     */

/** Most nodes a proof may hold (a path in a 2^256-key trie has at most 65). */
#define MPAVS_TRIE_PROOF_MAX_NODES 128

/**
 * Walk a proof: find key (as used in the trie, i.e. already hashed for a
 * secure trie) below root, following only the given nodes (in any order;
 * extra nodes are ignored). Out: *value, *value_len: the value (pointing
 * into the proof's nodes), or NULL/0 when the proof shows the key is absent.
 * In: root, key, key_len, nodes[i] / lens[i] for i < n.
 * Returns MPAVS_TRIE_OK (proved present or absent), _MISSING_NODE (the proof
 * lacks a node on the path: nothing is proved), _ERR_NODE, _ERR_KEY or
 * _ERR_PROOF (n > MPAVS_TRIE_PROOF_MAX_NODES).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_proof_get(const uint8_t **value, size_t *value_len,
                                                     const uint8_t root[32], const uint8_t *key,
                                                     size_t key_len,
                                                     const uint8_t *const *nodes,
                                                     const size_t *lens, size_t n);

/** An account of the state trie: rlp([nonce, balance, storageRoot, codeHash]). */
typedef struct {
    uint64_t nonce;
    mpavs_u256 balance;
    uint8_t storage_root[32];
    uint8_t code_hash[32];
} mpavs_trie_account;

/** Largest encoding of an account (mpavs_trie_account_encode). */
#define MPAVS_TRIE_ACCOUNT_MAX 110

/** keccak256(""): the code hash of an account without code (0xc5d246…a470). */
MPAVS_API extern const uint8_t mpavs_trie_empty_code_hash[32];
#define MPAVS_TRIE_EMPTY_CODE_HASH mpavs_trie_empty_code_hash

/** An absent account as eth_getProof states it: zero nonce and balance, empty storage root and code hash. */
MPAVS_API void mpavs_trie_account_empty(mpavs_trie_account *a);

/**
 * Decode an account record. Out: a. In: rlp, len.
 * Returns MPAVS_TRIE_OK or MPAVS_TRIE_ERR_ACCOUNT.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_account_decode(mpavs_trie_account *a,
                                                          const uint8_t *rlp, size_t len);

/** Encode an account record. Out: out. Returns the length (<= MPAVS_TRIE_ACCOUNT_MAX). */
MPAVS_API size_t mpavs_trie_account_encode(uint8_t out[MPAVS_TRIE_ACCOUNT_MAX],
                                           const mpavs_trie_account *a);

/**
 * Verify an account proof against a state root: the proof must show
 * keccak256(address) mapping to exactly *claimed, or, when *claimed is an
 * empty account (mpavs_trie_account_empty; a zero storage root or code hash
 * is also read as empty), being absent.
 * Out: *ok (the verdict). In: state_root, address, claimed, the proof nodes.
 * Returns MPAVS_TRIE_OK when the proof could be checked (then see *ok), or
 * _MISSING_NODE / _ERR_NODE / _ERR_PROOF / _ERR_ACCOUNT when it is
 * incomplete or malformed (*ok is then false).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_verify_account_proof(
    bool *ok, const uint8_t state_root[32], const mpavs_address *address,
    const mpavs_trie_account *claimed, const uint8_t *const *nodes, const size_t *lens, size_t n);

/**
 * Verify a storage proof against an account's storage root: the proof must
 * show keccak256(slot) mapping to rlp(value), or, when value is zero, being
 * absent (a stored rlp(0), which anvil_setStorageAt creates, also proves zero).
 * Out: *ok. In: storage_root, slot (32 bytes, big-endian), value, the proof nodes.
 * Returns as mpavs_trie_verify_account_proof (_ERR_VALUE for a stored value
 * that is not a canonical RLP integer of at most 32 bytes).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_trie_verify_storage_proof(
    bool *ok, const uint8_t storage_root[32], const uint8_t slot[32], const mpavs_u256 *value,
    const uint8_t *const *nodes, const size_t *lens, size_t n);

#ifdef __cplusplus
}
#endif
#endif

/*
 * mpavs/witness.h — everything a stateless execution of one block needs,
 * acquired from an untrusted JSON-RPC node and checked by hash.
 *
 * A witness for block N holds:
 *  - trie nodes (account trie and storage tries) in a node store
 *    (mpavs/trie.h), each added under keccak256(rlp), so a node altered by
 *    the node is simply not reachable from the parent's state root;
 *  - contract codes by code hash (keccak256(code) is the key);
 *  - the ancestor headers N-1, N-2, ... (at most 256, for BLOCKHASH), each
 *    hash-checked and linked by parentHash to the next;
 *  - block N itself (its RLP, rebuilt and checked, see below);
 *  - the touched keys: every account and storage slot the block reads or
 *    writes (prestate tracer), and, when acquired from a trace, the block's
 *    state changes in transaction order (prestate tracer, diffMode).
 *
 * Sources (mpavs_witness_acquire tries them in this order):
 *  1. debug_executionWitness(N) (reth, geth): {state, codes, keys, headers}.
 *  2. debug_traceBlockByNumber(N, prestateTracer) and the same with
 *     diffMode, then eth_getProof(addr, slots, N-1) for every touched
 *     account and slot (absent ones get exclusion proofs), eth_getCode at
 *     N-1 for every code, and eth_getProof at N for the accounts and slots
 *     the block deletes: a branch that collapses needs its remaining child,
 *     which the parent-state proofs only name by hash; a leaf or extension
 *     child is recovered from the post-state proof (the merged node with
 *     its path shortened, accepted only when its hash is the one needed).
 *
 * What anvil (foundry 1.x, --hardfork prague) serves, found by asking it:
 *   no debug_executionWitness, no debug_getRawBlock / debug_getRawHeader
 *   (-32601 "Method not found"); it serves debug_traceBlockByNumber with
 *   prestateTracer (also diffMode; fields equal to zero, e.g. a zero nonce,
 *   are omitted), eth_getProof at any block, eth_getCode, and
 *   eth_getRawTransactionByHash. The block RLP is therefore rebuilt from
 *   eth_getBlockByNumber (header fields, re-encoded and checked against the
 *   block hash) and the raw transactions (each checked against its hash;
 *   the transactions root is checked against the header). anvil serves a
 *   blob transaction in its network form (sidecar included; the hash is
 *   checked on the canonical form) and, on foundry 1.7, its
 *   transactionsRoot commits to that network form rather than to the
 *   canonical one: the block is then kept with the network forms, as its
 *   header commits to them (mpavs_blockexec refuses it unless
 *   MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT). anvil runs the
 *   EIP-2935 system call at the start of every Prague block (it writes the
 *   parent hash into slot (N-1) % 8191 of 0x0000F908…2935) and that write
 *   appears in no transaction trace: the history account and that slot are
 *   added to the touched keys, and mpavs_witness_post_root applies the write.
 *   Two more anvil quirks: its genesis header carries the empty state root
 *   although eth_getProof at block 0 shows the funded dev accounts (block 1
 *   cannot be checked from it), a storage slot set to zero is not deleted
 *   from the storage trie but stored as rlp(0), so storage tries never
 *   collapse on anvil, and a CREATE2 child self-destructed in its creating
 *   transaction stays as an empty account (MPAVS_WITNESS_ANVIL_RULES). Acquisition
 *   still makes the witness complete for Ethereum's rule: it computes the
 *   post-state root with deletions and fetches every sibling node that
 *   needs. A branch sibling named only by hash is reached by proving, at
 *   N-1, a key whose keccak256 starts with the branch's path (found by a
 *   bounded search: paths of at most 6 nibbles).
 *
 * Everything is bounded by mpavs_witness_limits; each exceeded bound is its
 * own error. No process-global state; a witness is used by one thread at a
 * time, and its store, once filled, may back tries in any thread.
 */
#ifndef MPAVS_WITNESS_H
#define MPAVS_WITNESS_H

#include "mpavs/block.h"
#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/trie.h"
#include "mpavs/u256.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_WITNESS_OK = 0,
    MPAVS_WITNESS_ERR_RPC,            /* a JSON-RPC call failed (transport, HTTP or error object) */
    MPAVS_WITNESS_ERR_UNSUPPORTED,    /* the node does not serve a method the source needs */
    MPAVS_WITNESS_ERR_PARSE,          /* an answer of the wrong shape (bad JSON, hex, field) */
    MPAVS_WITNESS_ERR_NODE,           /* a trie node that is not a valid node encoding */
    MPAVS_WITNESS_ERR_HASH,           /* a code, header, transaction or block not matching its hash */
    MPAVS_WITNESS_ERR_CHAIN,          /* ancestor headers not linked by parentHash / number */
    MPAVS_WITNESS_MISSING_NODE,       /* a touched key is not reachable (see the message) */
    MPAVS_WITNESS_MISSING_CODE,       /* a touched account's code is not in the witness */
    MPAVS_WITNESS_ERR_ACCOUNT,        /* a malformed account or storage value in the trie */
    MPAVS_WITNESS_ERR_LIMIT_NODES,    /* more trie nodes than limits.max_nodes */
    MPAVS_WITNESS_ERR_LIMIT_BYTES,    /* more bytes (nodes, codes, headers, block) than max_bytes */
    MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS, /* more touched accounts than max_accounts */
    MPAVS_WITNESS_ERR_LIMIT_SLOTS,    /* more touched slots (or state changes) than max_slots */
    MPAVS_WITNESS_ERR_LIMIT_HEADERS,  /* more headers than max_headers */
    MPAVS_WITNESS_ERR_LIMIT_TIME,     /* the RPC time budget max_rpc_ms is spent */
    MPAVS_WITNESS_ERR_NOMEM,          /* out of memory */
} mpavs_witness_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_witness_strerror(int r);

/** Bounds of one witness. */
typedef struct {
    size_t max_nodes;    /* trie nodes (and sibling candidates): 1,000,000 */
    size_t max_bytes;    /* nodes + codes + headers + block bytes: 512 MiB */
    size_t max_accounts; /* touched accounts: 100,000 */
    size_t max_slots;    /* touched slots, and recorded state changes: 1,000,000 */
    size_t max_headers;  /* ancestor headers: 256 (BLOCKHASH's reach) */
    long max_rpc_ms;     /* wall time of all RPC calls of one acquisition: 300,000 */
} mpavs_witness_limits;

/** The defaults above. Out: l. */
MPAVS_API void mpavs_witness_limits_default(mpavs_witness_limits *l);

/** A witness. Opaque. */
typedef struct mpavs_witness mpavs_witness;

/** Create an empty witness bounded by lim (NULL: defaults). Returns NULL when out of memory. */
MPAVS_API mpavs_witness *mpavs_witness_create(const mpavs_witness_limits *lim);
/** Destroy a witness (NULL allowed). Tries opened over its store must be destroyed first. */
MPAVS_API void mpavs_witness_destroy(mpavs_witness *w);

/**
 * The last error's explanation ("missing trie node 0x…", "eth_getProof: …",
 * "code of 0x… does not match its hash", ...); "" after success. Never NULL.
 */
MPAVS_API const char *mpavs_witness_message(const mpavs_witness *w);

/** The node store (valid until the witness is destroyed). */
MPAVS_API const mpavs_trie_store *mpavs_witness_store(const mpavs_witness *w);

/* ---- adding (each add is bounded and checked) ---- */

/** Add a trie node (key keccak256(rlp)). Returns _OK, _ERR_NODE, _ERR_LIMIT_NODES/_BYTES, _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_add_node(mpavs_witness *w, const uint8_t *rlp, size_t len);
/** Add a code (key keccak256(code)). Returns _OK, _ERR_LIMIT_BYTES or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_add_code(mpavs_witness *w, const uint8_t *code, size_t len);
/**
 * Add an ancestor header (its RLP; decoded). Headers may come in any order;
 * mpavs_witness_check verifies the chain. Returns _OK, _ERR_PARSE,
 * _ERR_LIMIT_HEADERS/_BYTES or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_add_header(mpavs_witness *w, const uint8_t *rlp, size_t len);
/** Mark an account touched. Returns _OK, _ERR_LIMIT_ACCOUNTS or _ERR_NOMEM. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_touch_account(mpavs_witness *w, const mpavs_address *a);
/** Mark a slot (32 bytes, big-endian) of an account touched (the account too). Returns as above or _ERR_LIMIT_SLOTS. */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_touch_slot(mpavs_witness *w, const mpavs_address *a,
                                                         const uint8_t slot[32]);

/* ---- reading ---- */

/** Code by hash. Out: *code, *len (into the witness). Returns true when present (the empty code always is). */
MPAVS_API bool mpavs_witness_code(const mpavs_witness *w, const uint8_t **code, size_t *len,
                                  const uint8_t hash[32]);
/** Ancestor header by number, or NULL. */
MPAVS_API const mpavs_block_header *mpavs_witness_header(const mpavs_witness *w, uint64_t number);
/** Number of ancestor headers held. */
MPAVS_API size_t mpavs_witness_header_count(const mpavs_witness *w);
/** Number of touched accounts; the i-th (in first-touch order) and its touched slots. */
MPAVS_API size_t mpavs_witness_account_count(const mpavs_witness *w);
/** Out: *a, *slots (an array of slot_count 32-byte slots, into the witness), *slot_count. i < count. */
MPAVS_API void mpavs_witness_account_at(const mpavs_witness *w, mpavs_address *a,
                                        const uint8_t (**slots)[32], size_t *slot_count, size_t i);
/**
 * Block N as acquired: its RLP (into the witness) and number. Out: *rlp,
 * *len (NULL/0 when the witness has no block). Returns true when present.
 */
MPAVS_API bool mpavs_witness_block(const mpavs_witness *w, const uint8_t **rlp, size_t *len,
                                   uint64_t *number);
/** Number of state changes recorded from a diffMode trace. */
MPAVS_API size_t mpavs_witness_change_count(const mpavs_witness *w);

/** What a witness holds and what its acquisition cost. */
typedef struct {
    size_t nodes, bytes;          /* trie nodes in the store (sibling candidates not counted) and all bytes charged */
    size_t codes, headers, accounts, slots, changes;
    size_t rpc_calls;             /* calls made by mpavs_witness_acquire */
    long rpc_ms;                  /* their wall time */
    size_t siblings_from_post;    /* nodes a deletion needed, recovered from post-state proofs */
    size_t siblings_searched;     /* branch nodes a deletion needed, reached by a key search and a proof */
    bool execution_witness;       /* the state came from debug_executionWitness */
} mpavs_witness_stats;

/** Out: st. In: w. */
MPAVS_API void mpavs_witness_get_stats(const mpavs_witness *w, mpavs_witness_stats *st);

/* ---- parsers (pure: no RPC; exposed for the sources, tests and fuzzing) ---- */

/**
 * Parse a debug_executionWitness result (JSON text json[0..len)):
 * {"state": [hex rlp nodes], "codes": [hex], "keys": [hex], "headers": [hex rlp headers]}
 * ("headers" and "keys" may be absent). Nodes, codes and headers are added;
 * a 20-byte key marks an account touched, a 32-byte key a slot of the last
 * account before it (the order geth and reth emit), other keys are refused.
 * In/out: w. Returns _OK, _ERR_PARSE, _ERR_NODE, a limit error or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_parse_execution_witness(mpavs_witness *w,
                                                                       const char *json, size_t len);

/**
 * Parse a debug_traceBlockByNumber result with the prestate tracer: an array
 * of {"txHash", "result"}; result is {addr: {balance, nonce, code, storage}}
 * or, with diff = true, {"pre": {...}, "post": {...}}. Every account and slot
 * named is touched; with diff the changes are recorded in transaction order
 * (an account in pre and not in post is deleted; a slot in pre.storage and
 * not in post.storage becomes zero; fields absent from post are unchanged)
 * and post codes are added. In/out: w. Returns _OK, _ERR_PARSE, a limit
 * error or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_parse_prestate(mpavs_witness *w, const char *json,
                                                             size_t len, bool diff);

/* ---- acquisition and checks ---- */

/**
 * Acquire the witness of block number (> 0) from a node: block N (rebuilt
 * and checked, see the top; blocks with ommers are refused as _ERR_PARSE),
 * the ancestor headers N-1 down to max(0, N-256) checked by hash and linked
 * by parentHash (more than max_headers of them: _ERR_LIMIT_HEADERS), then
 * the state from source 1 or, when the node lacks it (-32601), source 2.
 * With source 2 the witness is completed for Ethereum's state rules by
 * computing the post-state root once (mpavs_witness_post_root, flags 0) and
 * fetching each node it misses; a node that cannot be found is
 * _MISSING_NODE. Calls share the max_rpc_ms budget (each call's timeout is
 * set to what remains). The caller then checks the witness against the
 * parent state root it trusts (mpavs_witness_check): acquisition uses the
 * node's header N-1 only to find the nodes. w must hold no block and no
 * touched key; ancestor headers it already holds (mpavs_witness_add_header,
 * e.g. from the witness of an earlier block) are not fetched again but must
 * link by parentHash like fetched ones (else _ERR_CHAIN). In/out: w, rpc.
 * Returns _OK or the first error (see mpavs_witness_message).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_acquire(mpavs_witness *w, mpavs_rpc *rpc, uint64_t number);

/**
 * Check the witness from a trusted parent state root: every touched account
 * must be readable through the account trie over the witness store (present
 * or proved absent), its code (when it has any) must be in the witness, and
 * every touched slot must be readable through its storage trie. The first
 * failure is reported as _MISSING_NODE with "missing trie node 0x…" (the
 * account and slot in the message), _MISSING_CODE or _ERR_ACCOUNT.
 * In/out: w (the message). Returns _OK or that error.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_check(mpavs_witness *w, const uint8_t parent_state_root[32]);

/**
 * Read one account / slot through the witness from a state root. Out: *a
 * (mpavs_trie_account_empty when absent), *exists; *value (zero when absent).
 * Returns _OK, _MISSING_NODE, _ERR_ACCOUNT or _ERR_NOMEM (message set).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_read_account(mpavs_witness *w, mpavs_trie_account *a,
                                                           bool *exists, const uint8_t state_root[32],
                                                           const mpavs_address *addr);
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_read_slot(mpavs_witness *w, mpavs_u256 *value,
                                                        const uint8_t state_root[32],
                                                        const mpavs_address *addr,
                                                        const uint8_t slot[32]);

/**
 * Flag for mpavs_witness_post_root: anvil's state rules (foundry 1.x), found
 * by re-computing its stateRoots in tests/integration/test_witness_anvil.c,
 * where they differ from Ethereum's:
 *  - a slot set to zero stays in the storage trie with the value rlp(0)
 *    (0x80) instead of being deleted (storage tries never shrink);
 *  - an account created and self-destructed in the same transaction (it
 *    appears in no diffMode trace) stays in the account trie as an empty
 *    account: with this flag, every account a trace names that is absent before
 *    the block and untouched by the recorded changes is written as an empty account
 *    (accounts touched only for an EVM execution, e.g. the coinbase, the
 *    precompiles, the system contracts and access-list entries, are not).
 */
#define MPAVS_WITNESS_ANVIL_RULES 1u

/**
 * Apply the recorded state changes (diffMode) to the state at
 * parent_state_root through the witness tries and compute the new state
 * root; when the EIP-2935 history contract has code in the parent state,
 * its slot (N-1) % 8191 is first set to the parent hash (header N-1 must be
 * in the witness). No EVM runs: this shows the witness suffices for the
 * state-root computation. flags: 0 (Ethereum's rules) or
 * MPAVS_WITNESS_ANVIL_RULES. Out: root. In/out: w.
 * Returns _OK, _MISSING_NODE (message names the node), _ERR_ACCOUNT or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_witness_post_root(mpavs_witness *w, uint8_t root[32],
                                                        const uint8_t parent_state_root[32],
                                                        unsigned flags);

#ifdef __cplusplus
}
#endif
#endif

/* Internal to src/witness: the witness's fields and helpers shared by its files. */
#ifndef MPAVS_WITNESS_INTERNAL_H
#define MPAVS_WITNESS_INTERNAL_H

#include "mpavs/witness.h"

typedef struct {
    uint8_t *keys;
    size_t *vals;
    uint8_t *used;
    size_t cap, n, klen;
} hmap;

typedef struct {
    mpavs_address address;
    uint8_t (*slots)[32];
    size_t nslots, capslots;
    bool exec_only; /* touched only for an EVM execution (no trace names it): not a state change */
} wit_acct;

/* One recorded state change (diffMode), in transaction order. */
enum { CHG_DELETE, CHG_BALANCE, CHG_NONCE, CHG_CODE, CHG_SLOT };
typedef struct {
    int kind;
    mpavs_address address;
    uint8_t slot[32];
    uint8_t code_hash[32];
    mpavs_u256 value; /* balance, nonce or slot value */
} wit_chg;

struct mpavs_witness {
    mpavs_witness_limits lim;
    mpavs_trie_store *store;
    mpavs_trie_store *cand; /* sibling candidates recovered from post-state proofs */
    size_t nodes, bytes, nslots;
    struct { uint8_t *code; size_t len; } *codes;
    size_t ncodes, capcodes;
    mpavs_block_header *headers;
    size_t nheaders, capheaders;
    wit_acct *accts;
    size_t naccts, capaccts;
    wit_chg *changes;
    size_t nchanges, capchanges;
    uint8_t *block_rlp;
    size_t block_len;
    uint64_t block_number;
    hmap code_map, acct_map, slot_map;
    uint8_t missing[32]; /* the node of the last MISSING_NODE */
    /* where post_root last missed it: the trie's root and the (unhashed) key being written */
    uint8_t miss_root[32];
    uint8_t miss_key[32];
    size_t miss_key_len;
    mpavs_address miss_addr; /* the account whose storage trie missed (slot keys) */
    size_t rpc_calls, siblings_from_post, siblings_searched;
    long rpc_ms;
    bool execution_witness;
    char msg[512];
    char hexbuf[2 * 64 + 1];
};

int wit_fail(mpavs_witness *w, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int wit_account(mpavs_witness *w, size_t *idx, const mpavs_address *a);
int wit_change(mpavs_witness *w, const wit_chg *c);
int wit_charge_bytes(mpavs_witness *w, size_t len);
/* A post-state proof node: kept as a candidate, with its leaf/extension variants of shorter paths. */
int wit_add_sibling_candidates(mpavs_witness *w, const uint8_t *rlp, size_t len);
int wit_add_candidate(mpavs_witness *w, const uint8_t *rlp, size_t len);
char *wit_hex(char *buf, const uint8_t *b, size_t n);
void wit_history_address(mpavs_address *a);
/* Decode a JSON hex string into a malloc'd buffer (at most max bytes). Returns false on bad input. */
bool wit_unhex(uint8_t **out, size_t *len, const char *s, size_t max);

#endif

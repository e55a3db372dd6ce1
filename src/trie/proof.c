/*
 * Proof verification (eth_getProof) and the state's account record
 * (mpavs/trie.h). A proof is walked in place: values point into its nodes.
 */
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "trie/node.h"

#include <string.h>

const uint8_t mpavs_trie_empty_code_hash[32] = {
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0,
    0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};

int mpavs_trie_proof_get(const uint8_t **value, size_t *value_len, const uint8_t root[32],
                         const uint8_t *key, size_t key_len, const uint8_t *const *nodes,
                         const size_t *lens, size_t n) {
    MPAVS_REQUIRE(value && value_len && root && (key || key_len == 0) && (n == 0 || (nodes && lens)));
    *value = NULL;
    *value_len = 0;
    if (n > MPAVS_TRIE_PROOF_MAX_NODES) return MPAVS_TRIE_ERR_PROOF;
    if (key_len > MPAVS_TRIE_MAX_KEY) return MPAVS_TRIE_ERR_KEY;
    if (memcmp(root, MPAVS_TRIE_EMPTY_ROOT, 32) == 0) return MPAVS_TRIE_OK; /* nothing is in it */
    uint8_t hashes[MPAVS_TRIE_PROOF_MAX_NODES][32];
    for (size_t i = 0; i < n; i++) mpavs_keccak256(hashes[i], nodes[i], lens[i]);
    uint8_t path[2 * MPAVS_TRIE_MAX_KEY];
    trie_key_nibbles(path, key, key_len);
    size_t plen = 2 * key_len, at = 0;

    const uint8_t *want = root; /* the hash to find next, or NULL when rlp/len hold an inline node */
    const uint8_t *rlp = NULL;
    size_t len = 0;
    bool is_root = true, ext_child = false;
    for (;;) {
        if (want) {
            size_t i = 0;
            while (i < n && memcmp(hashes[i], want, 32) != 0) i++;
            if (i == n) return MPAVS_TRIE_MISSING_NODE;
            rlp = nodes[i];
            len = lens[i];
            if (!is_root && len < 32) return MPAVS_TRIE_ERR_NODE;
        }
        trie_node_view v;
        if (trie_node_parse(&v, rlp, len)) return MPAVS_TRIE_ERR_NODE;
        if (ext_child && v.kind != TRIE_BRANCH) return MPAVS_TRIE_ERR_NODE;
        is_root = ext_child = false;
        const mpavs_rlp_item *next;
        if (v.kind == TRIE_BRANCH) {
            if (at == plen) {
                *value = v.value.len ? v.value.p : NULL;
                *value_len = v.value.len;
                return MPAVS_TRIE_OK;
            }
            next = &v.child[path[at++]];
            if (trie_ref_empty(next)) return MPAVS_TRIE_OK;
        } else {
            if (plen - at < v.path_len) return MPAVS_TRIE_OK;
            for (size_t i = 0; i < v.path_len; i++)
                if (trie_view_nibble(&v, i) != path[at + i]) return MPAVS_TRIE_OK;
            at += v.path_len;
            if (v.kind == TRIE_LEAF) {
                if (at != plen) return MPAVS_TRIE_OK;
                *value = v.value.p;
                *value_len = v.value.len;
                return MPAVS_TRIE_OK;
            }
            next = &v.child[0];
            ext_child = true;
        }
        if (next->is_list) { /* inline node */
            want = NULL;
            rlp = next->raw;
            len = next->raw_len;
        } else {
            want = next->p;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Accounts                                                                  */

void mpavs_trie_account_empty(mpavs_trie_account *a) {
    MPAVS_REQUIRE(a != NULL);
    memset(a, 0, sizeof *a);
    memcpy(a->storage_root, MPAVS_TRIE_EMPTY_ROOT, 32);
    memcpy(a->code_hash, MPAVS_TRIE_EMPTY_CODE_HASH, 32);
}

int mpavs_trie_account_decode(mpavs_trie_account *a, const uint8_t *rlp, size_t len) {
    MPAVS_REQUIRE(a && (rlp || len == 0));
    memset(a, 0, sizeof *a);
    mpavs_rlp_item top, it;
    mpavs_rlp_iter iter;
    if (mpavs_rlp_decode(&top, rlp, len) || mpavs_rlp_iter_init(&iter, &top))
        return MPAVS_TRIE_ERR_ACCOUNT;
    if (mpavs_rlp_next(&iter, &it) || mpavs_rlp_get_u64(&a->nonce, &it)) return MPAVS_TRIE_ERR_ACCOUNT;
    if (mpavs_rlp_next(&iter, &it) || mpavs_rlp_get_u256(&a->balance, &it)) return MPAVS_TRIE_ERR_ACCOUNT;
    if (mpavs_rlp_next(&iter, &it) || it.is_list || it.len != 32) return MPAVS_TRIE_ERR_ACCOUNT;
    memcpy(a->storage_root, it.p, 32);
    if (mpavs_rlp_next(&iter, &it) || it.is_list || it.len != 32) return MPAVS_TRIE_ERR_ACCOUNT;
    memcpy(a->code_hash, it.p, 32);
    if (!mpavs_rlp_iter_done(&iter)) return MPAVS_TRIE_ERR_ACCOUNT;
    return MPAVS_TRIE_OK;
}

size_t mpavs_trie_account_encode(uint8_t out[MPAVS_TRIE_ACCOUNT_MAX], const mpavs_trie_account *a) {
    MPAVS_REQUIRE(out && a);
    mpavs_rlp_writer w;
    size_t mark, len;
    mpavs_rlp_writer_init(&w, out, MPAVS_TRIE_ACCOUNT_MAX);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_u64(&w, a->nonce);
    mpavs_rlp_put_u256(&w, &a->balance);
    mpavs_rlp_put_bytes(&w, a->storage_root, 32);
    mpavs_rlp_put_bytes(&w, a->code_hash, 32);
    mpavs_rlp_list_end(&w, mark);
    MPAVS_REQUIRE(mpavs_rlp_writer_finish(&w, &len) == MPAVS_RLP_OK);
    return len;
}

static bool is_zero(const uint8_t *p, size_t n) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

/* An account eth_getProof reports for an absent address. */
static bool account_is_empty(const mpavs_trie_account *a) {
    return a->nonce == 0 && mpavs_u256_is_zero(&a->balance) &&
           (memcmp(a->storage_root, MPAVS_TRIE_EMPTY_ROOT, 32) == 0 || is_zero(a->storage_root, 32)) &&
           (memcmp(a->code_hash, MPAVS_TRIE_EMPTY_CODE_HASH, 32) == 0 || is_zero(a->code_hash, 32));
}

int mpavs_trie_verify_account_proof(bool *ok, const uint8_t state_root[32],
                                    const mpavs_address *address, const mpavs_trie_account *claimed,
                                    const uint8_t *const *nodes, const size_t *lens, size_t n) {
    MPAVS_REQUIRE(ok && state_root && address && claimed);
    *ok = false;
    uint8_t key[32];
    mpavs_keccak256(key, address->bytes, 20);
    const uint8_t *val;
    size_t vlen;
    int r = mpavs_trie_proof_get(&val, &vlen, state_root, key, 32, nodes, lens, n);
    if (r) return r;
    if (!val) {
        *ok = account_is_empty(claimed);
        return MPAVS_TRIE_OK;
    }
    mpavs_trie_account got;
    if ((r = mpavs_trie_account_decode(&got, val, vlen))) return r;
    *ok = got.nonce == claimed->nonce && mpavs_u256_cmp(&got.balance, &claimed->balance) == 0 &&
          memcmp(got.storage_root, claimed->storage_root, 32) == 0 &&
          memcmp(got.code_hash, claimed->code_hash, 32) == 0;
    return MPAVS_TRIE_OK;
}

int mpavs_trie_verify_storage_proof(bool *ok, const uint8_t storage_root[32], const uint8_t slot[32],
                                    const mpavs_u256 *value, const uint8_t *const *nodes,
                                    const size_t *lens, size_t n) {
    MPAVS_REQUIRE(ok && storage_root && slot && value);
    *ok = false;
    uint8_t key[32];
    mpavs_keccak256(key, slot, 32);
    const uint8_t *val;
    size_t vlen;
    int r = mpavs_trie_proof_get(&val, &vlen, storage_root, key, 32, nodes, lens, n);
    if (r) return r;
    if (!val) {
        *ok = mpavs_u256_is_zero(value);
        return MPAVS_TRIE_OK;
    }
    mpavs_rlp_item it;
    mpavs_u256 got;
    /* a stored zero (rlp 0x80) cannot occur on Ethereum, whose tries delete zero slots, but
     * anvil's anvil_setStorageAt stores it: it proves the value zero all the same */
    if (mpavs_rlp_decode(&it, val, vlen) || mpavs_rlp_get_u256(&got, &it)) return MPAVS_TRIE_ERR_VALUE;
    *ok = mpavs_u256_cmp(&got, value) == 0;
    return MPAVS_TRIE_OK;
}

/*
 * libFuzzer target for the witness parsers (mpavs/witness.h).
 *  byte 0 % 3: 0 the rest is a debug_executionWitness result, 1 a prestate
 *  trace, 2 a diffMode prestate trace (JSON text). Parsing must either
 *  succeed or fail with a result code, within small limits; afterwards the
 *  check and both post-state roots run over whatever was accepted, from the
 *  root of the first node accepted (or the empty root), and must not crash.
 */
#include "mpavs/keccak.h"
#include "mpavs/witness.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    mpavs_witness_limits l;
    mpavs_witness_limits_default(&l);
    l.max_nodes = 2000, l.max_bytes = 1 << 20, l.max_accounts = 200, l.max_slots = 2000, l.max_headers = 16;
    mpavs_witness *w = mpavs_witness_create(&l);
    if (!w) return 0;
    int mode = data[0] % 3, r;
    const char *json = (const char *)data + 1;
    if (mode == 0) r = mpavs_witness_parse_execution_witness(w, json, size - 1);
    else r = mpavs_witness_parse_prestate(w, json, size - 1, mode == 2);
    if (r < 0 || r > MPAVS_WITNESS_ERR_NOMEM) abort();
    if (mpavs_witness_message(w) == NULL) abort();
    /* a root to walk from: the first state node when there is one */
    uint8_t root[32];
    memcpy(root, MPAVS_TRIE_EMPTY_ROOT, 32);
    size_t nodes = 0;
    mpavs_trie_store_size(mpavs_witness_store(w), &nodes, NULL);
    if (mode == 0 && nodes && size > 40) mpavs_keccak256(root, data + 1, 32); /* usually missing: must say so */
    r = mpavs_witness_check(w, root);
    if (r == MPAVS_WITNESS_MISSING_NODE && strncmp(mpavs_witness_message(w), "missing trie node 0x", 20)) abort();
    uint8_t out[32];
    r = mpavs_witness_post_root(w, out, root, 0);
    if (r == 0 && mode != 2 && memcmp(root, MPAVS_TRIE_EMPTY_ROOT, 32) == 0 && mpavs_witness_change_count(w) == 0 &&
        memcmp(out, root, 32))
        abort(); /* nothing changed: the root stays */
    r = mpavs_witness_post_root(w, out, root, MPAVS_WITNESS_ANVIL_RULES);
    (void)r;
    mpavs_witness_destroy(w);
    return 0;
}

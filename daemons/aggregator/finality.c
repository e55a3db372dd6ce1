/* daemons/aggregator/finality.c — see finality.h. */
#include "aggregator/finality.h"

#include <string.h>
#include <strings.h>

const char *agg_finality_name(int mode) { return mode == AGG_FINALITY_DEPTH ? "depth" : "finalized"; }

bool agg_finality_parse(int *mode, const char *s) {
    if (!strcasecmp(s, "finalized")) *mode = AGG_FINALITY_FINALIZED;
    else if (!strcasecmp(s, "depth")) *mode = AGG_FINALITY_DEPTH;
    else return false;
    return true;
}

uint64_t agg_finality_preset_depth(uint64_t chain_id) {
    switch (chain_id) {
    case 1:        /* Ethereum mainnet */
    case 11155111: /* Sepolia */
    case 560048:   /* Hoodi */
        return 64; /* two epochs: what `finalized` trails the head by */
    default:
        return 12;
    }
}

bool agg_finality_target(uint64_t *out, int mode, uint64_t depth, uint64_t min_depth, uint64_t head,
                         bool have_finalized, uint64_t finalized) {
    *out = 0;
    if (head < min_depth) return false;
    uint64_t cap = head - min_depth;
    if (mode == AGG_FINALITY_FINALIZED && have_finalized) {
        *out = finalized < cap ? finalized : cap;
        return true;
    }
    if (head < depth) return false;
    uint64_t t = head - depth;
    *out = t < cap ? t : cap;
    return true;
}

int agg_finality_read(mpavs_rpc *rpc, agg_finality_read_result *r, mpavs_error *err, int mode, uint64_t depth,
                      uint64_t min_depth) {
    memset(r, 0, sizeof *r);
    int rc = mpavs_rpc_block_number(rpc, &r->head, err);
    if (rc != MPAVS_RPC_OK) return rc;
    bool have = false;
    uint64_t fin = 0;
    if (mode == AGG_FINALITY_FINALIZED) {
        mpavs_rpc_block b;
        bool found = false;
        rc = mpavs_rpc_get_block_by_number(rpc, &b, &found, err, "finalized");
        if (rc == MPAVS_RPC_OK && found) {
            have = true;
            fin = b.number;
            mpavs_rpc_block_clear(&b);
        } else if (rc == MPAVS_RPC_ERR_RPC) { /* the node knows no such tag: the depth rule */
            mpavs_error_clear(err);
        } else if (rc != MPAVS_RPC_OK) {
            return rc;
        }
    }
    r->used_finalized = have;
    r->ready = agg_finality_target(&r->final_block, mode, depth, min_depth, r->head, have, fin);
    return MPAVS_RPC_OK;
}

bool agg_canon_state_matches(const uint8_t *state, size_t len, const uint8_t hash[32], const uint8_t state_root[32]) {
    return len == 64 && !memcmp(state, hash, 32) && !memcmp(state + 32, state_root, 32);
}

/* A forging L2 node for end-to-end tests (forgery.h). */
#include "forgery.h"
#include "rpcproxy.h"

#include "mpavs/block.h"
#include "mpavs/hex.h"
#include "mpavs/witness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct forgery {
    forgery_mode mode;
    uint64_t block;
    char tx[67], upstream[128];
    rpcproxy *proxy;
    /* the proxy thread's (read by the test after forgery_stop) */
    bool forged;
    uint8_t root[32], hash[32];
    char root_hex[67], hash_hex[67];
    unsigned lies;
};

/* Block N's header from a witness of the real node, with stateRoot 0x11…11, re-hashed. */
static bool forge(forgery *f) {
    mpavs_rpc *up = mpavs_rpc_create(f->upstream, NULL);
    mpavs_witness *w = mpavs_witness_create(NULL);
    const uint8_t *rlp;
    size_t len;
    mpavs_block b;
    bool ok = up && w && mpavs_witness_acquire(w, up, f->block) == 0 && mpavs_witness_block(w, &rlp, &len, NULL) &&
              mpavs_block_decode(&b, rlp, len) == 0;
    if (ok) {
        mpavs_block_header h = b.header;
        mpavs_block_clear(&b);
        memset(h.state_root, 0x11, 32);
        ok = mpavs_block_header_hash(f->hash, &h) == 0;
        memcpy(f->root, h.state_root, 32);
        ok = ok && !mpavs_hex_encode(f->root_hex, sizeof f->root_hex, f->root, 32, true) &&
             !mpavs_hex_encode(f->hash_hex, sizeof f->hash_hex, f->hash, 32, true);
    }
    mpavs_witness_destroy(w);
    mpavs_rpc_destroy(up);
    if (!ok) fprintf(stderr, "forgery: could not forge block %llu\n", (unsigned long long)f->block);
    return f->forged = ok;
}

static json_t *lie(void *arg, const char *method, const json_t *params, json_t *res) {
    forgery *f = arg;
    if (f->mode == FORGERY_STATE_ROOT && !strcmp(method, "eth_getBlockByNumber") && json_is_object(res)) {
        const char *n = json_string_value(json_object_get(res, "number"));
        if (!n || strtoull(n, NULL, 16) != f->block || (!f->forged && !forge(f))) return res;
        json_object_set_new(res, "stateRoot", json_string(f->root_hex));
        json_object_set_new(res, "hash", json_string(f->hash_hex));
        f->lies++;
    } else if (f->mode == FORGERY_RAW_TX && !strcmp(method, "eth_getRawTransactionByHash")) {
        const char *h = json_string_value(json_array_get(params, 0));
        if (!h || strcasecmp(h, f->tx)) return res;
        json_t *o = rpcproxy_flip_digit(res, -1);
        if (o) {
            f->lies++;
            return o;
        }
    }
    return res;
}

forgery *forgery_start(const char *upstream_url, forgery_mode mode, uint64_t block, const char *tx_hash) {
    forgery *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->mode = mode, f->block = block;
    snprintf(f->upstream, sizeof f->upstream, "%s", upstream_url);
    snprintf(f->tx, sizeof f->tx, "%s", tx_hash ? tx_hash : "");
    if (!(f->proxy = rpcproxy_start(upstream_url, lie, f))) {
        free(f);
        return NULL;
    }
    return f;
}

const char *forgery_url(const forgery *f) { return rpcproxy_url(f->proxy); }

unsigned forgery_lies(const forgery *f) { return f->lies; }

bool forgery_forged(const forgery *f, uint8_t root[32], uint8_t hash[32]) {
    if (!f->forged) return false;
    memcpy(root, f->root, 32);
    memcpy(hash, f->hash, 32);
    return true;
}

void forgery_stop(forgery *f) {
    if (!f || !f->proxy) return;
    rpcproxy_stop(f->proxy);
    f->proxy = NULL;
}

void forgery_free(forgery *f) {
    forgery_stop(f);
    free(f);
}

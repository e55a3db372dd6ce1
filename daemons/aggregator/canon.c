/*
 * daemons/aggregator/canon.c — states of chain-block kinds against the proven chain's canonical blocks.
 *
 * The state of a chain-block task kind (mpavs/taskkind.h: MPAVS_TASKKIND_META_CHAIN_BLOCK; type 3
 * today) is abi.encode(blockHash, stateRoot) of block N = the task id. Tasks are made
 * for final blocks only (finality.h), but a chain can still reorg below its finality (a faulty
 * node, a deep reorg, Confirmations 0 on a devnet): so right before each confirmState attempt
 * the confirmer reads block N again and sends nothing when its hash or state root differ
 * (confirm.c: the task fails, non_canonical_state). Signatures are checked too, once each as
 * they are admitted (agg_canon_scan): one for a block that is not canonical is reported
 * (non_canonical_signature) — it is not removed, as the signed block may be the canonical one
 * again after another reorg; only the check before sending decides.
 */
#include "aggregator/daemon.h"
#include "aggregator/finality.h"

#include "common/log.h"
#include "mpavs/avs.h"
#include "mpavs/hex.h"
#include "mpavs/taskkind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int agg_canon_check(mpavs_rpc *rpc, uint64_t block, const uint8_t *state, size_t state_len, uint8_t hash[32],
                    uint8_t state_root[32], char *why, size_t cap) {
    memset(hash, 0, 32);
    memset(state_root, 0, 32);
    if (why && cap) why[0] = 0;
    if (!rpc) {
        snprintf(why, cap, "no ChainTasks RPC to read block %" PRIu64 " from", block);
        return AGG_CANON_UNKNOWN;
    }
    char tag[24];
    mpavs_rpc_tag_number(tag, block);
    mpavs_rpc_block b;
    bool found = false;
    mpavs_error e = {0};
    int r = mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, tag);
    if (r != MPAVS_RPC_OK || !found) { /* not found: the node lags, or a reorg shortened the chain for now */
        snprintf(why, cap, "block %" PRIu64 ": %s", block, r ? e.message : "not found on the proven chain");
        mpavs_error_clear(&e);
        return AGG_CANON_UNKNOWN;
    }
    memcpy(hash, b.hash, 32);
    memcpy(state_root, b.state_root, 32);
    bool same = b.number == block && agg_canon_state_matches(state, state_len, b.hash, b.state_root);
    mpavs_rpc_block_clear(&b);
    return same ? AGG_CANON_YES : AGG_CANON_NO;
}

static void hex32(char out[67], const uint8_t *b) {
    if (mpavs_hex_encode(out, 67, b, 32, true)) out[0] = 0;
}

/* The signed block hash and state root of a state (zero when it is not 64 bytes). */
static void signed_values(char h[67], char r[67], const uint8_t *state, size_t len) {
    static const uint8_t zero[32];
    hex32(h, len == 64 ? state : zero);
    hex32(r, len == 64 ? state + 32 : zero);
}

void agg_canon_report_state(agg_daemon *d, uint64_t block, const uint8_t *state, size_t state_len,
                            const uint8_t hash[32], const uint8_t state_root[32]) {
    char sh[67], sr[67], ch[67], cr[67];
    signed_values(sh, sr, state, state_len);
    hex32(ch, hash);
    hex32(cr, state_root);
    agg_bump(&d->m_non_canonical, 1);
    dlog(DLOG_ERROR, "non_canonical_state",
         "type=3 id=%" PRIu64 " block=%" PRIu64 " signed_hash=%s signed_state_root=%s canonical_hash=%s "
         "canonical_state_root=%s what=\"the proven chain reorganised block %" PRIu64 " after it was signed: not "
         "confirmed (the task fails; its height gets no new task)\"",
         block, block, sh, sr, ch, cr, block);
}

#define SCAN_MAX 64         /* signatures checked per call; the rest wait for the next */
#define SCAN_BACKOFF_MS 10000 /* after a block could not be read: the confirmer is not held up by a dead node */

typedef struct {
    int type;
    uint64_t id;
    size_t signer; /* index in the task's signers */
    uint8_t operator_id[32], digest[32], state[64];
    size_t state_len;
} scan_item;

/* Mark t's signers up to and including it->signer checked (d->mu held). */
static void mark_checked(agg_daemon *d, const scan_item *it) {
    agg_task *t = agg_task_find(d, it->type, it->id);
    if (t && t->canon_checked <= it->signer) t->canon_checked = it->signer + 1;
}

void agg_canon_scan(agg_daemon *d, mpavs_rpc *rpc) {
    if (!rpc || agg_mono_ms() < d->canon_scan_after_ms) return;
    scan_item *items = malloc(SCAN_MAX * sizeof *items);
    if (!items) return;
    size_t n = 0;
    pthread_mutex_lock(&d->mu);
    for (agg_task *t = d->tasks; t && n < SCAN_MAX; t = t->next) {
        const mpavs_taskkind *kind = mpavs_taskkind_get((uint64_t)t->type);
        if (!kind || kind->metadata != MPAVS_TASKKIND_META_CHAIN_BLOCK) continue; /* states of chain blocks only */
        for (size_t k = t->canon_checked; k < t->nsigners && n < SCAN_MAX; k++) {
            const agg_signer *s = &t->signers[k];
            if (s->digest_idx >= t->ndigests) continue;
            const agg_digest *g = &t->digests[s->digest_idx];
            scan_item *it = &items[n++];
            it->type = t->type;
            it->id = t->id;
            it->signer = k;
            memcpy(it->operator_id, s->operator_id, 32);
            memcpy(it->digest, g->digest, 32);
            it->state_len = g->state_len <= 64 ? g->state_len : 65; /* 65: too long, never canonical */
            memcpy(it->state, g->state, g->state_len < 64 ? g->state_len : 64);
        }
    }
    pthread_mutex_unlock(&d->mu);
    size_t done = 0;
    for (; done < n; done++) {
        const scan_item *it = &items[done];
        uint8_t hash[32], root[32];
        char why[300];
        int c = agg_canon_check(rpc, it->id, it->state, it->state_len, hash, root, why, sizeof why);
        if (c == AGG_CANON_UNKNOWN) { /* this one and the rest: again after the backoff */
            dlog(DLOG_DEBUG, "canonical_check_skipped", "type=3 id=%" PRIu64 " error=%s", it->id, DLOG_Q(why));
            d->canon_scan_after_ms = agg_mono_ms() + SCAN_BACKOFF_MS;
            break;
        }
        if (c == AGG_CANON_YES) continue;
        char op[67], dg[67], sh[67], sr[67], ch[67], cr[67];
        hex32(op, it->operator_id);
        hex32(dg, it->digest);
        signed_values(sh, sr, it->state, it->state_len);
        hex32(ch, hash);
        hex32(cr, root);
        agg_bump(&d->m_non_canonical_sigs, 1);
        dlog(DLOG_WARN, "non_canonical_signature",
             "type=3 id=%" PRIu64 " operator=%s digest=%s signed_hash=%s signed_state_root=%s canonical_hash=%s "
             "canonical_state_root=%s",
             it->id, op, dg, sh, sr, ch, cr);
    }
    pthread_mutex_lock(&d->mu);
    for (size_t i = 0; i < done; i++) mark_checked(d, &items[i]);
    pthread_mutex_unlock(&d->mu);
    free(items);
}

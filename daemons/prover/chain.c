/* daemons/prover/chain.c — see chain.h. */
#include "prover/chain.h"

#include "common/log.h"

#include "mpavs/hex.h"
#include "mpavs/rpc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLL_MS 200                 /* head and reorg check while caught up */
#define NOT_MINED_WAIT_MS 2000      /* a task for a block the node does not have yet */
#define REFUSED_BACKOFF_MAX_MS 30000
#define UNAVAILABLE_BACKOFF_MAX_MS 5000
#define FATAL_RETRY_MS 5000         /* chain id or checkpoint mismatch: asked again this often */
#define PROGRESS_LOG_MS 60000

/* Refusal reasons: the verifier's (mpavs_stateless_strerror), then the prover's own. */
enum { R_CHECKPOINT = MPAVS_STATELESS_RESULT_COUNT, R_CHAIN_ID, R_COUNT };

static const char *reason_name(int r) {
    if (r == R_CHECKPOINT) return "checkpoint_mismatch";
    if (r == R_CHAIN_ID) return "chain_id_mismatch";
    return mpavs_stateless_strerror(r);
}

static const double BOUNDS[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUNDS (sizeof BOUNDS / sizeof BOUNDS[0])

typedef struct {
    uint64_t in[NBOUNDS]; /* observations ≤ BOUNDS[i] and > BOUNDS[i-1] */
    uint64_t count;
    double sum;
} hist;

static void hist_add(hist *h, double v) {
    for (size_t i = 0; i < NBOUNDS; i++)
        if (v <= BOUNDS[i]) {
            h->in[i]++;
            break;
        }
    h->count++;
    h->sum += v;
}

struct pchain {
    pchain_config cfg;
    drt_stop *stop;
    const mpavs_ecdsa_ctx *ecdsa;
    drt_threads threads;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a block verified, a refusal, a reanchor, a head seen, a stop */
    /* ---- under mu ---- */
    pchain_block *ring; /* block k at ring[k % ring_size], for ring_first <= k < ring_first + ring_count */
    size_t ring_count;
    uint64_t ring_first;
    uint64_t anchor;    /* the block the follower continues from (the ring's last, or the checkpoint) */
    uint64_t node_head;
    bool head_seen;
    int fatal;          /* 0, R_CHECKPOINT or R_CHAIN_ID: every task is refused */
    char fatal_msg[300];
    bool refused;       /* the follower is stuck at refused_number */
    uint64_t refused_number;
    int refused_reason;
    char refused_msg[300];
    char unavailable[300]; /* the last failure to reach the node ("" when it answers) */
    size_t waiters;
    bool old_busy;      /* a task holds old_rpc / old_cur */
    uint64_t blocks, gas, reanchors, refusals[R_COUNT];
    hist exec, fetch;
    /* ---- the re-execution of old blocks: the old_busy holder only ---- */
    mpavs_rpc *old_rpc;
    mpavs_stateless_cursor *old_cur;
    pchain_block old_last; /* the cursor's head (number 0: none verified) */
};

static void hex0x(char out[67], const uint8_t b[32]) {
    if (mpavs_hex_encode(out, 67, b, 32, true) != MPAVS_HEX_OK) out[0] = 0;
}

static mpavs_rpc *new_rpc(const pchain *c) {
    mpavs_rpc_options o;
    memset(&o, 0, sizeof o);
    o.timeout_ms = 5000;
    o.max_retries = 1;
    o.backoff_ms = 100;
    return mpavs_rpc_create(c->cfg.rpc_url, &o);
}

/* The node's hash of block n. Returns 0, 1 (no such block) or -1 (err set). */
static int node_hash(mpavs_rpc *rpc, uint64_t n, uint8_t hash[32], char *err, size_t cap) {
    mpavs_rpc_block b;
    memset(&b, 0, sizeof b);
    bool found = false;
    char tag[24];
    mpavs_error e;
    memset(&e, 0, sizeof e);
    if (mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, mpavs_rpc_tag_number(tag, n))) {
        snprintf(err, cap, "eth_getBlockByNumber(%" PRIu64 "): %.200s", n, e.message);
        mpavs_error_clear(&e);
        return -1;
    }
    if (!found) return 1;
    memcpy(hash, b.hash, 32);
    mpavs_rpc_block_clear(&b);
    return 0;
}

/* ---- the ring and the records (mu held) ---- */

static bool ring_get(const pchain *c, uint64_t n, pchain_block *b) {
    if (!c->ring_count || n < c->ring_first || n - c->ring_first >= c->ring_count) return false;
    *b = c->ring[n % c->cfg.ring_size];
    return true;
}

static void ring_push(pchain *c, const pchain_block *b) {
    if (!c->ring_count || b->number != c->ring_first + c->ring_count) {
        c->ring_first = b->number, c->ring_count = 0;
    } else if (c->ring_count == c->cfg.ring_size) {
        c->ring_first++, c->ring_count--;
    }
    c->ring[b->number % c->cfg.ring_size] = *b;
    c->ring_count++;
}

static void note_block(pchain *c, const mpavs_stateless_outcome *o) {
    c->blocks++;
    c->gas += o->stats.gas_used;
    hist_add(&c->exec, o->exec_ms / 1e3);
    hist_add(&c->fetch, o->fetch_ms / 1e3);
}

static void log_refusal(uint64_t n, int reason, const char *message, const char *path) {
    char q[400];
    dlog(DLOG_WARN, "block_refused", "block=%" PRIu64 " reason=%s path=%s error=%s", n, reason_name(reason), path,
         dlog_quote(q, sizeof q, message));
}

/* A refusal by the follower at block n: counted and logged once per (block, reason). */
static void follower_refused(pchain *c, uint64_t n, int reason, const char *message) {
    pthread_mutex_lock(&c->mu);
    bool fresh = !(c->refused && c->refused_number == n && c->refused_reason == reason);
    c->refused = true;
    c->refused_number = n;
    c->refused_reason = reason;
    snprintf(c->refused_msg, sizeof c->refused_msg, "%s", message);
    if (fresh) c->refusals[reason]++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (fresh) log_refusal(n, reason, message, "follow");
}

static void set_fatal(pchain *c, int reason, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_fatal(pchain *c, int reason, const char *fmt, ...) {
    char m[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->mu);
    bool fresh = c->fatal != reason || strcmp(c->fatal_msg, m) != 0;
    c->fatal = reason;
    snprintf(c->fatal_msg, sizeof c->fatal_msg, "%s", m);
    if (fresh) c->refusals[reason]++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (fresh) {
        char q[400];
        dlog(DLOG_ERROR, "chain_refused", "reason=%s error=%s", reason_name(reason), dlog_quote(q, sizeof q, m));
    }
}

static void clear_fatal(pchain *c, int reason) {
    pthread_mutex_lock(&c->mu);
    if (c->fatal == reason) c->fatal = 0;
    pthread_mutex_unlock(&c->mu);
}

/* ---- the follower ---- */

typedef struct {
    pchain *c;
    mpavs_rpc *rpc;
    mpavs_stateless_cursor *cur;
    bool id_ok;
    long backoff;
    uint64_t t_mark, blocks_mark; /* progress log */
    bool caught_up;
    uint64_t t_start, blocks_start;
} follower;

static long unavailable(follower *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static long unavailable(follower *f, const char *fmt, ...) {
    pchain *c = f->c;
    char m[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&c->mu);
    bool fresh = !c->unavailable[0];
    snprintf(c->unavailable, sizeof c->unavailable, "%s", m);
    pthread_mutex_unlock(&c->mu);
    if (fresh) {
        char q[400];
        dlog(DLOG_WARN, "chain_unavailable", "rpc_url=%s error=%s", c->cfg.rpc_url, dlog_quote(q, sizeof q, m));
    }
    f->backoff = f->backoff ? f->backoff * 2 : 500;
    if (f->backoff > UNAVAILABLE_BACKOFF_MAX_MS) f->backoff = UNAVAILABLE_BACKOFF_MAX_MS;
    return f->backoff;
}

static void available(follower *f) {
    pchain *c = f->c;
    pthread_mutex_lock(&c->mu);
    bool was = c->unavailable[0] != 0;
    c->unavailable[0] = 0;
    pthread_mutex_unlock(&c->mu);
    if (was) dlog(DLOG_INFO, "chain_available", "rpc_url=%s", c->cfg.rpc_url);
}

/*
 * Block at (hash at_hash) is no longer the node's: continue from the deepest kept block that still
 * is, else from the checkpoint. The kept blocks are linked by parent hash, so "still the node's" is
 * true up to some block and false after it: a binary search finds it.
 */
static long reanchor(follower *f, uint64_t at, const uint8_t at_hash[32], const uint8_t *node_has) {
    pchain *c = f->c;
    char err[300];
    pthread_mutex_lock(&c->mu);
    uint64_t lo = c->ring_first, count = c->ring_count;
    pthread_mutex_unlock(&c->mu);
    uint64_t good = lo - 1, bad = at; /* good: still the node's (lo - 1: unknown, treated as good); bad: not */
    if (!count || lo > at) good = at - 1, lo = at; /* nothing kept below at (cannot happen: at is kept) */
    while (bad - good > 1) {
        uint64_t m = good + (bad - good) / 2;
        pchain_block b;
        uint8_t h[32];
        pthread_mutex_lock(&c->mu);
        bool kept = ring_get(c, m, &b);
        pthread_mutex_unlock(&c->mu);
        int r = kept ? node_hash(f->rpc, m, h, err, sizeof err) : 1;
        if (r < 0) return unavailable(f, "%s", err);
        if (r == 0 && !memcmp(h, b.hash, 32)) good = m;
        else bad = m;
    }
    char was[67], now[67];
    hex0x(was, at_hash);
    if (node_has) hex0x(now, node_has);
    else snprintf(now, sizeof now, "no block");
    mpavs_stateless_cursor_destroy(f->cur);
    f->cur = NULL;
    pchain_block nb;
    pthread_mutex_lock(&c->mu);
    bool keep = good >= lo && ring_get(c, good, &nb);
    if (keep) {
        c->ring_count = (size_t)(good - c->ring_first + 1);
        c->anchor = good;
    } else {
        c->ring_count = 0;
        c->anchor = c->cfg.checkpoint_number;
    }
    c->refused = false;
    c->reanchors++;
    uint64_t to = c->anchor;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (keep) f->cur = mpavs_stateless_cursor_create(good, nb.hash); /* NULL (no memory): the checkpoint next */
    dlog(DLOG_WARN, "reanchor", "from_block=%" PRIu64 " to_block=%" PRIu64 " dropped=%" PRIu64
         " anchor=%s reason=\"block %" PRIu64 " %s is no longer the node's (it has %s)\"", at, to, at - to,
         keep ? "verified" : "checkpoint", at, was, now);
    return 0;
}

/* One step of the follower. Returns how long to sleep (0: go on at once). */
static long follow_once(follower *f) {
    pchain *c = f->c;
    const pchain_config *k = &c->cfg;
    mpavs_error e;
    memset(&e, 0, sizeof e);
    char err[300];
    if (!f->id_ok) {
        uint64_t id = 0;
        if (mpavs_rpc_chain_id(f->rpc, &id, &e)) {
            long ms = unavailable(f, "eth_chainId: %s", e.message);
            mpavs_error_clear(&e);
            return ms;
        }
        if (id != k->chain_id) {
            set_fatal(c, R_CHAIN_ID, "chain.chain_id is %" PRIu64 " but the node's chain id is %" PRIu64, k->chain_id, id);
            return FATAL_RETRY_MS;
        }
        clear_fatal(c, R_CHAIN_ID);
        f->id_ok = true;
    }
    uint64_t head = 0;
    if (mpavs_rpc_block_number(f->rpc, &head, &e)) {
        long ms = unavailable(f, "eth_blockNumber: %s", e.message);
        mpavs_error_clear(&e);
        return ms;
    }
    pthread_mutex_lock(&c->mu);
    c->node_head = head;
    c->head_seen = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (!f->cur) { /* anchor at the checkpoint: it must be the node's block at that number */
        uint8_t h[32];
        int r = node_hash(f->rpc, k->checkpoint_number, h, err, sizeof err);
        if (r < 0) return unavailable(f, "%s", err);
        char want[67], got[67];
        hex0x(want, k->checkpoint_hash);
        if (r > 0) {
            set_fatal(c, R_CHECKPOINT, "checkpoint hash mismatch: the node has no block %" PRIu64 " (trusted %s)",
                      k->checkpoint_number, want);
            return FATAL_RETRY_MS;
        }
        if (memcmp(h, k->checkpoint_hash, 32)) {
            hex0x(got, h);
            set_fatal(c, R_CHECKPOINT, "checkpoint hash mismatch at block %" PRIu64 ": trusted %s, the node has %s",
                      k->checkpoint_number, want, got);
            return FATAL_RETRY_MS;
        }
        clear_fatal(c, R_CHECKPOINT);
        f->cur = mpavs_stateless_cursor_create(k->checkpoint_number, k->checkpoint_hash);
        if (!f->cur) return FATAL_RETRY_MS;
        pthread_mutex_lock(&c->mu);
        c->ring_count = 0;
        c->anchor = k->checkpoint_number;
        pthread_mutex_unlock(&c->mu);
    }
    uint64_t at = 0;
    uint8_t at_hash[32];
    mpavs_stateless_cursor_head(f->cur, &at, at_hash);
    if (at > k->checkpoint_number) { /* still the node's block? */
        uint8_t h[32];
        int r = node_hash(f->rpc, at, h, err, sizeof err);
        if (r < 0) return unavailable(f, "%s", err);
        if (r > 0 || memcmp(h, at_hash, 32)) return reanchor(f, at, at_hash, r ? NULL : h);
    }
    available(f);
    uint64_t target = head > k->confirmations ? head - k->confirmations : 0;
    if (at >= target) {
        f->backoff = 0;
        if (!f->caught_up) {
            f->caught_up = true;
            pthread_mutex_lock(&c->mu);
            uint64_t blocks = c->blocks - f->blocks_start;
            pthread_mutex_unlock(&c->mu);
            double s = (double)(drt_now_ms() - f->t_start) / 1e3;
            dlog(DLOG_INFO, "follow_caught_up", "verified_head=%" PRIu64 " chain_head=%" PRIu64 " blocks=%" PRIu64
                 " seconds=%.1f blocks_per_s=%.1f", at, head, blocks, s, s > 0 ? (double)blocks / s : 0.0);
        }
        return POLL_MS;
    }
    mpavs_stateless_outcome o;
    int v = mpavs_stateless_cursor_next(f->cur, &o, f->rpc, &k->exec, c->ecdsa, &k->lim);
    if (v != MPAVS_STATELESS_OK) {
        follower_refused(c, o.number, v, o.message);
        long max = v == MPAVS_STATELESS_WITNESS_UNAVAILABLE ? UNAVAILABLE_BACKOFF_MAX_MS : REFUSED_BACKOFF_MAX_MS;
        f->backoff = f->backoff ? f->backoff * 2 : 1000;
        if (f->backoff > max) f->backoff = max;
        return f->backoff;
    }
    pchain_block b;
    b.number = o.number;
    memcpy(b.hash, o.block_hash, 32);
    memcpy(b.state_root, o.state_root, 32);
    pthread_mutex_lock(&c->mu);
    ring_push(c, &b);
    c->anchor = b.number;
    c->refused = false;
    note_block(c, &o);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    f->backoff = 0;
    char root[67];
    hex0x(root, b.state_root);
    dlog(DLOG_DEBUG, "block_verified", "block=%" PRIu64 " txs=%zu gas=%" PRIu64 " exec_ms=%.2f witness_ms=%.1f rpc_calls=%zu"
         " state_root=%s", b.number, o.stats.tx_count, o.stats.gas_used, o.exec_ms, o.fetch_ms, o.witness.rpc_calls, root);
    return 0;
}

static void progress_log(follower *f) {
    pchain *c = f->c;
    uint64_t now = drt_now_ms();
    if (now - f->t_mark < PROGRESS_LOG_MS) return;
    pthread_mutex_lock(&c->mu);
    uint64_t blocks = c->blocks, head = c->anchor, chain_head = c->node_head;
    pthread_mutex_unlock(&c->mu);
    if (blocks != f->blocks_mark) {
        double s = (double)(now - f->t_mark) / 1e3;
        dlog(DLOG_INFO, "follow_progress", "verified_head=%" PRIu64 " chain_head=%" PRIu64 " blocks=%" PRIu64
             " seconds=%.0f blocks_per_s=%.2f", head, chain_head, blocks - f->blocks_mark, s,
             (double)(blocks - f->blocks_mark) / s);
    }
    f->t_mark = now, f->blocks_mark = blocks;
}

static void *follow_main(void *arg) {
    pchain *c = arg;
    follower f;
    memset(&f, 0, sizeof f);
    f.c = c;
    f.rpc = new_rpc(c);
    f.t_mark = f.t_start = drt_now_ms();
    if (!f.rpc) {
        dlog(DLOG_ERROR, "follower_failed", "error=\"cannot create the RPC client\"");
        return NULL;
    }
    while (!drt_stopped(c->stop)) {
        long ms = follow_once(&f);
        progress_log(&f);
        if (ms > 0) drt_stop_sleep(c->stop, ms);
    }
    mpavs_stateless_cursor_destroy(f.cur);
    mpavs_rpc_destroy(f.rpc);
    return NULL;
}

/* ---- tasks ---- */

/* Re-execute up to old block n (older than the ring) from the checkpoint or where the last such
   task stopped; the caller holds old_busy. Returns true with *b, or false with msg. */
static bool prove_old_locked(pchain *c, uint64_t n, pchain_block *b, const struct timespec *dl, char *msg, size_t cap) {
    const pchain_config *k = &c->cfg;
    char err[300];
    if (!c->old_rpc && !(c->old_rpc = new_rpc(c))) {
        snprintf(msg, cap, "block %" PRIu64 " is not verified yet: out of memory", n);
        return false;
    }
    if (c->old_cur) { /* continue from its head if it is before n and still the node's */
        uint64_t h = c->old_last.number;
        uint8_t nh[32];
        int r = h > n ? 1 : node_hash(c->old_rpc, h, nh, err, sizeof err);
        if (r < 0) {
            snprintf(msg, cap, "block %" PRIu64 " is not verified yet: the chain node: %s", n, err);
            return false;
        }
        if (r > 0 || memcmp(nh, c->old_last.hash, 32)) {
            mpavs_stateless_cursor_destroy(c->old_cur);
            c->old_cur = NULL;
        } else if (h == n) {
            *b = c->old_last;
            return true;
        }
    }
    if (!c->old_cur) {
        c->old_cur = mpavs_stateless_cursor_create(k->checkpoint_number, k->checkpoint_hash);
        memset(&c->old_last, 0, sizeof c->old_last);
        c->old_last.number = k->checkpoint_number;
        memcpy(c->old_last.hash, k->checkpoint_hash, 32);
        if (!c->old_cur) {
            snprintf(msg, cap, "block %" PRIu64 " is not verified yet: out of memory", n);
            return false;
        }
        dlog(DLOG_INFO, "reexecute_old", "block=%" PRIu64 " from_checkpoint=%" PRIu64, n, k->checkpoint_number);
    }
    while (c->old_last.number < n) {
        if (drt_stopped(c->stop) || drt_deadline_passed(dl)) {
            snprintf(msg, cap, "block %" PRIu64 " is not verified yet: re-executing from the checkpoint %" PRIu64
                     ", at block %" PRIu64 ": ask again", n, k->checkpoint_number, c->old_last.number);
            return false;
        }
        mpavs_stateless_outcome o;
        int v = mpavs_stateless_cursor_next(c->old_cur, &o, c->old_rpc, &k->exec, c->ecdsa, &k->lim);
        if (v != MPAVS_STATELESS_OK) {
            pthread_mutex_lock(&c->mu);
            c->refusals[v]++;
            pthread_mutex_unlock(&c->mu);
            log_refusal(o.number, v, o.message, "old");
            if (o.number == n) snprintf(msg, cap, "block %" PRIu64 " refused: %s: %s", n, mpavs_stateless_strerror(v), o.message);
            else snprintf(msg, cap, "block %" PRIu64 " refused: block %" PRIu64 " refused: %s: %s", n, o.number,
                          mpavs_stateless_strerror(v), o.message);
            return false;
        }
        pthread_mutex_lock(&c->mu);
        note_block(c, &o);
        pthread_mutex_unlock(&c->mu);
        c->old_last.number = o.number;
        memcpy(c->old_last.hash, o.block_hash, 32);
        memcpy(c->old_last.state_root, o.state_root, 32);
    }
    *b = c->old_last;
    return true;
}

static void not_yet(pchain *c, uint64_t n, char *msg, size_t cap) {
    const pchain_config *k = &c->cfg;
    if (drt_stopped(c->stop)) {
        snprintf(msg, cap, "block %" PRIu64 " is not verified yet: the prover is stopping", n);
    } else if (!c->head_seen) {
        snprintf(msg, cap, "block %" PRIu64 " is not verified yet: the chain node has not answered (%s)", n,
                 c->unavailable[0] ? c->unavailable : "starting");
    } else if (n > c->node_head) {
        snprintf(msg, cap, "block %" PRIu64 " is not mined yet (chain head %" PRIu64 ")", n, c->node_head);
    } else if (n + k->confirmations > c->node_head) {
        snprintf(msg, cap, "block %" PRIu64 " is not confirmed yet (chain head %" PRIu64 ", chain.confirmations %" PRIu64 ")",
                 n, c->node_head, k->confirmations);
    } else {
        snprintf(msg, cap, "block %" PRIu64 " is not verified yet: verified up to block %" PRIu64 " (chain head %" PRIu64
                 ")%s%s: ask again", n, c->anchor, c->node_head, c->unavailable[0] ? "; the chain node: " : "", c->unavailable);
    }
}

bool pchain_prove(pchain *c, uint64_t n, pchain_block *b, char *msg, size_t cap) {
    const pchain_config *k = &c->cfg;
    struct timespec dl, mined_dl;
    drt_deadline(&dl, k->task_wait_ms);
    drt_deadline(&mined_dl, k->task_wait_ms < NOT_MINED_WAIT_MS ? k->task_wait_ms : NOT_MINED_WAIT_MS);
    bool ok = false, waiting = false, old = false;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        if (c->fatal) {
            snprintf(msg, cap, "block %" PRIu64 " refused: %s: %s", n, reason_name(c->fatal), c->fatal_msg);
            break;
        }
        if (n <= k->checkpoint_number) {
            snprintf(msg, cap, "block %" PRIu64 " refused: it is not after the checkpoint %" PRIu64
                     " (chain.checkpoint_number), whose state is trusted, not computed: skip", n, k->checkpoint_number);
            break;
        }
        if (ring_get(c, n, b)) {
            ok = true;
            break;
        }
        if (c->ring_count && n < c->ring_first) {
            old = true;
            break;
        }
        if (c->refused && c->refused_number <= n) {
            if (c->refused_number == n)
                snprintf(msg, cap, "block %" PRIu64 " refused: %s: %s", n, reason_name(c->refused_reason), c->refused_msg);
            else
                snprintf(msg, cap, "block %" PRIu64 " refused: block %" PRIu64 " refused: %s: %s", n, c->refused_number,
                         reason_name(c->refused_reason), c->refused_msg);
            break;
        }
        bool not_mined = c->head_seen && n > c->node_head;
        if (drt_stopped(c->stop) || drt_deadline_passed(&dl) || (not_mined && drt_deadline_passed(&mined_dl))) {
            not_yet(c, n, msg, cap);
            break;
        }
        if (!waiting) {
            if (c->waiters >= k->max_waiters) {
                snprintf(msg, cap, "block %" PRIu64 " is not verified yet: %zu tasks already wait for the follower: ask again",
                         n, c->waiters);
                break;
            }
            c->waiters++;
            waiting = true;
        }
        drt_cond_wait_until(&c->cv, &c->mu, not_mined ? &mined_dl : &dl);
    }
    if (old) {
        if (n - k->checkpoint_number > k->max_headers) {
            snprintf(msg, cap, "block %" PRIu64 " refused: it is older than the blocks kept (%" PRIu64 "..%" PRIu64
                     ", chain.ring_size %zu) and %" PRIu64 " blocks after the checkpoint %" PRIu64
                     " (chain.max_headers %" PRIu64 "): move the checkpoint forward; skip", n, c->ring_first,
                     c->ring_first + c->ring_count - 1, k->ring_size, n - k->checkpoint_number, k->checkpoint_number,
                     k->max_headers);
            old = false;
        } else if (!waiting && c->waiters >= k->max_waiters) {
            snprintf(msg, cap, "block %" PRIu64 " is not verified yet: %zu tasks already wait: ask again", n, c->waiters);
            old = false;
        } else {
            if (!waiting) c->waiters++, waiting = true;
            while (c->old_busy && !drt_stopped(c->stop) && !drt_deadline_passed(&dl))
                drt_cond_wait_until(&c->cv, &c->mu, &dl);
            if (c->old_busy) {
                snprintf(msg, cap, "block %" PRIu64 " is not verified yet: another old block is being re-executed: ask again", n);
                old = false;
            } else {
                c->old_busy = true;
            }
        }
    }
    pthread_mutex_unlock(&c->mu);
    if (old) {
        ok = prove_old_locked(c, n, b, &dl, msg, cap);
        pthread_mutex_lock(&c->mu);
        c->old_busy = false;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
    if (waiting) {
        pthread_mutex_lock(&c->mu);
        c->waiters--;
        pthread_mutex_unlock(&c->mu);
    }
    return ok;
}

/* ---- metrics ---- */

static void put_hist(dmet *w, const char *name, const char *help, const hist *h) {
    uint64_t cum[NBOUNDS], s = 0;
    for (size_t i = 0; i < NBOUNDS; i++) cum[i] = s += h->in[i];
    dmet_family(w, name, DMET_HISTOGRAM, help);
    dmet_histogram(w, NULL, 0, BOUNDS, cum, NBOUNDS, h->count, h->sum);
}

void pchain_metrics(pchain *c, dmet *w) {
    pthread_mutex_lock(&c->mu);
    uint64_t blocks = c->blocks, gas = c->gas, reanchors = c->reanchors, refusals[R_COUNT];
    memcpy(refusals, c->refusals, sizeof refusals);
    hist exec = c->exec, fetch = c->fetch;
    uint64_t verified = c->anchor, head = c->node_head;
    size_t kept = c->ring_count;
    pthread_mutex_unlock(&c->mu);
    dmet_family(w, "mpavs_prover_blocks_executed_total", DMET_COUNTER,
                "Blocks of the proven chain re-executed and verified (state root computed = header's).");
    dmet_u64(w, NULL, 0, blocks);
    dmet_family(w, "mpavs_prover_gas_executed_total", DMET_COUNTER, "Gas used by the blocks verified.");
    dmet_u64(w, NULL, 0, gas);
    dmet_family(w, "mpavs_prover_gas_per_second", DMET_GAUGE,
                "Gas executed per second of execution time, since start (witness fetching not included).");
    dmet_value(w, NULL, 0, exec.sum > 0 ? (double)gas / exec.sum : 0.0);
    put_hist(w, "mpavs_prover_block_exec_seconds", "Execution time of one block on its witness.", &exec);
    put_hist(w, "mpavs_prover_witness_fetch_seconds", "Time to fetch one block's witness from the node.", &fetch);
    dmet_family(w, "mpavs_prover_refusals_total", DMET_COUNTER,
                "Blocks refused by the verifier, by reason (each block and reason counted once by the follower).");
    for (int r = 1; r < R_COUNT; r++) dmet_u64(w, (dmet_label[]){{"reason", reason_name(r)}}, 1, refusals[r]);
    dmet_family(w, "mpavs_prover_verified_head", DMET_GAUGE,
                "The follower's last verified block (the checkpoint before the first).");
    dmet_u64(w, NULL, 0, verified);
    dmet_family(w, "mpavs_prover_chain_head", DMET_GAUGE, "The chain node's head block, as last seen.");
    dmet_u64(w, NULL, 0, head);
    dmet_family(w, "mpavs_prover_verified_blocks_kept", DMET_GAUGE, "Verified blocks kept in memory (chain.ring_size).");
    dmet_u64(w, NULL, 0, kept);
    dmet_family(w, "mpavs_prover_reanchors_total", DMET_COUNTER,
                "Reorgs seen: the follower went back to an earlier verified block or the checkpoint.");
    dmet_u64(w, NULL, 0, reanchors);
}

/* ---- life cycle ---- */

pchain *pchain_start(const pchain_config *cfg, drt_stop *stop, const mpavs_ecdsa_ctx *ecdsa, char *err, size_t cap) {
    pchain *c = calloc(1, sizeof *c);
    if (!c || !(c->ring = calloc(cfg->ring_size, sizeof *c->ring))) {
        free(c);
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    c->cfg = *cfg;
    c->stop = stop;
    c->ecdsa = ecdsa;
    c->anchor = cfg->checkpoint_number;
    pthread_mutex_init(&c->mu, NULL);
    drt_cond_init(&c->cv);
    drt_threads_init(&c->threads);
    if (!drt_spawn(&c->threads, "chain_follower", follow_main, c)) {
        snprintf(err, cap, "cannot start the chain follower thread");
        pchain_free(c);
        return NULL;
    }
    char ch[67];
    hex0x(ch, cfg->checkpoint_hash);
    dlog(DLOG_INFO, "follower_started", "preset=%s chain_id=%" PRIu64 " checkpoint=%" PRIu64 " checkpoint_hash=%s"
         " confirmations=%" PRIu64 " ring_size=%zu", cfg->preset, cfg->chain_id, cfg->checkpoint_number, ch,
         cfg->confirmations, cfg->ring_size);
    return c;
}

void pchain_wake(pchain *c) {
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

size_t pchain_stop(pchain *c, long ms) {
    if (!c) return 0;
    pchain_wake(c);
    return drt_join(&c->threads, ms);
}

void pchain_free(pchain *c) {
    if (!c) return;
    drt_threads_destroy(&c->threads);
    mpavs_stateless_cursor_destroy(c->old_cur);
    mpavs_rpc_destroy(c->old_rpc);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c->ring);
    free(c);
}

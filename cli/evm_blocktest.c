/*
 * cli/evm_blocktest.c — the blockchain test runner: a fixture's genesis state in memory, each
 * block imported from its RLP through mpavs_blockexec_execute (blocks with expectException must
 * be refused; a block attaches to whichever imported block is its parent), the head (the last
 * block imported successfully) compared with lastblockhash and its state with postState or
 * postStateHash. Fixture JSON is outside data: every field is checked before use.
 */
#include "evm_blocktest.h"
#include "evm_fixture.h"

#include "mpavs/blockexec.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOCKS 100000 /* most blocks read from one test */

static void hex32(char out[67], const uint8_t h[32]) {
    if (mpavs_hex_encode(out, 67, h, 32, true) != MPAVS_HEX_OK) strcpy(out, "?");
}

/* ---- networks ---------------------------------------------------------------------------- */

/* The fork schedule of a fixture network name; false for one the engine does not implement. */
static bool network_schedule(mpavs_evm_schedule *s, const char *net) {
    memset(s, 0, sizeof *s);
    static const struct {
        const char *name;
        int first;         /* fork active from genesis */
        int second;        /* fork active from time 15000, or -1 */
    } NETS[] = {
        {"Cancun", MPAVS_EVM_CANCUN, -1},
        {"Prague", MPAVS_EVM_PRAGUE, -1},
        {"Osaka", MPAVS_EVM_OSAKA, -1},
        {"CancunToPragueAtTime15k", MPAVS_EVM_CANCUN, MPAVS_EVM_PRAGUE},
        {"PragueToOsakaAtTime15k", MPAVS_EVM_PRAGUE, MPAVS_EVM_OSAKA},
    };
    for (size_t i = 0; i < sizeof NETS / sizeof NETS[0]; i++) {
        if (strcmp(NETS[i].name, net)) continue;
        for (int f = 0; f <= NETS[i].first; f++) s->active[f] = true;
        if (NETS[i].second >= 0) {
            s->active[NETS[i].second] = true;
            s->time[NETS[i].second] = 15000;
        }
        return true;
    }
    return false;
}

/* ---- one test ---------------------------------------------------------------------------- */

typedef struct {
    mpavs_block_header header;
    uint8_t hash[32];
    size_t parent;  /* index of the parent node (genesis: itself) */
    uint8_t *rlp;   /* the block's encoding (NULL for the genesis) */
    size_t rlp_len;
} chain_node;

typedef struct {
    chain_node *nodes;
    size_t n, cap;
} chain_tree;

typedef struct {
    const chain_tree *tree;
    size_t parent;
} hash_lookup;

/* BLOCKHASH: the ancestor of the executing block with that number. */
static int blockhash_of(void *ctx, uint8_t hash[32], uint64_t number) {
    const hash_lookup *l = ctx;
    size_t i = l->parent;
    for (;;) {
        const chain_node *n = &l->tree->nodes[i];
        if (n->header.number == number) {
            memcpy(hash, n->hash, 32);
            return 0;
        }
        if (n->header.number < number || i == 0) return 1;
        i = n->parent;
    }
}

typedef struct {
    mpavs_evm_memstate *ms;
} ms_root_ctx;

static int ms_root(void *ctx, uint8_t root[32]) {
    return mpavs_evm_memstate_root(root, ((ms_root_ctx *)ctx)->ms) != MPAVS_EVM_OK;
}

typedef struct {
    blocktest_run *run;
    const mpavs_ecdsa_ctx *ecdsa;
    mpavs_blockexec_chain chain;
    json_t *pre;
    chain_tree tree;
    mpavs_evm_memstate *head_ms; /* the state after node head_state (NULL: to rebuild) */
    size_t head_state;
    const char *name, *net;
    char err[320];
    bool unprovable;
    char unprovable_reason[96];
} test_ctx;

static int exec_on(test_ctx *t, mpavs_blockexec_refusal *why, mpavs_blockexec_stats *stats, mpavs_evm_memstate *ms,
                   size_t parent, const mpavs_block *b) {
    mpavs_blockexec_state s;
    memset(&s, 0, sizeof s);
    mpavs_evm_memstate_source(&s.source, ms);
    mpavs_evm_memstate_sink(&s.sink, ms);
    ms_root_ctx rc = {ms};
    s.root = ms_root;
    s.root_ctx = &rc;
    hash_lookup hl = {&t->tree, parent};
    return mpavs_blockexec_execute(why, stats, t->ecdsa, &t->chain, &t->tree.nodes[parent].header, b, &s,
                                   blockhash_of, &hl);
}

/* A fresh state: the pre-state with the blocks from the genesis to node `to` re-executed. */
static mpavs_evm_memstate *state_at(test_ctx *t, size_t to) {
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    size_t *path = malloc(t->tree.n * sizeof *path), n = 0;
    if (!ms || !path || !fixture_load_state(ms, t->pre)) goto fail;
    for (size_t i = to; i != 0; i = t->tree.nodes[i].parent) {
        if (n == t->tree.n) goto fail; /* parents always come first: a cycle cannot happen */
        path[n++] = i;
    }
    while (n--) {
        chain_node *node = &t->tree.nodes[path[n]];
        mpavs_block b;
        if (mpavs_block_decode(&b, node->rlp, node->rlp_len) != MPAVS_BLOCK_OK) goto fail;
        mpavs_blockexec_refusal why;
        int r = exec_on(t, &why, NULL, ms, node->parent, &b);
        mpavs_block_clear(&b);
        if (r != MPAVS_BLOCKEXEC_OK) goto fail;
    }
    free(path);
    return ms;
fail:
    free(path);
    mpavs_evm_memstate_destroy(ms);
    return NULL;
}

static bool tree_add(chain_tree *tr, const chain_node *n) {
    if (tr->n == tr->cap) {
        size_t cap = tr->cap ? tr->cap * 2 : 16;
        chain_node *nn = realloc(tr->nodes, cap * sizeof *nn);
        if (!nn) return false;
        tr->nodes = nn;
        tr->cap = cap;
    }
    tr->nodes[tr->n++] = *n;
    return true;
}

/*
 * Import block j of the test. Returns 1 when the outcome is as the fixture says (accepted, or
 * refused with expectException), 0 with t->err set when not, -1 when the block is unprovable.
 */
static void show_refusal(const test_ctx *t, size_t j, const char *exc, const char *reason) {
    if (t->run->refusals && !t->run->json)
        fprintf(t->run->out, "REFUSED %s %s block %zu (%s): %s\n", t->name, t->net, j, exc ? exc : "?", reason);
}

static int import_block(test_ctx *t, size_t j, json_t *jb, size_t *head) {
    bool expect_invalid = json_object_get(jb, "expectException") != NULL;
    const char *exc = json_string_value(json_object_get(jb, "expectException"));
    uint8_t *rlp = NULL;
    size_t len = 0;
    if (!fixture_hex(json_object_get(jb, "rlp"), &rlp, &len)) {
        if (expect_invalid) {
            show_refusal(t, j, exc, "rlp: not hex");
            return 1; /* an "rlp" that is not even hex is refused */
        }
        snprintf(t->err, sizeof t->err, "block %zu: rlp is not hex", j);
        return 0;
    }
    mpavs_block b;
    int r = mpavs_block_decode(&b, rlp, len);
    if (r != MPAVS_BLOCK_OK) {
        free(rlp);
        if (expect_invalid) {
            char m[96];
            snprintf(m, sizeof m, "decoder: %s", mpavs_block_strerror(r));
            show_refusal(t, j, exc, m);
            return 1;
        }
        snprintf(t->err, sizeof t->err, "block %zu: refused by the decoder: %s", j, mpavs_block_strerror(r));
        return 0;
    }
    size_t parent = SIZE_MAX;
    for (size_t i = 0; i < t->tree.n; i++)
        if (!memcmp(t->tree.nodes[i].hash, b.header.parent_hash, 32)) parent = i;
    int ret;
    if (parent == SIZE_MAX) {
        ret = expect_invalid;
        if (!ret) snprintf(t->err, sizeof t->err, "block %zu: unknown parent", j);
        else show_refusal(t, j, exc, "parentHash: unknown parent");
        goto out;
    }
    if (!t->head_ms || t->head_state != parent) {
        mpavs_evm_memstate_destroy(t->head_ms);
        t->head_ms = state_at(t, parent);
        t->head_state = parent;
        if (!t->head_ms) {
            snprintf(t->err, sizeof t->err, "block %zu: cannot rebuild the state of its parent", j);
            ret = 0;
            goto out;
        }
    }
    mpavs_blockexec_refusal why;
    mpavs_blockexec_stats stats;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = exec_on(t, &why, &stats, t->head_ms, parent, &b);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    t->run->exec_seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    t->run->blocks++;
    if (r == MPAVS_BLOCKEXEC_OK) t->run->gas += stats.gas_used;
    if (r != MPAVS_BLOCKEXEC_ERR_FORK && stats.rlp_size != len) { /* the EIP-7934 size against the bytes */
        snprintf(t->err, sizeof t->err, "block %zu: encoding size computed as %zu, the block has %zu bytes", j,
                 stats.rlp_size, len);
        ret = 0;
        goto out;
    }
    if (r == MPAVS_BLOCKEXEC_UNPROVABLE) {
        snprintf(t->unprovable_reason, sizeof t->unprovable_reason, "%s", why.actual);
        ret = -1;
        goto out;
    }
    if (r != MPAVS_BLOCKEXEC_OK && stats.sink_written) {
        mpavs_evm_memstate_destroy(t->head_ms); /* holds the refused block's changes */
        t->head_ms = NULL;
    }
    if (r == MPAVS_BLOCKEXEC_OK) {
        chain_node n;
        memset(&n, 0, sizeof n);
        n.header = b.header;
        if (mpavs_block_header_hash(n.hash, &b.header) != MPAVS_BLOCK_OK) {
            snprintf(t->err, sizeof t->err, "block %zu: header does not encode", j);
            ret = 0;
            goto out;
        }
        n.parent = parent;
        n.rlp = rlp;
        n.rlp_len = len;
        if (!tree_add(&t->tree, &n)) {
            snprintf(t->err, sizeof t->err, "out of memory");
            ret = 0;
            goto out;
        }
        rlp = NULL;
        t->head_state = t->tree.n - 1;
        *head = t->tree.n - 1;
        ret = !expect_invalid;
        if (!ret) snprintf(t->err, sizeof t->err, "block %zu: accepted, expected exception %s", j, exc ? exc : "?");
    } else if (r == MPAVS_BLOCKEXEC_INVALID) {
        ret = expect_invalid;
        char buf[256];
        mpavs_blockexec_refusal_format(buf, sizeof buf, &why);
        if (!ret) snprintf(t->err, sizeof t->err, "block %zu: refused: %s", j, buf);
        else show_refusal(t, j, exc, buf);
    } else {
        snprintf(t->err, sizeof t->err, "block %zu: %s", j, mpavs_blockexec_strerror(r));
        ret = 0;
    }
out:
    mpavs_block_clear(&b);
    free(rlp);
    return ret;
}

static void count_skip(blocktest_run *run, const char *reason) {
    run->skipped++;
    for (size_t i = 0; i < run->n_skip_reasons; i++)
        if (!strcmp(run->skip_reasons[i].reason, reason)) {
            run->skip_reasons[i].count++;
            return;
        }
    if (run->n_skip_reasons < BLOCKTEST_MAX_SKIP_REASONS) {
        snprintf(run->skip_reasons[run->n_skip_reasons].reason, sizeof run->skip_reasons[0].reason, "%s", reason);
        run->skip_reasons[run->n_skip_reasons++].count = 1;
    }
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f), fputc(*s, f);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

static void report(blocktest_run *run, const char *name, const char *net, int outcome, const char *msg) {
    if (outcome == 1) run->passed++;
    else if (outcome == 0) run->failed++;
    if (run->json) {
        fputs(run->json_first ? "[\n" : ",\n", run->out);
        run->json_first = false;
        fputs("  {\"name\": ", run->out);
        json_str(run->out, name);
        fputs(", \"pass\": ", run->out);
        fputs(outcome == 1 ? "true" : "false", run->out);
        fputs(", \"fork\": ", run->out);
        json_str(run->out, net);
        if (outcome != 1) {
            fputs(outcome == 0 ? ", \"error\": " : ", \"skipped\": ", run->out);
            json_str(run->out, msg);
        }
        fputs("}", run->out);
    } else if (outcome == 0) {
        fprintf(run->out, "FAIL %s %s: %s\n", name, net, msg);
    }
}

static void run_test(blocktest_run *run, const mpavs_ecdsa_ctx *ecdsa, const char *name, json_t *test) {
    const char *net = json_string_value(json_object_get(test, "network"));
    if (!net) net = "?";
    test_ctx t;
    memset(&t, 0, sizeof t);
    t.run = run;
    t.ecdsa = ecdsa;
    t.pre = json_object_get(test, "pre");
    t.name = name;
    t.net = net;
    mpavs_evm_schedule sched;
    if (!network_schedule(&sched, net)) {
        char reason[96];
        snprintf(reason, sizeof reason, "network %.60s (rules not implemented)", net);
        count_skip(run, reason);
        report(run, name, net, -1, reason);
        return;
    }
    /* the chain id: the fixture's config.chainid when it has one (newer fixtures), else mainnet's */
    uint64_t chain_id = 1;
    json_t *cid = json_object_get(json_object_get(test, "config"), "chainid");
    if (cid && !fixture_u64(cid, &chain_id)) {
        report(run, name, net, 0, "malformed config.chainid");
        return;
    }
    mpavs_blockexec_chain_init(&t.chain, chain_id, &sched);
    uint8_t *grlp = NULL;
    size_t glen = 0;
    int outcome = 0;
    mpavs_block g;
    memset(&g, 0, sizeof g);
    uint8_t want[32], got[32];
    char e[67], a[67];
    json_t *blocks = json_object_get(test, "blocks");
    if (!fixture_hex(json_object_get(test, "genesisRLP"), &grlp, &glen) || mpavs_block_decode(&g, grlp, glen) != MPAVS_BLOCK_OK ||
        !json_is_array(blocks) || json_array_size(blocks) > MAX_BLOCKS) {
        snprintf(t.err, sizeof t.err, "malformed genesisRLP or blocks");
        goto out;
    }
    chain_node gn;
    memset(&gn, 0, sizeof gn);
    gn.header = g.header;
    if (mpavs_block_header_hash(gn.hash, &g.header) != MPAVS_BLOCK_OK || !tree_add(&t.tree, &gn)) {
        snprintf(t.err, sizeof t.err, "genesis header does not encode");
        goto out;
    }
    if (!fixture_bytes(json_object_get(json_object_get(test, "genesisBlockHeader"), "hash"), want, 32) ||
        memcmp(want, gn.hash, 32)) {
        hex32(a, gn.hash);
        const char *fh = json_string_value(json_object_get(json_object_get(test, "genesisBlockHeader"), "hash"));
        snprintf(t.err, sizeof t.err, "genesis hash: fixture %s, computed %s", fh ? fh : "?", a);
        goto out;
    }
    t.head_ms = state_at(&t, 0);
    t.head_state = 0;
    if (!t.head_ms) {
        snprintf(t.err, sizeof t.err, "malformed pre-state");
        goto out;
    }
    if (mpavs_evm_memstate_root(got, t.head_ms) != MPAVS_EVM_OK) goto out;
    if (memcmp(got, g.header.state_root, 32)) {
        hex32(e, g.header.state_root), hex32(a, got);
        snprintf(t.err, sizeof t.err, "genesis stateRoot: header %s, pre-state %s", e, a);
        goto out;
    }
    size_t head = 0;
    for (size_t j = 0; j < json_array_size(blocks); j++) {
        int r = import_block(&t, j, json_array_get(blocks, j), &head);
        if (r < 0) {
            count_skip(run, "unsupported precompile (block unprovable)");
            report(run, name, net, -1, t.unprovable_reason);
            goto done;
        }
        if (r == 0) goto out;
    }
    /* the head and its state */
    if (!fixture_bytes(json_object_get(test, "lastblockhash"), want, 32)) {
        snprintf(t.err, sizeof t.err, "malformed lastblockhash");
        goto out;
    }
    if (memcmp(want, t.tree.nodes[head].hash, 32)) {
        hex32(e, want), hex32(a, t.tree.nodes[head].hash);
        snprintf(t.err, sizeof t.err, "lastblockhash: expected %s, got %s", e, a);
        goto out;
    }
    if (!t.head_ms || t.head_state != head) {
        mpavs_evm_memstate_destroy(t.head_ms);
        t.head_ms = state_at(&t, head);
        t.head_state = head;
        if (!t.head_ms) {
            snprintf(t.err, sizeof t.err, "cannot rebuild the head state");
            goto out;
        }
    }
    if (mpavs_evm_memstate_root(got, t.head_ms) != MPAVS_EVM_OK) goto out;
    json_t *post = json_object_get(test, "postState");
    if (post) {
        mpavs_evm_memstate *pm = mpavs_evm_memstate_create();
        bool ok = pm && fixture_load_state(pm, post) && mpavs_evm_memstate_root(want, pm) == MPAVS_EVM_OK;
        mpavs_evm_memstate_destroy(pm);
        if (!ok) {
            snprintf(t.err, sizeof t.err, "malformed postState");
            goto out;
        }
    } else if (!fixture_bytes(json_object_get(test, "postStateHash"), want, 32)) {
        snprintf(t.err, sizeof t.err, "no postState or postStateHash");
        goto out;
    }
    if (memcmp(want, got, 32)) {
        hex32(e, want), hex32(a, got);
        snprintf(t.err, sizeof t.err, "post-state root: expected %s, got %s", e, a);
        goto out;
    }
    outcome = 1;
out:
    report(run, name, net, outcome, t.err);
done:
    for (size_t i = 0; i < t.tree.n; i++) free(t.tree.nodes[i].rlp);
    free(t.tree.nodes);
    mpavs_evm_memstate_destroy(t.head_ms);
    mpavs_block_clear(&g);
    free(grlp);
}

void blocktest_file(blocktest_run *run, const char *path) {
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!json_is_object(root)) {
        char msg[256];
        snprintf(msg, sizeof msg, "not a blockchain test file (%s line %d)", jerr.text, jerr.line);
        report(run, path, "-", 0, msg);
        json_decref(root);
        return;
    }
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    if (!ecdsa) {
        json_decref(root);
        report(run, path, "-", 0, "out of memory");
        return;
    }
    const char *name;
    json_t *test;
    json_object_foreach(root, name, test) {
        if (json_is_object(test)) run_test(run, ecdsa, name, test);
        else report(run, name, "-", 0, "a test that is not a JSON object");
    }
    mpavs_ecdsa_ctx_destroy(ecdsa);
    json_decref(root);
}

static void file_cb(void *run, const char *path) { blocktest_file(run, path); }

bool blocktest_path(blocktest_run *run, const char *path) { return fixture_walk(path, file_cb, run); }

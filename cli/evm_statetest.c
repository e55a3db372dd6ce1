/*
 * cli/evm_statetest.c — the state test runner: a fixture's pre-state in memory, one transaction
 * per post entry (indexes into data/gas/value), the state root and logs hash compared with the
 * fixture. Fixture JSON is outside data: every field is checked before use.
 */
#include "evm_statetest.h"
#include "evm_fixture.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LIST 4096 /* most access list entries, keys, blobs or authorizations read */

typedef struct {
    const char *name;
    const char *fork;
    size_t d, g, v;
} case_id;

/* ---- JSON helpers (false on a missing or malformed field) ---------------------------------- */

static bool j_word(json_t *j, uint8_t out[32]) {
    mpavs_u256 u;
    if (!fixture_u256(j, &u)) return false;
    mpavs_u256_to_be32(out, &u);
    return true;
}

/* ---- transaction -------------------------------------------------------------------------- */

typedef struct {
    mpavs_evm_tx tx;
    uint8_t *data;
    mpavs_evm_access *access;
    uint8_t (*keys)[32];
    uint8_t (*blobs)[32];
    mpavs_evm_authorization *auths;
    bool parse_failed; /* a field out of range: the transaction cannot exist (invalid) */
} tx_buf;

static void tx_free(tx_buf *t) {
    free(t->data);
    free(t->access);
    free(t->keys);
    free(t->blobs);
    free(t->auths);
}

static void recover_authority(const mpavs_ecdsa_ctx *ecdsa, mpavs_evm_authorization *au, json_t *j) {
    mpavs_u256 y, r, s;
    au->authority_valid = false;
    if (!fixture_u256(json_object_get(j, "v"), &y) && !fixture_u256(json_object_get(j, "yParity"), &y)) return;
    if (!fixture_u256(json_object_get(j, "r"), &r) || !fixture_u256(json_object_get(j, "s"), &s)) return;
    if (y.w[1] || y.w[2] || y.w[3] || y.w[0] > 1) return;
    uint8_t buf[128], h[32];
    mpavs_rlp_writer w;
    size_t mark, len;
    buf[0] = 0x05;
    mpavs_rlp_writer_init(&w, buf + 1, sizeof buf - 1);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_u256(&w, &au->chain_id);
    mpavs_rlp_put_bytes(&w, au->address, 20);
    mpavs_rlp_put_u64(&w, au->nonce);
    mpavs_rlp_list_end(&w, mark);
    if (mpavs_rlp_writer_finish(&w, &len) != MPAVS_RLP_OK) return;
    mpavs_keccak256(h, buf, len + 1);
    mpavs_ecdsa_sig sig;
    mpavs_u256_to_be32(sig.r, &r);
    mpavs_u256_to_be32(sig.s, &s);
    sig.recid = (uint8_t)y.w[0];
    mpavs_address a;
    if (mpavs_ecdsa_recover_address(ecdsa, &a, &sig, h) != MPAVS_ECDSA_OK) return;
    memcpy(au->authority, a.bytes, 20);
    au->authority_valid = true;
}

/* Build the transaction of post entry (d, g, v). False: the fixture is malformed. */
static bool build_tx(tx_buf *t, const mpavs_ecdsa_ctx *ecdsa, json_t *jt, size_t d, size_t g, size_t v) {
    memset(t, 0, sizeof *t);
    mpavs_evm_tx *tx = &t->tx;
    uint8_t sk[32];
    if (!fixture_bytes(json_object_get(jt, "secretKey"), sk, 32)) return false;
    mpavs_address sender;
    int r = mpavs_ecdsa_seckey_to_address(ecdsa, &sender, sk);
    mpavs_wipe(sk, sizeof sk);
    if (r != MPAVS_ECDSA_OK) return false;
    memcpy(tx->sender, sender.bytes, 20);
    json_t *jd = json_object_get(jt, "data"), *jg = json_object_get(jt, "gasLimit"), *jv = json_object_get(jt, "value");
    if (!json_is_array(jd) || !json_is_array(jg) || !json_is_array(jv) || d >= json_array_size(jd) ||
        g >= json_array_size(jg) || v >= json_array_size(jv))
        return false;
    if (!fixture_hex(json_array_get(jd, d), &t->data, &tx->data_len)) return false;
    tx->data = t->data;
    if (!fixture_u64(json_array_get(jg, g), &tx->gas_limit)) t->parse_failed = true;
    if (!fixture_u256(json_array_get(jv, v), &tx->value)) t->parse_failed = true;
    if (!fixture_u64(json_object_get(jt, "nonce"), &tx->nonce)) t->parse_failed = true;
    const char *to = json_string_value(json_object_get(jt, "to"));
    if (!to) return false;
    if (!*to || !strcmp(to, "0x"))
        tx->is_create = true;
    else if (mpavs_hex_decode_exact(tx->to, 20, to) != MPAVS_HEX_OK)
        return false;
    json_t *gp = json_object_get(jt, "gasPrice");
    if (gp) {
        tx->type = 0;
        if (!fixture_u256(gp, &tx->gas_price)) t->parse_failed = true;
    } else {
        tx->type = 2;
        if (!fixture_u256(json_object_get(jt, "maxFeePerGas"), &tx->max_fee) ||
            !fixture_u256(json_object_get(jt, "maxPriorityFeePerGas"), &tx->max_priority_fee))
            t->parse_failed = true;
    }
    json_t *als = json_object_get(jt, "accessLists");
    json_t *al = json_is_array(als) && d < json_array_size(als) ? json_array_get(als, d) : NULL;
    if (json_is_array(al)) {
        if (tx->type == 0) tx->type = 1;
        size_t n = json_array_size(al), nk = 0;
        if (n > MAX_LIST) return false;
        for (size_t i = 0; i < n; i++) nk += json_array_size(json_object_get(json_array_get(al, i), "storageKeys"));
        if (nk > MAX_LIST) return false;
        t->access = calloc(n ? n : 1, sizeof *t->access);
        t->keys = calloc(nk ? nk : 1, 32);
        if (!t->access || !t->keys) return false;
        size_t kpos = 0;
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(al, i), *keys = json_object_get(e, "storageKeys");
            if (!fixture_bytes(json_object_get(e, "address"), t->access[i].address, 20)) return false;
            t->access[i].keys = &t->keys[kpos];
            for (size_t k = 0; k < json_array_size(keys); k++)
                if (!j_word(json_array_get(keys, k), t->keys[kpos++])) return false;
            t->access[i].n_keys = (size_t)(&t->keys[kpos] - t->access[i].keys);
        }
        tx->access_list = t->access;
        tx->n_access = n;
    }
    json_t *blobs = json_object_get(jt, "blobVersionedHashes");
    if (json_is_array(blobs)) {
        tx->type = 3;
        size_t n = json_array_size(blobs);
        if (n > MAX_LIST) return false;
        t->blobs = calloc(n ? n : 1, 32);
        if (!t->blobs) return false;
        for (size_t i = 0; i < n; i++)
            if (!fixture_bytes(json_array_get(blobs, i), t->blobs[i], 32)) return false;
        tx->blob_hashes = (const uint8_t(*)[32])t->blobs;
        tx->n_blob_hashes = n;
        if (!fixture_u256(json_object_get(jt, "maxFeePerBlobGas"), &tx->max_fee_per_blob_gas)) t->parse_failed = true;
    }
    json_t *auths = json_object_get(jt, "authorizationList");
    if (json_is_array(auths)) {
        tx->type = 4;
        size_t n = json_array_size(auths);
        if (n > MAX_LIST) return false;
        t->auths = calloc(n ? n : 1, sizeof *t->auths);
        if (!t->auths) return false;
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(auths, i);
            mpavs_evm_authorization *au = &t->auths[i];
            mpavs_u256 nonce;
            if (!fixture_u256(json_object_get(a, "chainId"), &au->chain_id) ||
                !fixture_bytes(json_object_get(a, "address"), au->address, 20) || !fixture_u256(json_object_get(a, "nonce"), &nonce))
                return false;
            au->nonce_overflow = nonce.w[1] || nonce.w[2] || nonce.w[3];
            au->nonce = nonce.w[0];
            recover_authority(ecdsa, au, a);
        }
        tx->auths = t->auths;
        tx->n_auths = n;
    }
    return true;
}

/* ---- one case ----------------------------------------------------------------------------- */

static int blockhash_of_number(void *ctx, uint8_t hash[32], uint64_t number) {
    (void)ctx;
    char s[24];
    int n = snprintf(s, sizeof s, "%llu", (unsigned long long)number);
    mpavs_keccak256(hash, s, (size_t)n);
    return 0;
}

static bool build_block(mpavs_evm_block *b, json_t *env, mpavs_evm_fork fork, uint64_t chain_id) {
    memset(b, 0, sizeof *b);
    b->fork = fork;
    b->chain_id = chain_id;
    b->blockhash = blockhash_of_number;
    if (!fixture_bytes(json_object_get(env, "currentCoinbase"), b->coinbase, 20) ||
        !fixture_u64(json_object_get(env, "currentNumber"), &b->number) ||
        !fixture_u64(json_object_get(env, "currentTimestamp"), &b->timestamp) ||
        !fixture_u64(json_object_get(env, "currentGasLimit"), &b->gas_limit))
        return false;
    json_t *bf = json_object_get(env, "currentBaseFee");
    if (bf && !fixture_u256(bf, &b->base_fee)) return false;
    json_t *rnd = json_object_get(env, "currentRandom");
    if (!rnd) rnd = json_object_get(env, "currentDifficulty");
    if (rnd && !j_word(rnd, b->prevrandao)) return false;
    uint64_t excess = 0;
    json_t *ex = json_object_get(env, "currentExcessBlobGas");
    if (ex && !fixture_u64(ex, &excess)) return false;
    mpavs_evm_blob_base_fee(&b->blob_base_fee, fork, excess);
    return true;
}

static void hex32(char out[67], const uint8_t h[32]) {
    if (mpavs_hex_encode(out, 67, h, 32, true) != MPAVS_HEX_OK) out[0] = 0;
}

static void report(statetest_run *run, const case_id *id, mpavs_evm_fork fork, bool pass, const uint8_t root[32],
                   const char *expected, const char *error) {
    char got[67] = "";
    if (root) hex32(got, root);
    if (run->json) {
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(id->name));
        json_object_set_new(o, "pass", json_boolean(pass));
        json_object_set_new(o, "stateRoot", json_string(got));
        json_object_set_new(o, "fork", json_string(id->fork));
        char idx[64];
        snprintf(idx, sizeof idx, "d%zu g%zu v%zu", id->d, id->g, id->v);
        json_object_set_new(o, "index", json_string(idx));
        if (error) json_object_set_new(o, "error", json_string(error));
        char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        fprintf(run->out, "%s%s\n", run->json_first ? "[" : ",", s ? s : "{}");
        run->json_first = false;
        free(s);
        json_decref(o);
    } else if (!pass) {
        fprintf(run->out, "FAIL %s %s d%zu g%zu v%zu: expected %s got %s%s%s\n", id->name, id->fork, id->d, id->g,
                id->v, expected ? expected : "?", got[0] ? got : "-", error ? ": " : "", error ? error : "");
    }
    if (pass)
        run->passed[fork]++;
    else
        run->failed[fork]++;
}

static void count_skip(statetest_run *run, const char *reason) {
    for (size_t i = 0; i < run->n_skip_reasons; i++) {
        if (!strcmp(run->skip_reasons[i].reason, reason)) {
            run->skip_reasons[i].count++;
            return;
        }
    }
    if (run->n_skip_reasons < STATETEST_MAX_SKIP_REASONS) {
        snprintf(run->skip_reasons[run->n_skip_reasons].reason, sizeof run->skip_reasons[0].reason, "%s", reason);
        run->skip_reasons[run->n_skip_reasons++].count = 1;
    }
}

static void run_case(statetest_run *run, const mpavs_ecdsa_ctx *ecdsa, json_t *test, json_t *post, case_id *id,
                     mpavs_evm_fork fork) {
    const char *expected = json_string_value(json_object_get(post, "hash"));
    const char *exp_logs = json_string_value(json_object_get(post, "logs"));
    bool expect_exception = json_object_get(post, "expectException") != NULL;
    json_t *idx = json_object_get(post, "indexes");
    uint64_t d, g, v;
    if (!expected || !json_is_object(idx) || !json_is_integer(json_object_get(idx, "data")) ||
        !json_is_integer(json_object_get(idx, "gas")) || !json_is_integer(json_object_get(idx, "value"))) {
        report(run, id, fork, false, NULL, expected, "malformed post entry");
        return;
    }
    d = (uint64_t)json_integer_value(json_object_get(idx, "data"));
    g = (uint64_t)json_integer_value(json_object_get(idx, "gas"));
    v = (uint64_t)json_integer_value(json_object_get(idx, "value"));
    id->d = d, id->g = g, id->v = v;
    uint64_t chain_id = 1;
    json_t *cfg = json_object_get(test, "config");
    if (cfg && json_object_get(cfg, "chainid") && !fixture_u64(json_object_get(cfg, "chainid"), &chain_id)) chain_id = 1;

    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    mpavs_evm_state *st = NULL;
    tx_buf t;
    memset(&t, 0, sizeof t);
    mpavs_evm_tx_result res;
    memset(&res, 0, sizeof res);
    mpavs_evm_block blk;
    uint8_t root[32];
    char err[160] = "";
    if (!ms || !fixture_load_state(ms, json_object_get(test, "pre"))) {
        report(run, id, fork, false, NULL, expected, "malformed pre-state");
        goto out;
    }
    if (!build_block(&blk, json_object_get(test, "env"), fork, chain_id)) {
        report(run, id, fork, false, NULL, expected, "malformed env");
        goto out;
    }
    if (!build_tx(&t, ecdsa, json_object_get(test, "transaction"), d, g, v)) {
        report(run, id, fork, false, NULL, expected, "malformed transaction");
        goto out;
    }
    int r;
    if (t.parse_failed) {
        r = MPAVS_EVM_ERR_TX_TYPE;
    } else {
        mpavs_evm_source src;
        mpavs_evm_memstate_source(&src, ms);
        st = mpavs_evm_state_create(&src);
        if (!st) {
            report(run, id, fork, false, NULL, expected, "out of memory");
            goto out;
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        r = mpavs_evm_execute_tx(st, &res, &blk, &t.tx);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        run->exec_seconds += (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    }
    if (r == MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE) {
        char reason[64];
        char a[43];
        if (mpavs_hex_encode(a, sizeof a, res.unsupported_precompile, 20, true) != MPAVS_HEX_OK) a[0] = 0;
        /* print the short form 0x0b… */
        size_t i = 2;
        while (a[i] == '0' && a[i + 1]) i++;
        snprintf(reason, sizeof reason, "unsupported precompile 0x%s", a + i);
        count_skip(run, reason);
        run->skipped[fork]++;
        if (run->json) {
            json_t *o = json_object();
            json_object_set_new(o, "name", json_string(id->name));
            json_object_set_new(o, "pass", json_true());
            json_object_set_new(o, "skipped", json_true());
            json_object_set_new(o, "fork", json_string(id->fork));
            json_object_set_new(o, "error", json_string(reason));
            char *s = json_dumps(o, JSON_COMPACT);
            fprintf(run->out, "%s%s\n", run->json_first ? "[" : ",", s ? s : "{}");
            run->json_first = false;
            free(s);
            json_decref(o);
        }
        goto out;
    }
    bool rejected = r >= MPAVS_EVM_ERR_TX_TYPE;
    if (r && !rejected) {
        report(run, id, fork, false, NULL, expected, mpavs_evm_strerror(r));
        goto out;
    }
    if (!rejected) {
        mpavs_evm_sink sink;
        mpavs_evm_memstate_sink(&sink, ms);
        if (mpavs_evm_state_commit(st, &sink)) {
            report(run, id, fork, false, NULL, expected, "commit failed");
            goto out;
        }
        run->gas += res.gas_used;
    }
    if (mpavs_evm_memstate_root(root, ms)) {
        report(run, id, fork, false, NULL, expected, "out of memory");
        goto out;
    }
    char got[67];
    hex32(got, root);
    bool pass = !strcasecmp(got, expected);
    if (rejected && !expect_exception) {
        pass = false;
        snprintf(err, sizeof err, "transaction rejected: %s", mpavs_evm_strerror(r));
    } else if (!rejected && expect_exception) {
        pass = false;
        snprintf(err, sizeof err, "transaction accepted, expected %s",
                 json_string_value(json_object_get(post, "expectException")) ? json_string_value(json_object_get(post, "expectException")) : "an exception");
    } else if (exp_logs) {
        uint8_t lh[32];
        char lhs[67];
        if (mpavs_evm_logs_hash(lh, res.logs, res.n_logs) == MPAVS_EVM_OK) {
            hex32(lhs, lh);
            if (strcasecmp(lhs, exp_logs)) {
                pass = false;
                snprintf(err, sizeof err, "logs hash %s, expected %s", lhs, exp_logs);
            }
        }
    }
    report(run, id, fork, pass, root, expected, err[0] ? err : NULL);
out:
    mpavs_evm_tx_result_clear(&res);
    tx_free(&t);
    mpavs_evm_state_destroy(st);
    mpavs_evm_memstate_destroy(ms);
}

void statetest_file(statetest_run *run, const char *path) {
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!json_is_object(root)) {
        fprintf(stderr, "mpavs: %s: not a state test file (%s line %d)\n", path, jerr.text, jerr.line);
        run->bad_files++;
        run->failed[MPAVS_EVM_CANCUN]++;
        json_decref(root);
        return;
    }
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    if (!ecdsa) {
        json_decref(root);
        run->failed[MPAVS_EVM_CANCUN]++;
        return;
    }
    const char *name;
    json_t *test;
    json_object_foreach(root, name, test) {
        json_t *post = json_object_get(test, "post");
        if (!json_is_object(post)) continue;
        const char *fork_name;
        json_t *entries;
        json_object_foreach(post, fork_name, entries) {
            mpavs_evm_fork fork;
            if (mpavs_evm_fork_parse(&fork, fork_name) != MPAVS_EVM_OK || !run->forks[fork]) continue;
            if (!json_is_array(entries)) continue;
            for (size_t i = 0; i < json_array_size(entries); i++) {
                case_id id = {name, fork_name, 0, 0, 0};
                run_case(run, ecdsa, test, json_array_get(entries, i), &id, fork);
            }
        }
    }
    mpavs_ecdsa_ctx_destroy(ecdsa);
    json_decref(root);
}

static void file_cb(void *run, const char *path) { statetest_file(run, path); }

bool statetest_path(statetest_run *run, const char *path) { return fixture_walk(path, file_cb, run); }

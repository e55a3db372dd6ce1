/* mpavs evm — the EVM engine: statetest (Ethereum state test fixtures, geth `evm statetest` conventions). */
#include "cli.h"
#include "commands.h"
#include "evm_blocktest.h"
#include "evm_statetest.h"

#include "mpavs/hex.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

static int cmd_evm_statetest(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs evm statetest [--fork NAME] [--json] PATH...\n\n"
                       "Runs Ethereum state test fixtures (files, or directories recursively): every post entry of\n"
                       "the selected fork (default: Cancun, Prague and Osaka where present), every data/gas/value\n"
                       "index. Prints one line per failing case (name, fork, index, expected and actual state root),\n"
                       "or with --json one geth-style object per case, then `N passed, N failed, N skipped`\n"
                       "(skipped: the case called a precompile libmpavs has no engine for; reasons counted).\n"
                       "Exit status 0 only when nothing failed.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    statetest_run run;
    memset(&run, 0, sizeof run);
    run.out = stdout;
    run.json_first = true;
    const char *fork = cli_opt(&a, "fork");
    run.json = cli_flag(&a, "json");
    char *pos[CLI_MAX_ARGS];
    int n = cli_positionals(&a, pos, CLI_MAX_ARGS);
    if (n < 0) return 2;
    if (n == 0) return cli_usage_error("evm statetest: expected at least one PATH");
    if (fork) {
        mpavs_evm_fork f;
        if (mpavs_evm_fork_parse(&f, fork) != MPAVS_EVM_OK)
            return cli_usage_error("evm statetest: unknown fork %s (Cancun, Prague, Osaka)", fork);
        run.forks[f] = true;
    } else {
        for (int i = 0; i < MPAVS_EVM_FORK_COUNT; i++) run.forks[i] = true;
    }
    bool ok = true;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) ok &= statetest_path(&run, pos[i]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (run.json) fputs(run.json_first ? "[]\n" : "]\n", stdout);
    size_t p = 0, f = 0, s = 0;
    for (int i = 0; i < MPAVS_EVM_FORK_COUNT; i++) {
        p += run.passed[i], f += run.failed[i], s += run.skipped[i];
        if (run.passed[i] + run.failed[i] + run.skipped[i])
            fprintf(stderr, "%s: %zu passed, %zu failed, %zu skipped\n", mpavs_evm_fork_name((mpavs_evm_fork)i),
                    run.passed[i], run.failed[i], run.skipped[i]);
    }
    fprintf(stderr, "gas used: %llu in %.2f s, %.2f s executing (%.1f Mgas/s executing)\n", (unsigned long long)run.gas,
            secs, run.exec_seconds, run.exec_seconds > 0 ? (double)run.gas / run.exec_seconds / 1e6 : 0.0);
    for (size_t i = 0; i < run.n_skip_reasons; i++)
        fprintf(stderr, "skipped: %zu %s\n", run.skip_reasons[i].count, run.skip_reasons[i].reason);
    fprintf(run.json ? stderr : stdout, "%zu passed, %zu failed, %zu skipped\n", p, f, s);
    return ok && f == 0 ? 0 : 1;
}


/* ---- mpavs evm run -------------------------------------------------------------------------- */

typedef struct {
    uint8_t target[20];
    json_t *storage;
} run_sink_ctx;

static int run_sink_account(void *ctx, const uint8_t addr[20], const mpavs_evm_account *acct, const uint8_t *code,
                            size_t code_len, bool clear_storage) {
    (void)ctx, (void)addr, (void)acct, (void)code, (void)code_len, (void)clear_storage;
    return 0;
}

static int run_sink_storage(void *ctx, const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]) {
    run_sink_ctx *c = ctx;
    if (memcmp(addr, c->target, 20)) return 0;
    char k[67], v[67];
    if (mpavs_hex_encode(k, sizeof k, key, 32, true) || mpavs_hex_encode(v, sizeof v, value, 32, true)) return 1;
    json_object_set_new(c->storage, k, json_string(v));
    return 0;
}

static bool parse_u64_opt(uint64_t *v, const char *s) {
    mpavs_u256 u;
    if (mpavs_u256_parse(&u, s, strlen(s)) != MPAVS_U256_OK || u.w[1] || u.w[2] || u.w[3]) return false;
    *v = u.w[0];
    return true;
}

static int cmd_evm_run(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs evm run --code HEX [--input HEX] [--gas N] [--value N] [--fork NAME]\n"
                       "                    [--sender ADDR] [--to ADDR] [--basefee N] [--auth-self]\n\n"
                       "Runs one transaction (type 2, from --sender with ample balance) to the account --to holding\n"
                       "--code, as geth's `evm run` does, and prints one JSON object: status, gasUsed (after refund\n"
                       "and the EIP-7623 floor), output and the target's written storage slots. Default fork Osaka,\n"
                       "gas 10000000. --auth-self makes it an EIP-7702 transaction whose sender (an existing\n"
                       "account) authorizes delegation to --to (chain 31337, nonce + 1) and calls itself: the code\n"
                       "runs in the sender's account, whose storage is printed.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *code_hex = cli_opt(&a, "code"), *input_hex = cli_opt(&a, "input"), *gas_s = cli_opt(&a, "gas");
    const char *value_s = cli_opt(&a, "value"), *fork_s = cli_opt(&a, "fork"), *sender_s = cli_opt(&a, "sender");
    const char *to_s = cli_opt(&a, "to"), *basefee_s = cli_opt(&a, "basefee");
    bool self_delegate = cli_flag(&a, "auth-self");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("evm run: no positional arguments");
    if (!code_hex) return cli_usage_error("evm run: --code HEX is required");
    mpavs_evm_fork fork = MPAVS_EVM_OSAKA;
    if (fork_s && mpavs_evm_fork_parse(&fork, fork_s)) return cli_usage_error("evm run: unknown fork %s", fork_s);
    uint64_t gas = 10000000, basefee = 7;
    mpavs_u256 value = mpavs_u256_from_u64(0);
    if (gas_s && !parse_u64_opt(&gas, gas_s)) return cli_usage_error("evm run: bad --gas");
    if (basefee_s && !parse_u64_opt(&basefee, basefee_s)) return cli_usage_error("evm run: bad --basefee");
    if (value_s && mpavs_u256_parse(&value, value_s, strlen(value_s))) return cli_usage_error("evm run: bad --value");
    uint8_t sender[20] = {0xf3, 0x9f, 0xd6, 0xe5, 0x1a, 0xad, 0x88, 0xf6, 0xf4, 0xce,
                          0x6a, 0xb8, 0x82, 0x72, 0x79, 0xcf, 0xff, 0xb9, 0x22, 0x66};
    uint8_t to[20] = {0x11, [19] = 0x22};
    if (sender_s && mpavs_hex_decode_exact(sender, 20, sender_s)) return cli_usage_error("evm run: bad --sender");
    if (to_s && mpavs_hex_decode_exact(to, 20, to_s)) return cli_usage_error("evm run: bad --to");
    size_t code_len = 0, input_len = 0;
    uint8_t *code = cli_parse_hex("evm run --code", code_hex, &code_len), *input = NULL;
    if (!code) return 2;
    if (input_hex && !(input = cli_parse_hex("evm run --input", input_hex, &input_len))) {
        free(code);
        return 2;
    }
    int rc = 1;
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    mpavs_evm_state *st = NULL;
    mpavs_evm_tx_result res;
    memset(&res, 0, sizeof res);
    mpavs_u256 rich = mpavs_u256_from_u64(UINT64_MAX), zero = mpavs_u256_from_u64(0);
    if (!ms || mpavs_evm_memstate_set_account(ms, sender, 0, &rich, NULL, 0) ||
        mpavs_evm_memstate_set_account(ms, to, 0, &zero, code, code_len)) {
        cli_error("evm run: out of memory");
        goto out;
    }
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, ms);
    st = mpavs_evm_state_create(&src);
    if (!st) goto out;
    mpavs_evm_block blk;
    memset(&blk, 0, sizeof blk);
    blk.fork = fork;
    blk.number = 1;
    blk.timestamp = 1;
    blk.gas_limit = 30000000;
    blk.base_fee = mpavs_u256_from_u64(basefee);
    blk.blob_base_fee = mpavs_u256_from_u64(1);
    blk.chain_id = 31337;
    mpavs_evm_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.type = 2;
    memcpy(tx.sender, sender, 20);
    memcpy(tx.to, to, 20);
    mpavs_evm_authorization auth;
    if (self_delegate) {
        memset(&auth, 0, sizeof auth);
        auth.chain_id = mpavs_u256_from_u64(blk.chain_id);
        memcpy(auth.address, to, 20);
        auth.nonce = 1;
        auth.authority_valid = true;
        memcpy(auth.authority, sender, 20);
        tx.type = 4;
        tx.auths = &auth;
        tx.n_auths = 1;
        memcpy(tx.to, sender, 20);
    }
    tx.gas_limit = gas;
    tx.max_fee = mpavs_u256_from_u64(basefee * 2 + 1);
    tx.max_priority_fee = mpavs_u256_from_u64(1);
    tx.value = value;
    tx.data = input;
    tx.data_len = input_len;
    int r = mpavs_evm_execute_tx(st, &res, &blk, &tx);
    json_t *o = json_object();
    if (r) {
        json_object_set_new(o, "error", json_string(mpavs_evm_strerror(r)));
    } else {
        static const char *const STATUS[] = {"success", "revert", "failure"};
        json_object_set_new(o, "status", json_string(STATUS[res.status]));
        json_object_set_new(o, "gasUsed", json_integer((json_int_t)res.gas_used));
        char *out_hex = malloc(res.output_len * 2 + 3);
        if (out_hex && mpavs_hex_encode(out_hex, res.output_len * 2 + 3, res.output, res.output_len, true) == 0)
            json_object_set_new(o, "output", json_string(out_hex));
        free(out_hex);
        run_sink_ctx sc;
        memcpy(sc.target, self_delegate ? sender : to, 20);
        sc.storage = json_object();
        mpavs_evm_sink sink = {&sc, run_sink_account, run_sink_storage};
        if (mpavs_evm_state_commit(st, &sink) == MPAVS_EVM_OK) rc = 0;
        json_object_set_new(o, "storage", sc.storage);
    }
    char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    if (txt) puts(txt);
    free(txt);
    json_decref(o);
out:
    mpavs_evm_tx_result_clear(&res);
    mpavs_evm_state_destroy(st);
    mpavs_evm_memstate_destroy(ms);
    free(code);
    free(input);
    return rc;
}

static int cmd_evm_blocktest(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs evm blocktest [--json] [--refusals] PATH...\n\n"
                       "Runs Ethereum blockchain test fixtures (files, or directories recursively): the genesis state\n"
                       "from `pre` (its header hash checked), each block imported from its RLP (blocks with\n"
                       "expectException must be refused), the head compared with lastblockhash and its state with\n"
                       "postState/postStateHash. Prints one line per failing case, or with --json one geth-style object\n"
                       "per case, then `N passed, N failed, N skipped` (skipped: a network whose rules are not\n"
                       "implemented, or a block calling a precompile libmpavs has no engine for). --refusals also prints\n"
                       "each expected refusal: REFUSED NAME NETWORK block N (EXPECTED EXCEPTION): REASON. Exit status 0\n"
                       "only when nothing failed.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    blocktest_run run;
    memset(&run, 0, sizeof run);
    run.out = stdout;
    run.json_first = true;
    run.json = cli_flag(&a, "json");
    run.refusals = cli_flag(&a, "refusals");
    char *pos[CLI_MAX_ARGS];
    int n = cli_positionals(&a, pos, CLI_MAX_ARGS);
    if (n < 0) return 2;
    if (n == 0) return cli_usage_error("evm blocktest: expected at least one PATH");
    bool ok = true;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) ok &= blocktest_path(&run, pos[i]);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (run.json) fputs(run.json_first ? "[]\n" : "\n]\n", stdout);
    fprintf(stderr, "blocks executed: %zu (gas used by the accepted ones %llu) in %.2f s, %.2f s of it in block execution\n",
            run.blocks, (unsigned long long)run.gas, secs, run.exec_seconds);
    for (size_t i = 0; i < run.n_skip_reasons; i++)
        fprintf(stderr, "skipped: %zu %s\n", run.skip_reasons[i].count, run.skip_reasons[i].reason);
    fprintf(run.json ? stderr : stdout, "%zu passed, %zu failed, %zu skipped\n", run.passed, run.failed, run.skipped);
    return ok && run.failed == 0 ? 0 : 1;
}

static const cli_command EVM_COMMANDS[] = {
    {"blocktest", "run Ethereum blockchain test fixtures (geth evm blocktest conventions)", cmd_evm_blocktest},
    {"run", "run one transaction against given code, print status, gas used and storage (geth evm run)", cmd_evm_run},
    {"statetest", "run Ethereum state test fixtures (geth evm statetest conventions)", cmd_evm_statetest},
};

int cmd_evm(int argc, char **argv) {
    return cli_dispatch("mpavs evm", EVM_COMMANDS, sizeof EVM_COMMANDS / sizeof EVM_COMMANDS[0], argc, argv);
}

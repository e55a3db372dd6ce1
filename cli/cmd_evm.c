/* mpavs evm — the EVM engine: statetest (Ethereum state test fixtures, geth `evm statetest` conventions). */
#include "cli.h"
#include "commands.h"
#include "evm_blocktest.h"
#include "evm_statetest.h"

#include <stdio.h>
#include <time.h>
#include <string.h>

static int cmd_evm_statetest(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        puts("usage: mpavs evm statetest [--fork NAME] [--json] PATH...\n\n"
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

static int cmd_evm_blocktest(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        puts("usage: mpavs evm blocktest [--json] [--refusals] PATH...\n\n"
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
    fprintf(stderr, "blocks executed: %zu in %.2f s\n", run.blocks, secs);
    for (size_t i = 0; i < run.n_skip_reasons; i++)
        fprintf(stderr, "skipped: %zu %s\n", run.skip_reasons[i].count, run.skip_reasons[i].reason);
    fprintf(run.json ? stderr : stdout, "%zu passed, %zu failed, %zu skipped\n", run.passed, run.failed, run.skipped);
    return ok && run.failed == 0 ? 0 : 1;
}

static const cli_command EVM_COMMANDS[] = {
    {"blocktest", "run Ethereum blockchain test fixtures (geth evm blocktest conventions)", cmd_evm_blocktest},
    {"statetest", "run Ethereum state test fixtures (geth evm statetest conventions)", cmd_evm_statetest},
};

int cmd_evm(int argc, char **argv) {
    return cli_dispatch("mpavs evm", EVM_COMMANDS, sizeof EVM_COMMANDS / sizeof EVM_COMMANDS[0], argc, argv);
}

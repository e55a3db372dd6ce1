/* cli/evm_statetest.h — running Ethereum state test fixtures (`mpavs evm statetest`). */
#ifndef MPAVS_CLI_EVM_STATETEST_H
#define MPAVS_CLI_EVM_STATETEST_H

#include "mpavs/evm.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define STATETEST_MAX_SKIP_REASONS 32

/** Counters and options of one run. */
typedef struct {
    bool forks[MPAVS_EVM_FORK_COUNT]; /* which post entries to run */
    bool json;                        /* geth-style JSON objects instead of failure lines */
    bool json_first;                  /* no JSON object printed yet */
    FILE *out;
    size_t passed[MPAVS_EVM_FORK_COUNT], failed[MPAVS_EVM_FORK_COUNT], skipped[MPAVS_EVM_FORK_COUNT];
    size_t bad_files; /* unreadable fixtures (each also counted as one failure) */
    struct {
        char reason[64];
        size_t count;
    } skip_reasons[STATETEST_MAX_SKIP_REASONS];
    size_t n_skip_reasons;
    uint64_t gas;        /* gas used by the transactions run (for throughput figures) */
    double exec_seconds; /* time spent in mpavs_evm_execute_tx */
} statetest_run;

/** Run every test of one fixture file; results are added to *run. */
void statetest_file(statetest_run *run, const char *path);

/** Run a file or (recursively, in name order) every *.json under a directory. Returns false if unreadable. */
bool statetest_path(statetest_run *run, const char *path);

#endif

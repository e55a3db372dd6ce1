/* cli/evm_blocktest.h — running Ethereum blockchain test fixtures (`mpavs evm blocktest`). */
#ifndef MPAVS_CLI_EVM_BLOCKTEST_H
#define MPAVS_CLI_EVM_BLOCKTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define BLOCKTEST_MAX_SKIP_REASONS 16

/** Counters and options of one run. */
typedef struct {
    bool json;       /* geth-style JSON objects instead of failure lines */
    bool json_first; /* no JSON object printed yet */
    bool refusals;   /* print each expected refusal with its reason (REFUSED lines) */
    FILE *out;
    size_t passed, failed, skipped;
    size_t blocks;   /* blocks executed (valid and refused) */
    uint64_t gas;    /* gas used by the accepted blocks */
    double exec_seconds; /* time in mpavs_blockexec_execute for the imported blocks */
    struct {
        char reason[96];
        size_t count;
    } skip_reasons[BLOCKTEST_MAX_SKIP_REASONS];
    size_t n_skip_reasons;
} blocktest_run;

/** Run every test of one fixture file; results are added to *run. */
void blocktest_file(blocktest_run *run, const char *path);

/** Run a file or (recursively, in name order) every *.json under a directory. Returns false if unreadable. */
bool blocktest_path(blocktest_run *run, const char *path);

#endif

/*
 * bench/bench_blockexec.c — block import throughput (blocks/s of mpavs_blockexec_execute:
 * header checks, system calls, sender recovery, transactions, withdrawals, receipts and the state
 * root) on the Ethereum blockchain tests: BlockchainTests/ValidBlocks/bcStateTests, bcWalletTest
 * and the whole ValidBlocks tree. Only mpavs_blockexec_execute of imported blocks is timed (not the
 * JSON, the genesis state or the post-state check). Median of 3 runs. Never fails. Gas per second is
 * printed too but says little here: many fixture transactions end in an exceptional halt that
 * consumes their whole gas limit at once.
 *
 * The blockchain test runner of the CLI is compiled into this translation unit (the bench link
 * rule links only libmpavs.a).
 */
#include "../cli/evm_blocktest.c"

#include <stdio.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    const char *root = getenv("MPAVS_ROOT");
    char base[4096];
    snprintf(base, sizeof base, "%s/../shared/vectors/ethtests/BlockchainTests/ValidBlocks", root ? root : ".");
    static const char *const DIRS[] = {"bcStateTests", "bcWalletTest", "."};
    FILE *devnull = fopen("/dev/null", "w");
    for (size_t d = 0; d < sizeof DIRS / sizeof DIRS[0]; d++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", base, DIRS[d]);
        double mgas[3], bps[3];
        blocktest_run run;
        for (int rep = 0; rep < 3; rep++) {
            memset(&run, 0, sizeof run);
            run.out = devnull ? devnull : stdout;
            if (!blocktest_path(&run, path)) {
                printf("bench_blockexec: %s not readable (fixtures in ../shared)\n", path);
                return 0;
            }
            mgas[rep] = run.exec_seconds > 0 ? (double)run.gas / run.exec_seconds / 1e6 : 0;
            bps[rep] = run.exec_seconds > 0 ? (double)run.blocks / run.exec_seconds : 0;
        }
        qsort(mgas, 3, sizeof mgas[0], cmp_double);
        qsort(bps, 3, sizeof bps[0], cmp_double);
        printf("ValidBlocks/%-14s %4zu tests (%zu failed), %5zu blocks: %7.0f blocks/s, %.3f ms/block (median of 3; "
               "blocks/s min %.0f, max %.0f); %llu gas, %.0f Mgas/s\n",
               DIRS[d], run.passed + run.failed, run.failed, run.blocks, bps[1], bps[1] > 0 ? 1e3 / bps[1] : 0.0, bps[0],
               bps[2], (unsigned long long)run.gas, mgas[1]);
    }
    if (devnull) fclose(devnull);
    return 0;
}

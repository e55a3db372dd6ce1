/*
 * bench/bench_evm.c — interpreter throughput (Mgas/s) on compute-heavy Ethereum state tests:
 * GeneralStateTests/VMTests/vmPerformance (loops of arithmetic, EXP, calls) and
 * stQuadraticComplexityTest (large calldata and memory, many calls), Cancun post entries.
 * Only mpavs_evm_execute_tx is timed (not the JSON, the pre-state build or the state root).
 * Prints the median of 3 runs per directory and its ratio to the issue #12 target (300 Mgas/s on
 * compute). Never fails (a failing case is reported). Synthetic workloads: bench_evmload.c.
 *
 * The state test runner of the CLI is compiled into this translation unit (the bench link rule
 * links only libmpavs.a).
 */
#include "../cli/evm_statetest.c"

#include <stdio.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void) {
    const char *root = getenv("MPAVS_ROOT");
    char base[4096];
    snprintf(base, sizeof base, "%s/../shared/vectors/ethtests/GeneralStateTests", root ? root : ".");
    static const char *const DIRS[] = {"VMTests/vmPerformance", "stQuadraticComplexityTest"};
    FILE *devnull = fopen("/dev/null", "w");
    for (size_t d = 0; d < sizeof DIRS / sizeof DIRS[0]; d++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", base, DIRS[d]);
        double mgas[3];
        uint64_t gas = 0;
        size_t failed = 0, passed = 0;
        for (int rep = 0; rep < 3; rep++) {
            statetest_run run;
            memset(&run, 0, sizeof run);
            run.forks[MPAVS_EVM_CANCUN] = true;
            run.out = devnull ? devnull : stdout;
            if (!statetest_path(&run, path)) {
                printf("bench_evm: %s not readable (fixtures in ../shared)\n", path);
                return 0;
            }
            gas = run.gas;
            passed = run.passed[MPAVS_EVM_CANCUN];
            failed = run.failed[MPAVS_EVM_CANCUN];
            mgas[rep] = run.exec_seconds > 0 ? (double)run.gas / run.exec_seconds / 1e6 : 0;
        }
        qsort(mgas, 3, sizeof mgas[0], cmp_double);
        printf("%-28s %6zu cases (%zu failed), %12llu gas: %7.1f Mgas/s (median of 3; min %.1f, max %.1f)\n",
               DIRS[d], passed + failed, failed, (unsigned long long)gas, mgas[1], mgas[0], mgas[2]);
        printf("%-28s target >= 300 Mgas/s on compute (issue #12): %.2fx of target\n", "", mgas[1] / 300.0);
    }
    if (devnull) fclose(devnull);
    return 0;
}

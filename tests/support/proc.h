/*
 * tests/support/proc.h — start and stop the real daemons (or any program) in integration tests.
 *
 * harness_proc_start() fork/execs a program with its stdout and stderr appended to a log file,
 * sets PR_SET_PDEATHSIG so the child dies with the test, and registers it with the anvil
 * harness's child list so it is SIGKILLed at exit and on SIGINT/SIGTERM/SIGABRT even when the
 * test fails half-way. harness_proc_wait_port() waits until it listens.
 */
#ifndef MPAVS_TEST_PROC_H
#define MPAVS_TEST_PROC_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    char log[512]; /* where its output goes */
} harness_proc;

/*
 * Start argv[0] (a path; "build/…" paths are resolved against MPAVS_ROOT, and "build/mpavs-*"
 * against MPAVS_DAEMON_BUILD instead of build/ when that is set, e.g. build/asan) with argv
 * (NULL-terminated) and extra environment entries env ("K=V", NULL-terminated, may be NULL).
 * Output is appended to log_path. Returns false when fork/exec failed.
 */
bool harness_proc_start(harness_proc *p, const char *const *argv, const char *const *env, const char *log_path);
/* Wait up to timeout_ms for 127.0.0.1:port to accept connections; false if it did not or the process died. */
bool harness_proc_wait_port(harness_proc *p, int port, long timeout_ms);
/* True while the process has not exited (reaps it when it has; *status gets its wait status). */
bool harness_proc_alive(harness_proc *p, int *status);
/* Send sig (SIGTERM: then wait up to timeout_ms, SIGKILL after). Returns the wait status, or -1. */
int harness_proc_stop(harness_proc *p, int sig, long timeout_ms);
/* Milliseconds it took the last harness_proc_stop to see the process exit. */
long harness_proc_last_stop_ms(void);
/* Sleep ms milliseconds. */
void harness_sleep_ms(long ms);
/* Monotonic clock in milliseconds. */
long long harness_now_ms(void);

#endif

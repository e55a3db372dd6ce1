#include "proc.h"
#include "anvil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long last_stop_ms;

void harness_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

long long harness_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool harness_proc_start(harness_proc *p, const char *const *argv, const char *const *env, const char *log_path) {
    memset(p, 0, sizeof *p);
    harness_children_hook();
    snprintf(p->log, sizeof p->log, "%s", log_path ? log_path : "/dev/null");
    char bin[4096];
    const char *root = getenv("MPAVS_ROOT"), *dbuild = getenv("MPAVS_DAEMON_BUILD");
    const char *prog = argv[0];
    char swapped[1024];
    if (dbuild && *dbuild && !strncmp(prog, "build/mpavs-", 12)) { /* e.g. the ASan+UBSan daemons */
        snprintf(swapped, sizeof swapped, "%s/%s", dbuild, prog + 6);
        prog = swapped;
    }
    if (prog[0] != '/' && root)
        snprintf(bin, sizeof bin, "%s/%s", root, prog);
    else
        snprintf(bin, sizeof bin, "%s", prog);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(126);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGABRT, SIG_DFL);
        int fd = open(p->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        for (int i = 0; env && env[i]; i++) putenv((char *)env[i]);
        execve(bin, (char *const *)argv, environ);
        fprintf(stderr, "exec %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    p->pid = pid;
    harness_child_register(pid);
    return true;
}

bool harness_proc_alive(harness_proc *p, int *status) {
    if (p->pid <= 0) return false;
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
        if (status) *status = st;
        harness_child_forget(p->pid);
        p->pid = 0;
        return false;
    }
    return true;
}

bool harness_proc_wait_port(harness_proc *p, int port, long timeout_ms) {
    long long end = harness_now_ms() + timeout_ms;
    while (harness_now_ms() < end) {
        if (harness_port_open(port)) return true;
        if (!harness_proc_alive(p, NULL)) return false;
        harness_sleep_ms(50);
    }
    return false;
}

int harness_proc_stop(harness_proc *p, int sig, long timeout_ms) {
    if (p->pid <= 0) return -1;
    long long t0 = harness_now_ms();
    kill(p->pid, sig);
    int st = -1;
    long long end = t0 + (timeout_ms > 0 ? timeout_ms : 5000);
    for (;;) {
        pid_t r = waitpid(p->pid, &st, WNOHANG);
        if (r == p->pid) break;
        if (harness_now_ms() >= end) {
            kill(p->pid, SIGKILL);
            waitpid(p->pid, &st, 0);
            break;
        }
        harness_sleep_ms(10);
    }
    last_stop_ms = (long)(harness_now_ms() - t0);
    harness_child_forget(p->pid);
    p->pid = 0;
    return st;
}

long harness_proc_last_stop_ms(void) { return last_stop_ms; }

/* cli/devnet_proc.c — the child processes of `mpavs devnet up`. */
#include "devnet_up.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int dv_fmt(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return k >= 0 && (size_t)k < cap ? 0 : -1;
}

long long dv_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dv_sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* In the child after fork: only async-signal-safe calls until exec. */
static void child_exec(char *const *argv, const char *log, int errfd, pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127); /* the orchestrator died before prctl */
    setpgid(0, 0);                       /* Ctrl-C reaches the orchestrator only; it stops us in order */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0) goto fail;
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) goto fail;
    close(in);
    close(out);
    execvp(argv[0], argv);
fail:;
    int e = errno;
    ssize_t w = write(errfd, &e, sizeof e);
    (void)w;
    _exit(127);
}

bool dv_proc_start(dv_proc *p, char *const *argv) {
    int pfd[2];
    if (pipe(pfd) != 0) return false;
    fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    fcntl(pfd[1], F_SETFD, FD_CLOEXEC);
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return false;
    }
    if (pid == 0) {
        close(pfd[0]);
        child_exec(argv, p->log, pfd[1], parent);
    }
    close(pfd[1]);
    setpgid(pid, pid); /* also from here: no window where a terminal signal reaches it */
    int e = 0;
    ssize_t r;
    do r = read(pfd[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(pfd[0]);
    if (r == (ssize_t)sizeof e) { /* exec failed */
        waitpid(pid, NULL, 0);
        FILE *f = fopen(p->log, "a");
        if (f) {
            fprintf(f, "devnet up: cannot run %s: %s\n", argv[0], strerror(e));
            fclose(f);
        }
        p->pid = 0;
        p->status = DV_DOWN;
        p->wait_status = 127 << 8;
        return false;
    }
    p->pid = pid;
    p->status = DV_UP;
    p->reported = false;
    return true;
}

/* Whether the running process p has ended (reaped without waiting; its wait status kept in p). */
static bool ended(dv_proc *p) {
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r != p->pid && !(r < 0 && errno == ECHILD)) return false;
    p->wait_status = r == p->pid ? st : 0;
    return true;
}

int dv_proc_reap(dv_proc *procs, size_t n) {
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        dv_proc *p = &procs[i];
        if (p->status != DV_UP || p->pid <= 0) continue;
        if (ended(p)) {
            p->status = DV_DOWN;
            changed++;
        }
    }
    return changed;
}

void dv_proc_stop_all(dv_proc *procs, size_t n, long timeout_ms) {
    for (size_t i = n; i-- > 0;)
        if (procs[i].status == DV_UP && procs[i].pid > 0) kill(procs[i].pid, SIGTERM);
    long long deadline = dv_now_ms() + timeout_ms;
    for (;;) {
        size_t up = 0;
        for (size_t i = 0; i < n; i++) {
            dv_proc *p = &procs[i];
            if (p->status != DV_UP || p->pid <= 0) continue;
            if (ended(p)) p->status = DV_STOPPED;
            else up++;
        }
        if (up == 0 || dv_now_ms() >= deadline) break;
        dv_sleep_ms(50);
    }
    for (size_t i = 0; i < n; i++) {
        dv_proc *p = &procs[i];
        if (p->pid <= 0) continue;
        kill(-p->pid, SIGKILL); /* its group: whatever it started too (anvil's node wrapper) */
        if (p->status == DV_UP) {
            kill(p->pid, SIGKILL);
            int st = 0;
            while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR) {
            }
            p->status = DV_STOPPED;
            p->wait_status = st;
        }
    }
}

void dv_status_text(char *out, size_t cap, int st) {
    if (WIFEXITED(st)) snprintf(out, cap, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st)) snprintf(out, cap, "signal %d", WTERMSIG(st));
    else snprintf(out, cap, "status %d", st);
}

void dv_log_tail(char *out, size_t cap, const char *path, int lines) {
    out[0] = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char buf[8192];
    long start = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        start = size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0;
    }
    fseek(f, start, SEEK_SET);
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = 0;
    while (len > 0 && buf[len - 1] == '\n') buf[--len] = 0;
    size_t pos = len;
    int seen = 0;
    while (pos > 0) {
        if (buf[pos - 1] == '\n' && ++seen == lines) break;
        pos--;
    }
    snprintf(out, cap, "%s", buf + pos);
}

int dv_free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static bool port_open(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

bool dv_wait_port(dv_proc *p, int port, long timeout_ms, volatile const int *cancel) {
    long long deadline = dv_now_ms() + timeout_ms;
    while (dv_now_ms() < deadline) {
        if (port_open(port)) return true;
        if (cancel && *cancel) return false;
        if (p && (dv_proc_reap(p, 1), p->status != DV_UP)) return false;
        dv_sleep_ms(50);
    }
    return false;
}

#include "anvil.h"
#include "harness.h"

#include "mpavs/abi.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 64
static pid_t children[MAX_CHILDREN];

static void kill_children(void) {
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] > 0) {
            kill(children[i], SIGKILL);
            waitpid(children[i], NULL, 0);
            children[i] = 0;
        }
}

static void on_signal(int sig) {
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] > 0) kill(children[i], SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool port_open(int port);

/* Whether a loopback port binds now (SO_REUSEADDR off: a port in TIME_WAIT counts as taken). */
static bool port_binds(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons((uint16_t)port);
    bool ok = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

/* The low end of the kernel's ephemeral port range (outgoing connections' local ports). */
static int ephemeral_low(void) {
    int lo = 32768, hi = 60999;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d %d", &lo, &hi) != 2) lo = 32768;
        fclose(f);
    }
    return lo;
}

int harness_free_port(void) {
    /* below the ephemeral range: a port the kernel hands out for bind(0) is also where outgoing
       connections take their local ports, so under load one of them could take it before the
       caller binds it; a random start keeps parallel tests apart */
    static unsigned seed;
    if (!seed) seed = (unsigned)getpid() * 2654435761u ^ (unsigned)time(NULL);
    int lo = 20000, hi = ephemeral_low();
    if (hi - lo >= 1000) {
        int span = hi - lo;
        int start = (int)(rand_r(&seed) % (unsigned)span);
        static int given[64]; /* handed out lately (perhaps not bound yet): not again */
        static size_t ngiven;
        for (int k = 0; k < 200; k++) {
            int p = lo + (start + k * 7919) % span;
            bool recent = false;
            for (size_t i = 0; i < 64 && !recent; i++) recent = given[i] == p;
            if (recent || !port_binds(p)) continue;
            given[ngiven++ % 64] = p;
            return p;
        }
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0); /* a narrow or crowded range: let the kernel pick */
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

void harness_child_register(pid_t pid) {
    harness_children_hook();
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] == 0) {
            children[i] = pid;
            return;
        }
}

void harness_child_forget(pid_t pid) {
    for (int i = 0; i < MAX_CHILDREN; i++)
        if (children[i] == pid) children[i] = 0;
}

void harness_children_hook(void) {
    static bool hooked;
    if (hooked) return;
    atexit(kill_children);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGABRT, on_signal);
    hooked = true;
}

bool harness_port_open(int port) { return port_open(port); }

static bool port_open(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    if (fd >= 0) close(fd);
    return ok;
}

bool harness_anvil_start(harness_anvil *a, const char *const *extra) {
    harness_children_hook();
    memset(a, 0, sizeof *a);
    for (int attempt = 0; attempt < 5; attempt++) {
        a->port = harness_free_port();
        char port[16], bin[4096];
        snprintf(port, sizeof port, "%d", a->port);
        const char *root = getenv("MPAVS_ROOT");
        snprintf(bin, sizeof bin, "%s/.tools/bin/anvil", root ? root : ".");
        const char *argv[40] = {bin, "--port", port, "--host", "127.0.0.1", "--silent"};
        int n = 6;
        for (int i = 0; extra && extra[i] && n < 38; i++) argv[n++] = extra[i];
        argv[n] = NULL;
        pid_t pid = fork();
        if (pid == 0) {
            execv(bin, (char *const *)argv);
            _exit(127);
        }
        if (pid < 0) return false;
        harness_child_register(pid);
        a->pid = pid;
        snprintf(a->url, sizeof a->url, "http://127.0.0.1:%d", a->port);
        for (int i = 0; i < 300; i++) { /* up to 30 s */
            if (port_open(a->port)) return true;
            int st;
            if (waitpid(pid, &st, WNOHANG) == pid) break; /* died (port taken?): retry */
            struct timespec ts = {0, 100000000L};
            nanosleep(&ts, NULL);
        }
        harness_anvil_stop(a);
    }
    return false;
}

void harness_anvil_stop(harness_anvil *a) {
    if (a->pid <= 0) return;
    kill(a->pid, SIGTERM);
    for (int i = 0; i < 50; i++) {
        if (waitpid(a->pid, NULL, WNOHANG) == a->pid) goto reaped;
        struct timespec ts = {0, 20000000L};
        nanosleep(&ts, NULL);
    }
    kill(a->pid, SIGKILL);
    waitpid(a->pid, NULL, 0);
reaped:
    harness_child_forget(a->pid);
    a->pid = 0;
}

unsigned char *harness_calldata(size_t *len, const char *sigtext, const char *const *args, size_t n) {
    mpavs_abi_signature *sig;
    if (mpavs_abi_signature_parse(&sig, sigtext)) return NULL;
    mpavs_abi_value *t = mpavs_abi_value_new(sig->inputs);
    uint8_t *out = NULL;
    for (size_t i = 0; t && i < n; i++) {
        mpavs_abi_value *v;
        if (mpavs_abi_value_parse(&v, sig->inputs->fields[i], args[i])) goto done;
        mpavs_abi_value_move(&t->items[i], v);
    }
    if (!t || mpavs_abi_encode_call(&out, len, sig, t)) out = NULL;
done:
    mpavs_abi_value_free(t);
    mpavs_abi_signature_free(sig);
    return out;
}

/* daemons/common/signals.c — see signals.h. */
#include "signals.h"

#include <signal.h>
#include <string.h>
#include <time.h>

/* Signal handlers can only communicate through static sig_atomic_t objects. */
static volatile sig_atomic_t g_stop = 0;
static volatile sig_atomic_t g_signo = 0;

static void on_signal(int signo) {
    g_signo = signo;
    g_stop = 1;
}

bool dsig_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0) return false;
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    return sigaction(SIGPIPE, &ign, NULL) == 0;
}

bool dsig_stop_requested(void) { return g_stop != 0; }
void dsig_request_stop(void) { g_stop = 1; }
int dsig_signal(void) { return (int)g_signo; }

bool dsig_wait(long timeout_ms) {
    while (!g_stop && timeout_ms > 0) {
        long step = timeout_ms < 50 ? timeout_ms : 50;
        struct timespec ts = {0, step * 1000000L};
        nanosleep(&ts, NULL);
        timeout_ms -= step;
    }
    return g_stop != 0;
}

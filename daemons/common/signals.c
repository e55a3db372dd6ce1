/* daemons/common/signals.c — see signals.h. */
#include "common/signals.h"

#include "common/log.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

/* What a handler may touch: the token (lock-free atomics, write(2)) and these atomics. */
static drt_stop *_Atomic g_token;
static atomic_int g_signo;
static atomic_uint g_hups;

static void on_stop(int signo) {
    atomic_store(&g_signo, signo);
    drt_stop *t = atomic_load(&g_token);
    if (t) drt_stop_request(t);
}

static void on_hup(int signo) {
    (void)signo;
    atomic_fetch_add(&g_hups, 1);
}

bool dsig_install(drt_stop *token) {
    _Static_assert(ATOMIC_INT_LOCK_FREE == 2 && ATOMIC_POINTER_LOCK_FREE == 2, "signal handlers need lock-free atomics");
    _Static_assert(__atomic_always_lock_free(sizeof(int), 0), "the stop token needs a lock-free int");
    atomic_store(&g_token, token);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0) return false;
    sa.sa_handler = on_hup;
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGHUP, &sa, NULL) != 0) return false;
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    return sigaction(SIGPIPE, &ign, NULL) == 0;
}

int dsig_signal(void) { return atomic_load(&g_signo); }

unsigned dsig_hup(void) { return atomic_exchange(&g_hups, 0); }

bool dsig_main_wait(drt_stop *token, const char *daemon, long ms) {
    /* short slices so that a SIGHUP is logged within 200 ms */
    uint64_t end = drt_now_ms() + (uint64_t)(ms > 0 ? ms : 0);
    for (;;) {
        unsigned h = dsig_hup();
        if (h)
            dlog(DLOG_INFO, "sighup_ignored", "daemon=%s count=%u reason=\"configuration reload is not supported: "
                 "restart to apply a change\"", daemon, h);
        uint64_t now = drt_now_ms();
        if (drt_stopped(token) || now >= end) break;
        drt_stop_sleep(token, end - now < 200 ? (long)(end - now) : 200);
    }
    return drt_stopped(token);
}

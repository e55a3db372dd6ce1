/*
 * Unit tests of the daemons' runtime (daemons/common/runtime.c, signals.c): the stop token wakes
 * sleepers and pollers at once, threads are joined within a deadline (and a stuck one is
 * reported, not waited for), condition variables wait on CLOCK_MONOTONIC, and the signal
 * handlers only set the token (SIGTERM) or count (SIGHUP: the process survives it).
 */
#include "harness.h"

#include "common/runtime.h"
#include "common/signals.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

TEST(token_wakes_sleepers) {
    drt_stop s;
    REQUIRE(drt_stop_init(&s));
    CHECK(!drt_stopped(&s));
    CHECK(!drt_stopped(NULL));
    uint64_t t0 = drt_now_ms();
    CHECK(!drt_stop_sleep(&s, 120)); /* not stopped: sleeps the whole time */
    uint64_t slept = drt_now_ms() - t0;
    CHECK(slept >= 120 && slept < 1000);
    struct pollfd p = {.fd = drt_stop_fd(&s), .events = POLLIN};
    CHECK_EQ_INT(poll(&p, 1, 0), 0);
    drt_stop_request(&s);
    drt_stop_request(&s); /* idempotent */
    CHECK(drt_stopped(&s));
    CHECK_EQ_INT(poll(&p, 1, 0), 1); /* stays readable for every poller */
    CHECK_EQ_INT(poll(&p, 1, 0), 1);
    CHECK(*drt_stop_flag(&s) == 1);
    t0 = drt_now_ms();
    CHECK(drt_stop_sleep(&s, 10000));
    CHECK(drt_now_ms() - t0 < 50);
    drt_stop_destroy(&s);
    t0 = drt_now_ms();
    CHECK(!drt_stop_sleep(NULL, 30)); /* no token: a plain sleep */
    CHECK(drt_now_ms() - t0 >= 30);
}

typedef struct {
    drt_stop *s;
    uint64_t woke_ms;
} sleeper;

static void *sleep_long(void *arg) {
    sleeper *z = arg;
    drt_stop_sleep(z->s, 60000);
    z->woke_ms = drt_now_ms();
    return NULL;
}

static void *stuck(void *arg) {
    drt_stop *s = arg;
    while (!drt_stopped(s)) usleep(1000); /* ignores the token until the test sets it again */
    usleep(300000);
    return NULL;
}

TEST(threads_joined_with_deadline) {
    drt_stop s;
    REQUIRE(drt_stop_init(&s));
    drt_threads g;
    drt_threads_init(&g);
    sleeper z[3];
    for (int i = 0; i < 3; i++) {
        z[i] = (sleeper){&s, 0};
        REQUIRE(drt_spawn(&g, "sleeper", sleep_long, &z[i]));
    }
    usleep(50000);
    CHECK_EQ_INT(drt_join(&g, 0), 3); /* all still sleeping */
    uint64_t t0 = drt_now_ms();
    drt_stop_request(&s);
    CHECK_EQ_INT(drt_join(&g, 5000), 0);
    uint64_t took = drt_now_ms() - t0;
    CHECK(took < 500);
    for (int i = 0; i < 3; i++) CHECK(z[i].woke_ms >= t0 && z[i].woke_ms - t0 < 500);
    drt_threads_destroy(&g);

    /* a thread that does not return in time is reported, and joined by a later call */
    drt_threads_init(&g);
    REQUIRE(drt_spawn(&g, "stuck", stuck, &s));
    t0 = drt_now_ms();
    CHECK_EQ_INT(drt_join(&g, 100), 1);
    took = drt_now_ms() - t0;
    CHECK(took >= 100 && took < 290);
    CHECK_EQ_INT(drt_join(&g, 5000), 0);
    drt_threads_destroy(&g);
    drt_stop_destroy(&s);
}

TEST(monotonic_condvar) {
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv;
    REQUIRE(drt_cond_init(&cv) == 0);
    pthread_mutex_lock(&mu);
    uint64_t t0 = drt_now_ms();
    CHECK_EQ_INT(drt_cond_wait_ms(&cv, &mu, 80), ETIMEDOUT);
    uint64_t waited = drt_now_ms() - t0;
    CHECK(waited >= 79 && waited < 1000);
    struct timespec d;
    drt_deadline(&d, 0);
    CHECK(drt_deadline_passed(&d));
    drt_deadline(&d, 10000);
    CHECK(!drt_deadline_passed(&d));
    /* a deadline in CLOCK_MONOTONIC terms: a realtime-clock condvar would read it as 1970 and return at once */
    drt_deadline(&d, 60);
    t0 = drt_now_ms();
    CHECK_EQ_INT(drt_cond_wait_until(&cv, &mu, &d), ETIMEDOUT);
    CHECK(drt_now_ms() - t0 >= 55);
    pthread_mutex_unlock(&mu);
    pthread_cond_destroy(&cv);
}

TEST(signals_only_set_the_token) {
    drt_stop s;
    REQUIRE(drt_stop_init(&s));
    REQUIRE(dsig_install(&s));
    CHECK_EQ_INT(dsig_hup(), 0);
    raise(SIGHUP); /* the process survives it: counted, not stopped */
    raise(SIGHUP);
    CHECK(!drt_stopped(&s));
    CHECK_EQ_INT(dsig_hup(), 2);
    CHECK_EQ_INT(dsig_hup(), 0);
    raise(SIGPIPE); /* ignored */
    CHECK(!drt_stopped(&s));
    raise(SIGHUP);
    CHECK(!dsig_main_wait(&s, "test", 50)); /* logs the SIGHUP and goes on */
    CHECK_EQ_INT(dsig_hup(), 0);
    CHECK_EQ_INT(dsig_signal(), 0);
    raise(SIGTERM);
    CHECK(drt_stopped(&s));
    CHECK_EQ_INT(dsig_signal(), SIGTERM);
    uint64_t t0 = drt_now_ms();
    CHECK(dsig_main_wait(&s, "test", 10000));
    CHECK(drt_now_ms() - t0 < 50);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    drt_stop_destroy(&s);
}

int main(void) {
    RUN(token_wakes_sleepers);
    RUN(threads_joined_with_deadline);
    RUN(monotonic_condvar);
    RUN(signals_only_set_the_token);
    return harness_summary();
}

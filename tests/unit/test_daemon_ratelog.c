/*
 * Unit tests of the rate-limited log (daemons/common/ratelog.c): a flood of one key costs `burst`
 * lines per window, the rest are counted and summarised once the window ends, keys are
 * independent, and a forced flush writes the pending summaries.
 */
#include "harness.h"

#include "common/ratelog.h"

static int64_t fake_now;
static int64_t clock_fake(void) { return fake_now; }

static const char *const NAMES[2] = {"unknown_task", "not_live"};

TEST(flood_is_bounded_and_summarised) {
    dratelog r;
    REQUIRE(dratelog_init(&r, NAMES, 2, 10000, 10, DLOG_INFO, "rejected_summary"));
    r.now_ms = clock_fake;
    fake_now = 1000000;
    size_t logged = 0;
    for (int i = 0; i < 5000; i++) logged += dratelog_admit(&r, 0, "no task 3/7");
    CHECK_EQ_INT((long)logged, 10);
    CHECK_EQ_INT((long)r.keys[0].suppressed, 4990);
    CHECK(dratelog_admit(&r, 1, "x")); /* another key has its own burst */
    CHECK_EQ_INT((long)r.keys[1].suppressed, 0);
    fake_now += 9999;
    CHECK(!dratelog_admit(&r, 0, "still the same window"));
    fake_now += 2;
    CHECK(dratelog_admit(&r, 0, "a new window")); /* the summary was written, the counters reset */
    CHECK_EQ_INT((long)r.keys[0].suppressed, 0);
    CHECK_EQ_INT((long)r.keys[0].in_window, 1);
    CHECK(dratelog_admit(&r, 5, "a key out of range is logged, not counted"));
    dratelog_clear(&r);
}

TEST(flush_forces_pending_summaries) {
    dratelog r;
    REQUIRE(dratelog_init(&r, NAMES, 2, 10000, 1, DLOG_INFO, "rejected_summary"));
    r.now_ms = clock_fake;
    fake_now = 5;
    CHECK(dratelog_admit(&r, 1, "a"));
    CHECK(!dratelog_admit(&r, 1, "b"));
    dratelog_flush(&r, false); /* window not over: kept */
    CHECK_EQ_INT((long)r.keys[1].suppressed, 1);
    dratelog_flush(&r, true);
    CHECK_EQ_INT((long)r.keys[1].suppressed, 0);
    dratelog_clear(&r);
}

int main(void) {
    RUN(flood_is_bounded_and_summarised);
    RUN(flush_forces_pending_summaries);
    return harness_summary();
}

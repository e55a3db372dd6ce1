/*
 * The task-kind table (mpavs/taskkind.h): ids are the reference's committee ids, every row is
 * complete and consistent, lookups by id and name agree, and the per-kind rules (metadata → task
 * id, with_context default) give what the daemons did before the table.
 */
#include "harness.h"
#include "mpavs/avs.h"
#include "mpavs/taskkind.h"

#include <string.h>

TEST(ids_and_names) {
    REQUIRE(mpavs_taskkind_count() == 3);
    static const struct {
        uint64_t id;
        const char *name;
    } WANT[] = {{1, "scroll"}, {2, "linea"}, {3, "chain_state"}};
    for (size_t i = 0; i < 3; i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        REQUIRE(k != NULL);
        CHECK_EQ_INT(k->id, WANT[i].id);
        CHECK_STREQ(k->name, WANT[i].name);
        CHECK(mpavs_taskkind_get(WANT[i].id) == k);
        CHECK(mpavs_taskkind_by_name(WANT[i].name) == k);
        CHECK_STREQ(mpavs_taskkind_name(WANT[i].id), WANT[i].name);
    }
    CHECK(mpavs_taskkind_at(3) == NULL);
    CHECK(mpavs_taskkind_get(0) == NULL);
    CHECK(mpavs_taskkind_get(4) == NULL);
    CHECK(mpavs_taskkind_get(UINT64_MAX) == NULL);
    CHECK(mpavs_taskkind_by_name("Scroll") == NULL);
    CHECK(mpavs_taskkind_by_name(NULL) == NULL);
    CHECK_STREQ(mpavs_taskkind_name(0), "unknown");
    CHECK_STREQ(mpavs_taskkind_name(4), "unknown");
    CHECK_EQ_INT(mpavs_taskkind_get(MPAVS_TASK_SCROLL)->id, 1);
    CHECK_EQ_INT(mpavs_taskkind_get(MPAVS_TASK_LINEA)->id, 2);
    CHECK_EQ_INT(mpavs_taskkind_get(MPAVS_TASK_CHAIN_STATE)->id, 3);
}

/* Every row is complete, ids ascend up to MPAVS_TASKKIND_MAX_ID, and the fields agree with each other. */
TEST(rows_consistent) {
    uint64_t prev = 0;
    for (size_t i = 0; i < mpavs_taskkind_count(); i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        CHECK(k->id > prev && k->id <= MPAVS_TASKKIND_MAX_ID);
        prev = k->id;
        CHECK(k->name && k->name[0]);
        CHECK(k->label && k->label[0]);
        for (const char *c = k->name; *c; c++) CHECK((*c >= 'a' && *c <= 'z') || *c == '_');
        CHECK(k->source >= MPAVS_TASKKIND_SOURCE_SCROLL_COMMIT && k->source <= MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK);
        /* an L1 source names its event; a chain source has none */
        CHECK((k->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) == (k->event == NULL));
        /* no context: the operator never asks for one */
        CHECK(k->needs_context == (k->context != MPAVS_TASKKIND_CONTEXT_NONE));
        /* a kind the prover proves natively needs no context from an external prover */
        if (k->prover == MPAVS_TASKKIND_PROVER_NATIVE) CHECK(!k->needs_context);
        /* ordered confirmations need the metadata to carry the chain block (checked on chain) */
        if (k->ordered) CHECK(k->metadata == MPAVS_TASKKIND_META_CHAIN_BLOCK);
        /* batch sampling needs batch metadata */
        if (k->sampling == MPAVS_TASKKIND_SAMPLING_BATCH) CHECK(k->metadata == MPAVS_TASKKIND_META_BATCH_JSON_BATCH_ID);
    }
    CHECK_EQ_INT(prev, MPAVS_TASKKIND_MAX_ID);
}

/* What each kind is (the behaviour the daemons had as literals). */
TEST(kinds_as_before) {
    const mpavs_taskkind *s = mpavs_taskkind_get(1), *l = mpavs_taskkind_get(2), *c = mpavs_taskkind_get(3);
    CHECK_STREQ(s->label, "scroll");
    CHECK_STREQ(l->label, "linea");
    CHECK_STREQ(c->label, "chain");
    CHECK_STREQ(s->event, "CommitBatch");
    CHECK_STREQ(l->event, "DataFinalized");
    CHECK(s->prover == MPAVS_TASKKIND_PROVER_EXTERNAL && l->prover == MPAVS_TASKKIND_PROVER_EXTERNAL);
    CHECK(c->prover == MPAVS_TASKKIND_PROVER_NATIVE);
    CHECK(s->input == MPAVS_TASKKIND_INPUT_BATCH && l->input == MPAVS_TASKKIND_INPUT_RANGE &&
          c->input == MPAVS_TASKKIND_INPUT_BLOCK);
    CHECK(s->sampling == MPAVS_TASKKIND_SAMPLING_BATCH);
    CHECK(l->sampling == MPAVS_TASKKIND_SAMPLING_NONE && c->sampling == MPAVS_TASKKIND_SAMPLING_NONE);
    CHECK(!s->ordered && !l->ordered && c->ordered);
    CHECK(s->needs_context && l->needs_context && !c->needs_context);
}

TEST(batch_task_id) {
    uint64_t id = 7;
    CHECK(mpavs_taskkind_batch_task_id(&id, mpavs_taskkind_get(1), 41, 900));
    CHECK_EQ_INT(id, 41);
    CHECK(mpavs_taskkind_batch_task_id(&id, mpavs_taskkind_get(2), 41, 900));
    CHECK_EQ_INT(id, 900);
    id = 7;
    CHECK(!mpavs_taskkind_batch_task_id(&id, mpavs_taskkind_get(3), 41, 900));
    CHECK_EQ_INT(id, 7);
}

/* The operator's fetch with_context: scroll follows the prover's default, linea is on, chain_state off,
   and the prover's per-type answer wins for every kind. */
TEST(with_context) {
    const mpavs_taskkind *s = mpavs_taskkind_get(1), *l = mpavs_taskkind_get(2), *c = mpavs_taskkind_get(3);
    for (int def = 0; def < 2; def++) {
        CHECK(mpavs_taskkind_with_context(s, false, false, def) == (bool)def);
        CHECK(mpavs_taskkind_with_context(l, false, false, def));
        CHECK(!mpavs_taskkind_with_context(c, false, true, def));
        for (int v = 0; v < 2; v++) {
            CHECK(mpavs_taskkind_with_context(s, true, v, def) == (bool)v);
            CHECK(mpavs_taskkind_with_context(l, true, v, def) == (bool)v);
            CHECK(mpavs_taskkind_with_context(c, true, v, def) == (bool)v);
        }
    }
}

int main(void) {
    RUN(ids_and_names);
    RUN(rows_consistent);
    RUN(kinds_as_before);
    RUN(batch_task_id);
    RUN(with_context);
    return harness_summary();
}

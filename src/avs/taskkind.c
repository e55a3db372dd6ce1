/* The task-kind table (mpavs/taskkind.h): constant data and lookups. */
#include "mpavs/taskkind.h"

#include "mpavs/avs.h"

#include <string.h>

static const mpavs_taskkind KINDS[] = {
    {.id = MPAVS_TASK_SCROLL,
     .name = "scroll",
     .label = "scroll",
     .source = MPAVS_TASKKIND_SOURCE_SCROLL_COMMIT,
     .event = "CommitBatch",
     .metadata = MPAVS_TASKKIND_META_BATCH_JSON_BATCH_ID,
     .needs_context = true,
     .context = MPAVS_TASKKIND_CONTEXT_PROVER,
     .prover = MPAVS_TASKKIND_PROVER_EXTERNAL,
     .input = MPAVS_TASKKIND_INPUT_BATCH,
     .sampling = MPAVS_TASKKIND_SAMPLING_BATCH,
     .ordered = false},
    {.id = MPAVS_TASK_LINEA,
     .name = "linea",
     .label = "linea",
     .source = MPAVS_TASKKIND_SOURCE_LINEA_FINALIZED,
     .event = "DataFinalized",
     .metadata = MPAVS_TASKKIND_META_BATCH_JSON_END_BLOCK,
     .needs_context = true,
     .context = MPAVS_TASKKIND_CONTEXT_ALWAYS,
     .prover = MPAVS_TASKKIND_PROVER_EXTERNAL,
     .input = MPAVS_TASKKIND_INPUT_RANGE,
     .sampling = MPAVS_TASKKIND_SAMPLING_NONE,
     .ordered = false},
    {.id = MPAVS_TASK_CHAIN_STATE,
     .name = "chain_state",
     .label = "chain",
     .source = MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK,
     .event = NULL,
     .metadata = MPAVS_TASKKIND_META_CHAIN_BLOCK,
     .needs_context = false,
     .context = MPAVS_TASKKIND_CONTEXT_NONE,
     .prover = MPAVS_TASKKIND_PROVER_NATIVE,
     .input = MPAVS_TASKKIND_INPUT_BLOCK,
     .sampling = MPAVS_TASKKIND_SAMPLING_NONE,
     .ordered = true},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

_Static_assert(MPAVS_TASK_CHAIN_STATE == MPAVS_TASKKIND_MAX_ID, "MPAVS_TASKKIND_MAX_ID is the largest id");

const mpavs_taskkind *mpavs_taskkind_get(uint64_t id) {
    for (size_t i = 0; i < NKINDS; i++)
        if (KINDS[i].id == id) return &KINDS[i];
    return NULL;
}

const mpavs_taskkind *mpavs_taskkind_by_name(const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(KINDS[i].name, name) == 0) return &KINDS[i];
    return NULL;
}

size_t mpavs_taskkind_count(void) { return NKINDS; }

const mpavs_taskkind *mpavs_taskkind_at(size_t i) { return i < NKINDS ? &KINDS[i] : NULL; }

const char *mpavs_taskkind_name(uint64_t id) {
    const mpavs_taskkind *k = mpavs_taskkind_get(id);
    return k ? k->name : "unknown";
}

bool mpavs_taskkind_batch_task_id(uint64_t *task_id, const mpavs_taskkind *k, uint64_t batch_id, uint64_t end_block) {
    if (k->metadata == MPAVS_TASKKIND_META_BATCH_JSON_BATCH_ID) *task_id = batch_id;
    else if (k->metadata == MPAVS_TASKKIND_META_BATCH_JSON_END_BLOCK) *task_id = end_block;
    else return false;
    return true;
}

bool mpavs_taskkind_with_context(const mpavs_taskkind *k, bool prover_says, bool prover_value, bool prover_default) {
    if (prover_says) return prover_value;
    if (k->context == MPAVS_TASKKIND_CONTEXT_PROVER) return prover_default;
    return k->context == MPAVS_TASKKIND_CONTEXT_ALWAYS;
}

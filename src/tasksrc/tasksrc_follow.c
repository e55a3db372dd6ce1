/* The log follower: confirmed eth_getLogs windows with a persistable next block. */
#include "tasksrc_internal.h"

#include <stdlib.h>
#include <string.h>

struct mpavs_tasksrc_follower {
    mpavs_rpc *rpc; /* borrowed */
    uint8_t (*addresses)[20];
    size_t naddresses;
    uint8_t topics[4][32];
    bool has_topic[4];
    size_t ntopics;
    uint64_t confirmations, max_window, next;
};

void mpavs_tasksrc_follower_options_init(mpavs_tasksrc_follower_options *o) {
    MPAVS_REQUIRE(o);
    memset(o, 0, sizeof *o);
    o->confirmations = 5;
    o->max_window = 100;
}

int mpavs_tasksrc_follower_create(mpavs_tasksrc_follower **out, mpavs_rpc *rpc,
                                  const mpavs_tasksrc_follower_options *opt) {
    MPAVS_REQUIRE(out && rpc && opt && opt->max_window >= 1 && opt->ntopics <= 4 &&
                  (opt->addresses || !opt->naddresses));
    *out = NULL;
    mpavs_tasksrc_follower *f = calloc(1, sizeof *f);
    if (!f) return MPAVS_TASKSRC_ERR_NOMEM;
    if (opt->naddresses) {
        f->addresses = calloc(opt->naddresses, sizeof *f->addresses);
        if (!f->addresses) {
            free(f);
            return MPAVS_TASKSRC_ERR_NOMEM;
        }
        memcpy(f->addresses, opt->addresses, opt->naddresses * sizeof *f->addresses);
        f->naddresses = opt->naddresses;
    }
    for (size_t i = 0; i < opt->ntopics; i++)
        if (opt->topics[i]) {
            memcpy(f->topics[i], opt->topics[i], 32);
            f->has_topic[i] = true;
        }
    f->ntopics = opt->ntopics;
    f->rpc = rpc;
    f->confirmations = opt->confirmations;
    f->max_window = opt->max_window;
    f->next = opt->start_block;
    *out = f;
    return MPAVS_TASKSRC_OK;
}

void mpavs_tasksrc_follower_destroy(mpavs_tasksrc_follower *f) {
    if (!f) return;
    free(f->addresses);
    free(f);
}

uint64_t mpavs_tasksrc_follower_next(const mpavs_tasksrc_follower *f) {
    MPAVS_REQUIRE(f);
    return f->next;
}

void mpavs_tasksrc_follower_set_next(mpavs_tasksrc_follower *f, uint64_t next) {
    MPAVS_REQUIRE(f);
    f->next = next;
}

static int log_order(const void *a, const void *b) {
    const mpavs_rpc_log *x = a, *y = b;
    if (x->block_number != y->block_number) return x->block_number < y->block_number ? -1 : 1;
    if (x->log_index != y->log_index) return x->log_index < y->log_index ? -1 : 1;
    return 0;
}

int mpavs_tasksrc_follower_poll(mpavs_tasksrc_follower *f, mpavs_rpc_log **logs, size_t *n,
                                mpavs_error *err) {
    MPAVS_REQUIRE(f && logs && n);
    *logs = NULL;
    *n = 0;
    uint64_t head;
    mpavs_error re = {0};
    int r = mpavs_rpc_block_number(f->rpc, &head, &re);
    if (r) return tasksrc_fail_rpc(err, &re, r, "eth_blockNumber");
    if (head < f->confirmations || f->next > head - f->confirmations) return MPAVS_TASKSRC_OK; /* caught up */
    uint64_t safe = head - f->confirmations;
    uint64_t end = safe - f->next >= f->max_window ? f->next + (f->max_window - 1) : safe;
    char from[24], to[24];
    mpavs_rpc_filter flt = {
        .from_block = mpavs_rpc_tag_number(from, f->next),
        .to_block = mpavs_rpc_tag_number(to, end),
        .addresses = (const uint8_t(*)[20])f->addresses,
        .naddresses = f->naddresses,
        .ntopics = f->ntopics,
    };
    for (size_t i = 0; i < f->ntopics; i++) flt.topics[i] = f->has_topic[i] ? f->topics[i] : NULL;
    mpavs_rpc_log *got = NULL;
    size_t cnt = 0;
    r = mpavs_rpc_get_logs(f->rpc, &got, &cnt, &re, &flt);
    if (r) return tasksrc_fail_rpc(err, &re, r, "eth_getLogs");
    /* drop removed logs and anything outside the window (a misbehaving node) */
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        if (got[i].removed || got[i].block_number < f->next || got[i].block_number > end) {
            free(got[i].data);
            continue;
        }
        if (k != i) got[k] = got[i];
        k++;
    }
    if (k == 0) {
        mpavs_rpc_logs_free(got, 0);
        got = NULL;
    } else qsort(got, k, sizeof *got, log_order);
    *logs = got;
    *n = k;
    f->next = end + 1;
    return MPAVS_TASKSRC_OK;
}

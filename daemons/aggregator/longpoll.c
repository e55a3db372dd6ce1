/* daemons/aggregator/longpoll.c — see longpoll.h. */
#include "aggregator/longpoll.h"

json_t *agg_fetch_longpoll(agg_daemon *d, const mpavs_wire_fetch_request *fr, drpc_error *err) {
    uint64_t wait_ms = (fr->max_wait_secs > 30 ? 30 : fr->max_wait_secs) * 1000u;
    if (!err->may_park || wait_ms == 0)
        return agg_task_fetch(d, fr->prev_task_id, fr->task_type, fr->max_wait_secs, fr->with_context);
    if (err->parked_ms == 0) { /* the first call: counted, answered at once if a task is there */
        json_t *r = agg_task_fetch(d, fr->prev_task_id, fr->task_type, 0, fr->with_context);
        if (r && json_is_true(json_object_get(r, "ok"))) return r;
        json_decref(r);
        return drpc_park(err, (unsigned long)wait_ms);
    }
    uint64_t type = fr->task_type;
    json_t *res = NULL;
    pthread_mutex_lock(&d->mu);
    agg_task *t = type >= 1 && type < AGG_MAX_TYPES ? d->latest[type] : NULL;
    if (t && t->id > fr->prev_task_id) {
        json_error_t je;
        json_t *ext = json_loads(t->ext, JSON_DECODE_ANY, &je);
        res = json_pack("{s:b,s:I,s:I,s:o}", "ok", 1, "task_id", (json_int_t)t->id, "task_type", (json_int_t)t->type,
                        "ext", ext ? ext : json_null());
    }
    pthread_mutex_unlock(&d->mu);
    if (res) return res;
    if (!drt_stopped(&d->stop) && err->parked_ms < wait_ms) return drpc_park(err, 1); /* keeps its deadline */
    return json_pack("{s:b,s:i,s:i,s:n}", "ok", 0, "task_id", 0, "task_type", 0, "ext");
}

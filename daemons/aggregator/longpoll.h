/* daemons/aggregator/longpoll.h — aggregator_fetchTask as a parked long poll (jsonrpc_server.h). */
#ifndef MPAVS_AGGREGATOR_LONGPOLL_H
#define MPAVS_AGGREGATOR_LONGPOLL_H

#include "aggregator/daemon.h"
#include "mpavs/wire.h"

/**
 * Answer a parsed fetch request. When err->may_park and no task newer than fr->prev_task_id of
 * fr->task_type exists yet, the call is parked (drpc_park) for what is left of max_wait_secs
 * (at most 30 s) and holds no thread; the server re-runs it every 250 ms and at once after
 * drpc_wake() (agg_task_create calls it). Otherwise (a batch) it waits as agg_task_fetch does.
 * The fetch counter counts the call once.
 */
json_t *agg_fetch_longpoll(agg_daemon *d, const mpavs_wire_fetch_request *fr, drpc_error *err);

#endif

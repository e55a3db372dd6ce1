/*
 * daemons/common/http_guard.h — read deadlines for the libmicrohttpd servers (jsonrpc_server,
 * http_get).
 *
 * libmicrohttpd's MHD_OPTION_CONNECTION_TIMEOUT is an idle timeout: a client that sends one
 * header byte every few seconds (slowloris) keeps its connection for ever. The guard tracks
 * every connection (MHD_OPTION_NOTIFY_CONNECTION) with the phase it is in and since when, and
 * a reaper thread shuts down (shutdown(2), under the guard's lock, before libmicrohttpd closes
 * the descriptor) a connection whose headers are not complete header_s seconds after it opened
 * or its previous request ended, or whose body is not complete body_s seconds after its headers.
 * Parked connections (a long poll, see jsonrpc_server.h) are exempt. The reaper also runs a
 * caller's tick function (the long-poll parker) every tick_ms.
 */
#ifndef MPAVS_DAEMON_HTTP_GUARD_H
#define MPAVS_DAEMON_HTTP_GUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct dguard dguard;

/** Phases of a connection. */
enum { DGUARD_HEADERS = 0, DGUARD_BODY, DGUARD_PARKED };

/**
 * Create a guard and start its reaper thread. In: header_s, body_s: deadlines (0: 10 s, 30 s);
 * tick (may be NULL), tick_user: called from the reaper thread every tick_ms (0: 250 ms) and
 * when dguard_wake() is called. Returns NULL when out of memory or no thread could start.
 */
dguard *dguard_create(unsigned header_s, unsigned body_s, void (*tick)(void *user), void *tick_user,
                      unsigned tick_ms);
/** Stop the reaper thread (joined) and free. Call after MHD_stop_daemon. NULL allowed. */
void dguard_destroy(dguard *g);
/** The MHD_OPTION_NOTIFY_CONNECTION callback (cls: the guard). */
void dguard_notify(void *cls, struct MHD_Connection *c, void **socket_context, enum MHD_ConnectionNotificationCode code);
/** Set the phase of connection c (on_request: headers complete, parked; on_completed: back to headers). */
void dguard_phase(dguard *g, struct MHD_Connection *c, int phase);
/** Run the tick function soon (thread-safe; takes no lock a tick function could hold). */
void dguard_wake(dguard *g);
/** Connections shut down by the deadlines so far. */
uint64_t dguard_reaped(const dguard *g);
/** Monotonic milliseconds. */
uint64_t dguard_now_ms(void);

#endif

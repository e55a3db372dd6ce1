/*
 * daemons/common/signals.h — signal handling of the daemons: handlers that only set the stop
 * token (runtime.h) or count a SIGHUP; the main loop does the rest (redis's rule).
 *
 *   SIGTERM, SIGINT  drt_stop_request(token): every thread sees the stop, sleeps wake at once
 *   SIGHUP           counted; the main loop calls dsig_hup() and logs `event=sighup_ignored`
 *                    (no daemon reloads its configuration: restart it to apply a change).
 *                    Before dsig_install, SIGHUP's default action would kill the process.
 *   SIGPIPE          ignored (a closed peer is a write error, not a crash)
 */
#ifndef MPAVS_DAEMON_SIGNALS_H
#define MPAVS_DAEMON_SIGNALS_H

#include "common/runtime.h"

#include <stdbool.h>

/**
 * Install the handlers for the process's one stop token (which must outlive every handler
 * call: main's). Returns false if sigaction failed.
 */
bool dsig_install(drt_stop *token);
/** The signal that set the token (0 if none, or if code set it). */
int dsig_signal(void);
/** SIGHUPs received since the last call (0 if none). */
unsigned dsig_hup(void);
/**
 * The main loop's wait: sleep up to ms on the token, and log every SIGHUP received as
 * `event=sighup_ignored daemon=<name>`. Returns drt_stopped(token).
 */
bool dsig_main_wait(drt_stop *token, const char *daemon, long ms);

#endif

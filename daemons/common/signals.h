/*
 * daemons/common/signals.h — stop flag set by SIGTERM/SIGINT.
 *
 * dsig_install() installs handlers that only set a sig_atomic_t flag (async-signal-safe) and
 * ignores SIGPIPE. The main loop polls dsig_stop_requested() (e.g. every 100 ms) and shuts
 * down cleanly. dsig_wait() sleeps until a stop is requested or the timeout passes.
 */
#ifndef MPAVS_DAEMON_SIGNALS_H
#define MPAVS_DAEMON_SIGNALS_H

#include <stdbool.h>

/** Install the SIGTERM/SIGINT handlers and ignore SIGPIPE. Returns false if sigaction failed. */
bool dsig_install(void);
/** True once SIGTERM or SIGINT arrived (or dsig_request_stop was called). */
bool dsig_stop_requested(void);
/** Request a stop from code (same effect as a signal). */
void dsig_request_stop(void);
/** The signal that requested the stop (0 if none or requested from code). */
int dsig_signal(void);
/** Sleep up to timeout_ms, waking within 50 ms of a stop request. Returns dsig_stop_requested(). */
bool dsig_wait(long timeout_ms);

#endif

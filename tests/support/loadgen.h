/*
 * tests/support/loadgen.h — a bounded hostile load on a loopback HTTP server, for the hardening
 * tests (issue #17): idle long polls and slowloris connections, spread over source addresses
 * 127.0.<net>.1, .2, ... (per_ip connections each), so that a server's per-client limit does
 * not refuse the test's own well-behaved client on 127.0.0.1.
 *
 * One thread keeps the connections: a long-poll connection sends its whole request at once
 * (Connection: close) and sends it again on a new connection when answered or closed; a slow
 * connection sends its request's bytes one per second (the request is longer than any test) and
 * reconnects when the server closes it, as an attacker would.
 */
#ifndef MPAVS_TEST_LOADGEN_H
#define MPAVS_TEST_LOADGEN_H

#include <stddef.h>
#include <sys/types.h>

typedef struct loadgen loadgen;

typedef struct {
    int port;
    size_t longpolls;          /* connections with long_body POSTed to / */
    const char *long_body;     /* JSON-RPC request text of a long poll */
    size_t slow;               /* slowloris connections */
    const char *slow_head;     /* request line and first headers of a slow connection ("GET / HTTP/1.1\r\n") */
    unsigned per_ip;           /* connections per source address (default 50) */
    unsigned net;              /* source addresses 127.<net>.x.y (default 9) */
} loadgen_options;

/** Open every connection (returns once they are connected, or NULL). */
loadgen *loadgen_start(const loadgen_options *o);
/** Connections open right now (connected and not closed by the server). */
size_t loadgen_open(loadgen *g);
/** Connections the server closed (answered long polls, reaped or refused slow ones). */
unsigned long loadgen_closed(loadgen *g);
/** Close every connection and free. NULL allowed. */
void loadgen_stop(loadgen *g);
/** Resident memory of process pid in KiB (VmRSS), or -1. */
long loadgen_rss_kb(pid_t pid);
/** Threads of process pid, or -1. */
long loadgen_threads(pid_t pid);

#endif

/*
 * tests/support/anvil.h — start and stop a real anvil for integration tests.
 *
 * harness_anvil_start() picks a free loopback port, starts .tools/bin/anvil
 * (MPAVS_ROOT-relative) with the extra arguments given, waits until it
 * answers eth_chainId, and registers it so that it is killed at exit and on
 * SIGINT/SIGTERM/SIGABRT even if the test fails half-way.
 */
#ifndef MPAVS_TEST_ANVIL_H
#define MPAVS_TEST_ANVIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    int port;
    char url[64];
} harness_anvil;

/* Anvil's default dev account 0 (funded with 10000 ETH). */
#define ANVIL_KEY0 "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define ANVIL_ADDR0 "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

/* Start anvil with extra args (NULL-terminated array, may be NULL). Returns true when it answers. */
bool harness_anvil_start(harness_anvil *a, const char *const *extra_args);
/* Stop it (SIGTERM, then SIGKILL) and reap it. */
void harness_anvil_stop(harness_anvil *a);
/*
 * Calldata of a function signature with n arguments in cast's syntax (mpavs_abi_value_parse).
 * Out: *len. Returns malloc'd bytes, or NULL when the signature or an argument does not parse.
 */
unsigned char *harness_calldata(size_t *len, const char *sig, const char *const *args, size_t n);
/* A free TCP port on 127.0.0.1, below the kernel's ephemeral range (random start; not one this process got lately). */
int harness_free_port(void);
/* True when something accepts TCP connections on 127.0.0.1:port. */
bool harness_port_open(int port);
/* Install (once) the exit/signal hooks that SIGKILL every registered child. */
void harness_children_hook(void);
/* Register / forget a child process to be killed at exit or on a fatal signal. */
void harness_child_register(pid_t pid);
void harness_child_forget(pid_t pid);

#endif

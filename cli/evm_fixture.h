/* cli/evm_fixture.h — what the state test and blockchain test runners (`mpavs evm statetest`,
 * `mpavs evm blocktest`) share: fixture JSON fields, a fixture's accounts, the walk over files. */
#ifndef MPAVS_CLI_EVM_FIXTURE_H
#define MPAVS_CLI_EVM_FIXTURE_H

#include "mpavs/evm.h"
#include "mpavs/u256.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Fixture JSON fields (outside data: false on a missing or malformed field, nothing kept).
 * fixture_hex: a hex string ("0x" optional, even length) into a malloc'd *out (free it) of *len bytes.
 * fixture_bytes: a hex string of exactly n bytes into out.
 * fixture_u256: a decimal or 0x-hex number. fixture_u64: the same, refused above 2^64 - 1.
 */
bool fixture_hex(json_t *j, uint8_t **out, size_t *len);
bool fixture_bytes(json_t *j, uint8_t *out, size_t n);
bool fixture_u256(json_t *j, mpavs_u256 *v);
bool fixture_u64(json_t *j, uint64_t *v);

/*
 * The accounts of a fixture state ("pre", "postState": an object of address -> {balance, nonce,
 * code, storage}) into ms. Returns false on anything malformed (ms then partly written).
 */
bool fixture_load_state(mpavs_evm_memstate *ms, json_t *state);

/*
 * Call file(arg, path) for a file, or, for a directory, recursively and in name order for every
 * *.json file under it (names starting with '.' skipped). Returns false when path or a directory
 * under it cannot be read (after a message on stderr) or a listing runs out of memory (the names
 * read so far are still run); true otherwise.
 */
bool fixture_walk(const char *path, void (*file)(void *arg, const char *path), void *arg);

#endif

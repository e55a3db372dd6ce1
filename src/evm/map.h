/*
 * src/evm/map.h — an open-addressing hash map with fixed-size keys and values stored inline
 * (internal to libmpavs). Pointers returned by map_get/map_put stay valid until the next map_put.
 */
#ifndef MPAVS_SRC_EVM_MAP_H
#define MPAVS_SRC_EVM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *slots;   /* cap entries of [used byte][key][pad][value], values 8-byte aligned */
    size_t cap;       /* power of two (0 when empty) */
    size_t count;
    size_t key_len, val_len, val_off, entry_len;
} evm_map;

/** An empty map for keys of key_len bytes and values of val_len bytes. */
void evm_map_init(evm_map *m, size_t key_len, size_t val_len);
/** Free the table (the map is empty and reusable afterwards). */
void evm_map_free(evm_map *m);
/** The value of key, or NULL. */
void *evm_map_get(const evm_map *m, const void *key);
/** The value of key, inserted zeroed if absent (*inserted says which). NULL on no memory. */
void *evm_map_put(evm_map *m, const void *key, bool *inserted);
/** Iterate: start with *pos = 0; returns false at the end. Out: *key, *val. */
bool evm_map_next(const evm_map *m, size_t *pos, const uint8_t **key, void **val);

#endif
